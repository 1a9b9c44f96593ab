"""The CSV connector: an order file with one row per line item (ShipStation-style, or a store's own order export such
as WooCommerce's, Etsy's, eBay's, Squarespace's or Amazon's) read into plain orders.

It decodes (csv_text), finds the headings below any title lines (csv_headings), checks every row (its cells:
csv_values), groups rows by order number and sets aside what is no item (an order's summary row, a report's
footer); it never opens the cache.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from shipdesk.countries import country_code
from shipdesk.domain import Address, Item, Order, OrderStatus, Weight, parse_weight_unit
from shipdesk.upstream.csv_headings import (
    FIELD_HEADINGS,
    ITEM_CELLS,
    SHIP_TO_FIELDS,
    Columns,
    Heading,
    find_heading,
    heading_key,
)
from shipdesk.upstream.csv_text import NOT_UTF8, CsvFileError, allow_long_values, decode, quoting, read_csv_bytes
from shipdesk.upstream.csv_values import (
    BOOLEANS,
    US_DATE,
    WEIGHT_WITH_UNIT,
    currency_code,
    decimal_mark,
    in_quotes,
    item_options,
    multiline,
    parse_amount,
    parse_date,
    parse_money,
    whole_number,
)

if TYPE_CHECKING:
    from _csv import Reader as CsvReader
    from collections.abc import Callable, Iterable

__all__ = [
    "MAX_QUANTITY",
    "NOT_UTF8",
    "ON_HOLD_IN_STORE",
    "PARTLY_SHIPPED",
    "CsvFileError",
    "CsvOrders",
    "RowProblem",
    "parse_orders_csv",
    "read_orders_csv",
]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One row that was not imported (or imported with a remark), by its physical line in the file."""

    line_number: int  # 1-based; the heading is line 1, and a row with a multi-line value counts from its start
    reason: str
    order_number: str = ""
    # For a row whose order number is missing or unreadable: the order of the row above, which it may belong to.
    neighbour: str = ""


@dataclass(slots=True)
class CsvOrders:
    """What a CSV file holds: the orders, and what could not be taken as it was."""

    file_name: str
    orders: list[Order]
    lines_read: int  # data rows, one per line item; the heading and blank lines are not counted
    skipped: list[RowProblem] = field(default_factory=list)
    ship_to_differences: list[RowProblem] = field(default_factory=list)  # rows whose ship-to lost to the first row's
    unused_headings: list[str] = field(default_factory=list)
    # Rows imported with a value left out (a gift flag or a weight that could not be read), and lines read as
    # Windows-1252 in a UTF-8 file.
    remarks: list[RowProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # about the file as a whole, such as its encoding


# ----------------------------------------------------------------------------- rows to orders

_SKU_AT = ITEM_CELLS.index("sku")
_NAME_AT = ITEM_CELLS.index("item_name")
_QUANTITY_AT = ITEM_CELLS.index("quantity")
_PRICE_AT = ITEM_CELLS.index("unit_price")
MAX_QUANTITY = 99_999  # ShipStation's own bound for an item's quantity

_ORDER_TEXT_FIELDS = (
    "gift_message",
    "customer_notes",
    "internal_notes",
    "custom_field1",
    "custom_field2",
    "custom_field3",
    "requested_service",
    "currency",
    "status",
    "payment_status",
    "shipped_date",
    "cancelled_date",
)
_ORDER_AMOUNT_FIELDS = ("order_total", "tax", "shipping_paid")
_POSTAL_CODE_AT = SHIP_TO_FIELDS.index("postal_code")
_COUNTRY_AT = SHIP_TO_FIELDS.index("country")
_PHONE_AT = SHIP_TO_FIELDS.index("phone")  # the address proper comes before it; phone and e-mail after
# The cells of a row that belong to its order, in the order they are read (its item's: ITEM_CELLS).
_ORDER_CELLS = ("order_date", "gift", *_ORDER_AMOUNT_FIELDS, *_ORDER_TEXT_FIELDS, *SHIP_TO_FIELDS)
_SHIP_TO_AT = _ORDER_CELLS.index(SHIP_TO_FIELDS[0])
_NAMES_AT = len(_ORDER_CELLS)
# Read after the order's cells, and joined into the name, in a file with no full-name column.
_NAME_PARTS = ("first_name", "last_name")


class _Currency(NamedTuple):
    """A currency a row names, and how it names it: in its currency column, or with the symbol on an amount."""

    code: str  # "GBP"
    written: str  # as quoted in a message: "'USD'" (the column's), "'£18.50'" (an amount)
    in_column: bool = False


class _OrderPart:
    """The order-level values of an order so far; the first row that has a value gives it."""

    __slots__ = ("amounts", "currency", "date", "date_text", "gift", "ship_to", "texts")

    def __init__(
        self,
        date: datetime | None,
        gift: bool | None,
        amounts: dict[str, Decimal],
        texts: dict[str, str],
        ship_to: tuple[str, ...],
        date_text: str = "",
        currency: _Currency | None = None,
    ) -> None:
        self.date = date
        self.date_text = date_text  # as written: a file found to write days first reads 05/01 again
        self.gift = gift
        self.amounts = amounts
        self.texts = texts
        self.ship_to = ship_to
        self.currency = currency  # the one its currency column or amounts name, if any


class _NotedItem:
    """The item of a row with more to it than the item: a value that could not be read and was left out (the remarks
    say which), or the currency the symbol on its price names."""

    __slots__ = ("currency", "item", "remarks")

    def __init__(self, item: Item, remarks: list[str], currency: _Currency | None = None) -> None:
        self.item = item
        self.remarks = remarks
        self.currency = currency


class _Draft:
    """An order being put together from its rows."""

    __slots__ = (
        "cells",
        "cells_currency",
        "currency",
        "currency_line",
        "first_line",
        "items",
        "lines",
        "number",
        "part",
        "ship_to_line",
        "two_currencies",
    )

    def __init__(self, number: str, cells: tuple[str, ...], part: _OrderPart, line: int) -> None:
        self.number = number
        self.cells = cells  # the order-level cells of its first row, as written
        self.cells_currency = part.currency  # the currency those cells name
        self.part = part
        self.first_line = line
        self.ship_to_line = line if any(part.ship_to) else 0
        self.items: list[Item] = []
        self.lines: list[int] = []  # of every row taken into it, to refuse them all if it turns out unreadable
        self.currency: _Currency | None = None  # the first its rows name, on `currency_line`
        self.currency_line = 0
        self.two_currencies = ""  # why it is refused, when its rows name two currencies


class _SetAside:
    """A row with no item to pack, decided on once every row is read: an order's summary row (eBay writes one above
    the items of a multi-item order), a line Amazon has already shipped, a report's footer, or a row to skip."""

    __slots__ = ("cells", "line", "number", "price", "problems", "quantity", "short", "text")

    def __init__(
        self, line: int, number: str, cells: tuple[str, ...], item_cells: tuple[str, ...], problems: list[str]
    ) -> None:
        self.line = line
        self.number = number
        self.cells = cells  # its order-level cells
        self.quantity = item_cells[_QUANTITY_AT].strip()
        self.price = item_cells[_PRICE_AT].strip()
        self.problems = problems  # why its item cannot be read
        self.short = False  # far fewer cells than the headings, as a footer has
        self.text = ""  # its cells, for a footer's notice


class _RowReader:
    """Reads the data rows of one file; an object so its caches live exactly as long as the file."""

    def __init__(self, columns: Columns, width: int, decimal_comma: bool, zone: tzinfo | None) -> None:
        # Fields the file lacks point one past the last column, where every row gets an empty cell.
        self.at = {name: columns.index.get(name, width) for name in FIELD_HEADINGS}
        # The columns keep first and last names only where no full-name column is chosen (csv_headings).
        joins_names = any(part in columns.index for part in _NAME_PARTS)
        self.order_fields = _ORDER_CELLS + _NAME_PARTS if joins_names else _ORDER_CELLS
        self.width = width
        self.heading_unit = columns.weight_unit
        self.quantity_to_ship = columns.quantity_to_ship
        self.paid_at = columns.index.get("paid_date")
        self.decimal_comma = decimal_comma
        self.zone = zone
        self.dates: dict[str, datetime | None] = {}
        self.day_first_seen = False  # a date such as 31/12/2026: only day first makes sense of it
        self.month_first_seen = False  # a date such as 12/31/2026
        self.countries: dict[str, str | None] = {}
        self.drafts: dict[str, _Draft] = {}
        self.skipped: list[RowProblem] = []
        self.differences: list[RowProblem] = []
        self.remarks: list[RowProblem] = []
        self.set_aside: list[_SetAside] = []
        self.left_out: list[tuple[int, str]] = []  # lines that are not orders, such as a report's footer
        self.lines_read = 0
        self.damaged_quotes = False
        self.sorted_by_line = False  # skipped rows and remarks sorted by line after they were all read

    def read(self, reader: CsvReader, offset: int) -> None:
        """Take every data row after the heading.

        `offset` turns the reader's count of lines into physical line numbers (blank lines above the heading).
        """
        width = self.width
        i_number = self.at["order_number"]
        order_cells_of = itemgetter(*(self.at[name] for name in self.order_fields))
        item_cells_of = itemgetter(*(self.at[name] for name in ITEM_CELLS))
        # The same product in the same quantity comes back row after row: read its cells once.
        items: dict[tuple[str, ...], Item | _NotedItem | list[str]] = {}
        drafts = self.drafts
        lines_read = 0
        last_line = offset + reader.line_num
        previous_number = ""
        while True:
            try:
                for row in reader:
                    start = last_line + 1
                    last_line = offset + reader.line_num
                    count = len(row)
                    if count != width:
                        if not count:
                            continue
                        # A row set aside or refused here still names the order a row below without a number may
                        # belong to: as read from the top, so too in a stretch that starts with it.
                        if count < width:
                            row.extend([""] * (width - count))
                            if count * 2 <= width and self._set_aside_short(row, start, order_cells_of):
                                previous_number = row[i_number].strip() or previous_number
                                continue
                        elif any(cell.strip() for cell in row[width:]):
                            lines_read += 1
                            self._skip(start, self._too_many_values(count, start, last_line), row[i_number])
                            previous_number = row[i_number].strip() or previous_number
                            continue
                        else:
                            del row[width:]
                    row.append("")
                    number = row[i_number].strip()
                    if not number:
                        if any(cell.strip() for cell in row):
                            lines_read += 1
                            self._without_number(row, start, previous_number)
                        continue
                    previous_number = number
                    lines_read += 1
                    item_cells: tuple[str, ...] = item_cells_of(row)
                    item = items.get(item_cells)
                    if item is None:
                        item = items[item_cells] = self._item(item_cells)
                    order_cells: tuple[str, ...] = order_cells_of(row)
                    draft = drafts.get(number)
                    if draft is not None and order_cells == draft.cells:
                        if isinstance(item, Item):
                            draft.items.append(item)
                            draft.lines.append(start)
                        elif isinstance(item, _NotedItem):
                            self._add_noted_item(draft, item, start)
                        elif not self._set_aside_itemless(start, number, order_cells, item_cells, item):
                            self._skip(start, "; ".join(item), number)
                        continue
                    if isinstance(item, list) and self._set_aside_itemless(
                        start, number, order_cells, item_cells, item
                    ):
                        continue
                    remarks: list[str] = []
                    part = self._order_part(order_cells, remarks)
                    if isinstance(item, list) or not isinstance(part, _OrderPart):
                        problems = [
                            *(item if isinstance(item, list) else ()),
                            *(() if isinstance(part, _OrderPart) else part),
                        ]
                        self._skip(start, "; ".join(problems), number)
                        continue
                    currency = part.currency
                    if isinstance(item, _NotedItem):
                        row_currency = _row_currency((currency, item.currency))
                        if isinstance(row_currency, str):
                            self._skip(start, row_currency, number)
                            continue
                        currency = row_currency
                        remarks.extend(item.remarks)
                        item = item.item
                    if remarks:
                        self._remark(start, remarks, number)
                    if draft is None:
                        draft = drafts[number] = _Draft(number, order_cells, part, start)
                    else:
                        self._merge(draft, part, start)
                    if currency is not None:
                        self._name_currency(draft, currency, start)
                    draft.items.append(item)
                    draft.lines.append(start)
                self.lines_read = lines_read
                self._settle_set_aside()
                self._read_dates_day_first()
                self._refuse_orders_in_two_currencies()
                return
            except csv.Error as error:
                # Only a damaged quote gets here; the reader carries on with the next line.
                start, last_line = last_line + 1, offset + reader.line_num
                lines_read += 1
                self.damaged_quotes = True
                self._skip(start, _quote_problem(str(error), start, last_line), "", neighbour=previous_number)

    def _add_noted_item(self, draft: _Draft, noted: _NotedItem, line: int) -> None:
        """The item of a row with the same order cells as the order's first row, unless its price names a currency
        that those cells contradict."""
        if noted.currency is not None:
            currency = _row_currency((draft.cells_currency, noted.currency))
            if isinstance(currency, str):
                self._skip(line, currency, draft.number)
                return
            if currency is not None:
                self._name_currency(draft, currency, line)
        draft.items.append(noted.item)
        draft.lines.append(line)
        if noted.remarks:
            self._remark(line, noted.remarks, draft.number)

    @staticmethod
    def _name_currency(draft: _Draft, currency: _Currency, line: int) -> None:
        """A row of the order on `line` names `currency`: the order's, unless an earlier row named another."""
        known = draft.currency
        if known is None:
            draft.currency, draft.currency_line = currency, line
        elif currency.code != known.code and not draft.two_currencies:
            (first_line, first), (second_line, second) = sorted(
                ((draft.currency_line, known.code), (line, currency.code))
            )
            draft.two_currencies = (
                f"order {draft.number} names two currencies, {first} on line {first_line} and {second} on line"
                f" {second_line}: its rows are not imported; write an order's amounts in one currency"
            )

    def _refuse_orders_in_two_currencies(self) -> None:
        """Refuse every row of the orders whose rows name two currencies: which one was paid in cannot be known."""
        refused = {draft.number: draft for draft in self.drafts.values() if draft.two_currencies}
        if not refused:
            return
        for number, draft in refused.items():
            del self.drafts[number]
            for line in sorted(draft.lines):
                self._skip(line, draft.two_currencies, number)
        self.remarks = [remark for remark in self.remarks if remark.order_number not in refused]
        self.differences = [difference for difference in self.differences if difference.order_number not in refused]
        self.skipped.sort(key=attrgetter("line_number"))
        self.sorted_by_line = True

    def _without_number(self, row: list[str], line: int, previous_number: str) -> None:
        """A row with no order number: a sale not paid for yet, or a row the order above may have lost."""
        if self.paid_at is not None and not row[self.paid_at].strip():
            self._remark(line, ["it has no order number and is not paid yet, so it is not imported"], "")
        else:
            self._skip(line, "it has no order number", "", neighbour=previous_number)

    def _set_aside_itemless(
        self, line: int, number: str, cells: tuple[str, ...], item_cells: tuple[str, ...], problems: list[str]
    ) -> bool:
        """Set aside a row that has no item to pack: no name and no SKU, or nothing left to ship."""
        named = item_cells[_SKU_AT].strip() or item_cells[_NAME_AT].strip()
        if named and not self._nothing_to_ship(item_cells[_QUANTITY_AT].strip()):
            return False
        self.set_aside.append(_SetAside(line, number, cells, item_cells, problems))
        return True

    def _nothing_to_ship(self, quantity: str) -> bool:
        """Whether a row's quantity says its line is shipped already: 0 in Amazon's quantity-to-ship."""
        return self.quantity_to_ship and whole_number(quantity) == 0

    def _set_aside_short(
        self, row: list[str], line: int, order_cells_of: Callable[[list[str]], tuple[str, ...]]
    ) -> bool:
        """Set aside a row with far fewer cells than the headings and no item, such as a report's footer."""
        padded = [*row, ""]  # fields the file lacks point one past the last column
        item_cells = tuple(padded[self.at[name]] for name in ITEM_CELLS)
        if any(item_cells[at].strip() for at in (_SKU_AT, _NAME_AT, _QUANTITY_AT)):
            return False
        number = padded[self.at["order_number"]].strip()
        aside = _SetAside(line, number, order_cells_of(padded), item_cells, [])
        aside.short = True
        aside.text = " ".join(cell.strip() for cell in row if cell.strip())
        self.set_aside.append(aside)
        return True

    def _settle_set_aside(self) -> None:
        """Decide on the rows set aside, now that every order has all its items."""
        for aside in self.set_aside:
            draft = self.drafts.get(aside.number) if aside.number else None
            shipped = len(aside.problems) == 1 and self._nothing_to_ship(aside.quantity)
            if draft is not None and draft.items and (shipped or self._sums_up(aside, draft)):
                self._take_order_values(aside, draft)
            elif aside.short:
                if not _REPORT_FOOTER.match(aside.text):
                    self.left_out.append((aside.line, aside.text))
            elif shipped:
                self._remark(aside.line, ["nothing is left to ship on it (quantity to ship is 0)"], aside.number)
            else:
                remarks: list[str] = []
                part = self._order_part(aside.cells, remarks)
                problems = [*aside.problems, *(() if isinstance(part, _OrderPart) else part)]
                self._skip(aside.line, "; ".join(problems), aside.number)
        if self.set_aside:
            self.skipped.sort(key=attrgetter("line_number"))
            self.remarks.sort(key=attrgetter("line_number"))
            self.sorted_by_line = True

    @staticmethod
    def _sums_up(aside: _SetAside, draft: _Draft) -> bool:
        """Whether a row without an item is the order's own: it has no quantity, or it sums up the items below it."""
        if not aside.quantity:
            return True
        if aside.line > draft.first_line or whole_number(aside.quantity) != sum(item.quantity for item in draft.items):
            return False
        if not aside.price:
            return True
        price = parse_amount(aside.price, decimal_comma=False)
        line_totals = sum(item.unit_price * item.quantity for item in draft.items)
        return price in (line_totals, sum(item.unit_price for item in draft.items))

    def _take_order_values(self, aside: _SetAside, draft: _Draft) -> None:
        remarks: list[str] = []
        part = self._order_part(aside.cells, remarks)
        if not isinstance(part, _OrderPart):
            self._skip(aside.line, "; ".join(part), aside.number)
            return
        if remarks:
            self._remark(aside.line, remarks, aside.number)
        if aside.line < draft.first_line:
            self._merge_summary(draft, part, aside.line)
        else:
            self._merge(draft, part, aside.line)
        draft.lines.append(aside.line)
        if part.currency is not None:
            self._name_currency(draft, part.currency, aside.line)

    def _merge_summary(self, draft: _Draft, summary: _OrderPart, line: int) -> None:
        """An order's summary row above its items: its order-level values are the order's, the items' fill gaps."""
        known = draft.part
        if summary.date is None:
            summary.date, summary.date_text = known.date, known.date_text
        if summary.gift is None:
            summary.gift = known.gift
        summary.amounts = known.amounts | summary.amounts
        summary.texts = known.texts | summary.texts
        if not any(summary.ship_to[:_PHONE_AT]):
            summary.ship_to = tuple(old or new for old, new in zip(known.ship_to, summary.ship_to, strict=True))
        else:
            if draft.ship_to_line and known.ship_to[:_PHONE_AT] != summary.ship_to[:_PHONE_AT]:
                self.differences.append(
                    RowProblem(
                        draft.ship_to_line,
                        f"its ship-to differs from line {line} of order {draft.number};"
                        f" the address on line {line} is kept, and the order is held until someone checks",
                        draft.number,
                    )
                )
            summary.ship_to = tuple(new or old for new, old in zip(summary.ship_to, known.ship_to, strict=True))
            draft.ship_to_line = line
        draft.part = summary

    def _read_dates_day_first(self) -> None:
        """In a file that writes days first (and never months first), 05/01/2026 is the 5th of January."""
        if not self.day_first_seen or self.month_first_seen:
            return
        for draft in self.drafts.values():
            text = draft.part.date_text
            if text and US_DATE.fullmatch(text):
                draft.part.date = parse_date(text, self.zone, day_first=True)

    def _merge(self, draft: _Draft, part: _OrderPart, line: int) -> None:
        """A later row of an order that gives its order-level cells differently: fill what the order lacks."""
        known = draft.part
        if known.date is None:
            known.date, known.date_text = part.date, part.date_text
        if known.gift is None:
            known.gift = part.gift
        for name, amount in part.amounts.items():
            known.amounts.setdefault(name, amount)
        for name, text in part.texts.items():
            known.texts.setdefault(name, text)
        if not any(part.ship_to[:_PHONE_AT]):
            # No address on this row, at most a phone or e-mail (exports repeat those): it fills what is missing.
            known.ship_to = tuple(old or new for old, new in zip(known.ship_to, part.ship_to, strict=True))
            return
        if not draft.ship_to_line:
            known.ship_to, draft.ship_to_line = part.ship_to, line
        elif part.ship_to[:_PHONE_AT] != known.ship_to[:_PHONE_AT]:
            first = draft.ship_to_line
            self.differences.append(
                RowProblem(
                    line,
                    f"its ship-to differs from line {first} of order {draft.number};"
                    f" the address on line {first} is kept, and the order is held until someone checks",
                    draft.number,
                )
            )

    def _skip(self, line: int, reason: str, number: str, *, neighbour: str = "") -> None:
        self.skipped.append(RowProblem(line, reason, number.strip(), neighbour))

    def _remark(self, line: int, remarks: list[str], number: str) -> None:
        self.remarks.append(RowProblem(line, "; ".join(remarks), number))

    def _too_many_values(self, count: int, start: int, end: int) -> str:
        reason = f"it has {count} values but the heading line has {self.width}"
        if end > start:
            reason += f" (lines {start}–{end} were read as one row: check the quotes on line {start})"
        return reason

    def _order_part(self, cells: tuple[str, ...], remarks: list[str]) -> _OrderPart | list[str]:
        """The order-level values of one row, or what is wrong with them; a value left out adds to `remarks`."""
        problems: list[str] = []
        date_text, gift_text = cells[0].strip(), cells[1].strip()
        date = self._date(date_text, problems) if date_text else None
        gift = BOOLEANS.get(gift_text.lower()) if gift_text else None
        if gift_text and gift is None:
            # Only the packing slip's gift note depends on it: the row is worth more than the flag.
            remarks.append(f"gift {in_quotes(gift_text)} is not yes or no, so the order is taken as not a gift")
        amounts: dict[str, Decimal] = {}
        named: list[_Currency] = []
        for name, cell in zip(_ORDER_AMOUNT_FIELDS, cells[2:], strict=False):
            text = cell.strip()
            if text:
                money = parse_money(text, self.decimal_comma)
                if money is None:
                    problems.append(f"{name.replace('_', ' ')} {in_quotes(text)} is not an amount")
                    continue
                amounts[name] = money[0]
                if money[1]:
                    named.extend(_Currency(code, in_quotes(text)) for code in money[1])
        first_text = 2 + len(_ORDER_AMOUNT_FIELDS)
        texts = {
            name: multiline(cell.strip())
            for name, cell in zip(_ORDER_TEXT_FIELDS, cells[first_text:], strict=False)
            if cell and not cell.isspace()
        }
        ship_to = [cell.strip() for cell in cells[_SHIP_TO_AT:_NAMES_AT]]
        if not ship_to[0] and len(cells) > _NAMES_AT:
            ship_to[0] = " ".join(name for cell in cells[_NAMES_AT:] if (name := cell.strip()))
        if ship_to[_COUNTRY_AT]:
            country = self._country(ship_to[_COUNTRY_AT], problems)
            ship_to[_COUNTRY_AT] = country or ""
        if ship_to[_POSTAL_CODE_AT]:
            ship_to[_POSTAL_CODE_AT] = _postal_code(ship_to[_POSTAL_CODE_AT], ship_to[_COUNTRY_AT])
        currency = _named_currency(texts.get("currency", ""), named, problems) if named or "currency" in texts else None
        return problems or _OrderPart(date, gift, amounts, texts, tuple(ship_to), date_text, currency)

    def _date(self, text: str, problems: list[str]) -> datetime | None:
        if text not in self.dates:
            parsed = parse_date(text, self.zone)
            written = US_DATE.fullmatch(text) if "/" in text else None
            if written is not None:
                if parsed is None:
                    # 31/12/2026 cannot be month first: the file writes days first.
                    parsed = parse_date(text, self.zone, day_first=True)
                    self.day_first_seen = self.day_first_seen or parsed is not None
                elif int(written["day"]) > 12:
                    self.month_first_seen = True
            self.dates[text] = parsed
        parsed = self.dates[text]
        if parsed is None:
            problems.append(f"order date {in_quotes(text)} is not a date (use YYYY-MM-DD HH:MM or MM/DD/YYYY)")
        return parsed

    def _country(self, text: str, problems: list[str]) -> str | None:
        if text not in self.countries:
            self.countries[text] = country_code(text)
        code = self.countries[text]
        if code is None:
            problems.append(f"country {in_quotes(text)} is not a country shipdesk knows (use the 2-letter code)")
        return code

    def _item(self, cells: tuple[str, ...]) -> Item | _NotedItem | list[str]:
        """The item one row describes, or what is wrong with it.

        Quantity, name or SKU, price and whether it ships decide what is packed and charged: a row that gets one
        wrong is refused. A weight that cannot be read is left out with a remark, as the packer can weigh the parcel.
        """
        sku, name, quantity_text, price_text, weight_text, unit_text, image, location, options, shipping = (
            cell.strip() for cell in cells
        )
        problems: list[str] = []
        quantity = whole_number(quantity_text)
        if quantity is None:
            problems.append(
                f"quantity {in_quotes(quantity_text)} is not a whole number" if quantity_text else "it has no quantity"
            )
        elif quantity < 1:
            problems.append(f"quantity {in_quotes(quantity_text)} must be 1 or more")
        elif quantity > MAX_QUANTITY:
            problems.append(f"quantity {in_quotes(quantity_text)} is too large (at most {MAX_QUANTITY:,})")
        if not (name or sku):
            problems.append("it has no item name or SKU")
        money = parse_money(price_text, self.decimal_comma) if price_text else _NO_PRICE
        price: Decimal | None = None
        currency: _Currency | None = None
        if money is None:
            problems.append(f"unit price {in_quotes(price_text)} is not an amount")
        else:
            price, codes = money
            currency = _price_currency(price_text, codes, problems) if codes else None
        weight_problems: list[str] = []
        weight = self._weight(weight_text, unit_text, weight_problems) if weight_text else None
        needs_shipping = BOOLEANS.get(shipping.lower()) if shipping else True
        if needs_shipping is None:
            problems.append(f"requires shipping {in_quotes(shipping)} is not yes or no")
        if problems:
            return problems
        assert quantity is not None and price is not None and needs_shipping is not None
        item = object.__new__(Item)  # built as shipdesk.upstream.shipstation_order_page._item builds one, and why
        Item.__init__(
            item,
            sku=sku,
            name=name or sku,
            quantity=quantity,
            unit_price=price,
            image_url=image,
            weight=weight,
            options=item_options(options) if options else (),
            warehouse_location=location,
            needs_shipping=needs_shipping,
            adjustment=price < 0,  # a discount written as a line of the order: it counts in the total, it is not packed
        )
        if weight_problems:
            return _NotedItem(item, [f"{weight_problems[0]}, so the item is imported without a weight"], currency)
        return item if currency is None else _NotedItem(item, [], currency)

    def _weight(self, text: str, unit_text: str, problems: list[str]) -> Weight | None:
        """A weight from '1.5' with the unit column (or the heading's unit), or from '1.5 lb' alone."""
        value = parse_amount(text, self.decimal_comma)
        if value is None:
            match = WEIGHT_WITH_UNIT.fullmatch(text)
            value = parse_amount(match[1], self.decimal_comma) if match else None
            if match is None or value is None:
                problems.append(f"weight {in_quotes(text)} is not a weight (write e.g. '1.5' or '1.5 lb')")
                return None
            unit_text = match[2]
        if value < 0:
            problems.append(f"weight {in_quotes(text)} is below zero")
            return None
        if unit_text:
            try:
                unit = parse_weight_unit(unit_text)
            except ValueError as error:
                problems.append(str(error))
                return None
        elif self.heading_unit is not None:
            unit = self.heading_unit
        else:
            problems.append(
                f"weight {in_quotes(text)} has no unit (write e.g. '{text} oz' or add a Weight Unit column)"
            )
            return None
        return Weight(value, unit) if value else None


_NO_PRICE: tuple[Decimal, tuple[str, ...]] = (Decimal(0), ())


def _price_currency(text: str, codes: tuple[str, ...], problems: list[str]) -> _Currency | None:
    """The currency the symbol on a unit price names; a price that names two adds to `problems`."""
    currency = _row_currency([_Currency(code, in_quotes(text)) for code in codes])
    if isinstance(currency, str):
        problems.append(currency)
        return None
    return currency


def _named_currency(column: str, named: list[_Currency], problems: list[str]) -> _Currency | None:
    """The currency a row's order cells name: its currency column's (which wins), else the one its amounts name. If
    they name two, why goes to `problems`."""
    if column:
        named.insert(0, _Currency(currency_code(column) or column.upper(), in_quotes(column), in_column=True))
    if not named:
        return None
    currency = _row_currency(named)
    if isinstance(currency, str):
        problems.append(currency)
        return None
    return currency


def _row_currency(named: Iterable[_Currency | None]) -> _Currency | str | None:
    """The one currency named in a row (the first given, as a currency column comes first and wins), or why two are."""
    first: _Currency | None = None
    for currency in named:
        if currency is None:
            continue
        if first is None:
            first = currency
        elif currency.code != first.code:
            return _two_currencies(first, currency)
    return first


def _two_currencies(first: _Currency, second: _Currency) -> str:
    if first.in_column:
        return (
            f"currency {first.written} does not match {second.written}, which is in {second.code}: correct one of them"
        )
    if first.written == second.written:
        return f"{first.written} names two currencies, {first.code} and {second.code}: write one"
    return (
        f"its amounts are in two currencies, {first.code} ({first.written}) and {second.code} ({second.written}):"
        " write an order's amounts in one currency"
    )


# Countries whose postal codes are all digits, this many, some with a leading zero that a spreadsheet drops when it
# reads the code as a number (Boston's 02108 saved as 2108, Darwin's 0800 as 800).
_POSTAL_CODE_DIGITS = {
    **dict.fromkeys(("US", "PR", "VI", "DE", "FR", "IT", "ES", "FI", "MX", "MY", "KR"), 5),
    **dict.fromkeys(("AU", "NZ", "NO", "ZA"), 4),
}


def _postal_code(text: str, country: str) -> str:
    """The postal code as the post writes it, from what a spreadsheet made of it: '02108 (marked as text, as Shopify
    writes it), ="02108" (a formula that keeps it as text), or 2108 (read as a number, its leading zero lost)."""
    if text.startswith("'"):
        text = text[1:].lstrip()
    elif text.startswith('="') and text.endswith('"'):
        text = text[2:-1].strip()
    digits = _POSTAL_CODE_DIGITS.get(country, 0)
    if digits - 2 <= len(text) < digits and text.isascii() and text.isdigit():
        text = text.zfill(digits)
    return text


# eBay's orders report ends with "12,record(s) downloaded,from Nov-01-26 to Nov-30-26" and "Seller ID : shop".
_REPORT_FOOTER = re.compile(r"\d+ record\(s\) downloaded|Seller ID\s*:", re.IGNORECASE)


def _quote_problem(error: str, start: int, end: int) -> str:
    if "end of data" in error:
        return f"a quote opened on it is never closed, so lines {start}–{end} could not be read"
    if "field limit" in error:
        lost = (
            f"lines {start}–{end} ({end - start + 1:,} lines) could not be read"
            if end > start
            else "it could not be read"
        )
        return f"a value in it is too long, probably a quote that is never closed: {lost}"
    return "a quoted value has text after its closing quote"


def _order(draft: _Draft, store: str, import_time: datetime) -> Order:
    part = draft.part
    name, company, street1, street2, street3, city, state, postal_code, country, phone, email = part.ship_to
    amounts, texts = part.amounts, part.texts
    shipping_paid = amounts.get("shipping_paid", Decimal(0))
    tax = amounts.get("tax", Decimal(0))
    order_total = amounts.get("order_total")
    if order_total is None:
        order_total = sum((item.unit_price * item.quantity for item in draft.items), shipping_paid + tax)
    get_text = texts.get
    status, hold_reason = _store_status(texts) if _STATUS_FIELDS & texts.keys() else (_AWAITING_SHIPMENT, "")
    ship_to = object.__new__(Address)  # as _RowReader._item builds an item, and for the same reason
    Address.__init__(
        ship_to,
        name=name,
        company=company,
        street1=street1,
        street2=street2,
        street3=street3,
        city=city,
        state=state,
        postal_code=postal_code,
        country=country,
        phone=phone,
        email=email,
    )
    order = object.__new__(Order)
    Order.__init__(
        order,
        store=store,
        upstream_id=draft.number,
        order_number=draft.number,
        order_date=part.date or import_time,
        status=status,
        hold_reason=hold_reason,
        customer_email=email,
        customer_phone=phone,
        ship_to=ship_to,
        items=tuple(draft.items),
        currency=draft.currency.code if draft.currency is not None else "USD",
        order_total=order_total,
        tax_amount=tax,
        shipping_paid=shipping_paid,
        requested_service=get_text("requested_service", ""),
        gift=bool(part.gift),
        gift_message=get_text("gift_message", ""),
        customer_notes=get_text("customer_notes", ""),
        internal_notes=get_text("internal_notes", ""),
        custom_field1=get_text("custom_field1", ""),
        custom_field2=get_text("custom_field2", ""),
        custom_field3=get_text("custom_field3", ""),
    )
    return order


_STATUS_FIELDS = frozenset(("status", "payment_status", "shipped_date", "cancelled_date"))
_AWAITING_SHIPMENT = OrderStatus.AWAITING_SHIPMENT
# A store's order status, as heading_key folds it ("Pending payment", WooCommerce's "wc-completed"), as shipdesk's;
# any other (processing, paid, unfulfilled, Squarespace's pending) is an order to pack.
_STORE_STATUSES = {
    **dict.fromkeys(("shipped", "completed", "complete", "fulfilled", "delivered", "dispatched"), OrderStatus.SHIPPED),
    **dict.fromkeys(
        ("cancelled", "canceled", "refunded", "failed", "voided", "void", "restocked", "trash"), OrderStatus.CANCELLED
    ),
    **dict.fromkeys(("pendingpayment", "awaitingpayment", "unpaid"), OrderStatus.AWAITING_PAYMENT),
    **dict.fromkeys(("onhold", "partial", "partiallyfulfilled", "partiallyshipped"), OrderStatus.ON_HOLD),
}
ON_HOLD_IN_STORE = "on hold in the store"
PARTLY_SHIPPED = "partly shipped already: check which items are left to pack"
PARTLY_REFUNDED = "partly refunded in the store: check which items are left to pack"
# A payment status, as heading_key folds it, that takes an order out of the packing queue unless it has shipped; any
# other (paid, authorized, pending: cash on delivery is paid at the door) leaves it to the order's status.
_PAYMENT_STATUSES = {
    **dict.fromkeys(("refunded", "voided"), (OrderStatus.CANCELLED, "")),
    "partiallyrefunded": (OrderStatus.ON_HOLD, PARTLY_REFUNDED),
}


def _store_status(texts: dict[str, str]) -> tuple[OrderStatus, str]:
    """The order's status from the store's status, its payment status, its shipped date or its cancelled date, and
    why it is held."""
    if texts.get("cancelled_date"):
        return OrderStatus.CANCELLED, ""
    word = heading_key(texts.get("status", "")).removeprefix("wc")
    status = _STORE_STATUSES.get(word)
    if status is None and texts.get("shipped_date"):
        status = OrderStatus.SHIPPED
    payment = _PAYMENT_STATUSES.get(heading_key(texts.get("payment_status", "")))
    if payment is not None and status is not OrderStatus.SHIPPED:
        return payment
    if status is OrderStatus.ON_HOLD:
        return status, ON_HOLD_IN_STORE if word == "onhold" else PARTLY_SHIPPED
    return status or _AWAITING_SHIPMENT, ""


# ----------------------------------------------------------------------------- entry points


@dataclass(frozen=True, slots=True)
class RowFormat:
    """How the data rows of a file are read: what every stretch of its rows shares, small enough to send over."""

    heading: Heading
    quoting: Literal[0, 3]  # csv.QUOTE_MINIMAL or csv.QUOTE_NONE
    zone: tzinfo | None  # for dates without one: the heading's (as "Order Date (UTC)"), else the store's
    decimal_comma: bool  # "1,250" is 1.25: a semicolon file, or a tab-separated one whose amounts show decimal commas


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """A decoded file with its heading found: where its rows start and how to read them."""

    file_name: str
    text: str
    body_start: int  # where the line after the heading starts in `text`
    row_format: RowFormat
    notices: tuple[str, ...]  # about the file as a whole: its encoding, lines above the headings
    odd_lines: tuple[int, ...]  # lines read as Windows-1252 in a UTF-8 file

    @property
    def lines_above_body(self) -> int:
        """How many physical lines come before the first data row: the heading and any above it."""
        return self.row_format.heading.lines_before + 1


def open_csv(data: bytes, *, file_name: str, zone: tzinfo | None) -> CsvLayout:
    """Decode a file's bytes and find its heading; `zone` is the store's time zone for dates without one (None: local).

    A note on the order date's heading that names a zone, such as "Order Date (UTC)", wins over `zone`.
    """
    text, notices, odd_lines = decode(data, file_name)
    lines = io.StringIO(text, newline="")
    heading = find_heading(lines, file_name)
    body_start = lines.tell()
    if heading.left_out:
        notices.append(_left_out_notice(heading.left_out, "above the headings"))
    how_quoted = quoting(text, heading.delimiter)
    row_format = RowFormat(
        heading, how_quoted, heading.columns.date_zone or zone, _decimal_comma(lines, heading, how_quoted)
    )
    return CsvLayout(file_name, text, body_start, row_format, tuple(notices), tuple(odd_lines))


_AMOUNT_FIELDS = ("unit_price", "weight", *_ORDER_AMOUNT_FIELDS)
_ROWS_SHOWING_DECIMALS = 200  # enough to see a price with cents, few enough to cost nothing


def _decimal_comma(body: io.StringIO, heading: Heading, how_quoted: Literal[0, 3]) -> bool:
    """Whether '1,250' in the file is 1.25: in a semicolon file, as Excel saves one where the comma is the decimal mark;
    in a tab-separated one (Excel's "Unicode Text", on any computer) if the amounts on its first rows (`body`) show
    a decimal comma ('12,50', '0,250') and never a point. A comma-separated file writes decimal points, though a
    quoted '12,50' or '0,250' in it is still read as decimals (parse_amount)."""
    if heading.delimiter != "\t":
        return heading.delimiter == ";"
    columns = [heading.columns.index[name] for name in _AMOUNT_FIELDS if name in heading.columns.index]
    if not columns:
        return False
    reader = csv.reader(body, delimiter=heading.delimiter, quoting=how_quoted)
    cells: set[str] = set()
    try:
        for row in itertools.islice(reader, _ROWS_SHOWING_DECIMALS):
            cells.update(row[column] for column in columns if column < len(row))
    except csv.Error:
        pass  # a damaged quote: the rows read so far tell what they can, and the import reports it
    marks = {decimal_mark(cell.strip()) for cell in cells if "," in cell or "." in cell}
    return "," in marks and "." not in marks


@dataclass(slots=True)
class CsvStretch:
    """What the rows of one stretch of a file hold, read on their own."""

    orders: list[Order]
    lines_read: int
    skipped: list[RowProblem]
    ship_to_differences: list[RowProblem]
    remarks: list[RowProblem]
    left_out: list[tuple[int, str]]  # lines that are not orders, such as a report's footer
    # Every order number its rows name: whether another stretch's rows could belong to one of its orders.
    order_numbers: set[str]
    # The orders whose rows give no order date, dated with the import's time: one already cached keeps its date.
    dated_at_import: set[str]
    day_first_seen: bool  # a date such as 31/12/2026
    month_first_seen: bool  # a date such as 12/31/2026
    damaged_quotes: bool  # a row the csv reader could not read: where it ends is known only reading from the top
    # The set-aside rows and the orders in two currencies were decided on last, so skipped rows and remarks were sorted
    # by line afterwards.
    sorted_by_line: bool


def read_stretch(
    row_format: RowFormat, text: str, *, lines_above: int, store: str, import_time: datetime
) -> CsvStretch:
    """The orders of the data rows in `text`, which starts a row and has `lines_above` physical lines above it.

    `import_time` is the order date of an order whose rows give none.
    """
    heading = row_format.heading
    columns = heading.columns
    allow_long_values()  # here too, as a stretch may be read in a process of its own
    # strict: a quote that never closes is reported instead of swallowing the rest of the file.
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=heading.delimiter, strict=True, quoting=row_format.quoting
    )
    rows = _RowReader(columns, len(heading.headings), row_format.decimal_comma, zone=row_format.zone)
    rows.read(reader, lines_above)
    numbers = set(rows.drafts)
    numbers.update(aside.number for aside in rows.set_aside)
    numbers.update(problem.order_number or problem.neighbour for problem in rows.skipped)
    numbers.discard("")
    return CsvStretch(
        orders=[_order(draft, store, import_time) for draft in rows.drafts.values()],
        lines_read=rows.lines_read,
        skipped=rows.skipped,
        ship_to_differences=rows.differences,
        remarks=rows.remarks,
        left_out=rows.left_out,
        order_numbers=numbers,
        dated_at_import={draft.number for draft in rows.drafts.values() if draft.part.date is None},
        day_first_seen=rows.day_first_seen,
        month_first_seen=rows.month_first_seen,
        damaged_quotes=rows.damaged_quotes,
        sorted_by_line=rows.sorted_by_line,
    )


def import_time_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def parse_orders_csv(data: bytes, *, file_name: str, store: str, zone: tzinfo | None) -> CsvOrders:
    """The orders in a CSV file's bytes; `zone` is the store's time zone for dates without one (None: local).

    A note on the order date's heading that names a zone, such as "Order Date (UTC)", wins over `zone`.
    """
    layout = open_csv(data, file_name=file_name, zone=zone)
    stretch = read_stretch(
        layout.row_format,
        layout.text[layout.body_start :],
        lines_above=layout.lines_above_body,
        store=store,
        import_time=import_time_now(),
    )
    notices = list(layout.notices)
    if stretch.left_out:
        notices.append(left_out_notice(stretch.left_out))
    return CsvOrders(
        file_name=file_name,
        orders=stretch.orders,
        lines_read=stretch.lines_read,
        skipped=stretch.skipped,
        ship_to_differences=stretch.ship_to_differences,
        unused_headings=layout.row_format.heading.columns.unused,
        remarks=with_odd_lines(layout, stretch.remarks, sort=stretch.sorted_by_line),
        notices=notices,
    )


def with_odd_lines(layout: CsvLayout, remarks: list[RowProblem], *, sort: bool) -> list[RowProblem]:
    """The rows' remarks after those on lines read as Windows-1252, all by line if `sort`."""
    joined = [RowProblem(line, NOT_UTF8) for line in layout.odd_lines] + remarks
    if sort:
        joined.sort(key=attrgetter("line_number"))
    return joined


def left_out_notice(lines: list[tuple[int, str]]) -> str:
    """About the lines after the headings that are not orders, such as a report's footer."""
    return _left_out_notice(lines, "after the headings")


def _left_out_notice(lines: list[tuple[int, str]], where: str) -> str:
    """'Lines 1–2 above the headings are not orders and were left out: 'Orders report'; 'from …''."""
    numbers = [number for number, _ in lines]
    shown = "; ".join(in_quotes(text) for _, text in lines[:2]) + ("; …" if len(lines) > 2 else "")
    if len(numbers) == 1:
        return f"Line {numbers[0]} {where} is not an order and was left out: {shown}"
    if numbers[-1] - numbers[0] + 1 == len(numbers):
        listed = f"{numbers[0]}–{numbers[-1]}"
    else:
        listed = f"{', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"
    return f"Lines {listed} {where} are not orders and were left out: {shown}"


def read_orders_csv(path: Path, *, store: str, zone: tzinfo | None) -> CsvOrders:
    """Read the file at `path`; a file that cannot be read raises CsvFileError in the user's words."""
    return parse_orders_csv(read_csv_bytes(path), file_name=path.name, store=store, zone=zone)
