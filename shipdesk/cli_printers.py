"""The `shipdesk printers …` and `shipdesk print …` commands: printer profiles and printing to them.

Kept apart from cli.py so each file owns one group of commands; cli.py wires them in.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date

from shipdesk.cache import Cache
from shipdesk.cache.printers import (
    DPIS,
    LANGUAGES,
    MEDIA,
    PrinterProfile,
    PrinterProfileError,
    get_printer,
    list_printers,
    remove_printer,
    save_printer,
)
from shipdesk.cache.settings import origin_address
from shipdesk.cli_lookup import json_for_stdout
from shipdesk.cli_ship_anyway import add_ship_anyway_options
from shipdesk.domain import DARKNESS_RANGES, SPEED_RANGES, Address, Item, Order, utc_now
from shipdesk.label_batch import Progress, profile_label_size
from shipdesk.printer_setup import checked_profile
from shipdesk.printing.connection import parse_connection
from shipdesk.printing.devices import open_device
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.printing.label_formats import render_label
from shipdesk.printing.slip_receipt import render_packing_slips_escpos
from shipdesk.printing.tuning import PrintTuning

TEST_TRACKING_NUMBER = "SHIPDESK-TEST-0001"


def add_printer_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    printers = commands.add_parser("printers", help="printer profiles: add, list, test, remove")
    actions = printers.add_subparsers(dest="printer_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a printer, or change the one of that name")
    add.add_argument("name")
    add.add_argument("--language", required=True, choices=LANGUAGES)
    add.add_argument(
        "--uri",
        required=True,
        help="tcp://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0?baudrate=9600, cups://QUEUE, file:///folder, "
        "or system://NAME for a printer the operating system knows (system:// for its default; PDF only)",
    )
    add.add_argument("--dpi", type=int, default=203, choices=DPIS)
    add.add_argument("--media", default="4x6", choices=MEDIA)
    add.add_argument("--darkness", type=int, help=f"ZPL and TSPL printers only: {_ranges(DARKNESS_RANGES)}")
    add.add_argument("--speed", type=int, help=f"inches per second; ZPL and TSPL only: {_ranges(SPEED_RANGES)}")
    add.add_argument("--cut", action="store_true", help="cut after each label or slip")
    add.add_argument("--default", action="store_true", help="print to this printer when none is named")
    listing = actions.add_parser("list", help="list the printers")
    listing.add_argument("--json", action="store_true")
    test = actions.add_parser("test", help="print a test label (or slip, on receipt paper)")
    test.add_argument("name")
    remove = actions.add_parser("remove", help="forget a printer")
    remove.add_argument("name")

    print_command = commands.add_parser("print", help="print the labels of orders on a printer and record them")
    print_command.add_argument("order_numbers", nargs="+", metavar="ORDER_NUMBER")
    print_command.add_argument("--printer", help="printer name (default: the default printer)")
    print_command.add_argument("--carrier")
    print_command.add_argument("--service")
    print_command.add_argument("--tracking", default="", help="the carrier's tracking number (one order only)")
    print_command.add_argument("--store", help="the store, when two stores share an order number")
    add_ship_anyway_options(print_command, "print its label")


def _ranges(by_language: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{language.upper()} {lowest}-{highest}" for language, (lowest, highest) in by_language.items())


def run_printer_command(cache: Cache, args: argparse.Namespace) -> int | None:
    """Runs the command when it is one of these; None when it is not."""
    if args.command != "printers":
        return None
    action: str = args.printer_action
    if action == "add":
        profile = PrinterProfile(
            name=args.name,
            language=args.language,
            uri=args.uri,
            dpi=args.dpi,
            media=args.media,
            darkness=args.darkness,
            speed=args.speed,
            cut=args.cut,
            is_default=args.default or _default_after_saving(cache, args.name),
        )
        connection = parse_connection(args.uri)
        if connection is None:
            raise PrinterProfileError(
                f"{args.uri} is not a printer connection shipdesk knows; write it as tcp://HOST:9100, usb://VID:PID, "
                "serial:///dev/ttyUSB0?baudrate=9600, cups://QUEUE, system://PRINTER NAME or file:///folder"
            )
        save_printer(cache, checked_profile(profile, connection))
        print(f"Saved printer {profile.name}: {_describe(profile)}" + (" (the default)" if profile.is_default else ""))
        return 0
    if action == "list":
        profiles = list_printers(cache)
        if args.json:
            print(json_for_stdout([asdict(profile) for profile in profiles]))
            return 0
        for profile in profiles:
            print(f"{'*' if profile.is_default else ' '} {profile.name:<24} {_describe(profile)}")
        print(f"{len(profiles)} printers" + (" (* the default)" if profiles else ""))
        return 0
    if action == "test":
        profile = get_printer(cache, args.name)
        open_device(profile.uri, language=profile.language).send(test_job(cache, profile))
        print(f"Sent a test {'slip' if profile.media in ('58mm', '80mm') else 'label'} to {profile.name}.")
        return 0
    remove_printer(cache, args.name)
    print(f"Removed printer {args.name}.")
    return 0


def _default_after_saving(cache: Cache, name: str) -> bool:
    """Whether the printer saved under `name` is the default without --default: the first printer is, and the default
    printer changed (a new address, another darkness) stays it, or `shipdesk print` would find none."""
    printers = list_printers(cache)
    return not printers or any(printer.is_default and printer.name == name.strip() for printer in printers)


def _describe(profile: PrinterProfile) -> str:
    extras = [f"darkness {profile.darkness}"] if profile.darkness is not None else []
    extras += [f"speed {profile.speed}"] if profile.speed is not None else []
    extras += ["cut"] if profile.cut else []
    return f"{profile.language.upper()} {profile.dpi} dpi {profile.media} at {profile.uri}" + (
        f" ({', '.join(extras)})" if extras else ""
    )


def test_job(cache: Cache, profile: PrinterProfile) -> bytes:
    """A label that shows the printer works end to end: the sender, a sample address, a scannable barcode."""
    if profile.media in ("58mm", "80mm"):
        sample = Order(
            store="shipdesk test print",
            upstream_id="test",
            order_number="TEST",
            order_date=utc_now(),
            ship_to=SAMPLE_RECIPIENT,
            items=(Item("TEST-SKU", "Test item — Zoë Ørsted, Łukasz Żółw", 1),),
        )
        return render_packing_slips_escpos([sample], media=profile.media, cut=profile.cut)
    label = ShippingLabel(
        sender=origin_address(cache),
        recipient=SAMPLE_RECIPIENT,
        carrier="Test print",
        service=f"{profile.name} · {profile.dpi} dpi",
        tracking_number=TEST_TRACKING_NUMBER,
        order_number="TEST",
        ship_date=date.today(),
    )
    tuning = PrintTuning(profile.darkness, profile.speed)
    return render_label(label, profile_label_size(profile), profile.language, profile.dpi, tuning=tuning)


SAMPLE_RECIPIENT = Address(
    name="Zoë Ørsted",
    company="Test Print Ltd.",
    street1="Nørregade 7",
    city="København",
    postal_code="1165",
    country="DK",
)


def print_progress(progress: Progress) -> None:
    print(f"[{progress.done}/{progress.total}] {progress.message}", flush=True)
