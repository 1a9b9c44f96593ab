"""The composition root: where the cache lives, and the throwaway demo cache.

Everything that decides paths or wires the layers together at start-up belongs here.
"""

from __future__ import annotations

import atexit
import tempfile
from datetime import UTC
from pathlib import Path

import platformdirs

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.settings import LABEL_FOLDER, set_origin_address, set_setting
from shipdesk.domain import Address
from shipdesk.resources import resource_path
from shipdesk.upstream.csv_import import import_csv

APP_NAME = "shipdesk"
DEMO_STORE = "Demo store"
DEMO_ORIGIN = Address(
    name="Shipdesk Demo Warehouse",
    company="Packing Station Co.",
    street1="1200 Harbor Way",
    street2="Dock 4",
    city="Oakland",
    state="CA",
    postal_code="94607",
    country="US",
    phone="+1 510 555 0142",
)


def default_db_path() -> Path:
    return platformdirs.user_data_path(APP_NAME) / "shipdesk.sqlite"


def open_demo_cache() -> Cache:
    """A fresh cache in a temporary folder, filled with the demo orders; removed when the app exits."""
    folder = Path(tempfile.mkdtemp(prefix="shipdesk-demo-"))
    cache = open_cache(folder / "demo.sqlite")
    import_csv(cache, resource_path("demo-orders.csv"), store=DEMO_STORE, zone=UTC)
    set_origin_address(cache, DEMO_ORIGIN)
    set_setting(cache, LABEL_FOLDER, str(folder / "labels"))
    atexit.register(_remove_cache_files, folder / "demo.sqlite")
    return cache


def _remove_cache_files(db_path: Path) -> None:
    # The demo's labels stay in the folder for the user to look at; only the database goes.
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
