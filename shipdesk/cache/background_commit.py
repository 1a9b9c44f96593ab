"""A transaction finished on a thread of its own: its last write and its COMMIT, while the caller goes on.

SQLite runs a statement without holding Python's lock. A sync page's last statement (the INSERT ... SELECT that writes
its orders, their indexes and their search index) and the COMMIT that writes them out are about a third of the page's
time in the cache; on their own thread they go on while the caller reads the next page from the store.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import threading
from collections.abc import Callable

from shipdesk.cache.database import Cache

LastWrite = Callable[[], None]

# The commit's thread needs Python's lock three times (to start, and after each of its two statements), and by default
# waits up to 5 ms each time while the caller's thread holds it, longer than the commit's own work. While a commit
# runs, threads hand the lock over every half millisecond instead.
_SWITCH_INTERVAL = 0.000_5
_switching = threading.Lock()
_commits_running = 0
_interval_before = 0.0


class BackgroundCommit:
    """The last write of a begun transaction and its COMMIT, running on their own thread.

    Nothing else may use the connection until wait() has returned.
    """

    def __init__(self, conn: sqlite3.Connection, last_write: LastWrite) -> None:
        self._conn = conn
        self._last_write = last_write
        self._error: BaseException | None = None
        _switch_often()
        # Not a daemon: a program that ends while a page is being written waits for its commit.
        self._thread = threading.Thread(target=self._finish, name="shipdesk commit")
        self._thread.start()

    def _finish(self) -> None:
        try:
            self._last_write()
            self._conn.execute("COMMIT")
        except BaseException as error:
            self._error = error
            if self._conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the error that stopped the commit is the one to tell
                    self._conn.execute("ROLLBACK")
        finally:
            _switch_as_before()

    def wait(self) -> None:
        """Returns once the transaction is committed; raises what stopped it, which was then rolled back."""
        self._thread.join()
        error, self._error = self._error, None
        if error is not None:
            raise error


def _switch_often() -> None:
    global _commits_running, _interval_before
    with _switching:
        if _commits_running == 0:
            _interval_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_interval_before, _SWITCH_INTERVAL))
        _commits_running += 1


def _switch_as_before() -> None:
    global _commits_running
    with _switching:
        _commits_running -= 1
        if _commits_running == 0:
            sys.setswitchinterval(_interval_before)


def commit_in_background(cache: Cache, prepare: Callable[[sqlite3.Connection], LastWrite]) -> BackgroundCommit:
    """Begins a transaction and runs `prepare` in it here, then what it returns and the COMMIT on another thread.

    If `prepare` raises, the transaction is rolled back here and no thread is started.
    """
    conn = cache.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        last_write = prepare(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return BackgroundCommit(conn, last_write)
