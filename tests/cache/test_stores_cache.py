"""Connected stores are remembered with their settings and sync progress, never their secrets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.stores import StoreExists, StoreRecord, add_store, get_store, list_stores, note_sync, remove_store


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
