"""Print work off the UI thread: a batch of labels on a cache connection of its own, and single jobs (test prints).

Progress comes back by Qt signal; a result is read once QThread.finished has arrived, so the run is over by then.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QThread, Signal

from shipdesk.cache import Cache
from shipdesk.cache.database import cache_for_this_thread
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cache.stores import get_store
from shipdesk.label_batch import (
    LabelBatchResult,
    ShippingChoice,
    default_printer,
    print_labels,
    print_labels_to_printer,
)
from shipdesk.label_printer import ProfilePdfPrinter
from shipdesk.printing.devices import open_device
from shipdesk.printing.errors import PrinterError
from shipdesk.shipping.shipstation_labels import LabelError, LabelRequest, ShipStationLabelProvider
from shipdesk.shipstation_shipping import buy_and_print_labels, buy_labels_into_one_pdf
from shipdesk.upstream.shipstation_connector import client_for_store

PDF_FOLDER = "the PDF folder"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PrintRequest:
    """What the print dialog asks for: these orders, with this shipping choice, on this printer."""

    order_ids: tuple[int, ...]
    choice: ShippingChoice
    profile: PrinterProfile | None = None  # None: the built-in printer, one PDF into the label folder
    purchase: LabelRequest | None = None  # labels bought from the ShipStation store `store`, not made here
    store: str = ""
    label_count: int | None = None  # the labels the dialog expects, refused orders left out; None: one per order

    @property
    def labels_expected(self) -> int:
        return len(self.order_ids) if self.label_count is None else self.label_count

    @property
    def printer_name(self) -> str:
        return self.profile.name if self.profile is not None else PDF_FOLDER


class LabelBatchThread(QThread):
    """Prints one batch; `cancel()` (from any thread) stops it after the label in flight."""

    progressed = Signal(object)  # a label_batch.Progress per label, emitted on the worker thread

    def __init__(self, cache: Cache, request: PrintRequest) -> None:
        super().__init__()
        self.request = request
        self._cache = cache
        self._cancel = threading.Event()
        self.result: LabelBatchResult | None = None
        self.error: Exception | None = None
        self.ran_on: int | None = None  # the thread ident the batch ran on

    @property
    def cancellable(self) -> bool:
        # One PDF is written whole or not at all, so only a batch to a printer stops between labels.
        return self.request.profile is not None or self.request.purchase is not None

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        self.ran_on = threading.get_ident()
        try:
            self.result = self._print()
        except Exception as error:  # handed to the UI thread, which says what it means
            self.error = error

    def _print(self) -> LabelBatchResult:
        # A shared in-memory cache (tests, demo) is safe: the window writes nothing behind the window-modal progress.
        request = self.request
        with cache_for_this_thread(self._cache) as cache:
            if request.purchase is not None:
                return self._buy(cache, request.purchase)
            if request.profile is None:
                return print_labels(cache, request.order_ids, request.choice)
            return print_labels_to_printer(
                cache,
                request.order_ids,
                request.profile,
                request.choice,
                on_progress=self.progressed.emit,
                cancel=self._cancel,
            )

    def _buy(self, cache: Cache, purchase: LabelRequest) -> LabelBatchResult:
        record = get_store(cache, self.request.store)
        if record is None:
            raise LabelError(f"The store {self.request.store} is no longer connected; no label was bought.")
        profile = self.request.profile
        with client_for_store(record) as client:
            provider = ShipStationLabelProvider(client)
            if profile is None:  # the PDF folder: one PDF of the batch, as for labels made here
                return buy_labels_into_one_pdf(
                    cache,
                    self.request.order_ids,
                    purchase,
                    provider,
                    default_printer(cache),
                    on_progress=self.progressed.emit,
                    cancel=self._cancel,
                )
            return buy_and_print_labels(
                cache,
                self.request.order_ids,
                purchase,
                provider,
                ProfilePdfPrinter(profile),
                on_progress=self.progressed.emit,
                cancel=self._cancel,
            )


class JobSendThread(QThread):
    """Sends one ready job, such as a test label, to a printer; `error` says why it did not arrive."""

    def __init__(self, profile: PrinterProfile, job: bytes) -> None:
        super().__init__()
        self._profile = profile
        self._job = job
        self.error = ""

    def run(self) -> None:
        try:
            open_device(self._profile.uri, language=self._profile.language).send(self._job)
        except PrinterError as error:
            self.error = str(error)
        except Exception as error:  # a bug, or a connection written by hand that cannot be read: said calmly
            log.exception("test job to %s not sent", self._profile.name)
            self.error = f"an unexpected error stopped it ({type(error).__name__}; see the log)"
