"""A store's image host on 127.0.0.1: serves the images it is given by path, 404 for anything else, and logs paths."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self


class ImageServer:
    def __init__(self, files: dict[str, tuple[str, bytes]]) -> None:
        """`files` maps a path such as /mug.png to its content type and bytes."""
        self.files = files
        self.requested: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requested.append(self.path)
                status = server.error_for(self.path)
                found = server.files.get(self.path)
                if status is not None or found is None:
                    self.send_error(status or 404)
                    return
                content_type, body = found
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def error_for(self, path: str) -> int | None:
        """The HTTP error the host answers for the path instead of its file, or None to serve it (404 if unknown)."""
        return None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
