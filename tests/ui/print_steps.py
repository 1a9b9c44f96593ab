"""Printing from the window as the packer does it: open the print dialog, choose a printer, press Print, wait.

The batch runs on a worker thread, so a step that presses Print waits for the window to report the batch.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.print_dialog import PrintDialog
from shipdesk.ui.print_progress import PrintProgressDialog

BATCH_TIMEOUT_MS = 30_000  # a generous bound for a slow machine; nothing is asserted on the time it takes


def open_print_dialog(window: MainWindow) -> PrintDialog:
    window.print_action.trigger()
    dialog = window.batch_printing.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def choose_printer(dialog: PrintDialog, shown_name: str) -> None:
    """Picks the printer whose entry starts with `shown_name`, as a person picks it from the list."""
    index = next(i for i in range(dialog.printer.count()) if dialog.printer.itemText(i).startswith(shown_name))
    dialog.printer.setCurrentIndex(index)


def wait_for_batch(window: MainWindow, qtbot: QtBot, start: Callable[[], object]) -> None:
    """Does `start` and waits until the batch it starts or lets go on has ended and been reported.

    It polls rather than waiting in a nested event loop: a quit left queued by an earlier test ends such a loop at once.
    """
    ended: list[bool] = []
    window.batch_printing.finished.connect(lambda: ended.append(True))
    start()
    qtbot.waitUntil(lambda: bool(ended), timeout=BATCH_TIMEOUT_MS)
    assert_no_batch_running(window)


def press_print(window: MainWindow, qtbot: QtBot, dialog: PrintDialog) -> None:
    """Presses Print and waits until the batch has ended and been reported."""
    wait_for_batch(window, qtbot, lambda: qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton))


def print_from_window(window: MainWindow, qtbot: QtBot, printer: str = "") -> None:
    dialog = open_print_dialog(window)
    if printer:
        choose_printer(dialog, printer)
    press_print(window, qtbot, dialog)


def shown_progress(window: MainWindow) -> PrintProgressDialog:
    progress = window.batch_printing.progress
    assert progress is not None and progress.isVisible()
    return progress


def assert_no_batch_running(window: MainWindow) -> None:
    printing = window.batch_printing
    assert not printing.running
    assert printing.last_worker is None or printing.last_worker.isFinished()


def open_boxes(window: MainWindow) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def no_to_any_question(asked: list[str]) -> Callable[[], None]:
    """For a QTimer: answers No to a question box open at that moment and keeps its text; does nothing without one."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            box.button(QMessageBox.StandardButton.No).click()

    return answer
