"""Printing labels from the window: the print dialog, the batch on its worker thread, its progress and its report.

The window hands over the selected orders; `on_printed` gets them back to reload once the batch has ended.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QToolButton

from shipdesk.cache import Cache
from shipdesk.cache.database import CacheError
from shipdesk.cache.orders import OrderRow, fetch_rows, shipping_texts
from shipdesk.cache.shipments import orders_shipped_here
from shipdesk.domain import OrderStatus, plural
from shipdesk.label_batch import LabelBatchResult, foreseen_failure
from shipdesk.printing.errors import PrinterError
from shipdesk.shipping.remembered_choices import OrderShipping
from shipdesk.shipping.shipstation_labels import LabelError
from shipdesk.ui.messages import show_problem
from shipdesk.ui.print_dialog import PrintDialog
from shipdesk.ui.print_progress import PrintProgressDialog
from shipdesk.ui.print_report import (
    batch_summary,
    failure_lines,
    printer_batch_summary,
    printer_problem,
    queued_line,
)
from shipdesk.ui.print_worker import LabelBatchThread, PrintRequest
from shipdesk.upstream.credentials import CredentialsError

log = logging.getLogger(__name__)

_ROWS_A_QUERY = 500  # ids bound to one IN (...) list, well under SQLite's variable limit


class OpenPdfButton(QToolButton):
    """In the status bar once labels or sheets went into a PDF file: opens the last one in the desktop's PDF viewer,
    to print from there. Its tooltip has the whole path, as the status bar names only the file."""

    def __init__(self) -> None:
        super().__init__()
        self.setText("Open labels PDF")
        self.pdf: Path | None = None
        self.hide()
        self.clicked.connect(self.open_pdf)

    def show_for(self, pdf: Path, what: str = "labels") -> None:
        """Offers `pdf`, the file of the `what` just written ("labels", "slips", "pick list")."""
        self.pdf = pdf
        self.setText(f"Open {what} PDF")
        self.setToolTip(str(pdf))
        self.show()

    def open_pdf(self) -> None:
        if self.pdf is None:
            return
        if not self.pdf.exists():
            self._say(f"{self.pdf} is no longer there.", 5000)
        elif not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf))):
            self._say(f"No program opens PDF files here; the file is {self.pdf}.", 8000)

    def _say(self, text: str, milliseconds: int) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, milliseconds)


def open_pdf_button(window: QMainWindow) -> OpenPdfButton:
    """The window's one Open … PDF button, put in its status bar the first time it is asked for: labels, packing slips
    and pick lists share it, so it offers the PDF written last and takes the room of one button."""
    status_bar = window.statusBar()
    button = status_bar.findChild(OpenPdfButton)
    if button is None:
        button = OpenPdfButton()
        status_bar.insertPermanentWidget(0, button)
    return button


class BatchPrinting(QObject):
    """One window's label printing; at most one batch runs at a time."""

    finished = Signal()  # a batch ended and was reported, or could not start

    def __init__(self, window: QMainWindow, cache: Cache, on_printed: Callable[[Sequence[int]], None]) -> None:
        super().__init__(window)
        self._window = window
        self._cache = cache
        self._on_printed = on_printed
        self.dialog: PrintDialog | None = None
        self.progress: PrintProgressDialog | None = None
        self.worker: LabelBatchThread | None = None
        self.last_worker: LabelBatchThread | None = None  # the batch that ended last, kept for its result
        self.open_pdf_button = open_pdf_button(window)

    @property
    def running(self) -> bool:
        return self.worker is not None

    def ask(self, order_ids: Sequence[int]) -> None:
        """Opens the print dialog for these orders; Print there starts the batch."""
        if self.worker is not None:
            self._window.statusBar().showMessage("Labels are still printing; wait for the batch or cancel it.", 5000)
            return
        rows = _rows(self._cache, order_ids)
        stores = {row.store for row in rows.values()}
        shipped_here = orders_shipped_here(self._cache, [i for i in order_ids if _shipped(rows.get(i))])
        failures = {
            row.id: reason
            for row in (rows[order_id] for order_id in order_ids if order_id in rows)
            if (reason := foreseen_failure(row.status, row.hold_reason, shipped_here=row.id in shipped_here))
        }
        shared = _numbers_of_several_stores(rows.values())
        refused = [(_order_name(rows[order_id], shared), reason) for order_id, reason in failures.items()]
        reprints = [rows[order_id].order_number for order_id in order_ids if order_id in shipped_here]
        printable = [order_id for order_id in order_ids if order_id in rows and order_id not in failures]
        dialog = PrintDialog(
            self._cache,
            order_ids,
            stores,
            self._window,
            refused=refused,
            reprints=reprints,
            shipping=_shipping(self._cache, printable),
        )
        dialog.accepted.connect(lambda: self.start(dialog.request()))
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()

    def start(self, request: PrintRequest) -> None:
        if self.worker is not None:
            return
        worker = LabelBatchThread(self._cache, request)
        progress = PrintProgressDialog(
            self._window, request.printer_name, request.labels_expected, cancellable=worker.cancellable
        )
        progress.cancel_requested.connect(worker.cancel)
        worker.progressed.connect(progress.show_progress)
        worker.finished.connect(self._batch_ended)  # queued: it arrives on the UI thread
        self.worker, self.progress = worker, progress
        progress.open()
        worker.start()

    def stop(self) -> None:
        """Closes the print dialog, and stops a running batch after the label in flight and waits for it, as the
        window closes.

        What was printed is recorded by then; nothing is reported to a window that is going away.
        """
        if self.dialog is not None:
            self.dialog.reject()
        if self.worker is not None:
            self.worker.cancel()
            self._batch_ended(report=False)

    def _dialog_closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def _batch_ended(self, *, report: bool = True) -> None:
        worker, progress = self.worker, self.progress
        if worker is None or progress is None:
            return  # already ended by stop()
        worker.wait()  # QThread.finished is sent just before the thread's last steps
        self.worker = self.progress = None
        progress.accept()
        progress.deleteLater()
        if self.last_worker is not None:
            self.last_worker.deleteLater()
        self.last_worker = worker
        if not report:
            return
        self._on_printed(worker.request.order_ids)  # also after an error: the labels sent before it are recorded
        if worker.error is not None:
            self._report_error(worker.error)
        elif worker.result is not None:
            self._report(worker.request, worker.result)
        self.finished.emit()

    def _report(self, request: PrintRequest, result: LabelBatchResult) -> None:
        # Short enough for the status bar of a 1024-pixel screen, beside its counts. No timeout: back from a break, the
        # packer still reads how the batch went, until the next message. The problem box and Open button carry the rest.
        if request.profile is None and request.purchase is None:
            summary = problem = batch_summary(result)
        elif result.pdf_path is not None:  # labels bought into one PDF of the batch
            summary = _bought_into_pdf_summary(result)
            problem = printer_problem(result, request.printer_name) if result.printer_error else summary
        else:
            summary = printer_batch_summary(result, request.printer_name)
            problem = printer_problem(result, request.printer_name)
        if request.profile is None and result.pdf_path is not None:
            self.open_pdf_button.show_for(result.pdf_path)
        self._window.statusBar().showMessage(summary)
        if not result.failed and not result.printer_error:
            return
        # An order whose failure stopped the batch is named by the main line already.
        details = [line for line in failure_lines(result) if line.rstrip(".") != result.printer_error.rstrip(".")]
        if result.printer_error:
            # The orders left are named here once; the main line says what the printer did.
            details.append(queued_line(result, _numbers(self._cache, result.queued)))
            ready = "the printer is ready" if result.printer_failed else "that is sorted out"
            details.append(f"Print them again once {ready}.")
        title = "Some labels not printed" if result.printed else "No labels printed"
        show_problem(self._window, title, problem, "\n".join(line for line in details if line))

    def _report_error(self, error: Exception) -> None:
        if isinstance(error, LabelError | CredentialsError):
            log.warning("no label bought: %s", error)
            show_problem(self._window, "No labels bought", f"{error}\nNo order was marked shipped.")
            return
        if isinstance(error, PrinterError | ValueError | CacheError):
            log.warning("label batch not printed: %s", error, exc_info=error)
            show_problem(self._window, "Labels not printed", f"{error}.\nNo order was marked shipped.")
            return
        if isinstance(error, sqlite3.OperationalError):
            log.warning("label batch not recorded", exc_info=error)
            show_problem(
                self._window,
                "Shipments not recorded",
                f"The labels were made, but the order cache could not record every shipment ({error}). "
                "Check which orders show Shipped before printing the others again.",
            )
            return
        log.error("label batch stopped by an unexpected error", exc_info=error)
        show_problem(
            self._window,
            "Printing stopped",
            f"shipdesk stopped printing because of an error of its own ({type(error).__name__}: {error}); "
            "the log has the details. Check which orders show Shipped before printing the others again.",
        )


def _bought_into_pdf_summary(result: LabelBatchResult) -> str:
    """'Wrote 1 of 3 labels to labels-….pdf; cancelled, 2 orders still to print.': the file, and the orders left."""
    summary = batch_summary(result)
    if not result.queued:
        return summary
    left = f"{plural(len(result.queued), 'order')} still to print"
    return f"{summary.removesuffix('.')}; {'cancelled, ' if result.cancelled else ''}{left}."


def _rows(cache: Cache, order_ids: Sequence[int]) -> dict[int, OrderRow]:
    rows: dict[int, OrderRow] = {}
    for start in range(0, len(order_ids), _ROWS_A_QUERY):
        rows.update(fetch_rows(cache, order_ids[start : start + _ROWS_A_QUERY]))
    return rows


def _shipping(cache: Cache, order_ids: Sequence[int]) -> list[OrderShipping]:
    """What the orders say of their shipping, for the choice the print dialog opens on."""
    return [OrderShipping(*texts) for texts in shipping_texts(cache, order_ids)]


def _numbers_of_several_stores(rows: Iterable[OrderRow]) -> set[str]:
    """The order numbers that orders of more than one store have: two shops may both number from 1001."""
    stores_of: dict[str, set[str]] = {}
    for row in rows:
        stores_of.setdefault(row.order_number, set()).add(row.store)
    return {number for number, stores in stores_of.items() if len(stores) > 1}


def _order_name(row: OrderRow, shared_numbers: set[str]) -> str:
    """The order's number, with its store when an order of another store has the same number."""
    return f"{row.order_number} of {row.store}" if row.order_number in shared_numbers else row.order_number


def _shipped(row: OrderRow | None) -> bool:
    return row is not None and row.status is OrderStatus.SHIPPED


def _numbers(cache: Cache, order_ids: Sequence[int]) -> dict[int, str]:
    return {order_id: row.order_number for order_id, row in _rows(cache, order_ids).items()}
