"""The sync engine every upstream shares: pull the orders changed since the last sync, apply the import rules, write.

A connector only talks to its store and hands back domain orders; the rules, the cache writes and the report are here.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial

from shipdesk.cache import Cache
from shipdesk.cache.background_commit import BackgroundCommit, LastWrite, commit_in_background
from shipdesk.cache.orders import order_rows, prepare_upsert
from shipdesk.cache.stores import StoreRecord, get_store, note_progress, note_sync
from shipdesk.cache.sync_state import (
    CombinedInto,
    KnownOrder,
    begin_first_sync,
    combined_orders,
    end_first_sync,
    first_sync_cutoff,
    first_sync_skips,
    hold_orders,
    known_orders,
    remember_combined_orders,
    remember_first_sync_skips,
)
from shipdesk.collector_pause import cycle_collection_paused
from shipdesk.domain import (
    COMBINED_INTO,
    NO_SHIP_TO_ADDRESS,
    NOTHING_TO_SHIP,
    Order,
    OrderStatus,
    packing_block_reason,
    plural,
    utc_now,
    with_packing_rules,
)
from shipdesk.upstream.connector import Connector, ConnectorError, PulledPage
from shipdesk.upstream.outbox_push import COMMAND_LINE_STEPS, PushReport, RefusedSteps, push_outbox

# Orders can be written a little out of modify-date order (or the store's clock may lag a little); pulling this far
# back from the newest change seen costs a few repeats and misses nothing.
DEFAULT_OVERLAP = timedelta(minutes=5)
FIRST_SYNC_DAYS = 14
SKIPPED_EXAMPLES = 10  # order numbers named per skip reason in the summary

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SkippedOrder:
    order_number: str
    reason: str


@dataclass(frozen=True, slots=True)
class CombinedOrder:
    """A cached order the store combined into another one, so put on hold here."""

    order_number: str
    into: str  # the number of the order it was combined into


@dataclass
class PullReport:
    """What one pull did, for the CLI to print and the UI to show."""

    store: str
    pulled: int = 0  # orders the store sent
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0  # sent again as the cache has it: the same modify date (the overlap), or the same order
    kept_final: int = 0  # cancelled or shipped in the cache, so left as they were
    skipped: list[SkippedOrder] = field(default_factory=list)
    held: list[SkippedOrder] = field(default_factory=list)  # new orders kept on hold, with the reason
    combined: list[CombinedOrder] = field(default_factory=list)  # cached orders put on hold: combined into another
    problems: list[str] = field(default_factory=list)
    first_sync: bool = False
    high_water: datetime | None = None
    error: str = ""

    def summary_lines(self) -> list[str]:
        """What the pull did, then what went wrong, in that order."""
        return [*self.done_lines(), *self.problem_lines()]

    def done_lines(self) -> list[str]:
        """What reached the cache and what the import rules left out; nothing when the pull stopped before any order."""
        if self.error and not self.pulled:
            return []
        parts = [f"{self.inserted} new", f"{self.updated} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        if self.kept_final:
            parts.append(f"{self.kept_final} left as they were (already shipped or cancelled)")
        parts.append(f"{len(self.skipped)} skipped")
        first = " (first sync)" if self.first_sync else ""
        cut_short = " before the pull stopped" if self.error else ""
        lines = [f"Pulled {plural(self.pulled, 'order')} from {self.store}{first}{cut_short}: {', '.join(parts)}."]
        by_reason: dict[str, list[str]] = {}
        for skipped in self.skipped:
            by_reason.setdefault(skipped.reason, []).append(skipped.order_number)
        for reason, numbers in by_reason.items():
            named = ", ".join(numbers[:SKIPPED_EXAMPLES]) + (" …" if len(numbers) > SKIPPED_EXAMPLES else "")
            lines.append(f"Skipped {plural(len(numbers), 'order')}: {reason} ({named}).")
        lines.extend(f"Order {held.order_number} kept on hold: {held.reason}." for held in self.held)
        lines.extend(
            f"Order {combined.order_number} combined into order {combined.into} in ShipStation: put on hold, "
            f"pack order {combined.into} instead."
            for combined in self.combined
        )
        return lines

    def add_page(self, page: PullReport) -> None:
        """Count in a page once it is in the cache: what it did, and the mark it moved to."""
        self.pulled += page.pulled
        self.inserted += page.inserted
        self.updated += page.updated
        self.unchanged += page.unchanged
        self.kept_final += page.kept_final
        self.skipped.extend(page.skipped)
        self.held.extend(page.held)
        self.combined.extend(page.combined)
        self.problems.extend(page.problems)
        self.high_water = page.high_water

    def problem_lines(self) -> list[str]:
        """Orders that could not be read, and why the pull stopped."""
        lines = [f"Not read: {problem}." for problem in self.problems]
        if self.error:
            lines.append(f"The pull stopped: {self.error}")
        return lines


# ----------------------------------------------------------------------------- import rules


def store_status_lookup(status_map: Mapping[str, str]) -> dict[str, str]:
    """The store's status mapping as map_store_status looks it up: store statuses compared without case or spaces."""
    return {key.strip().casefold(): value for key, value in reversed(list(status_map.items()))}


def map_store_status(order: Order, store_status: str, status_lookup: Mapping[str, str]) -> Order:
    """The order with the status the store's own mapping gives its store status, when the mapping names it.

    `status_lookup`: the mapping as store_status_lookup gives it.
    """
    wanted = status_lookup.get(store_status.strip().casefold()) if status_lookup else None
    if wanted is None:
        return order
    try:
        status = OrderStatus(wanted)
    except ValueError:
        _log.warning("store %s maps status %r to %r, which is not a shipdesk status", order.store, store_status, wanted)
        return order
    reason = f"“{store_status}” in the store" if status is OrderStatus.ON_HOLD else ""
    return replace(order, status=status, hold_reason=reason)


def combined_reason(parent_number: str) -> str:
    """The hold reason of an order combined into order `parent_number`; only ShipStation tells of combined orders."""
    return f"{COMBINED_INTO}{parent_number} in ShipStation: pack that order instead"


def with_combined_rule(order: Order, into: CombinedInto | None) -> Order:
    """An order the store combined into another one, on hold with the reason; shipped and cancelled ones as they are."""
    if into is None or order.status in (OrderStatus.SHIPPED, OrderStatus.CANCELLED):
        return order
    return replace(order, status=OrderStatus.ON_HOLD, hold_reason=combined_reason(into.order_number))


def skip_reason(
    order: Order, known: KnownOrder | None, cutoff: datetime | None, first_sync_days: int, *, block: str | None = None
) -> str:
    """Why a pulled order does not go into the cache, or '' when it does.

    An order the cache already has is always written (upsert_orders itself keeps cancelled and shipped ones frozen),
    so that a change such as a cancellation reaches the packing queue. A new order must need shipping, and must not
    have been combined into another order. `block`: the order's packing_block_reason, when worked out already.
    """
    if known is not None:
        return ""
    if order.status is OrderStatus.CANCELLED:
        return "cancelled before it reached shipdesk"
    if order.status is OrderStatus.SHIPPED:
        return "already shipped"
    if block is None:
        block = packing_block_reason(order)
    if block.startswith(COMBINED_INTO):
        return block
    if block in (NO_SHIP_TO_ADDRESS, NOTHING_TO_SHIP):
        return f"{block}, so nothing to ship"  # a ship-to address short of a part is held instead, to be put right
    if cutoff is not None and order.order_date < cutoff:
        return _too_old(first_sync_days)
    return ""


def _too_old(first_sync_days: int) -> str:
    return f"still pending more than {first_sync_days} days after it was placed, at the store's first sync"


# ----------------------------------------------------------------------------- the pull


def pull_orders(
    cache: Cache,
    store: StoreRecord,
    connector: Connector,
    *,
    now: datetime | None = None,
    overlap: timedelta = DEFAULT_OVERLAP,
    first_sync_days: int = FIRST_SYNC_DAYS,
    progress: Callable[[PullReport], None] | None = None,
) -> PullReport:
    """Pull the store's orders changed since its last sync into the cache, a page per transaction.

    The store's high-water mark moves forward after each page, so a pull broken off (no network, the app closed)
    carries on from there next time. On a store's first sync only orders changed since the cutoff are asked for,
    and pending orders placed before it are skipped; the cutoff stays until a sync of the store has finished.
    Only a pull that finished counts as the store's last sync; one that stopped is kept as its last error.
    """
    moment = now or utc_now()
    report = PullReport(store.name)
    cutoff = first_sync_cutoff(cache, store.name)
    if cutoff is None and store.high_water is None and store.last_success_at is None:
        cutoff = moment - timedelta(days=first_sync_days)
        begin_first_sync(cache, store.name, cutoff)
    report.first_sync = cutoff is not None
    since = store.high_water - overlap if store.high_water is not None else cutoff
    writing: _PageBeingWritten | None = None
    try:
        try:
            for page in connector.pull(since):
                # A page that cannot be written moves neither the mark nor the counts: the next pull asks for it again.
                # The page before is finished first: this page's rules read what it wrote.
                before, writing = writing, None
                if before is not None:
                    before.count_in(report, progress)
                page_report = PullReport(store.name, high_water=report.high_water)
                with cycle_collection_paused():
                    commit = commit_in_background(
                        cache, partial(_import_page, store, page, cutoff, first_sync_days, page_report)
                    )
                # Written and committed on a thread of its own while the store is asked for the next page.
                writing = _PageBeingWritten(commit, page_report)
        finally:
            if writing is not None:  # the last page, or the one being written when reading the next one stopped
                writing.count_in(report, progress)
    except ConnectorError as error:
        report.error = str(error)
    except sqlite3.OperationalError as error:
        report.error = f"the cache could not be written ({error}); the pull carries on from here next time"
        if isinstance(error.__context__, ConnectorError):  # the page being written failed as the next was refused
            report.error += f"; reading the next page failed as well: {error.__context__}"
    if report.error:
        _log.warning("pull of store %s stopped: %s", store.name, report.error)
        note_sync(cache, store.name, high_water=report.high_water, error=report.error)
        return report
    # A first sync that found nothing changed since its cutoff still covered everything up to now: without a mark
    # the next pull would ask for the store's whole history, past the first-sync rule.
    note_sync(cache, store.name, high_water=report.high_water or cutoff)
    if cutoff is not None:
        end_first_sync(cache, store.name)
    return report


@dataclass(frozen=True, slots=True)
class _PageBeingWritten:
    commit: BackgroundCommit
    report: PullReport

    def count_in(self, pull: PullReport, progress: Callable[[PullReport], None] | None) -> None:
        """Waits for the page's commit, then counts it in; raises what kept it from the cache."""
        self.commit.wait()
        pull.add_page(self.report)
        if progress is not None:
            progress(pull)


def _import_page(
    store: StoreRecord,
    page: PulledPage,
    cutoff: datetime | None,
    first_sync_days: int,
    report: PullReport,
    conn: sqlite3.Connection,
) -> LastWrite:
    """Rules the page's orders and writes them in the transaction begun on `conn`, all but the last write: returned."""
    report.problems.extend(page.problems)
    upstream_ids = [pulled.order.upstream_id for pulled in page.orders]
    _hold_combined_orders(conn, store, page, report)
    combined = combined_orders(conn, store.name, upstream_ids)
    known = known_orders(conn, store.name, upstream_ids)
    too_old = first_sync_skips(conn, store.name, upstream_ids)
    skipped_too_old: list[tuple[str, datetime]] = []
    too_old_reason = _too_old(first_sync_days)
    status_lookup = store_status_lookup(store.status_map)
    writes: list[Order] = []
    for pulled in page.orders:
        order = pulled.order
        report.pulled += 1
        if order.modify_date is not None and (report.high_water is None or order.modify_date > report.high_water):
            report.high_water = order.modify_date
        cached = known.get(order.upstream_id)
        if cached is not None and order.modify_date is not None and cached.modify_date == order.modify_date:
            report.unchanged += 1
            continue
        if cached is None and order.modify_date is not None and too_old.get(order.upstream_id) == order.modify_date:
            # Skipped by the first sync as pending for too long, and not changed since: it stays skipped, though
            # the cutoff that skipped it is gone (the packer was told so).
            report.unchanged += 1
            continue
        mapped = map_store_status(order, pulled.store_status, status_lookup)
        block = packing_block_reason(mapped)  # worked out once: the status rules and the skip rules ask it
        ruled = with_packing_rules(mapped, block)
        combined_into = combined.get(order.upstream_id)
        if combined_into is not None:
            ruled = with_combined_rule(ruled, combined_into)
            block = packing_block_reason(ruled)
        reason = skip_reason(ruled, cached, cutoff, first_sync_days, block=block)
        if reason == too_old_reason and order.modify_date is not None:
            skipped_too_old.append((order.upstream_id, order.modify_date))
        if reason and _seen_before(order, store):
            report.unchanged += 1  # skipped by an earlier pull already; the overlap brought it again
            continue
        if reason:
            report.skipped.append(SkippedOrder(order.order_number, reason))
            continue
        if cached is None and ruled.status is OrderStatus.ON_HOLD and ruled.hold_reason:
            report.held.append(SkippedOrder(order.order_number, ruled.hold_reason))
        writes.append(ruled)
    remember_first_sync_skips(conn, store.name, skipped_too_old)
    prepared = prepare_upsert(conn, order_rows(writes))
    note_progress(conn, store.name, high_water=report.high_water)
    counts = prepared.counts
    report.inserted += counts.inserted
    report.updated += counts.updated
    report.kept_final += counts.kept_final
    report.unchanged += counts.unchanged
    return prepared.write


def _hold_combined_orders(conn: sqlite3.Connection, store: StoreRecord, page: PulledPage, report: PullReport) -> None:
    """Remembers the orders the page's orders name as combined into them, and holds those the cache has.

    Before the page's orders are written: one of them may be such an order, which then stays on hold or is skipped.
    """
    into: dict[str, CombinedInto] = {}
    for pulled in page.orders:
        parent = pulled.order
        for upstream_id in pulled.merged_upstream_ids:
            if upstream_id != parent.upstream_id:
                into[upstream_id] = CombinedInto(parent.upstream_id, parent.order_number)
    if not into:
        return
    remember_combined_orders(conn, store.name, into)
    reasons = {upstream_id: combined_reason(parent.order_number) for upstream_id, parent in into.items()}
    for upstream_id, number in hold_orders(conn, store.name, reasons):
        report.combined.append(CombinedOrder(number, into[upstream_id].order_number))


def _seen_before(order: Order, store: StoreRecord) -> bool:
    return order.modify_date is not None and store.high_water is not None and order.modify_date <= store.high_water


# ----------------------------------------------------------------------------- push, then pull


@dataclass
class SyncReport:
    pull: PullReport | None
    push: PushReport

    def summary_lines(self, steps: RefusedSteps = COMMAND_LINE_STEPS) -> list[str]:
        """What was sent, then what was pulled; `steps` say how to put right an update the store refused."""
        pulled = self.pull.summary_lines() if self.pull is not None else [self._not_pulled()]
        return self.push.summary_lines(steps) + pulled

    def done_lines(self) -> list[str]:
        """What was sent and pulled: for stdout."""
        pushed = self.push.summary_lines()[:1]  # the first line counts what was sent; every other one is a problem
        return pushed + (self.pull.done_lines() if self.pull is not None else [])

    def problem_lines(self) -> list[str]:
        """What was refused, failed or stopped, and what still waits for a person: for stderr."""
        push_problems = self.push.summary_lines()[1:]
        return push_problems + (self.pull.problem_lines() if self.pull is not None else [self._not_pulled()])

    def _not_pulled(self) -> str:
        return f"No orders pulled from {self.push.store}: pushing stopped first; the next sync tries both."


def sync_store(
    cache: Cache,
    store_name: str,
    connector: Connector,
    *,
    now: datetime | None = None,
    overlap: timedelta = DEFAULT_OVERLAP,
) -> SyncReport:
    """Push the store's waiting updates, then pull its changed orders.

    Push goes first: a shipment made here is then in the store before its orders are read back, so the pull never
    sees an order as still waiting that this station already shipped.
    """
    push = push_outbox(cache, store_name, connector)
    store = get_store(cache, store_name)
    if store is None:
        raise KeyError(store_name)
    if push.stopped:
        note_sync(cache, store_name, high_water=None, error=push.stopped)
        return SyncReport(pull=None, push=push)
    return SyncReport(pull=pull_orders(cache, store, connector, now=now, overlap=overlap), push=push)
