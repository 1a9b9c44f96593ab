"""The orders table view: fixed row height, columns sized from samples to the width it has, and a selection that
survives reloads.

Keys work as in a list a packer tabs through: Tab and Shift+Tab leave the table, Enter or a double-click asks to act
on the selected orders, or on the row the keyboard is on when none is selected (`orders_activated`), Ctrl+C copies
the selected orders as spreadsheet rows, and what is typed goes to the search (`typed`).

Nothing here reads every row: with 100,000 orders, measuring contents would take longer than the data.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from shipdesk.ui.fitted_columns import fair_widths
from shipdesk.ui.orders_model import COLUMNS, ORDER_NUMBER_COLUMN, STORE_COLUMN, OrdersModel

_CELL_PADDING = 24  # the style's margins either side of a cell's text
_SORT_ARROW_ROOM = 28
_EMPTY_TEXT_WIDTH = 480
# Columns whose texts still say enough cut short, so they narrow for the others when the table is narrow; numbers and
# dates are never cut. Below the least width a scroll bar appears instead.
_GIVING_WAY = frozenset({"ship_name", "store", "status"})
_LEAST_WIDTH = 56
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)  # Enter of the keypad is Keypad+Enter


class OrdersTable(QTableView):
    # Enter or Return, or a double-click on a selected order: the window opens Print labels for the selection.
    orders_activated = Signal()
    # A letter or digit typed in the table, for the search box: a barcode scanned with the table in focus searches
    # for the order, where the view's own type-to-find would jump to some row and the scanner's Enter print it.
    typed = Signal(str)
    escaped = Signal()  # Escape in the table: after a scan the keys are here, and Escape clears the search

    def __init__(self, model: OrdersModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = ""
        self._kept_ids: list[int] = []
        self._kept_current: int | None = None
        self.setModel(model)
        self.setTabKeyNavigation(False)  # Tab goes on to the next widget; the arrow keys move between orders
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        rows.hide()
        self._wanted: list[int] = []
        self._store_column_wanted = False
        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        # Left with the table's selection, the header reads it for every section it paints, row by row, to tell
        # whether the section's column is selected: 0.8 s a repaint with 100,000 orders selected. Orders are
        # selected as whole rows, so no column is selected by itself, and the header needs a selection of its own.
        columns.setSelectionModel(QItemSelectionModel(model, columns))
        columns.setStretchLastSection(True)
        columns.setSortIndicator(model.column_of_sort(), _sort_order(model.query.descending))
        self.setSortingEnabled(True)
        self._measure_columns()
        model.modelAboutToBeReset.connect(self._keep_selection)
        model.modelReset.connect(self._restore_selection)
        model.modelReset.connect(self._new_orders)

    def show_store_column(self, shown: bool) -> None:
        """With one store the column says the same on every row: hidden, it leaves its room to the hold reasons.

        With more it shows where the table has room for it; the detail pane names the store of the order too.
        """
        self._store_column_wanted = shown
        self.fit_columns()

    def orders_model(self) -> OrdersModel:
        model = self.model()
        assert isinstance(model, OrdersModel)
        return model

    def selected_order_ids(self) -> list[int]:
        """The selected orders, top to bottom as the table shows them."""
        model = self.orders_model()
        return [model.order_id(row) for row in self.selected_rows()]

    def selected_rows(self) -> list[int]:
        """The selected rows, top to bottom; read from the selection's ranges, which stay few however many rows."""
        rows: set[int] = set()
        for selected in self.selectionModel().selection():
            rows.update(range(selected.top(), selected.bottom() + 1))
        return sorted(rows)

    def shown_columns(self) -> list[int]:
        """The columns the table shows, left to right as they are shown."""
        header = self.horizontalHeader()
        logical = (header.logicalIndex(visual) for visual in range(header.count()))
        return [column for column in logical if not header.isSectionHidden(column)]

    def selected_orders_text(self) -> str:
        """The selected orders, one line each with the shown columns tab-separated, as a spreadsheet pastes them."""
        lines = self.orders_model().row_texts(self.selected_rows(), self.shown_columns())
        return "\n".join("\t".join(_one_cell(text) for text in line) for line in lines)

    def copy_selected_orders(self) -> None:
        """Puts the selected orders on the clipboard (see `selected_orders_text`); without a selection, nothing."""
        if self.selectionModel().hasSelection():
            QGuiApplication.clipboard().setText(self.selected_orders_text())

    @property
    def empty_text(self) -> str:
        return self._empty_text

    def set_empty_text(self, text: str) -> None:
        """What the table says while it shows no order: how to get orders in, or that none matches the filters."""
        if text != self._empty_text:
            self._empty_text = text
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._empty_text and self.model().rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            room = self.viewport().rect().adjusted(40, 40, -40, -40)
            spare = max(0, room.width() - _EMPTY_TEXT_WIDTH) // 2  # a short measure reads better than a long line
            room.adjust(spare, 0, -spare, 0)
            painter.drawText(room, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._empty_text)
            painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selected_orders()  # the view's own copy takes the current cell only
            event.accept()
            return
        text = event.text()
        if text.strip() and text.isprintable() and not event.modifiers() & _COMMAND_MODIFIERS:
            self.typed.emit(text)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and event.modifiers() in _PLAIN:
            self.escaped.emit()
            event.accept()
            return
        if event.key() in _ENTER_KEYS and event.modifiers() in _PLAIN:
            if not event.isAutoRepeat():  # the key held down opens one dialog, not one per repeat
                self._select_current_if_none()
                self.orders_activated.emit()  # without any order the window says to select orders first
            event.accept()
            return
        super().keyPressEvent(event)

    def moveCursor(self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Home and End go to the first and the last order, as in any list: a table's own go to the first and the
        last column of the row, which with whole rows selected looks like nothing at all."""
        ends = (QAbstractItemView.CursorAction.MoveHome, QAbstractItemView.CursorAction.MoveEnd)
        rows = self.model().rowCount()
        if cursorAction not in ends or not rows:
            return super().moveCursor(cursorAction, modifiers)
        row = 0 if cursorAction == QAbstractItemView.CursorAction.MoveHome else rows - 1
        return self.model().index(row, max(self.currentIndex().column(), 0))

    def _select_current_if_none(self) -> None:
        """Enter acts on the order the keyboard is on: Tab into the table puts it on the first row, unselected."""
        current = self.currentIndex()
        if current.isValid() and not self.selectionModel().hasSelection():
            self.selectRow(current.row())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Not through `activated`: some desktops send that on a single click, and one click must only select.
        index = self.indexAt(event.position().toPoint())
        super().mouseDoubleClickEvent(event)
        if (
            event.button() == Qt.MouseButton.LeftButton
            and index.isValid()
            and self.selectionModel().isRowSelected(index.row())
        ):
            self.orders_activated.emit()

    def current_order_id(self) -> int | None:
        current = self.currentIndex()
        return self.orders_model().order_id(current.row()) if current.isValid() else None

    def select_order_ids(self, order_ids: list[int], current: int | None = None) -> None:
        """Selects those of the orders the table shows; `current` gets the focus (else the first)."""
        model = self.orders_model()
        rows = sorted(row for row in (model.row_of(order_id) for order_id in order_ids) if row is not None)
        selection = QItemSelection()
        last_column = model.columnCount() - 1
        for first, last in _runs(rows):
            selection.select(model.index(first, 0), model.index(last, last_column))
        current_row = model.row_of(current) if current is not None else None
        if current_row is None and rows:
            current_row = rows[0]
        selections = self.selectionModel()
        if current_row is not None:
            selections.setCurrentIndex(model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollTo(model.index(current_row, 0))
        selections.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _measure_columns(self) -> None:
        """The width each column wants: its sample's (the longest order number's for Order #) or its heading's, with
        room for the sort arrow in the column sorted by."""
        metrics = self.fontMetrics()
        header_metrics = self.horizontalHeader().fontMetrics()
        samples = [column.sample for column in COLUMNS]
        longest = self.orders_model().longest_order_number
        samples[ORDER_NUMBER_COLUMN] = max(samples[ORDER_NUMBER_COLUMN], longest, key=metrics.horizontalAdvance)
        sorted_by = self.horizontalHeader().sortIndicatorSection()
        self._wanted = [
            max(
                metrics.horizontalAdvance(sample) + _CELL_PADDING,
                header_metrics.horizontalAdvance(column.heading)
                + (_SORT_ARROW_ROOM if number == sorted_by else _CELL_PADDING),
            )
            for number, (sample, column) in enumerate(zip(samples, COLUMNS, strict=True))
        ]

    def fit_columns(self) -> None:
        """Every shown column in the width the table has: when there is not room for all, the recipient, store and
        status give way, their texts cut short with "…" (and whole in a tooltip), so Status stays in sight. Where
        even that leaves too little, the Store column steps aside."""
        # The room without a vertical scroll bar, less one: sized as if it showed, the columns fit with it or without.
        room = self.maximumViewportSize().width() - self.verticalScrollBar().sizeHint().width()
        others = [column for column in range(len(COLUMNS)) if column != STORE_COLUMN]
        widths = self._widths([*others, STORE_COLUMN], room) if self._store_column_wanted else None
        self.setColumnHidden(STORE_COLUMN, widths is None)
        for column, width in (widths or self._widths(others, room) or self._least_widths(others)).items():
            self.setColumnWidth(column, width)

    def _widths(self, columns: list[int], room: int) -> dict[int, int] | None:
        """The columns' widths in `room`, or None when those giving way would be narrower than the least."""
        giving_way = [column for column in columns if COLUMNS[column].sort_key in _GIVING_WAY]
        room -= sum(self._wanted[column] for column in columns if column not in giving_way)
        shares = fair_widths([self._wanted[column] for column in giving_way], room)
        if min(shares, default=_LEAST_WIDTH) < _LEAST_WIDTH:
            return None
        return {**{column: self._wanted[column] for column in columns}, **dict(zip(giving_way, shares, strict=True))}

    def _least_widths(self, columns: list[int]) -> dict[int, int]:
        """Too narrow even so: the least each can have, and a scroll bar."""
        return {
            column: _LEAST_WIDTH if COLUMNS[column].sort_key in _GIVING_WAY else self._wanted[column]
            for column in columns
        }

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def _new_orders(self) -> None:
        self._measure_columns()
        self.fit_columns()

    def _keep_selection(self) -> None:
        self._kept_ids = self.selected_order_ids()
        self._kept_current = self.current_order_id()

    def _restore_selection(self) -> None:
        if self._kept_ids:
            self.select_order_ids(self._kept_ids, self._kept_current)
        self._kept_ids, self._kept_current = [], None


def _one_cell(text: str) -> str:
    """A cell's text with no tab or line break of its own, so it stays one cell of one row when pasted."""
    return " ".join(text.split()) if any(char in text for char in "\t\r\n") else text


def _sort_order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs, so a large selection is a few ranges, not one per row."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
