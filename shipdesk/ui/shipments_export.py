"""File → Export shipments…: the CSV file of shipped orders a store without an API takes, to mark them shipped.

It writes the shipments still waiting for those stores (shipdesk/shipment_export.py); once written, they leave the
outbox. A few hundred rows at most: written on the UI thread.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow

from shipdesk.cache import Cache
from shipdesk.cache.settings import LAST_EXPORT_FOLDER, LAST_IMPORT_FOLDER, get_setting, set_setting
from shipdesk.domain import plural
from shipdesk.shipment_export import count_waiting_for_a_file, export_waiting_shipments
from shipdesk.ui.csv_importing import starting_folder
from shipdesk.ui.messages import show_problem

NOTHING_TO_EXPORT = "No shipped order waits to be exported: every shipment has gone to its store."
EXPORT_TIP = (
    "Shipped orders of stores without an API: File → Export shipments for upload… saves them as a CSV file to upload "
    "to the store."
)


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
        waiting = count_waiting_for_a_file(self._cache)
        if not waiting:
            self._window.statusBar().showMessage(NOTHING_TO_EXPORT, 5000)
            return
        # Beside the store's order files, where the browser's upload will look, until a file was saved elsewhere.
        folder = starting_folder(
            get_setting(self._cache, LAST_EXPORT_FOLDER, ""), get_setting(self._cache, LAST_IMPORT_FOLDER, "")
        )
        suggested = unused_file_name(folder, f"shipments-{date.today():%Y-%m-%d}", ".csv")
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
            f"Wrote {plural(export.written, 'shipment')} to {path}: upload it to the store to mark them shipped."
        )


def unused_file_name(folder: Path, stem: str, suffix: str) -> Path:
    """`stem` in `folder`, or `stem-2`, `stem-3`… when taken: a second export the same day must not replace a first
    that is not uploaded yet, as its shipments have left the outbox."""
    path = folder / f"{stem}{suffix}"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


def outbox_text(waiting: int, to_export: int, refused: int) -> str:
    """The outbox in the status bar: updates a sync sends, shipments for a file, and those a store refused.

    `waiting` counts them all but the refused; `to_export` is the part that leaves with File → Export shipments.
    """
    to_sync = waiting - to_export
    parts = [f"{plural(to_sync, 'update')} waiting in the outbox"] if to_sync or not to_export else []
    if to_export:
        parts.append(f"{plural(to_export, 'shipment')} to export for upload")
    if refused:
        parts.append(f"{refused:,} refused by the store")
    return "; ".join(parts)
