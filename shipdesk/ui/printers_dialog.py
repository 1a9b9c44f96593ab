"""The Printers dialog (File → Printers…): the station's saved printers, to add, change, remove, make default, test.

Changes are saved at once; the print dialogs read the printers each time they open, so they offer them next time.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shipdesk import printer_setup
from shipdesk.cache import Cache
from shipdesk.cache.printers import PrinterProfile, PrinterProfileError, list_printers, remove_printer
from shipdesk.printing.connection import parse_connection
from shipdesk.ui.fitted_columns import FittedColumnsTree
from shipdesk.ui.printer_check import PrinterCheck
from shipdesk.ui.printer_form import MEDIA_NAMES, PrinterForm

LANGUAGE_SHORT_NAMES = {"zpl": "ZPL", "tspl": "TSPL", "escpos": "ESC/POS", "pdf": "PDF"}
COLUMNS = ("Name", "Language", "Connection", "Media")
LEAST_WIDTHS = (160, 80, 220)  # when there is room; a long name or connection is cut short to show every column
NO_PRINTERS = "No printers yet. Until one is added, labels and slips are saved as PDF files in the label folder."


def open_printers_dialog(parent: QWidget, cache: Cache) -> PrintersDialog:
    dialog = PrintersDialog(cache, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class PrintersDialog(QDialog):
    def __init__(self, cache: Cache, parent: QWidget) -> None:
        super().__init__(parent)
        self._cache = cache
        self._check = PrinterCheck(cache, self)
        self.form: PrinterForm | None = None
        self.confirm: QMessageBox | None = None
        self.setWindowTitle("Printers")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(820, 380)

        self.printers = FittedColumnsTree(COLUMNS, LEAST_WIDTHS)
        self.printers.setRootIsDecorated(False)
        self.printers.setUniformRowHeights(True)
        self.printers.setAllColumnsShowFocus(True)
        self.printers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.empty = QLabel(NO_PRINTERS)
        self.empty.setWordWrap(True)
        self.add_button = QPushButton("&Add…")
        self.edit_button = QPushButton("&Edit…")
        self.remove_button = QPushButton("&Remove")
        self.default_button = QPushButton("Make &default")
        self.test_button = QPushButton("&Test print")
        self.test_button.setToolTip("Print a sample label (a slip on receipt paper); no order changes")
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self._build_layout(buttons)

        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        self.default_button.clicked.connect(self.make_default)
        self.test_button.clicked.connect(self.test_print)
        self.printers.itemSelectionChanged.connect(self._enable_buttons)
        self.printers.opened.connect(lambda _item: self.edit())
        self._check.reported.connect(self._tested)
        self.refresh()

    def _build_layout(self, buttons: QDialogButtonBox) -> None:
        actions = QVBoxLayout()
        # No default button: Enter on a printer in the list opens that printer, and neither Add nor Close answers too.
        for button in (self.add_button, self.edit_button, self.remove_button, self.default_button, self.test_button):
            button.setAutoDefault(False)
            actions.addWidget(button)
        for button in buttons.buttons():
            button.setAutoDefault(False)
        actions.addStretch(1)
        lists = QVBoxLayout()
        lists.addWidget(self.printers, 1)
        lists.addWidget(self.empty)
        body = QHBoxLayout()
        body.addLayout(lists, 1)
        body.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    # ------------------------------------------------------------------ the list

    def refresh(self, select: str = "") -> None:
        """Lists the saved printers again, with `select` (else the printer selected before) selected."""
        current = self.selected()
        wanted = select or (current.name if current is not None else "")
        self.printers.clear()
        profiles = list_printers(self._cache)
        for profile in profiles:
            item = QTreeWidgetItem(_row(profile))
            item.setData(0, Qt.ItemDataRole.UserRole, profile)
            if profile.is_default:
                font = item.font(0)
                font.setBold(True)
                for column in range(len(COLUMNS)):
                    item.setFont(column, font)
            self.printers.addTopLevelItem(item)
            if profile.name == wanted:
                self.printers.setCurrentItem(item)
        if self.printers.currentItem() is None and profiles:
            self.printers.setCurrentItem(self.printers.topLevelItem(0))
        self.printers.fit_columns()
        self.empty.setVisible(not profiles)
        self._enable_buttons()

    def selected(self) -> PrinterProfile | None:
        chosen = self.printers.selectedItems()
        return chosen[0].data(0, Qt.ItemDataRole.UserRole) if chosen else None

    def shown_names(self) -> list[str]:
        return [self.printers.topLevelItem(row).text(0) for row in range(self.printers.topLevelItemCount())]

    def _enable_buttons(self) -> None:
        profile = self.selected()
        for button in (self.edit_button, self.remove_button, self.test_button):
            button.setEnabled(profile is not None)
        self.test_button.setEnabled(profile is not None and not self._check.running)
        self.default_button.setEnabled(profile is not None and not profile.is_default)

    # ------------------------------------------------------------------ actions

    def add(self) -> None:
        self._open_form(None)

    def edit(self) -> None:
        profile = self.selected()
        if profile is not None:
            self._open_form(profile)

    def _open_form(self, profile: PrinterProfile | None) -> None:
        form = PrinterForm(self._cache, profile, self, first=not list_printers(self._cache))
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        was = profile.name if profile is not None else ""
        form.saved.connect(lambda name: self._saved(name, was))
        form.finished.connect(self._form_closed)
        self.form = form
        form.open()

    def _form_closed(self) -> None:
        self.form = None

    def _saved(self, name: str, was: str) -> None:
        self.refresh(select=name)
        self.status.setText(f"Saved printer {name}" + (f" (was {was})." if was and was != name else "."))

    def remove(self) -> None:
        """Asks first: a removed printer's settings are gone, and they may have taken a while to find."""
        profile = self.selected()
        if profile is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove printer",
            f"Remove the printer {profile.name}? Its settings are forgotten; orders and labels stay as they are.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        confirm = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda clicked: self._removed(profile.name) if clicked is confirm else None)
        box.finished.connect(self._confirm_closed)
        self.confirm = box
        box.open()

    def _confirm_closed(self) -> None:
        self.confirm = None

    def _removed(self, name: str) -> None:
        try:
            remove_printer(self._cache, name)
        except PrinterProfileError as error:  # removed meanwhile, from the command line
            self.status.setText(f"Not removed: {error}.")
        else:
            self.status.setText(f"Removed printer {name}.")
        self.refresh()

    def make_default(self) -> None:
        profile = self.selected()
        if profile is None:
            return
        try:
            printer_setup.make_default(self._cache, profile.name)
        except PrinterProfileError as error:
            self.status.setText(f"Not changed: {error}.")
        else:
            self.status.setText(f"{profile.name} is now the default printer.")
        self.refresh(select=profile.name)

    def test_print(self) -> None:
        profile = self.selected()
        if profile is None:
            return
        self.status.setText(self._check.start(profile))
        self._enable_buttons()

    @property
    def test_running(self) -> bool:
        return self._check.running

    def _tested(self, message: str) -> None:
        self.status.setText(message)
        self._enable_buttons()

    def done(self, result: int) -> None:
        if self.form is not None:
            self.form.reject()
        self._check.stop()  # a test in flight ends first, so no thread outlives the dialog
        super().done(result)


def _row(profile: PrinterProfile) -> list[str]:
    return [
        profile.name + (" (default)" if profile.is_default else ""),
        LANGUAGE_SHORT_NAMES.get(profile.language, profile.language),
        connection_words(profile),
        paper_words(profile),
    ]


def connection_words(profile: PrinterProfile) -> str:
    """How the printer is reached, in a few words: "network 192.168.1.50:9100", "system printer HP LaserJet"."""
    connection = parse_connection(profile.uri)
    return connection.describe() if connection is not None else profile.uri


def paper_words(profile: PrinterProfile) -> str:
    return f"{MEDIA_NAMES.get(profile.media, profile.media)}, {profile.dpi} dpi"


def printer_words(profile: PrinterProfile) -> str:
    """The printer in one line, as the print dialogs show the one chosen."""
    language = LANGUAGE_SHORT_NAMES.get(profile.language, profile.language)
    return f"{language} on {paper_words(profile)}, {connection_words(profile)}"
