"""File → Export shipments for upload…: the shipped orders of CSV-file stores go into a CSV file to upload to the
store, one store's at a time, asking which store when several wait, and leave the outbox count in the status bar."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.settings import LAST_IMPORT_FOLDER, set_setting
from shipdesk.cache.shipments import outbox_count, record_shipment
from shipdesk.cache.stores import StoreRecord, add_store
from shipdesk.domain import Shipment, utc_now
from shipdesk.ui.export_store_dialog import ExportStoreDialog
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.order_detail import STORE_NOT_EXPORTED
from shipdesk.ui.shipments_export import NOTHING_TO_EXPORT
from tests.cache.test_orders_cache import make_order
from tests.ui.conftest import activated, click_order, show_window


def ship(cache: Cache, number: str, tracking: str) -> None:
    (stored,) = find_by_number(cache, number)
    record_shipment(cache, stored.id, Shipment("UPS", "Ground", tracking, utc_now()))


def test_the_waiting_shipments_are_saved_for_upload_and_leave_the_outbox(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    ship(demo_cache, "1001", "1Z001")
    ship(demo_cache, "1002", "1Z002")
    window.reload()
    qtbot.waitUntil(lambda: window.outbox_count.text() == "2 shipments to export for upload")

    window.export_action.trigger()
    chooser = window.shipments_exporting.file_dialog
    assert chooser is not None and chooser.windowTitle() == "Export 2 shipments for upload to Demo store"
    assert window.shipments_exporting.store_dialog is None  # one store waits: nothing to ask
    with qtbot.waitSignal(window.shipments_exporting.exported):
        chooser.selectFile(str(tmp_path / "for-the-shop.csv"))
        chooser.accept()

    with (tmp_path / "for-the-shop.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(row["Order Number"], row["Tracking Number"]) for row in rows] == [("1001", "1Z001"), ("1002", "1Z002")]
    assert outbox_count(demo_cache) == 0
    assert window.outbox_count.text() == "0 updates waiting in the outbox"
    assert window.statusBar().currentMessage() == (
        f"Wrote 2 shipments to {tmp_path / 'for-the-shop.csv'}: upload it to Demo store to mark them shipped."
    )


def test_with_nothing_waiting_it_says_so_and_asks_for_no_file(window: MainWindow) -> None:
    window.export_action.trigger()

    assert window.shipments_exporting.file_dialog is None
    assert window.statusBar().currentMessage() == NOTHING_TO_EXPORT


def test_the_outbox_count_says_the_shipments_of_csv_stores_go_by_export_and_the_rest_by_sync(
    cache: Cache, qtbot: QtBot
) -> None:
    add_store(cache, StoreRecord(name="Main", kind="shipstation", config={"api_key": "k"}))
    with cache.transaction() as conn:
        upsert_orders(conn, [make_order("1001", store="CSV import"), make_order("2001", store="Main")])
    ship(cache, "1001", "1Z001")
    ship(cache, "2001", "9400")

    window = show_window(cache, qtbot)

    assert window.outbox_count.text() == "1 update waiting in the outbox; 1 shipment to export for upload"
    assert "File → Export shipments for upload…" in window.outbox_count.toolTip()


def test_the_save_dialog_starts_beside_the_imported_orders_and_suggests_a_file_not_there_yet(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    set_setting(demo_cache, LAST_IMPORT_FOLDER, str(downloads))
    todays = downloads / f"shipments-Demo-store-{date.today():%Y-%m-%d}.csv"
    todays.write_text("the morning's shipments, not uploaded yet\n", encoding="utf-8")
    ship(demo_cache, "1001", "1Z001")

    window.export_action.trigger()

    chooser = window.shipments_exporting.file_dialog
    assert chooser is not None
    assert Path(chooser.directory().absolutePath()) == downloads
    assert [Path(name).name for name in chooser.selectedFiles()] == [f"{todays.stem}-2.csv"]
    with qtbot.waitSignal(window.shipments_exporting.exported):
        chooser.accept()
    assert todays.read_text(encoding="utf-8") == "the morning's shipments, not uploaded yet\n"
    assert (downloads / f"{todays.stem}-2.csv").exists()


def test_after_the_export_the_selected_order_no_longer_says_its_store_waits(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    ship(demo_cache, "1001", "1Z001")
    window.reload()
    click_order(window, qtbot, "1001")
    assert STORE_NOT_EXPORTED in window.detail.facts.text()

    window.export_action.trigger()
    chooser = window.shipments_exporting.file_dialog
    assert chooser is not None
    with qtbot.waitSignal(window.shipments_exporting.exported):
        chooser.selectFile(str(tmp_path / "for-the-shop.csv"))
        chooser.accept()

    assert "Tracking 1Z001" in window.detail.facts.text()
    assert STORE_NOT_EXPORTED not in window.detail.facts.text()


# ----------------------------------------------------------------------------- several stores, a file each


def etsy_orders_shipped(cache: Cache) -> None:
    """Etsy's orders 5001 and 5002, imported from its files and shipped."""
    with cache.transaction() as conn:
        upsert_orders(conn, [make_order("5001", store="Etsy"), make_order("5002", store="Etsy")])
    ship(cache, "5001", "9400E1")
    ship(cache, "5002", "9400E2")


def store_question(window: MainWindow, qtbot: QtBot) -> ExportStoreDialog:
    """The question which store's file to save, active as a window manager makes a new dialog (the offscreen platform
    does not), with the keys going to the list of stores."""
    dialog = window.shipments_exporting.store_dialog
    assert dialog is not None and dialog.isVisible()
    activated(dialog, qtbot)
    assert QApplication.focusWidget() is dialog.stores
    return dialog


def choose_store(window: MainWindow, qtbot: QtBot, row: int) -> None:
    """Picks the row of the store question with the arrow keys and Enter, as a packer does."""
    dialog = store_question(window, qtbot)
    for _ in range(row):
        qtbot.keyClick(dialog.stores, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.stores, Qt.Key.Key_Return)


def test_with_shipments_for_two_stores_it_asks_which_store_and_writes_only_that_stores(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    ship(demo_cache, "1001", "1Z001")
    etsy_orders_shipped(demo_cache)
    set_setting(demo_cache, LAST_IMPORT_FOLDER, str(tmp_path))
    window.reload()
    assert window.outbox_count.text() == "3 shipments to export for upload (2 stores)"

    window.export_action.trigger()

    dialog = window.shipments_exporting.store_dialog
    assert dialog is not None and window.shipments_exporting.file_dialog is None
    assert dialog.shown_rows() == ["Demo store — 1 shipment", "Etsy — 2 shipments"]
    choose_store(window, qtbot, 1)
    chooser = window.shipments_exporting.file_dialog
    assert chooser is not None and chooser.windowTitle() == "Export 2 shipments for upload to Etsy"
    etsy_file = tmp_path / f"shipments-Etsy-{date.today():%Y-%m-%d}.csv"
    assert [Path(name) for name in chooser.selectedFiles()] == [etsy_file]
    with qtbot.waitSignal(window.shipments_exporting.exported):
        chooser.accept()

    with etsy_file.open(encoding="utf-8", newline="") as file:
        assert [row["Order Number"] for row in csv.DictReader(file)] == ["5001", "5002"]
    assert window.outbox_count.text() == "1 shipment to export for upload"
    assert window.statusBar().currentMessage() == (
        f"Wrote 2 shipments to {etsy_file}: upload it to Etsy to mark them shipped. "
        "1 shipment still waits for Demo store."
    )


def test_the_store_left_waiting_goes_straight_to_the_save_dialog_next_time(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    ship(demo_cache, "1001", "1Z001")
    etsy_orders_shipped(demo_cache)
    window.export_action.trigger()
    choose_store(window, qtbot, 0)
    chooser = window.shipments_exporting.file_dialog
    assert chooser is not None and chooser.windowTitle() == "Export 1 shipment for upload to Demo store"
    with qtbot.waitSignal(window.shipments_exporting.exported):
        chooser.selectFile(str(tmp_path / "demo.csv"))
        chooser.accept()

    window.export_action.trigger()

    assert window.shipments_exporting.store_dialog is None
    chooser = window.shipments_exporting.file_dialog
    assert chooser is not None and chooser.windowTitle() == "Export 2 shipments for upload to Etsy"
    chooser.reject()


def test_cancelling_the_store_question_exports_nothing(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    ship(demo_cache, "1001", "1Z001")
    etsy_orders_shipped(demo_cache)
    window.export_action.trigger()
    dialog = store_question(window, qtbot)

    qtbot.keyClick(dialog.stores, Qt.Key.Key_Escape)

    assert window.shipments_exporting.store_dialog is None and window.shipments_exporting.file_dialog is None
    assert outbox_count(demo_cache) == 3


def test_a_double_click_on_a_store_chooses_it_and_a_click_only_picks_it(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    ship(demo_cache, "1001", "1Z001")
    etsy_orders_shipped(demo_cache)
    window.export_action.trigger()
    dialog = store_question(window, qtbot)
    where = dialog.stores.visualItemRect(dialog.stores.item(1)).center()

    qtbot.mouseClick(dialog.stores.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert window.shipments_exporting.file_dialog is None  # a click only picks the row
    qtbot.mouseDClick(dialog.stores.viewport(), Qt.MouseButton.LeftButton, pos=where)

    chooser = window.shipments_exporting.file_dialog
    assert chooser is not None and chooser.windowTitle() == "Export 2 shipments for upload to Etsy"
    chooser.reject()
