"""Order exports as small shops download them (WooCommerce, Etsy, eBay, Squarespace, Amazon), imported as they come.

Each file in csv_samples/ has the export's own headings, quoting, dates and extra lines; a packer must get every
order with its recipient, address, items, date and notes, nothing lost or doubled, and no warning that is not true.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.cli import main
from shipdesk.domain import OrderStatus
from shipdesk.upstream.csv_import import import_csv
from shipdesk.upstream.csvfile import CsvFileError, CsvOrders, parse_orders_csv

SAMPLES = Path(__file__).parent / "csv_samples"


def import_export(
    sample: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], zone: str
) -> tuple[list[str], dict[str, dict]]:
    """`shipdesk import-csv` then `shipdesk orders --json`: what the import said, and the orders by number."""
    db = str(tmp_path / "cache.sqlite")
    assert main(["--db", db, "import-csv", str(SAMPLES / sample), "--timezone", zone]) == 0
    said = capsys.readouterr().out.splitlines()
    assert main(["--db", db, "orders", "--json"]) == 0
    orders = json.loads(capsys.readouterr().out)
    return [line for line in said if not line.startswith("Columns not used")], {
        order["order_number"]: order for order in orders
    }


def ship_to(order: dict) -> tuple[str, ...]:
    address = order["ship_to"]
    keys = ("name", "company", "street1", "street2", "city", "state", "postal_code", "country", "phone")
    return tuple(address[key] for key in keys)


def items(order: dict) -> list[tuple[object, ...]]:
    return [
        (item["sku"], item["name"], item["quantity"], item["unit_price"], item.get("options", []))
        for item in order["items"]
    ]


def test_a_woocommerce_order_export_gives_the_shipping_address_the_item_costs_and_the_buyers_contact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said, orders = import_export("woocommerce_orders.csv", tmp_path, capsys, "Europe/Paris")

    assert said == [
        "Imported 4 orders from woocommerce_orders.csv into CSV import: 4 new.",
        "Read 5 lines.",
        "In the store, 1 order is shipped already, so it is not in the packing queue.",
    ]
    helene, zoe, ana, priya = orders["1051"], orders["1052"], orders["1053"], orders["1048"]
    assert ship_to(helene) == (
        "Hélène Dubois",
        "",
        "14 rue de l'Église",
        "Bât. B",
        "Lyon",
        "",
        "69002",
        "FR",
        "+33 4 78 12 34 56",
    )
    assert items(helene) == [
        ("HOOD-GRY-M", "Organic Hoodie - Grey, M", 1, 45.0, [["Colour", "Grey"], ["Size", "M"]]),
        ("MUG-ENM-WHT", "Enamel Camp Mug", 2, 12.5, []),
    ]
    assert (helene["order_date"], helene["currency"], helene["order_total"]) == (
        "2026-11-27T20:14:05+00:00",
        "EUR",
        88.0,
    )
    assert (helene["customer_notes"], helene["requested_service"]) == (
        "Merci ! Code porte 4821, 3e étage.",
        "International Flat Rate",
    )
    # A gift: the parcel goes to the shipping name and address, the buyer's e-mail and phone stand in for the recipient's.
    assert ship_to(zoe) == (
        "Zoë O'Brien-Núñez",
        "Núñez & Co.",
        "350 Fifth Avenue, Floor 21",
        "Suite 2100",
        "New York",
        "NY",
        "10118",
        "US",
        "(608) 555-0147",
    )
    assert zoe["customer_email"] == "mark.peterson@example.com"
    assert zoe["customer_notes"] == "It's a gift,\nplease don't include the invoice."
    assert items(zoe) == [("CANDLE-SOY-3", "Soy Candle Trio", 3, 32.0, [["Scent", "Cedar & Sage"]])]
    assert (zoe["shipping_paid"], zoe["tax_amount"]) == (7.95, 8.52)
    assert ship_to(ana)[2:8] == ("Rua Augusta 120", "3º Esq.", "Lisboa", "", "1100-053", "PT")
    for order in (helene, zoe, ana):
        assert (order["status"], order["hold_reason"]) == ("awaiting_shipment", "")
    assert priya["status"] == "shipped"  # "Completed" in WooCommerce


def test_woocommerce_advanced_order_export_labels_say_whose_field_it_is_after_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "First Name (Shipping)", "Zip (Billing)", a bare "Name" between SKU and Quantity, and "Item #" the line's."""
    said, orders = import_export("woocommerce_advanced_order_export.csv", tmp_path, capsys, "America/Los_Angeles")

    assert said == [
        "Imported 2 orders from woocommerce_advanced_order_export.csv into CSV import: 2 new.",
        "Read 3 lines.",
    ]
    jurgen, daniel = orders["2207"], orders["2208"]
    assert ship_to(jurgen) == (
        "Jürgen Müller",
        "",
        "Bahnhofstraße 5",
        "Hinterhaus",
        "München",
        "BY",
        "80335",
        "DE",
        "+49 89 1234567",
    )
    assert items(jurgen) == [
        ("TEE-BLK-L", "Logo T-Shirt - Black, L", 2, 22.0, []),
        ("CAP-NVY", "Dad Cap - Navy", 1, 22.0, []),
    ]
    # Bought by Grace, sent to Daniel at another address.
    assert ship_to(daniel) == (
        "Daniel Kim",
        "",
        "1200 Harbor Ave SW",
        "Unit 5",
        "Seattle",
        "WA",
        "98126",
        "US",
        "206-555-0188",
    )
    assert (daniel["customer_email"], daniel["customer_notes"]) == ("grace.kim@example.com", "Ring the bell twice")
    assert daniel["order_date"] == "2026-11-28T15:05:00+00:00"
    assert all(order["status"] == "awaiting_shipment" for order in orders.values())


def test_an_etsy_sold_order_items_file_gives_ship_to_address_short_dates_and_variations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said, orders = import_export("etsy_sold_order_items.csv", tmp_path, capsys, "America/New_York")

    assert said == [
        "Imported 4 orders from etsy_sold_order_items.csv into CSV import: 4 new.",
        "Read 5 lines.",
        "In the store, 1 order is shipped already, so it is not in the packing queue.",
    ]
    sofia, bjorn, chloe, kaito = (orders[number] for number in ("3312456789", "3312456790", "3312456791", "3312456750"))
    assert ship_to(sofia) == (
        "Sofía García",
        "",
        "742 Evergreen Terrace",
        "Apt 3B",
        "Springfield",
        "OR",
        "97477",
        "US",
        "",
    )
    assert items(sofia) == [
        (
            "KEY-LTH-BRN",
            "Personalized Leather Keychain, Hand Stamped",
            2,
            18.0,
            [["Color", "Saddle Brown"], ["Personalization", "Sofía, with love"]],
        ),
        ("DISH-CER", "Ceramic Ring Dish", 1, 24.0, []),
    ]
    assert sofia["order_date"] == "2026-11-27T05:00:00+00:00"  # 11/27/26, midnight in the shop's zone
    assert (sofia["shipping_paid"], sofia["tax_amount"]) == (5.95, 3.42)
    assert ship_to(bjorn) == ("Björn Ångström", "", "Drottninggatan 53", "", "Stockholm", "", "111 21", "SE", "")
    assert items(bjorn) == [("TOWEL-LIN", "Linen Tea Towel", 1, 16.5, [["Pattern", "Herringbone"]])]
    assert ship_to(chloe)[7] == "US"
    for order in (sofia, bjorn, chloe):
        assert (order["status"], order["hold_reason"]) == ("awaiting_shipment", "")
    assert kaito["status"] == "shipped"  # it has a Date Shipped


def test_an_ebay_orders_report_is_read_between_its_comma_rows_and_its_footer_with_multi_item_orders_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said, orders = import_export("ebay_orders_report.csv", tmp_path, capsys, "America/Los_Angeles")

    # No row skipped, no order held: the summary row above a multi-item order's items and the footer are eBay's.
    assert said == [
        "Imported 4 orders from ebay_orders_report.csv into CSV import: 4 new.",
        "Read 6 lines.",
        "In the store, 1 order is shipped already, so it is not in the packing queue.",
    ]
    renee, jose, mary_kate, hank = (
        orders[number] for number in ("05-13287-44621", "12-13290-55120", "27-13291-00874", "08-13280-11935")
    )
    assert ship_to(renee) == (
        "Renée Østergaard",
        "",
        "Nørregade 12, 2. tv",
        "",
        "København K",
        "",
        "1165",
        "DK",
        "+45 20 12 34 56",
    )
    assert items(renee) == [("COMP-BRS", "Vintage Brass Pocket Compass", 1, 39.99, [])]
    assert (renee["customer_notes"], renee["shipping_paid"]) == ("Please mark as gift", 14.5)
    assert renee["order_date"] == "2026-11-27T08:00:00+00:00"  # Nov-27-26 in the seller's zone
    # The address is on the summary row, the items on the rows below it.
    assert ship_to(jose) == (
        "José Núñez",
        "",
        "1234 SW 8th St",
        "Apt 5",
        "Miami",
        "FL",
        "33135-1234",
        "US",
        "(305) 555-0123",
    )
    assert items(jose) == [
        (
            "STRAP-20-BLK",
            "Leather Watch Strap 20mm Quick Release",
            2,
            18.99,
            [["Color", "Black"], ["Buckle", "Silver"]],
        ),
        ("TOOL-KIT-13", "Watch Repair Tool Kit, 13 pieces", 1, 19.99, []),
    ]
    assert (jose["shipping_paid"], jose["requested_service"]) == (6.0, "USPS Ground Advantage")
    assert ship_to(mary_kate)[0] == "Mary-Kate O'Neil"
    # eBay's "Item Location" is the town the listing ships from, not a shelf to pick from.
    assert all("warehouse_location" not in item for order in orders.values() for item in order["items"])
    for order in (renee, jose, mary_kate):
        assert (order["status"], order["hold_reason"]) == ("awaiting_shipment", "")
    assert hank["status"] == "shipped"  # it has a Shipped On Date


def test_a_squarespace_orders_file_keeps_every_line_item_and_the_private_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said, orders = import_export("squarespace_orders.csv", tmp_path, capsys, "America/New_York")

    assert said == [
        "Imported 3 orders from squarespace_orders.csv into CSV import: 3 new.",
        "Read 4 lines.",
        "In the store, 1 order is shipped already, so it is not in the packing queue.",
    ]
    amelie, lukasz, noor = orders["00412"], orders["00413"], orders["00409"]
    assert ship_to(amelie) == (
        "Amélie Poulain",
        "",
        "123 Rue Sainte-Catherine O",
        "App. 4",
        "Montréal",
        "QC",
        "H3B 1A7",
        "CA",
        "+1 514-555-0199",
    )
    assert items(amelie) == [
        ("SQ4481520", "Hand-thrown Mug", 2, 28.0, [["Glaze", "Celadon"]]),
        ("SQ4481533", "Stoneware Bowl, Large", 1, 28.0, [["Glaze", "Celadon"], ["Size", "Large"]]),
    ]
    assert (amelie["order_date"], amelie["currency"]) == ("2026-11-27T21:05:09+00:00", "CAD")
    assert amelie["internal_notes"] == "Wrap the mugs separately"
    assert ship_to(lukasz) == (
        "Łukasz Wróbel",
        "",
        "55 Water St",
        "Apt 9F",
        "Brooklyn",
        "NY",
        "11201",
        "US",
        "718-555-0142",
    )
    assert items(lukasz) == [("SQ4481601", "Wool Throw Blanket", 1, 45.0, [["Color", "Oatmeal"]])]
    assert [order["status"] for order in (amelie, lukasz, noor)] == [
        "awaiting_shipment",
        "awaiting_shipment",
        "shipped",
    ]


def test_an_amazon_unshipped_orders_report_packs_what_is_left_to_ship(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said, orders = import_export("amazon_unshipped_orders.txt", tmp_path, capsys, "America/Los_Angeles")

    assert said == ["Imported 3 orders from amazon_unshipped_orders.txt into CSV import: 3 new.", "Read 5 lines."]
    jose, genevieve, siobhan = (
        orders["113-4567890-1234567"],
        orders["701-2345678-9012345"],
        orders["114-9876543-2109876"],
    )
    assert ship_to(jose) == (
        "José Martínez",
        "",
        "1200 Market St",
        "Apt 4B",
        "San Francisco",
        "CA",
        "94102-4801",
        "US",
        "+1 415-555-0134 ext. 12345",
    )
    assert items(jose) == [
        ("CBL-USBC-2M", "USB-C Cable 6.6 ft (2 m), Braided Nylon, 100W", 2, 0.0, []),
        ("CHG-65W", '65W GaN Charger with 12" Cable', 1, 0.0, []),
    ]
    assert (jose["order_date"], jose["requested_service"]) == ("2026-11-27T18:22:45+00:00", "Standard")
    assert ship_to(genevieve)[2:8] == ("1250 boul. René-Lévesque O", "Bureau 2200", "Montréal", "QC", "H3B 4W8", "CA")
    # A product name that starts with a quote is only text in a file that never quotes.
    assert items(genevieve) == [
        ("LAMP-LED-DESK", "LED Desk Lamp, Dimmable", 1, 0.0, []),
        ("MUG-DAD-11", '"Best Dad Ever" Coffee Mug, 11 oz', 2, 0.0, []),
    ]
    # 3 bought, 1 shipped already: 2 to pack.
    assert items(siobhan) == [("BATT-AA-24", "AA Batteries, 24 Count", 2, 0.0, [])]
    assert all((order["status"], order["hold_reason"]) == ("awaiting_shipment", "") for order in orders.values())


# ----------------------------------------------------------------------------- the rules behind them, one at a time


def parse(text: str) -> CsvOrders:
    return parse_orders_csv(text.encode(), file_name="orders.csv", store="Shop", zone=ZoneInfo("America/New_York"))


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("11/28/26", datetime(2026, 11, 28, 5, tzinfo=UTC)),  # Etsy
        ("Nov-28-26", datetime(2026, 11, 28, 5, tzinfo=UTC)),  # eBay
        ("Nov-28-2026 14:05:00", datetime(2026, 11, 28, 19, 5, tzinfo=UTC)),
        ("Nov-28-26 14:05:00 PST", datetime(2026, 11, 28, 22, 5, tzinfo=UTC)),  # its own zone, not the shop's
        ('"Nov 28, 2026"', datetime(2026, 11, 28, 5, tzinfo=UTC)),
        ("28-Nov-2026 9:30 PM", datetime(2026, 11, 29, 2, 30, tzinfo=UTC)),
    ],
)
def test_dates_as_marketplaces_write_them(written: str, utc: datetime) -> None:
    (order,) = parse(f"Order #,Order Date,SKU,Quantity\n1,{written},A,1\n").orders
    assert order.order_date == utc


def test_a_month_name_that_is_not_one_is_not_a_date() -> None:
    parsed = parse("Order #,Order Date,SKU,Quantity\n1,Mayo-28-26,A,1\n")
    assert [problem.reason for problem in parsed.skipped] == [
        "order date 'Mayo-28-26' is not a date (use YYYY-MM-DD HH:MM or MM/DD/YYYY)"
    ]


@pytest.mark.parametrize(
    ("country", "code"),
    [
        ("Korea, South", "KR"),
        ("Viet Nam", "VN"),
        ("Côte d’Ivoire", "CI"),
        ("Trinidad & Tobago", "TT"),
        ("Türkiye", "TR"),
        ("UK", "GB"),  # as British sheets write it: a name, not a code
    ],
)
def test_country_names_become_codes(country: str, code: str) -> None:
    (order,) = parse(f'Order #,Recipient,Address 1,City,Country,SKU,Quantity\n1,A,1 Rd,X,"{country}",A,1\n').orders
    assert order.ship_to.country == code


@pytest.mark.parametrize(
    ("written", "options"),
    [
        ("size=Large, color=Blue", [("size", "Large"), ("color", "Blue")]),  # WooCommerce item meta
        ("Blue, Large", [("Option", "Blue, Large")]),  # values only: kept as one
        ("Engraving:Ann, Bo & Cy", [("Engraving", "Ann, Bo & Cy")]),
    ],
)
def test_variations_with_commas_keep_each_value_whole(written: str, options: list[tuple[str, str]]) -> None:
    (order,) = parse(f'Order #,SKU,Quantity,Options\n1,A,1,"{written}"\n').orders
    assert [(option.name, option.value) for option in order.items[0].options] == options


def test_title_lines_above_the_headings_are_left_out_and_said_so() -> None:
    parsed = parse("Orders report\nfrom 11/01/2026 to 11/30/2026\n,,,\nOrder #,Recipient,SKU,Quantity\n7,Ann,A,1\n")
    assert [(order.order_number, order.ship_to.name) for order in parsed.orders] == [("7", "Ann")]
    assert parsed.notices == [
        "Lines 1–2 above the headings are not orders and were left out: 'Orders report'; 'from 11/01/2026 to 11/30/2026'"
    ]
    assert parsed.skipped == []


def test_a_file_without_the_columns_an_order_needs_says_which_headings_to_write() -> None:
    with pytest.raises(CsvFileError) as raised:
        parse("Order #,Product,Amount\n1,Mug,2\n")
    assert str(raised.value) == (
        "orders.csv is not a shipdesk order CSV: its heading line has no Quantity column (it has: Order #, Product,"
        " Amount); write 'Quantity' as the heading of the column that holds it"
    )


def test_a_row_without_an_item_that_does_not_add_up_to_the_order_is_still_skipped_and_holds_the_order(
    cache: Cache, tmp_path: Path
) -> None:
    """Only a row that sums up the items below it is an order's summary: a forgotten item name is not one."""
    path = tmp_path / "orders.csv"
    path.write_text(
        "Order #,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Unit Price\n"
        "5,Ann,1 Rd,Austin,78701,US,A,Apple,2,1.00\n"
        "5,Ann,1 Rd,Austin,78701,US,,,3,4.00\n",
        encoding="utf-8",
    )
    report = import_csv(cache, path)
    assert report.summary_lines()[1:] == [
        "Read 2 lines; 1 skipped.",
        "Order 5 kept on hold: line 3 of the file was skipped, so an item may be missing.",
        "Line 3 skipped: it has no item name or SKU.",
    ]


def test_a_short_line_after_the_orders_that_is_not_ebays_footer_is_left_out_and_said_so() -> None:
    parsed = parse("Order #,Recipient,SKU,Quantity,Unit Price\n7,Ann,A,1,2.00\n\nPrinted by Jo,27/11/2026\n")
    assert [order.order_number for order in parsed.orders] == ["7"]
    assert parsed.skipped == []
    assert parsed.notices == ["Line 4 after the headings is not an order and was left out: 'Printed by Jo 27/11/2026'"]


def test_lines_amazon_has_shipped_already_are_not_packed(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "unshipped.txt"
    path.write_text(
        "order-id\tsku\tproduct-name\tquantity-purchased\tquantity-shipped\tquantity-to-ship\trecipient-name"
        "\tship-address-1\tship-city\tship-state\tship-postal-code\tship-country\n"
        "111-1\tA\tApple\t2\t2\t0\tAnn Lee\t1 Main St\tAustin\tTX\t78701\tUS\n"
        "111-1\tB\tBean\t1\t0\t1\tAnn Lee\t1 Main St\tAustin\tTX\t78701\tUS\n"
        "222-2\tC\tCorn\t1\t1\t0\tBo Li\t2 Elm St\tDallas\tTX\t75201\tUS\n",
        encoding="utf-8",
    )
    report = import_csv(cache, path)
    assert report.summary_lines() == [
        "Imported 1 order from unshipped.txt into CSV import: 1 new.",
        "Read 3 lines.",
        "Line 4: nothing is left to ship on it (quantity to ship is 0).",
        "Columns not used: quantity-purchased, quantity-shipped.",
    ]
    (ann,) = (stored.order for stored in load_orders(cache, OrderQuery()))
    assert [(item.sku, item.quantity) for item in ann.items] == [("B", 1)]
    assert (ann.status, ann.hold_reason) == (OrderStatus.AWAITING_SHIPMENT, "")


def test_a_tab_separated_file_that_quotes_like_excel_is_still_read_as_quoted() -> None:
    (order,) = parse('Order #\tItem Name\tQuantity\tNotes\n1\t"Mug ""Big"""\t2\t"Leave at\nthe door"\n').orders
    assert (order.items[0].name, order.customer_notes) == ('Mug "Big"', "Leave at\nthe door")


@pytest.mark.parametrize(
    ("heading", "value", "status", "reason"),
    [
        ("Order Status", "Cancelled", OrderStatus.CANCELLED, ""),
        ("Order Status", "Refunded", OrderStatus.CANCELLED, ""),
        ("Status", "wc-completed", OrderStatus.SHIPPED, ""),
        ("Order Status", "Pending payment", OrderStatus.AWAITING_PAYMENT, ""),
        ("Order Status", "On hold", OrderStatus.ON_HOLD, "on hold in the store"),
        (
            "Fulfillment Status",
            "partial",
            OrderStatus.ON_HOLD,
            "partly shipped already: check which items are left to pack",
        ),
        ("Order Status", "Processing", OrderStatus.AWAITING_SHIPMENT, ""),
        ("Fulfillment Status", "PENDING", OrderStatus.AWAITING_SHIPMENT, ""),  # Squarespace's: not yet shipped
        ("Cancelled at", "2026-11-20 10:00:00 -0500", OrderStatus.CANCELLED, ""),
        ("Date Shipped", "11/21/26", OrderStatus.SHIPPED, ""),
    ],
)
def test_the_stores_status_decides_whether_an_order_is_packed(
    cache: Cache, tmp_path: Path, heading: str, value: str, status: OrderStatus, reason: str
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        f"Order #,Recipient,Address 1,City,Postal Code,Country,SKU,Quantity,{heading}\n"
        f"1,Ann,1 Rd,Paris,75001,FR,A,1,{value}\n"
    )
    import_csv(cache, path)
    (stored,) = load_orders(cache, OrderQuery())
    assert (stored.order.status, stored.order.hold_reason) == (status, reason)


def test_the_import_says_how_many_orders_the_store_has_shipped_cancelled_or_not_been_paid_for(
    cache: Cache, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    rows = ["Completed", "Completed", "Cancelled", "Pending payment", "Processing"]
    path.write_text(
        "Order #,Recipient,Address 1,City,Postal Code,Country,SKU,Quantity,Order Status\n"
        + "".join(f"{number},Ann,1 Rd,Paris,75001,FR,A,1,{status}\n" for number, status in enumerate(rows, 1))
    )
    lines = import_csv(cache, path).summary_lines()
    assert lines[2] == (
        "In the store, 2 orders are shipped already, 1 is cancelled and 1 is awaiting payment,"
        " so they are not in the packing queue."
    )


@pytest.mark.parametrize("quantity", ["", "3"])
def test_an_orders_summary_row_above_its_items_gives_the_address_and_is_no_item(quantity: str) -> None:
    parsed = parse(
        "Order Number,Ship To Name,Ship To Address 1,Ship To City,Ship To Zip,Ship To Country,Item Title,Quantity,"
        "Sold For,Shipping And Handling\n"
        f"12-1,José Núñez,1234 SW 8th St,Miami,33135,United States,,{quantity},$57.97,$6.00\n"
        "12-1,,,,,,Watch strap,2,$18.99,\n"
        "12-1,,,,,,Tool kit,1,$19.99,\n"
    )
    (order,) = parsed.orders
    assert (parsed.skipped, parsed.ship_to_differences, parsed.remarks) == ([], [], [])
    assert [(item.name, item.quantity) for item in order.items] == [("Watch strap", 2), ("Tool kit", 1)]
    assert order.ship_to.lines() == ["José Núñez", "1234 SW 8th St", "Miami 33135", "US"]
    assert order.shipping_paid == Decimal("6.00")


def test_an_ebay_sale_not_paid_for_yet_has_no_order_number_and_holds_no_other_order(
    cache: Cache, tmp_path: Path
) -> None:
    path = tmp_path / "ebay.csv"
    path.write_text(
        "Sales Record Number,Order Number,Ship To Name,Ship To Address 1,Ship To City,Ship To Zip,Ship To Country,"
        "Item Title,Quantity,Sold For,Paid On Date\n"
        "1201,04-1111-2222,Ann Lee,1 Main St,Austin,78701,United States,Brass compass,1,$39.99,Nov-27-26\n"
        "1202,,,,,,,Walnut stand,1,$24.50,\n",
        encoding="utf-8",
    )
    report = import_csv(cache, path)
    assert report.summary_lines()[:3] == [
        "Imported 1 order from ebay.csv into CSV import: 1 new.",
        "Read 2 lines.",
        "Line 3: it has no order number and is not paid yet, so it is not imported.",
    ]
    assert report.on_hold == ()


def test_etsys_orders_file_without_items_says_to_download_the_order_items_file() -> None:
    with pytest.raises(CsvFileError) as raised:
        parse(
            "Sale Date,Order ID,Buyer User ID,Full Name,First Name,Last Name,Number of Items,Payment Method,"
            "Date Shipped,Street 1,Street 2,Ship City,Ship State,Ship Zipcode,Ship Country,Currency,Order Value\n"
            "11/27/26,3312456789,sofiag88,Sofía García,Sofía,García,3,Credit card,,742 Evergreen Terrace,Apt 3B,"
            "Springfield,OR,97477,United States,USD,60.00\n"
        )
    assert str(raised.value) == (
        "orders.csv lists orders without their items: download Etsy's Order Items CSV instead of its Orders CSV"
    )
