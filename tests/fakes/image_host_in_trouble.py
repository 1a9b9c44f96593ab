"""A store's image host on 127.0.0.1 that can be in trouble: while `trouble` holds an HTTP status (503, 429), every
request gets it; once it is None again the host serves its files, 404 for the rest. /status/CODE always answers CODE."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


class ImageHostInTrouble:
    def __init__(self, files: dict[str, tuple[str, bytes]], trouble: int | None = None) -> None:
        """`files` maps a path such as /mug.png to its content type and bytes; `trouble` is the status answered now."""
        self.files = files
        self.trouble = trouble
        self.requested: list[str] = []
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host.requested.append(self.path)
                status = _status_asked(self.path) or host.trouble
                found = host.files.get(self.path)
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

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def __enter__(self) -> ImageHostInTrouble:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def _status_asked(path: str) -> int | None:
    prefix = "/status/"
    return int(path[len(prefix) :]) if path.startswith(prefix) else None
