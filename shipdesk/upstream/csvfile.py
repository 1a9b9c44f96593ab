"""The CSV connector: a ShipStation-style order file (one row per line item) read into plain orders.

It decodes, finds the headings, checks every row and groups rows by order number; it never opens the cache.
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
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from shipdesk.domain import Address, Item, ItemOption, Order, Weight, WeightUnit, named_time_zone, parse_weight_unit

if TYPE_CHECKING:
    from _csv import Reader as CsvReader


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
    "order_date": ("orderdate", "date", "createdat", "created", "datecreated", "orderdatetime", "purchasedate"),
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
    "sku": ("sku", "productcode", "itemcode"),
    "item_name": ("itemname", "productname", "description", "item", "product", "lineitemname", "producttitle"),
    "quantity": ("quantity", "qty", "quantityordered", "qtyordered"),
    "unit_price": ("unitprice", "price", "priceeach"),
    "weight": ("weight", "unitweight"),
    "weight_unit": ("weightunit", "weightunits", "unitofweight", "weightuom"),
    "image_url": ("imageurl", "image", "imagelink", "thumbnailurl"),
    "warehouse_location": ("warehouselocation", "location", "binlocation", "bin"),
    "options": ("options", "option", "variant", "variantoptions"),
    "requires_shipping": ("requiresshipping", "needsshipping", "shippingrequired", "shippable"),
    "customer_notes": (
        "customernotes",
        "customernote",
        "notes",
        "note",
        "notesfromcustomer",
        "buyernotes",
        "ordernotes",
    ),
    "internal_notes": ("internalnotes", "internalnote", "staffnotes"),
    "gift": ("gift", "isgift", "giftindicator", "giftorder"),
    "gift_message": ("giftmessage", "giftnote"),
    "custom_field1": ("customfield1", "custom1"),
    "custom_field2": ("customfield2", "custom2"),
    "custom_field3": ("customfield3", "custom3"),
    "order_total": ("ordertotal", "total", "grandtotal"),
    "tax": ("tax", "taxamount", "taxpaid", "taxes", "salestax", "taxtotal"),
    "shipping_paid": ("shippingpaid", "shipping", "shippingamount", "shippingcost", "shippingcharged"),
    "requested_service": ("requestedservice", "shippingservice", "service", "shippingmethod", "shipvia"),
    "currency": ("currency", "currencycode"),
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
_ADDRESS_PREFIXES = ("shipto", "recipient", "shipping")
_ITEM_PREFIXES = ("lineitem", "item", "product")

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
    if found is None and (bare := _HEADING_NOTE.sub("", heading)) != heading:
        found = _named_field(bare)
    return found


def _named_field(heading: str) -> tuple[str, int, WeightUnit | None] | None:
    key = _heading_key(heading)
    if key in _HEADING_FIELD:
        name = _HEADING_FIELD[key]
        return name, _FIELD_HEADINGS[name].index(key), None
    for prefix in _ADDRESS_PREFIXES:
        rest = key.removeprefix(prefix)
        if rest != key and _HEADING_FIELD.get(rest) in _ADDRESS_FIELDS:
            # The prefix says outright that it is the recipient's: "Shipping Phone" wins over a bare "Phone", which
            # may be the customer's (Shopify's is). Among prefixed headings the usual order holds: Shopify's
            # "Shipping Address1" before its "Shipping Street", which is address 1 and 2 joined.
            name = _HEADING_FIELD[rest]
            return name, _FIELD_HEADINGS[name].index(rest) - _PREFIXED_RANK, None
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


@dataclass(frozen=True, slots=True)
class _Columns:
    index: dict[str, int]  # field → column; fields the file lacks are absent
    weight_unit: WeightUnit | None  # from a heading such as "Weight (oz)"
    unused: list[str]
    date_zone: tzinfo | None = None  # from a heading such as "Order Date (UTC)"


def _columns(headings: list[str]) -> _Columns:
    chosen: dict[str, tuple[int, int, WeightUnit | None]] = {}  # field → (rank, column, unit)
    unused: list[int] = []
    found_fields = [_heading_field(heading) for heading in headings]
    fields = {found[0] for found in found_fields if found is not None}
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
    return _Columns(
        index={name: position for name, (_, position, _) in chosen.items()},
        weight_unit=weight[2] if weight else None,
        unused=[headings[position].strip() for position in sorted(unused) if headings[position].strip()],
        date_zone=_heading_zone(headings[date[1]]) if date else None,
    )


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
_US_DATE = re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})" + _TIME)
_YEAR_FIRST_DATE = re.compile(r"(?P<year>\d{4})[/-](?P<month>\d{1,2})[/-](?P<day>\d{1,2})" + _TIME)


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
    """MM/DD/YYYY (DD/MM/YYYY when `day_first`) and YYYY/MM/DD, with or without a time, seconds and AM/PM."""
    written = _US_DATE.fullmatch(text)
    match = written or _YEAR_FIRST_DATE.fullmatch(text)
    if match is None:
        return None
    month, day = (match["day"], match["month"]) if day_first and written else (match["month"], match["day"])
    hour = int(match["hour"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"][0] in "Pp" else 0)
    try:
        return datetime(
            int(match["year"]),
            int(month),
            int(day),
            hour,
            int(match["minute"] or 0),
            int(match["second"] or 0),
        )
    except ValueError:
        return None


def _fold_name(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(char for char in decomposed if char.isalnum() or char == " ")
    return " ".join(plain.split())


_COUNTRY_NAMES: dict[str, str] = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "america": "US",
    "canada": "CA",
    "can": "CA",
    "united kingdom": "GB",
    "uk": "GB",
    "gbr": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "germany": "DE",
    "deutschland": "DE",
    "deu": "DE",
    "france": "FR",
    "fra": "FR",
    "denmark": "DK",
    "danmark": "DK",
    "dnk": "DK",
    "poland": "PL",
    "polska": "PL",
    "pol": "PL",
    "spain": "ES",
    "espana": "ES",
    "esp": "ES",
    "australia": "AU",
    "aus": "AU",
    "japan": "JP",
    "jpn": "JP",
    "italy": "IT",
    "italia": "IT",
    "netherlands": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "nederland": "NL",
    "belgium": "BE",
    "luxembourg": "LU",
    "austria": "AT",
    "osterreich": "AT",
    "switzerland": "CH",
    "schweiz": "CH",
    "suisse": "CH",
    "sweden": "SE",
    "sverige": "SE",
    "norway": "NO",
    "norge": "NO",
    "finland": "FI",
    "suomi": "FI",
    "iceland": "IS",
    "ireland": "IE",
    "portugal": "PT",
    "greece": "GR",
    "czech republic": "CZ",
    "czechia": "CZ",
    "slovakia": "SK",
    "hungary": "HU",
    "romania": "RO",
    "bulgaria": "BG",
    "croatia": "HR",
    "slovenia": "SI",
    "estonia": "EE",
    "latvia": "LV",
    "lithuania": "LT",
    "ukraine": "UA",
    "turkey": "TR",
    "turkiye": "TR",
    "israel": "IL",
    "united arab emirates": "AE",
    "uae": "AE",
    "saudi arabia": "SA",
    "india": "IN",
    "china": "CN",
    "hong kong": "HK",
    "taiwan": "TW",
    "south korea": "KR",
    "korea": "KR",
    "singapore": "SG",
    "malaysia": "MY",
    "thailand": "TH",
    "philippines": "PH",
    "indonesia": "ID",
    "vietnam": "VN",
    "new zealand": "NZ",
    "mexico": "MX",
    "brazil": "BR",
    "brasil": "BR",
    "argentina": "AR",
    "chile": "CL",
    "colombia": "CO",
    "peru": "PE",
    "south africa": "ZA",
    "nigeria": "NG",
    "kenya": "KE",
    "egypt": "EG",
    "puerto rico": "PR",
}


def _country_code(text: str) -> str | None:
    """An ISO 3166 alpha-2 code from a code or a country name; None when it is neither."""
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    return _COUNTRY_NAMES.get(_fold_name(text))


def _options(text: str) -> tuple[ItemOption, ...]:
    """'Color: Red; Size: M' (or with '|' or, when every part names itself, ',') as item options."""
    parts = re.split(r"\s*[;|\n]\s*", text)
    if len(parts) == 1 and text.count(":") > 1:
        parts = text.split(",")
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

    __slots__ = ("cells", "items", "number", "part", "ship_to_line")

    def __init__(self, number: str, cells: tuple[str, ...], part: _OrderPart, line: int) -> None:
        self.number = number
        self.cells = cells  # the order-level cells of its first row, as written
        self.part = part
        self.ship_to_line = line if any(part.ship_to) else 0
        self.items: list[Item] = []


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
                            self._skip(start, "it has no order number", "", neighbour=previous_number)
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
                        else:
                            self._skip(start, "; ".join(item), number)
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
                self._read_dates_day_first()
                return
            except csv.Error as error:
                # Only a damaged quote gets here; the reader carries on with the next line.
                start, last_line = last_line + 1, offset + reader.line_num
                lines_read += 1
                self._skip(start, _quote_problem(str(error), start, last_line), "", neighbour=previous_number)

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
    return Order(
        store=store,
        upstream_id=draft.number,
        order_number=draft.number,
        order_date=part.date or import_time,
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


# ----------------------------------------------------------------------------- entry points


def parse_orders_csv(data: bytes, *, file_name: str, store: str, zone: tzinfo | None) -> CsvOrders:
    """The orders in a CSV file's bytes; `zone` is the store's time zone for dates without one (None: local).

    A note on the order date's heading that names a zone, such as "Order Date (UTC)", wins over `zone`.
    """
    text, notices, odd_lines = _decode(data, file_name)
    lines = io.StringIO(text, newline="")
    lines_before = 0  # blank lines, and Excel's "sep=;" hint line, above the heading
    delimiter = ""
    while True:
        heading_line = lines.readline()
        if not heading_line:
            raise CsvFileError(f"{file_name} is empty")
        if not heading_line.strip():
            lines_before += 1
            continue
        if heading_line.lower().startswith("sep=") and len(heading_line.rstrip("\r\n")) == 5:
            delimiter = heading_line[4]
            lines_before += 1
            continue
        break
    if heading_line.lstrip().startswith(("<", "{", "[")):
        raise CsvFileError(f"{file_name} is not a CSV file: it looks like a web page, XML or JSON file")
    delimiter = delimiter or _sniff_delimiter(heading_line)
    # strict: a quote that never closes is reported instead of swallowing the rest of the file.
    reader = csv.reader(itertools.chain([heading_line], lines), delimiter=delimiter, strict=True)
    try:
        headings = next(reader)
    except csv.Error:
        raise CsvFileError(f"{file_name} is not a shipdesk order CSV: its heading line has a broken quote") from None
    columns = _columns(headings)
    missing = [_REQUIRED_NAMES[names[0]] for names in _REQUIRED if not any(name in columns.index for name in names)]
    if missing:
        shown = ", ".join(heading.strip() for heading in headings if heading.strip())
        shown = shown if len(shown) <= 100 else shown[:100] + "…"
        raise CsvFileError(
            f"{file_name} is not a shipdesk order CSV: its heading line has no {' or '.join(missing)} column"
            f" (it has: {shown or 'nothing'})"
        )
    # A heading such as "Order Date (UTC)" says the zone of its dates better than the store's zone can.
    zone = columns.date_zone or zone
    rows = _RowReader(columns, len(headings), decimal_comma=delimiter == ";", zone=zone)
    rows.remarks.extend(RowProblem(line, NOT_UTF8) for line in odd_lines)
    rows.read(reader, lines_before)
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
