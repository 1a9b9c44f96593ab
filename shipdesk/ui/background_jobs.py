"""A window's jobs of one kind, one at a time on a worker thread: CSV imports, slip printing, label voids."""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QMainWindow

from shipdesk.cache import Cache

Worker = TypeVar("Worker", bound=QThread)


class BackgroundJobs(QObject, Generic[Worker]):
    """Runs one worker thread at a time and hands it, ended, to `finish` on the UI thread.

    A worker reads the cache on a connection of its own (cache_for_this_thread) and keeps its results for `finish`.
    """

    def __init__(self, window: QMainWindow, cache: Cache) -> None:
        super().__init__(window)
        self._window = window
        self._cache = cache
        self.worker: Worker | None = None

    def busy(self) -> bool:
        """Whether a job is still running; if so the status bar says so for a few seconds."""
        if self.worker is None:
            return False
        self._window.statusBar().showMessage(self.busy_message(self.worker), 5000)
        return True

    def busy_message(self, worker: Worker) -> str:
        return "Still busy; wait a moment."

    def run(self, worker: Worker) -> None:
        worker.finished.connect(self._ended)
        self.worker = worker
        worker.start()

    def finish(self, worker: Worker) -> None:
        """What the window does with an ended worker's results."""

    def stop(self) -> None:
        """Waits for a job in flight, so no thread outlives the window."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.wait()
            worker.deleteLater()

    def _ended(self) -> None:
        worker = self.worker
        if worker is None:
            return  # stopped: the window is closing
        worker.wait()  # QThread.finished is sent just before the thread's last steps
        self.worker = None
        worker.deleteLater()
        self.finish(worker)
