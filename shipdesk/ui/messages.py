"""Telling the person at the station what went wrong: the one place that opens problem boxes.

Boxes open without blocking (window-modal), so a batch result never halts the event loop or a test.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def show_problem(parent: QWidget, title: str, text: str, details: str = "") -> QMessageBox:
    """A problem the person can act on, in their words; `details` lists per-order reasons."""
    return _open(parent, QMessageBox.Icon.Warning, title, text, details)


def show_report(parent: QWidget, title: str, text: str, details: str = "") -> QMessageBox:
    """How something went that needs no action but a look: what an import skipped or held, line by line."""
    return _open(parent, QMessageBox.Icon.Information, title, text, details)


def _open(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str, details: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        # Shown in full rather than behind "Show Details…": these are the reasons a packer needs.
        box.setInformativeText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
