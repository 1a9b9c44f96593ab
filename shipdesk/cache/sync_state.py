"""What the sync engine asks the cache besides upserts: which pulled orders it knows, a store's first-sync cutoff,
and the orders a store combined into others.

The cutoff is kept until a sync of the store has finished, so a first sync broken off halfway keeps its rule. The
orders that rule skipped are kept for good, so that pulled again unchanged they stay skipped. So are combined orders.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shipdesk.cache.database import Cache
from shipdesk.cache.orders import storable_text
from shipdesk.cache.settings import get_setting, set_setting
from shipdesk.domain import OrderStatus, utc_now

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class KnownOrder:
    status: OrderStatus
    modify_date: datetime | None


def known_orders(conn: sqlite3.Connection, store: str, upstream_ids: Sequence[str]) -> dict[str, KnownOrder]:
    """The cached status and modify date of those of `upstream_ids` the cache holds for `store`."""
    rows = _rows_of(
        conn,
        "SELECT upstream_id, status, json_extract(data, '$.modify_date') FROM orders"
        " WHERE store = ? AND upstream_id IN ({marks})",
        store,
        upstream_ids,
    )
    return {
        upstream_id: KnownOrder(OrderStatus(status), datetime.fromisoformat(modify_date) if modify_date else None)
        for upstream_id, status, modify_date in rows
    }


def _rows_of(conn: sqlite3.Connection, sql: str, store: str, upstream_ids: Sequence[str]) -> Iterator[Any]:
    """The rows `sql` (with "store = ?" and "IN ({marks})") gives for the ids, asked a chunk at a time."""
    for start in range(0, len(upstream_ids), _CHUNK):
        chunk = list(upstream_ids[start : start + _CHUNK])
        yield from conn.execute(sql.format(marks=",".join("?" * len(chunk))), [store, *chunk])


def _cutoff_key(store: str) -> str:
    return f"sync.first_sync_cutoff.{store}"


def first_sync_cutoff(cache: Cache, store: str) -> datetime | None:
    """The moment before which pending orders are skipped, while the store's first sync is not finished."""
    value = get_setting(cache, _cutoff_key(store))
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def begin_first_sync(cache: Cache, store: str, cutoff: datetime) -> None:
    set_setting(cache, _cutoff_key(store), cutoff.isoformat())


def end_first_sync(cache: Cache, store: str) -> None:
    with cache.transaction() as conn:
        conn.execute("DELETE FROM settings WHERE key = ?", (_cutoff_key(store),))


def restart_first_sync(cache: Cache, store: str) -> None:
    """Forgets the store's first-sync cutoff and what it skipped; without sync progress, its next sync is a first."""
    with cache.transaction() as conn:
        forget_first_sync(conn, store)


def forget_first_sync(conn: sqlite3.Connection, store: str) -> None:
    """restart_first_sync in the caller's transaction."""
    conn.execute("DELETE FROM settings WHERE key = ?", (_cutoff_key(store),))
    conn.execute("DELETE FROM first_sync_skips WHERE store = ?", (store,))


def remember_first_sync_skips(conn: sqlite3.Connection, store: str, skipped: Sequence[tuple[str, datetime]]) -> None:
    """Keeps the orders (upstream id, modify date) the first sync skipped as pending for too long."""
    conn.executemany(
        "INSERT OR REPLACE INTO first_sync_skips (store, upstream_id, modify_date) VALUES (?, ?, ?)",
        [(store, upstream_id, modify_date.isoformat()) for upstream_id, modify_date in skipped],
    )


def first_sync_skips(conn: sqlite3.Connection, store: str, upstream_ids: Sequence[str]) -> dict[str, datetime]:
    """Those of `upstream_ids` the store's first sync skipped as pending for too long, with their modify date then."""
    rows = _rows_of(
        conn,
        "SELECT upstream_id, modify_date FROM first_sync_skips WHERE store = ? AND upstream_id IN ({marks})",
        store,
        upstream_ids,
    )
    return {upstream_id: datetime.fromisoformat(modify_date) for upstream_id, modify_date in rows}


@dataclass(frozen=True, slots=True)
class CombinedInto:
    """The order another one was combined into, in the same store."""

    upstream_id: str
    order_number: str


def remember_combined_orders(conn: sqlite3.Connection, store: str, combined: Mapping[str, CombinedInto]) -> None:
    """Keeps the orders (by upstream id) the store combined into another, with the order each went into."""
    conn.executemany(
        "INSERT OR REPLACE INTO combined_orders (store, upstream_id, parent_upstream_id, parent_number)"
        " VALUES (?, ?, ?, ?)",
        [
            (store, upstream_id, into.upstream_id, storable_text(into.order_number))
            for upstream_id, into in combined.items()
        ],
    )


def combined_orders(conn: sqlite3.Connection, store: str, upstream_ids: Sequence[str]) -> dict[str, CombinedInto]:
    """Those of `upstream_ids` the store combined into another order, with that order."""
    rows = _rows_of(
        conn,
        "SELECT upstream_id, parent_upstream_id, parent_number FROM combined_orders"
        " WHERE store = ? AND upstream_id IN ({marks})",
        store,
        upstream_ids,
    )
    return {upstream_id: CombinedInto(parent_id, parent_number) for upstream_id, parent_id, parent_number in rows}


_HOLD = """
UPDATE orders SET status = :on_hold, hold_reason = :reason, updated_at = :now,
    data = json_set(data, '$.status', :on_hold, '$.hold_reason', :reason)
WHERE store = :store AND upstream_id = :upstream_id AND status NOT IN ('shipped', 'cancelled')
    AND NOT (status = :on_hold AND hold_reason = :reason)
RETURNING order_number
"""


def hold_orders(conn: sqlite3.Connection, store: str, reasons: Mapping[str, str]) -> list[tuple[str, str]]:
    """Puts the cached orders of `reasons` (upstream id: hold reason) on hold, but for shipped and cancelled ones.

    Returns (upstream id, order number) of each that was not already on hold for that reason.
    """
    now = utc_now().isoformat()
    held: list[tuple[str, str]] = []
    for upstream_id, reason in reasons.items():
        values = {
            "store": store,
            "upstream_id": upstream_id,
            "reason": storable_text(reason),  # it may name an order whose number has half an emoji
            "on_hold": OrderStatus.ON_HOLD.value,
            "now": now,
        }
        held.extend((upstream_id, number) for (number,) in conn.execute(_HOLD, values).fetchall())
    return held
