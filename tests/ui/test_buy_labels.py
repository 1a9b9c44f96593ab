"""Create label from the window: for orders of a ShipStation store, choosing one of the account's carriers buys each
label through ShipStation and prints it; the carrier's own tracking number is recorded, and a refused order is named."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.printers import PrinterProfile, save_printer
from shipdesk.cache.shipments import latest_shipment, outbox_count
from shipdesk.domain import OrderStatus, utc_now
from shipdesk.shipstation_shipping import refresh_choices
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.print_dialog import PrintDialog
from shipdesk.upstream.credentials import save_secret
from shipdesk.upstream.sync import pull_orders
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.raw_printer import Listener
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store, fake_connector, shipstation_order
from tests.printing.scanning import zbar_scan
from tests.printing.test_tspl import parse, rebuild
from tests.ui.conftest import select_orders
from tests.ui.print_steps import open_boxes, open_print_dialog, press_print

# W-1 to W-3 came with no shipping assigned in ShipStation, so the dialog opens on shipdesk's own labels for them.
NOTHING_ASSIGNED = {"carrierCode": None, "serviceCode": None, "packageCode": None, "confirmation": None}


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        placed = utc_now() - timedelta(days=1)
        for order_id, status in ((1, "awaiting_shipment"), (2, "awaiting_shipment"), (3, "awaiting_payment")):
            order = shipstation_order(
                order_id, number=f"W-{order_id}", order_date=placed, status=status, **NOTHING_ASSIGNED
            )
            server.add_order(order, modified=placed)
        for order_id in (4, 5):  # as the documentation's example: FedEx Home Delivery, Package, delivery confirmation
            server.add_order(shipstation_order(order_id, number=f"W-{order_id}", order_date=placed), modified=placed)
        yield server


@pytest.fixture
def printer() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture
def window(
    cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring, printer: Listener, qtbot: QtBot
) -> MainWindow:
    """The window on ShipStation store Main, synced, with its carriers kept and a TSPL label printer as default."""
    record = add_fake_store(cache, fake)
    save_secret("Main", fake.api_secret)
    with fake_connector(fake, record) as connector:
        pull_orders(cache, record, connector)
        refresh_choices(cache, "Main", connector.client)
    save_printer(cache, PrinterProfile("Rollo", "tspl", f"tcp://127.0.0.1:{printer.port}", is_default=True))
    shown = MainWindow(cache, title_suffix="test")
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def choose_carrier(dialog: PrintDialog, name: str) -> None:
    dialog.carrier.setCurrentIndex(dialog.carrier.findText(name))


def shipment_of(cache: Cache, number: str) -> tuple[str, str, str]:
    [stored] = find_by_number(cache, number)
    shipment = latest_shipment(cache, stored.id)
    assert shipment is not None
    return shipment.carrier, shipment.service, shipment.tracking_number


def test_choosing_an_account_carrier_buys_each_label_and_prints_it_with_the_carriers_tracking_number(
    window: MainWindow, cache: Cache, fake: FakeShipStation, printer: Listener, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "W-1", "W-2")
    dialog = open_print_dialog(window)
    assert not dialog.buy.isEnabled()  # shipdesk makes own-courier labels itself

    choose_carrier(dialog, "FedEx (SS)")
    dialog.service.setCurrentText("FedEx 2Day®")
    assert dialog.buy.isChecked() and not dialog.tracking.isEnabled()
    press_print(window, qtbot, dialog)

    assert [(label["carrierCode"], label["serviceCode"]) for label in fake.labels] == [("fedex", "fedex_2day")] * 2
    tracking = {label["orderId"]: label["trackingNumber"] for label in fake.labels}
    assert [zbar_scan(rebuild(parse(job))) for job in printer.jobs] == [[tracking[2]], [tracking[1]]]
    assert shipment_of(cache, "W-1") == ("fedex", "fedex_2day", tracking[1])
    assert [stored.order.status for stored in (*find_by_number(cache, "W-1"), *find_by_number(cache, "W-2"))] == [
        OrderStatus.SHIPPED,
        OrderStatus.SHIPPED,
    ]
    assert outbox_count(cache) == 0  # ShipStation made these shipments itself
    assert window.statusBar().currentMessage() == "Printed 2 labels on Rollo."
    assert open_boxes(window) == []


def test_an_order_shipstation_will_not_sell_a_label_for_is_named_and_the_others_print(
    window: MainWindow, cache: Cache, fake: FakeShipStation, printer: Listener, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "W-3", "W-1")
    dialog = open_print_dialog(window)
    choose_carrier(dialog, "FedEx (SS)")
    press_print(window, qtbot, dialog)

    assert [label["orderId"] for label in fake.labels] == [1]
    assert len(printer.jobs) == 1
    [box] = open_boxes(window)
    assert "No label bought for order W-3: it is not paid yet." in box.informativeText()
    [unpaid] = find_by_number(cache, "W-3")
    assert unpaid.order.status is OrderStatus.AWAITING_PAYMENT


def test_a_purchase_whose_answer_cannot_be_read_stops_the_batch_and_says_to_check_shipstation_not_the_printer(
    window: MainWindow, cache: Cache, fake: FakeShipStation, printer: Listener, qtbot: QtBot
) -> None:
    fake.cut_answer_next(1)  # ShipStation sells W-1's label; its answer arrives cut short
    select_orders(window, qtbot, "W-1", "W-2")
    dialog = open_print_dialog(window)
    choose_carrier(dialog, "FedEx (SS)")
    press_print(window, qtbot, dialog)

    assert len(fake.labels) == 1 and printer.jobs == []  # no second label bought after it
    [box] = open_boxes(window)
    assert box.text().startswith("No labels printed on Rollo: ShipStation answered that it did buy a label for order")
    assert box.text().endswith("check the order in ShipStation before trying again.")
    # The order whose purchase stopped the batch is named once, by the main line.
    assert box.informativeText().splitlines()[-1] == "Print them again once that is sorted out."
    assert len(box.informativeText().splitlines()) == 2


def test_after_a_lost_answer_the_label_shipstation_sold_is_recorded_named_and_the_rest_of_the_batch_prints(
    window: MainWindow, cache: Cache, fake: FakeShipStation, printer: Listener, qtbot: QtBot
) -> None:
    fake.lose_answer_next(1)  # ShipStation sells W-1's label; its answer never arrives
    select_orders(window, qtbot, "W-1")
    dialog = open_print_dialog(window)
    choose_carrier(dialog, "FedEx (SS)")
    press_print(window, qtbot, dialog)
    for box in open_boxes(window):
        box.close()
    with cache.transaction() as conn:  # five minutes later, with no sync in between
        conn.execute(
            "UPDATE label_purchase_claims SET claimed_until = ?", ((utc_now() - timedelta(seconds=1)).isoformat(),)
        )

    select_orders(window, qtbot, "W-1", "W-2")
    dialog = open_print_dialog(window)
    choose_carrier(dialog, "FedEx (SS)")
    press_print(window, qtbot, dialog)

    assert [label["orderId"] for label in fake.labels] == [1, 2]  # W-1's once, and W-2's
    tracking = {label["orderId"]: label["trackingNumber"] for label in fake.labels}
    assert [zbar_scan(rebuild(parse(job))) for job in printer.jobs] == [[tracking[2]]]
    assert shipment_of(cache, "W-1") == ("fedex", fake.labels[0]["serviceCode"], tracking[1])
    [box] = open_boxes(window)
    assert (
        "Order W-1: label bought, not printed: ShipStation had sold it on an earlier try whose answer was lost, so no "
        "second label was bought; it is recorded now, and its PDF is in ShipStation only, so print it from ShipStation."
    ) in box.informativeText().splitlines()


def test_the_parcel_weight_size_confirmation_and_insurance_go_with_the_purchase(
    window: MainWindow, fake: FakeShipStation, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "W-1")
    dialog = open_print_dialog(window)
    choose_carrier(dialog, "FedEx (SS)")
    assert dialog.parcel.weight.isVisible()
    dialog.parcel.weight.setText("2 lb")
    dialog.parcel.dimensions.setText("7 × 5 × 6.5 in")
    dialog.parcel.confirmation.setCurrentIndex(dialog.parcel.confirmation.findData("signature"))
    dialog.parcel.insured_value.setText("150")
    press_print(window, qtbot, dialog)

    [bought] = fake.labels
    assert bought["weight"] == {"value": 2, "units": "pounds"}
    assert bought["dimensions"] == {"length": 7, "width": 5, "height": 6.5, "units": "inches"}
    assert bought["confirmation"] == "signature"
    assert bought["insuranceOptions"]["insuredValue"] == 150


def test_a_parcel_field_that_cannot_be_read_keeps_the_dialog_open_and_buys_nothing(
    window: MainWindow, fake: FakeShipStation, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "W-1")
    dialog = open_print_dialog(window)
    choose_carrier(dialog, "FedEx (SS)")
    dialog.parcel.weight.setText("heavy")

    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible() and dialog.parcel.problem.isVisible()
    assert dialog.parcel.problem.text() == 'Weight: write the weight as "2 lb" or "12oz".'
    assert window.batch_printing.worker is None and fake.labels == []
    choose_carrier(dialog, "Other / own courier")
    # shipdesk makes its own labels: no parcel to declare, and nothing left of the one that could not be read
    assert not dialog.parcel.weight.isVisible() and not dialog.parcel.problem.isVisible()
    dialog.reject()


def test_the_parcel_fields_line_up_with_the_other_fields_and_show_only_while_buying(
    window: MainWindow, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "W-1")
    dialog = open_print_dialog(window)
    choose_carrier(dialog, "FedEx (SS)")
    qtbot.waitExposed(dialog)

    def left_edge(widget: QWidget) -> int:
        return widget.mapTo(dialog, QPoint(0, 0)).x()

    labels = {label.text(): label for label in dialog.findChildren(QLabel)}
    parcel_labels = [labels[text] for text in ("&Weight", "Si&ze", "C&onfirmation", "&Insure for")]
    assert {left_edge(label) for label in parcel_labels} == {left_edge(labels["&Carrier"])}
    parcel_fields = (dialog.parcel.weight, dialog.parcel.dimensions, dialog.parcel.confirmation)
    assert {left_edge(field) for field in parcel_fields} == {left_edge(dialog.carrier)}
    assert all(label.isVisible() for label in parcel_labels)

    dialog.buy.setChecked(False)
    assert not any(label.isVisible() for label in parcel_labels)
    assert not any(field.isVisible() for field in parcel_fields)
    dialog.reject()


def test_the_title_counts_the_labels_to_buy_leaving_out_orders_already_shipped_and_unpaid(
    window: MainWindow, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "W-1")
    press_print(window, qtbot, open_print_dialog(window))  # shipdesk's own label: W-1 is shipped from here
    select_orders(window, qtbot, "W-1", "W-2", "W-3")  # W-3 is not paid yet

    dialog = open_print_dialog(window)
    assert dialog.windowTitle() == "Print 2 labels"  # W-1 again, and W-2
    choose_carrier(dialog, "FedEx (SS)")
    assert dialog.buy.isChecked() and dialog.windowTitle() == "Print 1 label"  # no second label is bought for W-1
    dialog.buy.setChecked(False)
    assert dialog.windowTitle() == "Print 2 labels"
    dialog.reject()


def test_a_bought_label_voided_from_the_window_is_voided_in_shipstation_and_the_order_waits_again(
    window: MainWindow, cache: Cache, fake: FakeShipStation, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "W-1")
    dialog = open_print_dialog(window)
    choose_carrier(dialog, "FedEx (SS)")
    press_print(window, qtbot, dialog)
    (bought,) = fake.labels

    QTimer.singleShot(0, lambda: yes_to(QApplication.activeModalWidget()))
    window.void_action.trigger()
    qtbot.waitUntil(lambda: window.label_voiding.worker is None, timeout=10_000)

    assert fake.voided_shipment_ids == [bought["shipmentId"]]
    [stored] = find_by_number(cache, "W-1")
    assert stored.order.status is OrderStatus.AWAITING_SHIPMENT
    assert window.statusBar().currentMessage() == "Voided 1 label; the order waits to be packed again."
    assert open_boxes(window) == []


def yes_to(box: object) -> None:
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Yes).click()


def test_a_label_bought_from_shipstation_needs_no_sender_address_of_ours(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "W-1")
    dialog = open_print_dialog(window)
    assert dialog.sender_note.isVisibleTo(dialog)  # no sender set: shipdesk's own labels would have none

    choose_carrier(dialog, "FedEx (SS)")
    assert dialog.buy.isChecked()
    assert not dialog.sender_note.isVisibleTo(dialog)  # ShipStation prints the account's ship-from address
    dialog.reject()


def test_orders_assigned_a_carrier_in_shipstation_open_on_it_ready_to_buy_and_buy_just_that(
    window: MainWindow, fake: FakeShipStation, printer: Listener, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "W-4", "W-5")
    dialog = open_print_dialog(window)

    assert (dialog.carrier.currentText(), dialog.service.currentText(), dialog.package.currentText()) == (
        "FedEx (SS)",
        "FedEx Home Delivery®",
        "Package",
    )
    assert dialog.choice_note.text() == "As assigned in ShipStation" and dialog.choice_note.isVisibleTo(dialog)
    assert dialog.buy.isChecked() and dialog.parcel.weight.isVisibleTo(dialog)  # as when the packer picks FedEx
    assert dialog.parcel.confirmation.currentData() == "delivery"
    press_print(window, qtbot, dialog)

    bought = [(label["carrierCode"], label["serviceCode"], label["packageCode"]) for label in fake.labels]
    assert bought == [("fedex", "fedex_home_delivery", "package")] * 2
    assert [label["confirmation"] for label in fake.labels] == ["delivery", "delivery"]
    assert len(printer.jobs) == 2


def test_a_carrier_printed_with_buy_unticked_opens_again_with_buy_unticked(
    window: MainWindow, fake: FakeShipStation, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "W-1")
    dialog = open_print_dialog(window)
    choose_carrier(dialog, "FedEx (SS)")
    dialog.buy.setChecked(False)  # shipdesk's own label, with FedEx named on it
    press_print(window, qtbot, dialog)

    select_orders(window, qtbot, "W-2")
    reopened = open_print_dialog(window)

    assert reopened.carrier.currentText() == "FedEx (SS)"
    assert reopened.choice_note.text() == "As last printed for “Priority Mail”"  # W-1 and W-2 both asked for it
    assert reopened.buy.isEnabled() and not reopened.buy.isChecked()
    assert not reopened.parcel.weight.isVisibleTo(reopened) and reopened.tracking.isEnabled()
    press_print(window, qtbot, reopened)
    assert fake.labels == []
