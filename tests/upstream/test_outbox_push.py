"""The outbox pusher against a fake ShipStation: every shipment arrives once in effect through failing servers,
lost answers, offline hours and a pusher killed halfway; failures wait with backoff and say why in plain words."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.cache.outbox_schedule import claim_entry, due_entries, next_attempt_times, send_refused_again
from shipdesk.cache.shipments import outbox_count, pending_outbox, record_shipment
from shipdesk.domain import Shipment, utc_now
from shipdesk.upstream.connector import ConnectorError
from shipdesk.upstream.csv_import import import_csv
from shipdesk.upstream.outbox_push import PushReport, backoff, push_outbox
from shipdesk.upstream.shipstation_connector import carrier_code
from shipdesk.upstream.sync import pull_orders, sync_store
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store, fake_connector, fresh_record, shipstation_order

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        yield server


def shipped_orders(
    cache: Cache, fake: FakeShipStation, count: int, carrier: str = "USPS", shipped_at: datetime = NOW
) -> list[int]:
    """`count` orders pulled from the fake into the cache and shipped here: `count` entries wait in the outbox."""
    for order_id in range(1, count + 1):
        fake.add_order(shipstation_order(order_id, order_date=utc_now() - timedelta(days=1)), modified=utc_now())
    record = add_fake_store(cache, fake)
    with fake_connector(fake, record) as connector:
        assert pull_orders(cache, record, connector).inserted == count
    ids = sorted(stored.id for stored in load_orders(cache, OrderQuery()))
    for number, order_id in enumerate(ids):
        record_shipment(cache, order_id, Shipment(carrier, "Priority Mail", f"94001{number:017d}", shipped_at))
    return ids


def push(cache: Cache, fake: FakeShipStation, **options: Any) -> PushReport:
    with fake_connector(fake, fresh_record(cache)) as connector:
        return push_outbox(cache, "Main", connector, **options)


def test_100_shipments_all_arrive_once_while_a_third_of_the_calls_fail(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 100)
    fake.fail_every(3)

    report = push(cache, fake)

    assert (report.pushed + report.already_there, report.pending, report.failed) == (100, 0, [])
    assert fake.accepted_shipped_calls() == {order_id: 1 for order_id in range(1, 101)}
    assert all(fake.order(order_id)["orderStatus"] == "shipped" for order_id in range(1, 101))
    assert fake.too_many_served == 0
    assert outbox_count(cache) == 0


def test_an_update_the_store_took_whose_check_meets_a_server_error_is_tried_again_not_refused(
    cache: Cache, fake: FakeShipStation
) -> None:
    """The store took the update but its answer was lost. The retry is answered 400 "already shipped", and shipdesk
    reads the order to make sure; a passing 503 on that read leaves the update to be tried again, never refused."""
    shipped_orders(cache, fake, 1)
    fake.lose_answer_next(1)
    with fake_connector(fake, fresh_record(cache), max_attempts=1) as connector:
        push_outbox(cache, "Main", connector, clock=lambda: NOW)
    assert fake.order(1)["orderStatus"] == "shipped" and len(pending_outbox(cache)) == 1

    fake.fail_order_reads_next(2)
    with fake_connector(fake, fresh_record(cache), max_attempts=2) as connector:
        report = push_outbox(cache, "Main", connector, clock=lambda: NOW + timedelta(hours=1))

    assert report.refused == [] and report.waiting_for_a_person == 0
    assert len(report.failed) == 1 and "server error (503" in report.failed[0].reason
    again = push(cache, fake, clock=lambda: NOW + timedelta(hours=2))
    assert (again.already_there, again.pending) == (1, 0)


def test_100_shipments_arrive_once_when_a_third_of_the_answers_are_lost(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 100)
    fake.lose_answer_every(3)  # ShipStation does the work, and the answer never comes back

    report = push(cache, fake)

    assert (report.pushed + report.already_there, report.pending, report.failed) == (100, 0, [])
    assert report.already_there > 0
    assert fake.accepted_shipped_calls() == {order_id: 1 for order_id in range(1, 101)}
    assert fake.too_many_served == 0


def test_a_pusher_killed_halfway_loses_nothing_when_started_again(
    cache: Cache, fake: FakeShipStation, tmp_path: Path
) -> None:
    shipped_orders(cache, fake, 100)
    assert cache.path is not None
    script = textwrap.dedent(
        f"""
        import os
        from shipdesk.cache import open_cache
        from shipdesk.cache.stores import get_store
        from shipdesk.upstream.outbox_push import push_outbox
        from shipdesk.upstream.rate_limit import RateLimiter
        from shipdesk.upstream.shipstation_connector import connector_for_store

        cache = open_cache({str(cache.path)!r})
        limiter = RateLimiter({fake.rate_limit}, {fake.window_seconds}, reset_margin_seconds=0.1)
        connector = connector_for_store(
            get_store(cache, "Main"), secret=os.environ["TEST_SECRET"], rate_limiter=limiter, backoff_seconds=0.01
        )
        push_outbox(cache, "Main", connector)
        """
    )
    environment = {**os.environ, "TEST_SECRET": fake.api_secret, "PYTHONPATH": str(ROOT)}
    pusher = subprocess.Popen([sys.executable, "-c", script], env=environment, cwd=ROOT)
    deadline = time.monotonic() + 60
    while len(fake.marked_shipped) < 50 and pusher.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    pusher.send_signal(signal.SIGKILL)
    pusher.wait()
    assert 50 <= len(fake.marked_shipped) < 100, "the pusher was not stopped halfway"
    assert 0 < outbox_count(cache) <= 51

    # Started again after the dead pusher's claim ran out: the rest goes, and nothing is sent twice in effect.
    report = push(cache, fake, clock=lambda: utc_now() + timedelta(minutes=3))

    assert report.pending == 0 and report.failed == []
    assert fake.accepted_shipped_calls() == {order_id: 1 for order_id in range(1, 101)}
    assert fake.too_many_served == 0


def test_a_lost_answer_is_asked_again_and_already_shipped_counts_as_done(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 1)
    fake.lose_answer_next(1)  # ShipStation marks it shipped, and the answer never comes

    report = push(cache, fake)

    assert (report.pushed, report.already_there, report.pending) == (0, 1, 0)
    assert fake.accepted_shipped_calls() == {1: 1}
    assert len(fake.shipped_calls) == 2


def test_an_entry_leaves_the_outbox_only_after_the_store_confirmed_it(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 1)
    fake.stop()  # offline

    with fake_connector(fake, fresh_record(cache), max_attempts=2) as connector:
        report = push_outbox(cache, "Main", connector, clock=lambda: NOW)

    assert report.pending == 1 and report.pushed == 0
    assert report.stopped.startswith(
        "Could not mark order T-1 (ShipStation order id 1) as shipped for store Main: shipdesk could not connect"
    )
    (entry,) = pending_outbox(cache)
    assert entry.attempts == 1 and entry.last_error == report.stopped


def test_offline_hours_hold_the_shipments_until_the_store_answers_again(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 5)
    port = int(fake.base_url.rsplit(":", 1)[1])
    fake.stop()
    with fake_connector(fake, fresh_record(cache), max_attempts=1) as connector:
        offline = push_outbox(cache, "Main", connector, clock=lambda: NOW)
    # Only the first entry was tried: an unreachable store is not asked five times.
    assert [time is not None for time in next_attempt_times(cache, "Main")] == [True, False, False, False, False]
    assert offline.pending == 5 and len(offline.failed) == 1

    fake._server = None
    restarted = FakeShipStation(api_key=fake.api_key, api_secret=fake.api_secret, with_sample_orders=False)
    for order_id in range(1, 6):
        restarted.add_order(fake.order(order_id))
    _serve_on(restarted, port)
    try:
        hours_later = push(cache, restarted, clock=lambda: NOW + timedelta(hours=3))
    finally:
        restarted.stop()

    assert (hours_later.pushed, hours_later.pending) == (5, 0)
    assert restarted.accepted_shipped_calls() == {order_id: 1 for order_id in range(1, 6)}


def _serve_on(fake: FakeShipStation, port: int) -> None:
    from http.server import ThreadingHTTPServer
    from threading import Thread

    from tests.fakes.shipstation import _Handler

    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    server.daemon_threads = True
    server.fake = fake  # type: ignore[attr-defined]
    fake._server = server
    Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()


def test_a_push_that_fails_for_now_waits_with_growing_backoff_and_says_why(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 1)
    fake.fail_next(100, status=503)

    with fake_connector(fake, fresh_record(cache), max_attempts=1) as connector:
        first = push_outbox(cache, "Main", connector, clock=lambda: NOW)
        assert push_outbox(cache, "Main", connector, clock=lambda: NOW + timedelta(seconds=29)).failed == []  # not due
        second = push_outbox(cache, "Main", connector, clock=lambda: NOW + timedelta(seconds=31))

    (failure,) = first.failed
    assert failure.next_attempt_at == NOW + timedelta(seconds=30)
    assert "Order T-1 not confirmed, and pushing stopped: " in "\n".join(first.summary_lines())
    assert second.failed[0].next_attempt_at == NOW + timedelta(seconds=31 + 60)
    assert pending_outbox(cache)[0].attempts == 2 and not pending_outbox(cache)[0].refused
    assert [backoff(n) for n in (0, 1, 2, 10)] == [
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(hours=1),
    ]


def test_a_push_the_store_refuses_for_good_waits_for_a_person_instead_of_being_retried(
    cache: Cache, fake: FakeShipStation
) -> None:
    first_order, _second_order = shipped_orders(cache, fake, 2)
    fake.update_order(1, orderStatus="cancelled")  # cancelled in ShipStation after it was shipped here

    first = push(cache, fake, clock=lambda: NOW)

    assert (first.pushed, first.pending, first.waiting_for_a_person, first.failed) == (1, 0, 1, [])
    (refused,) = first.refused
    assert refused.reason.startswith(
        "ShipStation refused to mark order T-1 (ShipStation order id 1) as shipped for store Main:"
    )
    assert "is already cancelled" in refused.reason
    assert first.summary_lines()[1] == (
        f"Order T-1 refused by Main: {refused.reason} It is not sent again by itself: once it is put right in the "
        "store, shipdesk outbox --send-again T-1; to give up on it, shipdesk outbox --drop T-1."
    )
    (entry,) = pending_outbox(cache)
    assert entry.refused and outbox_count(cache) == 0

    tries = len(fake.requests_to("/orders/markasshipped"))
    later = push(cache, fake, clock=lambda: NOW + timedelta(days=1))
    assert len(fake.requests_to("/orders/markasshipped")) == tries  # not tried again
    assert later.summary_lines()[1:] == ["1 update refused by Main earlier still waits for you (shipdesk outbox)."]

    fake.update_order(1, orderStatus="awaiting_shipment")  # put right in the store
    assert send_refused_again(cache, first_order) == 1
    again = push(cache, fake, clock=lambda: NOW + timedelta(days=1))

    assert (again.pushed, again.waiting_for_a_person) == (1, 0) and pending_outbox(cache) == []


def test_a_refused_update_of_an_order_number_another_store_has_too_names_its_store_in_the_steps(
    cache: Cache, fake: FakeShipStation, tmp_path: Path
) -> None:
    shipped_orders(cache, fake, 1)
    etsy_export = tmp_path / "etsy.csv"
    etsy_export.write_text(
        "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity\n"
        "T-1,2026-03-19 10:00,Ana Lima,Rua 1,Lisboa,1100,PT,CUP,Cup,1\n",
        encoding="utf-8",
    )
    import_csv(cache, etsy_export, store="Etsy shop")  # Etsy numbers its orders T-1 too
    fake.update_order(1, orderStatus="cancelled")

    report = push(cache, fake, clock=lambda: NOW)

    (refused,) = report.refused
    assert refused.number_shared
    assert report.summary_lines()[1].endswith(
        "once it is put right in the store, shipdesk outbox --send-again T-1 --store Main; "
        "to give up on it, shipdesk outbox --drop T-1 --store Main."
    )


def test_refused_credentials_stop_the_push_and_keep_every_entry(
    cache: Cache, fake: FakeShipStation, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    shipped_orders(cache, fake, 3)
    record = fresh_record(cache)
    wrong = "not-the-secret-4c1d"
    with fake_connector(fake, record, secret=wrong) as connector:
        report = push_outbox(cache, "Main", connector)
        shown = [repr(connector), str(connector), repr(record), caplog.text, pending_outbox(cache)[0].last_error]

    assert report.stopped == (
        "ShipStation refused the API key and secret for store Main. Check them in ShipStation under Settings → API."
    )
    assert report.pending == 3 and len(fake.requests_to("/orders/markasshipped")) == 1
    assert wrong not in "\n".join([*report.summary_lines(), *shown])


def test_an_entry_claimed_by_another_pusher_is_not_pushed_twice(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 2)
    first, _second = pending_outbox(cache)
    assert claim_entry(cache, first.id, utc_now(), timedelta(minutes=2))  # the window's pusher is sending it
    assert not claim_entry(cache, first.id, utc_now(), timedelta(minutes=2))

    report = push(cache, fake)

    assert report.pushed == 1 and fake.marked_shipped == [2]
    assert [entry.id for entry in due_entries(cache, "Main", utc_now() + timedelta(minutes=3))] == [first.id]


def test_a_later_update_of_an_order_waits_behind_its_earlier_failed_one(cache: Cache, fake: FakeShipStation) -> None:
    (order_id,) = shipped_orders(cache, fake, 1)
    # Packed again while its first update is still being sent (as an order voided and shipped again could be)
    cache.conn.execute("UPDATE orders SET status = 'awaiting_shipment' WHERE id = ?", (order_id,))
    record_shipment(cache, order_id, Shipment("UPS", "Ground", "1Z999AA10123456784", NOW))
    first, _second = pending_outbox(cache)
    claim_entry(cache, first.id, NOW, timedelta(minutes=2))

    assert due_entries(cache, "Main", NOW + timedelta(minutes=1)) == []


@pytest.mark.parametrize(
    ("carrier", "code"),
    [("USPS", "usps"), ("fedex", "fedex"), ("Royal Mail", "royal_mail"), ("Other / own courier", "other")],
)
def test_shipments_with_labels_from_elsewhere_go_up_with_shipstations_carrier_code(carrier: str, code: str) -> None:
    assert carrier_code(carrier) == code


def test_mark_as_shipped_carries_the_carrier_code_tracking_number_and_date(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 1, carrier="Other / own courier")

    push(cache, fake)

    assert fake.shipped_calls == [
        {
            "orderId": 1,
            "carrierCode": "other",
            "shipDate": "2026-03-20",
            "trackingNumber": "94001" + "0" * 17,
            "notifyCustomer": False,
            "notifySalesChannel": True,
        }
    ]


def test_a_shipment_made_on_an_evening_reaches_shipstation_dated_the_stations_day(
    cache: Cache, fake: FakeShipStation, in_california: None
) -> None:
    evening = datetime(2026, 3, 21, 2, 30, tzinfo=UTC)  # 7:30 pm on 20 March in Los Angeles
    shipped_orders(cache, fake, 1, shipped_at=evening)

    push(cache, fake)

    assert [call["shipDate"] for call in fake.shipped_calls] == ["2026-03-20"]


def test_a_connector_error_for_one_entry_does_not_stop_the_others(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 3)

    class RefusesTheFirst:
        store_name = "Main"

        def __init__(self) -> None:
            self.calls = 0

        def push(self, kind: str, payload: object, *, sent_before: bool) -> object:
            self.calls += 1
            if self.calls == 1:
                raise ConnectorError("the store has no such order", temporary=False)
            from shipdesk.upstream.connector import PushOutcome

            return PushOutcome.DONE

    report = push_outbox(cache, "Main", RefusesTheFirst())  # type: ignore[arg-type]

    assert (report.pushed, report.pending, len(report.refused), report.waiting_for_a_person) == (2, 0, 1, 1)


def test_when_pushing_stops_the_sync_says_no_orders_were_pulled(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 1)
    fake.garbage_next(100)  # every answer a maintenance page

    with fake_connector(fake, fresh_record(cache), max_attempts=1) as connector:
        report = sync_store(cache, "Main", connector)

    assert report.push.stopped and report.pull is None
    assert report.summary_lines()[-1] == (
        "No orders pulled from Main: pushing stopped first; the next sync tries both."
    )
