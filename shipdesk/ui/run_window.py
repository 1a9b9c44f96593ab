"""Starting the window: the QApplication, the main window on a cache, and the event loop.

The command line calls this once it has opened the cache; Qt is loaded only from here on.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from shipdesk.cache import Cache
from shipdesk.ui.main_window import APP_TITLE, MainWindow


def run_window(cache: Cache, *, title_suffix: str = "") -> int:
    """Shows the main window on `cache` and runs until it is closed; returns the exit code."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    app.setApplicationName(APP_TITLE)
    window = MainWindow(cache, title_suffix=title_suffix)
    window.show()
    window.sync_now()  # orders fresh from the start, not one sync interval later
    return app.exec()
