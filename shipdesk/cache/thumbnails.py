"""Item thumbnails kept by image URL, so packing slips show them offline and each image is fetched once.

An image that could not be fetched is kept as empty data and asked for again only after a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from shipdesk.cache.database import Cache
from shipdesk.domain import utc_now

RETRY_FAILED_AFTER = timedelta(days=1)


def cached_thumbnails(cache: Cache, urls: Iterable[str]) -> dict[str, bytes]:
    """The kept thumbnails of those `urls` that have one."""
    wanted = sorted(set(urls))
    found: dict[str, bytes] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = cache.conn.execute(
            f"SELECT url, data FROM thumbnails WHERE length(data) > 0 AND url IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        found.update((url, bytes(data)) for url, data in rows)
    return found


def urls_to_fetch(cache: Cache, urls: Iterable[str], now: datetime | None = None) -> list[str]:
    """Those `urls` with no kept thumbnail, less those that failed within the last day."""
    retry_before = ((now or utc_now()) - RETRY_FAILED_AFTER).isoformat()
    known = {
        url
        for url, size, fetched_at in cache.conn.execute("SELECT url, length(data), fetched_at FROM thumbnails")
        if size > 0 or fetched_at > retry_before
    }
    return sorted({url for url in urls if url and url not in known})


def keep_thumbnails(cache: Cache, fetched: Mapping[str, bytes | None], now: datetime | None = None) -> None:
    """Keep each fetched thumbnail; None marks an image that could not be fetched."""
    stamp = (now or utc_now()).isoformat()
    with cache.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO thumbnails (url, data, fetched_at) VALUES (?, ?, ?)",
            [(url, data or b"", stamp) for url, data in fetched.items()],
        )
