"""A discount written as a line of the order (a negative price) counts in what was paid, but is nothing to pack."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from shipdesk.cache import Cache
from shipdesk.domain import OrderStatus
from tests.upstream.csv_files import import_file, orders_by_number

HEADING = "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Unit Price\n"


def test_a_discount_line_with_a_negative_price_is_not_an_item_to_pack(cache: Cache, tmp_path: Path) -> None:
    import_file(
        cache,
        tmp_path,
        HEADING
        + "1001,2026-11-20 09:00,Ann Lee,12 Elm St,Austin,78701,US,MUG-BLU,Enamel mug,2,12.50\n"
        + "1001,2026-11-20 09:00,Ann Lee,12 Elm St,Austin,78701,US,,Discount WELCOME10,1,-2.50\n",
    )

    order = orders_by_number(cache)["1001"]
    assert [(item.name, item.quantity) for item in order.physical_items] == [("Enamel mug", 2)]
    assert order.item_count == 2
    assert order.order_total == Decimal("22.50")  # what the customer paid, the discount taken off


def test_an_order_of_nothing_but_a_discount_line_has_nothing_to_ship(cache: Cache, tmp_path: Path) -> None:
    import_file(
        cache, tmp_path, HEADING + "1002,2026-11-20 09:00,Ann Lee,12 Elm St,Austin,78701,US,,Store credit,1,-5.00\n"
    )

    order = orders_by_number(cache)["1002"]
    assert (order.status, order.hold_reason) == (OrderStatus.ON_HOLD, "no item that needs shipping")
