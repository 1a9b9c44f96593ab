"""The `shipdesk` command: the window by default, and sub-commands that operators script.

Every command prints what it did in plain words; errors go to stderr as one line and exit 1.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import shlex
import sqlite3
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from shipdesk.app import DEMO_STORE, default_db_path, open_demo_cache
from shipdesk.app_log import start_log
from shipdesk.cache import Cache, CacheError, open_cache
from shipdesk.cache.order_json import order_to_dict
from shipdesk.cache.orders import OrderQuery, StoredOrder, find_by_number, load_orders
from shipdesk.cache.outbox_schedule import drop_order_entries, send_refused_again
from shipdesk.cache.printers import PrinterProfile, PrinterProfileError, default_printer_profile, get_printer
from shipdesk.cache.settings import has_origin_address, origin_address, set_origin_address
from shipdesk.cache.shipments import (
    AlreadyShipped,
    CancelledMeanwhile,
    latest_shipment,
    pending_outbox,
    record_shipment,
)
from shipdesk.cli_bought_labels import add_bought_label_commands, run_bought_label_command
from shipdesk.cli_lookup import UsageError, json_for_stdout, one_order, stdout_is_utf8, store_named
from shipdesk.cli_printers import add_printer_commands, print_progress, run_printer_command
from shipdesk.cli_ship_anyway import add_ship_anyway_options, ship_anyway, ship_anyway_hint
from shipdesk.cli_stdout import StdoutPrinter, is_stdout, refuse_terminal, write_out, written_to
from shipdesk.cli_stores import add_store_commands, run_store_command
from shipdesk.cli_void import add_void_command, run_void_command
from shipdesk.domain import (
    Address,
    LabelSize,
    Order,
    OrderStatus,
    Shipment,
    is_combined_into_another,
    named_time_zone,
    on_hold_words,
    plural,
    status_words,
    utc_now,
    whole_tracking_number,
)
from shipdesk.import_stores import ImportStoreError, checked_import_store
from shipdesk.label_batch import (
    OWN_COURIER,
    STANDARD_SERVICE,
    LabelBatchResult,
    ShipAnyway,
    ShippingChoice,
    print_labels,
    print_labels_to_printer,
)
from shipdesk.printing.devices import Device, use_system_printers
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.file_printer import FilePrinter, JobsFile
from shipdesk.printing.label_formats import FORMATS
from shipdesk.printing.pick_list import pick_lines
from shipdesk.printing.slip_pdf import render_packing_slips_pdf
from shipdesk.printing.slip_receipt import render_packing_slips_escpos
from shipdesk.sender_setup import SenderError, checked_sender
from shipdesk.shipment_export import export_all_shipments, export_waiting_shipments, takes_files, waiting_by_store
from shipdesk.slip_printing import (
    combined_note,
    item_thumbnails,
    packing_slips_job,
    pick_list_job,
    send_job,
    without_combined,
)
from shipdesk.temp_folders import remove_abandoned_folders
from shipdesk.upstream.csv_import import DEFAULT_STORE, import_csv
from shipdesk.upstream.csvfile import CsvFileError

_log = logging.getLogger(__name__)
_SENDER_FIELDS = ("name", "company", "street1", "street2", "city", "state", "postal-code", "country", "phone")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shipdesk", description="Packing station: orders, labels, shipped status.")
    parser.add_argument("--db", type=Path, help="cache file to use (default: the platform data folder)")
    parser.add_argument("--demo", action="store_true", help="open the window on a throwaway cache of demo orders")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    importer = commands.add_parser("import-csv", help="import orders from a CSV file")
    importer.add_argument("file", type=Path)
    importer.add_argument(
        "--store",
        default=DEFAULT_STORE,
        help=f"the store the orders belong to, not one that syncs (default: {DEFAULT_STORE})",
    )
    importer.add_argument("--timezone", help="time zone of dates without one, e.g. America/Chicago (default: local)")

    orders = commands.add_parser("orders", help="list cached orders")
    orders.add_argument("--status", choices=[status.value for status in OrderStatus])
    orders.add_argument("--search", default="")
    orders.add_argument("--store")
    orders.add_argument("--json", action="store_true", help="print a JSON array")

    label = commands.add_parser("label", help="print labels for orders into one PDF file and record the shipments")
    label.add_argument("order_numbers", nargs="+", metavar="ORDER_NUMBER")
    label.add_argument("--out", type=Path, required=True, help='the file to write, or "-" for stdout (| lp)')
    label.add_argument("--format", default="pdf", choices=FORMATS, help="pdf, png or a printer language")
    label.add_argument("--dpi", type=int, default=203, help="printer resolution for raster and printer languages")
    label.add_argument("--size", default=LabelSize.FOUR_BY_SIX.value, choices=[size.value for size in LabelSize])
    label.add_argument("--carrier", default=OWN_COURIER)
    label.add_argument("--service", default=STANDARD_SERVICE)
    label.add_argument("--tracking", default="", help="the carrier's tracking number (one order only)")
    label.add_argument("--store", help="the store, when two stores share an order number")
    label.add_argument("--preview", action="store_true", help="only write the PDF; record no shipment")
    add_ship_anyway_options(label, "print its label")

    add_printer_commands(commands)
    add_bought_label_commands(commands)

    slips = commands.add_parser("slips", help="write packing slips for orders (PDF for sheets, ESC/POS for receipts)")
    slips.add_argument("order_numbers", nargs="+", metavar="ORDER_NUMBER")
    slips_to = slips.add_mutually_exclusive_group(required=True)
    slips_to.add_argument("--out", type=Path, help='a file to write, or "-" for stdout')
    slips_to.add_argument("--printer", help="a printer profile: a sheet (PDF) or receipt (ESC/POS) printer")
    slips.add_argument("--format", choices=["pdf", "escpos"], default="pdf")
    slips.add_argument("--sheet", choices=["letter", "a4"], default="letter", help="paper for PDF slips")
    slips.add_argument("--media", choices=["80mm", "58mm"], default="80mm", help="receipt paper for ESC/POS slips")
    slips.add_argument("--store", help="the store, when two stores share an order number")
    slips.add_argument("--offline", action="store_true", help="use only item images fetched before")

    picks = commands.add_parser("pick-list", help="write the pick list of a batch of orders as PDF")
    picks.add_argument("order_numbers", nargs="+", metavar="ORDER_NUMBER")
    picks_to = picks.add_mutually_exclusive_group(required=True)
    picks_to.add_argument("--out", type=Path, help='a PDF file to write, or "-" for stdout')
    picks_to.add_argument("--printer", help="a sheet printer profile (PDF)")
    picks.add_argument("--sheet", choices=["letter", "a4"], default="letter")
    picks.add_argument("--store", help="the store, when two stores share an order number")

    ship = commands.add_parser("ship", help="record an order shipped with a label from elsewhere")
    ship.add_argument("order_number", metavar="ORDER_NUMBER")
    ship.add_argument("--carrier", required=True)
    ship.add_argument("--service", required=True)
    ship.add_argument("--tracking", required=True)
    ship.add_argument("--cost")
    ship.add_argument("--package", default="")
    ship.add_argument("--store", help="the store, when two stores share an order number")
    add_ship_anyway_options(ship, "record it")

    add_void_command(commands)

    outbox = commands.add_parser("outbox", help="shipped-status updates waiting for their store")
    outbox.add_argument("--json", action="store_true")
    by_hand = outbox.add_mutually_exclusive_group()
    by_hand.add_argument(
        "--send-again", metavar="ORDER", help="send an update the store refused again, at the next sync"
    )
    by_hand.add_argument("--drop", metavar="ORDER", help="forget the order's updates: its store will not be told")
    outbox.add_argument("--store", help="the order's store, when two stores have that order number")

    export = commands.add_parser("export-shipments", help="write shipments as CSV for stores without an API")
    export.add_argument("file", type=Path)
    export.add_argument(
        "--waiting",
        action="store_true",
        help="only the shipments not yet given to their CSV-file stores; they leave the outbox (default: all)",
    )
    export.add_argument("--store", help="only this store's shipments (default: every store's)")

    origin = commands.add_parser("set-origin", help="set the sender address printed on labels")
    for name in _SENDER_FIELDS:
        origin.add_argument(f"--{name}", default="")
    origin.add_argument("--clear", action="store_true", help="print labels with no sender address")
    add_store_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _print_what_the_terminal_can_show()
    args = build_parser().parse_args(argv)
    use_system_printers(_open_system_printer)
    remove_abandoned_folders()
    try:
        if args.command is None:
            return _open_window(args)
        cache_path = args.db or default_db_path()
        cache = open_cache(cache_path)
        start_log(cache_path)
        try:
            return _run_command(cache, args)
        finally:
            cache.close()
    except KeyboardInterrupt:
        print(f"shipdesk: {_interrupted(args.command)}", file=sys.stderr)
        return 130  # as shells report a command ended by Ctrl+C
    except BrokenPipeError:
        # The reader of our output went away (`shipdesk orders | head`): nothing more to say, and nowhere to say it.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stays open until the process ends)
        return 1
    except (CacheError, CsvFileError, PrinterError, PrinterProfileError, UsageError, OSError) as error:
        print(f"shipdesk: {error}", file=sys.stderr)
        return 1
    except sqlite3.Error as error:
        print(f"shipdesk: {_cache_trouble(error)}", file=sys.stderr)
        return 1


def _print_what_the_terminal_can_show() -> None:
    """A letter the terminal has no code for prints as "?" instead of stopping the command half-way.

    A C-locale or old console is ASCII, a Windows pipe its code page: names such as "Zoë Ørsted" do not fit them.
    """
    if isinstance(sys.stdout, io.TextIOWrapper) and not stdout_is_utf8():
        sys.stdout.reconfigure(errors="replace")


def _cache_trouble(error: sqlite3.Error) -> str:
    """A cache the command could not read or write, in a line: each step that finished is its own transaction."""
    _log.error("the cache could not be read or written", exc_info=error)
    if "locked" in str(error) or "busy" in str(error):
        return (
            "the cache is busy: another shipdesk (the window, a sync) is writing to it; try again in a moment. "
            "What had finished is saved."
        )
    return f"the cache could not be read or written ({error}); what had finished is saved"


def _interrupted(command: str | None) -> str:
    """What Ctrl+C left behind: every step that finished is saved (each is its own transaction)."""
    said = "Stopped by Ctrl+C; what had finished is saved."
    if command == "buy-label":
        said += " A label being bought may have been bought anyway: check the order in ShipStation before buying again."
    return said


def _open_system_printer(uri: str) -> Device:
    from shipdesk.ui.system_printer import open_system_printer  # Qt loads only when a system printer is used

    return open_system_printer(uri)


def _open_window(args: argparse.Namespace) -> int:
    if _without_display():
        raise UsageError(
            "there is no display to open the window on (DISPLAY is not set, as in an ssh session); "
            "start shipdesk on the station's desktop, or use its commands (shipdesk --help)"
        )
    from shipdesk.ui.run_window import run_window, show_start_problem  # Qt loads only when a window is wanted

    try:
        cache = open_demo_cache() if args.demo else open_cache(args.db or default_db_path())
    except CacheError as error:
        show_start_problem(f"shipdesk cannot open its cache: {error}")  # started from a menu, no terminal shows it
        raise
    title_suffix = f"demo — {DEMO_STORE}" if args.demo else ""
    if cache.path is not None:
        start_log(cache.path)
    try:
        return run_window(cache, title_suffix=title_suffix)
    finally:
        cache.close()


def _without_display() -> bool:
    """A Linux session with neither X11 nor Wayland, where Qt would abort with a core dump and advice to reinstall."""
    if not sys.platform.startswith("linux"):
        return False
    return not any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _run_command(cache: Cache, args: argparse.Namespace) -> int:
    handled = run_store_command(cache, args)
    if handled is not None:
        return handled
    command: str = args.command
    handled = run_printer_command(cache, args)
    if handled is None:
        handled = run_bought_label_command(cache, args)
    if handled is None:
        handled = run_void_command(cache, args)
    if handled is not None:
        return handled
    if command == "print":
        return _print_to_printer(cache, args)
    if command == "import-csv":
        return _import_csv(cache, args)
    if command == "orders":
        return _list_orders(cache, args)
    if command == "label":
        return _print_label(cache, args)
    if command == "slips":
        return _slips(cache, args)
    if command == "pick-list":
        return _pick_list(cache, args)
    if command == "ship":
        return _ship(cache, args)
    if command == "outbox":
        return _outbox(cache, args)
    if command == "export-shipments":
        return _export_shipments(cache, args.file, waiting=args.waiting, store=args.store)
    if command == "set-origin":
        return _set_origin(cache, args)
    raise AssertionError(command)


def _import_csv(cache: Cache, args: argparse.Namespace) -> int:
    zone = None
    if args.timezone:
        zone = named_time_zone(args.timezone)
        if zone is None:
            raise UsageError(f"unknown time zone {args.timezone!r} (use a name such as Europe/Paris)")
    if not args.store.strip():
        raise UsageError("--store is empty: name the store the orders belong to")
    try:
        store = checked_import_store(cache, args.store)
    except ImportStoreError as error:
        raise UsageError(f"{str(error).rstrip('.')}; nothing was imported") from None
    report = import_csv(cache, args.file, store=store, zone=zone)
    print("\n".join(report.summary_lines()))
    # A script must notice a file whose every row was refused; a file with no rows at all is a quiet day.
    return 1 if report.skipped and not report.orders_read else 0


def _list_orders(cache: Cache, args: argparse.Namespace) -> int:
    store = None if args.store is None else store_named(cache, args.store)
    query = OrderQuery(status=OrderStatus(args.status) if args.status else None, store=store, search=args.search)
    stored = load_orders(cache, query)
    if args.json:
        orders_json = [order_to_dict(entry.order) for entry in stored]
        print(json_for_stdout(orders_json))
        return 0
    for entry in stored:
        order = entry.order
        status = status_words(order.status, order.hold_reason)
        items = "item " if order.item_count == 1 else "items"  # the space keeps the status column in line
        print(
            f"{order.order_number:<14} {order.order_date:%Y-%m-%d %H:%M}  {order.ship_to.name[:28]:<28} "
            f"{order.ship_to.country:<3} {order.item_count:>3} {items}  {status}"
        )
    print(plural(len(stored), "order"))
    return 0


def _print_label(cache: Cache, args: argparse.Namespace) -> int:
    if args.tracking and len(args.order_numbers) > 1:
        raise UsageError("--tracking is one order's tracking number; give one order number with it")
    if args.format == "png" and len(args.order_numbers) > 1:
        raise UsageError("a PNG holds one label; give one order number, or use --format pdf")
    if args.preview and args.format != "pdf":
        raise UsageError("--preview writes a PDF; leave out --format or --preview")
    to_stdout = is_stdout(args.out)
    if to_stdout:
        refuse_terminal("labels")
    stored = [one_order(cache, number, args.store) for number in args.order_numbers]
    for entry in stored:
        _refuse_new_tracking_for_shipped(cache, entry, args.tracking)
    order_ids = [entry.id for entry in stored]
    choice = ShippingChoice(args.carrier, args.service, "", LabelSize(args.size), args.tracking)
    anyway = ship_anyway(args)
    _warn_without_sender(cache)
    if args.format == "pdf":
        printer = StdoutPrinter() if to_stdout else FilePrinter(args.out)
        result = print_labels(cache, order_ids, choice, printer=printer, record=not args.preview, anyway=anyway)
        written = result.pdf_path
    else:
        # A relative --out ("1001.zpl") has no file URI of its own; the device below writes it where it is named.
        profile = PrinterProfile("file", args.format, args.out.absolute().as_uri(), dpi=args.dpi, media=args.size)
        device = StdoutPrinter() if to_stdout else JobsFile(args.out)
        result = print_labels_to_printer(cache, order_ids, profile, choice, device=device, anyway=anyway)
        written = args.out if result.printed else None
    _say_not_printed(stored, result, anyway)
    if result.printer_error:
        print(f"shipdesk: {result.printer_error}", file=sys.stderr)
    if written is None:
        return 1
    said = sys.stderr if to_stdout else sys.stdout  # stdout carries the label alone
    new = len(result.printed) - len(result.reprinted)
    print(f"Wrote {plural(len(result.printed), 'label')} to {written_to(written)}.", file=said)
    if not args.preview:
        again = f", {len(result.reprinted)} reprinted" if result.reprinted else ""
        print(f"{plural(new, 'order')} marked shipped{again}.", file=said)
    return 1 if result.failed or result.queued else 0


def _refuse_new_tracking_for_shipped(cache: Cache, stored: StoredOrder, typed: str) -> None:
    """A tracking number typed for an order that has its label already: only the recorded one reprints that label.

    Another would be printed as if new while the store and the export keep the recorded one.
    """
    if not typed or stored.order.status is not OrderStatus.SHIPPED:
        return
    recorded = latest_shipment(cache, stored.id)
    if recorded is None:  # shipped outside shipdesk: the batch refuses it, with that reason
        return
    if whole_tracking_number(typed).upper() == recorded.tracking_number.upper():
        return
    number = stored.order.order_number
    void = f"shipdesk void {shlex.quote(number)}"
    if len(find_by_number(cache, number)) > 1:
        void += f" --store {shlex.quote(stored.order.store)}"
    raise UsageError(
        f"order {number} is already shipped with tracking number {recorded.tracking_number}; leave out --tracking "
        f"to print that label again, or run `{void}` first to make a new one; nothing was printed"
    )


def _say_not_printed(stored: Sequence[StoredOrder], result: LabelBatchResult, anyway: ShipAnyway) -> None:
    for _order_id, reason in result.failed:
        print(f"Not printed: {reason}.", file=sys.stderr)
    failed = {order_id for order_id, _reason in result.failed}
    if hint := ship_anyway_hint((entry.order for entry in stored if entry.id in failed), anyway):
        print(hint, file=sys.stderr)


def _warn_without_sender(cache: Cache) -> None:
    if not has_origin_address(cache):
        print(
            "shipdesk: no sender address is set, so the labels have no return address; set it with "
            "`shipdesk set-origin`",
            file=sys.stderr,
        )


def _print_to_printer(cache: Cache, args: argparse.Namespace) -> int:
    if args.tracking and len(args.order_numbers) > 1:
        raise UsageError("--tracking is one order's tracking number; give one order number with it")
    profile = get_printer(cache, args.printer) if args.printer else default_printer_profile(cache)
    if profile is None:
        raise UsageError("no printer is set up; add one with `shipdesk printers add`, or name one with --printer")
    stored = [one_order(cache, number, args.store) for number in args.order_numbers]
    for entry in stored:
        _refuse_new_tracking_for_shipped(cache, entry, args.tracking)
    choice = ShippingChoice(
        args.carrier or OWN_COURIER, args.service or STANDARD_SERVICE, "", tracking_number=args.tracking
    )
    _warn_without_sender(cache)
    anyway = ship_anyway(args)
    order_ids = [entry.id for entry in stored]
    result = print_labels_to_printer(cache, order_ids, profile, choice, on_progress=print_progress, anyway=anyway)
    _say_not_printed(stored, result, anyway)
    numbers = {entry.id: entry.order.order_number for entry in stored}
    if result.printer_error:
        waiting = ", ".join(numbers[order_id] for order_id in result.queued)
        print(f"shipdesk: {result.printer_error}", file=sys.stderr)
        print(f"Still to print (not marked shipped): {waiting}. Run the same command again to retry.", file=sys.stderr)
    new = len(result.printed) - len(result.reprinted)
    again = f", {len(result.reprinted)} printed again" if result.reprinted else ""
    printed = plural(len(result.printed), "label")
    print(f"Printed {printed} on {profile.name}; {plural(new, 'order')} marked shipped{again}.")
    return 1 if result.failed or result.queued else 0


def _sheet_orders(cache: Cache, args: argparse.Namespace) -> list[Order]:
    """The named orders to print slips or a pick list for; those combined into another order are left out, said."""
    orders, combined = without_combined([one_order(cache, number, args.store).order for number in args.order_numbers])
    if combined:
        note = combined_note(combined)
        if not orders:
            raise UsageError(f"nothing printed: {note}")
        print(f"shipdesk: {note}", file=sys.stderr)
    return orders


def _slips(cache: Cache, args: argparse.Namespace) -> int:
    if args.out is not None and is_stdout(args.out):
        refuse_terminal("packing slips")
    orders = _sheet_orders(cache, args)
    if args.printer:
        profile = get_printer(cache, args.printer)
        where = send_job(
            cache, packing_slips_job(cache, orders, profile, fetch_images=not args.offline), profile, "slips"
        )
        print(f"Printed {plural(len(orders), 'packing slip')} on {where}.")
        return 0
    if args.format == "pdf":
        thumbnails = item_thumbnails(cache, orders, fetch=not args.offline)
        data = render_packing_slips_pdf(orders, sheet=args.sheet, thumbnails=thumbnails)
    else:
        data = render_packing_slips_escpos(orders, media=args.media)
    write_out(args.out, data)
    said = sys.stderr if is_stdout(args.out) else sys.stdout
    print(f"Wrote {plural(len(orders), 'packing slip')} to {written_to(args.out)}.", file=said)
    return 0


def _pick_list(cache: Cache, args: argparse.Namespace) -> int:
    if args.out is not None and is_stdout(args.out):
        refuse_terminal("pick lists")
    orders = _sheet_orders(cache, args)
    lines = plural(len(pick_lines(orders)), "line")
    profile = get_printer(cache, args.printer) if args.printer else None
    job = pick_list_job(orders, profile, sheet=None if profile else args.sheet)
    what = f"the pick list of {plural(len(orders), 'order')} ({lines})"
    if profile is None:
        write_out(args.out, job)
        said = sys.stderr if is_stdout(args.out) else sys.stdout
        print(f"Wrote {what} to {written_to(args.out)}.", file=said)
    else:
        print(f"Printed {what} on {send_job(cache, job, profile, 'pick-list')}.")
    return 0


def _ship(cache: Cache, args: argparse.Namespace) -> int:
    _refuse_blank(args, "carrier", "service", "tracking")  # a script's empty variable: the store would get no parcel
    stored = one_order(cache, args.order_number, args.store)
    overridden = _why_not_to_ship(stored.order, even_if_held=args.even_if_held, even_if_unpaid=args.even_if_unpaid)
    try:
        cost = Decimal(args.cost) if args.cost is not None else None
    except InvalidOperation:
        cost = Decimal("NaN")
    if cost is not None and (not cost.is_finite() or cost < 0):  # it goes to the store and the export file
        raise UsageError(f"cost {args.cost!r} is not an amount such as 7.30")
    shipment = Shipment(
        carrier=args.carrier,
        service=args.service,
        package=args.package,
        tracking_number=args.tracking,
        cost=cost,
        shipped_at=utc_now(),
    )
    try:
        record_shipment(cache, stored.id, shipment)
    except AlreadyShipped:
        raise UsageError(f"order {args.order_number} was shipped meanwhile, by another window or program") from None
    except CancelledMeanwhile:
        raise UsageError(f"order {args.order_number} was cancelled meanwhile") from None
    although = ""
    if overridden:
        _log.warning("order %s of %s marked shipped although %s", args.order_number, stored.order.store, overridden)
        although = f", although {overridden}"
    print(f"Order {args.order_number} marked shipped ({args.carrier} {args.service}, {args.tracking}){although}.")
    return 0


def _why_not_to_ship(order: Order, *, even_if_held: bool, even_if_unpaid: bool) -> str:
    """What the store said against shipping the order that the supervisor's option overrides ("it was on hold: …"),
    or ''; UsageError when the order must not be recorded shipped.

    On hold or awaiting payment in the store means: do not ship. A packer recording such an order shipped has nearly
    always the wrong order; a supervisor who means it says so with the option.
    """
    number = order.order_number
    if order.status is OrderStatus.SHIPPED:
        raise UsageError(f"order {number} is already shipped")
    if order.status is OrderStatus.CANCELLED:
        raise UsageError(f"order {number} was cancelled; nothing was recorded")
    if is_combined_into_another(order):  # its items went out with the other order, which is the one to record
        raise UsageError(f"order {number} is not shipped on its own: {order.hold_reason}; nothing was recorded")
    if order.status is OrderStatus.ON_HOLD:
        held = on_hold_words(order.hold_reason)
        if not even_if_held:
            raise UsageError(
                f"order {number} is {held}, so it must not ship; nothing was recorded. "
                "If it went out anyway, a supervisor may record it with --even-if-held"
            )
        return f"it was {held}"
    if order.status is OrderStatus.AWAITING_PAYMENT:
        if not even_if_unpaid:
            raise UsageError(
                f"order {number} is awaiting payment, so it must not ship yet; nothing was recorded. "
                "If it went out anyway, a supervisor may record it with --even-if-unpaid"
            )
        return "it was awaiting payment"
    return ""


def _refuse_blank(args: argparse.Namespace, *options: str) -> None:
    blank = [f"--{option}" for option in options if not getattr(args, option).strip()]
    if blank:
        raise UsageError(f"{' and '.join(blank)} cannot be empty; nothing was recorded")


def _outbox(cache: Cache, args: argparse.Namespace) -> int:
    if args.send_again or args.drop:
        return _outbox_by_hand(cache, args)
    entries = pending_outbox(cache)
    if args.json:
        rows = [
            {
                "id": entry.id,
                "store": entry.store,
                "kind": entry.kind,
                "created_at": entry.created_at.isoformat(),
                "attempts": entry.attempts,
                "last_error": entry.last_error,
                "refused": entry.refused,
                **entry.payload,
            }
            for entry in entries
        ]
        print(json_for_stdout(rows))
        return 0
    for entry in entries:
        payload = entry.payload
        if entry.refused:
            number = shlex.quote(str(payload["order_number"]))
            if len(find_by_number(cache, str(payload["order_number"]))) > 1:  # the number is in another store too
                number += f" --store {shlex.quote(entry.store)}"
            state = f" — refused by the store: {entry.last_error} (--send-again {number} or --drop {number})"
        else:
            state = f" — last try failed: {entry.last_error}" if entry.last_error else ""
        print(
            f"{entry.store}: order {payload['order_number']} shipped {payload['carrier']} {payload['service']} "
            f"{payload['tracking_number']}{state}"
        )
    refused = sum(entry.refused for entry in entries)
    waiting = len(entries) - refused
    print(
        f"{plural(waiting, 'update')} waiting for {'its' if waiting == 1 else 'their'} store"
        + (f"; {refused:,} refused, waiting for you" if refused else "")
    )
    return 0


def _outbox_by_hand(cache: Cache, args: argparse.Namespace) -> int:
    stored = one_order(cache, args.send_again or args.drop, args.store)
    number = stored.order.order_number
    if args.send_again:
        count = send_refused_again(cache, stored.id)
        if not count:
            raise UsageError(f"no update of order {number} was refused by its store; nothing to send again")
        print(
            f"Order {number}: {plural(count, 'update')} back in line; "
            f"the next sync sends {'it' if count == 1 else 'them'} to {stored.order.store}."
        )
        return 0
    count = drop_order_entries(cache, stored.id)
    if not count:
        raise UsageError(f"no update of order {number} is in the outbox; nothing to drop")
    print(f"Order {number}: {plural(count, 'update')} dropped; {stored.order.store} will not hear of it from shipdesk.")
    return 0


def _export_shipments(cache: Cache, path: Path, *, waiting: bool, store: str | None) -> int:
    """Writes the file, or stdout for "-" (what was done then goes to stderr, so the pipe carries the CSV alone)."""
    to_stdout = str(path) == "-"
    if waiting and not to_stdout and path.exists():
        # The file may hold updates handed over before and not uploaded yet: they are in no outbox any more.
        raise UsageError(
            f"{path} exists and may hold shipped updates not uploaded yet; upload and move it, or name another file; "
            "nothing was exported"
        )
    if store is not None:
        store = _export_store(cache, store, waiting=waiting)
    elif waiting:
        store = _only_store_waiting(cache)
    destination: Path | BinaryIO = sys.stdout.buffer if to_stdout else path
    try:
        if waiting:
            export = export_waiting_shipments(cache, destination, store=store)
        else:
            export = export_all_shipments(cache, destination, store=store)
    except BrokenPipeError:
        raise
    except OSError as error:
        raise UsageError(f"{path} could not be written ({error.strerror or error}); nothing was exported") from None
    said = sys.stderr if to_stdout else sys.stdout
    where = "stdout" if to_stdout else path
    print(f"Wrote {plural(export.written, 'shipment')}{f' of {store}' if store else ''} to {where}.", file=said)
    if export.handed_over:
        updates = plural(export.handed_over, "shipped update")
        print(
            f"{updates} handed over in the file and gone from the outbox: upload it to {store or 'the store'}.",
            file=said,
        )
    return 0


def _only_store_waiting(cache: Cache) -> str | None:
    """The one store shipped updates wait for; refused when they wait for several, as each uploads its own file and
    a file of several stores' orders names none of them."""
    waiting = waiting_by_store(cache)
    if len(waiting) > 1:
        counts = ", ".join(f"{plural(count, 'update')} for {store}" for store, count in waiting.items())
        raise UsageError(
            f"shipped updates wait for {len(waiting)} stores ({counts}); each store uploads its own file, so name "
            "one with --store; nothing was exported"
        )
    return next(iter(waiting), None)


def _export_store(cache: Cache, typed: str, *, waiting: bool) -> str:
    """The store `--store` names, as it is spelled; one that gets its updates by sync has none waiting for a file."""
    store = store_named(cache, typed)
    if waiting and not takes_files(cache, store):
        raise UsageError(f"{store} gets its shipped updates by sync, so none wait for a file")
    return store


def _set_origin(cache: Cache, args: argparse.Namespace) -> int:
    """Saves the sender given; with none given, shows the saved one (clearing it takes --clear, so a look loses
    nothing)."""
    given = any(getattr(args, name.replace("-", "_")).strip() for name in _SENDER_FIELDS)
    if given and args.clear:
        raise UsageError("--clear takes no address; give either the sender or --clear")
    if not given and not args.clear:
        lines = origin_address(cache).lines()
        print("Labels show the sender:\n  " + "\n  ".join(lines) if lines else "Labels show no sender yet.")
        return 0
    address = Address(
        name=args.name,
        company=args.company,
        street1=args.street1,
        street2=args.street2,
        city=args.city,
        state=args.state,
        postal_code=args.postal_code,
        country=args.country,
        phone=args.phone,
    )
    try:
        set_origin_address(cache, checked_sender(address))
    except SenderError as error:
        raise UsageError(f"sender not saved: {error}") from None
    lines = origin_address(cache).lines()
    print("Labels now show the sender:\n  " + "\n  ".join(lines) if lines else "Labels now show no sender.")
    return 0
