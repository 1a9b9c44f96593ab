"""The parcel of a label bought from the store's account: weight, size, delivery confirmation and insurance.

Empty weight means the order's own; a field that cannot be read says how to write it, and nothing is bought.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit

from shipdesk.shipping.parcel_text import (
    DIMENSIONS_EXAMPLE,
    WEIGHT_EXAMPLE,
    read_dimensions,
    read_money,
    read_weight,
)
from shipdesk.shipping.shipstation_labels import CONFIRMATIONS, LabelRequest

CONFIRMATION_NAMES = {
    "none": "None",
    "delivery": "Delivery confirmation",
    "signature": "Signature",
    "adult_signature": "Adult signature",
    "direct_signature": "Direct signature",
}


class ParcelFields(QObject):
    """The parcel's fields, laid out as rows of the dialog's own form so their labels line up with the others."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.weight = QLineEdit()
        self.weight.setPlaceholderText(f"the order's own weight, or e.g. {WEIGHT_EXAMPLE}")
        self.dimensions = QLineEdit()
        self.dimensions.setPlaceholderText(f"optional, e.g. {DIMENSIONS_EXAMPLE}")
        self.confirmation = QComboBox()
        for code in CONFIRMATIONS:
            self.confirmation.addItem(CONFIRMATION_NAMES.get(code, code), code)
        self.insured_value = QLineEdit()
        self.insured_value.setPlaceholderText("not insured")
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)  # right under its field
        self._form: QFormLayout | None = None
        self._shown = True

    def add_rows(self, form: QFormLayout) -> None:
        """Adds a row to `form` for each field, and one under them for what cannot be read."""
        form.addRow("&Weight", self.weight)
        form.addRow("Si&ze", self.dimensions)
        form.addRow("C&onfirmation", self.confirmation)
        form.addRow("&Insure for", self.insured_value)
        form.addRow("", self.problem)
        self._form = form
        self.set_shown(self._shown)

    def set_shown(self, shown: bool) -> None:
        """Shows or hides the parcel's rows together; the problem row only while there is a problem to say."""
        self._shown = shown
        if self._form is None:
            return
        for field in (self.weight, self.dimensions, self.confirmation, self.insured_value):
            self._form.setRowVisible(field, shown)
        self._form.setRowVisible(self.problem, shown and bool(self.problem.text()))

    def check(self) -> bool:
        """Whether every field can be read; shows what to fix when one cannot."""
        for name, field, reader in (
            ("Weight", self.weight, read_weight),
            ("Size", self.dimensions, read_dimensions),
            ("Insure for", self.insured_value, read_money),
        ):
            try:
                reader(field.text())
            except ValueError as error:
                self.problem.setText(f"{name}: {error}.")
                self.set_shown(self._shown)
                field.setFocus()
                return False
        self.problem.clear()
        self.set_shown(self._shown)
        return True

    def label_request(self, carrier_code: str, service_code: str, package_code: str | None) -> LabelRequest:
        """The purchase with this parcel; call check() first, as a field that cannot be read raises ValueError."""
        confirmation = self.confirmation.currentData()
        return LabelRequest(
            carrier_code=carrier_code,
            service_code=service_code,
            package_code=package_code,
            confirmation=None if confirmation == "none" else confirmation,
            weight=read_weight(self.weight.text()),
            dimensions=read_dimensions(self.dimensions.text()),
            insured_value=read_money(self.insured_value.text()),
        )
