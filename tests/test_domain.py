"""Units, weights and the packing rules behave as a warehouse expects."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from shipdesk.domain import (
    Address,
    Dimensions,
    Item,
    LengthUnit,
    Order,
    OrderStatus,
    Weight,
    WeightUnit,
    packing_block_reason,
    parse_weight_unit,
    station_date,
    status_words,
    with_packing_rules,
)

FULL_ADDRESS = Address(name="José Núñez", street1="Calle Mayor 5", city="Madrid", postal_code="28013", country="ES")


def order(**changes: object) -> Order:
    fields: dict[str, object] = {
        "store": "test",
        "upstream_id": "1",
        "order_number": "1001",
        "order_date": datetime(2026, 11, 1, 12, tzinfo=UTC),
        "ship_to": FULL_ADDRESS,
        "items": (Item(sku="MUG", name="Mug", quantity=1),),
    }
    fields.update(changes)
    return Order(**fields)  # type: ignore[arg-type]


def test_a_pound_is_exactly_sixteen_ounces_and_453_59237_grams() -> None:
    pound = Weight(Decimal(1), WeightUnit.POUND)
    assert pound == Weight(Decimal(16), WeightUnit.OUNCE)
    assert pound.to(WeightUnit.GRAM).value == Decimal("453.59237")
    assert pound.to(WeightUnit.KILOGRAM).value == Decimal("0.45359237").quantize(Decimal("0.000001")).normalize()


def test_converting_there_and_back_keeps_the_weight() -> None:
    weight = Weight(Decimal("2.5"), WeightUnit.KILOGRAM)
    assert weight.to(WeightUnit.GRAM).to(WeightUnit.KILOGRAM) == weight
    assert Weight(Decimal(12), WeightUnit.OUNCE).to(WeightUnit.POUND).value == Decimal("0.75")


def test_weights_in_different_units_add_exactly() -> None:
    total = Weight(Decimal(1), WeightUnit.POUND) + Weight(Decimal(8), WeightUnit.OUNCE)
    assert total == Weight(Decimal("1.5"), WeightUnit.POUND)
    assert total.unit is WeightUnit.POUND


def test_weights_in_one_unit_add_to_the_exact_sum_in_that_unit() -> None:
    total = Weight(Decimal("1.50"), WeightUnit.POUND) + Weight(Decimal("2.25"), WeightUnit.POUND)
    assert repr(total) == repr(Weight(Decimal("3.75"), WeightUnit.POUND))
    tiny = Weight(Decimal("1e-90"), WeightUnit.OUNCE) + Weight(Decimal(10), WeightUnit.OUNCE)
    assert tiny.value == Decimal("10." + "0" * 89 + "1")


@pytest.mark.parametrize(
    "weight",
    [
        Weight(Decimal("10"), WeightUnit.OUNCE),
        Weight(Decimal("2.2"), WeightUnit.POUND),
        Weight(Decimal("0.1"), WeightUnit.KILOGRAM),
        Weight(Decimal("0." + "3" * 99), WeightUnit.OUNCE),  # too many digits for exact decimal grams
    ],
)
def test_the_grams_a_list_sorts_on_are_the_nearest_float_to_the_exact_grams(weight: Weight) -> None:
    assert weight.float_grams == float(weight.grams)


def test_an_inch_is_exactly_2_54_centimetres() -> None:
    box = Dimensions(Decimal(10), Decimal(5), Decimal("0.5"), LengthUnit.INCH)
    assert box.to(LengthUnit.CENTIMETRE) == Dimensions(
        Decimal("25.4"), Decimal("12.7"), Decimal("1.27"), LengthUnit.CENTIMETRE
    )


@pytest.mark.parametrize(
    ("text", "unit"), [("Ounces", WeightUnit.OUNCE), ("lbs", WeightUnit.POUND), (" G ", WeightUnit.GRAM)]
)
def test_weight_units_are_read_the_way_stores_write_them(text: str, unit: WeightUnit) -> None:
    assert parse_weight_unit(text) is unit


def test_an_unknown_weight_unit_is_refused_in_plain_words() -> None:
    with pytest.raises(ValueError, match="unknown weight unit 'stone'"):
        parse_weight_unit("stone")


def test_total_weight_sums_physical_items_and_skips_discount_lines() -> None:
    items = (
        Item(sku="MUG", name="Mug", quantity=2, weight=Weight(Decimal(12), WeightUnit.OUNCE)),
        Item(sku="TEE", name="T-shirt", quantity=1, weight=Weight(Decimal("0.5"), WeightUnit.POUND)),
        Item(
            sku="",
            name="Discount",
            quantity=1,
            unit_price=Decimal(-5),
            adjustment=True,
            weight=Weight(Decimal(9), WeightUnit.POUND),
        ),
    )
    assert order(items=items).total_weight == Weight(Decimal(2), WeightUnit.POUND)
    assert order(items=items).item_count == 3


def test_an_order_without_a_ship_to_address_goes_on_hold_with_the_reason() -> None:
    held = with_packing_rules(order(ship_to=Address(name="Nobody")))
    assert held.status is OrderStatus.ON_HOLD
    assert held.hold_reason == "no ship-to address"


@pytest.mark.parametrize(
    ("ship_to", "reason"),
    [
        (Address(street1="1 Main St", city="Austin", postal_code="78701", country="US"), "no ship-to name"),
        (Address(name="Ann", street1="1 Main St", postal_code="78701", country="US"), "no ship-to city"),
        (Address(name="Ann", city="Austin", postal_code="78701", country="US"), "no ship-to street"),
        (Address(name="Ann", street1="1 Main St", city="Austin", postal_code="78701"), "no ship-to country"),
        (Address(name="Ann", street1="1 Main St", city="Austin", country="US"), "no ship-to ZIP code"),
        (Address(name="Ann", street1="10 Downing St", city="London", country="GB"), "no ship-to postal code"),
        (Address(street1="1 Main St", country="US"), "no ship-to name, city or ZIP code"),
    ],
)
def test_an_address_short_of_a_part_a_label_needs_is_held_saying_which(ship_to: Address, reason: str) -> None:
    held = with_packing_rules(order(ship_to=ship_to))
    assert (held.status, held.hold_reason) == (OrderStatus.ON_HOLD, reason)
    assert not ship_to.is_complete_for_shipping()


def test_a_country_where_many_addresses_have_no_postal_code_needs_none() -> None:
    dublin = Address(name="Aoife Byrne", street1="12 Main St", city="Dublin", country="IE")
    assert dublin.is_complete_for_shipping()
    assert with_packing_rules(order(ship_to=dublin)).status is OrderStatus.AWAITING_SHIPMENT


def test_an_order_with_nothing_to_ship_says_so_rather_than_what_its_address_lacks() -> None:
    ebook = Item(sku="EBOOK", name="E-book", quantity=1, needs_shipping=False)
    no_zip = Address(name="Ann", street1="1 Main St", city="Austin", country="US")
    assert packing_block_reason(order(items=(ebook,), ship_to=no_zip)) == "no item that needs shipping"


def test_an_order_of_only_digital_items_goes_on_hold_with_the_reason() -> None:
    ebook = Item(sku="EBOOK", name="E-book", quantity=1, needs_shipping=False)
    assert packing_block_reason(order(items=(ebook,))) == "no item that needs shipping"
    assert with_packing_rules(order(items=(ebook,))).status is OrderStatus.ON_HOLD


def test_a_shippable_order_stays_in_the_queue() -> None:
    assert with_packing_rules(order()).status is OrderStatus.AWAITING_SHIPMENT


def test_address_lines_leave_out_blank_parts() -> None:
    assert FULL_ADDRESS.lines() == ["José Núñez", "Calle Mayor 5", "28013 Madrid", "ES"]


@pytest.mark.parametrize(
    ("city", "state", "postal_code", "country", "city_line"),
    [
        ("København K", "", "1165", "DK", "1165 København K"),
        ("Berlin", "", "10115", "DE", "10115 Berlin"),
        ("Paris", "", "75004", "FR", "75004 Paris"),
        ("Milano", "MI", "20121", "IT", "20121 Milano MI"),
        ("Zürich", "ZH", "8001", "ch", "8001 Zürich ZH"),  # the country as a store may send it, in small letters
        ("Kraków", "", "30-001", "PL", "30-001 Kraków"),
        ("Vilnius", "", "LT-01100", "LT", "LT-01100 Vilnius"),
        # The city first in the US, the UK and wherever shipdesk has no rule:
        ("Springfield", "IL", "62701", "US", "Springfield IL 62701"),
        ("Toronto", "ON", "M5V 2T6", "CA", "Toronto ON M5V 2T6"),
        ("Sydney", "NSW", "2000", "AU", "Sydney NSW 2000"),
        ("Edinburgh", "", "EH1 1YZ", "GB", "Edinburgh EH1 1YZ"),
        ("Budapest", "", "1055", "HU", "Budapest 1055"),  # the code follows the city in Hungary too
        ("Rīga", "", "LV-1050", "LV", "Rīga LV-1050"),
        ("Somewhere", "", "12345", "ZZ", "Somewhere 12345"),  # a country shipdesk has no rule for
        ("Somewhere", "", "12345", "", "Somewhere 12345"),
    ],
)
def test_the_postal_code_goes_before_the_city_where_the_country_writes_it_so_and_after_it_elsewhere(
    city: str, state: str, postal_code: str, country: str, city_line: str
) -> None:
    address = Address(name="A. Packer", street1="1 Main St", city=city, state=state, postal_code=postal_code)
    assert replace(address, country=country).lines()[2] == city_line


def test_a_state_or_prefecture_that_only_repeats_the_city_is_written_once() -> None:
    tokyo = Address(name="Sakura Satō", street1="1-1 Marunouchi", city="Tokyo", state="Tokyo", postal_code="100-0001")
    assert replace(tokyo, country="JP").lines()[2] == "Tokyo 100-0001"
    assert replace(tokyo, state="TOKYO ", country="JP").lines()[2] == "Tokyo 100-0001"
    assert replace(tokyo, city="Madrid", state="Madrid", postal_code="28013", country="ES").lines()[2] == "28013 Madrid"
    assert replace(tokyo, city="New York", state="NY", postal_code="10001", country="US").lines()[2] == (
        "New York NY 10001"
    )


def test_the_station_date_is_the_day_on_the_stations_clock_not_utcs(in_california: None) -> None:
    assert station_date(datetime(2026, 12, 1, 2, 30, tzinfo=UTC)) == date(2026, 11, 30)  # 6:30 pm in Los Angeles
    assert station_date(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)) == date(2026, 12, 1)  # 1 am there


def test_the_city_line_on_its_own_is_the_one_the_address_lines_show() -> None:
    copenhagen = Address(name="Zoë Ørsted", street1="Nørregade 7", city="København", postal_code="1165", country="DK")
    assert copenhagen.city_line() == "1165 København"
    assert copenhagen.city_line() in copenhagen.lines()
    assert Address().city_line() == ""


GRAM, OUNCE = WeightUnit.GRAM, WeightUnit.OUNCE


def test_a_gram_and_an_ounce_weigh_exactly_29_349523125_grams() -> None:
    total = Weight(Decimal(1), GRAM) + Weight(Decimal(1), OUNCE)

    assert total == Weight(Decimal("29.349523125"), GRAM)
    assert str(total) == "29.349523125 g"


def test_an_order_weighed_in_grams_with_items_in_ounces_totals_their_exact_weight() -> None:
    items = (
        Item(sku="CARD", name="Greeting card", quantity=1, weight=Weight(Decimal(20), GRAM)),
        Item(sku="SOAP", name="Soap bar", quantity=3, weight=Weight(Decimal("4.5"), OUNCE)),
    )
    order = Order(
        store="shop", upstream_id="1", order_number="1001", order_date=datetime(2026, 11, 1, tzinfo=UTC), items=items
    )

    # 3 × 4.5 oz = 13.5 oz = 382.7185621875 g, exactly.
    assert order.total_weight == Weight(Decimal("402.7185621875"), GRAM)


@pytest.mark.parametrize(
    ("city", "state", "postal_code", "country", "city_line"),
    [
        # France's overseas departments and territories write addresses as France does.
        ("Saint-Denis", "", "97400", "RE", "97400 Saint-Denis"),
        ("Fort-de-France", "", "97200", "MQ", "97200 Fort-de-France"),
        ("Pointe-à-Pitre", "", "97110", "GP", "97110 Pointe-à-Pitre"),
        ("Cayenne", "", "97300", "GF", "97300 Cayenne"),
        ("Nouméa", "", "98800", "NC", "98800 Nouméa"),
        # Denmark's and Finland's self-governing islands, as their mother countries.
        ("Nuuk", "", "3900", "GL", "3900 Nuuk"),
        ("Tórshavn", "", "100", "FO", "100 Tórshavn"),
        ("Mariehamn", "", "22100", "AX", "22100 Mariehamn"),
        # The Balkans, Moldova, North Africa and Latin America.
        ("Beograd", "", "11000", "RS", "11000 Beograd"),
        ("Sarajevo", "", "71000", "BA", "71000 Sarajevo"),
        ("Skopje", "", "1000", "MK", "1000 Skopje"),
        ("Chişinău", "", "2001", "MD", "2001 Chişinău"),
        ("Casablanca", "", "20250", "MA", "20250 Casablanca"),
        ("Ciudad de México", "CDMX", "06600", "MX", "06600 Ciudad de México CDMX"),
        ("Buenos Aires", "", "C1425", "AR", "C1425 Buenos Aires"),
    ],
)
def test_the_postal_code_comes_first_wherever_the_destinations_post_writes_it_first(
    city: str, state: str, postal_code: str, country: str, city_line: str
) -> None:
    address = Address(
        name="A. Client", street1="1 Rue Principale", city=city, state=state, postal_code=postal_code, country=country
    )

    assert address.lines()[2] == city_line


@pytest.mark.parametrize("country", ["us", " US", "Us "])
def test_a_us_address_without_a_zip_code_is_held_however_the_store_writes_the_country(country: str) -> None:
    no_zip = Address(name="Ann Lee", street1="1 Main St", city="Austin", state="TX", country=country)

    assert not no_zip.is_complete_for_shipping()


def test_a_costa_rican_address_writes_its_postal_code_after_the_city_as_its_post_asks() -> None:
    """Correos de Costa Rica (and Google's address data, "%S, %C%n%Z") put the code last, after the place names."""
    address = Address(
        name="Ana Mora", street1="Calle 5", city="Escazú", state="San José", postal_code="10201", country="CR"
    )

    assert address.city_line() == "Escazú San José 10201"


@pytest.mark.parametrize(
    ("status", "reason", "shown"),
    [
        (OrderStatus.AWAITING_SHIPMENT, "", "Awaiting shipment"),
        (OrderStatus.ON_HOLD, "no ship-to address", "On hold: no ship-to address"),
        (OrderStatus.ON_HOLD, "on hold in ShipStation until 2026-12-24", "On hold in ShipStation until 2026-12-24"),
        (OrderStatus.ON_HOLD, "on hold in ShipStation", "On hold in ShipStation"),
        (OrderStatus.ON_HOLD, "", "On hold"),
    ],
)
def test_a_status_says_on_hold_once_whatever_words_the_reason_starts_with(
    status: OrderStatus, reason: str, shown: str
) -> None:
    assert status_words(status, reason) == shown


def test_a_value_once_built_is_never_changed_the_type_checker_refuses_it(tmp_path: Path) -> None:
    # Values are shared (one blank address for every order without one); run time does not refuse an assignment
    # (see value_type), the project's mypy check does.
    script = tmp_path / "renames_an_address.py"
    script.write_text("from shipdesk.domain import Address\n\nAddress().name = 'Zoë'\n", encoding="utf-8")
    root = Path(__file__).resolve().parent.parent

    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), str(script)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 1, checked.stdout
    assert 'Property "name" defined in "Address" is read-only' in checked.stdout
