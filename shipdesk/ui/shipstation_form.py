"""The form that connects a ShipStation account, or changes a connected one: name, API key and secret, advanced
settings, Test connection, Save.

The secret goes to the keyring on Save and the field is emptied; no label, message or log of the form ever shows it.
A changed store is saved only once ShipStation accepted it, asked on a worker thread; its name cannot change.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import available_timezones

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
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
from shipdesk.store_setup import (
    StoreSetupError,
    check_client,
    connect_store,
    edited_record,
    save_store_settings,
    shipstation_record,
)
from shipdesk.ui.connection_test import ConnectionTests, ConnectionTestThread
from shipdesk.ui.status_map_fields import StatusMapFields
from shipdesk.upstream.credentials import CredentialsError
from shipdesk.upstream.shipstation import DEFAULT_BASE_URL
from shipdesk.upstream.shipstation_connector import DEFAULT_TIME_ZONE, notify_choices

WHERE_THE_KEYS_ARE = "ShipStation shows the API key and secret under Settings → Account → API Settings."
KEEP_THE_SECRET = "leave empty to keep the saved secret"
NAME_STAYS = "A store keeps its name; to rename it, remove it and add it again."
SYNC_RUNNING = "a sync is running; save again once the status bar says it has finished."
OK_STYLE = "color: #1e6b30;"
PROBLEM_STYLE = "color: #a4262c;"


class ShipStationForm(QDialog):
    """Adds a store, or with `editing` changes that one; stays open, saying why, when it cannot be saved.

    Emits `connected` with the name of a store it added, `changed` with the name of one it changed. A changed store
    is not saved while `sync_running()`: the sync goes on with the settings it started with, and would note its
    progress over a store its new settings make sync afresh.
    """

    connected = Signal(str)
    changed = Signal(str)

    def __init__(
        self,
        cache: Cache,
        tests: ConnectionTests,
        parent: QWidget,
        *,
        editing: StoreRecord | None = None,
        sync_running: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self._cache = cache
        self._tests = tests
        self._editing = editing
        self._sync_running = sync_running
        self._test: ConnectionTestThread | None = None
        self._saving: ConnectionTestThread | None = None  # the check a changed store waits for before it is saved
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
        self.advanced_toggle.installEventFilter(self)
        self.base_url = QLineEdit(DEFAULT_BASE_URL)
        self.time_zone = _time_zone_combo()
        self.store_id = QLineEdit()
        self.store_id.setPlaceholderText("empty: every store of the account")
        self.notify_customer = QCheckBox("E-mail the &customer")
        self.notify_customer.setToolTip("ShipStation sends the customer its shipment e-mail with the tracking number")
        self.notify_sales_channel = QCheckBox("Tell the sales c&hannel (the marketplace or shop)")
        self.notify_sales_channel.setChecked(True)
        self.notify_sales_channel.setToolTip("ShipStation passes the tracking number on to where the order was sold")
        self.status_map = StatusMapFields()
        self.status_map.setToolTip(
            "How shipdesk reads ShipStation's statuses, e.g. orders pending fulfillment packed here after all"
        )
        self.answer = QLabel("")
        self.answer.setTextFormat(Qt.TextFormat.PlainText)
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.test_button = QPushButton("&Test connection")
        self.test_button.setToolTip("Ask ShipStation whether it accepts this key and secret; nothing is saved")
        self.test_button.setAutoDefault(True)  # Enter on it, once tabbed to, tests; anywhere else it saves
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
        if editing is not None:
            self._fill(editing)

    def _build_layout(self, where: QLabel, buttons: QDialogButtonBox) -> None:
        # One form for all the rows, so the advanced fields line up with the others when they are shown.
        self.form = QFormLayout()
        self.form.addRow("Store &name", self.name)
        self.form.addRow("API &key", self.api_key)
        self.form.addRow("API s&ecret", self.secret)
        self.form.addRow("", where)
        notify = QWidget()
        notify_layout = QVBoxLayout(notify)
        notify_layout.setContentsMargins(0, 0, 0, 0)
        notify_layout.addWidget(self.notify_customer)
        notify_layout.addWidget(self.notify_sales_channel)
        self.form.addRow("When an order ships", notify)
        self.form.addRow(self.advanced_toggle)
        self.form.addRow("&Base URL", self.base_url)
        self.form.addRow("Time &zone", self.time_zone)
        self.form.addRow("ShipStation store &id", self.store_id)
        self.form.addRow("Read statuses", self.status_map)
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter on Advanced settings folds or unfolds them: a tool button takes only Space, and would let Enter go on
        to Save, which saves a half-filled form."""
        if (
            watched is self.advanced_toggle
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.advanced_toggle.click()
            return True
        return super().eventFilter(watched, event)

    def _show_advanced(self, shown: bool) -> None:
        for field in (self.base_url, self.time_zone, self.store_id, self.status_map):
            self.form.setRowVisible(field, shown)
        self.advanced_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.adjustSize()

    def _fill(self, record: StoreRecord) -> None:
        """Shows the saved settings of the store to change; its secret stays in the keyring, out of the form."""
        self.setWindowTitle(f"Edit store {record.name}")
        self.name.setText(record.name)
        self.name.setReadOnly(True)
        self.name.setToolTip(NAME_STAYS)
        fixed = self.name.palette()  # a read-only field looks editable unless told otherwise
        fixed.setColor(QPalette.ColorRole.Base, fixed.color(QPalette.ColorRole.Window))
        self.name.setPalette(fixed)
        self.api_key.setText(record.config.get("api_key", ""))
        self.secret.setPlaceholderText(KEEP_THE_SECRET)
        self.base_url.setText(record.config.get("base_url") or DEFAULT_BASE_URL)
        self.time_zone.setCurrentText(record.time_zone)
        self.store_id.setText(record.config.get("store_id", ""))
        customer, sales_channel = notify_choices(record)
        self.notify_customer.setChecked(customer)
        self.notify_sales_channel.setChecked(sales_channel)
        self.status_map.show_mapping(record.status_map)
        self.test_button.setToolTip("Ask ShipStation whether it accepts these settings; nothing is saved")
        advanced = (self.base_url.text(), self.time_zone.currentText(), self.store_id.text())
        self._show_advanced(advanced != (DEFAULT_BASE_URL, DEFAULT_TIME_ZONE, "") or bool(record.status_map))
        self.api_key.setFocus()

    @property
    def editing(self) -> bool:
        return self._editing is not None

    # ------------------------------------------------------------------ reading the form

    def record(self) -> StoreRecord:
        """The store the form describes; StoreSetupError says what is wrong with it."""
        typed = {
            "api_key": self.api_key.text(),
            "base_url": self.base_url.text(),
            "time_zone": self.time_zone.currentText(),
            "store_id": self.store_id.text(),
            "notify_customer": self.notify_customer.isChecked(),
            "notify_sales_channel": self.notify_sales_channel.isChecked(),
            "status_map": self.status_map.mapping(),
        }
        if self._editing is not None:
            return edited_record(self._editing, **typed)
        return shipstation_record(self.name.text(), **typed)

    def typed_secret(self) -> str | None:
        """The secret typed in; None when a changed store keeps its saved one."""
        secret = self.secret.text().strip()
        return None if self.editing and not secret else secret

    def _checked_record(self) -> StoreRecord:
        """The form's store, refused now for anything the client would refuse at the first request."""
        record = self.record()
        secret = self.typed_secret()
        if secret is not None:  # the saved secret is read from the keyring on the worker thread
            check_client(record, secret)
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
        self._test = self._ask_shipstation(refused="")
        if self._test is not None:
            self.test_button.setEnabled(False)
            self._say("Asking ShipStation…", ok=True)

    def _ask_shipstation(self, *, refused: str) -> ConnectionTestThread | None:
        """Starts asking ShipStation about the form's store; None, the reason shown after `refused`, when it cannot."""
        try:
            record = self._checked_record()
        except StoreSetupError as error:
            self._say(f"{refused}{error}", ok=False)
            return None
        return self._tests.start(record, self.typed_secret())

    def _answered(self, thread: ConnectionTestThread) -> None:
        if thread is self._saving:
            self._checked_before_saving(thread)
            return
        if thread is not self._test:
            return  # another dialog's test
        self._test = None
        self.test_button.setEnabled(not self.saving)
        self._say(thread.answer, ok=thread.accepted)

    # ------------------------------------------------------------------ saving

    @property
    def saving(self) -> bool:
        return self._saving is not None

    def accept(self) -> None:
        if self.editing:
            self._check_then_save()
            return
        try:
            record = self.record()
            connect_store(self._cache, record, self.secret.text().strip())
        except (StoreSetupError, CredentialsError) as error:
            self._say(f"Not saved: {error}", ok=False)
            return
        self.connected.emit(record.name)
        super().accept()

    def _check_then_save(self) -> None:
        """Asks ShipStation about the changed settings on a worker thread; the answer saves them or says why not."""
        if self._saving is not None:
            return
        if self._sync_running():
            self._say(f"Not saved: {SYNC_RUNNING}", ok=False)
            return
        self._saving = self._ask_shipstation(refused="Not saved: ")
        if self._saving is not None:
            self._set_inputs_enabled(False)  # what is saved is what ShipStation was asked about
            self._say("Asking ShipStation before saving…", ok=True)

    def _checked_before_saving(self, thread: ConnectionTestThread) -> None:
        self._saving = None
        self._set_inputs_enabled(True)
        if not thread.accepted:
            self._say(f"Not saved: {thread.answer}", ok=False)
            return
        if self._sync_running():  # started by the timer while ShipStation was asked
            self._say(f"Not saved: {SYNC_RUNNING}", ok=False)
            return
        try:
            save_store_settings(self._cache, thread.record, self.typed_secret())
        except (StoreSetupError, CredentialsError) as error:
            self._say(f"Not saved: {error}", ok=False)
            return
        self.changed.emit(thread.record.name)
        super().accept()

    def _set_inputs_enabled(self, enabled: bool) -> None:
        inputs = (self.api_key, self.secret, self.base_url, self.time_zone, self.store_id, self.notify_customer)
        for widget in (*inputs, self.notify_sales_channel, self.status_map, self.save_button):
            widget.setEnabled(enabled)
        self.test_button.setEnabled(enabled and self._test is None)

    def done(self, result: int) -> None:
        # Saved or not, the secret leaves the widget; a check still in flight ends on its own, its answer unread,
        # so a form closed while ShipStation is asked saves nothing.
        self.secret.clear()
        self._test = None
        self._saving = None
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
