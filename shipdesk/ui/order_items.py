"""The items of one order as the packer reads them: quantity, SKU, name with options, shelf, weight, price.

A grid of plain-text labels rather than a table, so every line shows without a scroller. Each item takes two lines:
quantity, SKU, location, weight and price in columns, then its name with its options across the whole width beside
its picture. The detail pane is narrow on a laptop (about 400 pixels at 1366×768), too narrow for a long name in a
column of its own next to five others. A name wraps at spaces and hyphens, and a word too long for the line is cut
short with "…"; a SKU too long for its column goes on over lines, every letter shown. Either way the tooltip has the
whole text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPixmap, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QWidget

from shipdesk.domain import Order
from shipdesk.ui.order_text import options_text
from shipdesk.ui.plain_tooltip import plain_tooltip

HEADINGS = ("Qty", "SKU", "Item", "Location", "Weight each", "Price each")  # the currency is on the total
_COLUMN_OF = {0: 0, 1: 1, 3: 2, 4: 3, 5: 4}  # the other texts' grid columns on the item's first line
_NUMBERS = {0, 4, 5}  # right-aligned
_SKU = 1
_LOCATION = 3
_SHOWN_HEADINGS = {4: "Weight\neach", 5: "Price\neach"}  # on two lines: one line is wider than any of their values
PICTURE_SIZE = 48
_LEAST_SKU_CHARACTERS = 10  # a narrower SKU column would break a SKU into bits too short to read
_WORD = re.compile(r"[^\s-]+")  # where the text wraps: at spaces and after hyphens


class OrderItemsGrid(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(2)
        # The room left over goes after the location: SKU and location read together, the numbers keep to the right.
        self._grid.setColumnStretch(_COLUMN_OF[_LOCATION], 1)
        self._rows: list[tuple[str, ...]] = []
        for text_number, column in _COLUMN_OF.items():
            label = QLabel(_SHOWN_HEADINGS.get(text_number, HEADINGS[text_number]))
            horizontal = Qt.AlignmentFlag.AlignRight if text_number in _NUMBERS else Qt.AlignmentFlag.AlignLeft
            label.setAlignment(horizontal | Qt.AlignmentFlag.AlignBottom)
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
            self._grid.addWidget(label, 0, column)
        self._line_widgets: list[QWidget] = []
        self._names: list[FittedText] = []
        self._pictured: list[bool] = []

    def rows(self) -> list[tuple[str, ...]]:
        """The texts shown, one tuple per item, in the order of HEADINGS."""
        return list(self._rows)

    def pictures(self) -> list[bool]:
        """Whether each item shows a picture, in item order."""
        return list(self._pictured)

    def name_labels(self) -> list[FittedText]:
        """Each item's name label, in item order."""
        return list(self._names)

    def show_items(self, order: Order, thumbnails: Mapping[str, bytes] | None = None) -> None:
        for widget in self._line_widgets:
            self._grid.removeWidget(widget)
            widget.hide()  # deleteLater waits for the event loop; until then it would still be drawn
            widget.deleteLater()
        self._line_widgets = []
        self._names = []
        self._rows = []
        self._pictured = []
        for number, item in enumerate(order.items):
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
            first_line = 1 + 2 * number
            for text_number, column in _COLUMN_OF.items():
                label = _cell(texts[text_number], text_number)
                self._grid.addWidget(label, first_line, column)
                self._line_widgets.append(label)
            picture = _picture((thumbnails or {}).get(item.image_url, b""))
            self._pictured.append(picture is not None)
            name_label = FittedText(name)
            name_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self._names.append(name_label)
            second_line = _NameLine(name_label, picture)
            self._grid.addWidget(second_line, first_line + 1, _COLUMN_OF[_SKU], 1, len(_COLUMN_OF) - 1)
            self._line_widgets.append(second_line)


class FittedText(QLabel):
    """Selectable plain text that wraps at spaces and hyphens; a word longer than the line is shown cut short with
    "…" (or, with `break_words`, broken over lines, as a SKU must be read whole), and then the tooltip has the whole
    text. It asks the layout for the room the whole text needs, so a word cut short at one width shows whole again
    once there is room."""

    def __init__(self, text: str, *, least_characters: int = 0, break_words: bool = False) -> None:
        super().__init__(text)
        self.full_text = text
        self._least_characters = least_characters
        self._break_words = break_words
        self._measuring = QLabel(text, self)  # never shown: measures texts in this label's font and settings
        self._measuring.hide()
        for label in (self, self._measuring):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def is_cut(self) -> bool:
        return self.text() != self.full_text

    def set_full_text(self, text: str) -> None:
        """Shows another text, fitted to the label's width as it is until the layout gives it another."""
        self.full_text = text
        self._fit()
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        """The whole text with its lines unwrapped, where there is room for it."""
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(line) for line in self.full_text.split("\n"))
        # One pixel more: QLabel wraps a text given exactly its advance (the advances are fractional).
        width = widest + self._frame_width() + 1
        return QSize(width, self._measured(self.full_text).heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        hint = self._measured(self.full_text).minimumSizeHint()  # as wide as the longest word, however long
        if not self._least_characters:
            return hint
        least = self.fontMetrics().averageCharWidth() * self._least_characters + self._frame_width()
        return QSize(min(hint.width(), least), hint.height())

    def heightForWidth(self, width: int) -> int:
        return self._measured(self._shown_at(width - self._frame_width())).heightForWidth(width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        shown = self._shown_at(self.width() - self._frame_width())
        self.setToolTip(plain_tooltip(self.full_text) if shown != self.full_text else "")
        self.setText(shown)

    def _shown_at(self, width: int) -> str:
        """The text as it shows in that width: each word too long for a line cut short, or broken."""
        metrics = self.fontMetrics()
        room = width - metrics.horizontalAdvance("-")  # a word's hyphen stays on its line

        def fitted(word: re.Match[str]) -> str:
            whole = word.group()
            if metrics.horizontalAdvance(whole) <= room:
                return whole
            if self._break_words:
                return "\n".join(_pieces(whole, metrics, room))
            return metrics.elidedText(whole, _ELIDE, room)

        return _WORD.sub(fitted, self.full_text) if room > 0 else self.full_text

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._measuring.setFont(self.font())  # a hidden child does not always follow: a title set in a larger font

    def _measured(self, text: str) -> QLabel:
        if self._measuring.text() != text:
            self._measuring.setText(text)
        return self._measuring

    def _frame_width(self) -> int:
        margins = self.contentsMargins()
        return margins.left() + margins.right() + 2 * self.margin()


_ELIDE = Qt.TextElideMode.ElideRight


def _pieces(word: str, metrics: QFontMetrics, room: int) -> list[str]:
    """The word in pieces that fit the room, a character at least each: broken where an address or a code reads
    best ("grace32@" "example.com", "TSH-" "ORG"), or between any two characters where it has no such place."""
    pieces = [""]
    for char in word:
        line = pieces[-1]
        if line and metrics.horizontalAdvance(line + char) > room:
            at = _break_at(line)
            if at < len(line) // 3 or metrics.horizontalAdvance(line[at:] + char) > room:
                at = 0  # a line left nearly empty costs a line more; or the rest would not fit on the next one
            pieces[-1:] = [line[:at], line[at:]] if at else [line, ""]
        pieces[-1] += char
    return pieces


def _break_at(line: str) -> int:
    """Where in a line too long to grow a break reads best (after "@", else before a "." or after "-", "/" or "_"),
    or 0 when it has no such place."""
    at = line.rfind("@") + 1
    if at:
        return at if at < len(line) else 0
    after = max(line.rfind(char) + 1 for char in "-/_")
    before = line.rfind(".")
    return max(after if after < len(line) else 0, before if before > 0 else 0)


class _NameLine(QWidget):
    """An item's second line: its name with its options, as wide as the pane lets it, and its picture on the right."""

    def __init__(self, name: FittedText, picture: QLabel | None) -> None:
        super().__init__()
        # Left out of the grid's sizing: a long name wraps to the width the other columns make, never widening it.
        policy = name.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        name.setSizePolicy(policy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)  # the gap between two items
        layout.addWidget(name, 1)
        if picture is not None:
            layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)


def _cell(text: str, text_number: int) -> QLabel:
    """A text of an item. The SKU may wrap (at hyphens) on a narrow pane, but not into bits too short to read; the
    other short texts keep their width."""
    label: QLabel
    if text_number == _SKU:
        label = FittedText(text, least_characters=_LEAST_SKU_CHARACTERS, break_words=True)
    else:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    horizontal = Qt.AlignmentFlag.AlignRight if text_number in _NUMBERS else Qt.AlignmentFlag.AlignLeft
    label.setAlignment(horizontal | Qt.AlignmentFlag.AlignTop)
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
