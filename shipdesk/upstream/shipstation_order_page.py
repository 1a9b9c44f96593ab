"""A page of ShipStation orders read straight from the answer's bytes, when every order on it has the usual shape.

msgspec decodes the answer into the fields shipdesk reads, checking their JSON types as it goes, in C, and skips the
dozens of fields it does not read; what is left here is building the domain orders. A page with anything unusual on
it (a number written as text, an order without its number, a date that is no date, text that is not UTF-8) is not
read here: `read_usual_page` says None, and the careful reader (shipstation_orders.parse_orders) reads that page
order by order and names what is wrong with each. Every order read here is the one the careful reader makes of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from shipdesk.collector_pause import cycle_collection_paused
from shipdesk.domain import Address, Item, ItemOption, Order, Weight, parse_weight_unit
from shipdesk.upstream.shipstation_orders import (
    PACIFIC,
    OrderDataError,
    ParsedOrders,
    address_from_texts,
    discount_total,
    order_status,
    parse_wall_datetime,
)

_ZERO = Decimal(0)


class _Unusual(Exception):
    """The page has something the careful reader must look at."""


class _Weight(msgspec.Struct):
    value: Decimal | None = None
    units: str | None = None


class _Option(msgspec.Struct):
    name: str | None = None
    value: str | None = None


class _Item(msgspec.Struct, rename="camel"):
    order_item_id: int | None = None
    line_item_key: str | None = None
    sku: str | None = None
    name: str | None = None
    image_url: str | None = None
    weight: _Weight | None = None
    quantity: int | None = None
    unit_price: Decimal | None = None
    warehouse_location: str | None = None
    options: list[_Option] | None = None
    adjustment: bool | None = None


class _Address(msgspec.Struct, rename="camel"):
    name: str | None = None
    company: str | None = None
    street1: str | None = None
    street2: str | None = None
    street3: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    phone: str | None = None
    residential: bool | None = None


class _AdvancedOptions(msgspec.Struct, rename="camel"):
    custom_field1: str | None = None
    custom_field2: str | None = None
    custom_field3: str | None = None
    merged_ids: list[int] | None = None


class _Order(msgspec.Struct, rename="camel"):
    order_id: int | None = None
    order_number: str | None = None
    order_date: str | None = None
    modify_date: str | None = None
    ship_by_date: str | None = None
    order_status: str | None = None
    hold_until_date: str | None = None
    externally_fulfilled: bool | None = None
    externally_fulfilled_by: str | None = None
    externally_fulfilled_by_name: str | None = None
    customer_email: str | None = None
    bill_to: _Address | None = None
    ship_to: _Address | None = None
    items: list[_Item] | None = None
    currency_code: str | None = None
    order_total: Decimal | None = None
    tax_amount: Decimal | None = None
    shipping_amount: Decimal | None = None
    requested_shipping_service: str | None = None
    payment_method: str | None = None
    gift: bool | None = None
    gift_message: str | None = None
    customer_notes: str | None = None
    internal_notes: str | None = None
    advanced_options: _AdvancedOptions | None = None
    weight: _Weight | None = None
    carrier_code: str | None = None
    service_code: str | None = None
    package_code: str | None = None
    confirmation: str | None = None


class _Page(msgspec.Struct):
    orders: list[_Order]
    # As sent: the client reads them the way it reads a page the careful reader read.
    page: Any = None
    pages: Any = None
    total: Any = None


_DECODER = msgspec.json.Decoder(_Page, float_hook=Decimal)
_NO_ADVANCED_OPTIONS = _AdvancedOptions()
_NO_ADDRESS = _Address()


@dataclass(frozen=True, slots=True)
class UsualPage:
    parsed: ParsedOrders
    page: Any
    pages: Any
    total: Any


def read_usual_page(content: bytes, store: str, *, currency: str = "USD", zone: ZoneInfo = PACIFIC) -> UsualPage | None:
    """The page's orders, or None when the page is not in the usual shape (or not a page of orders at all)."""
    with cycle_collection_paused():  # a page's orders are some 20,000 objects, none in a cycle
        try:
            page = _DECODER.decode(content)
        except msgspec.DecodeError:  # also what does not match the shape: msgspec.ValidationError is one
            return None
        try:
            orders = [_order(raw, store, currency, zone) for raw in page.orders]
        except (_Unusual, OrderDataError):
            return None
        merged = {
            order.upstream_id: tuple([str(number) for number in raw.advanced_options.merged_ids])
            for order, raw in zip(orders, page.orders, strict=True)
            if raw.advanced_options is not None and raw.advanced_options.merged_ids
        }
        usual = UsualPage(ParsedOrders(orders, [], merged), page.page, page.pages, page.total)
        # Freed before the collector runs again, which would otherwise walk the decoded page once more.
        del page
    return usual


def _order(raw: _Order, store: str, currency: str, zone: ZoneInfo) -> Order:
    order_id = raw.order_id
    order_number = (raw.order_number or "").strip()
    if order_id is None or not order_number:
        raise _Unusual
    order_date = _datetime(raw.order_date, zone)
    if order_date is None:
        raise _Unusual
    status, hold_reason = order_status(
        (raw.order_status or "").strip(),
        hold_until=raw.hold_until_date,
        externally_fulfilled=raw.externally_fulfilled is True,
        fulfilled_by=(raw.externally_fulfilled_by or "").strip() or (raw.externally_fulfilled_by_name or "").strip(),
    )
    advanced = raw.advanced_options or _NO_ADVANCED_OPTIONS
    items = tuple([_item(item) for item in raw.items or ()])
    email = (raw.customer_email or "").strip()
    ship_to = _address(raw.ship_to, email)
    bill_to = _address(raw.bill_to, email)
    order = object.__new__(Order)  # see _item
    Order.__init__(
        order,
        store=store,
        upstream_id=str(order_id),
        order_number=order_number,
        order_date=order_date,
        status=status,
        modify_date=_datetime(raw.modify_date, zone),
        ship_by_date=_datetime(raw.ship_by_date, zone),
        customer_email=email,
        customer_phone=ship_to.phone or bill_to.phone,
        bill_to=bill_to,
        ship_to=ship_to,
        items=items,
        currency=((raw.currency_code or "").strip() or currency).upper(),
        order_total=_money(raw.order_total),
        tax_amount=_money(raw.tax_amount),
        shipping_paid=_money(raw.shipping_amount),
        requested_service=(raw.requested_shipping_service or "").strip(),
        payment_method=(raw.payment_method or "").strip(),
        discount_total=discount_total(items),
        gift=raw.gift is True,
        gift_message=(raw.gift_message or "").strip(),
        customer_notes=(raw.customer_notes or "").strip(),
        internal_notes=(raw.internal_notes or "").strip(),
        custom_field1=(advanced.custom_field1 or "").strip(),
        custom_field2=(advanced.custom_field2 or "").strip(),
        custom_field3=(advanced.custom_field3 or "").strip(),
        declared_weight=_weight(raw.weight),
        hold_reason=hold_reason,
        assigned_carrier_code=(raw.carrier_code or "").strip(),
        assigned_service_code=(raw.service_code or "").strip(),
        assigned_package_code=(raw.package_code or "").strip(),
        assigned_confirmation=(raw.confirmation or "").strip(),
    )
    return order


def _item(raw: _Item) -> Item:
    sku = (raw.sku or "").strip()
    name = (raw.name or "").strip() or sku
    quantity = raw.quantity
    if not name or quantity is None:
        raise _Unusual
    # __init__ called on a new object, not the class called: a class called with keywords first gathers them into a
    # dict for its __init__. For a pull's orders, items and addresses that dict was 2.5 % of the instructions.
    item = object.__new__(Item)
    Item.__init__(
        item,
        sku=sku,
        name=name,
        quantity=quantity,
        unit_price=_money(raw.unit_price),
        line_item_id=str(raw.order_item_id) if raw.order_item_id is not None else (raw.line_item_key or "").strip(),
        image_url=(raw.image_url or "").strip(),
        weight=_weight(raw.weight),
        options=tuple(
            [ItemOption((option.name or "").strip(), (option.value or "").strip()) for option in raw.options or ()]
        ),
        warehouse_location=(raw.warehouse_location or "").strip(),
        adjustment=raw.adjustment is True,
    )
    return item


def _address(raw: _Address | None, email: str) -> Address:
    fields = raw or _NO_ADDRESS
    texts = [
        (fields.name or "").strip(),
        (fields.company or "").strip(),
        (fields.street1 or "").strip(),
        (fields.street2 or "").strip(),
        (fields.street3 or "").strip(),
        (fields.city or "").strip(),
        (fields.state or "").strip(),
        (fields.postal_code or "").strip(),
        (fields.country or "").strip().upper(),
        (fields.phone or "").strip(),
    ]
    return address_from_texts(texts, fields.residential, email)


def _weight(raw: _Weight | None) -> Weight | None:
    """A weight, or None when there is none: ShipStation writes an unknown weight as 0."""
    if raw is None or raw.value is None:
        return None
    number = _money(raw.value)
    if number <= 0:
        return None
    try:
        return Weight(number, parse_weight_unit((raw.units or "").strip()))
    except ValueError:
        raise _Unusual from None


def _money(value: Decimal | None) -> Decimal:
    if value is None:
        return _ZERO
    if not value.is_finite():  # "NaN" written as text
        raise _Unusual
    return value


def _datetime(value: str | None, zone: ZoneInfo) -> Any:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return parse_wall_datetime(text, zone)
    except (ValueError, OverflowError):
        raise _Unusual from None
