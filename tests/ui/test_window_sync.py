"""Refresh (F5) and the timed sync in the window, against a fake ShipStation over real HTTP: orders come in, shipped
updates go out, failures show calmly in the status bar and lose nothing, and the sync never runs on the UI thread."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.shipments import pending_outbox, record_shipment
from shipdesk.cache.stores import StoreRecord, add_store
from shipdesk.domain import Shipment, utc_now
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.order_detail import STORE_NOT_TOLD
from shipdesk.ui.run_window import run_window
from shipdesk.ui.sync_runner import SyncRunner
from shipdesk.ui.sync_text import BUSY, NO_FILE, NO_STORES, NOT_SYNCED_YET
from shipdesk.upstream.connector import Connector, RetryNotice
from shipdesk.upstream.connectors import open_connector
from shipdesk.upstream.credentials import save_secret
from shipdesk.upstream.sync_stores import StoreSync
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store
from tests.ui.conftest import ORDER_NUMBER_COLUMN, Connectors, click_order, shown_column, type_text

SYNC_TIMEOUT_MS = 20_000
SYNCED = re.compile(r"Synced \d\d:\d\d · .+")
FAILED = re.compile(r"Sync failed \d\d:\d\d: ")
SECRET_ACCOUNT = ("shipdesk", "shipstation:Main")


@pytest.fixture
def store_cache(cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring) -> Cache:
    """A cache with the ShipStation store Main connected to the fake, its secret in the keyring."""
    add_fake_store(cache, fake)
    save_secret("Main", fake.api_secret)
    return cache


def sync_window(
    cache: Cache, qtbot: QtBot, connectors: Connectors, every: timedelta = timedelta(minutes=5)
) -> MainWindow:
    shown = MainWindow(cache, title_suffix="test", sync_runner=SyncRunner(cache, every=every, connector_for=connectors))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


@pytest.fixture
def window(store_cache: Cache, qtbot: QtBot, connectors: Connectors) -> MainWindow:
    return sync_window(store_cache, qtbot, connectors)


def wait_for_sync(window: MainWindow, qtbot: QtBot, start: Callable[[], object] = lambda: None) -> list[StoreSync]:
    """Does `start` and waits for the sync it sets off (or the timer's) to finish; the stores' outcomes.

    It polls rather than waiting in a nested event loop: a quit left queued by an earlier test ends such a loop at once.
    """
    ended: list[list[StoreSync]] = []
    window.sync_runner.finished.connect(ended.append)
    start()
    qtbot.waitUntil(lambda: bool(ended), timeout=SYNC_TIMEOUT_MS)
    return ended[0]


def press_f5(window: MainWindow, qtbot: QtBot) -> None:
    """F5 as the packer presses it, and wait for the sync it starts to finish."""

    def press() -> None:
        window.activateWindow()
        qtbot.keyClick(window.table, Qt.Key.Key_F5)

    wait_for_sync(window, qtbot, press)


def reloads(window: MainWindow) -> list[int]:
    """Grows by one each time the table reads the cache again."""
    seen: list[int] = []
    window.model.modelReset.connect(lambda: seen.append(window.model.rowCount()))
    return seen


def sync_status(window: MainWindow) -> str:
    return window.sync_status.text()


def ship_here(cache: Cache, number: str) -> None:
    (stored,) = find_by_number(cache, number)
    record_shipment(cache, stored.id, Shipment("usps", "usps_priority_mail", "9400100000000000000001", utc_now()))


# ----------------------------------------------------------------------------- pulling and pushing


def test_once_a_sync_has_sent_the_selected_orders_update_the_detail_pane_says_so(
    window: MainWindow, store_cache: Cache, qtbot: QtBot
) -> None:
    press_f5(window, qtbot)
    ship_here(store_cache, "W-2")
    window.reload()
    click_order(window, qtbot, "W-2")
    assert STORE_NOT_TOLD in window.detail.facts.text()

    press_f5(window, qtbot)  # nothing new comes; only W-2's update goes

    assert window.outbox_count.text() == "0 updates waiting in the outbox"
    assert window.table.selected_order_ids() == [find_by_number(store_cache, "W-2")[0].id]
    assert STORE_NOT_TOLD not in window.detail.facts.text()


def test_f5_pulls_the_stores_orders_into_the_table_and_the_status_bar_says_so(window: MainWindow, qtbot: QtBot) -> None:
    assert window.model.rowCount() == 0
    assert sync_status(window) == NOT_SYNCED_YET

    press_f5(window, qtbot)

    assert sorted(shown_column(window, ORDER_NUMBER_COLUMN)) == ["W-1", "W-2", "W-3"]
    assert window.shown_count.text() == "3 orders"
    assert SYNCED.fullmatch(sync_status(window))
    assert sync_status(window).endswith(" · 3 new, 0 updated")
    assert "Pulled 3 orders from Main (first sync): 3 new" in window.sync_status.toolTip()
    assert window.filters.chosen_store() is None


def test_a_shipment_recorded_here_is_pushed_and_the_outbox_empties(
    window: MainWindow, store_cache: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    press_f5(window, qtbot)
    ship_here(store_cache, "W-2")
    window.reload()
    assert window.outbox_count.text() == "1 update waiting in the outbox"

    press_f5(window, qtbot)

    assert window.outbox_count.text() == "0 updates waiting in the outbox"
    assert fake.accepted_shipped_calls() == {2: 1}
    assert sync_status(window).endswith(" · nothing new, 1 shipment sent")
    assert "Pushed 1 shipped update to Main; 0 pending." in window.sync_status.toolTip()


def no_network(fake: FakeShipStation, keys: MemoryKeyring) -> None:
    fake.stop()


def server_errors(fake: FakeShipStation, keys: MemoryKeyring) -> None:
    fake.fail_next(1000)


def refused_secret(fake: FakeShipStation, keys: MemoryKeyring) -> None:
    keys.secrets[SECRET_ACCOUNT] = "not-the-secret-5e2a"


def no_secret(fake: FakeShipStation, keys: MemoryKeyring) -> None:
    keys.secrets.clear()


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (no_network, "Could not mark order W-1 as shipped for store Main: shipdesk could not connect to ShipStation."),
        (server_errors, "Could not mark order W-1 as shipped for store Main: ShipStation had a server error."),
        (refused_secret, "ShipStation refused the API key and secret for store Main."),
        (
            no_secret,
            "No API secret is saved for store Main.",
        ),
    ],
)
def test_a_failing_store_shows_the_failure_calmly_and_loses_nothing(
    fault: Callable[[FakeShipStation, MemoryKeyring], None],
    reason: str,
    window: MainWindow,
    store_cache: Cache,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    qtbot: QtBot,
) -> None:
    press_f5(window, qtbot)
    ship_here(store_cache, "W-1")
    window.reload()
    secrets = {fake.api_secret, *memory_keyring.secrets.values()}
    fault(fake, memory_keyring)
    secrets.update(memory_keyring.secrets.values())

    press_f5(window, qtbot)

    failed = FAILED.match(sync_status(window))
    assert failed is not None
    assert sync_status(window)[failed.end() :] == reason
    assert window.isVisible()
    assert window.model.rowCount() == 3
    assert window.outbox_count.text() == "1 update waiting in the outbox"
    (entry,) = pending_outbox(store_cache)
    assert entry.payload["order_number"] == "W-1"
    assert fake.accepted_shipped_calls() == {}
    shown = sync_status(window) + window.sync_status.toolTip() + window.statusBar().currentMessage()
    assert not any(secret in shown for secret in secrets)


def test_while_shipstation_fails_the_status_bar_says_the_sync_tries_again_then_that_it_synced(
    window: MainWindow, fake: FakeShipStation, qtbot: QtBot
) -> None:
    fake.fail_next(2, status=500)
    shown_while_waiting: list[tuple[str, str]] = []
    window.sync_runner.store_waiting.connect(
        lambda _store, _wait: shown_while_waiting.append((sync_status(window), window.sync_status.toolTip()))
    )

    press_f5(window, qtbot)

    assert [text for text, _tip in shown_while_waiting] == [
        "Syncing Main… ShipStation had a server error; trying again in 1 s"
    ] * 2
    first_tip = shown_while_waiting[0][1]
    assert first_tip.startswith("ShipStation had a server error (500")
    assert first_tip.endswith("Try 2 of 5 comes next; the sync gives up after the last.")
    assert SYNCED.fullmatch(sync_status(window))
    assert window.sync_status.toolTip().startswith("Pushed 0 shipped updates to Main")


# ----------------------------------------------------------------------------- when it runs, and where


def test_the_timer_syncs_by_itself(store_cache: Cache, qtbot: QtBot, connectors: Connectors) -> None:
    window = sync_window(store_cache, qtbot, connectors, every=timedelta(milliseconds=50))

    [synced] = wait_for_sync(window, qtbot)

    assert (synced.store, synced.inserted, synced.problem) == ("Main", 3, "")
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)  # later timed syncs find nothing new


def test_the_sync_runs_off_the_ui_thread_one_at_a_time_and_keeps_the_filters(
    window: MainWindow, connectors: Connectors, qtbot: QtBot
) -> None:
    connectors.gate = threading.Event()
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: len(connectors.threads) == 1)  # the worker holds at the gate, mid-sync

    assert connectors.threads != [threading.main_thread().ident]
    qtbot.waitUntil(lambda: sync_status(window) == "Syncing Main…")
    type_text(window.filters.search, "W-2")  # the window still answers: the search waits for a pause, then runs
    qtbot.waitUntil(lambda: window.model.query.search == "W-2")
    window.sync_action.trigger()
    assert window.statusBar().currentMessage() == BUSY

    wait_for_sync(window, qtbot, connectors.gate.set)

    assert len(connectors.threads) == 1  # the second F5 started nothing
    assert shown_column(window, ORDER_NUMBER_COLUMN) == ["W-2"]
    assert window.filters.search.text() == "W-2"


def test_stores_sync_side_by_side_and_the_status_bar_names_every_one_still_syncing(
    window: MainWindow, store_cache: Cache, fake: FakeShipStation, connectors: Connectors, qtbot: QtBot
) -> None:
    add_fake_store(store_cache, fake, "Etsy shop")
    save_secret("Etsy shop", fake.api_secret)
    connectors.gate = threading.Event()
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: len(connectors.threads) == 2)  # both stores are held at the gate at once

    qtbot.waitUntil(lambda: sync_status(window) in ("Syncing Main, Etsy shop…", "Syncing Etsy shop, Main…"))
    outcomes = wait_for_sync(window, qtbot, connectors.gate.set)

    assert len(set(connectors.threads)) == 2
    assert sorted((outcome.store, outcome.problem) for outcome in outcomes) == [("Etsy shop", ""), ("Main", "")]
    assert SYNCED.fullmatch(sync_status(window))


def test_a_store_done_first_leaves_the_one_still_syncing_named_in_the_status_bar(
    store_cache: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    add_fake_store(store_cache, fake, "Etsy shop")
    save_secret("Etsy shop", fake.api_secret)
    main_answers = threading.Event()

    def connect(record: StoreRecord, *, stop: threading.Event, on_retry: RetryNotice | None = None) -> Connector:
        if record.name == "Main":
            main_answers.wait(timeout=30)  # Main's server is slow to answer
        return open_connector(record, backoff_seconds=0.01, stop=stop, on_retry=on_retry)

    window = sync_window(store_cache, qtbot, connect)  # type: ignore[arg-type]
    done: list[StoreSync] = []
    window.sync_runner.store_synced.connect(done.append)
    try:
        window.sync_action.trigger()
        qtbot.waitUntil(lambda: [outcome.store for outcome in done] == ["Etsy shop"], timeout=SYNC_TIMEOUT_MS)

        assert sync_status(window) == "Syncing Main… (Etsy shop done)"
    finally:
        main_answers.set()
        wait_for_sync(window, qtbot)


def test_closing_the_window_mid_sync_stops_the_worker_and_keeps_the_waiting_update(
    window: MainWindow, store_cache: Cache, fake: FakeShipStation, connectors: Connectors, qtbot: QtBot
) -> None:
    press_f5(window, qtbot)
    ship_here(store_cache, "W-3")
    gate = connectors.gate = threading.Event()
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: len(connectors.threads) == 2)
    window.sync_runner.stopping.connect(gate.set)  # let the worker go only once it has been asked to stop

    window.close()

    assert not window.sync_runner.is_running
    assert fake.accepted_shipped_calls() == {}
    (entry,) = pending_outbox(store_cache)
    assert (entry.attempts, entry.last_error) == (0, "")  # let go of unsent, not counted as a failed push


def test_closing_the_window_while_the_sync_waits_to_retry_ends_the_wait(
    window: MainWindow, fake: FakeShipStation, connectors: Connectors, qtbot: QtBot
) -> None:
    connectors.backoff_seconds = 600  # ShipStation fails, and the next try would come ten minutes later
    fake.fail_next(5, status=500)
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: len(fake.requests) == 1)

    window.close()

    assert not window.sync_runner.is_running
    assert len(connectors.stops) == 1 and connectors.stops[0].is_set()
    assert len(fake.requests) == 1  # and no retry after it


def test_closing_the_window_while_shipstation_is_slow_to_answer_hides_it_before_waiting_for_the_answer(
    window: MainWindow, fake: FakeShipStation, qtbot: QtBot
) -> None:
    fake.slow_next(1, seconds=1.0)
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: len(fake.requests) == 1)
    shown_while_waiting: list[bool] = []
    window.sync_runner.stopping.connect(lambda: shown_while_waiting.append(window.isVisible()))

    window.close()

    assert shown_while_waiting == [False]
    assert not window.sync_runner.is_running


def test_without_stores_f5_reloads_the_cache_and_says_no_store_is_connected(
    cache: Cache, qtbot: QtBot, connectors: Connectors
) -> None:
    add_store(cache, StoreRecord(name="Market stall", kind="csv"))
    window = sync_window(cache, qtbot, connectors)
    assert sync_status(window) == NO_STORES
    reloaded = reloads(window)

    window.sync_action.trigger()

    assert reloaded == [0]
    assert not window.sync_runner.is_running
    assert connectors.threads == []
    assert sync_status(window) == NO_STORES


def test_the_sync_state_is_shown_whole_beside_the_counts(window: MainWindow, qtbot: QtBot) -> None:
    press_f5(window, qtbot)

    label = window.sync_status
    qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width())  # once the status bar has laid out again
    bar = window.statusBar()
    assert [widget.isVisible() for widget in (window.shown_count, label, window.outbox_count)] == [True] * 3
    assert window.shown_count.geometry().right() < label.geometry().left()
    assert label.geometry().right() < window.outbox_count.geometry().left() <= bar.width()


def test_the_app_syncs_as_soon_as_its_window_opens(store_cache: Cache, qtbot: QtBot) -> None:
    seen: list[tuple[MainWindow, str, int]] = []

    def quit_once_synced() -> None:
        (window,) = [widget for widget in QApplication.topLevelWidgets() if isinstance(widget, MainWindow)]

        def look_and_quit() -> None:
            seen.append((window, sync_status(window), window.model.rowCount()))
            QApplication.exit(0)  # not quit(): see tests/ui/test_run_window.py

        if window.sync_runner.is_running:
            window.sync_runner.finished.connect(look_and_quit)
        else:
            look_and_quit()

    QTimer.singleShot(0, quit_once_synced)
    assert run_window(store_cache) == 0
    ((window, status, rows),) = seen
    qtbot.addWidget(window)
    assert SYNCED.fullmatch(status)
    assert rows == 3


def test_a_cache_only_in_memory_is_not_synced_and_f5_reloads_it(
    fake: FakeShipStation, memory_keyring: MemoryKeyring, qtbot: QtBot, connectors: Connectors
) -> None:
    cache = open_cache(None)
    try:
        add_fake_store(cache, fake)
        save_secret("Main", fake.api_secret)
        window = sync_window(cache, qtbot, connectors, every=timedelta(milliseconds=1))
        reloaded = reloads(window)

        window.sync_action.trigger()
        qtbot.wait(20)  # room for the 1 ms timer to fire, were it running

        assert reloaded == [0]
        assert sync_status(window) == NO_FILE
        assert not window.sync_runner.is_running
        assert connectors.threads == []
        window.close()
    finally:
        cache.close()


def test_once_the_next_try_has_gone_out_the_status_bar_says_it_is_being_tried_again(
    window: MainWindow, fake: FakeShipStation, qtbot: QtBot
) -> None:
    fake.drop_next(1)  # the first request gets no answer
    answer_the_retry = fake.hang_next(1)  # and the try after it is slow to be answered
    said_while_waiting: list[str] = []
    window.sync_runner.store_waiting.connect(lambda _store, _wait: said_while_waiting.append(window.sync_status.text()))
    ended: list[object] = []
    window.sync_runner.finished.connect(ended.append)
    window.sync_action.trigger()
    try:
        qtbot.waitUntil(lambda: len(fake.requests) == 2, timeout=SYNC_TIMEOUT_MS)  # the second try is in flight

        assert said_while_waiting == [
            "Syncing Main… ShipStation closed the connection without answering; trying again in 1 s"
        ]
        qtbot.waitUntil(lambda: window.sync_status.text() == "Syncing Main… try 2 of 5", timeout=SYNC_TIMEOUT_MS)
        assert window.sync_status.toolTip().endswith("Try 2 of 5 is under way; the sync gives up after the last.")
    finally:
        answer_the_retry.set()
        qtbot.waitUntil(lambda: bool(ended), timeout=SYNC_TIMEOUT_MS)
    assert window.sync_status.text().startswith("Synced ")


def test_an_update_the_store_refuses_is_named_in_the_status_bar_with_where_to_read_why(
    window: MainWindow, cache: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    wait_for_sync(window, qtbot, window.sync_action.trigger)
    (stored,) = find_by_number(cache, "W-1")
    record_shipment(cache, stored.id, Shipment("usps", "usps_priority_mail", "9400100000000000000001", utc_now()))
    fake.update_order(1, orderStatus="cancelled")  # cancelled in ShipStation after it was packed here
    window.reload()

    wait_for_sync(window, qtbot, window.sync_action.trigger)

    status = window.sync_status.text()
    assert status.endswith(": Main refused the update of order W-1; select the order to read why")
    assert "…" not in status
    assert window.outbox_count.text() == "0 updates waiting in the outbox; 1 refused by the store"
    click_order(window, qtbot, "W-1")
    assert "Order W-1 is already cancelled." in window.detail.facts.text()  # the reason the status bar points to
