"""Importing a CSV file: the import rules applied to the orders a file holds, and the one write to the cache.

A whole import is one cache transaction, so a failure halfway leaves the cache as it was.
"""

from __future__ import annotations

import gc
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import tzinfo
from pathlib import Path

from shipdesk.cache import Cache, CacheError
from shipdesk.cache.orders import upsert_orders
from shipdesk.domain import Order, OrderStatus, plural, with_packing_rules
from shipdesk.upstream.csvfile import CsvOrders, RowProblem, read_orders_csv


@dataclass(frozen=True, slots=True)
class HeldOrder:
    order_number: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one import did, for the CLI to print and the UI to show."""

    file_name: str
    lines_read: int  # data rows, one per line item
    orders_read: int
    inserted: int
    updated: int
    kept_final: int  # already shipped or cancelled in the cache, so left as they were
    on_hold: tuple[HeldOrder, ...]
    skipped: tuple[RowProblem, ...]
    ship_to_differences: tuple[RowProblem, ...] = ()
    unused_headings: tuple[str, ...] = ()
    remarks: tuple[RowProblem, ...] = ()  # rows imported with a value left out, lines read as Windows-1252
    notices: tuple[str, ...] = ()  # about the file as a whole, such as its encoding
    # Orders the file says are shipped, cancelled or unpaid in the store: imported, but not for packing.
    not_to_pack: tuple[tuple[OrderStatus, int], ...] = ()
    unchanged: int = 0  # in the file exactly as the cache has them

    def counts_text(self, final: str = "left as they were (already shipped or cancelled)") -> str:
        """What became of the orders read, as "2 new, 1 updated", leaving out what did not happen."""
        counted = [
            (self.inserted, "new"),
            (self.updated, "updated"),
            (self.unchanged, "unchanged"),
            (self.kept_final, final),
        ]
        parts = [f"{count:,} {words}" for count, words in counted if count]
        return ", ".join(parts) or "0 new"

    def summary_lines(self) -> list[str]:
        if self.orders_read:
            lines = [f"Imported {plural(self.orders_read, 'order')} from {self.file_name}: {self.counts_text()}."]
        else:
            lines = [f"No orders imported from {self.file_name}."]
        read = f"Read {plural(self.lines_read, 'line')}"
        lines.append(f"{read}; {len(self.skipped):,} skipped." if self.skipped else f"{read}.")
        lines.extend(f"{notice}." for notice in self.notices)
        if self.not_to_pack:
            lines.append(_not_to_pack_line(self.not_to_pack))
        lines.extend(f"Order {held.order_number} kept on hold: {held.reason}." for held in self.on_hold)
        lines.extend(f"Line {problem.line_number} skipped: {problem.reason}." for problem in self.skipped)
        lines.extend(_remark_lines(self.remarks))
        lines.extend(f"Line {note.line_number}: {note.reason}." for note in self.ship_to_differences)
        if self.unused_headings:
            lines.append(f"Columns not used: {', '.join(self.unused_headings)}.")
        return lines


def import_csv(
    cache: Cache, path: Path | str, *, store: str = "CSV import", zone: tzinfo | None = None
) -> ImportReport:
    """Import the orders of a CSV file into the cache; `zone` is the store's zone for dates without one (None: local).

    Raises CsvFileError when the file as a whole cannot be read; then the cache is not touched.
    """
    with _cycle_collection_paused():
        parsed = read_orders_csv(Path(path), store=store, zone=zone)
        orders, on_hold = _apply_import_rules(parsed)
        try:
            with cache.transaction() as conn:
                counts = upsert_orders(conn, orders)
        except sqlite3.OperationalError as error:
            # Locked or full: nothing was written, and the user can try again.
            raise CacheError(
                f"nothing was imported from {parsed.file_name}: the cache could not be written ({error})"
            ) from error
    return ImportReport(
        file_name=parsed.file_name,
        lines_read=parsed.lines_read,
        orders_read=len(orders),
        inserted=counts.inserted,
        updated=counts.updated,
        kept_final=counts.kept_final,
        unchanged=counts.unchanged,
        on_hold=tuple(on_hold),
        skipped=tuple(parsed.skipped),
        ship_to_differences=tuple(parsed.ship_to_differences),
        unused_headings=tuple(parsed.unused_headings),
        remarks=tuple(parsed.remarks),
        notices=tuple(parsed.notices),
        not_to_pack=_count_not_to_pack(orders),
    )


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is imported; whatever cycles it leaves are collected after."""
    # An import holds millions of small objects (cells, items, orders, rows) until it ends, and the collector would
    # walk them all over and over: about a sixth of a 100,000-line import. Reference counting frees them anyway,
    # as none of them form cycles. The pause is process-wide, so it only delays other threads' cyclic garbage.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _apply_import_rules(parsed: CsvOrders) -> tuple[list[Order], list[HeldOrder]]:
    """Orders as the packing queue should see them, and those kept on hold with the reason.

    An order that lost a row to a problem is held too: packing it would ship it short.
    """
    skipped_lines: dict[str, list[int]] = {}
    for problem in parsed.skipped:
        if number := problem.order_number or problem.neighbour:
            skipped_lines.setdefault(number, []).append(problem.line_number)
    two_addresses = {difference.order_number: difference.line_number for difference in parsed.ship_to_differences}
    orders: list[Order] = []
    on_hold: list[HeldOrder] = []
    for order in parsed.orders:
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


_NOT_TO_PACK = {
    OrderStatus.SHIPPED: "shipped already",
    OrderStatus.CANCELLED: "cancelled",
    OrderStatus.AWAITING_PAYMENT: "awaiting payment",
}


def _count_not_to_pack(orders: list[Order]) -> tuple[tuple[OrderStatus, int], ...]:
    counts = Counter(order.status for order in orders if order.status in _NOT_TO_PACK)
    return tuple((status, counts[status]) for status in _NOT_TO_PACK if counts[status])


def _not_to_pack_line(counts: tuple[tuple[OrderStatus, int], ...]) -> str:
    """'In the store, 12 orders are shipped already and 1 is cancelled, so they are not in the packing queue.'"""
    parts: list[str] = []
    for status, count in counts:
        counted = f"{count:,}" if parts else plural(count, "order")
        parts.append(f"{counted} {'is' if count == 1 else 'are'} {_NOT_TO_PACK[status]}")
    total = sum(count for _, count in counts)
    return f"In the store, {_and_list(parts)}, so {'it is' if total == 1 else 'they are'} not in the packing queue."


def _skipped_reason(lines: list[int]) -> str:
    if len(lines) == 1:
        return f"line {lines[0]} of the file was skipped, so an item may be missing"
    return f"lines {_and_list([str(line) for line in lines])} of the file were skipped, so items may be missing"


_REMARK_LINES_LISTED = 5


def _remark_lines(remarks: tuple[RowProblem, ...]) -> list[str]:
    """One line for each remark, the rows that share it together: a weight column without units is one line."""
    rows: dict[str, list[int]] = {}
    for remark in remarks:
        rows.setdefault(remark.reason, []).append(remark.line_number)
    lines = []
    for reason, numbers in rows.items():
        if len(numbers) == 1:
            lines.append(f"Line {numbers[0]}: {reason}.")
            continue
        shown = [str(number) for number in numbers[:_REMARK_LINES_LISTED]]
        if len(numbers) > _REMARK_LINES_LISTED:
            shown.append(f"{len(numbers) - _REMARK_LINES_LISTED:,} more")
        lines.append(f"Lines {_and_list(shown)}: {reason}.")
    return lines


def _and_list(words: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}" if len(words) > 1 else words[0]
