"""The window started from a terminal: Ctrl+C there closes it as it stops a command, with the shell's exit code."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from shipdesk.app_log import LOG_FILE_NAME
from shipdesk.cli import main
from tests.fakes.desktop_session import SHIPDESK, a_store_connected_before, data_folder, desktop


def wait_for_line(path: Path, text: str, running: subprocess.Popen[str]) -> None:
    """Returns once `text` is in the file at `path`: the window is up and has tried its first sync."""
    deadline = time.monotonic() + 60
    while not (path.exists() and text in path.read_text(encoding="utf-8")):
        assert running.poll() is None, running.communicate()
        assert time.monotonic() < deadline, f"{text!r} never reached {path}"
        time.sleep(0.1)


def test_ctrl_c_in_the_terminal_closes_the_window_with_the_shells_exit_code(tmp_path: Path) -> None:
    a_store_connected_before(tmp_path)  # its first sync, at start, leaves a line in the log once the window is up
    window = subprocess.Popen(
        [str(SHIPDESK)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=desktop(tmp_path, QT_QPA_PLATFORM="offscreen"),
    )
    try:
        wait_for_line(data_folder(tmp_path) / LOG_FILE_NAME, "store Main not synced", window)
        window.send_signal(signal.SIGINT)
        window.communicate(timeout=60)
    finally:
        window.kill()
        window.wait()

    assert window.returncode == 130


def test_a_window_that_cannot_open_its_cache_says_why_in_a_message_box(tmp_path: Path, qtbot: QtBot) -> None:
    folder = tmp_path / "station data"  # --db given a folder, in the desktop launcher's command
    folder.mkdir()
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()

    QTimer.singleShot(200, read_and_close)
    # Started from the desktop's menu, no terminal shows what goes to stderr: the window's place says it.
    assert main(["--db", str(folder)]) == 1
    assert seen == [
        f"shipdesk cannot open its cache: {folder} is a folder, not a cache file; name a file in it, such as "
        f"{folder / 'shipdesk.sqlite'}"
    ]
