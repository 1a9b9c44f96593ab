"""Amounts as stores write them, with the currency on them: eBay's "US $12.50", accounting's "($5.00)" for a discount,
and "£18.50" in an eBay UK export, whose order is then in pounds, not dollars."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC
from decimal import Decimal
from pathlib import Path

import pytest

from shipdesk.cache import Cache, open_cache
from shipdesk.domain import OrderStatus
from shipdesk.upstream.csv_import import import_csv
from tests.upstream.csv_files import import_file, orders_by_number
from tests.upstream.test_csv_ebay_uk import TO_PACK, ebay_uk_report

HEADING = "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Unit Price\n"
ROW_START = "2026-11-20 09:00,Ann Lee,12 Elm St,Austin,78701,US"
WITH_CURRENCY = HEADING.rstrip("\n") + ",Currency\n"
WITH_SHIPPING = HEADING.rstrip("\n") + ",Shipping\n"

# The OS keyring would find whatever this machine has; importing needs none.
NO_KEYRING = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def row(number: str, item: str, price: str, *more: str) -> str:
    return ",".join((number, ROW_START, item.split()[0].upper(), item, "1", price, *more)) + "\n"


def import_csv_command(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "orders.csv"
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "shipdesk", "--db", str(tmp_path / "cache.sqlite"), "import-csv", str(path)],
        capture_output=True,
        text=True,
        env=NO_KEYRING,
        check=False,
        timeout=120,
    )


# ----------------------------------------------------------------------------- eBay US: "US $12.50"

EBAY_US_HEADINGS = (
    '"Sales Record Number","Order Number","Buyer Username","Ship To Name","Ship To Address 1","Ship To City",'
    '"Ship To State","Ship To Zip","Ship To Country","Item Title","Custom Label","Quantity","Sold For",'
    '"Shipping And Handling","Total Price","Sale Date"\n'
)


def test_an_ebay_us_order_whose_amounts_read_us_dollar_is_imported_in_dollars(cache: Cache, tmp_path: Path) -> None:
    report = import_file(
        cache,
        tmp_path,
        EBAY_US_HEADINGS
        + '"1190","08-13280-11999","hank_w","Hank Walker","401 Congress Ave","Austin","TX","78701","United States",'
        + '"Brass Pocket Compass","COMP-BRS","2","US $12.50","US $4.00","US $29.00","Nov-26-26"\n',
        name="eBay-OrdersReport.csv",
    )

    assert report.skipped == ()
    order = orders_by_number(cache)["08-13280-11999"]
    assert [(item.sku, item.unit_price) for item in order.items] == [("COMP-BRS", Decimal("12.50"))]
    assert (order.shipping_paid, order.order_total, order.currency) == (Decimal("4.00"), Decimal("29.00"), "USD")


# ----------------------------------------------------------------------------- accounting negatives: "($5.00)"


@pytest.mark.parametrize("discount", ["($5.00)", "$(5.00)", "(5.00)", "(£5.00)"])
def test_a_discount_written_in_brackets_is_taken_off_the_total_and_not_packed(
    cache: Cache, tmp_path: Path, discount: str
) -> None:
    report = import_file(
        cache, tmp_path, HEADING + row("1001", "Enamel mug", "25.00") + row("1001", "Discount", f'"{discount}"')
    )

    assert report.skipped == ()
    order = orders_by_number(cache)["1001"]
    assert [item.name for item in order.physical_items] == ["Enamel mug"]
    assert order.order_total == Decimal("20.00")


def test_a_refund_of_shipping_in_brackets_reads_as_a_negative_amount_but_a_bracket_left_open_is_refused(
    cache: Cache, tmp_path: Path
) -> None:
    report = import_file(
        cache,
        tmp_path,
        WITH_SHIPPING + row("1001", "Enamel mug", "25.00", "($4.50)") + row("1002", "Linen apron", "24.00", "($4.50"),
    )

    assert orders_by_number(cache)["1001"].shipping_paid == Decimal("-4.50")
    assert [(problem.line_number, problem.reason) for problem in report.skipped] == [
        (3, "shipping paid '($4.50' is not an amount")
    ]


# ----------------------------------------------------------------------------- the currency the amounts name


def test_an_ebay_uk_order_in_pounds_is_stored_in_pounds(cache: Cache, tmp_path: Path) -> None:
    import_file(cache, tmp_path, ebay_uk_report(TO_PACK), name="eBay-OrdersReport-Nov-29-2026.csv")

    order = orders_by_number(cache)["12-13301-44556"]
    assert (order.currency, order.order_total) == ("GBP", Decimal("21.70"))


@pytest.mark.parametrize(
    ("price", "currency"),
    [
        ("€12.50", "EUR"),
        ("12.50 €", "EUR"),
        ("US $12.50", "USD"),
        ("AU $12.50", "AUD"),
        ("AU$12.50", "AUD"),
        ("C $12.50", "CAD"),
        ("C$12.50", "CAD"),
        ("CA$12.50", "CAD"),
        ("CHF 12.50", "CHF"),
        ("12.50 SEK", "SEK"),
        ("$12.50 NZD", "NZD"),
    ],
)
def test_the_symbol_or_code_on_an_amount_gives_the_orders_currency(
    cache: Cache, tmp_path: Path, price: str, currency: str
) -> None:
    import_file(cache, tmp_path, HEADING + row("1001", "Enamel mug", f'"{price}"'))

    order = orders_by_number(cache)["1001"]
    assert (order.currency, order.items[0].unit_price) == (currency, Decimal("12.50"))


def test_a_bare_dollar_names_no_currency_so_it_neither_clashes_nor_changes_the_default(
    cache: Cache, tmp_path: Path
) -> None:
    report = import_file(
        cache,
        tmp_path,
        HEADING
        + row("1001", "Enamel mug", "£12.50")
        + row("1001", "Wool socks", "$3.00")
        + row("1002", "Linen apron", "$24.00")
        + row("1003", "Teapot", "39.00"),
    )

    assert report.skipped == ()
    currencies = {number: order.currency for number, order in orders_by_number(cache).items()}
    assert currencies == {"1001": "GBP", "1002": "USD", "1003": "USD"}


def test_a_currency_column_wins_over_a_bare_dollar_and_agrees_with_a_symbol_naming_the_same(
    cache: Cache, tmp_path: Path
) -> None:
    report = import_file(
        cache,
        tmp_path,
        WITH_CURRENCY
        + row("1001", "Enamel mug", "$12.50", "CAD")
        + row("1002", "Linen apron", "US $24.00", "usd")
        + row("1003", "Teapot", "£39.00", "£"),
    )

    assert report.skipped == ()
    currencies = {number: order.currency for number, order in orders_by_number(cache).items()}
    assert currencies == {"1001": "CAD", "1002": "USD", "1003": "GBP"}


def test_a_row_whose_currency_column_contradicts_its_amounts_is_refused_naming_both(
    cache: Cache, tmp_path: Path
) -> None:
    report = import_file(
        cache,
        tmp_path,
        WITH_CURRENCY + row("1001", "Enamel mug", "£12.50", "USD") + row("1002", "Linen apron", "£24.00", "GBP"),
    )

    assert [(problem.line_number, problem.reason) for problem in report.skipped] == [
        (2, "currency 'USD' does not match '£12.50', which is in GBP: correct one of them")
    ]
    assert list(orders_by_number(cache)) == ["1002"]


def test_a_row_whose_amounts_name_two_currencies_is_refused_naming_both(cache: Cache, tmp_path: Path) -> None:
    report = import_file(cache, tmp_path, WITH_SHIPPING + row("1001", "Enamel mug", "£12.50", "€3.00"))

    assert [problem.reason for problem in report.skipped] == [
        "its amounts are in two currencies, EUR ('€3.00') and GBP ('£12.50'): write an order's amounts in one currency"
    ]
    assert orders_by_number(cache) == {}


def test_an_order_whose_rows_name_two_currencies_has_every_row_refused(cache: Cache, tmp_path: Path) -> None:
    report = import_file(
        cache,
        tmp_path,
        HEADING
        + row("1001", "Enamel mug", "£12.50")
        + row("1002", "Linen apron", "€24.00")
        + row("1001", "Wool socks", "9.90")
        + row("1001", "Teapot", "€39.00"),
    )

    reason = (
        "order 1001 names two currencies, GBP on line 2 and EUR on line 5:"
        " its rows are not imported; write an order's amounts in one currency"
    )
    assert [(problem.line_number, problem.reason) for problem in report.skipped] == [
        (2, reason),
        (4, reason),
        (5, reason),
    ]
    orders = orders_by_number(cache)
    assert list(orders) == ["1002"]
    assert (orders["1002"].currency, orders["1002"].status) == ("EUR", OrderStatus.AWAITING_SHIPMENT)


def test_the_import_command_shows_why_an_order_in_two_currencies_was_refused(tmp_path: Path) -> None:
    done = import_csv_command(
        tmp_path, HEADING + row("1001", "Enamel mug", "£12.50") + row("1001", "Teapot", "US $39.00")
    )

    assert done.returncode == 1, done.stderr
    shown = done.stdout + done.stderr
    assert "Line 2 skipped: order 1001 names two currencies, GBP on line 2 and USD on line 3" in shown
    assert "Line 3 skipped: order 1001 names two currencies, GBP on line 2 and USD on line 3" in shown


def test_an_amount_that_names_two_currencies_is_refused_naming_both(cache: Cache, tmp_path: Path) -> None:
    report = import_file(cache, tmp_path, HEADING + row("1001", "Enamel mug", "£12.50 USD"))

    assert [problem.reason for problem in report.skipped] == [
        "'£12.50 USD' names two currencies, GBP and USD: write one"
    ]


def test_an_ebay_uk_order_with_a_summary_row_in_pounds_and_an_item_in_euros_is_refused(
    cache: Cache, tmp_path: Path
) -> None:
    summary = {**TO_PACK, "Custom label": "", "Item title": "", "Quantity": "2", "Sold for": "£37.00"}
    first = {**TO_PACK, "Sold for": "£18.50", "Total price": "", "Postage and packaging": ""}
    second = {**first, "Custom label": "BELL-STL", "Item title": "Steel Desk Bell", "Sold for": "€18.50"}
    report = import_file(cache, tmp_path, ebay_uk_report(summary, first, second))

    assert {problem.line_number for problem in report.skipped} == {4, 5, 6}
    assert {problem.reason for problem in report.skipped} == {
        "order 12-13301-44556 names two currencies, GBP on line 5 and EUR on line 6: its rows are not imported;"
        " write an order's amounts in one currency"
    }
    assert orders_by_number(cache) == {}


def test_a_large_file_read_by_several_processes_refuses_the_same_rows(tmp_path: Path) -> None:
    rows = "".join(
        row(str(number), "Enamel mug", "£12.50") + row(str(number), "Teapot", "39.00") for number in range(1, 300)
    )
    rows += row("300", "Enamel mug", "£12.50") + row("300", "Teapot", "€39.00")
    rows += "".join(row(str(number), "Enamel mug", "£12.50") for number in range(301, 600))
    path = tmp_path / "orders.csv"
    path.write_text(HEADING + rows, encoding="utf-8")
    reports = []
    for processes in (1, 2):
        cache = open_cache(tmp_path / f"cache-{processes}.sqlite")
        reports.append(import_csv(cache, path, zone=UTC, processes=processes, piece_chars=1_000))
        currencies = {order.currency for order in orders_by_number(cache).values()}
        cache.close()
        assert currencies == {"GBP"}

    whole, in_stretches = reports
    assert in_stretches.processes == 2
    assert [problem.line_number for problem in whole.skipped] == [600, 601]
    assert (in_stretches.skipped, in_stretches.orders_read) == (whole.skipped, whole.orders_read)
