"""Which connector each kind of store has: whether a store can be synced, and opening its connector.

The CLI and the window both open connectors here, so a new upstream kind is wired in one place.
"""

from __future__ import annotations

from typing import Any

from shipdesk.cache.stores import StoreRecord
from shipdesk.upstream import shipstation_connector
from shipdesk.upstream.connector import Connector, ConnectorError
from shipdesk.upstream.credentials import CredentialsError

CSV_KIND = "csv"  # orders arrive by import-csv; there is nothing to pull or push


_KIND_NAMES = {shipstation_connector.KIND: "ShipStation", CSV_KIND: "CSV files"}


def kind_name(kind: str) -> str:
    """A kind of store as a person calls it: "ShipStation"; the kind itself for one shipdesk has no name for."""
    return _KIND_NAMES.get(kind, kind)


def can_sync(record: StoreRecord) -> bool:
    """Whether syncing the store means anything: CSV stores only take files."""
    return record.kind != CSV_KIND


def open_connector(record: StoreRecord, **options: Any) -> Connector:
    """The connector of a store record; `options` go to its client (tests shorten the retry backoff with them).

    Raises ConnectorError, in words a person can act on, when the store cannot be reached from here at all: a kind
    with no connector yet, a bad address, no secret in the keyring.
    """
    if record.kind == shipstation_connector.KIND:
        try:
            return shipstation_connector.connector_for_store(record, **options)
        except (ValueError, CredentialsError) as error:
            raise ConnectorError(str(error), temporary=False, whole_store=True) from None
    raise ConnectorError(f"shipdesk cannot sync {record.kind} store {record.name} yet.", temporary=False)
