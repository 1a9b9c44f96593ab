"""A stretch of a CSV file's rows made ready to write: read, the import rules applied, the cache's rows built.

It touches no cache and no process state, so it runs the same here or in a process of its own (csv_processes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from shipdesk.cache.orders import OrderRowValues, order_rows
from shipdesk.domain import Order, OrderStatus, with_packing_rules
from shipdesk.upstream.csvfile import CsvStretch, RowFormat, read_stretch


@dataclass(frozen=True, slots=True)
class HeldOrder:
    order_number: str
    reason: str


@dataclass(slots=True)
class PreparedStretch:
    # Its orders, and which of them are dated at import, left out: `rows` holds them, and only those are sent
    # between processes.
    read: CsvStretch
    rows: list[OrderRowValues]
    on_hold: list[HeldOrder]
    statuses: Counter[OrderStatus]


def prepare_stretch(
    row_format: RowFormat, text: str, *, lines_above: int, store: str, import_time: datetime
) -> PreparedStretch:
    """The rows of `text` (see read_stretch) as the cache will hold them, with what the import rules held."""
    read = read_stretch(row_format, text, lines_above=lines_above, store=store, import_time=import_time)
    orders, on_hold = apply_import_rules(read)
    rows = order_rows(orders, dated_at_import=read.dated_at_import)
    read.orders, read.dated_at_import = [], set()
    return PreparedStretch(read, rows, on_hold, Counter(order.status for order in orders))


def read_as_from_the_top(stretches: list[PreparedStretch]) -> bool:
    """Whether the stretches, each read on its own, hold what reading the whole file from its top gives.

    They do unless an order has rows in two stretches, a date such as 05/01/2026 was read with a different
    day-or-month order than the whole file calls for, or a damaged quote leaves unsure where a row ends.
    """
    reads = [stretch.read for stretch in stretches]
    if any(read.damaged_quotes for read in reads):
        return False
    days_first = any(read.day_first_seen for read in reads) and not any(read.month_first_seen for read in reads)
    if any((read.day_first_seen and not read.month_first_seen) != days_first for read in reads):
        return False
    numbers: set[str] = set()
    for read in reads:
        if not numbers.isdisjoint(read.order_numbers):
            return False
        numbers |= read.order_numbers
    return True


def apply_import_rules(read: CsvStretch) -> tuple[list[Order], list[HeldOrder]]:
    """Orders as the packing queue should see them, and those kept on hold with the reason.

    An order that lost a row to a problem is held too: packing it would ship it short.
    """
    skipped_lines: dict[str, list[int]] = {}
    for problem in read.skipped:
        if number := problem.order_number or problem.neighbour:
            skipped_lines.setdefault(number, []).append(problem.line_number)
    two_addresses = {difference.order_number: difference.line_number for difference in read.ship_to_differences}
    orders: list[Order] = []
    on_hold: list[HeldOrder] = []
    for order in read.orders:
        ruled = with_packing_rules(order)
        lines = skipped_lines.get(order.order_number)
        if lines and ruled.status is OrderStatus.AWAITING_SHIPMENT:
            ruled = replace(ruled, status=OrderStatus.ON_HOLD, hold_reason=_skipped_reason(lines))
        elif order.order_number in two_addresses and ruled.status is OrderStatus.AWAITING_SHIPMENT:
            reason = f"line {two_addresses[order.order_number]} of the file gives it another ship-to address"
            ruled = replace(ruled, status=OrderStatus.ON_HOLD, hold_reason=reason)
        if ruled.status is OrderStatus.ON_HOLD:
            on_hold.append(HeldOrder(ruled.order_number, ruled.hold_reason))
        orders.append(ruled)
    return orders, on_hold


def _skipped_reason(lines: list[int]) -> str:
    if len(lines) == 1:
        return f"line {lines[0]} of the file was skipped, so an item may be missing"
    return f"lines {and_list([str(line) for line in lines])} of the file were skipped, so items may be missing"


def and_list(words: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}" if len(words) > 1 else words[0]
