"""Two pushers on one cache file, as when the window syncs while `shipdesk sync` runs in a terminal: an update one of
them had refused by the store is not sent again by the other, which listed it as due before the refusal."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.shipments import pending_outbox
from tests.fakes.shipstation import FakeShipStation
from tests.upstream.test_outbox_push import push, shipped_orders

ROOT = Path(__file__).resolve().parents[2]
PUSHER = """
    import os
    from shipdesk.cache import open_cache
    from shipdesk.cache.stores import get_store
    from shipdesk.upstream.outbox_push import push_outbox
    from shipdesk.upstream.rate_limit import RateLimiter
    from shipdesk.upstream.shipstation_connector import connector_for_store

    cache = open_cache(os.environ["TEST_CACHE"])
    limiter = RateLimiter(40, 1.0, reset_margin_seconds=0.1)
    connector = connector_for_store(
        get_store(cache, "Main"), secret=os.environ["TEST_SECRET"], rate_limiter=limiter, backoff_seconds=0.01
    )
    report = push_outbox(cache, "Main", connector)
    print(report.pushed, len(report.refused))
"""


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        yield server


def start_pusher(cache: Cache, fake: FakeShipStation) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "TEST_CACHE": str(cache.path),
        "TEST_SECRET": fake.api_secret,
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(PUSHER)], env=environment, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def wait_for_requests(fake: FakeShipStation, path: str, count: int, pusher: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while len(fake.requests_to(path)) < count and pusher.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(fake.requests_to(path)) >= count, "the other pusher never reached the store"


def test_an_update_refused_by_one_pusher_is_not_sent_again_by_the_other(cache: Cache, fake: FakeShipStation) -> None:
    shipped_orders(cache, fake, 2)
    fake.update_order(2, orderStatus="cancelled")  # its update will be refused for good
    store_answers = fake.hang_next(1)  # the terminal's pusher waits on its first update (order 1)...
    terminal = start_pusher(cache, fake)
    wait_for_requests(fake, "/orders/markasshipped", 1, terminal)

    window = push(cache, fake)  # ...while the window's pusher has order 2's update refused
    store_answers.set()
    output, _ = terminal.communicate(timeout=60)

    assert [len(window.refused), window.waiting_for_a_person] == [1, 1]
    assert output.split() == ["1", "0"]  # the terminal's pusher sent order 1's update, and left order 2's alone
    assert [request.body["orderId"] for request in fake.requests_to("/orders/markasshipped")] == [1, 2]
    (refused,) = pending_outbox(cache)
    assert refused.refused and refused.attempts == 1
