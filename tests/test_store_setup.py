"""The store steps the command line and the Stores dialog share, without either of them: what a typed-in store becomes,
what changing one asks of ShipStation before it keeps anything, and what removing one leaves behind."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.carriers import replace_catalog
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.shipments import pending_outbox, record_shipment
from shipdesk.cache.stores import StoreRecord, get_store, note_sync, remove_store
from shipdesk.domain import Address, CatalogEntry, CatalogKind, Item, Order, OrderStatus, Shipment, utc_now
from shipdesk.store_setup import (
    StoreSetupError,
    UpdatesWaiting,
    connect_store,
    disconnect_store,
    edit_store,
    edited_record,
    save_store_settings,
    shipstation_record,
    stores_there,
)
from shipdesk.upstream.shipstation import DEFAULT_BASE_URL, ShipStationError, ShipStationStore
from shipdesk.upstream.shipstation_connector import NOTIFY_CUSTOMER, notify_choices
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.shipstation import FakeShipStation

MAIN_SECRET = "shipstation:Main"  # the store's secret, whatever the secret id of its account
SYNCED_UPTO = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        yield server


@pytest.fixture
def connected(cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring) -> StoreRecord:
    """Store Main, connected to the fake with its key and secret and synced once."""
    connect_store(cache, shipstation_record("Main", fake.api_key, base_url=fake.base_url), fake.api_secret)
    note_sync(cache, "Main", high_water=SYNCED_UPTO)
    record = get_store(cache, "Main")
    assert record is not None
    return record


def test_a_typed_in_store_is_trimmed_and_gets_shipstations_address_when_none_is_given() -> None:
    record = shipstation_record("  Main ", " key ", base_url=" ", time_zone=" America/Chicago ", store_id=" 0042 ")

    assert (record.name, record.kind, record.time_zone) == ("Main", "shipstation", "America/Chicago")
    assert record.config == {
        "api_key": "key",
        "base_url": DEFAULT_BASE_URL,
        "store_id": "42",
        "notify_customer": "false",  # ShipStation e-mails the customer only when asked to
        "notify_sales_channel": "true",
    }
    assert record.status_map == {}


def test_a_changed_store_keeps_its_name_its_sync_progress_and_what_was_not_typed() -> None:
    current = StoreRecord(
        name="Main",
        kind="shipstation",
        config={
            "api_key": "key",
            "base_url": "https://ss.example.com",
            "store_id": "42",
            "notify_customer": "true",
            "notify_sales_channel": "false",
            "label_note": "kept",
        },
        time_zone="America/Chicago",
        status_map={"Processing": "awaiting_shipment"},
        high_water=SYNCED_UPTO,
    )

    unchanged = edited_record(current)
    changed = edited_record(current, api_key=" new-key ", base_url="", time_zone="Europe/London", store_id="")

    assert unchanged == current
    assert changed == replace(
        current,
        config={
            "api_key": "new-key",
            "base_url": DEFAULT_BASE_URL,
            "notify_customer": "true",
            "notify_sales_channel": "false",
            "label_note": "kept",
        },
        time_zone="Europe/London",
    )


def test_whom_shipstation_tells_and_how_its_statuses_read_are_changed_only_when_asked() -> None:
    current = shipstation_record("Main", "key", status_map={"on_hold": "awaiting_shipment"})

    quiet = edited_record(current, notify_sales_channel=False)
    telling = edited_record(quiet, notify_customer=True, status_map={"Pending fulfillment": "Awaiting shipment"})
    unmapped = edited_record(telling, status_map={})

    assert notify_choices(current) == (False, True)
    assert (notify_choices(quiet), quiet.status_map) == ((False, False), {"on_hold": "awaiting_shipment"})
    assert (notify_choices(telling), telling.status_map) == (
        (True, False),
        {"pending_fulfillment": "awaiting_shipment"},
    )
    assert unmapped.status_map == {}


@pytest.mark.parametrize(
    ("mapping", "said"),
    [
        ({"Procesing": "awaiting_shipment"}, "'Procesing' is not a ShipStation status that can be read another way"),
        ({"shipped": "awaiting_shipment"}, "'shipped' is not a ShipStation status that can be read another way"),
        ({"on_hold": "shipped"}, "ShipStation's on_hold can be read as awaiting_shipment, on_hold, awaiting_payment"),
        ({"on_hold": "later"}, "not 'later'"),
    ],
)
def test_a_status_mapping_that_cannot_work_is_refused_saying_why(mapping: dict[str, str], said: str) -> None:
    with pytest.raises(StoreSetupError, match=re.escape(said)):
        shipstation_record("Main", "key", status_map=mapping)


def test_a_changed_store_is_refused_for_the_same_mistakes_as_a_new_one() -> None:
    current = StoreRecord(name="Main", kind="shipstation", config={"api_key": "key"})

    with pytest.raises(StoreSetupError, match=r"^Unknown time zone 'Mars/Olympus'"):
        edited_record(current, time_zone="Mars/Olympus")
    with pytest.raises(StoreSetupError, match=r"^Unknown time zone 'America/Argentina'"):  # a folder of zones
        edited_record(current, time_zone="America/Argentina")
    with pytest.raises(StoreSetupError, match=r"^The ShipStation store id is a number"):
        edited_record(current, store_id="main")
    with pytest.raises(StoreSetupError, match=r"^Store Market stall is a csv store; it has no ShipStation settings\.$"):
        edited_record(StoreRecord(name="Market stall", kind="csv"))


def test_a_rotated_key_and_secret_replace_the_saved_ones_once_shipstation_accepts_them(
    cache: Cache, connected: StoreRecord, fake: FakeShipStation, memory_keyring: MemoryKeyring
) -> None:
    new_key, new_secret = fake.rotate_keys()

    found = edit_store(cache, edited_record(connected, api_key=new_key), new_secret)

    assert (
        stores_there(found)
        == "2 stores there: ShipStation Manual Store (id 22766), Ashley's Test WooCommerce (id 25748)"
    )
    assert [request.authorized for request in fake.requests_to("/stores")] == [True]
    assert get_store(cache, "Main") == replace(connected, config={**connected.config, "api_key": new_key})
    assert memory_keyring.store_secrets() == {MAIN_SECRET: new_secret}


def test_a_refused_secret_changes_neither_the_store_nor_the_keyring(
    cache: Cache, connected: StoreRecord, fake: FakeShipStation, memory_keyring: MemoryKeyring
) -> None:
    old_secret = fake.api_secret
    changed = edited_record(connected, time_zone="America/Chicago")

    with pytest.raises(
        ShipStationError, match=r"^ShipStation refused the API key and secret for store Main"
    ) as refused:
        edit_store(cache, changed, "wrong-secret-0b1d")

    assert refused.value.status_code == 401
    assert "wrong-secret-0b1d" not in str(refused.value) + repr(refused.value)
    assert [request.authorized for request in fake.requests_to("/stores")] == [False]
    assert get_store(cache, "Main") == connected
    assert memory_keyring.store_secrets() == {MAIN_SECRET: old_secret}


def test_without_a_new_secret_the_saved_one_is_asked_about_and_kept(
    cache: Cache, connected: StoreRecord, fake: FakeShipStation, memory_keyring: MemoryKeyring
) -> None:
    edit_store(cache, edited_record(connected, notify_customer=True))

    assert [request.authorized for request in fake.requests_to("/stores")] == [True]
    assert get_store(cache, "Main") == replace(connected, config={**connected.config, NOTIFY_CUSTOMER: "true"})
    assert memory_keyring.store_secrets() == {MAIN_SECRET: fake.api_secret}


def test_settings_the_saved_secret_no_longer_opens_are_not_kept(
    cache: Cache, connected: StoreRecord, fake: FakeShipStation, memory_keyring: MemoryKeyring
) -> None:
    new_key, _ = fake.rotate_keys()

    with pytest.raises(ShipStationError):
        edit_store(cache, edited_record(connected, api_key=new_key))

    assert get_store(cache, "Main") == connected


def test_changing_a_store_that_is_not_connected_asks_shipstation_nothing(
    cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring
) -> None:
    record = shipstation_record("Main", fake.api_key, base_url=fake.base_url)

    with pytest.raises(StoreSetupError, match=r"^There is no store named Main\.$"):
        edit_store(cache, record, fake.api_secret)

    assert fake.requests == []
    assert memory_keyring.secrets == {}


def test_when_the_store_is_gone_before_it_is_saved_the_old_secret_stays(
    cache: Cache, connected: StoreRecord, fake: FakeShipStation, memory_keyring: MemoryKeyring
) -> None:
    old_secret = fake.api_secret
    remove_store(cache, "Main")  # as another shipdesk on the same cache file would, while ShipStation was asked

    with pytest.raises(StoreSetupError, match=r"^There is no store named Main\.$"):
        save_store_settings(cache, connected, "new-secret-44c2")

    assert memory_keyring.store_secrets() == {MAIN_SECRET: old_secret}


def test_the_accounts_stores_are_counted_in_plain_words() -> None:
    one = ShipStationStore(1, "Manual", None, "", True)
    two = ShipStationStore(2, "Etsy", 3, "Etsy", True)

    assert stores_there([one]) == "1 store there: Manual (id 1)"
    assert stores_there([one, two]) == "2 stores there: Manual (id 1), Etsy (id 2)"
    assert stores_there([]) == "0 stores there: none"


def connect_main_with_an_update_waiting(cache: Cache) -> None:
    connect_store(cache, shipstation_record("Main", "key"), "s3cr3t")
    order = Order(
        store="Main",
        upstream_id="1",
        order_number="1001",
        order_date=utc_now(),
        status=OrderStatus.AWAITING_SHIPMENT,
        ship_to=Address(name="Ada Lovelace", street1="1 Main St", city="Springfield", country="US"),
        items=(Item(sku="MUG", name="Mug", quantity=1, unit_price=Decimal(9)),),
    )
    with cache.transaction() as conn:
        upsert_orders(conn, [order])
    (stored,) = find_by_number(cache, "1001")
    record_shipment(cache, stored.id, Shipment("usps", "usps_priority_mail", "9400", utc_now()))


def test_removing_refuses_while_updates_wait_unless_they_may_be_dropped(
    cache: Cache, memory_keyring: MemoryKeyring
) -> None:
    connect_main_with_an_update_waiting(cache)

    with pytest.raises(UpdatesWaiting) as refused:
        disconnect_store(cache, "Main")
    assert (refused.value.count, str(refused.value)) == (1, "1 shipped update still waits to be sent to store Main.")
    assert get_store(cache, "Main") is not None

    assert disconnect_store(cache, "Main", drop_waiting=True) == 1
    assert get_store(cache, "Main") is None
    assert pending_outbox(cache) == []
    assert memory_keyring.secrets == {}
    with pytest.raises(StoreSetupError, match=r"There is no store named Main\."):
        disconnect_store(cache, "Main")


def test_removing_a_store_that_stops_half_way_leaves_it_whole_with_its_updates(
    cache: Cache, memory_keyring: MemoryKeyring
) -> None:
    connect_main_with_an_update_waiting(cache)
    # The disk gives out after the store and its updates are gone, while its carriers are being forgotten.
    cache.conn.execute(
        "CREATE TRIGGER disk_full BEFORE DELETE ON carrier_catalog BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    replace_catalog(cache, "Main", [CatalogEntry("usps", CatalogKind.SERVICE, "usps_priority_mail", "Priority")])

    with pytest.raises(sqlite3.DatabaseError, match="disk full"):
        disconnect_store(cache, "Main", drop_waiting=True)

    assert get_store(cache, "Main") is not None
    assert len(pending_outbox(cache)) == 1
    assert memory_keyring.secrets != {}
