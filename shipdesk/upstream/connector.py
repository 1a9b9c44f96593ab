"""What a store must offer the sync engine and the outbox pusher: pull pages of orders, push one update.

Each upstream kind implements Connector; the rules and the cache writes stay in sync.py and outbox_push.py.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from shipdesk.domain import CatalogEntry, Order


class ConnectorError(Exception):
    """The store could not do what was asked; the message says why in words a person can act on.

    `temporary` is True when trying again later may work. `whole_store` is True when nothing else will work with this
    store now either (no connection, refused credentials): the pusher then stops instead of failing every entry.
    `may_have_arrived` is True when what was sent may have been carried out although no answer said so.
    """

    def __init__(
        self, message: str, *, temporary: bool, whole_store: bool = False, may_have_arrived: bool = False
    ) -> None:
        super().__init__(message)
        self.temporary = temporary
        self.whole_store = whole_store
        self.may_have_arrived = may_have_arrived


class StopRequested(Exception):
    """Another thread asked the work to stop (the app is closing): a wait or a call ended early, nothing half-done.

    `may_have_arrived` is False only where the connector knows that the call it stopped sent nothing it may have
    carried out: then the store having it done already means that it was done another way.
    """

    def __init__(self, *, may_have_arrived: bool = True) -> None:
        super().__init__()
        self.may_have_arrived = may_have_arrived


def pause(seconds: float, stop: threading.Event | None, sleep: Callable[[float], None]) -> None:
    """Waits `seconds` with `sleep`; with a `stop`, on it instead, and raises StopRequested as soon as it is set."""
    if stop is None:
        sleep(seconds)
    elif stop.wait(seconds):
        raise StopRequested


@dataclass(frozen=True, slots=True)
class RetryWait:
    """A request that failed for a reason that may pass, and the wait before trying it again: what the packer is
    shown while a store is slow to answer, instead of a sync that seems to hang."""

    reason: str
    seconds: float
    attempt: int  # the try that comes after the wait
    attempts: int  # how many tries there are in all


RetryNotice = Callable[[RetryWait], None]


@dataclass(frozen=True, slots=True)
class PulledOrder:
    order: Order
    store_status: str  # the store's own word for the status, which the store's status mapping reads
    # The upstream ids of orders the store combined into this one: their items ship with it, and they are gone there.
    merged_upstream_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PulledPage:
    orders: Sequence[PulledOrder]
    problems: Sequence[str] = ()  # one line per order the store sent that could not be read


class PushOutcome(enum.Enum):
    DONE = "done"
    ALREADY_DONE = "already done"  # the store already had it: a retry whose first try did reach it


class Connector(Protocol):
    """One store as the sync engine sees it. Raises ConnectorError for anything that goes wrong."""

    @property
    def store_name(self) -> str: ...

    def pull(self, since: datetime | None) -> Iterable[PulledPage]:
        """Every order modified at or after `since` (None: all), oldest change first, a page at a time."""
        ...

    def push(self, kind: str, payload: Mapping[str, object], *, sent_before: bool) -> PushOutcome:
        """Send one outbox update (cache.shipments.MARK_SHIPPED and its payload) to the store.

        `sent_before` says whether an earlier push of the update may have reached the store (its answer lost): only
        then does the store having it done already mean that it arrived, rather than that it was done another way.
        """
        ...

    def close(self) -> None: ...


@runtime_checkable
class CatalogSource(Protocol):
    """A store whose account sells labels: it can list its carriers, services and packages."""

    def shipping_catalog(self) -> list[CatalogEntry]:
        """Raises ConnectorError when the store cannot be asked."""
        ...
