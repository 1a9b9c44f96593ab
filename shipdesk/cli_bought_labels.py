"""The `shipdesk buy-label` and `shipdesk reprint-label` commands: labels bought from ShipStation for its orders.

A bought label is paid for, so it is recorded and kept at once; only then is it printed, and printed again on demand.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from shipdesk.cache import Cache
from shipdesk.cache.printers import default_printer_profile, get_printer
from shipdesk.cache.stores import StoreRecord, get_store, removed_store_kind
from shipdesk.cli_lookup import UsageError, one_order
from shipdesk.domain import Order, OrderStatus
from shipdesk.label_batch import default_printer
from shipdesk.label_printer import ProfilePdfPrinter
from shipdesk.printing.folder_printer import FolderPrinter
from shipdesk.shipping.parcel_text import read_dimensions, read_money, read_weight
from shipdesk.shipping.shipstation_labels import CONFIRMATIONS, LabelError, LabelRequest, ShipStationLabelProvider
from shipdesk.shipstation_shipping import LabelPurchase, PdfPrinter, create_label, print_label_again
from shipdesk.upstream.credentials import CredentialsError
from shipdesk.upstream.shipstation_connector import KIND, client_for_store

T = TypeVar("T")


def add_bought_label_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    buy = commands.add_parser(
        "buy-label",
        help="buy a ShipStation order's label, record the shipment and print the label",
        description="Carrier, service and package codes are the account's: see `shipdesk stores catalog STORE`.",
    )
    buy.add_argument("order_number", metavar="ORDER_NUMBER")
    buy.add_argument("--carrier", required=True, help="carrier code, e.g. stamps_com, ups, fedex")
    buy.add_argument("--service", required=True, help="service code, e.g. usps_priority_mail")
    buy.add_argument("--package", default="package", help="package code (default: package)")
    buy.add_argument("--weight", help='parcel weight such as "2 lb" or "12oz" (default: the order\'s own)')
    buy.add_argument("--dimensions", help='length×width×height such as "7x5x6.5 in"')
    buy.add_argument("--confirmation", choices=CONFIRMATIONS)
    buy.add_argument("--insure", help="insured value in the order's currency")
    buy.add_argument("--ship-date", help="YYYY-MM-DD (default: today)")
    buy.add_argument("--test-label", action="store_true", help="a test label from ShipStation: nothing is charged")
    _add_destination(buy)

    again = commands.add_parser("reprint-label", help="print the kept label of an order bought from ShipStation")
    again.add_argument("order_number", metavar="ORDER_NUMBER")
    _add_destination(again)


def _add_destination(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", help="the store, when two stores share an order number")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--printer", help="a printer profile (default: the default printer, else the label folder)")
    where.add_argument("--out", type=Path, help="a folder to write the label PDF into")


def run_bought_label_command(cache: Cache, args: argparse.Namespace) -> int | None:
    """Run `buy-label` or `reprint-label`; None for any other command."""
    if args.command == "buy-label":
        return _buy(cache, args)
    if args.command == "reprint-label":
        return _reprint(cache, args)
    return None


def _buy(cache: Cache, args: argparse.Namespace) -> int:
    stored = one_order(cache, args.order_number, args.store)
    store = _shipstation_store_of(cache, stored.order)
    request = LabelRequest(
        carrier_code=args.carrier,
        service_code=args.service,
        package_code=args.package or None,
        confirmation=args.confirmation,
        weight=_read(read_weight, args.weight, "--weight"),
        dimensions=_read(read_dimensions, args.dimensions, "--dimensions"),
        insured_value=_read(read_money, args.insure, "--insure"),
        ship_date=_read(_read_date, args.ship_date, "--ship-date"),
        test_label=args.test_label,
    )
    printer = _printer(cache, args)
    try:
        with client_for_store(store) as client:
            purchase = create_label(cache, stored.id, request, ShipStationLabelProvider(client), printer)
    except (LabelError, CredentialsError) as error:
        print(f"shipdesk: {error}", file=sys.stderr)
        return 1
    print(_bought_line(purchase))
    if purchase.test:
        print("A test label is not charged and ships nothing: the order stays as it was, here and in ShipStation.")
    if purchase.print_error:
        again = f" (shipdesk reprint-label {shlex.quote(purchase.order_number)})" if purchase.kept else ""
        print(f"shipdesk: not printed: {purchase.print_error}{again}", file=sys.stderr)
        return 1
    print(f"Label {_went(purchase.printed_to)}.")
    return 0


def _bought_line(purchase: LabelPurchase) -> str:
    """The label bought now, or found sold on an earlier try: its carrier, service, tracking number and cost."""
    shipment = purchase.shipment
    cost = "" if shipment.cost is None else f", cost {shipment.cost:,.2f}"
    label = f"{shipment.carrier} {shipment.service}, tracking number {shipment.tracking_number}{cost}."
    if purchase.sold_earlier:
        return f"Found the label ShipStation sold for order {purchase.order_number} on an earlier try: {label}"
    what = "a test label" if purchase.test else "the label"
    return f"Bought {what} of order {purchase.order_number}: {label}"


def _shipstation_store_of(cache: Cache, order: Order) -> StoreRecord:
    """The ShipStation store the order came from; a UsageError saying what to do when there is none."""
    store = get_store(cache, order.store)
    if store is None and removed_store_kind(cache, order.store) == KIND:
        raise UsageError(
            f"order {order.order_number} is from store {order.store}, which is no longer set up in shipdesk; to buy "
            f"its label, connect it again: shipdesk stores add shipstation --name {shlex.quote(order.store)} "
            "--api-key KEY"
        )
    if store is None or store.kind != KIND:
        raise UsageError(
            f"order {order.order_number} is from {order.store}, not a ShipStation store; "
            "print a label with `shipdesk label` instead"
        )
    return store


def _read_date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("not a date; write it as year-month-day, such as 2026-12-01") from None


def _reprint(cache: Cache, args: argparse.Namespace) -> int:
    stored = one_order(cache, args.order_number, args.store)
    try:
        where = print_label_again(cache, stored.id, _printer(cache, args))
    except LookupError:
        raise UsageError(_no_kept_label(stored.order)) from None
    print(f"Label of order {args.order_number} {_went(where, again=True)}.")
    return 0


def _no_kept_label(order: Order) -> str:
    """Why there is nothing to reprint, and what prints the order's label instead."""
    number = shlex.quote(order.order_number)
    if order.status is OrderStatus.SHIPPED:
        return (
            f"order {order.order_number} was shipped with a label not bought through shipdesk, so none is kept; "
            f"`shipdesk label {number} --out label.pdf` prints one from its recorded carrier and tracking number"
        )
    return f"order {order.order_number} has no label yet; buy one with `shipdesk buy-label {number}`"


def _went(where: Path | str | None, *, again: bool = False) -> str:
    """Where the label went: "saved as" the PDF file written into a folder, or "printed on" a printer."""
    verb, preposition = ("saved", "as") if isinstance(where, Path) else ("printed", "on")
    return f"{verb}{' again' if again else ''} {preposition} {where}"


def _printer(cache: Cache, args: argparse.Namespace) -> PdfPrinter:
    if args.out:
        return FolderPrinter(args.out)
    profile = get_printer(cache, args.printer) if args.printer else default_printer_profile(cache)
    return ProfilePdfPrinter(profile) if profile is not None else default_printer(cache)


def _read(reader: Callable[[str], T], text: str | None, option: str) -> T:
    try:
        return reader(text or "")
    except ValueError as error:
        raise UsageError(f"{option} {text}: {error}") from None
