"""Connecting, testing and removing stores: the steps `shipdesk stores …` and the window's Stores dialog share.

A secret only passes through on its way to the keyring: nothing here files it elsewhere or puts it in a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shipdesk.cache import Cache
from shipdesk.cache.carriers import replace_catalog
from shipdesk.cache.outbox_schedule import drop_store_entries, store_outbox_count
from shipdesk.cache.stores import StoreExists, StoreRecord, add_store, get_store, list_stores, remove_store
from shipdesk.cache.sync_state import end_first_sync
from shipdesk.upstream.credentials import delete_secret, save_secret
from shipdesk.upstream.shipstation import DEFAULT_BASE_URL, ShipStationStore
from shipdesk.upstream.shipstation_connector import DEFAULT_TIME_ZONE, KIND, client_for_store


class StoreSetupError(Exception):
    """The store cannot be connected, tested or removed as asked; the message says why in the user's words."""


class UpdatesWaiting(StoreSetupError):
    """Shipped updates still wait to be sent to the store that is to be removed."""

    def __init__(self, store: str, count: int) -> None:
        super().__init__(f"{_updates(count)} still {'waits' if count == 1 else 'wait'} to be sent to store {store}.")
        self.store = store
        self.count = count


@dataclass(frozen=True, slots=True)
class StoreSummary:
    """A connected store as the list of stores shows it."""

    record: StoreRecord
    waiting: int  # shipped updates in the outbox for it


def store_summaries(cache: Cache) -> list[StoreSummary]:
    return [StoreSummary(record, store_outbox_count(cache, record.name)) for record in list_stores(cache)]


def shipstation_record(
    name: str,
    api_key: str,
    *,
    base_url: str = "",
    time_zone: str = DEFAULT_TIME_ZONE,
    store_id: str = "",
) -> StoreRecord:
    """The record of a ShipStation store from what a person typed; StoreSetupError says what is wrong with it.

    An empty base URL means ShipStation's own; an empty store id means every store of the account.
    """
    name = name.strip()
    if not name:
        raise StoreSetupError("The store needs a name.")
    time_zone = time_zone.strip()
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise StoreSetupError(f"Unknown time zone {time_zone!r} (use a name such as America/Chicago).") from None
    config = {"api_key": api_key.strip(), "base_url": base_url.strip() or DEFAULT_BASE_URL}
    store_id = store_id.strip()
    if store_id:
        if not store_id.isdigit():
            raise StoreSetupError(
                f"The ShipStation store id is a number such as 12345 (got {store_id!r}); leave it empty for all stores."
            )
        config["store_id"] = str(int(store_id))
    return StoreRecord(name=name, kind=KIND, config=config, time_zone=time_zone)


def check_name_free(cache: Cache, name: str) -> None:
    if get_store(cache, name) is not None:
        raise StoreSetupError(f"A store named {name} already exists; remove it first to connect it again.")


def check_client(record: StoreRecord, secret: str) -> None:
    """Refuses now what the client would refuse at the first sync: an empty key or secret, a plain-http address."""
    try:
        client_for_store(record, secret=secret).close()
    except ValueError as error:
        raise StoreSetupError(str(error)) from None


def connect_store(cache: Cache, record: StoreRecord, secret: str) -> None:
    """Keeps the secret in the system keyring and the record in the cache; on any refusal, neither is kept.

    Nothing is asked of ShipStation, so a store can be connected while the station is offline.
    Raises StoreSetupError, or credentials.CredentialsError when the keyring does not keep the secret.
    """
    check_name_free(cache, record.name)
    check_client(record, secret)
    save_secret(record.name, secret, store_kind=record.kind)
    try:
        add_store(cache, record)
    except StoreExists as error:  # connected meanwhile by another shipdesk on the same cache
        delete_secret(record.name, store_kind=record.kind)
        raise StoreSetupError(str(error)) from None
    except BaseException:
        delete_secret(record.name, store_kind=record.kind)
        raise


def try_connection(record: StoreRecord, *, secret: str | None = None, **client_options: Any) -> list[ShipStationStore]:
    """Asks ShipStation for the account's stores with the record's key and the secret (from the keyring unless given).

    Raises ShipStationError with ShipStation's refusal, CredentialsError without a secret, StoreSetupError for input
    the client refuses. `client_options` go to the client (the window tries once, with a shorter timeout).
    """
    if record.kind != KIND:
        raise StoreSetupError(f"Store {record.name} is a {record.kind} store; there is no connection to test.")
    try:
        client = client_for_store(record, secret=secret, **client_options)
    except ValueError as error:
        raise StoreSetupError(str(error)) from None
    with client:
        return client.list_stores()


def stores_there(found: list[ShipStationStore]) -> str:
    """'2 stores there: Main shop, Etsy', the account's stores after a successful test."""
    names = ", ".join(store.name for store in found) or "none"
    return f"{len(found)} {'store' if len(found) == 1 else 'stores'} there: {names}"


def disconnect_store(cache: Cache, name: str, *, drop_waiting: bool = False) -> int:
    """Removes the store, its waiting updates, its carriers, its first-sync rule and its secret; its orders stay.

    Refuses with UpdatesWaiting while updates still wait for it, unless `drop_waiting`; returns how many were dropped.
    """
    record = get_store(cache, name)
    if record is None:
        raise StoreSetupError(f"There is no store named {name}.")
    waiting = store_outbox_count(cache, name)
    if waiting and not drop_waiting:
        raise UpdatesWaiting(name, waiting)
    remove_store(cache, name)
    dropped = drop_store_entries(cache, name)
    replace_catalog(cache, name, [])
    end_first_sync(cache, name)
    delete_secret(name, store_kind=record.kind)
    return dropped


def _updates(count: int) -> str:
    return f"{count:,} shipped update" if count == 1 else f"{count:,} shipped updates"
