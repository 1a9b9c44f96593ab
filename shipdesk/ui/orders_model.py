"""The orders table's model: the sorted ids of the current query, and their rows fetched when shown.

SQL sorts and filters to a list of ids, then the model resets; rows come from the cache a page at a
time as the view asks for them, so 100,000 orders cost one list of ints and the rows on screen.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, OrderRow, fetch_rows, list_order_ids, longest_order_number
from shipdesk.domain import OrderStatus, on_hold_words, status_words
from shipdesk.ui.order_text import date_text, weight_text
from shipdesk.ui.plain_tooltip import plain_tooltip

ORDER_ID_ROLE = Qt.ItemDataRole.UserRole
# data() runs for every cell and role on each paint: plain ints compare faster than Qt enum members.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_ORDER_ID = ORDER_ID_ROLE.value

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_HELD_COLOUR = QColor("#b35900")
_INACTIVE_COLOUR = QColor("#808080")
_ROWS_A_QUERY = 500  # ids bound to one IN (...) list, well under SQLite's variable limit


@dataclass(frozen=True, slots=True)
class Column:
    heading: str
    sort_key: str  # a key of cache.orders.SORT_COLUMNS
    text: Callable[[OrderRow], str]
    sample: str  # a wide typical value, to size the column without reading every row
    alignment: Qt.AlignmentFlag = _LEFT
    first_click: Qt.SortOrder = Qt.SortOrder.AscendingOrder  # the order a first click on the header sorts in


COLUMNS: tuple[Column, ...] = (
    Column("Order #", "order_number", lambda row: row.order_number, "100000000"),
    Column(
        "Date",
        "order_date",
        lambda row: date_text(row.order_date),
        "2026-12-31 23:59",
        first_click=Qt.SortOrder.DescendingOrder,
    ),
    Column("Recipient", "ship_name", lambda row: row.ship_name, "Łukasz Wiśniewski-Kowal"),
    Column("Country", "ship_country", lambda row: row.ship_country, "GB"),
    Column("Items", "item_count", lambda row: f"{row.item_count:,}", "000", _RIGHT),
    Column("Weight", "weight", lambda row: weight_text(row.weight_grams), "000.00 kg", _RIGHT),
    Column("Store", "store", lambda row: row.store, "Demo store"),
    # Last, so it takes the table's spare width: a hold reason says what to put right. Its sample is the least room
    # it gets; a reason longer than the room there is ends in "…", and its tooltip and the detail pane say it whole.
    Column("Status", "status", lambda row: status_words(row.status, row.hold_reason), "On hold: no ship-to address"),
)
STATUS_COLUMN = next(number for number, column in enumerate(COLUMNS) if column.sort_key == "status")
STORE_COLUMN = next(number for number, column in enumerate(COLUMNS) if column.sort_key == "store")
ORDER_NUMBER_COLUMN = next(number for number, column in enumerate(COLUMNS) if column.sort_key == "order_number")
_ALIGNMENTS = tuple(column.alignment for column in COLUMNS)
_WHOLE_TEXT_TIPS = frozenset(
    number for number, column in enumerate(COLUMNS) if column.sort_key in ("order_number", "ship_name", "store")
)


@dataclass(frozen=True, slots=True)
class _ShownRow:
    """One fetched order with its cell texts worked out once, not on every paint."""

    order: OrderRow
    texts: tuple[str, ...]
    colour: QColor | None
    status_tip: str | None


def _shown(order: OrderRow) -> _ShownRow:
    return _ShownRow(
        order=order,
        texts=tuple(column.text(order) for column in COLUMNS),
        colour=_status_colour(order.status),
        status_tip=f"Kept {on_hold_words(order.hold_reason)}" if order.hold_reason else None,
    )


class OrdersModel(QAbstractTableModel):
    """Rows are orders of the current query; `ORDER_ID_ROLE` gives a row's order id."""

    PAGE_SIZE = 100
    MAX_PAGES = 20  # rows kept: enough for a screen and some scrolling either way

    def __init__(self, cache: Cache, query: OrderQuery | None = None) -> None:
        super().__init__()
        self._cache = cache
        self._query = query or OrderQuery()
        self._kept: frozenset[int] = frozenset()  # orders shown whatever their status, until the filters change
        self._ids: list[int] = list_order_ids(cache, self._query)
        self._pages: OrderedDict[int, dict[int, _ShownRow]] = OrderedDict()
        self._row_of_id: dict[int, int] | None = None
        self._longest_order_number = longest_order_number(cache)

    @property
    def query(self) -> OrderQuery:
        return self._query

    @property
    def cached_row_count(self) -> int:
        """How many rows are held in memory; stays small however many orders there are."""
        return sum(len(page) for page in self._pages.values())

    @property
    def longest_order_number(self) -> str:
        """The longest order number cached, as of the last reload: the table sizes its column by it."""
        return self._longest_order_number

    def set_query(self, query: OrderQuery) -> None:
        self._query = query
        self._reset()

    def set_filters(self, *, search: str, status: OrderStatus | None, store: str | None) -> None:
        """A new search or filter, keeping the current sort; the orders kept in view leave it."""
        self._kept = frozenset()
        self.set_query(replace(self._query, search=search, status=status, store=store))

    def reload_keeping(self, order_ids: Collection[int]) -> None:
        """Reloads, still showing these orders where the status filter would hide them now, until the filters change.

        Orders just printed turn Shipped: in a list of those awaiting shipment they would vanish with their selection,
        and the packer could not go on to print their packing slips.
        """
        self._kept = frozenset(order_ids)
        self.reload()

    def reload(self) -> None:
        """Reads the ids again and forgets every fetched row, e.g. after orders were shipped or imported."""
        self._longest_order_number = longest_order_number(self._cache)
        self._reset()

    def _reset(self) -> None:
        self.beginResetModel()
        self._ids = self._listed_ids()
        self._pages.clear()
        self._row_of_id = None
        self.endResetModel()

    def _listed_ids(self) -> list[int]:
        ids = list_order_ids(self._cache, self._query)
        if not self._kept or self._query.status is None:
            return ids
        listed = set(ids)
        if self._kept <= listed:
            return ids
        # The kept orders take their place in the sort among the others: the same query without its status filter.
        listed |= self._kept
        every_status = list_order_ids(self._cache, replace(self._query, status=None))
        return [order_id for order_id in every_status if order_id in listed]

    def order_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, order_id: int) -> int | None:
        if self._row_of_id is None:
            self._row_of_id = {order_id: row for row, order_id in enumerate(self._ids)}
        return self._row_of_id.get(order_id)

    def order_row(self, row: int) -> OrderRow | None:
        """The row's cached data, fetched with its page on first use; None if the order is gone."""
        shown = self._shown_row(row)
        return None if shown is None else shown.order

    def refresh_order(self, order_id: int) -> None:
        """Reads the order's row again where it is held, so the table says what the detail pane says of it.

        Another program (`shipdesk import-csv`, a second window) may have changed it since its page was fetched.
        """
        row = self.row_of(order_id)
        page = None if row is None else self._pages.get(row // self.PAGE_SIZE)
        if row is None or page is None or order_id not in page:
            return  # not fetched yet: it is read as it is now once shown
        fresh = fetch_rows(self._cache, [order_id]).get(order_id)
        if fresh is not None and fresh != page[order_id].order:
            page[order_id] = _shown(fresh)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def row_texts(self, rows: Sequence[int], columns: Sequence[int]) -> list[tuple[str, ...]]:
        """The texts the rows show in those columns, row by row; an order gone from the cache is left out.

        Read a few hundred orders a query, past the rows kept for the screen: a copy of every order must neither
        take a query per page nor push the rows on screen out.
        """
        texts: list[tuple[str, ...]] = []
        for start in range(0, len(rows), _ROWS_A_QUERY):
            ids = [self._ids[row] for row in rows[start : start + _ROWS_A_QUERY]]
            fetched = fetch_rows(self._cache, ids)
            texts.extend(
                tuple(COLUMNS[column].text(order) for column in columns)
                for order in (fetched.get(order_id) for order_id in ids)
                if order is not None
            )
        return texts

    def _shown_row(self, row: int) -> _ShownRow | None:
        page_number = row // self.PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            start = page_number * self.PAGE_SIZE
            fetched = fetch_rows(self._cache, self._ids[start : start + self.PAGE_SIZE])
            page = {order_id: _shown(order) for order_id, order in fetched.items()}
            self._pages[page_number] = page
            if len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page.get(self._ids[row])

    # ------------------------------------------------------------------ QAbstractTableModel

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> object:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._ids):
            return None
        if role == _ALIGNMENT:
            return _ALIGNMENTS[index.column()]
        if role == _ORDER_ID:
            return self._ids[row]
        if role != _DISPLAY and role != _FOREGROUND and role != _TOOLTIP:
            return None
        shown = self._shown_row(row)
        if shown is None:
            return None
        if role == _DISPLAY:
            return shown.texts[index.column()]
        if role == _FOREGROUND:
            return shown.colour
        column = index.column()
        if column == STATUS_COLUMN:
            return None if shown.status_tip is None else plain_tooltip(shown.status_tip)
        # Texts that may be cut short in a narrow window; the others are short by nature.
        return plain_tooltip(shown.texts[column]) if column in _WHOLE_TEXT_TIPS else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].heading
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return COLUMNS[section].alignment
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            return COLUMNS[section].first_click
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = COLUMNS[column].sort_key
        if (key, descending) == (self._query.sort, self._query.descending):
            return  # the view asks once when sorting is switched on; the ids are already in that order
        self.set_query(replace(self._query, sort=key, descending=descending))

    def column_of_sort(self) -> int:
        return next((number for number, column in enumerate(COLUMNS) if column.sort_key == self._query.sort), 1)


def _status_colour(status: OrderStatus) -> QColor | None:
    if status is OrderStatus.ON_HOLD:
        return _HELD_COLOUR
    if status in (OrderStatus.CANCELLED, OrderStatus.SHIPPED):
        return _INACTIVE_COLOUR
    return None
