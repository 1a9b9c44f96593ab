"""Importing a CSV file of orders from the window: choose the file and its store, import it on a worker thread, say
how it went.

The same import as `shipdesk import-csv --store`: one transaction, bad rows skipped and reported, the rest kept. A
large file takes seconds, so it runs off the UI thread, and the orders table reloads when it is in.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QThread, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMainWindow, QProgressBar, QSizePolicy, QWidget

from shipdesk.cache import Cache, CacheError
from shipdesk.cache.database import cache_for_this_thread
from shipdesk.cache.settings import LAST_IMPORT_FOLDER, get_setting, set_setting
from shipdesk.domain import plural
from shipdesk.import_stores import remember_import_store, store_for_file
from shipdesk.ui.background_jobs import BackgroundJobs
from shipdesk.ui.import_store_dialog import ImportStoreDialog
from shipdesk.ui.messages import show_problem, show_report
from shipdesk.upstream.csv_import import ImportReport, import_csv
from shipdesk.upstream.csv_layouts import layout_key
from shipdesk.upstream.csvfile import CsvFileError

CSV_FILES = "Order files (*.csv *.tsv *.txt);;All files (*)"
# On Windows a file open in Excel cannot be read by another program: the usual reason for "permission denied".
CLOSE_IT_FIRST = "If the file is open in Excel or another program, close it there, then import it again."

log = logging.getLogger(__name__)


class CsvImportThread(QThread):
    """Imports one file into `store` on a cache connection of its own; `report`, or `error` (and a `hint`) saying why
    nothing was imported."""

    def __init__(self, cache: Cache, path: Path, store: str) -> None:
        super().__init__()
        self._cache = cache
        self.path = path
        self.store = store
        self.report: ImportReport | None = None
        self.error = ""
        self.hint = ""

    def run(self) -> None:
        try:
            with cache_for_this_thread(self._cache) as cache:
                self.report = import_csv(cache, self.path, store=self.store)
        except (CsvFileError, CacheError) as error:
            self.error = str(error)
            self.hint = hint_for(error)
        except OSError as error:
            self.error = f"{self.path.name} could not be read ({error.strerror or error})"
        except Exception as error:  # a bug: said calmly, with the details in the log
            log.exception("import of %s failed", self.path)
            self.error = f"an unexpected error stopped the import ({type(error).__name__}; see the log)"


class ImportProgress(QWidget):
    """In the status bar while a file is imported: its name and size, its store, and a busy bar. A status message
    would go at the first menu hovered over, and the import cannot say how far it is."""

    def __init__(self, path: Path, store: str) -> None:
        super().__init__()
        self.text = QLabel(f"Importing {path.name}{_size_of(path)} into {store}…")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: no step count to show
        self.bar.setFixedWidth(120)
        self.bar.setMaximumHeight(self.text.sizeHint().height())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 0, 12, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.bar)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)  # no wider than its text


class CsvImporting(BackgroundJobs[CsvImportThread]):
    """One window's CSV imports, one at a time. Emits `imported` once orders may have changed."""

    imported = Signal()

    def __init__(self, window: QMainWindow, cache: Cache) -> None:
        super().__init__(window, cache)
        self.file_dialog: QFileDialog | None = None
        self.store_dialog: ImportStoreDialog | None = None
        self.progress: ImportProgress | None = None

    def busy_message(self, worker: CsvImportThread) -> str:
        return f"Still importing {worker.path.name} into {worker.store}; wait a moment."

    def ask(self) -> None:
        """Asks for the file, starting in the folder of the last one imported, else where the browser saves files."""
        if self.busy():
            return
        folder = starting_folder(get_setting(self._cache, LAST_IMPORT_FOLDER, ""))
        chooser = QFileDialog(self._window, "Import orders from a CSV file", str(folder))
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setNameFilter(CSV_FILES)
        chooser.fileSelected.connect(lambda name: self.ask_store(Path(name)))
        chooser.finished.connect(chooser.deleteLater)
        self.file_dialog = chooser
        chooser.open()

    def ask_store(self, path: Path) -> None:
        """Asks which store the file's orders belong to, offering the one the last file of its layout went into; a
        file whose start already shows that it cannot be imported is refused first, with no question."""
        self.file_dialog = None
        try:
            layout = layout_key(path)
        except CsvFileError as error:
            self._say_not_imported(path, str(error), hint_for(error))
            return
        dialog = ImportStoreDialog(self._cache, path, store_for_file(self._cache, layout), self._window)
        dialog.chosen.connect(lambda store: self._store_chosen(path, layout, store))
        dialog.finished.connect(self._store_dialog_closed)
        self.store_dialog = dialog
        dialog.open()

    def _store_chosen(self, path: Path, layout: str, store: str) -> None:
        remember_import_store(self._cache, layout, store)
        self.start(path, store)

    def _store_dialog_closed(self) -> None:
        dialog, self.store_dialog = self.store_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def start(self, path: Path, store: str) -> None:
        set_setting(self._cache, LAST_IMPORT_FOLDER, str(path.parent))
        status_bar = self._window.statusBar()
        status_bar.clearMessage()
        self.progress = ImportProgress(path, store)
        status_bar.insertPermanentWidget(0, self.progress)
        self.run(CsvImportThread(self._cache, path, store))

    def finish(self, worker: CsvImportThread) -> None:
        self._hide_progress()
        report = worker.report
        if report is None:
            self._say_not_imported(worker.path, worker.error, worker.hint)
            return
        self.imported.emit()
        self._window.statusBar().showMessage(status_text(report))
        lines = report.summary_lines()
        log.info("imported %s:\n%s", worker.path, "\n".join(lines))
        if needs_a_look(report):
            title = "Orders imported" if report.orders_read else "No orders imported"
            show_report(self._window, title, "\n".join(lines[:2]), "\n".join(lines[2:]))

    def _say_not_imported(self, path: Path, why: str, hint: str) -> None:
        self._window.statusBar().showMessage(f"Nothing imported from {path.name}.", 5000)
        show_problem(self._window, "Orders not imported", _sentence(why), hint)

    def stop(self) -> None:
        """Waits for an import in flight, so no thread outlives the window; the import is one transaction."""
        super().stop()
        self._hide_progress()

    def _hide_progress(self) -> None:
        progress, self.progress = self.progress, None
        if progress is not None:
            self._window.statusBar().removeWidget(progress)
            progress.deleteLater()


def hint_for(error: CsvFileError | CacheError) -> str:
    """What the packer can do about a file that was not imported, where the error says more than its words."""
    # The read error behind it, kept as its context, tells a file another program holds from a missing one.
    return CLOSE_IT_FIRST if isinstance(error.__cause__ or error.__context__, PermissionError) else ""


def starting_folder(*remembered: str) -> Path:
    """The first remembered folder that is still there (a USB stick may be gone), else the Downloads folder, where a
    browser saves a store's export, else the home folder; never the folder the program happened to start in."""
    downloads = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    for folder in (*remembered, downloads):
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


def needs_a_look(report: ImportReport) -> bool:
    """Whether the import report opens a box: lines skipped, orders held, values left out, the file read oddly.

    Columns the store exports that shipdesk does not use, and orders already shipped in the store, are in it when it
    opens, but do not open it: a box after every day's import would be closed unread.
    """
    return bool(report.skipped or report.on_hold or report.remarks or report.ship_to_differences or report.notices)


def status_text(report: ImportReport) -> str:
    """The import in one line for the status bar: counts first, then what needs a look."""
    counts = report.counts_text(final="already shipped or cancelled")
    if report.orders_read:
        text = f"Imported {plural(report.orders_read, 'order')} from {report.file_name} into {report.store} ({counts})"
    elif report.lines_read:
        text = f"No orders imported from {report.file_name} into {report.store}"
    else:
        return f"No orders imported: {report.file_name} has no order lines under its headings."
    attention = [
        f"{plural(len(report.skipped), 'line')} skipped" if report.skipped else "",
        f"{len(report.on_hold):,} on hold" if report.on_hold else "",
    ]
    shown = [part for part in attention if part]
    return f"{text}; {', '.join(shown)}." if shown else f"{text}."


def _size_of(path: Path) -> str:
    """' (4.2 MB)' for a file large enough to take a while; nothing for a small one, or one that cannot be read."""
    try:
        size = path.stat().st_size
    except OSError:
        return ""
    return f" ({size / 1_000_000:,.1f} MB)" if size >= 1_000_000 else ""


def _sentence(text: str) -> str:
    """The error as a sentence; not capitalised, as it often starts with a file name."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."
