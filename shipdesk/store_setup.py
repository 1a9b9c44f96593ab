"""Connecting, testing, changing and removing stores: what `shipdesk stores …` and the window's Stores dialog share.

A secret only passes through on its way to the keyring: nothing here files it elsewhere or puts it in a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from shipdesk.cache import Cache
from shipdesk.cache.carriers import forget_catalog
from shipdesk.cache.outbox_schedule import drop_store_entries, store_outbox_count
from shipdesk.cache.stores import (
    NoSuchStore,
    StoreExists,
    StoreRecord,
    add_store,
    forget_store,
    get_store,
    list_stores,
    update_store,
)
from shipdesk.cache.sync_state import forget_first_sync, restart_first_sync
from shipdesk.domain import named_time_zone, plural
from shipdesk.upstream.credentials import (
    SECRET_ID,
    SecretNotFoundError,
    delete_secret,
    load_secret,
    new_secret_id,
    save_secret,
)
from shipdesk.upstream.shipstation import DEFAULT_BASE_URL, ShipStationStore
from shipdesk.upstream.shipstation_connector import (
    DEFAULT_TIME_ZONE,
    KIND,
    MAPPABLE_STATUSES,
    MAPPED_TO,
    NOTIFY_CUSTOMER,
    NOTIFY_SALES_CHANNEL,
    client_for_store,
    notify_choices,
)


class StoreSetupError(Exception):
    """The store cannot be connected, tested or removed as asked; the message says why in the user's words."""


class UnknownStoreId(StoreSetupError):
    """The key and secret work, but the store id chosen is not one of the account's active stores."""


class UpdatesWaiting(StoreSetupError):
    """Shipped updates still wait to be sent to the store that is to be removed."""

    def __init__(self, store: str, count: int) -> None:
        super().__init__(
            f"{plural(count, 'shipped update')} still {'waits' if count == 1 else 'wait'} to be sent to store {store}."
        )
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
    notify_customer: bool = False,
    notify_sales_channel: bool = True,
    status_map: Mapping[str, str] | None = None,
) -> StoreRecord:
    """The record of a ShipStation store from what a person typed; StoreSetupError says what is wrong with it.

    An empty base URL means ShipStation's own; an empty store id means every store of the account. The notify
    choices say whom ShipStation tells when shipdesk marks an order shipped: the customer by e-mail, the sales
    channel (the marketplace or shop the order came from). `status_map` reads ShipStation statuses another way.
    """
    name = name.strip()
    if not name:
        raise StoreSetupError("The store needs a name.")
    time_zone = time_zone.strip()
    if named_time_zone(time_zone) is None:
        raise StoreSetupError(f"Unknown time zone {time_zone!r} (use a name such as America/Chicago).")
    config = {"api_key": api_key.strip(), "base_url": base_url.strip() or DEFAULT_BASE_URL}
    store_id = store_id.strip()
    if store_id:
        if not store_id.isdigit():
            raise StoreSetupError(
                f"The ShipStation store id is a number such as 12345 (got {store_id!r}); leave it empty for all stores."
            )
        config["store_id"] = str(int(store_id))
    config[NOTIFY_CUSTOMER] = _flag(notify_customer)
    config[NOTIFY_SALES_CHANNEL] = _flag(notify_sales_channel)
    return StoreRecord(
        name=name, kind=KIND, config=config, time_zone=time_zone, status_map=checked_status_map(status_map or {})
    )


def checked_status_map(wanted: Mapping[str, str]) -> dict[str, str]:
    """A status mapping as a person wrote it ("On hold" → "awaiting shipment"), in the words the sync reads.

    StoreSetupError says what is wrong: a status ShipStation does not have, or a meaning an order cannot be given.
    """
    mapping: dict[str, str] = {}
    for store_status, meaning in wanted.items():
        word = _status_word(store_status)
        if word not in MAPPABLE_STATUSES:
            raise StoreSetupError(
                f"{store_status.strip()!r} is not a ShipStation status that can be read another way; "
                f"those are {', '.join(MAPPABLE_STATUSES)}."
            )
        status = _status_word(meaning)
        if status not in {choice.value for choice in MAPPED_TO}:
            raise StoreSetupError(
                f"ShipStation's {word} can be read as {', '.join(choice.value for choice in MAPPED_TO)}, "
                f"not {meaning.strip()!r}."
            )
        mapping[word] = status
    return mapping


def _status_word(text: str) -> str:
    return "_".join(text.strip().casefold().replace("-", " ").replace("_", " ").split())


def _flag(value: bool) -> str:
    return "true" if value else "false"


def shipstation_settings(record: StoreRecord) -> str:
    """Which orders, whom ShipStation tells and how statuses are read, in a line: "store 22766 only; marking …"."""
    store_id = record.config.get("store_id", "")
    orders = f"store {store_id} only" if store_id else "every store of the account"
    customer, sales_channel = notify_choices(record)
    told = [whom for whom, tell in (("the customer", customer), ("the sales channel", sales_channel)) if tell]
    tells = f"marking shipped tells {' and '.join(told)}" if told else "marking shipped tells no one"
    mapped = [f"{status} read as {meaning}" for status, meaning in record.status_map.items()]
    return "; ".join([orders, tells, *mapped])


# The config shipstation_record() makes from what was typed.
_TYPED_SETTINGS = ("api_key", "base_url", "store_id", NOTIFY_CUSTOMER, NOTIFY_SALES_CHANNEL)


def edited_record(
    current: StoreRecord,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    time_zone: str | None = None,
    store_id: str | None = None,
    notify_customer: bool | None = None,
    notify_sales_channel: bool | None = None,
    status_map: Mapping[str, str] | None = None,
) -> StoreRecord:
    """The ShipStation store `current` with the settings a person changed; None keeps that setting as it is.

    The name stays, and so does any other config the store has. A `status_map` given replaces the whole mapping.
    """
    if current.kind != KIND:
        raise StoreSetupError(f"Store {current.name} is a {current.kind} store; it has no ShipStation settings.")
    config = current.config
    customer, sales_channel = notify_choices(current)
    typed = shipstation_record(
        current.name,
        config.get("api_key", "") if api_key is None else api_key,
        base_url=config.get("base_url", "") if base_url is None else base_url,
        time_zone=current.time_zone if time_zone is None else time_zone,
        store_id=config.get("store_id", "") if store_id is None else store_id,
        notify_customer=customer if notify_customer is None else notify_customer,
        notify_sales_channel=sales_channel if notify_sales_channel is None else notify_sales_channel,
        status_map=status_map,
    )
    kept = {key: value for key, value in config.items() if key not in _TYPED_SETTINGS}
    mapping = current.status_map if status_map is None else typed.status_map
    return replace(current, config=kept | typed.config, time_zone=typed.time_zone, status_map=mapping)


def saved_store(cache: Cache, name: str) -> StoreRecord:
    record = get_store(cache, name)
    if record is None:
        raise _no_store_named(name)
    return record


def _no_store_named(name: str) -> StoreSetupError:
    return StoreSetupError(f"There is no store named {name}.")


def check_name_free(cache: Cache, name: str) -> None:
    if get_store(cache, name) is not None:
        raise StoreSetupError(f"A store named {name} already exists; edit it to change its key, secret or settings.")


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
    record = replace(record, config={**record.config, SECRET_ID: new_secret_id()})
    save_secret(record.name, secret, store_kind=record.kind, secret_id=record.config[SECRET_ID])
    try:
        add_store(cache, record)
    except StoreExists as error:  # connected meanwhile by another shipdesk on the same cache
        delete_secret(record.name, store_kind=record.kind, secret_id=record.config[SECRET_ID])
        raise StoreSetupError(str(error)) from None
    except BaseException:
        delete_secret(record.name, store_kind=record.kind, secret_id=record.config[SECRET_ID])
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
        found = client.list_stores()
    _check_store_id(record, found)
    return found


def _check_store_id(record: StoreRecord, found: list[ShipStationStore]) -> None:
    """Refuses a store id the account does not have: a sync would quietly find none of its orders."""
    store_id = str(record.config.get("store_id", ""))
    if store_id and all(str(store.store_id) != store_id for store in found):
        raise UnknownStoreId(
            f"ShipStation accepted the key and secret, but the account has no active store {store_id} "
            f"({stores_there(found)}). Choose one of those ids, or every store of the account."
        )


def edit_store(
    cache: Cache, record: StoreRecord, secret: str | None = None, **client_options: Any
) -> list[ShipStationStore]:
    """Saves a connected store's new settings, and its new secret when one is given, once ShipStation accepted them.

    Without a new secret the saved one is tried. Whatever fails or is refused, the store stays as it was.
    Raises ShipStationError, CredentialsError or StoreSetupError as try_connection and save_store_settings do;
    returns the account's stores, as the test of the connection found them.
    """
    saved_store(cache, record.name)
    found = try_connection(record, secret=secret, **client_options)
    save_store_settings(cache, record, secret)
    return found


def save_store_settings(cache: Cache, record: StoreRecord, secret: str | None) -> None:
    """Files settings ShipStation has accepted: the new secret (if any) in the keyring, the record in the cache.

    When the cache refuses the record, the keyring gets the old secret back, so the two never disagree.
    """
    if secret is None:
        _update_store(cache, record)
        return
    secret_id = record.config.get(SECRET_ID, "")
    try:
        old_secret: str | None = load_secret(record.name, store_kind=record.kind, secret_id=secret_id)
    except SecretNotFoundError:
        old_secret = None
    save_secret(record.name, secret, store_kind=record.kind, secret_id=secret_id)
    try:
        _update_store(cache, record)
    except BaseException:
        if old_secret is None:
            delete_secret(record.name, store_kind=record.kind, secret_id=secret_id)
        else:
            save_secret(record.name, old_secret, store_kind=record.kind, secret_id=secret_id)
        raise


def _update_store(cache: Cache, record: StoreRecord) -> None:
    before = get_store(cache, record.name)
    afresh = before is not None and pulls_differently(before, record)
    try:
        update_store(cache, record, sync_afresh=afresh)
    except NoSuchStore:  # removed meanwhile, by another shipdesk on the same cache
        raise _no_store_named(record.name) from None
    if afresh:
        restart_first_sync(cache, record.name)  # a first sync under the old settings: the next one takes a new cutoff


def pulls_differently(before: StoreRecord, after: StoreRecord) -> bool:
    """Whether new settings make the store's orders come from elsewhere, so its sync must start afresh.

    Another store id, address or time zone asks for orders the old high-water mark says nothing about: kept, it
    would leave out every order changed before it. A new key or secret for the same account changes nothing.
    """
    return (
        before.config.get("store_id", "") != after.config.get("store_id", "")
        or before.config.get("base_url") != after.config.get("base_url")
        or before.time_zone != after.time_zone
    )


def stores_there(found: list[ShipStationStore]) -> str:
    """'2 stores there: Main shop (id 22766), Etsy (id 25748)', the account's stores after a successful test.

    The ids are what `--store-id` and the store form's store id take.
    """
    names = ", ".join(f"{store.name} (id {store.store_id})" for store in found) or "none"
    return f"{len(found)} {'store' if len(found) == 1 else 'stores'} there: {names}"


def disconnect_store(cache: Cache, name: str, *, drop_waiting: bool = False) -> int:
    """Removes the store, its waiting updates, its carriers, its first-sync rule and its secret; its orders stay.

    Refuses with UpdatesWaiting while updates still wait for it, unless `drop_waiting`; returns how many were dropped.
    """
    record = saved_store(cache, name)
    # One transaction: an update recorded meanwhile (by another shipdesk on the cache) is counted or kept, never
    # dropped unseen, and a stop half-way leaves the store as it was.
    with cache.transaction() as conn:
        waiting = store_outbox_count(cache, name)
        if waiting and not drop_waiting:
            raise UpdatesWaiting(name, waiting)
        forget_store(conn, name)
        dropped = drop_store_entries(conn, name)
        forget_catalog(conn, name)
        forget_first_sync(conn, name)
    delete_secret(name, store_kind=record.kind, secret_id=record.config.get(SECRET_ID, ""))
    return dropped
