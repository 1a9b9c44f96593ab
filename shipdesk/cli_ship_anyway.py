"""The supervisor's options to ship orders the store says not to ship yet: --even-if-held and --even-if-unpaid."""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from shipdesk.domain import Order, OrderStatus, held_words
from shipdesk.label_batch import ShipAnyway


def add_ship_anyway_options(parser: argparse.ArgumentParser, doing: str) -> None:
    """--even-if-held and --even-if-unpaid; `doing` is what they allow ("record it", "print its label")."""
    parser.add_argument(
        "--even-if-held", action="store_true", help=f"{doing} although the order is on hold (a supervisor's call)"
    )
    parser.add_argument(
        "--even-if-unpaid",
        action="store_true",
        help=f"{doing} although the order is not paid yet (a supervisor's call)",
    )


def ship_anyway(args: argparse.Namespace) -> ShipAnyway:
    return ShipAnyway(held=args.even_if_held, unpaid=args.even_if_unpaid)


def ship_anyway_hint(refused: Iterable[Order], anyway: ShipAnyway) -> str:
    """How a supervisor prints the refused orders that were refused only for the store's word, or ''."""
    options = []
    orders = list(refused)
    if not anyway.held and any(held_words(order.status, order.hold_reason) for order in orders):
        options.append("--even-if-held")
    if not anyway.unpaid and any(order.status is OrderStatus.AWAITING_PAYMENT for order in orders):
        options.append("--even-if-unpaid")
    if not options:
        return ""
    return f"If they must go out anyway, a supervisor may print them with {' or '.join(options)}."
