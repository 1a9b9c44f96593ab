"""Tooltips that show a customer's or a store's text as it was written."""

from __future__ import annotations

import html

from PySide6 import QtGui


def plain_tooltip(text: str) -> str:
    """Qt reads a tooltip that looks like HTML as HTML, so "<b>Bob</b>" would read "Bob" in bold: such a text is
    escaped, its line breaks kept."""
    if not QtGui.Qt.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"
