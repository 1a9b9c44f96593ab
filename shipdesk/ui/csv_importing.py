"""Importing a CSV file of orders from the window: choose the file, import it on a worker thread, say how it went.

The same import as `shipdesk import-csv`: one transaction, bad rows skipped and reported, the rest kept. A large
file takes seconds, so it runs off the UI thread, and the orders table reloads when it is in.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow

from shipdesk.cache import Cache, CacheError
from shipdesk.cache.database import cache_for_this_thread
from shipdesk.cache.settings import LAST_IMPORT_FOLDER, get_setting, set_setting
from shipdesk.domain import plural
from shipdesk.ui.messages import show_problem, show_report
from shipdesk.upstream.csv_import import ImportReport, import_csv
from shipdesk.upstream.csvfile import CsvFileError

CSV_FILES = "Order files (*.csv *.tsv *.txt);;All files (*)"

log = logging.getLogger(__name__)


class CsvImportThread(QThread):
    """Imports one file on a cache connection of its own; `report`, or `error` saying why nothing was imported."""

    def __init__(self, cache: Cache, path: Path) -> None:
        super().__init__()
        self._cache = cache
        self.path = path
        self.report: ImportReport | None = None
        self.error = ""

    def run(self) -> None:
        try:
            with cache_for_this_thread(self._cache) as cache:
                self.report = import_csv(cache, self.path)
        except (CsvFileError, CacheError) as error:
            self.error = str(error)
        except OSError as error:
            self.error = f"{self.path.name} could not be read ({error.strerror or error})"
        except Exception as error:  # a bug: said calmly, with the details in the log
            log.exception("import of %s failed", self.path)
            self.error = f"an unexpected error stopped the import ({type(error).__name__}; see the log)"


class CsvImporting(QObject):
    """One window's CSV imports, one at a time. Emits `imported` once orders may have changed."""

    imported = Signal()

    def __init__(self, window: QMainWindow, cache: Cache) -> None:
        super().__init__(window)
        self._window = window
        self._cache = cache
        self.file_dialog: QFileDialog | None = None
        self.worker: CsvImportThread | None = None

    def ask(self) -> None:
        """Asks for the file, starting in the folder of the last one imported."""
        if self.worker is not None:
            self._window.statusBar().showMessage("Still importing; wait a moment.", 5000)
            return
        chooser = QFileDialog(
            self._window, "Import orders from a CSV file", get_setting(self._cache, LAST_IMPORT_FOLDER, "")
        )
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setNameFilter(CSV_FILES)
        chooser.fileSelected.connect(lambda name: self.start(Path(name)))
        chooser.finished.connect(chooser.deleteLater)
        self.file_dialog = chooser
        chooser.open()

    def start(self, path: Path) -> None:
        self.file_dialog = None
        set_setting(self._cache, LAST_IMPORT_FOLDER, str(path.parent))
        worker = CsvImportThread(self._cache, path)
        worker.finished.connect(self._done)
        self.worker = worker
        self._window.statusBar().showMessage(f"Importing {path.name}…")
        worker.start()

    def _done(self) -> None:
        worker = self.worker
        if worker is None:
            return
        worker.wait()
        self.worker = None
        worker.deleteLater()
        report = worker.report
        if report is None:
            self._window.statusBar().showMessage(f"Nothing imported from {worker.path.name}.", 5000)
            show_problem(self._window, "Orders not imported", _sentence(worker.error))
            return
        self.imported.emit()
        self._window.statusBar().showMessage(status_text(report))
        lines = report.summary_lines()
        if len(lines) > 2:  # more than what was imported and how many lines were read: skips, holds, remarks
            title = "Orders imported" if report.orders_read else "No orders imported"
            show_report(self._window, title, "\n".join(lines[:2]), "\n".join(lines[2:]))

    def stop(self) -> None:
        """Waits for an import in flight, so no thread outlives the window; the import is one transaction."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.wait()
            worker.deleteLater()


def status_text(report: ImportReport) -> str:
    """The import in one line for the status bar: counts first, then what needs a look."""
    counts = f"{report.inserted:,} new, {report.updated:,} updated"
    if report.kept_unchanged:
        counts += f", {report.kept_unchanged:,} already shipped or cancelled"
    text = f"Imported {plural(report.orders_read, 'order')} from {report.file_name} ({counts})"
    attention = [
        f"{plural(len(report.skipped), 'line')} skipped" if report.skipped else "",
        f"{len(report.on_hold):,} on hold" if report.on_hold else "",
    ]
    shown = [part for part in attention if part]
    return f"{text}; {', '.join(shown)}." if shown else f"{text}."


def _sentence(text: str) -> str:
    """The error as a sentence; not capitalised, as it often starts with a file name."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."
