"""The print dialog and the batch progress really draw: grabs of them are pictures, not blanks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.printers import PrinterProfile, save_printer
from shipdesk.ui.main_window import MainWindow
from tests.fakes.raw_printer import Listener
from tests.ui.conftest import select_orders
from tests.ui.print_steps import BATCH_TIMEOUT_MS, choose_printer, open_print_dialog, shown_progress, wait_for_batch


def colours_in_grab(widget: QWidget, picture: Path) -> int:
    assert widget.grab().save(str(picture))
    image = QImage(str(picture))
    assert (image.width(), image.height()) == (widget.width(), widget.height())
    return len({image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)})


def test_the_print_dialog_renders(window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path) -> None:
    save_printer(demo_cache, PrinterProfile("Zebra ZD421", "zpl", "tcp://192.168.1.50:9100", is_default=True))
    select_orders(window, qtbot, "1001", "1002", "1003")
    dialog = open_print_dialog(window)
    qtbot.waitExposed(dialog)
    assert colours_in_grab(dialog, tmp_path / "print_dialog.png") > 10  # text, fields, buttons
    dialog.reject()


def test_the_progress_of_a_batch_renders_mid_batch(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path
) -> None:
    busy = Listener(hold_at=1)
    save_printer(demo_cache, PrinterProfile("Zebra ZD421", "zpl", f"tcp://127.0.0.1:{busy.port}"))
    select_orders(window, qtbot, "1001", "1002", "1003")
    dialog = open_print_dialog(window)
    choose_printer(dialog, "Zebra ZD421")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(busy.holding.is_set, timeout=BATCH_TIMEOUT_MS)
    progress = shown_progress(window)
    qtbot.waitUntil(lambda: progress.bar.value() == 1)
    qtbot.waitExposed(progress)
    assert colours_in_grab(progress, tmp_path / "print_progress.png") > 10

    wait_for_batch(window, qtbot, busy.release)
    busy.close()
