"""A stop event for tests that must set the stop only once the code under test is waiting on it."""

from __future__ import annotations

import threading


class WatchedStop(threading.Event):
    """A stop event that tells when someone has started waiting on it."""

    def __init__(self) -> None:
        super().__init__()
        self.waited_on = threading.Event()

    def wait(self, timeout: float | None = None) -> bool:
        self.waited_on.set()
        return super().wait(timeout)
