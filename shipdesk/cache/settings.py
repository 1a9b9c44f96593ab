"""Settings kept in the cache as JSON values: origin address, label folder and the like.

Secrets never come here; they live in the OS keyring.
"""

from __future__ import annotations

import json
from typing import Any

from shipdesk.cache.database import Cache
from shipdesk.cache.order_json import address_to_dict
from shipdesk.domain import Address

ORIGIN_ADDRESS = "origin_address"
LABEL_FOLDER = "label_folder"
LAST_LABEL_PRINTER = "last_label_printer"  # the printer profile name, "" for the PDF folder
LAST_SLIP_PRINTER = "last_slip_printer"  # the printer profile name of slips and pick lists, or "PDF folder"
LAST_IMPORT_FOLDER = "last_import_folder"  # where the window's file chooser opens for the next CSV import
LAST_EXPORT_FOLDER = "last_export_folder"  # where the window saved the last shipments file for upload
# The shipping choices printed last, and last for each requested service (shipping/remembered_choices.py's JSON)
REMEMBERED_SHIPPING_CHOICES = "remembered_shipping_choices"
IMPORT_STORE_BY_LAYOUT = "import_store_by_layout"  # a CSV file layout's key -> the store its last file went into


def get_setting(cache: Cache, key: str, default: Any = None) -> Any:
    row = cache.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])


def set_setting(cache: Cache, key: str, value: Any) -> None:
    with cache.transaction() as conn:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False)),
        )


def origin_address(cache: Cache) -> Address:
    """The sender printed on labels; empty until the warehouse sets it."""
    return Address(**get_setting(cache, ORIGIN_ADDRESS, {}))


def has_origin_address(cache: Cache) -> bool:
    """Whether the warehouse has set the sender its labels carry."""
    return origin_address(cache) != Address()


def set_origin_address(cache: Cache, address: Address) -> None:
    set_setting(cache, ORIGIN_ADDRESS, address_to_dict(address))
