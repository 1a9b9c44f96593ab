"""The window really draws: a grab of it with an order selected is a picture, not a blank."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from shipdesk.ui.main_window import MainWindow
from tests.ui.conftest import click_order


def test_the_window_with_a_selected_order_renders(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    click_order(window, qtbot, "1002")
    picture = tmp_path / "main-window.png"
    assert window.grab().save(str(picture))

    image = QImage(str(picture))
    assert (image.width(), image.height()) == (window.width(), window.height())
    step = 7
    colours = {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    assert len(colours) > 20  # text, selection, alternating rows, frames: far more than a blank window
