"""A fake raw-socket label printer (JetDirect port 9100) on 127.0.0.1 that keeps each job it receives."""

from __future__ import annotations

import socket
import struct
import threading


class Listener:
    """A raw port-9100 printer: each connection's bytes are one job. The connection numbered `drop_at`
    is reset after `drop_after` bytes, as a printer that loses power or jams mid-label."""

    def __init__(self, drop_at: int | None = None, drop_after: int = 1000) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self.dropped: list[bytes] = []
        self._drop_at, self._drop_after = drop_at, drop_after
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
                if number == self._drop_at:
                    self.dropped.append(connection.recv(self._drop_after))
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                else:
                    received = bytearray()
                    while chunk := connection.recv(65536):
                        received += chunk
                    self.jobs.append(bytes(received))
            number += 1

    def close(self) -> None:
        """Stops after the connection in hand is served, so every job sent so far is in `jobs`."""
        self._stop.set()
        self._thread.join(10)
        self.server.close()
