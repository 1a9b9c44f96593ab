"""ShipStation shipping at the packing station: the account's choices kept in the cache, and "Create label".

A bought label is recorded at once (it is paid for), then its PDF is kept and handed to the printer.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from shipdesk.cache import Cache
from shipdesk.cache.carriers import load_catalog, replace_catalog
from shipdesk.cache.label_claims import (
    CLAIM_LEASE,
    LabelClaim,
    PurchaseClaimed,
    claim_label_purchase,
    keep_claim_for_lost_answer,
    release_label_claim,
)
from shipdesk.cache.label_pdfs import label_pdf
from shipdesk.cache.orders import get_order
from shipdesk.cache.shipments import AlreadyShipped, record_bought_label
from shipdesk.cache.stores import get_store, removed_store_kind
from shipdesk.domain import Order, Shipment
from shipdesk.label_batch import LabelBatchResult, Progress, distinct_orders, report_progress
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.folder_printer import FolderPrinter
from shipdesk.printing.pdf_join import joined_pdf
from shipdesk.shipping.carrier_catalog import CarrierChoices, group_choices
from shipdesk.shipping.shipstation_labels import (
    BoughtLabel,
    LabelError,
    LabelRequest,
    ShipStationLabelProvider,
    refusal_before_buying,
)
from shipdesk.upstream.shipstation import ShipStationClient
from shipdesk.upstream.shipstation_catalog import fetch_shipstation_catalog
from shipdesk.upstream.shipstation_connector import KIND

_log = logging.getLogger(__name__)


class PdfPrinter(Protocol):
    """Where a bought label goes: a folder (returns the file) or a printer (returns its name)."""

    def print_pdf(self, data: bytes, name_hint: str) -> Path | str: ...


@dataclass(frozen=True, slots=True)
class LabelPurchase:
    order_number: str
    shipment: Shipment
    printed_to: Path | str | None
    print_error: str = ""  # the label is bought; only printing failed
    test: bool = False  # a test label: printed, but neither paid for nor recorded
    kept: bool = True  # its PDF is kept here, to print again; not when ShipStation sent none that could be read
    sold_earlier: bool = False  # sold on an earlier try whose answer was lost, found and recorded now: not bought now


def refresh_choices(cache: Cache, store: str, client: ShipStationClient) -> list[CarrierChoices]:
    """Fetch the account's carriers, services and packages, keep them, and return them as shipping choices."""
    replace_catalog(cache, store, fetch_shipstation_catalog(client))
    return shipping_choices(cache, store)


def shipping_choices(cache: Cache, store: str, *, international: bool | None = None) -> list[CarrierChoices]:
    return group_choices(load_catalog(cache, store), international=international)


def create_label(
    cache: Cache,
    order_id: int,
    request: LabelRequest,
    provider: ShipStationLabelProvider,
    printer: PdfPrinter,
    *,
    now: datetime | None = None,
) -> LabelPurchase:
    """Buy the order's label from ShipStation, record the shipment with its PDF, and print it.

    Raises LabelError when no label was bought (or it is unknown whether one was), and when one was bought but the
    cache could not record it (outcome_unknown: buy no more until that is sorted out). ShipStation has the order as
    shipped from the purchase on, so no mark-as-shipped waits in the outbox for it. A test label is only printed.
    A label sold without a readable PDF is recorded, and its print_error says to print it from ShipStation.
    """
    stored = get_order(cache, order_id)
    if stored is None:
        raise LabelError("No label bought: the order is no longer in the cache.")
    order = stored.order
    store = get_store(cache, order.store)
    if store is None and removed_store_kind(cache, order.store) == KIND:
        raise LabelError(
            f"No label bought for order {order.order_number}: its store {order.store} is no longer set up in "
            "shipdesk; connect it again to buy labels for its orders."
        )
    if store is None or store.kind != KIND:
        raise LabelError(f"No label bought for order {order.order_number}: its store is not a ShipStation store.")
    if request.test_label:
        # For trying the account and the printer: nothing is charged and nothing ships, so nothing is recorded.
        bought = provider.buy(order, request, now=now)
        return replace(_print(order.order_number, bought.shipment, bought.pdf, printer), test=True)
    refusal_before_buying(order, request)  # nothing is claimed for an order refused anyway
    claim = _claim(cache, order_id, order.order_number)
    sold_before = _sold_before(cache, claim, order, provider, now=now) if claim.after_lost_answer else None
    if sold_before is not None:
        return _record_sold_before(cache, claim, order.order_number, sold_before)
    bought = _buy_claimed(cache, claim, order.order_number, request, provider, now=now)
    try:
        record_bought_label(cache, order_id, bought.shipment, bought.pdf or None, bought.shipment_id)
    except sqlite3.Error as error:
        # The claim cannot be released either: it lapses, and keeps the order from being bought again till then.
        raise _not_recorded(order.order_number, bought, printer, error) from error
    _release(cache, claim)
    if not bought.pdf:
        return LabelPurchase(order.order_number, bought.shipment, None, _NO_PDF, kept=False)
    return _print(order.order_number, bought.shipment, bought.pdf, printer)


_NO_PDF = "ShipStation sent no readable PDF of it, so print it from ShipStation"


def _claim(cache: Cache, order_id: int, order_number: str) -> LabelClaim:
    """This program's claim on buying the order's label, or a LabelError saying who holds it or why none is taken."""
    refused = f"No label bought for order {order_number}"
    try:
        return claim_label_purchase(cache, order_id)
    except PurchaseClaimed as claimed:
        raise LabelError(f"{refused}: {claimed}.") from claimed
    except AlreadyShipped:
        raise LabelError(f"{refused}: another window or program shipped it, so it gets no second label.") from None
    except KeyError:
        raise LabelError(f"{refused}: the order is no longer in the cache.") from None
    except sqlite3.Error as error:
        _log.warning("no claim on buying the label of order %s: %s", order_number, error)
        raise LabelError(f"{refused}: the order cache could not be written ({error}); try again.") from error


def _sold_before(
    cache: Cache, claim: LabelClaim, order: Order, provider: ShipStationLabelProvider, *, now: datetime | None
) -> BoughtLabel | None:
    """The label ShipStation sold on the try whose answer was lost, if it did: asked before another is bought."""
    try:
        return provider.label_sold_before(order, now=now)
    except LabelError as error:
        # Still unknown: the next try asks again, at once, as the claim is left lapsed and still marked.
        _keep_for_lost_answer(cache, claim, lease=timedelta(0))
        raise LabelError(
            f"No label bought for order {order.order_number}: an earlier purchase of its label lost ShipStation's "
            f"answer, and ShipStation could not be asked whether it sold that label ({str(error).rstrip('.')}). "
            "Try again when ShipStation can be reached."
        ) from error


def _record_sold_before(cache: Cache, claim: LabelClaim, order_number: str, sold: BoughtLabel) -> LabelPurchase:
    """Record the label ShipStation sold on a try whose answer was lost; it has no PDF here, so it is printed from
    ShipStation."""
    try:
        record_bought_label(cache, claim.order_id, sold.shipment, None, sold.shipment_id)
    except sqlite3.Error as error:
        _log.error("label of order %s sold earlier but not recorded in the cache: %s", order_number, error)
        raise LabelError(
            f"ShipStation sold the label of order {order_number} on an earlier try whose answer was lost (tracking "
            f"{sold.shipment.tracking_number}), but the cache could not record it ({error}). Print it from "
            "ShipStation, and do not buy its label again.",
            outcome_unknown=True,
        ) from error
    _release(cache, claim)
    return LabelPurchase(order_number, sold.shipment, None, _SOLD_BEFORE, kept=False, sold_earlier=True)


_SOLD_BEFORE = (
    "ShipStation had sold it on an earlier try whose answer was lost, so no second label was bought; it is recorded "
    "now, and its PDF is in ShipStation only, so print it from ShipStation"
)


def _buy_claimed(
    cache: Cache,
    claim: LabelClaim,
    order_number: str,
    request: LabelRequest,
    provider: ShipStationLabelProvider,
    *,
    now: datetime | None,
) -> BoughtLabel:
    """Buy the label of the order claimed, read again now that it is claimed: the claim is released when no label was
    bought, and kept (until it lapses) when ShipStation may have sold one whose answer was lost."""
    try:
        stored = get_order(cache, claim.order_id)
        if stored is None:
            raise LabelError(f"No label bought for order {order_number}: the order is no longer in the cache.")
        return provider.buy(stored.order, request, now=now)
    except LabelError as error:
        if error.outcome_unknown:
            _keep_for_lost_answer(cache, claim)
        else:
            _release(cache, claim)
        raise
    # Ctrl+C or a bug mid-purchase: the label may be sold, so the claim stays as for a lost answer.
    except BaseException:
        _keep_for_lost_answer(cache, claim)
        raise


def _release(cache: Cache, claim: LabelClaim) -> None:
    try:
        release_label_claim(cache, claim)
    except sqlite3.Error as error:  # it lapses by itself; the purchase's own outcome is what the packer hears
        _log.warning("claim on buying the label of order id %s not released: %s", claim.order_id, error)


def _keep_for_lost_answer(cache: Cache, claim: LabelClaim, *, lease: timedelta = CLAIM_LEASE) -> None:
    try:
        keep_claim_for_lost_answer(cache, claim, lease=lease)
    except sqlite3.Error as error:
        _log.warning("claim on buying the label of order id %s not kept: %s", claim.order_id, error)


def _not_recorded(order_number: str, bought: BoughtLabel, printer: PdfPrinter, error: sqlite3.Error) -> LabelError:
    """A label paid for that the cache could not record (held by another program, full): it is printed all the same,
    and the error names it, so that no one buys the order's label again. The next sync marks the order shipped."""
    label = f"tracking {bought.shipment.tracking_number}"
    if bought.shipment_id is not None:
        label += f", ShipStation shipment {bought.shipment_id}"
    _log.error("label of order %s bought (%s) but not recorded in the cache: %s", order_number, label, error)
    printed = _print(order_number, bought.shipment, bought.pdf, printer) if bought.pdf else None
    if printed is None:
        where = f"{_NO_PDF}."
    elif printed.print_error:
        where = f"It was not printed either ({printed.print_error.split(';')[0]}): print it from ShipStation."
    else:
        where = f"It was printed to {printed.printed_to}."
    return LabelError(
        f"ShipStation sold the label of order {order_number} ({label}), but the cache could not record it "
        f"({error}). {where} ShipStation has the order as shipped, so the next sync shows it shipped here: do not "
        "buy its label again. No further label was bought.",
        outcome_unknown=True,
    )


def buy_and_print_labels(
    cache: Cache,
    order_ids: Sequence[int],
    request: LabelRequest,
    provider: ShipStationLabelProvider,
    printer: PdfPrinter,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    now: datetime | None = None,
) -> LabelBatchResult:
    """Buy and print each order's label in turn: the printer prints one while the next is being bought.

    An order ShipStation refuses is reported and the others go on. When the printer fails, the label just bought is
    kept (it is paid for: print it again) and no further label is bought; those orders stay queued, unshipped. An
    answer lost during a purchase stops the batch too, as ShipStation may have sold that label. A label bought with no
    PDF here to print (print it from ShipStation) is named, and the others go on.
    """
    result = LabelBatchResult()
    order_ids = distinct_orders(order_ids)
    total = len(order_ids)
    for done, order_id in enumerate(order_ids, start=1):
        if cancel is not None and cancel.is_set():
            result.cancelled = True
            result.queued = list(order_ids[done - 1 :])
            break
        stored = get_order(cache, order_id)
        number = stored.order.order_number if stored is not None else str(order_id)
        try:
            purchase = create_label(cache, order_id, request, provider, printer, now=now)
        except LabelError as error:
            result.failed.append((order_id, str(error)))  # it names the order
            report_progress(on_progress, done, total, number, str(error))
            if error.outcome_unknown:
                result.printer_error = str(error)
                result.queued = list(order_ids[done:])
                break
            continue
        if purchase.print_error and not purchase.kept:
            # No PDF of it here (ShipStation sent none, or sold it on a try whose answer was lost): the printer is not
            # at fault, so the order is named and the batch goes on.
            result.failed.append((order_id, f"order {number}: label bought, not printed: {purchase.print_error}"))
            report_progress(on_progress, done, total, number, purchase.print_error)
            continue
        if purchase.print_error:
            result.failed.append(
                (order_id, f"order {number}: label bought and kept, not printed: {purchase.print_error}")
            )
            result.printer_error, result.printer_failed = purchase.print_error, True
            result.queued = list(order_ids[done:])
            report_progress(on_progress, done, total, number, purchase.print_error)
            break
        result.printed.append(order_id)
        report_progress(on_progress, done, total, number, f"Bought and printed the label of order {number}")
    return result


def buy_labels_into_one_pdf(
    cache: Cache,
    order_ids: Sequence[int],
    request: LabelRequest,
    provider: ShipStationLabelProvider,
    folder: FolderPrinter,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    now: datetime | None = None,
) -> LabelBatchResult:
    """Buy each order's label as buy_and_print_labels does, into one PDF of the batch (a page a label, in the order
    they were bought) written into `folder` once the batch ends, however it ends: `pdf_path` is that file.

    Each label is kept in the cache as it is bought, so no file is written per order: a folder holding every label
    twice invites printing one twice. When the file cannot be written, the labels bought are named as not printed.
    """
    gathered = _GatheredLabels(folder.folder)
    result = buy_and_print_labels(
        cache, order_ids, request, provider, gathered, on_progress=on_progress, cancel=cancel, now=now
    )
    if not gathered.pdfs:
        return result
    try:
        result.pdf_path = folder.print_pdf(joined_pdf(gathered.pdfs), f"{len(gathered.pdfs)}-orders")
    except PrinterError as error:
        _log.warning("bought labels not written into one PDF: %s", error)
        _not_written(cache, result, str(error))
    return result


class _GatheredLabels:
    """A batch's bought labels, gathered as they come for one PDF; each says it went to the folder of that PDF."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pdfs: list[bytes] = []

    def print_pdf(self, data: bytes, name_hint: str) -> Path:
        self.pdfs.append(data)
        return self.folder


def _not_written(cache: Cache, result: LabelBatchResult, error: str) -> None:
    """The batch's PDF was not written: the labels bought are recorded and kept, but none is printed."""
    for order_id in result.printed:
        stored = get_order(cache, order_id)
        number = stored.order.order_number if stored is not None else str(order_id)
        result.failed.append((order_id, f"order {number}: label bought and kept, not printed: {error}"))
    result.printed.clear()
    result.printer_error = result.printer_error or f"{error}; the labels bought are kept, print them again"
    result.printer_failed = True


def print_label_again(cache: Cache, order_id: int, printer: PdfPrinter) -> Path | str:
    """Print the kept PDF of the order's bought label; raises LookupError when none was kept."""
    stored = get_order(cache, order_id)
    pdf = label_pdf(cache, order_id)
    if stored is None or pdf is None:
        raise LookupError("No bought label is kept for this order.")
    return printer.print_pdf(pdf, f"{stored.order.order_number}-label")


def _print(order_number: str, shipment: Shipment, pdf: bytes, printer: PdfPrinter) -> LabelPurchase:
    try:
        path = printer.print_pdf(pdf, f"{order_number}-label")
    except PrinterError as error:
        _log.warning("label of order %s bought but not printed: %s", order_number, error)
        return LabelPurchase(order_number, shipment, None, f"{error}; the label is kept, print it again")
    return LabelPurchase(order_number, shipment, path)
