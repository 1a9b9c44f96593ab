"""An update the store refused for good, as the window tells it: the menu items that send it again or drop it, named
as the Orders menu names them, never the `shipdesk outbox` command a packer at the window has no use for."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.shipments import record_shipment
from shipdesk.domain import Shipment, utc_now
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.refused_updates import DROP_ITEM, SEND_AGAIN_ITEM, WINDOW_STEPS
from shipdesk.ui.sync_runner import SyncRunner
from shipdesk.upstream.credentials import save_secret
from shipdesk.upstream.outbox_push import PushReport, RefusedPush
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store
from tests.ui.conftest import Connectors, click_order

SYNC_TIMEOUT_MS = 20_000


@pytest.fixture
def store_window(
    cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring, connectors: Connectors, qtbot: QtBot
) -> MainWindow:
    """The window on a cache with the ShipStation store Main (the fake, orders W-1 to W-3), synced once."""
    add_fake_store(cache, fake)
    save_secret("Main", fake.api_secret)
    shown = MainWindow(cache, title_suffix="test", sync_runner=SyncRunner(cache, connector_for=connectors))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    sync(shown, qtbot)
    return shown


def sync(window: MainWindow, qtbot: QtBot) -> None:
    """Orders → Sync now, and wait for it to end."""
    ended: list[object] = []
    window.sync_runner.finished.connect(ended.append)
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: bool(ended), timeout=SYNC_TIMEOUT_MS)


def orders_menu_item(window: MainWindow, starts_with: str) -> str:
    """'Orders → Drop store update…': a menu item as the packer reads it in the menu bar, without its & marks."""
    (orders_menu,) = [action.menu() for action in window.menuBar().actions() if action.text() == "&Orders"]
    (item,) = [
        action.text().replace("&", "")
        for action in orders_menu.actions()
        if action.text().replace("&", "").startswith(starts_with)
    ]
    return f"Orders → {item}"


def shipped_here_and_cancelled_in_the_store(window: MainWindow, cache: Cache, fake: FakeShipStation) -> None:
    (stored,) = find_by_number(cache, "W-1")
    record_shipment(cache, stored.id, Shipment("usps", "usps_priority_mail", "9400100000000000000001", utc_now()))
    fake.update_order(1, orderStatus="cancelled")  # cancelled in ShipStation after it was packed here
    window.reload()


def test_the_sync_tooltip_says_which_menu_items_send_a_refused_update_again_or_drop_it(
    store_window: MainWindow, cache: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    shipped_here_and_cancelled_in_the_store(store_window, cache, fake)

    sync(store_window, qtbot)

    details = store_window.sync_status.toolTip()
    (refused_line,) = [line for line in details.splitlines() if line.startswith("Order W-1 refused by Main: ")]
    assert "Order W-1 is already cancelled." in refused_line  # the store's reason is kept
    assert refused_line.endswith(
        f"It is not sent again by itself: select order W-1, then {orders_menu_item(store_window, 'Send store update')}"
        f" once it is put right in the store, or {orders_menu_item(store_window, 'Drop store update')} to give up on it."
    )
    assert "shipdesk outbox" not in details and "--" not in details


def test_an_update_refused_at_an_earlier_sync_is_still_pointed_to_in_the_windows_words(
    store_window: MainWindow, cache: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    shipped_here_and_cancelled_in_the_store(store_window, cache, fake)
    sync(store_window, qtbot)

    sync(store_window, qtbot)  # the refused update is not sent again: it waits for the packer

    details = store_window.sync_status.toolTip()
    assert "1 update refused by Main earlier still waits for you (select its order, then " in details
    assert orders_menu_item(store_window, "Send store update") in details
    assert orders_menu_item(store_window, "Drop store update") in details
    assert "shipdesk outbox" not in details


def test_the_refused_order_and_the_outbox_count_name_both_menu_items_as_the_orders_menu_does(
    store_window: MainWindow, cache: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    shipped_here_and_cancelled_in_the_store(store_window, cache, fake)
    sync(store_window, qtbot)

    click_order(store_window, qtbot, "W-1")

    send_again = orders_menu_item(store_window, "Send store update")
    drop = orders_menu_item(store_window, "Drop store update")
    pane = store_window.detail.facts.text()
    assert send_again in pane and drop in pane  # ShipStation may say to drop it: shipped another way too
    outbox_tip = store_window.outbox_count.toolTip()
    assert send_again in outbox_tip and drop in outbox_tip


def test_a_refused_order_number_another_store_has_too_is_named_with_its_store_in_the_windows_words() -> None:
    report = PushReport("Main", refused=[RefusedPush("T-1", "It was cancelled.", number_shared=True)])

    assert report.summary_lines(WINDOW_STEPS)[1].endswith(
        f"select order T-1 of Main, then {SEND_AGAIN_ITEM} once it is put right in the store, "
        f"or {DROP_ITEM} to give up on it."
    )
