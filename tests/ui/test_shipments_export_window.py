"""File → Export shipments for upload…: the shipped orders of CSV-file stores go into a CSV file to upload to the
store, and leave the outbox count in the status bar."""

from __future__ import annotations

import csv
from pathlib import Path

from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.shipments import outbox_count, record_shipment
from shipdesk.domain import Shipment, utc_now
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.shipments_export import NOTHING_TO_EXPORT


def ship(cache: Cache, number: str, tracking: str) -> None:
    (stored,) = find_by_number(cache, number)
    record_shipment(cache, stored.id, Shipment("UPS", "Ground", tracking, utc_now()))


def test_the_waiting_shipments_are_saved_for_upload_and_leave_the_outbox(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    ship(demo_cache, "1001", "1Z001")
    ship(demo_cache, "1002", "1Z002")
    window.reload()
    qtbot.waitUntil(lambda: window.outbox_count.text().startswith("2 updates"))

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
    assert window.outbox_count.text().startswith("0 updates")
    assert window.statusBar().currentMessage() == (
        "Wrote 2 shipments to for-the-shop.csv: upload it to the store to mark them shipped."
    )


def test_with_nothing_waiting_it_says_so_and_asks_for_no_file(window: MainWindow) -> None:
    window.export_action.trigger()

    assert window.shipments_exporting.file_dialog is None
    assert window.statusBar().currentMessage() == NOTHING_TO_EXPORT
