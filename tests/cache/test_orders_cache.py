"""The cache keeps orders in a real SQLite file: upserts, migrations, search and the outbox."""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from shipdesk.cache import Cache, CacheError, open_cache
from shipdesk.cache.label_pdfs import label_pdf
from shipdesk.cache.order_json import order_to_json
from shipdesk.cache.orders import (
    OrderQuery,
    UpsertCounts,
    find_by_number,
    get_order,
    list_order_ids,
    load_orders,
    order_rows,
    shipping_texts,
    stores,
    upsert_order_rows,
    upsert_orders,
)
from shipdesk.cache.schema import MIGRATIONS
from shipdesk.cache.shipments import (
    confirm_outbox,
    latest_shipment,
    note_outbox_failure,
    outbox_count,
    pending_outbox,
    record_bought_label,
    record_shipment,
)
from shipdesk.domain import Address, Item, ItemOption, Order, OrderStatus, Shipment, Weight, WeightUnit

START = datetime(2026, 11, 1, 9, tzinfo=UTC)


def make_order(number: str, name: str = "Ada Lovelace", *, store: str = "shop", **changes: object) -> Order:
    fields: dict[str, object] = {
        "store": store,
        "upstream_id": number,
        "order_number": number,
        "order_date": START + timedelta(hours=int(number) % 1000),
        "customer_email": f"{name.split()[0].lower()}@example.com",
        "ship_to": Address(name=name, street1="1 Main St", city="Springfield", postal_code="12345", country="US"),
        "items": (
            Item(
                sku="MUG-BLU",
                name="Blue enamel mug",
                quantity=2,
                unit_price=Decimal("12.50"),
                weight=Weight(Decimal(10), WeightUnit.OUNCE),
                options=(ItemOption("Colour", "Blue"),),
                warehouse_location="A-03-2",
            ),
        ),
        "order_total": Decimal("25.00"),
    }
    fields.update(changes)
    return Order(**fields)  # type: ignore[arg-type]


def upsert(cache: Cache, *orders: Order) -> None:
    with cache.transaction() as conn:
        upsert_orders(conn, orders)


def test_an_order_comes_back_exactly_as_it_was_stored(cache: Cache) -> None:
    original = make_order(
        "1001", "Zoë Ørsted", gift=True, gift_message="Happy birthday!", customer_notes="Leave at door"
    )
    upsert(cache, original)
    (stored,) = find_by_number(cache, "1001")
    assert stored.order == original


def test_the_shipping_an_order_asks_for_is_read_without_building_the_order(cache: Cache) -> None:
    assigned = make_order(
        "1001",
        requested_service="Express",
        assigned_carrier_code="fedex",
        assigned_service_code="fedex_2day",
        assigned_package_code="package",
        assigned_confirmation="delivery",
    )
    upsert(cache, assigned, make_order("1002"))
    first, second = (find_by_number(cache, number)[0].id for number in ("1001", "1002"))

    assert shipping_texts(cache, [second, 999_999, first]) == [
        ("", "", "", "", ""),
        ("Express", "fedex", "fedex_2day", "package", "delivery"),
    ]


def test_importing_the_same_order_again_updates_it_instead_of_duplicating(cache: Cache) -> None:
    upsert(cache, make_order("1001"))
    upsert(cache, make_order("1001", customer_notes="Call before delivery"))
    (stored,) = find_by_number(cache, "1001")
    assert stored.order.customer_notes == "Call before delivery"


def test_an_order_that_comes_again_exactly_as_cached_is_counted_unchanged_and_not_rewritten(cache: Cache) -> None:
    upsert(cache, make_order("1001"), make_order("1002"))
    written = dict(cache.conn.execute("SELECT order_number, updated_at FROM orders"))

    with cache.transaction() as conn:
        counts = upsert_orders(conn, [make_order("1001"), make_order("1002", customer_notes="Call first")])

    assert (counts.inserted, counts.updated, counts.unchanged) == (0, 1, 1)
    now_written = dict(cache.conn.execute("SELECT order_number, updated_at FROM orders"))
    assert now_written["1001"] == written["1001"]
    assert now_written["1002"] > written["1002"]


def upsert_dated_at_import(cache: Cache, *orders: Order) -> UpsertCounts:
    """Orders whose source gives no date, so each is dated with the time of its import."""
    with cache.transaction() as conn:
        return upsert_order_rows(conn, order_rows(orders, dated_at_import={order.upstream_id for order in orders}))


def test_an_order_dated_at_import_keeps_the_date_it_was_cached_with(cache: Cache) -> None:
    upsert_dated_at_import(cache, make_order("1001", order_date=START))
    later = START + timedelta(days=2)

    same = upsert_dated_at_import(cache, make_order("1001", order_date=later))
    changed = upsert_dated_at_import(cache, make_order("1001", order_date=later, customer_notes="Call first"))

    assert (same.unchanged, same.updated, changed.updated) == (1, 0, 1)
    (stored,) = find_by_number(cache, "1001")
    assert (stored.order.order_date, stored.order.customer_notes) == (START, "Call first")
    assert cache.conn.execute("SELECT order_date FROM orders").fetchone() == (START.isoformat(),)


def test_an_order_dated_at_import_that_is_new_takes_that_date(cache: Cache) -> None:
    upsert(cache, make_order("1001"))
    later = START + timedelta(days=2)

    counts = upsert_dated_at_import(cache, make_order("1002", order_date=later))

    assert counts.inserted == 1
    assert find_by_number(cache, "1002")[0].order.order_date == later


def test_two_stores_may_share_an_order_number(cache: Cache) -> None:
    upsert(cache, make_order("1001", store="shop"), make_order("1001", store="market"))
    assert sorted(entry.order.store for entry in find_by_number(cache, "1001")) == ["market", "shop"]


def test_a_cancelled_order_is_never_updated_again(cache: Cache) -> None:
    upsert(cache, make_order("1001", status=OrderStatus.CANCELLED))
    with cache.transaction() as conn:
        counts = upsert_orders(conn, [make_order("1001", status=OrderStatus.AWAITING_SHIPMENT)])
    assert counts.kept_final == 1
    assert find_by_number(cache, "1001")[0].order.status is OrderStatus.CANCELLED


def test_the_cache_file_is_sqlite_in_wal_mode(tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "c.sqlite")
    cache.close()
    conn = sqlite3.connect(tmp_path / "c.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_new_cache_file_has_large_pages_and_an_older_one_keeps_its_own(tmp_path: Path) -> None:
    open_cache(tmp_path / "new.sqlite").close()
    older = sqlite3.connect(tmp_path / "older.sqlite")  # a file made before 16 kB pages, with 4 kB ones
    older.execute("PRAGMA page_size=4096")
    older.execute("PRAGMA user_version=0")  # writes the file's header, page size and all
    older.close()

    reopened = open_cache(tmp_path / "older.sqlite")
    upsert(reopened, make_order("1001"))
    reopened.close()

    assert sqlite3.connect(tmp_path / "new.sqlite").execute("PRAGMA page_size").fetchone() == (16_384,)
    assert sqlite3.connect(tmp_path / "older.sqlite").execute("PRAGMA page_size").fetchone() == (4_096,)
    assert sqlite3.connect(tmp_path / "older.sqlite").execute("SELECT count(*) FROM orders").fetchone() == (1,)


def test_an_older_cache_file_is_migrated_and_keeps_its_orders(tmp_path: Path) -> None:
    old = open_cache(tmp_path / "c.sqlite", upto=1)
    assert old.schema_version == 1
    # Written as schema 1 knew it: today's upsert writes columns that came later.
    old.conn.execute(
        "INSERT INTO orders (store, upstream_id, order_number, order_date, status, ship_name, data, imported_at,"
        " updated_at) VALUES ('shop', '1001', '1001', ?, 'awaiting_shipment', ?, ?, '', '')",
        (START.isoformat(), "José Núñez", order_to_json(make_order("1001", "José Núñez"))),
    )
    old.close()

    migrated = open_cache(tmp_path / "c.sqlite")
    assert migrated.schema_version == len(MIGRATIONS)
    # search arrived with schema 2, and it covers the order stored before it existed
    assert [
        get_order(migrated, i).order.order_number for i in list_order_ids(migrated, OrderQuery(search="nunez"))
    ] == [  # type: ignore[union-attr]
        "1001"
    ]


def test_a_cache_from_a_newer_shipdesk_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "c.sqlite")
    conn.execute("PRAGMA user_version=99")
    conn.close()
    with pytest.raises(CacheError, match="newer shipdesk"):
        open_cache(tmp_path / "c.sqlite")


def test_a_file_that_is_not_a_database_is_refused_in_plain_words(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("shopping list: milk, eggs, bread and more text " * 50)
    with pytest.raises(CacheError, match="is not a shipdesk cache file"):
        open_cache(tmp_path / "notes.txt")


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("1002", ["1002"]),
        ("zoe", ["1001"]),  # without the diaeresis
        ("Ørsted", ["1001"]),
        ("lukasz zolw", ["1003"]),  # two words, both must match
        ("łuk", ["1003"]),  # a prefix
        ("jose@example", ["1002"]),
        ("MUG-RED", ["1003"]),
        ("teapot", ["1002"]),
        ("nobody", []),
        ("---", []),
    ],
)
def test_search_covers_number_names_email_sku_and_item_names(cache: Cache, search: str, expected: list[str]) -> None:
    upsert(
        cache,
        make_order("1001", "Zoë Ørsted"),
        make_order("1002", "José Núñez", items=(Item(sku="TEA-1", name="Cast iron teapot", quantity=1),)),
        make_order("1003", "Łukasz Żółw", items=(Item(sku="MUG-RED", name="Red mug", quantity=1),)),
    )
    found = [entry.order.order_number for entry in load_orders(cache, OrderQuery(search=search))]
    assert sorted(found) == expected


@pytest.mark.parametrize("name", ["Sean O'Brien", "Seán O’Brien"])
@pytest.mark.parametrize("search", ["obrien", "o'brien", "brien", "sean obri"])
def test_a_name_with_an_apostrophe_is_found_typed_with_it_or_without(cache: Cache, name: str, search: str) -> None:
    upsert(cache, make_order("1003", name), make_order("1004", "Bo Brienne"))

    found = sorted(entry.order.order_number for entry in load_orders(cache, OrderQuery(search=search)))

    assert found == (["1003", "1004"] if search == "brien" else ["1003"])


def test_an_older_cache_has_its_names_with_apostrophes_found_without_them(tmp_path: Path) -> None:
    old = open_cache(tmp_path / "c.sqlite", upto=13)
    upsert(old, make_order("1003", "Sean O'Brien"), make_order("1004", "Zoë Ørsted"))
    old.conn.execute("UPDATE orders SET search_folded = ''")  # as the upsert of that schema wrote them
    old.close()

    migrated = open_cache(tmp_path / "c.sqlite")

    assert [entry.order.order_number for entry in load_orders(migrated, OrderQuery(search="obrien"))] == ["1003"]
    migrated.close()


def test_search_follows_an_updated_order(cache: Cache) -> None:
    upsert(cache, make_order("1001", "Zoë Ørsted"))
    upsert(cache, make_order("1001", "Grace Hopper"))
    assert load_orders(cache, OrderQuery(search="zoe")) == []
    assert len(load_orders(cache, OrderQuery(search="hopper"))) == 1


def test_lists_filter_by_status_and_store_and_sort_in_sql(cache: Cache) -> None:
    upsert(
        cache,
        make_order("1003", "Carol"),
        make_order("1001", "Alice"),
        make_order("1002", "Bob", status=OrderStatus.ON_HOLD, hold_reason="no ship-to address"),
        make_order("1004", "Dan", store="market"),
    )
    numbers = lambda query: [entry.order.order_number for entry in load_orders(cache, query)]  # noqa: E731
    assert numbers(OrderQuery(sort="order_number", descending=False)) == ["1001", "1002", "1003", "1004"]
    assert numbers(OrderQuery(sort="ship_name", descending=True)) == ["1004", "1003", "1002", "1001"]
    assert numbers(OrderQuery(status=OrderStatus.ON_HOLD)) == ["1002"]
    assert numbers(OrderQuery(store="market")) == ["1004"]


def test_order_numbers_sort_as_people_count_them_not_as_text(cache: Cache) -> None:
    upsert(cache, *(make_order(number) for number in ("10000", "1001", "999", "1000", "99")))
    numbers = lambda query: [entry.order.order_number for entry in load_orders(cache, query)]  # noqa: E731

    assert numbers(OrderQuery(sort="order_number", descending=False)) == ["99", "999", "1000", "1001", "10000"]
    assert numbers(OrderQuery(sort="order_number", descending=True)) == ["10000", "1001", "1000", "999", "99"]


def test_recipients_sort_by_their_letters_not_by_their_accents(cache: Cache) -> None:
    names = {
        "1001": "Zoe Adams",
        "1002": "Émile Zola",
        "1003": "Łukasz Żółw",
        "1004": "dan Brown",
        "1005": "Frank Ocean",
    }
    upsert(cache, *(make_order(number, name) for number, name in names.items()))
    recipients = lambda query: [entry.order.ship_to.name for entry in load_orders(cache, query)]  # noqa: E731

    assert recipients(OrderQuery(sort="ship_name", descending=False)) == [
        "dan Brown",
        "Émile Zola",
        "Frank Ocean",
        "Łukasz Żółw",
        "Zoe Adams",
    ]


def test_a_cache_from_before_the_recipient_sort_key_sorts_its_accented_names_too(tmp_path: Path) -> None:
    old = open_cache(tmp_path / "c.sqlite", upto=7)  # schema 7: before the recipient sort key
    old.conn.executescript(
        """
        INSERT INTO orders (store, upstream_id, order_number, order_date, status, ship_name, data, imported_at, updated_at)
        VALUES ('shop', '1', '1', '2026-11-01', 'awaiting_shipment', 'Zoe Adams', '{}', '', ''),
               ('shop', '2', '2', '2026-11-01', 'awaiting_shipment', 'Émile Zola', '{}', '', ''),
               ('shop', '3', '3', '2026-11-01', 'awaiting_shipment', 'Frank Ocean', '{}', '', '');
        """
    )
    old.close()

    migrated = open_cache(tmp_path / "c.sqlite")
    ids = list_order_ids(migrated, OrderQuery(sort="ship_name", descending=False))
    names = [migrated.conn.execute("SELECT ship_name FROM orders WHERE id = ?", (i,)).fetchone()[0] for i in ids]
    assert names == ["Émile Zola", "Frank Ocean", "Zoe Adams"]


def test_recording_a_shipment_marks_the_order_shipped_and_queues_one_outbox_row(cache: Cache) -> None:
    upsert(cache, make_order("1001"))
    (stored,) = find_by_number(cache, "1001")
    shipment = Shipment(
        carrier="USPS",
        service="Priority Mail",
        tracking_number="9400111899223344556677",
        cost=Decimal("8.15"),
        shipped_at=START,
    )
    record_shipment(cache, stored.id, shipment)

    assert find_by_number(cache, "1001")[0].order.status is OrderStatus.SHIPPED
    assert latest_shipment(cache, stored.id) == shipment
    (entry,) = pending_outbox(cache)
    assert entry.payload["tracking_number"] == "9400111899223344556677"
    assert entry.payload["order_number"] == "1001"
    assert entry.payload["ship_date"] == "2026-11-01"


def test_a_held_order_that_is_shipped_reads_back_without_its_hold_reason(cache: Cache) -> None:
    upsert(cache, make_order("1001", status=OrderStatus.ON_HOLD, hold_reason="the customer asked to wait"))
    (stored,) = find_by_number(cache, "1001")

    record_shipment(cache, stored.id, Shipment("USPS", "Priority Mail", "9400111899223344556677", START))

    shipped = find_by_number(cache, "1001")[0].order
    assert (shipped.status, shipped.hold_reason) == (OrderStatus.SHIPPED, "")
    assert cache.conn.execute("SELECT hold_reason FROM orders").fetchone() == ("",)


def test_a_shipment_made_on_an_evening_is_queued_with_the_stations_day(cache: Cache, in_california: None) -> None:
    with cache.transaction() as conn:
        upsert_orders(conn, [make_order("1001")])
    (stored,) = find_by_number(cache, "1001")
    evening = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)  # 6:30 pm on 30 November in Los Angeles

    record_shipment(cache, stored.id, Shipment("USPS", "Priority Mail", "9400111899223344556677", evening))

    (entry,) = pending_outbox(cache)
    assert entry.payload["ship_date"] == "2026-11-30"


def test_a_label_the_store_sold_is_kept_with_its_pdf_and_queues_no_update(cache: Cache) -> None:
    upsert(cache, make_order("1001"))
    (stored,) = find_by_number(cache, "1001")
    shipment = Shipment("fedex", "fedex_2day", "794600000001", START, cost=Decimal("8.55"))

    record_bought_label(cache, stored.id, shipment, b"%PDF-1.4 label", 901)

    assert find_by_number(cache, "1001")[0].order.status is OrderStatus.SHIPPED
    assert latest_shipment(cache, stored.id) == shipment
    assert label_pdf(cache, stored.id) == b"%PDF-1.4 label"
    assert pending_outbox(cache) == []  # the store made the shipment itself


def test_an_outbox_row_stays_until_the_store_confirms_it(cache: Cache) -> None:
    upsert(cache, make_order("1001"))
    (stored,) = find_by_number(cache, "1001")
    record_shipment(
        cache, stored.id, Shipment(carrier="UPS", service="Ground", tracking_number="1Z1", shipped_at=START)
    )
    (entry,) = pending_outbox(cache)

    note_outbox_failure(cache, entry.id, "the store did not answer")
    (retried,) = pending_outbox(cache)
    assert (retried.attempts, retried.last_error) == (1, "the store did not answer")

    confirm_outbox(cache, entry.id)
    assert outbox_count(cache) == 0


def test_a_shipped_order_does_not_fall_back_into_the_queue_when_the_store_lags(cache: Cache) -> None:
    upsert(cache, make_order("1001"))
    (stored,) = find_by_number(cache, "1001")
    record_shipment(
        cache, stored.id, Shipment(carrier="UPS", service="Ground", tracking_number="1Z1", shipped_at=START)
    )
    upsert(cache, replace(make_order("1001"), status=OrderStatus.AWAITING_SHIPMENT))
    assert find_by_number(cache, "1001")[0].order.status is OrderStatus.SHIPPED


def test_a_failed_transaction_leaves_the_cache_as_it_was(cache: Cache) -> None:
    upsert(cache, make_order("1001"))

    def orders_then_crash() -> object:
        yield make_order("1002")
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError), cache.transaction() as conn:
        upsert_orders(conn, orders_then_crash())  # type: ignore[arg-type]
    assert [entry.order.order_number for entry in load_orders(cache, OrderQuery())] == ["1001"]


def test_orders_sorted_by_store_follow_the_letters_not_their_case(cache: Cache) -> None:
    upsert(
        cache,
        make_order("1001", store="Shopify"),
        make_order("1002", store="etsy"),
        make_order("1003", store="Amazon"),
        make_order("1004", store="zalando"),
    )

    by_store = [entry.order.store for entry in load_orders(cache, OrderQuery(sort="store", descending=False))]

    assert by_store == ["Amazon", "etsy", "Shopify", "zalando"]


def test_the_store_filter_lists_the_stores_in_the_order_of_their_letters(cache: Cache) -> None:
    upsert(
        cache, make_order("1001", store="Shopify"), make_order("1002", store="etsy"), make_order("1003", store="Amazon")
    )

    assert stores(cache) == ["Amazon", "etsy", "Shopify"]


# A store that cuts a text to a length counted in UTF-16 units can cut an emoji in half: its JSON then carries a
# lone surrogate such as "\ud83d", which Python reads as such.
HALF_AN_EMOJI = "\ud83d"


def test_an_order_with_half_an_emoji_in_its_texts_is_stored_and_reads_back_exactly(cache: Cache) -> None:
    order = make_order(
        "1001",
        f"Zoë Smith {HALF_AN_EMOJI}",
        customer_notes=f"Thanks! {HALF_AN_EMOJI}",
        bill_to=Address(name=f"Bill {HALF_AN_EMOJI}"),
    )

    upsert(cache, order)

    (stored,) = find_by_number(cache, "1001")
    assert stored.order == order
    assert [entry.order for entry in load_orders(cache, OrderQuery(search="zoe smith"))] == [order]


def test_an_order_with_half_an_emoji_that_comes_again_unchanged_is_not_written_again(cache: Cache) -> None:
    order = make_order("1001", f"Zoë Smith {HALF_AN_EMOJI}")
    upsert(cache, order)

    with cache.transaction() as conn:
        counts = upsert_orders(conn, [order])

    assert counts == UpsertCounts(unchanged=1)
    assert len(load_orders(cache, OrderQuery())) == 1


BEFORE_MAY_HAVE_ARRIVED = 12  # schema 13 adds a column: run twice, it fails


def test_an_older_cache_opened_by_two_programs_at_once_is_migrated_once_and_opens_in_both(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    open_cache(path, upto=BEFORE_MAY_HAVE_ARRIVED).close()
    window = open_cache(path, upto=BEFORE_MAY_HAVE_ARRIVED)
    window.conn.execute("BEGIN IMMEDIATE")  # the window, migrating the file
    opened: list[int | Exception] = []

    def open_from_the_command_line() -> None:
        try:
            command_line = open_cache(path)
        except Exception as error:  # what the command line would show
            opened.append(error)
            return
        opened.append(command_line.schema_version)
        command_line.close()

    command_line = threading.Thread(target=open_from_the_command_line)
    command_line.start()
    time.sleep(1)  # the command line has read the schema version, and waits for the window's write
    MIGRATIONS[BEFORE_MAY_HAVE_ARRIVED](window.db)
    window.conn.execute(f"PRAGMA user_version={BEFORE_MAY_HAVE_ARRIVED + 1}")
    window.conn.execute("COMMIT")
    command_line.join()
    window.close()

    assert opened == [len(MIGRATIONS)]
