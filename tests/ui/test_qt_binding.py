"""The Qt binding shipdesk runs on keeps Python whole over a long day at the station.

PySide6 6.12.0 on Python 3.11 dropped a reference to None at every call that returns nothing (setText, update,
processEvents…). None is an ordinary object before Python 3.12, so after some thousand such calls Python aborted
with "Fatal Python error: none_dealloc": the window died after a few minutes of clicking through orders.
pyproject.toml keeps that version off Python 3.11; this test fails on any binding that does the same.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")


def test_qt_calls_that_return_nothing_leave_pythons_none_as_it_was(qtbot: QtBot) -> None:
    label = QLabel("order 1001")
    qtbot.addWidget(label)
    label.show()
    before = sys.getrefcount(None)

    for number in range(200):  # few enough that a binding with the fault fails here rather than aborts Python
        label.setText(f"order {number}")
        label.update()
        QApplication.processEvents()

    assert sys.getrefcount(None) > before - 100  # a few come and go; 6.12.0 on Python 3.11 lost 600 here
