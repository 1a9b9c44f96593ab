"""The row above the orders table: a search box that waits for a pause in typing, and status and store filters.

It only says what to show; the window turns that into a cache query.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from shipdesk.domain import OrderStatus

ALL_STATUSES = "All statuses"
ALL_STORES = "All stores"


class OrderFilters(QWidget):
    """Emits `changed` once typing pauses, at once on Enter or when a filter is picked; Enter then `entered`."""

    changed = Signal()
    entered = Signal()  # Enter in the search box, as a barcode scanner ends an order number, once the table shows it
    SEARCH_PAUSE_MS = 200  # a query per key would re-sort 100,000 ids while the packer is still typing

    def __init__(self, store_names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search order #, name, e-mail, SKU or item")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.status = QComboBox()
        self.status.addItem(ALL_STATUSES, None)
        for status in OrderStatus:
            self.status.addItem(status.label, status.value)
        self.store = QComboBox()
        self.set_stores(store_names)

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(self.SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self.changed)
        self.search.textChanged.connect(self._pause.start)
        self.search.returnPressed.connect(self._enter)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, context=Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self.clear_search)
        self.status.currentIndexChanged.connect(self._now)
        self.store.currentIndexChanged.connect(self._now)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.store)

    def search_text(self) -> str:
        return self.search.text().strip()

    def chosen_status(self) -> OrderStatus | None:
        value = self.status.currentData()
        return OrderStatus(value) if value else None

    def chosen_store(self) -> str | None:
        value = self.store.currentData()
        return str(value) if value else None

    def set_stores(self, names: list[str]) -> None:
        """The stores to pick from; the filter hides while there is only one."""
        chosen = self.chosen_store()
        self.store.blockSignals(True)
        self.store.clear()
        self.store.addItem(ALL_STORES, None)
        for name in names:
            self.store.addItem(name, name)
        self.store.setCurrentIndex(max(0, self.store.findData(chosen)) if chosen else 0)
        self.store.blockSignals(False)
        self.store.setVisible(len(names) > 1)

    def clear_search(self) -> None:
        """Escape (in the search box, or in the table after a scan): every order again, at once."""
        if self.search.text():
            self.search.clear()
            self._now()

    def _enter(self) -> None:
        self._now()
        self.entered.emit()

    def _now(self) -> None:
        self._pause.stop()
        self.changed.emit()
