"""How a store's ShipStation statuses are read: a choice for each status that a mapping may read another way."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from shipdesk.upstream.shipstation_connector import MAPPABLE_STATUSES, MAPPED_TO


def _shown(word: str) -> str:
    return word.replace("_", " ").capitalize()


class StatusMapFields(QWidget):
    """One combo box a status, a status a row: "as usual (on hold)", or one of the readings a mapping may give."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices: dict[str, QComboBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for position, (word, usual) in enumerate(MAPPABLE_STATUSES.items()):
            combo = QComboBox()
            combo.addItem(f"as usual ({usual.label.lower()})", None)
            for status in MAPPED_TO:
                if status is not usual:
                    combo.addItem(status.label, status.value)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            label = QLabel(_shown(word))
            label.setBuddy(combo)
            grid.addWidget(label, position, 0)
            grid.addWidget(combo, position, 1, Qt.AlignmentFlag.AlignLeft)
            self.choices[word] = combo
        grid.setColumnStretch(1, 1)

    def mapping(self) -> dict[str, str]:
        """The statuses read another way, and how: what the store record keeps."""
        return {word: combo.currentData() for word, combo in self.choices.items() if combo.currentData()}

    def show_mapping(self, mapping: Mapping[str, str]) -> None:
        for word, combo in self.choices.items():
            index = combo.findData(mapping.get(word))
            combo.setCurrentIndex(max(index, 0))
