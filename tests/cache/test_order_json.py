"""The JSON each cached order is kept as: the same text as before, and every old row still readable."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from shipdesk.cache.order_json import address_to_dict, date_text, order_from_json, order_to_dict, order_to_json
from shipdesk.domain import Address, Item, ItemOption, Order, OrderStatus, Weight, WeightUnit

ORDER = Order(
    store="Ørsted Shop",
    upstream_id="A-17",
    order_number="1017",
    order_date=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
    status=OrderStatus.ON_HOLD,
    modify_date=datetime(2026, 3, 2, 10, 0, 5, 120000, tzinfo=UTC),
    customer_email="zoe@example.com",
    customer_phone="+45 33 12 34 56",
    bill_to=Address(
        name="Zoë Kjær", street1="Nørregade 4", city="København", postal_code="1165", country="DK", residential=False
    ),
    ship_to=Address(
        name='Zoë "Z" Kjær',
        company="Kjær & Søn",
        street1="Åboulevard 12",
        street2="3. sal\ttv",
        city="Aarhus",
        postal_code="8000",
        country="DK",
        phone="+45 33 99",
        email="zoe@example.com",
        residential=True,
    ),
    items=(
        Item(
            "MUG-ENM",
            "Enamel mug",
            2,
            Decimal("12.50"),
            line_item_id="L1",
            image_url="https://img.example/m.jpg",
            weight=Weight(Decimal("10"), WeightUnit.OUNCE),
            options=(ItemOption("Color", "Blue"),),
            warehouse_location="A-03-2",
        ),
        Item("GIFT-25", "Gift card €25", 1, Decimal("25.00"), needs_shipping=False),
        Item("", "Discount", 1, Decimal("-5.00"), adjustment=True),
    ),
    currency="DKK",
    order_total=Decimal("1234.50"),
    tax_amount=Decimal("246.90"),
    shipping_paid=Decimal("0.00"),
    requested_service="DHL Express Worldwide",
    payment_method="card",
    coupons=("SPRING", "VIP"),
    discount_total=Decimal("5"),
    gift=True,
    gift_message="Til lykke!\nKnus",
    customer_notes="Ring på — tak",
    internal_notes="back\\slash",
    custom_field1="x",
    declared_weight=Weight(Decimal("1.250"), WeightUnit.KILOGRAM),
    hold_reason="no ship-to address",
)

# ORDER as shipdesk 0.1 wrote it into the cache with the standard json module; cache files hold rows like it.
STORED_BY_EARLIER_VERSIONS = (
    '{"store":"Ørsted Shop","upstream_id":"A-17","order_number":"1017","order_date":"2026-03-01T09:30:00+00:00",'
    '"modify_date":"2026-03-02T10:00:05.120000+00:00","ship_by_date":null,"status":"on_hold",'
    '"bill_to":{"name":"Zoë Kjær","company":"","street1":"Nørregade 4","street2":"","street3":"",'
    '"city":"København","state":"","postal_code":"1165","country":"DK","phone":"","email":"",'
    '"residential":false},"ship_to":{"name":"Zoë \\"Z\\" Kjær","company":"Kjær & Søn","street1":"Åboulevard 12",'
    '"street2":"3. sal\\ttv","street3":"","city":"Aarhus","state":"","postal_code":"8000","country":"DK",'
    '"phone":"+45 33 99","email":"zoe@example.com","residential":true},"items":[{"sku":"MUG-ENM",'
    '"name":"Enamel mug","quantity":2,"unit_price":"12.50","line_item_id":"L1",'
    '"image_url":"https://img.example/m.jpg","weight":["10","oz"],"options":[["Color","Blue"]],'
    '"warehouse_location":"A-03-2"},{"sku":"GIFT-25","name":"Gift card €25","quantity":1,"unit_price":"25.00",'
    '"needs_shipping":false},{"sku":"","name":"Discount","quantity":1,"unit_price":"-5.00","adjustment":true}],'
    '"coupons":["SPRING","VIP"],"gift":true,"declared_weight":["1.250","kg"],"customer_email":"zoe@example.com",'
    '"customer_phone":"+45 33 12 34 56","currency":"DKK","requested_service":"DHL Express Worldwide",'
    '"payment_method":"card","gift_message":"Til lykke!\\nKnus","customer_notes":"Ring på — tak",'
    '"internal_notes":"back\\\\slash","custom_field1":"x","custom_field2":"","custom_field3":"",'
    '"hold_reason":"no ship-to address","order_total":"1234.50","tax_amount":"246.90","shipping_paid":"0.00",'
    '"discount_total":"5"}'
)


def test_an_order_stored_by_earlier_versions_reads_back_exactly() -> None:
    read = order_from_json(STORED_BY_EARLIER_VERSIONS)

    assert read == ORDER
    assert repr(read) == repr(ORDER)  # "1.250 kg" and "12.50" as written, not just equal amounts


def test_an_order_is_stored_as_the_same_text_as_before() -> None:
    assert order_to_json(ORDER) == STORED_BY_EARLIER_VERSIONS
    assert order_to_json(ORDER) == json.dumps(
        order_to_dict(ORDER), ensure_ascii=False, separators=(",", ":"), default=str
    )


def test_an_address_is_stored_with_every_field_it_has_in_the_order_it_declares_them() -> None:
    assert list(address_to_dict(ORDER.ship_to)) == [field.name for field in fields(Address)]
    assert Address(**address_to_dict(ORDER.ship_to)) == ORDER.ship_to


def test_the_shipping_the_store_assigned_reads_back_and_adds_only_its_own_keys() -> None:
    assigned = replace(
        ORDER,
        assigned_carrier_code="fedex",
        assigned_service_code="fedex_home_delivery",
        assigned_package_code="package",
        assigned_confirmation="delivery",
    )

    text = order_to_json(assigned)

    assert order_from_json(text) == assigned
    assert text == STORED_BY_EARLIER_VERSIONS[:-1] + (
        ',"assigned_carrier_code":"fedex","assigned_service_code":"fedex_home_delivery",'
        '"assigned_package_code":"package","assigned_confirmation":"delivery"}'
    )
    assert order_from_json(order_to_json(replace(assigned, assigned_package_code=""))).assigned_package_code == ""


def test_an_order_with_a_quantity_beyond_64_bits_is_still_stored() -> None:
    huge = replace(ORDER, items=(Item("GIFT-25", "Gift card", 10**20, Decimal("25.00"), needs_shipping=False),))

    read = order_from_json(order_to_json(huge))

    assert read.items[0].quantity == 10**20
    assert repr(read) == repr(huge)


def test_a_date_is_written_as_isoformat_writes_it_in_any_zone() -> None:
    with_seconds = timezone(timedelta(hours=-7, minutes=-52, seconds=-58))  # Los Angeles' local mean time
    moments = [
        datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        datetime(2026, 3, 2, 10, 0, 5, 120000, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(1850, 3, 1, 9, 30, 1, 5, tzinfo=with_seconds),
        datetime(2026, 3, 1, 9, 30, tzinfo=ZoneInfo("America/Los_Angeles")),
        datetime(2026, 3, 1, 9, 30),
    ]

    assert [date_text(moment) for moment in moments] == [moment.isoformat() for moment in moments]


def test_an_order_with_dates_outside_utc_is_stored_with_them_as_isoformat_writes_them() -> None:
    local_mean_time = timezone(timedelta(hours=-7, minutes=-52, seconds=-58))
    dated = replace(
        ORDER,
        modify_date=datetime(1850, 3, 2, 10, 0, 5, tzinfo=local_mean_time),
        ship_by_date=datetime(2026, 3, 9, 17, 0, tzinfo=ZoneInfo("Europe/Copenhagen")),
    )

    text = order_to_json(dated)

    assert '"modify_date":"1850-03-02T10:00:05-07:52:58","ship_by_date":"2026-03-09T17:00:00+01:00"' in text
    assert text == json.dumps(order_to_dict(dated), ensure_ascii=False, separators=(",", ":"), default=str)
    assert order_from_json(text) == dated
