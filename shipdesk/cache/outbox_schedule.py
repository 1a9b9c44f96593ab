"""When each outbox entry may be pushed next: claiming an entry for one push, and putting off a failed one.

A claim moves next_attempt_at forward by a lease, so two pushers (the window and `shipdesk sync`) never send one entry
at the same time, and an entry claimed by a pusher that died is tried again once its lease runs out.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

from shipdesk.cache.database import Cache
from shipdesk.cache.shipments import OutboxEntry

_COLUMNS = "id, order_id, store, kind, payload, created_at, attempts, last_error"


def due_entries(cache: Cache, store: str, now: datetime) -> list[OutboxEntry]:
    """The store's entries that may be pushed at `now`, oldest first.

    An entry waits behind an earlier entry of the same order that is not due, so an order's updates keep their order.
    """
    rows = cache.conn.execute(
        f"SELECT {_COLUMNS}, next_attempt_at, refused_at FROM outbox WHERE store = ? ORDER BY id", (store,)
    )
    due: list[OutboxEntry] = []
    waiting: set[int] = set()
    for row in rows:
        order_id, next_attempt_at, refused_at = row[1], row[8], row[9]
        if order_id in waiting:
            continue
        if refused_at is not None or (next_attempt_at is not None and datetime.fromisoformat(next_attempt_at) > now):
            waiting.add(order_id)
            continue
        due.append(_entry(row[:8]))
    return due


def claim_entry(cache: Cache, entry_id: int, now: datetime, lease: timedelta) -> bool:
    """Take the entry for one push until `now + lease`; False when it is gone, refused, or another pusher holds it.

    The claim stays on the entry until the push ends (postpone, refuse, release, or the entry confirmed and gone),
    however long the push waits: until then the store may get the update at any moment. A claim still there when
    the entry is taken again was left by a pusher that died mid-way, whose request may have arrived.
    """
    with cache.transaction() as conn:
        cursor = conn.execute(
            "UPDATE outbox SET next_attempt_at = ?1, claimed_until = ?1,"
            " may_have_arrived = may_have_arrived OR claimed_until IS NOT NULL"
            " WHERE id = ?2 AND refused_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?3)",
            (outbox_moment(now + lease), entry_id, outbox_moment(now)),
        )
        return cursor.rowcount == 1


def may_have_arrived(cache: Cache, entry_id: int) -> bool:
    """Whether an earlier push of the entry may have reached its store (sent and not answered, or cut short)."""
    row = cache.conn.execute("SELECT may_have_arrived FROM outbox WHERE id = ?", (entry_id,)).fetchone()
    return row is not None and bool(row[0])


def postpone_entry(
    cache: Cache, entry_id: int, error: str, next_attempt_at: datetime, *, may_have_arrived: bool
) -> None:
    """Count a failed push, keep its reason, and leave the entry alone until `next_attempt_at`; `may_have_arrived`
    when the push was sent and its answer lost, which stays known until the store confirms the update."""
    with cache.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_until = NULL,"
            " may_have_arrived = may_have_arrived OR ? WHERE id = ?",
            (error, outbox_moment(next_attempt_at), may_have_arrived, entry_id),
        )


def refuse_entry(cache: Cache, entry_id: int, error: str, now: datetime) -> None:
    """The store refused the update for good: keep it, with the reason, for a person to send again or drop."""
    with cache.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, refused_at = ?, next_attempt_at = NULL,"
            " claimed_until = NULL WHERE id = ?",
            (error, outbox_moment(now), entry_id),
        )


def send_refused_again(cache: Cache, order_id: int) -> int:
    """The order's refused updates go back in line, to be sent at the next sync; returns how many."""
    with cache.transaction() as conn:
        return conn.execute(
            "UPDATE outbox SET refused_at = NULL, next_attempt_at = NULL, attempts = 0"
            " WHERE order_id = ? AND refused_at IS NOT NULL",
            (order_id,),
        ).rowcount


def drop_order_entries(cache: Cache, order_id: int) -> int:
    """Forget the order's updates: its store will not hear of them from shipdesk. Returns how many there were."""
    with cache.transaction() as conn:
        return conn.execute("DELETE FROM outbox WHERE order_id = ?", (order_id,)).rowcount


def release_entry(cache: Cache, entry_id: int, *, may_have_arrived: bool = True) -> None:
    """Give back an entry whose push was cut short (the app closing): due at once again, and maybe at the store
    unless `may_have_arrived` is False (the push was cut before it sent anything)."""
    with cache.transaction() as conn:
        conn.execute(
            "UPDATE outbox SET next_attempt_at = NULL, claimed_until = NULL, may_have_arrived = may_have_arrived OR ?"
            " WHERE id = ?",
            (may_have_arrived, entry_id),
        )


def next_attempt_times(cache: Cache, store: str) -> list[datetime | None]:
    return [
        datetime.fromisoformat(row[0]) if row[0] else None
        for row in cache.conn.execute("SELECT next_attempt_at FROM outbox WHERE store = ? ORDER BY id", (store,))
    ]


def store_outbox_count(cache: Cache, store: str) -> int:
    """Every update the store has not confirmed: still to be sent, or refused and waiting for a person."""
    count: int = cache.conn.execute("SELECT count(*) FROM outbox WHERE store = ?", (store,)).fetchone()[0]
    return count


def store_refused_count(cache: Cache, store: str) -> int:
    count: int = cache.conn.execute(
        "SELECT count(*) FROM outbox WHERE store = ? AND refused_at IS NOT NULL", (store,)
    ).fetchone()[0]
    return count


def outbox_moment(moment: datetime) -> str:
    """A moment as the outbox's times are written: one fixed form, so SQLite's text comparison orders them right."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _entry(row: tuple[int, int, str, str, str, str, int, str]) -> OutboxEntry:
    return OutboxEntry(
        row[0], row[1], row[2], row[3], json.loads(row[4]), datetime.fromisoformat(row[5]), row[6], row[7]
    )


def drop_store_entries(conn: sqlite3.Connection, store: str) -> int:
    """Forget every update waiting for a store that is being removed, in the caller's transaction; returns how many
    there were."""
    return conn.execute("DELETE FROM outbox WHERE store = ?", (store,)).rowcount
