"""File → Stores… in the window: the action, the one Stores dialog it opens, and the connection tests it runs.

The window learns of an added, changed or removed store through `changed`; it stops the tests in flight at close.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from shipdesk.cache import Cache
from shipdesk.ui.connection_test import ConnectionTests
from shipdesk.ui.stores_dialog import StoresDialog
from shipdesk.ui.sync_runner import SyncRunner


class StoresMenu(QObject):
    changed = Signal()  # a store was added, changed or removed

    def __init__(self, window: QMainWindow, cache: Cache, runner: SyncRunner) -> None:
        super().__init__(window)
        self._window = window
        self._cache = cache
        self._runner = runner
        self.tests = ConnectionTests(self)
        self.dialog: StoresDialog | None = None
        self.action = QAction("S&tores…", window)
        self.action.setStatusTip("Connect a ShipStation account, change or test a store, or remove one")
        self.action.triggered.connect(self.open)

    def open(self) -> StoresDialog:
        if self.dialog is None:
            self.dialog = StoresDialog(self._cache, self._runner, self.tests, self._window)
            self.dialog.stores_changed.connect(self.changed)
        else:
            self.dialog.refresh()
            self.dialog.clear_answer()
        self.dialog.open()
        return self.dialog

    def stop(self) -> None:
        """Waits for connection tests in flight, so no thread outlives the window."""
        self.tests.stop()
