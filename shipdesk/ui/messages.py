"""Telling the person at the station what went wrong: the one place that opens problem boxes.

Boxes open without blocking (window-modal), so a batch result never halts the event loop or a test.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QMessageBox, QPlainTextEdit, QWidget

# Longer details scroll in a box of their own: 500 skipped lines would make a box taller than any screen.
_LINES_SHOWN_WHOLE = 12
_CHARACTERS_SHOWN_WHOLE = 1_200
_DETAILS_LINES_TALL = 16
_DETAILS_CHARACTERS_WIDE = 90


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
        if details.count("\n") >= _LINES_SHOWN_WHOLE or len(details) > _CHARACTERS_SHOWN_WHOLE:
            _scroll_details(box, details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _scroll_details(box: QMessageBox, details: str) -> None:
    """Shows the details in a scrolling text, wide enough to read a line at a glance, in place of the label that
    would grow with them; the box's informative text still holds them all."""
    label = box.findChild(QLabel, "qt_msgbox_informativelabel")
    layout = box.layout()
    if label is None or not isinstance(layout, QGridLayout):
        return  # a Qt that builds its box otherwise: the details stay in the label
    scrolling = QPlainTextEdit(details, box)
    scrolling.setObjectName("details")
    scrolling.setReadOnly(True)
    scrolling.setTabChangesFocus(True)  # Tab and Enter still reach OK
    metrics = scrolling.fontMetrics()
    margins = 2 * (scrolling.frameWidth() + int(scrolling.document().documentMargin()))
    scrolling.setFixedWidth(metrics.averageCharWidth() * _DETAILS_CHARACTERS_WIDE + margins)
    scrolling.setFixedHeight(metrics.lineSpacing() * _DETAILS_LINES_TALL + margins)
    row, column, _rows, _columns = layout.getItemPosition(layout.indexOf(label))
    label.hide()
    layout.addWidget(scrolling, row, column)
