"""Which store a CSV file's orders go into: the stores offered, the one preselected for a file, the names refused.

The window's import dialog and `shipdesk import-csv --store` check a name the same way: a store that syncs gets its
orders from its API, so a file's orders never go into it; each store that takes files gets its own upload file.
"""

from __future__ import annotations

from shipdesk.cache import Cache
from shipdesk.cache.orders import stores
from shipdesk.cache.settings import IMPORT_STORE_BY_LAYOUT, get_setting, set_setting
from shipdesk.cache.stores import get_store, known_store_names, list_stores, removed_store_kind, spelled_as_known
from shipdesk.shipment_export import takes_files
from shipdesk.upstream.connectors import CSV_KIND, can_sync, kind_name
from shipdesk.upstream.csv_import import DEFAULT_STORE


class ImportStoreError(Exception):
    """A store name a file's orders cannot go into; the message says why, as a sentence."""


def file_stores(cache: Cache) -> list[str]:
    """The stores earlier CSV imports used, and "CSV import" always: the names the import offers, in name order."""
    names = {*stores(cache), *(record.name for record in list_stores(cache) if not can_sync(record)), DEFAULT_STORE}
    return sorted((name for name in names if takes_files(cache, name)), key=str.casefold)


def checked_import_store(cache: Cache, typed: str) -> str:
    """The store to import into for the name typed, spelled as the store is known; ImportStoreError when refused."""
    name = typed.strip()
    if not name:
        raise ImportStoreError("Name the store the orders belong to.")
    name = spelled_as_known([*known_store_names(cache), DEFAULT_STORE], name) or name
    record = get_store(cache, name)
    if record is not None and can_sync(record):
        raise ImportStoreError(f"{name} is a {kind_name(record.kind)} store: its orders come by sync.")
    removed = removed_store_kind(cache, name) if record is None else None
    if removed is not None and removed != CSV_KIND:
        # Its shipments would reach no one: not by a sync, as it is gone, nor in a file, as it never took files.
        raise ImportStoreError(f"{name} was a {kind_name(removed)} store: its orders came by sync, not from files.")
    return name


def store_for_file(cache: Cache, layout: str) -> str:
    """The store preselected for a file of `layout` (csv_layouts): the one the last file of that layout went into,
    else "CSV import"."""
    remembered = get_setting(cache, IMPORT_STORE_BY_LAYOUT, {}).get(layout)
    if not isinstance(remembered, str):
        return DEFAULT_STORE
    try:
        return checked_import_store(cache, remembered)
    except ImportStoreError:  # set up as a ShipStation store since
        return DEFAULT_STORE


def remember_import_store(cache: Cache, layout: str, store: str) -> None:
    """The next file of the same layout goes to `store` too."""
    by_layout = get_setting(cache, IMPORT_STORE_BY_LAYOUT, {})
    set_setting(cache, IMPORT_STORE_BY_LAYOUT, {**by_layout, layout: store})
