"""The question before shipments are exported for upload, when they wait for more than one store: which store's file.

Each store uploads a file of its own orders' shipments only; the others keep waiting for their own export.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from shipdesk.domain import plural

_ROWS_SHOWN = 8  # more stores scroll


def store_row_text(store: str, count: int) -> str:
    return f"{store} — {plural(count, 'shipment')}"


class ExportStoreDialog(QDialog):
    """Lists each store with its waiting shipments, the first one chosen; Export… (Enter, a double-click) emits
    `chosen` with the store's name."""

    chosen = Signal(str)

    def __init__(self, waiting: dict[str, int], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export shipments for upload")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        question = QLabel(
            f"Shipments wait for {len(waiting)} stores, and each store takes a file of its own orders. "
            "Which store's file do you want to save?"
        )
        question.setWordWrap(True)
        self.stores = QListWidget()
        for store, count in waiting.items():
            row = QListWidgetItem(store_row_text(store, count))
            row.setData(Qt.ItemDataRole.UserRole, store)
            self.stores.addItem(row)
        self.stores.setCurrentRow(0)
        self.stores.itemDoubleClicked.connect(lambda _row: self.accept())
        row_height = self.stores.sizeHintForRow(0)
        frame = 2 * self.stores.frameWidth()
        self.stores.setFixedHeight(row_height * min(len(waiting), _ROWS_SHOWN) + frame)  # no empty rows below
        question.setBuddy(self.stores)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("&Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.stores)
        layout.addWidget(buttons)
        self.export_button.setDefault(True)  # once in the dialog: set earlier, the dialog made Cancel its default
        self.setMinimumWidth(420)

    def shown_rows(self) -> list[str]:
        return [self.stores.item(row).text() for row in range(self.stores.count())]

    def accept(self) -> None:
        row = self.stores.currentItem()
        if row is None:
            return
        super().accept()
        self.chosen.emit(str(row.data(Qt.ItemDataRole.UserRole)))
