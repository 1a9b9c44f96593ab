"""The question after a CSV file is chosen: which store its orders belong to, each store with its own upload file.

The name is checked as `shipdesk import-csv --store` checks it (shipdesk/import_stores.py): a store that syncs, or
no name at all, is refused in the dialog, with the reason.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from shipdesk.cache import Cache
from shipdesk.import_stores import ImportStoreError, checked_import_store, file_stores

STORE_HINT = (
    "The orders are filed under that store, and their shipments go back in that store's own upload file "
    "(File → Export shipments for upload…). Type a name to start a new store."
)


class ImportStoreDialog(QDialog):
    """Offers the stores earlier imports used, the preselected one chosen; Import (or Enter) emits `chosen` with the
    store's name, a refused name is said in the dialog and it stays open."""

    chosen = Signal(str)

    def __init__(self, cache: Cache, path: Path, preselected: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._cache = cache
        self.setWindowTitle("Import orders from CSV")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        question = QLabel(f"Which store do the orders in {path.name} belong to?")
        question.setTextFormat(Qt.TextFormat.PlainText)
        question.setWordWrap(True)
        self.store = QComboBox()
        self.store.setEditable(True)
        self.store.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # a typed name is not offered until imported into
        self.store.addItems(file_stores(cache))
        self.store.setCurrentText(preselected)
        self.store.lineEdit().selectAll()  # typing replaces it
        self.store.installEventFilter(self)
        self.store.editTextChanged.connect(self._clear_problem)
        question.setBuddy(self.store)
        hint = QLabel(STORE_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.store)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        layout.addStretch()
        layout.addWidget(buttons)
        self.import_button.setDefault(True)  # once in the dialog: set earlier, the dialog made Cancel its default
        self.setMinimumWidth(440)

    def accept(self) -> None:
        if not self.isVisible():
            return  # answered already
        try:
            store = checked_import_store(self._cache, self.store.currentText())
        except ImportStoreError as error:
            self.problem.setText(str(error))
            self.problem.show()
            self.store.setFocus()
            return
        super().accept()
        self.chosen.emit(store)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter imports into the store shown. The combo's inline completer would take the first Enter, and with the
        preselected name selected, put its own stale completion (the first store offered) in its place."""
        if (
            watched is self.store
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def _clear_problem(self) -> None:
        self.problem.hide()
