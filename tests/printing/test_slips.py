"""Packing slips and pick lists: what the packer and the picker read on paper."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest
from reportlab.pdfbase import pdfmetrics

from shipdesk.domain import Address, Item, ItemOption, Order
from shipdesk.printing.fonts import fallback_fonts
from shipdesk.printing.pick_list import location_key, pick_lines
from shipdesk.printing.raster import text_picture
from shipdesk.printing.slip_pdf import render_packing_slips_pdf, render_pick_list_pdf
from shipdesk.printing.slip_receipt import COLUMNS, render_packing_slips_escpos
from tests.printing.escpos_emulator import print_on_emulator

ZOE = Order(
    store="Demo store",
    upstream_id="1",
    order_number="1001",
    order_date=datetime(2026, 11, 20, 9, 15, tzinfo=UTC),
    ship_to=Address(name="Zoë Ørsted", street1="Nørregade 7", city="København", postal_code="1165", country="DK"),
    bill_to=Address(name="Łukasz Żółw", street1="ul. Długa 12", city="Gdańsk", country="PL"),
    items=(
        Item(
            "MUG-BLU",
            "Blue enamel mug",
            2,
            Decimal("12.50"),
            options=(ItemOption("Colour", "Blue"),),
            warehouse_location="A-10-1",
        ),
        Item("TEA-1", "Cast iron teapot", 1, warehouse_location="A-2-3"),
        Item("GIFT-CARD", "Gift card", 1, needs_shipping=False),
    ),
    gift=True,
    gift_message="Feliz cumpleaños, José!",
    customer_notes="Leave with the neighbour",
)
JOSE = Order(
    store="Demo store",
    upstream_id="2",
    order_number="1002",
    order_date=datetime(2026, 11, 21, tzinfo=UTC),
    ship_to=Address(name="José Núñez", street1="Calle Mayor 5", city="Madrid", country="ES"),
    items=(
        Item("MUG-BLU", "Blue enamel mug", 3, options=(ItemOption("Colour", "Blue"),), warehouse_location="A-10-1"),
        Item("MUG-BLU", "Blue enamel mug", 1, options=(ItemOption("Colour", "Red"),), warehouse_location="A-10-1"),
        Item("", "Hand-knitted scarf", 1),
    ),
)


def pdf_text(data: bytes, tmp_path: Path) -> list[str]:
    """The text of each page as poppler's pdftotext reads it."""
    if not shutil.which("pdftotext"):
        pytest.skip("needs pdftotext (poppler-utils)")
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[: len(pypdfium2.PdfDocument(pdf))]


def test_the_pick_list_sums_each_sku_and_option_across_orders_in_walking_order() -> None:
    lines = pick_lines([ZOE, JOSE])
    assert [(line.location, line.sku, line.options, line.quantity) for line in lines] == [
        ("A-2-3", "TEA-1", "", 1),
        ("A-10-1", "MUG-BLU", "Colour: Blue", 5),
        ("A-10-1", "MUG-BLU", "Colour: Red", 1),
        ("", "", "", 1),  # the scarf: no SKU and no location, so picked last
    ]
    assert lines[1].order_numbers == ("1001", "1002")
    assert lines[3].name == "Hand-knitted scarf"


def test_locations_sort_the_way_people_read_them() -> None:
    locations = ["B-1", "a-10", "A-9", "", "A-9-2", "aisle 3"]
    assert sorted(locations, key=location_key) == ["A-9", "A-9-2", "a-10", "aisle 3", "B-1", ""]


def test_a_packing_slip_per_order_shows_what_the_packer_needs(tmp_path: Path) -> None:
    pages = pdf_text(render_packing_slips_pdf([ZOE, JOSE], sheet="a4"), tmp_path)
    assert len(pages) == 2
    zoe = pages[0]
    for expected in (
        "Order 1001",
        "Zoë Ørsted",
        "København",
        "Łukasz Żółw",
        "MUG-BLU",
        "Colour: Blue",
        "A-10-1",
        "Feliz cumpleaños, José!",
        "Leave with the neighbour",
    ):
        assert expected in zoe
    assert "Gift card" not in zoe  # nothing to pack
    assert "Order 1002" in pages[1] and "José Núñez" in pages[1]


@pytest.mark.skipif(fallback_fonts.face_for("王") is None, reason="needs a font with Chinese characters")
def test_a_chinese_address_is_drawn_in_the_computers_font_that_has_it_and_an_emoji_is_left_out(
    tmp_path: Path,
) -> None:
    order = replace(ZOE, ship_to=Address(name="王小明 🌸", street1="世纪大道88号", city="上海", country="CN"))
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(render_packing_slips_pdf([order]))

    (page,) = pdf_text(pdf.read_bytes(), tmp_path)
    embedded = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout

    assert "王小明" in page and "世纪大道88号" in page and "上海" in page and "🌸" not in page
    face = fallback_fonts.face_for("王")
    assert face is not None and pdfmetrics.getFont(face.name).face.name.decode() in embedded


def test_a_long_order_flows_onto_more_pages_and_the_next_order_starts_fresh(tmp_path: Path) -> None:
    many = Order(
        store="Demo store",
        upstream_id="3",
        order_number="1003",
        order_date=datetime(2026, 11, 21, tzinfo=UTC),
        ship_to=JOSE.ship_to,
        items=tuple(Item(f"SKU-{n:03}", f"Item {n}", 1) for n in range(120)),
    )
    pages = pdf_text(render_packing_slips_pdf([many, ZOE]), tmp_path)
    assert len(pages) >= 3
    assert "SKU-119" in "".join(pages[:-1])
    assert "Order 1001" in pages[-1] and "SKU-119" not in pages[-1]


def test_the_pick_list_pdf_lists_every_line_with_its_total(tmp_path: Path) -> None:
    (page,) = pdf_text(render_pick_list_pdf(pick_lines([ZOE, JOSE]), title="Pick list — batch 7"), tmp_path)
    assert "Pick list — batch 7" in page
    assert "4 lines, 8 units" in page
    rows = [line for line in page.splitlines() if "MUG-BLU" in line]
    assert re.search(r"A-10-1\s+MUG-BLU\s+1001, 1002\s+5$", rows[0])  # the item name sits on its own lines
    assert "Blue enamel mug" in page and "Hand-knitted scarf" in page


def test_a_receipt_slip_fits_the_paper_width_and_ends_with_a_cut() -> None:
    for media, columns in (("80mm", 42), ("58mm", 32)):
        data = render_packing_slips_escpos([ZOE, JOSE], media=media)
        assert data.startswith(b"\x1b@")  # initialise
        assert data.count(b"\x1dV") == 2  # a cut after each slip
        text = re.sub(rb"\x1b[!EaMt-]\S|\x1b\{.|\x1db.|\x1dB.|\x1bd.|\x1dV.", b"", data)
        printed = [line for line in text.split(b"\n") if line]
        assert max(len(line) for line in printed) <= columns
        assert b"2 x MUG-BLU" in data
        assert b"Location A-10-1" in data
        assert b"Leave with the neighbour" in data
        assert b"Gift card" not in data


@pytest.mark.skipif(fallback_fonts.face_for("王") is None, reason="needs a font with Chinese characters")
def test_a_chinese_address_on_a_receipt_slip_prints_as_its_picture_and_the_rest_stays_text() -> None:
    order = replace(ZOE, ship_to=Address(name="王小明", street1="世纪大道88号", city="上海", country="CN"))

    job = render_packing_slips_escpos([order])

    assert job.count(b"\x1dv0") == 3  # the name, street and city, each a raster picture; "CN" stays text
    assert "王".encode("gb2312") not in job  # no Chinese bytes a printer in a Latin code page would misprint
    assert b"2 x MUG-BLU" in job and b"Leave with the neighbour" in job
    printed = print_on_emulator(job, width_dots=512, dpi=203)
    name = text_picture("王小明", COLUMNS["80mm"] * 12, 24)
    receipt_rows = [printed.crop((0, y, name.width, y + 1)).tobytes() for y in range(printed.height)]
    name_rows = [name.crop((0, y, name.width, y + 1)).tobytes() for y in range(name.height)]
    assert any(receipt_rows[y : y + name.height] == name_rows for y in range(printed.height - name.height))


def test_a_receipt_slip_can_feed_instead_of_cutting_for_printers_without_a_cutter() -> None:
    data = render_packing_slips_escpos([ZOE], cut=False)
    assert b"\x1dV" not in data


def test_printer_commands_in_a_name_print_as_spaces_and_cannot_cut_a_receipt_slip_short() -> None:
    # A store's text can hold control bytes: GS V 0 is the cut, ESC @ resets the printer mid-slip.
    sent = replace(
        JOSE,
        ship_to=replace(JOSE.ship_to, company="Acme\x1b@\r\nWarehouse 2"),
        items=(Item("MUG\x1dV\x00", "Blue\nenamel\x1dV\x00mug", 1),),
        customer_notes="Ring twice\x1b@\r\nThank you",
    )
    written = replace(
        JOSE,
        ship_to=replace(JOSE.ship_to, company="Acme @ Warehouse 2"),
        items=(Item("MUG V", "Blue enamel V mug", 1),),
        customer_notes="Ring twice @\nThank you",
    )

    data = render_packing_slips_escpos([sent])

    assert data.count(b"\x1dV") == 1 and data.count(b"\x1b@") == 1  # its own cut and reset only
    assert data == render_packing_slips_escpos([written])
