"""A test print from the Printers dialog: the sample label (or slip) of a profile, sent off the UI thread.

One test at a time; `reported` brings the sentence to show, "Sent a test label to Zebra." or why it did not go.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from shipdesk.cache import Cache
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cli_printers import test_job
from shipdesk.label_batch import RECEIPT_MEDIA
from shipdesk.printing.errors import PrinterError
from shipdesk.ui.print_worker import JobSendThread


def sample_kind(profile: PrinterProfile) -> str:
    """What a test print of this printer is: a slip on receipt paper, a label on anything else."""
    return "slip" if profile.media in RECEIPT_MEDIA else "label"


class PrinterCheck(QObject):
    reported = Signal(str)

    def __init__(self, cache: Cache, parent: QObject) -> None:
        super().__init__(parent)
        self._cache = cache
        self._sending: JobSendThread | None = None
        self._profile: PrinterProfile | None = None

    @property
    def running(self) -> bool:
        return self._sending is not None

    def start(self, profile: PrinterProfile) -> str:
        """Starts the test print and says so; or says why it cannot start (another test is still running)."""
        if self._sending is not None:
            return "A test print is still on its way; wait a moment."
        piece = sample_kind(profile)
        try:
            job = test_job(self._cache, profile)
        except (PrinterError, ValueError) as error:
            return f"No test {piece}: {error}"
        self._sending = JobSendThread(profile, job)
        self._profile = profile
        self._sending.finished.connect(self._finished)
        self._sending.start()
        return f"Sending a test {piece} to {profile.name}…"

    def _finished(self) -> None:
        sending, profile = self._sending, self._profile
        if sending is None or profile is None:
            return
        sending.wait()  # finished is sent just before the thread's last steps
        self._sending = self._profile = None
        sending.deleteLater()
        piece = sample_kind(profile)
        if sending.error:
            self.reported.emit(f"Test {piece} not printed: {sending.error}")
        else:
            self.reported.emit(f"Sent a test {piece} to {profile.name}.")

    def stop(self) -> None:
        """Waits for a test in flight (at most the printer's timeout), so no thread outlives its dialog."""
        self._finished()
