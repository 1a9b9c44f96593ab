"""Printing labels for a batch of orders: compose each label, print it, record the shipment.

Each order gets its own result, a bad order never stops the others, and an order is marked shipped only
once its label has gone to the printer. To a printer device the batch streams: the next label is rendered
while the current one is being sent, and a printer that fails leaves the rest queued for a retry.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Protocol

import platformdirs

from shipdesk.cache import Cache
from shipdesk.cache.label_claims import label_being_bought
from shipdesk.cache.label_pdfs import label_pdf
from shipdesk.cache.orders import get_order
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cache.settings import LABEL_FOLDER, get_setting, origin_address
from shipdesk.cache.shipments import AlreadyShipped, CancelledMeanwhile, latest_shipment, record_shipment
from shipdesk.domain import (
    LabelSize,
    Order,
    OrderStatus,
    Shipment,
    held_words,
    is_packing_block,
    packing_block_reason,
    station_date,
    utc_now,
    whole_tracking_number,
)
from shipdesk.printing.devices import Device, open_device
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.folder_printer import FolderPrinter
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.printing.label_formats import render_label, render_provider_pdf
from shipdesk.printing.label_pdf import code128_bars, render_labels_pdf, unprintable_text
from shipdesk.printing.pdf_join import joined_pdf
from shipdesk.printing.tuning import PrintTuning
from shipdesk.shipping.own_courier import own_courier_tracking_number

OWN_COURIER = "Other / own courier"
STANDARD_SERVICE = "Standard"
RECEIPT_MEDIA = ("58mm", "80mm")
RENDERED_AHEAD = 3  # labels rendered while the printer is still busy with earlier ones

_log = logging.getLogger(__name__)


class PdfPrinter(Protocol):
    def print_pdf(self, data: bytes, name_hint: str) -> Path: ...


@dataclass(frozen=True, slots=True)
class ShippingChoice:
    """What the packer chose for the batch; a tracking number belongs to a single order."""

    carrier: str = OWN_COURIER
    service: str = STANDARD_SERVICE
    package: str = ""
    label_size: LabelSize = LabelSize.FOUR_BY_SIX
    tracking_number: str = ""
    cost: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ShipAnyway:
    """A supervisor's decision to print labels for orders the store says not to ship yet; a packer never needs it."""

    held: bool = False  # on hold in the store (or by an import that left an item out)
    unpaid: bool = False  # awaiting payment


@dataclass(frozen=True, slots=True)
class Progress:
    done: int  # labels sent (or failed) so far
    total: int
    order_number: str
    message: str


@dataclass
class LabelBatchResult:
    pdf_path: Path | None = None
    printed: list[int] = field(default_factory=list)  # order ids whose label went out
    reprinted: list[int] = field(default_factory=list)  # of those, already shipped before
    failed: list[tuple[int, str]] = field(default_factory=list)  # order id, reason in plain words
    queued: list[int] = field(default_factory=list)  # not printed because the printer failed or the batch stopped
    printer_error: str = ""  # why the batch stopped before `queued`: the printer's fault, or labels not drawn
    printer_failed: bool = False  # it was the printer's fault: the rest print once it is ready
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class _Prepared:
    order_id: int
    label: ShippingLabel
    new_shipment: Shipment | None  # None: a reprint of the recorded shipment
    # A reprint of a label the store sold: its own PDF, postage and all, printed as it came. A label drawn here in its
    # place would name the carrier and tracking number, but the carrier would not take it.
    sold_pdf: bytes | None = None


def default_printer(cache: Cache) -> FolderPrinter:
    """The embedded printer: PDFs into the label folder from settings."""
    folder = get_setting(cache, LABEL_FOLDER)
    return FolderPrinter(Path(folder) if folder else platformdirs.user_documents_path() / "shipdesk" / "labels")


def distinct_orders(order_ids: Sequence[int]) -> list[int]:
    """Each order once, where it first appears: a repeated scan or paste must not print, ship or buy a label twice."""
    return list(dict.fromkeys(order_ids))


def _prepare(
    cache: Cache,
    order_ids: Sequence[int],
    choice: ShippingChoice,
    anyway: ShipAnyway,
    shipped_at: datetime,
    result: LabelBatchResult,
) -> list[_Prepared]:
    """The label of every order that can be printed, each once; the others go to `result.failed` with the reason."""
    order_ids = distinct_orders(order_ids)
    if choice.tracking_number and len(order_ids) > 1:
        raise ValueError("A tracking number belongs to one order; print the orders one at a time.")
    sender = origin_address(cache)
    prepared: list[_Prepared] = []
    for order_id in order_ids:
        stored = get_order(cache, order_id)
        if stored is None:
            result.failed.append((order_id, "the order is no longer in the cache"))
            continue
        order = stored.order
        shipment = latest_shipment(cache, order_id) if order.status is OrderStatus.SHIPPED else None
        new_shipment: Shipment | None = None
        if shipment is None:
            reason = _why_no_new_label(cache, order_id, order, anyway)
            number = whole_tracking_number(choice.tracking_number) or own_courier_tracking_number(order_id, shipped_at)
            if not reason:
                try:
                    code128_bars(number)
                except ValueError as error:
                    reason = str(error)
            if reason:
                result.failed.append((order_id, f"order {order.order_number}: {reason}"))
                continue
            shipment = new_shipment = Shipment(
                carrier=choice.carrier,
                service=choice.service,
                package=choice.package,
                tracking_number=number,
                cost=choice.cost,
                label_size=choice.label_size,
                shipped_at=shipped_at,
            )
        label = ShippingLabel(
            sender=sender,
            recipient=order.ship_to,
            carrier=shipment.carrier,
            service=shipment.service,
            tracking_number=shipment.tracking_number,
            order_number=order.order_number,
            ship_date=station_date(shipment.shipped_at),
            package=shipment.package,
            weight=order.total_weight,
        )
        sold_pdf = label_pdf(cache, order_id) if new_shipment is None else None
        unprintable = unprintable_text(label) if sold_pdf is None else ""  # e.g. a Chinese name, no Chinese font
        if unprintable:
            result.failed.append((order_id, f"order {order.order_number}: {unprintable}"))
            continue
        prepared.append(_Prepared(order_id, label, new_shipment, sold_pdf))
    return prepared


def _record(cache: Cache, item: _Prepared, result: LabelBatchResult) -> None:
    """Records the order's new shipment once its label went out; one shipped meanwhile becomes its failure."""
    if item.new_shipment is not None:
        try:
            record_shipment(cache, item.order_id, item.new_shipment)
        except AlreadyShipped:
            result.failed.append((item.order_id, f"order {item.label.order_number}: {SHIPPED_DURING_THE_BATCH}"))
            return
        except CancelledMeanwhile:
            result.failed.append((item.order_id, f"order {item.label.order_number}: {CANCELLED_DURING_THE_BATCH}"))
            return
    else:
        result.reprinted.append(item.order_id)
    result.printed.append(item.order_id)


def _changed_meanwhile(cache: Cache, item: _Prepared, anyway: ShipAnyway) -> str:
    """Why the order of a new label can no longer be printed, read again as its label is due ('' when it still can):
    while the batch ran, another window or program shipped it, or its store's sync or import cancelled it."""
    if item.new_shipment is None:
        return ""
    stored = get_order(cache, item.order_id)
    if stored is None:
        return "it is no longer in the cache"
    if stored.order.status is OrderStatus.SHIPPED:
        return SHIPPED_BEFORE_ITS_LABEL
    return _why_no_new_label(cache, item.order_id, stored.order, anyway)


def _why_no_new_label(cache: Cache, order_id: int, order: Order, anyway: ShipAnyway) -> str:
    """Why the order cannot get a label drawn here now, or '' when it can."""
    reason = _why_not_printable(order.status, packing_block_reason(order), order.hold_reason, anyway)
    if not reason and label_being_bought(cache, order_id):
        return LABEL_BEING_BOUGHT
    return reason


def print_labels(
    cache: Cache,
    order_ids: Sequence[int],
    choice: ShippingChoice = ShippingChoice(),
    *,
    printer: PdfPrinter | None = None,
    record: bool = True,
    anyway: ShipAnyway = ShipAnyway(),
    now: datetime | None = None,
) -> LabelBatchResult:
    """Print one label per order into one PDF and, once it is written, record each new shipment.

    An order that is already shipped is reprinted with its recorded shipment and queues nothing new.
    With `record=False` the labels are only rendered (a preview): nothing changes in the cache.
    """
    result = LabelBatchResult()
    prepared = _prepare(cache, order_ids, choice, anyway, now or utc_now(), result)
    if not prepared:
        return result
    pdf = _batch_pdf(prepared, choice.label_size)
    result.pdf_path = (printer or default_printer(cache)).print_pdf(pdf, f"{len(prepared)}-orders")
    for item in prepared:
        if record:
            _record(cache, item, result)
        else:
            result.printed.append(item.order_id)
    return result


def _batch_pdf(prepared: Sequence[_Prepared], size: LabelSize) -> bytes:
    """One PDF of the batch's labels in turn: drawn here, or as the store sold them."""
    if all(item.sold_pdf is None for item in prepared):
        return render_labels_pdf([item.label for item in prepared], size)
    return joined_pdf(
        [item.sold_pdf if item.sold_pdf is not None else render_labels_pdf([item.label], size) for item in prepared]
    )


def profile_label_size(profile: PrinterProfile) -> LabelSize:
    """The label size a printer's media takes; receipt paper takes no shipping label."""
    if profile.media in RECEIPT_MEDIA:
        raise PrinterError(
            f"The printer {profile.name} has {profile.media} receipt paper, too narrow for a shipping label; "
            "use it for packing slips"
        )
    return LabelSize(profile.media)


def print_labels_to_printer(
    cache: Cache,
    order_ids: Sequence[int],
    profile: PrinterProfile,
    choice: ShippingChoice = ShippingChoice(),
    *,
    device: Device | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    anyway: ShipAnyway = ShipAnyway(),
    now: datetime | None = None,
) -> LabelBatchResult:
    """Print each order's label as its own job in the printer's language; record each one as it goes out.

    The labels are rendered on a worker thread a few ahead of the printer. A label that cannot be drawn is its order's
    failure. When the printer fails, or the renderer ends before the last label, the orders not yet printed are in
    `queued` (still waiting for shipment, so printing them again retries them) and `printer_error` says why.
    """
    size = profile_label_size(profile)
    choice = ShippingChoice(choice.carrier, choice.service, choice.package, size, choice.tracking_number, choice.cost)
    result = LabelBatchResult()
    prepared = _prepare(cache, order_ids, choice, anyway, now or utc_now(), result)
    if not prepared:
        return result
    target = device or open_device(profile.uri, language=profile.language)
    tuning = PrintTuning(profile.darkness, profile.speed)
    total = len(prepared)
    stop = cancel or threading.Event()
    rendered: queue.Queue[tuple[_Prepared, bytes | str]] = queue.Queue(maxsize=RENDERED_AHEAD)
    failed_printer = threading.Event()

    def render_all() -> None:
        try:
            for item in prepared:
                if stop.is_set() or failed_printer.is_set():
                    return
                rendered.put((item, _drawn(item, size, profile, tuning)))
        except BaseException:  # e.g. SystemExit from a library: the batch sees the renderer end, the log says why
            _log.exception("Drawing the labels stopped")

    worker = threading.Thread(target=render_all, name="label-render", daemon=True)
    worker.start()
    handled = 0
    try:
        for item, job in _in_order(rendered, total, stop, worker):
            handled += 1
            number = item.label.order_number
            if isinstance(job, str):
                result.failed.append((item.order_id, f"order {number}: {job}"))
                report_progress(on_progress, handled, total, number, f"Order {number} not printed: {job}")
                continue
            if changed := _changed_meanwhile(cache, item, anyway):
                result.failed.append((item.order_id, f"order {number}: changed while this batch ran: {changed}"))
                report_progress(on_progress, handled, total, number, f"Order {number} not printed: {changed}")
                continue
            try:
                target.send(job)
            except PrinterError as error:
                failed_printer.set()
                result.printer_error, result.printer_failed = str(error), True
                result.queued = [later.order_id for later in prepared[handled - 1 :]]
                report_progress(on_progress, handled - 1, total, number, str(error))
                break
            _record(cache, item, result)
            report_progress(on_progress, handled, total, number, f"Printed order {number} on {profile.name}")
        else:
            if handled < total:
                _stopped_early(result, prepared[handled:], cancelled=stop.is_set())
    finally:
        failed_printer.set()
        _drain(rendered)
        worker.join(timeout=30)
    return result


def _drawn(item: _Prepared, size: LabelSize, profile: PrinterProfile, tuning: PrintTuning) -> bytes | str:
    """The label as a print job in the printer's language, or why it could not be drawn."""
    label = item.label
    try:
        if item.sold_pdf is not None:
            pages = render_provider_pdf(item.sold_pdf, profile.language, profile.dpi, size, tuning=tuning)
            return b"".join(pages)
        return render_label(label, size, profile.language, profile.dpi, tuning=tuning)
    except ValueError as error:
        return str(error)
    except Exception as error:  # a fault drawing one label (a font, an image library) must not stop the others
        _log.exception("The label of order %s could not be drawn", label.order_number)
        return f"could not be drawn: {str(error).rstrip('.') or type(error).__name__} (see the log)"


def _stopped_early(result: LabelBatchResult, left: Sequence[_Prepared], *, cancelled: bool) -> None:
    """The batch ended before these orders: cancelled, or its renderer ended. They stay waiting for shipment."""
    result.queued = [item.order_id for item in left]
    if cancelled:
        result.cancelled = True
    else:
        result.printer_error = (
            f"The labels from order {left[0].label.order_number} on could not be drawn "
            "because of an error in shipdesk (see the log)"
        )


def _in_order(
    rendered: queue.Queue[tuple[_Prepared, bytes | str]],
    total: int,
    stop: threading.Event,
    renderer: threading.Thread,
) -> Iterator[tuple[_Prepared, bytes | str]]:
    """The rendered labels as they come; ends early when the batch is stopped or the renderer has ended."""
    for _ in range(total):
        job = _next_rendered(rendered, stop, renderer)
        if job is None:
            return
        yield job


def _next_rendered(
    rendered: queue.Queue[tuple[_Prepared, bytes | str]], stop: threading.Event, renderer: threading.Thread
) -> tuple[_Prepared, bytes | str] | None:
    """The next rendered label; None once the batch is stopped, or once the renderer has ended with none left."""
    while not stop.is_set():
        ended = not renderer.is_alive()  # seen before the wait, so a label it put in just before it ended is taken
        try:
            return rendered.get(timeout=0.1)
        except queue.Empty:
            if ended:
                return None
    return None


def _drain(rendered: queue.Queue[tuple[_Prepared, bytes | str]]) -> None:
    """Frees the renderer if it waits on a full queue, so it can see that the batch ended."""
    while True:
        try:
            rendered.get_nowait()
        except queue.Empty:
            return


def report_progress(
    on_progress: Callable[[Progress], None] | None, done: int, total: int, number: str, message: str
) -> None:
    """Tells `on_progress`, when there is one, how far a batch has got."""
    if on_progress is not None:
        on_progress(Progress(done, total, number, message))


def foreseen_failure(status: OrderStatus, hold_reason: str, *, shipped_here: bool = False) -> str:
    """Why a batch will refuse an order, as far as its listed status says, or ''; for a warning before printing.

    `shipped_here`: a shipment of the order is recorded here, so a shipped order prints its label again. The batch
    itself decides from the whole order: an order held for another reason may still lack an address.
    """
    if status is OrderStatus.SHIPPED and shipped_here:
        return ""  # reprinted
    block = hold_reason if is_packing_block(hold_reason) else ""
    return _why_not_printable(status, block, hold_reason, ShipAnyway())


# A shipped order without a shipment recorded here: shipped from the store or elsewhere. A label printed here would
# carry a tracking number of its own and send it to the store over the real one.
SHIPPED_ELSEWHERE = "it was shipped outside shipdesk, so there is no label here to print again"
# Another window or program shipped the order while this batch ran: before its label went out, or, in a race, just
# as it went out, when the label that came out of this batch is a spare that must not go on the parcel.
SHIPPED_BEFORE_ITS_LABEL = "another window or program shipped it, so it gets no second label"
SHIPPED_DURING_THE_BATCH = (
    "it was shipped by another window or program while this batch ran; throw away the label this batch made for it"
)
# Another window or program is buying the order's label from its store at this moment.
LABEL_BEING_BOUGHT = "its label is being bought by another window or program, so it gets no second label"
NOT_PAID_YET = "it is not paid yet"
CANCELLED_DURING_THE_BATCH = "it was cancelled while this batch ran; throw away the label this batch made for it"


def _why_not_printable(status: OrderStatus, block_reason: str, hold_reason: str, anyway: ShipAnyway) -> str:
    if status is OrderStatus.SHIPPED:
        return SHIPPED_ELSEWHERE
    if status is OrderStatus.CANCELLED:
        return "it was cancelled"
    if status is OrderStatus.AWAITING_PAYMENT and not anyway.unpaid:
        return NOT_PAID_YET
    if block_reason:
        return block_reason  # an order combined into another stays refused, whoever asks
    return "" if anyway.held else held_words(status, hold_reason)
