"""What every command shares: the one-line usage error, and finding the single order an operator names.

Order numbers are only unique within a store, so a number found in two stores needs --store.
"""

from __future__ import annotations

import codecs
import json
import sys
from decimal import Decimal

from shipdesk.cache import Cache
from shipdesk.cache.orders import StoredOrder, find_by_number
from shipdesk.cache.stores import known_store_names, spelled_as_known


class UsageError(Exception):
    """A command line that names something that is not there; shown as one line, exit 1."""


def store_named(cache: Cache, typed: str) -> str:
    """The store `--store` names, spelled as it is known ("etsy" for Etsy, as import-csv files it); UsageError,
    listing the stores, when there is none of that name."""
    known = known_store_names(cache)
    store = spelled_as_known(known, typed.strip())
    if store is None:
        raise UsageError(f"no store is named {typed!r} (stores: {', '.join(known) or 'none yet'})")
    return store


def one_order(cache: Cache, order_number: str, store: str | None) -> StoredOrder:
    store = None if store is None else store_named(cache, store)
    matches = [entry for entry in find_by_number(cache, order_number) if store is None or entry.order.store == store]
    if not matches:
        raise UsageError(f"no order {order_number} in the cache" + (f" for store {store}" if store else ""))
    if len(matches) > 1:
        names = ", ".join(entry.order.store for entry in matches)
        raise UsageError(f"order {order_number} is in several stores ({names}); say which with --store")
    return matches[0]


def json_for_stdout(value: object) -> str:
    """JSON for scripts, every letter kept: escaped (\\u00eb) where stdout cannot carry the letter itself.

    Amounts are JSON numbers, as scripts compute with them (12.5 for 12.50).
    """
    return json.dumps(value, ensure_ascii=not stdout_is_utf8(), indent=1, default=_json_number)


def stdout_is_utf8() -> bool:
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    return codecs.lookup(encoding).name == "utf-8"


def _json_number(value: object) -> float:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
