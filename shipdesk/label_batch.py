"""Printing labels for a batch of orders: compose each label, print the batch, record the shipments.

Each order gets its own result, a bad order never stops the others, and an order is marked
shipped only once its label has gone to the printer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Protocol

import platformdirs

from shipdesk.cache import Cache
from shipdesk.cache.orders import get_order
from shipdesk.cache.settings import LABEL_FOLDER, get_setting, origin_address
from shipdesk.cache.shipments import latest_shipment, record_shipment
from shipdesk.domain import LabelSize, OrderStatus, Shipment, packing_block_reason, utc_now
from shipdesk.printing.folder_printer import FolderPrinter
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.printing.label_pdf import code128_bars, render_labels_pdf
from shipdesk.shipping.own_courier import own_courier_tracking_number

OWN_COURIER = "Other / own courier"
STANDARD_SERVICE = "Standard"


class PdfPrinter(Protocol):
    def print_pdf(self, data: bytes, name_hint: str) -> Path: ...


@dataclass
class LabelBatchResult:
    pdf_path: Path | None = None
    printed: list[int] = field(default_factory=list)  # order ids whose label went out
    reprinted: list[int] = field(default_factory=list)  # of those, already shipped before
    failed: list[tuple[int, str]] = field(default_factory=list)  # order id, reason in plain words


def default_printer(cache: Cache) -> FolderPrinter:
    """The embedded printer: PDFs into the label folder from settings."""
    folder = get_setting(cache, LABEL_FOLDER)
    return FolderPrinter(Path(folder) if folder else platformdirs.user_documents_path() / "shipdesk" / "labels")


def print_labels(
    cache: Cache,
    order_ids: Sequence[int],
    *,
    carrier: str = OWN_COURIER,
    service: str = STANDARD_SERVICE,
    package: str = "",
    label_size: LabelSize = LabelSize.FOUR_BY_SIX,
    tracking_number: str = "",
    cost: Decimal | None = None,
    printer: PdfPrinter | None = None,
    record: bool = True,
    now: datetime | None = None,
) -> LabelBatchResult:
    """Print one label per order into one PDF and, once printed, record each new shipment.

    `tracking_number` is a carrier's number for a single order; left empty, shipdesk makes one.
    An order that is already shipped is reprinted with its recorded shipment and queues nothing new.
    With `record=False` the labels are only rendered (a preview): nothing changes in the cache.
    """
    if tracking_number and len(order_ids) > 1:
        raise ValueError("A tracking number belongs to one order; print the orders one at a time.")
    shipped_at = now or utc_now()
    sender = origin_address(cache)
    result = LabelBatchResult()
    labels: list[ShippingLabel] = []
    new_shipments: list[tuple[int, Shipment]] = []
    for order_id in order_ids:
        stored = get_order(cache, order_id)
        if stored is None:
            result.failed.append((order_id, "the order is no longer in the cache"))
            continue
        order = stored.order
        shipment = latest_shipment(cache, order_id) if order.status is OrderStatus.SHIPPED else None
        if shipment is None:
            reason = _why_not_printable(order.status, packing_block_reason(order))
            if reason:
                result.failed.append((order_id, f"order {order.order_number}: {reason}"))
                continue
            number = tracking_number or own_courier_tracking_number(order_id, shipped_at)
            try:
                code128_bars(number)
            except ValueError as error:
                result.failed.append((order_id, f"order {order.order_number}: {error}"))
                continue
            shipment = Shipment(
                carrier=carrier,
                service=service,
                package=package,
                tracking_number=number,
                cost=cost,
                label_size=label_size,
                shipped_at=shipped_at,
            )
            new_shipments.append((order_id, shipment))
        else:
            result.reprinted.append(order_id)
        labels.append(
            ShippingLabel(
                sender=sender,
                recipient=order.ship_to,
                carrier=shipment.carrier,
                service=shipment.service,
                tracking_number=shipment.tracking_number,
                order_number=order.order_number,
                ship_date=shipment.shipped_at.date(),
                package=shipment.package,
                weight=order.total_weight,
            )
        )
        result.printed.append(order_id)
    if not labels:
        return result
    pdf = render_labels_pdf(labels, label_size)
    result.pdf_path = (printer or default_printer(cache)).print_pdf(pdf, f"{len(labels)}-orders")
    if record:
        for order_id, shipment in new_shipments:
            record_shipment(cache, order_id, shipment)
    return result


def _why_not_printable(status: OrderStatus, block_reason: str) -> str:
    if status is OrderStatus.CANCELLED:
        return "it was cancelled"
    if status is OrderStatus.AWAITING_PAYMENT:
        return "it is not paid yet"
    return block_reason
