"""Taking back a shipment recorded here: the order goes back to the packing queue and its store hears nothing of it.

Only while the store has not heard of the shipment: once its update was sent, or handed over in an export file, the
store has the order as shipped, and only the store can change that. A label bought from ShipStation is voided there
first (shipdesk/label_voiding.py); this module keeps the cache's side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from shipdesk.cache.database import Cache
from shipdesk.cache.shipments import MARK_SHIPPED, SHIPMENT_COLUMNS, shipment_from_row
from shipdesk.domain import OrderStatus, Shipment


class VoidRefused(Exception):
    """The shipment stays as it is; the message says why, in the packer's words."""


@dataclass(frozen=True, slots=True)
class ShipmentToVoid:
    order_id: int
    order_number: str
    store: str
    shipment_row: int
    shipment: Shipment
    upstream_shipment_id: int | None  # ShipStation's, for a label bought there: void it there first
    upstream_order_id: str  # the store's id of the order
    update_row: int | None  # the update still waiting for the store, withdrawn with the shipment


@dataclass(frozen=True, slots=True)
class VoidedShipment:
    """A label voided here, kept after its shipment was taken back: what a refund on the bill is matched to."""

    order_id: int
    order_number: str
    store: str
    shipment: Shipment
    voided_at: datetime
    refund_asked: bool  # voided in ShipStation, which refunds a label bought there


def shipment_to_void(cache: Cache, order_id: int) -> ShipmentToVoid:
    """The order's latest shipment, when it can still be taken back; raises VoidRefused saying why not."""
    row = cache.conn.execute(
        "SELECT order_number, store, status, upstream_id FROM orders WHERE id = ?", (order_id,)
    ).fetchone()
    if row is None:
        raise VoidRefused("The order is no longer in the cache.")
    number, store, status, upstream_order_id = row
    if status != OrderStatus.SHIPPED.value:
        raise VoidRefused(f"Order {number} is not shipped: it has no label to void.")
    shipment_row = cache.conn.execute(
        f"SELECT id, upstream_shipment_id, label_pdf IS NOT NULL, {SHIPMENT_COLUMNS} FROM shipments"
        " WHERE order_id = ? ORDER BY id DESC LIMIT 1",
        (order_id,),
    ).fetchone()
    if shipment_row is None:
        raise VoidRefused(
            f"Order {number} was shipped outside shipdesk, so it has no label of ours to void; change it in the store."
        )
    row_id, upstream_id, bought, *columns = shipment_row
    shipment = shipment_from_row(tuple(columns))
    if upstream_id is not None:
        return ShipmentToVoid(order_id, number, store, row_id, shipment, int(upstream_id), upstream_order_id, None)
    if bought:
        raise VoidRefused(
            f"The label of order {number} was bought from ShipStation before shipdesk kept the id ShipStation voids "
            "it by; void it in ShipStation, and the next sync brings the order back."
        )
    update_row = _waiting_update(cache, order_id, number, store, shipment)
    return ShipmentToVoid(order_id, number, store, row_id, shipment, None, upstream_order_id, update_row)


def _waiting_update(cache: Cache, order_id: int, number: str, store: str, shipment: Shipment) -> int:
    """The outbox row of the shipment's update, when the store certainly has not had it and no pusher is sending it."""
    for row_id, payload, claimed_until, may_have_arrived in cache.conn.execute(
        "SELECT id, payload, claimed_until, may_have_arrived FROM outbox WHERE order_id = ? AND kind = ?"
        " ORDER BY id DESC",
        (order_id, MARK_SHIPPED),
    ):
        if json.loads(payload).get("tracking_number") != shipment.tracking_number:
            continue
        if claimed_until is not None:
            raise VoidRefused(
                f"The shipped update of order {number} is on its way to {store}; try again once the sync is done."
            )
        if may_have_arrived:
            raise VoidRefused(
                f"The shipped update of order {number} may have reached {store} already: the answer to it was lost "
                f"on the way back. The next sync finds out; if {store} does not have it then, the label can be voided."
            )
        return int(row_id)
    raise VoidRefused(
        f"The shipment of order {number} has already gone to its store ({store}), by a sync or in an export file, so "
        "the store has it as shipped; only the store can take it back now."
    )


def void_shipment(cache: Cache, target: ShipmentToVoid, now: datetime) -> VoidedShipment:
    """Forget the shipment and withdraw its update; the order waits to be packed again. Its label is kept, as returned.

    Raises VoidRefused when a pusher took the update after shipment_to_void().
    """
    refund_asked = target.upstream_shipment_id is not None  # bought in ShipStation, and voided there first
    with cache.transaction() as conn:
        if target.update_row is not None:
            withdrawn = conn.execute(
                "DELETE FROM outbox WHERE id = ? AND claimed_until IS NULL AND NOT may_have_arrived",
                (target.update_row,),
            ).rowcount
            if not withdrawn:
                raise VoidRefused(
                    f"The shipped update of order {target.order_number} was sent to {target.store} meanwhile, so the "
                    "store may have it as shipped; try again once the sync is done."
                )
        conn.execute(
            f"INSERT INTO voided_labels (order_id, {SHIPMENT_COLUMNS}, voided_at, refund_asked)"
            f" SELECT order_id, {SHIPMENT_COLUMNS}, ?, ? FROM shipments WHERE id = ?",
            (now.isoformat(), int(refund_asked), target.shipment_row),
        )
        conn.execute("DELETE FROM shipments WHERE id = ?", (target.shipment_row,))
        awaiting = OrderStatus.AWAITING_SHIPMENT.value
        conn.execute(
            "UPDATE orders SET status = ?, data = json_set(data, '$.status', ?), updated_at = ? WHERE id = ?",
            (awaiting, awaiting, now.isoformat(), target.order_id),
        )
    return VoidedShipment(target.order_id, target.order_number, target.store, target.shipment, now, refund_asked)


def voided_shipments(cache: Cache, order_id: int | None = None) -> list[VoidedShipment]:
    """The labels voided, newest first: every order's, or one order's."""
    where = "WHERE voided_labels.order_id = ?" if order_id is not None else ""
    columns = ", ".join(f"voided_labels.{column.strip()}" for column in SHIPMENT_COLUMNS.split(","))
    rows = cache.conn.execute(
        f"SELECT voided_labels.order_id, orders.order_number, orders.store, voided_at, refund_asked, {columns}"
        f" FROM voided_labels JOIN orders ON orders.id = voided_labels.order_id {where}"
        " ORDER BY voided_at DESC, voided_labels.id DESC",
        () if order_id is None else (order_id,),
    )
    return [
        VoidedShipment(
            order_id=row[0],
            order_number=row[1],
            store=row[2],
            shipment=shipment_from_row(tuple(row[5:])),
            voided_at=datetime.fromisoformat(row[3]),
            refund_asked=bool(row[4]),
        )
        for row in rows
    ]
