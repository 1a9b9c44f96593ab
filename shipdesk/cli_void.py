"""The `shipdesk void` command: take back the labels of orders, which then wait to be packed again."""

from __future__ import annotations

import argparse
import sys

from shipdesk.cache import Cache
from shipdesk.cache.shipment_voids import VoidedShipment, VoidRefused, voided_shipments
from shipdesk.cli_lookup import UsageError, json_for_stdout, one_order
from shipdesk.domain import station_date
from shipdesk.label_voiding import void_label


def add_void_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    void = commands.add_parser(
        "void",
        help="void the labels of shipped orders: they go back to awaiting shipment",
        description="A label bought from ShipStation is voided there, which refunds it. A label printed here is "
        "taken back as long as its shipped update has not reached the store.",
    )
    void.add_argument("order_numbers", metavar="ORDER_NUMBER", nargs="+")
    void.add_argument("--store", help="the store, when two stores share an order number")
    voided = commands.add_parser(
        "voided",
        help="list the labels voided, newest first",
        description="Every label voided in shipdesk, with its tracking number and cost, so a refund on the carrier's "
        "or ShipStation's bill can be matched to it.",
    )
    voided.add_argument("--json", action="store_true", help="print a JSON array")


def run_void_command(cache: Cache, args: argparse.Namespace) -> int | None:
    """Run `void` or `voided`; None for any other command. Each order is voided or refused on its own."""
    if args.command == "voided":
        return _list_voided(cache, as_json=args.json)
    if args.command != "void":
        return None
    refused = 0
    for number in args.order_numbers:
        try:
            voided = void_label(cache, one_order(cache, number, args.store).id)
        except (UsageError, VoidRefused) as error:
            print(f"shipdesk: {error}", file=sys.stderr)
            refused += 1
            continue
        print(voided_text(voided))
    return 1 if refused else 0


def voided_text(voided: VoidedShipment) -> str:
    shipment = voided.shipment
    label = f"{shipment.carrier} {shipment.service}, tracking number {shipment.tracking_number}"
    refund = "; ShipStation refunds it" if voided.refund_asked else ""
    return f"Voided the label of order {voided.order_number} ({label}){refund}. The order waits to be packed again."


def _list_voided(cache: Cache, *, as_json: bool) -> int:
    voided = voided_shipments(cache)
    if as_json:
        print(json_for_stdout([voided_dict(entry) for entry in voided]))
    else:
        print("\n".join(voided_line(entry) for entry in voided) if voided else "No label has been voided.")
    return 0


def voided_line(entry: VoidedShipment) -> str:
    """The day it was voided, the order and the label: '2026-12-01  order 1002 (Main): UPS Ground, tracking 1Z999…,
    cost 8.50; voided in ShipStation, which refunds it'."""
    shipment = entry.shipment
    cost = "" if shipment.cost is None else f", cost {shipment.cost:.2f}"
    refund = "; voided in ShipStation, which refunds it" if entry.refund_asked else ""
    return (
        f"{station_date(entry.voided_at).isoformat()}  order {entry.order_number} ({entry.store}): "
        f"{shipment.carrier} {shipment.service}, tracking {shipment.tracking_number or 'none'}{cost}{refund}"
    )


def voided_dict(entry: VoidedShipment) -> dict[str, object]:
    shipment = entry.shipment
    return {
        "order_number": entry.order_number,
        "store": entry.store,
        "carrier": shipment.carrier,
        "service": shipment.service,
        "package": shipment.package,
        "tracking_number": shipment.tracking_number,
        "cost": None if shipment.cost is None else f"{shipment.cost:.2f}",
        "shipped_at": shipment.shipped_at.isoformat(),
        "voided_at": entry.voided_at.isoformat(),
        "refund_asked": entry.refund_asked,
    }
