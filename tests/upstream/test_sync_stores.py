"""Syncing every store in turn against a fake ShipStation: one store's failure leaves the others syncing, CSV stores
are left alone, and a stop asked for mid-pull keeps every page written so the next sync carries on from there."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.cache.stores import StoreRecord, add_store
from shipdesk.domain import CatalogEntry, utc_now
from shipdesk.shipstation_shipping import shipping_choices
from shipdesk.ui.sync_text import last_sync_text
from shipdesk.upstream.connector import Connector, PulledPage, PushOutcome, RetryNotice, RetryWait
from shipdesk.upstream.credentials import save_secret
from shipdesk.upstream.shipstation_connector import ShipStationConnector
from shipdesk.upstream.sync_stores import STOPPED, StoreSync, sync_stores, syncable_stores
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import (
    add_fake_store,
    fake_connector,
    fake_connectors,
    fresh_record,
    shipstation_order,
)
from tests.fakes.watched_stop import WatchedStop


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        yield server


class StopAfterFirstPage:
    """A store's connector that asks for the stop while the engine reads its second page, as closing the app would."""

    def __init__(self, connector: Connector, stop: threading.Event) -> None:
        self._connector = connector
        self._stop = stop

    @property
    def store_name(self) -> str:
        return self._connector.store_name

    def pull(self, since: datetime | None) -> Iterator[PulledPage]:
        for number, page in enumerate(self._connector.pull(since)):
            if number == 1:
                self._stop.set()
            yield page

    def push(self, kind: str, payload: Mapping[str, object], *, sent_before: bool) -> PushOutcome:
        return self._connector.push(kind, payload, sent_before=sent_before)

    def close(self) -> None:
        self._connector.close()


def test_a_stop_mid_pull_keeps_the_pages_written_and_the_next_sync_carries_on(
    cache: Cache, fake: FakeShipStation
) -> None:
    fake.add_generated_orders(1200, first_modified=utc_now() - timedelta(days=2))
    add_fake_store(cache, fake)
    stop = threading.Event()

    (stopped,) = sync_stores(
        cache,
        syncable_stores(cache),
        connector_for=lambda record, stop, on_retry: StopAfterFirstPage(fake_connector(fake, record, stop=stop), stop),
        stop=stop,
    )

    assert stopped.error == STOPPED
    assert len(load_orders(cache, OrderQuery())) == 500
    assert fresh_record(cache).high_water is not None

    (carried_on,) = sync_stores(cache, syncable_stores(cache), connector_for=fake_connectors(fake))

    assert carried_on.problem == ""
    assert carried_on.inserted == 700
    assert len(load_orders(cache, OrderQuery())) == 1200


def test_a_store_that_cannot_sync_leaves_the_others_syncing(
    cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring
) -> None:
    fake.add_generated_orders(3, first_modified=utc_now() - timedelta(hours=3))
    add_fake_store(cache, fake, "A first")  # its secret was never saved
    add_fake_store(cache, fake, "Main")
    save_secret("Main", fake.api_secret)
    add_store(cache, StoreRecord(name="Market stall", kind="csv"))
    add_store(cache, StoreRecord(name="Old shop", kind="customstore"))

    outcomes = sorted(sync_stores(cache, syncable_stores(cache)), key=lambda outcome: outcome.store)

    assert [(outcome.store, outcome.problem) for outcome in outcomes] == [
        (
            "A first",
            "No API secret is saved for store A first. Give it again: File → Stores… → Edit in the window, or shipdesk stores edit 'A first' --new-secret.",
        ),
        ("Main", ""),
        ("Old shop", "shipdesk cannot sync customstore store Old shop yet."),
    ]
    assert outcomes[1].inserted == 3
    assert outcomes[0].summary_lines() == [
        "Store A first not synced: No API secret is saved for store A first. Give it again: File → Stores… → Edit in the window, or shipdesk stores edit 'A first' --new-secret."
    ]


def test_a_store_whose_server_went_quiet_holds_up_no_other_store(cache: Cache, fake: FakeShipStation) -> None:
    fake.add_generated_orders(3, first_modified=utc_now() - timedelta(hours=3))
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as quiet:
        add_fake_store(cache, quiet, "A quiet one")  # synced first when stores take turns
        add_fake_store(cache, fake, "Main")
        answer = quiet.hang_next(100)
        servers = {"A quiet one": quiet, "Main": fake}
        give_up = threading.Timer(30, answer.set)  # so that a sync taking turns fails this test rather than hangs it
        give_up.start()
        try:
            outcomes = sync_stores(
                cache,
                syncable_stores(cache),
                connector_for=lambda record, *, stop, on_retry=None: fake_connector(
                    servers[record.name], record, stop=stop, on_retry=on_retry
                ),
            )

            main = next(outcomes)
            assert (main.store, main.problem, main.inserted) == ("Main", "", 3)
            assert not answer.is_set()  # the quiet store still waits for its first answer
            answer.set()
            (quiet_one,) = outcomes
        finally:
            give_up.cancel()

        assert (quiet_one.store, quiet_one.problem) == ("A quiet one", "")
        assert len(load_orders(cache, OrderQuery(store="Main"))) == 3


def test_a_sync_keeps_the_accounts_carriers_and_fetches_them_again_only_when_a_day_old(
    cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring
) -> None:
    add_fake_store(cache, fake)
    save_secret("Main", fake.api_secret)

    list(sync_stores(cache, syncable_stores(cache), connector_for=fake_connectors(fake)))
    list(sync_stores(cache, syncable_stores(cache), connector_for=fake_connectors(fake)))

    assert [carrier.code for carrier in shipping_choices(cache, "Main")] == ["endicia", "fedex", "stamps_com", "ups"]
    assert len(fake.requests_to("/carriers")) == 1
    day_old = (utc_now() - timedelta(days=1, minutes=1)).isoformat()
    cache.conn.execute("UPDATE carrier_catalog SET fetched_at = ?", (day_old,))
    list(sync_stores(cache, syncable_stores(cache), connector_for=fake_connectors(fake)))
    assert len(fake.requests_to("/carriers")) == 2


def test_a_store_that_fails_its_sync_is_not_asked_for_its_carriers(cache: Cache, fake: FakeShipStation) -> None:
    add_fake_store(cache, fake)

    [synced] = sync_stores(cache, syncable_stores(cache), connector_for=fake_connectors(fake, secret="wrong"))

    assert synced.problem.startswith("ShipStation refused the API key and secret")
    assert fake.requests_to("/carriers") == []
    assert shipping_choices(cache, "Main") == []


def answer_429_for_a_minute(fake: FakeShipStation) -> None:
    fake.too_many_next(1, reset_seconds=60)


def answer_500(fake: FakeShipStation) -> None:
    fake.fail_next(1, status=500)


@pytest.mark.parametrize("fault", [answer_429_for_a_minute, answer_500], ids=["rate limit", "retry"])
def test_a_stop_ends_a_sync_that_waits_for_shipstation_at_once(
    cache: Cache, fake: FakeShipStation, fault: Callable[[FakeShipStation], None]
) -> None:
    fake.add_generated_orders(3, first_modified=utc_now() - timedelta(hours=3))
    add_fake_store(cache, fake)
    fault(fake)
    stop = WatchedStop()
    outcomes: list[StoreSync] = []
    syncing = threading.Thread(
        target=lambda: outcomes.extend(
            # A retry would come after 60 s, as would the end of the rate limit's pause.
            sync_stores(
                cache, syncable_stores(cache), connector_for=fake_connectors(fake, backoff_seconds=60), stop=stop
            )
        )
    )

    syncing.start()
    assert stop.waited_on.wait(timeout=30)
    stop.set()
    syncing.join(timeout=30)

    assert not syncing.is_alive()
    assert [outcome.error for outcome in outcomes] == [STOPPED]
    assert len(fake.requests) == 1
    assert load_orders(cache, OrderQuery()) == []


def test_a_store_that_could_not_start_its_sync_keeps_why_and_still_gets_its_first_sync_rule(
    cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring
) -> None:
    fake.add_order(
        shipstation_order(1, number="OLD-1", order_date=utc_now() - timedelta(days=30)),
        modified=utc_now() - timedelta(hours=1),
    )
    fake.add_order(
        shipstation_order(2, number="NEW-2", order_date=utc_now() - timedelta(days=1)),
        modified=utc_now() - timedelta(hours=1),
    )
    add_fake_store(cache, fake)  # its secret was never saved

    (failed,) = sync_stores(cache, syncable_stores(cache))

    record = fresh_record(cache)
    assert record.last_sync_error == failed.error and failed.error.startswith("No API secret is saved for store Main.")
    assert record.last_sync_at is not None and record.last_success_at is None
    assert failed.done_lines() == [] and failed.problem_lines() == [f"Store Main not synced: {failed.error}"]

    (synced,) = sync_stores(cache, syncable_stores(cache), connector_for=fake_connectors(fake))

    assert synced.report is not None and synced.report.pull is not None
    assert synced.report.pull.first_sync  # not the store's whole history: OLD-1 waits too long to be packed now
    assert [skipped.order_number for skipped in synced.report.pull.skipped] == ["OLD-1"]
    assert fresh_record(cache).last_sync_error == ""


def test_the_window_says_when_the_last_sync_failed_not_when_the_last_good_one_was(
    cache: Cache, fake: FakeShipStation
) -> None:
    add_fake_store(cache, fake)
    list(sync_stores(cache, syncable_stores(cache), connector_for=fake_connectors(fake)))
    good = fresh_record(cache)

    (failed,) = sync_stores(cache, syncable_stores(cache), connector_for=fake_connectors(fake, secret="wrong"))
    assert failed.problem

    record = fresh_record(cache)
    assert record.last_success_at == good.last_success_at
    assert record.last_sync_at is not None and good.last_success_at is not None
    assert record.last_sync_at > good.last_success_at
    today = record.last_sync_at.astimezone()
    assert last_sync_text([record], today) == (
        f"Last sync failed {today:%H:%M}: ShipStation refused the API key and secret for store Main."
    )


def sync_three_orders_hearing_progress(
    cache: Cache, fake: FakeShipStation
) -> tuple[StoreSync, list[tuple[str, RetryWait | None]]]:
    """Store Main with 3 orders, synced; its outcome, and each store started (no wait) or wait told, in turn."""
    fake.add_generated_orders(3, first_modified=utc_now() - timedelta(hours=3))
    add_fake_store(cache, fake)
    heard: list[tuple[str, RetryWait | None]] = []
    (synced,) = sync_stores(
        cache,
        syncable_stores(cache),
        connector_for=fake_connectors(fake),
        progress=lambda store, wait: heard.append((store, wait)),
    )
    return synced, heard


def test_the_sync_says_which_store_it_starts_and_each_wait_before_a_request_is_tried_again(
    cache: Cache, fake: FakeShipStation
) -> None:
    fake.fail_next(2, status=500)

    synced, heard = sync_three_orders_hearing_progress(cache, fake)

    assert synced.problem == "" and synced.inserted == 3
    assert [(store, wait is None) for store, wait in heard] == [("Main", True), ("Main", False), ("Main", False)]
    waits = [wait for _store, wait in heard if wait is not None]
    assert [(wait.attempt, wait.attempts) for wait in waits] == [(2, 5), (3, 5)]
    assert waits[0].reason.startswith("ShipStation had a server error (500")
    assert waits[1].seconds == 2 * waits[0].seconds  # the backoff doubles


class ClosedWhileFetchingCarriers(ShipStationConnector):
    """A ShipStation store whose app is closed just as its carriers are asked for, after its orders came in."""

    def __init__(self, connector: ShipStationConnector, stop: threading.Event) -> None:
        super().__init__(connector.client)
        self._stop = stop

    def shipping_catalog(self) -> list[CatalogEntry]:
        self._stop.set()
        return super().shipping_catalog()


def test_a_stop_while_the_carriers_are_fetched_keeps_the_finished_sync_and_its_counts(
    cache: Cache, fake: FakeShipStation
) -> None:
    fake.add_generated_orders(3, first_modified=utc_now() - timedelta(hours=3))
    add_fake_store(cache, fake)

    def connector_for(record: StoreRecord, *, stop: threading.Event, on_retry: RetryNotice | None = None) -> Connector:
        return ClosedWhileFetchingCarriers(fake_connector(fake, record, stop=stop, on_retry=on_retry), stop)

    (synced,) = sync_stores(cache, syncable_stores(cache), connector_for=connector_for)

    assert synced.problem == ""
    assert synced.inserted == 3


def test_a_sync_refused_for_too_many_requests_says_it_waits_for_the_rate_limit(
    cache: Cache, fake: FakeShipStation
) -> None:
    """Another program on the same API key used up the minute: the status bar must say why the sync stands still."""
    fake.too_many_next(1, reset_seconds=1)

    synced, heard = sync_three_orders_hearing_progress(cache, fake)

    assert synced.problem == "" and synced.inserted == 3
    waits = [wait for _store, wait in heard if wait is not None]
    assert len(waits) == 1
    (wait,) = waits
    assert "too many requests" in wait.reason
    assert wait.seconds >= 1  # ShipStation's X-Rate-Limit-Reset
    assert (wait.attempt, wait.attempts) == (2, 5)
