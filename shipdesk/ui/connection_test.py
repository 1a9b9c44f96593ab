"""Testing a store's connection off the UI thread: one request for the account's stores, answered in plain words.

One owner per window keeps every test thread until it has ended, so closing a dialog mid-test never kills a thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread, Signal

from shipdesk.cache.stores import StoreRecord
from shipdesk.store_setup import StoreSetupError, stores_there, try_connection
from shipdesk.upstream.connect_failures import unreachable_reason
from shipdesk.upstream.credentials import CredentialsError
from shipdesk.upstream.shipstation import DEFAULT_BASE_URL, ShipStationError

# A test is a question a person waits for: one try and a short timeout, not the sync's patient retries.
TEST_CLIENT_OPTIONS = {"max_attempts": 1, "timeout": 10.0}

log = logging.getLogger(__name__)

UNREACHABLE = "Store {store} cannot be reached at {address}: {reason}. Check the address and your network."


def failure_answer(record: StoreRecord, error: Exception) -> str:
    """What a failed test says: one plain sentence when ShipStation could not be reached, else the error's words.

    Every answer names the store once; the technical detail (errno, exception) is in the log.
    """
    reason = unreachable_reason(error, TEST_CLIENT_OPTIONS["timeout"])
    if reason is None:
        return str(error)
    log.info("the connection test of store %s could not reach ShipStation: %s", record.name, error)
    address = record.config.get("base_url") or DEFAULT_BASE_URL
    return UNREACHABLE.format(store=record.name, address=address, reason=reason)


class ConnectionTestThread(QThread):
    """Asks ShipStation once; `accepted` and `answer` are read once `done` has arrived."""

    done = Signal(object)  # this thread, emitted on the worker thread as its last step

    def __init__(self, record: StoreRecord, secret: str | None) -> None:
        super().__init__()
        self.record = record
        self._secret = secret  # None: the saved store's secret, read from the keyring on the worker thread
        self.accepted = False
        self.answer = ""

    def run(self) -> None:
        secret, self._secret = self._secret, None
        try:
            found = try_connection(self.record, secret=secret, **TEST_CLIENT_OPTIONS)
        except (ShipStationError, CredentialsError, StoreSetupError) as error:
            self.answer = failure_answer(self.record, error)
        except Exception as error:  # a bug: said calmly, with the traceback in the log
            log.exception("the connection test of store %s failed", self.record.name)
            self.answer = (
                f"The test of store {self.record.name} stopped on an unexpected error "
                f"({type(error).__name__}; see the log)."
            )
        else:
            self.accepted = True
            self.answer = f"ShipStation accepted the key and secret ({stores_there(found)})."
        self.done.emit(self)


class ConnectionTests(QObject):
    """Starts connection tests and hands each finished one back through `answered`, in the UI thread."""

    answered = Signal(object)  # the ConnectionTestThread that has ended

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: list[ConnectionTestThread] = []

    @property
    def running(self) -> list[ConnectionTestThread]:
        return list(self._threads)

    def start(self, record: StoreRecord, secret: str | None = None) -> ConnectionTestThread:
        thread = ConnectionTestThread(record, secret)
        thread.done.connect(self._done)
        self._threads.append(thread)
        thread.start()
        return thread

    def stop(self) -> None:
        """Waits for the tests in flight (each at most its one timeout), so no thread outlives the window."""
        threads, self._threads = self._threads, []
        for thread in threads:
            thread.wait()
            thread.deleteLater()

    def _done(self, thread: ConnectionTestThread) -> None:
        if thread not in self._threads:
            return  # stop() has already waited for it
        thread.wait()  # `done` is sent just before the thread's last steps
        self._threads.remove(thread)
        thread.deleteLater()
        self.answered.emit(thread)
