"""Importing a CSV file of orders from the window: File → Import orders from CSV… (Ctrl+I) asks for the file, imports
it off the UI thread, shows the new orders, and says what it skipped or held, line by line."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import count_orders, find_by_number
from shipdesk.ui.main_window import MainWindow
from tests.ui.conftest import ORDER_NUMBER_COLUMN, shown_column

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


def import_through_the_dialog(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    window.import_action.trigger()
    chooser = window.csv_importing.file_dialog
    assert chooser is not None and chooser.isVisible()
    chooser.selectFile(str(path))
    with qtbot.waitSignal(window.csv_importing.imported, timeout=10_000):
        chooser.accept()


def open_boxes(window: MainWindow) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_a_file_chosen_in_the_dialog_is_imported_and_its_orders_are_shown(
    window: MainWindow, demo_cache: Cache, tmp_path: Path, qtbot: QtBot
) -> None:
    before = count_orders(demo_cache)
    assert window.model.rowCount() == before

    import_through_the_dialog(window, qtbot, write(tmp_path, TWO_ORDERS))

    assert count_orders(demo_cache) == before + 2
    assert window.statusBar().currentMessage() == "Imported 2 orders from orders.csv (2 new, 0 updated)."
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
        "Imported 1 order from orders.csv (1 new, 0 updated); 1 line skipped, 1 on hold."
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

    window.csv_importing.start(picture)
    qtbot.waitUntil(lambda: window.csv_importing.worker is None and bool(open_boxes(window)))

    [box] = open_boxes(window)
    assert box.windowTitle() == "Orders not imported"
    assert "photo.csv is not a CSV file" in box.text()
    assert window.statusBar().currentMessage() == "Nothing imported from photo.csv."
    assert count_orders(demo_cache) == before
    box.accept()


def test_import_is_first_in_the_file_menu_on_ctrl_i(window: MainWindow) -> None:
    [file_menu] = [action.menu() for action in window.menuBar().actions() if action.text() == "&File"]
    assert file_menu.actions()[0] is window.import_action
    assert window.import_action.shortcut().toString() == "Ctrl+I"
