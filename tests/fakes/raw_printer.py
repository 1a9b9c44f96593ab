"""A fake raw-socket label printer (JetDirect port 9100) on 127.0.0.1 that keeps each job it receives."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Iterator

# The status queries of ZPL (~HS), ESC/POS (DLE EOT 4) and TSPL (ESC !?), as a printer recognises them.
STATUS_QUERIES = (b"~HS", b"\x10\x04\x04", b"\x1b!?")


def _connections(server: socket.socket, stop: threading.Event) -> Iterator[socket.socket]:
    """Each connection the server takes, until `stop` is set or the server is closed."""
    while not stop.is_set():
        try:
            connection, _ = server.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        yield connection


class Listener:
    """A raw port-9100 printer: each connection's bytes are one job. The connection numbered `drop_at`
    is reset after `drop_after` bytes, as a printer that loses power or jams mid-label.

    A status query at the start of a connection is kept in `queries`, not in the job, and answered with `status`
    (None: the printer never answers, as many clones).

    The connection numbered `hold_at` is left unread until `release()`, as a printer busy with a long label;
    `holding` is set once that connection is in hand."""

    def __init__(
        self,
        drop_at: int | None = None,
        drop_after: int = 1000,
        status: bytes | None = None,
        hold_at: int | None = None,
    ) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self.dropped: list[bytes] = []
        self.queries: list[bytes] = []
        self.status = status
        self._drop_at, self._drop_after = drop_at, drop_after
        self._hold_at = hold_at
        self.holding = threading.Event()
        self._released = threading.Event()
        self._stop = threading.Event()
        self.server.settimeout(0.05)  # accept() wakes up to see the stop flag
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        for number, connection in enumerate(_connections(self.server, self._stop)):
            with connection:
                connection.settimeout(10)
                if number == self._hold_at:
                    self.holding.set()
                    self._released.wait(30)
                if number == self._drop_at:
                    self.dropped.append(connection.recv(self._drop_after))
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                else:
                    asked = len(self.queries)
                    received = bytearray(self._answer_status_query(connection))
                    while chunk := connection.recv(65536):
                        received += chunk
                    if received or len(self.queries) == asked:  # a connection that only asked printed nothing
                        self.jobs.append(bytes(received))

    def _answer_status_query(self, connection: socket.socket) -> bytes:
        """The connection's first bytes, less a status query, which is answered."""
        first = connection.recv(65536)
        query = next((query for query in STATUS_QUERIES if first.startswith(query)), None)
        if query is None:
            return first
        self.queries.append(query)
        if self.status is not None:
            connection.sendall(self.status)
        return first[len(query) :]

    def release(self) -> None:
        """Lets the held connection be read, so its job completes."""
        self._released.set()

    def close(self) -> None:
        """Stops after the connection in hand is served, so every job sent so far is in `jobs`."""
        self._released.set()
        self._stop.set()
        self._thread.join(10)
        self.server.close()


def _narrow_server() -> socket.socket:
    """A listening socket whose connections have the few-KB receive window of a printer's network card, so a job
    cannot hide in the printer's buffers."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before listen(): its connections inherit it
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.05)  # accept() wakes up to see the stop flag
    return server


class StuckPrinter:
    """A raw port-9100 printer that takes each connection and then reads nothing, as one out of labels or with its
    buffer full."""

    def __init__(self) -> None:
        self.server = _narrow_server()
        self.port = self.server.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self.connections.extend(_connections(self.server, self._stop))  # never read

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self.server.close()
        for connection in self.connections:
            connection.close()


class SlowPrinter:
    """A raw port-9100 printer that reads one job a little at a time, a few KB every `pause` seconds, at about the pace
    it prints; with `jam_after` it resets the connection once it has that many bytes, as a printer that jams
    mid-label. `received` holds what it read."""

    def __init__(self, pause: float, jam_after: int | None = None) -> None:
        self.server = _narrow_server()
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.jammed = threading.Event()
        self._pause, self._jam_after = pause, jam_after
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        for connection in _connections(self.server, self._stop):  # one job
            with connection, contextlib.suppress(OSError):  # the sender gave up: the job stops there
                self._read(connection)
            return

    def _read(self, connection: socket.socket) -> None:
        connection.settimeout(10)
        while self._jam_after is None or len(self.received) < self._jam_after:
            chunk = connection.recv(4096)
            if not chunk:
                return
            self.received += chunk
            time.sleep(self._pause)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.jammed.set()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self.server.close()
