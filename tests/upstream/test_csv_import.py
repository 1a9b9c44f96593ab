"""Importing a CSV into the cache: one transaction, updates instead of duplicates, held orders with their reason."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shipdesk.cache import Cache, CacheError
from shipdesk.cache.orders import OrderQuery, count_orders, fetch_rows, find_by_number, list_order_ids, load_orders
from shipdesk.cache.shipments import record_shipment
from shipdesk.domain import OrderStatus, Shipment, utc_now
from shipdesk.upstream import csv_processes
from shipdesk.upstream.csv_import import ImportReport, import_csv
from shipdesk.upstream.csvfile import CsvFileError

HEADING = "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Unit Price,Requires Shipping\n"


def write_csv(tmp_path: Path, rows: str, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADING + rows, encoding="utf-8")
    return path


def statuses(cache: Cache) -> dict[str, tuple[OrderStatus, str]]:
    return {
        stored.order.order_number: (stored.order.status, stored.order.hold_reason)
        for stored in load_orders(cache, OrderQuery())
    }


def test_importing_the_same_order_again_updates_it_and_never_duplicates_it(cache: Cache, tmp_path: Path) -> None:
    first = import_csv(cache, write_csv(tmp_path, "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n"))
    assert (first.inserted, first.updated) == (1, 0)
    again = import_csv(
        cache,
        write_csv(
            tmp_path,
            "1,2026-11-20 09:00,Ana Lima,Rua 1,Lisboa,1100,PT,A,Apple,3,1.00,yes\n"
            "2,2026-11-20 10:00,Rui,Rua 2,Porto,4000,PT,B,Bean,1,1.00,yes\n",
        ),
    )
    assert (again.inserted, again.updated) == (1, 1)
    assert again.summary_lines()[0] == "Imported 2 orders from orders.csv into CSV import: 1 new, 1 updated."
    assert count_orders(cache) == 2
    (ana,) = find_by_number(cache, "1")
    assert ana.order.ship_to.name == "Ana Lima"
    assert ana.order.items[0].quantity == 3


def test_importing_the_same_file_again_says_its_orders_are_unchanged(cache: Cache, tmp_path: Path) -> None:
    rows = (
        "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n"
        "2,2026-11-20 10:00,Rui,Rua 2,Porto,4000,PT,B,Bean,1,1.00,yes\n"
    )
    import_csv(cache, write_csv(tmp_path, rows))

    again = import_csv(cache, write_csv(tmp_path, rows))

    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert again.summary_lines()[0] == "Imported 2 orders from orders.csv into CSV import: 2 unchanged."


NO_DATES = "Order #,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity\n"


def import_at(cache: Cache, path: Path, moment: datetime, monkeypatch: pytest.MonkeyPatch) -> ImportReport:
    """The file imported as if at `moment`: the date of its orders that have none."""
    monkeypatch.setattr(csv_processes, "import_time_now", lambda: moment)
    return import_csv(cache, path, zone=UTC)


def test_a_file_without_order_dates_imported_again_leaves_its_orders_unchanged(
    cache: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A hand-made sheet needs no date column: its orders are dated when first imported, and keep that date.
    path = tmp_path / "orders.csv"
    path.write_text(NO_DATES + "1,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1\n2,Rui,Rua 2,Porto,4000,PT,B,Bean,2\n")
    first = datetime(2026, 11, 20, 9, tzinfo=UTC)
    import_at(cache, path, first, monkeypatch)

    again = import_at(cache, path, first + timedelta(hours=2), monkeypatch)

    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert [stored.order.order_date for stored in load_orders(cache, OrderQuery())] == [first, first]


def test_an_order_whose_date_is_left_out_later_keeps_its_date_and_takes_the_rest(
    cache: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_csv(cache, write_csv(tmp_path, "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n"), zone=UTC)
    path = tmp_path / "corrected.csv"
    path.write_text(NO_DATES + "1,Ana Lima,Rua 1,Lisboa,1100,PT,A,Apple,3\n2,Rui,Rua 2,Porto,4000,PT,B,Bean,2\n")
    today = datetime(2026, 11, 23, 15, tzinfo=UTC)

    again = import_at(cache, path, today, monkeypatch)

    assert (again.inserted, again.updated) == (1, 1)
    (ana,) = find_by_number(cache, "1")
    assert (ana.order.order_date, ana.order.ship_to.name, ana.order.items[0].quantity) == (
        datetime(2026, 11, 20, 9, tzinfo=UTC),
        "Ana Lima",
        3,
    )
    (rui,) = find_by_number(cache, "2")
    assert rui.order.order_date == today
    listed = {
        row.order_number: row.order_date for row in fetch_rows(cache, list_order_ids(cache, OrderQuery())).values()
    }
    assert listed == {"1": datetime(2026, 11, 20, 9, tzinfo=UTC), "2": today}  # the queue sorts by these


def test_a_file_imported_into_a_named_store_files_its_orders_there_and_says_so(cache: Cache, tmp_path: Path) -> None:
    report = import_csv(
        cache, write_csv(tmp_path, "E-1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n"), store="Etsy"
    )

    assert report.summary_lines()[0] == "Imported 1 order from orders.csv into Etsy: 1 new."
    assert [stored.order.store for stored in find_by_number(cache, "E-1")] == ["Etsy"]


def test_orders_that_cannot_be_packed_are_kept_on_hold_with_the_reason(cache: Cache, tmp_path: Path) -> None:
    report = import_csv(
        cache,
        write_csv(
            tmp_path,
            "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n"
            "2,2026-11-20 09:00,,,,,,B,Bean,1,1.00,yes\n"
            "3,2026-11-20 09:00,Rui,Rua 2,Porto,4000,PT,GIFT-CARD,Gift card,1,25.00,no\n",
        ),
    )
    held = statuses(cache)
    assert held["1"] == (OrderStatus.AWAITING_SHIPMENT, "")
    assert held["2"] == (OrderStatus.ON_HOLD, "no ship-to address")
    assert held["3"][0] is OrderStatus.ON_HOLD
    assert "no item that needs shipping" in held["3"][1]
    lines = report.summary_lines()
    assert "Order 2 kept on hold: no ship-to address." in lines
    assert any(line.startswith("Order 3 kept on hold: ") for line in lines)


def test_an_order_that_lost_a_row_is_held_so_it_is_not_shipped_short(cache: Cache, tmp_path: Path) -> None:
    report = import_csv(
        cache,
        write_csv(
            tmp_path,
            "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n"
            "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,B,Bean,lots,1.00,yes\n"
            "2,2026-11-20 09:00,Rui,Rua 2,Porto,4000,PT,C,Corn,1,1.00,yes\n",
        ),
    )
    assert statuses(cache)["1"] == (
        OrderStatus.ON_HOLD,
        "line 3 of the file was skipped, so an item may be missing",
    )
    assert statuses(cache)["2"][0] is OrderStatus.AWAITING_SHIPMENT
    assert "Line 3 skipped: quantity 'lots' is not a whole number." in report.summary_lines()


@pytest.mark.parametrize(
    "lost_row",
    [
        ",2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,B,Bean,2,1.00,yes\n",  # its order number left out
        '1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,B,"Bean" dried,2,1.00,yes\n',  # a quote it cannot be read past
    ],
)
def test_an_order_followed_by_a_row_that_cannot_be_placed_is_held_as_it_may_be_short(
    cache: Cache, tmp_path: Path, lost_row: str
) -> None:
    rows = "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n" + lost_row
    rows += "2,2026-11-20 10:00,Rui,Rua 2,Porto,4000,PT,C,Cherry,1,1.00,yes\n"

    import_csv(cache, write_csv(tmp_path, rows))

    assert statuses(cache) == {
        "1": (OrderStatus.ON_HOLD, "line 3 of the file was skipped, so an item may be missing"),
        "2": (OrderStatus.AWAITING_SHIPMENT, ""),
    }


def test_a_shipped_order_is_not_put_back_in_the_queue_by_a_later_import(cache: Cache, tmp_path: Path) -> None:
    row = "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n"
    import_csv(cache, write_csv(tmp_path, row))
    (ana,) = find_by_number(cache, "1")
    record_shipment(
        cache, ana.id, Shipment(carrier="UPS", service="Ground", tracking_number="1Z999", shipped_at=utc_now())
    )
    report = import_csv(cache, write_csv(tmp_path, row))
    assert report.kept_final == 1
    assert statuses(cache)["1"][0] is OrderStatus.SHIPPED


def test_a_file_that_cannot_be_read_leaves_the_cache_untouched(cache: Cache, tmp_path: Path) -> None:
    import_csv(cache, write_csv(tmp_path, "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n"))
    before = statuses(cache)
    not_csv = tmp_path / "label.pdf"
    not_csv.write_bytes(b"%PDF-1.4\n1 0 obj\n")
    with pytest.raises(CsvFileError, match=r"label\.pdf is not a CSV file"):
        import_csv(cache, not_csv)
    assert statuses(cache) == before


def test_a_write_that_fails_halfway_leaves_the_cache_as_it_was(cache: Cache, tmp_path: Path) -> None:
    import_csv(cache, write_csv(tmp_path, "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n"))
    before = {stored.order.order_number: stored.order for stored in load_orders(cache, OrderQuery())}
    # The database refuses order 150 after the update of order 1 and 148 inserts already went in.
    cache.conn.execute(
        "CREATE TRIGGER refuse_150 BEFORE INSERT ON orders WHEN NEW.order_number = '150' "
        "BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END"
    )
    rows = "".join(f"{n},2026-11-20 09:00,Ana,Rua {n},Lisboa,1100,PT,A,Apple,2,1.00,yes\n" for n in range(1, 301))
    with pytest.raises(sqlite3.Error):
        import_csv(cache, write_csv(tmp_path, rows))
    after = {stored.order.order_number: stored.order for stored in load_orders(cache, OrderQuery())}
    assert after == before


def test_a_locked_cache_fails_with_a_message_and_writes_nothing(cache: Cache, tmp_path: Path) -> None:
    other = sqlite3.connect(cache.path, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        cache.conn.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(CacheError, match=r"nothing was imported from orders\.csv"):
            import_csv(cache, write_csv(tmp_path, "1,2026-11-20 09:00,Ana,Rua 1,Lisboa,1100,PT,A,Apple,1,1.00,yes\n"))
    finally:
        other.rollback()
        other.close()
    assert count_orders(cache) == 0


def test_the_demo_data_set_imports_whole_and_varied(cache: Cache) -> None:
    from shipdesk.resources import resource_path

    report = import_csv(cache, resource_path("demo-orders.csv"), store="Demo store", zone=UTC)
    assert report.skipped == ()
    assert report.orders_read >= 200
    orders = [stored.order for stored in load_orders(cache, OrderQuery())]
    names = {order.ship_to.name for order in orders}
    assert {"Zoë Ørsted", "José Núñez", "Łukasz Żółw"} <= names
    assert sum(order.ship_to.country not in ("US", "") for order in orders) >= 20
    assert sum(len(order.items) > 1 for order in orders) >= 20
    assert sum(order.gift for order in orders) >= 5
    assert sum(bool(order.customer_notes) for order in orders) >= 10
    assert any(order.status is OrderStatus.ON_HOLD for order in orders)


def test_an_order_whose_rows_give_two_ship_to_addresses_is_held_until_someone_checks(
    cache: Cache, tmp_path: Path
) -> None:
    rows = "1,2026-11-20 09:00,Ann,1 Main St,Austin,78701,US,A,Mug,1,1.00,yes\n"
    rows += "1,2026-11-20 09:00,Bob,2 Elm St,Boston,02108,US,B,Cap,1,1.00,yes\n"

    report = import_csv(cache, write_csv(tmp_path, rows))

    assert statuses(cache) == {"1": (OrderStatus.ON_HOLD, "line 3 of the file gives it another ship-to address")}
    assert (
        "Line 3: its ship-to differs from line 2 of order 1; the address on line 2 is kept, and the order is held "
        "until someone checks."
    ) in report.summary_lines()
    (ann,) = find_by_number(cache, "1")
    assert ann.order.ship_to.name == "Ann" and len(ann.order.items) == 2


def test_later_rows_that_repeat_only_a_contact_add_it_without_a_warning(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "shop.csv"
    path.write_text(
        "Order #,Recipient,Address 1,City,Zip,Country,Email,Phone,SKU,Quantity\n"
        "7,Ann,1 Main St,Austin,78701,US,,,A,1\n"
        "7,,,,,,ann@example.com,+1 512 555 0100,B,2\n",
        encoding="utf-8",
    )

    report = import_csv(cache, path)

    assert report.ship_to_differences == ()
    (ann,) = find_by_number(cache, "7")
    assert ann.order.status is OrderStatus.AWAITING_SHIPMENT
    assert (ann.order.customer_email, ann.order.ship_to.phone) == ("ann@example.com", "+1 512 555 0100")


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        (",1 Main St,Austin,78701,US", "no ship-to name"),
        ("Ann,1 Main St,,78701,US", "no ship-to city"),
        ("Ann,,Austin,78701,US", "no ship-to street"),
        ("Ann,1 Main St,Austin,78701,", "no ship-to country"),
        (",1 Main St,,78701,US", "no ship-to name or city"),
        ("Ann,,,,US", "no ship-to street, city or ZIP code"),
        ("Ann,,,,", "no ship-to address"),
        (",,,,", "no ship-to address"),
    ],
)
def test_an_order_held_for_its_address_says_what_the_address_lacks(
    cache: Cache, tmp_path: Path, address: str, reason: str
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(f"Order #,Recipient,Address 1,City,Zip,Country,SKU,Quantity\n1,{address},A,1\n", encoding="utf-8")

    report = import_csv(cache, path)

    assert statuses(cache) == {"1": (OrderStatus.ON_HOLD, reason)}
    assert f"Order 1 kept on hold: {reason}." in report.summary_lines()


@pytest.mark.parametrize(
    ("country", "held"),
    [
        ("US", (OrderStatus.ON_HOLD, "no ship-to ZIP code")),
        ("United States", (OrderStatus.ON_HOLD, "no ship-to ZIP code")),
        ("CA", (OrderStatus.ON_HOLD, "no ship-to postal code")),
        ("GB", (OrderStatus.ON_HOLD, "no ship-to postal code")),
        ("UK", (OrderStatus.ON_HOLD, "no ship-to postal code")),  # GB by another name
        ("DE", (OrderStatus.ON_HOLD, "no ship-to postal code")),
        ("AU", (OrderStatus.ON_HOLD, "no ship-to postal code")),
        ("IE", (OrderStatus.AWAITING_SHIPMENT, "")),  # many Irish addresses have no Eircode
        ("HK", (OrderStatus.AWAITING_SHIPMENT, "")),  # Hong Kong has no postal codes
    ],
)
def test_an_order_without_a_postal_code_where_a_label_needs_one_is_held(
    cache: Cache, tmp_path: Path, country: str, held: tuple[OrderStatus, str]
) -> None:
    import_csv(
        cache, write_csv(tmp_path, f"1,2026-11-20 09:00,Ann,1 Main St,Springfield,,{country},A,Mug,1,1.00,yes\n")
    )
    assert statuses(cache) == {"1": held}


def test_an_order_with_nothing_to_ship_is_held_for_that_even_without_a_zip_code(cache: Cache, tmp_path: Path) -> None:
    import_csv(cache, write_csv(tmp_path, "1,2026-11-20 09:00,Ann,1 Main St,Austin,,US,E,E-book,1,9.00,no\n"))
    assert statuses(cache) == {"1": (OrderStatus.ON_HOLD, "no item that needs shipping")}


def test_rows_kept_with_a_value_left_out_are_reported_together_and_not_held(cache: Cache, tmp_path: Path) -> None:
    # A Weight column written without units, as a shop exported it: eight rows share one remark.
    rows = "".join(f"{n},Ann,1 Main St,Austin,78701,US,MUG,1,12,\n" for n in range(1, 9))
    rows += "9,Bo,2 Elm St,Austin,78701,US,CAP,1,,x\n"
    path = tmp_path / "orders.csv"
    path.write_text("Order #,Recipient,Address 1,City,Zip,Country,SKU,Quantity,Weight,Gift\n" + rows, encoding="utf-8")

    report = import_csv(cache, path)

    assert report.orders_read == 9 and report.skipped == ()
    assert set(statuses(cache).values()) == {(OrderStatus.AWAITING_SHIPMENT, "")}
    assert report.summary_lines() == [
        "Imported 9 orders from orders.csv into CSV import: 9 new.",
        "Read 9 lines.",
        "Lines 2, 3, 4, 5, 6 and 3 more: weight '12' has no unit (write e.g. '12 oz' or add a Weight Unit column),"
        " so the item is imported without a weight.",
        "Line 10: gift 'x' is not yes or no, so the order is taken as not a gift.",
    ]


def test_the_report_names_the_lines_read_in_another_encoding(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(
        (HEADING + "1,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,A,Mug,1,1.00,yes\n").encode()
        + "2,2026-11-20 09:00,Renée Müller,Hauptstraße 1,Köln,50667,DE,A,Mug,1,1.00,yes\n".encode("cp1252")
    )

    report = import_csv(cache, path)

    names = {stored.order.ship_to.name for stored in load_orders(cache, OrderQuery())}
    assert names == {"Zoë Ørsted", "Renée Müller"}
    assert report.summary_lines()[2:] == [
        "Line 3: not UTF-8 like the rest of the file, so read as Windows-1252: check the accents."
    ]


def test_the_report_says_once_that_a_whole_file_was_read_as_windows_1252(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    rows = "".join(f"{n},2026-11-20 09:00,Renée,Rue {n},Paris,75004,FR,A,Crème,1,1.00,yes\n" for n in range(1, 4))
    path.write_bytes((HEADING + rows).encode("cp1252"))

    report = import_csv(cache, path)

    assert {stored.order.ship_to.name for stored in load_orders(cache, OrderQuery())} == {"Renée"}
    assert report.summary_lines()[1:] == [
        "Read 3 lines.",
        "excel.csv is not UTF-8 text: it was read as Windows-1252 (as Excel saves it); check that accented names"
        " look right.",
    ]
