"""File → Export shipments…: the CSV file of shipped orders a store without an API takes, to mark them shipped.

It writes the shipments still waiting for those stores (shipdesk/shipment_export.py); once written, they leave the
outbox. A few hundred rows at most: written on the UI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow

from shipdesk.cache import Cache
from shipdesk.cache.settings import LAST_EXPORT_FOLDER, get_setting, set_setting
from shipdesk.domain import plural, utc_now
from shipdesk.shipment_export import export_waiting_shipments, waiting_for_a_file
from shipdesk.ui.messages import show_problem

NOTHING_TO_EXPORT = "No shipped order waits to be exported: every shipment has gone to its store."


class ShipmentsExporting(QObject):
    """Emits `exported` after a file was written, as the outbox count has changed."""

    exported = Signal()

    def __init__(self, window: QMainWindow, cache: Cache) -> None:
        super().__init__(window)
        self._window = window
        self._cache = cache
        self.file_dialog: QFileDialog | None = None

    def ask(self) -> None:
        """Asks where to save the file, or says there is nothing to export."""
        waiting = len(waiting_for_a_file(self._cache))
        if not waiting:
            self._window.statusBar().showMessage(NOTHING_TO_EXPORT, 5000)
            return
        folder = Path(get_setting(self._cache, LAST_EXPORT_FOLDER, "") or Path.home())
        suggested = folder / f"shipments-{utc_now():%Y-%m-%d}.csv"
        chooser = QFileDialog(self._window, f"Export {plural(waiting, 'shipment')} for upload", str(suggested))
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setNameFilter("CSV files (*.csv)")
        chooser.setDefaultSuffix("csv")
        chooser.fileSelected.connect(lambda name: self.export_to(Path(name)))
        chooser.finished.connect(chooser.deleteLater)
        self.file_dialog = chooser
        chooser.open()

    def export_to(self, path: Path) -> None:
        self.file_dialog = None
        try:
            export = export_waiting_shipments(self._cache, path)
        except OSError as error:
            reason = error.strerror or str(error)
            show_problem(self._window, "Shipments not exported", f"{path} could not be written ({reason}).")
            return
        set_setting(self._cache, LAST_EXPORT_FOLDER, str(path.parent))
        self.exported.emit()
        self._window.statusBar().showMessage(
            f"Wrote {plural(export.written, 'shipment')} to {path.name}: upload it to the store to mark them shipped."
        )
