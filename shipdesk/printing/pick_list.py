"""The pick list of a batch: every SKU once, its quantity summed across orders, in walking order.

Walking order is the warehouse location sorted the way people read it ("A-2" before "A-10"); items without
a location come last, so the picker finishes the shelves first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from shipdesk.domain import Item, Order


@dataclass(frozen=True, slots=True)
class PickLine:
    sku: str
    name: str
    options: str  # "Colour: Blue, Size: L"
    location: str
    quantity: int
    order_numbers: tuple[str, ...]


def options_text(item: Item) -> str:
    return ", ".join(f"{option.name}: {option.value}" for option in item.options)


def location_key(location: str) -> tuple[bool, tuple[tuple[int, int | str], ...]]:
    """Sort key for warehouse locations: numbers by value, letters without case, empty last."""
    parts = re.findall(r"\d+|[^\W\d_]+", location.casefold())
    return (not parts, tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts))


def pick_lines(orders: Iterable[Order]) -> list[PickLine]:
    """One line per SKU and options (or per name when an item has no SKU), physical items only."""
    totals: dict[tuple[str, str], list[Item]] = {}
    numbers: dict[tuple[str, str], list[str]] = {}
    for order in orders:
        for item in order.physical_items:
            key = (item.sku or f"name:{item.name}", options_text(item))
            totals.setdefault(key, []).append(item)
            if order.order_number not in numbers.setdefault(key, []):
                numbers[key].append(order.order_number)
    lines = [
        PickLine(
            sku=items[0].sku,
            name=items[0].name,
            options=key[1],
            location=next((item.warehouse_location for item in items if item.warehouse_location), ""),
            quantity=sum(item.quantity for item in items),
            order_numbers=tuple(numbers[key]),
        )
        for key, items in totals.items()
    ]
    return sorted(lines, key=lambda line: (location_key(line.location), line.sku.casefold(), line.name.casefold()))
