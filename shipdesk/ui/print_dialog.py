"""The print dialog: the printer, carrier, service, package and label size a batch of labels goes out with.

It offers the saved printer profiles and the built-in PDF folder, remembers the printer last used, and test-prints.
It opens on the shipping the store assigned or the packer printed with before, and says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QPalette, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shipdesk.cache import Cache
from shipdesk.cache.printers import PrinterProfile, default_printer_profile, list_printers
from shipdesk.cache.settings import (
    LAST_LABEL_PRINTER,
    REMEMBERED_SHIPPING_CHOICES,
    get_setting,
    has_origin_address,
    set_setting,
)
from shipdesk.cache.stores import get_store
from shipdesk.cli_printers import test_job
from shipdesk.domain import LabelSize, plural
from shipdesk.label_batch import OWN_COURIER, STANDARD_SERVICE, ShippingChoice, default_printer, profile_label_size
from shipdesk.printing.errors import PrinterError
from shipdesk.shipping.carrier_catalog import CarrierChoices, Choice
from shipdesk.shipping.remembered_choices import (
    OrderShipping,
    Preselection,
    ShippingPick,
    offered_carrier,
    preselection,
    remembered_after_printing,
    remembered_from_json,
    remembered_to_json,
)
from shipdesk.shipping.shipstation_labels import LabelRequest
from shipdesk.shipstation_shipping import shipping_choices
from shipdesk.ui.parcel_fields import ParcelFields
from shipdesk.ui.print_worker import JobSendThread, PrintRequest
from shipdesk.ui.printers_dialog import printer_words
from shipdesk.upstream.shipstation_connector import KIND as SHIPSTATION

LABEL_SIZE_NAMES = {
    LabelSize.FOUR_BY_SIX: "4 × 6 in",
    LabelSize.FOUR_BY_FOUR: "4 × 4 in",
    LabelSize.A6: "A6",
    LabelSize.LETTER_TWO_UP: "Letter, 2 labels a sheet",
    LabelSize.A4_TWO_UP: "A4, 2 labels a sheet",
}


NO_SENDER = (
    "No sender address yet: these labels print without a return address. Set it in File → Sender address…, "
    "and every label after carries it."
)
REFUSED_EXAMPLES = 5  # orders named in the warning about orders that will not print


class PrintDialog(QDialog):
    def __init__(
        self,
        cache: Cache,
        order_ids: Sequence[int],
        stores: Iterable[str],
        parent: QWidget,
        *,
        refused: Sequence[tuple[str, str]] = (),
        reprints: Sequence[str] = (),
        shipping: Sequence[OrderShipping] = (),
    ) -> None:
        """`refused` names the orders the batch will not print ((order number, why), one for each order), `reprints`
        those already shipped, to say so before Print. `shipping` is what the orders that will print say of their
        shipping: the dialog opens on the choice they call for."""
        super().__init__(parent)
        self._cache = cache
        self._order_ids = tuple(order_ids)
        self._refused = list(refused)
        self._shipping = tuple(shipping)
        self._preselected: tuple[str, str, str] | None = None  # carrier, service and package texts, while unchanged
        self._test: JobSendThread | None = None
        self._test_printer = ""
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(520)

        self.printer = QComboBox()
        self.test_button = QPushButton("Test print")
        self.test_button.setToolTip("Send a sample label to this printer; no order changes")
        self.printer_detail = QLabel()
        self.printer_detail.setTextFormat(Qt.TextFormat.PlainText)
        self.printer_detail.setWordWrap(True)
        self.carrier = _free_text_combo()
        self.service = _free_text_combo()
        self.package = _free_text_combo()
        package_text = self.package.lineEdit()
        assert package_text is not None  # an editable combo box has its line edit
        package_text.setPlaceholderText("none")
        self.choice_note = _quiet_note()
        self.label_size = QComboBox()
        for size, name in LABEL_SIZE_NAMES.items():
            self.label_size.addItem(name, size)
        self.tracking = QLineEdit()
        self.buy = QCheckBox("&Buy the labels through ShipStation (charged to the account)")
        self.parcel = ParcelFields(self)
        self.refused_note = _warning(refused_text(len(self._order_ids), self._refused))
        self.refused_note.setVisible(bool(refused))
        self._reprints = tuple(reprints)
        self.reprint_note = _warning("")
        self.reprint_note.setVisible(bool(reprints))
        self._has_sender = has_origin_address(cache)
        self.sender_note = _warning(NO_SENDER)
        stores = set(stores)
        self._purchase_store = _one_shipstation_store(cache, stores)
        self._carriers = _carrier_choices(cache, stores)
        self._fill_printers()
        self._fill_carriers()
        self._set_tracking_field()
        self._set_reprint_note()
        self._set_sender_note()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.print_button = buttons.addButton("Print", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._build_layout(buttons)
        # Enter presses Print. Only once the button is in the dialog: made default before, the dialog knew nothing of
        # it and made the first button, Test print, its default when it opened.
        self.print_button.setDefault(True)
        self._set_label_count()

        self.printer.currentIndexChanged.connect(self._printer_changed)
        self.carrier.currentIndexChanged.connect(self._carrier_changed)
        self.buy.toggled.connect(self._set_tracking_field)
        self.buy.toggled.connect(self._set_reprint_note)
        self.buy.toggled.connect(self._set_sender_note)
        self.buy.toggled.connect(self.parcel.set_shown)
        self.buy.toggled.connect(self._set_label_count)
        self.test_button.clicked.connect(self.test_print)
        self._printer_changed()
        self._preselect()
        for combo in (self.carrier, self.service, self.package):
            combo.currentTextChanged.connect(self._set_choice_note)
        for widget in (self, *self.findChildren(QWidget)):
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Drops the repeats of an Enter held down: Enter in the orders table opens this dialog, and the key still
        down must not go on to press Print; only a fresh press of Enter prints."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.isAutoRepeat()
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            return True
        return super().eventFilter(watched, event)

    def _build_layout(self, buttons: QDialogButtonBox) -> None:
        printer_row = QHBoxLayout()
        printer_row.addWidget(self.printer, 1)
        printer_row.addWidget(self.test_button)
        form = QFormLayout()
        printer_label = QLabel("&Printer")
        printer_label.setBuddy(self.printer)  # a row of a layout gets no buddy of its own
        form.addRow(printer_label, printer_row)
        form.addRow("", self.printer_detail)
        form.addRow("&Carrier", self.carrier)
        form.addRow("&Service", self.service)
        form.addRow("", self.choice_note)
        form.addRow("Pac&kage", self.package)
        form.addRow("", self.buy)
        self.parcel.add_rows(form)
        form.addRow("&Label size", self.label_size)
        form.addRow("&Tracking number", self.tracking)
        self._form = form
        form.setRowVisible(self.choice_note, False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.refused_note)
        layout.addWidget(self.reprint_note)
        layout.addWidget(self.sender_note)
        layout.addWidget(buttons)

    # ------------------------------------------------------------------ choices offered

    def _fill_printers(self) -> None:
        model = self.printer.model()
        assert isinstance(model, QStandardItemModel)
        for profile in list_printers(self._cache):
            try:
                profile_label_size(profile)
                usable = True
            except PrinterError:
                usable = False
            suffix = " (default)" if profile.is_default else ""
            self.printer.addItem(profile.name + suffix if usable else f"{profile.name} — receipt paper, slips only")
            self.printer.setItemData(self.printer.count() - 1, profile)
            model.item(self.printer.count() - 1).setEnabled(usable)
        self.printer.addItem("PDF folder", None)
        self.printer.setCurrentIndex(self._first_choice())

    def _first_choice(self) -> int:
        """The printer last printed to, else the default profile, else the PDF folder."""
        last = get_setting(self._cache, LAST_LABEL_PRINTER)
        default = default_printer_profile(self._cache)
        wanted = [last] if isinstance(last, str) else []
        wanted += [default.name] if default is not None else []
        pdf_folder = self.printer.count() - 1
        for name in wanted:
            for index in range(self.printer.count()):
                profile = self.printer.itemData(index)
                found = (profile is None and name == "") or (profile is not None and profile.name == name)
                if found and self._enabled(index):
                    return index
        return pdf_folder

    def _enabled(self, index: int) -> bool:
        model = self.printer.model()
        assert isinstance(model, QStandardItemModel)
        return model.item(index).isEnabled()

    def _fill_carriers(self) -> None:
        self.carrier.addItem(OWN_COURIER, None)
        for choices in self._carriers:
            self.carrier.addItem(choices.name, choices)
        self.carrier.setCurrentIndex(0)
        self._carrier_changed()

    def _preselect(self) -> None:
        """Opens on the choice the orders call for, as if the packer had picked it (Buy follows the carrier), and
        says why under the service."""
        remembered = remembered_from_json(get_setting(self._cache, REMEMBERED_SHIPPING_CHOICES))
        chosen = preselection(self._shipping, self._carriers, remembered)
        if chosen is None:
            return
        self._show_pick(chosen)
        self._preselected = self._shown_texts()
        self.choice_note.setText(chosen.note)
        self._set_choice_note()

    def _show_pick(self, chosen: Preselection) -> None:
        pick = chosen.pick
        carrier = offered_carrier(pick, self._carriers)
        if carrier is None:
            # Own courier, or a carrier typed in: its texts go back into the editable boxes as they were.
            self.carrier.setCurrentIndex(0)
            if pick.carrier and pick.carrier != OWN_COURIER:
                self.carrier.setCurrentText(pick.carrier)
            if pick.service:
                self.service.setCurrentText(pick.service)
            if pick.package:
                self.package.setCurrentText(pick.package)
            return
        self.carrier.setCurrentIndex(1 + self._carriers.index(carrier))  # after Other / own courier
        services = [service.code for service in carrier.services]
        if pick.service in services:
            self.service.setCurrentIndex(services.index(pick.service))
        packages = [package.code for package in carrier.packages]
        if pick.package in packages:
            self.package.setCurrentIndex(1 + packages.index(pick.package))  # after "none"
        if self.buy.isEnabled() and not pick.buy:
            self.buy.setChecked(False)  # as the packer left it when printing with this carrier last
        confirmation = self.parcel.confirmation.findData(chosen.confirmation) if chosen.confirmation else -1
        if confirmation >= 0:
            self.parcel.confirmation.setCurrentIndex(confirmation)

    def _shown_texts(self) -> tuple[str, str, str]:
        return self.carrier.currentText(), self.service.currentText(), self.package.currentText()

    def _set_choice_note(self) -> None:
        """The note says why while the choice is the one the dialog opened on; changed by hand, it goes."""
        shown = self._preselected is not None and self._shown_texts() == self._preselected
        self._form.setRowVisible(self.choice_note, shown)

    def _set_tracking_field(self) -> None:
        if self.buy.isChecked():
            self.tracking.setEnabled(False)
            self.tracking.setPlaceholderText("the carrier's, with the label bought")
        elif len(self._order_ids) == 1:
            self.tracking.setEnabled(True)
            self.tracking.setPlaceholderText("the carrier's number, or empty for one made by shipdesk")
        else:
            self.tracking.setEnabled(False)
            self.tracking.setPlaceholderText("one per order, made by shipdesk")

    def _set_sender_note(self) -> None:
        # A bought label carries the ship-from address of the ShipStation account, not ours.
        self.sender_note.setVisible(not self._has_sender and not self.buy.isChecked())

    def _set_reprint_note(self) -> None:
        self.reprint_note.setText(reprint_text(self._reprints, buying=self.buy.isChecked()))

    @property
    def label_count(self) -> int:
        """The labels Print makes: one per order, less the orders refused, and less those shipped when buying."""
        shipped = len(self._reprints) if self.buy.isChecked() else 0
        return max(0, len(self._order_ids) - len(self._refused) - shipped)

    def _set_label_count(self) -> None:
        count = self.label_count
        self.setWindowTitle(f"Print {plural(count, 'label')}" if count else "No labels to print")
        self.print_button.setEnabled(count > 0)

    # ------------------------------------------------------------------ reacting to choices

    def chosen_profile(self) -> PrinterProfile | None:
        profile = self.printer.currentData()
        return profile if isinstance(profile, PrinterProfile) else None

    def _printer_changed(self) -> None:
        profile = self.chosen_profile()
        self.test_button.setEnabled(profile is not None)
        if profile is None:
            self.label_size.setEnabled(True)
            self.label_size.setToolTip("")
            self.printer_detail.setText(f"One PDF of all the labels, written to {default_printer(self._cache).folder}")
            return
        size = profile_label_size(profile)
        self.label_size.setCurrentIndex(self.label_size.findData(size))
        self.label_size.setEnabled(False)  # a thermal printer prints on the media it holds
        self.label_size.setToolTip(f"Set by the media of {profile.name}")
        self.printer_detail.setText(printer_words(profile))

    def _carrier_changed(self) -> None:
        choices = self.carrier.currentData()
        services = [STANDARD_SERVICE]
        packages: list[str] = []
        if isinstance(choices, CarrierChoices):
            services = [service.name for service in choices.services]
            packages = [package.name for package in choices.packages]
        _refill(self.service, services)
        _refill(self.package, ["", *packages])
        # A carrier of the ShipStation account means a label bought there, with the carrier's own tracking number.
        can_buy = isinstance(choices, CarrierChoices) and self._purchase_store is not None
        self.buy.setEnabled(can_buy)
        self.buy.setChecked(can_buy)
        self.parcel.set_shown(can_buy)
        if isinstance(choices, CarrierChoices) and not can_buy:
            self.buy.setToolTip("Only orders of one ShipStation store can have their labels bought together")
        else:
            self.buy.setToolTip("")
        self._set_tracking_field()

    # ------------------------------------------------------------------ test print

    def test_print(self) -> None:
        profile = self.chosen_profile()
        if profile is None or self._test is not None:
            return
        try:
            job = test_job(self._cache, profile)
        except (PrinterError, ValueError) as error:
            self.printer_detail.setText(f"No test label: {error}")
            return
        self._test = JobSendThread(profile, job)
        self._test_printer = profile.name
        self._test.finished.connect(self._test_done)
        self.test_button.setEnabled(False)
        self.printer_detail.setText(f"Sending a test label to {profile.name}…")
        self._test.start()

    @property
    def test_running(self) -> bool:
        return self._test is not None

    def _test_done(self) -> None:
        test = self._test
        if test is None:
            return
        test.wait()  # finished is sent just before the thread's last steps
        self._test = None
        test.deleteLater()
        self.test_button.setEnabled(self.chosen_profile() is not None)
        if test.error:
            self.printer_detail.setText(f"Test label not printed: {test.error}")
        else:
            self.printer_detail.setText(f"Sent a test label to {self._test_printer}.")

    # ------------------------------------------------------------------ the answer

    def request(self) -> PrintRequest:
        profile = self.chosen_profile()
        size = self.label_size.currentData()
        choice = ShippingChoice(
            carrier=self.carrier.currentText().strip() or OWN_COURIER,
            service=self.service.currentText().strip() or STANDARD_SERVICE,
            package=self.package.currentText().strip(),
            label_size=size if isinstance(size, LabelSize) else LabelSize.FOUR_BY_SIX,
            tracking_number=self.tracking.text().strip() if len(self._order_ids) == 1 else "",
        )
        return PrintRequest(
            self._order_ids, choice, profile, self._purchase(), self._purchase_store or "", label_count=self.label_count
        )

    def chosen_pick(self) -> ShippingPick:
        """The carrier, service and package as a choice to remember: an account carrier's in its codes, any other
        as the texts shown."""
        choices = self.carrier.currentData()
        carrier = self.carrier.currentText().strip() or OWN_COURIER
        if isinstance(choices, CarrierChoices) and carrier == choices.name:
            return ShippingPick(
                choices.code,
                choices.name,
                _code(choices.services, self.service.currentText()),
                _code(choices.packages, self.package.currentText()),
                buy=self.buy.isChecked() or not self.buy.isEnabled(),
            )
        return ShippingPick("", carrier, self.service.currentText().strip(), self.package.currentText().strip())

    def _purchase(self) -> LabelRequest | None:
        """The label purchase asked for, in the account's codes; None when shipdesk makes the labels."""
        choices = self.carrier.currentData()
        if not self.buy.isChecked() or not isinstance(choices, CarrierChoices):
            return None
        service = _code(choices.services, self.service.currentText())
        package = _code(choices.packages, self.package.currentText()) or None
        return self.parcel.label_request(choices.code, service, package)

    def accept(self) -> None:
        if self.buy.isChecked() and not self.parcel.check():
            return  # the field that cannot be read says why, and the dialog stays open
        profile = self.chosen_profile()
        set_setting(self._cache, LAST_LABEL_PRINTER, profile.name if profile is not None else "")
        remembered = remembered_from_json(get_setting(self._cache, REMEMBERED_SHIPPING_CHOICES))
        remembered = remembered_after_printing(remembered, self.chosen_pick(), self._shipping)
        set_setting(self._cache, REMEMBERED_SHIPPING_CHOICES, remembered_to_json(remembered))
        super().accept()

    def done(self, result: int) -> None:
        # A test print in flight ends first (at most the device timeout), so no thread outlives the dialog.
        self._test_done()
        super().done(result)


def _free_text_combo() -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


def _refill(combo: QComboBox, texts: list[str]) -> None:
    combo.clear()
    combo.addItems(texts)
    combo.setCurrentIndex(0 if texts else -1)


def _code(choices: Sequence[Choice], text: str) -> str:
    """The code of the choice named `text`; typed text that names none is taken as a code."""
    wanted = text.strip()
    return next((choice.code for choice in choices if choice.name == wanted), wanted)


def _one_shipstation_store(cache: Cache, stores: set[str]) -> str | None:
    """The store the orders come from when it is one ShipStation store, which can sell their labels."""
    if len(stores) != 1:
        return None
    (name,) = stores
    record = get_store(cache, name)
    return name if record is not None and record.kind == SHIPSTATION else None


def _carrier_choices(cache: Cache, stores: Iterable[str]) -> list[CarrierChoices]:
    """The carriers kept for the orders' stores (ShipStation accounts), each name once."""
    seen: dict[str, CarrierChoices] = {}
    for store in sorted(set(stores)):
        for choices in shipping_choices(cache, store):
            seen.setdefault(choices.name, choices)
    return list(seen.values())


def refused_text(selected: int, refused: Sequence[tuple[str, str]]) -> str:
    """'2 of 5 orders will not be printed: 1227 (no item that needs shipping), 1140 (no ship-to address).'

    `refused` holds each order the batch will not print, as (its name, why), one entry for each order.
    """
    if not refused:
        return ""
    named = [f"{name} ({reason})" for name, reason in refused[:REFUSED_EXAMPLES]]
    more = f" and {len(refused) - REFUSED_EXAMPLES:,} more" if len(refused) > REFUSED_EXAMPLES else ""
    if len(refused) >= selected:
        head = "None of the selected orders can be printed" if selected > 1 else "This order cannot be printed"
    else:
        head = f"{len(refused):,} of {plural(selected, 'order')} will not be printed"
    return f"{head}: {', '.join(named)}{more}."


VOID_MENU = "Orders → Void labels…"


def reprint_text(numbers: Sequence[str], *, buying: bool) -> str:
    """The orders already shipped, and what Print does with them: the same label again, or nothing when buying."""
    if not numbers:
        return ""
    named = ", ".join(numbers[:REFUSED_EXAMPLES])
    more = f" and {len(numbers) - REFUSED_EXAMPLES:,} more" if len(numbers) > REFUSED_EXAMPLES else ""
    if buying:
        # The purchase refuses a shipped order (shipping/shipstation_labels.py): no label is paid for twice.
        return (
            f"Already shipped, so no second label is bought: {named}{more}. Untick Buy to print their labels again, "
            f"or void them first ({VOID_MENU}) to buy new ones."
        )
    return (
        f"Already shipped, printed again with the same tracking number: {named}{more}. "
        f"To ship with another choice, void the label first ({VOID_MENU})."
    )


def _quiet_note() -> QLabel:
    """A small grey note of one line under a field, its text shown as written."""
    note = QLabel()
    note.setTextFormat(Qt.TextFormat.PlainText)
    palette = note.palette()
    palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText))
    note.setPalette(palette)
    font = note.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    note.setFont(font)
    return note


def _warning(text: str) -> QLabel:
    """A note in the dialog's warning colour, wrapped, its text shown as written."""
    note = QLabel(text)
    note.setTextFormat(Qt.TextFormat.PlainText)
    note.setWordWrap(True)
    note.setStyleSheet("color: #b35900;")
    return note
