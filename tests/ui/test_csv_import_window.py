"""Importing a CSV file of orders from the window: File → Import orders from CSV… (Ctrl+I) asks for the file and the
store its orders belong to, imports it off the UI thread, shows the new orders, and says what it skipped or held, line
by line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import count_orders, find_by_number
from shipdesk.cache.shipments import outbox_count, record_shipment
from shipdesk.cache.stores import StoreRecord, add_store
from shipdesk.domain import OrderStatus, Shipment, utc_now
from shipdesk.ui.csv_importing import CLOSE_IT_FIRST, ImportProgress
from shipdesk.ui.import_store_dialog import ImportStoreDialog
from shipdesk.ui.main_window import MainWindow
from shipdesk.upstream.csv_import import DEFAULT_STORE
from tests.ui.conftest import ORDER_NUMBER_COLUMN, activated, shown_column

HEADINGS = "Order #,Order Date,Recipient,Address 1,City,State,Postal Code,Country,SKU,Item Name,Quantity,Unit Price\n"
TWO_ORDERS = (
    HEADINGS
    + "W-1,2026-11-28 09:00,Zoë Ørsted,Nørregade 7,København,,1165,DK,MUG,Blue mug,2,12.50\n"
    + "W-2,2026-11-28 10:00,José Núñez,Calle Mayor 5,Madrid,,28013,ES,TEA,Teapot,1,39.00\n"
)


def write(tmp_path: Path, text: str, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def choose_file(window: MainWindow, qtbot: QtBot, path: Path) -> ImportStoreDialog:
    """Chooses `path` in the file dialog of File → Import orders from CSV…; returns the store question that follows,
    active as a window manager makes a new dialog (the offscreen platform does not), with the keys going to the store.
    """
    window.import_action.trigger()
    chooser = window.csv_importing.file_dialog
    assert chooser is not None and chooser.isVisible()
    chooser.selectFile(str(path))
    chooser.accept()
    dialog = window.csv_importing.store_dialog
    assert dialog is not None and dialog.isVisible()
    activated(dialog, qtbot)
    assert QApplication.focusWidget() is dialog.store
    return dialog


def type_store(qtbot: QtBot, dialog: ImportStoreDialog, name: str) -> None:
    """Types `name` over the preselected store, as a packer does, and presses Enter."""
    dialog.store.lineEdit().selectAll()
    qtbot.keyClicks(dialog.store, name)
    qtbot.keyClick(dialog.store, Qt.Key.Key_Return)


def import_through_the_dialog(window: MainWindow, qtbot: QtBot, path: Path, store: str | None = None) -> None:
    """Imports `path` through the dialogs: into `store` typed, or the store preselected, with Enter."""
    dialog = choose_file(window, qtbot, path)
    with qtbot.waitSignal(window.csv_importing.imported, timeout=10_000):
        if store is None:
            qtbot.keyClick(dialog.store, Qt.Key.Key_Return)
        else:
            type_store(qtbot, dialog, store)


def open_boxes(window: MainWindow) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_a_file_chosen_in_the_dialog_is_imported_and_its_orders_are_shown(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    before = count_orders(demo_cache)
    assert window.model.rowCount() == before

    import_through_the_dialog(window, qtbot, write(tmp_path, TWO_ORDERS))

    assert count_orders(demo_cache) == before + 2
    assert window.statusBar().currentMessage() == "Imported 2 orders from orders.csv into CSV import (2 new)."
    assert window.model.rowCount() == before + 2
    assert {"W-1", "W-2"} <= set(shown_column(window, ORDER_NUMBER_COLUMN))
    assert open_boxes(window) == []  # nothing to look at: no box to close


def test_the_next_import_starts_in_the_folder_of_the_last(window: MainWindow, tmp_path: Path, qtbot: QtBot) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    import_through_the_dialog(window, qtbot, write(folder, TWO_ORDERS))

    window.import_action.trigger()
    chooser = window.csv_importing.file_dialog
    assert chooser is not None
    assert Path(chooser.directory().absolutePath()) == folder
    chooser.reject()


def test_skipped_and_held_lines_are_listed_with_their_reasons(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    text = (
        HEADINGS
        + "W-1,2026-11-28 09:00,Zoë Ørsted,Nørregade 7,København,,1165,DK,MUG,Blue mug,two,12.50\n"
        + "W-2,2026-11-28 10:00,Ann Lee,1 Main St,Austin,TX,,US,TEA,Teapot,1,39.00\n"
    )
    import_through_the_dialog(window, qtbot, write(tmp_path, text))

    assert window.statusBar().currentMessage() == (
        "Imported 1 order from orders.csv into CSV import (1 new); 1 line skipped, 1 on hold."
    )
    [box] = open_boxes(window)
    assert box.windowTitle() == "Orders imported"
    assert "Line 2 skipped: " in box.informativeText()
    assert "Order W-2 kept on hold: no ship-to ZIP code." in box.informativeText()
    assert find_by_number(demo_cache, "W-1") == []
    box.accept()


def test_a_file_that_is_not_csv_imports_nothing_and_says_why(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    before = count_orders(demo_cache)
    picture = tmp_path / "photo.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)

    window.csv_importing.start(picture, DEFAULT_STORE)
    qtbot.waitUntil(lambda: window.csv_importing.worker is None and bool(open_boxes(window)))

    [box] = open_boxes(window)
    assert box.windowTitle() == "Orders not imported"
    assert "photo.csv is not a CSV file" in box.text()
    assert window.statusBar().currentMessage() == "Nothing imported from photo.csv."
    assert count_orders(demo_cache) == before
    box.accept()


def test_a_file_that_is_not_csv_is_refused_before_the_store_question(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    before = count_orders(demo_cache)
    spreadsheet = tmp_path / "orders.xlsx"
    spreadsheet.write_bytes(b"PK\x03\x04" + bytes(4096))

    window.import_action.trigger()
    chooser = window.csv_importing.file_dialog
    assert chooser is not None
    chooser.selectFile(str(spreadsheet))
    chooser.accept()

    assert window.csv_importing.store_dialog is None and window.csv_importing.worker is None
    [box] = open_boxes(window)
    assert box.windowTitle() == "Orders not imported"
    assert box.text() == "orders.xlsx is not a CSV file: it looks like a spreadsheet (ZIP) file; save it as CSV."
    assert window.statusBar().currentMessage() == "Nothing imported from orders.xlsx."
    assert count_orders(demo_cache) == before
    box.accept()


def test_import_is_first_in_the_file_menu_on_ctrl_i(window: MainWindow) -> None:
    [file_menu] = [action.menu() for action in window.menuBar().actions() if action.text() == "&File"]
    assert file_menu.actions()[0] is window.import_action
    assert window.import_action.shortcut().toString() == "Ctrl+I"


# ----------------------------------------------------------------------------- a packer's files, good and bad

SAMPLES = Path(__file__).parents[1] / "upstream" / "csv_samples"
LAPTOP_SCREEN_HEIGHT = 768


def import_and_wait(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    """Starts the import of `path` as the dialogs do, and waits until the window has said how it went."""
    window.csv_importing.start(path, DEFAULT_STORE)
    qtbot.waitUntil(lambda: window.csv_importing.worker is None, timeout=60_000)


def test_five_hundred_skipped_lines_scroll_in_a_box_that_fits_a_laptop_screen(
    window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    rows = [
        f"B-{n},2026-11-28 09:00,Ann Lee,1 Main St,Austin,TX,78701,US,MUG,Mug,{n % 2 or 'x'},9.50\n"
        for n in range(1000)
    ]
    import_and_wait(window, qtbot, write(tmp_path, HEADINGS + "".join(rows)))

    [box] = open_boxes(window)
    assert box.text() == "Imported 500 orders from orders.csv into CSV import: 500 new.\nRead 1,000 lines; 500 skipped."
    assert box.height() < LAPTOP_SCREEN_HEIGHT - 100  # with room for the title bar and the taskbar
    [details] = [view for view in box.findChildren(QPlainTextEdit) if view.isVisible()]
    assert details.isReadOnly()
    shown = details.toPlainText().splitlines()
    assert len(shown) == 500
    assert shown[-1] == "Line 1000 skipped: quantity 'x' is not a whole number."
    assert details.viewport().width() > details.fontMetrics().horizontalAdvance(shown[-1])  # a line reads unwrapped
    box.accept()


def test_a_store_export_with_columns_shipdesk_does_not_use_opens_no_box_every_day(
    window: MainWindow, qtbot: QtBot
) -> None:
    import_and_wait(window, qtbot, SAMPLES / "ebay_orders_report.csv")

    assert window.statusBar().currentMessage() == (
        "Imported 4 orders from ebay_orders_report.csv into CSV import (4 new)."
    )
    assert open_boxes(window) == []  # only unused columns and an order shipped in the store: nothing to act on


def test_a_file_with_only_its_headings_says_it_holds_no_orders(
    window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    import_and_wait(window, qtbot, write(tmp_path, HEADINGS))

    assert window.statusBar().currentMessage() == (
        "No orders imported: orders.csv has no order lines under its headings."
    )


def test_a_long_import_shows_the_file_and_a_busy_bar_in_the_status_bar_until_it_is_in(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    lines = [
        f"G-{n // 2},2026-11-28 09:00,Ann Lee,1 Main St,Austin,TX,78701,US,SKU{n % 7},Mug,1,9.50\n"
        for n in range(100_000)
    ]
    big = write(tmp_path, HEADINGS + "".join(lines), name="all-orders.csv")
    before = count_orders(demo_cache)

    window.csv_importing.start(big, "Etsy")

    progress = window.csv_importing.progress
    assert progress is not None and progress.isVisible()
    assert progress.text.text() == "Importing all-orders.csv (7.8 MB) into Etsy…"
    assert (progress.bar.minimum(), progress.bar.maximum()) == (0, 0)  # busy: no step count
    window.import_action.trigger()  # Ctrl+I again meanwhile: the window answers, and asks for no file
    assert window.csv_importing.file_dialog is None
    assert window.statusBar().currentMessage() == "Still importing all-orders.csv into Etsy; wait a moment."

    qtbot.waitUntil(lambda: window.csv_importing.worker is None, timeout=120_000)
    assert [shown for shown in window.statusBar().findChildren(ImportProgress) if shown.isVisible()] == []
    assert window.statusBar().currentMessage() == "Imported 50,000 orders from all-orders.csv into Etsy (50,000 new)."
    assert count_orders(demo_cache) == before + 50_000


def test_the_first_import_starts_in_the_downloads_folder(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))

    window.import_action.trigger()

    chooser = window.csv_importing.file_dialog
    assert chooser is not None
    assert Path(chooser.directory().absolutePath()) == home / "Downloads"  # not the folder shipdesk started in
    chooser.reject()


def test_a_remembered_folder_that_is_gone_starts_the_next_import_at_home(
    window: MainWindow, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    stick = tmp_path / "usb-stick"
    stick.mkdir()
    import_through_the_dialog(window, qtbot, write(stick, TWO_ORDERS))
    (stick / "orders.csv").unlink()
    stick.rmdir()  # the stick is out

    window.import_action.trigger()

    chooser = window.csv_importing.file_dialog
    assert chooser is not None
    assert Path(chooser.directory().absolutePath()) == home
    chooser.reject()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_file_another_program_holds_says_to_close_it_there(window: MainWindow, tmp_path: Path, qtbot: QtBot) -> None:
    held = write(tmp_path, TWO_ORDERS)
    held.chmod(0)  # what Windows answers for a file open in Excel: permission denied
    try:
        import_and_wait(window, qtbot, held)
    finally:
        held.chmod(0o600)

    [box] = open_boxes(window)
    assert box.text() == f"{held} cannot be read: permission denied."
    assert box.informativeText() == CLOSE_IT_FIRST
    box.accept()


def test_the_next_days_file_adds_the_new_orders_and_leaves_the_shipped_ones_shipped(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    import_through_the_dialog(window, qtbot, write(tmp_path, TWO_ORDERS))
    (shipped,) = find_by_number(demo_cache, "W-1")
    record_shipment(demo_cache, shipped.id, Shipment("UPS", "Ground", "1Z001", utc_now()))
    next_day = TWO_ORDERS + "W-3,2026-11-29 08:00,Mei Tanaka,1-2 Ginza,Tokyo,,104-0061,JP,MUG,Blue mug,1,12.50\n"

    import_through_the_dialog(window, qtbot, write(tmp_path, next_day))

    assert window.statusBar().currentMessage() == (
        "Imported 3 orders from orders.csv into CSV import (1 new, 1 unchanged, 1 already shipped or cancelled)."
    )
    statuses = {number: find_by_number(demo_cache, number)[0].order.status for number in ("W-1", "W-2", "W-3")}
    assert statuses == {
        "W-1": OrderStatus.SHIPPED,
        "W-2": OrderStatus.AWAITING_SHIPMENT,
        "W-3": OrderStatus.AWAITING_SHIPMENT,
    }
    assert outbox_count(demo_cache) == 1  # the shipment still waits for the export


# ----------------------------------------------------------------------------- the store the orders belong to


def test_the_store_question_offers_the_stores_of_earlier_imports_with_csv_import_chosen_at_first(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    add_store(demo_cache, StoreRecord(name="Main", kind="shipstation", config={"api_key": "k"}))

    dialog = choose_file(window, qtbot, write(tmp_path, TWO_ORDERS))

    offered = [dialog.store.itemText(row) for row in range(dialog.store.count())]
    assert offered == ["CSV import", "Demo store"]  # not Main, whose orders come by sync
    assert dialog.store.currentText() == "CSV import"
    assert dialog.store.isEditable()
    dialog.reject()


def test_the_orders_go_into_the_store_typed_and_the_status_bar_names_it(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    import_through_the_dialog(window, qtbot, write(tmp_path, TWO_ORDERS), store="Etsy")

    assert [stored.order.store for stored in find_by_number(demo_cache, "W-1")] == ["Etsy"]
    assert window.statusBar().currentMessage() == "Imported 2 orders from orders.csv into Etsy (2 new)."

    dialog = choose_file(window, qtbot, write(tmp_path, TWO_ORDERS, name="more.csv"))
    assert "Etsy" in [dialog.store.itemText(row) for row in range(dialog.store.count())]
    dialog.reject()


def test_each_stores_export_preselects_the_store_its_last_file_went_into(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    import_through_the_dialog(window, qtbot, SAMPLES / "etsy_sold_order_items.csv", store="Etsy")
    import_through_the_dialog(window, qtbot, SAMPLES / "woocommerce_orders.csv", store="Woo Shop")
    etsy_next_day = tmp_path / "EtsySoldOrderItems2026-12-01.csv"
    etsy_next_day.write_bytes((SAMPLES / "etsy_sold_order_items.csv").read_bytes())

    dialog = choose_file(window, qtbot, etsy_next_day)
    assert dialog.store.currentText() == "Etsy"  # not Woo Shop, imported into last
    with qtbot.waitSignal(window.csv_importing.imported, timeout=10_000):
        qtbot.keyClick(dialog.store, Qt.Key.Key_Return)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Imported 4 orders from EtsySoldOrderItems2026-12-01.csv into Etsy")
    )

    dialog = choose_file(window, qtbot, SAMPLES / "woocommerce_orders.csv")
    assert dialog.store.currentText() == "Woo Shop"
    dialog.reject()
    dialog = choose_file(window, qtbot, write(tmp_path, TWO_ORDERS))
    assert dialog.store.currentText() == "CSV import"  # a layout never imported
    dialog.reject()


def test_a_shipstation_store_or_no_name_is_refused_in_the_dialog_with_the_reason(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    add_store(demo_cache, StoreRecord(name="Main", kind="shipstation", config={"api_key": "k"}))
    before = count_orders(demo_cache)
    dialog = choose_file(window, qtbot, write(tmp_path, TWO_ORDERS))

    type_store(qtbot, dialog, "Main")

    assert dialog.isVisible()
    assert dialog.problem.isVisible()
    assert dialog.problem.text() == "Main is a ShipStation store: its orders come by sync."
    type_store(qtbot, dialog, " ")
    assert dialog.problem.text() == "Name the store the orders belong to."
    assert window.csv_importing.worker is None
    dialog.reject()
    assert window.csv_importing.store_dialog is None
    assert count_orders(demo_cache) == before


def test_a_refusal_goes_as_the_name_is_put_right(window: MainWindow, tmp_path: Path, qtbot: QtBot) -> None:
    dialog = choose_file(window, qtbot, write(tmp_path, TWO_ORDERS))
    type_store(qtbot, dialog, " ")
    assert dialog.problem.isVisible()

    qtbot.keyClicks(dialog.store, "E")

    assert not dialog.problem.isVisible()
    dialog.reject()


def test_cancelling_the_store_question_imports_nothing(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    before = count_orders(demo_cache)
    dialog = choose_file(window, qtbot, write(tmp_path, TWO_ORDERS))

    qtbot.keyClick(dialog.store, Qt.Key.Key_Escape)

    assert not dialog.isVisible()
    assert window.csv_importing.worker is None and window.csv_importing.store_dialog is None
    assert count_orders(demo_cache) == before
