"""Shared test set-up: Qt runs offscreen, and every test gets its own real cache file."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.printing.cups_server import SOCKET

os.environ["CUPS_SERVER"] = str(SOCKET)  # the tests' own print service, never the machine's printers

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.upstream.csv_import import import_csv


@pytest.fixture
def in_california() -> Iterator[None]:
    """The station's clock set to Los Angeles time, as a West Coast warehouse runs."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/Los_Angeles"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def import_orders_text(cache: Cache, tmp_path: Path, text: str) -> dict[str, int]:
    """A CSV file's text imported into the cache, as a packer imports a store's export; the ids by order number."""
    path = tmp_path / "orders.csv"
    path.write_text(text, encoding="utf-8")
    import_csv(cache, path)
    return {stored.order.order_number: stored.id for stored in load_orders(cache, OrderQuery())}


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = open_cache(tmp_path / "cache.sqlite")
    yield opened
    opened.close()


# Every test that names `memory_keyring` gets an in-memory keyring instead of the OS one.
from tests.fakes.memory_keyring import memory_keyring  # noqa: E402, F401

# The private CUPS server, for the tests of the OS print queue and of system printers.
from tests.printing.cups_server import cups_server  # noqa: E402, F401
