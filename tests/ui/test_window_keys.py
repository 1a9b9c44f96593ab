"""The window from the keyboard, as packers use it all day: Tab from widget to widget, Enter or a double-click on
orders opens Print labels, and Ctrl+C copies the selected orders as rows a spreadsheet takes."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QStatusTipEvent
from PySide6.QtWidgets import QApplication, QMenu, QToolBar, QWidget
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import count_orders, find_by_number, upsert_orders
from shipdesk.cache.shipments import latest_shipment
from shipdesk.domain import OrderStatus
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.orders_model import COLUMNS
from tests.ui.conftest import (
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
from tests.ui.print_steps import assert_no_batch_running, wait_for_batch


def focus_after_keys(widget: QWidget, qtbot: QtBot, key: Qt.Key, times: int) -> list[QWidget]:
    """Presses Tab (or Shift+Tab) `times` times from `widget`; the widget that has the focus after each press."""
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    modifier = Qt.KeyboardModifier.ShiftModifier if key == Qt.Key.Key_Backtab else Qt.KeyboardModifier.NoModifier
    reached = []
    for _ in range(times):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key, modifier)
        reached.append(QApplication.focusWidget())
    return reached


def order_ids_of(demo_cache: Cache, *numbers: str) -> list[int]:
    return [find_by_number(demo_cache, number)[0].id for number in numbers]


def press(widget: QWidget, key: Qt.Key, *, repeat: bool = False) -> None:
    modifier = Qt.KeyboardModifier.KeypadModifier if key == Qt.Key.Key_Enter else Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, modifier, "\r", repeat))


def double_click_order(window: MainWindow, qtbot: QtBot, order_number: str, button: Qt.MouseButton) -> None:
    table = window.table
    index = window.model.index(row_of_order(window, order_number), ORDER_NUMBER_COLUMN)
    where = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), button, pos=where)
    qtbot.mouseDClick(table.viewport(), button, pos=where)


# ---------------------------------------------------------------------- Tab and Shift+Tab


def test_tab_goes_from_the_search_box_through_the_filter_and_table_to_the_detail_pane_and_round(
    window: MainWindow, qtbot: QtBot
) -> None:
    activated(window, qtbot)
    click_order(window, qtbot, "1002")
    table, detail = window.table, window.detail.order_page
    current = table.currentIndex()

    reached = focus_after_keys(window.filters.search, qtbot, Qt.Key.Key_Tab, 5)

    assert reached == [window.filters.status, table, detail, window.filters.search, window.filters.status]
    assert table.currentIndex() == current  # Tab left the table without moving a cell
    assert window.detail.title.text() == "Order 1002"


def test_shift_tab_goes_the_other_way(window: MainWindow, qtbot: QtBot) -> None:
    activated(window, qtbot)
    click_order(window, qtbot, "1002")

    reached = focus_after_keys(window.filters.search, qtbot, Qt.Key.Key_Backtab, 4)

    assert reached == [window.detail.order_page, window.table, window.filters.status, window.filters.search]


def test_tab_leaves_the_table_even_with_no_order_shown_and_visits_the_store_filter_when_there_is_one(
    demo_cache: Cache, qtbot: QtBot
) -> None:
    with demo_cache.transaction() as conn:
        upsert_orders(conn, make_orders(3))  # a second store
    window = activated(show_window(demo_cache, qtbot), qtbot)
    filters = window.filters

    reached = focus_after_keys(window.table, qtbot, Qt.Key.Key_Tab, 4)

    assert reached == [filters.search, filters.status, filters.store, window.table]  # no order: no detail to visit


def test_the_detail_pane_takes_the_keys_to_scroll_a_long_order(window: MainWindow, qtbot: QtBot) -> None:
    window.resize(900, 400)
    click_order(window, qtbot, "1012")  # five items
    scroller = window.detail.order_page
    qtbot.waitUntil(lambda: scroller.verticalScrollBar().maximum() > 0)
    scroller.setFocus()

    qtbot.keyClick(scroller, Qt.Key.Key_PageDown)

    assert scroller.verticalScrollBar().value() > 0


# ---------------------------------------------------------------------- Enter and double-click


def test_enter_on_the_selected_orders_opens_print_labels_for_them_and_prints_nothing_yet(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "1001", "1002", "1003")

    qtbot.keyClick(window.table, Qt.Key.Key_Return)

    dialog = window.batch_printing.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Print 3 labels"
    assert list(dialog.request().order_ids) == order_ids_of(demo_cache, "1003", "1002", "1001")  # as shown
    assert_no_batch_running(window)
    assert all(latest_shipment(demo_cache, order_id) is None for order_id in dialog.request().order_ids)
    dialog.reject()


def test_the_keypad_enter_opens_it_too(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1002")

    qtbot.keyClick(window.table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)

    dialog = window.batch_printing.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_enter_held_down_opens_the_dialog_but_does_not_press_print_and_a_second_enter_prints(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    click_order(window, qtbot, "1002")
    press(window.table, Qt.Key.Key_Return)
    dialog = window.batch_printing.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.print_button.isDefault() and not dialog.test_button.isDefault()  # Enter there prints, not tests
    in_dialog = dialog.focusWidget() or dialog

    for _ in range(3):
        press(in_dialog, Qt.Key.Key_Return, repeat=True)  # the key still down after it opened the dialog

    assert dialog.isVisible()
    assert_no_batch_running(window)
    [order_id] = order_ids_of(demo_cache, "1002")
    assert latest_shipment(demo_cache, order_id) is None

    wait_for_batch(window, qtbot, lambda: press(in_dialog, Qt.Key.Key_Return))  # pressed again: that is a yes

    assert latest_shipment(demo_cache, order_id) is not None


def test_enter_with_no_order_selected_asks_for_a_selection(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_Return)

    assert window.batch_printing.dialog is None
    assert window.statusBar().currentMessage() == "Select the orders to print first."


def test_an_order_number_scanned_with_the_table_in_focus_searches_for_it_and_prints_nothing(
    window: MainWindow, qtbot: QtBot
) -> None:
    activated(window, qtbot)
    click_order(window, qtbot, "1001")
    window.filters.search.setText("earlier search")
    window.table.setFocus(Qt.FocusReason.OtherFocusReason)

    for key in "1012\r":  # a scanner types the barcode's characters into whatever has the focus, then Enter
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key)

    assert window.filters.search.text() == "1012"  # a new search, not added to the last one
    qtbot.waitUntil(lambda: shown_column(window, ORDER_NUMBER_COLUMN) == ["1012"])
    assert window.batch_printing.dialog is None


def test_a_scanned_order_the_status_filter_hides_selects_no_other_order_whose_number_starts_alike(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    # 1001 shipped this morning; 10015 still waits. The search is by prefix, so "1001" lists 10015 alone.
    (stored,) = find_by_number(demo_cache, "1001")
    with demo_cache.transaction() as conn:
        upsert_orders(
            conn,
            [
                replace(stored.order, status=OrderStatus.SHIPPED),
                replace(stored.order, upstream_id="10015", order_number="10015"),
            ],
        )
    window.reload()
    window.filters.status.setCurrentIndex(window.filters.status.findData(OrderStatus.AWAITING_SHIPMENT.value))
    activated(window, qtbot)
    window.filters.search.setFocus(Qt.FocusReason.OtherFocusReason)

    scan(qtbot, "1001")

    assert shown_column(window, ORDER_NUMBER_COLUMN) == ["10015"]
    assert window.table.selected_order_ids() == []
    assert window.statusBar().currentMessage() == "Order 1001 is shipped: the filters hide it."
    assert QApplication.focusWidget() is window.filters.search  # Enter again opens nothing for 10015


def test_after_a_scan_that_finds_nothing_the_next_scan_searches_for_its_own_number(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    activated(window, qtbot)
    window.filters.search.setFocus(Qt.FocusReason.OtherFocusReason)
    scan(qtbot, "9999")  # a misread barcode, or an order not synced yet
    assert window.model.rowCount() == 0

    scan(qtbot, "1042")

    assert window.filters.search.text() == "1042"
    assert window.table.selected_order_ids() == order_ids_of(demo_cache, "1042")


def test_escape_in_the_table_after_a_scan_shows_every_order_with_the_scanned_one_still_selected(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    activated(window, qtbot)
    window.filters.search.setFocus(Qt.FocusReason.OtherFocusReason)
    scan(qtbot, "1042")
    assert QApplication.focusWidget() is window.table and window.model.rowCount() == 1

    press(window.table, Qt.Key.Key_Escape)

    assert window.filters.search.text() == ""
    assert window.model.rowCount() == count_orders(demo_cache)
    assert window.table.selected_order_ids() == order_ids_of(demo_cache, "1042")


def test_a_double_click_on_an_order_opens_print_labels_for_that_order(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "1001", "1002")

    double_click_order(window, qtbot, "1003", Qt.MouseButton.LeftButton)

    dialog = window.batch_printing.dialog
    assert dialog is not None and dialog.isVisible()
    assert list(dialog.request().order_ids) == order_ids_of(demo_cache, "1003")  # the click chose it alone
    dialog.reject()


def test_a_single_click_or_a_right_double_click_only_selects(window: MainWindow, qtbot: QtBot) -> None:
    click_order(window, qtbot, "1003")
    double_click_order(window, qtbot, "1002", Qt.MouseButton.RightButton)

    assert window.batch_printing.dialog is None


# ---------------------------------------------------------------------- Ctrl+C


def copy(window: MainWindow, qtbot: QtBot) -> list[list[str]]:
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    return [line.split("\t") for line in QGuiApplication.clipboard().text().split("\n")]


def cell_texts(window: MainWindow, order_number: str) -> list[str]:
    """The order's text in every column, shown or hidden, by column number."""
    row = row_of_order(window, order_number)
    return [str(window.model.index(row, column).data()) for column in range(len(COLUMNS))]


def shown_line(window: MainWindow, order_number: str) -> list[str]:
    """The order's texts in the columns the table shows, left to right (the Store column hides with one store)."""
    texts = cell_texts(window, order_number)
    return [texts[column] for column in window.table.shown_columns()]


def test_ctrl_c_copies_the_selected_orders_one_line_each_with_every_column_as_the_table_shows_them(
    window: MainWindow, qtbot: QtBot
) -> None:
    click_header(window, qtbot, RECIPIENT_COLUMN)
    select_orders(window, qtbot, "1001", "1140", "1002")  # 1140 is on hold: its status is a longer text

    lines = copy(window, qtbot)

    shown = shown_column(window, ORDER_NUMBER_COLUMN)
    in_table_order = sorted(["1001", "1140", "1002"], key=shown.index)
    assert lines == [shown_line(window, number) for number in in_table_order]
    assert lines[in_table_order.index("1140")][-1] == "On hold: no ship-to address"  # Status comes last
    assert lines[in_table_order.index("1002")][:3] == ["1002", shown_line(window, "1002")[1], "Grace Patel"]


def test_ctrl_c_copies_only_the_columns_shown_in_the_order_they_are_shown(window: MainWindow, qtbot: QtBot) -> None:
    header = window.table.horizontalHeader()
    window.table.hideColumn(STATUS_COLUMN)
    header.moveSection(header.visualIndex(RECIPIENT_COLUMN), 0)
    click_order(window, qtbot, "1002")

    [line] = copy(window, qtbot)

    texts = cell_texts(window, "1002")
    expected_columns = [RECIPIENT_COLUMN] + [
        column
        for column in range(len(COLUMNS))
        if column not in (RECIPIENT_COLUMN, STATUS_COLUMN) and not window.table.isColumnHidden(column)
    ]
    assert line == [texts[column] for column in expected_columns]


def test_a_tab_or_line_break_in_a_text_does_not_split_its_cell(window: MainWindow, demo_cache: Cache) -> None:
    [stored] = find_by_number(demo_cache, "1002")
    with demo_cache.transaction() as conn:
        conn.execute("UPDATE orders SET ship_name = ? WHERE id = ?", ("Grace\tPatel\nc/o Reception", stored.id))
    window.reload()
    window.table.select_order_ids([stored.id])

    assert window.table.selected_orders_text().split("\t")[RECIPIENT_COLUMN] == "Grace Patel c/o Reception"


def test_ctrl_c_with_nothing_selected_leaves_the_clipboard_alone(window: MainWindow, qtbot: QtBot) -> None:
    QGuiApplication.clipboard().setText("kept")
    qtbot.keyClick(window.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "kept"


def test_copying_thousands_of_orders_keeps_the_rows_on_screen_cached(large_cache: Cache, qtbot: QtBot) -> None:
    window = show_window(large_cache, qtbot)
    window.table.selectAll()
    cached = window.model.cached_row_count

    lines = copy(window, qtbot)

    assert window.model.cached_row_count == cached  # read past the pages kept for the screen
    assert len(lines) == 5_000
    assert [line[ORDER_NUMBER_COLUMN] for line in lines] == shown_column(window, ORDER_NUMBER_COLUMN)


def test_ctrl_a_selects_every_order_and_a_click_on_a_heading_still_sorts_them_all_selected(
    large_cache: Cache, qtbot: QtBot
) -> None:
    window = show_window(large_cache, qtbot)
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)

    assert window.print_action.text() == "&Print 5,000 labels"
    click_header(window, qtbot, RECIPIENT_COLUMN)

    assert window.table.horizontalHeader().sortIndicatorSection() == RECIPIENT_COLUMN
    assert len(window.table.selected_order_ids()) == 5_000
    assert window.print_action.text() == "&Print 5,000 labels"


def test_every_menu_item_has_an_alt_letter_of_its_own_within_its_menu(window: MainWindow) -> None:
    for menu in window.menuBar().findChildren(QMenu):
        letters = [_alt_letter(action.text()) for action in menu.actions() if not action.isSeparator()]
        assert "" not in letters, (menu.title(), letters)
        assert len(set(letters)) == len(letters), (menu.title(), letters)
    assert window.sync_action.text().replace("&", "") == "Sync now"


def _alt_letter(text: str) -> str:
    at = text.replace("&&", "").find("&")
    return text.replace("&&", "")[at + 1].lower() if at >= 0 else ""


def test_pointing_at_a_toolbar_button_shows_its_tip_and_then_the_message_it_covered_again(
    window: MainWindow,
) -> None:
    window.statusBar().showMessage("Wrote 3 labels to labels-2026-12-01.pdf.")
    button = window.findChild(QToolBar).widgetForAction(window.sync_action)

    QApplication.sendEvent(button, QStatusTipEvent(window.sync_action.statusTip()))  # the pointer comes onto it
    assert window.statusBar().currentMessage() == window.sync_action.statusTip()
    QApplication.sendEvent(button, QStatusTipEvent(""))  # and leaves

    assert window.statusBar().currentMessage() == "Wrote 3 labels to labels-2026-12-01.pdf."


def test_end_and_home_select_the_last_and_the_first_order_and_show_it(window: MainWindow, qtbot: QtBot) -> None:
    activated(window, qtbot)
    numbers = shown_column(window, ORDER_NUMBER_COLUMN)
    click_order(window, qtbot, numbers[3])

    qtbot.keyClick(window.table, Qt.Key.Key_End)

    assert window.table.selected_rows() == [len(numbers) - 1]
    assert window.detail.title.text() == f"Order {numbers[-1]}"
    assert window.table.verticalScrollBar().value() == window.table.verticalScrollBar().maximum()  # in sight

    qtbot.keyClick(window.table, Qt.Key.Key_Home)

    assert window.table.selected_rows() == [0]
    assert window.detail.title.text() == f"Order {numbers[0]}"


def test_shift_end_selects_from_the_order_on_to_the_last(window: MainWindow, qtbot: QtBot) -> None:
    activated(window, qtbot)
    numbers = shown_column(window, ORDER_NUMBER_COLUMN)
    click_order(window, qtbot, numbers[-3])

    qtbot.keyClick(window.table, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)

    assert window.table.selected_rows() == [len(numbers) - 3, len(numbers) - 2, len(numbers) - 1]
    assert window.print_action.text() == "&Print 3 labels"
