"""The form that adds or changes one printer: what it speaks, how it is connected, its paper and settings.

It shows only the fields the chosen language and connection need, builds the URI, and test-prints before saving.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shipdesk.cache import Cache
from shipdesk.cache.printers import DPIS, PrinterProfile, PrinterProfileError
from shipdesk.domain import DARKNESS_RANGES, SPEED_RANGES
from shipdesk.label_batch import RECEIPT_MEDIA
from shipdesk.printer_setup import checked_profile, save_printer
from shipdesk.printing.connection import (
    BAUD_RATES,
    DEFAULT_BAUD_RATE,
    Connection,
    ConnectionKind,
    parse_connection,
)
from shipdesk.printing.devices import RAW_PORT
from shipdesk.ui.printer_check import PrinterCheck
from shipdesk.ui.system_printer import system_printer_names

LANGUAGE_NAMES = {
    "zpl": "ZPL (Zebra)",
    "tspl": "TSPL (Rollo, Munbyn, Xprinter…)",
    "escpos": "ESC/POS (receipt printers)",
    "pdf": "PDF (printers with a driver, or a folder)",
}
KIND_NAMES = {
    ConnectionKind.NETWORK: "Network (IP address)",
    ConnectionKind.USB: "USB",
    ConnectionKind.SERIAL: "Serial port",
    ConnectionKind.SYSTEM: "System printer (installed with its driver)",
    ConnectionKind.OS_QUEUE: "CUPS print queue",
    ConnectionKind.FOLDER: "Folder (a file for each job)",
}
_DRIVER_KINDS = (ConnectionKind.SYSTEM, ConnectionKind.OS_QUEUE, ConnectionKind.FOLDER)
# Windows has no CUPS; its printers are reached as system printers.
_OFFERED = tuple(kind for kind in ConnectionKind if kind is not ConnectionKind.OS_QUEUE or sys.platform != "win32")
# A PDF needs a driver to become print, which only the system's printers and queues have; a folder keeps the files.
# A system printer takes only PDF pages: a printer language needs a raw connection.
_KINDS_FOR = {"pdf": tuple(kind for kind in _OFFERED if kind in _DRIVER_KINDS)}
_RAW_KINDS = tuple(kind for kind in _OFFERED if kind is not ConnectionKind.SYSTEM)
MEDIA_NAMES = {
    "4x6": "4 × 6 in labels",
    "4x4": "4 × 4 in labels",
    "a6": "A6 labels",
    "letter-2up": "Letter sheets, 2 labels each",
    "a4-2up": "A4 sheets, 2 labels each",
    "80mm": "80 mm receipt paper",
    "58mm": "58 mm receipt paper",
}
_LABEL_ROLLS = ("4x6", "4x4", "a6")
_MEDIA_FOR = {
    "zpl": _LABEL_ROLLS,
    "tspl": _LABEL_ROLLS,
    "escpos": ("80mm", "58mm", *_LABEL_ROLLS),
    "pdf": (*_LABEL_ROLLS, "letter-2up", "a4-2up"),
}
PRINTERS_OWN = "the printer's own setting"


class PrinterForm(QDialog):
    """Adds a printer (`editing` None) or changes one; `saved` carries the name it was saved under."""

    saved = Signal(str)

    def __init__(self, cache: Cache, editing: PrinterProfile | None, parent: QWidget, *, first: bool = False) -> None:
        super().__init__(parent)
        self._cache = cache
        self._editing = editing
        self._options: tuple[tuple[str, str], ...] = ()
        self._options_kind: ConnectionKind | None = None
        self._check = PrinterCheck(cache, self)
        self.setWindowTitle("Add a printer" if editing is None else f"Printer {editing.name}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(560)
        self._make_fields()
        self._build_layout()
        self.language.currentIndexChanged.connect(self._language_changed)
        self.kind.currentIndexChanged.connect(self._show_connection_fields)
        self.choose_folder.clicked.connect(self._choose_folder)
        self.test_button.clicked.connect(self.test_print)
        self._check.reported.connect(self._tested)
        if editing is None:
            self._language_changed()
            self.default.setChecked(first)  # the first printer is the one to print on
        else:
            self._load(editing)

    # ------------------------------------------------------------------ building

    def _make_fields(self) -> None:
        self.name = QLineEdit()
        self.name.setPlaceholderText("as the station calls it, e.g. Zebra at desk 1")
        self.language = QComboBox()
        for language, shown in LANGUAGE_NAMES.items():
            self.language.addItem(shown, language)
        self.kind = QComboBox()
        self.host = QLineEdit()
        self.host.setPlaceholderText("IP address such as 192.168.1.50, or a name")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(RAW_PORT)
        self.usb_id = QLineEdit()
        self.usb_id.setPlaceholderText("vendor:product, such as 0A5F:0164 (lsusb shows it)")
        self.device = QLineEdit()
        self.device.setPlaceholderText("/dev/ttyUSB0, or COM3 on Windows")
        self.baudrate = QComboBox()
        for rate in BAUD_RATES:
            self.baudrate.addItem(f"{rate} baud", rate)
        self.baudrate.setCurrentIndex(self.baudrate.findData(DEFAULT_BAUD_RATE))
        self.queue = QLineEdit()
        self.queue.setPlaceholderText("empty: the system's default printer")
        self.system_printer = QComboBox()
        self.system_printer.setEditable(True)  # a printer not installed yet can be named ahead
        self.system_printer.lineEdit().setPlaceholderText("empty: the system's default printer")
        self._system_printers_listed = False
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("each job becomes a file in this folder")
        self.choose_folder = QPushButton("Choose…")
        self.dpi = QComboBox()
        for dpi in DPIS:
            self.dpi.addItem(f"{dpi} dpi", dpi)
        self.dpi.setCurrentIndex(self.dpi.findData(203))
        self.media = QComboBox()
        self.darkness = QSpinBox()
        self.darkness.setMinimum(-1)  # -1 reads "the printer's own setting": nothing is sent
        self.darkness.setSpecialValueText(PRINTERS_OWN)
        self.darkness.setValue(-1)
        self.speed = QSpinBox()
        self.speed.setRange(0, max(highest for _lowest, highest in SPEED_RANGES.values()))
        self.speed.setSpecialValueText(PRINTERS_OWN)
        self.speed.setSuffix(" in/s")
        for number in (self.port, self.darkness, self.speed):
            number.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.cut = QCheckBox("Cut the paper after each slip")
        self.default = QCheckBox("Print here when no printer is chosen")
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        self.result = QLabel()
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.test_button = QPushButton("&Test print")
        self.test_button.setToolTip("Print a sample label (a slip on receipt paper) as set here; nothing is saved")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Name", self.name)
        form.addRow("&Language", self.language)
        form.addRow("C&onnection", self.kind)
        form.addRow("&Host", self.host)
        form.addRow("&Port", self.port)
        form.addRow("&Vendor:product", self.usb_id)
        form.addRow("&Device", self.device)
        form.addRow("&Baud rate", self.baudrate)
        form.addRow("&Queue", self.queue)
        form.addRow("Pr&inter", self.system_printer)
        folder_row = QWidget()
        folder_layout = QHBoxLayout(folder_row)
        folder_layout.setContentsMargins(0, 0, 0, 0)
        folder_layout.addWidget(self.folder, 1)
        folder_layout.addWidget(self.choose_folder)
        form.addRow("&Folder", folder_row)
        self._folder_row = folder_row
        form.addRow("&Resolution", self.dpi)
        form.addRow("&Media", self.media)
        form.addRow("Dar&kness", self.darkness)
        form.addRow("Sp&eed", self.speed)
        form.addRow("Cutter", self.cut)
        form.addRow("Default", self.default)
        self._form = form
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.result)
        bottom = QHBoxLayout()
        bottom.addWidget(self.test_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

    def _load(self, profile: PrinterProfile) -> None:
        self.name.setText(profile.name)
        _choose(self.language, profile.language, LANGUAGE_NAMES.get(profile.language, profile.language))
        connection = parse_connection(profile.uri)
        self._language_changed(keep_kind=connection.kind if connection else None, keep_media=profile.media)
        _choose(self.dpi, profile.dpi, f"{profile.dpi} dpi")
        self.darkness.setValue(-1 if profile.darkness is None else profile.darkness)
        self.speed.setValue(profile.speed or 0)
        self.cut.setChecked(profile.cut)
        self.default.setChecked(profile.is_default)
        if connection is None:
            self._show_problem(f"The saved connection {profile.uri} is not one this form knows; enter it again.")
            return
        self._options, self._options_kind = connection.options, connection.kind
        self.host.setText(connection.host)
        self.port.setValue(connection.port)
        self.usb_id.setText(connection.usb_id)
        self.device.setText(connection.device)
        _choose(self.baudrate, connection.baudrate, f"{connection.baudrate} baud")
        self.queue.setText(connection.queue)
        self.system_printer.setEditText(connection.printer)
        self.folder.setText(connection.folder)

    # ------------------------------------------------------------------ fields shown

    def _language_changed(
        self, _index: int = 0, *, keep_kind: ConnectionKind | None = None, keep_media: str = ""
    ) -> None:
        language = self.chosen_language()
        kinds = _KINDS_FOR.get(language, _RAW_KINDS)
        wanted_kind = keep_kind or self.kind.currentData()
        self.kind.blockSignals(True)
        _refill(self.kind, [(KIND_NAMES[kind], kind) for kind in kinds], wanted_kind)
        if keep_kind is not None and keep_kind not in kinds:  # a printer saved so from the command line stays so
            _choose(self.kind, keep_kind, KIND_NAMES[keep_kind])
        self.kind.blockSignals(False)
        media = _MEDIA_FOR.get(language, tuple(MEDIA_NAMES))
        wanted_media = keep_media or self.media.currentData()
        if not keep_media and language == "escpos" and wanted_media not in RECEIPT_MEDIA:
            wanted_media = media[0]  # a receipt printer most likely holds receipt paper, not the labels chosen before
        _refill(self.media, [(MEDIA_NAMES[name], name) for name in media], wanted_media)
        if keep_media and keep_media not in media:
            _choose(self.media, keep_media, MEDIA_NAMES.get(keep_media, keep_media))
        darkness = DARKNESS_RANGES.get(language)
        if darkness is not None:
            lowest, highest = darkness
            self.darkness.setMaximum(highest)
            self.darkness.setSuffix(f" of {highest}")
            self.darkness.setToolTip(f"{lowest} (lightest) to {highest} (darkest)")
        speed = SPEED_RANGES.get(language)
        if speed is not None:
            self.speed.setMaximum(speed[1])
            self.speed.setToolTip(f"{speed[0]} to {speed[1]} inches a second")
        self._form.setRowVisible(self.darkness, darkness is not None)
        self._form.setRowVisible(self.speed, speed is not None)
        self._form.setRowVisible(self.cut, language == "escpos")
        self._show_connection_fields()

    def _show_connection_fields(self) -> None:
        kind = self.chosen_kind()
        rows: dict[QWidget, ConnectionKind] = {
            self.host: ConnectionKind.NETWORK,
            self.port: ConnectionKind.NETWORK,
            self.usb_id: ConnectionKind.USB,
            self.device: ConnectionKind.SERIAL,
            self.baudrate: ConnectionKind.SERIAL,
            self.queue: ConnectionKind.OS_QUEUE,
            self.system_printer: ConnectionKind.SYSTEM,
            self._folder_row: ConnectionKind.FOLDER,
        }
        for field, shows_for in rows.items():
            self._form.setRowVisible(field, shows_for is kind)
        if kind is ConnectionKind.SYSTEM:
            self._list_system_printers()
        self.adjustSize()

    def _list_system_printers(self) -> None:
        """The printers the system has, asked for once the form shows them: with network printers it takes a while."""
        if self._system_printers_listed:
            return
        self._system_printers_listed = True
        typed = self.system_printer.currentText()
        self.system_printer.addItems(system_printer_names())
        self.system_printer.setEditText(typed)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder for print jobs", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    # ------------------------------------------------------------------ what the fields say

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    def chosen_kind(self) -> ConnectionKind:
        kind = self.kind.currentData()
        return kind if isinstance(kind, ConnectionKind) else ConnectionKind.NETWORK

    def connection(self) -> Connection:
        kind = self.chosen_kind()
        return Connection(
            kind,
            host=self.host.text().strip(),
            port=self.port.value(),
            usb_id=self.usb_id.text().strip(),
            device=self.device.text().strip(),
            baudrate=int(self.baudrate.currentData()),
            queue=self.queue.text().strip(),
            printer=self.system_printer.currentText().strip(),
            folder=self.folder.text().strip(),
            options=self._options if kind is self._options_kind else (),
        )

    def profile(self) -> PrinterProfile:
        """The printer as filled in, not yet checked; settings its language does not carry are left out."""
        language = self.chosen_language()
        tuned = language in DARKNESS_RANGES
        return PrinterProfile(
            name=self.name.text(),
            language=language,
            uri=self.connection().uri,
            dpi=int(self.dpi.currentData()),
            media=str(self.media.currentData()),
            darkness=self.darkness.value() if tuned and self.darkness.value() >= 0 else None,
            speed=(self.speed.value() or None) if tuned else None,
            cut=self.cut.isChecked() and language == "escpos",
            is_default=self.default.isChecked(),
        )

    # ------------------------------------------------------------------ actions

    def save(self) -> None:
        """Saves and closes; a problem is shown in the form and nothing is saved."""
        try:
            profile = checked_profile(self.profile(), self.connection())
            save_printer(self._cache, profile, replacing=self._editing.name if self._editing else None)
        except PrinterProfileError as error:
            self._show_problem(f"Not saved: {error}.")
            return
        self.saved.emit(profile.name)
        self.accept()

    def test_print(self) -> None:
        try:
            profile = checked_profile(self.profile(), self.connection())
        except PrinterProfileError as error:
            self._show_problem(f"No test print: {error}.")
            return
        self._show_problem("")
        self.result.setText(self._check.start(profile))
        self.test_button.setEnabled(not self._check.running)

    @property
    def test_running(self) -> bool:
        return self._check.running

    def _tested(self, message: str) -> None:
        self.result.setText(message)
        self.test_button.setEnabled(True)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.adjustSize()

    def done(self, result: int) -> None:
        self._check.stop()  # a test in flight ends first, so no thread outlives the form
        super().done(result)


def _refill(combo: QComboBox, entries: list[tuple[str, object]], wanted: object) -> None:
    combo.clear()
    for shown, data in entries:
        combo.addItem(shown, data)
    combo.setCurrentIndex(max(combo.findData(wanted), 0))


def _choose(combo: QComboBox, data: object, shown: str) -> None:
    """Chooses the entry of `data`, added first when the combo box does not offer it (a value saved elsewhere)."""
    if combo.findData(data) < 0:
        combo.addItem(shown, data)
    combo.setCurrentIndex(combo.findData(data))
