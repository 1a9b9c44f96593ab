"""A picture missed because the station was offline or the shop's server had trouble is asked for again after a few
minutes; one the server said does not exist, or that is no image, waits a day. What the detail pane and the packing
slips do alike: fetch the missing thumbnails, keep them, and show the kept ones."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import httpx
from PIL import Image

from shipdesk.cache import Cache
from shipdesk.cache.thumbnails import cached_thumbnails, keep_thumbnails, urls_to_fetch
from shipdesk.upstream.item_images import can_be_fetched, fetch_thumbnails
from tests.fakes.image_host_in_trouble import ImageHostInTrouble
from tests.fakes.image_server import ImageServer

SHORT_TIMEOUT = httpx.Timeout(0.3)
FETCHED_AT = datetime.fromisoformat("2026-11-20T09:00:00+00:00")


def png(width: int = 400, height: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def later(**elapsed: float) -> datetime:
    return FETCHED_AT + timedelta(**elapsed)


def fetch_and_keep(cache: Cache, urls: list[str], now: datetime) -> None:
    """What the detail pane and the slips do with the pictures not kept yet."""
    keep_thumbnails(cache, fetch_thumbnails(urls_to_fetch(cache, urls, now), timeout=SHORT_TIMEOUT), now)


def test_a_picture_missed_while_the_image_host_did_not_answer_appears_once_a_few_minutes_have_passed(
    cache: Cache,
) -> None:
    images = ImageServer({"/mug.png": ("image/png", png())})  # listening, but not answering yet
    mug = images.url("/mug.png")

    fetch_and_keep(cache, [mug], FETCHED_AT)
    assert cached_thumbnails(cache, [mug]) == {}
    assert urls_to_fetch(cache, [mug], later(minutes=1)) == []  # not asked at every click or slip while it is down

    with images:  # the host answers again
        assert urls_to_fetch(cache, [mug], later(minutes=6)) == [mug]
        fetch_and_keep(cache, [mug], later(minutes=6))

    assert list(cached_thumbnails(cache, [mug])) == [mug]


def test_the_network_or_the_server_in_trouble_is_asked_again_soon_a_picture_the_server_has_not_waits_a_day(
    cache: Cache,
) -> None:
    with ImageServer({}) as stopped:
        refused = stopped.url("/mug.png")  # nothing listens there any more: the connection is refused
    with (
        ImageServer({"/note.png": ("image/png", b"not an image")}) as shop,
        ImageHostInTrouble({}) as troubled,
    ):
        server_trouble = [troubled.url(f"/status/{status}") for status in (500, 502, 503, 429)]
        meant = [shop.url("/gone.png"), shop.url("/note.png"), troubled.url("/status/410")]
        fetch_and_keep(cache, [refused, *server_trouble, *meant], FETCHED_AT)

    everything = sorted([refused, *server_trouble, *meant])
    assert cached_thumbnails(cache, everything) == {}
    assert urls_to_fetch(cache, everything, later(minutes=2)) == []
    assert urls_to_fetch(cache, everything, later(minutes=6)) == sorted([refused, *server_trouble])
    assert urls_to_fetch(cache, everything, later(hours=23)) == sorted([refused, *server_trouble])
    assert urls_to_fetch(cache, everything, later(hours=25)) == everything


def test_a_picture_too_large_to_unpack_or_a_mistyped_address_never_stops_the_others(cache: Cache) -> None:
    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, format="PNG")  # 48 KB of file, 400 million pixels unpacked
    mistyped = "http://[shop.com/mug.png"
    assert can_be_fetched(mistyped) is False  # asked by the detail pane on the window's thread

    with ImageServer({"/bomb.png": ("image/png", bomb.getvalue()), "/mug.png": ("image/png", png())}) as images:
        urls = [images.url("/bomb.png"), images.url("/mug.png"), mistyped]
        fetch_and_keep(cache, urls, FETCHED_AT)

    assert list(cached_thumbnails(cache, urls)) == [images.url("/mug.png")]
    assert urls_to_fetch(cache, urls, later(minutes=6)) == []  # what the server sent stays unshowable for the day
