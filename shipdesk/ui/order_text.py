"""How an order's fields read on screen: dates, weights, money, status with its hold reason.

Plain functions with no Qt, shared by the orders table and the detail pane so both say the same.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shipdesk.domain import Address, Item


def date_text(moment: datetime) -> str:
    """A cached UTC time as the station's local time; the packer thinks in their own day."""
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def weight_text(grams: float | None) -> str:
    if grams is None:
        return ""
    return f"{grams / 1000:.2f} kg"


def money_text(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def options_text(item: Item) -> str:
    return " · ".join(f"{option.name}: {option.value}" for option in item.options)


def address_text(address: Address) -> str:
    """The address as written on a parcel, then the phone and e-mail that come with it."""
    lines = address.lines()
    lines.extend(contact for contact in (address.phone, address.email) if contact)
    return "\n".join(lines)
