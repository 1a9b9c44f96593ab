"""A page of ShipStation orders read straight from the answer's bytes: every order in the usual shape comes out as the
careful reader makes it, to the last digit and space, and a page with anything unusual is left to the careful reader,
which names what is wrong."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shipdesk.upstream.shipstation_order_page import read_usual_page
from shipdesk.upstream.shipstation_orders import ParsedOrders, parse_orders
from tests.upstream.test_shipstation_orders import SAMPLES

Change = Callable[[dict[str, Any]], None]
SAMPLE_ANSWER = (SAMPLES / "list_orders_response.json").read_bytes()


def careful_reading(body: bytes, zone: ZoneInfo | None = None) -> ParsedOrders:
    """What the careful reader makes of the answer, decoded as the client decoded every answer before."""
    raw = json.loads(body, parse_float=Decimal)["orders"]
    return parse_orders(raw, "Main", currency="CAD", zone=zone) if zone else parse_orders(raw, "Main", currency="CAD")


def answer_with(change: Change) -> bytes:
    """The documentation's sample answer with its second order (the domestic one, two items) changed."""
    answer = json.loads(SAMPLE_ANSWER, parse_float=Decimal)
    change(answer["orders"][1])
    return json.dumps(answer, default=_number).encode()


def _number(value: object) -> object:
    if isinstance(value, Decimal):
        return json.loads(str(value))  # written back with the digits it came with ("12.50" stays "12.50")
    raise TypeError(value)


def setting(path: str, value: object) -> Change:
    """A change that sets the field at "shipTo.name" or "items.0.weight" (None: null; DELETE: leaves it out)."""

    def change(order: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        holder: Any = order
        for key in parents:
            holder = holder[int(key)] if isinstance(holder, list) else holder[key]
        if value is DELETE:
            del holder[int(last) if isinstance(holder, list) else last]
        elif isinstance(holder, list):
            holder[int(last)] = copy.deepcopy(value)
        else:
            holder[last] = copy.deepcopy(value)

    return change


DELETE = object()

USUAL_CHANGES: dict[str, Change] = {
    "as documented": lambda order: None,
    "shipped": setting("orderStatus", "shipped"),
    "cancelled": setting("orderStatus", "cancelled"),
    "awaiting payment": setting("orderStatus", "awaiting_payment"),
    "with a fulfillment provider": setting("orderStatus", "pending_fulfillment"),
    "status in capitals and spaces": setting("orderStatus", " Awaiting_Shipment "),
    "a status shipdesk does not know": setting("orderStatus", "on_the_moon"),
    "on hold": setting("orderStatus", "on_hold"),
    "on hold until a date": lambda order: order.update(
        orderStatus="on_hold", holdUntilDate="2026-12-24T00:00:00.0000000"
    ),
    "fulfilled elsewhere, by name": lambda order: order.update(externallyFulfilled=True),
    "fulfilled elsewhere, by id": lambda order: order.update(
        externallyFulfilled=True, externallyFulfilledBy="Acme 3PL"
    ),
    "no ship-to": setting("shipTo", None),
    "an empty ship-to": setting("shipTo", {}),
    "no bill-to at all": setting("billTo", DELETE),
    "spaces around a name, a country in small letters": lambda order: order["shipTo"].update(
        name="  Zoë Ørsted ", country=" dk", residential=True
    ),
    "a ship-to without a phone, the bill-to with one": lambda order: (
        order["shipTo"].update(phone=None),
        order["billTo"].update(phone=" 555-0100 "),
    ),
    "no order weight": setting("weight", None),
    "an order weight of nothing": setting("weight", {"value": 0, "units": "ounces"}),
    "an item weight in grams with a fraction": setting("items.0.weight", {"value": Decimal("12.50"), "units": "grams"}),
    "an item weight in pounds": setting("items.0.weight", {"value": 2, "units": "pounds"}),
    "no items": setting("items", []),
    "items null": setting("items", None),
    "an item without a SKU": setting("items.0.sku", None),
    "an item without a name": setting("items.0.name", "   "),
    "an item without an id, with a line item key": setting("items.0.orderItemId", None),
    "an item without options": setting("items.0.options", None),
    "an option with no value": setting("items.0.options", [{"name": "Engraving", "value": None}]),
    "a zero and a negative quantity": lambda order: (
        order["items"][0].update(quantity=0),
        order["items"][1].update(quantity=-1),
    ),
    "a price with trailing zeros": setting("items.0.unitPrice", Decimal("12.50")),
    "a price written as text": setting("items.0.unitPrice", "12.50"),
    "a whole-number total": setting("orderTotal", 200),
    "no total": setting("orderTotal", None),
    "an amount in exponent form": setting("shippingAmount", Decimal("1E+1")),
    "a currency in small letters": setting("currencyCode", "eur"),
    "no modify date": setting("modifyDate", None),
    "a ship-by date with a zone": setting("shipByDate", "2026-03-08T10:30:00Z"),
    "an order date in the hour DST skips": setting("orderDate", "2026-03-08T02:30:00.0000000"),
    "an order date in the hour DST repeats": setting("orderDate", "2026-11-01T01:30:00.0000000"),
    "combined with two others": setting("advancedOptions.mergedIds", [111, 222]),
    "no advanced options": setting("advancedOptions", None),
    "no gift flag": setting("gift", None),
    "an emoji in the notes": setting("customerNotes", "Thanks 🎁\n"),
}

UNUSUAL_CHANGES: dict[str, Change] = {
    "no order number": setting("orderNumber", None),
    "an order number that is blank": setting("orderNumber", "  "),
    "an order number written as a number": setting("orderNumber", 12345),
    "an order id written as text": setting("orderId", "123456789"),
    "an order id that is true": setting("orderId", True),
    "an order date that is no date": setting("orderDate", "yesterday"),
    "no order date": setting("orderDate", DELETE),
    "no status": setting("orderStatus", None),
    "on hold until no date": lambda order: order.update(orderStatus="on_hold", holdUntilDate="soon"),
    "a quantity with a fraction": setting("items.0.quantity", Decimal("1.5")),
    "no quantity": setting("items.0.quantity", None),
    "a price that is not a number": setting("items.0.unitPrice", "NaN"),
    "a price that is true": setting("items.0.unitPrice", True),
    "a weight in stones": setting("weight", {"value": 3, "units": "stones"}),
    "an item that is text": setting("items.0", "ABC123"),
    "an item with neither name nor SKU": lambda order: order["items"][0].update(name=None, sku=None),
    "an option that is text": setting("items.0.options", ["Large"]),
    "a combined order id written as text": setting("advancedOptions.mergedIds", ["111"]),
    "fulfilled elsewhere, written as text": setting("externallyFulfilled", "true"),
    "a residential flag written as text": setting("shipTo.residential", "true"),
    "a ship-to that is a list": setting("shipTo", ["1600 Pennsylvania Ave"]),
}


@pytest.mark.parametrize("change", USUAL_CHANGES.values(), ids=USUAL_CHANGES.keys())
def test_an_order_in_the_usual_shape_is_read_as_the_careful_reader_reads_it(change: Change) -> None:
    body = answer_with(change)

    usual = read_usual_page(body, "Main", currency="CAD")

    assert usual is not None
    careful = careful_reading(body)
    assert careful.problems == []
    # repr tells Decimal("12.50") from Decimal("12.5"), and every text's spaces
    assert repr(usual.parsed) == repr(careful)


@pytest.mark.parametrize("change", UNUSUAL_CHANGES.values(), ids=UNUSUAL_CHANGES.keys())
def test_a_page_with_an_unusual_order_is_left_to_the_careful_reader(change: Change) -> None:
    assert read_usual_page(answer_with(change), "Main", currency="CAD") is None


def test_times_are_read_in_the_accounts_own_zone() -> None:
    arizona = ZoneInfo("America/Phoenix")

    usual = read_usual_page(SAMPLE_ANSWER, "Main", currency="CAD", zone=arizona)

    assert usual is not None
    assert repr(usual.parsed) == repr(careful_reading(SAMPLE_ANSWER, arizona))


def test_the_pages_count_and_total_are_passed_on_as_sent() -> None:
    usual = read_usual_page(SAMPLE_ANSWER, "Main")

    assert usual is not None
    answer = json.loads(SAMPLE_ANSWER)
    assert (usual.page, usual.pages, usual.total) == (answer["page"], answer["pages"], answer["total"])


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>Service Unavailable</html>",
        b'{"Message": "An error has occurred."}',
        b'{"orders": {}}',
        "\ufeff".encode() + SAMPLE_ANSWER,  # a byte-order mark, which json reads and msgspec does not
        SAMPLE_ANSWER.replace(b'"The President"', b'"The President \\ud83c"', 1),  # half an emoji
        SAMPLE_ANSWER.replace(b'"The President"', b'"The Pr\xe9sident"', 1),  # Latin-1, not UTF-8
    ],
    ids=["empty", "html", "an error object", "orders not a list", "a BOM", "a lone surrogate", "not UTF-8"],
)
def test_an_answer_that_is_no_usual_page_is_left_to_the_careful_reader(body: bytes) -> None:
    assert read_usual_page(body, "Main") is None
