"""The form that connects a ShipStation account: name, API key and secret, advanced settings, Test connection, Save.

The secret goes to the keyring on Save and the field is emptied; no label, message or log of the form ever shows it.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from shipdesk.cache import Cache
from shipdesk.cache.stores import StoreRecord
from shipdesk.store_setup import StoreSetupError, check_client, connect_store, shipstation_record
from shipdesk.ui.connection_test import ConnectionTests, ConnectionTestThread
from shipdesk.upstream.credentials import CredentialsError
from shipdesk.upstream.shipstation import DEFAULT_BASE_URL
from shipdesk.upstream.shipstation_connector import DEFAULT_TIME_ZONE

WHERE_THE_KEYS_ARE = "ShipStation shows the API key and secret under Settings → Account → API Settings."
OK_STYLE = "color: #1e6b30;"
PROBLEM_STYLE = "color: #a4262c;"


class ShipStationForm(QDialog):
    """Emits `connected` with the store's name once it is saved; stays open, saying why, when it cannot be."""

    connected = Signal(str)

    def __init__(self, cache: Cache, tests: ConnectionTests, parent: QWidget) -> None:
        super().__init__(parent)
        self._cache = cache
        self._tests = tests
        self._test: ConnectionTestThread | None = None
        self.setWindowTitle("Add ShipStation store")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(560)

        self.name = QLineEdit()
        self.name.setPlaceholderText("how shipdesk names it, e.g. Main shop")
        self.api_key = QLineEdit()
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("kept in the system keyring")
        where = QLabel(WHERE_THE_KEYS_ARE)
        where.setWordWrap(True)
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText("Advanced settings")
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAutoRaise(True)
        self.base_url = QLineEdit(DEFAULT_BASE_URL)
        self.time_zone = _time_zone_combo()
        self.store_id = QLineEdit()
        self.store_id.setPlaceholderText("empty: every store of the account")
        self.answer = QLabel("")
        self.answer.setTextFormat(Qt.TextFormat.PlainText)
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.test_button = QPushButton("&Test connection")
        self.test_button.setToolTip("Ask ShipStation whether it accepts this key and secret; nothing is saved")
        self.test_button.setAutoDefault(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.test_button.clicked.connect(self.test_connection)
        self.advanced_toggle.clicked.connect(self._toggle_advanced)
        tests.answered.connect(self._answered)
        self._build_layout(where, buttons)
        self._show_advanced(False)
        self.name.setFocus()

    def _build_layout(self, where: QLabel, buttons: QDialogButtonBox) -> None:
        # One form for all the rows, so the advanced fields line up with the others when they are shown.
        self.form = QFormLayout()
        self.form.addRow("Store &name", self.name)
        self.form.addRow("API &key", self.api_key)
        self.form.addRow("API s&ecret", self.secret)
        self.form.addRow("", where)
        self.form.addRow(self.advanced_toggle)
        self.form.addRow("&Base URL", self.base_url)
        self.form.addRow("Time &zone", self.time_zone)
        self.form.addRow("ShipStation store &id", self.store_id)
        widest = self.form.labelForField(self.store_id)
        self.form.labelForField(self.name).setMinimumWidth(widest.sizeHint().width())  # no jump when folded
        bottom = QHBoxLayout()
        bottom.addWidget(self.test_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.answer)
        layout.addStretch(1)
        layout.addLayout(bottom)

    @property
    def advanced_shown(self) -> bool:
        return not self.base_url.isHidden()

    def _toggle_advanced(self) -> None:
        self._show_advanced(not self.advanced_shown)

    def _show_advanced(self, shown: bool) -> None:
        for field in (self.base_url, self.time_zone, self.store_id):
            self.form.setRowVisible(field, shown)
        self.advanced_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.adjustSize()

    # ------------------------------------------------------------------ reading the form

    def record(self) -> StoreRecord:
        """The store the form describes; StoreSetupError says what is wrong with it."""
        return shipstation_record(
            self.name.text(),
            self.api_key.text(),
            base_url=self.base_url.text(),
            time_zone=self.time_zone.currentText(),
            store_id=self.store_id.text(),
        )

    def _checked_record(self) -> StoreRecord:
        """The form's store, refused now for anything the client would refuse at the first request."""
        record = self.record()
        check_client(record, self.secret.text().strip())
        return record

    def _say(self, text: str, *, ok: bool) -> None:
        self.answer.setText(text)
        self.answer.setStyleSheet(OK_STYLE if ok else PROBLEM_STYLE)

    # ------------------------------------------------------------------ test connection

    @property
    def test_running(self) -> bool:
        return self._test is not None

    def test_connection(self) -> None:
        if self._test is not None:
            return
        try:
            record = self._checked_record()
        except StoreSetupError as error:
            self._say(str(error), ok=False)
            return
        self.test_button.setEnabled(False)
        self._say("Asking ShipStation…", ok=True)
        self._test = self._tests.start(record, self.secret.text().strip())

    def _answered(self, thread: ConnectionTestThread) -> None:
        if thread is not self._test:
            return  # another dialog's test
        self._test = None
        self.test_button.setEnabled(True)
        self._say(thread.answer, ok=thread.accepted)

    # ------------------------------------------------------------------ saving

    def accept(self) -> None:
        try:
            record = self.record()
            connect_store(self._cache, record, self.secret.text().strip())
        except (StoreSetupError, CredentialsError) as error:
            self._say(f"Not saved: {error}", ok=False)
            return
        self.connected.emit(record.name)
        super().accept()

    def done(self, result: int) -> None:
        # Saved or not, the secret leaves the widget; a test still in flight ends on its own, its answer unread.
        self.secret.clear()
        self._test = None
        super().done(result)


def _time_zone_combo() -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    zones = sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith("Etc/"))
    combo.addItems([*zones, "UTC"])
    combo.setCurrentText(DEFAULT_TIME_ZONE)
    completer = combo.completer()
    if completer is not None:
        # "Chicago" finds America/Chicago: staff know their city, not the region it is filed under.
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setToolTip("The zone the account's times are written in; ShipStation's own is America/Los_Angeles")
    return combo
