"""The Stores dialog: each connected store with its last sync, last error and waiting updates; add, edit, test, remove.

Removing asks first and says how many shipped updates would be dropped unsent; it waits while a sync runs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shipdesk.cache import Cache
from shipdesk.cache.outbox_schedule import store_outbox_count
from shipdesk.cache.stores import StoreRecord, get_store
from shipdesk.domain import plural
from shipdesk.store_setup import StoreSetupError, StoreSummary, UpdatesWaiting, disconnect_store, store_summaries
from shipdesk.ui.connection_test import ConnectionTests, ConnectionTestThread
from shipdesk.ui.opening_list import OpeningList
from shipdesk.ui.order_text import date_text
from shipdesk.ui.shipstation_form import OK_STYLE, PROBLEM_STYLE, ShipStationForm
from shipdesk.ui.sync_runner import SyncRunner
from shipdesk.ui.sync_text import short_reason
from shipdesk.upstream.connectors import kind_name
from shipdesk.upstream.credentials import CredentialsError
from shipdesk.upstream.shipstation_connector import KIND as SHIPSTATION
from shipdesk.upstream.sync_stores import StoreSync

COLUMNS = ("Store", "Kind", "Last sync", "Last error", "Waiting updates")
MIN_WIDTHS = {"Store": 170, "Kind": 100, "Last sync": 140, "Waiting updates": 120}  # the empty list looks laid out
NEVER_SYNCED = "never synced"
NO_STORES_HINT = "No store is connected yet. Add a ShipStation store, then press F5 to fetch its orders."


def row_texts(summary: StoreSummary) -> list[str]:
    """What the list shows of one store, column by column."""
    record = summary.record
    return [
        record.name,
        kind_name(record.kind),
        date_text(record.last_success_at) if record.last_success_at else NEVER_SYNCED,  # the last sync that went well
        short_reason(record.last_sync_error) if record.last_sync_error else "",
        plural(summary.waiting, "update") if summary.waiting else "none",
    ]


def removal_consequences(name: str, waiting: int) -> str:
    """What removing the store means, said before it is done."""
    kept = "Its orders stay in the cache, its API secret is forgotten and it is no longer synced."
    if not waiting:
        return kept
    return (
        f"{plural(waiting, 'shipped update')} still {'waits' if waiting == 1 else 'wait'} to be sent to {name}; "
        f"{'it' if waiting == 1 else 'they'} will be dropped unsent, so mark those orders shipped in the store by "
        f"hand.\n\n{kept}"
    )


class StoresDialog(QDialog):
    """Emits `stores_changed` after a store was added, changed or removed, so the window can show it."""

    stores_changed = Signal()

    def __init__(self, cache: Cache, runner: SyncRunner, tests: ConnectionTests, parent: QWidget) -> None:
        super().__init__(parent)
        self._cache = cache
        self._runner = runner
        self._tests = tests
        self._test: ConnectionTestThread | None = None
        self._removing: tuple[str, int] | None = None  # the store the confirmation asks about, and its waiting count
        self.form: ShipStationForm | None = None
        self.confirm: QMessageBox | None = None
        self.confirm_button: QPushButton | None = None
        self.setWindowTitle("Stores")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(940, 360)

        self.list = OpeningList()
        self.list.setColumnCount(len(COLUMNS))
        self.list.setHeaderLabels(COLUMNS)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COLUMNS.index("Last error"), QHeaderView.ResizeMode.Stretch)
        self.empty_hint = QLabel(NO_STORES_HINT)
        self.empty_hint.setWordWrap(True)
        self.add_button = QPushButton("&Add ShipStation store…")
        self.edit_button = QPushButton("&Edit…")
        self.test_button = QPushButton("&Test connection")
        self.remove_button = QPushButton("&Remove…")
        self.answer = QLabel("")
        self.answer.setTextFormat(Qt.TextFormat.PlainText)
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self._build_layout(buttons)

        self.add_button.clicked.connect(self.add_shipstation_store)
        self.edit_button.clicked.connect(self.edit_chosen_store)
        self.list.opened.connect(lambda _item: self.edit_chosen_store())
        self.test_button.clicked.connect(self.test_chosen_store)
        self.remove_button.clicked.connect(self.remove_chosen_store)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        runner.finished.connect(self._synced)
        tests.answered.connect(self._answered)
        self.refresh()

    def _build_layout(self, buttons: QDialogButtonBox) -> None:
        actions = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.test_button, self.remove_button):
            button.setAutoDefault(True)  # Enter presses the button that has the focus, not Close
            actions.addWidget(button)
        actions.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.answer)
        layout.addWidget(buttons)
        # Once in the dialog, or it makes the first of the buttons beside the list its default; Close stays it.
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)

    # ------------------------------------------------------------------ the list

    def refresh(self) -> None:
        """Reads the stores again, keeping the chosen one chosen."""
        chosen = self.chosen_store()
        self.list.clear()
        for summary in store_summaries(self._cache):
            item = QTreeWidgetItem(row_texts(summary))
            item.setData(0, Qt.ItemDataRole.UserRole, summary.record.name)
            item.setData(1, Qt.ItemDataRole.UserRole, summary.record.kind)
            item.setToolTip(COLUMNS.index("Last error"), summary.record.last_sync_error)
            self.list.addTopLevelItem(item)
        self.empty_hint.setVisible(self.list.topLevelItemCount() == 0)
        for heading, width in MIN_WIDTHS.items():
            column = COLUMNS.index(heading)
            self.list.resizeColumnToContents(column)
            self.list.setColumnWidth(column, max(width, self.list.columnWidth(column)))
        self.select_store(chosen)
        self._update_buttons()

    def shown_rows(self) -> list[list[str]]:
        """The list's texts, row by row, as they are on screen."""
        return [
            [self.list.topLevelItem(row).text(column) for column in range(len(COLUMNS))]
            for row in range(self.list.topLevelItemCount())
        ]

    def chosen_store(self) -> str | None:
        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return None
        return str(item.data(0, Qt.ItemDataRole.UserRole))

    def select_store(self, name: str | None) -> None:
        """Chooses the store named `name`, else the first one."""
        items = [self.list.topLevelItem(row) for row in range(self.list.topLevelItemCount())]
        chosen = next((item for item in items if item.data(0, Qt.ItemDataRole.UserRole) == name), None)
        if chosen is None and items:
            chosen = items[0]
        if chosen is not None:
            self.list.setCurrentItem(chosen)

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        chosen = item is not None and item.isSelected()
        testable = chosen and item.data(1, Qt.ItemDataRole.UserRole) == SHIPSTATION
        self.test_button.setEnabled(testable and self._test is None)
        self.test_button.setToolTip(
            "" if testable or not chosen else "Only a ShipStation store has a connection to test"
        )
        self.edit_button.setEnabled(testable)
        self.edit_button.setToolTip("" if testable or not chosen else "Only a ShipStation store has settings to edit")
        self.remove_button.setEnabled(chosen)

    def _synced(self, _outcomes: list[StoreSync]) -> None:
        self.refresh()

    def _say(self, text: str, *, ok: bool) -> None:
        self.answer.setText(text)
        self.answer.setStyleSheet(OK_STYLE if ok else PROBLEM_STYLE)

    def clear_answer(self) -> None:
        self.answer.clear()

    # ------------------------------------------------------------------ add

    def add_shipstation_store(self) -> None:
        self._open_form(None)

    def _open_form(self, editing: StoreRecord | None) -> None:
        if self.form is not None:
            self.form.deleteLater()  # the last one, closed: each Add or Edit starts afresh
        self.form = ShipStationForm(
            self._cache, self._tests, self, editing=editing, sync_running=lambda: self._runner.is_running
        )
        self.form.connected.connect(self._connected)
        self.form.changed.connect(self._changed)
        self.form.open()

    def _connected(self, name: str) -> None:
        self.refresh()
        self.select_store(name)
        kept = f"Store {name} connected; its API secret is in the system keyring."
        self._say(f"{kept} Press F5 (Sync now) to fetch its orders.", ok=True)
        self.stores_changed.emit()

    # ------------------------------------------------------------------ edit

    def edit_chosen_store(self) -> None:
        name = self.chosen_store()
        record = get_store(self._cache, name) if name is not None else None
        if record is None or record.kind != SHIPSTATION:
            return
        self._open_form(record)

    def _changed(self, name: str) -> None:
        self.refresh()
        self.select_store(name)
        self._say(f"Store {name} saved: ShipStation accepted its new settings.", ok=True)
        self.stores_changed.emit()

    # ------------------------------------------------------------------ test

    def test_chosen_store(self) -> None:
        name = self.chosen_store()
        record = get_store(self._cache, name) if name is not None else None
        if record is None or self._test is not None:
            return
        self._test = self._tests.start(record)  # the worker reads the secret from the keyring
        self._update_buttons()
        self._say(f"Asking ShipStation about store {record.name}…", ok=True)

    def _answered(self, thread: ConnectionTestThread) -> None:
        if thread is not self._test:
            return  # the form's test, or one this dialog no longer waits for
        self._test = None
        self._update_buttons()
        name = thread.record.name
        if thread.accepted:
            self._say(f"Store {name} works: {thread.answer}", ok=True)
        elif f"store {name}".casefold() in thread.answer.casefold():
            self._say(thread.answer, ok=False)  # it names the store already: "ShipStation refused … for store Main."
        else:
            self._say(f"Store {name} does not work: {thread.answer}", ok=False)

    # ------------------------------------------------------------------ remove

    def remove_chosen_store(self) -> None:
        name = self.chosen_store()
        if name is None:
            return
        if self._removal_waits_for_sync():
            return
        waiting = store_outbox_count(self._cache, name)
        icon = QMessageBox.Icon.Warning if waiting else QMessageBox.Icon.Question
        box = QMessageBox(icon, "Remove store", f"Remove store {name}?", QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(removal_consequences(name, waiting))
        self.confirm_button = box.addButton("Remove store", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(self._confirmed)
        self._removing = (name, waiting)
        self.confirm = box
        box.open()

    def _confirmed(self, button: object) -> None:
        removing, self._removing = self._removing, None
        confirmed = button is self.confirm_button
        self.confirm = self.confirm_button = None
        if removing is None or not confirmed or self._removal_waits_for_sync():  # the timer may start one while asked
            return
        name, waiting = removing
        try:
            # Only the updates the person was told about are dropped; any newer one stops the removal.
            dropped = disconnect_store(self._cache, name, drop_waiting=waiting > 0)
        except UpdatesWaiting as error:
            self._say(f"Store {name} not removed: {error} Press Remove again to see them.", ok=False)
            return
        except StoreSetupError as error:
            self._say(f"Store {name} not removed: {error}", ok=False)
            return
        except CredentialsError as error:  # the store is gone; only its secret stays behind in the keyring
            self._say(f"Store {name} removed. {error}", ok=False)
        else:
            gone = f"Store {name} removed; its API secret is forgotten and its orders stay in the cache."
            self._say(gone + (f" {plural(dropped, 'shipped update')} dropped unsent." if dropped else ""), ok=True)
        self.refresh()
        self.stores_changed.emit()

    def _removal_waits_for_sync(self) -> bool:
        """Whether a sync runs, said in the dialog: it may be writing this very store's orders and updates, so a
        removal waits until it has finished."""
        if not self._runner.is_running:
            return False
        self._say("A sync is running; remove the store once the status bar says it has finished.", ok=False)
        return True

    def done(self, result: int) -> None:
        self._test = None  # a test in flight ends on its own; the window's ConnectionTests waits for it at close
        super().done(result)
