"""Orders → Void labels… in the window: after a yes, the selected shipped orders wait to be packed again, their
updates leave the outbox, and a label whose store already has it is named with the reason it stays."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.shipments import latest_shipment
from shipdesk.shipment_export import export_waiting_shipments
from shipdesk.ui.main_window import MainWindow
from tests.ui.conftest import STATUS_COLUMN, row_of_order, select_orders
from tests.ui.print_steps import no_to_any_question, open_boxes, print_from_window

VOID_TIMEOUT_MS = 10_000


def status_of(window: MainWindow, order_number: str) -> str:
    return str(window.model.index(row_of_order(window, order_number), STATUS_COLUMN).data())


def answer(button: QMessageBox.StandardButton, asked: list[str]) -> Callable[[], None]:
    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(button).click()

    return click


def void_from_window(window: MainWindow, qtbot: QtBot, button: QMessageBox.StandardButton) -> list[str]:
    """Triggers Orders → Void labels…, answers its question with `button`, and waits for the voids to end."""
    asked: list[str] = []
    QTimer.singleShot(0, answer(button, asked))
    window.void_action.trigger()
    qtbot.waitUntil(lambda: window.label_voiding.worker is None, timeout=VOID_TIMEOUT_MS)
    return asked


def test_voided_labels_put_their_orders_back_to_awaiting_shipment(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001", "1002")
    print_from_window(window, qtbot)
    assert window.outbox_count.text() == "2 shipments to export for upload"

    asked = void_from_window(window, qtbot, QMessageBox.StandardButton.Yes)

    assert asked == [
        "Void the labels of 2 shipped orders? They go back to awaiting shipment, and the store is not told they "
        "shipped. A label bought from ShipStation is voided there, which refunds it."
    ]
    assert window.statusBar().currentMessage() == "Voided 2 labels; the orders wait to be packed again."
    assert [status_of(window, number) for number in ("1001", "1002")] == ["Awaiting shipment"] * 2
    assert window.outbox_count.text() == "0 updates waiting in the outbox"
    assert window.print_action.isEnabled() and window.print_action.text() == "&Print 2 labels"


def test_the_detail_pane_shows_the_label_voided_before(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001")
    print_from_window(window, qtbot)
    (order,) = find_by_number(window.cache, "1001")
    shipment = latest_shipment(window.cache, order.id)
    assert shipment is not None

    void_from_window(window, qtbot, QMessageBox.StandardButton.Yes)
    select_orders(window, qtbot, "1001")

    voided_line = next(line for line in window.detail.facts.text().splitlines() if line.startswith("Label voided "))
    assert voided_line.endswith(f" · {shipment.carrier}, {shipment.service} · tracking {shipment.tracking_number}")
    assert "Shipped" not in window.detail.facts.text()


def test_no_keeps_the_labels(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001")
    print_from_window(window, qtbot)

    void_from_window(window, qtbot, QMessageBox.StandardButton.No)

    assert status_of(window, "1001") == "Shipped"
    assert window.outbox_count.text() == "1 shipment to export for upload"


def test_a_label_already_exported_to_the_store_stays_and_the_box_says_why(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path
) -> None:
    select_orders(window, qtbot, "1001")
    print_from_window(window, qtbot)
    export_waiting_shipments(demo_cache, tmp_path / "shipped.csv")
    select_orders(window, qtbot, "1001", "1002")
    print_from_window(window, qtbot)  # 1002 printed now; 1001 reprinted, its shipment already in the file

    void_from_window(window, qtbot, QMessageBox.StandardButton.Yes)

    [box] = open_boxes(window)
    assert box.windowTitle() == "Some labels not voided"
    assert box.text() == "Voided 1 label; the order waits to be packed again; 1 not voided."
    assert box.informativeText().startswith("The shipment of order 1001 has already gone to its store (")
    assert [status_of(window, number) for number in ("1001", "1002")] == ["Shipped", "Awaiting shipment"]
    box.accept()


def test_orders_without_a_label_of_ours_ask_nothing(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001", "1002")
    asked: list[str] = []
    QTimer.singleShot(0, no_to_any_question(asked))
    window.void_action.trigger()
    qtbot.wait(50)  # the timer's turn, had a question been asked

    assert asked == []
    assert window.statusBar().currentMessage() == "No selected order has a label printed or bought in shipdesk."
