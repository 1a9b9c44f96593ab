"""Item thumbnails kept by image URL, so packing slips show them offline and each image is fetched once.

An image the server has not is kept as empty data for a day; one that could not be reached, a few minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta

from shipdesk.cache.database import Cache
from shipdesk.domain import utc_now

RETRY_FAILED_AFTER = timedelta(days=1)
# Long enough that an offline station does not wait on a timeout at every click in the detail pane or every slip
# batch; short enough that pictures are back within minutes of the network, as orders are (the window syncs every 5).
RETRY_NOT_REACHED_AFTER = timedelta(minutes=5)

# Stored as the data of an image that could not be reached (fetch_thumbnails' NOT_REACHED, empty bytes on the way in):
# no thumbnail is ever this (they are PNG files), and empty data keeps meaning what the server said it has not.
_NOT_REACHED = b"not reached"
_CHUNK = 500  # URLs a query, well under SQLite's limit on parameters


def cached_thumbnails(cache: Cache, urls: Iterable[str]) -> dict[str, bytes]:
    """The kept thumbnails of those `urls` that have one."""
    found: dict[str, bytes] = {}
    for chunk in _chunks(urls):
        rows = cache.conn.execute(
            f"SELECT url, data FROM thumbnails WHERE length(data) > 0 AND data != ? AND url IN ({_marks(chunk)})",
            [_NOT_REACHED, *chunk],
        )
        found.update((url, bytes(data)) for url, data in rows)
    return found


def urls_to_fetch(cache: Cache, urls: Iterable[str], now: datetime | None = None) -> list[str]:
    """Those `urls` with no kept thumbnail, less those that failed lately: within a day when the server has no
    image there, within a few minutes when it could not be reached."""
    moment = now or utc_now()
    wanted = sorted({url for url in urls if url})
    waiting = {
        url
        for chunk in _chunks(wanted)
        for url, not_reached, size, fetched_at in cache.conn.execute(
            f"SELECT url, data = ?, length(data), fetched_at FROM thumbnails WHERE url IN ({_marks(chunk)})",
            [_NOT_REACHED, *chunk],
        )
        if (size > 0 and not not_reached) or moment - datetime.fromisoformat(fetched_at) < _retry_after(not_reached)
    }
    return [url for url in wanted if url not in waiting]


def keep_thumbnails(cache: Cache, fetched: Mapping[str, bytes | None], now: datetime | None = None) -> None:
    """Keep each fetched thumbnail; None marks an image the server has not, empty bytes one not reached this time."""
    stamp = (now or utc_now()).isoformat()
    with cache.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO thumbnails (url, data, fetched_at) VALUES (?, ?, ?)",
            [(url, _stored(data), stamp) for url, data in fetched.items()],
        )


def _stored(data: bytes | None) -> bytes:
    if data is None:
        return b""
    return data or _NOT_REACHED


def _retry_after(not_reached: int) -> timedelta:
    return RETRY_NOT_REACHED_AFTER if not_reached else RETRY_FAILED_AFTER


def _chunks(urls: Iterable[str]) -> Iterator[list[str]]:
    wanted = sorted(set(urls))
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start : start + _CHUNK]


def _marks(chunk: list[str]) -> str:
    return ",".join("?" * len(chunk))
