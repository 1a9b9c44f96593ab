"""Orders → Sort by: the table's sort from the keyboard, one entry per column and Reverse order.

It sorts as a click on the column's header does and follows the header, so the two always agree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from shipdesk.ui.orders_model import COLUMNS
from shipdesk.ui.orders_table import OrdersTable

# One mnemonic each, none taken twice within the menu.
_MENU_NAMES = {
    "order_number": "&Order #",
    "order_date": "&Date",
    "ship_name": "&Recipient",
    "ship_country": "&Country",
    "item_count": "&Items",
    "weight": "&Weight",
    "store": "S&tore",
    "status": "&Status",
}


class SortMenu(QMenu):
    def __init__(self, table: OrdersTable, parent: QWidget | None = None) -> None:
        super().__init__("Sort &by", parent)
        self._table = table
        self._columns = QActionGroup(self)
        for number, column in enumerate(COLUMNS):
            action = QAction(_MENU_NAMES.get(column.sort_key, column.heading), self)
            action.setCheckable(True)
            action.setData(number)
            action.triggered.connect(lambda _checked=False, number=number: self.sort_by(number))
            self._columns.addAction(action)
            self.addAction(action)
        self.addSeparator()
        self.reverse_action = QAction("Re&verse order", self)
        self.reverse_action.setStatusTip("Oldest first instead of newest, A to Z instead of Z to A, and back")
        self.reverse_action.triggered.connect(self.reverse)
        self.addAction(self.reverse_action)
        table.horizontalHeader().sortIndicatorChanged.connect(self._show_sort)
        self.aboutToShow.connect(self._offer_shown_columns)
        self._show_sort()

    def sort_by(self, column: int) -> None:
        """Sorts by the column in the order a first click on its header gives."""
        self._table.sortByColumn(column, COLUMNS[column].first_click)

    def reverse(self) -> None:
        header = self._table.horizontalHeader()
        ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
        order = Qt.SortOrder.DescendingOrder if ascending else Qt.SortOrder.AscendingOrder
        self._table.sortByColumn(header.sortIndicatorSection(), order)

    def _offer_shown_columns(self) -> None:
        for action in self._columns.actions():
            action.setVisible(not self._table.isColumnHidden(action.data()))

    def _show_sort(self) -> None:
        sorted_by = self._table.horizontalHeader().sortIndicatorSection()
        for action in self._columns.actions():
            action.setChecked(action.data() == sorted_by)
