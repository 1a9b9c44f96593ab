"""A Shopify order export (Orders → Export → CSV) imported as it comes: "Name" is its order number."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.domain import OrderStatus
from shipdesk.upstream.csv_import import import_csv
from shipdesk.upstream.csvfile import CsvFileError, parse_orders_csv

# Every column of Shopify's order export, in its order.
SHOPIFY_HEADINGS = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
]

# The first row of an order carries the order and both addresses; the rows after it only the order's name, e-mail,
# date and their own line item.
ORDER_1001 = {
    "Name": "#1001",
    "Email": "zoe@example.com",
    "Financial Status": "paid",
    "Paid at": "2026-11-20 09:16:02 -0500",
    "Fulfillment Status": "unfulfilled",
    "Accepts Marketing": "no",
    "Currency": "USD",
    "Subtotal": "62.50",
    "Shipping": "5.00",
    "Taxes": "3.91",
    "Total": "71.41",
    "Discount Amount": "0.00",
    "Shipping Method": "Standard",
    "Created at": "2026-11-20 09:15:23 -0500",
    "Lineitem quantity": "2",
    "Lineitem name": "Enamel mug - Blue",
    "Lineitem price": "12.50",
    "Lineitem sku": "MUG-BLU",
    "Lineitem requires shipping": "true",
    "Lineitem taxable": "true",
    "Lineitem fulfillment status": "pending",
    "Billing Name": "Jane Buyer",
    "Billing Street": "1 Billing Rd",
    "Billing Address1": "1 Billing Rd",
    "Billing City": "Cambridge",
    "Billing Zip": "'02139",
    "Billing Province": "MA",
    "Billing Country": "US",
    "Billing Phone": "+1 617 555 0111",
    "Shipping Name": "Zoë Ørsted",
    "Shipping Street": "12 Elm St, Apt 4",
    "Shipping Address1": "12 Elm St",
    "Shipping Address2": "Apt 4",
    "Shipping City": "Boston",
    "Shipping Zip": "'02108",
    "Shipping Province": "MA",
    "Shipping Country": "US",
    "Shipping Phone": "+1 617 555 0100",
    "Notes": "Leave at the door",
    "Payment Method": "Shopify Payments",
    "Vendor": "Nordlys",
    "Outstanding Balance": "0.00",
    "Id": "5123456789012",
    "Risk Level": "Low",
    "Source": "web",
    "Lineitem discount": "0.00",
    "Tax 1 Name": "MA State Tax 6.25%",
    "Tax 1 Value": "3.91",
    "Billing Province Name": "Massachusetts",
    "Shipping Province Name": "Massachusetts",
    "Payment ID": "c29340127.1",
}
ORDER_1001_SECOND_ITEM = {
    "Name": "#1001",
    "Email": "zoe@example.com",
    "Created at": "2026-11-20 09:15:23 -0500",
    "Lineitem quantity": "1",
    "Lineitem name": "Cast iron teapot",
    "Lineitem price": "37.50",
    "Lineitem sku": "TEA-CI",
    "Lineitem requires shipping": "true",
    "Lineitem taxable": "true",
    "Lineitem fulfillment status": "pending",
    "Vendor": "Nordlys",
    "Lineitem discount": "0.00",
}
ORDER_1002 = {
    **ORDER_1001,
    "Name": "#1002",
    "Email": "bo@example.com",
    "Subtotal": "25.00",
    "Shipping": "0.00",
    "Taxes": "0.00",
    "Total": "25.00",
    "Created at": "2026-11-20 11:00:00 -0500",
    "Lineitem quantity": "1",
    "Lineitem name": "Gift card $25",
    "Lineitem price": "25.00",
    "Lineitem sku": "GIFT-25",
    "Lineitem requires shipping": "false",
    "Shipping Name": "Bo Li",
    "Shipping Street": "9 Congress Ave",
    "Shipping Address1": "9 Congress Ave",
    "Shipping Address2": "",
    "Shipping City": "Austin",
    "Shipping Zip": "78701",
    "Shipping Province": "TX",
    "Notes": "",
    "Id": "5123456789013",
}


def shopify_csv(*rows: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SHOPIFY_HEADINGS)
    writer.writerows([row.get(heading, "") for heading in SHOPIFY_HEADINGS] for row in rows)
    return out.getvalue()


def test_a_shopify_export_imports_with_every_item_and_the_first_rows_address(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "orders_export_1.csv"
    path.write_text(shopify_csv(ORDER_1001, ORDER_1001_SECOND_ITEM, ORDER_1002), encoding="utf-8")

    report = import_csv(cache, path, zone=ZoneInfo("America/Los_Angeles"))

    assert (report.lines_read, report.orders_read, report.skipped, report.ship_to_differences) == (3, 2, (), ())
    zoe, bo = (stored.order for stored in load_orders(cache, OrderQuery(sort="order_number", descending=False)))
    assert (zoe.order_number, zoe.status, zoe.hold_reason) == ("#1001", OrderStatus.AWAITING_SHIPMENT, "")
    assert [(item.sku, item.name, item.quantity, item.unit_price) for item in zoe.items] == [
        ("MUG-BLU", "Enamel mug - Blue", 2, Decimal("12.50")),
        ("TEA-CI", "Cast iron teapot", 1, Decimal("37.50")),
    ]
    ship_to = zoe.ship_to
    assert (ship_to.name, ship_to.street1, ship_to.street2) == ("Zoë Ørsted", "12 Elm St", "Apt 4")
    assert (ship_to.city, ship_to.state, ship_to.postal_code, ship_to.country) == ("Boston", "MA", "02108", "US")
    assert (ship_to.phone, zoe.customer_email) == ("+1 617 555 0100", "zoe@example.com")
    assert zoe.order_date == datetime(2026, 11, 20, 14, 15, 23, tzinfo=UTC)  # its own offset, not the store's zone
    assert (zoe.order_total, zoe.shipping_paid, zoe.tax_amount) == (Decimal("71.41"), Decimal("5.00"), Decimal("3.91"))
    assert (zoe.currency, zoe.requested_service, zoe.customer_notes) == ("USD", "Standard", "Leave at the door")
    assert (bo.order_number, bo.status, bo.hold_reason) == ("#1002", OrderStatus.ON_HOLD, "no item that needs shipping")
    assert bo.ship_to.name == "Bo Li"

    unused = report.unused_headings
    assert "Name" not in unused
    # The billing address, Shopify's joined street and the customer's own phone stay out of the ship-to.
    assert {"Billing Name", "Billing Street", "Billing Address1", "Billing Zip", "Shipping Street", "Phone"} <= set(
        unused
    )


def parse(text: str) -> list[tuple[str, str]]:
    parsed = parse_orders_csv(text.encode(), file_name="orders.csv", store="Shop", zone=UTC)
    return [(order.order_number, order.ship_to.name) for order in parsed.orders]


@pytest.mark.parametrize(
    "heading",
    ["Name,Shipping Name", "Name,Ship To Name", "Name,Recipient", "Shipping Name,Name", "Name,First Name,Last Name"],
)
def test_name_is_the_order_number_in_a_file_without_one_that_names_the_recipient_elsewhere(heading: str) -> None:
    row = {"Name": "#1001", "Shipping Name": "Ann Lee", "Ship To Name": "Ann Lee", "Recipient": "Ann Lee"}
    row |= {"First Name": "Ann", "Last Name": "Lee"}
    cells = ",".join(row[column] for column in heading.split(","))
    assert parse(f"{heading},SKU,Quantity\n{cells},A,1\n") == [("#1001", "Ann Lee")]


@pytest.mark.parametrize("order_heading", ["Order Number", "Order #", "Order ID"])
def test_name_stays_the_recipient_where_an_order_number_column_exists(order_heading: str) -> None:
    assert parse(f"{order_heading},Name,SKU,Quantity\n7,Ann Lee,A,1\n") == [("7", "Ann Lee")]
    assert parse(f"{order_heading},Name,Ship To Name,SKU,Quantity\n7,Jane Buyer,Ann Lee,A,1\n") == [("7", "Ann Lee")]


def test_a_lone_name_column_is_never_taken_for_the_order_number() -> None:
    with pytest.raises(CsvFileError, match="has no Order # column"):
        parse("Name,Address 1,City,SKU,Quantity\nAnn Lee,1 Main St,Austin,A,1\n")
