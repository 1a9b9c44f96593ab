"""ShipStation API v1 order JSON read into domain orders, and ShipStation's Pacific-time timestamps read as UTC.

A malformed order becomes one problem line that names it; the other orders of its page are still read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from shipdesk.domain import Address, Item, ItemOption, Order, OrderStatus, Weight, parse_weight_unit

PACIFIC = ZoneInfo("America/Los_Angeles")  # every ShipStation v1 timestamp without a zone is US Pacific time

_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)

# ShipStation status → (shipdesk status, why the order is held). Orders handed to a fulfillment provider are
# packed by someone else, so they wait on hold here instead of appearing in the packing queue.
_STATUSES: dict[str, tuple[OrderStatus, str]] = {
    "awaiting_payment": (OrderStatus.AWAITING_PAYMENT, ""),
    "awaiting_shipment": (OrderStatus.AWAITING_SHIPMENT, ""),
    "pending_fulfillment": (OrderStatus.ON_HOLD, "sent to a fulfillment provider in ShipStation"),
    "rejected_fulfillment": (
        OrderStatus.ON_HOLD,
        "the fulfillment provider rejected it; decide in ShipStation who ships it",
    ),
    "on_hold": (OrderStatus.ON_HOLD, "on hold in ShipStation"),
    "shipped": (OrderStatus.SHIPPED, ""),
    "cancelled": (OrderStatus.CANCELLED, ""),
}


class OrderDataError(ValueError):
    """One order's JSON cannot be read; the message says what is wrong with it."""


def parse_pacific_datetime(text: str) -> datetime:
    """A ShipStation timestamp ("2015-06-28T17:46:27.0000000", Pacific time) as a UTC-aware datetime.

    A wall time that happens twice when DST ends is read as its first occurrence (PDT); the API gives no way to tell.
    An explicit zone ("Z", "+01:00") is honoured when one is present.
    """
    match = _DATETIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a date and time")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    microsecond = int((fraction or "0")[:6].ljust(6, "0"))
    tz = PACIFIC if zone is None else _fixed_zone(zone)
    moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), microsecond, tzinfo=tz)
    return moment.astimezone(UTC)


def _fixed_zone(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-offset if text[0] == "-" else offset)


def parse_orders(raw_orders: Sequence[Any], store: str, *, currency: str = "USD") -> tuple[list[Order], list[str]]:
    """The orders of one page, and a problem line ("order 1234: missing orderNumber") for each that was unreadable."""
    orders: list[Order] = []
    problems: list[str] = []
    for position, raw in enumerate(raw_orders, start=1):
        try:
            orders.append(parse_order(raw, store, currency=currency))
        except OrderDataError as error:
            problems.append(f"{_order_label(raw, position)}: {error}")
    return orders, problems


def _order_label(raw: Any, position: int) -> str:
    if isinstance(raw, Mapping):
        number = raw.get("orderNumber")
        if isinstance(number, str) and number.strip():
            return f"order {number.strip()}"
        order_id = raw.get("orderId")
        if isinstance(order_id, int | str) and not isinstance(order_id, bool) and str(order_id).strip():
            return f"order {order_id}"
    return f"order #{position} of the page"


def parse_order(data: Any, store: str, *, currency: str = "USD") -> Order:
    """One ShipStation order as a domain Order of `store`; raises OrderDataError when it cannot be read."""
    if not isinstance(data, Mapping):
        raise OrderDataError("is not a JSON object")
    order_id = data.get("orderId")
    if isinstance(order_id, bool) or not isinstance(order_id, int):
        raise OrderDataError("missing orderId" if order_id is None else f"orderId {order_id!r} is not a number")
    order_number = _text(data, "orderNumber")
    if not order_number:
        raise OrderDataError("missing orderNumber")
    order_date = _datetime(data, "orderDate")
    if order_date is None:
        raise OrderDataError("missing orderDate")
    status, hold_reason = _status(data)
    advanced = _object(data, "advancedOptions")
    items = tuple(_item(raw, position) for position, raw in enumerate(_list(data, "items"), start=1))
    ship_to = _address(data, "shipTo")
    bill_to = _address(data, "billTo")
    email = _text(data, "customerEmail")
    discounts = sum(
        (-item.unit_price * item.quantity for item in items if item.adjustment and item.unit_price < 0), Decimal(0)
    )
    return Order(
        store=store,
        upstream_id=str(order_id),
        order_number=order_number,
        order_date=order_date,
        status=status,
        modify_date=_datetime(data, "modifyDate"),
        ship_by_date=_datetime(data, "shipByDate"),
        customer_email=email,
        customer_phone=ship_to.phone or bill_to.phone,
        bill_to=_with_email(bill_to, email),
        ship_to=_with_email(ship_to, email),
        items=items,
        currency=(_text(data, "currencyCode") or currency).upper(),
        order_total=_decimal(data, "orderTotal"),
        tax_amount=_decimal(data, "taxAmount"),
        shipping_paid=_decimal(data, "shippingAmount"),
        requested_service=_text(data, "requestedShippingService"),
        payment_method=_text(data, "paymentMethod"),
        discount_total=discounts,
        gift=_bool(data, "gift"),
        gift_message=_text(data, "giftMessage"),
        customer_notes=_text(data, "customerNotes"),
        internal_notes=_text(data, "internalNotes"),
        custom_field1=_text(advanced, "customField1"),
        custom_field2=_text(advanced, "customField2"),
        custom_field3=_text(advanced, "customField3"),
        declared_weight=_weight(data, "weight", "the order's weight"),
        hold_reason=hold_reason,
    )


def _status(data: Mapping[str, Any]) -> tuple[OrderStatus, str]:
    text = _text(data, "orderStatus")
    if not text:
        raise OrderDataError("missing orderStatus")
    status, reason = _STATUSES.get(text.lower(), (OrderStatus.ON_HOLD, f"unknown ShipStation status {text!r}"))
    if text.lower() == "on_hold":
        until = _date(data, "holdUntilDate")
        reason = f"on hold in ShipStation until {until.isoformat()}" if until else reason
    if status is OrderStatus.AWAITING_SHIPMENT and _bool(data, "externallyFulfilled"):
        provider = _text(data, "externallyFulfilledBy") or _text(data, "externallyFulfilledByName")
        status, reason = OrderStatus.ON_HOLD, f"fulfilled outside this warehouse{f' by {provider}' if provider else ''}"
    return status, reason


def _item(raw: Any, position: int) -> Item:
    if not isinstance(raw, Mapping):
        raise OrderDataError(f"item {position} is not a JSON object")
    sku = _text(raw, "sku")
    name = _text(raw, "name") or sku
    if not name:
        raise OrderDataError(f"item {position} has neither a name nor a SKU")
    quantity = _quantity(raw, f"item {position} ({name})")
    item_id = raw.get("orderItemId")
    line_item_id = str(item_id) if isinstance(item_id, int) and not isinstance(item_id, bool) else ""
    options = tuple(
        ItemOption(_text(option, "name"), _text(option, "value"))
        for option in _list(raw, "options")
        if isinstance(option, Mapping)
    )
    return Item(
        sku=sku,
        name=name,
        quantity=quantity,
        unit_price=_decimal(raw, "unitPrice", f"item {position} unitPrice"),
        line_item_id=line_item_id or _text(raw, "lineItemKey"),
        image_url=_text(raw, "imageUrl"),
        weight=_weight(raw, "weight", f"item {position} weight"),
        options=options,
        warehouse_location=_text(raw, "warehouseLocation"),
        adjustment=_bool(raw, "adjustment"),
    )


def _quantity(raw: Mapping[str, Any], what: str) -> int:
    value = raw.get("quantity")
    if value is None:
        raise OrderDataError(f"{what} has no quantity")
    number = _decimal(raw, "quantity", f"{what} quantity")
    if number != number.to_integral_value():
        raise OrderDataError(f"{what} has quantity {value}, not a whole number")
    return int(number)


def _address(data: Mapping[str, Any], key: str) -> Address:
    raw = _object(data, key)
    residential = raw.get("residential")
    return Address(
        name=_text(raw, "name"),
        company=_text(raw, "company"),
        street1=_text(raw, "street1"),
        street2=_text(raw, "street2"),
        street3=_text(raw, "street3"),
        city=_text(raw, "city"),
        state=_text(raw, "state"),
        postal_code=_text(raw, "postalCode"),
        country=_text(raw, "country").upper(),
        phone=_text(raw, "phone"),
        residential=residential if isinstance(residential, bool) else None,
    )


def _with_email(address: Address, email: str) -> Address:
    return replace(address, email=email) if email and address != Address() else address


def _weight(data: Mapping[str, Any], key: str, what: str) -> Weight | None:
    """A weight, or None when there is none: ShipStation writes an unknown weight as 0."""
    raw = _object(data, key)
    if raw.get("value") is None:
        return None
    value = _decimal(raw, "value", what)
    if value <= 0:
        return None
    units = _text(raw, "units")
    try:
        unit = parse_weight_unit(units)
    except ValueError:
        raise OrderDataError(f"{what} is in {units!r}, not pounds, ounces or grams") from None
    return Weight(value, unit)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | Decimal | float):
        return str(value)
    raise OrderDataError(f"{key} is not text")


def _decimal(data: Mapping[str, Any], key: str, what: str = "") -> Decimal:
    value = data.get(key)
    if value is None:
        return Decimal(0)
    if isinstance(value, bool):
        raise OrderDataError(f"{what or key} is not a number")
    try:
        number = Decimal(str(value)) if isinstance(value, float | str) else Decimal(value)
    except (InvalidOperation, TypeError):
        raise OrderDataError(f"{what or key} {value!r} is not a number") from None
    if not number.is_finite():
        raise OrderDataError(f"{what or key} {value!r} is not a number")
    return number


def _bool(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key)
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _datetime(data: Mapping[str, Any], key: str) -> datetime | None:
    text = _text(data, key)
    if not text:
        return None
    try:
        return parse_pacific_datetime(text)
    except ValueError:
        raise OrderDataError(f"{key} {text!r} is not a date and time") from None


def _date(data: Mapping[str, Any], key: str) -> date | None:
    text = _text(data, key)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise OrderDataError(f"{key} {text!r} is not a date") from None


def _object(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise OrderDataError(f"{key} is not a JSON object")
    return value


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise OrderDataError(f"{key} is not a list")
    return value
