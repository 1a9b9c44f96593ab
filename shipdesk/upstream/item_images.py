"""Item images fetched from the store's web address and shrunk to the thumbnails packing slips show.

A missing, huge or broken image gives None for its URL, one not reached NOT_REACHED; neither stops the others.
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

# What fetch_thumbnails gives for an image it could not reach this time (the station offline, a name that does not
# resolve, a refused or timed-out connection, a server in trouble or busy): worth asking for again soon, unlike None,
# the server's own answer that there is no image. The cache keeps the two apart (shipdesk.cache.thumbnails).
NOT_REACHED = b""

_log = logging.getLogger(__name__)


# Names reserved for examples and tests (RFC 2606, RFC 6761): they never resolve, so asking for them only waits.
_RESERVED_DOMAINS = ("example.com", "example.net", "example.org", "example", "invalid", "test")


def can_be_fetched(url: str) -> bool:
    """Whether the URL is a web address that may hold an image (http or https, on a host that can exist)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:  # mistyped, such as an unclosed "[": no host can be read from it
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    return not any(host == domain or host.endswith("." + domain) for domain in _RESERVED_DOMAINS)


def fetch_thumbnails(urls: Iterable[str], *, timeout: httpx.Timeout = TIMEOUT) -> dict[str, bytes | None]:
    """Each URL's image as a small PNG; None when the server has no image there (404, 410, not an image, too large)
    or the address cannot be fetched; NOT_REACHED when the station or the server had trouble (ask again soon)."""
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
        data = _download(client, url)
        return _shrunk(data) if data is not None else None
    except httpx.HTTPError as error:
        if _not_reached(error):
            _log.info("item image %s not reached, to be asked for again soon: %s", url, error)
            return NOT_REACHED
        _log.info("item image %s not fetched: %s", url, error)
        return None
    except (httpx.InvalidURL, UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
        _log.info("item image %s not shown: %s", url, error)
        return None


def _download(client: httpx.Client, url: str) -> bytes | None:
    """The image file's bytes, or None when it is larger than a thumbnail is worth."""
    with client.stream("GET", url) as response:
        response.raise_for_status()
        data = bytearray()
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > MAX_IMAGE_BYTES:
                _log.info("item image %s is larger than %d bytes; not shown", url, MAX_IMAGE_BYTES)
                return None
    return bytes(data)


def _shrunk(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        out = io.BytesIO()
        image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, format="PNG")
        return out.getvalue()


def _not_reached(error: httpx.HTTPError) -> bool:
    """Whether it is trouble that passes (network, timeout, a server error or busy), not the server's answer."""
    if isinstance(error, httpx.HTTPStatusError):
        status = error.response.status_code
        return status in (408, 429) or status >= 500
    # A redirect to another scheme (ftp:) is the server's choice, and stays the same however often it is asked.
    return isinstance(error, httpx.TransportError) and not isinstance(error, httpx.UnsupportedProtocol)
