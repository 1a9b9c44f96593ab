"""Starting the window: `run_window` runs until the window closes, and `shipdesk --demo` opens it on the demo."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cli import main
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.run_window import run_window


def test_run_window_shows_the_window_and_returns_when_it_closes(demo_cache: Cache, qtbot: QtBot) -> None:
    seen: list[str] = []

    def look_and_close() -> None:
        windows = [widget for widget in QApplication.topLevelWidgets() if isinstance(widget, MainWindow)]
        seen.extend(window.windowTitle() for window in windows if window.isVisible())
        for window in windows:
            qtbot.addWidget(window)  # closed once the loop has ended, as in the test below
        QApplication.exit(0)

    QTimer.singleShot(200, look_and_close)
    assert run_window(demo_cache, title_suffix="demo — Demo store") == 0
    assert seen == ["shipdesk — demo — Demo store"]


def test_shipdesk_demo_opens_the_window_on_the_demo_orders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the throwaway cache goes in this test's folder
    seen: list[tuple[str, int]] = []

    def look_and_close() -> None:
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.isVisible():
                seen.append((window.windowTitle(), window.model.rowCount()))
                # Closed by qtbot once the loop has ended. Closing the last window inside the loop (which quit()
                # does too) queues a second quit, and that ends every event loop of the later tests at once.
                qtbot.addWidget(window)
        QApplication.exit(0)

    QTimer.singleShot(200, look_and_close)
    assert main(["--demo"]) == 0
    assert seen == [("shipdesk — demo — Demo store", 230)]
