"""Orders to JSON and back, for the `data` column of the cache.

The JSON is the whole order; the scalar columns beside it exist only to sort, filter and search.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

import orjson

from shipdesk.domain import (
    Address,
    Item,
    ItemOption,
    Order,
    OrderStatus,
    Weight,
    WeightUnit,
)


def _weight_to_json(weight: Weight, money: Callable[[Decimal], object]) -> list[object]:
    return [money(weight.value), weight.unit._value_]  # see _order_document on _value_


def _weight_from_json(data: list[str] | None) -> Weight | None:
    return None if data is None else Weight(Decimal(str(data[0])), WeightUnit(data[1]))


def _date_from_json(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def date_text(moment: datetime) -> str:
    """The moment's text as isoformat() writes it; for UTC (as every order's dates are) at a ninth of the cost."""
    if moment.tzinfo is UTC:
        # orjson writes a UTC datetime exactly as isoformat() does; an offset with seconds in it (old local mean
        # times) it would cut to minutes, so other zones go the slow way.
        return orjson.dumps(moment)[1:-1].decode()
    return moment.isoformat()


_Kept = TypeVar("_Kept")


def address_to_dict(address: Address) -> dict[str, Any]:
    """Every field of the address, in the order the class declares them (as the stored text has them)."""
    return {
        "name": address.name,
        "company": address.company,
        "street1": address.street1,
        "street2": address.street2,
        "street3": address.street3,
        "city": address.city,
        "state": address.state,
        "postal_code": address.postal_code,
        "country": address.country,
        "phone": address.phone,
        "email": address.email,
        "residential": address.residential,
    }


def _item_to_json(item: Item, money: Callable[[Decimal], object]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sku": item.sku,
        "name": item.name,
        "quantity": item.quantity,
        "unit_price": money(item.unit_price),
    }
    if item.line_item_id:
        data["line_item_id"] = item.line_item_id
    if item.image_url:
        data["image_url"] = item.image_url
    if item.weight is not None:
        data["weight"] = _weight_to_json(item.weight, money)
    if item.options:
        data["options"] = [[option.name, option.value] for option in item.options]
    if item.warehouse_location:
        data["warehouse_location"] = item.warehouse_location
    if not item.needs_shipping:
        data["needs_shipping"] = False
    if item.adjustment:
        data["adjustment"] = True
    return data


def _item_from_json(data: dict[str, Any]) -> Item:
    return Item(
        sku=data["sku"],
        name=data["name"],
        quantity=data["quantity"],
        unit_price=Decimal(str(data["unit_price"])),
        line_item_id=data.get("line_item_id", ""),
        image_url=data.get("image_url", ""),
        weight=_weight_from_json(data.get("weight")),
        options=tuple(ItemOption(name, value) for name, value in data.get("options", ())),
        warehouse_location=data.get("warehouse_location", ""),
        needs_shipping=data.get("needs_shipping", True),
        adjustment=data.get("adjustment", False),
    )


_PLAIN_TEXT_FIELDS = (
    "customer_email",
    "customer_phone",
    "currency",
    "requested_service",
    "payment_method",
    "gift_message",
    "customer_notes",
    "internal_notes",
    "custom_field1",
    "custom_field2",
    "custom_field3",
    "hold_reason",
)
_ASSIGNED_SHIPPING_FIELDS = (
    "assigned_carrier_code",
    "assigned_service_code",
    "assigned_package_code",
    "assigned_confirmation",
)
_MONEY_FIELDS = ("order_total", "tax_amount", "shipping_paid", "discount_total")
# Decimals as strings: money and weights come back exactly as they went in. No check for cycles, which plain
# order data cannot have.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str, check_circular=False)
_ASCII_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), default=str, check_circular=False)
# orjson writes the same text as _ENCODER, about eight times as fast. Addresses go to it as dicts: it writes a
# slotted dataclass too, but slower than the dict is built. A UTC datetime it writes itself (see _utc_as_is).


def _order_document(
    order: Order,
    address: Callable[[Address], object],
    money: Callable[[Decimal], object],
    order_date: str,
    date: Callable[[datetime], object],
) -> dict[str, Any]:
    # One dict display, keys in the stored order: sync_state reads "modify_date" from the stored text.
    modify_date = order.modify_date
    ship_by_date = order.ship_by_date
    declared_weight = order.declared_weight
    document: dict[str, Any] = {
        "store": order.store,
        "upstream_id": order.upstream_id,
        "order_number": order.order_number,
        "order_date": order_date,
        "modify_date": None if modify_date is None else date(modify_date),
        "ship_by_date": None if ship_by_date is None else date(ship_by_date),
        # _value_, the attribute an enum keeps its value in: .value is a Python-level property, a call each time.
        "status": order.status._value_,
        "bill_to": address(order.bill_to),
        "ship_to": address(order.ship_to),
        "items": [_item_to_json(item, money) for item in order.items],
        "coupons": list(order.coupons),
        "gift": order.gift,
        "declared_weight": None
        if declared_weight is None
        else [money(declared_weight.value), declared_weight.unit._value_],
        "customer_email": order.customer_email,
        "customer_phone": order.customer_phone,
        "currency": order.currency,
        "requested_service": order.requested_service,
        "payment_method": order.payment_method,
        "gift_message": order.gift_message,
        "customer_notes": order.customer_notes,
        "internal_notes": order.internal_notes,
        "custom_field1": order.custom_field1,
        "custom_field2": order.custom_field2,
        "custom_field3": order.custom_field3,
        "hold_reason": order.hold_reason,
        "order_total": money(order.order_total),
        "tax_amount": money(order.tax_amount),
        "shipping_paid": money(order.shipping_paid),
        "discount_total": money(order.discount_total),
    }
    # Each only when the store assigned it: the text of every other order stays as it was stored before these fields
    # existed, so pulled again unchanged it is still counted unchanged and not written again.
    if order.assigned_carrier_code:
        document["assigned_carrier_code"] = order.assigned_carrier_code
    if order.assigned_service_code:
        document["assigned_service_code"] = order.assigned_service_code
    if order.assigned_package_code:
        document["assigned_package_code"] = order.assigned_package_code
    if order.assigned_confirmation:
        document["assigned_confirmation"] = order.assigned_confirmation
    return document


def order_to_dict(order: Order) -> dict[str, Any]:
    """The whole order as plain data; money and weights stay Decimal for the caller to encode."""
    return _order_document(order, address_to_dict, _as_is, order.order_date.isoformat(), datetime.isoformat)


def order_to_json(order: Order, order_date: str | None = None) -> str:
    """The order's stored text; `order_date` is its date's ISO text when the caller has written it already."""
    if order_date is None:
        order_date = date_text(order.order_date)
    try:
        # Decimals written as text here, as default=str would: handed back one by one, each costs orjson a call.
        document = _order_document(order, address_to_dict, str, order_date, _utc_as_is)
        return orjson.dumps(document, default=str).decode()
    except TypeError:
        # What orjson refuses and the standard encoder writes: integers beyond 64 bits, unpaired surrogates.
        return _standard_json(order_to_dict(order))


def _standard_json(document: dict[str, Any]) -> str:
    text = _ENCODER.encode(document)
    try:
        text.encode()
    except UnicodeEncodeError:
        # An unpaired surrogate (half an emoji a store cut off) cannot be stored as SQLite text, which is UTF-8: as a
        # JSON escape (\ud83d) it is plain ASCII, and reads back as it came.
        return _ASCII_ENCODER.encode(document)
    return text


def _as_is(value: _Kept) -> _Kept:
    return value


def _utc_as_is(moment: datetime) -> object:
    """A UTC datetime for orjson to write, which it does as isoformat() would (see date_text), or else its text."""
    return moment if moment.tzinfo is UTC else moment.isoformat()


def order_from_json(text: str) -> Order:
    data = json.loads(text)
    order_date = _date_from_json(data["order_date"])
    assert order_date is not None
    return Order(
        store=data["store"],
        upstream_id=data["upstream_id"],
        order_number=data["order_number"],
        order_date=order_date,
        modify_date=_date_from_json(data["modify_date"]),
        ship_by_date=_date_from_json(data["ship_by_date"]),
        status=OrderStatus(data["status"]),
        bill_to=Address(**data["bill_to"]),
        ship_to=Address(**data["ship_to"]),
        items=tuple(_item_from_json(item) for item in data["items"]),
        coupons=tuple(data["coupons"]),
        gift=data["gift"],
        declared_weight=_weight_from_json(data["declared_weight"]),
        **{name: data[name] for name in _PLAIN_TEXT_FIELDS},
        **{name: data.get(name, "") for name in _ASSIGNED_SHIPPING_FIELDS},
        **{name: Decimal(str(data[name])) for name in _MONEY_FIELDS},  # type: ignore[arg-type]
    )
