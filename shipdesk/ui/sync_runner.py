"""Syncing the stores in the background: one sync at a time on a worker thread, now or every few minutes.

The worker opens its own connection to the cache file, so the window keeps reading while the sync writes (WAL).
"""

from __future__ import annotations

import enum
import logging
import threading
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from shipdesk.cache import Cache, open_cache
from shipdesk.upstream.connector import RetryWait
from shipdesk.upstream.connectors import open_connector
from shipdesk.upstream.sync_stores import ConnectorFactory, StoreSync, sync_stores, syncable_stores

SYNC_EVERY = timedelta(minutes=5)

_log = logging.getLogger(__name__)


class SyncStart(enum.Enum):
    STARTED = "started"
    BUSY = "busy"  # a sync is running already
    NO_STORES = "no stores"  # nothing to sync: no store, or only CSV ones
    NO_FILE = "no file"  # an in-memory cache cannot be opened from a second thread


class SyncRunner(QObject):
    """Starts a sync of every store on request or on its timer; never two at once.

    `store_started` carries each store's name as its sync starts, `store_waiting` the store and the RetryWait when a
    request to it failed and is tried again after a pause, `store_synced` each StoreSync as its store finishes and
    `finished` the list of them, all in the UI thread. A cache with no file is never synced: its one connection
    cannot be handed to a worker safely.
    """

    started = Signal()
    store_started = Signal(str)
    store_waiting = Signal(str, object)
    store_synced = Signal(object)
    finished = Signal(object)
    stopping = Signal()  # shutdown asked a running sync to stop and now waits for it

    def __init__(
        self,
        cache: Cache,
        *,
        every: timedelta = SYNC_EVERY,
        connector_for: ConnectorFactory = open_connector,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._cache = cache
        self._connector_for = connector_for
        self._thread: _SyncThread | None = None
        self._stop = threading.Event()
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, round(every.total_seconds() * 1000)))
        self._timer.timeout.connect(self._timed_sync)
        if cache.path is not None:
            self._timer.start()

    @property
    def is_running(self) -> bool:
        return self._thread is not None

    def can_sync(self) -> SyncStart:
        """Whether a sync could start now, and if not why not."""
        if self._cache.path is None:
            return SyncStart.NO_FILE
        if self._thread is not None:
            return SyncStart.BUSY
        if not syncable_stores(self._cache):
            return SyncStart.NO_STORES
        return SyncStart.STARTED

    def sync_now(self) -> SyncStart:
        """Starts a sync of every store unless one runs already or there is nothing to sync; says which."""
        if self._closed:
            return SyncStart.BUSY
        state = self.can_sync()
        if state is not SyncStart.STARTED:
            return state
        assert self._cache.path is not None
        thread = _SyncThread(self._cache.path, self._connector_for, self._stop, self)
        thread.store_started.connect(self.store_started)
        thread.store_waiting.connect(self.store_waiting)
        thread.store_synced.connect(self.store_synced)
        thread.finished.connect(self._thread_finished)
        self._thread = thread
        self._timer.start()  # the next timed sync comes a whole interval after this one
        self.started.emit()
        thread.start()
        return SyncStart.STARTED

    def shutdown(self) -> None:
        """Stops the timer, asks a running sync to stop, and waits for it.

        A sync waiting for the store's rate limit or a retry stops at once; one with a request in flight stops when
        the answer comes (or the request times out), before the next page or push.
        """
        self._closed = True
        self._timer.stop()
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        self.stopping.emit()
        thread.wait()
        self._thread = None
        thread.deleteLater()

    def _timed_sync(self) -> None:
        if self.can_sync() is SyncStart.STARTED:
            self.sync_now()

    def _thread_finished(self) -> None:
        thread = self._thread
        if thread is None:
            return
        self._thread = None
        outcomes = thread.outcomes
        thread.deleteLater()
        if not self._closed:
            self.finished.emit(outcomes)


class _SyncThread(QThread):
    store_started = Signal(str)
    store_waiting = Signal(str, object)
    store_synced = Signal(object)

    def __init__(
        self,
        path: Path,
        connector_for: ConnectorFactory,
        stop: threading.Event,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._path = path
        self._connector_for = connector_for
        self._stop = stop
        self.outcomes: list[StoreSync] = []  # read by the UI thread only once the thread has finished

    def run(self) -> None:
        try:
            cache = open_cache(self._path)
        except Exception as error:  # a thread's exception would vanish; say it in the status bar instead
            _log.exception("the sync could not open the cache %s", self._path)
            self.outcomes.append(StoreSync("", error=f"the sync could not open the cache ({error})"))
            return
        try:
            records = syncable_stores(cache)
            synced = sync_stores(
                cache, records, connector_for=self._connector_for, stop=self._stop, progress=self._progress
            )
            for outcome in synced:
                self.outcomes.append(outcome)
                self.store_synced.emit(outcome)
        except Exception as error:
            _log.exception("the sync could not read the stores")
            self.outcomes.append(StoreSync("", error=f"the sync could not read the stores ({error})"))
        finally:
            cache.close()

    def _progress(self, store: str, wait: RetryWait | None) -> None:
        if wait is None:
            self.store_started.emit(store)
        else:
            self.store_waiting.emit(store, wait)
