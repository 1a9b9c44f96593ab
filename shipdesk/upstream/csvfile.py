"""The CSV connector: an order file with one row per line item (ShipStation-style, or a store's own order export such
as WooCommerce's, Etsy's, eBay's, Squarespace's or Amazon's) read into plain orders.

It decodes, finds the headings below any title lines, checks every row, groups rows by order number and sets aside
what is no item (an order's summary row, a report's footer); it never opens the cache.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NoReturn

from shipdesk.domain import (
    Address,
    Item,
    ItemOption,
    Order,
    OrderStatus,
    Weight,
    WeightUnit,
    named_time_zone,
    parse_weight_unit,
)

if TYPE_CHECKING:
    from _csv import Reader as CsvReader
    from collections.abc import Callable


class CsvFileError(Exception):
    """The whole file cannot be imported; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One row that was not imported (or imported with a remark), by its physical line in the file."""

    line_number: int  # 1-based; the heading is line 1, and a row with a multi-line value counts from its start
    reason: str
    order_number: str = ""
    # For a row whose order number is missing or unreadable: the order of the row above, which it may belong to.
    neighbour: str = ""


@dataclass(slots=True)
class CsvOrders:
    """What a CSV file holds: the orders, and what could not be taken as it was."""

    file_name: str
    orders: list[Order]
    lines_read: int  # data rows, one per line item; the heading and blank lines are not counted
    skipped: list[RowProblem] = field(default_factory=list)
    ship_to_differences: list[RowProblem] = field(default_factory=list)  # rows whose ship-to lost to the first row's
    unused_headings: list[str] = field(default_factory=list)
    # Rows imported with a value left out (a gift flag or a weight that could not be read), and lines read as
    # Windows-1252 in a UTF-8 file.
    remarks: list[RowProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # about the file as a whole, such as its encoding


# ----------------------------------------------------------------------------- headings

# Headings are compared with everything but letters and digits removed: "Order #" is "order",
# "Address Line 1" is "addressline1", "Weight Unit(s)" is "weightunits".
_FIELD_HEADINGS: dict[str, tuple[str, ...]] = {
    "order_number": ("order", "ordernumber", "orderno", "ordernum", "ordernr", "orderid", "orderreference"),
    "order_date": (
        "orderdate",
        "date",
        "createdat",
        "created",
        "datecreated",
        "orderdatetime",
        "purchasedate",
        "saledate",  # Etsy, eBay
    ),
    # The headings that say whose name it is first: a bare "Name" beside "Ship To Name" may be the buyer's.
    "name": ("recipient", "shiptoname", "recipientname", "name", "fullname"),
    # Joined into the name when the file has no full-name column.
    "first_name": ("firstname", "givenname", "forename"),
    "last_name": ("lastname", "surname", "familyname"),
    "company": ("company", "companyname", "organization", "organisation"),
    "street1": ("address1", "addressline1", "street1", "address", "street", "streetaddress"),
    "street2": ("address2", "addressline2", "street2"),
    "street3": ("address3", "addressline3", "street3"),
    "city": ("city", "town", "citytown", "towncity", "suburb"),
    "state": ("state", "province", "stateprovince", "stateorprovince", "region", "statecode", "provincecode"),
    "postal_code": (
        "postalcode",
        "zip",
        "zipcode",
        "postcode",
        "postal",
        "zippostalcode",
        "postalzipcode",
        "zippostal",
    ),
    "country": ("country", "countrycode"),
    "phone": ("phone", "phonenumber", "telephone", "tel", "mobile"),
    "email": ("email", "emailaddress", "customeremail", "buyeremail"),
    # eBay's "Custom Label" is the seller's SKU; its "Item Number" (and an "Item #") the listing's: a SKU only where the
    # file has no other (_FALLBACK_HEADINGS).
    "sku": ("sku", "productcode", "itemcode", "sellersku", "customlabel", "itemnumber"),
    "item_name": ("itemname", "productname", "description", "item", "product", "lineitemname", "producttitle"),
    # What is still to be packed wins over what was bought: Amazon's unshipped orders give both.
    "quantity": ("quantitytoship", "quantity", "qty", "quantityordered", "qtyordered", "quantitypurchased"),
    "unit_price": ("unitprice", "price", "priceeach", "itemcost", "itemprice", "soldfor"),
    "weight": ("weight", "unitweight"),
    "weight_unit": ("weightunit", "weightunits", "unitofweight", "weightuom"),
    "image_url": ("imageurl", "image", "imagelink", "thumbnailurl"),
    "warehouse_location": ("warehouselocation", "location", "binlocation", "bin"),
    "options": (
        "options",
        "option",
        "variant",
        "variantoptions",
        "variations",  # Etsy
        "variation",  # WooCommerce's "Item Variation", "Product Variation"
        "variationdetails",  # eBay
        "itemmeta",  # WooCommerce Customer/Order Export
    ),
    "requires_shipping": ("requiresshipping", "needsshipping", "shippingrequired", "shippable"),
    "customer_notes": (
        "customernotes",
        "customernote",
        "notes",
        "note",
        "notesfromcustomer",
        "buyernotes",
        "ordernotes",
        "buyernote",  # eBay
        "buyermessage",
    ),
    "internal_notes": ("internalnotes", "internalnote", "staffnotes", "privatenotes", "privatenote"),
    "gift": ("gift", "isgift", "giftindicator", "giftorder"),
    "gift_message": ("giftmessage", "giftnote"),
    "custom_field1": ("customfield1", "custom1"),
    "custom_field2": ("customfield2", "custom2"),
    "custom_field3": ("customfield3", "custom3"),
    "order_total": ("ordertotal", "total", "grandtotal", "ordertotalamount"),
    "tax": (
        "tax",
        "taxamount",
        "taxpaid",
        "taxes",
        "salestax",
        "taxtotal",
        "ordertax",
        "ordertaxamount",
        "ordertotaltaxamount",  # WooCommerce
        "ordersalestax",  # Etsy
    ),
    "shipping_paid": (
        "shippingpaid",
        "shipping",
        "shippingamount",
        "shippingcost",
        "shippingcharged",
        "shippingtotal",
        "ordershipping",  # Etsy
        "ordershippingamount",  # WooCommerce
        "shippingandhandling",  # eBay
    ),
    "requested_service": (
        "requestedservice",
        "shippingservice",
        "service",
        "shippingmethod",
        "shipvia",
        "shippingmethodtitle",  # WooCommerce
        "shipservicelevel",  # Amazon
    ),
    "currency": ("currency", "currencycode", "ordercurrency"),
    # Where the store has the order: exports list shipped and cancelled orders beside the ones to pack.
    "status": ("orderstatus", "status", "fulfillmentstatus", "fulfilmentstatus", "shippingstatus"),
    "shipped_date": (
        "dateshipped",  # Etsy
        "shippedondate",  # eBay
        "shippeddate",
        "shippedon",
        "fulfilledat",  # Shopify, Squarespace
        "fulfilleddate",
        "datefulfilled",
    ),
    "cancelled_date": ("cancelledat", "canceledat", "cancelleddate", "canceleddate", "datecancelled"),
    # Only read on a row without an order number: eBay lists a sale not paid for yet without one.
    "paid_date": ("paidondate", "paidat", "datepaid", "paiddate", "paymentdate", "paymentsdate"),
}
_HEADING_FIELD = {heading: name for name, headings in _FIELD_HEADINGS.items() for heading in headings}

# "Ship To City", "Shipping Zip", "Item SKU", "Lineitem quantity": a prefix that says whose field it is.
_ADDRESS_FIELDS = frozenset(
    (
        "name",
        "first_name",
        "last_name",
        "company",
        "street1",
        "street2",
        "street3",
        "city",
        "state",
        "postal_code",
        "country",
        "phone",
        "email",
    )
)
# The cells of a row that belong to its item, in the order they are read.
_ITEM_CELLS = (
    "sku",
    "item_name",
    "quantity",
    "unit_price",
    "weight",
    "weight_unit",
    "image_url",
    "warehouse_location",
    "options",
    "requires_shipping",
)
_ITEM_FIELDS = frozenset(_ITEM_CELLS)
_SKU_AT = _ITEM_CELLS.index("sku")
_NAME_AT = _ITEM_CELLS.index("item_name")
_QUANTITY_AT = _ITEM_CELLS.index("quantity")
_PRICE_AT = _ITEM_CELLS.index("unit_price")
# "Ship Name" and "ship-city" are Etsy's and Amazon's; "shipto" and "shipping" come first as they start with "ship".
_ADDRESS_PREFIXES = ("shipto", "recipient", "shipping", "ship")
_ITEM_PREFIXES = ("lineitem", "item", "product")
# The buyer's address is not where the parcel goes; only the buyer's e-mail and phone stand in for the recipient's,
# in files that have none of those (WooCommerce keeps the phone with the billing address, Amazon calls it the buyer's).
_BILLING_PREFIXES = ("billing", "billto", "buyer")
_BILLING_STAND_INS = frozenset(("email", "phone"))
# Whose a field is, said in a note after it: WooCommerce's "First Name (Shipping)", "Email (Billing)".
_NOTE_PREFIXES = {"shipping": "Shipping", "shipto": "Shipping", "delivery": "Shipping", "billing": "Billing"}

_REQUIRED = (("order_number",), ("item_name", "sku"), ("quantity",))
_REQUIRED_NAMES = {"order_number": "Order #", "item_name": "Item Name or SKU", "quantity": "Quantity"}


def _heading_key(heading: str) -> str:
    return "".join(char for char in heading.lower() if char.isalnum())


# A note after a heading: "Price (USD)", "Order Date (UTC)", "Zip [5 digits]".
_HEADING_NOTE = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")


def _heading_field(heading: str) -> tuple[str, int, WeightUnit | None] | None:
    """The field a heading names, its rank (lower wins when two headings name one field), and the weight unit
    a heading such as "Weight (oz)" carries; a heading not known with its note is tried without it."""
    found = _named_field(heading)
    if found is None and (note := _HEADING_NOTE.search(heading)) is not None:
        bare = heading[: note.start()]
        whose = _NOTE_PREFIXES.get(_heading_key(note[0]))
        found = _named_field(f"{whose} {bare}" if whose else bare)
    return found


def _named_field(heading: str) -> tuple[str, int, WeightUnit | None] | None:
    key = _heading_key(heading)
    if key == "item" and heading.rstrip().endswith("#"):
        key = "itemnumber"  # "Item #" numbers the item (WooCommerce: the line), it does not name it
    if key in _NOT_FIELDS:
        return None
    if key in _HEADING_FIELD:
        name = _HEADING_FIELD[key]
        return name, _FALLBACK_RANK if key in _FALLBACK_HEADINGS else _FIELD_HEADINGS[name].index(key), None
    for prefix in _ADDRESS_PREFIXES:
        rest = key.removeprefix(prefix)
        if rest != key and _HEADING_FIELD.get(rest) in _ADDRESS_FIELDS:
            # The prefix says outright that it is the recipient's: "Shipping Phone" wins over a bare "Phone", which
            # may be the customer's (Shopify's is). Among prefixed headings the usual order holds: Shopify's
            # "Shipping Address1" before its "Shipping Street", which is address 1 and 2 joined.
            name = _HEADING_FIELD[rest]
            return name, _FIELD_HEADINGS[name].index(rest) - _PREFIXED_RANK, None
    for prefix in _BILLING_PREFIXES:
        rest = key.removeprefix(prefix)
        if rest != key:
            name = _HEADING_FIELD.get(rest, "")
            return (name, _FALLBACK_RANK, None) if name in _BILLING_STAND_INS else None
    for prefix in _ITEM_PREFIXES:
        rest = key.removeprefix(prefix)
        if rest != key:
            if rest in ("name", "title"):
                return "item_name", _PREFIXED_RANK, None
            if _HEADING_FIELD.get(rest) in _ITEM_FIELDS:
                return _HEADING_FIELD[rest], _PREFIXED_RANK, None
            key = rest
            break
    for weight_heading in ("unitweight", "weight"):
        if key.startswith(weight_heading):
            try:
                return "weight", _PREFIXED_RANK, parse_weight_unit(key.removeprefix(weight_heading).removeprefix("in"))
            except ValueError:
                return None
    return None


_PREFIXED_RANK = 100
# Headings that look like a field and are not: eBay's "Item Location" is the town a listing ships from, not a shelf.
_NOT_FIELDS = frozenset(("itemlocation",))
# After every other heading of its field: the buyer's e-mail and phone, and a listing's number as the SKU.
_FALLBACK_RANK = 2 * _PREFIXED_RANK
_FALLBACK_HEADINGS = frozenset(("itemnumber",))


@dataclass(frozen=True, slots=True)
class _Columns:
    index: dict[str, int]  # field → column; fields the file lacks are absent
    weight_unit: WeightUnit | None  # from a heading such as "Weight (oz)"
    unused: list[str]
    date_zone: tzinfo | None = None  # from a heading such as "Order Date (UTC)"
    quantity_to_ship: bool = False  # the quantity is what is left to ship (Amazon), so 0 means shipped already


def _columns(headings: list[str]) -> _Columns:
    chosen: dict[str, tuple[int, int, WeightUnit | None]] = {}  # field → (rank, column, unit)
    unused: list[int] = []
    found_fields = [_heading_field(heading) for heading in headings]
    fields = {found[0] for found in found_fields if found is not None}
    _name_between_item_columns(headings, found_fields, fields)
    if "order_number" not in fields:
        # Shopify's order export calls its order number (#1001) "Name", and the recipient "Shipping Name": a bare
        # "Name" is the order number in a file with no order-number column that names the recipient elsewhere.
        names = [position for position, found in enumerate(found_fields) if found and found[0] == "name"]
        bare = [position for position in names if _heading_key(headings[position]) == "name"]
        if len(bare) == 1 and (len(names) > 1 or fields & {"first_name", "last_name"}):
            found_fields[bare[0]] = ("order_number", 0, None)
    for position, found in enumerate(found_fields):
        if found is None:
            unused.append(position)
            continue
        name, rank, unit = found
        if name in chosen:
            if chosen[name][0] <= rank:
                unused.append(position)
                continue
            unused.append(chosen[name][1])
        chosen[name] = (rank, position, unit)
    if "name" in chosen:
        # A full-name column wins over first and last names.
        unused.extend(chosen.pop(part)[1] for part in ("first_name", "last_name") if part in chosen)
    weight = chosen.get("weight")
    date = chosen.get("order_date")
    quantity = chosen.get("quantity")
    return _Columns(
        index={name: position for name, (_, position, _) in chosen.items()},
        weight_unit=weight[2] if weight else None,
        unused=[headings[position].strip() for position in sorted(unused) if headings[position].strip()],
        date_zone=_heading_zone(headings[date[1]]) if date else None,
        quantity_to_ship=quantity is not None and _heading_key(headings[quantity[1]]) == "quantitytoship",
    )


_ITEM_NEIGHBOURS = frozenset(("sku", "quantity", "unit_price"))


def _name_between_item_columns(
    headings: list[str], found_fields: list[tuple[str, int, WeightUnit | None] | None], fields: set[str]
) -> None:
    """A bare "Name" beside SKU or Quantity is the item's in a file that names its order number, its recipient
    elsewhere and its item nowhere: WooCommerce's order export writes "SKU, Name, Quantity" after "First Name
    (Shipping)". (Without an order number column, Shopify's "Name" is the order number: see _columns.)"""
    recipient_named_elsewhere = bool(fields & {"first_name", "last_name"}) or _count_named(found_fields, "name") > 1
    if "item_name" in fields or "order_number" not in fields or not recipient_named_elsewhere:
        return
    bare = [position for position, heading in enumerate(headings) if _heading_key(heading) == "name"]
    if len(bare) != 1:
        return
    position = bare[0]
    neighbours = found_fields[max(position - 1, 0) : position + 2]
    if any(found and found[0] in _ITEM_NEIGHBOURS for found in neighbours):
        found_fields[position] = ("item_name", 0, None)
        fields.add("item_name")


def _count_named(found_fields: list[tuple[str, int, WeightUnit | None] | None], name: str) -> int:
    return sum(1 for found in found_fields if found and found[0] == name)


_OFFSET_NOTE = re.compile(r"(?:UTC|GMT)?\s*(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?")
_ZONE_NAME_NOTE = re.compile(r"[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+")


def _heading_zone(heading: str) -> tzinfo | None:
    """The zone a heading's note names: "Order Date (UTC)", "(GMT+2)", "(Europe/Berlin)"; None when it names none."""
    note = _HEADING_NOTE.search(heading)
    if note is None:
        return None
    text = note[0].strip().strip("()[]").strip()
    if text.upper() in ("UTC", "GMT", "Z"):
        return UTC
    if offset := _OFFSET_NOTE.fullmatch(text.upper()):
        hours, minutes = int(offset["hours"]), int(offset["minutes"] or 0)
        if hours > 14 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if offset["sign"] == "-" else delta)
    return named_time_zone(text) if _ZONE_NAME_NOTE.fullmatch(text) else None


# ----------------------------------------------------------------------------- values

_BOOLEANS = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}

_MONEY = re.compile(
    r"(?P<sign>-?)\s*(?:[A-Z]{3}|[A-Z]{0,2}\$|[€£¥₹₩₽]|kr\.?|zł)?\s*(?P<sign2>-?)"
    r"(?P<number>[\d.,' \u00a0]*\d[\d.,' \u00a0]*?)\s*(?:[A-Z]{3}|\$|[€£¥₹₩₽]|kr\.?|zł)?"
)
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")
# "12,50" or "0,5": a comma before one or two digits is a decimal mark in any file, as thousands come in threes.
_SHORT_DECIMALS = re.compile(r"\d*,\d{1,2}")
_WEIGHT_WITH_UNIT = re.compile(r"([\d.,]+)\s*([^\W\d_]+)\.?")


MAX_QUANTITY = 99_999  # ShipStation's own bound for an item's quantity
_LARGEST_AMOUNT = Decimal(10) ** 12  # no price or weight is this large: a typo, or a number pasted in the wrong column


def _amount(text: str, decimal_comma: bool) -> Decimal | None:
    """A money or weight figure as people type it: '12.50', '$12.50', '12,50 €' (when commas are decimal)."""
    value: Decimal | None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = _written_amount(text, decimal_comma)
    if value is None or not value.is_finite() or abs(value) >= _LARGEST_AMOUNT:
        return None
    return value


def _written_amount(text: str, decimal_comma: bool) -> Decimal | None:
    match = _MONEY.fullmatch(text)
    if match is None:
        return None
    number = match["number"].replace(" ", "").replace("\u00a0", "").replace("'", "")
    if "," in number and "." in number:
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
        number = number.replace("." if decimal_mark == "," else ",", "").replace(",", ".")
    elif "," in number:
        if (decimal_comma and number.count(",") == 1) or _SHORT_DECIMALS.fullmatch(number):
            number = number.replace(",", ".")
        elif _THOUSANDS.fullmatch(number):
            number = number.replace(",", "")
        else:
            return None
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    return -value if match["sign"] or match["sign2"] else value


_TIME = r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<half>[AaPp]\.?[Mm]\.?)?)?"
# Etsy writes the year in two digits: 11/28/26.
_US_DATE = re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})" + _TIME)
_YEAR_FIRST_DATE = re.compile(r"(?P<year>\d{4})[/-](?P<month>\d{1,2})[/-](?P<day>\d{1,2})" + _TIME)
# eBay's "Nov-28-26" (with a time and a zone, "Nov-28-26 14:05:00 PST"), "Nov 28, 2026", "28-Nov-2026".
_ZONE_ABBREVIATION = r"(?:\s+(?P<zone>[A-Z]{3,4}))?"
_MONTH_NAMED_DATES = (
    re.compile(
        r"(?P<month>[A-Za-z]{3,9})\.?[- ](?P<day>\d{1,2}),?[- ](?P<year>\d{4}|\d{2})" + _TIME + _ZONE_ABBREVIATION
    ),
    re.compile(
        r"(?P<day>\d{1,2})[- ](?P<month>[A-Za-z]{3,9})\.?,?[- ](?P<year>\d{4}|\d{2})" + _TIME + _ZONE_ABBREVIATION
    ),
)
_MONTHS = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
_MONTH_NUMBERS = {month[:3]: number for number, month in enumerate(_MONTHS, 1)}
# The zones US marketplaces write after a time; another abbreviation is read as the store's zone, as no zone would be.
_ZONE_HOURS = {
    **{"UTC": 0, "GMT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7},
    **{"AKST": -9, "AKDT": -8, "HST": -10},
}


def _parse_date(text: str, zone: tzinfo | None, *, day_first: bool = False) -> datetime | None:
    """A date in one of the forms stores export, as an aware UTC datetime; naive ones are in `zone`."""
    try:
        parsed: datetime | None = datetime.fromisoformat(text)
    except ValueError:
        parsed = _parse_written_date(text, day_first=day_first)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        # With no zone given, a naive datetime's astimezone() reads it as the machine's local time, DST included.
        return parsed.replace(tzinfo=zone).astimezone(UTC) if zone is not None else parsed.astimezone(UTC)
    return parsed.astimezone(UTC)


def _parse_written_date(text: str, *, day_first: bool = False) -> datetime | None:
    """MM/DD/YYYY (DD/MM/YYYY when `day_first`), YYYY/MM/DD and a month by its name, with or without a time,
    seconds and AM/PM; a two-digit year is this century's."""
    written = _US_DATE.fullmatch(text)
    match = written or _YEAR_FIRST_DATE.fullmatch(text)
    if match is None:
        return _parse_month_named_date(text)
    month, day = (match["day"], match["month"]) if day_first and written else (match["month"], match["day"])
    return _written_datetime(match, int(month), int(day))


def _parse_month_named_date(text: str) -> datetime | None:
    for pattern in _MONTH_NAMED_DATES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        name = match["month"].lower()
        month = _MONTH_NUMBERS.get(name[:3], 0)
        if not month or not _MONTHS[month - 1].startswith(name):
            return None
        hours = _ZONE_HOURS.get(match["zone"] or "")
        zone = timezone(timedelta(hours=hours)) if hours is not None else None
        return _written_datetime(match, month, int(match["day"]), zone)
    return None


def _written_datetime(match: re.Match[str], month: int, day: int, zone: tzinfo | None = None) -> datetime | None:
    year = int(match["year"])
    hour = int(match["hour"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"][0] in "Pp" else 0)
    try:
        return datetime(
            year + 2000 if year < 100 else year,
            month,
            day,
            hour,
            int(match["minute"] or 0),
            int(match["second"] or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None


def _fold_name(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(char for char in decomposed if char.isalnum() or char == " ")
    return " ".join(plain.split())


# Each country's ISO 3166 code, then the names exports write for it: English (Etsy and eBay write "United States",
# "Korea, South"), its own, and its three-letter code. Names are compared folded: "Côte d'Ivoire" is "cote divoire".
_COUNTRY_NAME_TABLE = """
AD Andorra|AND
AE United Arab Emirates|UAE|ARE
AF Afghanistan
AG Antigua and Barbuda|Antigua
AI Anguilla
AL Albania
AM Armenia
AO Angola
AR Argentina|ARG
AS American Samoa
AT Austria|Österreich|AUT
AU Australia|AUS
AW Aruba
AX Åland Islands|Aland
AZ Azerbaijan
BA Bosnia and Herzegovina|Bosnia & Herzegovina|Bosnia
BB Barbados
BD Bangladesh
BE Belgium|België|Belgique|BEL
BF Burkina Faso
BG Bulgaria|BGR
BH Bahrain
BI Burundi
BJ Benin
BL Saint Barthélemy|St. Barthélemy|St Barts
BM Bermuda
BN Brunei|Brunei Darussalam
BO Bolivia
BQ Caribbean Netherlands|Bonaire, Sint Eustatius and Saba|Bonaire
BR Brazil|Brasil|BRA
BS Bahamas|The Bahamas
BT Bhutan
BW Botswana
BY Belarus
BZ Belize
CA Canada|CAN
CD Congo, Democratic Republic of the|Democratic Republic of the Congo|DR Congo|Congo (Kinshasa)
CF Central African Republic
CG Congo|Republic of the Congo|Congo (Brazzaville)|Congo, Republic of the
CH Switzerland|Schweiz|Suisse|Svizzera|CHE
CI Côte d'Ivoire|Ivory Coast
CK Cook Islands
CL Chile|CHL
CM Cameroon
CN China|People's Republic of China|CHN
CO Colombia|COL
CR Costa Rica
CU Cuba
CV Cape Verde|Cabo Verde
CW Curaçao
CY Cyprus|CYP
CZ Czech Republic|Czechia|Česko|CZE
DE Germany|Deutschland|DEU
DJ Djibouti
DK Denmark|Danmark|DNK
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia|Eesti|EST
EG Egypt
ES Spain|España|ESP
ET Ethiopia
FI Finland|Suomi|FIN
FJ Fiji
FK Falkland Islands|Falkland Islands (Malvinas)
FM Micronesia|Micronesia, Federated States of
FO Faroe Islands
FR France|FRA
GA Gabon
GB United Kingdom|UK|Great Britain|Britain|England|Scotland|Wales|Northern Ireland|GBR
GD Grenada
GE Georgia
GF French Guiana
GG Guernsey
GH Ghana
GI Gibraltar
GL Greenland
GM Gambia|The Gambia
GN Guinea
GP Guadeloupe
GQ Equatorial Guinea
GR Greece|Hellas|GRC
GT Guatemala
GU Guam
GW Guinea-Bissau
GY Guyana
HK Hong Kong|Hong Kong SAR|Hong Kong SAR China|HKG
HN Honduras
HR Croatia|Hrvatska|HRV
HT Haiti
HU Hungary|Magyarország|HUN
ID Indonesia|IDN
IE Ireland|Republic of Ireland|Éire|IRL
IL Israel|ISR
IM Isle of Man
IN India|IND
IQ Iraq
IR Iran
IS Iceland|Ísland|ISL
IT Italy|Italia|ITA
JE Jersey
JM Jamaica
JO Jordan
JP Japan|JPN
KE Kenya
KG Kyrgyzstan
KH Cambodia
KI Kiribati
KM Comoros
KN Saint Kitts and Nevis|St. Kitts and Nevis|St Kitts and Nevis
KR South Korea|Korea|Korea, South|Republic of Korea|Korea, Republic of|KOR
KW Kuwait
KY Cayman Islands
KZ Kazakhstan
LA Laos|Lao People's Democratic Republic
LB Lebanon
LC Saint Lucia|St. Lucia|St Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania|Lietuva|LTU
LU Luxembourg|LUX
LV Latvia|Latvija|LVA
LY Libya
MA Morocco
MC Monaco
MD Moldova|Moldova, Republic of
ME Montenegro
MF Saint Martin|St. Martin
MG Madagascar
MH Marshall Islands
MK North Macedonia|Macedonia
ML Mali
MM Myanmar|Burma
MN Mongolia
MO Macao|Macau
MP Northern Mariana Islands
MQ Martinique
MR Mauritania
MS Montserrat
MT Malta|MLT
MU Mauritius
MV Maldives
MW Malawi
MX Mexico|México|MEX
MY Malaysia|MYS
MZ Mozambique
NA Namibia
NC New Caledonia
NE Niger
NG Nigeria
NI Nicaragua
NL Netherlands|The Netherlands|Netherlands, The|Holland|Nederland|NLD
NO Norway|Norge|NOR
NP Nepal
NR Nauru
NZ New Zealand|NZL
OM Oman
PA Panama
PE Peru|PER
PF French Polynesia
PG Papua New Guinea
PH Philippines|PHL
PK Pakistan
PL Poland|Polska|POL
PM Saint Pierre and Miquelon
PR Puerto Rico|PRI
PS Palestine|Palestinian Territories
PT Portugal|PRT
PW Palau
PY Paraguay
QA Qatar
RE Réunion|Reunion
RO Romania|ROU
RS Serbia
RU Russia|Russian Federation|RUS
RW Rwanda
SA Saudi Arabia|SAU
SB Solomon Islands
SC Seychelles
SE Sweden|Sverige|SWE
SG Singapore|SGP
SI Slovenia|Slovenija|SVN
SK Slovakia|Slovak Republic|Slovensko|SVK
SL Sierra Leone
SM San Marino
SN Senegal
SR Suriname
SV El Salvador
SX Sint Maarten
SZ Eswatini|Swaziland
TC Turks and Caicos Islands
TD Chad
TG Togo
TH Thailand|THA
TJ Tajikistan
TL Timor-Leste|East Timor
TM Turkmenistan
TN Tunisia
TO Tonga
TR Turkey|Türkiye|TUR
TT Trinidad and Tobago|Trinidad & Tobago
TV Tuvalu
TW Taiwan|Taiwan, Province of China|TWN
TZ Tanzania
UA Ukraine|UKR
UG Uganda
US United States|United States of America|USA|U.S.A.|U.S.|America
UY Uruguay
UZ Uzbekistan
VA Vatican City|Holy See
VC Saint Vincent and the Grenadines|St. Vincent and the Grenadines|St Vincent
VE Venezuela
VG British Virgin Islands|Virgin Islands, British
VI U.S. Virgin Islands|US Virgin Islands|Virgin Islands, U.S.
VN Vietnam|Viet Nam|VNM
VU Vanuatu
WS Samoa
XK Kosovo
YE Yemen
YT Mayotte
ZA South Africa|ZAF
ZM Zambia
ZW Zimbabwe
"""
_COUNTRY_NAMES: dict[str, str] = {
    _fold_name(name): code
    for code, _, names in (line.partition(" ") for line in _COUNTRY_NAME_TABLE.strip().splitlines())
    for name in names.split("|")
}


def _country_code(text: str) -> str | None:
    """An ISO 3166 alpha-2 code from a code or a country name; None when it is neither."""
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    return _COUNTRY_NAMES.get(_fold_name(text))


def _options(text: str) -> tuple[ItemOption, ...]:
    """'Color: Red; Size: M' (or with '|' or, when the parts name themselves, ',') as item options."""
    parts = re.split(r"\s*[;|\n]\s*", text)
    if len(parts) == 1 and "," in text:
        parts = _named_parts(text.split(",")) or parts
    options: list[ItemOption] = []
    for part in parts:
        name, colon, value = part.partition(":")
        if not colon:
            name, colon, value = part.partition("=")
        if colon:
            options.append(ItemOption(name.strip(), value.strip()))
        elif part.strip():
            options.append(ItemOption("Option", part.strip()))
    return tuple(options)


def _named_parts(pieces: list[str]) -> list[str]:
    """Comma-separated options that name themselves ("Color:Brown,Size:M"); a piece that does not name itself belongs
    to the one before it (Etsy's "Personalization:Sofía, with love"). [] when fewer than two pieces name themselves."""
    parts: list[str] = []
    for piece in pieces:
        if ":" in piece or "=" in piece or not parts:
            parts.append(piece)
        else:
            parts[-1] += "," + piece
    return parts if sum(1 for part in parts if ":" in part or "=" in part) > 1 else []


def _multiline(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _shown(text: str) -> str:
    """A cell value quoted in a message, cut short when it is long."""
    one_line = " ".join(text.split())
    return f"'{one_line[:40]}…'" if len(one_line) > 40 else f"'{one_line}'"


# ----------------------------------------------------------------------------- bytes to text

_NOT_CSV_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "it looks like a spreadsheet (ZIP) file; save it as CSV"),
    (b"PK\x05\x06", "it looks like a spreadsheet (ZIP) file; save it as CSV"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "it looks like an Excel 97-2003 (.xls) file; save it as CSV"),
    (b"\x89PNG", "it is a PNG image"),
    (b"\xff\xd8\xff", "it is a JPEG image"),
    (b"GIF8", "it is a GIF image"),
    (b"%PDF", "it is a PDF document"),
    (b"\x1f\x8b", "it is a compressed (gzip) file; unpack it first"),
    (b"SQLite format 3\x00", "it is a database file"),
    (b"{\\rtf", "it is a rich-text (RTF) document; save it as CSV"),
)


def _decode(data: bytes, name: str) -> tuple[str, list[str], list[int]]:
    """The file's text, a notice when its encoding had to be guessed, and the lines read in another encoding.

    UTF-8 (with or without BOM), UTF-16/32 with a BOM, else Windows-1252: the whole file when none of it is
    UTF-8, or only the lines that are not (one row edited in an old editor), so the other lines keep their accents.
    """
    for signature, why in _NOT_CSV_SIGNATURES:
        if data.startswith(signature):
            raise CsvFileError(f"{name} is not a CSV file: {why}")
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), [], []
            except UnicodeDecodeError:
                raise CsvFileError(
                    f"{name} cannot be read: it starts as {encoding.upper()} text but is damaged"
                ) from None
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 saved without a BOM: every other byte of plain text is zero.
        if head[1::2].count(0) > len(head) // 4 and not head[0::2].count(0):
            return data.decode("utf-16-le", errors="replace"), [], []
        if head[0::2].count(0) > len(head) // 4 and not head[1::2].count(0):
            return data.decode("utf-16-be", errors="replace"), [], []
        raise CsvFileError(f"{name} is not a CSV file: it holds binary data, not text")
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8"), [], []
    except UnicodeDecodeError:
        return _decode_mixed(body, name)


# What a line that is not UTF-8 in an otherwise UTF-8 file gets as its remark.
NOT_UTF8 = "not UTF-8 like the rest of the file, so read as Windows-1252: check the accents"


def _decode_mixed(body: bytes, name: str) -> tuple[str, list[str], list[int]]:
    """Text that is not all UTF-8: each line that is not is read as Windows-1252 (all of them when none is)."""
    # Lines split as the CSV reader counts them (\n, \r\n or \r), so the numbers match its line numbers.
    lines = body.splitlines(keepends=True)
    texts: list[str] = []
    odd: list[int] = []  # 1-based numbers of the lines that are not UTF-8
    utf8_seen = False  # a line with accents that is valid UTF-8: the file is UTF-8 but for the odd lines
    for number, line in enumerate(lines, 1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            odd.append(number)
            text = line.decode("cp1252", errors="replace")
        else:
            utf8_seen = utf8_seen or not line.isascii()
        texts.append(text)
    if not utf8_seen:
        notice = (
            f"{name} is not UTF-8 text: it was read as Windows-1252 (as Excel saves it); check that accented names"
            " look right"
        )
        return body.decode("cp1252", errors="replace"), [notice], []
    return "".join(texts), [], odd


_QUOTE_AT_TAB_CELL_START = re.compile(r'(?:^|\t)"', re.MULTILINE)
_QUOTED_TAB_CELL = re.compile(r'(?:^|\t)"(?:[^"]|"")*"(?=\t|\r?$)', re.MULTILINE)


def _quoting(text: str, delimiter: str) -> Literal[0, 3]:
    """How the file quotes: as Excel does, or not at all in a tab-separated file whose quotes are only text.

    Amazon's reports never quote, so a product name such as '"Best Mom" mug' starts with a quote that is only text;
    read as a quote, it would break its line.
    """
    if delimiter != "\t" or '"' not in text:
        return csv.QUOTE_MINIMAL
    starts = len(_QUOTE_AT_TAB_CELL_START.findall(text))
    return csv.QUOTE_MINIMAL if len(_QUOTED_TAB_CELL.findall(text)) == starts else csv.QUOTE_NONE


def _sniff_delimiter(heading_line: str) -> str:
    counts = {delimiter: heading_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


# ----------------------------------------------------------------------------- rows to orders

_ORDER_TEXT_FIELDS = (
    "gift_message",
    "customer_notes",
    "internal_notes",
    "custom_field1",
    "custom_field2",
    "custom_field3",
    "requested_service",
    "currency",
    "status",
    "shipped_date",
    "cancelled_date",
)
_ORDER_AMOUNT_FIELDS = ("order_total", "tax", "shipping_paid")
_SHIP_TO_FIELDS = (
    "name",
    "company",
    "street1",
    "street2",
    "street3",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
    "email",
)
_POSTAL_CODE_AT = _SHIP_TO_FIELDS.index("postal_code")
_COUNTRY_AT = _SHIP_TO_FIELDS.index("country")
_PHONE_AT = _SHIP_TO_FIELDS.index("phone")  # the address proper comes before it; phone and e-mail after
# The cells of a row that belong to its order, in the order they are read (its item's: _ITEM_CELLS).
_ORDER_CELLS = ("order_date", "gift", *_ORDER_AMOUNT_FIELDS, *_ORDER_TEXT_FIELDS, *_SHIP_TO_FIELDS)
_SHIP_TO_AT = _ORDER_CELLS.index(_SHIP_TO_FIELDS[0])
_NAMES_AT = len(_ORDER_CELLS)
# Read after the order's cells, and joined into the name, in a file with no full-name column.
_NAME_PARTS = ("first_name", "last_name")


class _OrderPart:
    """The order-level values of an order so far; the first row that has a value gives it."""

    __slots__ = ("amounts", "date", "date_text", "gift", "ship_to", "texts")

    def __init__(
        self,
        date: datetime | None,
        gift: bool | None,
        amounts: dict[str, Decimal],
        texts: dict[str, str],
        ship_to: tuple[str, ...],
        date_text: str = "",
    ) -> None:
        self.date = date
        self.date_text = date_text  # as written: a file found to write days first reads 05/01 again
        self.gift = gift
        self.amounts = amounts
        self.texts = texts
        self.ship_to = ship_to


class _KeptItem:
    """The item of a row that had a value which could not be read and was left out; the remarks say which."""

    __slots__ = ("item", "remarks")

    def __init__(self, item: Item, remarks: list[str]) -> None:
        self.item = item
        self.remarks = remarks


class _Draft:
    """An order being put together from its rows."""

    __slots__ = ("cells", "first_line", "items", "number", "part", "ship_to_line")

    def __init__(self, number: str, cells: tuple[str, ...], part: _OrderPart, line: int) -> None:
        self.number = number
        self.cells = cells  # the order-level cells of its first row, as written
        self.part = part
        self.first_line = line
        self.ship_to_line = line if any(part.ship_to) else 0
        self.items: list[Item] = []


class _SetAside:
    """A row with no item to pack, decided on once every row is read: an order's summary row (eBay writes one above
    the items of a multi-item order), a line Amazon has already shipped, a report's footer, or a row to skip."""

    __slots__ = ("cells", "line", "number", "price", "problems", "quantity", "short", "text")

    def __init__(
        self, line: int, number: str, cells: tuple[str, ...], item_cells: tuple[str, ...], problems: list[str]
    ) -> None:
        self.line = line
        self.number = number
        self.cells = cells  # its order-level cells
        self.quantity = item_cells[_QUANTITY_AT].strip()
        self.price = item_cells[_PRICE_AT].strip()
        self.problems = problems  # why its item cannot be read
        self.short = False  # far fewer cells than the headings, as a footer has
        self.text = ""  # its cells, for a footer's notice


class _RowReader:
    """Reads the data rows of one file; an object so its caches live exactly as long as the file."""

    def __init__(self, columns: _Columns, width: int, decimal_comma: bool, zone: tzinfo | None) -> None:
        # Fields the file lacks point one past the last column, where every row gets an empty cell.
        self.at = {name: columns.index.get(name, width) for name in _FIELD_HEADINGS}
        # _columns keeps first and last names only where no full-name column is chosen.
        joins_names = any(part in columns.index for part in _NAME_PARTS)
        self.order_fields = _ORDER_CELLS + _NAME_PARTS if joins_names else _ORDER_CELLS
        self.width = width
        self.heading_unit = columns.weight_unit
        self.quantity_to_ship = columns.quantity_to_ship
        self.paid_at = columns.index.get("paid_date")
        self.decimal_comma = decimal_comma
        self.zone = zone
        self.dates: dict[str, datetime | None] = {}
        self.day_first_seen = False  # a date such as 31/12/2026: only day first makes sense of it
        self.month_first_seen = False  # a date such as 12/31/2026
        self.countries: dict[str, str | None] = {}
        self.drafts: dict[str, _Draft] = {}
        self.skipped: list[RowProblem] = []
        self.differences: list[RowProblem] = []
        self.remarks: list[RowProblem] = []
        self.set_aside: list[_SetAside] = []
        self.left_out: list[tuple[int, str]] = []  # lines that are not orders, such as a report's footer
        self.lines_read = 0

    def read(self, reader: CsvReader, offset: int) -> None:
        """Take every data row after the heading.

        `offset` turns the reader's count of lines into physical line numbers (blank lines above the heading).
        """
        width = self.width
        i_number = self.at["order_number"]
        order_cells_of = itemgetter(*(self.at[name] for name in self.order_fields))
        item_cells_of = itemgetter(*(self.at[name] for name in _ITEM_CELLS))
        # The same product in the same quantity comes back row after row: read its cells once.
        items: dict[tuple[str, ...], Item | _KeptItem | list[str]] = {}
        drafts = self.drafts
        lines_read = 0
        last_line = offset + reader.line_num
        previous_number = ""
        while True:
            try:
                for row in reader:
                    start = last_line + 1
                    last_line = offset + reader.line_num
                    count = len(row)
                    if count != width:
                        if not count:
                            continue
                        if count < width:
                            row.extend([""] * (width - count))
                            if count * 2 <= width and self._set_aside_short(row, start, order_cells_of):
                                continue
                        elif any(cell.strip() for cell in row[width:]):
                            lines_read += 1
                            self._skip(start, self._too_many_values(count, start, last_line), row[i_number])
                            continue
                        else:
                            del row[width:]
                    row.append("")
                    number = row[i_number].strip()
                    if not number:
                        if any(cell.strip() for cell in row):
                            lines_read += 1
                            self._without_number(row, start, previous_number)
                        continue
                    previous_number = number
                    lines_read += 1
                    item_cells: tuple[str, ...] = item_cells_of(row)
                    item = items.get(item_cells)
                    if item is None:
                        item = items[item_cells] = self._item(item_cells)
                    order_cells: tuple[str, ...] = order_cells_of(row)
                    draft = drafts.get(number)
                    if draft is not None and order_cells == draft.cells:
                        if isinstance(item, Item):
                            draft.items.append(item)
                        elif isinstance(item, _KeptItem):
                            draft.items.append(item.item)
                            self._remark(start, item.remarks, number)
                        elif not self._set_aside_itemless(start, number, order_cells, item_cells, item):
                            self._skip(start, "; ".join(item), number)
                        continue
                    if isinstance(item, list) and self._set_aside_itemless(
                        start, number, order_cells, item_cells, item
                    ):
                        continue
                    remarks: list[str] = []
                    part = self._order_part(order_cells, remarks)
                    if isinstance(item, list) or not isinstance(part, _OrderPart):
                        problems = [
                            *(item if isinstance(item, list) else ()),
                            *(() if isinstance(part, _OrderPart) else part),
                        ]
                        self._skip(start, "; ".join(problems), number)
                        continue
                    if isinstance(item, _KeptItem):
                        remarks.extend(item.remarks)
                        item = item.item
                    if remarks:
                        self._remark(start, remarks, number)
                    if draft is None:
                        draft = drafts[number] = _Draft(number, order_cells, part, start)
                    else:
                        self._merge(draft, part, start)
                    draft.items.append(item)
                self.lines_read = lines_read
                self._settle_set_aside()
                self._read_dates_day_first()
                return
            except csv.Error as error:
                # Only a damaged quote gets here; the reader carries on with the next line.
                start, last_line = last_line + 1, offset + reader.line_num
                lines_read += 1
                self._skip(start, _quote_problem(str(error), start, last_line), "", neighbour=previous_number)

    def _without_number(self, row: list[str], line: int, previous_number: str) -> None:
        """A row with no order number: a sale not paid for yet, or a row the order above may have lost."""
        if self.paid_at is not None and not row[self.paid_at].strip():
            self._remark(line, ["it has no order number and is not paid yet, so it is not imported"], "")
        else:
            self._skip(line, "it has no order number", "", neighbour=previous_number)

    def _set_aside_itemless(
        self, line: int, number: str, cells: tuple[str, ...], item_cells: tuple[str, ...], problems: list[str]
    ) -> bool:
        """Set aside a row that has no item to pack: no name and no SKU, or nothing left to ship."""
        named = item_cells[_SKU_AT].strip() or item_cells[_NAME_AT].strip()
        if named and not self._nothing_to_ship(item_cells[_QUANTITY_AT].strip()):
            return False
        self.set_aside.append(_SetAside(line, number, cells, item_cells, problems))
        return True

    def _nothing_to_ship(self, quantity: str) -> bool:
        """Whether a row's quantity says its line is shipped already: 0 in Amazon's quantity-to-ship."""
        return self.quantity_to_ship and _whole_number(quantity) == 0

    def _set_aside_short(
        self, row: list[str], line: int, order_cells_of: Callable[[list[str]], tuple[str, ...]]
    ) -> bool:
        """Set aside a row with far fewer cells than the headings and no item, such as a report's footer."""
        padded = [*row, ""]  # fields the file lacks point one past the last column
        item_cells = tuple(padded[self.at[name]] for name in _ITEM_CELLS)
        if any(item_cells[at].strip() for at in (_SKU_AT, _NAME_AT, _QUANTITY_AT)):
            return False
        number = padded[self.at["order_number"]].strip()
        aside = _SetAside(line, number, order_cells_of(padded), item_cells, [])
        aside.short = True
        aside.text = " ".join(cell.strip() for cell in row if cell.strip())
        self.set_aside.append(aside)
        return True

    def _settle_set_aside(self) -> None:
        """Decide on the rows set aside, now that every order has all its items."""
        for aside in self.set_aside:
            draft = self.drafts.get(aside.number) if aside.number else None
            shipped = len(aside.problems) == 1 and self._nothing_to_ship(aside.quantity)
            if draft is not None and draft.items and (shipped or self._sums_up(aside, draft)):
                self._take_order_values(aside, draft)
            elif aside.short:
                if not _REPORT_FOOTER.match(aside.text):
                    self.left_out.append((aside.line, aside.text))
            elif shipped:
                self._remark(aside.line, ["nothing is left to ship on it (quantity to ship is 0)"], aside.number)
            else:
                remarks: list[str] = []
                part = self._order_part(aside.cells, remarks)
                problems = [*aside.problems, *(() if isinstance(part, _OrderPart) else part)]
                self._skip(aside.line, "; ".join(problems), aside.number)
        if self.set_aside:
            self.skipped.sort(key=attrgetter("line_number"))
            self.remarks.sort(key=attrgetter("line_number"))

    @staticmethod
    def _sums_up(aside: _SetAside, draft: _Draft) -> bool:
        """Whether a row without an item is the order's own: it has no quantity, or it sums up the items below it."""
        if not aside.quantity:
            return True
        if aside.line > draft.first_line or _whole_number(aside.quantity) != sum(item.quantity for item in draft.items):
            return False
        if not aside.price:
            return True
        price = _amount(aside.price, decimal_comma=False)
        line_totals = sum(item.unit_price * item.quantity for item in draft.items)
        return price in (line_totals, sum(item.unit_price for item in draft.items))

    def _take_order_values(self, aside: _SetAside, draft: _Draft) -> None:
        remarks: list[str] = []
        part = self._order_part(aside.cells, remarks)
        if not isinstance(part, _OrderPart):
            self._skip(aside.line, "; ".join(part), aside.number)
            return
        if remarks:
            self._remark(aside.line, remarks, aside.number)
        if aside.line < draft.first_line:
            self._merge_summary(draft, part, aside.line)
        else:
            self._merge(draft, part, aside.line)

    def _merge_summary(self, draft: _Draft, summary: _OrderPart, line: int) -> None:
        """An order's summary row above its items: its order-level values are the order's, the items' fill gaps."""
        known = draft.part
        if summary.date is None:
            summary.date, summary.date_text = known.date, known.date_text
        if summary.gift is None:
            summary.gift = known.gift
        summary.amounts = known.amounts | summary.amounts
        summary.texts = known.texts | summary.texts
        if not any(summary.ship_to[:_PHONE_AT]):
            summary.ship_to = tuple(old or new for old, new in zip(known.ship_to, summary.ship_to, strict=True))
        else:
            if draft.ship_to_line and known.ship_to[:_PHONE_AT] != summary.ship_to[:_PHONE_AT]:
                self.differences.append(
                    RowProblem(
                        draft.ship_to_line,
                        f"its ship-to differs from line {line} of order {draft.number};"
                        f" the address on line {line} is kept, and the order is held until someone checks",
                        draft.number,
                    )
                )
            summary.ship_to = tuple(new or old for new, old in zip(summary.ship_to, known.ship_to, strict=True))
            draft.ship_to_line = line
        draft.part = summary

    def _read_dates_day_first(self) -> None:
        """In a file that writes days first (and never months first), 05/01/2026 is the 5th of January."""
        if not self.day_first_seen or self.month_first_seen:
            return
        for draft in self.drafts.values():
            text = draft.part.date_text
            if text and _US_DATE.fullmatch(text):
                draft.part.date = _parse_date(text, self.zone, day_first=True)

    def _merge(self, draft: _Draft, part: _OrderPart, line: int) -> None:
        """A later row of an order that gives its order-level cells differently: fill what the order lacks."""
        known = draft.part
        if known.date is None:
            known.date, known.date_text = part.date, part.date_text
        if known.gift is None:
            known.gift = part.gift
        for name, amount in part.amounts.items():
            known.amounts.setdefault(name, amount)
        for name, text in part.texts.items():
            known.texts.setdefault(name, text)
        if not any(part.ship_to[:_PHONE_AT]):
            # No address on this row, at most a phone or e-mail (exports repeat those): it fills what is missing.
            known.ship_to = tuple(old or new for old, new in zip(known.ship_to, part.ship_to, strict=True))
            return
        if not draft.ship_to_line:
            known.ship_to, draft.ship_to_line = part.ship_to, line
        elif part.ship_to[:_PHONE_AT] != known.ship_to[:_PHONE_AT]:
            first = draft.ship_to_line
            self.differences.append(
                RowProblem(
                    line,
                    f"its ship-to differs from line {first} of order {draft.number};"
                    f" the address on line {first} is kept, and the order is held until someone checks",
                    draft.number,
                )
            )

    def _skip(self, line: int, reason: str, number: str, *, neighbour: str = "") -> None:
        self.skipped.append(RowProblem(line, reason, number.strip(), neighbour))

    def _remark(self, line: int, remarks: list[str], number: str) -> None:
        self.remarks.append(RowProblem(line, "; ".join(remarks), number))

    def _too_many_values(self, count: int, start: int, end: int) -> str:
        reason = f"it has {count} values but the heading line has {self.width}"
        if end > start:
            reason += f" (lines {start}–{end} were read as one row: check the quotes on line {start})"
        return reason

    def _order_part(self, cells: tuple[str, ...], remarks: list[str]) -> _OrderPart | list[str]:
        """The order-level values of one row, or what is wrong with them; a value left out adds to `remarks`."""
        problems: list[str] = []
        date_text, gift_text = cells[0].strip(), cells[1].strip()
        date = self._date(date_text, problems) if date_text else None
        gift = _BOOLEANS.get(gift_text.lower()) if gift_text else None
        if gift_text and gift is None:
            # Only the packing slip's gift note depends on it: the row is worth more than the flag.
            remarks.append(f"gift {_shown(gift_text)} is not yes or no, so the order is taken as not a gift")
        amounts: dict[str, Decimal] = {}
        for name, cell in zip(_ORDER_AMOUNT_FIELDS, cells[2:], strict=False):
            text = cell.strip()
            if text:
                amount = _amount(text, self.decimal_comma)
                if amount is None:
                    problems.append(f"{name.replace('_', ' ')} {_shown(text)} is not an amount")
                else:
                    amounts[name] = amount
        first_text = 2 + len(_ORDER_AMOUNT_FIELDS)
        texts = {
            name: _multiline(cell.strip())
            for name, cell in zip(_ORDER_TEXT_FIELDS, cells[first_text:], strict=False)
            if cell and not cell.isspace()
        }
        ship_to = [cell.strip() for cell in cells[_SHIP_TO_AT:_NAMES_AT]]
        if not ship_to[0] and len(cells) > _NAMES_AT:
            ship_to[0] = " ".join(name for cell in cells[_NAMES_AT:] if (name := cell.strip()))
        if ship_to[_POSTAL_CODE_AT].startswith("'"):
            # A spreadsheet's mark for "keep the leading zero" ('02108), as Shopify writes its zip codes.
            ship_to[_POSTAL_CODE_AT] = ship_to[_POSTAL_CODE_AT][1:].lstrip()
        if ship_to[_COUNTRY_AT]:
            country = self._country(ship_to[_COUNTRY_AT], problems)
            ship_to[_COUNTRY_AT] = country or ""
        return problems or _OrderPart(date, gift, amounts, texts, tuple(ship_to), date_text)

    def _date(self, text: str, problems: list[str]) -> datetime | None:
        if text not in self.dates:
            parsed = _parse_date(text, self.zone)
            written = _US_DATE.fullmatch(text) if "/" in text else None
            if written is not None:
                if parsed is None:
                    # 31/12/2026 cannot be month first: the file writes days first.
                    parsed = _parse_date(text, self.zone, day_first=True)
                    self.day_first_seen = self.day_first_seen or parsed is not None
                elif int(written["day"]) > 12:
                    self.month_first_seen = True
            self.dates[text] = parsed
        parsed = self.dates[text]
        if parsed is None:
            problems.append(f"order date {_shown(text)} is not a date (use YYYY-MM-DD HH:MM or MM/DD/YYYY)")
        return parsed

    def _country(self, text: str, problems: list[str]) -> str | None:
        if text not in self.countries:
            self.countries[text] = _country_code(text)
        code = self.countries[text]
        if code is None:
            problems.append(f"country {_shown(text)} is not a country shipdesk knows (use the 2-letter code)")
        return code

    def _item(self, cells: tuple[str, ...]) -> Item | _KeptItem | list[str]:
        """The item one row describes, or what is wrong with it.

        Quantity, name or SKU, price and whether it ships decide what is packed and charged: a row that gets one
        wrong is refused. A weight that cannot be read is left out with a remark, as the packer can weigh the parcel.
        """
        sku, name, quantity_text, price_text, weight_text, unit_text, image, location, options, shipping = (
            cell.strip() for cell in cells
        )
        problems: list[str] = []
        quantity = _whole_number(quantity_text)
        if quantity is None:
            problems.append(
                f"quantity {_shown(quantity_text)} is not a whole number" if quantity_text else "it has no quantity"
            )
        elif quantity < 1:
            problems.append(f"quantity {_shown(quantity_text)} must be 1 or more")
        elif quantity > MAX_QUANTITY:
            problems.append(f"quantity {_shown(quantity_text)} is too large (at most {MAX_QUANTITY:,})")
        if not (name or sku):
            problems.append("it has no item name or SKU")
        price = _amount(price_text, self.decimal_comma) if price_text else Decimal(0)
        if price is None:
            problems.append(f"unit price {_shown(price_text)} is not an amount")
        weight_problems: list[str] = []
        weight = self._weight(weight_text, unit_text, weight_problems) if weight_text else None
        needs_shipping = _BOOLEANS.get(shipping.lower()) if shipping else True
        if needs_shipping is None:
            problems.append(f"requires shipping {_shown(shipping)} is not yes or no")
        if problems:
            return problems
        assert quantity is not None and price is not None and needs_shipping is not None
        item = Item(
            sku=sku,
            name=name or sku,
            quantity=quantity,
            unit_price=price,
            image_url=image,
            weight=weight,
            options=_options(options) if options else (),
            warehouse_location=location,
            needs_shipping=needs_shipping,
        )
        if weight_problems:
            return _KeptItem(item, [f"{weight_problems[0]}, so the item is imported without a weight"])
        return item

    def _weight(self, text: str, unit_text: str, problems: list[str]) -> Weight | None:
        """A weight from '1.5' with the unit column (or the heading's unit), or from '1.5 lb' alone."""
        value = _amount(text, self.decimal_comma)
        if value is None:
            match = _WEIGHT_WITH_UNIT.fullmatch(text)
            value = _amount(match[1], self.decimal_comma) if match else None
            if match is None or value is None:
                problems.append(f"weight {_shown(text)} is not a weight (write e.g. '1.5' or '1.5 lb')")
                return None
            unit_text = match[2]
        if value < 0:
            problems.append(f"weight {_shown(text)} is below zero")
            return None
        if unit_text:
            try:
                unit = parse_weight_unit(unit_text)
            except ValueError as error:
                problems.append(str(error))
                return None
        elif self.heading_unit is not None:
            unit = self.heading_unit
        else:
            problems.append(f"weight {_shown(text)} has no unit (write e.g. '{text} oz' or add a Weight Unit column)")
            return None
        return Weight(value, unit) if value else None


# eBay's orders report ends with "12,record(s) downloaded,from Nov-01-26 to Nov-30-26" and "Seller ID : shop".
_REPORT_FOOTER = re.compile(r"\d+ record\(s\) downloaded|Seller ID\s*:", re.IGNORECASE)


def _quote_problem(error: str, start: int, end: int) -> str:
    if "end of data" in error:
        return f"a quote opened on it is never closed, so lines {start}–{end} could not be read"
    if "field limit" in error:
        lost = (
            f"lines {start}–{end} ({end - start + 1:,} lines) could not be read"
            if end > start
            else "it could not be read"
        )
        return f"a value in it is too long, probably a quote that is never closed: {lost}"
    return "a quoted value has text after its closing quote"


def _whole_number(text: str) -> int | None:
    """'3', '3.0' and '3.00' are whole numbers; '2.5' and 'two' are not."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.to_integral_value():
        return None
    # 1E99999 is a whole number too, with more digits than int() takes: any count that large is refused anyway.
    return int(value) if value.adjusted() < 18 else 10**18


def _order(draft: _Draft, store: str, import_time: datetime) -> Order:
    part = draft.part
    name, company, street1, street2, street3, city, state, postal_code, country, phone, email = part.ship_to
    amounts, texts = part.amounts, part.texts
    shipping_paid = amounts.get("shipping_paid", Decimal(0))
    tax = amounts.get("tax", Decimal(0))
    order_total = amounts.get("order_total")
    if order_total is None:
        order_total = sum((item.unit_price * item.quantity for item in draft.items), shipping_paid + tax)
    get_text = texts.get
    status, hold_reason = _store_status(texts) if _STATUS_FIELDS & texts.keys() else (_AWAITING_SHIPMENT, "")
    return Order(
        store=store,
        upstream_id=draft.number,
        order_number=draft.number,
        order_date=part.date or import_time,
        status=status,
        hold_reason=hold_reason,
        customer_email=email,
        customer_phone=phone,
        ship_to=Address(
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
            email=email,
        ),
        items=tuple(draft.items),
        currency=get_text("currency", "USD").upper(),
        order_total=order_total,
        tax_amount=tax,
        shipping_paid=shipping_paid,
        requested_service=get_text("requested_service", ""),
        gift=bool(part.gift),
        gift_message=get_text("gift_message", ""),
        customer_notes=get_text("customer_notes", ""),
        internal_notes=get_text("internal_notes", ""),
        custom_field1=get_text("custom_field1", ""),
        custom_field2=get_text("custom_field2", ""),
        custom_field3=get_text("custom_field3", ""),
    )


_STATUS_FIELDS = frozenset(("status", "shipped_date", "cancelled_date"))
_AWAITING_SHIPMENT = OrderStatus.AWAITING_SHIPMENT
# A store's order status, as _heading_key folds it ("Pending payment", WooCommerce's "wc-completed"), as shipdesk's;
# any other (processing, paid, unfulfilled, Squarespace's pending) is an order to pack.
_STORE_STATUSES = {
    **dict.fromkeys(("shipped", "completed", "complete", "fulfilled", "delivered", "dispatched"), OrderStatus.SHIPPED),
    **dict.fromkeys(
        ("cancelled", "canceled", "refunded", "failed", "voided", "void", "restocked", "trash"), OrderStatus.CANCELLED
    ),
    **dict.fromkeys(("pendingpayment", "awaitingpayment", "unpaid"), OrderStatus.AWAITING_PAYMENT),
    **dict.fromkeys(("onhold", "partial", "partiallyfulfilled", "partiallyshipped"), OrderStatus.ON_HOLD),
}
ON_HOLD_IN_STORE = "on hold in the store"
PARTLY_SHIPPED = "partly shipped already: check which items are left to pack"


def _store_status(texts: dict[str, str]) -> tuple[OrderStatus, str]:
    """The order's status from the store's status, its shipped date or its cancelled date, and why it is held."""
    if texts.get("cancelled_date"):
        return OrderStatus.CANCELLED, ""
    word = _heading_key(texts.get("status", "")).removeprefix("wc")
    status = _STORE_STATUSES.get(word)
    if status is OrderStatus.ON_HOLD:
        return status, ON_HOLD_IN_STORE if word == "onhold" else PARTLY_SHIPPED
    if status is None and texts.get("shipped_date"):
        status = OrderStatus.SHIPPED
    return status or _AWAITING_SHIPMENT, ""


# ----------------------------------------------------------------------------- entry points


def parse_orders_csv(data: bytes, *, file_name: str, store: str, zone: tzinfo | None) -> CsvOrders:
    """The orders in a CSV file's bytes; `zone` is the store's time zone for dates without one (None: local).

    A note on the order date's heading that names a zone, such as "Order Date (UTC)", wins over `zone`.
    """
    text, notices, odd_lines = _decode(data, file_name)
    lines = io.StringIO(text, newline="")
    heading = _find_heading(lines, file_name)
    if heading.left_out:
        notices.append(_left_out_notice(heading.left_out, "above the headings"))
    delimiter = heading.delimiter
    # strict: a quote that never closes is reported instead of swallowing the rest of the file.
    reader = csv.reader(
        itertools.chain([heading.line], lines), delimiter=delimiter, strict=True, quoting=_quoting(text, delimiter)
    )
    next(reader)  # the heading line, read again so that the reader counts lines from it
    columns = heading.columns
    # A heading such as "Order Date (UTC)" says the zone of its dates better than the store's zone can.
    zone = columns.date_zone or zone
    rows = _RowReader(columns, len(heading.headings), decimal_comma=delimiter == ";", zone=zone)
    rows.remarks.extend(RowProblem(line, NOT_UTF8) for line in odd_lines)
    rows.read(reader, heading.lines_before)
    if rows.left_out:
        notices.append(_left_out_notice(rows.left_out, "after the headings"))
    import_time = datetime.now(UTC).replace(microsecond=0)
    return CsvOrders(
        file_name=file_name,
        orders=[_order(draft, store, import_time) for draft in rows.drafts.values()],
        lines_read=rows.lines_read,
        skipped=rows.skipped,
        ship_to_differences=rows.differences,
        unused_headings=columns.unused,
        remarks=rows.remarks,
        notices=notices,
    )


@dataclass(frozen=True, slots=True)
class _Heading:
    line: str  # as written, line break included
    headings: list[str]
    columns: _Columns
    delimiter: str
    lines_before: int  # physical lines above it
    left_out: list[tuple[int, str]]  # the lines with text above it (a report's title), by line number


# How many lines with text may come above the headings: a report's title, its date range. Blank lines, rows of bare
# separators (eBay's orders report has one) and Excel's "sep=;" line do not count.
_LINES_ABOVE_HEADINGS = 10


def _find_heading(lines: io.StringIO, file_name: str) -> _Heading:
    """The heading line: the first line that names the columns an order needs, among the first ones with text."""
    lines_before = 0
    delimiter = ""
    left_out: list[tuple[int, str]] = []
    first: tuple[list[str] | None, list[str]] | None = None  # the first line with text: its cells, what it lacks
    while len(left_out) < _LINES_ABOVE_HEADINGS:
        line = lines.readline()
        if not line:
            break
        if not line.strip(" \t\r\n,;\"'"):
            lines_before += 1
            continue
        if line.lower().startswith("sep=") and len(line.rstrip("\r\n")) == 5:
            delimiter = line[4]
            lines_before += 1
            continue
        if first is None and line.lstrip().startswith(("<", "{", "[")):
            raise CsvFileError(f"{file_name} is not a CSV file: it looks like a web page, XML or JSON file")
        line_delimiter = delimiter or _sniff_delimiter(line)
        try:
            headings: list[str] | None = next(csv.reader([line], delimiter=line_delimiter, strict=True))
        except csv.Error:
            headings = None
        columns = _columns(headings) if headings is not None else None
        missing = _missing_columns(columns)
        if headings is not None and columns is not None and not missing:
            return _Heading(line, headings, columns, line_delimiter, lines_before, left_out)
        first = first or (headings, missing)
        lines_before += 1
        left_out.append((lines_before, line))
    if first is None:
        raise CsvFileError(f"{file_name} is empty")
    return _no_heading(file_name, *first)


def _missing_columns(columns: _Columns | None) -> list[str]:
    if columns is None:
        return [_REQUIRED_NAMES[names[0]] for names in _REQUIRED]
    return [_REQUIRED_NAMES[names[0]] for names in _REQUIRED if not any(name in columns.index for name in names)]


def _no_heading(file_name: str, headings: list[str] | None, missing: list[str]) -> NoReturn:
    if headings is None:
        raise CsvFileError(f"{file_name} is not a shipdesk order CSV: its heading line has a broken quote")
    for heading in headings:
        if hint := _OTHER_DOWNLOADS.get(_heading_key(heading)):
            raise CsvFileError(f"{file_name} lists orders without their items: {hint}")
    shown = ", ".join(heading.strip() for heading in headings if heading.strip())
    shown = shown if len(shown) <= 100 else shown[:100] + "…"
    to_write = [_HEADINGS_TO_WRITE[name] for name in missing]
    what = (
        f"{to_write[0]} as the heading of the column that holds it"
        if len(to_write) == 1
        else f"{', '.join(to_write[:-1])} and {to_write[-1]} as the headings of the columns that hold them"
    )
    raise CsvFileError(
        f"{file_name} is not a shipdesk order CSV: its heading line has no {' or '.join(missing)} column"
        f" (it has: {shown}); write {what}"
    )


# A heading that tells a store's other order download, the one without items, and which one to take instead.
_OTHER_DOWNLOADS = {"numberofitems": "download Etsy's Order Items CSV instead of its Orders CSV"}
_HEADINGS_TO_WRITE = {"Order #": "'Order #'", "Item Name or SKU": "'Item Name' (or 'SKU')", "Quantity": "'Quantity'"}


def _left_out_notice(lines: list[tuple[int, str]], where: str) -> str:
    """'Lines 1–2 above the headings are not orders and were left out: 'Orders report'; 'from …''."""
    numbers = [number for number, _ in lines]
    shown = "; ".join(_shown(text) for _, text in lines[:2]) + ("; …" if len(lines) > 2 else "")
    if len(numbers) == 1:
        return f"Line {numbers[0]} {where} is not an order and was left out: {shown}"
    if numbers[-1] - numbers[0] + 1 == len(numbers):
        listed = f"{numbers[0]}–{numbers[-1]}"
    else:
        listed = f"{', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"
    return f"Lines {listed} {where} are not orders and were left out: {shown}"


def read_orders_csv(path: Path, *, store: str, zone: tzinfo | None) -> CsvOrders:
    """Read the file at `path`; a file that cannot be read raises CsvFileError in the user's words."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CsvFileError(f"{path} was not found") from None
    except IsADirectoryError:
        raise CsvFileError(f"{path} is a folder, not a CSV file") from None
    except PermissionError:
        raise CsvFileError(f"{path} cannot be read: permission denied") from None
    except OSError as error:
        raise CsvFileError(f"{path} cannot be read: {error.strerror or error}") from None
    return parse_orders_csv(data, file_name=path.name, store=store, zone=zone)
