"""Orders the store refunded or voided are not packed: Shopify and Squarespace say so in their payment status."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipdesk.cache import Cache
from shipdesk.domain import OrderStatus
from tests.upstream.csv_files import import_file, orders_by_number
from tests.upstream.test_csv_shopify import ORDER_1001, shopify_csv

SAMPLES = Path(__file__).parent / "csv_samples"


@pytest.mark.parametrize("financial_status", ["refunded", "voided"])
def test_a_shopify_order_refunded_or_voided_before_it_shipped_is_not_in_the_packing_queue(
    cache: Cache, tmp_path: Path, financial_status: str
) -> None:
    # Refunding an unfulfilled order leaves its fulfillment status "unfulfilled": only the payment says it is off.
    unfulfilled = {**ORDER_1001, "Financial Status": financial_status, "Fulfillment Status": "unfulfilled"}

    report = import_file(cache, tmp_path, shopify_csv(unfulfilled))

    assert orders_by_number(cache)["#1001"].status is OrderStatus.CANCELLED
    assert "In the store, 1 order is cancelled, so it is not in the packing queue." in report.summary_lines()


def test_a_partly_refunded_shopify_order_is_held_to_check_what_is_left_to_pack(cache: Cache, tmp_path: Path) -> None:
    partly = {**ORDER_1001, "Financial Status": "partially_refunded", "Fulfillment Status": "unfulfilled"}

    import_file(cache, tmp_path, shopify_csv(partly))

    order = orders_by_number(cache)["#1001"]
    assert order.status is OrderStatus.ON_HOLD
    assert order.hold_reason == "partly refunded in the store: check which items are left to pack"


def test_a_refunded_order_that_shipped_stays_shipped_and_a_paid_one_is_packed(cache: Cache, tmp_path: Path) -> None:
    shipped = {**ORDER_1001, "Financial Status": "refunded", "Fulfillment Status": "fulfilled"}
    paid = {**ORDER_1001, "Name": "#1002", "Financial Status": "paid", "Fulfillment Status": "unfulfilled"}
    authorized = {**ORDER_1001, "Name": "#1003", "Financial Status": "authorized", "Fulfillment Status": ""}

    import_file(cache, tmp_path, shopify_csv(shipped, paid, authorized))

    orders = orders_by_number(cache)
    assert orders["#1001"].status is OrderStatus.SHIPPED
    assert orders["#1002"].status is OrderStatus.AWAITING_SHIPMENT
    assert orders["#1003"].status is OrderStatus.AWAITING_SHIPMENT


def test_a_squarespace_order_refunded_before_it_was_fulfilled_is_not_packed(cache: Cache, tmp_path: Path) -> None:
    text = (SAMPLES / "squarespace_orders.csv").read_text(encoding="utf-8")
    first_order = text.splitlines(keepends=True)[1]
    assert first_order.startswith("00412,amelie.poulain@example.ca,PAID,")
    refunded = text.replace(first_order, first_order.replace(",PAID,", ",REFUNDED,", 1))

    import_file(cache, tmp_path, refunded)

    orders = orders_by_number(cache)
    assert orders["00412"].status is OrderStatus.CANCELLED
    assert orders["00413"].status is OrderStatus.AWAITING_SHIPMENT
