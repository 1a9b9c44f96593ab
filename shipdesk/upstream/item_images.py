"""Item images fetched from the store's web address and shrunk to the thumbnails packing slips show.

A missing, huge or broken image gives None for its URL and never stops the others.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
from PIL import Image, UnidentifiedImageError

THUMBNAIL_PIXELS = 160  # 12 mm on a slip at about 300 dpi
MAX_IMAGE_BYTES = 8_000_000
TIMEOUT = httpx.Timeout(5.0)
PARALLEL_FETCHES = 4

_log = logging.getLogger(__name__)


# Names reserved for examples and tests (RFC 2606, RFC 6761): they never resolve, so asking for them only waits.
_RESERVED_DOMAINS = ("example.com", "example.net", "example.org", "example", "invalid", "test")


def can_be_fetched(url: str) -> bool:
    """Whether the URL is a web address that may hold an image (http or https, on a host that can exist)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme not in ("http", "https") or not host:
        return False
    return not any(host == domain or host.endswith("." + domain) for domain in _RESERVED_DOMAINS)


def fetch_thumbnails(urls: Iterable[str], *, timeout: httpx.Timeout = TIMEOUT) -> dict[str, bytes | None]:
    """Each URL's image as a small PNG, or None when it could not be fetched or read."""
    wanted = sorted({url for url in urls if url})
    if not wanted:
        return {}
    with (
        httpx.Client(timeout=timeout, follow_redirects=True) as client,
        ThreadPoolExecutor(PARALLEL_FETCHES) as pool,
    ):
        return dict(zip(wanted, pool.map(lambda url: _thumbnail(client, url), wanted), strict=True))


def _thumbnail(client: httpx.Client, url: str) -> bytes | None:
    if not can_be_fetched(url):
        return None
    try:
        with client.stream("GET", url) as response:
            response.raise_for_status()
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > MAX_IMAGE_BYTES:
                    _log.info("item image %s is larger than %d bytes; not shown", url, MAX_IMAGE_BYTES)
                    return None
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
            out = io.BytesIO()
            image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, format="PNG")
            return out.getvalue()
    except (httpx.HTTPError, UnidentifiedImageError, OSError, ValueError) as error:
        _log.info("item image %s not fetched: %s", url, error)
        return None
