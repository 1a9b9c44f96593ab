"""Shipments written as a CSV file, for stores without an API: the file a shop uploads to mark its orders shipped.

`shipdesk export-shipments` and the window's File → Export shipments… write it. For the stores whose orders come
from CSV files, the file is the only way their shipped updates reach them: exporting the waiting updates hands them
over, and they leave the outbox once the file is written, so the outbox shows only what still has to go. Each store
uploads only its own orders' shipments, so a file can be narrowed to one store.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from shipdesk.cache import Cache
from shipdesk.cache.shipments import MARK_SHIPPED, OutboxEntry, all_shipments, latest_shipment, pending_outbox
from shipdesk.cache.stores import get_store, removed_store_kind
from shipdesk.domain import station_date
from shipdesk.upstream.connectors import CSV_KIND, can_sync

SHIPMENT_CSV_HEADINGS = ["Order Number", "Carrier", "Service", "Tracking Number", "Ship Date", "Cost"]


@dataclass(frozen=True, slots=True)
class ShipmentsExport:
    written: int  # shipments in the file
    handed_over: int  # updates the file takes to their stores, gone from the outbox


def export_all_shipments(cache: Cache, destination: Path | BinaryIO, *, store: str | None = None) -> ShipmentsExport:
    """Every shipment recorded, or every one of `store`'s, oldest first; the outbox is left as it is."""
    rows = [
        [
            record.order_number,
            record.shipment.carrier,
            record.shipment.service,
            record.shipment.tracking_number,
            station_date(record.shipment.shipped_at).isoformat(),
            "" if record.shipment.cost is None else f"{record.shipment.cost:.2f}",
        ]
        for record in all_shipments(cache)
        if store is None or record.store == store
    ]
    _write(destination, rows)
    return ShipmentsExport(written=len(rows), handed_over=0)


def waiting_for_a_file(cache: Cache, *, store: str | None = None) -> list[OutboxEntry]:
    """The shipped updates waiting for stores that take files, or for `store` alone, oldest first: what the next
    export hands over."""
    entries = [
        entry
        for entry in pending_outbox(cache)
        if entry.kind == MARK_SHIPPED and not entry.refused and (store is None or entry.store == store)
    ]
    by_file = _stores_taking_files(cache, {entry.store for entry in entries})
    return [entry for entry in entries if entry.store in by_file]


def waiting_by_store(cache: Cache) -> dict[str, int]:
    """How many shipped updates wait for each store that takes files, in name order: each store has its own file.

    Counted in SQL, for the status bar's every refresh.
    """
    rows = cache.conn.execute(
        "SELECT store, count(*) FROM outbox WHERE kind = ? AND refused_at IS NULL GROUP BY store", (MARK_SHIPPED,)
    ).fetchall()
    by_file = _stores_taking_files(cache, {store for store, _count in rows})
    return {store: count for store, count in sorted(rows, key=lambda row: row[0].casefold()) if store in by_file}


def count_waiting_for_a_file(cache: Cache) -> int:
    """How many shipped updates wait for the next export, every store's together."""
    return sum(waiting_by_store(cache).values())


def _stores_taking_files(cache: Cache, stores: set[str]) -> set[str]:
    return {store for store in stores if takes_files(cache, store)}


def export_waiting_shipments(
    cache: Cache, destination: Path | BinaryIO, *, store: str | None = None
) -> ShipmentsExport:
    """The shipments whose stores take files, or `store`'s alone, not given to them yet; once written, they are
    handed over.

    The file is written whole before any update leaves the outbox: a disk that is full or a folder that cannot be
    written leaves every update waiting for the next export. The outbox is held meanwhile (a write transaction), so a
    label voided in that instant waits for the file and is then refused, rather than voided while the file takes it.
    """
    with cache.transaction() as conn:
        entries = waiting_for_a_file(cache, store=store)
        _write(destination, [_row(entry.payload, _ship_date(cache, entry)) for entry in entries])
        conn.executemany("DELETE FROM outbox WHERE id = ?", [(entry.id,) for entry in entries])
    return ShipmentsExport(written=len(entries), handed_over=len(entries))


def upload_file_stem(store: str, day: date) -> str:
    """The name a store's upload file is suggested under, without its suffix: "shipments-Etsy-2026-11-30".

    The store's name goes in a form every file system takes: letters and digits, the rest as single dashes.
    """
    safe = re.sub(r"[\W_]+", "-", store).strip("-")
    if len(safe) > _STORE_IN_FILE_NAME:  # cut after a whole word
        cut = safe[: _STORE_IN_FILE_NAME + 1]
        safe = cut.rsplit("-", 1)[0] if "-" in cut else cut[:-1]
    return "-".join(part for part in ("shipments", safe, f"{day:%Y-%m-%d}") if part)


_STORE_IN_FILE_NAME = 40  # characters: room for the date and a "-2" in the file chooser's name field


def takes_files(cache: Cache, store: str) -> bool:
    """Whether the store gets its shipped updates by an exported file (its orders come from CSV files), not a sync."""
    record = get_store(cache, store)
    if record is not None:
        return not can_sync(record)
    removed = removed_store_kind(cache, store)
    return removed is None or removed == CSV_KIND  # a store never set up is the CSV import's own


def _ship_date(cache: Cache, entry: OutboxEntry) -> str:
    """The day the order shipped, in the station's time zone.

    Updates queued before shipdesk dated them so carry UTC's date, which runs a day ahead on an American evening.
    """
    shipment = latest_shipment(cache, entry.order_id)
    if shipment is not None and shipment.tracking_number == entry.payload.get("tracking_number"):
        return station_date(shipment.shipped_at).isoformat()
    return str(entry.payload.get("ship_date", ""))


def _row(payload: dict[str, object], ship_date: str) -> list[str]:
    cost = payload.get("cost")
    return [
        str(payload.get("order_number", "")),
        str(payload.get("carrier", "")),
        str(payload.get("service", "")),
        str(payload.get("tracking_number", "")),
        ship_date,
        "" if cost is None else f"{Decimal(str(cost)):.2f}",
    ]


def _write(destination: Path | BinaryIO, rows: Iterable[Sequence[str]]) -> None:
    """Writes the file whole or not at all, or the same bytes to a stream (stdout, for `export-shipments -`).

    Written to a stream, it is flushed before the updates it takes leave the outbox: a pipe that broke raises first.
    """
    text = _csv_text(rows)
    if isinstance(destination, Path):
        _write_file(destination, text)
        return
    destination.write(text.encode("utf-8"))
    destination.flush()


def _csv_text(rows: Iterable[Sequence[str]]) -> str:
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(SHIPMENT_CSV_HEADINGS)
    writer.writerows(rows)
    return text.getvalue()


def _write_file(path: Path, text: str) -> None:
    """Writes into a part file beside it, then renames it over the file.

    Both are flushed to the disk before the updates the file takes leave the outbox: a power cut after the hand-over
    must not find an empty file, or none, where the only copy of those updates was.
    """
    part = path.with_name(f".{path.name}.part")
    try:
        with part.open("w", newline="", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    _flush_folder(path.parent)


def _flush_folder(folder: Path) -> None:
    """The rename itself on the disk (POSIX); Windows cannot open a folder, and flushes a rename with the file."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
