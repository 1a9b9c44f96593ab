"""A parcel's weight, size and insured value as a packer types them: "2 lb", "12oz", "7x5x6.5 in", "150".

Each reader returns None for empty text and raises ValueError saying how to write it.
"""

from __future__ import annotations

import string
from decimal import Decimal, InvalidOperation

from shipdesk.domain import Dimensions, Weight, parse_length_unit, parse_weight_unit

WEIGHT_EXAMPLE = '"2 lb" or "12oz"'
DIMENSIONS_EXAMPLE = '"7x5x6.5 in"'


def read_weight(text: str) -> Weight | None:
    if not text.strip():
        return None
    number, unit = _split_unit(text)
    try:
        weight = Weight(Decimal(number), parse_weight_unit(unit))
    except (ValueError, InvalidOperation):
        raise ValueError(f"write the weight as {WEIGHT_EXAMPLE}") from None
    if weight.value <= 0:
        raise ValueError("the weight must be more than 0")
    return weight


def read_dimensions(text: str) -> Dimensions | None:
    if not text.strip():
        return None
    sizes, unit = _split_unit(text.replace("×", "x").replace("X", "x"))
    try:
        length, width, height = (Decimal(part) for part in sizes.split("x"))
        return Dimensions(length, width, height, parse_length_unit(unit))
    except (ValueError, InvalidOperation):
        raise ValueError(f"write the size as length x width x height and a unit, as in {DIMENSIONS_EXAMPLE}") from None


def read_money(text: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError("write the insured value as a number such as 150 or 89.95") from None
    if not value.is_finite() or value < 0:
        raise ValueError("write the insured value as a number such as 150 or 89.95")
    return value


def _split_unit(text: str) -> tuple[str, str]:
    """ "7x5x6.5 in" → ("7x5x6.5", "in"); "12oz" → ("12", "oz")."""
    compact = text.strip().replace(" ", "")
    unit_starts = len(compact.rstrip(string.ascii_letters))
    return compact[:unit_starts], compact[unit_starts:]
