"""Searches a packer types: SKUs and order numbers with their punctuation, and names written in capitals."""

from __future__ import annotations

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.domain import Item
from tests.cache.test_orders_cache import make_order, upsert


def found(cache: Cache, search: str) -> list[str]:
    return sorted(entry.order.order_number for entry in load_orders(cache, OrderQuery(search=search)))


def test_a_sku_typed_with_its_hyphen_finds_the_orders_of_that_sku_only(cache: Cache) -> None:
    upsert(
        cache,
        make_order("2001", "Ann Lee", items=(Item(sku="MUG-1", name="Small mug", quantity=1),)),
        make_order("2002", "Bea Cole", items=(Item(sku="MUG-2", name="Large mug", quantity=1),)),
        make_order("1003", "Hans Blumenthal", items=(Item(sku="MUG-RED", name="Red mug", quantity=1),)),
        make_order("1004", "Cy Park", items=(Item(sku="MUG-BLU", name="Blue mug", quantity=1),)),
    )

    assert found(cache, "MUG-2") == ["2002"]  # not 2001, whose number starts with a 2
    assert found(cache, "MUG-BLU") == ["1004"]  # not Blumenthal's red mug


# Typed in part, a number finds those it begins: "a-17" finds A-171/32 too, as "100" finds 1004.
@pytest.mark.parametrize(
    ("search", "expected"),
    [("A-17/3", ["A-17/3"]), ("a-17", ["A-17/3", "A-171/32"]), ("3/17", ["A-3/17"]), ("#1004", ["#1004"])],
)
def test_an_order_number_with_punctuation_finds_that_order_not_others_made_of_the_same_parts(
    cache: Cache, search: str, expected: list[str]
) -> None:
    upsert(
        cache,
        make_order("1001", order_number="A-17/3"),
        make_order("1002", order_number="A-171/32"),
        make_order("1003", order_number="A-3/17"),
        make_order("1004", order_number="#1004"),
    )

    assert found(cache, search) == expected


@pytest.mark.parametrize("search", ["Anne-Marie", "anne marie", "o'brien", "jose@example"])
def test_names_and_e_mails_typed_with_their_punctuation_are_still_found(cache: Cache, search: str) -> None:
    upsert(
        cache,
        make_order("1001", "Anne-Marie O'Brien", customer_email="jose@example.com"),
        make_order("1002", "Marie Anne", customer_email="obrien@example.com"),
    )

    assert "1001" in found(cache, search)


def test_a_name_written_in_capitals_with_a_capital_sharp_s_is_found_as_people_type_it(cache: Cache) -> None:
    upsert(cache, make_order("1001", "HANS GROẞMANN"), make_order("1002", "Eva Großmann"))

    assert found(cache, "grossmann") == ["1001", "1002"]
    assert found(cache, "Großmann") == ["1001", "1002"]
