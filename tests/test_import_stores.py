"""The store a CSV file's orders go into: the stores offered are those earlier imports used, a store that syncs is
refused with the reason, and each layout of file remembers the store its last file went into."""

from __future__ import annotations

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import upsert_orders
from shipdesk.cache.stores import StoreRecord, add_store, remove_store
from shipdesk.import_stores import (
    ImportStoreError,
    checked_import_store,
    file_stores,
    remember_import_store,
    store_for_file,
)
from tests.cache.test_orders_cache import make_order

ETSY_LAYOUT, WOO_LAYOUT = "etsy-layout-key", "woo-layout-key"


@pytest.fixture
def two_shops(cache: Cache) -> Cache:
    """Orders imported for an Etsy and a WooCommerce shop and into CSV import, and a ShipStation store called Main
    with its orders."""
    add_store(cache, StoreRecord(name="Main", kind="shipstation", config={"api_key": "k"}))
    with cache.transaction() as conn:
        upsert_orders(
            conn,
            [
                make_order("1", store="Etsy"),
                make_order("2", store="Woo Shop"),
                make_order("3", store="Main"),
                make_order("4", store="CSV import"),
            ],
        )
    return cache


def test_the_stores_offered_are_those_of_earlier_imports_with_csv_import_always_among_them(two_shops: Cache) -> None:
    assert file_stores(two_shops) == ["CSV import", "Etsy", "Woo Shop"]  # not Main, which syncs


def test_a_new_cache_offers_only_csv_import(cache: Cache) -> None:
    assert file_stores(cache) == ["CSV import"]


def test_a_store_that_syncs_is_refused_with_the_reason(two_shops: Cache) -> None:
    with pytest.raises(ImportStoreError) as refused:
        checked_import_store(two_shops, "Main")
    assert str(refused.value) == "Main is a ShipStation store: its orders come by sync."

    with pytest.raises(ImportStoreError, match=r"^Main is a ShipStation store:"):
        checked_import_store(two_shops, " main ")  # as typed in a hurry


def test_a_removed_shipstation_store_is_refused_as_its_shipments_would_reach_no_one(two_shops: Cache) -> None:
    remove_store(two_shops, "Main")

    with pytest.raises(ImportStoreError) as refused:
        checked_import_store(two_shops, "Main")
    assert str(refused.value) == "Main was a ShipStation store: its orders came by sync, not from files."
    assert "Main" not in file_stores(two_shops)


def test_an_empty_name_is_refused(two_shops: Cache) -> None:
    with pytest.raises(ImportStoreError, match=r"^Name the store the orders belong to\.$"):
        checked_import_store(two_shops, "   ")


def test_a_name_typed_in_other_case_goes_to_the_store_of_that_name_and_a_new_name_is_taken_as_typed(
    two_shops: Cache,
) -> None:
    assert checked_import_store(two_shops, "etsy") == "Etsy"
    assert checked_import_store(two_shops, "csv IMPORT") == "CSV import"
    assert checked_import_store(two_shops, "  Amazon EU ") == "Amazon EU"


def test_each_layout_of_file_preselects_the_store_its_last_file_went_into(two_shops: Cache) -> None:
    assert store_for_file(two_shops, ETSY_LAYOUT) == "CSV import"  # nothing remembered yet

    remember_import_store(two_shops, ETSY_LAYOUT, "Etsy")
    remember_import_store(two_shops, WOO_LAYOUT, "Woo Shop")

    assert store_for_file(two_shops, ETSY_LAYOUT) == "Etsy"
    assert store_for_file(two_shops, WOO_LAYOUT) == "Woo Shop"
    assert store_for_file(two_shops, "a-layout-never-imported") == "CSV import"


def test_a_remembered_store_that_syncs_since_is_not_preselected(cache: Cache) -> None:
    remember_import_store(cache, ETSY_LAYOUT, "Shop")
    add_store(cache, StoreRecord(name="Shop", kind="shipstation", config={"api_key": "k"}))

    assert store_for_file(cache, ETSY_LAYOUT) == "CSV import"
