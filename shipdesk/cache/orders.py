"""Orders in the cache: upsert keyed by (store, upstream id), listing, searching and reading back.

Lists are built the way large tables need them: SQL sorts and filters to a list of ids,
and the rows on screen are fetched by id.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from shipdesk.cache.database import Cache
from shipdesk.cache.order_json import date_text, order_from_json, order_to_json
from shipdesk.cache.search_text import fold, recipient_sort_key, search_extra
from shipdesk.domain import Order, OrderStatus, utc_now


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    kept_final: int = 0  # cached as cancelled or shipped, so left as they were
    unchanged: int = 0  # came again exactly as cached, so not written again


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


# The sortable columns, by the name the UI and CLI use: the terms to sort by, each in the direction asked for.
# Order numbers sort shorter first, so 999 comes before 1000 and B-99 before B-100, as people count them.
SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "order_number": ("length(order_number)", "order_number"),
    "order_date": ("order_date",),
    "ship_name": ("(CASE ship_name_sort WHEN '' THEN ship_name ELSE ship_name_sort END) COLLATE NOCASE",),
    "ship_country": ("ship_country",),
    "item_count": ("item_count",),
    "weight": ("weight_grams",),
    "status": ("status",),
    "store": ("store COLLATE NOCASE",),  # store names are typed by people: "etsy" between Amazon and Shopify
}


@dataclass(frozen=True, slots=True)
class OrderQuery:
    status: OrderStatus | None = None
    store: str | None = None
    search: str = ""
    sort: str = "order_date"
    descending: bool = True


# The columns an upsert writes, in the order _column_values() gives them.
_COLUMNS = (
    "store",
    "upstream_id",
    "order_number",
    "order_date",
    "status",
    "hold_reason",
    "ship_name",
    "ship_name_sort",
    "ship_country",
    "bill_name",
    "customer_email",
    "item_count",
    "weight_grams",
    "item_skus",
    "item_names",
    "search_folded",
    "data",
)
_UPDATED_ON_CONFLICT = [name for name in _COLUMNS if name not in ("store", "upstream_id")] + ["updated_at"]
_NAMES = ", ".join(_COLUMNS)

# An upsert goes through a temporary table and one INSERT ... SELECT per batch. Row by row, every statement made
# FTS5 write a new index segment (it flushes at each statement savepoint), which cost more than the rows.
# Beside the columns, each row says whether its order date is only the time it was imported at (see order_rows).
_CREATE_INCOMING = f"CREATE TEMP TABLE IF NOT EXISTS upsert_incoming ({_NAMES}, dated_at_import)"
_FILL_INCOMING = f"INSERT INTO temp.upsert_incoming VALUES ({', '.join('?' * (len(_COLUMNS) + 1))})"
# An order dated at import that the cache has keeps the date it has, in its column and in its stored text (where the
# date is written once, as "order_date":"..."), so that coming again as it was it is counted unchanged.
_KEEP_CACHED_DATES = """
UPDATE temp.upsert_incoming AS incoming
SET order_date = orders.order_date,
    data = replace(
        incoming.data, '"order_date":"' || incoming.order_date || '"', '"order_date":"' || orders.order_date || '"'
    )
FROM orders
WHERE incoming.dated_at_import AND orders.store = incoming.store AND orders.upstream_id = incoming.upstream_id
"""
_COUNT_KNOWN = """
SELECT
    count(orders.id),
    count(CASE WHEN orders.status IN ('cancelled', 'shipped') THEN 1 END),
    count(CASE WHEN orders.status NOT IN ('cancelled', 'shipped') AND orders.data = incoming.data THEN 1 END)
FROM temp.upsert_incoming AS incoming
JOIN orders ON orders.store = incoming.store AND orders.upstream_id = incoming.upstream_id
"""
# "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint. An order that comes again exactly as
# cached is not written: its stored text holds all of it, and the other columns are drawn from that.
_UPSERT_INCOMING = f"""
INSERT INTO orders ({_NAMES}, imported_at, updated_at)
SELECT {_NAMES}, :now, :now FROM temp.upsert_incoming WHERE true ORDER BY rowid
ON CONFLICT (store, upstream_id) DO UPDATE SET
    {", ".join(f"{name} = excluded.{name}" for name in _UPDATED_ON_CONFLICT)}
WHERE orders.status NOT IN ('cancelled', 'shipped') AND orders.data IS NOT excluded.data
"""
# Incoming rows are held in memory rather than in a temporary file, which they would be written to and read back
# from; batches keep that memory small (about 1.5 kB an order) and still give FTS5 few segments to merge.
_ORDERS_PER_BATCH = 5_000


def _column_values(order: Order, dated_at_import: bool) -> tuple[object, ...]:
    items = order.items
    weight = order.total_weight
    item_names = " ".join([item.name for item in items])
    ship_name = order.ship_to.name
    bill_name = order.bill_to.name
    folded = search_extra(ship_name, bill_name, item_names)
    order_date = date_text(order.order_date)  # written once, for its column and the stored text
    return (
        order.store,
        order.upstream_id,
        order.order_number,
        order_date,
        order.status._value_,  # see order_json._order_document
        order.hold_reason,
        ship_name,
        recipient_sort_key(ship_name),
        order.ship_to.country,
        bill_name,
        order.customer_email,
        order.item_count,
        weight.float_grams if weight is not None else None,
        " ".join([item.sku for item in items if item.sku]),
        item_names,
        folded,
        order_to_json(order, order_date),
        int(dated_at_import),  # SQLite binds an int directly; a bool it first looks up adapters for
    )


# What an upsert writes for one order: the values of _COLUMNS, and whether its date is the import's. Plain strings
# and numbers, so another process can build them and send them over.
OrderRowValues = tuple[object, ...]


def order_rows(orders: Iterable[Order], *, dated_at_import: Set[str] = frozenset()) -> list[OrderRowValues]:
    """The rows an upsert writes for these orders, in the order they came.

    `dated_at_import` holds the upstream ids of orders whose source gives no order date (a CSV file without one),
    dated with the time of the import: one the cache has already keeps the date it was first imported with.
    """
    return [_column_values(order, order.upstream_id in dated_at_import) for order in orders]


def _rounds(rows: Iterable[OrderRowValues]) -> list[list[OrderRowValues]]:
    """The rows in rounds where each (store, upstream id) comes at most once, in the order they came.

    An order that comes twice goes in a later round, so it updates what its first coming wrote.
    """
    rounds: list[list[OrderRowValues]] = []
    seen: dict[tuple[object, object], int] = {}
    for row in rows:
        key = (row[0], row[1])
        round_number = seen.get(key, 0)
        seen[key] = round_number + 1
        if round_number == len(rounds):
            rounds.append([])
        rounds[round_number].append(row)
    return rounds


def _hold_temporary_tables_in_memory(conn: sqlite3.Connection) -> None:
    # Fails when another temporary table is already in use in this transaction: a file is slower, not wrong.
    with contextlib.suppress(sqlite3.OperationalError):
        conn.execute("PRAGMA temp_store = MEMORY")


def upsert_orders(conn: sqlite3.Connection, orders: Iterable[Order]) -> UpsertCounts:
    """Insert new orders and update known ones; call inside `Cache.transaction()`.

    Orders the cache holds as cancelled or shipped are left alone: a cancelled order is frozen,
    and a shipped one must not fall back into the packing queue because a store lagged behind.
    An order that comes exactly as cached is counted unchanged and not written again.
    """
    return upsert_order_rows(conn, order_rows(orders))


def upsert_order_rows(conn: sqlite3.Connection, rows: Iterable[OrderRowValues]) -> UpsertCounts:
    """upsert_orders() for rows order_rows() built, here or in another process."""
    prepared = prepare_upsert(conn, rows)
    prepared.write()
    return prepared.counts


@dataclass(frozen=True, slots=True)
class PreparedUpsert:
    """An upsert checked against the cache and counted, and written but for its last statement: write() runs that."""

    counts: UpsertCounts
    write: Callable[[], None]


def prepare_upsert(conn: sqlite3.Connection, rows: Iterable[OrderRowValues]) -> PreparedUpsert:
    """upsert_order_rows() up to its last statement, the INSERT ... SELECT that writes the last batch.

    SQLite runs that statement, and the indexes and search index it updates, without holding Python's lock, so
    write() can run on another thread while this one goes on. Nothing else may use the connection before it is done.
    """
    now = utc_now().isoformat()
    rounds = _rounds(rows)
    inserted = updated = kept_final = unchanged = 0
    last_write: Callable[[], None] = _nothing_to_write
    if rounds:
        _hold_temporary_tables_in_memory(conn)
        conn.execute(_CREATE_INCOMING)
    for round_rows in rounds:
        for start in range(0, len(round_rows), _ORDERS_PER_BATCH):
            last_write()
            batch = round_rows[start : start + _ORDERS_PER_BATCH]
            conn.execute("DELETE FROM temp.upsert_incoming")  # a failed call outside a transaction may have left rows
            _fill_incoming(conn, batch)
            conn.execute(_KEEP_CACHED_DATES)
            known, final, same = conn.execute(_COUNT_KNOWN).fetchone()
            last_write = partial(_write_incoming, conn, now)
            inserted += len(batch) - known
            updated += known - final - same
            kept_final += final
            unchanged += same
    return PreparedUpsert(UpsertCounts(inserted, updated, kept_final, unchanged), last_write)


def _nothing_to_write() -> None:
    pass


def _write_incoming(conn: sqlite3.Connection, now: str) -> None:
    conn.execute(_UPSERT_INCOMING, {"now": now})
    conn.execute("DELETE FROM temp.upsert_incoming")


_UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")


def _fill_incoming(conn: sqlite3.Connection, batch: list[OrderRowValues]) -> None:
    try:
        conn.executemany(_FILL_INCOMING, batch)
    except UnicodeEncodeError:
        # Half an emoji a store cut off cannot be stored as SQLite text (UTF-8). The order's JSON keeps it escaped; the
        # columns to list, sort and search by show it as U+FFFD. Looked for only then: the common batch costs nothing.
        conn.execute("DELETE FROM temp.upsert_incoming")
        conn.executemany(_FILL_INCOMING, [_storable(row) for row in batch])


def _storable(row: OrderRowValues) -> OrderRowValues:
    return tuple(storable_text(value) if isinstance(value, str) else value for value in row)


def storable_text(text: str) -> str:
    """An order's text as SQLite can store it outside the order's JSON (as UTF-8): half an emoji shows as U+FFFD."""
    return _UNPAIRED_SURROGATE.sub("\ufffd", text)


def fts_query(text: str) -> str:
    """A user's search text as an FTS5 query: every word must match, each as a prefix.

    A word that punctuation splits ("MUG-2", "A-17/3", "o'brien") is a phrase: its parts must come in a row, so
    "MUG-2" does not find the order of a MUG-1 whose number starts with a 2.
    """
    words = (re.findall(r"\w+", word) for word in fold(text).split())
    return " ".join(f'"{" ".join(parts)}"*' for parts in words if parts)


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
    direction = "DESC" if query.descending else "ASC"
    order_by = ", ".join(f"{term} {direction}" for term in SORT_COLUMNS.get(query.sort, ("order_date",)))
    sql = "SELECT id FROM orders"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order_by}, id {direction}"
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


# What an order says of its shipping: the service asked for at checkout, and the codes its store's account assigned.
SHIPPING_KEYS = (
    "requested_service",
    "assigned_carrier_code",
    "assigned_service_code",
    "assigned_package_code",
    "assigned_confirmation",
)


def shipping_texts(cache: Cache, ids: Sequence[int]) -> list[tuple[str, ...]]:
    """Each order's SHIPPING_KEYS texts ("" where it has none), in the order of `ids`, read out of the stored JSON
    without building the orders: the print dialog over a few thousand selected orders opens at once."""
    paths = ", ".join(f"'$.{key}'" for key in SHIPPING_KEYS)
    rows = dict(
        cache.conn.execute(
            f"SELECT id, json_extract(data, {paths}) FROM orders WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),),
        ).fetchall()
    )
    texts = []
    for order_id in ids:
        if order_id in rows:
            values = json.loads(rows[order_id])
            texts.append(tuple(value if isinstance(value, str) else "" for value in values))
    return texts


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


def longest_order_number(cache: Cache) -> str:
    """The longest order number in the cache, '' when it has none: to size a column by, without reading every row."""
    row = cache.conn.execute("SELECT order_number FROM orders ORDER BY length(order_number) DESC LIMIT 1").fetchone()
    return str(row[0]) if row else ""


def count_orders(cache: Cache) -> int:
    count: int = cache.conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    return count


def stores(cache: Cache) -> list[str]:
    return [
        row[0] for row in cache.conn.execute("SELECT DISTINCT store FROM orders ORDER BY store COLLATE NOCASE, store")
    ]
