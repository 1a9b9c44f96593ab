"""A packer's day at the window: a morning batch from the awaiting list, scanned orders, held orders to put right, and
the keyboard alone."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.printers import PrinterProfile, save_printer
from shipdesk.cache.shipments import latest_shipment
from shipdesk.domain import OrderStatus, with_packing_rules
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.order_detail import INCOMPLETE_ADDRESS
from shipdesk.ui.orders_model import COLUMNS, STORE_COLUMN
from shipdesk.ui.print_dialog import reprint_text
from tests.fakes.raw_printer import Listener
from tests.ui.conftest import (
    DATE_COLUMN,
    ORDER_NUMBER_COLUMN,
    RECIPIENT_COLUMN,
    STATUS_COLUMN,
    activated,
    click_header,
    click_order,
    make_orders,
    row_of_order,
    scan,
    select_orders,
    show_window,
    shown_column,
)
from tests.ui.print_steps import (
    BATCH_TIMEOUT_MS,
    choose_printer,
    no_to_any_question,
    open_print_dialog,
    press_print,
    print_from_window,
    shown_progress,
    wait_for_batch,
)

LAPTOP = (1366, 768)
SMALL_SCREEN = (1024, 600)  # a netbook, or a packing station's small monitor


def press_enter(qtbot: QtBot) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Return)


def order_id(cache: Cache, number: str) -> int:
    return find_by_number(cache, number)[0].id


def status_of(window: MainWindow, number: str) -> str:
    return str(window.model.index(row_of_order(window, number), STATUS_COLUMN).data())


def show_awaiting_only(window: MainWindow) -> None:
    window.filters.status.setCurrentIndex(window.filters.status.findData(OrderStatus.AWAITING_SHIPMENT.value))


# ---------------------------------------------------------------------- the morning batch


def test_orders_printed_from_the_awaiting_list_stay_in_it_selected_so_their_slips_print_next(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    show_awaiting_only(window)
    click_header(window, qtbot, DATE_COLUMN)  # oldest first
    click_order(window, qtbot, "1001")
    click_order(window, qtbot, "1003", Qt.KeyboardModifier.ShiftModifier)

    print_from_window(window, qtbot)

    assert [status_of(window, number) for number in ("1001", "1002", "1003")] == ["Shipped"] * 3
    assert window.table.selected_order_ids() == [order_id(demo_cache, number) for number in ("1001", "1002", "1003")]
    assert window.slips_action.isEnabled() and window.pick_list_action.isEnabled()
    window.slips_action.trigger()
    chooser = window.sheet_printing.chooser
    assert chooser is not None and chooser.labelText() == "Packing slips for 3 orders, on:"
    chooser.reject()


def test_the_printed_orders_leave_the_awaiting_list_once_the_packer_filters_or_searches_again(
    window: MainWindow, qtbot: QtBot
) -> None:
    show_awaiting_only(window)
    select_orders(window, qtbot, "1001")
    print_from_window(window, qtbot)
    window.sort_menu.sort_by(ORDER_NUMBER_COLUMN)  # a new sort keeps them
    assert "1001" in shown_column(window, ORDER_NUMBER_COLUMN)

    window.filters.search.setText("100")
    qtbot.keyClick(window.filters.search, Qt.Key.Key_Return)

    assert "1001" not in shown_column(window, ORDER_NUMBER_COLUMN)
    assert "1002" in shown_column(window, ORDER_NUMBER_COLUMN)


# ---------------------------------------------------------------------- scanning


def test_a_scanned_order_number_selects_the_order_and_the_next_enter_opens_print_labels_for_it(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    activated(window, qtbot)
    window.filters.search.setFocus(Qt.FocusReason.OtherFocusReason)

    scan(qtbot, "1042")

    assert shown_column(window, ORDER_NUMBER_COLUMN) == ["1042"]
    assert window.table.selected_order_ids() == [order_id(demo_cache, "1042")]
    assert window.detail.title.text() == "Order 1042"
    assert QApplication.focusWidget() is window.table
    assert window.batch_printing.dialog is None  # the scan's own Enter prints nothing

    press_enter(qtbot)
    dialog = window.batch_printing.dialog
    assert dialog is not None and list(dialog.request().order_ids) == [order_id(demo_cache, "1042")]
    press_print(window, qtbot, dialog)

    assert status_of(window, "1042") == "Shipped"
    shipment = latest_shipment(demo_cache, order_id(demo_cache, "1042"))
    assert shipment is not None
    assert f"Tracking {shipment.tracking_number}" in window.detail.facts.text()


def test_the_next_scan_goes_from_the_table_to_the_search_and_selects_that_order(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    activated(window, qtbot)
    window.filters.search.setFocus(Qt.FocusReason.OtherFocusReason)
    scan(qtbot, "1042")

    scan(qtbot, "1043")  # the table has the focus now

    assert window.filters.search.text() == "1043"
    assert window.table.selected_order_ids() == [order_id(demo_cache, "1043")]
    assert window.batch_printing.dialog is None


def test_enter_on_a_search_that_finds_several_orders_leaves_the_choice_to_the_packer(
    window: MainWindow, qtbot: QtBot
) -> None:
    activated(window, qtbot)
    window.filters.search.setFocus(Qt.FocusReason.OtherFocusReason)

    scan(qtbot, "Chen")

    assert window.model.rowCount() > 1
    assert window.table.selected_order_ids() == []
    assert QApplication.focusWidget() is window.filters.search


def test_enter_on_the_row_the_keyboard_is_on_opens_print_labels_for_that_order(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    activated(window, qtbot)
    window.filters.status.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(window.filters.status, Qt.Key.Key_Tab)  # into the table: on its first row, none selected yet
    assert QApplication.focusWidget() is window.table and window.table.selected_order_ids() == []

    press_enter(qtbot)

    dialog = window.batch_printing.dialog
    first = shown_column(window, ORDER_NUMBER_COLUMN)[0]
    assert dialog is not None and list(dialog.request().order_ids) == [order_id(demo_cache, first)]
    assert window.detail.title.text() == f"Order {first}"
    dialog.reject()


# ---------------------------------------------------------------------- mistakes


def test_the_print_dialog_names_the_orders_already_shipped_that_print_again(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001")
    print_from_window(window, qtbot)
    select_orders(window, qtbot, "1001", "1002")

    dialog = open_print_dialog(window)

    assert dialog.reprint_note.isVisibleTo(dialog)
    assert dialog.reprint_note.text() == (
        "Already shipped, printed again with the same tracking number: 1001. "
        "To ship with another choice, void the label first (Orders → Void labels…)."
    )
    dialog.reject()


def test_orders_not_shipped_get_no_reprint_note_and_buying_says_no_second_label_is_bought(
    window: MainWindow, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "1001", "1002")
    dialog = open_print_dialog(window)
    assert not dialog.reprint_note.isVisibleTo(dialog)
    dialog.reject()

    assert reprint_text(["1001"], buying=True) == (
        "Already shipped, so no second label is bought: 1001. Untick Buy to print their labels again, "
        "or void them first (Orders → Void labels…) to buy new ones."
    )


def test_after_a_cancelled_batch_the_orders_left_unprinted_are_selected_so_print_goes_on_from_there(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    busy = Listener(hold_at=1)  # keeps the second label in hand until released
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{busy.port}", dpi=203, media="4x6"))
    select_orders(window, qtbot, "1004", "1003", "1002", "1001")
    dialog = open_print_dialog(window)
    choose_printer(dialog, "Zebra")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(busy.holding.is_set, timeout=BATCH_TIMEOUT_MS)
    qtbot.mouseClick(shown_progress(window).cancel_button, Qt.MouseButton.LeftButton)
    wait_for_batch(window, qtbot, busy.release)
    busy.close()

    assert [status_of(window, number) for number in ("1004", "1003")] == ["Shipped"] * 2
    assert window.table.selected_order_ids() == [order_id(demo_cache, number) for number in ("1002", "1001")]
    assert window.print_action.text() == "&Print 2 labels"


def test_drop_store_update_asks_with_no_as_the_answer_enter_gives(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001", "1002")
    print_from_window(window, qtbot)
    defaults: list[str] = []

    def answer_with_enter() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        defaults.extend(button.text() for button in box.buttons() if button.isDefault())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer_with_enter)
    window.drop_update_action.trigger()

    assert defaults == ["&No"]
    assert window.outbox_count.text() == "2 shipments to export for upload"  # Enter kept them


def test_drop_store_update_on_orders_without_one_says_so_and_asks_nothing(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001", "1002")
    asked: list[str] = []
    QTimer.singleShot(0, no_to_any_question(asked))
    window.drop_update_action.trigger()

    assert asked == []
    assert window.statusBar().currentMessage() == "No selected order has an update for its store."


# ---------------------------------------------------------------------- orders on hold


def test_on_a_laptop_screen_the_status_column_shows_each_hold_reason_whole_without_sideways_scrolling(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.resize(*LAPTOP)
    window.filters.status.setCurrentIndex(window.filters.status.findData(OrderStatus.ON_HOLD.value))
    qtbot.waitUntil(lambda: window.table.horizontalHeader().sectionSize(STATUS_COLUMN) > 0)

    reasons = set(shown_column(window, STATUS_COLUMN))
    assert reasons == {"On hold: no item that needs shipping", "On hold: no ship-to address"}
    room = window.table.horizontalHeader().sectionSize(STATUS_COLUMN)
    widest = max(window.table.fontMetrics().horizontalAdvance(reason) for reason in reasons)
    assert room >= widest + 12  # the cell's margins either side
    assert window.table.horizontalScrollBar().maximum() == 0


def test_with_one_store_the_store_column_is_hidden_and_with_two_it_shows(demo_cache: Cache, qtbot: QtBot) -> None:
    window = show_window(demo_cache, qtbot)
    store_column = next(number for number, column in enumerate(COLUMNS) if column.heading == "Store")
    assert window.table.isColumnHidden(store_column)

    with demo_cache.transaction() as conn:
        upsert_orders(conn, make_orders(3))
    window.reload()
    window.resize(*LAPTOP)
    qtbot.waitUntil(lambda: window.table.width() > LAPTOP[0] // 2)

    assert not window.table.isColumnHidden(store_column)
    assert window.table.horizontalScrollBar().maximum() == 0
    window.resize(1920, 1080)  # the room a wider screen adds goes to the hold reasons, not to the store names
    longest = window.table.fontMetrics().horizontalAdvance("On hold: no item that needs shipping")
    qtbot.waitUntil(lambda: window.table.horizontalHeader().sectionSize(STATUS_COLUMN) >= longest + 12)


def test_on_a_small_screen_status_shows_with_numbers_and_dates_whole_and_names_cut_short(
    demo_cache: Cache, qtbot: QtBot
) -> None:
    with demo_cache.transaction() as conn:
        upsert_orders(conn, make_orders(3))  # of a second store
    window = show_window(demo_cache, qtbot)
    window.resize(*SMALL_SCREEN)
    table, header = window.table, window.table.horizontalHeader()
    qtbot.waitUntil(lambda: table.width() > SMALL_SCREEN[0] // 2)

    shown = table.shown_columns()
    assert [COLUMNS[column].heading for column in shown][-1] == "Status"  # Store steps aside, its room too little
    assert table.horizontalScrollBar().maximum() == 0
    assert header.sectionViewportPosition(shown[-1]) + header.sectionSize(shown[-1]) <= table.viewport().width()
    metrics = table.fontMetrics()
    assert header.sectionSize(DATE_COLUMN) > metrics.horizontalAdvance(shown_column(window, DATE_COLUMN)[0])
    assert header.sectionSize(RECIPIENT_COLUMN) < metrics.horizontalAdvance("Łukasz Wiśniewski-Kowal")  # cut, so:
    row = shown_column(window, RECIPIENT_COLUMN).index("Łukasz Żółw")
    assert window.model.index(row, RECIPIENT_COLUMN).data(Qt.ItemDataRole.ToolTipRole) == "Łukasz Żółw"
    window.resize(*LAPTOP)  # with room, the second store's column comes back
    qtbot.waitUntil(lambda: not table.isColumnHidden(STORE_COLUMN))
    assert table.horizontalScrollBar().maximum() == 0


def test_a_long_order_number_is_shown_whole_once_imported(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    window.resize(*LAPTOP)
    long_number = replace(make_orders(1)[0], store="Demo store", order_number="SO-2026-000987654")
    with demo_cache.transaction() as conn:
        upsert_orders(conn, [long_number])

    window.reload()

    width = window.table.fontMetrics().horizontalAdvance("SO-2026-000987654")
    qtbot.waitUntil(lambda: window.table.horizontalHeader().sectionSize(ORDER_NUMBER_COLUMN) > width)
    assert window.table.horizontalScrollBar().maximum() == 0


def test_an_order_held_for_its_zip_code_says_in_the_ship_to_box_that_the_zip_code_is_missing(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    (stored,) = find_by_number(demo_cache, "1002")
    zipless = with_packing_rules(replace(stored.order, ship_to=replace(stored.order.ship_to, postal_code="")))
    with demo_cache.transaction() as conn:
        upsert_orders(conn, [zipless])
    window.reload()

    click_order(window, qtbot, "1002")

    assert status_of(window, "1002") == "On hold: no ship-to ZIP code"
    assert window.detail.status.text() == "On hold: no ship-to ZIP code"
    assert window.detail.ship_to.text().endswith(
        "Cannot be labelled: no ship-to ZIP code. Put it right in the store, then sync."
    )
    assert INCOMPLETE_ADDRESS.format(gap="no ship-to ZIP code") in window.detail.ship_to.text()


def test_a_complete_address_gets_no_note(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1002")
    assert "Cannot be labelled" not in window.detail.ship_to.text()


# ---------------------------------------------------------------------- the keyboard alone


def test_orders_sort_by_puts_the_oldest_first_and_agrees_with_the_header(window: MainWindow, qtbot: QtBot) -> None:
    menu = window.sort_menu
    [by_date] = [action for action in menu.actions() if action.text() == "&Date"]
    assert by_date.isChecked()  # the window opens newest first

    menu.reverse_action.trigger()

    dates = shown_column(window, DATE_COLUMN)
    assert dates == sorted(dates)
    header = window.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (DATE_COLUMN, Qt.SortOrder.AscendingOrder)

    click_header(window, qtbot, ORDER_NUMBER_COLUMN)

    [checked] = [action.text() for action in menu.actions() if action.isChecked()]
    assert checked == "&Order #"


def test_every_sort_entry_has_its_own_mnemonic_and_the_orders_menu_offers_sort_by(window: MainWindow) -> None:
    menu = window.sort_menu
    texts = [action.text() for action in menu.actions() if action.text()]
    keys = [text[text.index("&") + 1].lower() for text in texts]
    assert len(keys) == len(set(keys)) == len(COLUMNS) + 1
    [orders_menu] = [action.menu() for action in window.menuBar().actions() if action.text() == "&Orders"]
    assert menu.menuAction() in orders_menu.actions()
    assert menu.title() == "Sort &by"
