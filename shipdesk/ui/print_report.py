"""What a batch of labels did, in the words shown to the packer: file written, orders shipped, orders not printed.

Plain text with no Qt, so the wording is tested without a window.
"""

from __future__ import annotations

from collections.abc import Mapping

from shipdesk.domain import plural
from shipdesk.label_batch import LabelBatchResult


def batch_summary(result: LabelBatchResult) -> str:
    """For the status bar, e.g. 'Printed 3 labels; 3 orders marked shipped. In …/labels-….pdf'.

    The counts come first and the file last: a narrow status bar cuts the end of a long folder, not the news.
    """
    if result.pdf_path is None:
        return f"No labels printed: {plural(len(result.failed), 'order')} could not be printed."
    shipped = len(result.printed) - len(result.reprinted)
    text = f"Printed {plural(len(result.printed), 'label')}; {plural(shipped, 'order')} marked shipped"
    if result.reprinted:
        text += f", {len(result.reprinted):,} reprinted"
    if result.failed:
        text += f"; {len(result.failed):,} not printed"
    return f"{text}. In {result.pdf_path}"


def printer_batch_summary(result: LabelBatchResult, printer: str, numbers: Mapping[int, str]) -> str:
    """One sentence for a batch sent to a printer, naming the orders left unshipped by a printer fault or a cancel.

    `numbers` gives the order number of each queued order id.
    """
    shipped = len(result.printed) - len(result.reprinted)
    if result.printed:
        text = f"Printed {plural(len(result.printed), 'label')} on {printer}; {plural(shipped, 'order')} marked shipped"
        if result.reprinted:
            text += f", {len(result.reprinted):,} reprinted"
    else:
        text = f"No labels printed on {printer}"
    if result.failed:
        text += f"; {len(result.failed):,} not printed"
    if result.queued:
        left = (
            f"{plural(len(result.queued), 'order')} still queued, not marked shipped ({_some_numbers(result, numbers)})"
        )
        if result.printer_error:
            text += f"; {left}: {_clause(result.printer_error)}"
        elif result.cancelled:
            text += f"; cancelled, {left}"
        else:
            text += f"; {left}"
    return text + "."


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


_NAMED_IN_SUMMARY = 5  # the status bar names this many queued orders; the problem box lists them all


def _some_numbers(result: LabelBatchResult, numbers: Mapping[int, str]) -> str:
    shown = [numbers.get(order_id, f"#{order_id}") for order_id in result.queued[:_NAMED_IN_SUMMARY]]
    more = len(result.queued) - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more else "")


def _clause(error: str) -> str:
    """A printer error as the end of a sentence: 'The printer … did not answer.' → 'the printer … did not answer'."""
    error = error.strip().rstrip(".")
    return error[:1].lower() + error[1:]
