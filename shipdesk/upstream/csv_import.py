"""Importing a CSV file: the import rules applied to the orders a file holds, and the one write to the cache.

A whole import is one cache transaction, so a failure halfway leaves the cache as it was.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from datetime import tzinfo
from operator import attrgetter
from pathlib import Path

from shipdesk.cache import Cache, CacheError
from shipdesk.cache.orders import UpsertCounts, upsert_order_rows
from shipdesk.collector_pause import cycle_collection_paused
from shipdesk.domain import OrderStatus, plural
from shipdesk.upstream.csv_prepared import HeldOrder, PreparedStretch, and_list, read_as_from_the_top
from shipdesk.upstream.csv_processes import PIECE_CHARS, StretchReading
from shipdesk.upstream.csv_text import read_csv_bytes
from shipdesk.upstream.csvfile import (
    CsvLayout,
    RowProblem,
    left_out_notice,
    open_csv,
    with_odd_lines,
)

__all__ = ["DEFAULT_STORE", "HeldOrder", "ImportReport", "import_csv"]

log = logging.getLogger(__name__)

DEFAULT_STORE = "CSV import"  # the store a file's orders go into when no other is named


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one import did, for the CLI to print and the UI to show."""

    file_name: str
    store: str  # the store the orders were imported into
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
    processes: int = 1  # how many processes read the file: more than one only for a large file, in stretches

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
            imported = f"Imported {plural(self.orders_read, 'order')} from {self.file_name} into {self.store}"
            lines = [f"{imported}: {self.counts_text()}."]
        else:
            lines = [f"No orders imported from {self.file_name} into {self.store}."]
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
    cache: Cache,
    path: Path | str,
    *,
    store: str = DEFAULT_STORE,
    zone: tzinfo | None = None,
    processes: int | None = None,
    piece_chars: int = PIECE_CHARS,
) -> ImportReport:
    """Import the orders of a CSV file into the cache; `zone` is the store's zone for dates without one (None: local).

    A large file is read in stretches by several processes (csv_processes): by default as many as its size is worth
    and the computer has cores for, each sending back pieces of about `piece_chars` characters.
    Raises CsvFileError when the file as a whole cannot be read; then the cache is not touched.
    """
    started = time.perf_counter()
    path = Path(path)
    layout = open_csv(read_csv_bytes(path), file_name=path.name, zone=zone)
    reading = StretchReading(layout, store=store, processes=processes, piece_chars=piece_chars)
    with cycle_collection_paused(), reading:
        try:
            with cache.transaction() as conn:
                stretches, counts = _write_stretches(conn, reading)
        except sqlite3.OperationalError as error:
            # Locked or full: nothing was written, and the user can try again.
            raise CacheError(
                f"nothing was imported from {layout.file_name}: the cache could not be written ({error})"
            ) from error
    report = _report(layout, store, stretches, counts, processes=reading.processes if len(stretches) > 1 else 1)
    log.info(
        "imported %s: %s lines, %s orders, read by %s process(es) in %.2f s",
        layout.file_name,
        f"{report.lines_read:,}",
        f"{report.orders_read:,}",
        report.processes,
        time.perf_counter() - started,
    )
    return report


def _write_stretches(
    conn: sqlite3.Connection, reading: StretchReading
) -> tuple[list[PreparedStretch], list[UpsertCounts]]:
    """Write each stretch as it is ready; if the stretches cannot stand alone, write the file read whole instead."""
    stretches = [reading.first()]
    conn.execute("SAVEPOINT stretches")
    counts = [upsert_order_rows(conn, stretches[0].rows)]
    for stretch in reading.others():  # each written as it comes, while the other processes read on
        if stretch is None:
            log.warning("a process reading part of %s failed, so the file is read whole", reading.layout.file_name)
            break
        stretches.append(stretch)
        counts.append(upsert_order_rows(conn, stretch.rows))
    else:
        if read_as_from_the_top(stretches):
            return stretches, counts
        log.info(
            "%s cannot be read in stretches (see read_as_from_the_top), so it is read whole", reading.layout.file_name
        )
    conn.execute("ROLLBACK TO stretches")
    whole = reading.whole()
    return [whole], [upsert_order_rows(conn, whole.rows)]


def _report(
    layout: CsvLayout, store: str, stretches: list[PreparedStretch], counts: list[UpsertCounts], *, processes: int
) -> ImportReport:
    reads = [stretch.read for stretch in stretches]
    sort = any(read.sorted_by_line for read in reads)
    skipped = [problem for read in reads for problem in read.skipped]
    if sort:
        skipped.sort(key=attrgetter("line_number"))
    left_out = [line for read in reads for line in read.left_out]
    statuses: Counter[OrderStatus] = sum((stretch.statuses for stretch in stretches), Counter())
    return ImportReport(
        file_name=layout.file_name,
        store=store,
        lines_read=sum(read.lines_read for read in reads),
        orders_read=sum(len(stretch.rows) for stretch in stretches),
        inserted=sum(count.inserted for count in counts),
        updated=sum(count.updated for count in counts),
        kept_final=sum(count.kept_final for count in counts),
        unchanged=sum(count.unchanged for count in counts),
        on_hold=tuple(held for stretch in stretches for held in stretch.on_hold),
        skipped=tuple(skipped),
        ship_to_differences=tuple(problem for read in reads for problem in read.ship_to_differences),
        unused_headings=tuple(layout.row_format.heading.columns.unused),
        remarks=tuple(with_odd_lines(layout, [remark for read in reads for remark in read.remarks], sort=sort)),
        notices=(*layout.notices, left_out_notice(left_out)) if left_out else layout.notices,
        not_to_pack=tuple((status, statuses[status]) for status in _NOT_TO_PACK if statuses[status]),
        processes=processes,
    )


_NOT_TO_PACK = {
    OrderStatus.SHIPPED: "shipped already",
    OrderStatus.CANCELLED: "cancelled",
    OrderStatus.AWAITING_PAYMENT: "awaiting payment",
}


def _not_to_pack_line(counts: tuple[tuple[OrderStatus, int], ...]) -> str:
    """'In the store, 12 orders are shipped already and 1 is cancelled, so they are not in the packing queue.'"""
    parts: list[str] = []
    for status, count in counts:
        counted = f"{count:,}" if parts else plural(count, "order")
        parts.append(f"{counted} {'is' if count == 1 else 'are'} {_NOT_TO_PACK[status]}")
    total = sum(count for _, count in counts)
    return f"In the store, {and_list(parts)}, so {'it is' if total == 1 else 'they are'} not in the packing queue."


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
        lines.append(f"Lines {and_list(shown)}: {reason}.")
    return lines
