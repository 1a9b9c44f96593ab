"""Syncing every connected store: open its connector, push and pull, and say per store how it went.

Stores sync side by side, each on its own thread with its own connection to the cache, so one store failing never
stops the others and one that does not answer (timeouts, retries) holds none of them up. A stop asked for from
another thread takes effect between pages and pushes, and ends any wait for the store's rate limit or a retry at once.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Protocol

from shipdesk.cache import Cache, CacheError, open_cache
from shipdesk.cache.carriers import catalog_fetched_at, replace_catalog
from shipdesk.cache.stores import StoreRecord, list_stores, note_sync
from shipdesk.domain import utc_now
from shipdesk.upstream.connector import (
    CatalogSource,
    Connector,
    ConnectorError,
    PulledPage,
    PushOutcome,
    RetryNotice,
    RetryWait,
    StopRequested,
)
from shipdesk.upstream.connectors import can_sync, open_connector
from shipdesk.upstream.outbox_push import COMMAND_LINE_STEPS, RefusedSteps
from shipdesk.upstream.sync import SyncReport, sync_store

CATALOG_MAX_AGE = timedelta(days=1)
STOPPED = "the sync was stopped before it finished; it carries on from there next time"

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StoreSync:
    """How one store's sync went: its report, or why it could not run at all."""

    store: str
    report: SyncReport | None = None
    error: str = ""  # the store could not be synced at all: no connector, no secret, stopped

    @property
    def inserted(self) -> int:
        return self.report.pull.inserted if self.report is not None and self.report.pull is not None else 0

    @property
    def updated(self) -> int:
        return self.report.pull.updated if self.report is not None and self.report.pull is not None else 0

    @property
    def pushed(self) -> int:
        return self.report.push.pushed + self.report.push.already_there if self.report is not None else 0

    @property
    def problem(self) -> str:
        """The first thing that went wrong, in the words the engine wrote it in; '' when all went well."""
        failure = self._failure()
        if failure or self.report is None or not self.report.push.refused:
            return failure
        refused = self.report.push.refused[0]
        return f"{self.store} refused the update of order {refused.order_number}: {refused.reason}"

    @property
    def refused_order(self) -> str:
        """The number of the order whose update the store refused, when that is the problem (nothing else went
        wrong); else ''."""
        if self._failure() or self.report is None or not self.report.push.refused:
            return ""
        return self.report.push.refused[0].order_number

    def _failure(self) -> str:
        """What stopped or failed, before any update the store refused; '' when nothing did."""
        if self.error or self.report is None:
            return self.error
        push, pull = self.report.push, self.report.pull
        if push.stopped:
            return push.stopped
        if pull is not None and pull.error:
            return pull.error
        return push.failed[0].reason if push.failed else ""

    def summary_lines(self, steps: RefusedSteps = COMMAND_LINE_STEPS) -> list[str]:
        return self.report.summary_lines(steps) if self.report is not None else [self._not_synced()]

    def done_lines(self) -> list[str]:
        """What was sent and pulled; nothing when the store could not be synced at all."""
        return self.report.done_lines() if self.report is not None else []

    def problem_lines(self) -> list[str]:
        """Why the store was not synced, or what went wrong in its sync; nothing when all went well."""
        return self.report.problem_lines() if self.report is not None else [self._not_synced()]

    def _not_synced(self) -> str:
        return f"Store {self.store} not synced: {self.error}" if self.store else f"Not synced: {self.error}"


def _refresh_catalog_when_old(cache: Cache, store: str, connector: Connector, now: datetime | None = None) -> None:
    """Fetch the account's carriers, services and packages when the kept ones are a day old, or there are none.

    They are what the shipping choices offer; a store that cannot be asked now, or a sync stopped, keeps the old ones.
    """
    if not isinstance(connector, CatalogSource):
        return
    fetched_at = catalog_fetched_at(cache, store)
    if fetched_at is not None and (now or utc_now()) - fetched_at < CATALOG_MAX_AGE:
        return
    try:
        replace_catalog(cache, store, connector.shipping_catalog())
    except ConnectorError as error:
        _log.warning("the carriers of store %s were not fetched: %s", store, error)
    except StopRequested:  # the store's sync itself is done: a stop now only leaves the old carriers
        _log.info("the carriers of store %s were not fetched: the sync was stopped", store)


def syncable_stores(cache: Cache) -> list[StoreRecord]:
    return [record for record in list_stores(cache) if can_sync(record)]


class ConnectorFactory(Protocol):
    """Opens a store's connector; its waits end with StopRequested once `stop` is set (connectors.open_connector), and
    `on_retry`, when given, hears of each wait before a request is tried again."""

    def __call__(
        self, record: StoreRecord, *, stop: threading.Event, on_retry: RetryNotice | None = None
    ) -> Connector: ...


# Where a sync is: (store, None) as the store's sync starts, (store, wait) before a request to it is tried again.
SyncProgress = Callable[[str, RetryWait | None], None]


class _Stoppable:
    """A connector that raises StopRequested before its next page or push once `stop` is set.

    Pages are written and noted one at a time and a push is let go of before it is sent, so stopping there loses
    nothing: the next sync starts from the last page written and pushes what was not sent.
    """

    def __init__(self, connector: Connector, stop: threading.Event) -> None:
        self._connector = connector
        self._stop = stop

    @property
    def store_name(self) -> str:
        return self._connector.store_name

    def pull(self, since: datetime | None) -> Iterator[PulledPage]:
        for page in self._connector.pull(since):
            if self._stop.is_set():
                raise StopRequested
            yield page

    def push(self, kind: str, payload: Mapping[str, object], *, sent_before: bool) -> PushOutcome:
        if self._stop.is_set():
            raise StopRequested(may_have_arrived=False)
        return self._connector.push(kind, payload, sent_before=sent_before)

    def close(self) -> None:
        self._connector.close()


def sync_stores(
    cache: Cache,
    records: Iterable[StoreRecord],
    *,
    connector_for: ConnectorFactory = open_connector,
    stop: threading.Event | None = None,
    progress: SyncProgress | None = None,
) -> Iterator[StoreSync]:
    """Push then pull each store, yielding how each went as soon as it is done; `progress` hears where each is,
    from the store's own thread.

    Errors a person can act on (no network, refused credentials, no secret, a busy cache) come back as the store's
    problem; anything else is logged with its traceback and reported as unexpected, so one store never stops the rest.
    Several stores of a cache file sync side by side; an in-memory cache, which one connection owns, syncs them in turn.
    Leaving the loop early (an exception, Ctrl+C) asks the stores still syncing to stop, and waits for them.
    """
    stop = stop if stop is not None else threading.Event()
    records = list(records)
    if len(records) < 2 or cache.path is None:
        for record in records:
            if stop.is_set():
                return
            yield _sync_one(cache, record, connector_for, stop, progress)
        return
    done: queue.SimpleQueue[StoreSync] = queue.SimpleQueue()
    threads = [
        threading.Thread(
            target=_sync_on_own_connection,
            args=(cache.path, record, connector_for, stop, progress, done.put),
            name=f"sync {record.name}",
            daemon=True,
        )
        for record in records
    ]
    for thread in threads:
        thread.start()
    try:
        for _ in threads:
            yield done.get()
    except BaseException:
        stop.set()
        raise
    finally:
        for thread in threads:
            thread.join()


def _sync_on_own_connection(
    path: Path,
    record: StoreRecord,
    connector_for: ConnectorFactory,
    stop: threading.Event,
    progress: SyncProgress | None,
    report: Callable[[StoreSync], None],
) -> None:
    """One store's sync on this thread; `report` always hears how it went, or the loop waiting for it would hang."""
    outcome = StoreSync(record.name, error=f"an unexpected error stopped the sync of store {record.name} (see the log)")
    try:
        cache = open_cache(path)
    except (CacheError, sqlite3.Error, OSError) as error:
        _log.warning("sync of store %s could not open the cache", record.name, exc_info=True)
        report(StoreSync(record.name, error=f"the cache could not be opened ({error}); the next sync tries again"))
        return
    try:
        outcome = _sync_one(cache, record, connector_for, stop, progress)
    except BaseException:
        _log.exception("sync of store %s failed unexpectedly", record.name)
    finally:
        cache.close()
        report(outcome)


def _sync_one(
    cache: Cache,
    record: StoreRecord,
    connector_for: ConnectorFactory,
    stop: threading.Event,
    progress: SyncProgress | None,
) -> StoreSync:
    try:
        if progress is not None:
            progress(record.name, None)
        on_retry = partial(progress, record.name) if progress is not None else None
        connector = connector_for(record, stop=stop, on_retry=on_retry)
    except ConnectorError as error:
        _log.warning("store %s not synced: %s", record.name, error)
        _remember_failure(cache, record.name, str(error))
        return StoreSync(record.name, error=str(error))
    try:
        synced = StoreSync(record.name, sync_store(cache, record.name, _Stoppable(connector, stop)))
        if not synced.problem:  # a store that did not answer the sync will not answer this either
            _refresh_catalog_when_old(cache, record.name, connector)
        return synced
    except StopRequested:
        _log.info("sync of store %s stopped on request", record.name)
        return StoreSync(record.name, error=STOPPED)
    except sqlite3.OperationalError as error:
        _log.warning("sync of store %s could not write the cache", record.name, exc_info=True)
        return StoreSync(record.name, error=f"the cache could not be written ({error}); the next sync tries again")
    except Exception:
        _log.exception("sync of store %s failed unexpectedly", record.name)
        unexpected = f"an unexpected error stopped the sync of store {record.name} (see the log)"
        _remember_failure(cache, record.name, unexpected)
        return StoreSync(record.name, error=unexpected)
    finally:
        connector.close()


def _remember_failure(cache: Cache, store: str, error: str) -> None:
    """Keep why the store's sync failed, for the store list and the next start; a busy cache only loses the note."""
    try:
        note_sync(cache, store, high_water=None, error=error)
    except sqlite3.Error:
        _log.warning("the failed sync of store %s could not be noted in the cache", store, exc_info=True)
