"""Tracking numbers for own-courier labels: unique per order and day, short, and self-checking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from shipdesk.printing.label_pdf import code128_bars, module_dots
from shipdesk.shipping.own_courier import (
    is_own_courier_tracking_number,
    luhn_check_digit,
    own_courier_tracking_number,
)

SHIPPED = datetime(2026, 11, 22, 14, 30, tzinfo=UTC)


def test_the_number_is_sd_then_date_then_order_then_check_digit() -> None:
    number = own_courier_tracking_number(1234, SHIPPED)
    assert number == "SD26112200012345"
    assert (number[:2], number[2:8], number[8:15]) == ("SD", "261122", "0001234")


def test_the_check_digit_is_luhn() -> None:
    assert luhn_check_digit("7992739871") == "3"  # the textbook example
    assert luhn_check_digit("2611220001234") == "5"


def test_numbers_differ_per_order_and_per_day() -> None:
    numbers = {own_courier_tracking_number(order_id, SHIPPED) for order_id in range(1, 2001)}
    numbers |= {own_courier_tracking_number(order_id, SHIPPED + timedelta(days=1)) for order_id in range(1, 2001)}
    assert len(numbers) == 4000


def test_the_date_is_the_utc_date_whatever_the_station_zone() -> None:
    tokyo = datetime(2026, 11, 23, 8, 0, tzinfo=timezone(timedelta(hours=9)))  # 2026-11-22 23:00 UTC
    assert own_courier_tracking_number(7, tokyo) == own_courier_tracking_number(7, SHIPPED)


def test_order_ids_past_seven_digits_keep_every_digit() -> None:
    number = own_courier_tracking_number(123_456_789, SHIPPED)
    assert number[8:-1] == "123456789"
    assert is_own_courier_tracking_number(number)


def test_a_negative_order_id_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        own_courier_tracking_number(-1, SHIPPED)


def test_the_validator_accepts_what_the_generator_makes() -> None:
    for order_id in (0, 1, 99, 1234, 9_999_999, 10_000_000):
        assert is_own_courier_tracking_number(own_courier_tracking_number(order_id, SHIPPED))


def test_the_validator_catches_any_single_mistyped_digit() -> None:
    number = own_courier_tracking_number(1234, SHIPPED)
    for position in range(2, len(number)):
        for digit in "0123456789":
            if digit != number[position]:
                typo = number[:position] + digit + number[position + 1 :]
                assert not is_own_courier_tracking_number(typo), typo


@pytest.mark.parametrize(
    "text",
    [
        "",
        "SD2611220001234",  # one digit short
        "sd26112200012345",
        "XX26112200012345",
        "SD26132200012343",  # month 13, with the right check digit
        "SD26112200012345 ",
        "1Z999AA10123456784",
    ],
)
def test_the_validator_refuses_what_is_not_an_own_courier_number(text: str) -> None:
    assert not is_own_courier_tracking_number(text)


def test_the_number_fits_a_4x6_label_as_code_128_with_wide_bars() -> None:
    number = own_courier_tracking_number(9_999_999, SHIPPED)
    assert len(number) == 16
    # At 203 dpi its bars can be at least 3 dots (0.375 mm) wide on a 4-inch label.
    assert module_dots(code128_bars(number).modules, 203, 288.0) >= 3
