"""The label PDFs of shipments bought from a store, kept beside the shipment so a label can be printed again.

The PDF is attached to the order's shipment with that tracking number.
"""

from __future__ import annotations

from shipdesk.cache.database import Cache


def attach_label_pdf(cache: Cache, order_id: int, tracking_number: str, pdf: bytes, shipment_id: int) -> None:
    """Keep the bought label's PDF, and the store's id of the shipment that voiding the label takes."""
    with cache.transaction() as conn:
        conn.execute(
            "UPDATE shipments SET label_pdf = ?, upstream_shipment_id = ? WHERE id = (SELECT max(id) FROM shipments"
            " WHERE order_id = ? AND tracking_number = ?)",
            (pdf, str(shipment_id), order_id, tracking_number),
        )


def label_pdf(cache: Cache, order_id: int) -> bytes | None:
    """The PDF of the order's latest shipment, when one was kept."""
    row = cache.conn.execute(
        "SELECT label_pdf FROM shipments WHERE order_id = ? ORDER BY id DESC LIMIT 1", (order_id,)
    ).fetchone()
    return None if row is None or row[0] is None else bytes(row[0])
