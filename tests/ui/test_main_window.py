"""The main window as the packer uses it: the demo orders, search, status filter, sorting and the detail pane."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QToolBar
from pytestqt.qtbot import QtBot

from shipdesk.app import DEMO_STORE
from shipdesk.cache import Cache, open_cache
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.outbox_schedule import refuse_entry
from shipdesk.cache.search_text import fold
from shipdesk.cache.shipments import confirm_outbox, pending_outbox, record_shipment
from shipdesk.cache.stores import StoreRecord, add_store
from shipdesk.domain import OrderStatus, Shipment
from shipdesk.label_batch import OWN_COURIER, STANDARD_SERVICE
from shipdesk.ui.main_window import NO_ORDERS_YET, MainWindow
from shipdesk.ui.order_detail import (
    INCOMPLETE_ADDRESS,
    NOTHING_SELECTED,
    STAFF_NOTES_TITLE,
    STORE_NOT_EXPORTED,
    STORE_NOT_TOLD,
    STORE_REFUSED,
)
from tests.cache.test_orders_cache import make_order
from tests.ui.conftest import (
    DATE_COLUMN,
    ORDER_NUMBER_COLUMN,
    RECIPIENT_COLUMN,
    STATUS_COLUMN,
    click_header,
    click_order,
    make_orders,
    row_of_order,
    select_orders,
    show_window,
    shown_column,
    type_text,
)


def type_search(window: MainWindow, qtbot: QtBot, text: str) -> None:
    window.filters.search.clear()
    type_text(window.filters.search, text)


def test_the_demo_opens_with_all_its_orders(window: MainWindow) -> None:
    assert window.model.rowCount() == 230
    assert window.shown_count.text() == "230 orders"
    assert window.outbox_count.text() == "0 updates waiting in the outbox"
    assert window.windowTitle() == "shipdesk — test"
    assert not window.print_action.isEnabled()
    assert window.detail.hint.text() == NOTHING_SELECTED


def test_a_search_narrows_the_table_once_typing_pauses(window: MainWindow, qtbot: QtBot) -> None:
    type_search(window, qtbot, "Núñez")
    assert window.model.rowCount() == 230  # not yet: it waits for a pause in typing

    qtbot.waitUntil(lambda: window.model.rowCount() < 230)
    recipients = shown_column(window, RECIPIENT_COLUMN)
    assert recipients
    assert all("Núñez" in name for name in recipients)
    assert window.shown_count.text() == f"{len(recipients)} of 230 orders"


def test_a_search_without_accents_finds_names_with_them(window: MainWindow, qtbot: QtBot) -> None:
    type_search(window, qtbot, "zoe")
    qtbot.waitUntil(lambda: window.model.rowCount() < 230)
    assert all(name.startswith("Zoë") for name in shown_column(window, RECIPIENT_COLUMN))


def test_a_search_finds_orders_by_sku(window: MainWindow, qtbot: QtBot) -> None:
    type_search(window, qtbot, "TSH-ORG")
    qtbot.waitUntil(lambda: window.model.rowCount() < 230)
    click_order(window, qtbot, shown_column(window, ORDER_NUMBER_COLUMN)[-1])
    assert "TSH-ORG" in [sku for _quantity, sku, *_rest in window.detail.items.rows()]


def test_clearing_the_search_shows_every_order_again(window: MainWindow, qtbot: QtBot) -> None:
    type_search(window, qtbot, "Núñez")
    qtbot.waitUntil(lambda: window.model.rowCount() < 230)
    window.filters.search.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 230)


def test_the_status_filter_shows_only_held_orders_with_their_reasons(window: MainWindow, qtbot: QtBot) -> None:
    window.filters.status.setCurrentIndex(window.filters.status.findText("On hold"))
    statuses = shown_column(window, STATUS_COLUMN)
    assert len(statuses) == 11
    assert "On hold: no ship-to address" in statuses
    assert all(status.startswith("On hold: ") for status in statuses)

    window.filters.status.setCurrentIndex(window.filters.status.findText("All statuses"))
    assert window.model.rowCount() == 230


def test_search_and_status_filter_combine(window: MainWindow, qtbot: QtBot) -> None:
    window.filters.status.setCurrentIndex(window.filters.status.findText("On hold"))
    type_search(window, qtbot, "Lefèvre")
    qtbot.waitUntil(lambda: window.model.rowCount() < 11)
    assert set(shown_column(window, ORDER_NUMBER_COLUMN)) == {"1174", "1193"}


def test_clicking_order_number_sorts_up_and_again_down(window: MainWindow, qtbot: QtBot) -> None:
    click_header(window, qtbot, ORDER_NUMBER_COLUMN)
    numbers = shown_column(window, ORDER_NUMBER_COLUMN)
    assert numbers[:3] == ["1001", "1002", "1003"]
    assert numbers == sorted(numbers)

    click_header(window, qtbot, ORDER_NUMBER_COLUMN)
    assert shown_column(window, ORDER_NUMBER_COLUMN) == numbers[::-1]


def test_clicking_recipient_sorts_by_name(window: MainWindow, qtbot: QtBot) -> None:
    click_header(window, qtbot, RECIPIENT_COLUMN)
    names = shown_column(window, RECIPIENT_COLUMN)
    # Accents and special letters sort as their plain letters: Émile between Dan and Frank, Łukasz among the Ls.
    assert names == sorted(names, key=lambda name: fold(name))


def test_clicking_date_shows_the_newest_first(window: MainWindow, qtbot: QtBot) -> None:
    click_header(window, qtbot, ORDER_NUMBER_COLUMN)
    click_header(window, qtbot, DATE_COLUMN)
    dates = shown_column(window, DATE_COLUMN)
    assert dates == sorted(dates, reverse=True)


def test_sorting_keeps_the_selected_order_selected(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1100")
    click_header(window, qtbot, RECIPIENT_COLUMN)
    assert window.detail.title.text() == "Order 1100"
    selected = [window.model.index(index.row(), 0).data() for index in window.table.selectionModel().selectedRows()]
    assert selected == ["1100"]


def test_selecting_an_order_shows_its_items_and_addresses(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1002")
    detail = window.detail
    assert detail.title.text() == "Order 1002"
    assert detail.status.text() == "Awaiting shipment"
    assert detail.ship_to.text().splitlines()[:3] == ["Grace Patel", "199 Lakeview Dr", "Oakland CA 94607"]
    assert detail.bill_to.text() == "Not given by the store"
    assert detail.items.rows() == [
        ("6", "TSH-ORG", "Organic cotton T-shirt\nColor: White · Size: L", "B-09-2", "6 oz", "22.00")
    ]
    assert detail.items_box.title() == "Items: 6 pieces to pack"
    assert detail.customer_notes.text() == "Birthday is on Friday — please ship quickly!"
    assert "Requested service: USPS Priority Mail" in detail.facts.text()
    assert window.print_action.isEnabled()


def test_a_held_order_shows_why_it_is_held(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1140")
    assert window.detail.status.text() == "On hold: no ship-to address"
    assert INCOMPLETE_ADDRESS.format(gap="no ship-to address") in window.detail.ship_to.text()


def test_selecting_several_orders_says_print_prints_them_all(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001", "1002", "1003")
    assert window.print_action.text() == "&Print 3 labels"
    assert window.detail.selection_note.text() == "3 orders selected; Print labels prints all of them."
    assert window.detail.title.text() == "Order 1003"  # the one clicked last


def test_customer_text_is_shown_as_written_not_as_markup(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1002")
    assert window.detail.customer_notes.textFormat() == Qt.TextFormat.PlainText
    assert window.detail.ship_to.textFormat() == Qt.TextFormat.PlainText


def test_print_has_the_usual_shortcut(window: MainWindow) -> None:
    assert window.print_action.shortcut().toString() == "Ctrl+P"


def test_with_two_stores_the_store_filter_shows_one_store(demo_cache: Cache, qtbot: QtBot) -> None:
    with demo_cache.transaction() as conn:
        upsert_orders(conn, make_orders(3))
    window = show_window(demo_cache, qtbot)
    assert window.filters.store.isVisible()

    window.filters.store.setCurrentIndex(window.filters.store.findText("large"))
    assert window.model.rowCount() == 3
    assert window.shown_count.text() == "3 of 233 orders"


def test_with_one_store_there_is_no_store_filter(window: MainWindow) -> None:
    assert not window.filters.store.isVisible()


def test_a_gift_order_shows_its_message_and_others_show_none(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1101")
    assert window.detail.gift_box.isVisible()
    assert window.detail.gift_message.text() == "Feliz cumpleaños, José"

    click_order(window, qtbot, "1002")
    assert not window.detail.gift_box.isVisible()


def test_an_order_a_search_hides_leaves_the_detail_pane_and_print_off(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1001")
    assert window.detail.title.text() == "Order 1001"

    type_search(window, qtbot, "Lefèvre")
    qtbot.waitUntil(lambda: window.model.rowCount() < 230)

    assert "1001" not in shown_column(window, ORDER_NUMBER_COLUMN)
    assert window.detail.currentWidget() is window.detail.hint
    assert not window.print_action.isEnabled()
    assert not window.slips_action.isEnabled()


def test_a_shipped_order_shows_its_label_and_whether_the_store_has_been_told(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    (stored,) = find_by_number(demo_cache, "1002")
    shipped_at = datetime(2026, 11, 30, 14, 2, tzinfo=UTC)
    shipment = Shipment("UPS", "Ground", "1Z999AA10123456784", shipped_at, cost=Decimal("9.8"))
    record_shipment(demo_cache, stored.id, shipment)
    window.reload()

    click_order(window, qtbot, "1002")

    assert window.detail.status.text() == "Shipped"
    facts = window.detail.facts.text().splitlines()
    local_time = shipped_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert facts[:3] == [
        f"Shipped {local_time} · UPS, Ground",
        "Tracking 1Z999AA10123456784 · cost 9.80",
        STORE_NOT_EXPORTED,
    ]

    (entry,) = pending_outbox(demo_cache)
    confirm_outbox(demo_cache, entry.id)
    window.reload()

    assert STORE_NOT_EXPORTED not in window.detail.facts.text()
    assert window.detail.facts.text().startswith(f"Shipped {local_time} · UPS, Ground\nTracking 1Z999AA10123456784")


def test_a_shipment_by_own_courier_names_the_carrier_and_the_service_apart(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    (stored,) = find_by_number(demo_cache, "1002")
    shipped_at = datetime(2026, 11, 30, 14, 2, tzinfo=UTC)
    record_shipment(demo_cache, stored.id, Shipment(OWN_COURIER, STANDARD_SERVICE, "", shipped_at))
    window.reload()

    click_order(window, qtbot, "1002")

    local_time = shipped_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert window.detail.facts.text().splitlines()[:2] == [
        f"Shipped {local_time} · Other / own courier, Standard",
        "No tracking number",
    ]


def test_the_staff_notes_show_apart_from_the_customers_words(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    with demo_cache.transaction() as conn:
        upsert_orders(
            conn,
            [
                make_order(
                    "7002",
                    store=DEMO_STORE,
                    customer_notes="Leave at the door",
                    internal_notes="STAFF: double-box, glass inside!",
                )
            ],
        )
    window.reload()

    click_order(window, qtbot, "7002")

    detail = window.detail
    assert detail.staff_notes_box.isVisible()
    assert detail.staff_notes_box.title() == STAFF_NOTES_TITLE == "Staff notes (from the shop, not the customer)"
    assert detail.staff_notes.text() == "STAFF: double-box, glass inside!"
    assert detail.staff_notes.textFormat() == Qt.TextFormat.PlainText
    assert detail.customer_notes.text() == "Leave at the door"
    assert detail.notes_box.title() == "Customer notes"


def test_an_order_without_staff_notes_shows_no_staff_notes_box(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1002")
    assert window.detail.customer_notes.text() == "Birthday is on Friday — please ship quickly!"
    assert not window.detail.staff_notes_box.isVisible()


def test_an_order_without_a_label_from_here_shows_no_shipment_line(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1002")
    assert window.detail.facts.text().startswith("Ordered ")


def test_escape_in_the_search_box_clears_it_and_shows_every_order_at_once(window: MainWindow, qtbot: QtBot) -> None:
    type_search(window, qtbot, "Núñez")
    qtbot.waitUntil(lambda: window.model.rowCount() < 230)

    qtbot.keyClick(window.filters.search, Qt.Key.Key_Escape)

    assert window.filters.search.text() == ""
    assert window.model.rowCount() == 230  # no pause to wait for


def test_the_window_opens_no_larger_than_the_screens_free_area(window: MainWindow) -> None:
    free = window.screen().availableGeometry()
    assert (window.width(), window.height()) == (min(1440, free.width()), min(860, free.height()))


def test_an_update_the_store_refused_is_shown_and_sent_again_or_dropped_from_the_orders_menu(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    for number in ("1002", "1003"):
        (stored,) = find_by_number(demo_cache, number)
        record_shipment(demo_cache, stored.id, Shipment("UPS", "Ground", f"1Z{number}", datetime.now(UTC)))
    for entry in pending_outbox(demo_cache):
        refuse_entry(demo_cache, entry.id, "the order is cancelled in the store.", datetime.now(UTC))
    window.reload()

    assert window.outbox_count.text() == "0 updates waiting in the outbox; 2 refused by the store"
    click_order(window, qtbot, "1002")
    assert STORE_REFUSED.format(reason="the order is cancelled in the store.") in window.detail.facts.text()

    window.send_again_action.trigger()

    assert window.outbox_count.text() == "1 shipment to export for upload; 1 refused by the store"
    assert STORE_NOT_EXPORTED in window.detail.facts.text()

    click_order(window, qtbot, "1003")
    answer_the_question(QMessageBox.StandardButton.Yes)
    window.drop_update_action.trigger()

    assert window.outbox_count.text() == "1 shipment to export for upload"
    assert [entry.payload["order_number"] for entry in pending_outbox(demo_cache)] == ["1002"]
    assert "The store refused" not in window.detail.facts.text()


def answer_the_question(button: QMessageBox.StandardButton) -> None:
    """Presses `button` on the question box the next step opens, as the packer would."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        box.button(button).click()

    QTimer.singleShot(0, press)


def test_quit_has_a_shortcut_on_every_platform_and_the_toolbar_offers_every_print(window: MainWindow) -> None:
    assert window.quit_action.shortcuts()
    toolbar_texts = [action.text() for action in window.findChild(QToolBar).actions() if action.text()]
    assert toolbar_texts == ["&Print label", "Print packing &slips", "Print pic&k list", "S&ync now"]


def test_a_shipped_order_of_a_synced_store_says_its_update_goes_with_the_next_sync(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    add_store(demo_cache, StoreRecord(name="Main", kind="shipstation", config={"api_key": "k"}))
    with demo_cache.transaction() as conn:
        upsert_orders(conn, [make_order("7001", store="Main")])
    (stored,) = find_by_number(demo_cache, "7001")
    record_shipment(demo_cache, stored.id, Shipment("UPS", "Ground", "1Z7001", datetime(2026, 11, 30, 14, tzinfo=UTC)))
    window.reload()

    click_order(window, qtbot, "7001")

    assert STORE_NOT_TOLD in window.detail.facts.text()
    assert STORE_NOT_EXPORTED not in window.detail.facts.text()


def painted_dots(window: MainWindow) -> int:
    """How many dots of the table's empty viewport are not its background: its text, when it shows one."""
    image = window.table.viewport().grab().toImage()
    background = image.pixelColor(2, 2)
    return sum(
        image.pixelColor(x, y) != background for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
    )


def test_an_empty_cache_says_how_to_get_orders_in(cache: Cache, qtbot: QtBot) -> None:
    window = show_window(cache, qtbot)

    assert window.table.empty_text == NO_ORDERS_YET
    assert "File → Import orders from CSV… (Ctrl+I)" in NO_ORDERS_YET and "File → Stores…" in NO_ORDERS_YET
    assert painted_dots(window) > 0


def test_a_search_that_finds_nothing_says_so_and_orders_shown_say_nothing(window: MainWindow, qtbot: QtBot) -> None:
    assert window.table.empty_text == ""
    type_search(window, qtbot, "zzqx")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)

    assert window.table.empty_text == "No order matches “zzqx”."
    assert painted_dots(window) > 0
    window.filters.search.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 230)
    assert window.table.empty_text == ""


def test_a_status_nobody_has_says_no_order_is_in_it(window: MainWindow, qtbot: QtBot) -> None:
    window.filters.status.setCurrentIndex(window.filters.status.findData(OrderStatus.SHIPPED.value))
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)

    assert window.table.empty_text == "No order is shipped."


def test_an_order_another_program_changed_reads_the_same_in_the_table_and_the_detail_pane(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    assert window.model.index(row_of_order(window, "1228"), STATUS_COLUMN).data() == "Awaiting shipment"
    assert demo_cache.path is not None
    other_program = open_cache(demo_cache.path)  # e.g. `shipdesk import-csv` run in a terminal meanwhile
    try:
        (stored,) = find_by_number(other_program, "1228")
        held = replace(
            stored.order,
            status=OrderStatus.ON_HOLD,
            hold_reason="address check",
            ship_to=replace(stored.order.ship_to, name="Mei Okafor-Lindqvist"),
        )
        with other_program.transaction() as conn:
            upsert_orders(conn, [held])
    finally:
        other_program.close()

    click_order(window, qtbot, "1228")

    assert window.detail.status.text() == "On hold: address check"
    row = row_of_order(window, "1228")
    assert window.model.index(row, STATUS_COLUMN).data() == "On hold: address check"
    assert window.model.index(row, RECIPIENT_COLUMN).data() == "Mei Okafor-Lindqvist"
    assert window.table.selected_order_ids() == [stored.id]
