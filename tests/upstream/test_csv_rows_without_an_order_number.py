"""A row without an order number may belong to the order of the row above it: that order, and no other, is held.

A hand-made sheet often leaves the order number blank on an order's later rows; when the order's first row is
refused (an address with an unquoted comma gives it a value too many), the blank row is that order's, not the one
before it.
"""

from __future__ import annotations

from pathlib import Path

from shipdesk.cache import Cache
from shipdesk.domain import OrderStatus
from tests.upstream.csv_files import import_file, orders_by_number
from tests.upstream.test_csv_processes import assert_same_report, import_both_ways

HEADING = "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Unit Price\n"


def two_orders(number: int) -> str:
    """An order that is fine, then one whose first row has an unquoted comma and whose second row has no number."""
    return (
        f"{number},2026-11-20 09:00,Ann Lee,1 Main St,Austin,78701,US,MUG,Mug,1,9.50\n"
        f"{number + 1},2026-11-20 09:00,Bo Li,12 Elm St, Apt 4,Austin,78701,US,BOWL,Bowl,1,9.50\n"
        ",2026-11-20 09:00,Bo Li,12 Elm St,Austin,78701,US,CUP,Cup,1,9.50\n"
    )


def test_a_row_without_a_number_below_a_refused_row_does_not_hold_the_order_above_that(
    cache: Cache, tmp_path: Path
) -> None:
    report = import_file(cache, tmp_path, HEADING + two_orders(1000))

    assert [(problem.line_number, problem.reason) for problem in report.skipped] == [
        (3, "it has 12 values but the heading line has 11"),
        (4, "it has no order number"),
    ]
    ann = orders_by_number(cache)["1000"]
    assert (ann.status, ann.hold_reason) == (OrderStatus.AWAITING_SHIPMENT, "")


def test_a_large_file_of_such_rows_read_in_stretches_holds_the_same_orders_as_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADING + "".join(two_orders(number) for number in range(1000, 1060, 2)), encoding="utf-8")

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert stretched.processes == 2
    assert_same_report(stretched, whole)
    cache.close()
