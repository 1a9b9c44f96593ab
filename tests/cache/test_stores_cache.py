"""Connected stores are remembered with their settings and sync progress, never their secrets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.shipments import pending_outbox, record_shipment
from shipdesk.cache.stores import (
    NoSuchStore,
    StoreExists,
    StoreRecord,
    add_store,
    get_store,
    list_stores,
    note_sync,
    remove_store,
    update_store,
)
from shipdesk.domain import Shipment, utc_now
from tests.cache.test_orders_cache import make_order


def test_a_store_is_kept_with_its_settings(cache: Cache) -> None:
    add_store(
        cache,
        StoreRecord(
            name="Main shop",
            kind="shipstation",
            config={"api_key": "key-123", "base_url": "https://ssapi.shipstation.com"},
            time_zone="America/Chicago",
            status_map={"Processing": "awaiting_shipment"},
        ),
    )
    store = get_store(cache, "Main shop")
    assert store is not None
    assert (store.kind, store.config["api_key"], store.time_zone) == ("shipstation", "key-123", "America/Chicago")
    assert store.status_map == {"Processing": "awaiting_shipment"}
    assert store.high_water is None
    assert [entry.name for entry in list_stores(cache)] == ["Main shop"]


def test_two_stores_cannot_share_a_name(cache: Cache) -> None:
    add_store(cache, StoreRecord(name="Main shop", kind="shipstation"))
    with pytest.raises(StoreExists, match="already exists"):
        add_store(cache, StoreRecord(name="Main shop", kind="csv"))


def test_the_high_water_mark_only_moves_forward(cache: Cache) -> None:
    add_store(cache, StoreRecord(name="Main shop", kind="shipstation"))
    later = datetime(2026, 11, 20, 12, tzinfo=UTC)
    note_sync(cache, "Main shop", high_water=later)
    note_sync(cache, "Main shop", high_water=datetime(2026, 11, 1, tzinfo=UTC))
    note_sync(cache, "Main shop", high_water=None, error="the store did not answer")
    store = get_store(cache, "Main shop")
    assert store is not None
    assert store.high_water == later
    assert store.last_sync_error == "the store did not answer"
    assert store.last_sync_at is not None


def test_a_removed_store_is_gone(cache: Cache) -> None:
    add_store(cache, StoreRecord(name="Main shop", kind="shipstation"))
    remove_store(cache, "Main shop")
    assert get_store(cache, "Main shop") is None


def test_changing_a_stores_settings_keeps_its_sync_progress_orders_and_waiting_updates(cache: Cache) -> None:
    add_store(cache, StoreRecord(name="Main shop", kind="shipstation", config={"api_key": "old-key"}))
    synced_upto = datetime(2026, 11, 20, 12, tzinfo=UTC)
    note_sync(cache, "Main shop", high_water=synced_upto)
    with cache.transaction() as conn:
        upsert_orders(conn, [make_order("1001", store="Main shop")])
    (stored,) = find_by_number(cache, "1001")
    record_shipment(cache, stored.id, Shipment("usps", "usps_priority_mail", "9400", utc_now()))
    orders_before = find_by_number(cache, "1001")
    before = get_store(cache, "Main shop")
    assert before is not None

    # The record handed over carries no sync progress: what the cache holds of it must win.
    update_store(
        cache,
        StoreRecord(
            name="Main shop",
            kind="shipstation",
            config={"api_key": "new-key", "store_id": "42"},
            time_zone="America/Chicago",
            status_map={"Processing": "awaiting_shipment"},
        ),
    )

    after = get_store(cache, "Main shop")
    assert after == replace(
        before,
        config={"api_key": "new-key", "store_id": "42"},
        time_zone="America/Chicago",
        status_map={"Processing": "awaiting_shipment"},
    )
    assert after.high_water == synced_upto and after.last_sync_at is not None
    assert find_by_number(cache, "1001") == orders_before
    assert [(entry.store, entry.order_id) for entry in pending_outbox(cache)] == [("Main shop", stored.id)]


def test_changing_a_store_that_is_not_there_is_refused_and_adds_none(cache: Cache) -> None:
    with pytest.raises(NoSuchStore, match="no store named 'Main shop'"):
        update_store(cache, StoreRecord(name="Main shop", kind="shipstation"))

    assert list_stores(cache) == []


def test_a_failed_sync_keeps_the_moment_of_the_last_good_one(cache: Cache) -> None:
    add_store(cache, StoreRecord(name="Main", kind="shipstation"))
    note_sync(cache, "Main", high_water=None)
    good = get_store(cache, "Main")
    note_sync(cache, "Main", high_water=None, error="ShipStation did not answer in time")
    failed = get_store(cache, "Main")

    assert good is not None and failed is not None
    assert good.last_success_at is not None and good.last_success_at == good.last_sync_at
    assert failed.last_success_at == good.last_success_at
    assert failed.last_sync_error == "ShipStation did not answer in time"


def test_a_cache_from_before_the_last_good_sync_was_kept_counts_an_errorless_last_sync_as_good(
    tmp_path: Path,
) -> None:
    old = open_cache(tmp_path / "c.sqlite", upto=8)  # schema 8: before the last good sync was kept
    old.conn.executescript(
        """
        INSERT INTO stores (name, kind, last_sync_at, last_sync_error, created_at)
        VALUES ('Good', 'shipstation', '2026-11-29T08:00:00+00:00', '', ''),
               ('Failing', 'shipstation', '2026-11-29T09:00:00+00:00', 'ShipStation refused the API key', '');
        """
    )
    old.close()

    migrated = open_cache(tmp_path / "c.sqlite")
    good, failing = get_store(migrated, "Good"), get_store(migrated, "Failing")

    assert good is not None and good.last_success_at == datetime(2026, 11, 29, 8, tzinfo=UTC)
    assert failing is not None and failing.last_success_at is None
