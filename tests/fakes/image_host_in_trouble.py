"""A store's image host on 127.0.0.1 that can be in trouble: while `trouble` holds an HTTP status (503, 429), every
request gets it; once it is None again the host serves its files, 404 for the rest. /status/CODE always answers CODE."""

from __future__ import annotations

from tests.fakes.image_server import ImageServer


class ImageHostInTrouble(ImageServer):
    def __init__(self, files: dict[str, tuple[str, bytes]], trouble: int | None = None) -> None:
        """`files` maps a path such as /mug.png to its content type and bytes; `trouble` is the status answered now."""
        super().__init__(files)
        self.trouble = trouble

    def error_for(self, path: str) -> int | None:
        prefix = "/status/"
        return int(path[len(prefix) :]) if path.startswith(prefix) else self.trouble
