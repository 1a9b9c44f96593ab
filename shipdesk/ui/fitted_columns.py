"""A list whose columns all show in the width it has: a long text is cut short with "…", its whole in a tooltip.

Qt sizes a column to its longest text, which pushes the columns after it out of view; here the columns share the
width instead, and only the ones that need more than their share give way.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from shipdesk.ui.opening_list import OpeningList


class FittedColumnsTree(OpeningList):
    """Call `fit_columns` once it is filled; it fits them again whenever its width changes."""

    def __init__(self, headings: Sequence[str], least: Sequence[int] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._least = tuple(least)  # widths a column gets when there is room, so a short list still looks laid out
        self.setHeaderLabels(list(headings))
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.header().setStretchLastSection(True)  # the last column takes what is left, so no scroll bar is needed

    def fit_columns(self) -> None:
        header = self.header()
        count = self.columnCount()
        wanted = [
            max(
                self.sizeHintForColumn(column),
                header.sectionSizeHint(column),
                self._least[column] if column < len(self._least) else 0,
            )
            for column in range(count)
        ]
        widths = fair_widths(wanted, self.viewport().width())
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)
        self._tip_cut_texts()

    def _tip_cut_texts(self) -> None:
        """A text that does not fit its column gets a tooltip with the whole of it; the others none."""
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            for column in range(self.columnCount()):
                needed = self.sizeHintForIndex(self.indexFromItem(item, column)).width()
                item.setToolTip(column, item.text(column) if needed > self.columnWidth(column) else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()


def fair_widths(wanted: Sequence[int], available: int) -> list[int]:
    """Each column its wanted width when they all fit; otherwise the columns wanting less than an even share keep
    their width, and the others share what is left evenly."""
    widths = list(wanted)
    if sum(wanted) <= available:
        return widths
    left = available
    by_width = sorted(range(len(wanted)), key=lambda column: wanted[column])
    for done, column in enumerate(by_width):
        share = left // (len(wanted) - done)
        if wanted[column] > share:
            for wide in by_width[done:]:
                widths[wide] = max(share, 1)
            break
        left -= wanted[column]
    return widths
