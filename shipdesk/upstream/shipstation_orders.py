"""ShipStation API v1 order JSON read into domain orders, and ShipStation's zone-less timestamps read as UTC.

ShipStation writes every time as a wall time of the account's zone: US Pacific, unless the account is set up in
another zone (what a ShipStation store's time zone in shipdesk says).

A malformed order becomes one problem line that names it; the other orders of its page are still read.
The orders ShipStation combined into another (advancedOptions.mergedIds) are named beside that order's page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from math import isfinite
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from shipdesk.collector_pause import cycle_collection_paused
from shipdesk.domain import Address, Item, ItemOption, Order, OrderStatus, Weight, parse_weight_unit

PACIFIC = ZoneInfo("America/Los_Angeles")  # every ShipStation v1 timestamp without a zone is US Pacific time

# Exactly what the API sends, "2015-06-28T17:46:27.0000000": ASCII digits, no zone.
_SHIPSTATION_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{7}")
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
_ZERO = Decimal(0)
_NO_OBJECT: Mapping[str, Any] = {}
# Weights read from a whole number and a unit word ((24, "ounces")), shared: a page repeats a few of them, and a
# Weight is immutable. Only int amounts are keys, since Decimal("24.0") == Decimal("24") but they print apart.
_WHOLE_WEIGHTS: dict[tuple[int, str], Weight] = {}


class OrderDataError(ValueError):
    """One order's JSON cannot be read; the message says what is wrong with it."""


def parse_wall_datetime(text: str, zone: ZoneInfo = PACIFIC) -> datetime:
    """A ShipStation timestamp ("2015-06-28T17:46:27.0000000", a wall time of `zone`) as a UTC-aware datetime.

    A wall time that happens twice when DST ends is read as its first occurrence (PDT in Pacific time); the API gives
    no way to tell. A wall time skipped when DST begins is read with the offset before the change, as zoneinfo does.
    An explicit zone ("Z", "+01:00") is honoured when one is present.
    """
    stripped = text.strip()
    if _SHIPSTATION_SHAPE.fullmatch(stripped):
        offset = _offset_of_hour(stripped[:13], zone)
        if offset is not None:
            try:
                # "+00:00" makes fromisoformat return the wall time already tagged UTC; the offset then moves it.
                return datetime.fromisoformat(stripped[:26] + "+00:00") - offset
            except ValueError:
                pass  # not a real time (minute 61): the general way below refuses it in its own words
    match = _DATETIME.fullmatch(stripped)
    if match is None:
        raise ValueError(f"{text!r} is not a date and time")
    year, month, day, hour, minute, second, fraction, zone_text = match.groups()
    microsecond = int((fraction or "0")[:6].ljust(6, "0"))
    tz = zone if zone_text is None else _fixed_zone(zone_text)
    moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), microsecond, tzinfo=tz)
    return moment.astimezone(UTC)


@lru_cache(maxsize=4096)
def _offset_of_hour(hour: str, zone: ZoneInfo) -> timedelta | None:
    """The UTC offset of every wall time of `zone` in the hour "2015-06-28T17", or None when it is not one offset.

    US DST changes on the hour (the gap and the repeated hour are whole hours), so one lookup serves the hour;
    an hour whose first and last instants differ (the 1883 switch from local mean time, a half-hour zone's change)
    is left to zoneinfo.
    """
    try:
        first = datetime.fromisoformat(hour + ":00:00").replace(tzinfo=zone)
    except ValueError:
        return None
    last = first.replace(minute=59, second=59, microsecond=999_999)
    offset, last_offset = first.utcoffset(), last.utcoffset()
    return offset if offset == last_offset else None


def _fixed_zone(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-offset if text[0] == "-" else offset)


class ParsedOrders(NamedTuple):
    orders: list[Order]
    problems: list[str]  # "order 1234: missing orderNumber", one for each order that could not be read
    # upstream id -> the upstream ids of the orders ShipStation combined into it (advancedOptions.mergedIds)
    merged: dict[str, tuple[str, ...]]


def parse_orders(
    raw_orders: Sequence[Any], store: str, *, currency: str = "USD", zone: ZoneInfo = PACIFIC
) -> ParsedOrders:
    """The orders of one page, a problem line for each that was unreadable, and the orders combined into them.

    `zone` is the one the account writes its times in.
    """
    orders: list[Order] = []
    problems: list[str] = []
    merged: dict[str, tuple[str, ...]] = {}
    with cycle_collection_paused():  # a page's orders are some 20,000 objects, none in a cycle
        for position, raw in enumerate(raw_orders, start=1):
            try:
                order = parse_order(raw, store, currency=currency, zone=zone)
                combined = merged_order_ids(raw)
            except OrderDataError as error:
                problems.append(f"{_order_label(raw, position)}: {error}")
                continue
            orders.append(order)
            if combined:
                merged[order.upstream_id] = combined
    return ParsedOrders(orders, problems, merged)


def _order_label(raw: Any, position: int) -> str:
    if isinstance(raw, Mapping):
        number = raw.get("orderNumber")
        if isinstance(number, str) and number.strip():
            return f"order {number.strip()}"
        order_id = raw.get("orderId")
        if isinstance(order_id, int | str) and not isinstance(order_id, bool) and str(order_id).strip():
            return f"order {order_id}"
    return f"order #{position} of the page"


# The readers below take the field's value (data.get is called once, by the caller) and test the JSON types with
# `type(...) is` before any isinstance: a page of 500 orders reads about 50,000 fields, and this keeps each cheap.
# Fields are read in a fixed order, so an order with several faults is always reported by the same one.


def parse_order(data: Any, store: str, *, currency: str = "USD", zone: ZoneInfo = PACIFIC) -> Order:
    """One ShipStation order as a domain Order of `store`; raises OrderDataError when it cannot be read.

    Its times are read as wall times of `zone`, the one the account writes them in.
    """
    if type(data) is not dict and not isinstance(data, Mapping):
        raise OrderDataError("is not a JSON object")
    get = data.get
    order_id = get("orderId")
    if type(order_id) is not int and (isinstance(order_id, bool) or not isinstance(order_id, int)):
        raise OrderDataError("missing orderId" if order_id is None else f"orderId {order_id!r} is not a number")
    order_number = _text(get("orderNumber"), "orderNumber")
    if not order_number:
        raise OrderDataError("missing orderNumber")
    order_date = _datetime(get("orderDate"), "orderDate", zone)
    if order_date is None:
        raise OrderDataError("missing orderDate")
    status, hold_reason = _status(get)
    advanced = _object(get("advancedOptions"), "advancedOptions")
    raw_items = _list(get("items"), "items")
    items = tuple([_item(raw, position) for position, raw in enumerate(raw_items, start=1)])
    ship_to = _address_fields(get("shipTo"), "shipTo")
    bill_to = _address_fields(get("billTo"), "billTo")
    email = _text(get("customerEmail"), "customerEmail")
    advanced_get = advanced.get
    return Order(
        store=store,
        upstream_id=str(order_id),
        order_number=order_number,
        order_date=order_date,
        status=status,
        modify_date=_datetime(get("modifyDate"), "modifyDate", zone),
        ship_by_date=_datetime(get("shipByDate"), "shipByDate", zone),
        customer_email=email,
        customer_phone=ship_to[0][9] or bill_to[0][9],
        bill_to=address_from_texts(*bill_to, email),
        ship_to=address_from_texts(*ship_to, email),
        items=items,
        currency=(_text(get("currencyCode"), "currencyCode") or currency).upper(),
        order_total=_decimal(get("orderTotal"), "orderTotal"),
        tax_amount=_decimal(get("taxAmount"), "taxAmount"),
        shipping_paid=_decimal(get("shippingAmount"), "shippingAmount"),
        requested_service=_text(get("requestedShippingService"), "requestedShippingService"),
        payment_method=_text(get("paymentMethod"), "paymentMethod"),
        discount_total=discount_total(items),
        gift=_bool(get("gift")),
        gift_message=_text(get("giftMessage"), "giftMessage"),
        customer_notes=_text(get("customerNotes"), "customerNotes"),
        internal_notes=_text(get("internalNotes"), "internalNotes"),
        custom_field1=_text(advanced_get("customField1"), "customField1"),
        custom_field2=_text(advanced_get("customField2"), "customField2"),
        custom_field3=_text(advanced_get("customField3"), "customField3"),
        declared_weight=_weight(get("weight"), "the order's weight"),
        hold_reason=hold_reason,
        assigned_carrier_code=_text(get("carrierCode"), "carrierCode"),
        assigned_service_code=_text(get("serviceCode"), "serviceCode"),
        assigned_package_code=_text(get("packageCode"), "packageCode"),
        assigned_confirmation=_text(get("confirmation"), "confirmation"),
    )


def discount_total(items: Sequence[Item]) -> Decimal:
    """What the order's adjustment lines with a negative price (a coupon, "10% OFF") take off it."""
    discounts = _ZERO
    for item in items:
        if item.adjustment and item.unit_price < 0:
            discounts += -item.unit_price * item.quantity
    return discounts


def _status(get: Any) -> tuple[OrderStatus, str]:
    text = _text(get("orderStatus"), "orderStatus")
    externally_fulfilled = _bool(get("externallyFulfilled"))
    provider = ""
    if externally_fulfilled and text.lower() == "awaiting_shipment":
        provider = _text(get("externallyFulfilledBy"), "externallyFulfilledBy") or _text(
            get("externallyFulfilledByName"), "externallyFulfilledByName"
        )
    return order_status(
        text, hold_until=get("holdUntilDate"), externally_fulfilled=externally_fulfilled, fulfilled_by=provider
    )


def order_status(
    text: str, *, hold_until: Any, externally_fulfilled: bool, fulfilled_by: str
) -> tuple[OrderStatus, str]:
    """The shipdesk status and hold reason of a ShipStation orderStatus (stripped); raises OrderDataError.

    `hold_until` is the order's holdUntilDate as sent, read only for an order on hold.
    """
    if not text:
        raise OrderDataError("missing orderStatus")
    word = text.lower()
    known = _STATUSES.get(word)
    status, reason = known if known is not None else (OrderStatus.ON_HOLD, f"unknown ShipStation status {text!r}")
    if word == "on_hold":
        until = _date(hold_until, "holdUntilDate")
        reason = f"on hold in ShipStation until {until.isoformat()}" if until else reason
    if status is OrderStatus.AWAITING_SHIPMENT and externally_fulfilled:
        by = f" by {fulfilled_by}" if fulfilled_by else ""
        status, reason = OrderStatus.ON_HOLD, f"fulfilled outside this warehouse{by}"
    return status, reason


def _item(raw: Any, position: int) -> Item:
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise OrderDataError(f"item {position} is not a JSON object")
    get = raw.get
    sku = _text(get("sku"), "sku")
    name = _text(get("name"), "name") or sku
    if not name:
        raise OrderDataError(f"item {position} has neither a name nor a SKU")
    quantity = _quantity(get("quantity"), position, name)
    item_id = get("orderItemId")
    whole = type(item_id) is int or (isinstance(item_id, int) and not isinstance(item_id, bool))
    line_item_id = str(item_id) if whole else ""
    options = tuple(
        [
            ItemOption(_text(option.get("name"), "name"), _text(option.get("value"), "value"))
            for option in _list(get("options"), "options")
            if type(option) is dict or isinstance(option, Mapping)
        ]
    )
    return Item(
        sku=sku,
        name=name,
        quantity=quantity,
        unit_price=_decimal(get("unitPrice"), "unitPrice", position),
        line_item_id=line_item_id or _text(get("lineItemKey"), "lineItemKey"),
        image_url=_text(get("imageUrl"), "imageUrl"),
        weight=_weight(get("weight"), "weight", position),
        options=options,
        warehouse_location=_text(get("warehouseLocation"), "warehouseLocation"),
        adjustment=_bool(get("adjustment")),
    )


def merged_order_ids(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The orderIds of the orders ShipStation combined into this one (advancedOptions.mergedIds), as upstream ids.

    A split order (advancedOptions.parentId) is a shipment of its own and names none. Raises OrderDataError.
    """
    value = _object(data.get("advancedOptions"), "advancedOptions").get("mergedIds")
    if value is None or (type(value) is list and not value):
        return ()
    ids = []
    for raw in _list(value, "mergedIds"):
        if type(raw) is int or (isinstance(raw, int) and not isinstance(raw, bool)):
            ids.append(str(raw))
        elif isinstance(raw, str) and raw.strip().isdigit() and raw.strip().isascii():
            ids.append(str(int(raw)))
        else:
            raise OrderDataError(f"mergedIds holds {raw!r}, which is not an order id")
    return tuple(ids)


def _quantity(value: Any, position: int, name: str) -> int:
    if type(value) is int:
        return value
    what = f"item {position} ({name})"
    if value is None:
        raise OrderDataError(f"{what} has no quantity")
    number = _decimal(value, f"{what} quantity")
    if number != number.to_integral_value():
        raise OrderDataError(f"{what} has quantity {value}, not a whole number")
    return int(number)


_ADDRESS_KEYS = ("name", "company", "street1", "street2", "street3", "city", "state", "postalCode", "country", "phone")


def _address_fields(value: Any, key: str) -> tuple[list[str], bool | None]:
    """An address's texts in _ADDRESS_KEYS order (country in capitals) and whether it is residential."""
    raw = _object(value, key)
    if not raw:
        return ["", "", "", "", "", "", "", "", "", ""], None
    get = raw.get
    texts = [field.strip() if type(field := get(name)) is str else _text(field, name) for name in _ADDRESS_KEYS]
    texts[8] = texts[8].upper()
    residential = get("residential")
    return texts, residential if isinstance(residential, bool) else None


def address_from_texts(texts: Sequence[str], residential: bool | None, email: str) -> Address:
    """An address from its texts in _ADDRESS_KEYS order, each stripped (the country in capitals)."""
    # The order's e-mail goes on each address that has something on it, never on an empty one.
    empty = residential is None and not any(texts)
    name, company, street1, street2, street3, city, state, postal_code, country, phone = texts
    address = object.__new__(Address)  # as shipstation_order_page._item builds an item, for the same reason
    Address.__init__(
        address,
        name=name,
        company=company,
        street1=street1,
        street2=street2,
        street3=street3,
        city=city,
        state=state,
        postal_code=postal_code,
        country=country,
        phone=phone,
        email="" if empty else email,
        residential=residential,
    )
    return address


def _weight(value: Any, what: str, item: int = 0) -> Weight | None:
    """A weight, or None when there is none: ShipStation writes an unknown weight as 0."""
    raw = _object(value, "weight")
    amount = raw.get("value")
    if amount is None:
        return None
    units = raw.get("units")
    key = (amount, units) if type(amount) is int and type(units) is str else None
    if key is not None and (known := _WHOLE_WEIGHTS.get(key)) is not None:
        return known
    number = _decimal(amount, what, item)
    if number <= 0:
        return None
    units = _text(units, "units")
    try:
        unit = parse_weight_unit(units)
    except ValueError:
        raise OrderDataError(f"{_of_item(item)}{what} is in {units!r}, not pounds, ounces or grams") from None
    weight = Weight(number, unit)
    if key is not None and len(_WHOLE_WEIGHTS) < 4096:
        _WHOLE_WEIGHTS[key] = weight
    return weight


def _text(value: Any, key: str) -> str:
    kind = type(value)
    if kind is str:
        return value.strip()  # type: ignore[no-any-return]
    if value is None or kind is bool:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | Decimal | float):
        return str(value)
    raise OrderDataError(f"{key} is not text")


def _decimal(value: Any, what: str, item: int = 0) -> Decimal:
    """A JSON number (or numeric text) as an exact Decimal; `what` (of item number `item`) names it in a problem."""
    kind = type(value)
    if kind is int:
        return Decimal(value)
    if kind is Decimal and value.is_finite():
        return value  # type: ignore[no-any-return]
    if kind is float and isfinite(value):
        return Decimal(repr(value))  # the shortest text that reads back as this float: the JSON's own digits
    if value is None:
        return _ZERO
    what = _of_item(item) + what
    if isinstance(value, bool):
        raise OrderDataError(f"{what} is not a number")
    if not isinstance(value, int | float | str | Decimal):
        # Decimal() would read a list as a sign-digits-exponent triple, or fail with ValueError on any other list.
        raise OrderDataError(f"{what} {value!r} is not a number")
    try:
        number = Decimal(str(value)) if isinstance(value, float | str) else Decimal(value)
    except InvalidOperation:
        raise OrderDataError(f"{what} {value!r} is not a number") from None
    if not number.is_finite():
        raise OrderDataError(f"{what} {value!r} is not a number")
    return number


def _of_item(item: int) -> str:
    """The start of a problem about item number `item` ("item 2 "), or nothing for the order's own fields."""
    return f"item {item} " if item else ""


def _bool(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _datetime(value: Any, key: str, zone: ZoneInfo) -> datetime | None:
    text = _text(value, key)
    if not text:
        return None
    try:
        return parse_wall_datetime(text, zone)
    except (ValueError, OverflowError):  # OverflowError: a year-9999 wall time is past the last UTC datetime
        raise OrderDataError(f"{key} {text!r} is not a date and time") from None


def _date(value: Any, key: str) -> date | None:
    text = _text(value, key)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise OrderDataError(f"{key} {text!r} is not a date") from None


def _object(value: Any, key: str) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    if value is None:
        return _NO_OBJECT
    if not isinstance(value, Mapping):
        raise OrderDataError(f"{key} is not a JSON object")
    return value


def _list(value: Any, key: str) -> list[Any]:
    if type(value) is list:
        return value
    if value is None:
        return []
    if not isinstance(value, list):
        raise OrderDataError(f"{key} is not a list")
    return value
