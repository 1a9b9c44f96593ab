"""The pace of requests to ShipStation: one limiter per API key and secret, shared by every client of that pair.

It learns the window from the X-Rate-Limit headers of every answer, so normal use never provokes a 429.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime

from shipdesk.upstream.connector import StopRequested, pause

DOCUMENTED_LIMIT = 40  # requests a minute per key and secret, ShipStation API v1
DOCUMENTED_WINDOW_SECONDS = 60.0
# ShipStation writes the reset as whole seconds; waiting a little longer makes sure its window has turned over.
RESET_MARGIN_SECONDS = 1.0
# Two answers whose reset moments lie closer than this describe the same window (whole seconds, network delay).
SAME_WINDOW_SECONDS = 1.5

LIMIT_HEADER = "X-Rate-Limit-Limit"
REMAINING_HEADER = "X-Rate-Limit-Remaining"
RESET_HEADER = "X-Rate-Limit-Reset"
# What a proxy or a ShipStation-compatible endpoint may send with its 429 instead: seconds, or an HTTP date.
RETRY_AFTER_HEADER = "Retry-After"


class RateLimiter:
    """Lets a request go when the current window still has room, and otherwise waits for the window to reset.

    Call acquire() before each request and hand its ticket to record_response() or record_no_response() after it.
    Thread-safe.
    """

    def __init__(
        self,
        limit: int = DOCUMENTED_LIMIT,
        window_seconds: float = DOCUMENTED_WINDOW_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        reset_margin_seconds: float = RESET_MARGIN_SECONDS,
    ) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("a rate limit needs at least one request in a window of positive length")
        self._clock = clock
        self._sleep = sleep
        self._margin = reset_margin_seconds
        self._window = window_seconds
        self._lock = threading.Lock()
        self._limit = limit
        self._remaining = limit
        self._resets_at: float | None = None  # on our clock; None until the first request of a window
        self._window_from_headers = False  # False while the window is only our own guess
        self._generation = 0  # which of our windows a request was counted in: its ticket
        self._in_flight: dict[int, int] = {}  # requests sent and not yet answered, by ticket
        self._paused_until: float | None = None  # after a 429

    @property
    def limit(self) -> int:
        with self._lock:
            return self._limit

    @property
    def remaining(self) -> int:
        """How many requests may still go in the current window, as far as this limiter knows."""
        with self._lock:
            self._roll_window(self._clock())
            return self._remaining

    @property
    def pause_left(self) -> float:
        """Seconds until requests may go again after a 429; 0 when no 429 holds them."""
        with self._lock:
            if self._paused_until is None:
                return 0.0
            return max(self._paused_until - self._clock(), 0.0)

    def acquire(self, stop: threading.Event | None = None) -> int:
        """Wait until one more request may be sent, and count it; the ticket returned goes with its answer.

        A wait ends early with StopRequested once `stop` is set; such a request was never counted.
        """
        while True:
            if stop is not None and stop.is_set():
                raise StopRequested
            with self._lock:
                delay = self._take(self._clock())
                if delay is None:
                    return self._generation
            pause(delay, stop, self._sleep)

    def record_response(self, status_code: int, headers: Mapping[str, str], ticket: int | None = None) -> None:
        """Learn from an answer's rate headers; a 429 pauses every request of this pair for Reset seconds (else for
        its Retry-After, else for a whole window).

        The headers of a request sent in an earlier window (a slow answer) describe that window and are ignored.
        """
        limit = _header_number(headers, LIMIT_HEADER)
        remaining = _header_number(headers, REMAINING_HEADER)
        reset = _header_number(headers, RESET_HEADER)
        with self._lock:
            self._answered(ticket)
            now = self._clock()
            if limit is not None and limit >= 1:
                self._limit = int(limit)
            if status_code == 429:
                wait = reset if reset is not None else _retry_after(headers)
                until = now + (wait if wait is not None else self._window) + self._margin
                self._paused_until = max(self._paused_until or until, until)
                self._remaining = 0
                self._resets_at = self._paused_until
                self._window_from_headers = True
                return
            if remaining is None or reset is None or (ticket is not None and ticket != self._generation):
                return
            self._learn(now, int(remaining), now + reset + self._margin)

    def record_no_response(self, ticket: int | None = None) -> None:
        """The request got no answer (dropped connection, timeout): it no longer counts as in flight."""
        with self._lock:
            self._answered(ticket)

    def _answered(self, ticket: int | None) -> None:
        generation = self._generation if ticket is None else ticket
        count = self._in_flight.get(generation, 0) - 1
        if count > 0:
            self._in_flight[generation] = count
        else:
            self._in_flight.pop(generation, None)

    def _take(self, now: float) -> float | None:
        """Count one request and return None, or return how long to wait before asking again."""
        if self._paused_until is not None:
            if now < self._paused_until:
                return self._paused_until - now
            self._paused_until = None
        self._roll_window(now)
        if self._remaining > 0:
            self._remaining -= 1
            self._in_flight[self._generation] = self._in_flight.get(self._generation, 0) + 1
            if self._resets_at is None:
                self._resets_at = now + self._window
            return None
        if self._resets_at is None:
            self._resets_at = now + self._window
        return max(self._resets_at - now, 0.0)

    def _roll_window(self, now: float) -> None:
        if self._resets_at is not None and now >= self._resets_at:
            # A request still in flight may reach ShipStation only now, and count in its new window. Only the
            # window just ended counts: a request that never reported back must not hold up every later window.
            carried = self._in_flight.get(self._generation, 0)
            self._remaining = max(0, self._limit - carried)
            self._in_flight = {self._generation: carried} if carried else {}
            self._resets_at = None
            self._window_from_headers = False
            self._generation += 1

    def _learn(self, now: float, remaining: int, resets_at: float) -> None:
        # Requests still in flight may not be counted in `remaining` yet; assume they were not.
        allowed = max(0, min(remaining, self._limit) - self._in_flight.get(self._generation, 0))
        if (
            not self._window_from_headers
            or self._resets_at is None
            or resets_at > self._resets_at + SAME_WINDOW_SECONDS
        ):
            # ShipStation's own figures replace our guess, or its window turned over before ours did.
            self._remaining = allowed
            self._resets_at = resets_at
            self._window_from_headers = True
        elif resets_at >= self._resets_at - SAME_WINDOW_SECONDS:
            self._remaining = min(self._remaining, allowed)
            self._resets_at = max(self._resets_at, resets_at)
        # else: a late answer from a window that is already over tells nothing about this one.


def _header_text(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        wanted = name.lower()
        value = next((text for key, text in headers.items() if key.lower() == wanted), None)
    return value


def _header_number(headers: Mapping[str, str], name: str) -> float | None:
    return _number(_header_text(headers, name))


def _number(text: str | None) -> float | None:
    """A header's value as a number of seconds, counts or the like; None where it is not one."""
    if text is None:
        return None
    try:
        number = float(text.strip())
    except ValueError:
        return None
    return number if number >= 0 and number != float("inf") else None


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Retry-After as seconds from now: it is written as seconds or as an HTTP date."""
    text = _header_text(headers, RETRY_AFTER_HEADER)
    seconds = _number(text)
    if seconds is not None or text is None:
        return seconds
    try:
        when = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT; a date without a zone is not one
        return None
    return max(when.timestamp() - time.time(), 0.0)


# ----------------------------------------------------------------------------- one limiter per credential pair

# Keyed by a keyed hash of key and secret: the registry never holds the secret, and the hash means nothing
# outside this process.
_FINGERPRINT_KEY = os.urandom(32)
_limiters: dict[str, RateLimiter] = {}
_limiters_lock = threading.Lock()


def credential_fingerprint(api_key: str, api_secret: str) -> str:
    """A process-local name for a key and secret pair that does not reveal either."""
    pair = f"{len(api_key)}:{api_key}:{api_secret}".encode()
    return hmac.new(_FINGERPRINT_KEY, pair, hashlib.sha256).hexdigest()


def shared_limiter(api_key: str, api_secret: str) -> RateLimiter:
    """The one limiter of this key and secret in this process, made at the documented 40 a minute on first use."""
    fingerprint = credential_fingerprint(api_key, api_secret)
    with _limiters_lock:
        limiter = _limiters.get(fingerprint)
        if limiter is None:
            limiter = _limiters[fingerprint] = RateLimiter()
        return limiter
