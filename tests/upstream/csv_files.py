"""What the CSV tests of store and spreadsheet files share: a file as it was saved, imported into a real cache."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.domain import Order
from shipdesk.upstream.csv_import import ImportReport, import_csv


def import_file(cache: Cache, tmp_path: Path, data: bytes | str, name: str = "orders.csv") -> ImportReport:
    """The bytes (or the text, in UTF-8) saved as `name` and imported, as a packer imports a file."""
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return import_csv(cache, path, zone=UTC)


def orders_by_number(cache: Cache) -> dict[str, Order]:
    return {stored.order.order_number: stored.order for stored in load_orders(cache, OrderQuery())}
