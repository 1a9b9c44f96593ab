"""System printers (system://NAME) print PDF pages through QtPrintSupport; here the OS is a private CUPS server whose
cups-pdf queue writes what it receives, so the page sizes and the barcodes can be read back."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from shipdesk.cli import main
from shipdesk.domain import Address, LabelSize
from shipdesk.printing import devices
from shipdesk.printing.devices import open_device
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.printing.label_layout import label_layout
from shipdesk.printing.label_pdf import render_labels_pdf
from shipdesk.printing.zpl import layout_to_zpl
from shipdesk.ui.system_printer import (
    SystemPrinter,
    open_system_printer,
    raster_resolution,
    system_printer_names,
)
from tests.printing.cups_server import CUPS_PDF_OUT, CupsServer, wait_for_pdf
from tests.printing.scanning import pdf_scan

DEMO_ORDERS = Path(__file__).resolve().parents[2] / "resources" / "demo-orders.csv"


def label(tracking: str, name: str) -> ShippingLabel:
    return ShippingLabel(
        sender=Address(name="Shipdesk Warehouse", street1="1 Dock Rd", city="Oakland", state="CA", country="US"),
        recipient=Address(name=name, street1="Nørregade 7", city="København", postal_code="1165", country="DK"),
        carrier="UPS",
        service="Ground",
        tracking_number=tracking,
        order_number="1001",
        ship_date=date(2026, 11, 30),
    )


def test_the_systems_printers_are_offered_by_their_names(system_cups: CupsServer) -> None:
    assert {system_cups.pdf_queue, system_cups.raw_queue} <= set(system_printer_names())


def test_labels_printed_to_a_system_printer_arrive_page_by_page_at_4x6_and_their_barcodes_scan(
    system_cups: CupsServer,
) -> None:
    pdf = render_labels_pdf(
        [label("1Z999AA10123456784", "Zoë Ørsted"), label("1Z999AA10123456785", "Łukasz Żółw")],
        LabelSize.FOUR_BY_SIX,
    )
    printer = open_device(f"system://{system_cups.pdf_queue}")

    printer.send(pdf)

    system_cups.wait_until_idle()
    arrived = wait_for_pdf("shipdesk*.pdf")
    info = subprocess.run(["pdfinfo", str(arrived)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info
    assert "288 x 432 pts" in info
    assert pdf_scan(arrived) == ["1Z999AA10123456784", "1Z999AA10123456785"]


def test_the_command_line_prints_labels_on_a_system_printer_and_marks_the_orders_shipped(
    system_cups: CupsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cache.sqlite")
    assert main(["--db", db, "import-csv", str(DEMO_ORDERS)]) == 0
    uri = f"system://{system_cups.pdf_queue}"
    assert main(["--db", db, "printers", "add", "Office", "--language", "pdf", "--uri", uri]) == 0
    capsys.readouterr()

    assert main(["--db", db, "print", "1001", "--printer", "Office", "--tracking", "1Z999AA10123456784"]) == 0

    assert "[1/1] Printed order 1001 on Office" in capsys.readouterr().out
    system_cups.wait_until_idle()
    assert pdf_scan(wait_for_pdf("shipdesk*.pdf")) == ["1Z999AA10123456784"]
    assert main(["--db", db, "orders", "--search", "1001", "--json"]) == 0
    assert '"status": "shipped"' in capsys.readouterr().out


def test_an_unknown_system_printer_is_refused_naming_the_printers_there(system_cups: CupsServer) -> None:
    printer = SystemPrinter("Zebra at desk 9")

    with pytest.raises(PrinterError) as refused:
        printer.send(render_labels_pdf([label("1Z999AA10123456784", "Ada")], LabelSize.FOUR_BY_SIX))

    message = str(refused.value)
    assert message.startswith("There is no printer named 'Zebra at desk 9' on this computer (it has: ")
    assert system_cups.pdf_queue in message


def test_a_system_printer_takes_pdf_only_and_prints_nothing_from_printer_language(system_cups: CupsServer) -> None:
    zpl = layout_to_zpl(label_layout(label("1Z999AA10123456784", "Ada"), LabelSize.FOUR_BY_SIX), 203)

    with pytest.raises(PrinterError, match="it takes PDF pages, not printer-language bytes"):
        SystemPrinter(system_cups.pdf_queue).send(zpl)

    system_cups.wait_until_idle()
    assert list(CUPS_PDF_OUT.glob("shipdesk*.pdf")) == []


def test_a_damaged_pdf_is_refused_and_nothing_is_printed(system_cups: CupsServer) -> None:
    with pytest.raises(PrinterError, match="is not a PDF that can be opened"):
        SystemPrinter(system_cups.pdf_queue).send(b"%PDF-1.4 cut short")

    system_cups.wait_until_idle()
    assert list(CUPS_PDF_OUT.glob("shipdesk*.pdf")) == []


def test_a_system_uri_names_the_printer_as_the_os_spells_it(qapp: QApplication) -> None:
    assert open_system_printer("system://ZDesigner%20GK420d").printer_name == "ZDesigner GK420d"
    assert open_system_printer("system://%5C%5Cprint-server%5CZebra").printer_name == "\\\\print-server\\Zebra"
    assert open_system_printer("system://").name == "the system's default printer"


def test_pages_are_drawn_at_the_printers_resolution_or_a_whole_fraction_of_it() -> None:
    assert [raster_resolution(dpi) for dpi in (203, 300, 600, 720, 1200, 2400)] == [203, 300, 600, 360, 600, 600]


def test_without_qt_print_support_a_system_printer_is_refused_in_plain_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "_system_printers", [])

    with pytest.raises(PrinterError, match="system printers are not available in this program"):
        open_device("system://Office")
