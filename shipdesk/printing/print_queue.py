"""A batch of print jobs sent one by one to one device; a job leaves the queue only once the device took it.

When the device fails mid-batch the rest stay queued, and the result names the jobs that went out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from shipdesk.printing.devices import Device
from shipdesk.printing.errors import PrinterError


@dataclass(frozen=True, slots=True)
class PrintJob:
    key: str  # what the caller marks as printed, e.g. the order number
    data: bytes


@dataclass(frozen=True, slots=True)
class BatchResult:
    sent: tuple[str, ...]
    unsent: tuple[str, ...]
    error: PrinterError | None = None

    @property
    def complete(self) -> bool:
        return self.error is None and not self.unsent


@dataclass
class PrintQueue:
    device: Device
    pending: deque[PrintJob] = field(default_factory=deque)

    def add(self, jobs: Iterable[PrintJob]) -> None:
        self.pending.extend(jobs)

    def send(self, on_sent: Callable[[PrintJob], None] | None = None) -> BatchResult:
        """Sends the queued jobs in order until the queue is empty or the device fails; call again to retry."""
        sent: list[str] = []
        error: PrinterError | None = None
        while self.pending:
            job = self.pending[0]
            try:
                self.device.send(job.data)
            except PrinterError as failure:
                error = failure
                break
            self.pending.popleft()
            sent.append(job.key)
            if on_sent is not None:
                on_sent(job)
        return BatchResult(tuple(sent), tuple(job.key for job in self.pending), error)
