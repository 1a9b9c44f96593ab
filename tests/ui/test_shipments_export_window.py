"""File → Export shipments for upload…: the shipped orders of CSV-file stores go into a CSV file to upload to the
store, and leave the outbox count in the status bar."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.settings import LAST_IMPORT_FOLDER, set_setting
from shipdesk.cache.shipments import outbox_count, record_shipment
from shipdesk.cache.stores import StoreRecord, add_store
from shipdesk.domain import Shipment, utc_now
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.order_detail import STORE_NOT_EXPORTED
from shipdesk.ui.shipments_export import NOTHING_TO_EXPORT
from tests.cache.test_orders_cache import make_order
from tests.ui.conftest import click_order, show_window


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
    assert chooser is not None and chooser.windowTitle() == "Export 2 shipments for upload"
    with qtbot.waitSignal(window.shipments_exporting.exported):
        chooser.selectFile(str(tmp_path / "for-the-shop.csv"))
        chooser.accept()

    with (tmp_path / "for-the-shop.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(row["Order Number"], row["Tracking Number"]) for row in rows] == [("1001", "1Z001"), ("1002", "1Z002")]
    assert outbox_count(demo_cache) == 0
    assert window.outbox_count.text() == "0 updates waiting in the outbox"
    assert window.statusBar().currentMessage() == (
        f"Wrote 2 shipments to {tmp_path / 'for-the-shop.csv'}: upload it to the store to mark them shipped."
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
    todays = downloads / f"shipments-{date.today():%Y-%m-%d}.csv"
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
