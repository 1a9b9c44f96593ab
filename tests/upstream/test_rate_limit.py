"""The ShipStation rate limiter on a test clock: 40 a minute to start with, then what the X-Rate-Limit headers say,
a 429's Reset (else its Retry-After) honoured, one limiter per key and secret, and safe from many threads at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from shipdesk.upstream.connector import StopRequested
from shipdesk.upstream.rate_limit import (
    RESET_MARGIN_SECONDS,
    RateLimiter,
    credential_fingerprint,
    shared_limiter,
)
from tests.fakes.watched_stop import WatchedStop


class TestClock:
    """A clock that only moves when someone sleeps on it."""

    __test__ = False

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def headers(limit: int = 40, remaining: int = 39, reset: int = 60) -> dict[str, str]:
    return {
        "X-Rate-Limit-Limit": str(limit),
        "X-Rate-Limit-Remaining": str(remaining),
        "X-Rate-Limit-Reset": str(reset),
    }


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@pytest.fixture
def limiter(clock: TestClock) -> RateLimiter:
    return RateLimiter(clock=clock, sleep=clock.sleep)


def test_it_starts_from_the_documented_40_a_minute(limiter: RateLimiter, clock: TestClock) -> None:
    for _ in range(40):
        limiter.record_response(200, {}, limiter.acquire())
    assert clock.sleeps == []

    limiter.acquire()

    assert clock.now == 1060.0


def test_a_request_that_never_reported_back_holds_up_one_window_at_most(limiter: RateLimiter, clock: TestClock) -> None:
    for _ in range(40):
        limiter.acquire()  # none of them ever answered or failed

    limiter.acquire()  # they might all land in the next window, so that one is waited out too
    for _ in range(39):
        limiter.acquire()

    assert clock.now == 1120.0
    assert limiter.remaining == 0


def test_it_sends_exactly_what_remaining_allows_then_waits_for_reset(limiter: RateLimiter, clock: TestClock) -> None:
    limiter.acquire()
    limiter.record_response(200, headers(remaining=3, reset=20))
    for _ in range(3):
        limiter.acquire()
        limiter.record_response(200, {})
    assert clock.sleeps == []

    limiter.acquire()

    assert clock.now >= 1000 + 20
    assert limiter.remaining == 39  # a fresh window after the reset, this request counted


def test_remaining_zero_holds_every_request_until_the_window_resets(limiter: RateLimiter, clock: TestClock) -> None:
    limiter.acquire()
    limiter.record_response(200, headers(remaining=0, reset=7))

    limiter.acquire()

    assert sum(clock.sleeps) == pytest.approx(7 + RESET_MARGIN_SECONDS)


def test_requests_still_in_flight_count_against_what_remains(limiter: RateLimiter, clock: TestClock) -> None:
    tickets = [limiter.acquire() for _ in range(5)]
    # The first answer may have been counted before the other four arrived at ShipStation.
    limiter.record_response(200, headers(remaining=5, reset=30), tickets[0])

    assert limiter.remaining == 1


def test_a_429_waits_the_reset_seconds_before_anything_else_goes(limiter: RateLimiter, clock: TestClock) -> None:
    limiter.acquire()
    limiter.record_response(429, headers(remaining=0, reset=12))

    limiter.acquire()

    assert clock.now >= 1000 + 12
    assert clock.now <= 1000 + 12 + RESET_MARGIN_SECONDS + 0.001


def test_a_429_without_headers_waits_a_whole_window(limiter: RateLimiter, clock: TestClock) -> None:
    limiter.acquire()
    limiter.record_response(429, {})

    limiter.acquire()

    assert clock.now >= 1060.0


def test_a_429_with_only_retry_after_seconds_waits_those_seconds(limiter: RateLimiter, clock: TestClock) -> None:
    limiter.acquire()
    limiter.record_response(429, {"Retry-After": "25"})

    limiter.acquire()

    assert 1000 + 25 <= clock.now <= 1000 + 25 + RESET_MARGIN_SECONDS + 0.001


def test_a_429_with_retry_after_as_a_date_waits_until_that_date(limiter: RateLimiter, clock: TestClock) -> None:
    in_90_seconds = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    limiter.acquire()
    limiter.record_response(429, {"retry-after": in_90_seconds})

    limiter.acquire()

    assert 1000 + 88 <= clock.now <= 1000 + 90 + RESET_MARGIN_SECONDS + 0.001  # the date is in whole seconds


def test_a_429_with_reset_and_retry_after_waits_the_reset(limiter: RateLimiter, clock: TestClock) -> None:
    limiter.acquire()
    limiter.record_response(429, {**headers(remaining=0, reset=12), "Retry-After": "300"})

    limiter.acquire()

    assert clock.now <= 1000 + 12 + RESET_MARGIN_SECONDS + 0.001


def test_a_429_with_a_retry_after_that_is_neither_seconds_nor_a_date_waits_a_whole_window(
    limiter: RateLimiter, clock: TestClock
) -> None:
    limiter.acquire()
    limiter.record_response(429, {"Retry-After": "soon"})

    limiter.acquire()

    assert clock.now >= 1060.0


def test_a_new_window_in_the_headers_gives_back_its_requests(limiter: RateLimiter, clock: TestClock) -> None:
    limiter.acquire()
    limiter.record_response(200, headers(remaining=2, reset=10))
    clock.sleep(11)  # ShipStation's window turned over
    limiter.acquire()

    limiter.record_response(200, headers(remaining=39, reset=60))

    assert limiter.remaining == 39


def test_a_window_that_turned_over_earlier_than_expected_is_believed(limiter: RateLimiter, clock: TestClock) -> None:
    limiter.record_response(200, headers(remaining=2, reset=30), limiter.acquire())
    clock.sleep(3)

    limiter.record_response(200, headers(remaining=39, reset=60), limiter.acquire())

    assert limiter.remaining == 39


def test_a_late_answer_from_an_old_window_does_not_hold_up_the_new_one(limiter: RateLimiter, clock: TestClock) -> None:
    first, slow = limiter.acquire(), limiter.acquire()
    limiter.record_response(200, headers(remaining=38, reset=2), first)
    clock.sleep(5)
    limiter.record_response(200, headers(remaining=39, reset=60), limiter.acquire())

    clock.sleep(0.5)
    limiter.record_response(200, headers(remaining=0, reset=1), slow)  # answered in the old window, arriving late

    # Not 0: the old window's "none left" is ignored; the new window's own answer stands.
    assert limiter.remaining == 39


def test_a_late_answer_does_not_replace_a_new_window_that_is_still_a_guess(
    limiter: RateLimiter, clock: TestClock
) -> None:
    first, slow = limiter.acquire(), limiter.acquire()
    limiter.record_response(200, headers(remaining=38, reset=2), first)
    clock.sleep(5)
    limiter.acquire()  # the new window has begun, and ShipStation has not said anything about it yet

    limiter.record_response(200, headers(remaining=0, reset=1), slow)

    assert limiter.remaining == 38


def test_the_limit_header_replaces_the_documented_one(limiter: RateLimiter, clock: TestClock) -> None:
    limiter.acquire()
    limiter.record_response(200, headers(limit=100, remaining=99, reset=60))
    clock.sleep(61)

    assert limiter.limit == 100
    assert limiter.remaining == 100


def test_header_names_are_read_whatever_their_case(limiter: RateLimiter) -> None:
    limiter.acquire()
    limiter.record_response(200, {"x-rate-limit-remaining": "4", "x-rate-limit-reset": "9"})

    assert limiter.remaining == 4


def test_unreadable_headers_change_nothing(limiter: RateLimiter) -> None:
    limiter.acquire()
    limiter.record_response(200, {"X-Rate-Limit-Remaining": "many", "X-Rate-Limit-Reset": "-3"})

    assert limiter.remaining == 39


def test_many_threads_never_send_more_than_the_limit_in_any_window(clock: TestClock) -> None:
    limiter = RateLimiter(limit=10, window_seconds=60, clock=clock, sleep=clock.sleep)
    sent: list[float] = []
    sent_lock = threading.Lock()

    def worker() -> None:
        for _ in range(15):
            ticket = limiter.acquire()
            with sent_lock:
                sent.append(clock())
            limiter.record_no_response(ticket)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(sent) == 120
    sent.sort()
    assert all(later - earlier >= 60 for earlier, later in zip(sent, sent[10:], strict=False))


def test_one_limiter_per_key_and_secret_shared_by_all_its_users() -> None:
    first = shared_limiter("key-a", "secret-shared-test-1")

    assert shared_limiter("key-a", "secret-shared-test-1") is first
    assert shared_limiter("key-a", "secret-shared-test-2") is not first
    assert shared_limiter("key-b", "secret-shared-test-1") is not first


def test_the_registry_key_reveals_neither_key_nor_secret() -> None:
    fingerprint = credential_fingerprint("ShipStation", "Rocks")

    assert "Rocks" not in fingerprint and "ShipStation" not in fingerprint
    assert fingerprint == credential_fingerprint("ShipStation", "Rocks")
    assert fingerprint != credential_fingerprint("ShipStationR", "ocks")


def test_a_limit_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError):
        RateLimiter(limit=0)


def test_a_stop_ends_a_wait_for_the_window_at_once_and_the_request_is_not_counted() -> None:
    limiter = RateLimiter(limit=1, window_seconds=600)
    limiter.acquire()
    stop = WatchedStop()
    outcome: list[object] = []

    def wait_for_room() -> None:
        try:
            outcome.append(limiter.acquire(stop))
        except StopRequested as stopped:
            outcome.append(stopped)

    waiting = threading.Thread(target=wait_for_room)
    waiting.start()
    assert stop.waited_on.wait(timeout=30)
    stop.set()
    waiting.join(timeout=30)  # without the stop it would wait out the 600 s window

    assert not waiting.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], StopRequested)
    assert limiter.remaining == 0  # the window still holds only the first request


def test_a_stop_set_before_asking_sends_nothing(limiter: RateLimiter) -> None:
    stop = threading.Event()
    stop.set()

    with pytest.raises(StopRequested):
        limiter.acquire(stop)

    assert limiter.remaining == 40
