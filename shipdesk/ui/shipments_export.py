"""File → Export shipments…: the CSV file of shipped orders a store without an API takes, to mark them shipped.

It writes the shipments still waiting for one of those stores (shipdesk/shipment_export.py), asking which one when
several wait, as each store uploads only its own; once written, they leave the outbox. A few hundred rows at most:
written on the UI thread.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow

from shipdesk.cache import Cache
from shipdesk.cache.settings import LAST_EXPORT_FOLDER, LAST_IMPORT_FOLDER, get_setting, set_setting
from shipdesk.domain import plural
from shipdesk.shipment_export import export_waiting_shipments, upload_file_stem, waiting_by_store
from shipdesk.ui.csv_importing import starting_folder
from shipdesk.ui.export_store_dialog import ExportStoreDialog
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
        self.store_dialog: ExportStoreDialog | None = None

    def ask(self) -> None:
        """Asks which store's shipments when several stores wait, then where to save the file; or says there is
        nothing to export."""
        waiting = waiting_by_store(self._cache)
        if not waiting:
            self._window.statusBar().showMessage(NOTHING_TO_EXPORT, 5000)
            return
        if len(waiting) == 1:
            self.ask_where(next(iter(waiting)))
            return
        dialog = ExportStoreDialog(waiting, self._window)
        dialog.chosen.connect(self.ask_where)
        dialog.finished.connect(self._store_dialog_closed)
        self.store_dialog = dialog
        dialog.open()

    def _store_dialog_closed(self) -> None:
        dialog, self.store_dialog = self.store_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def ask_where(self, store: str) -> None:
        """Asks where to save `store`'s file: beside the store's order files, where the browser's upload will look,
        until a file was saved elsewhere."""
        folder = starting_folder(
            get_setting(self._cache, LAST_EXPORT_FOLDER, ""), get_setting(self._cache, LAST_IMPORT_FOLDER, "")
        )
        suggested = unused_file_name(folder, upload_file_stem(store, date.today()), ".csv")
        count = waiting_by_store(self._cache).get(store, 0)
        title = f"Export {plural(count, 'shipment')} for upload to {store}"
        chooser = QFileDialog(self._window, title, str(suggested))
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setNameFilter("CSV files (*.csv)")
        chooser.setDefaultSuffix("csv")
        chooser.fileSelected.connect(lambda name: self.export_to(Path(name), store))
        chooser.finished.connect(chooser.deleteLater)
        self.file_dialog = chooser
        chooser.open()

    def export_to(self, path: Path, store: str) -> None:
        """Writes `store`'s waiting shipments, and only those: another store's would be uploaded to the wrong shop."""
        self.file_dialog = None
        try:
            export = export_waiting_shipments(self._cache, path, store=store)
        except OSError as error:
            reason = error.strerror or str(error)
            show_problem(self._window, "Shipments not exported", f"{path} could not be written ({reason}).")
            return
        set_setting(self._cache, LAST_EXPORT_FOLDER, str(path.parent))
        self.exported.emit()
        self._window.statusBar().showMessage(exported_text(export.written, path, store, waiting_by_store(self._cache)))


def unused_file_name(folder: Path, stem: str, suffix: str) -> Path:
    """`stem` in `folder`, or `stem-2`, `stem-3`… when taken: a second export the same day must not replace a first
    that is not uploaded yet, as its shipments have left the outbox."""
    path = folder / f"{stem}{suffix}"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


def exported_text(written: int, path: Path, store: str, still_waiting: dict[str, int]) -> str:
    """The export in the status bar: the file and the store to upload it to, and the stores still waiting for one."""
    text = f"Wrote {plural(written, 'shipment')} to {path}: upload it to {store} to mark them shipped."
    others = [name for name in still_waiting if name != store]
    count = sum(still_waiting[name] for name in others)
    if count:
        text += f" {plural(count, 'shipment')} still {'waits' if count == 1 else 'wait'} for {', '.join(others)}."
    return text


def outbox_text(waiting: int, to_export: int, refused: int, export_stores: int = 1) -> str:
    """The outbox in the status bar: updates a sync sends, shipments for a file, and those a store refused.

    `waiting` counts them all but the refused; `to_export` is the part that leaves with File → Export shipments, one
    file for each of `export_stores` stores.
    """
    to_sync = waiting - to_export
    parts = [f"{plural(to_sync, 'update')} waiting in the outbox"] if to_sync or not to_export else []
    if to_export:
        for_stores = f" ({export_stores} stores)" if export_stores > 1 else ""
        parts.append(f"{plural(to_export, 'shipment')} to export for upload{for_stores}")
    if refused:
        parts.append(f"{refused:,} refused by the store")
    return "; ".join(parts)
