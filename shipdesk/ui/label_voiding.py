"""Orders → Void labels…: after a yes, the selected shipped orders' labels are voided and the orders wait to be
packed again.

A label bought from ShipStation is voided there, a network call, so the voids run on a worker thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QMessageBox

from shipdesk.cache import Cache
from shipdesk.cache.database import cache_for_this_thread
from shipdesk.cache.shipments import orders_shipped_here
from shipdesk.domain import plural
from shipdesk.label_voiding import VoidBatch, void_labels
from shipdesk.ui.background_jobs import BackgroundJobs
from shipdesk.ui.messages import show_problem

log = logging.getLogger(__name__)


class VoidThread(QThread):
    """Voids the labels on a cache connection of its own; `batch` is read once `finished` has arrived."""

    def __init__(self, cache: Cache, order_ids: list[int]) -> None:
        super().__init__()
        self._cache = cache
        self.order_ids = order_ids
        self.batch = VoidBatch([], [])

    def run(self) -> None:
        try:
            with cache_for_this_thread(self._cache) as cache:
                self.batch = void_labels(cache, self.order_ids)
        except Exception as error:  # a bug: said calmly, with the details in the log
            log.exception("voiding labels failed")
            self.batch.refused.append(f"An unexpected error stopped the voids ({type(error).__name__}; see the log).")


def void_question(count: int) -> str:
    return (
        f"Void the {'label' if count == 1 else 'labels'} of {plural(count, 'shipped order')}? "
        f"{'It goes' if count == 1 else 'They go'} back to awaiting shipment, and the store is not told "
        f"{'it' if count == 1 else 'they'} shipped. A label bought from ShipStation is voided there, which refunds it."
    )


def voided_text(batch: VoidBatch) -> str:
    """The batch in one line: what was voided, then how many were not (the reasons go in a box)."""
    if not batch.voided:
        left = "it was" if len(batch.refused) == 1 else "they were"
        return f"No label voided: {plural(len(batch.refused), 'label')} left as {left}."
    waits = "the order waits" if len(batch.voided) == 1 else "the orders wait"
    text = f"Voided {plural(len(batch.voided), 'label')}; {waits} to be packed again"
    return f"{text}; {len(batch.refused):,} not voided." if batch.refused else f"{text}."


class LabelVoiding(BackgroundJobs[VoidThread]):
    """One window's voids, one batch at a time. Emits `voided` with the ids of the orders whose labels were voided."""

    voided = Signal(list)

    def busy_message(self, worker: VoidThread) -> str:
        return "Still voiding labels; wait a moment."

    def ask(self, order_ids: list[int]) -> None:
        """Asks, with No as the answer Enter gives, then voids on a worker thread."""
        if self.busy():
            return
        status_bar = self._window.statusBar()
        recorded = orders_shipped_here(self._cache, order_ids)  # an order with a shipment recorded here is shipped
        shipped = [order_id for order_id in order_ids if order_id in recorded]
        if not shipped:
            status_bar.showMessage("No selected order has a label printed or bought in shipdesk.", 5000)
            return
        answer = QMessageBox.question(
            self._window, "Void labels", void_question(len(shipped)), defaultButton=QMessageBox.StandardButton.No
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.start(shipped)

    def start(self, order_ids: list[int]) -> None:
        self._window.statusBar().showMessage(f"Voiding {plural(len(order_ids), 'label')}…")
        self.run(VoidThread(self._cache, order_ids))

    def finish(self, worker: VoidThread) -> None:
        batch = worker.batch
        self._window.statusBar().showMessage(voided_text(batch))
        if batch.voided:
            self.voided.emit([label.order_id for label in batch.voided])
        if batch.refused:
            title = "Some labels not voided" if batch.voided else "Labels not voided"
            show_problem(self._window, title, voided_text(batch), "\n".join(batch.refused))
