"""The `shipdesk void` command: take back the labels of orders, which then wait to be packed again."""

from __future__ import annotations

import argparse
import sys

from shipdesk.cache import Cache
from shipdesk.cache.shipment_voids import VoidRefused
from shipdesk.cli_lookup import UsageError, one_order
from shipdesk.label_voiding import VoidedLabel, void_label


def add_void_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    void = commands.add_parser(
        "void",
        help="void the labels of shipped orders: they go back to awaiting shipment",
        description="A label bought from ShipStation is voided there, which refunds it. A label printed here is "
        "taken back as long as its shipped update has not reached the store.",
    )
    void.add_argument("order_numbers", metavar="ORDER_NUMBER", nargs="+")
    void.add_argument("--store", help="the store, when two stores share an order number")


def run_void_command(cache: Cache, args: argparse.Namespace) -> int | None:
    """Run `void`; None for any other command. Each order is voided or refused on its own."""
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


def voided_text(voided: VoidedLabel) -> str:
    shipment = voided.shipment
    label = f"{shipment.carrier} {shipment.service}, tracking number {shipment.tracking_number}"
    refund = "; ShipStation refunds it" if voided.refunded else ""
    return f"Voided the label of order {voided.order_number} ({label}){refund}. The order waits to be packed again."
