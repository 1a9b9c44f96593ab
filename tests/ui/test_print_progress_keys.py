"""The keys a packer presses, or a barcode scanner types, while a batch of labels prints.

Escape on the progress cancels (tests/ui); Enter, which ends every scan of the next order's barcode, must not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.printers import PrinterProfile, save_printer
from shipdesk.cache.shipments import pending_outbox
from shipdesk.ui.main_window import MainWindow
from tests.fakes.raw_printer import Listener
from tests.ui.conftest import activated, select_orders
from tests.ui.print_steps import BATCH_TIMEOUT_MS, choose_printer, open_print_dialog, shown_progress, wait_for_batch


def test_enter_on_the_progress_of_a_running_batch_does_not_cancel_it(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    busy = Listener(hold_at=0)  # keeps the first label in hand until released
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{busy.port}", dpi=203, media="4x6"))
    select_orders(window, qtbot, "1003", "1002", "1001")
    dialog = open_print_dialog(window)
    choose_printer(dialog, "Zebra")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(busy.holding.is_set, timeout=BATCH_TIMEOUT_MS)
    progress = activated(shown_progress(window), qtbot)

    qtbot.keyClick(progress.focusWidget() or progress, Qt.Key.Key_Return)  # the end of a scan of the next order

    assert progress.cancel_button.isEnabled() and progress.cancel_button.text() == "Cancel"
    wait_for_batch(window, qtbot, busy.release)
    busy.close()
    assert len(busy.jobs) == 3
    assert sorted(str(entry.payload["order_number"]) for entry in pending_outbox(demo_cache)) == [
        "1001",
        "1002",
        "1003",
    ]
    assert window.statusBar().currentMessage() == "Printed 3 labels on Zebra."
