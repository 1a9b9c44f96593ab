"""What a batch of labels did, in the words shown to the packer: file written, orders shipped, orders not printed.

Plain text with no Qt, so the wording is tested without a window.
"""

from __future__ import annotations

from shipdesk.label_batch import LabelBatchResult
from shipdesk.ui.order_text import plural


def batch_summary(result: LabelBatchResult) -> str:
    """One sentence for the status bar, e.g. 'Printed 3 labels to …/labels-….pdf; 3 orders marked shipped.'"""
    if result.pdf_path is None:
        return f"No labels printed: {plural(len(result.failed), 'order')} could not be printed."
    shipped = len(result.printed) - len(result.reprinted)
    text = f"Printed {plural(len(result.printed), 'label')} to {result.pdf_path}"
    text += f"; {plural(shipped, 'order')} marked shipped"
    if result.reprinted:
        text += f", {len(result.reprinted):,} reprinted"
    if result.failed:
        text += f"; {len(result.failed):,} not printed"
    return text + "."


def failure_lines(result: LabelBatchResult) -> list[str]:
    """One line per order that was not printed, with its reason: 'Order 1140: no ship-to address.'"""
    return [_sentence(reason) for _order_id, reason in result.failed]


def _sentence(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        return "An order was not printed."
    return reason[0].upper() + reason[1:] + ("" if reason.endswith(".") else ".")
