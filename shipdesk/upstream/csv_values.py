"""Cell values of an order CSV as people and stores write them: yes/no, amounts (with the currency their symbol names)
and whole numbers, dates in every form exports use, item options and variations, and a value quoted in a message.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation

from shipdesk.domain import ItemOption

BOOLEANS = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}

# A currency as written beside an amount: a code (USD), a symbol (€, £), or a dollar sign with the letters that say
# whose dollar it is (US $, AU$, C$, CA$).
_CURRENCY = r"[A-Z]{1,3} ?\$|[A-Z]{3}|\$|[€£¥₹₩₽]|kr\.?|zł"
# Accounting writes a negative amount in brackets: "($5.00)", "$(5.00)", "(5,00 €)".
_MONEY = re.compile(
    rf"(?P<open>\()?\s*(?P<sign>-?)\s*(?P<before>{_CURRENCY})?\s*(?P<open2>\()?\s*(?P<sign2>-?)"
    r"(?P<number>[\d.,' \u00a0]*\d[\d.,' \u00a0]*?)\s*(?P<close2>\))?\s*"
    rf"(?P<after>{_CURRENCY})?\s*(?P<close>\))?"
)
_SYMBOL_CURRENCIES = {"£": "GBP", "€": "EUR", "₹": "INR", "₩": "KRW", "₽": "RUB", "zł": "PLN"}
# The letters before a dollar sign, and the dollar they name. A bare "$" (as "¥" and "kr") is written for the money
# of several countries, so it names no currency.
_DOLLARS = {
    **{"US": "USD", "AU": "AUD", "A": "AUD", "C": "CAD", "CA": "CAD", "NZ": "NZD", "HK": "HKD", "S": "SGD"},
    **{"SG": "SGD", "MX": "MXN", "NT": "TWD", "R": "BRL"},
}
# Thousands come in threes, after a first group that never starts with 0.
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(,\d{3})+")
# "12,50", "0,5" or "0,250": a comma before one or two digits, or after a lone 0, is a decimal mark in any file.
_SHORT_DECIMALS = re.compile(r"\d*,\d{1,2}|0?,\d+")
WEIGHT_WITH_UNIT = re.compile(r"([\d.,]+)\s*([^\W\d_]+)\.?")


_LARGEST_AMOUNT = Decimal(10) ** 12  # no price or weight is this large: a typo, or a number pasted in the wrong column


def parse_amount(text: str, decimal_comma: bool) -> Decimal | None:
    """A money or weight figure as people type it: '12.50', '$12.50', '12,50 €' (when commas are decimal), '($5.00)'."""
    money = parse_money(text, decimal_comma)
    return None if money is None else money[0]


def parse_money(text: str, decimal_comma: bool) -> tuple[Decimal, tuple[str, ...]] | None:
    """An amount as parse_amount reads it, and the currency codes its symbol or code names: ('GBP',) for '£18.50',
    ('USD',) for 'US $12.50', none for '12.50' or a bare '$12.50'; two if it names two ('£5 USD')."""
    currencies: tuple[str, ...] = ()
    try:
        value = Decimal(text)  # the common case, '12.50', is read without a regular expression
    except InvalidOperation:
        written = _written_amount(text, decimal_comma)
        if written is None:
            return None
        value, currencies = written
    if not value.is_finite() or abs(value) >= _LARGEST_AMOUNT:
        return None
    return value, currencies


def _written_amount(text: str, decimal_comma: bool) -> tuple[Decimal, tuple[str, ...]] | None:
    match = _MONEY.fullmatch(text)
    if match is None:
        return None
    open1, sign1, before, open2, sign2, _, close2, after, close1 = match.groups()
    brackets = (open1 is not None) + (open2 is not None)
    signed = bool(sign1 or sign2)
    if brackets != (close1 is not None) + (close2 is not None) or brackets > 1 or (brackets and signed):
        return None  # a bracket left open, "(5.00", two of them, or a negative written twice, "(-5.00)"
    value = _number(_digits_and_marks(match), decimal_comma)
    if value is None:
        return None
    return (-value if brackets or signed else value), _currencies(before, after)


def _number(number: str, decimal_comma: bool) -> Decimal | None:
    """The digits and marks of an amount ('1.234,50', '1,234.50', '12,50') as a number."""
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
        return Decimal(number)
    except InvalidOperation:
        return None


def _currencies(before: str | None, after: str | None) -> tuple[str, ...]:
    """The currency codes that the symbols or codes before and after an amount name, each once."""
    first = _symbol_code(before) if before else ""
    second = _symbol_code(after) if after else ""
    if not second or second == first:
        return (first,) if first else ()
    return (first, second) if first else (second,)


def currency_code(symbol: str) -> str:
    """The currency code a symbol or code names: 'GBP' for '£', 'USD' for 'US $' and 'USD'; '' for a bare '$'."""
    if symbol.endswith("$"):
        letters = symbol[:-1].rstrip()
        return _DOLLARS.get(letters, letters if len(letters) == 3 else "")
    if len(symbol) == 3 and symbol.isascii() and symbol.isupper():
        return symbol
    return _SYMBOL_CURRENCIES.get(symbol, "")


# The symbols the amount pattern finds are few (a code is three capitals): each is looked up once.
_symbol_code = functools.cache(currency_code)


def _digits_and_marks(match: re.Match[str]) -> str:
    return match["number"].replace(" ", "").replace("\u00a0", "").replace("'", "")


def decimal_mark(text: str) -> str | None:
    """The decimal mark an amount can only have been written with: ',' in '12,50', '0,250' and '1.234,50'; '.' in
    '12.50', '0.250' and '1,234.50'; None where it could be either or has none ('1,250', '1.250', '12')."""
    match = _MONEY.fullmatch(text)
    if match is None:
        return None
    number = _digits_and_marks(match)
    comma, point = number.rfind(","), number.rfind(".")
    if comma >= 0 and point >= 0:
        return "," if comma > point else "."
    mark = "," if comma >= 0 else "." if point >= 0 else ""
    if not mark or number.count(mark) > 1:
        return None
    whole, _, fraction = number.partition(mark)
    return mark if len(fraction) < 3 or whole in ("", "0") else None


def whole_number(text: str) -> int | None:
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


_TIME = r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<half>[AaPp]\.?[Mm]\.?)?)?"
# Etsy writes the year in two digits: 11/28/26.
US_DATE = re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})" + _TIME)
_YEAR_FIRST_DATE = re.compile(r"(?P<year>\d{4})[/-](?P<month>\d{1,2})[/-](?P<day>\d{1,2})" + _TIME)
# German, Austrian, Swiss, Polish, Czech... spreadsheets: 20.11.2026 09:15, always day first; Croatian adds a dot.
_DOTTED_DATE = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})\.?" + _TIME)
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


def parse_date(text: str, zone: tzinfo | None, *, day_first: bool = False) -> datetime | None:
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
    """MM/DD/YYYY (DD/MM/YYYY when `day_first`), YYYY/MM/DD, DD.MM.YYYY and a month by its name, with or without a
    time, seconds and AM/PM; a two-digit year is this century's."""
    written = US_DATE.fullmatch(text)
    match = written or _YEAR_FIRST_DATE.fullmatch(text)
    if match is None:
        dotted = _DOTTED_DATE.fullmatch(text)
        if dotted is not None:
            return _written_datetime(dotted, int(dotted["month"]), int(dotted["day"]))
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


def item_options(text: str) -> tuple[ItemOption, ...]:
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


def multiline(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def in_quotes(text: str) -> str:
    """A cell value quoted in a message, cut short when it is long."""
    one_line = " ".join(text.split())
    return f"'{one_line[:40]}…'" if len(one_line) > 40 else f"'{one_line}'"
