"""The outbox pusher: each shipment recorded here reaches its store once in effect, across restarts and offline hours.

Entries go oldest first, one at a time; one leaves the outbox only when the store confirmed it or answered that it
already had it. A failed push waits with exponential backoff, and a claim lease keeps two pushers off one entry.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.outbox_schedule import (
    claim_entry,
    due_entries,
    may_have_arrived,
    postpone_entry,
    refuse_entry,
    release_entry,
    store_outbox_count,
    store_refused_count,
)
from shipdesk.cache.shipments import OutboxEntry, confirm_outbox
from shipdesk.domain import plural, utc_now
from shipdesk.upstream.connector import Connector, ConnectorError, PushOutcome, StopRequested

# Long enough for one push with its retries in the usual case; a pusher that died holding an entry frees it after
# this. A push that takes longer is sent again by another pusher at worst, which the store answers "already shipped".
CLAIM_LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FailedPush:
    order_number: str
    reason: str
    next_attempt_at: datetime


@dataclass(frozen=True, slots=True)
class RefusedPush:
    order_number: str
    reason: str
    number_shared: bool = False  # another store has an order of this number too: the steps must name the store


@dataclass(frozen=True, slots=True)
class RefusedSteps:
    """What a person does about an update the store refused, in the words of where the summary is read: the command
    line's (the default) or the window's menu items. `{order}` stands for the order number."""

    send_again_or_drop: str  # ends the sentence that names the refused update
    # Ends the line that counts the updates refused before this run, after "still wait(s) for you"; `{orders}` stands
    # for "its order" or "their orders".
    earlier: str
    quote: Callable[[str], str] = str  # how an order number (or a store) is written inside `send_again_or_drop`
    of_store: str = " of {store}"  # follows an order number another store has too, naming the store


COMMAND_LINE_STEPS = RefusedSteps(
    send_again_or_drop=(
        "once it is put right in the store, shipdesk outbox --send-again {order}; "
        "to give up on it, shipdesk outbox --drop {order}."
    ),
    earlier=" (shipdesk outbox).",
    quote=shlex.quote,
    of_store=" --store {store}",
)


@dataclass
class PushReport:
    store: str
    pushed: int = 0
    already_there: int = 0  # the store had it already: an earlier try reached it
    failed: list[FailedPush] = field(default_factory=list)
    refused: list[RefusedPush] = field(default_factory=list)  # refused for good in this run
    pending: int = 0  # still to be sent to this store afterwards
    waiting_for_a_person: int = 0  # refused by the store, in this run or before: sent again or dropped by hand
    stopped: str = ""  # why the run stopped early (no connection, refused credentials)

    def summary_lines(self, steps: RefusedSteps = COMMAND_LINE_STEPS) -> list[str]:
        """What was pushed, then each problem; `steps` says in whose words an update the store refused is put right."""
        done = self.pushed + self.already_there
        lines = [f"Pushed {plural(done, 'shipped update')} to {self.store}; {self.pending} pending."]
        # The update that stopped the pushing already says why: the reason is given once.
        stopped_by = (
            self.failed[-1] if self.stopped and self.failed and self.failed[-1].reason == self.stopped else None
        )
        lines.extend(
            f"Order {failed.order_number} not confirmed{', and pushing stopped' if failed is stopped_by else ''}: "
            f"{failed.reason} Next try after {failed.next_attempt_at.astimezone():%Y-%m-%d %H:%M}."
            for failed in self.failed
        )
        lines.extend(
            f"Order {refused.order_number} refused by {self.store}: {refused.reason} It is not sent again by itself: "
            + steps.send_again_or_drop.format(order=self._named(refused, steps))
            for refused in self.refused
        )
        earlier = self.waiting_for_a_person - len(self.refused)
        if earlier > 0:
            lines.append(
                f"{plural(earlier, 'update')} refused by {self.store} earlier still "
                f"{'waits' if earlier == 1 else 'wait'} for you"
                + steps.earlier.format(orders="its order" if earlier == 1 else "their orders")
            )
        if self.stopped and stopped_by is None:
            lines.append(f"Pushing stopped: {self.stopped}")
        return lines

    def _named(self, refused: RefusedPush, steps: RefusedSteps) -> str:
        """The refused update's order number as the steps write it, with this store where the number is shared."""
        named = steps.quote(refused.order_number)
        return named + steps.of_store.format(store=steps.quote(self.store)) if refused.number_shared else named


def backoff(attempts_before: int, first: timedelta = FIRST_RETRY, longest: timedelta = LONGEST_WAIT) -> timedelta:
    """How long a push that has now failed `attempts_before + 1` times waits: 30 s, 1 min, 2 min, … up to an hour."""
    wait: timedelta = first * 2 ** min(attempts_before, 20)
    return min(wait, longest)


def push_outbox(
    cache: Cache,
    store_name: str,
    connector: Connector,
    *,
    clock: Callable[[], datetime] = utc_now,
    lease: timedelta = CLAIM_LEASE,
    first_retry: timedelta = FIRST_RETRY,
    limit: int | None = None,
) -> PushReport:
    """Push the store's due outbox entries in the order they were made; `limit` caps how many are tried."""
    report = PushReport(store_name)
    tried = 0
    for entry in due_entries(cache, store_name, clock()):
        if limit is not None and tried >= limit:
            break
        if not claim_entry(cache, entry.id, clock(), lease):
            continue  # another pusher has it, or it is gone
        tried += 1
        try:
            outcome = connector.push(entry.kind, entry.payload, sent_before=may_have_arrived(cache, entry.id))
        except ConnectorError as error:
            if error.temporary or error.whole_store:
                _postpone(cache, entry, error, clock(), first_retry, report)
            else:
                _refuse(cache, entry, error, clock(), report)
            if error.whole_store:
                report.stopped = str(error)
                break
            continue
        except StopRequested as stopped:  # stopped before it went out, or sent and its answer never waited for
            release_entry(cache, entry.id, may_have_arrived=stopped.may_have_arrived)
            raise
        except BaseException:
            release_entry(cache, entry.id)  # the store may have it; a retry hears "already shipped"
            raise
        confirm_outbox(cache, entry.id)
        if outcome is PushOutcome.ALREADY_DONE:
            report.already_there += 1
        else:
            report.pushed += 1
    report.waiting_for_a_person = store_refused_count(cache, store_name)
    report.pending = store_outbox_count(cache, store_name) - report.waiting_for_a_person
    return report


def _refuse(cache: Cache, entry: OutboxEntry, error: ConnectorError, now: datetime, report: PushReport) -> None:
    refuse_entry(cache, entry.id, str(error), now)
    order_number = _order_number(entry)
    shared = len(find_by_number(cache, order_number)) > 1
    report.refused.append(RefusedPush(order_number, str(error), number_shared=shared))
    _log.warning("store %s refused the update of order %s for good: %s", entry.store, order_number, error)


def _postpone(
    cache: Cache, entry: OutboxEntry, error: ConnectorError, now: datetime, first_retry: timedelta, report: PushReport
) -> None:
    next_attempt_at = now + backoff(entry.attempts, first_retry)
    postpone_entry(cache, entry.id, str(error), next_attempt_at, may_have_arrived=error.may_have_arrived)
    order_number = _order_number(entry)
    report.failed.append(FailedPush(order_number, str(error), next_attempt_at))
    _log.warning("push of order %s to %s failed (try %d): %s", order_number, entry.store, entry.attempts + 1, error)


def _order_number(entry: OutboxEntry) -> str:
    return str(entry.payload.get("order_number") or entry.order_id)
