"""The carriers, services and packages a store's account offers, kept so the shipping choices work offline.

A refresh replaces a store's whole catalog in one transaction; each row says when it was fetched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from shipdesk.cache.database import Cache
from shipdesk.domain import CatalogEntry, CatalogKind, utc_now


def replace_catalog(cache: Cache, store: str, entries: Iterable[CatalogEntry], *, now: datetime | None = None) -> None:
    fetched_at = (now or utc_now()).isoformat()
    with cache.transaction() as conn:
        conn.execute("DELETE FROM carrier_catalog WHERE store = ?", (store,))
        conn.executemany(
            "INSERT OR REPLACE INTO carrier_catalog"
            " (store, carrier_code, kind, code, name, domestic, international, fetched_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (store, e.carrier_code, e.kind, e.code, e.name, int(e.domestic), int(e.international), fetched_at)
                for e in entries
            ],
        )


def forget_catalog(conn: sqlite3.Connection, store: str) -> None:
    """The store's carriers, services and packages deleted, in the caller's transaction."""
    conn.execute("DELETE FROM carrier_catalog WHERE store = ?", (store,))


def load_catalog(cache: Cache, store: str) -> list[CatalogEntry]:
    rows = cache.conn.execute(
        "SELECT carrier_code, kind, code, name, domestic, international FROM carrier_catalog WHERE store = ?"
        " ORDER BY carrier_code, kind, name COLLATE NOCASE, code",
        (store,),
    )
    return [CatalogEntry(row[0], CatalogKind(row[1]), row[2], row[3], bool(row[4]), bool(row[5])) for row in rows]


def catalog_fetched_at(cache: Cache, store: str) -> datetime | None:
    row = cache.conn.execute("SELECT min(fetched_at) FROM carrier_catalog WHERE store = ?", (store,)).fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None
