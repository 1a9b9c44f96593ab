"""Packing slips and pick lists from the window: choose the printer, print on a worker thread, say how it went.

Receipt printers take slips; sheet printers and the PDF folder take both. The printer chosen last is offered first.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QInputDialog, QMainWindow

from shipdesk.cache import Cache
from shipdesk.cache.database import cache_for_this_thread
from shipdesk.cache.printers import PrinterProfile, list_printers
from shipdesk.cache.settings import LAST_SLIP_PRINTER, get_setting, set_setting
from shipdesk.domain import plural
from shipdesk.printing.errors import PrinterError
from shipdesk.slip_printing import (
    combined_note,
    orders_of,
    packing_slips_job,
    pick_list_job,
    send_job,
    without_combined,
)
from shipdesk.ui.background_jobs import BackgroundJobs
from shipdesk.ui.messages import show_problem
from shipdesk.ui.print_batch import open_pdf_button

PDF_FOLDER = "PDF folder"

log = logging.getLogger(__name__)


class SheetKind(enum.Enum):
    SLIPS = "packing slips"
    PICK_LIST = "pick list"

    @property
    def short_name(self) -> str:
        """For the Open … PDF button, which shares the status bar with the counts: 'slips', 'pick list'."""
        return "slips" if self is SheetKind.SLIPS else self.value


def printers_for(cache: Cache, kind: SheetKind) -> list[PrinterProfile]:
    """The printers that print this kind of sheet: sheet (PDF) printers, and receipt printers for slips."""
    languages = ("pdf", "escpos") if kind is SheetKind.SLIPS else ("pdf",)
    return [profile for profile in list_printers(cache) if profile.language in languages]


class SheetJobThread(QThread):
    """Makes and sends one slips or pick-list job on a cache connection of its own; `error` says why not."""

    def __init__(self, cache: Cache, order_ids: Sequence[int], kind: SheetKind, profile: PrinterProfile | None) -> None:
        super().__init__()
        self._cache = cache
        self._order_ids = tuple(order_ids)
        self.kind = kind
        self._profile = profile
        self.where = ""
        self.pdf: Path | None = None  # the file written, when no printer was chosen
        self.error = ""
        self.left_out = ""  # the orders not printed because they were combined into another, and why

    def run(self) -> None:
        try:
            with cache_for_this_thread(self._cache) as cache:
                orders, combined = without_combined(orders_of(cache, self._order_ids))
                self.left_out = combined_note(combined)
                if not orders:
                    raise PrinterError(f"Nothing printed: {self.left_out}")
                if self.kind is SheetKind.SLIPS:
                    job = packing_slips_job(cache, orders, self._profile)
                else:
                    job = pick_list_job(orders, self._profile)
                self.where = send_job(cache, job, self._profile, self.kind.value.replace(" ", "-"))
                self.pdf = Path(self.where) if self._profile is None else None
        except (PrinterError, ValueError) as error:
            self.error = str(error)
        except Exception as error:  # a bug: said calmly, with the details in the log
            log.exception("%s not printed", self.kind.value)
            self.error = f"an unexpected error stopped it ({type(error).__name__}; see the log)"


class SheetPrinting(BackgroundJobs[SheetJobThread]):
    """One window's packing slips and pick lists; one job at a time."""

    finished = Signal()

    def __init__(self, window: QMainWindow, cache: Cache) -> None:
        super().__init__(window, cache)
        self.chooser: QInputDialog | None = None
        self.open_pdf_button = open_pdf_button(window)

    def busy_message(self, worker: SheetJobThread) -> str:
        return "Still printing; wait a moment."

    def ask(self, order_ids: Sequence[int], kind: SheetKind) -> None:
        """Asks which printer, then prints; with no printer that can take it, the PDF folder is the only choice."""
        if self.busy():
            return
        profiles = {profile.name: profile for profile in printers_for(self._cache, kind)}
        names = [*profiles, PDF_FOLDER]
        last = get_setting(self._cache, LAST_SLIP_PRINTER)
        chooser = QInputDialog(self._window)
        chooser.setWindowTitle(f"Print {kind.value}")
        chooser.setLabelText(f"{kind.value.capitalize()} for {plural(len(order_ids), 'order')}, on:")
        chooser.setComboBoxItems(names)
        chooser.setOkButtonText("Print")
        chooser.setTextValue(last if last in names else names[0])
        chooser.textValueSelected.connect(lambda name: self._start(order_ids, kind, name, profiles.get(name)))
        chooser.finished.connect(chooser.deleteLater)
        self.chooser = chooser
        chooser.open()

    def _start(self, order_ids: Sequence[int], kind: SheetKind, name: str, profile: PrinterProfile | None) -> None:
        self.chooser = None
        set_setting(self._cache, LAST_SLIP_PRINTER, name)
        doing = f"Writing the {kind.value} to a PDF…" if profile is None else f"Printing the {kind.value} on {name}…"
        self._window.statusBar().showMessage(doing)
        self.run(SheetJobThread(self._cache, order_ids, kind, profile))

    def finish(self, worker: SheetJobThread) -> None:
        if worker.error:
            self._window.statusBar().showMessage(f"The {worker.kind.value} did not print.", 5000)
            show_problem(self._window, f"{worker.kind.value.capitalize()} not printed", f"{worker.error}.")
        else:
            left_out = f"; {worker.left_out}" if worker.left_out else ""
            if worker.pdf is not None:
                # Nothing went to paper: the file is named, and the Open button opens it for printing from the viewer.
                done = f"Wrote the {worker.kind.value} to {worker.pdf.name}"
                self.open_pdf_button.show_for(worker.pdf, worker.kind.short_name)
            else:
                done = f"Printed the {worker.kind.value} on {worker.where}"
            self._window.statusBar().showMessage(f"{done}{left_out}.")
        self.finished.emit()
