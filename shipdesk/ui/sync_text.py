"""What a sync did, in the words of the status bar: synced with its counts, failed with the reason, or not possible.

Plain text with no Qt, so the wording is tested without a window.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from shipdesk.cache.stores import StoreRecord
from shipdesk.domain import plural
from shipdesk.ui.refused_updates import WINDOW_STEPS
from shipdesk.upstream.connector import RetryWait
from shipdesk.upstream.sync_stores import StoreSync

SYNCING = "Syncing…"
NO_STORES = "No stores connected"
NO_FILE = "Sync off: this cache is only in memory"
NOT_SYNCED_YET = "Not synced yet"
BUSY = "A sync is already running; the status bar shows when it is done."
REASON_LENGTH = 110  # the rest of a long reason is in the tooltip

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_ASIDE = re.compile(r"\s*\([^()]*\)")  # innermost first, so nested brackets go too


def round_text(outcomes: Sequence[StoreSync], at: datetime) -> str:
    """'Synced 14:05 · 3 new, 2 updated', or 'Sync failed 14:05: <the first reason>'; `at` in local time."""
    failed = [outcome for outcome in outcomes if outcome.problem]
    if not failed:
        return f"Synced {at:%H:%M} · {_changes(outcomes)}"
    share = f" ({len(failed)} of {len(outcomes)} stores)" if len(outcomes) > 1 else ""
    return f"Sync failed {at:%H:%M}{share}: {_problem_text(failed[0])}"


def store_progress_text(outcome: StoreSync, still_syncing: Sequence[str] = ()) -> str:
    """As a store's sync ends: 'Syncing Main… (Etsy done)' while Main still syncs, else 'Syncing… Etsy failed'."""
    ended = f"{outcome.store} {'failed' if outcome.problem else 'done'}"
    if still_syncing:
        return f"{store_syncing_text(', '.join(still_syncing))} ({ended})"
    return f"{SYNCING} {ended}"


def store_syncing_text(store: str, wait: RetryWait | None = None) -> str:
    """'Syncing Main…', and while a failed request waits to be tried again, why and for how long:
    'Syncing Main… shipdesk could not connect to ShipStation; trying again in 4 s'."""
    if wait is None:
        return f"Syncing {store}…"
    return f"Syncing {store}… {short_reason(wait.reason)}; trying again in {max(1, round(wait.seconds))} s"


def store_retrying_text(store: str, wait: RetryWait) -> str:
    """'Syncing Main… try 2 of 5', once the wait is over and the request has gone out again."""
    return f"Syncing {store}… try {wait.attempt} of {wait.attempts}"


def retry_details(wait: RetryWait, *, under_way: bool = False) -> str:
    """The whole reason and which try comes next (or, `under_way`, is being made), for the tooltip."""
    when = "is under way" if under_way else "comes next"
    return f"{wait.reason}.\nTry {wait.attempt} of {wait.attempts} {when}; the sync gives up after the last."


def round_details(outcomes: Sequence[StoreSync]) -> str:
    """Every store's full summary, for the tooltip: what was pushed, pulled, skipped, and why something failed."""
    return "\n".join(line for outcome in outcomes for line in outcome.summary_lines(WINDOW_STEPS))


def last_sync_text(records: Sequence[StoreRecord], today: datetime) -> str:
    """What the cache remembers of the last sync, shown before this window has synced: 'Last synced 13:58'."""
    if not records:
        return NO_STORES
    synced = [record for record in records if record.last_sync_at is not None]
    failed = next((record for record in synced if record.last_sync_error), None)
    if failed is not None:
        return f"Last sync failed {_moment(failed, today)}: {short_reason(failed.last_sync_error)}"
    if not synced:
        return NOT_SYNCED_YET
    latest = max(synced, key=lambda record: record.last_sync_at or today)
    return f"Last synced {_moment(latest, today)}"


def short_reason(reason: str) -> str:
    """The reason's first sentence without its asides in brackets, cut on a word at REASON_LENGTH characters.

    The asides ("[Errno 111] Connection refused", "tried 5 times") are for whoever reads the tooltip or the log.
    """
    text = reason.strip()
    while (plain := _ASIDE.sub("", text)) != text:
        text = plain
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= REASON_LENGTH:
        return first
    return first[:REASON_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _problem_text(outcome: StoreSync) -> str:
    """The outcome's problem in short. An update the store refused names its order and where the reason is: the
    store's own words come after ~100 characters of who refused what, and short_reason would cut them off."""
    refused = outcome.refused_order
    if refused:
        return f"{outcome.store} refused the update of order {refused}; select the order to read why"
    return short_reason(outcome.problem)


def _changes(outcomes: Sequence[StoreSync]) -> str:
    inserted = sum(outcome.inserted for outcome in outcomes)
    updated = sum(outcome.updated for outcome in outcomes)
    pushed = sum(outcome.pushed for outcome in outcomes)
    parts = [f"{inserted:,} new", f"{updated:,} updated"] if inserted or updated else ["nothing new"]
    if pushed:
        parts.append(f"{plural(pushed, 'shipment')} sent")
    return ", ".join(parts)


def _moment(record: StoreRecord, today: datetime) -> str:
    """The record's last sync in `today`'s zone: the time alone when it was today."""
    assert record.last_sync_at is not None
    local = record.last_sync_at.astimezone(today.tzinfo)
    return f"{local:%H:%M}" if local.date() == today.date() else f"{local:%Y-%m-%d %H:%M}"
