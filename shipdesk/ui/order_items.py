"""The items of one order as the packer reads them: quantity, SKU, name with options, shelf, weight, price.

A grid of plain-text labels rather than a table, so long names wrap and every line shows without a scroller.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from shipdesk.domain import Order
from shipdesk.ui.order_text import options_text

HEADINGS = ("Qty", "SKU", "Item", "Location", "Weight each", "Price each")  # the currency is on the total
_ITEM_COLUMN = 2
_NUMBER_COLUMNS = {0, 4, 5}
_PICTURE_COLUMN = len(HEADINGS)  # last, so the texts keep their columns; empty where no picture is kept
PICTURE_SIZE = 48


class OrderItemsGrid(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(6)
        self._grid.setColumnStretch(_ITEM_COLUMN, 1)
        self._rows: list[tuple[str, ...]] = []
        for column, heading in enumerate(HEADINGS):
            label = self._cell(heading, column)
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
            self._grid.addWidget(label, 0, column)
        self._line_widgets: list[QLabel] = []
        self._pictured: list[bool] = []

    def rows(self) -> list[tuple[str, ...]]:
        """The texts shown, one tuple per item, in the order of HEADINGS."""
        return list(self._rows)

    def pictures(self) -> list[bool]:
        """Whether each item shows a picture, in item order."""
        return list(self._pictured)

    def show_items(self, order: Order, thumbnails: Mapping[str, bytes] | None = None) -> None:
        for widget in self._line_widgets:
            self._grid.removeWidget(widget)
            widget.hide()  # deleteLater waits for the event loop; until then it would still be drawn
            widget.deleteLater()
        self._line_widgets = []
        self._rows = []
        self._pictured = []
        for row, item in enumerate(order.items, start=1):
            name = item.name + (f"\n{options_text(item)}" if item.options else "")
            if not item.is_physical:
                name += "\n(nothing to pack)"
            texts = (
                f"{item.quantity:,}",
                item.sku,
                name,
                item.warehouse_location,
                "" if item.weight is None else str(item.weight),
                f"{item.unit_price:,.2f}",
            )
            self._rows.append(texts)
            for column, text in enumerate(texts):
                label = self._cell(text, column)
                self._grid.addWidget(label, row, column)
                self._line_widgets.append(label)
            picture = _picture((thumbnails or {}).get(item.image_url, b""))
            self._pictured.append(picture is not None)
            if picture is not None:
                self._grid.addWidget(picture, row, _PICTURE_COLUMN)
                self._line_widgets.append(picture)

    def _cell(self, text: str, column: int) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        horizontal = Qt.AlignmentFlag.AlignRight if column in _NUMBER_COLUMNS else Qt.AlignmentFlag.AlignLeft
        label.setAlignment(horizontal | Qt.AlignmentFlag.AlignTop)
        label.setWordWrap(column == _ITEM_COLUMN)
        return label


def _picture(data: bytes) -> QLabel | None:
    image = QPixmap()
    if not data or not image.loadFromData(data):
        return None
    label = QLabel()
    label.setPixmap(
        image.scaled(
            PICTURE_SIZE,
            PICTURE_SIZE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    )
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    return label
