"""Reading an order CSV as stores and people export it: headings, encodings, separators, dates, bad rows."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shipdesk.domain import Weight, WeightUnit
from shipdesk.upstream import csv_text
from shipdesk.upstream.csvfile import NOT_UTF8, CsvFileError, CsvOrders, RowProblem, parse_orders_csv, read_orders_csv

SHIPSTATION_STYLE = """\
Order #,Order Date,Recipient,Company,Address 1,Address 2,City,State,Postal Code,Country,Phone,Email,SKU,Item Name,Quantity,Unit Price,Weight,Weight Unit,Image URL,Customer Notes,Gift,Gift Message,Custom Field 1,Custom Field 2,Custom Field 3
1001,2026-11-20 09:15:00,Zoë Ørsted,,Nørregade 7,,København,,1165,DK,+45 33 12 34 56,zoe@example.dk,MUG-BLU,Blue enamel mug,2,12.50,12,oz,https://img.example.com/mug.jpg,"Leave with
the neighbour",no,,wholesale,,rush
1001,2026-11-20 09:15:00,Zoë Ørsted,,Nørregade 7,,København,,1165,DK,+45 33 12 34 56,zoe@example.dk,TEA-1,Cast iron teapot,1,39.00,1.2,kg,,"Leave with
the neighbour",no,,wholesale,,rush
1002,11/20/2026 10:00,José Núñez,Café Núñez,Calle Mayor 5,2º B,Madrid,,28013,Spain,,jose@example.es,APR-LIN,Linen apron,1,24.00,300,g,,,yes,Feliz cumpleaños,,,
1003,2026-11-21T16:45:00Z,Łukasz Żółw,,ul. Długa 12,,Gdańsk,,80-827,PL,,lukasz@example.pl,SOCK-W,Wool socks,3,9.90,0.2,lb,,,no,,,,
"""


def parse(text: str | bytes, zone: ZoneInfo | None = None) -> CsvOrders:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_orders_csv(data, file_name="orders.csv", store="Web shop", zone=zone or ZoneInfo("UTC"))


def test_rows_with_the_same_order_number_make_one_order_with_all_its_items() -> None:
    parsed = parse(SHIPSTATION_STYLE)
    assert [order.order_number for order in parsed.orders] == ["1001", "1002", "1003"]
    zoe = parsed.orders[0]
    assert [(item.sku, item.name, item.quantity, item.unit_price) for item in zoe.items] == [
        ("MUG-BLU", "Blue enamel mug", 2, Decimal("12.50")),
        ("TEA-1", "Cast iron teapot", 1, Decimal("39.00")),
    ]
    assert parsed.lines_read == 4
    assert parsed.skipped == []


def test_every_recognised_column_lands_in_the_order() -> None:
    zoe, jose, lukasz = parse(SHIPSTATION_STYLE).orders
    assert zoe.ship_to.name == "Zoë Ørsted"
    assert (zoe.ship_to.street1, zoe.ship_to.city, zoe.ship_to.postal_code, zoe.ship_to.country) == (
        "Nørregade 7",
        "København",
        "1165",
        "DK",
    )
    assert zoe.ship_to.phone == "+45 33 12 34 56"
    assert zoe.customer_email == "zoe@example.dk"
    assert zoe.customer_notes == "Leave with\nthe neighbour"
    assert (zoe.custom_field1, zoe.custom_field2, zoe.custom_field3) == ("wholesale", "", "rush")
    assert zoe.items[0].image_url == "https://img.example.com/mug.jpg"
    assert zoe.items[0].weight == Weight(Decimal("12"), WeightUnit.OUNCE)
    assert jose.ship_to.company == "Café Núñez"
    assert jose.ship_to.street2 == "2º B"
    assert jose.ship_to.country == "ES"  # "Spain" as its ISO code
    assert jose.gift is True
    assert jose.gift_message == "Feliz cumpleaños"
    assert lukasz.gift is False
    assert lukasz.items[0].quantity == 3


def test_the_order_weight_sums_items_across_units() -> None:
    zoe = parse(SHIPSTATION_STYLE).orders[0]
    assert zoe.total_weight is not None
    # 2 × 12 oz + 1.2 kg = 680.388555 g + 1200 g
    assert zoe.total_weight.grams == pytest.approx(1880.388555)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-11-20 09:15:00", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
        ("11/20/2026 09:15", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
        ("11/20/2026 9:15 PM", datetime(2026, 11, 20, 21, 15, tzinfo=UTC)),
        ("2026-11-20T09:15:00Z", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
        ("2026-11-20T10:15:00+01:00", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
        ("2026-11-20", datetime(2026, 11, 20, tzinfo=UTC)),
    ],
)
def test_dates_are_read_in_the_forms_stores_export(written: str, expected: datetime) -> None:
    parsed = parse(f"Order #,Order Date,SKU,Quantity\n7,{written},A,1\n")
    assert parsed.orders[0].order_date == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("20.11.2026 09:15", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
        ("05.01.2027", datetime(2027, 1, 5, tzinfo=UTC)),
        ("5.1.27 14:30:10", datetime(2027, 1, 5, 14, 30, 10, tzinfo=UTC)),
        ("20.11.2026.", datetime(2026, 11, 20, tzinfo=UTC)),  # Croatian
    ],
)
def test_dates_written_with_dots_are_read_day_first(written: str, expected: datetime) -> None:
    # German, Austrian, Swiss or Polish Excel saves a sheet as a semicolon CSV with its dates so.
    parsed = parse(f"Order #;Order Date;SKU;Quantity\n7;{written};A;1\n")
    assert parsed.skipped == []
    assert parsed.orders[0].order_date == expected


def test_dates_without_a_zone_are_in_the_stores_zone_and_kept_in_utc() -> None:
    text = "Order #,Order Date,SKU,Quantity\n1,2026-07-01 12:00:00,A,1\n2,2026-12-01 12:00:00,A,1\n"
    summer, winter = parse(text, zone=ZoneInfo("America/Chicago")).orders
    assert summer.order_date == datetime(2026, 7, 1, 17, 0, tzinfo=UTC)  # CDT is UTC-5
    assert winter.order_date == datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # CST is UTC-6


@pytest.mark.parametrize(
    "heading",
    [
        "order number,ship to name,address 1,city,postal code,country,sku,item name,qty",
        "ORDER #;RECIPIENT;ADDRESS LINE 1;CITY;ZIP;COUNTRY CODE;SKU;PRODUCT NAME;QUANTITY",
        "Order Number\tShip To Name\tStreet1\tTown\tPostcode\tCountry\tItem SKU\tItem Name\tQuantity",
        "Order # (web),Ship To Name,Address 1,City/Town,Zip/Postal Code,Country,SKU,Item Name,Quantity (units)",
    ],
)
def test_headings_are_recognised_whatever_their_case_spelling_and_separator(heading: str) -> None:
    separator = "\t" if "\t" in heading else (";" if ";" in heading else ",")
    row = separator.join(["55", "Ana Lima", "Rua 1", "Lisboa", "1100-001", "PT", "CUP", "Cup", "4"])
    order = parse(f"{heading}\n{row}\n").orders[0]
    assert (order.order_number, order.ship_to.name, order.ship_to.city, order.ship_to.country) == (
        "55",
        "Ana Lima",
        "Lisboa",
        "PT",
    )
    assert (order.items[0].sku, order.items[0].quantity) == ("CUP", 4)


def test_a_note_after_a_heading_such_as_its_currency_or_zone_is_read_past() -> None:
    text = "Order #,Order Date (UTC),Recipient,Zip/Postal Code,SKU,Quantity,Price (USD),Weight (oz)\n"
    text += "7,2026-03-01 10:00:00,Ann Lee,78701,A1,2,12.50,9\n"
    parsed = parse(text)
    assert parsed.unused_headings == []
    (order,) = parsed.orders
    assert (order.order_date, order.ship_to.postal_code) == (datetime(2026, 3, 1, 10, tzinfo=UTC), "78701")
    assert (order.items[0].unit_price, order.items[0].weight) == (
        Decimal("12.50"),
        Weight(Decimal(9), WeightUnit.OUNCE),
    )


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("99999999999999999999,1.00", "quantity '99999999999999999999' is too large (at most 99,999)"),
        ("1E99999,1.00", "quantity '1E99999' is too large (at most 99,999)"),
        ("100000,1.00", "quantity '100000' is too large (at most 99,999)"),
        ("1,1e400", "unit price '1e400' is not an amount"),
    ],
)
def test_a_number_too_large_for_any_order_skips_its_row_and_the_rest_is_read(cells: str, reason: str) -> None:
    parsed = parse(f"Order #,SKU,Quantity,Unit Price\n1,A,{cells}\n2,B,1,1.00\n")
    assert [order.order_number for order in parsed.orders] == ["2"]
    assert [(problem.line_number, problem.reason) for problem in parsed.skipped] == [(2, reason)]


def test_a_byte_order_mark_and_windows_line_ends_are_no_trouble() -> None:
    data = codecs.BOM_UTF8 + SHIPSTATION_STYLE.replace("\n", "\r\n").encode("utf-8")
    parsed = parse(data)
    assert [order.ship_to.name for order in parsed.orders] == ["Zoë Ørsted", "José Núñez", "Łukasz Żółw"]
    assert parsed.orders[0].customer_notes == "Leave with\nthe neighbour"


def test_a_file_saved_by_excel_in_windows_1252_keeps_its_accents() -> None:
    data = "Order #;Recipient;SKU;Quantity;Unit Price\n9;Renée Müller;A;1;12,50\n".encode("cp1252")
    order = parse(data).orders[0]
    assert order.ship_to.name == "Renée Müller"
    assert order.items[0].unit_price == Decimal("12.50")  # a semicolon file writes decimals with a comma


def test_a_file_all_in_windows_1252_gets_one_notice_for_the_whole_file() -> None:
    rows = "".join(f"{number};Renée Müller {number};Ærø;1\n" for number in range(1, 41))
    parsed = parse(("Order #;Recipient;Item Name;Quantity\n" + rows).encode("cp1252"))
    assert [order.ship_to.name for order in parsed.orders[:2]] == ["Renée Müller 1", "Renée Müller 2"]
    assert parsed.orders[0].items[0].name == "Ærø"
    assert parsed.remarks == []
    assert parsed.notices == [
        "orders.csv is not UTF-8 text: it was read as Windows-1252 (as Excel saves it); check that accented names"
        " look right"
    ]


def test_one_line_of_a_utf8_file_saved_by_an_old_editor_is_read_alone_as_windows_1252() -> None:
    heading = b"Order #,Recipient,Item Name,Quantity,Customer Notes\r\n"
    rows = [f"{number},Zoë Ørsted {number},Blåbær jam,1,\r\n".encode() for number in range(1, 6)]
    rows[1] = '2,Zoë Ørsted 2,Blåbær jam,1,"two\r\nlines"\r\n'.encode()  # line 3 and 4 of the file
    rows[3] = "4,Renée Müller,Crème brûlée set,1,\r\n".encode("cp1252")  # line 6 of the file
    parsed = parse(heading + b"".join(rows))

    names = [order.ship_to.name for order in parsed.orders]
    assert names == ["Zoë Ørsted 1", "Zoë Ørsted 2", "Zoë Ørsted 3", "Renée Müller", "Zoë Ørsted 5"]
    assert parsed.orders[3].items[0].name == "Crème brûlée set"
    assert parsed.orders[0].items[0].name == "Blåbær jam"
    assert parsed.remarks == [RowProblem(6, NOT_UTF8)]
    assert parsed.notices == []
    assert parsed.skipped == []


def test_every_odd_line_of_a_utf8_file_is_named() -> None:
    text = "Order #,Recipient,SKU,Quantity\n1,Zoë,A,1\n".encode()
    text += "2,Renée,A,1\n3,Ann,A,1\n4,Søren,A,1\n".encode("cp1252")
    parsed = parse(text)
    assert [order.ship_to.name for order in parsed.orders] == ["Zoë", "Renée", "Ann", "Søren"]
    assert [remark.line_number for remark in parsed.remarks] == [3, 5]


def test_a_bad_row_is_skipped_with_its_line_number_and_reason_and_the_rest_is_read() -> None:
    text = (
        "Order #,Order Date,SKU,Item Name,Quantity,Unit Price\n"
        "1,2026-11-20 09:00,A,Apple,1,1.00\n"
        "2,2026-11-20 09:00,B,Banana,two,1.00\n"
        "3,yesterday,C,Cherry,1,1.00\n"
        "4,2026-11-20 09:00,D,Date,1,1.00\n"
    )
    parsed = parse(text)
    assert [order.order_number for order in parsed.orders] == ["1", "4"]
    assert [(problem.line_number, problem.order_number) for problem in parsed.skipped] == [(3, "2"), (4, "3")]
    assert "quantity 'two' is not a whole number" in parsed.skipped[0].reason
    assert "order date 'yesterday' is not a date" in parsed.skipped[1].reason


def test_a_value_of_a_few_hundred_kilobytes_over_many_lines_is_read_whole_with_its_row() -> None:
    # Such as a product designer's JSON, which a store exports in one cell: past the csv module's own limit of
    # 128 KiB, its row was refused and the rest of the value read as rows.
    design = "\n".join(f'{{"layer": {n}, "path": "M0 0 L10 10"}},' for n in range(6_000))
    assert len(design) > 128 * 1024
    quoted = design.replace('"', '""')
    parsed = parse(f'Order #,SKU,Quantity,Customer Notes\n1,TEE,1,"Design: {quoted}"\n2,MUG,1,\n')

    assert (parsed.skipped, parsed.notices) == ([], [])
    tee, mug = parsed.orders
    assert tee.customer_notes == f"Design: {design}"
    assert mug.items[0].sku == "MUG"


def test_line_numbers_count_physical_lines_when_a_value_spans_several() -> None:
    text = 'Order #,SKU,Quantity,Customer Notes\n1,A,1,"two\nlines"\n2,B,x,\n'
    problem = parse(text).skipped[0]
    assert problem.line_number == 4


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is not a CSV file: it is a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a CSV file"),
        (b"<html><body>Sign in</body></html>", "looks like a web page, XML or JSON file"),
        (b"name,colour\nZo\xc3\xab,blue\n", "has no Order # or Item Name or SKU or Quantity column"),
        (b"PK\x03\x04\x14\x00\x06\x00", "is not a CSV file"),
    ],
)
def test_a_file_that_is_not_an_order_csv_gets_one_line_saying_why(data: bytes, reason: str) -> None:
    with pytest.raises(CsvFileError) as raised:
        parse(data)
    message = str(raised.value)
    assert reason in message
    assert message.startswith("orders.csv ")
    assert "\n" not in message


def test_a_missing_or_unreadable_path_says_so(tmp_path: Path) -> None:
    with pytest.raises(CsvFileError, match="was not found"):
        read_orders_csv(tmp_path / "nope.csv", store="s", zone=UTC)
    with pytest.raises(CsvFileError, match="is a folder"):
        read_orders_csv(tmp_path, store="s", zone=UTC)


def five_thousand_orders_with_a_quote_never_closed_on_line_4() -> str:
    rows = [f"N{number},Person {number},{number} Main St,Austin,US,Mug,1" for number in range(1, 5001)]
    rows[2] = rows[2].replace(",3 Main St", ',"3 Main St')
    return "Order #,Recipient,Address 1,City,Country,Item Name,Quantity\n" + "\n".join(rows) + "\n"


def test_a_quote_never_closed_names_every_line_it_swallowed() -> None:
    parsed = parse(five_thousand_orders_with_a_quote_never_closed_on_line_4())

    (problem,) = parsed.skipped
    assert (problem.line_number, problem.neighbour) == (4, "N2")
    assert problem.reason == "a quote opened on it is never closed, so lines 4–5001 could not be read"
    assert [order.order_number for order in parsed.orders] == ["N1", "N2"]


def test_a_quote_never_closed_in_a_file_longer_than_any_value_is_read_past(monkeypatch: pytest.MonkeyPatch) -> None:
    # A value may be 16 MiB long; past that, the rest of the file is read on, as the rows after the lost lines are.
    monkeypatch.setattr(csv_text, "LONGEST_VALUE", 100_000)
    parsed = parse(five_thousand_orders_with_a_quote_never_closed_on_line_4())

    (problem,) = parsed.skipped
    assert problem.line_number == 4
    lost = int(problem.reason.split("lines 4–")[1].split(" ")[0])
    assert problem.reason == (
        f"a value in it is too long, probably a quote that is never closed: lines 4–{lost} ({lost - 3:,} lines) "
        "could not be read"
    )
    assert len(parsed.orders) == 5000 - (lost - 3)  # every other row is read
    assert problem.neighbour == "N2"


def test_a_decimal_comma_before_one_or_two_digits_is_read_in_any_file() -> None:
    tab = "Order #\tSKU\tQuantity\tUnit Price\tWeight\n1\tA\t2\t12,50\t0,5 kg\n"
    comma = 'Order #,SKU,Quantity,Unit Price\n2,B,1,"1,234"\n3,C,1,"0,99"\n'
    (tabbed,) = parse(tab).orders
    assert (tabbed.items[0].unit_price, tabbed.items[0].weight) == (
        Decimal("12.50"),
        Weight(Decimal("0.5"), WeightUnit.KILOGRAM),
    )
    thousands, cents = parse(comma).orders
    assert (thousands.items[0].unit_price, cents.items[0].unit_price) == (Decimal(1234), Decimal("0.99"))


@pytest.mark.parametrize(
    "text",
    [
        "Order #\tSKU\tQuantity\tUnit Price\tWeight (kg)\n1\tTEA\t1\t12,50\t0,250\n",
        'Order #,SKU,Quantity,Unit Price,Weight (kg)\n1,TEA,1,12.50,"0,250"\n',
    ],
    ids=["tab-separated", "comma-separated"],
)
def test_a_decimal_comma_after_a_lone_zero_is_read_in_any_file(text: str) -> None:
    # 0,250 kg is 250 g: a number written with thousands separators never starts with "0,".
    (tea,) = parse(text).orders
    assert tea.items[0].weight == Weight(Decimal("0.250"), WeightUnit.KILOGRAM)


def test_a_tab_separated_file_whose_amounts_show_decimal_commas_reads_them_all_so() -> None:
    # Excel's "Unicode Text" on a European computer: the 12,50 of one row says the 1,250 kg of another is 1.25 kg.
    text = "Order #\tSKU\tQuantity\tUnit Price\tWeight (kg)\n1\tTEA\t1\t12,50\t1\n2\tPOT\t1\t39\t1,250\n"
    tea, pot = parse(text).orders
    assert tea.items[0].unit_price == Decimal("12.50")
    assert pot.items[0].weight == Weight(Decimal("1.250"), WeightUnit.KILOGRAM)


def test_a_tab_separated_file_whose_amounts_show_decimal_points_reads_a_comma_as_thousands() -> None:
    text = "Order #\tSKU\tQuantity\tUnit Price\tWeight (g)\n1\tTEA\t1\t12.50\t1\n2\tPOT\t1\t39\t1,250\n"
    _, pot = parse(text).orders
    assert pot.items[0].weight == Weight(Decimal(1250), WeightUnit.GRAM)


@pytest.mark.parametrize(
    ("other", "month_of_05_01", "other_date"),
    [
        ("31/12/2026 14:00", 1, datetime(2026, 12, 31, 14, tzinfo=UTC)),  # only days first can read it
        ("12/31/2026 14:00", 5, datetime(2026, 12, 31, 14, tzinfo=UTC)),  # only months first can
        ("06/07/2026 14:00", 5, datetime(2026, 6, 7, 14, tzinfo=UTC)),  # either: months first, as US stores write
    ],
)
def test_a_file_that_writes_days_first_has_all_its_dates_read_that_way(
    other: str, month_of_05_01: int, other_date: datetime
) -> None:
    parsed = parse(f"Order #;Order Date;SKU;Quantity\nE1;{other};A;1\nE2;05/01/2026 14:00;B;1\n")
    first, second = parsed.orders
    assert parsed.skipped == []
    assert first.order_date == other_date
    day = 5 if month_of_05_01 == 1 else 1
    assert second.order_date == datetime(2026, month_of_05_01, day, 14, tzinfo=UTC)


# ----------------------------------------------------------------------------- a value that cannot be read


@pytest.mark.parametrize("gift", ["x", "maybe", "gift-wrapped"])
def test_a_gift_flag_that_is_not_yes_or_no_keeps_the_row_as_not_a_gift(gift: str) -> None:
    parsed = parse(f"Order #,SKU,Quantity,Gift,Gift Message\n1,A,1,{gift},Happy birthday\n2,B,1,yes,\n")
    first, second = parsed.orders
    assert (first.gift, first.gift_message, first.items[0].sku) == (False, "Happy birthday", "A")
    assert second.gift is True
    assert parsed.skipped == []
    assert parsed.remarks == [
        RowProblem(2, f"gift '{gift}' is not yes or no, so the order is taken as not a gift", "1")
    ]


@pytest.mark.parametrize(
    ("weight", "reason"),
    [
        ("12", "weight '12' has no unit (write e.g. '12 oz' or add a Weight Unit column)"),
        ("heavy", "weight 'heavy' is not a weight (write e.g. '1.5' or '1.5 lb')"),
        ("12 stone", "unknown weight unit 'stone' (use oz, lb, g or kg)"),
        ("-3", "weight '-3' is below zero"),
    ],
)
def test_a_weight_that_cannot_be_read_keeps_the_row_without_a_weight(weight: str, reason: str) -> None:
    text = f"Order #,SKU,Quantity,Unit Price,Weight\n1,A,2,3.50,{weight}\n1,B,1,1.00,1 lb\n"
    parsed = parse(text)
    (order,) = parsed.orders
    assert [(item.sku, item.quantity, item.weight) for item in order.items] == [
        ("A", 2, None),
        ("B", 1, Weight(Decimal(1), WeightUnit.POUND)),
    ]
    assert parsed.skipped == []
    assert parsed.remarks == [RowProblem(2, f"{reason}, so the item is imported without a weight", "1")]


def test_every_row_of_an_item_with_a_weight_that_cannot_be_read_is_named() -> None:
    # The rows share their item's cells, which are read once: each row still gets its remark.
    parsed = parse("Order #,SKU,Quantity,Weight,Gift\n1,A,1,12,\n2,A,1,12,\n2,B,1,12,x\n")
    assert [len(order.items) for order in parsed.orders] == [1, 2]
    assert [(remark.line_number, remark.order_number) for remark in parsed.remarks] == [(2, "1"), (3, "2"), (4, "2")]
    assert parsed.remarks[0].reason.startswith("weight '12' has no unit")


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("1,,A,two,1.00,yes,US,2026-11-20", "quantity 'two' is not a whole number"),
        ("1,,,1,1.00,yes,US,2026-11-20", "it has no item name or SKU"),
        ("1,,A,1,cheap,yes,US,2026-11-20", "unit price 'cheap' is not an amount"),
        ("1,,A,1,1.00,maybe,US,2026-11-20", "requires shipping 'maybe' is not yes or no"),
        ("1,,A,1,1.00,yes,Atlantis,2026-11-20", "country 'Atlantis' is not a country shipdesk knows"),
        ("1,,A,1,1.00,yes,XX,2026-11-20", "country 'XX' is not a country shipdesk knows"),
        ("1,,A,1,1.00,yes,US,yesterday", "order date 'yesterday' is not a date"),
    ],
)
def test_a_value_that_decides_what_is_packed_charged_or_where_it_goes_still_refuses_the_row(
    cells: str, reason: str
) -> None:
    parsed = parse(f"Order #,Gift,SKU,Quantity,Unit Price,Requires Shipping,Country,Order Date\n{cells}\n")
    assert parsed.orders == []
    (problem,) = parsed.skipped
    assert problem.line_number == 2
    assert reason in problem.reason


# ----------------------------------------------------------------------------- names and zones in headings


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("First Name", "Last Name"),
        ("Ship To First Name", "Ship To Last Name"),
        ("Shipping First Name", "Shipping Last Name"),
        ("Recipient First Name", "Recipient Surname"),
        ("Given Name", "Family Name"),
    ],
)
def test_first_and_last_names_make_the_recipient_when_no_column_holds_the_full_name(first: str, last: str) -> None:
    parsed = parse(f"Order #,{first},{last},SKU,Quantity\n1,Zoë,Ørsted,A,1\n2,,Núñez,B,1\n3,Ann,,C,1\n")
    assert [order.ship_to.name for order in parsed.orders] == ["Zoë Ørsted", "Núñez", "Ann"]
    assert parsed.unused_headings == []


def test_a_full_name_column_wins_over_first_and_last_names() -> None:
    parsed = parse("Order #,First Name,Last Name,Ship To Name,SKU,Quantity\n1,Jane,Buyer,Zoë Ørsted,A,1\n")
    assert parsed.orders[0].ship_to.name == "Zoë Ørsted"
    assert parsed.unused_headings == ["First Name", "Last Name"]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Order Date (UTC)", datetime(2026, 7, 1, 12, tzinfo=UTC)),
        ("Created at [GMT]", datetime(2026, 7, 1, 12, tzinfo=UTC)),
        ("Order Date (UTC+02:00)", datetime(2026, 7, 1, 10, tzinfo=UTC)),
        ("Order Date (GMT-5)", datetime(2026, 7, 1, 17, tzinfo=UTC)),
        ("Order Date (Europe/Berlin)", datetime(2026, 7, 1, 10, tzinfo=UTC)),  # CEST, UTC+2
        # Not a zone: the store's zone (Chicago, CDT, UTC-5) stands.
        ("Order Date (MM/DD/YYYY)", datetime(2026, 7, 1, 17, tzinfo=UTC)),
        ("Order Date (America/Argentina)", datetime(2026, 7, 1, 17, tzinfo=UTC)),  # a folder of zones, not one
        ("Order Date", datetime(2026, 7, 1, 17, tzinfo=UTC)),
    ],
)
def test_a_zone_named_in_the_date_heading_wins_over_the_stores_zone(heading: str, expected: datetime) -> None:
    parsed = parse(f"Order #,{heading},SKU,Quantity\n1,2026-07-01 12:00:00,A,1\n", zone=ZoneInfo("America/Chicago"))
    assert parsed.orders[0].order_date == expected
    assert parsed.unused_headings == []


def test_a_date_with_its_own_offset_keeps_it_under_a_utc_heading() -> None:
    parsed = parse("Order #,Order Date (UTC),SKU,Quantity\n1,2026-07-01 12:00:00 -0500,A,1\n")
    assert parsed.orders[0].order_date == datetime(2026, 7, 1, 17, tzinfo=UTC)


def test_a_ship_to_heading_wins_over_a_bare_one_that_may_be_the_customers() -> None:
    text = (
        "Order #,Phone,Shipping Phone,Email,Ship To Email,SKU,Quantity\n1,+1 555 0100,+1 555 0199,a@x.com,b@x.com,A,1\n"
    )
    parsed = parse(text)
    assert (parsed.orders[0].ship_to.phone, parsed.orders[0].ship_to.email) == ("+1 555 0199", "b@x.com")
    assert parsed.unused_headings == ["Phone", "Email"]


def test_a_zip_code_a_spreadsheet_marked_as_text_keeps_its_leading_zero() -> None:
    parsed = parse("Order #,Zip,SKU,Quantity\n1,'02108,A,1\n2,' 07030,A,1\n")
    assert [order.ship_to.postal_code for order in parsed.orders] == ["02108", "07030"]
