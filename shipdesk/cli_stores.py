"""The `shipdesk stores …` and `shipdesk sync` commands: connect stores, change, test and sync them.

The API secret is read from SHIPDESK_API_SECRET, stdin or a prompt, goes to the OS keyring, and is never printed.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import shlex
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from shipdesk.cache import Cache
from shipdesk.cache.stores import StoreRecord, get_store, known_store_names, spelled_as_known
from shipdesk.domain import plural
from shipdesk.shipment_export import takes_files
from shipdesk.shipstation_shipping import refresh_choices, shipping_choices
from shipdesk.store_setup import (
    StoreSetupError,
    UnknownStoreId,
    UpdatesWaiting,
    check_name_free,
    connect_store,
    disconnect_store,
    edit_store,
    edited_record,
    pulls_differently,
    saved_store,
    shipstation_record,
    shipstation_settings,
    store_summaries,
    stores_there,
    try_connection,
)
from shipdesk.upstream.connector import RetryWait
from shipdesk.upstream.connectors import can_sync
from shipdesk.upstream.credentials import CredentialsError, SecretNotFoundError
from shipdesk.upstream.shipstation import DEFAULT_BASE_URL, ShipStationError
from shipdesk.upstream.shipstation_connector import DEFAULT_TIME_ZONE, KIND, client_for_store
from shipdesk.upstream.sync import FIRST_SYNC_DAYS
from shipdesk.upstream.sync_stores import sync_stores, syncable_stores

SECRET_VARIABLE = "SHIPDESK_API_SECRET"

_log = logging.getLogger(__name__)


class StoreCommandError(Exception):
    """A store command that cannot go on; printed as one line, exit 1."""


def add_store_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    stores = subparsers.add_parser("stores", help="connect, list, change, test and remove stores")
    actions = stores.add_subparsers(dest="stores_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="connect a store")
    kinds = add.add_subparsers(dest="store_kind", metavar="KIND", required=True)
    shipstation = kinds.add_parser(
        "shipstation",
        help="a ShipStation account (API v1)",
        description=f"The API secret is read from {SECRET_VARIABLE}, from stdin when it is not a terminal, "
        "or asked for; it is kept in the system keyring.",
    )
    shipstation.add_argument("--name", required=True, help="the store's name in shipdesk")
    _add_shipstation_settings(shipstation, keep_saved=False)

    edit = actions.add_parser(
        "edit",
        help="change a ShipStation store's API key, secret or settings (ShipStation must accept them first)",
        description="Only the settings given change; the name stays. With --new-secret the API secret is read from "
        f"{SECRET_VARIABLE}, from stdin when it is not a terminal, or asked for. ShipStation is asked first: when it "
        "refuses, nothing changes.",
    )
    edit.add_argument("name")
    _add_shipstation_settings(edit, keep_saved=True)
    edit.add_argument("--new-secret", action="store_true", help="replace the saved API secret (read as for add)")

    actions.add_parser("list", help="list connected stores and their sync state")
    test = actions.add_parser("test", help="check that the store answers and accepts the credentials")
    test.add_argument("name")
    remove = actions.add_parser("remove", help="disconnect a store and forget its secret (its orders stay)")
    remove.add_argument("name")
    remove.add_argument("--force", action="store_true", help="even with shipped updates still waiting for it")
    catalog = actions.add_parser("catalog", help="fetch and show the store's carriers, services and packages")
    catalog.add_argument("name")
    catalog.add_argument("--cached", action="store_true", help="show the kept catalog without asking the store")

    sync = subparsers.add_parser("sync", help="push shipped updates, then pull new and changed orders")
    sync.add_argument("--store", help="only this store")


def _add_shipstation_settings(parser: argparse.ArgumentParser, *, keep_saved: bool) -> None:
    """--api-key, --base-url, --time-zone and --store-id; with `keep_saved`, one left out keeps the saved setting."""

    def default(value: str) -> str | None:
        return None if keep_saved else value

    def default_help(value: str) -> str:
        return "default: the saved one" if keep_saved else f"default: {value}"

    parser.add_argument("--api-key", required=not keep_saved, help="the API key from ShipStation's Settings → API")
    parser.add_argument("--base-url", default=default(DEFAULT_BASE_URL), help=default_help(DEFAULT_BASE_URL))
    parser.add_argument(
        "--time-zone",
        default=default(DEFAULT_TIME_ZONE),
        help=f"zone of the account's times ({default_help(DEFAULT_TIME_ZONE)})",
    )
    store = parser.add_mutually_exclusive_group()
    store.add_argument("--store-id", type=int, help="only this ShipStation store of the account")
    if keep_saved:
        store.add_argument("--all-stores", action="store_true", help="every store of the account, not one store id")
    parser.add_argument(
        "--notify-customer",
        action=argparse.BooleanOptionalAction,
        default=None if keep_saved else False,
        help="ShipStation e-mails the customer when an order is marked shipped here "
        f"({'default: the saved choice' if keep_saved else 'default: no'})",
    )
    parser.add_argument(
        "--notify-sales-channel",
        action=argparse.BooleanOptionalAction,
        default=None if keep_saved else True,
        help="ShipStation tells the marketplace or shop the order came from "
        f"({'default: the saved choice' if keep_saved else 'default: yes'})",
    )
    mapping = parser.add_mutually_exclusive_group()
    mapping.add_argument(
        "--status-map",
        action="append",
        metavar="STATUS=READ_AS",
        help="read a ShipStation status another way, e.g. pending_fulfillment=awaiting_shipment; repeat for more"
        + ("; replaces the saved mapping" if keep_saved else ""),
    )
    if keep_saved:
        mapping.add_argument("--no-status-map", action="store_true", help="read every status as ShipStation means it")


def run_store_command(cache: Cache, args: argparse.Namespace) -> int | None:
    """Run `stores …` or `sync`; None for any other command."""
    if args.command not in ("stores", "sync"):
        return None
    try:
        if args.command == "sync":
            return _sync(cache, args.store)
        action: str = args.stores_action
        if action == "add":
            return _add_shipstation(cache, args)
        if action == "edit":
            return _edit_shipstation(cache, args)
        if action == "list":
            return _list(cache)
        if action == "test":
            return _test(cache, args.name)
        if action == "remove":
            return _remove(cache, args.name, force=args.force)
        if action == "catalog":
            return _catalog(cache, args.name, cached=args.cached)
        raise AssertionError(action)
    except (StoreCommandError, StoreSetupError, CredentialsError, ShipStationError) as error:
        print(f"shipdesk: {error}", file=sys.stderr)
        return 1


# ----------------------------------------------------------------------------- stores


def read_secret(environ: dict[str, str] | None = None, prompt: Callable[[str], str] = getpass.getpass) -> str:
    """The API secret from SHIPDESK_API_SECRET, else stdin when it is piped, else a prompt that does not echo."""
    environ = dict(os.environ) if environ is None else environ
    secret = environ.get(SECRET_VARIABLE, "")
    if not secret:
        secret = sys.stdin.readline() if not sys.stdin.isatty() else prompt("ShipStation API secret: ")
    secret = secret.strip()
    if not secret:
        raise StoreCommandError(f"No API secret given: set {SECRET_VARIABLE}, pipe it on stdin, or type it.")
    return secret


def _add_shipstation(cache: Cache, args: argparse.Namespace) -> int:
    record = shipstation_record(
        args.name,
        args.api_key,
        base_url=args.base_url,
        time_zone=args.time_zone,
        store_id="" if args.store_id is None else str(args.store_id),
        notify_customer=args.notify_customer,
        notify_sales_channel=args.notify_sales_channel,
        status_map=_status_map(args.status_map),
    )
    check_name_free(cache, record.name)  # before asking for the secret, which would be typed for nothing
    connect_store(cache, record, read_secret())
    name = record.name
    print(
        f"Store {name} saved for ShipStation ({record.config['base_url']}); the API secret is in the system keyring. "
        "Nothing was asked of ShipStation yet."
    )
    print(f"Check it with: shipdesk stores test {shlex.quote(name)}")
    return 0


def _edit_shipstation(cache: Cache, args: argparse.Namespace) -> int:
    name: str = args.name
    changes = {
        "api_key": args.api_key,
        "base_url": args.base_url,
        "time_zone": args.time_zone,
        "store_id": _store_id_change(args),
        "notify_customer": args.notify_customer,
        "notify_sales_channel": args.notify_sales_channel,
        "status_map": {} if args.no_status_map else _status_map(args.status_map),
    }
    # Before asking for a secret, which would be typed for nothing: the store, then what is to change.
    saved = saved_store(cache, name)
    record = edited_record(saved, **changes)
    if not args.new_secret and all(value is None for value in changes.values()):
        raise StoreCommandError(
            f"Nothing to change for store {name}: give the settings to change (shipdesk stores edit --help lists "
            "them) or --new-secret."
        )
    secret = read_secret() if args.new_secret else None
    afresh = pulls_differently(saved, record)
    try:
        found = edit_store(cache, record, secret)
    except SecretNotFoundError:
        raise StoreCommandError(
            f"Store {name} not changed: no API secret is saved for it; give it with --new-secret."
        ) from None
    except (ShipStationError, UnknownStoreId) as error:
        raise StoreCommandError(f"Store {name} not changed: {error}") from None
    print(f"Store {name} changed: ShipStation accepted the API key and secret ({stores_there(found)}).")
    if afresh:
        print(
            f"Its next sync starts afresh, as a first sync: orders changed in the last {FIRST_SYNC_DAYS} days are "
            "pulled again for the stores now chosen."
        )
    if secret is not None:
        print("The new API secret is in the system keyring.")
    return 0


def _store_id_change(args: argparse.Namespace) -> str | None:
    """The store id to save: "" for every store of the account, None to keep the saved one."""
    if args.all_stores:
        return ""
    return None if args.store_id is None else str(args.store_id)


def _status_map(pairs: list[str] | None) -> dict[str, str] | None:
    """--status-map STATUS=READ_AS, given once or more; None when not given."""
    if pairs is None:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        status, equals, meaning = pair.partition("=")
        if not equals or not status.strip() or not meaning.strip():
            raise StoreCommandError(
                f"--status-map takes STATUS=READ_AS, such as pending_fulfillment=awaiting_shipment (got {pair!r})."
            )
        mapping[status] = meaning
    return mapping


def _list(cache: Cache) -> int:
    summaries = store_summaries(cache)
    for summary in summaries:
        record = summary.record
        waiting = plural(summary.waiting, "update")
        failure = f" — the sync of {_utc(record.last_sync_at)} failed: {record.last_sync_error}"
        print(
            f"{record.name} ({record.kind}, {record.time_zone}): {_last_synced(record)}, {waiting} waiting"
            + (failure if record.last_sync_error else "")
        )
        if record.kind == KIND:
            print(f"  {shipstation_settings(record)}")
    print(plural(len(summaries), "store"))
    return 0


def _last_synced(record: StoreRecord) -> str:
    """When the store last synced well: a sync that failed since is said apart, with its own moment."""
    if not can_sync(record):
        return "orders from CSV files (shipdesk import-csv)"
    return f"last synced {_utc(record.last_success_at)}" if record.last_success_at else "never synced"


def _utc(moment: datetime | None) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if moment is not None else ""


def _test(cache: Cache, name: str) -> int:
    record = _shipstation_store(cache, name)
    try:
        found = try_connection(record)
    except (ShipStationError, UnknownStoreId) as error:
        print(f"Store {name} does not work: {error}", file=sys.stderr)
        return 1
    print(f"Store {name} works: ShipStation accepted the API key and secret ({stores_there(found)}).")
    return 0


def _remove(cache: Cache, name: str, *, force: bool) -> int:
    try:
        dropped = disconnect_store(cache, name, drop_waiting=force)
    except UpdatesWaiting as waiting:
        raise StoreCommandError(
            f"{waiting} Sync first, or add --force to drop {'it' if waiting.count == 1 else 'them'} unsent."
        ) from None
    print(f"Store {name} removed and its secret forgotten; its orders stay in the cache.")
    if dropped:
        orders = "that order" if dropped == 1 else "those orders"
        print(f"{plural(dropped, 'shipped update')} dropped unsent: mark {orders} shipped in the store by hand.")
    return 0


def _catalog(cache: Cache, name: str, *, cached: bool) -> int:
    record = _shipstation_store(cache, name)
    if cached:
        choices = shipping_choices(cache, name)
    else:
        with client_for_store(record) as client:
            choices = refresh_choices(cache, name, client)
    for carrier in choices:
        print(f"{carrier.name} ({carrier.code})")
        print("  services: " + (", ".join(f"{s.name} [{s.code}]" for s in carrier.services) or "none"))
        print("  packages: " + (", ".join(f"{p.name} [{p.code}]" for p in carrier.packages) or "none"))
    print(plural(len(choices), "carrier"))
    return 0


def _shipstation_store(cache: Cache, name: str) -> StoreRecord:
    record = get_store(cache, name)
    if record is None:
        raise StoreCommandError(f"There is no store named {name}.")
    if record.kind != KIND:
        raise StoreCommandError(f"Store {name} is a {record.kind} store, not a ShipStation one.")
    return record


# ----------------------------------------------------------------------------- sync


def _say_retry(store: str, wait: RetryWait | None) -> None:
    """On stderr as it happens, so a sync that waits to try again does not look hung."""
    if wait is not None:
        seconds = max(1, round(wait.seconds))
        print(
            f"Store {store}: {wait.reason}; trying again in {seconds} s (try {wait.attempt} of {wait.attempts}).",
            file=sys.stderr,
            flush=True,
        )


def _sync(cache: Cache, only: str | None) -> int:
    if only is not None:
        name = spelled_as_known(known_store_names(cache), only.strip())
        record = get_store(cache, name) if name is not None else None
        if name is None:
            raise StoreCommandError(f"There is no store named {only}.")
        if record is None and not takes_files(cache, name):
            raise StoreCommandError(f"Store {name} was removed; connect it again to sync it.")
        if record is None or not can_sync(record):  # a store of CSV files needs no record of its own
            print(f"Store {name} takes its orders from CSV files (shipdesk import-csv); nothing to sync.")
            return 0
        records = [record]
    else:
        records = syncable_stores(cache)
    if not records:
        print("No stores to sync; connect one with: shipdesk stores add shipstation --name NAME --api-key KEY")
        return 0
    failed = False
    for outcome in sync_stores(cache, records, progress=_say_retry):
        # A script reads what was done on stdout; what failed or waits for a person goes to stderr.
        for line in outcome.done_lines():
            print(line)
        for line in outcome.problem_lines():
            print(line, file=sys.stderr)
        failed = failed or bool(outcome.problem)
    return 1 if failed else 0
