"""Tracking numbers for the labels shipdesk composes itself ("Other / own courier").

"SD" + ship date (yymmdd, UTC) + order id (seven digits or more) + a Luhn check digit, e.g. SD26112200001234.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

PREFIX = "SD"
ORDER_DIGITS = 7
_SHAPE = re.compile(rf"{PREFIX}(\d{{6}})(\d{{{ORDER_DIGITS},}})(\d)")


def own_courier_tracking_number(order_id: int, shipped_at: datetime) -> str:
    """The tracking number of an order's own-courier label shipped at `shipped_at`.

    The date is taken in UTC when `shipped_at` knows its zone, so every station gives the same number.
    """
    if order_id < 0:
        raise ValueError(f"An order id is never negative, got {order_id}.")
    if shipped_at.tzinfo is not None:
        shipped_at = shipped_at.astimezone(UTC)
    digits = f"{shipped_at:%y%m%d}{order_id:0{ORDER_DIGITS}d}"
    return f"{PREFIX}{digits}{luhn_check_digit(digits)}"


def is_own_courier_tracking_number(text: str) -> bool:
    """Whether `text` is exactly a number own_courier_tracking_number could have made (check digit included)."""
    match = _SHAPE.fullmatch(text)
    if match is None:
        return False
    date_digits, order_digits, check = match.groups()
    try:
        datetime.strptime(date_digits, "%y%m%d")
    except ValueError:
        return False
    return luhn_check_digit(date_digits + order_digits) == check


def luhn_check_digit(digits: str) -> str:
    """The Luhn (mod 10) digit to append: it catches every single wrong digit and most swapped pairs."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # the digit next to the check digit is doubled
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return str(-total % 10)
