"""Print labels from the window to the built-in PDF folder: one PDF for the selected orders, shipped orders queued
in the outbox. The print dialog opens first; printing to the PDF folder is what it offers without printer profiles.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pypdfium2
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.settings import LABEL_FOLDER, get_setting, set_setting
from shipdesk.cache.shipments import latest_shipment, pending_outbox
from shipdesk.domain import OrderStatus
from shipdesk.ui.main_window import MainWindow
from tests.printing.scanning import pdf_scan
from tests.ui.conftest import STATUS_COLUMN, row_of_order, select_orders
from tests.ui.print_steps import (
    open_boxes,
    open_print_dialog,
    press_print,
    print_from_window,
    shown_progress,
    wait_for_batch,
)


def label_files(cache: Cache) -> list[Path]:
    return sorted(Path(get_setting(cache, LABEL_FOLDER)).glob("*.pdf"))


def page_count(pdf: Path) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def status_of(window: MainWindow, order_number: str) -> str:
    return str(window.model.index(row_of_order(window, order_number), STATUS_COLUMN).data())


def test_three_selected_orders_print_as_one_three_page_pdf(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001", "1002", "1003")
    dialog = open_print_dialog(window)
    assert dialog.printer.currentText() == "PDF folder"  # no printer profiles yet: the built-in printer
    assert dialog.carrier.currentText() == "Other / own courier"
    press_print(window, qtbot, dialog)

    [pdf] = label_files(demo_cache)
    assert page_count(pdf) == 3
    outbox = pending_outbox(demo_cache)
    assert sorted(str(entry.payload["order_number"]) for entry in outbox) == ["1001", "1002", "1003"]
    assert [status_of(window, number) for number in ("1001", "1002", "1003")] == ["Shipped"] * 3
    assert window.outbox_count.text() == "3 shipments to export for upload"
    assert window.statusBar().currentMessage() == f"Wrote 3 labels to {pdf.name}."
    assert window.batch_printing.open_pdf_button.toolTip() == str(pdf)  # the whole path, where the message has no room
    assert open_boxes(window) == []
    worker = window.batch_printing.last_worker
    assert worker is not None and worker.ran_on not in (None, threading.main_thread().ident)


def test_printed_orders_stay_selected_and_the_detail_says_shipped(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001", "1002")
    print_from_window(window, qtbot)
    selected = [window.model.index(index.row(), 0).data() for index in window.table.selectionModel().selectedRows()]
    assert sorted(selected) == ["1001", "1002"]
    assert window.detail.status.text() == "Shipped"


def test_a_held_order_is_reported_with_its_reason_while_the_others_print(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "1139", "1140", "1141")
    print_from_window(window, qtbot)

    [pdf] = label_files(demo_cache)
    assert page_count(pdf) == 2
    assert len(pending_outbox(demo_cache)) == 2
    assert status_of(window, "1140") == "On hold: no ship-to address"
    assert status_of(window, "1139") == status_of(window, "1141") == "Shipped"
    [box] = open_boxes(window)
    assert box.windowTitle() == "Some labels not printed"
    assert box.text() == f"Wrote 2 of 3 labels to {pdf.name}."
    assert box.informativeText() == "Order 1140: no ship-to address."


def test_when_nothing_can_print_no_file_is_written(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001")
    dialog = open_print_dialog(window)
    (stored,) = find_by_number(demo_cache, "1001")
    with demo_cache.transaction() as conn:  # a sync lands while the dialog is open: the store cancelled it
        upsert_orders(conn, [replace(stored.order, status=OrderStatus.CANCELLED)])

    press_print(window, qtbot, dialog)

    assert label_files(demo_cache) == []
    [box] = open_boxes(window)
    assert box.windowTitle() == "No labels printed"
    assert box.informativeText() == "Order 1001: it was cancelled."


def test_a_label_folder_that_cannot_be_written_is_explained_and_nothing_ships(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the label folder should be")
    set_setting(demo_cache, LABEL_FOLDER, str(blocker / "labels"))
    select_orders(window, qtbot, "1001")
    print_from_window(window, qtbot)

    [box] = open_boxes(window)
    assert box.windowTitle() == "Labels not printed"
    assert box.text() == (
        f"Cannot write labels to {blocker / 'labels'}: part of that path is a file, not a folder.\n"
        "No order was marked shipped."
    )
    assert pending_outbox(demo_cache) == []
    assert status_of(window, "1001") == "Awaiting shipment"


def test_printing_with_nothing_selected_asks_for_a_selection(window: MainWindow, demo_cache: Cache) -> None:
    window.print_selected_labels()
    assert window.statusBar().currentMessage() == "Select the orders to print first."
    assert label_files(demo_cache) == []


class UrlsOpened(QObject):
    """Stands in as the desktop's opener of file URLs (QDesktopServices' own hook), keeping what it was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_labels_pdf_opens_the_file_just_written(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    assert window.batch_printing.open_pdf_button.isHidden()  # nothing printed yet
    select_orders(window, qtbot, "1001", "1002")
    print_from_window(window, qtbot)
    [pdf] = label_files(demo_cache)
    button = window.batch_printing.open_pdf_button
    assert button.isVisible() and button.text() == "Open labels PDF"

    opened = UrlsOpened()
    QDesktopServices.setUrlHandler("file", opened, "open_url")
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")

    assert [Path(url.toLocalFile()) for url in opened.urls] == [pdf]


def test_the_dialog_and_the_progress_count_only_the_labels_that_will_print(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "1139", "1140", "1141")  # 1140 has no ship-to address
    dialog = open_print_dialog(window)
    assert dialog.windowTitle() == "Print 2 labels"
    assert dialog.refused_note.text() == "1 of 3 orders will not be printed: 1140 (no ship-to address)."

    headlines: list[str] = []

    def press_print_and_read_the_progress() -> None:
        # The progress opens as Print is pressed, and stays until the window hears that the batch ended.
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
        headlines.append(shown_progress(window).headline.text())

    wait_for_batch(window, qtbot, press_print_and_read_the_progress)
    assert headlines == ["Writing 2 labels to one PDF in the label folder…"]


def test_on_a_1024_pixel_screen_the_status_bar_says_what_was_printed_whole_beside_the_open_button(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.resize(1024, 600)
    select_orders(window, qtbot, "1139", "1140", "1141")
    print_from_window(window, qtbot)
    for box in open_boxes(window):
        box.accept()

    message = window.statusBar().currentMessage()
    assert message.startswith("Wrote 2 of 3 labels to labels-") and "/" not in message
    button = window.batch_printing.open_pdf_button
    assert window.statusBar().fontMetrics().horizontalAdvance(message) + 12 < button.x()  # 12: the bar's margins


UPS_NUMBER = "1Z999AA10123456784"


def test_a_tracking_number_typed_in_groups_is_printed_kept_and_queued_whole(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "1001")
    dialog = open_print_dialog(window)
    dialog.carrier.setCurrentText("UPS")
    dialog.service.setCurrentText("Ground")
    dialog.tracking.setFocus()
    qtbot.keyClicks(dialog.tracking, " 1Z 999 AA1 0123 4567 84 ")  # as the carrier prints it, for reading
    press_print(window, qtbot, dialog)

    (stored,) = find_by_number(demo_cache, "1001")
    shipment = latest_shipment(demo_cache, stored.id)
    assert shipment is not None and shipment.tracking_number == UPS_NUMBER
    (update,) = pending_outbox(demo_cache)
    assert update.payload["tracking_number"] == UPS_NUMBER
    pdf = window.batch_printing.open_pdf_button.pdf
    assert pdf is not None and UPS_NUMBER in pdf_scan(pdf)


def test_an_order_its_store_put_on_hold_is_not_offered_a_label_and_the_dialog_says_why(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    (stored,) = find_by_number(demo_cache, "1139")
    held = replace(stored.order, status=OrderStatus.ON_HOLD, hold_reason="on hold in ShipStation until 2026-12-24")
    with demo_cache.transaction() as conn:
        upsert_orders(conn, [held])
    window.reload()

    select_orders(window, qtbot, "1139", "1141")
    dialog = open_print_dialog(window)
    assert dialog.windowTitle() == "Print 1 label"
    assert dialog.refused_note.text() == (
        "1 of 2 orders will not be printed: 1139 (it is on hold in ShipStation until 2026-12-24)."
    )
    press_print(window, qtbot, dialog)

    [pdf] = label_files(demo_cache)
    assert page_count(pdf) == 1
    assert status_of(window, "1139") == "On hold in ShipStation until 2026-12-24"
    assert status_of(window, "1141") == "Shipped"
    assert latest_shipment(demo_cache, stored.id) is None
