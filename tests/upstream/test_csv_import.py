"""Importing a CSV into the cache: one transaction, updates instead of duplicates, held orders with their reason."""

from __future__ import annotations

import sqlite3
from datetime import UTC
from pathlib import Path

import pytest

from shipdesk.cache import Cache, CacheError
from shipdesk.cache.orders import OrderQuery, count_orders, find_by_number, load_orders
from shipdesk.cache.shipments import record_shipment
from shipdesk.domain import OrderStatus, Shipment, utc_now
from shipdesk.upstream.csv_import import import_csv
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
    assert again.summary_lines()[0] == "Imported 2 orders from orders.csv: 1 new, 1 updated."
    assert count_orders(cache) == 2
    (ana,) = find_by_number(cache, "1")
    assert ana.order.ship_to.name == "Ana Lima"
    assert ana.order.items[0].quantity == 3


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
    assert report.kept_unchanged == 1
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
        "Order #,Recipient,Address 1,City,Country,Email,Phone,SKU,Quantity\n"
        "7,Ann,1 Main St,Austin,US,,,A,1\n"
        "7,,,,,ann@example.com,+1 512 555 0100,B,2\n",
        encoding="utf-8",
    )

    report = import_csv(cache, path)

    assert report.ship_to_differences == ()
    (ann,) = find_by_number(cache, "7")
    assert ann.order.status is OrderStatus.AWAITING_SHIPMENT
    assert (ann.order.customer_email, ann.order.ship_to.phone) == ("ann@example.com", "+1 512 555 0100")
