"""Packing slips and pick lists sent to printers: ESC/POS text to a receipt printer, a PDF to a sheet printer or into
the label folder, and a plain refusal for a label printer that cannot print a sheet."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, find_by_number, load_orders, upsert_orders
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cache.settings import LABEL_FOLDER, set_setting
from shipdesk.cli import main
from shipdesk.domain import OrderStatus
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.slip_receipt import render_packing_slips_escpos
from shipdesk.slip_printing import orders_of, packing_slips_job, pick_list_job, send_job, without_combined
from shipdesk.upstream.csv_import import import_csv
from shipdesk.upstream.sync import combined_reason
from tests.fakes.raw_printer import Listener

ORDERS = """\
Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Warehouse Location
4001,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG-BLU,Blue enamel mug,2,A-10-1
4001,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,TEA-1,Cast iron teapot,1,A-2-3
4002,2026-11-20 10:00,José Núñez,Calle Mayor 5,Madrid,28013,ES,MUG-BLU,Blue enamel mug,3,A-10-1
"""


@pytest.fixture
def order_ids(cache: Cache, tmp_path: Path) -> list[int]:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    import_csv(cache, path)
    return [stored.id for stored in load_orders(cache, OrderQuery())]


@pytest.fixture
def printer() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


def pdf_text(data: bytes, folder: Path) -> str:
    path = folder / "job.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_slips_go_to_a_receipt_printer_as_escpos_text_on_its_paper(
    cache: Cache, order_ids: list[int], printer: Listener
) -> None:
    receipt = PrinterProfile("Epson", "escpos", f"tcp://127.0.0.1:{printer.port}", dpi=180, media="58mm", cut=True)
    orders = orders_of(cache, order_ids)

    where = send_job(cache, packing_slips_job(cache, orders, receipt), receipt, "slips")

    printer.close()
    assert where == f"Epson (127.0.0.1:{printer.port})"
    assert printer.jobs == [render_packing_slips_escpos(orders, media="58mm", cut=True)]
    assert printer.queries == [b"\x10\x04\x04"]  # asked whether it has paper first


def test_a_pick_list_goes_to_a_sheet_printer_as_a_pdf_summed_by_sku(
    cache: Cache, order_ids: list[int], printer: Listener, tmp_path: Path
) -> None:
    sheet = PrinterProfile("Office", "pdf", f"tcp://127.0.0.1:{printer.port}", media="a4-2up")

    send_job(cache, pick_list_job(orders_of(cache, order_ids), sheet), sheet, "pick-list")

    printer.close()
    [job] = printer.jobs
    text = pdf_text(job, tmp_path)
    mug = next(line for line in text.splitlines() if "MUG-BLU" in line)
    assert mug.split()[0] == "A-10-1" and mug.split()[-1] == "5"  # 2 + 3 mugs, picked at A-10-1
    assert (
        "(A4)"
        in subprocess.run(["pdfinfo", str(tmp_path / "job.pdf")], capture_output=True, text=True, check=True).stdout
    )  # A4, as the printer's media says


def test_without_a_printer_the_slips_are_a_pdf_in_the_label_folder(
    cache: Cache, order_ids: list[int], tmp_path: Path
) -> None:
    set_setting(cache, LABEL_FOLDER, str(tmp_path / "labels"))

    where = send_job(cache, packing_slips_job(cache, orders_of(cache, order_ids), None), None, "slips")

    [written] = (tmp_path / "labels").glob("*.pdf")
    assert where == str(written)
    text = pdf_text(written.read_bytes(), tmp_path)
    assert "Zoë Ørsted" in text and "José Núñez" in text


def test_a_label_printer_is_refused_for_sheets_in_plain_words(cache: Cache, order_ids: list[int]) -> None:
    zebra = PrinterProfile("Zebra", "zpl", "tcp://127.0.0.1:9")

    with pytest.raises(PrinterError) as raised:
        packing_slips_job(cache, orders_of(cache, order_ids), zebra)

    assert str(raised.value) == (
        "Packing slips print on a receipt printer (ESC/POS) or on a sheet printer (PDF); Zebra is a ZPL label printer"
    )


def test_the_command_line_prints_slips_and_the_pick_list_on_named_printers(
    tmp_path: Path, printer: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cache.sqlite"
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    assert main(["--db", str(db), "import-csv", str(tmp_path / "orders.csv")]) == 0
    uri = f"tcp://127.0.0.1:{printer.port}"
    assert (
        main(["--db", str(db), "printers", "add", "Epson", "--language", "escpos", "--uri", uri, "--media", "80mm"])
        == 0
    )
    assert main(["--db", str(db), "printers", "add", "Zebra", "--language", "zpl", "--uri", uri]) == 0
    capsys.readouterr()

    assert main(["--db", str(db), "slips", "4001", "4002", "--printer", "Epson"]) == 0
    assert main(["--db", str(db), "pick-list", "4001", "4002", "--printer", "Zebra"]) == 1

    out = capsys.readouterr()
    assert out.out == f"Printed 2 packing slips on Epson (127.0.0.1:{printer.port}).\n"
    assert out.err == "shipdesk: A pick list prints on a sheet printer (PDF); Zebra is a ZPL label printer\n"


def test_the_command_line_prints_the_pick_list_on_a_sheet_printer(
    tmp_path: Path, printer: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cache.sqlite"
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    assert main(["--db", str(db), "import-csv", str(tmp_path / "orders.csv")]) == 0
    uri = f"tcp://127.0.0.1:{printer.port}"
    assert main(["--db", str(db), "printers", "add", "Office", "--language", "pdf", "--uri", uri]) == 0
    capsys.readouterr()

    assert main(["--db", str(db), "pick-list", "4001", "4002", "--printer", "Office"]) == 0

    printer.close()
    assert capsys.readouterr().out == (
        f"Printed the pick list of 2 orders (2 lines) on Office (127.0.0.1:{printer.port}).\n"
    )
    [job] = printer.jobs
    assert job.startswith(b"%PDF") and "MUG-BLU" in pdf_text(job, tmp_path)


def combine_4001_into_4002(cache: Cache) -> None:
    """As a ShipStation sync leaves an order combined into another: on hold, pointing at the one to pack."""
    (stored,) = find_by_number(cache, "4001")
    held = replace(stored.order, status=OrderStatus.ON_HOLD, hold_reason=combined_reason("4002"))
    with cache.transaction() as conn:
        upsert_orders(conn, [held])


def test_an_order_combined_into_another_gets_no_slip_and_no_pick_list_line(
    cache: Cache, order_ids: list[int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    combine_4001_into_4002(cache)
    db = str(cache.path)
    capsys.readouterr()

    assert main(["--db", db, "pick-list", "4001", "4002", "--out", str(tmp_path / "picks.pdf")]) == 0

    said = capsys.readouterr()
    assert said.err == "shipdesk: left out 4001: combined into another order, whose slip lists the items\n"
    assert "pick list of 1 order" in said.out
    text = pdf_text((tmp_path / "picks.pdf").read_bytes(), tmp_path)
    assert "TEA-1" not in text and "MUG-BLU" in text  # 4001's teapot is not picked twice


def test_slips_for_only_combined_orders_print_nothing_and_say_why(
    cache: Cache, order_ids: list[int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    combine_4001_into_4002(cache)
    capsys.readouterr()

    assert main(["--db", str(cache.path), "slips", "4001", "--out", str(tmp_path / "slips.pdf")]) == 1

    assert "nothing printed: left out 4001: combined into another order" in capsys.readouterr().err
    assert not (tmp_path / "slips.pdf").exists()
    orders, combined = without_combined(orders_of(cache, order_ids))
    assert [order.order_number for order in combined] == ["4001"]
    assert [order.order_number for order in orders] == ["4002"]
