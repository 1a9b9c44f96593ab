"""The heading line of an order CSV: where it is below any title lines, which field each heading names (with the
unit or time zone its note gives), and what to say when a column an order needs is missing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, timedelta, timezone, tzinfo
from typing import NoReturn

from shipdesk.domain import WeightUnit, named_time_zone, parse_weight_unit
from shipdesk.upstream.csv_text import CsvFileError, allow_long_values, sniff_delimiter

# Headings are compared with everything but letters and digits removed: "Order #" is "order",
# "Address Line 1" is "addressline1", "Weight Unit(s)" is "weightunits".
FIELD_HEADINGS: dict[str, tuple[str, ...]] = {
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
    "state": (
        "state",
        "province",
        "stateprovince",
        "stateorprovince",
        "region",
        "statecode",
        "provincecode",
        "county",  # eBay UK's "Post to county"
    ),
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
        "postageandpackaging",  # eBay UK
    ),
    "requested_service": (
        "requestedservice",
        "shippingservice",
        "service",
        "shippingmethod",
        "shipvia",
        "shippingmethodtitle",  # WooCommerce
        "shipservicelevel",  # Amazon
        "deliveryservice",  # eBay UK
        "postageservice",
    ),
    "currency": ("currency", "currencycode", "ordercurrency"),
    # Where the store has the order: exports list shipped and cancelled orders beside the ones to pack.
    "status": ("orderstatus", "status", "fulfillmentstatus", "fulfilmentstatus", "shippingstatus"),
    # What became of the payment (Shopify, Squarespace): refunding an order that has not shipped leaves its
    # fulfillment status as it was.
    "payment_status": ("financialstatus", "paymentstatus"),
    "shipped_date": (
        "dateshipped",  # Etsy
        "shippedondate",  # eBay
        "dispatchedondate",  # eBay UK
        "dispatcheddate",
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
_HEADING_FIELD = {heading: name for name, headings in FIELD_HEADINGS.items() for heading in headings}

# The ship-to address's fields, in the order a row's cells are read.
SHIP_TO_FIELDS = (
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
# "Ship To City", "Shipping Zip", "Item SKU", "Lineitem quantity": a prefix that says whose field it is.
_ADDRESS_FIELDS = frozenset((*SHIP_TO_FIELDS, "first_name", "last_name"))
# The cells of a row that belong to its item, in the order they are read.
ITEM_CELLS = (
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
_ITEM_FIELDS = frozenset(ITEM_CELLS)
# "Ship Name" and "ship-city" are Etsy's and Amazon's, "Post to name" eBay UK's; "shipto" and "shipping" come first as
# they start with "ship".
_ADDRESS_PREFIXES = ("shipto", "recipient", "shipping", "postto", "ship")
_ITEM_PREFIXES = ("lineitem", "item", "product")
# The buyer's address is not where the parcel goes; only the buyer's e-mail and phone stand in for the recipient's,
# in files that have none of those (WooCommerce keeps the phone with the billing address, Amazon calls it the buyer's).
_BILLING_PREFIXES = ("billing", "billto", "buyer")
_BILLING_STAND_INS = frozenset(("email", "phone"))
# Whose a field is, said in a note after it: WooCommerce's "First Name (Shipping)", "Email (Billing)".
_NOTE_PREFIXES = {"shipping": "Shipping", "shipto": "Shipping", "delivery": "Shipping", "billing": "Billing"}

_REQUIRED = (("order_number",), ("item_name", "sku"), ("quantity",))
_REQUIRED_NAMES = {"order_number": "Order #", "item_name": "Item Name or SKU", "quantity": "Quantity"}


def heading_key(heading: str) -> str:
    return "".join(char for char in heading.lower() if char.isalnum())


# A note after a heading: "Price (USD)", "Order Date (UTC)", "Zip [5 digits]".
_HEADING_NOTE = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")


def _heading_field(heading: str) -> tuple[str, int, WeightUnit | None] | None:
    """The field a heading names, its rank (lower wins when two headings name one field), and the weight unit
    a heading such as "Weight (oz)" carries; a heading not known with its note is tried without it."""
    found = _named_field(heading)
    if found is None and (note := _HEADING_NOTE.search(heading)) is not None:
        bare = heading[: note.start()]
        whose = _NOTE_PREFIXES.get(heading_key(note[0]))
        found = _named_field(f"{whose} {bare}" if whose else bare)
    return found


def _named_field(heading: str) -> tuple[str, int, WeightUnit | None] | None:
    key = heading_key(heading)
    if key == "item" and heading.rstrip().endswith("#"):
        key = "itemnumber"  # "Item #" numbers the item (WooCommerce: the line), it does not name it
    if key in _NOT_FIELDS:
        return None
    if key in _HEADING_FIELD:
        name = _HEADING_FIELD[key]
        return name, _FALLBACK_RANK if key in _FALLBACK_HEADINGS else FIELD_HEADINGS[name].index(key), None
    for prefix in _ADDRESS_PREFIXES:
        rest = key.removeprefix(prefix)
        if rest != key and _HEADING_FIELD.get(rest) in _ADDRESS_FIELDS:
            # The prefix says outright that it is the recipient's: "Shipping Phone" wins over a bare "Phone", which
            # may be the customer's (Shopify's is). Among prefixed headings the usual order holds: Shopify's
            # "Shipping Address1" before its "Shipping Street", which is address 1 and 2 joined.
            name = _HEADING_FIELD[rest]
            return name, FIELD_HEADINGS[name].index(rest) - _PREFIXED_RANK, None
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
class Columns:
    index: dict[str, int]  # field → column; fields the file lacks are absent
    weight_unit: WeightUnit | None  # from a heading such as "Weight (oz)"
    unused: list[str]
    date_zone: tzinfo | None = None  # from a heading such as "Order Date (UTC)"
    quantity_to_ship: bool = False  # the quantity is what is left to ship (Amazon), so 0 means shipped already


def _columns(headings: list[str]) -> Columns:
    chosen: dict[str, tuple[int, int, WeightUnit | None]] = {}  # field → (rank, column, unit)
    unused: list[int] = []
    found_fields = [_heading_field(heading) for heading in headings]
    fields = {found[0] for found in found_fields if found is not None}
    _name_between_item_columns(headings, found_fields, fields)
    if "order_number" not in fields:
        # Shopify's order export calls its order number (#1001) "Name", and the recipient "Shipping Name": a bare
        # "Name" is the order number in a file with no order-number column that names the recipient elsewhere.
        names = [position for position, found in enumerate(found_fields) if found and found[0] == "name"]
        bare = [position for position in names if heading_key(headings[position]) == "name"]
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
    return Columns(
        index={name: position for name, (_, position, _) in chosen.items()},
        weight_unit=weight[2] if weight else None,
        unused=[headings[position].strip() for position in sorted(unused) if headings[position].strip()],
        date_zone=_heading_zone(headings[date[1]]) if date else None,
        quantity_to_ship=quantity is not None and heading_key(headings[quantity[1]]) == "quantitytoship",
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
    bare = [position for position, heading in enumerate(headings) if heading_key(heading) == "name"]
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


@dataclass(frozen=True, slots=True)
class Heading:
    line: str  # as written, line break included
    headings: list[str]
    columns: Columns
    delimiter: str
    lines_before: int  # physical lines above it
    left_out: list[tuple[int, str]]  # the lines with text above it (a report's title), by line number


# How many lines with text may come above the headings: a report's title, its date range. Blank lines, rows of bare
# separators (eBay's orders report has one) and Excel's "sep=;" line do not count.
_LINES_ABOVE_HEADINGS = 10


def find_heading(lines: io.StringIO, file_name: str) -> Heading:
    """The heading line: the first line that names the columns an order needs, among the first ones with text."""
    allow_long_values()
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
        line_delimiter = delimiter or sniff_delimiter(line)
        try:
            headings: list[str] | None = next(csv.reader([line], delimiter=line_delimiter, strict=True))
        except csv.Error:
            headings = None
        columns = _columns(headings) if headings is not None else None
        missing = _missing_columns(columns)
        if headings is not None and columns is not None and not missing:
            return Heading(line, headings, columns, line_delimiter, lines_before, left_out)
        first = first or (headings, missing)
        lines_before += 1
        left_out.append((lines_before, line))
    if first is None:
        raise CsvFileError(f"{file_name} is empty")
    return _no_heading(file_name, *first)


def _missing_columns(columns: Columns | None) -> list[str]:
    if columns is None:
        return [_REQUIRED_NAMES[names[0]] for names in _REQUIRED]
    return [_REQUIRED_NAMES[names[0]] for names in _REQUIRED if not any(name in columns.index for name in names)]


def _no_heading(file_name: str, headings: list[str] | None, missing: list[str]) -> NoReturn:
    if headings is None:
        raise CsvFileError(f"{file_name} is not a shipdesk order CSV: its heading line has a broken quote")
    for heading in headings:
        if hint := _OTHER_DOWNLOADS.get(heading_key(heading)):
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
