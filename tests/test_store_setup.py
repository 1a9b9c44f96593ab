"""The store steps the command line and the Stores dialog share, without either of them: what a typed-in store becomes,
and what removing one leaves behind."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.shipments import pending_outbox, record_shipment
from shipdesk.cache.stores import get_store
from shipdesk.domain import Address, Item, Order, OrderStatus, Shipment, utc_now
from shipdesk.store_setup import (
    StoreSetupError,
    UpdatesWaiting,
    connect_store,
    disconnect_store,
    shipstation_record,
    stores_there,
)
from shipdesk.upstream.shipstation import DEFAULT_BASE_URL, ShipStationStore
from tests.fakes.memory_keyring import MemoryKeyring


def test_a_typed_in_store_is_trimmed_and_gets_shipstations_address_when_none_is_given() -> None:
    record = shipstation_record("  Main ", " key ", base_url=" ", time_zone=" America/Chicago ", store_id=" 0042 ")

    assert (record.name, record.kind, record.time_zone) == ("Main", "shipstation", "America/Chicago")
    assert record.config == {"api_key": "key", "base_url": DEFAULT_BASE_URL, "store_id": "42"}


def test_the_accounts_stores_are_counted_in_plain_words() -> None:
    one = ShipStationStore(1, "Manual", None, "", True)
    two = ShipStationStore(2, "Etsy", 3, "Etsy", True)

    assert stores_there([one]) == "1 store there: Manual"
    assert stores_there([one, two]) == "2 stores there: Manual, Etsy"
    assert stores_there([]) == "0 stores there: none"


def test_removing_refuses_while_updates_wait_unless_they_may_be_dropped(
    cache: Cache, memory_keyring: MemoryKeyring
) -> None:
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
