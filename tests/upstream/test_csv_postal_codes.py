"""Postal codes as spreadsheets save them: a formula that keeps the leading zero, or a number that lost it."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipdesk.cache import Cache
from shipdesk.domain import OrderStatus
from tests.upstream.csv_files import import_file, orders_by_number

HEADING = "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Unit Price\r\n"


@pytest.mark.parametrize("written", ['"=""02108"""', '="02108"'])
def test_a_zip_code_written_as_a_spreadsheet_formula_is_the_zip_code_on_the_label(
    cache: Cache, tmp_path: Path, written: str
) -> None:
    # Exports meant for Excel write ="02108" so that Excel keeps the leading zero.
    import_file(
        cache, tmp_path, HEADING + f"1001,2026-11-20 09:00,Ann Lee,12 Elm St,Boston,{written},US,A,Mug,1,9.50\r\n"
    )

    order = orders_by_number(cache)["1001"]
    assert order.ship_to.postal_code == "02108"
    assert order.status is OrderStatus.AWAITING_SHIPMENT


@pytest.mark.parametrize(
    ("city", "saved", "country", "postal_code"),
    [
        ("Boston", "2108", "US", "02108"),
        ("San Juan", "901", "PR", "00901"),
        ("Dresden", "1067", "DE", "01067"),
        ("Bourg-en-Bresse", "1000", "France", "01000"),
        ("Darwin", "800", "AU", "0800"),
    ],
)
def test_a_postal_code_that_lost_its_leading_zero_in_a_spreadsheet_gets_it_back(
    cache: Cache, tmp_path: Path, city: str, saved: str, country: str, postal_code: str
) -> None:
    # Excel opens the file, reads 02108 as the number 2108 and saves it so; the country's codes all have five digits.
    import_file(
        cache, tmp_path, HEADING + f"1001,2026-11-20 09:00,Ann Lee,12 Elm St,{city},{saved},{country},A,Mug,1,9.50\r\n"
    )

    assert orders_by_number(cache)["1001"].ship_to.postal_code == postal_code


@pytest.mark.parametrize(("saved", "country"), [("1165", "DK"), ("2108", "GB"), ("1010", "AT"), ("12345", "US")])
def test_a_postal_code_of_the_right_length_or_of_a_country_without_leading_zeros_is_kept_as_written(
    cache: Cache, tmp_path: Path, saved: str, country: str
) -> None:
    import_file(
        cache, tmp_path, HEADING + f"1001,2026-11-20 09:00,Ann Lee,12 Elm St,Town,{saved},{country},A,Mug,1,9.50\r\n"
    )

    assert orders_by_number(cache)["1001"].ship_to.postal_code == saved
