"""Orders that change while the window's batch prints them: another program (the `shipdesk label` command) ships
one, or the next import of the store's orders cancels one.

The window's batch streams to a printer that holds a label in hand while the other program runs. An order shipped
meanwhile ends with one shipment and one update for its store, and the report names it; a cancelled order is never
printed, shipped or updated again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shipdesk.app import DEMO_STORE
from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.printers import PrinterProfile, save_printer
from shipdesk.cache.shipments import pending_outbox
from shipdesk.domain import OrderStatus
from shipdesk.resources import resource_path
from shipdesk.ui.main_window import MainWindow
from tests.fakes.raw_printer import Listener
from tests.ui.conftest import select_orders
from tests.ui.print_steps import BATCH_TIMEOUT_MS, choose_printer, open_boxes, open_print_dialog, wait_for_batch

# The table lists the newest order first, and a batch prints in the order the table shows.
THREE_ORDERS = ("1003", "1002", "1001")


def label_from_the_command_line(cache: Cache, order_number: str, out: Path) -> None:
    """`shipdesk label ORDER --out FILE`, run as a second program on the window's cache file."""
    assert cache.path is not None
    command = [sys.executable, "-m", "shipdesk", "--db", str(cache.path), "label", order_number, "--out", str(out)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr


def shipments_of(cache: Cache, order_number: str) -> list[str]:
    (stored,) = find_by_number(cache, order_number)
    rows = cache.conn.execute("SELECT tracking_number FROM shipments WHERE order_id = ?", (stored.id,))
    return [row[0] for row in rows]


def updates_for_the_store(cache: Cache, order_number: str) -> int:
    return sum(1 for entry in pending_outbox(cache) if entry.payload["order_number"] == order_number)


def start_batch_on_a_busy_printer(window: MainWindow, cache: Cache, qtbot: QtBot) -> Listener:
    """Prints the three orders from the window to a printer that keeps the first label in hand until released."""
    busy = Listener(hold_at=0)
    save_printer(cache, PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{busy.port}", dpi=203, media="4x6"))
    select_orders(window, qtbot, *THREE_ORDERS)
    dialog = open_print_dialog(window)
    choose_printer(dialog, "Zebra")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(busy.holding.is_set, timeout=BATCH_TIMEOUT_MS)
    return busy


def report_text(window: MainWindow) -> str:
    return "\n".join(f"{box.text()}\n{box.informativeText()}" for box in open_boxes(window))


def labelled_by_the_command_during_the_batch(
    window: MainWindow, cache: Cache, qtbot: QtBot, order_number: str, folder: Path
) -> Listener:
    """The window's batch of three, held at the printer while `shipdesk label ORDER` runs; the batch then ends."""
    busy = start_batch_on_a_busy_printer(window, cache, qtbot)
    label_from_the_command_line(cache, order_number, folder / "other-station.pdf")
    wait_for_batch(window, qtbot, busy.release)
    busy.close()
    return busy


def test_an_order_shipped_by_the_command_while_its_label_is_at_the_printer_keeps_one_shipment(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path
) -> None:
    labelled_by_the_command_during_the_batch(window, demo_cache, qtbot, "1003", tmp_path)

    assert len(shipments_of(demo_cache, "1003")) == 1
    assert updates_for_the_store(demo_cache, "1003") == 1
    assert updates_for_the_store(demo_cache, "1002") == updates_for_the_store(demo_cache, "1001") == 1
    assert "1003" in report_text(window)


def test_an_order_shipped_by_the_command_while_the_batch_runs_gets_no_second_label(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path
) -> None:
    busy = labelled_by_the_command_during_the_batch(window, demo_cache, qtbot, "1002", tmp_path)

    assert len(busy.jobs) == 2  # the labels of 1003 and 1001; 1002 had its label from the command
    assert len(shipments_of(demo_cache, "1002")) == 1
    assert updates_for_the_store(demo_cache, "1002") == 1
    assert "1002" in report_text(window)
    assert window.statusBar().currentMessage() == "Printed 2 of 3 labels on Zebra."


def import_as_cancelled(cache: Cache, order_number: str, folder: Path) -> None:
    """`shipdesk import-csv` of the demo store's export where the order now reads cancelled, as a second program."""
    lines = resource_path("demo-orders.csv").read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith(f"{order_number},"))
    export = folder / "cancelled.csv"
    export.write_text(f"{lines[0]},Order Status\n{row},Cancelled\n", encoding="utf-8")
    assert cache.path is not None
    command = [sys.executable, "-m", "shipdesk", "--db", str(cache.path), "import-csv", str(export)]
    finished = subprocess.run([*command, "--store", DEMO_STORE], capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr


def test_an_order_cancelled_in_the_store_while_the_batch_runs_gets_no_label_and_stays_cancelled(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path
) -> None:
    busy = start_batch_on_a_busy_printer(window, demo_cache, qtbot)  # 1003, 1002 and 1001; 1003's label in hand
    import_as_cancelled(demo_cache, "1002", tmp_path)
    wait_for_batch(window, qtbot, busy.release)
    busy.close()

    assert len(busy.jobs) == 2
    (stored,) = find_by_number(demo_cache, "1002")
    assert stored.order.status is OrderStatus.CANCELLED
    assert sorted(str(entry.payload["order_number"]) for entry in pending_outbox(demo_cache)) == ["1001", "1003"]
    assert "Order 1002" in report_text(window)
    assert "cancelled" in report_text(window)
