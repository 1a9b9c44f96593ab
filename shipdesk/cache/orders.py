"""Orders in the cache: upsert keyed by (store, upstream id), listing, searching and reading back.

Lists are built the way large tables need them: SQL sorts and filters to a list of ids,
and the rows on screen are fetched by id.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from shipdesk.cache.database import Cache
from shipdesk.cache.order_json import order_from_json, order_to_json
from shipdesk.cache.search_text import fold, folded_extra
from shipdesk.domain import Order, OrderStatus, utc_now


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    kept_final: int = 0  # cached as cancelled or shipped, so left as they were


@dataclass(frozen=True, slots=True)
class StoredOrder:
    id: int
    order: Order


@dataclass(frozen=True, slots=True)
class OrderRow:
    """What one line of the orders table shows."""

    id: int
    order_number: str
    order_date: datetime
    ship_name: str
    ship_country: str
    item_count: int
    weight_grams: float | None
    status: OrderStatus
    hold_reason: str
    store: str


# The sortable columns, by the name the UI and CLI use.
SORT_COLUMNS: dict[str, str] = {
    "order_number": "order_number",
    "order_date": "order_date",
    "ship_name": "ship_name COLLATE NOCASE",
    "ship_country": "ship_country",
    "item_count": "item_count",
    "weight": "weight_grams",
    "status": "status",
    "store": "store",
}


@dataclass(frozen=True, slots=True)
class OrderQuery:
    status: OrderStatus | None = None
    store: str | None = None
    search: str = ""
    sort: str = "order_date"
    descending: bool = True


_UPSERT_SQL = """
INSERT INTO orders (store, upstream_id, order_number, order_date, status, hold_reason, ship_name,
    ship_country, bill_name, customer_email, item_count, weight_grams, item_skus, item_names, search_folded,
    data, imported_at, updated_at)
VALUES (:store, :upstream_id, :order_number, :order_date, :status, :hold_reason, :ship_name,
    :ship_country, :bill_name, :customer_email, :item_count, :weight_grams, :item_skus, :item_names, :search_folded,
    :data, :now, :now)
ON CONFLICT (store, upstream_id) DO UPDATE SET
    order_number = excluded.order_number, order_date = excluded.order_date, status = excluded.status,
    hold_reason = excluded.hold_reason, ship_name = excluded.ship_name, ship_country = excluded.ship_country,
    bill_name = excluded.bill_name, customer_email = excluded.customer_email,
    item_count = excluded.item_count, weight_grams = excluded.weight_grams, item_skus = excluded.item_skus,
    item_names = excluded.item_names, search_folded = excluded.search_folded, data = excluded.data,
    updated_at = excluded.updated_at
WHERE orders.status NOT IN ('cancelled', 'shipped')
"""


def _columns(order: Order, now: str) -> dict[str, object]:
    weight = order.total_weight
    item_names = " ".join(item.name for item in order.items)
    return {
        "store": order.store,
        "upstream_id": order.upstream_id,
        "order_number": order.order_number,
        "order_date": order.order_date.isoformat(),
        "status": order.status.value,
        "hold_reason": order.hold_reason,
        "ship_name": order.ship_to.name,
        "ship_country": order.ship_to.country,
        "bill_name": order.bill_to.name,
        "customer_email": order.customer_email,
        "item_count": order.item_count,
        "weight_grams": float(weight.grams) if weight is not None else None,
        "item_skus": " ".join(item.sku for item in order.items if item.sku),
        "item_names": item_names,
        "search_folded": folded_extra(order.ship_to.name, order.bill_to.name, item_names),
        "data": order_to_json(order),
        "now": now,
    }


def upsert_orders(conn: sqlite3.Connection, orders: Iterable[Order]) -> UpsertCounts:
    """Insert new orders and update known ones; call inside `Cache.transaction()`.

    Orders the cache holds as cancelled or shipped are left alone: a cancelled order is frozen,
    and a shipped one must not fall back into the packing queue because a store lagged behind.
    """
    now = utc_now().isoformat()
    inserted = updated = kept_final = 0
    known = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    for order in orders:
        before = conn.total_changes
        if known:
            existing = conn.execute(
                "SELECT 1 FROM orders WHERE store = ? AND upstream_id = ?", (order.store, order.upstream_id)
            ).fetchone()
        else:
            existing = None
        conn.execute(_UPSERT_SQL, _columns(order, now))
        if existing is None:
            inserted += 1
        elif conn.total_changes != before:
            updated += 1
        else:
            kept_final += 1
    return UpsertCounts(inserted, updated, kept_final)


def fts_query(text: str) -> str:
    """A user's search text as an FTS5 query: every word must match, each as a prefix."""
    words = re.findall(r"\w+", fold(text), flags=re.UNICODE)
    return " ".join(f'"{word}"*' for word in words)


def list_order_ids(cache: Cache, query: OrderQuery) -> list[int]:
    where: list[str] = []
    params: list[object] = []
    if query.status is not None:
        where.append("status = ?")
        params.append(query.status.value)
    if query.store:
        where.append("store = ?")
        params.append(query.store)
    match = fts_query(query.search)
    if match:
        where.append("id IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?)")
        params.append(match)
    elif query.search.strip():
        return []  # only punctuation: nothing can match
    order_by = SORT_COLUMNS.get(query.sort, "order_date")
    direction = "DESC" if query.descending else "ASC"
    sql = "SELECT id FROM orders"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order_by} {direction}, id {direction}"
    return [row[0] for row in cache.conn.execute(sql, params)]


def fetch_rows(cache: Cache, ids: Sequence[int]) -> dict[int, OrderRow]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    cursor = cache.conn.execute(
        "SELECT id, order_number, order_date, ship_name, ship_country, item_count, weight_grams, status,"
        f" hold_reason, store FROM orders WHERE id IN ({marks})",
        list(ids),
    )
    return {
        row[0]: OrderRow(
            id=row[0],
            order_number=row[1],
            order_date=datetime.fromisoformat(row[2]),
            ship_name=row[3],
            ship_country=row[4],
            item_count=row[5],
            weight_grams=row[6],
            status=OrderStatus(row[7]),
            hold_reason=row[8],
            store=row[9],
        )
        for row in cursor
    }


def get_order(cache: Cache, order_id: int) -> StoredOrder | None:
    row = cache.conn.execute("SELECT id, data FROM orders WHERE id = ?", (order_id,)).fetchone()
    return None if row is None else StoredOrder(row[0], order_from_json(row[1]))


def find_by_number(cache: Cache, order_number: str) -> list[StoredOrder]:
    """Every cached order with that number (two stores may both have an order #1001)."""
    rows = cache.conn.execute("SELECT id, data FROM orders WHERE order_number = ? ORDER BY id", (order_number,))
    return [StoredOrder(row[0], order_from_json(row[1])) for row in rows]


def load_orders(cache: Cache, query: OrderQuery) -> list[StoredOrder]:
    ids = list_order_ids(cache, query)
    stored: list[StoredOrder] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        by_id = {
            row[0]: row[1] for row in cache.conn.execute(f"SELECT id, data FROM orders WHERE id IN ({marks})", chunk)
        }
        stored.extend(StoredOrder(order_id, order_from_json(by_id[order_id])) for order_id in chunk)
    return stored


def count_orders(cache: Cache) -> int:
    count: int = cache.conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    return count


def stores(cache: Cache) -> list[str]:
    return [row[0] for row in cache.conn.execute("SELECT DISTINCT store FROM orders ORDER BY store")]
