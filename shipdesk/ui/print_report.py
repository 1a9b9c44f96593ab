"""What a batch of labels did, in the words shown to the packer: file written, labels printed, orders not printed.

Plain text with no Qt, so the wording is tested without a window.
"""

from __future__ import annotations

from collections.abc import Mapping

from shipdesk.domain import plural
from shipdesk.label_batch import LabelBatchResult


def batch_summary(result: LabelBatchResult) -> str:
    """For the status bar, e.g. 'Wrote 2 of 3 labels to labels-2026-11-02-091500-2-orders.pdf.'

    Short enough to sit beside the status bar's counts on a 1024-pixel screen: the file's name only, as the Open labels
    PDF button has the whole path, and the orders not printed as a count, as the problem box names them.
    """
    if result.pdf_path is None:
        return f"No labels printed: {plural(len(result.failed), 'order')} could not be printed."
    return f"Wrote {_labels(result)} to {result.pdf_path.name}."


def printer_batch_summary(result: LabelBatchResult, printer: str) -> str:
    """For the status bar, short: 'Printed 1 of 3 labels on Zebra; 2 orders still to print.'

    The problem box says why a batch stopped and names the orders left; a cancelled batch leaves them selected.
    """
    text = f"Printed {_labels(result)} on {printer}" if result.printed else f"No labels printed on {printer}"
    if result.queued:
        left = f"{plural(len(result.queued), 'order')} still to print"
        text += f"; cancelled, {left}" if result.cancelled else f"; {left}"
    return text + "."


def printer_problem(result: LabelBatchResult, printer: str) -> str:
    """The problem box's main line when the printer stopped a batch: what came out, then the printer's fault.

    'Printed 1 label on Zebra, then stopped: the printer at 10.0.0.5:9100 cannot print: it is out of labels.'
    """
    if not result.printer_error:
        return printer_batch_summary(result, printer)
    if result.printed:
        head = f"Printed {_labels(result)} on {printer}, then stopped"
    else:
        head = f"No labels printed on {printer}"
    return f"{head}: {_clause(result.printer_error)}."


def queued_line(result: LabelBatchResult, numbers: Mapping[int, str]) -> str:
    """Every order left unshipped, for the problem box: 'Still to print, not marked shipped: 1002, 1003.'"""
    if not result.queued:
        return ""
    listed = ", ".join(numbers.get(order_id, f"#{order_id}") for order_id in result.queued)
    return f"Still to print, not marked shipped: {listed}."


def failure_lines(result: LabelBatchResult) -> list[str]:
    """One line per order that was not printed, with its reason: 'Order 1140: no ship-to address.'"""
    return [_sentence(reason) for _order_id, reason in result.failed]


def _sentence(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        return "An order was not printed."
    return reason[0].upper() + reason[1:] + ("" if reason.endswith(".") else ".")


def _labels(result: LabelBatchResult) -> str:
    """The labels out of those asked for: '3 labels', or '2 of 3 labels' when some order was not printed."""
    asked = len(result.printed) + len(result.failed) + len(result.queued)
    if asked > len(result.printed):
        return f"{len(result.printed):,} of {plural(asked, 'label')}"
    return plural(len(result.printed), "label")


def _clause(error: str) -> str:
    """A printer error as the end of a sentence: 'The printer … did not answer.' → 'the printer … did not answer'."""
    error = error.strip().rstrip(".")
    first_word = error.split(" ", 1)[0]
    if any(letter.isupper() for letter in first_word[1:]):  # a name stays as it is: "ShipStation's answer …"
        return error
    return error[:1].lower() + error[1:]
