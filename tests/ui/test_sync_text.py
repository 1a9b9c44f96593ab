"""The status bar's words for a sync: counts when it went well, the first reason in short when it did not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shipdesk.cache.stores import StoreRecord
from shipdesk.ui.sync_text import (
    NO_STORES,
    NOT_SYNCED_YET,
    last_sync_text,
    retry_details,
    round_details,
    round_text,
    short_reason,
    store_progress_text,
    store_syncing_text,
)
from shipdesk.upstream.connector import RetryWait
from shipdesk.upstream.outbox_push import PushReport
from shipdesk.upstream.sync import PullReport, SyncReport
from shipdesk.upstream.sync_stores import StoreSync

AT = datetime(2026, 3, 20, 14, 5, tzinfo=UTC)


def synced(store: str, *, inserted: int = 0, updated: int = 0, pushed: int = 0, error: str = "") -> StoreSync:
    pull = PullReport(store, pulled=inserted + updated, inserted=inserted, updated=updated, error=error)
    return StoreSync(store, SyncReport(pull=pull, push=PushReport(store, pushed=pushed)))


def test_a_sync_that_went_well_counts_what_came_in_and_went_out() -> None:
    assert round_text([synced("Main", inserted=3, updated=2)], AT) == "Synced 14:05 · 3 new, 2 updated"
    assert round_text([synced("Main"), synced("Etsy", pushed=1)], AT) == "Synced 14:05 · nothing new, 1 shipment sent"
    assert round_text([synced("Main", inserted=1, pushed=2)], AT) == "Synced 14:05 · 1 new, 0 updated, 2 shipments sent"


def test_a_failed_sync_gives_the_first_reason_in_short_and_the_whole_story_in_the_details() -> None:
    refused = (
        "ShipStation refused the API key and secret for store Etsy. Check them in ShipStation under Settings → API."
    )
    outcomes = [synced("Main", inserted=3), StoreSync("Etsy", error=refused)]

    assert round_text(outcomes, AT) == (
        "Sync failed 14:05 (1 of 2 stores): ShipStation refused the API key and secret for store Etsy."
    )
    assert round_details(outcomes).splitlines() == [
        "Pushed 0 shipped updates to Main; 0 pending.",
        "Pulled 3 orders from Main: 3 new, 0 updated, 0 skipped.",
        f"Store Etsy not synced: {refused}",
    ]


def test_a_long_reason_loses_its_asides_and_is_cut_on_a_word() -> None:
    offline = (
        "Could not list orders (page 1) for store Main: shipdesk could not connect to ShipStation "
        "([Errno 111] Connection refused) (tried 5 times)."
    )
    assert short_reason(offline) == "Could not list orders for store Main: shipdesk could not connect to ShipStation."
    long = "word " * 40
    assert short_reason(long).endswith("word …")
    assert len(short_reason(long)) <= 112


def test_before_the_first_sync_the_status_bar_shows_what_the_cache_remembers() -> None:
    at = AT - timedelta(minutes=7)
    today = AT.astimezone()
    assert last_sync_text([], today) == NO_STORES
    assert last_sync_text([StoreRecord("Main", "shipstation")], today) == NOT_SYNCED_YET
    record = StoreRecord("Main", "shipstation", last_sync_at=at)
    assert last_sync_text([record], at.astimezone()) == f"Last synced {at.astimezone():%H:%M}"
    earlier = at - timedelta(days=1)
    failed = StoreRecord("Main", "shipstation", last_sync_at=earlier, last_sync_error="No network.")
    assert last_sync_text([failed, record], today) == (
        f"Last sync failed {earlier.astimezone():%Y-%m-%d %H:%M}: No network."
    )


def test_each_store_done_shows_with_the_stores_that_still_sync() -> None:
    assert store_progress_text(synced("Main", inserted=3)) == "Syncing… Main done"
    assert (
        store_progress_text(StoreSync("Etsy", error="No API secret is saved for store Etsy.")) == "Syncing… Etsy failed"
    )
    assert store_progress_text(synced("Etsy", inserted=1), ["Main", "Shop"]) == "Syncing Main, Shop… (Etsy done)"


def test_a_store_that_does_not_answer_says_so_while_its_sync_waits_to_try_again() -> None:
    refused = RetryWait("shipdesk could not connect to ShipStation (the connection was refused)", 4.0, 3, 5)

    assert store_syncing_text("Main") == "Syncing Main…"
    assert store_syncing_text("Main", refused) == (
        "Syncing Main… shipdesk could not connect to ShipStation; trying again in 4 s"
    )
    assert store_syncing_text("Main", RetryWait("ShipStation did not answer within 30 s", 0.01, 2, 5)).endswith(
        "trying again in 1 s"
    )
    assert retry_details(refused) == (
        "shipdesk could not connect to ShipStation (the connection was refused).\n"
        "Try 3 of 5 comes next; the sync gives up after the last."
    )
