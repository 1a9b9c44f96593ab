"""Print labels from the window to a network label printer: a real TCP listener on 127.0.0.1 takes the jobs.

The batch runs on a worker thread: the window keeps drawing progress while the printer is busy, Cancel stops it
after the label in flight, and a printer that fails mid-batch leaves the rest unshipped and named.
"""

from __future__ import annotations

import subprocess
import threading

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.orders import upsert_orders
from shipdesk.cache.printers import PrinterProfile, save_printer
from shipdesk.cache.shipments import outbox_count, pending_outbox
from shipdesk.ui.main_window import MainWindow
from tests.fakes.raw_printer import Listener
from tests.printing.cups_server import CupsServer, wait_for_pdfs
from tests.printing.scanning import pdf_scan
from tests.ui.conftest import STATUS_COLUMN, make_orders, row_of_order, select_orders, show_window
from tests.ui.print_steps import (
    BATCH_TIMEOUT_MS,
    assert_no_batch_running,
    choose_printer,
    open_boxes,
    open_print_dialog,
    print_from_window,
    shown_progress,
    wait_for_batch,
)

# The table lists the newest order first, and a batch prints in the order the table shows.
THREE_ORDERS = ("1003", "1002", "1001")


def save_zebra(cache: Cache, listener: Listener, name: str = "Zebra") -> PrinterProfile:
    profile = PrinterProfile(name, "zpl", f"tcp://127.0.0.1:{listener.port}", dpi=203, media="4x6")
    save_printer(cache, profile)
    return profile


def status_of(window: MainWindow, order_number: str) -> str:
    return str(window.model.index(row_of_order(window, order_number), STATUS_COLUMN).data())


def shipped_numbers(cache: Cache) -> list[str]:
    return sorted(str(entry.payload["order_number"]) for entry in pending_outbox(cache))


def test_three_orders_print_to_a_zpl_printer_as_three_jobs_and_ship(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    zebra = Listener()
    save_zebra(demo_cache, zebra)
    select_orders(window, qtbot, *THREE_ORDERS)
    print_from_window(window, qtbot, printer="Zebra")
    zebra.close()

    jobs = [job.decode("utf-8") for job in zebra.jobs]
    assert len(jobs) == 3
    tracking = {
        str(entry.payload["order_number"]): str(entry.payload["tracking_number"])
        for entry in pending_outbox(demo_cache)
    }
    assert sorted(tracking) == ["1001", "1002", "1003"]
    for job, number in zip(jobs, THREE_ORDERS, strict=True):
        assert job.startswith("^XA") and job.rstrip().endswith("^XZ")
        assert number in job and tracking[number] in job  # each label carries the tracking number recorded
    assert [status_of(window, number) for number in THREE_ORDERS] == ["Shipped"] * 3
    assert window.outbox_count.text() == "3 shipments to export for upload"
    assert window.statusBar().currentMessage() == "Printed 3 labels on Zebra."
    assert open_boxes(window) == []
    worker = window.batch_printing.last_worker
    assert worker is not None and worker.ran_on not in (None, threading.main_thread().ident)


def test_a_printer_that_drops_the_connection_mid_batch_leaves_the_rest_unshipped_and_named(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    jamming = Listener(drop_at=1, drop_after=200)  # takes the first label, then resets on the second
    save_zebra(demo_cache, jamming)
    select_orders(window, qtbot, *THREE_ORDERS)
    print_from_window(window, qtbot, printer="Zebra")
    jamming.close()

    assert len(jamming.jobs) == 1 and "1003" in jamming.jobs[0].decode()
    assert shipped_numbers(demo_cache) == ["1003"]
    assert status_of(window, "1003") == "Shipped"
    assert [status_of(window, number) for number in ("1002", "1001")] == ["Awaiting shipment"] * 2
    [box] = open_boxes(window)
    assert box.windowTitle() == "Some labels not printed"
    printer_error = f"the printer at 127.0.0.1:{jamming.port} stopped taking the job part-way"
    assert box.text().startswith(f"Printed 1 of 3 labels on Zebra, then stopped: {printer_error}")
    assert box.informativeText() == (
        "Still to print, not marked shipped: 1002, 1001.\nPrint them again once the printer is ready."
    )
    assert f"{box.text()} {box.informativeText()}".count("1002, 1001") == 1  # the orders left are named once
    assert window.statusBar().currentMessage() == "Printed 1 of 3 labels on Zebra; 2 orders still to print."


def test_a_printer_that_is_off_prints_nothing_and_ships_nothing(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    off = Listener()
    save_zebra(demo_cache, off)
    off.close()  # nothing listens on its port any more
    select_orders(window, qtbot, "1001", "1002")
    print_from_window(window, qtbot, printer="Zebra")

    assert pending_outbox(demo_cache) == []
    [box] = open_boxes(window)
    assert box.windowTitle() == "No labels printed"
    assert box.text() == (
        f"No labels printed on Zebra: the printer at 127.0.0.1:{off.port} did not answer (connection refused)."
    )
    assert box.informativeText() == (
        "Still to print, not marked shipped: 1002, 1001.\nPrint them again once the printer is ready."
    )
    assert window.statusBar().currentMessage() == "No labels printed on Zebra; 2 orders still to print."


def test_cancel_stops_after_the_label_in_flight_and_the_rest_stay_unshipped(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    busy = Listener(hold_at=1)  # keeps the second label in hand until released
    save_zebra(demo_cache, busy)
    select_orders(window, qtbot, *THREE_ORDERS)
    dialog = open_print_dialog(window)
    choose_printer(dialog, "Zebra")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(busy.holding.is_set, timeout=BATCH_TIMEOUT_MS)
    progress = shown_progress(window)
    # The printer holds the second label, yet the window draws the first one done: its event loop is free.
    qtbot.waitUntil(lambda: progress.headline.text() == "Label 1 of 3 — order 1003")
    assert (progress.bar.value(), progress.bar.maximum()) == (1, 3)
    assert progress.detail.text() == "Printed order 1003 on Zebra"
    assert window.batch_printing.running

    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    assert not progress.cancel_button.isEnabled() and progress.cancel_button.text() == "Stopping…"
    wait_for_batch(window, qtbot, busy.release)
    busy.close()

    assert_no_batch_running(window)
    assert window.batch_printing.progress is None  # the progress dialog closed when the batch ended
    assert len(busy.jobs) == 2  # the label in flight finished; the third never went out
    assert shipped_numbers(demo_cache) == ["1002", "1003"]
    assert status_of(window, "1001") == "Awaiting shipment"
    assert window.statusBar().currentMessage() == "Printed 2 of 3 labels on Zebra; cancelled, 1 order still to print."
    assert open_boxes(window) == []


def test_escape_on_the_progress_cancels_rather_than_hiding_a_running_batch(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    busy = Listener(hold_at=0)
    save_zebra(demo_cache, busy)
    select_orders(window, qtbot, "1001", "1002")
    dialog = open_print_dialog(window)
    choose_printer(dialog, "Zebra")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(busy.holding.is_set, timeout=BATCH_TIMEOUT_MS)
    progress = shown_progress(window)

    qtbot.keyClick(progress, Qt.Key.Key_Escape)
    assert progress.isVisible() and progress.cancel_button.text() == "Stopping…"
    wait_for_batch(window, qtbot, busy.release)
    busy.close()
    assert len(busy.jobs) == 1
    assert shipped_numbers(demo_cache) == ["1002"]


def test_closing_the_window_mid_batch_stops_after_the_label_in_flight(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    busy = Listener(hold_at=1)
    save_zebra(demo_cache, busy)
    select_orders(window, qtbot, *THREE_ORDERS)
    dialog = open_print_dialog(window)
    choose_printer(dialog, "Zebra")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(busy.holding.is_set, timeout=BATCH_TIMEOUT_MS)
    worker = window.batch_printing.worker
    assert worker is not None
    cancel = worker.cancel

    def cancel_as_the_printer_finishes_its_label() -> None:
        cancel()
        busy.release()  # the long label in flight is taken whole, after the stop was asked for

    worker.cancel = cancel_as_the_printer_finishes_its_label  # type: ignore[method-assign]

    # Closing waits for the label in flight, which is printed and recorded; the batch stops after it.
    window.close()
    assert worker.isFinished()
    busy.close()
    assert worker.result is not None and worker.result.cancelled
    assert shipped_numbers(demo_cache) == ["1002", "1003"]


def test_a_window_over_an_in_memory_cache_prints_through_its_one_connection(qtbot: QtBot) -> None:
    cache = open_cache(None)
    zebra = Listener()
    try:
        with cache.transaction() as conn:
            upsert_orders(conn, make_orders(3))
        save_zebra(cache, zebra)
        window = show_window(cache, qtbot)
        select_orders(window, qtbot, "100000", "100001", "100002")
        print_from_window(window, qtbot, printer="Zebra")
        zebra.close()
        assert len(zebra.jobs) == 3
        assert outbox_count(cache) == 3
        assert window.statusBar().currentMessage() == "Printed 3 labels on Zebra."
        window.close()
    finally:
        zebra.close()
        cache.close()


def test_three_orders_print_to_a_system_printer_as_4x6_pages_and_ship(
    window: MainWindow, demo_cache: Cache, system_cups: CupsServer, qtbot: QtBot
) -> None:
    save_printer(demo_cache, PrinterProfile("Desk", "pdf", f"system://{system_cups.pdf_queue}", dpi=203, media="4x6"))
    select_orders(window, qtbot, *THREE_ORDERS)

    print_from_window(window, qtbot, printer="Desk")

    assert window.statusBar().currentMessage() == "Printed 3 labels on Desk."
    system_cups.wait_until_idle()
    tracking = {str(entry.payload["tracking_number"]) for entry in pending_outbox(demo_cache)}
    scanned = []
    for job in wait_for_pdfs("shipdesk*.pdf", count=3):
        info = subprocess.run(["pdfinfo", str(job)], capture_output=True, text=True, check=True).stdout
        assert "288 x 432 pts" in info
        scanned += pdf_scan(job)
    assert sorted(scanned) == sorted(tracking)
