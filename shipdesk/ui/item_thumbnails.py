"""Item pictures for the detail pane: the kept thumbnails at once, and the missing ones fetched in the background.

A fetch runs on a thread with its own cache connection; `ready` tells the window to show the order again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QThread, Signal

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.thumbnails import cached_thumbnails, keep_thumbnails, urls_to_fetch
from shipdesk.domain import Order
from shipdesk.upstream.item_images import can_be_fetched, fetch_thumbnails


class ThumbnailFetch(QThread):
    def __init__(self, cache: Cache, urls: Sequence[str]) -> None:
        super().__init__()
        self._cache = cache
        self.urls = tuple(urls)

    def run(self) -> None:
        if self._cache.path is None:
            return
        own = open_cache(self._cache.path)
        try:
            keep_thumbnails(own, fetch_thumbnails(self.urls))
        finally:
            own.close()


class ItemThumbnails(QObject):
    """The thumbnails of the order shown; at most one fetch at a time, each image asked for once."""

    ready = Signal()  # thumbnails fetched: show the order again to see them

    def __init__(self, cache: Cache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache = cache
        self.fetch: ThumbnailFetch | None = None

    def for_order(self, order: Order) -> dict[str, bytes]:
        """The order's kept thumbnails by image URL; starts fetching the missing ones (a file cache only)."""
        urls = [item.image_url for item in order.items if item.image_url]
        if not urls:
            return {}
        missing = [url for url in urls_to_fetch(self._cache, urls) if can_be_fetched(url)]
        if missing and self.fetch is None and self._cache.path is not None:
            self.fetch = ThumbnailFetch(self._cache, missing)
            self.fetch.finished.connect(self._fetched)
            self.fetch.start()
        return cached_thumbnails(self._cache, urls)

    def _fetched(self) -> None:
        fetch, self.fetch = self.fetch, None
        if fetch is None:
            return  # stopped: the window is closing, and its cache with it
        fetch.wait()
        fetch.deleteLater()
        self.ready.emit()

    def stop(self) -> None:
        """Waits for a fetch in flight (a few seconds at most), so no thread outlives the window."""
        fetch, self.fetch = self.fetch, None
        if fetch is not None:
            fetch.wait()
            fetch.deleteLater()
