"""Claims on buying an order's label: one window or program at a time buys it, so no order's label is paid twice.

A claim is taken before the purchase and released once the label is recorded or refused; it lapses by itself, so a
program that died mid-purchase does not block the order for ever. One whose purchase's answer was lost says so until it
lapses, and the claim that follows it is told, so that ShipStation is asked whether it sold that label before another
is bought.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from shipdesk.cache.database import Cache
from shipdesk.cache.shipments import AlreadyShipped
from shipdesk.domain import OrderStatus, utc_now

# Long enough for one purchase: a wait for the rate limit (up to a minute), the request and its 30 s timeout.
CLAIM_LEASE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class LabelClaim:
    """This program's claim on buying the order's label; the token tells it from a later claim of another."""

    order_id: int
    token: str
    # It took over from a lapsed claim whose purchase's answer was lost: ShipStation may have sold that label, so ask
    # it before buying another.
    after_lost_answer: bool = False


class PurchaseClaimed(Exception):
    """Another window or program claimed the order's label first: it is buying it, or its purchase's answer was lost."""

    def __init__(self, order_number: str, *, answer_lost: bool) -> None:
        if answer_lost:
            message = (
                f"order {order_number}'s label may have been bought by another window or program, which lost "
                "ShipStation's answer: check the order in ShipStation (the next sync shows it shipped if it was), "
                "or try again in a few minutes"
            )
        else:
            message = f"order {order_number}'s label is being bought by another window or program"
        super().__init__(message)
        self.order_number = order_number
        self.answer_lost = answer_lost


def claim_label_purchase(
    cache: Cache, order_id: int, *, now: datetime | None = None, lease: timedelta = CLAIM_LEASE
) -> LabelClaim:
    """Claim buying the order's label, in one transaction: the order is not shipped and no live claim holds it.

    Raises AlreadyShipped when the order is shipped, PurchaseClaimed when another claim holds it, KeyError when the
    order is not in the cache.
    """
    moment = now or utc_now()
    token = secrets.token_hex(8)
    with cache.transaction() as conn:
        order = conn.execute("SELECT order_number, status FROM orders WHERE id = ?", (order_id,)).fetchone()
        if order is None:
            raise KeyError(order_id)
        order_number, status = order
        if status == OrderStatus.SHIPPED.value:
            raise AlreadyShipped(order_id)
        held = conn.execute(
            "SELECT claimed_until, answer_lost FROM label_purchase_claims WHERE order_id = ?", (order_id,)
        ).fetchone()
        if held is not None and datetime.fromisoformat(held[0]) > moment:
            raise PurchaseClaimed(order_number, answer_lost=bool(held[1]))
        conn.execute(
            "INSERT OR REPLACE INTO label_purchase_claims (order_id, token, claimed_until) VALUES (?, ?, ?)",
            (order_id, token, (moment + lease).isoformat()),
        )
    return LabelClaim(order_id, token, after_lost_answer=held is not None and bool(held[1]))


def label_being_bought(cache: Cache, order_id: int, *, now: datetime | None = None) -> bool:
    """Whether another window or program holds a live claim on buying the order's label: one drawn here now would
    be a second label for the order."""
    row = cache.conn.execute(
        "SELECT claimed_until FROM label_purchase_claims WHERE order_id = ?", (order_id,)
    ).fetchone()
    return row is not None and datetime.fromisoformat(row[0]) > (now or utc_now())


def release_label_claim(cache: Cache, claim: LabelClaim) -> None:
    """The purchase was recorded or refused: the order's label is free to buy (or print again) by anyone."""
    with cache.transaction() as conn:
        conn.execute(
            "DELETE FROM label_purchase_claims WHERE order_id = ? AND token = ?", (claim.order_id, claim.token)
        )


def keep_claim_for_lost_answer(
    cache: Cache, claim: LabelClaim, *, now: datetime | None = None, lease: timedelta = CLAIM_LEASE
) -> None:
    """The purchase was sent and its answer lost, so ShipStation may have sold the label: the claim stays until it
    lapses, time enough for a sync to show the order shipped, and meanwhile says why to whoever tries to buy it. The
    claim taken after it lapses is marked `after_lost_answer`, so its holder asks ShipStation before buying."""
    until = ((now or utc_now()) + lease).isoformat()
    with cache.transaction() as conn:
        conn.execute(
            "UPDATE label_purchase_claims SET answer_lost = 1, claimed_until = ? WHERE order_id = ? AND token = ?",
            (until, claim.order_id, claim.token),
        )
