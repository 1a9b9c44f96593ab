"""Pausing Python's cyclic garbage collector while orders are built and written in bulk.

A page of 500 orders, or a CSV file of 100,000 lines, makes tens of thousands to millions of small objects (cells,
items, addresses, orders, rows), and the collector would walk every one of them many times over: a sixth of an
import, a third of parsing a page. None of them form cycles, so reference counting frees them all the same. The
pause is process-wide: it only delays other threads' cyclic garbage until the last pause ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # how many pauses are running now, in any thread
_enabled_before = False  # whether the collector ran before the first of them began


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside; the collector runs again once every pause, in every thread, has ended.

    Stores sync side by side on threads of their own, so one store's pause ending must not switch the collector back
    on while another's is still running, nor leave it off for good.
    """
    global _pauses, _enabled_before
    with _lock:
        if _pauses == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _enabled_before:
                gc.enable()
