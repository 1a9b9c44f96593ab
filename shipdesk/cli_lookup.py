"""What every command shares: the one-line usage error, and finding the single order an operator names.

Order numbers are only unique within a store, so a number found in two stores needs --store.
"""

from __future__ import annotations

from shipdesk.cache import Cache
from shipdesk.cache.orders import StoredOrder, find_by_number


class UsageError(Exception):
    """A command line that names something that is not there; shown as one line, exit 1."""


def one_order(cache: Cache, order_number: str, store: str | None) -> StoredOrder:
    matches = [entry for entry in find_by_number(cache, order_number) if store is None or entry.order.store == store]
    if not matches:
        raise UsageError(f"no order {order_number} in the cache" + (f" for store {store}" if store else ""))
    if len(matches) > 1:
        names = ", ".join(entry.order.store for entry in matches)
        raise UsageError(f"order {order_number} is in several stores ({names}); say which with --store")
    return matches[0]
