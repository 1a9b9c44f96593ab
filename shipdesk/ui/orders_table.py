"""The orders table view: fixed row height, columns sized from samples, and a selection that survives reloads.

Nothing here reads every row: with 100,000 orders, measuring contents would take longer than the data.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from shipdesk.ui.orders_model import COLUMNS, OrdersModel

_CELL_PADDING = 24  # the style's margins either side of a cell's text
_SORT_ARROW_ROOM = 28


class OrdersTable(QTableView):
    def __init__(self, model: OrdersModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kept_ids: list[int] = []
        self._kept_current: int | None = None
        self.setModel(model)
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
        self._size_columns()
        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setStretchLastSection(True)
        columns.setSortIndicator(model.column_of_sort(), _sort_order(model.query.descending))
        self.setSortingEnabled(True)
        model.modelAboutToBeReset.connect(self._keep_selection)
        model.modelReset.connect(self._restore_selection)

    def orders_model(self) -> OrdersModel:
        model = self.model()
        assert isinstance(model, OrdersModel)
        return model

    def selected_order_ids(self) -> list[int]:
        """The selected orders, top to bottom as the table shows them."""
        model = self.orders_model()
        return [model.order_id(row) for row in sorted(index.row() for index in self.selectionModel().selectedRows())]

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

    def _size_columns(self) -> None:
        metrics = self.fontMetrics()
        header_metrics = self.horizontalHeader().fontMetrics()
        for number, column in enumerate(COLUMNS):
            width = max(
                metrics.horizontalAdvance(column.sample) + _CELL_PADDING,
                header_metrics.horizontalAdvance(column.heading) + _SORT_ARROW_ROOM,
            )
            self.setColumnWidth(number, width)

    def _keep_selection(self) -> None:
        self._kept_ids = self.selected_order_ids()
        self._kept_current = self.current_order_id()

    def _restore_selection(self) -> None:
        if self._kept_ids:
            self.select_order_ids(self._kept_ids, self._kept_current)
        self._kept_ids, self._kept_current = [], None


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
