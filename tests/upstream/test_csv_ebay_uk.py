"""eBay's orders report as a UK seller downloads it: the parcel goes to "Post to" and a sent order is "Dispatched"."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from shipdesk.cache import Cache
from shipdesk.domain import OrderStatus
from tests.upstream.csv_files import import_file, orders_by_number

# The UK report's headings, in its order (the US report says "Ship To", "Shipped On Date", "Shipping And Handling").
HEADINGS = [
    *("Sales record number", "Order number", "Buyer username", "Buyer name", "Buyer email", "Buyer note"),
    *("Buyer address 1", "Buyer address 2", "Buyer city", "Buyer county", "Buyer postcode", "Buyer country"),
    *("Post to name", "Post to phone", "Post to address 1", "Post to address 2", "Post to city", "Post to county"),
    *("Post to postcode", "Post to country", "Item number", "Item title", "Custom label", "Quantity", "Sold for"),
    *("Postage and packaging", "Total price", "Sale date", "Paid on date", "Post by date", "Dispatched on date"),
    *("Delivery service", "Tracking number", "Variation details"),
]
BUYER = {
    "Buyer name": "Olivia Hughes",
    "Buyer address 1": "7 Billing Row",
    "Buyer city": "Leeds",
    "Buyer postcode": "LS1 4AP",
    "Buyer country": "United Kingdom",
    "Post to name": "Olivia Hughes",
    "Post to phone": "07700 900123",
    "Post to address 1": "Flat 2, 14 Mill Lane",
    "Post to address 2": "Headingley",
    "Post to city": "Leeds",
    "Post to county": "West Yorkshire",
    "Post to postcode": "LS6 3AB",
    "Post to country": "United Kingdom",
    "Sale date": "28-Nov-26",
    "Paid on date": "28-Nov-26",
}
TO_PACK = {
    **BUYER,
    "Sales record number": "2041",
    "Order number": "12-13301-44556",
    "Item title": "Brass Desk Bell",
    "Custom label": "BELL-BRS",
    "Quantity": "1",
    "Sold for": "£18.50",
    "Postage and packaging": "£3.20",
    "Total price": "£21.70",
    "Delivery service": "Royal Mail Tracked 48",
}
DISPATCHED = {
    **TO_PACK,
    "Sales record number": "2038",
    "Order number": "12-13298-10021",
    "Dispatched on date": "29-Nov-26",
    "Tracking number": "TT123456789GB",
}


def ebay_uk_report(*orders: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([""] * len(HEADINGS))
    writer.writerow(HEADINGS)
    writer.writerow([""] * len(HEADINGS))
    writer.writerows([order.get(heading, "") for heading in HEADINGS] for order in orders)
    return out.getvalue() + f'\r\n"{len(orders)}","record(s) downloaded","from 27-Nov-26 to 29-Nov-26"\r\n'


def test_an_ebay_uk_order_goes_to_its_post_to_address_with_the_service_and_postage_paid(
    cache: Cache, tmp_path: Path
) -> None:
    import_file(cache, tmp_path, ebay_uk_report(TO_PACK), name="eBay-OrdersReport-Nov-29-2026.csv")

    order = orders_by_number(cache)["12-13301-44556"]
    assert (order.status, order.hold_reason) == (OrderStatus.AWAITING_SHIPMENT, "")
    ship_to = order.ship_to
    assert (ship_to.name, ship_to.street1, ship_to.street2) == ("Olivia Hughes", "Flat 2, 14 Mill Lane", "Headingley")
    assert (ship_to.city, ship_to.state, ship_to.postal_code, ship_to.country) == (
        "Leeds",
        "West Yorkshire",
        "LS6 3AB",
        "GB",
    )
    assert ship_to.phone == "07700 900123"
    assert (order.requested_service, order.shipping_paid) == ("Royal Mail Tracked 48", Decimal("3.20"))


def test_an_ebay_uk_order_already_dispatched_is_not_packed_again(cache: Cache, tmp_path: Path) -> None:
    report = import_file(cache, tmp_path, ebay_uk_report(DISPATCHED, TO_PACK))

    orders = orders_by_number(cache)
    assert orders["12-13298-10021"].status is OrderStatus.SHIPPED
    assert orders["12-13301-44556"].status is OrderStatus.AWAITING_SHIPMENT
    assert "In the store, 1 order is shipped already, so it is not in the packing queue." in report.summary_lines()
