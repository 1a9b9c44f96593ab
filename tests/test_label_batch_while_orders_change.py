"""An order cancelled by another program while its label is at the printer: the label is out, the order is not shipped.

The batch streams to a printer that keeps the first label in hand; meanwhile another program (an import of the
store's export) cancels that very order. The check before the label was sent saw it still to pack.
"""

from __future__ import annotations

import threading
from pathlib import Path

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cache.shipments import pending_outbox
from shipdesk.domain import OrderStatus
from shipdesk.label_batch import LabelBatchResult, print_labels_to_printer
from shipdesk.upstream.csv_import import import_csv
from tests.conftest import import_orders_text
from tests.fakes.raw_printer import Listener

HEADINGS = "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Order Status"
ORDER_3001 = "3001,2026-11-20 09:00,Ann Lee,1 Main St,Springfield,12345,US,MUG,Mug,1"
ORDER_3002 = "3002,2026-11-20 10:00,Bea Cole,2 Main St,Springfield,12345,US,TEA,Teapot,1"


def cancel_from_another_program(cache_path: Path, folder: Path) -> None:
    export = folder / "cancelled.csv"
    export.write_text(f"{HEADINGS}\n{ORDER_3001},Cancelled\n", encoding="utf-8")
    other = open_cache(cache_path)
    try:
        import_csv(other, export)
    finally:
        other.close()


def test_an_order_cancelled_while_its_label_is_at_the_printer_stays_cancelled_and_the_store_hears_nothing(
    cache: Cache, tmp_path: Path
) -> None:
    assert cache.path is not None
    ids = import_orders_text(cache, tmp_path, f"{HEADINGS}\n{ORDER_3001},Awaiting Shipment\n{ORDER_3002},\n")
    busy = Listener(hold_at=0)  # the first label, 3001's, stays in hand until released
    profile = PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{busy.port}", dpi=203, media="4x6")
    results: list[LabelBatchResult] = []

    def batch() -> None:
        window_cache = open_cache(cache.path)
        try:
            results.append(print_labels_to_printer(window_cache, [ids["3001"], ids["3002"]], profile))
        finally:
            window_cache.close()

    printing = threading.Thread(target=batch)
    printing.start()
    assert busy.holding.wait(timeout=60)
    cancel_from_another_program(cache.path, tmp_path)
    busy.release()
    printing.join(timeout=120)
    busy.close()

    (result,) = results
    (stored,) = find_by_number(cache, "3001")
    assert stored.order.status is OrderStatus.CANCELLED
    assert [entry.payload["order_number"] for entry in pending_outbox(cache)] == ["3002"]
    assert [reason for order_id, reason in result.failed if order_id == ids["3001"]]
