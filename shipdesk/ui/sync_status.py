"""The sync state in the status bar: last sync, syncing, synced with its counts, or failed with the reason.

It follows a SyncRunner; the tooltip holds every store's full summary, which the short label leaves out.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from shipdesk.cache import Cache
from shipdesk.ui.sync_runner import SyncRunner, SyncStart
from shipdesk.ui.sync_text import (
    NO_FILE,
    NO_STORES,
    SYNCING,
    last_sync_text,
    retry_details,
    round_details,
    round_text,
    store_progress_text,
    store_retrying_text,
    store_syncing_text,
)
from shipdesk.upstream.connector import RetryWait
from shipdesk.upstream.sync_stores import StoreSync, syncable_stores


class SyncStatus(QLabel):
    def __init__(self, cache: Cache, runner: SyncRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync-status")
        runner.started.connect(self._syncing)
        runner.store_started.connect(self._store_started)
        runner.store_waiting.connect(self._store_waiting)
        runner.store_synced.connect(self._store_done)
        runner.finished.connect(self.show_round)
        self._cache = cache
        self._runner = runner
        self._syncing_now: list[str] = []  # stores sync side by side: every one started and not yet done
        self._waiting: tuple[str, RetryWait] | None = None  # the store whose retry the label counts down to
        self._wait_over = QTimer(self)
        self._wait_over.setSingleShot(True)
        self._wait_over.timeout.connect(self._retrying)
        self.show_last_sync()

    def show_last_sync(self) -> None:
        """What the cache remembers of the stores' syncs, or why there is nothing to sync; left alone mid-sync."""
        state = self._runner.can_sync()
        if state is SyncStart.BUSY:
            return
        self.setToolTip("")
        if state in (SyncStart.NO_FILE, SyncStart.NO_STORES):
            self.show_not_started(state)
        else:
            self.setText(last_sync_text(syncable_stores(self._cache), datetime.now().astimezone()))

    def show_round(self, outcomes: list[StoreSync]) -> None:
        self._stop_counting_down()
        self.setText(round_text(outcomes, datetime.now().astimezone()))
        self.setToolTip(round_details(outcomes))

    def show_not_started(self, state: SyncStart) -> None:
        """Why F5 did not sync: no store to sync, or no file to sync from another thread."""
        if state is SyncStart.NO_STORES:
            self.setText(NO_STORES)
            self.setToolTip("Connect a store under File → Stores…")
        elif state is SyncStart.NO_FILE:
            self.setText(NO_FILE)
            self.setToolTip("Open a cache file (shipdesk --db PATH) to sync its stores.")

    def _syncing(self) -> None:
        self._stop_counting_down()
        self._syncing_now = []
        self.setText(SYNCING)

    def _store_started(self, store: str) -> None:
        self._syncing_now.append(store)
        self.setText(store_syncing_text(", ".join(self._syncing_now)))
        self.setToolTip("")

    def _store_waiting(self, store: str, wait: RetryWait) -> None:
        self.setText(store_syncing_text(store, wait))
        self.setToolTip(retry_details(wait))
        self._waiting = (store, wait)
        self._wait_over.start(max(0, round(wait.seconds * 1000)))

    def _retrying(self) -> None:
        """The wait is over and the store is asked again, maybe for long: "trying again in 4 s" would be stale."""
        if self._waiting is None:
            return
        store, wait = self._waiting
        self._waiting = None
        self.setText(store_retrying_text(store, wait))
        self.setToolTip(retry_details(wait, under_way=True))

    def _stop_counting_down(self) -> None:
        self._wait_over.stop()
        self._waiting = None

    def _store_done(self, outcome: StoreSync) -> None:
        self._stop_counting_down()
        if outcome.store in self._syncing_now:
            self._syncing_now.remove(outcome.store)
        self.setText(store_progress_text(outcome, self._syncing_now))
        self.setToolTip("")
