"""The plain data of shipdesk: orders, items, addresses, units, money and shipments.

Pure dataclasses and rules with no I/O and no Qt, so every other layer can build on them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal, Inexact, InvalidOperation, Overflow
from fractions import Fraction
from typing import TypeVar, dataclass_transform
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_Value = TypeVar("_Value")


@dataclass_transform(frozen_default=True)
def value_type(cls: type[_Value]) -> type[_Value]:
    """A dataclass with slots whose fields are never assigned once it is built: the type checker refuses that, as it
    does for dataclass(frozen=True), so values can be shared (one blank address for every order without one).

    Not frozen=True itself: that sets each field in __init__ through object.__setattr__, which for the 85 or so fields
    of an imported order, its items and addresses was 18 % of the instructions of a ShipStation pull. Equal values hash
    alike, as frozen ones do; a class's own __hash__ (Weight's) is kept.
    """
    return dataclass(slots=True, unsafe_hash="__hash__" not in cls.__dict__)(cls)


# ----------------------------------------------------------------------------- units


class WeightUnit(enum.StrEnum):
    OUNCE = "oz"
    POUND = "lb"
    GRAM = "g"
    KILOGRAM = "kg"


class LengthUnit(enum.StrEnum):
    INCH = "in"
    CENTIMETRE = "cm"


# Exact by definition (international yard and pound agreement, 1959).
_GRAMS_PER: dict[WeightUnit, Fraction] = {
    WeightUnit.GRAM: Fraction(1),
    WeightUnit.KILOGRAM: Fraction(1000),
    WeightUnit.POUND: Fraction("453.59237"),
    WeightUnit.OUNCE: Fraction("453.59237") / 16,
}
# The same factors as decimals (each terminates), for arithmetic that is exact and much faster than Fraction.
_GRAMS_PER_DECIMAL: dict[WeightUnit, Decimal] = {
    WeightUnit.GRAM: Decimal(1),
    WeightUnit.KILOGRAM: Decimal(1000),
    WeightUnit.POUND: Decimal("453.59237"),
    WeightUnit.OUNCE: Decimal("28.349523125"),
}
# Products and sums of weights in this context are exact, or raise Inexact and take the Fraction way.
_EXACT = Context(prec=100, traps=[Inexact, Overflow, InvalidOperation])
_CENTIMETRES_PER: dict[LengthUnit, Fraction] = {
    LengthUnit.CENTIMETRE: Fraction(1),
    LengthUnit.INCH: Fraction("2.54"),
}

_WEIGHT_UNIT_NAMES: dict[str, WeightUnit] = {
    "oz": WeightUnit.OUNCE,
    "ounce": WeightUnit.OUNCE,
    "ounces": WeightUnit.OUNCE,
    "lb": WeightUnit.POUND,
    "lbs": WeightUnit.POUND,
    "pound": WeightUnit.POUND,
    "pounds": WeightUnit.POUND,
    "g": WeightUnit.GRAM,
    "gm": WeightUnit.GRAM,
    "gram": WeightUnit.GRAM,
    "grams": WeightUnit.GRAM,
    "kg": WeightUnit.KILOGRAM,
    "kgs": WeightUnit.KILOGRAM,
    "kilogram": WeightUnit.KILOGRAM,
    "kilograms": WeightUnit.KILOGRAM,
}
_LENGTH_UNIT_NAMES: dict[str, LengthUnit] = {
    "in": LengthUnit.INCH,
    "inch": LengthUnit.INCH,
    "inches": LengthUnit.INCH,
    "cm": LengthUnit.CENTIMETRE,
    "centimeter": LengthUnit.CENTIMETRE,
    "centimeters": LengthUnit.CENTIMETRE,
    "centimetre": LengthUnit.CENTIMETRE,
    "centimetres": LengthUnit.CENTIMETRE,
}


def parse_weight_unit(text: str) -> WeightUnit:
    """Read a weight unit the way stores write it: 'oz', 'Ounces', 'lbs', 'Grams', 'kg'."""
    try:
        return _WEIGHT_UNIT_NAMES[text.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown weight unit {text!r} (use oz, lb, g or kg)") from None


def parse_length_unit(text: str) -> LengthUnit:
    try:
        return _LENGTH_UNIT_NAMES[text.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown length unit {text!r} (use in or cm)") from None


def _to_decimal(value: Fraction, places: int) -> Decimal:
    return _rounded(Decimal(value.numerator) / Decimal(value.denominator), places)


_QUANTUM_OF_PLACES = {places: Decimal(1).scaleb(-places) for places in range(13)}


def _rounded(value: Decimal, places: int) -> Decimal:
    quantum = _QUANTUM_OF_PLACES.get(places) or Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=ROUND_HALF_EVEN).normalize()


def _grams_in(grams: Decimal, unit: WeightUnit) -> Decimal:
    """Exact grams in `unit`: exactly where that terminates (1 g + 1 oz is 29.349523125 g), else to 6 places."""
    try:
        return _EXACT.divide(grams, _GRAMS_PER_DECIMAL[unit]).normalize(_EXACT)
    except Inexact:
        # Divided in the current context, it rounds just as _to_decimal rounds the Fraction.
        return _rounded(grams / _GRAMS_PER_DECIMAL[unit], 6)


@value_type
class Weight:
    """A weight in the unit it was given in; compare and add exactly whatever the units."""

    value: Decimal
    unit: WeightUnit

    @property
    def grams(self) -> Fraction:
        exact = self._exact_grams()
        return Fraction(exact) if exact is not None else Fraction(self.value) * _GRAMS_PER[self.unit]

    @property
    def float_grams(self) -> float:
        """The grams as the nearest float, for a column to sort on; as float(self.grams), without the Fraction."""
        exact = self._exact_grams()
        # float() of a Decimal and of a Fraction both round the exact value correctly, so they agree.
        return float(exact) if exact is not None else float(self.grams)

    def _exact_grams(self) -> Decimal | None:
        """The grams as an exact Decimal, or None when that would not be exact (or is not a number)."""
        try:
            grams = _EXACT.multiply(self.value, _GRAMS_PER_DECIMAL[self.unit])
        except (Inexact, Overflow, InvalidOperation):
            return None
        return grams if grams.is_finite() else None

    def to(self, unit: WeightUnit, places: int = 6) -> Weight:
        """The same weight in another unit, rounded to `places` decimals (exact when it terminates)."""
        return Weight(_to_decimal(self.grams / _GRAMS_PER[unit], places), unit)

    def __add__(self, other: Weight) -> Weight:
        if self.unit is other.unit:  # the common case: the sum the grams below give, and exact where they round
            try:
                same_unit_total = _EXACT.add(self.value, other.value)
            except (Inexact, Overflow, InvalidOperation):
                pass
            else:
                if same_unit_total.is_finite():
                    return Weight(same_unit_total.normalize(_EXACT), self.unit)
        mine, theirs = self._exact_grams(), other._exact_grams()
        if mine is not None and theirs is not None:
            try:
                total = _EXACT.add(mine, theirs)
            except (Inexact, Overflow, InvalidOperation):
                pass
            else:
                return Weight(_grams_in(total, self.unit), self.unit)
        return Weight(_to_decimal((self.grams + other.grams) / _GRAMS_PER[self.unit], 6), self.unit)

    def __mul__(self, factor: int) -> Weight:
        return Weight(self.value * factor, self.unit)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Weight) and self.grams == other.grams

    def __lt__(self, other: Weight) -> bool:
        return self.grams < other.grams

    def __hash__(self) -> int:
        return hash(self.grams)

    def __str__(self) -> str:
        return f"{self.value.normalize():f} {self.unit.value}"


@value_type
class Dimensions:
    length: Decimal
    width: Decimal
    height: Decimal
    unit: LengthUnit

    def to(self, unit: LengthUnit, places: int = 6) -> Dimensions:
        factor = _CENTIMETRES_PER[self.unit] / _CENTIMETRES_PER[unit]

        def convert(side: Decimal) -> Decimal:
            return _to_decimal(Fraction(side) * factor, places)

        return Dimensions(convert(self.length), convert(self.width), convert(self.height), unit)

    def __str__(self) -> str:
        sides = " × ".join(f"{side.normalize():f}" for side in (self.length, self.width, self.height))
        return f"{sides} {self.unit.value}"


@value_type
class Money:
    amount: Decimal
    currency: str = "USD"

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"


# ----------------------------------------------------------------------------- orders


class OrderStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    AWAITING_SHIPMENT = "awaiting_shipment"
    ON_HOLD = "on_hold"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@value_type
class Address:
    name: str = ""
    company: str = ""
    street1: str = ""
    street2: str = ""
    street3: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    phone: str = ""
    email: str = ""
    residential: bool | None = None

    def is_complete_for_shipping(self) -> bool:
        return not ship_to_gap(self)

    def city_line(self) -> str:
        """City, state and postal code as the country writes them: "Springfield IL 62701", "1165 København".

        A state or prefecture that only repeats the city ("Tokyo Tokyo") is written once.
        """
        state = "" if self.state.strip().casefold() == self.city.strip().casefold() else self.state
        if self.country.strip().upper() in POSTAL_CODE_FIRST:
            parts = (self.postal_code, self.city, state)
        else:
            parts = (self.city, state, self.postal_code)
        return " ".join(part for part in parts if part)

    def lines(self) -> list[str]:
        """The address as it is written on a parcel, blank parts left out."""
        city_line = self.city_line()
        return [
            line
            for line in (self.name, self.company, self.street1, self.street2, self.street3, city_line, self.country)
            if line
        ]


_NO_ADDRESS = Address()

# Where the postal code is written before the city ("1165 København", "75004 Paris"), as the countries' posts ask
# (and as Google's address data writes them). Not Hungary, Latvia or Israel: there the code comes after the city, as it
# does in the US and elsewhere.
POSTAL_CODE_FIRST = frozenset(
    (
        *("DE", "AT", "CH", "LI", "FR", "MC", "BE", "NL", "LU", "DK", "SE", "NO", "FI", "IS"),
        *("ES", "PT", "IT", "SM", "VA", "PL", "CZ", "SK", "SI", "HR", "GR", "CY", "RO", "BG", "EE", "LT", "TR"),
        *("AD", "RS", "BA", "ME", "MK", "MD", "GE", "AZ", "TJ", "TM", "UZ"),
        # France's overseas departments and territories, and the islands of Denmark, Finland and Norway.
        *("RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "GL", "FO", "AX", "SJ"),
        *("MX", "AR", "CL", "UY", "PY", "DO", "GT", "HT"),  # not Costa Rica: "Escazú, San José 10201"
        *("MA", "DZ", "TN", "SN", "NE", "MG", "CV", "GW", "LR", "ET", "ZM", "KW", "LA", "MY", "PH"),
    )
)


@value_type
class ItemOption:
    name: str
    value: str


@value_type
class Item:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal = Decimal(0)
    line_item_id: str = ""
    image_url: str = ""
    weight: Weight | None = None  # per unit
    options: tuple[ItemOption, ...] = ()
    warehouse_location: str = ""
    needs_shipping: bool = True
    adjustment: bool = False  # a discount or fee line, nothing to pack

    @property
    def is_physical(self) -> bool:
        return self.needs_shipping and not self.adjustment and self.quantity > 0


@value_type
class Order:
    store: str
    upstream_id: str
    order_number: str
    order_date: datetime  # UTC, timezone-aware
    status: OrderStatus = OrderStatus.AWAITING_SHIPMENT
    modify_date: datetime | None = None
    ship_by_date: datetime | None = None
    customer_email: str = ""
    customer_phone: str = ""
    # One shared blank address: it is never changed (see value_type), and a new one for every order cost a tenth of
    # building an order.
    bill_to: Address = _NO_ADDRESS
    ship_to: Address = _NO_ADDRESS
    items: tuple[Item, ...] = ()
    currency: str = "USD"
    order_total: Decimal = Decimal(0)
    tax_amount: Decimal = Decimal(0)
    shipping_paid: Decimal = Decimal(0)
    requested_service: str = ""
    payment_method: str = ""
    coupons: tuple[str, ...] = ()
    discount_total: Decimal = Decimal(0)
    gift: bool = False
    gift_message: str = ""
    customer_notes: str = ""
    internal_notes: str = ""
    custom_field1: str = ""
    custom_field2: str = ""
    custom_field3: str = ""
    declared_weight: Weight | None = None  # the store's total weight, when it sends one
    hold_reason: str = ""  # why an order is kept but not queued for packing
    # The shipping the store's account assigned (its automation rules, or a user there), in that account's codes:
    # ShipStation's carrierCode, serviceCode, packageCode and confirmation. Empty where nothing was assigned.
    assigned_carrier_code: str = ""
    assigned_service_code: str = ""
    assigned_package_code: str = ""
    assigned_confirmation: str = ""

    @property
    def physical_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.is_physical)

    @property
    def total_weight(self) -> Weight | None:
        """The store's declared weight, else the sum of the physical items' weights, added in their order."""
        if self.declared_weight is not None:
            return self.declared_weight
        total: Weight | None = None
        for item in self.items:
            if item.weight is not None and item.is_physical:
                weight = item.weight if item.quantity == 1 else item.weight * item.quantity
                total = weight if total is None else total + weight
        return total

    @property
    def item_count(self) -> int:
        return sum([item.quantity for item in self.items if item.is_physical])


NO_SHIP_TO_ADDRESS = "no ship-to address"
NOTHING_TO_SHIP = "no item that needs shipping"
# How the hold reason of an order the store combined into another starts ("combined into order 1003 in ShipStation:
# pack that order instead"): its items ship with that order, so it is never packed or labelled itself.
COMBINED_INTO = "combined into order "
_SHIP_TO_GAP = "no ship-to "  # how every reason about a missing part of the ship-to address starts

# Where a parcel cannot be labelled or delivered without a postal code: the countries of the carriers shipdesk
# knows (USPS and UPS, Canada Post, Royal Mail, Australia Post, DHL), the rest of western Europe, and Japan.
# Left out on purpose: places where many addresses have none (Ireland before Eircode, Hong Kong, the Gulf).
POSTAL_CODE_COUNTRIES = frozenset(
    (
        *("US", "PR", "CA", "GB", "AU", "JP"),
        *("DE", "FR", "IT", "ES", "PT", "NL", "BE", "LU", "AT", "CH", "DK", "SE", "NO", "FI", "PL", "CZ"),
    )
)


def ship_to_gap(address: Address) -> str:
    """What the address lacks for a label, as a reason ("no ship-to city", "no ship-to name or ZIP code"), or ''."""
    if not (
        address.street1.strip()
        or address.street2.strip()
        or address.street3.strip()
        or address.city.strip()
        or address.postal_code.strip()
        or address.country.strip()
    ):
        return NO_SHIP_TO_ADDRESS
    missing = [
        part
        for part, value in (
            ("name", address.name),
            ("street", address.street1),
            ("city", address.city),
            ("country", address.country),
        )
        if not value.strip()
    ]
    country = address.country.strip().upper()  # as city_line reads it: a store may write "us"
    if not address.postal_code.strip() and country in POSTAL_CODE_COUNTRIES:
        missing.append("ZIP code" if country in ("US", "PR") else "postal code")
    if not missing:
        return ""
    listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} or {missing[-1]}"
    return f"{_SHIP_TO_GAP}{listed}"


def is_combined_into_another(order: Order) -> bool:
    """Whether the store combined the order into another one: its items are packed and shipped with that order."""
    return order.status is OrderStatus.ON_HOLD and order.hold_reason.startswith(COMBINED_INTO)


def packing_block_reason(order: Order) -> str:
    """Why an order cannot go to the packing queue, or '' when it can."""
    if is_combined_into_another(order):
        return order.hold_reason  # first: whatever else it lacks, its items go out with the other order
    gap = ship_to_gap(order.ship_to)
    if gap == NO_SHIP_TO_ADDRESS:
        return gap
    if not order.physical_items:
        return NOTHING_TO_SHIP  # before what the address lacks: an order with nothing to ship needs no address
    return gap


def is_packing_block(reason: str) -> bool:
    """Whether a hold reason is one packing_block_reason gives: the order cannot be packed as it is."""
    return reason == NOTHING_TO_SHIP or reason.startswith(_SHIP_TO_GAP) or reason.startswith(COMBINED_INTO)


def on_hold_words(hold_reason: str) -> str:
    """'on hold: no ship-to address'; a reason that says "on hold" itself ("on hold in ShipStation until …") as it is,
    so the words are not said twice."""
    if hold_reason.startswith("on hold"):
        return hold_reason
    return f"on hold: {hold_reason}" if hold_reason else "on hold"


def status_words(status: OrderStatus, hold_reason: str) -> str:
    """'Awaiting shipment', or 'On hold: no ship-to address' when the reason is known."""
    if status is OrderStatus.ON_HOLD:
        words = on_hold_words(hold_reason)
        return words[:1].upper() + words[1:]
    return f"{status.label}: {hold_reason}" if hold_reason else status.label


def held_words(status: OrderStatus, hold_reason: str) -> str:
    """Why an order held for a reason other than what it lacks for packing must not ship yet ("it is on hold: …"),
    or '' when it is not held so: its store put it on hold, a fulfillment provider ships it, or an import left an item
    of it out."""
    if status is not OrderStatus.ON_HOLD or is_packing_block(hold_reason):
        return ""
    return f"it is {on_hold_words(hold_reason)}"


def with_packing_rules(order: Order, block: str | None = None) -> Order:
    """An imported order as the packing queue should see it: blocked orders go on hold with the reason.

    `block`: the order's packing_block_reason, when the caller has worked it out already.
    """
    if order.status is not OrderStatus.AWAITING_SHIPMENT:
        return order
    reason = packing_block_reason(order) if block is None else block
    if not reason:
        return order
    return replace(order, status=OrderStatus.ON_HOLD, hold_reason=reason)


# ----------------------------------------------------------------------------- printers

# The darkness and speed (inches per second) each printer language takes, lowest and highest: ZPL ~SD and ^PR, TSPL
# DENSITY and SPEED. The other languages carry neither.
DARKNESS_RANGES: dict[str, tuple[int, int]] = {"zpl": (0, 30), "tspl": (0, 15)}
SPEED_RANGES: dict[str, tuple[int, int]] = {"zpl": (1, 14), "tspl": (1, 14)}


def within(value: int, limits: tuple[int, int]) -> int:
    """The value, or the end of the range it is beyond: what a printer is sent for a profile saved before its settings
    were checked."""
    lowest, highest = limits
    return min(max(value, lowest), highest)


# ----------------------------------------------------------------------------- shipping


class LabelSize(enum.StrEnum):
    FOUR_BY_SIX = "4x6"
    FOUR_BY_FOUR = "4x4"
    A6 = "a6"
    LETTER_TWO_UP = "letter-2up"
    A4_TWO_UP = "a4-2up"

    @property
    def label_mm(self) -> tuple[float, float]:
        """Width and height of one label in millimetres."""
        return {
            LabelSize.FOUR_BY_SIX: (101.6, 152.4),
            LabelSize.FOUR_BY_FOUR: (101.6, 101.6),
            LabelSize.A6: (105.0, 148.0),
            LabelSize.LETTER_TWO_UP: (101.6, 152.4),
            LabelSize.A4_TWO_UP: (101.6, 152.4),
        }[self]


@value_type
class Shipment:
    carrier: str
    service: str
    tracking_number: str
    shipped_at: datetime  # UTC
    package: str = ""
    cost: Decimal | None = None
    label_size: LabelSize = LabelSize.FOUR_BY_SIX


def whole_tracking_number(typed: str) -> str:
    """A tracking number as carriers, stores and barcodes take it: without the spaces it is printed or typed with."""
    return "".join(typed.split())


class CatalogKind(enum.StrEnum):
    CARRIER = "carrier"
    SERVICE = "service"
    PACKAGE = "package"


@value_type
class CatalogEntry:
    """One carrier, service or package a store's shipping account offers."""

    carrier_code: str
    kind: CatalogKind
    code: str
    name: str
    domestic: bool = True
    international: bool = False


def plural(count: int, noun: str) -> str:
    """A count with its noun as every message says it: "1 order", "2 orders", "1,204 labels"."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def utc_now() -> datetime:
    return datetime.now(UTC)


def station_date(moment: datetime) -> date:
    """The day of that moment at the packing station, in the computer's own time zone: the day a parcel ships.

    UTC's date runs a day ahead on an American evening, and a label or a store must not show tomorrow.
    """
    return moment.astimezone().date()


def named_time_zone(name: str) -> ZoneInfo | None:
    """The IANA time zone of that name ("America/Chicago"), or None when there is none by that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "America/Argentina" is a folder of zones
        return None
