"""Shipments and the outbox: recording that an order went out, and queueing that news for its store.

A shipment and its outbox row are written in one transaction; an outbox row is deleted only
once the store has confirmed the update.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from shipdesk.cache.database import Cache
from shipdesk.domain import (
    CatalogKind,
    LabelSize,
    OrderStatus,
    Shipment,
    station_date,
    utc_now,
    whole_tracking_number,
)

MARK_SHIPPED = "mark_shipped"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    order_id: int
    store: str
    kind: str
    payload: dict[str, object]
    created_at: datetime
    attempts: int
    last_error: str
    refused: bool = False  # the store refused it for good: it waits for a person to send it again or drop it


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    order_id: int
    order_number: str
    store: str
    shipment: Shipment


class AlreadyShipped(Exception):
    """The order was shipped since it was read, by another window or program: a second shipment is not recorded."""


class CancelledMeanwhile(Exception):
    """The order was cancelled since it was read (its store's sync, an import): it is not recorded as shipped."""


def record_shipment(cache: Cache, order_id: int, shipment: Shipment) -> None:
    """Mark the order shipped, keep the shipment, and queue the shipped status for the store.

    Raises AlreadyShipped or CancelledMeanwhile and records nothing when the order is shipped or cancelled by then:
    checked in the same transaction, so two programs labelling one order at once record one shipment.
    """
    shipment = replace(shipment, tracking_number=whole_tracking_number(shipment.tracking_number))
    with cache.transaction() as conn:
        status = conn.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()
        if status == (OrderStatus.SHIPPED.value,):
            raise AlreadyShipped(order_id)
        if status == (OrderStatus.CANCELLED.value,):
            raise CancelledMeanwhile(order_id)
        store, order_number, upstream_id = _record(conn, order_id, shipment, None, None)
        payload = {
            "upstream_id": upstream_id,
            "order_number": order_number,
            "carrier": shipment.carrier,
            "carrier_code": _catalog_carrier_code(conn, store, shipment.carrier),
            "service": shipment.service,
            "tracking_number": shipment.tracking_number,
            "ship_date": station_date(shipment.shipped_at).isoformat(),
            "cost": None if shipment.cost is None else str(shipment.cost),
        }
        conn.execute(
            "INSERT INTO outbox (order_id, store, kind, payload, created_at) VALUES (?, ?, ?, ?, ?)",
            (order_id, store, MARK_SHIPPED, json.dumps(payload, ensure_ascii=False), utc_now().isoformat()),
        )


def _catalog_carrier_code(conn: sqlite3.Connection, store: str, carrier: str) -> str | None:
    """The code of the store account's carrier offered under that name ("FedEx (SS)"), or None for one typed in."""
    row = conn.execute(
        "SELECT carrier_code FROM carrier_catalog WHERE store = ? AND kind = ? AND name = ?",
        (store, CatalogKind.CARRIER.value, carrier.strip()),
    ).fetchone()
    return None if row is None else str(row[0])


def record_bought_label(
    cache: Cache, order_id: int, shipment: Shipment, pdf: bytes | None, upstream_shipment_id: int | None
) -> None:
    """Mark the order shipped with a label its store sold: kept with the PDF, to print again, and the store's id of
    the shipment, which voiding the label takes (None for either when the store sent none). Nothing is queued: the
    store made the shipment itself."""
    with cache.transaction() as conn:
        _record(conn, order_id, shipment, pdf, None if upstream_shipment_id is None else str(upstream_shipment_id))


def _record(
    conn: sqlite3.Connection, order_id: int, shipment: Shipment, pdf: bytes | None, upstream_shipment_id: str | None
) -> tuple[str, str, str]:
    """Keeps the shipment and marks the order shipped; returns the order's store, number and upstream id."""
    row = conn.execute("SELECT store, order_number, upstream_id FROM orders WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        raise KeyError(order_id)
    conn.execute(
        "INSERT INTO shipments (order_id, carrier, service, package, tracking_number, cost, label_size,"
        " shipped_at, label_pdf, upstream_shipment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            order_id,
            shipment.carrier,
            shipment.service,
            shipment.package,
            shipment.tracking_number,
            None if shipment.cost is None else str(shipment.cost),
            shipment.label_size.value,
            shipment.shipped_at.isoformat(),
            pdf,
            upstream_shipment_id,
        ),
    )
    conn.execute(
        "UPDATE orders SET status = ?, hold_reason = '', data = json_set(data, '$.status', ?, '$.hold_reason', ''),"
        " updated_at = ? WHERE id = ?",
        (OrderStatus.SHIPPED.value, OrderStatus.SHIPPED.value, utc_now().isoformat(), order_id),
    )
    store, order_number, upstream_id = row
    return store, order_number, upstream_id


def shipment_from_row(row: tuple[str, str, str, str, str | None, str, str]) -> Shipment:
    carrier, service, package, tracking, cost, label_size, shipped_at = row
    return Shipment(
        carrier=carrier,
        service=service,
        package=package,
        tracking_number=tracking,
        cost=None if cost is None else Decimal(cost),
        label_size=LabelSize(label_size),
        shipped_at=datetime.fromisoformat(shipped_at),
    )


SHIPMENT_COLUMNS = "carrier, service, package, tracking_number, cost, label_size, shipped_at"


def latest_shipment(cache: Cache, order_id: int) -> Shipment | None:
    row = cache.conn.execute(
        f"SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE order_id = ? ORDER BY id DESC LIMIT 1", (order_id,)
    ).fetchone()
    return None if row is None else shipment_from_row(row)


def orders_shipped_here(cache: Cache, order_ids: Sequence[int]) -> set[int]:
    """Those of the orders that have a shipment recorded here (a label printed, bought or noted with `ship`)."""
    found: set[int] = set()
    for start in range(0, len(order_ids), 500):
        chunk = list(order_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0] for row in cache.conn.execute(f"SELECT order_id FROM shipments WHERE order_id IN ({marks})", chunk)
        )
    return found


def all_shipments(cache: Cache) -> list[ShipmentRecord]:
    rows = cache.conn.execute(
        "SELECT s.order_id, o.order_number, o.store, "
        + ", ".join(f"s.{column.strip()}" for column in SHIPMENT_COLUMNS.split(","))
        + " FROM shipments s JOIN orders o ON o.id = s.order_id ORDER BY s.shipped_at, s.id"
    )
    return [ShipmentRecord(row[0], row[1], row[2], shipment_from_row(row[3:])) for row in rows]


def pending_outbox(cache: Cache) -> list[OutboxEntry]:
    """Every update not yet confirmed by its store, oldest first: those still to be sent and those it refused."""
    rows = cache.conn.execute(
        "SELECT id, order_id, store, kind, payload, created_at, attempts, last_error, refused_at IS NOT NULL"
        " FROM outbox ORDER BY id"
    )
    return [
        OutboxEntry(
            row[0],
            row[1],
            row[2],
            row[3],
            json.loads(row[4]),
            datetime.fromisoformat(row[5]),
            row[6],
            row[7],
            bool(row[8]),  # SQLite answers 0 or 1
        )
        for row in rows
    ]


def outbox_count(cache: Cache) -> int:
    """The updates still to be sent (those a store refused wait for a person, and are counted apart)."""
    count: int = cache.conn.execute("SELECT count(*) FROM outbox WHERE refused_at IS NULL").fetchone()[0]
    return count


def refused_count(cache: Cache) -> int:
    count: int = cache.conn.execute("SELECT count(*) FROM outbox WHERE refused_at IS NOT NULL").fetchone()[0]
    return count


@dataclass(frozen=True, slots=True)
class StoreUpdateState:
    """Where the news of an order's shipment stands: still to be sent, or refused by the store (with its reason)."""

    waiting: bool = False
    refused_reason: str = ""


def store_update_state(cache: Cache, order_id: int) -> StoreUpdateState:
    """The order's updates not yet confirmed by its store; a refusal, when there is one, comes first."""
    row = cache.conn.execute(
        "SELECT refused_at IS NOT NULL, last_error FROM outbox WHERE order_id = ?"
        " ORDER BY refused_at IS NULL, id LIMIT 1",
        (order_id,),
    ).fetchone()
    if row is None:
        return StoreUpdateState()
    refused, error = row
    return StoreUpdateState(waiting=not refused, refused_reason=error if refused else "")


def confirm_outbox(cache: Cache, entry_id: int) -> None:
    """The store confirmed the update: only now does the row leave the outbox."""
    with cache.transaction() as conn:
        conn.execute("DELETE FROM outbox WHERE id = ?", (entry_id,))


def note_outbox_failure(cache: Cache, entry_id: int, error: str) -> None:
    with cache.transaction() as conn:
        conn.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?", (error, entry_id))
