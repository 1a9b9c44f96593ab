"""The progress of a label batch: a bar of the labels done, the order just printed, and Cancel.

Cancel asks the batch to stop after the label in flight; the dialog stays open until the batch has stopped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from shipdesk.domain import plural
from shipdesk.label_batch import Progress


class PrintProgressDialog(QDialog):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget, printer_name: str, total: int, *, cancellable: bool) -> None:
        """`total` is the labels expected, the orders the print dialog said will not print left out."""
        super().__init__(parent)
        self.setWindowTitle(f"Printing labels — {printer_name}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        self._cancellable = cancellable
        self._done = 0
        if cancellable:
            first = f"Sending {plural(total, 'label')} to {printer_name}…"
        else:
            first = f"Writing {plural(total, 'label')} to one PDF in the label folder…"
        self.headline = QLabel(first)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.detail = QLabel("")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.bar = QProgressBar()
        if cancellable:
            self.bar.setRange(0, total)
            self.bar.setFormat("%v of %m")
        else:
            self.bar.setRange(0, 0)  # a PDF is made in one go: a busy bar, not a count
        self.bar.setValue(0)
        buttons = QDialogButtonBox()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop after the label being printed; the others stay unshipped")
        # Only a click, Space or Escape cancels: Enter ends every barcode scanned meanwhile, such as the next order's.
        self.cancel_button.setAutoDefault(False)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.clicked.connect(self._request_cancel)
        self.cancel_button.setVisible(cancellable)

        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)
        layout.addWidget(buttons)

    def show_progress(self, progress: Progress) -> None:
        # A printer fault is reported without a new label done: then the message is the headline.
        if progress.done > self._done:
            self.headline.setText(f"Label {progress.done} of {progress.total} — order {progress.order_number}")
        else:
            self.headline.setText(progress.message)
        self._done = progress.done
        if self._cancellable:
            # The batch counts every order it went through, one it refused too: the bar follows its count.
            self.bar.setMaximum(progress.total)
        self.bar.setValue(progress.done)
        if self.cancel_button.isEnabled():
            self.detail.setText(progress.message)

    def reject(self) -> None:
        """Escape and the close button cancel the batch rather than hide a batch that still prints."""
        self._request_cancel()

    def _request_cancel(self) -> None:
        if not self._cancellable or not self.cancel_button.isEnabled():
            return
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Stopping…")
        self.detail.setText("Stopping after the label being printed; the others will stay unshipped.")
        self.cancel_requested.emit()
