"""File → Stores… as the station's staff use it, against a fake ShipStation over real HTTP: connect an account through
the form, change it, test it, remove it, and sync it with F5; the secret goes to the keyring and is never shown or
filed."""

from __future__ import annotations

import errno
import logging
import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QLabel, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.shipments import pending_outbox, record_shipment
from shipdesk.cache.stores import StoreRecord, add_store, get_store, note_sync
from shipdesk.domain import Shipment, utc_now
from shipdesk.store_setup import StoreSummary
from shipdesk.ui.connection_test import failure_answer
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.order_text import date_text
from shipdesk.ui.shipstation_form import KEEP_THE_SECRET, ShipStationForm
from shipdesk.ui.stores_dialog import NEVER_SYNCED, StoresDialog, row_texts
from shipdesk.ui.sync_runner import SyncRunner
from shipdesk.ui.sync_text import NO_STORES, NOT_SYNCED_YET
from shipdesk.upstream.credentials import save_secret
from shipdesk.upstream.shipstation import DEFAULT_BASE_URL, ShipStationError
from shipdesk.upstream.sync_stores import StoreSync
from tests.cache.test_orders_cache import make_order
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store
from tests.ui.conftest import ORDER_NUMBER_COLUMN, Connectors, activated, shown_column

TIMEOUT_MS = 20_000  # a generous bound for a slow machine; nothing is asserted on the time it takes
SYNCED = re.compile(r"Synced \d\d:\d\d · .+")
MAIN_SECRET = "shipstation:Main"  # the store's secret, whatever the secret id of its account
FAKE_STORES = "2 stores there: ShipStation Manual Store (id 22766), Ashley's Test WooCommerce (id 25748)"
REFUSED = "ShipStation refused the API key and secret for store Main. Check them in ShipStation under Settings → API."


@pytest.fixture
def window(cache: Cache, memory_keyring: MemoryKeyring, connectors: Connectors, qtbot: QtBot) -> Iterator[MainWindow]:
    shown = MainWindow(cache, title_suffix="test", sync_runner=SyncRunner(cache, connector_for=connectors))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    # Every test waits for the threads it starts: none may still run when the window goes.
    assert shown.stores_menu.tests.running == []
    assert not shown.sync_runner.is_running


@pytest.fixture
def connected(cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring) -> Cache:
    """The store Main connected to the fake the way the command line connects it."""
    add_fake_store(cache, fake)
    save_secret("Main", fake.api_secret)
    return cache


# ----------------------------------------------------------------------------- steps


def open_stores(window: MainWindow) -> StoresDialog:
    """File → Stores…, found in the menu by its text as a person finds it."""
    (file_menu,) = [action.menu() for action in window.menuBar().actions() if action.text() == "&File"]
    (entry,) = [action for action in file_menu.actions() if action.text().replace("&", "") == "Stores…"]
    entry.trigger()
    dialog = window.stores_menu.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def open_form(dialog: StoresDialog, qtbot: QtBot, button: QAbstractButton | None = None) -> ShipStationForm:
    """The store form as Add (or `button`, such as Edit…) opens it."""
    qtbot.mouseClick(button or dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.form
    assert form is not None and form.isVisible()
    return form


def fill_form(form: ShipStationForm, qtbot: QtBot, fake: FakeShipStation, *, name: str = "Main", secret: str) -> None:
    qtbot.keyClicks(form.name, name)
    qtbot.keyClicks(form.api_key, fake.api_key)
    qtbot.keyClicks(form.secret, secret)
    qtbot.mouseClick(form.advanced_toggle, Qt.MouseButton.LeftButton)
    assert form.base_url.isVisible()
    form.base_url.clear()
    qtbot.keyClicks(form.base_url, fake.base_url)


def add_through_form(window: MainWindow, qtbot: QtBot, fake: FakeShipStation) -> StoresDialog:
    dialog = open_stores(window)
    form = open_form(dialog, qtbot)
    fill_form(form, qtbot, fake, secret=fake.api_secret)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    return dialog


def save_and_wait(window: MainWindow, form: ShipStationForm, qtbot: QtBot) -> None:
    """Clicks Save on a changed store's form and waits until ShipStation has answered and the form acted on it."""
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.stores_menu.tests.running and not form.saving, timeout=TIMEOUT_MS)


def click_and_wait_for_answer(qtbot: QtBot, window: MainWindow, button: QAbstractButton, label: QLabel) -> str:
    """Clicks a Test connection button and waits until the test has ended and its answer is shown."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.stores_menu.tests.running and "Asking" not in label.text(), timeout=TIMEOUT_MS)
    return label.text()


def sync_and_wait(window: MainWindow, qtbot: QtBot, start: Callable[[], object]) -> list[StoreSync]:
    """Does `start` and waits for the sync it sets off (or lets go of) to finish; the stores' outcomes."""
    ended: list[list[StoreSync]] = []
    window.sync_runner.finished.connect(ended.append)
    start()
    qtbot.waitUntil(lambda: bool(ended), timeout=TIMEOUT_MS)
    return ended[0]


def press_f5(window: MainWindow, qtbot: QtBot) -> list[StoreSync]:
    def press() -> None:
        window.activateWindow()
        qtbot.keyClick(window.table, Qt.Key.Key_F5)

    return sync_and_wait(window, qtbot, press)


def everything_shown(window: MainWindow) -> str:
    """Every text and tooltip the window and its dialogs hold, the list's rows and the status bar's message."""
    parts = [window.statusBar().currentMessage()]
    for widget in window.findChildren(QWidget):
        parts.append(widget.toolTip())
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            parts.append(widget.text())
        if isinstance(widget, QMessageBox):
            parts.append(widget.informativeText())
        if isinstance(widget, StoresDialog):
            parts.extend(text for row in widget.shown_rows() for text in row)
    return "\n".join(parts)


def cache_file_bytes(cache: Cache) -> bytes:
    assert cache.path is not None
    files = sorted(cache.path.parent.glob(cache.path.name + "*"))
    assert cache.path.with_name(cache.path.name + "-wal") in files  # the WAL, where fresh writes are
    return b"".join(path.read_bytes() for path in files)


def synced_before(cache: Cache) -> StoreRecord:
    """Store Main as a sync leaves it: order 1001 pulled, and how far the pull went."""
    with cache.transaction() as conn:
        upsert_orders(conn, [make_order("1001", store="Main")])
    note_sync(cache, "Main", high_water=utc_now())
    record = get_store(cache, "Main")
    assert record is not None and record.high_water is not None and record.last_sync_at is not None
    return record


def ship_here(cache: Cache, number: str) -> None:
    (stored,) = find_by_number(cache, number)
    record_shipment(cache, stored.id, Shipment("usps", "usps_priority_mail", "9400100000000000000001", utc_now()))


def test_the_list_shows_when_a_store_last_synced_well_beside_why_a_later_sync_failed() -> None:
    good = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    failed = StoreRecord(
        name="Main",
        kind="shipstation",
        last_success_at=good,
        last_sync_at=good + timedelta(hours=3),
        last_sync_error="ShipStation did not answer in time",
    )

    name, _kind, last_sync, last_error, _waiting = row_texts(StoreSummary(failed, waiting=0))

    assert (name, last_sync) == ("Main", date_text(good))
    assert "did not answer" in last_error


def test_a_store_whose_every_sync_failed_shows_as_never_synced(cache: Cache) -> None:
    add_store(cache, StoreRecord(name="Main", kind="shipstation"))
    note_sync(cache, "Main", high_water=None, error="ShipStation refused the API key")
    failed = get_store(cache, "Main")
    assert failed is not None

    assert row_texts(StoreSummary(failed, waiting=0))[2] == NEVER_SYNCED


# ----------------------------------------------------------------------------- adding


def test_a_store_added_through_the_form_keeps_its_secret_in_the_keyring_only(
    window: MainWindow,
    cache: Cache,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    assert window.sync_status.text() == NO_STORES
    dialog = open_stores(window)
    assert dialog.shown_rows() == []
    assert dialog.empty_hint.isVisible()
    form = open_form(dialog, qtbot)
    assert form.secret.echoMode() is QLineEdit.EchoMode.Password
    assert not form.base_url.isVisible()  # advanced settings stay folded until asked for

    fill_form(form, qtbot, fake, secret=fake.api_secret)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert not form.isVisible()
    saved = get_store(cache, "Main")
    assert saved is not None
    secret_id = saved.config.get("secret_id", "")
    assert saved == StoreRecord(
        name="Main",
        kind="shipstation",
        config={
            "api_key": fake.api_key,
            "base_url": fake.base_url,
            "notify_customer": "false",
            "notify_sales_channel": "true",
            "secret_id": secret_id,
        },
        time_zone="America/Los_Angeles",
    )
    assert memory_keyring.secrets == {("shipdesk", f"shipstation:Main:{secret_id}"): fake.api_secret}
    assert fake.api_secret.encode() not in cache_file_bytes(cache)
    assert form.secret.text() == ""
    assert dialog.shown_rows() == [["Main", "ShipStation", "never synced", "", "none"]]
    assert not dialog.empty_hint.isVisible()
    assert dialog.answer.text().startswith("Store Main connected; its API secret is in the system keyring.")
    assert window.sync_status.text() == NOT_SYNCED_YET
    assert fake.api_secret not in everything_shown(window) + caplog.text
    assert fake.requests_to("/stores") == []  # saving works offline: nothing was asked of ShipStation


def test_f5_after_adding_a_store_pulls_its_orders_into_the_table(
    window: MainWindow, fake: FakeShipStation, qtbot: QtBot
) -> None:
    assert window.sync_status.text() == NO_STORES
    dialog = add_through_form(window, qtbot, fake)
    dialog.reject()  # Close

    [synced] = press_f5(window, qtbot)

    assert (synced.store, synced.inserted, synced.problem) == ("Main", 3, "")
    assert SYNCED.fullmatch(window.sync_status.text())
    assert sorted(shown_column(window, ORDER_NUMBER_COLUMN)) == ["W-1", "W-2", "W-3"]
    assert window.shown_count.text() == "3 orders"
    (row,) = open_stores(window).shown_rows()
    assert row[0] == "Main" and row[2] != "never synced" and row[3:] == ["", "none"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda form: form.name.clear(), "The store needs a name."),
        (lambda form: form.secret.clear(), "The ShipStation API key and secret of store Main must not be empty."),
        (
            lambda form: form.time_zone.setCurrentText("Mars/Olympus"),
            "Unknown time zone 'Mars/Olympus' (use a name such as America/Chicago).",
        ),
        (
            lambda form: form.base_url.setText("http://example.com"),
            "ShipStation's address must start with https:// (got http://example.com).",
        ),
        (
            lambda form: form.store_id.setText("main"),
            "The ShipStation store id is a number such as 12345 (got 'main'); leave it empty for all stores.",
        ),
    ],
)
def test_saving_with_bad_input_says_why_and_saves_nothing(
    change: Callable[[ShipStationForm], None],
    reason: str,
    window: MainWindow,
    cache: Cache,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    qtbot: QtBot,
) -> None:
    dialog = open_stores(window)
    form = open_form(dialog, qtbot)
    fill_form(form, qtbot, fake, secret=fake.api_secret)
    change(form)

    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert form.isVisible()
    assert form.answer.text() == f"Not saved: {reason}"
    assert get_store(cache, "Main") is None
    assert memory_keyring.secrets == {}
    assert dialog.shown_rows() == []
    assert fake.api_secret not in form.answer.text()


def test_a_second_store_of_the_same_name_is_refused_and_the_first_secret_stays(
    window: MainWindow, connected: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    form = open_form(open_stores(window), qtbot)
    fill_form(form, qtbot, fake, secret="another-secret-77a1")

    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert form.answer.text() == (
        "Not saved: A store named Main already exists; edit it to change its key, secret or settings."
    )
    assert memory_keyring.store_secrets() == {MAIN_SECRET: fake.api_secret}


# ----------------------------------------------------------------------------- editing


def test_edit_opens_the_form_on_the_stores_saved_settings_with_its_name_fixed_and_no_secret(
    window: MainWindow, connected: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    dialog = open_stores(window)
    assert dialog.chosen_store() == "Main" and dialog.edit_button.isEnabled()

    form = open_form(dialog, qtbot, dialog.edit_button)

    assert form.windowTitle() == "Edit store Main"
    assert (form.name.text(), form.name.isReadOnly()) == ("Main", True)
    assert form.api_key.text() == fake.api_key
    assert (form.secret.text(), form.secret.placeholderText()) == ("", KEEP_THE_SECRET)
    assert form.advanced_shown  # the fake's address is not ShipStation's own, so it is shown
    assert (form.base_url.text(), form.time_zone.currentText(), form.store_id.text()) == (
        fake.base_url,
        "America/Los_Angeles",
        "",
    )
    assert fake.api_secret not in everything_shown(window)
    form.reject()


def test_edit_is_offered_for_a_chosen_shipstation_store_only(
    window: MainWindow, cache: Cache, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    dialog = open_stores(window)
    assert not dialog.edit_button.isEnabled()  # no store to edit yet

    add_store(cache, StoreRecord(name="Market stall", kind="csv"))
    dialog.refresh()

    assert dialog.chosen_store() == "Market stall"
    assert not dialog.edit_button.isEnabled()
    assert dialog.edit_button.toolTip() == "Only a ShipStation store has settings to edit"


def test_a_rotated_key_and_secret_are_saved_once_shipstation_accepts_them_and_the_orders_stay(
    window: MainWindow,
    connected: Cache,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    synced = synced_before(connected)
    window.reload()
    fake.rotate_keys()
    dialog = open_stores(window)
    form = open_form(dialog, qtbot, dialog.edit_button)
    form.api_key.clear()
    qtbot.keyClicks(form.api_key, fake.api_key)
    qtbot.keyClicks(form.secret, fake.api_secret)
    fake.slow_next(1, seconds=0.3)  # long enough to see the form while it waits

    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible() and not form.save_button.isEnabled()  # ShipStation is asked first, off the UI thread
    assert form.answer.text() == "Asking ShipStation before saving…"
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=TIMEOUT_MS)

    assert [request.authorized for request in fake.requests_to("/stores")] == [True]
    defaults = {"notify_customer": "false", "notify_sales_channel": "true"}  # a store saved before had none
    assert get_store(connected, "Main") == replace(
        synced, config={**synced.config, "api_key": fake.api_key, **defaults}
    )
    assert memory_keyring.store_secrets() == {MAIN_SECRET: fake.api_secret}
    assert form.secret.text() == ""
    assert dialog.answer.text() == "Store Main saved: ShipStation accepted its new settings."
    assert shown_column(window, ORDER_NUMBER_COLUMN) == ["1001"]  # the orders stay
    assert fake.api_secret.encode() not in cache_file_bytes(connected)
    assert fake.api_secret not in everything_shown(window) + caplog.text


def test_a_secret_shipstation_refuses_is_said_in_the_form_and_changes_nothing(
    window: MainWindow,
    connected: Cache,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    before = get_store(connected, "Main")
    wrong = "wrong-secret-3c9d41"
    dialog = open_stores(window)
    form = open_form(dialog, qtbot, dialog.edit_button)
    form.time_zone.setCurrentText("America/Chicago")
    qtbot.keyClicks(form.secret, wrong)

    save_and_wait(window, form, qtbot)

    assert form.isVisible()
    assert form.answer.text() == f"Not saved: {REFUSED}"
    assert form.save_button.isEnabled() and form.api_key.isEnabled()  # to try again
    assert get_store(connected, "Main") == before
    assert memory_keyring.store_secrets() == {MAIN_SECRET: fake.api_secret}
    form.reject()
    assert wrong not in everything_shown(window) + caplog.text


def test_saving_without_a_new_secret_asks_with_the_saved_one_and_keeps_it(
    window: MainWindow, connected: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    dialog = open_stores(window)
    form = open_form(dialog, qtbot, dialog.edit_button)
    form.time_zone.setCurrentText("America/Chicago")
    qtbot.keyClicks(form.store_id, "22766")

    save_and_wait(window, form, qtbot)

    assert not form.isVisible()
    assert [request.authorized for request in fake.requests_to("/stores")] == [True]
    store = get_store(connected, "Main")
    assert store is not None
    assert (store.time_zone, store.config["store_id"]) == ("America/Chicago", "22766")
    assert memory_keyring.store_secrets() == {MAIN_SECRET: fake.api_secret}


def test_a_store_id_the_account_does_not_have_is_not_saved_and_the_form_names_the_ids_it_has(
    window: MainWindow, connected: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    before = get_store(connected, "Main")
    dialog = open_stores(window)
    form = open_form(dialog, qtbot, dialog.edit_button)
    qtbot.keyClicks(form.store_id, "999")

    save_and_wait(window, form, qtbot)

    assert form.isVisible()
    assert form.answer.text() == (
        "Not saved: ShipStation accepted the key and secret, but the account has no active store 999 "
        f"({FAKE_STORES}). Choose one of those ids, or every store of the account."
    )
    assert get_store(connected, "Main") == before
    form.reject()


def test_the_edit_forms_test_uses_the_saved_secret_when_none_is_typed(
    window: MainWindow, connected: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    dialog = open_stores(window)
    form = open_form(dialog, qtbot, dialog.edit_button)

    answer = click_and_wait_for_answer(qtbot, window, form.test_button, form.answer)

    assert answer == f"ShipStation accepted the key and secret ({FAKE_STORES})."
    form.reject()


def test_cancel_while_shipstation_is_asked_saves_nothing(
    window: MainWindow, connected: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    before = get_store(connected, "Main")
    fake.slow_next(1, seconds=0.5)
    dialog = open_stores(window)
    form = open_form(dialog, qtbot, dialog.edit_button)
    form.time_zone.setCurrentText("America/Chicago")

    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    form.reject()
    qtbot.waitUntil(lambda: not window.stores_menu.tests.running, timeout=TIMEOUT_MS)

    assert [request.authorized for request in fake.requests_to("/stores")] == [True]  # ShipStation said yes, too late
    assert get_store(connected, "Main") == before
    assert memory_keyring.store_secrets() == {MAIN_SECRET: fake.api_secret}


# ----------------------------------------------------------------------------- testing the connection


def test_the_form_tests_the_key_and_secret_before_anything_is_saved(
    window: MainWindow, cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    form = open_form(open_stores(window), qtbot)
    fill_form(form, qtbot, fake, secret=fake.api_secret)

    answer = click_and_wait_for_answer(qtbot, window, form.test_button, form.answer)

    assert answer == f"ShipStation accepted the key and secret ({FAKE_STORES})."
    assert [request.authorized for request in fake.requests_to("/stores")] == [True]
    assert form.test_button.isEnabled()
    assert get_store(cache, "Main") is None
    assert memory_keyring.secrets == {}


def test_a_wrong_secret_in_the_form_gets_shipstations_refusal_and_is_not_shown(
    window: MainWindow,
    cache: Cache,
    fake: FakeShipStation,
    memory_keyring: MemoryKeyring,
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-secret-3c9d41"
    dialog = open_stores(window)
    form = open_form(dialog, qtbot)
    fill_form(form, qtbot, fake, secret=wrong)

    answer = click_and_wait_for_answer(qtbot, window, form.test_button, form.answer)

    assert answer == REFUSED
    assert [request.authorized for request in fake.requests_to("/stores")] == [False]
    form.reject()
    assert form.secret.text() == ""
    assert wrong not in everything_shown(window) + caplog.text
    assert get_store(cache, "Main") is None
    assert memory_keyring.secrets == {}


def test_the_list_tests_a_saved_store_with_the_secret_from_the_keyring(
    window: MainWindow, connected: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    dialog = open_stores(window)
    assert dialog.chosen_store() == "Main"

    works = click_and_wait_for_answer(qtbot, window, dialog.test_button, dialog.answer)
    memory_keyring.secrets[memory_keyring.account_of("Main")] = "not-the-secret-5e2a"
    refused = click_and_wait_for_answer(qtbot, window, dialog.test_button, dialog.answer)
    memory_keyring.secrets.clear()
    missing = click_and_wait_for_answer(qtbot, window, dialog.test_button, dialog.answer)

    assert works == f"Store Main works: ShipStation accepted the key and secret ({FAKE_STORES})."
    assert refused == REFUSED  # it names the store once
    assert missing == (
        "No API secret is saved for store Main. Give it again: File → Stores… → Edit in the window, or shipdesk stores edit Main --new-secret."
    )
    assert "not-the-secret-5e2a" not in everything_shown(window)


def closed_address() -> str:
    """A loopback address where nothing listens, so a connection to it is refused."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_saved_store_that_cannot_be_reached_says_so_once_in_plain_words(
    window: MainWindow, cache: Cache, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    address = closed_address()
    add_store(cache, StoreRecord(name="Main", kind="shipstation", config={"api_key": "key", "base_url": address}))
    save_secret("Main", "secret")
    dialog = open_stores(window)

    answer = click_and_wait_for_answer(qtbot, window, dialog.test_button, dialog.answer)

    assert answer == (
        f"Store Main cannot be reached at {address}: the connection was refused. Check the address and your network."
    )
    assert "Errno" not in answer


def test_the_forms_test_of_an_address_nothing_answers_on_says_so_in_plain_words(
    window: MainWindow, cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    address = closed_address()
    form = open_form(open_stores(window), qtbot)
    fill_form(form, qtbot, fake, name="Main shop", secret=fake.api_secret)
    form.base_url.setText(address)

    answer = click_and_wait_for_answer(qtbot, window, form.test_button, form.answer)

    assert answer == (
        f"Store Main shop cannot be reached at {address}: the connection was refused. "
        "Check the address and your network."
    )
    form.reject()


def unreachable(cause: BaseException) -> ShipStationError:
    """ShipStationError as the client raises it when no connection was made, `cause` at the bottom of the chain."""
    try:
        try:
            raise cause
        except BaseException as error:
            raise httpx.ConnectError(str(error)) from error
    except httpx.ConnectError as error:
        failed = ShipStationError(f"Could not list stores for store Main: shipdesk could not connect ({error}).")
        failed.__cause__ = error
        return failed


MAIN = StoreRecord(name="Main", kind="shipstation", config={"base_url": "https://ssapi.example.com"})


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (unreachable(socket.gaierror(-2, "Name or service not known")), "no server of that name can be found"),
        (unreachable(OSError(errno.EHOSTUNREACH, "No route to host")), "there is no route to it on the network"),
        (
            unreachable(ssl.SSLCertVerificationError(1, "certificate verify failed")),
            "its security certificate is not one this computer trusts",
        ),
        (unreachable(OSError(errno.EPROTO, "Protocol error")), "the connection failed"),
    ],
)
def test_a_store_that_cannot_be_reached_says_why_without_the_technical_detail(
    error: ShipStationError, reason: str
) -> None:
    assert failure_answer(MAIN, error) == (
        f"Store Main cannot be reached at https://ssapi.example.com: {reason}. Check the address and your network."
    )


def test_a_store_that_was_reached_answers_in_shipstations_own_words() -> None:
    late = ShipStationError("Could not list stores for store Main: ShipStation did not answer within 10 s.")
    assert failure_answer(MAIN, late) == "Could not list stores for store Main: ShipStation did not answer within 10 s."
    assert failure_answer(replace(MAIN, config={}), unreachable(ConnectionRefusedError(errno.ECONNREFUSED, "x"))) == (
        f"Store Main cannot be reached at {DEFAULT_BASE_URL}: the connection was refused. "
        "Check the address and your network."
    )


def test_closing_the_window_mid_test_waits_for_the_test_thread(
    cache: Cache, connected: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    window = MainWindow(cache, title_suffix="test")
    qtbot.addWidget(window)
    window.show()
    fake.slow_next(1, seconds=0.5)
    dialog = open_stores(window)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    (thread,) = window.stores_menu.tests.running

    window.close()

    assert thread.isFinished()
    assert window.stores_menu.tests.running == []


# ----------------------------------------------------------------------------- removing


def test_remove_says_how_many_updates_wait_and_drops_them_once_confirmed(
    window: MainWindow, connected: Cache, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    press_f5(window, qtbot)
    ship_here(connected, "W-1")
    ship_here(connected, "W-2")
    window.reload()
    assert window.outbox_count.text() == "2 updates waiting in the outbox"
    dialog = open_stores(window)
    assert dialog.shown_rows()[0][4] == "2 updates"

    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm
    assert box is not None and box.isVisible()
    assert box.text() == "Remove store Main?"
    assert box.informativeText().startswith(
        "2 shipped updates still wait to be sent to Main; they will be dropped unsent, so mark those orders shipped "
        "in the store by hand."
    )
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert get_store(connected, "Main") is not None
    assert len(pending_outbox(connected)) == 2

    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm is not None and dialog.confirm_button is not None
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    assert get_store(connected, "Main") is None
    assert pending_outbox(connected) == []
    assert memory_keyring.secrets == {}
    assert dialog.shown_rows() == []
    assert dialog.answer.text() == (
        "Store Main removed; its API secret is forgotten and its orders stay in the cache. "
        "2 shipped updates dropped unsent."
    )
    assert window.outbox_count.text() == "0 updates waiting in the outbox"
    assert window.model.rowCount() == 3  # the orders stay
    assert window.sync_status.text() == NO_STORES


def test_remove_without_waiting_updates_only_asks(
    window: MainWindow, connected: Cache, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    dialog = open_stores(window)

    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm is not None and dialog.confirm_button is not None
    assert dialog.confirm.informativeText() == (
        "Its orders stay in the cache, its API secret is forgotten and it is no longer synced."
    )
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    assert get_store(connected, "Main") is None
    assert memory_keyring.secrets == {}
    assert dialog.answer.text() == "Store Main removed; its API secret is forgotten and its orders stay in the cache."


def test_remove_waits_while_a_sync_runs(
    window: MainWindow, connected: Cache, connectors: Connectors, qtbot: QtBot
) -> None:
    gate = connectors.gate = threading.Event()
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: len(connectors.threads) == 1)  # the worker holds at the gate, mid-sync
    dialog = open_stores(window)

    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)

    assert dialog.confirm is None
    assert dialog.answer.text() == "A sync is running; remove the store once the status bar says it has finished."
    assert get_store(connected, "Main") is not None
    ended: list[object] = []
    window.sync_runner.finished.connect(ended.append)
    gate.set()
    qtbot.waitUntil(lambda: bool(ended), timeout=TIMEOUT_MS)
    assert dialog.shown_rows()[0][2] != "never synced"  # the open list follows the sync


# ----------------------------------------------------------------------------- how it looks


def colours_in_grab(widget: QWidget, picture: Path) -> int:
    assert widget.grab().save(str(picture))
    image = QImage(str(picture))
    return len({image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)})


def test_the_list_and_the_form_render(
    window: MainWindow, connected: Cache, fake: FakeShipStation, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_stores(window)
    qtbot.waitExposed(dialog)
    assert colours_in_grab(dialog, tmp_path / "stores_list.png") > 10

    form = open_form(dialog, qtbot)
    fill_form(form, qtbot, fake, name="Second", secret=fake.api_secret)
    qtbot.waitExposed(form)
    assert colours_in_grab(form, tmp_path / "stores_form.png") > 10
    form.reject()

    form = open_form(dialog, qtbot, dialog.edit_button)
    qtbot.waitExposed(form)
    assert colours_in_grab(form, tmp_path / "stores_edit_form.png") > 10
    form.reject()


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Clicks the box itself, as a person does; the widget may stretch far beyond its text."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))


def choose_reading(form: ShipStationForm, status: str, shown: str) -> None:
    combo = form.status_map.choices[status]
    index = combo.findText(shown)
    assert index >= 0, f"{shown!r} is not offered for {status}"
    combo.setCurrentIndex(index)


def test_whom_shipstation_tells_and_how_it_is_read_are_set_in_the_form_and_shown_again_to_edit(
    window: MainWindow, cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_stores(window)
    form = open_form(dialog, qtbot)
    assert not form.notify_customer.isChecked() and form.notify_sales_channel.isChecked()  # ShipStation's own default
    fill_form(form, qtbot, fake, secret=fake.api_secret)
    tick(qtbot, form.notify_customer)
    assert form.status_map.isVisible()
    choose_reading(form, "pending_fulfillment", "Awaiting shipment")
    form.grab().save(str(tmp_path / "store-settings.png"))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    saved = get_store(cache, "Main")
    assert saved is not None
    assert (saved.config["notify_customer"], saved.config["notify_sales_channel"]) == ("true", "true")
    assert saved.status_map == {"pending_fulfillment": "awaiting_shipment"}

    assert dialog.chosen_store() == "Main"  # the store just added is the one chosen
    editing = open_form(dialog, qtbot, dialog.edit_button)
    assert editing.notify_customer.isChecked() and editing.notify_sales_channel.isChecked()
    assert editing.status_map.isVisible()  # a store whose statuses are read its own way opens showing it
    assert editing.status_map.mapping() == {"pending_fulfillment": "awaiting_shipment"}
    tick(qtbot, editing.notify_sales_channel)
    choose_reading(editing, "pending_fulfillment", "as usual (on hold)")
    save_and_wait(window, editing, qtbot)

    changed = get_store(cache, "Main")
    assert changed is not None
    assert (changed.config["notify_customer"], changed.config["notify_sales_channel"]) == ("true", "false")
    assert changed.status_map == {}


def test_enter_on_a_store_in_the_list_opens_it_for_editing_and_the_form_stays_open(
    window: MainWindow, connected: Cache, qtbot: QtBot
) -> None:
    dialog = open_stores(window)
    assert dialog.chosen_store() == "Main"

    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    form = dialog.form
    assert form is not None and form.isVisible() and form.windowTitle() == "Edit store Main"
    assert dialog.isVisible()
    form.reject()


def tab_to(qtbot: QtBot, target: object, limit: int = 40) -> None:
    """Presses Tab until `target` has the focus, as a person reaches a button without the mouse."""
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target}")


def test_enter_on_the_forms_test_connection_button_tests_and_saves_nothing(
    window: MainWindow, cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    form = open_form(open_stores(window), qtbot)
    fill_form(form, qtbot, fake, secret=fake.api_secret)
    activated(form, qtbot)
    tab_to(qtbot, form.test_button)

    qtbot.keyClick(form.test_button, Qt.Key.Key_Return)

    assert form.isVisible()
    qtbot.waitUntil(lambda: not window.stores_menu.tests.running and form.test_button.isEnabled(), timeout=TIMEOUT_MS)
    assert form.answer.text() == f"ShipStation accepted the key and secret ({FAKE_STORES})."
    assert get_store(cache, "Main") is None
    assert memory_keyring.secrets == {}
    form.reject()


def test_enter_on_advanced_settings_unfolds_them_and_saves_nothing(
    window: MainWindow, cache: Cache, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    form = open_form(open_stores(window), qtbot)
    qtbot.keyClicks(form.name, "Main")
    qtbot.keyClicks(form.api_key, "key-from-shipstation")
    qtbot.keyClicks(form.secret, "secret-from-shipstation")
    activated(form, qtbot)
    tab_to(qtbot, form.advanced_toggle)

    qtbot.keyClick(form.advanced_toggle, Qt.Key.Key_Return)

    assert form.isVisible()
    assert form.advanced_shown and form.base_url.isVisible()
    assert get_store(cache, "Main") is None
    assert memory_keyring.secrets == {}
    form.reject()


def test_enter_on_the_lists_test_connection_button_tests_the_store_and_the_list_stays_open(
    window: MainWindow, connected: Cache, qtbot: QtBot
) -> None:
    dialog = activated(open_stores(window), qtbot)
    assert dialog.chosen_store() == "Main"
    tab_to(qtbot, dialog.test_button)

    qtbot.keyClick(dialog.test_button, Qt.Key.Key_Return)

    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not window.stores_menu.tests.running, timeout=TIMEOUT_MS)
    assert dialog.answer.text() == f"Store Main works: ShipStation accepted the key and secret ({FAKE_STORES})."


REMOVAL_WAITS = "A sync is running; remove the store once the status bar says it has finished."


def start_held_sync(window: MainWindow, connectors: Connectors, qtbot: QtBot) -> threading.Event:
    """A sync started as the timer starts it, held before it reaches ShipStation until the gate returned is set."""
    gate = connectors.gate = threading.Event()
    window.sync_runner.sync_now()
    qtbot.waitUntil(lambda: len(connectors.threads) == 1)
    return gate


def let_sync_end(window: MainWindow, gate: threading.Event, qtbot: QtBot) -> list[StoreSync]:
    return sync_and_wait(window, qtbot, gate.set)


def test_a_removal_confirmed_once_a_sync_has_started_waits_for_the_sync(
    window: MainWindow, connected: Cache, connectors: Connectors, qtbot: QtBot
) -> None:
    cache = connected
    dialog = open_stores(window)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm is not None and dialog.confirm_button is not None
    gate = start_held_sync(window, connectors, qtbot)  # the timer's sync, while the question is open

    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    assert get_store(cache, "Main") is not None
    assert dialog.answer.text() == REMOVAL_WAITS
    [synced] = let_sync_end(window, gate, qtbot)
    assert (synced.store, synced.inserted, synced.problem) == ("Main", 3, "")
    assert window.sync_status.text().startswith("Synced ")

    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)  # now it goes
    assert dialog.confirm_button is not None
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert get_store(cache, "Main") is None


def test_settings_saved_while_the_store_syncs_wait_for_the_sync_and_then_start_its_sync_afresh(
    window: MainWindow, connected: Cache, connectors: Connectors, qtbot: QtBot
) -> None:
    cache = connected
    # Main has synced: its next sync goes on from where this one got.
    sync_and_wait(window, qtbot, window.sync_action.trigger)
    gate = start_held_sync(window, connectors, qtbot)
    dialog = open_stores(window)
    form = open_form(dialog, qtbot, dialog.edit_button)
    form.time_zone.setCurrentText("America/Chicago")  # the orders' times read anew: the next sync starts afresh

    save_and_wait(window, form, qtbot)

    assert form.isVisible()
    assert form.answer.text() == "Not saved: a sync is running; save again once the status bar says it has finished."
    assert form.save_button.isEnabled()
    store = get_store(cache, "Main")
    assert store is not None and store.time_zone == "America/Los_Angeles"
    let_sync_end(window, gate, qtbot)
    connectors.gate = None

    save_and_wait(window, form, qtbot)

    assert not form.isVisible()
    dialog.reject()
    sync_and_wait(window, qtbot, window.sync_action.trigger)  # Sync now
    assert "Pulled 3 orders from Main (first sync)" in window.sync_status.toolTip()
