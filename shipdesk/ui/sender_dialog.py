"""File → Sender address…: the warehouse's return address printed on every label, kept in the cache.

The same rules as `shipdesk set-origin` (shipdesk/sender_setup.py): saved only whole, or cleared.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from shipdesk.cache import Cache
from shipdesk.cache.settings import origin_address, set_origin_address
from shipdesk.domain import Address
from shipdesk.sender_setup import SenderError, checked_sender

# The address's parts as the form shows them, in the order a label prints them.
FIELDS = (
    ("name", "&Name"),
    ("company", "C&ompany"),
    ("street1", "&Street"),
    ("street2", "Street &2"),
    ("city", "&City"),
    ("state", "S&tate or province"),
    ("postal_code", "&ZIP or postal code"),
    ("country", "Co&untry code"),
    ("phone", "&Phone"),
)


class SenderDialog(QDialog):
    """Shows the saved sender; Save checks and keeps it, a problem is said in the dialog and nothing is saved."""

    def __init__(self, cache: Cache, parent: QWidget) -> None:
        super().__init__(parent)
        self._cache = cache
        self.setWindowTitle("Sender address")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        saved = origin_address(cache)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name, label in FIELDS:
            field = QLineEdit(getattr(saved, name))
            self.fields[name] = field
            form.addRow(label, field)
        self.fields["country"].setPlaceholderText("US, CA, GB, DE…")
        # No length limit: "IRL" cut to "IR" would send the labels of an Irish warehouse from Iran. Save says to write
        # the 2-letter code instead.
        hint = QLabel("Printed as the return address on every label. Leave every field empty for labels without one.")
        hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def address(self) -> Address:
        return Address(**{name: field.text() for name, field in self.fields.items()})

    def save(self) -> None:
        try:
            sender = checked_sender(self.address())
        except SenderError as error:
            self.problem.setText(f"Not saved: {error}.")
            self.problem.show()
            return
        set_origin_address(self._cache, sender)
        self.accept()


def open_sender_dialog(parent: QWidget, cache: Cache) -> SenderDialog:
    dialog = SenderDialog(cache, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
