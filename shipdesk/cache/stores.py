"""Connected stores: their kind, non-secret settings, time zone, status mapping and sync progress; a removed one's kind.

Secrets are not here: the OS keyring keeps them (upstream/credentials.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from shipdesk.cache.database import Cache
from shipdesk.domain import utc_now


@dataclass(frozen=True, slots=True)
class StoreRecord:
    name: str
    kind: str  # "shipstation", "customstore", "csv", ...
    config: dict[str, str] = field(default_factory=dict)  # api key, base URL: never the secret
    time_zone: str = "UTC"
    status_map: dict[str, str] = field(default_factory=dict)  # the store's status -> OrderStatus value
    high_water: datetime | None = None  # newest modify date pulled so far
    last_sync_at: datetime | None = None  # when the last sync ended, well or not: the moment last_sync_error is about
    last_sync_error: str = ""  # why that sync failed; "" when it went well
    last_success_at: datetime | None = None  # when a sync last went well: what "last synced" means to a person


class StoreExists(Exception):
    pass


class NoSuchStore(Exception):
    pass


def add_store(cache: Cache, store: StoreRecord) -> None:
    with cache.transaction() as conn:
        if conn.execute("SELECT 1 FROM stores WHERE name = ?", (store.name,)).fetchone():
            raise StoreExists(f"a store named {store.name!r} already exists")
        conn.execute(
            "INSERT INTO stores (name, kind, config, time_zone, status_map, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                store.name,
                store.kind,
                json.dumps(store.config),
                store.time_zone,
                json.dumps(store.status_map),
                utc_now().isoformat(),
            ),
        )
        conn.execute("DELETE FROM settings WHERE key = ?", (_removed_key(store.name),))


def update_store(cache: Cache, store: StoreRecord, *, sync_afresh: bool = False) -> None:
    """Replaces the settings of the store of that name: its config, time zone and status mapping.

    Its kind stays, and so do its orders and waiting updates, which are kept by the store's name. Its sync progress
    stays too, unless `sync_afresh`: then its next sync is a first sync again.
    """
    progress = (
        ", high_water = NULL, last_sync_at = NULL, last_sync_error = '', last_success_at = NULL" if sync_afresh else ""
    )
    with cache.transaction() as conn:
        changed = conn.execute(
            f"UPDATE stores SET config = ?, time_zone = ?, status_map = ?{progress} WHERE name = ?",
            (json.dumps(store.config), store.time_zone, json.dumps(store.status_map), store.name),
        ).rowcount
        if not changed:
            raise NoSuchStore(f"there is no store named {store.name!r}")


_COLUMNS = "name, kind, config, time_zone, status_map, high_water, last_sync_at, last_sync_error, last_success_at"


def _record(row: tuple[str, str, str, str, str, str | None, str | None, str, str | None]) -> StoreRecord:
    name, kind, config, zone, status_map, high_water, last_sync_at, error, last_success_at = row
    return StoreRecord(
        name=name,
        kind=kind,
        config=json.loads(config),
        time_zone=zone,
        status_map=json.loads(status_map),
        high_water=datetime.fromisoformat(high_water) if high_water else None,
        last_sync_at=datetime.fromisoformat(last_sync_at) if last_sync_at else None,
        last_sync_error=error,
        last_success_at=datetime.fromisoformat(last_success_at) if last_success_at else None,
    )


def get_store(cache: Cache, name: str) -> StoreRecord | None:
    row = cache.conn.execute(f"SELECT {_COLUMNS} FROM stores WHERE name = ?", (name,)).fetchone()
    return None if row is None else _record(row)


def list_stores(cache: Cache) -> list[StoreRecord]:
    return [_record(row) for row in cache.conn.execute(f"SELECT {_COLUMNS} FROM stores ORDER BY name")]


def known_store_names(cache: Cache) -> list[str]:
    """Every store name shipdesk knows: the stores set up, and those its orders name (CSV imports', removed ones')."""
    rows = cache.conn.execute("SELECT name FROM stores UNION SELECT DISTINCT store FROM orders").fetchall()
    return sorted((name for (name,) in rows), key=str.casefold)


def spelled_as_known(names: Iterable[str], typed: str) -> str | None:
    """`typed` as one of `names` spells it: the same name, else the only one that differs from it in case alone.

    "etsy" typed for a store named "Etsy" files the orders with Etsy's, not under a second store.
    """
    known = set(names)
    if typed in known:
        return typed
    alike = [name for name in known if name.casefold() == typed.casefold()]
    return alike[0] if len(alike) == 1 else None


# ISO texts of one zone (UTC) sort as the moments they name; a NULL mark compares as unknown, so it moves nothing.
_MOVE_HIGH_WATER = "high_water = CASE WHEN :high_water > coalesce(high_water, '') THEN :high_water ELSE high_water END"


def note_progress(conn: sqlite3.Connection, name: str, *, high_water: datetime | None) -> None:
    """Remember how far a sync still running got; the high-water mark only ever moves forward.

    Call inside the transaction that writes what the sync got that far, so the two are kept or lost together.
    """
    conn.execute(f"UPDATE stores SET {_MOVE_HIGH_WATER} WHERE name = :name", _marked(name, high_water))


def note_sync(cache: Cache, name: str, *, high_water: datetime | None, error: str = "") -> None:
    """Remember a sync that ended: well when `error` is "", else failed for that reason.

    A failed sync keeps the moment of the last one that went well; the high-water mark only ever moves forward.
    """
    now = utc_now().isoformat()
    with cache.transaction() as conn:
        conn.execute(
            "UPDATE stores SET last_sync_at = :now, last_sync_error = :error,"
            " last_success_at = CASE WHEN :error = '' THEN :now ELSE last_success_at END,"
            f" {_MOVE_HIGH_WATER} WHERE name = :name",
            {**_marked(name, high_water), "now": now, "error": error},
        )


def _marked(name: str, high_water: datetime | None) -> dict[str, str | None]:
    return {"name": name, "high_water": high_water.isoformat() if high_water else None}


def remove_store(cache: Cache, name: str) -> None:
    """Forgets the store; its kind is kept, so that its orders, which stay, can say which store they lost."""
    with cache.transaction() as conn:
        forget_store(conn, name)


def forget_store(conn: sqlite3.Connection, name: str) -> None:
    """remove_store in the caller's transaction."""
    row = conn.execute("SELECT kind FROM stores WHERE name = ?", (name,)).fetchone()
    conn.execute("DELETE FROM stores WHERE name = ?", (name,))
    if row is not None:
        _put_setting(conn, _removed_key(name), row[0])


def removed_store_kind(cache: Cache, name: str) -> str | None:
    """The kind of the store of that name when it was removed, and not added again since; None otherwise."""
    row = cache.conn.execute("SELECT value FROM settings WHERE key = ?", (_removed_key(name),)).fetchone()
    return None if row is None else str(json.loads(row[0]))


def _removed_key(name: str) -> str:
    return f"stores.removed.{name}"


def _put_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    """A settings row as cache/settings.py keeps them (JSON), written in the caller's transaction."""
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value)),
    )
