"""ShipStation order JSON read into domain orders: the documentation's own example payload, statuses, weights,
Pacific timestamps, and malformed orders that become problem lines without losing the rest of the page."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shipdesk.domain import OrderStatus, Weight, WeightUnit
from shipdesk.upstream.shipstation_orders import (
    PACIFIC,
    OrderDataError,
    merged_order_ids,
    parse_order,
    parse_orders,
    parse_wall_datetime,
)

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "research" / "samples" / "shipstation-v1-api"


def sample_orders() -> list[dict[str, Any]]:
    # Read as the client reads it: numbers with a fraction become exact decimals.
    text = (SAMPLES / "list_orders_response.json").read_text(encoding="utf-8")
    orders: list[dict[str, Any]] = json.loads(text, parse_float=Decimal)["orders"]
    return orders


@pytest.fixture
def international() -> dict[str, Any]:
    return sample_orders()[0]


@pytest.fixture
def domestic() -> dict[str, Any]:
    return sample_orders()[1]


# ----------------------------------------------------------------------------- the documentation's example


def test_the_international_order_reads_with_address_items_and_weights(international: dict[str, Any]) -> None:
    order = parse_order(international, "Baker Street")

    assert (order.store, order.upstream_id, order.order_number) == (
        "Baker Street",
        "987654321",
        "Test-International-API-DOCS",
    )
    assert order.status is OrderStatus.AWAITING_SHIPMENT
    assert order.ship_to.lines() == ["Sherlock Holmes", "221 B Baker St", "London NW1 6XE", "GB"]
    assert order.ship_to.residential is True
    assert order.ship_to.email == "sholmes1854@methodsofdetection.com"
    assert order.bill_to.name == "Sherlock Holmes" and order.bill_to.street1 == ""
    assert [(item.sku, item.quantity, item.unit_price, item.warehouse_location) for item in order.items] == [
        ("Ele-1234", 2, Decimal("49.99"), "Aisle 1, Bin 7"),
        ("CN-9876", 1, Decimal("225"), "Aisle 7, Bin 34"),
    ]
    assert order.items[0].weight == Weight(Decimal(12), WeightUnit.OUNCE)
    assert order.items[0].line_item_id == "136282568"
    assert order.declared_weight == Weight(Decimal(104), WeightUnit.OUNCE)
    assert order.item_count == 3


def test_the_international_order_keeps_totals_notes_and_custom_fields(international: dict[str, Any]) -> None:
    order = parse_order(international, "Baker Street")

    assert (order.order_total, order.tax_amount, order.shipping_paid) == (
        Decimal("387.97"),
        Decimal("27.99"),
        Decimal(35),
    )
    assert order.currency == "USD"
    assert order.requested_service == "Priority Mail Int"
    assert order.payment_method == ""
    assert order.customer_notes == "Please be careful when packing the disguise kits in with the cane."
    assert order.internal_notes == "Mr. Holmes called to upgrade his shipping to expedited"
    assert (order.custom_field1, order.custom_field2, order.custom_field3) == (
        "SKU: CN-9876 x 1",
        "SKU: Ele-123 x 2",
        "",
    )
    assert order.gift is False and order.gift_message == ""


def test_the_example_timestamps_are_pacific_daylight_time(international: dict[str, Any]) -> None:
    order = parse_order(international, "Baker Street")

    # "2015-06-28T17:46:27.0000000" and "2015-08-17T09:24:16.4800000", both PDT (UTC-7).
    assert order.order_date == datetime(2015, 6, 29, 0, 46, 27, tzinfo=UTC)
    assert order.modify_date == datetime(2015, 8, 17, 16, 24, 16, 480000, tzinfo=UTC)
    assert order.ship_by_date == datetime(2015, 7, 5, 7, 0, tzinfo=UTC)


def test_an_account_in_another_zone_has_its_timestamps_read_as_that_zones_wall_times(
    international: dict[str, Any],
) -> None:
    order = parse_order(international, "Baker Street", zone=ZoneInfo("America/Phoenix"))

    # The same texts as wall times of Arizona, UTC-7 all year: the same instants in summer, an hour apart in winter.
    assert order.order_date == datetime(2015, 6, 29, 0, 46, 27, tzinfo=UTC)
    assert order.modify_date == datetime(2015, 8, 17, 16, 24, 16, 480000, tzinfo=UTC)
    international = international | {"orderDate": "2026-03-08T02:30:00.0000000"}  # a time Los Angeles skips
    assert parse_order(international, "Baker Street", zone=ZoneInfo("America/Phoenix")).order_date == datetime(
        2026, 3, 8, 9, 30, tzinfo=UTC
    )


def test_the_domestic_order_keeps_its_discount_line_options_and_gift(domestic: dict[str, Any]) -> None:
    order = parse_order(domestic, "White House")

    product, discount = order.items
    assert (product.sku, product.options[0].name, product.options[0].value) == ("ABC123", "Size", "Large")
    assert product.line_item_id == "128836912"
    assert (discount.name, discount.unit_price, discount.adjustment) == ("10% OFF", Decimal("-20.55"), True)
    assert discount.weight is None  # ShipStation writes "no weight" as 0 ounces
    assert order.physical_items == (product,)
    assert order.discount_total == Decimal("20.55")
    assert order.gift is True and order.gift_message == "Thank you!"
    assert order.payment_method == "Credit Card"
    assert order.requested_service == "Priority Mail"
    assert order.custom_field3 == "https://help.shipstation.com/hc/en-us/articles/206639957"
    assert order.ship_to.residential is False
    assert order.customer_phone == "555-555-5555"
    assert order.total_weight == Weight(Decimal(48), WeightUnit.OUNCE)


def test_plain_floats_read_as_the_same_exact_amounts(domestic: dict[str, Any]) -> None:
    as_floats = json.loads(json.dumps(domestic, default=float))

    order = parse_order(as_floats, "White House")

    assert order.order_total == Decimal("194.43")
    assert order.items[1].unit_price == Decimal("-20.55")


def test_a_known_store_currency_replaces_the_usd_default(domestic: dict[str, Any]) -> None:
    assert parse_order(domestic, "Montreal", currency="cad").currency == "CAD"


# ----------------------------------------------------------------------------- shipping assigned in ShipStation


def test_the_carrier_service_package_and_confirmation_shipstation_assigned_are_kept_as_its_codes(
    international: dict[str, Any], domestic: dict[str, Any]
) -> None:
    abroad, at_home = parse_order(international, "Baker Street"), parse_order(domestic, "White House")

    assert (
        abroad.assigned_carrier_code,
        abroad.assigned_service_code,
        abroad.assigned_package_code,
        abroad.assigned_confirmation,
    ) == ("stamps_com", "usps_priority_mail_international", "package", "delivery")
    assert (at_home.assigned_carrier_code, at_home.assigned_service_code) == ("fedex", "fedex_home_delivery")


def test_an_order_shipstation_assigned_nothing_has_no_codes(domestic: dict[str, Any]) -> None:
    domestic.update(carrierCode=None, serviceCode=None, packageCode=None)
    del domestic["confirmation"]

    order = parse_order(domestic, "White House")

    assert (
        order.assigned_carrier_code,
        order.assigned_service_code,
        order.assigned_package_code,
        order.assigned_confirmation,
    ) == ("", "", "", "")


# ----------------------------------------------------------------------------- statuses


@pytest.mark.parametrize(
    ("shipstation_status", "status", "reason_part"),
    [
        ("awaiting_payment", OrderStatus.AWAITING_PAYMENT, ""),
        ("awaiting_shipment", OrderStatus.AWAITING_SHIPMENT, ""),
        ("shipped", OrderStatus.SHIPPED, ""),
        ("cancelled", OrderStatus.CANCELLED, ""),
        ("on_hold", OrderStatus.ON_HOLD, "on hold in ShipStation"),
        ("pending_fulfillment", OrderStatus.ON_HOLD, "fulfillment provider"),
        ("rejected_fulfillment", OrderStatus.ON_HOLD, "rejected"),
        ("teleported", OrderStatus.ON_HOLD, "unknown ShipStation status 'teleported'"),
    ],
)
def test_shipstation_statuses_map_onto_shipdesk_statuses(
    domestic: dict[str, Any], shipstation_status: str, status: OrderStatus, reason_part: str
) -> None:
    domestic["orderStatus"] = shipstation_status

    order = parse_order(domestic, "White House")

    assert order.status is status
    assert reason_part in order.hold_reason
    assert bool(order.hold_reason) == bool(reason_part)


def test_an_order_held_until_a_date_says_until_when(domestic: dict[str, Any]) -> None:
    domestic.update(orderStatus="on_hold", holdUntilDate="2026-12-01")

    assert parse_order(domestic, "White House").hold_reason == "on hold in ShipStation until 2026-12-01"


def test_an_externally_fulfilled_order_is_not_queued_for_packing(domestic: dict[str, Any]) -> None:
    domestic["externallyFulfilled"] = True

    order = parse_order(domestic, "White House")

    assert order.status is OrderStatus.ON_HOLD
    assert order.hold_reason == "fulfilled outside this warehouse by Example Fulfillment Provider Name"


# ----------------------------------------------------------------------------- weights


@pytest.mark.parametrize(
    ("units", "unit"), [("pounds", WeightUnit.POUND), ("ounces", WeightUnit.OUNCE), ("grams", WeightUnit.GRAM)]
)
def test_weights_come_in_pounds_ounces_or_grams(domestic: dict[str, Any], units: str, unit: WeightUnit) -> None:
    domestic["items"][0]["weight"] = {"value": Decimal("1.5"), "units": units, "WeightUnits": 1}

    assert parse_order(domestic, "White House").items[0].weight == Weight(Decimal("1.5"), unit)


def test_a_weight_in_an_unknown_unit_is_a_problem(domestic: dict[str, Any]) -> None:
    domestic["weight"] = {"value": 3, "units": "stones"}

    with pytest.raises(OrderDataError, match="the order's weight is in 'stones'"):
        parse_order(domestic, "White House")


def test_a_weight_keeps_the_digits_it_was_sent_with(domestic: dict[str, Any]) -> None:
    weights = []
    for value in (24, Decimal("24.0"), 24.0, 24, "24.00"):
        domestic["weight"] = {"value": value, "units": "ounces"}
        weights.append(parse_order(domestic, "White House").declared_weight)

    assert [str(weight.value) for weight in weights if weight] == ["24", "24.0", "24.0", "24", "24.00"]


def test_an_order_without_a_weight_has_none(domestic: dict[str, Any]) -> None:
    domestic["weight"] = None
    domestic["items"][0]["weight"] = {"value": 0, "units": "ounces"}

    order = parse_order(domestic, "White House")

    assert order.declared_weight is None and order.total_weight is None


# ----------------------------------------------------------------------------- malformed orders


def test_a_malformed_order_is_a_problem_line_and_the_rest_of_the_page_is_read(domestic: dict[str, Any]) -> None:
    broken = copy.deepcopy(domestic)
    broken.update(orderId=1234, orderNumber=None)
    no_quantity = copy.deepcopy(domestic)
    no_quantity.update(orderId=1235, orderNumber="B-1235")
    del no_quantity["items"][0]["quantity"]
    bad_date = copy.deepcopy(domestic)
    bad_date.update(orderId=1236, orderNumber="B-1236", orderDate="last Tuesday")

    orders, problems, _merged = parse_orders([broken, domestic, no_quantity, "not an order", bad_date], "White House")

    assert [order.order_number for order in orders] == ["TEST-ORDER-API-DOCS"]
    assert problems == [
        "order 1234: missing orderNumber",
        "order B-1235: item 1 (Test item #1) has no quantity",
        "order #4 of the page: is not a JSON object",
        "order B-1236: orderDate 'last Tuesday' is not a date and time",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"orderId": None}, "missing orderId"),
        ({"orderId": "abc"}, "orderId 'abc' is not a number"),
        ({"orderStatus": None}, "missing orderStatus"),
        ({"orderDate": None}, "missing orderDate"),
        ({"items": {"sku": "ABC123"}}, "items is not a list"),
        ({"shipTo": "1600 Pennsylvania Ave"}, "shipTo is not a JSON object"),
        ({"orderTotal": "lots"}, "orderTotal 'lots' is not a number"),
        ({"carrierCode": {"code": "fedex"}}, "carrierCode is not text"),
        ({"orderTotal": [1]}, "orderTotal [1] is not a number"),
        ({"orderTotal": [0, [1], 0]}, "orderTotal [0, [1], 0] is not a number"),
        (
            {"orderDate": "9999-12-31T23:59:59.0000000"},
            "orderDate '9999-12-31T23:59:59.0000000' is not a date and time",
        ),
        (
            {"orderDate": "2015-02-30T08:00:00.0000000"},
            "orderDate '2015-02-30T08:00:00.0000000' is not a date and time",
        ),
    ],
)
def test_each_kind_of_malformed_order_names_what_is_wrong(
    domestic: dict[str, Any], change: dict[str, Any], message: str
) -> None:
    domestic.update(change)

    with pytest.raises(OrderDataError) as raised:
        parse_order(domestic, "White House")

    assert str(raised.value) == message


def test_an_item_without_a_name_takes_its_sku(domestic: dict[str, Any]) -> None:
    domestic["items"][0]["name"] = None

    assert parse_order(domestic, "White House").items[0].name == "ABC123"


# ----------------------------------------------------------------------------- Pacific timestamps


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2015-06-28T17:46:27.0000000", datetime(2015, 6, 29, 0, 46, 27, tzinfo=UTC)),  # PDT
        ("2015-08-17T09:24:14.78", datetime(2015, 8, 17, 16, 24, 14, 780000, tzinfo=UTC)),
        ("2026-01-15T12:00:00", datetime(2026, 1, 15, 20, 0, tzinfo=UTC)),  # PST
        ("2026-03-08T01:59:59.9999999", datetime(2026, 3, 8, 9, 59, 59, 999999, tzinfo=UTC)),  # last PST second
        ("2026-03-08T03:00:00.0000000", datetime(2026, 3, 8, 10, 0, tzinfo=UTC)),  # first PDT second
        ("2026-11-01T00:59:59", datetime(2026, 11, 1, 7, 59, 59, tzinfo=UTC)),
        ("2026-11-01T02:00:00", datetime(2026, 11, 1, 10, 0, tzinfo=UTC)),  # PST again
        ("2026-11-01T01:30:00", datetime(2026, 11, 1, 8, 30, tzinfo=UTC)),  # twice that night: the first (PDT)
        ("2026-11-01 01:30:00", datetime(2026, 11, 1, 8, 30, tzinfo=UTC)),
        ("2026-07-04T12:00:00Z", datetime(2026, 7, 4, 12, 0, tzinfo=UTC)),  # an explicit zone wins
        ("2026-07-04T12:00:00+02:00", datetime(2026, 7, 4, 10, 0, tzinfo=UTC)),
    ],
)
def test_shipstation_timestamps_are_pacific_time_read_as_utc(text: str, utc: datetime) -> None:
    parsed = parse_wall_datetime(text)

    assert parsed == utc
    assert parsed.utcoffset() is not None and parsed.utcoffset() == utc.utcoffset()


def every_hour_of(year: int) -> list[datetime]:
    start = datetime(year, 1, 1)
    hours = (datetime(year + 1, 1, 1) - start) // timedelta(hours=1)
    return [start + timedelta(hours=hour) for hour in range(hours)]


@pytest.mark.parametrize(
    ("year", "zone"),
    [
        (2015, PACIFIC),
        (2026, PACIFIC),
        (2026, ZoneInfo("America/Phoenix")),  # no DST
        (2026, ZoneInfo("America/New_York")),
        (2026, ZoneInfo("Australia/Lord_Howe")),  # DST moves the clock half an hour, at 02:00
        (2026, ZoneInfo("Asia/Kolkata")),  # half an hour off UTC all year
    ],
    ids=str,
)
def test_every_wall_time_of_a_year_with_both_dst_changes_reads_as_zoneinfo_reads_it(year: int, zone: ZoneInfo) -> None:
    # The API's own shape ("…27.0000000") takes a quicker way than other texts; it must agree with zoneinfo at the
    # start, the middle and the last instant of every hour, the spring gap and the repeated autumn hour included.
    for hour in every_hour_of(year):
        for wall in (
            hour,
            hour.replace(minute=30, second=15, microsecond=123456),
            hour.replace(minute=59, second=59, microsecond=999999),
        ):
            text = wall.strftime("%Y-%m-%dT%H:%M:%S.%f") + "7"
            expected = wall.replace(tzinfo=zone).astimezone(UTC)  # fold=0: the first of a repeated time

            parsed = parse_wall_datetime(text, zone)

            assert (parsed, parsed.tzinfo) == (expected, UTC), text


@pytest.mark.parametrize(
    "text",
    [
        "1883-11-18T12:00:00.0000000",  # noon of the day the railways' Pacific time replaced local mean time
        "1883-11-18T12:07:01.0000000",
        "1883-11-18T12:30:00.0000000",
        "1883-11-18T11:59:59.9999999",
    ],
)
def test_an_hour_in_which_the_offset_changes_off_the_hour_reads_as_zoneinfo_reads_it(text: str) -> None:
    wall = datetime.fromisoformat(text[:26])

    assert parse_wall_datetime(text) == wall.replace(tzinfo=PACIFIC).astimezone(UTC)


def test_a_timestamp_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="not a date and time"):
        parse_wall_datetime("2015-06-28")


# ----------------------------------------------------------------------------- combined and split orders


def test_an_order_others_were_combined_into_names_them(domestic: dict[str, Any]) -> None:
    plain = parse_order(domestic, "White House")
    domestic["advancedOptions"].update(mergedOrSplit=True, mergedIds=[1001, "1002"])

    parsed = parse_orders([domestic], "White House")

    assert parsed.orders == [plain]  # the domain order is the same; the merged ids ride beside it
    assert parsed.merged == {plain.upstream_id: ("1001", "1002")}


def test_a_split_order_and_an_order_with_no_merged_ids_name_none(domestic: dict[str, Any]) -> None:
    domestic["advancedOptions"].update(mergedOrSplit=True, mergedIds=[], parentId=123456788)
    assert merged_order_ids(domestic) == ()
    domestic["advancedOptions"].update(mergedIds=None)
    assert merged_order_ids(domestic) == ()
    assert parse_orders([domestic], "White House").merged == {}


@pytest.mark.parametrize(
    ("merged_ids", "message"),
    [
        ("1001,1002", "mergedIds is not a list"),
        ({"id": 1001}, "mergedIds is not a list"),
        ([1001, "next one"], "mergedIds holds 'next one', which is not an order id"),
        ([True], "mergedIds holds True, which is not an order id"),
        ([1001.5], "mergedIds holds 1001.5, which is not an order id"),
    ],
)
def test_merged_ids_that_are_not_order_ids_are_a_problem_line_for_that_order_only(
    domestic: dict[str, Any], merged_ids: Any, message: str
) -> None:
    broken = copy.deepcopy(domestic)
    broken.update(orderId=1234, orderNumber="B-1234")
    broken["advancedOptions"]["mergedIds"] = merged_ids

    orders, problems, _merged = parse_orders([broken, domestic], "White House")

    assert [order.order_number for order in orders] == ["TEST-ORDER-API-DOCS"]
    assert problems == [f"order B-1234: {message}"]
