"""The sync engine against a fake ShipStation over real HTTP: full and incremental pulls, the import rules,
the first-sync cutoff, DST boundary dates, each store's zone and status mapping, and a pull broken off halfway."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, find_by_number, load_orders
from shipdesk.cache.shipments import record_shipment
from shipdesk.cache.sync_state import first_sync_cutoff
from shipdesk.domain import OrderStatus, Shipment
from shipdesk.upstream.sync import PullReport, pull_orders, sync_store
from tests.fakes.shipstation import FakeShipStation, pacific_text
from tests.fakes.shipstation_store import add_fake_store, fake_connector, fresh_record, shipstation_order

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        yield server


def pull(
    cache: Cache,
    fake: FakeShipStation,
    *,
    now: datetime = NOW,
    name: str = "Main",
    progress: Callable[[PullReport], None] | None = None,
) -> PullReport:
    record = fresh_record(cache, name)
    with fake_connector(fake, record) as connector:
        return pull_orders(cache, record, connector, now=now, progress=progress)


def cached_numbers(cache: Cache) -> set[str]:
    return {stored.order.order_number for stored in load_orders(cache, OrderQuery())}


def cached(cache: Cache, number: str) -> OrderStatus:
    (stored,) = find_by_number(cache, number)
    return stored.order.status


# ----------------------------------------------------------------------------- full and incremental pulls


def test_a_full_pull_of_2000_orders_arrives_complete_over_several_pages(cache: Cache, fake: FakeShipStation) -> None:
    fake.add_generated_orders(2000, first_modified=NOW - timedelta(days=2))
    add_fake_store(cache, fake)

    report = pull(cache, fake)

    assert (report.pulled, report.inserted, report.updated, report.skipped, report.error) == (2000, 2000, 0, [], "")
    assert len(load_orders(cache, OrderQuery(store="Main"))) == 2000
    pages = fake.requests_to("/orders")
    assert 4 <= len(pages) <= 6  # 500 a page, each restarting from the last modify date seen
    assert all(request.query["pageSize"] == "500" for request in pages)
    assert fresh_record(cache).high_water == NOW - timedelta(days=2) + timedelta(seconds=1999)
    assert fake.too_many_served == 0


def test_a_page_the_cache_could_not_write_is_pulled_again_next_time(cache: Cache, fake: FakeShipStation) -> None:
    """A page whose transaction fails (disk full) must not move the high-water mark past its orders."""
    fake.add_order(shipstation_order(1, number="FIRST-1", order_date=NOW - timedelta(days=1)), modified=NOW)
    add_fake_store(cache, fake)
    assert pull(cache, fake).error == ""  # the first sync is done; the store's mark is NOW

    # 200 new orders over the next 200 minutes: one page.
    start = NOW + timedelta(minutes=10)
    for number in range(200):
        placed = start + timedelta(minutes=number)
        fake.add_order(shipstation_order(1000 + number, number=f"N-{number}", order_date=placed), modified=placed)

    # The disk is full: SQLite cannot grow the file, so the page's transaction is rolled back.
    pages = cache.conn.execute("PRAGMA page_count").fetchone()[0]
    cache.conn.execute(f"PRAGMA max_page_count = {pages}")
    broken = pull(cache, fake, now=NOW + timedelta(hours=4))
    assert broken.error.startswith("the cache could not be written")
    assert cached_numbers(cache) == {"FIRST-1"}  # nothing of the page was written

    cache.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    carried_on = pull(cache, fake, now=NOW + timedelta(hours=5))

    assert carried_on.error == ""
    assert len(cached_numbers(cache)) == 201  # the whole page again, not only what the overlap asks for
    assert (broken.pulled, carried_on.inserted) == (0, 200)


def test_a_later_page_the_cache_could_not_write_keeps_the_pages_before_it_and_their_mark(
    cache: Cache, fake: FakeShipStation
) -> None:
    """Each page is written while the next is read: the one that fails is lost whole, the ones before it are kept."""
    first_modified = NOW - timedelta(hours=2)
    fake.add_generated_orders(1200, first_modified=first_modified)  # three pages, a second apart each order
    add_fake_store(cache, fake)

    def disk_fills_up_after_the_first_page(report: PullReport) -> None:
        if report.pulled == 500:
            pages = cache.conn.execute("PRAGMA page_count").fetchone()[0]
            cache.conn.execute(f"PRAGMA max_page_count = {pages}")

    broken = pull(cache, fake, progress=disk_fills_up_after_the_first_page)

    assert broken.error.startswith("the cache could not be written")
    assert (broken.pulled, broken.inserted) == (500, 500)
    assert len(cached_numbers(cache)) == 500
    assert fresh_record(cache).high_water == first_modified + timedelta(seconds=499)  # the first page's newest

    cache.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    carried_on = pull(cache, fake, now=NOW + timedelta(minutes=10))

    assert carried_on.error == ""
    assert carried_on.inserted == 700
    assert len(cached_numbers(cache)) == 1200


def test_a_page_the_cache_could_not_write_while_the_store_failed_the_next_one_names_both(
    cache: Cache, fake: FakeShipStation
) -> None:
    fake.add_generated_orders(1200, first_modified=NOW - timedelta(hours=2))
    add_fake_store(cache, fake)

    def disk_fills_up_and_shipstation_fails_after_the_first_page(report: PullReport) -> None:
        if report.pulled == 500:  # the second page is read by now, and being written
            pages = cache.conn.execute("PRAGMA page_count").fetchone()[0]
            cache.conn.execute(f"PRAGMA max_page_count = {pages}")
            fake.fail_next(10)

    broken = pull(cache, fake, progress=disk_fills_up_and_shipstation_fails_after_the_first_page)

    assert broken.error.startswith("the cache could not be written (")
    cache_error, store_error = broken.error.split("; reading the next page failed as well: ")
    assert cache_error.endswith("the pull carries on from here next time")
    assert store_error.startswith("Could not list orders") and "ShipStation had a server error (500" in store_error
    assert len(cached_numbers(cache)) == 500


def test_an_order_changed_while_a_same_second_block_is_paged_does_not_push_another_out(
    cache: Cache, fake: FakeShipStation
) -> None:
    """600 orders changed in one second (a bulk action in ShipStation): the client falls back to page numbers, and an
    order changed between two of those pages slides the next one back across the page boundary, never to be pulled."""
    block = NOW - timedelta(hours=1)
    ids = fake.add_generated_orders(600, first_modified=block, step=timedelta(0))
    add_fake_store(cache, fake)
    edited = False

    def edit_in_shipstation_between_pages(report: PullReport) -> None:
        nonlocal edited
        # The first answer brought 500 orders of one second, so the second asked for the block's page 1 by number: a
        # packer edits an order of that page before the pull asks for page 2.
        if len(fake.requests_to("/orders")) == 2:
            fake.update_order(ids[10], modified=NOW, internalNotes="gift wrap")
            edited = True

    first = pull(cache, fake, progress=edit_in_shipstation_between_pages)
    assert first.error == ""
    assert edited
    later = pull(cache, fake, now=NOW + timedelta(hours=1))
    assert later.error == ""

    missing = {f"GEN-{order_id}" for order_id in ids} - cached_numbers(cache)
    assert missing == set(), f"never pulled: {sorted(missing)}"


def test_an_incremental_pull_picks_up_only_the_changes(cache: Cache, fake: FakeShipStation) -> None:
    ids = fake.add_generated_orders(300, first_modified=NOW - timedelta(days=1))
    add_fake_store(cache, fake)
    pull(cache, fake)
    high_water = fresh_record(cache).high_water
    assert high_water is not None

    later = NOW + timedelta(hours=1)
    for order_id in ids[:3]:
        fake.update_order(order_id, modified=later, customerNotes="Please ring twice")
    fake.add_generated_orders(2, first_modified=later + timedelta(minutes=1))
    before = len(fake.requests_to("/orders"))
    report = pull(cache, fake, now=later + timedelta(minutes=5))

    (request,) = fake.requests_to("/orders")[before:]
    # The last sync's newest change, less the five-minute overlap, in Pacific wall time (PDT in March 2026).
    assert request.query["modifyDateStart"] == pacific_text(high_water - timedelta(minutes=5))[:19].replace("T", " ")
    assert (report.inserted, report.updated) == (2, 3)
    # The overlap (5 min at 1 s apart) brings the 297 untouched orders again; they are left alone.
    assert report.unchanged == 297
    assert find_by_number(cache, f"GEN-{ids[0]}")[0].order.customer_notes == "Please ring twice"
    assert report.summary_lines()[0] == "Pulled 302 orders from Main: 2 new, 3 updated, 297 unchanged, 0 skipped."


def test_a_cancelled_order_is_kept_inactive_and_never_updated_again(cache: Cache, fake: FakeShipStation) -> None:
    fake.add_order(shipstation_order(1, number="C-1", order_date=NOW - timedelta(days=1)), modified=NOW)
    add_fake_store(cache, fake)
    pull(cache, fake)
    assert cached(cache, "C-1") is OrderStatus.AWAITING_SHIPMENT

    fake.update_order(1, modified=NOW + timedelta(hours=1), orderStatus="cancelled")
    pull(cache, fake, now=NOW + timedelta(hours=2))
    assert cached(cache, "C-1") is OrderStatus.CANCELLED

    fake.update_order(1, modified=NOW + timedelta(hours=3), orderStatus="awaiting_shipment", customerNotes="revived")
    report = pull(cache, fake, now=NOW + timedelta(hours=4))

    (stored,) = find_by_number(cache, "C-1")
    assert stored.order.status is OrderStatus.CANCELLED
    assert stored.order.customer_notes != "revived"
    assert report.kept_final == 1
    assert load_orders(cache, OrderQuery(status=OrderStatus.AWAITING_SHIPMENT)) == []


def test_an_order_shipped_here_stays_shipped_when_the_store_lags(cache: Cache, fake: FakeShipStation) -> None:
    fake.add_order(shipstation_order(1, number="S-1", order_date=NOW - timedelta(days=1)), modified=NOW)
    add_fake_store(cache, fake)
    pull(cache, fake)
    (stored,) = find_by_number(cache, "S-1")
    record_shipment(cache, stored.id, Shipment("usps", "usps_priority_mail", "9400100000000000000001", NOW))

    fake.update_order(1, modified=NOW + timedelta(hours=1), internalNotes="edited in ShipStation")
    pull(cache, fake, now=NOW + timedelta(hours=2))

    assert cached(cache, "S-1") is OrderStatus.SHIPPED


# ----------------------------------------------------------------------------- import rules


def test_only_new_orders_that_need_shipping_come_in_and_the_rest_are_skipped_with_reasons(
    cache: Cache, fake: FakeShipStation
) -> None:
    placed = NOW - timedelta(days=1)
    fake.add_order(shipstation_order(1, number="OK-1", order_date=placed), modified=NOW - timedelta(hours=5))
    fake.add_order(shipstation_order(2, number="GIFTCARD-2", order_date=placed, physical=False), modified=NOW)
    fake.add_order(shipstation_order(3, number="PICKUP-3", order_date=placed, ship_to=False), modified=NOW)
    fake.add_order(shipstation_order(4, number="GONE-4", order_date=placed, status="cancelled"), modified=NOW)
    fake.add_order(shipstation_order(5, number="DONE-5", order_date=placed, status="shipped"), modified=NOW)
    fake.add_order(shipstation_order(6, number="UNPAID-6", order_date=placed, status="awaiting_payment"), modified=NOW)
    fake.add_order(shipstation_order(7, number="HOLD-7", order_date=placed, status="on_hold"), modified=NOW)
    add_fake_store(cache, fake)

    report = pull(cache, fake)

    assert {order.order.order_number for order in load_orders(cache, OrderQuery())} == {"OK-1", "UNPAID-6", "HOLD-7"}
    assert {(skipped.order_number, skipped.reason) for skipped in report.skipped} == {
        ("GIFTCARD-2", "no item that needs shipping, so nothing to ship"),
        ("PICKUP-3", "no ship-to address, so nothing to ship"),
        ("GONE-4", "cancelled before it reached shipdesk"),
        ("DONE-5", "already shipped"),
    }
    lines = report.summary_lines()
    assert lines[0] == "Pulled 7 orders from Main (first sync): 3 new, 0 updated, 4 skipped."
    assert "Skipped 1 order: no ship-to address, so nothing to ship (PICKUP-3)." in lines
    assert "Order HOLD-7 kept on hold: on hold in ShipStation." in lines


def test_a_known_order_that_loses_its_address_stays_in_the_cache_on_hold(cache: Cache, fake: FakeShipStation) -> None:
    fake.add_order(shipstation_order(1, number="A-1", order_date=NOW - timedelta(days=1)), modified=NOW)
    add_fake_store(cache, fake)
    pull(cache, fake)

    empty = {key: None for key in fake.order(1)["shipTo"]}
    fake.update_order(1, modified=NOW + timedelta(hours=1), shipTo=empty)
    report = pull(cache, fake, now=NOW + timedelta(hours=2))

    (stored,) = find_by_number(cache, "A-1")
    assert (stored.order.status, stored.order.hold_reason) == (OrderStatus.ON_HOLD, "no ship-to address")
    assert report.updated == 1


def test_a_new_order_whose_address_lacks_a_part_comes_in_on_hold_to_be_put_right(
    cache: Cache, fake: FakeShipStation
) -> None:
    raw = shipstation_order(1, number="NOZIP-1", order_date=NOW - timedelta(days=1))
    raw["shipTo"] = {**raw["shipTo"], "postalCode": None, "country": "US"}
    fake.add_order(raw, modified=NOW)
    add_fake_store(cache, fake)

    report = pull(cache, fake)

    (stored,) = find_by_number(cache, "NOZIP-1")
    assert (stored.order.status, stored.order.hold_reason) == (OrderStatus.ON_HOLD, "no ship-to ZIP code")
    assert report.skipped == [] and "Order NOZIP-1 kept on hold: no ship-to ZIP code." in report.summary_lines()


def test_the_stores_status_mapping_decides_the_status(cache: Cache, fake: FakeShipStation) -> None:
    placed = NOW - timedelta(days=1)
    fake.add_order(shipstation_order(1, number="FUL-1", order_date=placed, status="pending_fulfillment"), modified=NOW)
    fake.add_order(shipstation_order(2, number="HELD-2", order_date=placed), modified=NOW)
    fake.add_order(
        shipstation_order(3, number="PLAIN-3", order_date=placed, status="pending_fulfillment"), modified=NOW
    )
    # This warehouse is the fulfillment provider; and a store that holds awaiting orders until staff review them.
    add_fake_store(cache, fake, status_map={"pending_fulfillment": "awaiting_shipment"})
    add_fake_store(cache, fake, "Reviewed", status_map={"Awaiting_Shipment": "on_hold"})

    pull(cache, fake)
    pull(cache, fake, name="Reviewed")

    by_store = {(o.order.store, o.order.order_number): o.order for o in load_orders(cache, OrderQuery())}
    assert by_store[("Main", "FUL-1")].status is OrderStatus.AWAITING_SHIPMENT
    assert by_store[("Main", "HELD-2")].status is OrderStatus.AWAITING_SHIPMENT
    assert by_store[("Reviewed", "HELD-2")].status is OrderStatus.ON_HOLD
    assert by_store[("Reviewed", "HELD-2")].hold_reason == "“awaiting_shipment” in the store"
    assert by_store[("Reviewed", "PLAIN-3")].hold_reason == "sent to a fulfillment provider in ShipStation"


def test_an_unreadable_order_is_named_and_the_rest_of_the_page_arrives(cache: Cache, fake: FakeShipStation) -> None:
    fake.add_order(shipstation_order(1, number="GOOD-1", order_date=NOW - timedelta(days=1)), modified=NOW)
    broken = shipstation_order(2, number="BAD-2", order_date=NOW - timedelta(days=1))
    broken["items"][0]["quantity"] = "lots"
    fake.add_order(broken, modified=NOW)
    add_fake_store(cache, fake)

    report = pull(cache, fake)

    assert report.inserted == 1
    assert report.problems and report.problems[0].startswith("order BAD-2:")
    assert any(line.startswith("Not read: order BAD-2:") for line in report.summary_lines())


# ----------------------------------------------------------------------------- the first sync


def test_on_the_first_sync_pending_orders_older_than_14_days_are_skipped(cache: Cache, fake: FakeShipStation) -> None:
    fake.add_order(shipstation_order(1, number="OLD-1", order_date=NOW - timedelta(days=20)), modified=NOW)
    fake.add_order(shipstation_order(2, number="NEW-2", order_date=NOW - timedelta(days=10)), modified=NOW)
    fake.add_order(
        shipstation_order(3, number="ANCIENT-3", order_date=NOW - timedelta(days=40)),
        modified=NOW - timedelta(days=30),
    )
    add_fake_store(cache, fake)

    report = pull(cache, fake)

    assert [o.order.order_number for o in load_orders(cache, OrderQuery())] == ["NEW-2"]
    assert [(s.order_number, s.reason) for s in report.skipped] == [
        ("OLD-1", "still pending more than 14 days after it was placed, at the store's first sync")
    ]
    # Orders unchanged since before the cutoff are not even asked for.
    (request,) = fake.requests_to("/orders")
    assert request.query["modifyDateStart"] == "2026-03-06 10:00:00"  # NOW − 14 days, in PST
    assert first_sync_cutoff(cache, "Main") is None  # the first sync finished

    fake.update_order(1, modified=NOW + timedelta(days=1), internalNotes="customer paid the balance")
    later = pull(cache, fake, now=NOW + timedelta(days=1, hours=1))

    assert (later.first_sync, later.inserted) == (False, 1)
    assert cached(cache, "OLD-1") is OrderStatus.AWAITING_SHIPMENT


def test_the_shipping_assigned_in_shipstation_is_kept_and_an_order_pulled_again_as_it_was_is_unchanged(
    cache: Cache, fake: FakeShipStation
) -> None:
    placed = NOW - timedelta(hours=2)
    fake.add_order(shipstation_order(1, number="A-1", order_date=placed), modified=placed)  # FedEx Home Delivery
    add_fake_store(cache, fake)
    pull(cache, fake)

    again = pull(cache, fake, now=NOW + timedelta(minutes=1))  # within the overlap: asked for again
    fake.update_order(1, modified=NOW + timedelta(minutes=2), serviceCode="fedex_2day")
    reassigned = pull(cache, fake, now=NOW + timedelta(minutes=3))

    assert (again.pulled, again.updated, again.unchanged) == (1, 0, 1)
    assert (reassigned.updated, reassigned.unchanged) == (1, 0)
    (stored,) = find_by_number(cache, "A-1")
    assert (stored.order.assigned_carrier_code, stored.order.assigned_service_code) == ("fedex", "fedex_2day")


def test_an_order_the_first_sync_skipped_stays_skipped_when_the_overlap_brings_it_again(
    cache: Cache, fake: FakeShipStation
) -> None:
    fake.add_order(
        shipstation_order(1, number="OLD-1", order_date=NOW - timedelta(days=20)), modified=NOW - timedelta(minutes=2)
    )
    add_fake_store(cache, fake)
    first = pull(cache, fake)
    assert [s.order_number for s in first.skipped] == ["OLD-1"]

    again = pull(cache, fake, now=NOW + timedelta(minutes=1))  # within the overlap: asked for again

    assert (again.first_sync, again.pulled, again.inserted, again.unchanged) == (False, 1, 0, 1)
    assert find_by_number(cache, "OLD-1") == []


def test_a_first_sync_that_finds_nothing_keeps_the_next_pull_to_its_cutoff(cache: Cache, fake: FakeShipStation) -> None:
    add_fake_store(cache, fake)
    first = pull(cache, fake)
    assert (first.first_sync, first.pulled) == (True, 0)
    ancient = shipstation_order(1, number="ANCIENT-1", order_date=NOW - timedelta(days=90))
    fake.add_order(ancient, modified=NOW - timedelta(days=88))

    later = pull(cache, fake, now=NOW + timedelta(hours=1))

    assert (later.first_sync, later.pulled) == (False, 0)
    # The cutoff (NOW − 14 days, 10:00 in PST) less the overlap, not the store's whole history.
    assert fake.requests_to("/orders")[-1].query["modifyDateStart"] == "2026-03-06 09:55:00"


def test_a_first_sync_broken_off_halfway_keeps_its_cutoff_when_it_carries_on(
    cache: Cache, fake: FakeShipStation
) -> None:
    fake.add_generated_orders(600, first_modified=NOW - timedelta(hours=3))
    old = shipstation_order(1, number="OLD-1", order_date=NOW - timedelta(days=30))
    fake.add_order(old, modified=NOW - timedelta(minutes=10))
    add_fake_store(cache, fake)
    fake.drop_every(2)  # after the first page, every other request goes unanswered; the client gives up

    record = fresh_record(cache)
    with fake_connector(fake, record, max_attempts=1) as connector:
        broken = pull_orders(cache, record, connector, now=NOW)

    assert broken.error.startswith("Could not list orders (page 1) for store Main: ShipStation closed the connection")
    assert broken.inserted == 500
    assert broken.done_lines() == [
        "Pulled 500 orders from Main (first sync) before the pull stopped: 500 new, 0 updated, 0 skipped."
    ]
    assert broken.problem_lines() == [f"The pull stopped: {broken.error}"]
    stopped = fresh_record(cache)
    assert (stopped.last_sync_error, stopped.last_success_at) == (broken.error, None)  # a page is not a sync
    assert stopped.high_water == broken.high_water is not None  # the page read before the store stopped answering
    fake.drop_every(0)

    carried_on = pull(cache, fake, now=NOW + timedelta(minutes=30))

    assert carried_on.first_sync and carried_on.error == ""
    assert [s.order_number for s in carried_on.skipped] == ["OLD-1"]
    assert len(load_orders(cache, OrderQuery())) == 600
    finished = fresh_record(cache)
    assert finished.last_sync_error == "" and finished.last_success_at == finished.last_sync_at is not None


def test_a_pull_that_stops_at_once_says_only_why(cache: Cache, fake: FakeShipStation) -> None:
    fake.add_order(shipstation_order(1, number="P-1", order_date=NOW - timedelta(days=1)), modified=NOW)
    add_fake_store(cache, fake)

    record = fresh_record(cache)
    with fake_connector(fake, record, secret="wrong-secret-40c2") as connector:
        report = pull_orders(cache, record, connector, now=NOW)

    assert report.summary_lines() == [
        "The pull stopped: ShipStation refused the API key and secret for store Main. "
        "Check them in ShipStation under Settings → API."
    ]
    assert report.done_lines() == []


# ----------------------------------------------------------------------------- time zones and DST


def test_orders_changed_in_the_repeated_hour_of_the_autumn_change_are_not_missed(
    cache: Cache, fake: FakeShipStation
) -> None:
    # 2026-11-01: 01:00–01:59 happens twice in Los Angeles. A is changed at 01:40 PDT, B at 01:20 PST, 40 min later.
    a_changed = datetime(2026, 11, 1, 8, 40, tzinfo=UTC)
    b_changed = datetime(2026, 11, 1, 9, 20, tzinfo=UTC)
    placed = datetime(2026, 10, 31, 20, 0, tzinfo=UTC)
    fake.add_order(shipstation_order(1, number="A-1", order_date=placed), modified=a_changed)
    add_fake_store(cache, fake)
    pull(cache, fake, now=datetime(2026, 11, 1, 8, 45, tzinfo=UTC))

    fake.add_order(shipstation_order(2, number="B-2", order_date=placed), modified=b_changed)
    report = pull(cache, fake, now=datetime(2026, 11, 1, 9, 30, tzinfo=UTC))

    assert report.inserted == 1
    assert cached(cache, "B-2") is OrderStatus.AWAITING_SHIPMENT
    assert fake.requests_to("/orders")[-1].query["modifyDateStart"] == "2026-11-01 00:35:00"


def test_order_dates_across_the_spring_change_are_read_as_utc(cache: Cache, fake: FakeShipStation) -> None:
    before = datetime(2026, 3, 8, 9, 30, tzinfo=UTC)  # 01:30 PST
    after = datetime(2026, 3, 8, 10, 30, tzinfo=UTC)  # 03:30 PDT: one real hour later, two on the clock
    fake.add_order(shipstation_order(1, number="PST-1", order_date=before), modified=NOW)
    fake.add_order(shipstation_order(2, number="PDT-2", order_date=after), modified=NOW)
    add_fake_store(cache, fake)

    pull(cache, fake, now=datetime(2026, 3, 9, tzinfo=UTC))

    assert fake.order(2)["orderDate"].startswith("2026-03-08T03:30")
    assert find_by_number(cache, "PST-1")[0].order.order_date == before
    assert find_by_number(cache, "PDT-2")[0].order.order_date == after


def test_a_store_in_another_time_zone_has_its_times_read_there(cache: Cache, fake: FakeShipStation) -> None:
    # An account whose wall times are Eastern: ShipStation's "10:00" is 10:00 in New York, 14:00 UTC in March.
    order = shipstation_order(1, number="E-1", order_date=NOW, orderDate="2026-03-19T10:00:00.0000000")
    fake.add_order(order, modified=NOW)
    add_fake_store(cache, fake, "East", time_zone="America/New_York")

    pull(cache, fake, name="East")

    assert find_by_number(cache, "E-1")[0].order.order_date == datetime(2026, 3, 19, 14, 0, tzinfo=UTC)
    # The first-sync cutoff (NOW − 14 days = 2026-03-06 18:00 UTC) is asked in Eastern wall time.
    assert fake.requests_to("/orders")[0].query["modifyDateStart"] == "2026-03-06 13:00:00"


# ----------------------------------------------------------------------------- push before pull


def test_sync_pushes_waiting_shipments_before_it_pulls(cache: Cache, fake: FakeShipStation) -> None:
    fake.add_order(shipstation_order(1, number="P-1", order_date=NOW - timedelta(days=1)), modified=NOW)
    add_fake_store(cache, fake)
    pull(cache, fake)
    (stored,) = find_by_number(cache, "P-1")
    record_shipment(cache, stored.id, Shipment("USPS", "Priority Mail", "9400100000000000000042", NOW))

    record = fresh_record(cache)
    with fake_connector(fake, record) as connector:
        report = sync_store(cache, "Main", connector, now=NOW + timedelta(hours=1))

    paths = [request.path for request in fake.requests]
    assert paths[-2:] == ["/orders/markasshipped", "/orders"]
    assert fake.marked_shipped == [1]
    assert report.summary_lines()[0] == "Pushed 1 shipped update to Main; 0 pending."
    assert report.pull is not None and report.pull.kept_final == 1  # ShipStation's "shipped" leaves it as it is


def test_a_sync_whose_push_cannot_reach_the_store_is_kept_as_failed_and_keeps_the_last_good_sync(
    cache: Cache, fake: FakeShipStation
) -> None:
    fake.add_order(shipstation_order(1, number="P-1", order_date=NOW - timedelta(days=1)), modified=NOW)
    add_fake_store(cache, fake)
    pull(cache, fake)
    good = fresh_record(cache)
    (stored,) = find_by_number(cache, "P-1")
    record_shipment(cache, stored.id, Shipment("USPS", "Priority Mail", "9400100000000000000042", NOW))
    fake.drop_next(1)

    with fake_connector(fake, good, max_attempts=1) as connector:
        report = sync_store(cache, "Main", connector, now=NOW + timedelta(hours=1))

    assert report.pull is None and report.push.stopped
    failed = fresh_record(cache)
    assert failed.last_sync_error == report.push.stopped
    assert good.last_success_at is not None and failed.last_success_at == good.last_success_at
    assert failed.last_sync_at is not None and failed.last_sync_at > good.last_success_at
    assert report.done_lines() == ["Pushed 0 shipped updates to Main; 1 pending."]
    [stopped_at, not_pulled] = report.problem_lines()
    assert stopped_at.startswith(f"Order P-1 not confirmed, and pushing stopped: {report.push.stopped} Next try after ")
    assert not_pulled == "No orders pulled from Main: pushing stopped first; the next sync tries both."
    assert sum(line.count(report.push.stopped) for line in report.summary_lines()) == 1  # the reason said once


# ----------------------------------------------------------------------------- combined and split orders

COMBINED_INTO_3 = "combined into order C-3 in ShipStation: pack that order instead"


def three_orders_pulled(cache: Cache, fake: FakeShipStation) -> None:
    for order_id in (1, 2, 3):
        fake.add_order(
            shipstation_order(order_id, number=f"C-{order_id}", order_date=NOW - timedelta(days=1)), modified=NOW
        )
    add_fake_store(cache, fake)
    pull(cache, fake)


def held(cache: Cache, number: str) -> tuple[OrderStatus, str]:
    (stored,) = find_by_number(cache, number)
    return stored.order.status, stored.order.hold_reason


def test_an_order_combined_into_another_in_shipstation_goes_on_hold_at_the_next_sync(
    cache: Cache, fake: FakeShipStation
) -> None:
    three_orders_pulled(cache, fake)

    fake.combine(3, [1], modified=NOW + timedelta(hours=1))
    report = pull(cache, fake, now=NOW + timedelta(hours=2))

    assert held(cache, "C-1") == (OrderStatus.ON_HOLD, COMBINED_INTO_3)
    assert held(cache, "C-2") == held(cache, "C-3") == (OrderStatus.AWAITING_SHIPMENT, "")
    (parent,) = find_by_number(cache, "C-3")
    assert len(parent.order.physical_items) == 2  # its own item and the one of C-1, packed together
    awaiting = load_orders(cache, OrderQuery(status=OrderStatus.AWAITING_SHIPMENT))
    assert sorted(stored.order.order_number for stored in awaiting) == ["C-2", "C-3"]
    assert "Order C-1 combined into order C-3 in ShipStation: put on hold, pack order C-3 instead." in (
        report.summary_lines()
    )

    again = pull(cache, fake, now=NOW + timedelta(hours=3))  # the overlap brings C-3 again: nothing new to say
    assert held(cache, "C-1") == (OrderStatus.ON_HOLD, COMBINED_INTO_3)
    assert again.combined == [] and not any("combined" in line for line in again.summary_lines())


def test_a_combined_order_that_shipstation_lists_again_later_stays_on_hold(cache: Cache, fake: FakeShipStation) -> None:
    three_orders_pulled(cache, fake)
    before = fake.order(1)
    fake.combine(3, [1], modified=NOW + timedelta(hours=1))
    pull(cache, fake, now=NOW + timedelta(hours=2))

    fake.touch_order(2, NOW + timedelta(hours=3))
    pull(cache, fake, now=NOW + timedelta(hours=4))  # past C-3's change: the next pull does not bring it again

    fake.add_order(before, modified=NOW + timedelta(hours=5))  # an edit that reaches it, or a stale listing
    report = pull(cache, fake, now=NOW + timedelta(hours=6))

    assert (report.pulled, report.updated, report.unchanged) == (2, 1, 1)  # C-1, and C-2 in the overlap; not C-3
    assert held(cache, "C-1") == (OrderStatus.ON_HOLD, COMBINED_INTO_3)


@pytest.mark.parametrize("listed_after_its_parent", [timedelta(minutes=-1), timedelta(minutes=1)])
def test_a_combined_order_the_cache_never_had_is_skipped_wherever_it_comes_in_the_pull(
    cache: Cache, fake: FakeShipStation, listed_after_its_parent: timedelta
) -> None:
    for order_id in (1, 3):
        fake.add_order(
            shipstation_order(order_id, number=f"C-{order_id}", order_date=NOW - timedelta(days=1)), modified=NOW
        )
    fake.combine(3, [1], modified=NOW)
    fake.add_order(
        shipstation_order(1, number="C-1", order_date=NOW - timedelta(days=1)), modified=NOW + listed_after_its_parent
    )
    add_fake_store(cache, fake)

    report = pull(cache, fake, now=NOW + timedelta(hours=1))

    assert find_by_number(cache, "C-1") == []
    assert [(skipped.order_number, skipped.reason) for skipped in report.skipped] == [("C-1", COMBINED_INTO_3)]
    assert f"Skipped 1 order: {COMBINED_INTO_3} (C-1)." in report.summary_lines()

    fake.add_order(shipstation_order(4, number="C-4", order_date=NOW), modified=NOW + timedelta(hours=2))
    pull(cache, fake, now=NOW + timedelta(hours=3))  # past C-3's change: the next pull does not bring it again
    fake.touch_order(1, NOW + timedelta(hours=4))
    later = pull(cache, fake, now=NOW + timedelta(hours=5))

    assert (later.pulled, later.unchanged) == (2, 1)  # C-1, and C-4 in the overlap; not C-3
    assert [skipped.reason for skipped in later.skipped] == [COMBINED_INTO_3]
    assert find_by_number(cache, "C-1") == []


def test_an_order_shipped_before_it_was_combined_is_left_as_it_was(cache: Cache, fake: FakeShipStation) -> None:
    three_orders_pulled(cache, fake)
    (stored,) = find_by_number(cache, "C-1")
    record_shipment(cache, stored.id, Shipment("usps", "usps_priority_mail", "9400100000000000000001", NOW))

    fake.combine(3, [1], modified=NOW + timedelta(hours=1))
    report = pull(cache, fake, now=NOW + timedelta(hours=2))

    assert held(cache, "C-1") == (OrderStatus.SHIPPED, "")
    assert report.combined == []


def test_an_order_combined_into_another_of_a_different_store_is_left_alone(cache: Cache, fake: FakeShipStation) -> None:
    three_orders_pulled(cache, fake)
    other = FakeShipStation(window_seconds=1.0, with_sample_orders=False)
    with other:
        for order_id in (1, 3):
            other.add_order(
                shipstation_order(order_id, number=f"O-{order_id}", order_date=NOW - timedelta(days=1)), modified=NOW
            )
        other.combine(3, [1], modified=NOW + timedelta(hours=1))
        add_fake_store(cache, other, "Other")
        pull(cache, other, name="Other", now=NOW + timedelta(hours=2))

    assert held(cache, "C-1") == (OrderStatus.AWAITING_SHIPMENT, "")


def test_a_split_order_comes_in_as_a_shipment_of_its_own(cache: Cache, fake: FakeShipStation) -> None:
    raw = shipstation_order(1, number="S-1", order_date=NOW - timedelta(days=1))
    raw["items"].append({**raw["items"][0], "orderItemId": 99, "sku": "SOCKS", "name": "Socks", "adjustment": False})
    fake.add_order(raw, modified=NOW)
    add_fake_store(cache, fake)
    pull(cache, fake)

    child = fake.split(1, [2], modified=NOW + timedelta(hours=1))
    report = pull(cache, fake, now=NOW + timedelta(hours=2))

    assert fake.order(child)["advancedOptions"]["parentId"] == 1
    assert held(cache, "S-1") == held(cache, "S-1-1") == (OrderStatus.AWAITING_SHIPMENT, "")
    assert [item.sku for item in find_by_number(cache, "S-1-1")[0].order.physical_items] == ["SOCKS"]
    assert "SOCKS" not in [item.sku for item in find_by_number(cache, "S-1")[0].order.items]
    assert (report.inserted, report.updated, report.combined) == (1, 1, [])


# ----------------------------------------------------------------------------- a store in a zone of its own

PHOENIX = ZoneInfo("America/Phoenix")  # Arizona keeps MST all year: 02:30 on the day Los Angeles springs forward exists


def phoenix_text(moment: datetime) -> str:
    return moment.astimezone(PHOENIX).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0"


class PhoenixShipStation(FakeShipStation):
    """An account whose wall times are Arizona's (what a store's time zone is for): it writes and reads them so."""

    def _render(self, stored):  # type: ignore[no-untyped-def]
        rendered = super()._render(stored)
        rendered["modifyDate"] = phoenix_text(stored.modified)
        return rendered

    def _list_orders(self, query: dict[str, str]):  # type: ignore[no-untyped-def]
        query = dict(query)
        if "modifyDateStart" in query:
            wall = datetime.strptime(query["modifyDateStart"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=PHOENIX)
            query["modifyDateStart"] = pacific_text(wall.astimezone(UTC))[:19].replace("T", " ")  # same instant
        return super()._list_orders(query)


def test_an_arizona_store_misses_no_order_in_the_hour_los_angeles_skips_in_spring(cache: Cache) -> None:
    # 2026-03-08: in Los Angeles 02:00-02:59 does not happen; in Phoenix it does (09:00-09:59 UTC).
    a_changed = datetime(2026, 3, 8, 9, 30, tzinfo=UTC)  # 02:30 in Phoenix
    b_changed = datetime(2026, 3, 8, 9, 50, tzinfo=UTC)  # 02:50 in Phoenix, after the first pull
    placed = datetime(2026, 3, 7, 18, 0, tzinfo=UTC)
    with PhoenixShipStation(window_seconds=1.0, with_sample_orders=False) as fake:
        a = shipstation_order(1, number="A-1", order_date=placed, orderDate=phoenix_text(placed))
        fake.add_order(a, modified=a_changed)
        add_fake_store(cache, fake, time_zone="America/Phoenix")
        assert pull(cache, fake, now=datetime(2026, 3, 8, 9, 31, tzinfo=UTC)).error == ""

        b = shipstation_order(2, number="B-2", order_date=placed, orderDate=phoenix_text(placed))
        fake.add_order(b, modified=b_changed)
        report = pull(cache, fake, now=datetime(2026, 3, 8, 10, 0, tzinfo=UTC))

        assert report.error == ""
        # A's "02:30" was read as 03:30, so the mark is an hour ahead and the next pull asks from 03:25: B never comes.
        assert cached_numbers(cache) == {"A-1", "B-2"}
        assert fake.requests_to("/orders")[-1].query["modifyDateStart"] == "2026-03-08 02:25:00"
        assert fresh_record(cache).high_water == b_changed


def test_orders_changed_around_the_repeated_autumn_hour_are_counted_once(cache: Cache, fake: FakeShipStation) -> None:
    """850 orders changed from 00:30 to 01:55 PDT on the night DST ends: more than a page, and the next page starts
    inside 01:00–01:59, which is asked for an hour early. The orders of that hour already given must not come twice."""
    first_change = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)  # 00:30 PDT
    fake.add_generated_orders(850, first_modified=first_change, step=timedelta(seconds=6))
    add_fake_store(cache, fake)
    record = fresh_record(cache)

    with fake_connector(fake, record) as connector:
        report = pull_orders(cache, record, connector, now=datetime(2026, 11, 1, 10, 0, tzinfo=UTC))

    assert report.error == ""
    assert len(load_orders(cache, OrderQuery())) == 850
    assert (report.pulled, report.inserted, report.unchanged) == (850, 850, 0)
    assert report.summary_lines()[0] == "Pulled 850 orders from Main (first sync): 850 new, 0 updated, 0 skipped."


COMBINED_AT = datetime(2026, 3, 19, 18, 0, tzinfo=UTC)
CUT_NUMBER = "GIFT-\ud83c"  # "GIFT-🎁" cut after the first half of the emoji


def test_an_order_combined_into_one_whose_number_has_half_an_emoji_is_held_and_the_sync_goes_on(
    cache: Cache,
) -> None:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as fake:
        fake.add_order(shipstation_order(1, number="C-1", order_date=COMBINED_AT), modified=COMBINED_AT)
        fake.add_order(shipstation_order(3, number=CUT_NUMBER, order_date=COMBINED_AT), modified=COMBINED_AT)
        record = add_fake_store(cache, fake)
        with fake_connector(fake, record) as connector:
            pull_orders(cache, record, connector, now=COMBINED_AT + timedelta(hours=1))
        fake.combine(3, [1], modified=COMBINED_AT + timedelta(hours=2))
        with fake_connector(fake, fresh_record(cache)) as connector:
            report = pull_orders(cache, fresh_record(cache), connector, now=COMBINED_AT + timedelta(hours=3))

    assert report.error == ""
    (combined,) = find_by_number(cache, "C-1")
    assert combined.order.status is OrderStatus.ON_HOLD
