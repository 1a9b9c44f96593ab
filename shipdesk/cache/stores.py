"""Connected stores: their kind, non-secret settings, time zone, status mapping and sync progress.

Secrets are not here: the OS keyring keeps them (upstream/credentials.py).
"""

from __future__ import annotations

import json
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
    last_sync_at: datetime | None = None
    last_sync_error: str = ""


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


def update_store(cache: Cache, store: StoreRecord, *, sync_afresh: bool = False) -> None:
    """Replaces the settings of the store of that name: its config, time zone and status mapping.

    Its kind stays, and so do its orders and waiting updates, which are kept by the store's name. Its sync progress
    stays too, unless `sync_afresh`: then its next sync is a first sync again.
    """
    progress = ", high_water = NULL, last_sync_at = NULL, last_sync_error = ''" if sync_afresh else ""
    with cache.transaction() as conn:
        changed = conn.execute(
            f"UPDATE stores SET config = ?, time_zone = ?, status_map = ?{progress} WHERE name = ?",
            (json.dumps(store.config), store.time_zone, json.dumps(store.status_map), store.name),
        ).rowcount
        if not changed:
            raise NoSuchStore(f"there is no store named {store.name!r}")


def _record(row: tuple[str, str, str, str, str, str | None, str | None, str]) -> StoreRecord:
    name, kind, config, zone, status_map, high_water, last_sync_at, error = row
    return StoreRecord(
        name=name,
        kind=kind,
        config=json.loads(config),
        time_zone=zone,
        status_map=json.loads(status_map),
        high_water=datetime.fromisoformat(high_water) if high_water else None,
        last_sync_at=datetime.fromisoformat(last_sync_at) if last_sync_at else None,
        last_sync_error=error,
    )


_COLUMNS = "name, kind, config, time_zone, status_map, high_water, last_sync_at, last_sync_error"


def get_store(cache: Cache, name: str) -> StoreRecord | None:
    row = cache.conn.execute(f"SELECT {_COLUMNS} FROM stores WHERE name = ?", (name,)).fetchone()
    return None if row is None else _record(row)


def list_stores(cache: Cache) -> list[StoreRecord]:
    return [_record(row) for row in cache.conn.execute(f"SELECT {_COLUMNS} FROM stores ORDER BY name")]


def note_sync(cache: Cache, name: str, *, high_water: datetime | None, error: str = "") -> None:
    """Remember a finished (or failed) sync; the high-water mark only ever moves forward."""
    with cache.transaction() as conn:
        conn.execute(
            "UPDATE stores SET last_sync_at = ?, last_sync_error = ?,"
            " high_water = CASE WHEN ? IS NOT NULL AND (high_water IS NULL OR ? > high_water) THEN ?"
            " ELSE high_water END WHERE name = ?",
            (
                utc_now().isoformat(),
                error,
                *(3 * [high_water.isoformat() if high_water else None]),
                name,
            ),
        )


def remove_store(cache: Cache, name: str) -> None:
    with cache.transaction() as conn:
        conn.execute("DELETE FROM stores WHERE name = ?", (name,))
