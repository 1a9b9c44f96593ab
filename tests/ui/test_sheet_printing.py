"""Packing slips and pick lists from the window: the packer picks a printer that can take the sheet, the job runs off
the UI thread, and the status bar or a problem box says how it went."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.printers import PrinterProfile, save_printer
from shipdesk.cache.settings import LABEL_FOLDER, set_setting
from shipdesk.printing.slip_receipt import render_packing_slips_escpos
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.slip_printing import PDF_FOLDER
from tests.fakes.raw_printer import Listener
from tests.ui.conftest import combine_in_the_store, select_orders
from tests.ui.print_steps import open_boxes, print_from_window
from tests.ui.test_print_labels import UrlsOpened

JOB_TIMEOUT_MS = 30_000


@pytest.fixture
def receipt_printer(demo_cache: Cache) -> Iterator[Listener]:
    listener = Listener()
    save_printer(demo_cache, PrinterProfile("Epson", "escpos", f"tcp://127.0.0.1:{listener.port}", media="80mm"))
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", "tcp://127.0.0.1:9"))
    yield listener
    listener.close()


def print_sheets(window: MainWindow, qtbot: QtBot, action_name: str, printer: str) -> list[str]:
    """Triggers the action, picks `printer` in the chooser, waits for the job; the printers the chooser offered."""
    ended: list[bool] = []
    window.sheet_printing.finished.connect(lambda: ended.append(True))
    getattr(window, action_name).trigger()
    chooser = window.sheet_printing.chooser
    assert chooser is not None and chooser.isVisible()
    offered = chooser.comboBoxItems()
    chooser.setTextValue(printer)
    chooser.accept()
    qtbot.waitUntil(lambda: bool(ended), timeout=JOB_TIMEOUT_MS)
    return offered


def test_packing_slips_go_to_the_receipt_printer_chosen(
    window: MainWindow, demo_cache: Cache, receipt_printer: Listener, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "1001", "1002")

    offered = print_sheets(window, qtbot, "slips_action", "Epson")

    assert offered == ["Epson", PDF_FOLDER]  # a ZPL label printer cannot print a slip
    receipt_printer.close()
    orders = [find_by_number(demo_cache, number)[0].order for number in ("1002", "1001")]
    assert receipt_printer.jobs == [render_packing_slips_escpos(orders, media="80mm", cut=False)]
    assert (
        window.statusBar().currentMessage() == f"Printed the packing slips on Epson (127.0.0.1:{receipt_printer.port})."
    )
    assert open_boxes(window) == []


def test_the_pick_list_goes_to_the_pdf_folder_and_the_printer_is_offered_first_next_time(
    window: MainWindow, demo_cache: Cache, receipt_printer: Listener, qtbot: QtBot, tmp_path: Path
) -> None:
    set_setting(demo_cache, LABEL_FOLDER, str(tmp_path / "sheets"))
    select_orders(window, qtbot, "1001", "1002", "1003")

    offered = print_sheets(window, qtbot, "pick_list_action", PDF_FOLDER)

    assert offered == [PDF_FOLDER]  # receipt printers take slips, not pick lists
    [written] = (tmp_path / "sheets").glob("*.pdf")
    assert written.name.startswith("pick-list-")
    assert window.statusBar().currentMessage() == f"Wrote the pick list to {written.name}."  # nothing went to paper
    assert open_pdf_buttons(window) == [("Open pick list PDF", str(written))]
    window.slips_action.trigger()
    chooser = window.sheet_printing.chooser
    assert chooser is not None and chooser.textValue() == PDF_FOLDER
    chooser.reject()


def open_pdf_buttons(window: MainWindow) -> list[tuple[str, str]]:
    """The Open … PDF buttons the status bar shows, with the file each one's tooltip names."""
    shown = [button for button in window.statusBar().findChildren(QToolButton) if button.isVisible()]
    return [(button.text(), button.toolTip()) for button in shown if button.text().startswith("Open ")]


def test_packing_slips_written_to_a_pdf_take_the_place_of_the_labels_in_the_one_open_button(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path
) -> None:
    set_setting(demo_cache, LABEL_FOLDER, str(tmp_path / "sheets"))
    select_orders(window, qtbot, "1001", "1002")
    print_from_window(window, qtbot)
    [labels] = (tmp_path / "sheets").glob("labels-*.pdf")
    assert open_pdf_buttons(window) == [("Open labels PDF", str(labels))]

    print_sheets(window, qtbot, "slips_action", PDF_FOLDER)

    [slips] = (tmp_path / "sheets").glob("packing-slips-*.pdf")
    assert window.statusBar().currentMessage() == f"Wrote the packing slips to {slips.name}."
    assert open_pdf_buttons(window) == [("Open slips PDF", str(slips))]
    opened = UrlsOpened()
    QDesktopServices.setUrlHandler("file", opened, "open_url")
    try:
        qtbot.mouseClick(window.sheet_printing.open_pdf_button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(url.toLocalFile()) for url in opened.urls] == [slips]


def test_a_receipt_printer_that_is_off_is_reported_and_nothing_else_changes(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    save_printer(demo_cache, PrinterProfile("Epson", "escpos", "tcp://127.0.0.1:9", media="80mm"))
    select_orders(window, qtbot, "1001")

    print_sheets(window, qtbot, "slips_action", "Epson")

    [box] = open_boxes(window)
    assert box.windowTitle() == "Packing slips not printed"
    assert box.text().startswith("The printer at 127.0.0.1:9 did not answer")


def test_a_combined_order_is_left_out_of_the_slips_and_the_status_bar_says_so(
    window: MainWindow, demo_cache: Cache, receipt_printer: Listener, qtbot: QtBot
) -> None:
    combine_in_the_store(window, demo_cache, "1001", into="1002")
    select_orders(window, qtbot, "1001", "1002")

    print_sheets(window, qtbot, "slips_action", "Epson")

    receipt_printer.close()
    [only_1002] = [find_by_number(demo_cache, "1002")[0].order]
    assert receipt_printer.jobs == [render_packing_slips_escpos([only_1002], media="80mm", cut=False)]
    assert (
        window.statusBar()
        .currentMessage()
        .endswith("; left out 1001: combined into another order, whose slip lists the items.")
    )
