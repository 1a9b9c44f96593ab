"""A fake raw-socket label printer (JetDirect port 9100) on 127.0.0.1 that keeps each job it receives."""

from __future__ import annotations

import socket
import struct
import threading

# The status queries of ZPL (~HS), ESC/POS (DLE EOT 4) and TSPL (ESC !?), as a printer recognises them.
STATUS_QUERIES = (b"~HS", b"\x10\x04\x04", b"\x1b!?")


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
        number = 0
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
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
            number += 1

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
