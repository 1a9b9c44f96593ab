"""Packing slips and pick lists sent to printers: ESC/POS text to a receipt printer, a PDF to a sheet printer or into
the label folder, and a plain refusal for a label printer that cannot print a sheet."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cache.settings import LABEL_FOLDER, set_setting
from shipdesk.cli import main
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.slip_receipt import render_packing_slips_escpos
from shipdesk.slip_printing import orders_of, packing_slips_job, pick_list_job, send_job
from shipdesk.upstream.csv_import import import_csv
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
