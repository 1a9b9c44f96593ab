"""The print dialog: the printers it offers and the one it picks, the label size a printer dictates, the carriers
kept for the order's store, the shipping choice it opens on and why, the tracking number for a single order, and the
test print.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.carriers import replace_catalog
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.printers import PrinterProfile, save_printer
from shipdesk.cache.settings import set_origin_address
from shipdesk.cache.shipments import latest_shipment
from shipdesk.cli_printers import TEST_TRACKING_NUMBER
from shipdesk.domain import Address, CatalogEntry, CatalogKind, LabelSize, OrderStatus, with_packing_rules
from shipdesk.label_batch import SHIPPED_ELSEWHERE
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.print_dialog import NO_SENDER, PrintDialog, refused_text
from tests.fakes.raw_printer import Listener
from tests.ui.conftest import combine_in_the_store, select_orders
from tests.ui.print_steps import BATCH_TIMEOUT_MS, choose_printer, open_print_dialog, press_print

DEMO_STORE = "Demo store"
UPS = [
    CatalogEntry("ups", CatalogKind.CARRIER, "ups", "UPS"),
    CatalogEntry("ups", CatalogKind.SERVICE, "ups_ground", "UPS® Ground"),
    CatalogEntry("ups", CatalogKind.SERVICE, "ups_next_day_air", "UPS Next Day Air®"),
    CatalogEntry("ups", CatalogKind.PACKAGE, "package", "Package"),
]


def printer_entries(window: MainWindow) -> list[tuple[str, bool]]:
    """Each printer the dialog lists, and whether it can be chosen."""
    dialog = window.batch_printing.dialog
    assert dialog is not None
    model = dialog.printer.model()
    enabled = Qt.ItemFlag.ItemIsEnabled
    return [(dialog.printer.itemText(row), enabled in model.index(row, 0).flags()) for row in range(model.rowCount())]


def shipment_of(cache: Cache, order_number: str) -> tuple[str, str, str, str]:
    [stored] = find_by_number(cache, order_number)
    shipment = latest_shipment(cache, stored.id)
    assert shipment is not None
    return shipment.carrier, shipment.service, shipment.package, shipment.tracking_number


def test_it_offers_the_saved_printers_and_the_pdf_folder_and_picks_the_default(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", "tcp://127.0.0.1:9100", media="4x4"))
    save_printer(demo_cache, PrinterProfile("Rollo", "escpos", "tcp://127.0.0.1:9101", is_default=True))
    save_printer(demo_cache, PrinterProfile("Epson slips", "escpos", "tcp://127.0.0.1:9102", dpi=180, media="80mm"))
    select_orders(window, qtbot, "1001", "1002")
    dialog = open_print_dialog(window)

    assert printer_entries(window) == [
        ("Epson slips — receipt paper, slips only", False),
        ("Rollo (default)", True),
        ("Zebra", True),
        ("PDF folder", True),
    ]
    assert dialog.printer.currentText() == "Rollo (default)"
    assert dialog.windowTitle() == "Print 2 labels"
    assert dialog.test_button.isEnabled()

    choose_printer(dialog, "Zebra")  # a thermal printer prints on the media it holds
    assert dialog.label_size.currentData() == LabelSize.FOUR_BY_FOUR and not dialog.label_size.isEnabled()
    assert dialog.printer_detail.text() == "ZPL on 4 × 4 in labels, 203 dpi, network 127.0.0.1:9100"
    choose_printer(dialog, "PDF folder")
    assert dialog.label_size.isEnabled() and not dialog.test_button.isEnabled()
    assert not dialog.tracking.isEnabled()  # a tracking number belongs to one order
    dialog.reject()


def test_the_printer_printed_to_last_is_chosen_next_time(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    zebra = Listener()
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{zebra.port}"))
    save_printer(demo_cache, PrinterProfile("Rollo", "escpos", "tcp://127.0.0.1:9", is_default=True))
    select_orders(window, qtbot, "1001")
    dialog = open_print_dialog(window)
    choose_printer(dialog, "Zebra")
    press_print(window, qtbot, dialog)
    zebra.close()

    select_orders(window, qtbot, "1002")
    assert open_print_dialog(window).printer.currentText() == "Zebra"


def test_the_carriers_kept_for_the_orders_store_are_offered_and_recorded(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    replace_catalog(demo_cache, DEMO_STORE, UPS)
    select_orders(window, qtbot, "1001")
    dialog = open_print_dialog(window)
    carriers = [dialog.carrier.itemText(row) for row in range(dialog.carrier.count())]
    assert carriers == ["Other / own courier", "UPS"]
    assert dialog.service.currentText() == "Standard"

    dialog.carrier.setCurrentIndex(1)
    services = [dialog.service.itemText(row) for row in range(dialog.service.count())]
    assert services == ["UPS Next Day Air®", "UPS® Ground"]
    dialog.service.setCurrentIndex(services.index("UPS® Ground"))
    dialog.package.setCurrentText("Package")
    qtbot.keyClicks(dialog.tracking, "1Z999AA10123456784")
    press_print(window, qtbot, dialog)

    assert shipment_of(demo_cache, "1001") == ("UPS", "UPS® Ground", "Package", "1Z999AA10123456784")


def test_free_text_carrier_and_service_are_recorded(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001", "1002")
    dialog = open_print_dialog(window)
    dialog.carrier.setCurrentText("City Bike Couriers")
    dialog.service.setCurrentText("Same day")
    press_print(window, qtbot, dialog)

    carrier, service, _package, tracking = shipment_of(demo_cache, "1002")
    assert (carrier, service) == ("City Bike Couriers", "Same day")
    assert tracking.startswith("SD")  # made by shipdesk, one per order


def test_test_print_sends_a_sample_label_without_touching_an_order(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    zebra = Listener()
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{zebra.port}", is_default=True))
    select_orders(window, qtbot, "1001")
    dialog = open_print_dialog(window)
    dialog.test_button.click()
    assert not dialog.test_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.test_running, timeout=BATCH_TIMEOUT_MS)
    zebra.close()

    assert dialog.printer_detail.text() == "Sent a test label to Zebra."
    assert dialog.test_button.isEnabled()
    [job] = zebra.jobs
    assert TEST_TRACKING_NUMBER in job.decode()
    [stored] = find_by_number(demo_cache, "1001")
    assert latest_shipment(demo_cache, stored.id) is None
    dialog.reject()


def test_a_test_print_to_a_printer_that_is_off_says_so(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    off = Listener()
    off.close()
    save_printer(demo_cache, PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{off.port}", is_default=True))
    select_orders(window, qtbot, "1001")
    dialog = open_print_dialog(window)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.test_running, timeout=BATCH_TIMEOUT_MS)
    assert dialog.printer_detail.text() == (
        f"Test label not printed: The printer at 127.0.0.1:{off.port} did not answer (connection refused)"
    )
    dialog.reject()


def test_the_dialog_says_before_print_which_orders_will_not_print_and_why(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1139", "1140", "1141")
    dialog = open_print_dialog(window)

    assert dialog.refused_note.isVisibleTo(dialog)
    assert dialog.refused_note.text() == "1 of 3 orders will not be printed: 1140 (no ship-to address)."
    assert dialog.print_button.isEnabled()
    dialog.reject()


def test_an_order_held_for_a_missing_part_of_its_address_is_named_with_that_part(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    (stored,) = find_by_number(demo_cache, "1141")
    cityless = with_packing_rules(replace(stored.order, ship_to=replace(stored.order.ship_to, city="")))
    with demo_cache.transaction() as conn:
        upsert_orders(conn, [cityless])
    window.reload()
    select_orders(window, qtbot, "1139", "1141")
    dialog = open_print_dialog(window)

    assert dialog.refused_note.text() == "1 of 2 orders will not be printed: 1141 (no ship-to city)."
    dialog.reject()


def test_an_order_combined_into_another_in_shipstation_is_named_with_the_order_to_pack_instead(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    combine_in_the_store(window, demo_cache, "1141", into="1139")
    select_orders(window, qtbot, "1139", "1141")
    dialog = open_print_dialog(window)

    assert dialog.refused_note.text() == (
        "1 of 2 orders will not be printed: 1141 (combined into order 1139 in ShipStation: pack that order instead)."
    )
    dialog.reject()


def test_print_is_off_when_no_selected_order_can_be_printed(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1140")
    dialog = open_print_dialog(window)

    assert dialog.refused_note.text() == "This order cannot be printed: 1140 (no ship-to address)."
    assert not dialog.print_button.isEnabled()
    dialog.reject()


def test_the_title_counts_only_the_orders_that_will_print(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1139", "1140", "1141")
    dialog = open_print_dialog(window)
    assert dialog.windowTitle() == "Print 2 labels"  # 1140 has no ship-to address
    dialog.reject()

    select_orders(window, qtbot, "1140")
    dialog = open_print_dialog(window)
    assert dialog.windowTitle() == "No labels to print"
    dialog.reject()


def test_two_cancelled_orders_of_two_stores_with_the_same_number_are_both_counted_and_named_by_store(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    (stored,) = find_by_number(demo_cache, "1001")  # another shop numbers its orders from 1001 too
    with demo_cache.transaction() as conn:
        upsert_orders(
            conn,
            [
                replace(stored.order, status=OrderStatus.CANCELLED),
                replace(stored.order, store="Etsy", upstream_id="E-1001", status=OrderStatus.CANCELLED),
            ],
        )
    window.reload()
    window.table.select_order_ids([found.id for found in find_by_number(demo_cache, "1001")])

    dialog = open_print_dialog(window)

    assert (dialog.windowTitle(), dialog.print_button.isEnabled()) == ("No labels to print", False)
    note = dialog.refused_note.text()
    assert note.startswith("None of the selected orders can be printed: ")
    assert f"1001 of {stored.order.store} (it was cancelled)" in note and "1001 of Etsy (it was cancelled)" in note
    dialog.reject()


def test_printable_orders_get_no_warning(window: MainWindow, qtbot: QtBot) -> None:
    select_orders(window, qtbot, "1001", "1002")
    dialog = open_print_dialog(window)

    assert not dialog.refused_note.isVisibleTo(dialog)
    assert dialog.print_button.isEnabled()
    dialog.reject()


def test_the_warning_names_a_few_orders_and_counts_the_rest() -> None:
    refused = [(str(number), "no ship-to address") for number in range(1, 8)]
    assert refused_text(10, refused) == (
        "7 of 10 orders will not be printed: 1 (no ship-to address), 2 (no ship-to address), 3 (no ship-to address), "
        "4 (no ship-to address), 5 (no ship-to address) and 2 more."
    )
    assert refused_text(7, refused).startswith("None of the selected orders can be printed: 1 (no ship-to address)")


def test_an_order_shipped_outside_shipdesk_is_named_as_not_printing_not_as_printed_again(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    (stored,) = find_by_number(demo_cache, "1141")
    with demo_cache.transaction() as conn:
        upsert_orders(conn, [replace(stored.order, status=OrderStatus.SHIPPED)])  # as the store's file said
    window.reload()
    select_orders(window, qtbot, "1139", "1141")
    dialog = open_print_dialog(window)

    assert dialog.refused_note.text() == f"1 of 2 orders will not be printed: 1141 ({SHIPPED_ELSEWHERE})."
    assert not dialog.reprint_note.isVisibleTo(dialog)
    dialog.reject()


def test_without_a_sender_address_the_dialog_says_the_labels_have_no_return_address(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "1001")
    dialog = open_print_dialog(window)
    assert not dialog.sender_note.isVisibleTo(dialog)  # the demo has its sender
    dialog.reject()

    set_origin_address(demo_cache, Address())
    dialog = open_print_dialog(window)

    assert dialog.sender_note.isVisibleTo(dialog)
    assert dialog.sender_note.text() == NO_SENDER
    assert "File → Sender address…" in NO_SENDER
    dialog.reject()


# ----------------------------------------------------------------------------- the shipping choice it opens on


def shown_choice(dialog: PrintDialog) -> tuple[str, str, str]:
    return dialog.carrier.currentText(), dialog.service.currentText(), dialog.package.currentText()


def choice_note(dialog: PrintDialog) -> str:
    """The grey note under the service, or '' while it is not shown."""
    return dialog.choice_note.text() if dialog.choice_note.isVisibleTo(dialog) else ""


def print_with_ups(window: MainWindow, qtbot: QtBot, service: str, *order_numbers: str) -> None:
    select_orders(window, qtbot, *order_numbers)
    dialog = open_print_dialog(window)
    dialog.carrier.setCurrentIndex(dialog.carrier.findText("UPS"))
    dialog.service.setCurrentIndex(dialog.service.findText(service))
    dialog.package.setCurrentIndex(dialog.package.findText("Package"))
    press_print(window, qtbot, dialog)


def assign_in_the_store(window: MainWindow, cache: Cache, *order_numbers: str, service: str = "ups_ground") -> None:
    """The orders cached as a sync brings them once the store's rules assigned them UPS with a package."""
    assigned = [
        replace(
            stored.order, assigned_carrier_code="ups", assigned_service_code=service, assigned_package_code="package"
        )
        for number in order_numbers
        for stored in find_by_number(cache, number)
    ]
    with cache.transaction() as conn:
        upsert_orders(conn, assigned)
    window.reload()


def test_with_nothing_printed_yet_the_dialog_opens_on_own_courier_and_says_nothing(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    replace_catalog(demo_cache, DEMO_STORE, UPS)
    select_orders(window, qtbot, "1001")
    dialog = open_print_dialog(window)

    assert shown_choice(dialog) == ("Other / own courier", "Standard", "")
    assert choice_note(dialog) == ""
    dialog.reject()


def test_the_choice_printed_last_is_opened_on_next_time_and_the_note_says_so(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    replace_catalog(demo_cache, DEMO_STORE, UPS)
    print_with_ups(window, qtbot, "UPS Next Day Air®", "1001")  # asked for Royal Mail Tracked 48

    select_orders(window, qtbot, "1002")  # asks for USPS Priority Mail
    dialog = open_print_dialog(window)

    assert shown_choice(dialog) == ("UPS", "UPS Next Day Air®", "Package")
    assert choice_note(dialog) == "As last printed"
    dialog.reject()


def test_orders_asking_for_the_same_service_open_on_what_was_last_printed_for_it(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    replace_catalog(demo_cache, DEMO_STORE, UPS)
    print_with_ups(window, qtbot, "UPS Next Day Air®", "1005")  # asked for UPS Ground
    print_with_ups(window, qtbot, "UPS® Ground", "1001")  # Royal Mail Tracked 48, printed last

    select_orders(window, qtbot, "1006", "1014")  # both ask for UPS Ground
    dialog = open_print_dialog(window)

    assert shown_choice(dialog) == ("UPS", "UPS Next Day Air®", "Package")
    assert choice_note(dialog) == "As last printed for “UPS Ground”"
    dialog.reject()


def test_a_cancelled_dialog_remembers_nothing(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    replace_catalog(demo_cache, DEMO_STORE, UPS)
    select_orders(window, qtbot, "1005")
    dialog = open_print_dialog(window)
    dialog.carrier.setCurrentIndex(dialog.carrier.findText("UPS"))
    dialog.reject()

    reopened = open_print_dialog(window)

    assert shown_choice(reopened) == ("Other / own courier", "Standard", "")
    reopened.reject()


def test_an_own_courier_typed_in_comes_back_as_typed_and_prints_as_typed(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    select_orders(window, qtbot, "1001")
    dialog = open_print_dialog(window)
    dialog.carrier.setCurrentText("City Bike Couriers")
    dialog.service.setCurrentText("Same day")
    press_print(window, qtbot, dialog)

    select_orders(window, qtbot, "1002")
    reopened = open_print_dialog(window)
    assert shown_choice(reopened) == ("City Bike Couriers", "Same day", "")
    assert choice_note(reopened) == "As last printed"
    press_print(window, qtbot, reopened)

    assert shipment_of(demo_cache, "1002")[:2] == ("City Bike Couriers", "Same day")


def test_the_note_goes_once_the_packer_changes_the_carrier_or_the_service(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    replace_catalog(demo_cache, DEMO_STORE, UPS)
    print_with_ups(window, qtbot, "UPS® Ground", "1001")
    select_orders(window, qtbot, "1002")
    dialog = open_print_dialog(window)
    assert choice_note(dialog) == "As last printed"

    qtbot.keyClicks(dialog.service.lineEdit(), " Saturday")
    assert choice_note(dialog) == ""
    dialog.service.setCurrentIndex(dialog.service.findText("UPS® Ground"))  # back as it opened: so it says again
    assert choice_note(dialog) == "As last printed"
    dialog.carrier.setCurrentIndex(0)
    assert choice_note(dialog) == ""
    dialog.reject()


def test_a_carrier_the_store_no_longer_offers_is_not_opened_on(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    replace_catalog(demo_cache, DEMO_STORE, UPS)
    print_with_ups(window, qtbot, "UPS® Ground", "1005")
    replace_catalog(demo_cache, DEMO_STORE, [CatalogEntry("dhl", CatalogKind.CARRIER, "dhl", "DHL Express")])

    select_orders(window, qtbot, "1006")
    dialog = open_print_dialog(window)

    assert shown_choice(dialog) == ("Other / own courier", "Standard", "")
    assert choice_note(dialog) == ""
    dialog.reject()


def test_orders_the_store_assigned_the_same_shipping_open_on_it(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    replace_catalog(demo_cache, DEMO_STORE, UPS)
    assign_in_the_store(window, demo_cache, "1001", "1002", service="ups_next_day_air")
    print_with_ups(window, qtbot, "UPS® Ground", "1003")  # what was printed last gives way to the assignment

    select_orders(window, qtbot, "1001", "1002", "1140")  # 1140 will not print (no ship-to address): not counted
    dialog = open_print_dialog(window)

    assert shown_choice(dialog) == ("UPS", "UPS Next Day Air®", "Package")
    assert choice_note(dialog) == "As assigned in ShipStation"
    dialog.reject()


def test_orders_assigned_different_shipping_open_on_the_choice_printed_last(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    replace_catalog(demo_cache, DEMO_STORE, UPS)
    assign_in_the_store(window, demo_cache, "1001", service="ups_next_day_air")
    print_with_ups(window, qtbot, "UPS® Ground", "1003")

    select_orders(window, qtbot, "1001", "1002")  # 1002 has nothing assigned
    dialog = open_print_dialog(window)

    assert shown_choice(dialog) == ("UPS", "UPS® Ground", "Package")
    assert choice_note(dialog) == "As last printed"
    dialog.reject()
