"""The label PDFs of shipments bought from a store, kept beside the shipment so a label can be printed again.

shipments.record_bought_label() keeps them.
"""

from __future__ import annotations

from shipdesk.cache.database import Cache


def label_pdf(cache: Cache, order_id: int) -> bytes | None:
    """The PDF of the order's latest shipment, when one was kept."""
    row = cache.conn.execute(
        "SELECT label_pdf FROM shipments WHERE order_id = ? ORDER BY id DESC LIMIT 1", (order_id,)
    ).fetchone()
    return None if row is None or row[0] is None else bytes(row[0])
