"""What the outbox sends ShipStation, and when: the carrier's code, the tracking number whole, "already shipped"
told apart from an update that arrived, and the next try in the station's time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.carriers import load_catalog, replace_catalog
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.cache.shipments import pending_outbox, record_shipment
from shipdesk.cli import main
from shipdesk.domain import Shipment, utc_now
from shipdesk.shipping.carrier_catalog import group_choices
from shipdesk.upstream.connector import StopRequested
from shipdesk.upstream.outbox_push import PushReport, push_outbox
from shipdesk.upstream.sync import pull_orders
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store, fake_connector, fresh_record, shipstation_order

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
EVENING = datetime(2026, 3, 21, 2, 30, tzinfo=UTC)  # 7:30 pm on 20 March in Los Angeles


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        yield server


@pytest.fixture
def order_id(cache: Cache, fake: FakeShipStation) -> int:
    """Order T-1 of ShipStation store Main, pulled into the cache with the account's carrier catalog."""
    fake.add_order(shipstation_order(1, order_date=utc_now() - timedelta(days=1)), modified=utc_now())
    record = add_fake_store(cache, fake)
    with fake_connector(fake, record) as connector:
        pull_orders(cache, record, connector)
        replace_catalog(cache, "Main", connector.shipping_catalog())
    (stored,) = load_orders(cache, OrderQuery())
    return stored.id


def push(cache: Cache, fake: FakeShipStation, *, clock_at: datetime = NOW, **options: object) -> PushReport:
    with fake_connector(fake, fresh_record(cache), **options) as connector:
        return push_outbox(cache, "Main", connector, clock=lambda: clock_at)


@pytest.mark.parametrize(("carrier_code", "offered_as"), [("fedex", "FedEx (SS)"), ("endicia", "Endicia")])
def test_a_carrier_picked_from_the_accounts_list_goes_up_with_its_code_not_as_other(
    cache: Cache, fake: FakeShipStation, order_id: int, carrier_code: str, offered_as: str
) -> None:
    """The print dialog offers the account's carriers by name, a nickname in brackets: that name is what the
    shipment keeps when the packer prints the carrier's label from elsewhere, and ShipStation must hear the code."""
    offered = {choices.name: choices.code for choices in group_choices(load_catalog(cache, "Main"))}
    assert offered[offered_as] == carrier_code
    record_shipment(cache, order_id, Shipment(offered_as, "Ground", "7946 0000 1234", NOW))

    push(cache, fake)

    assert [call["carrierCode"] for call in fake.shipped_calls] == [carrier_code]


def test_a_tracking_number_typed_with_spaces_reaches_shipstation_without_them(
    cache: Cache, fake: FakeShipStation, order_id: int
) -> None:
    """Carriers print tracking numbers in groups of four for reading; ShipStation and the sales channel it notifies
    take the number whole, or the buyer's tracking link leads nowhere."""
    assert cache.path is not None
    main(["--db", str(cache.path), "ship", "T-1", "--carrier", "USPS", "--service", "Priority Mail",
          "--tracking", " 9400 1118 9922 3344 5566 77 "])  # fmt: skip

    push(cache, fake)

    assert [call["trackingNumber"] for call in fake.shipped_calls] == ["9400111899223344556677"]


def test_an_order_shipped_in_shipstation_meanwhile_waits_for_a_person_instead_of_counting_as_delivered(
    cache: Cache, fake: FakeShipStation, order_id: int
) -> None:
    fake.update_order(1, orderStatus="shipped")  # a colleague bought a label for it in ShipStation
    record_shipment(cache, order_id, Shipment("USPS", "Priority Mail", "9400111899223344556677", NOW))

    report = push(cache, fake)

    assert (report.pushed, report.already_there, report.waiting_for_a_person) == (0, 0, 1)
    (refused,) = report.refused
    assert "already" in refused.reason and "twice" in refused.reason
    assert refused.reason.endswith("then drop this update; sent again, it would be refused again.")
    (entry,) = pending_outbox(cache)
    assert entry.refused


def test_an_update_whose_answer_was_lost_on_an_earlier_run_still_counts_as_delivered(
    cache: Cache, fake: FakeShipStation, order_id: int
) -> None:
    record_shipment(cache, order_id, Shipment("USPS", "Priority Mail", "9400111899223344556677", NOW))
    fake.lose_answer_next(1)  # ShipStation marks it shipped, and the answer never comes back
    assert push(cache, fake, max_attempts=1).failed

    report = push(cache, fake, clock_at=NOW + timedelta(hours=1))

    assert (report.already_there, report.refused, report.pending) == (1, [], 0)
    assert fake.accepted_shipped_calls() == {1: 1}


def test_the_next_try_of_a_failed_update_is_told_in_the_stations_time_not_tomorrow_in_utc(
    cache: Cache, fake: FakeShipStation, order_id: int, in_california: None
) -> None:
    record_shipment(cache, order_id, Shipment("USPS", "Priority Mail", "9400111899223344556677", EVENING))
    fake.fail_next(5, status=503)

    report = push(cache, fake, clock_at=EVENING, max_attempts=1)

    (failure_line,) = [line for line in report.summary_lines() if "not confirmed" in line]
    assert failure_line.endswith("Next try after 2026-03-20 19:30.")


def test_an_update_stopped_before_it_was_sent_does_not_count_as_delivered_when_the_store_shipped_it_another_way(
    cache: Cache, fake: FakeShipStation, order_id: int
) -> None:
    record_shipment(cache, order_id, Shipment("USPS", "Priority Mail", "9400111899223344556677", NOW))
    closing = threading.Event()
    closing.set()  # the window closes while the update waits for its turn at ShipStation's rate limit
    with fake_connector(fake, fresh_record(cache), stop=closing) as connector, pytest.raises(StopRequested):
        push_outbox(cache, "Main", connector, clock=lambda: NOW)
    assert fake.shipped_calls == []  # it never went out
    fake.update_order(1, orderStatus="shipped")  # a colleague bought a label for it in ShipStation

    report = push(cache, fake, clock_at=NOW + timedelta(minutes=5))

    assert (report.already_there, report.waiting_for_a_person) == (0, 1)
    (entry,) = pending_outbox(cache)
    assert entry.refused
