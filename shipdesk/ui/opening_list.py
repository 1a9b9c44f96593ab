"""A list of things to open: Enter or a double-click on an item opens it (`opened`), and nothing else.

Qt's own activation is left alone: some desktops activate on a single click, which must only select. And an item
view lets Enter go on to its dialog once it has activated, where it would press the dialog's default button, or
that of a form the item just opened.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget


class OpeningList(QTreeWidget):
    opened = Signal(QTreeWidgetItem)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.itemDoubleClicked.connect(lambda item, _column: self.opened.emit(item))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.currentItem()
            if item is not None:
                self.opened.emit(item)
            event.accept()
            return
        super().keyPressEvent(event)
