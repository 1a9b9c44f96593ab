"""Starting the window: the QApplication, the main window on a cache, and the event loop.

The command line calls this once it has opened the cache; Qt is loaded only from here on.
"""

from __future__ import annotations

import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from shipdesk.cache import Cache
from shipdesk.ui.main_window import APP_TITLE, MainWindow

INTERRUPTED = 130  # the exit code of a command stopped by Ctrl+C, as shells report it


def run_window(cache: Cache, *, title_suffix: str = "") -> int:
    """Shows the main window on `cache` and runs until it is closed; returns the exit code."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    app.setApplicationName(APP_TITLE)
    window = MainWindow(cache, title_suffix=title_suffix)
    window.show()
    window.sync_now()  # orders fresh from the start, not one sync interval later
    with _closed_by_ctrl_c(window) as interrupted:
        code = app.exec()
    return INTERRUPTED if interrupted else code


def show_start_problem(message: str) -> None:
    """Says why the window cannot open, in a message box: a start from the desktop's menu has no terminal to read."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)  # kept in `app` until the box is closed
    QMessageBox.critical(None, APP_TITLE, message)


@contextmanager
def _closed_by_ctrl_c(window: MainWindow) -> Iterator[list[int]]:
    """Ctrl+C in the terminal the window was started from closes it, as the window's own close does; the list it
    gives holds the signal once that happened.

    Python runs a signal handler only between steps of Python code, and the event loop runs none while it waits: the
    byte the signal writes to a socket wakes the loop through a notifier, and the handler runs with its slot.
    """
    interrupted: list[int] = []
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield interrupted
        return
    reader, writer = socket.socketpair()
    for end in (reader, writer):
        end.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda: _drain(reader))

    def close_window(signal_number: int, _frame: FrameType | None) -> None:
        interrupted.append(signal_number)
        QTimer.singleShot(0, window.close)  # from the loop, also when the signal came before it started

    earlier_wakeup = signal.set_wakeup_fd(writer.fileno())
    earlier_handler = signal.signal(signal.SIGINT, close_window)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, earlier_handler)
        signal.set_wakeup_fd(earlier_wakeup)
        notifier.setEnabled(False)
        reader.close()
        writer.close()


def _drain(reader: socket.socket) -> None:
    try:
        while reader.recv(64):
            pass
    except BlockingIOError:
        pass
