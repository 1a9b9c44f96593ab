"""Wiring for tests: a ShipStation store record in the cache that points at a FakeShipStation, and its connector.

Orders in ShipStation's JSON shape are built from the documentation's example, changed where a test needs it.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from shipdesk.cache import Cache
from shipdesk.cache.stores import StoreRecord, add_store, get_store
from shipdesk.upstream.rate_limit import RateLimiter
from shipdesk.upstream.shipstation_connector import DEFAULT_TIME_ZONE, KIND, ShipStationConnector, connector_for_store
from shipdesk.upstream.sync_stores import ConnectorFactory
from tests.fakes.shipstation import FakeShipStation, load_sample, pacific_text

STORE = "Main"


def add_fake_store(
    cache: Cache,
    fake: FakeShipStation,
    name: str = STORE,
    *,
    time_zone: str = DEFAULT_TIME_ZONE,
    status_map: dict[str, str] | None = None,
) -> StoreRecord:
    record = StoreRecord(
        name=name,
        kind=KIND,
        config={"api_key": fake.api_key, "base_url": fake.base_url},
        time_zone=time_zone,
        status_map=status_map or {},
    )
    add_store(cache, record)
    return record


def fresh_record(cache: Cache, name: str = STORE) -> StoreRecord:
    record = get_store(cache, name)
    assert record is not None
    return record


def fake_connector(fake: FakeShipStation, record: StoreRecord, **options: Any) -> ShipStationConnector:
    """The store's connector with the secret handed over (no keyring) and a limiter tuned to the fake's window."""
    options.setdefault("backoff_seconds", 0.01)
    options.setdefault("rate_limiter", RateLimiter(fake.rate_limit, fake.window_seconds, reset_margin_seconds=0.1))
    secret = options.pop("secret", fake.api_secret)
    return connector_for_store(record, secret=secret, **options)


def fake_connectors(fake: FakeShipStation, **options: Any) -> ConnectorFactory:
    """What sync_stores opens each store with: fake_connector, with the stop the engine hands over."""
    return lambda record, *, stop, on_retry=None: fake_connector(fake, record, stop=stop, on_retry=on_retry, **options)


def shipstation_order(
    order_id: int,
    *,
    number: str | None = None,
    status: str = "awaiting_shipment",
    order_date: datetime,
    physical: bool = True,
    ship_to: bool = True,
    **fields: Any,
) -> dict[str, Any]:
    """One domestic order in ShipStation's shape; `physical=False` leaves only a discount line, nothing to ship."""
    order: dict[str, Any] = copy.deepcopy(load_sample("list_orders_response.json")["orders"][1])
    order.update(
        orderId=order_id,
        orderNumber=number or f"T-{order_id}",
        orderKey=f"key-{order_id}",
        orderStatus=status,
        orderDate=pacific_text(order_date),
        createDate=pacific_text(order_date),
    )
    if not physical:
        order["items"] = [item for item in order["items"] if item.get("adjustment")]
    if not ship_to:
        order["shipTo"] = {key: None for key in order["shipTo"]}
    for position, item in enumerate(order["items"]):
        item["orderItemId"] = order_id * 10 + position
    order.update(fields)
    return order
