"""The words a label batch is reported in."""

from __future__ import annotations

from pathlib import Path

from shipdesk.label_batch import LabelBatchResult
from shipdesk.ui.print_report import batch_summary, failure_lines


def test_a_full_batch_names_the_file_and_the_orders_shipped() -> None:
    result = LabelBatchResult(pdf_path=Path("/labels/a.pdf"), printed=[1, 2, 3])
    assert batch_summary(result) == "Printed 3 labels to /labels/a.pdf; 3 orders marked shipped."


def test_reprints_and_failures_are_counted_apart() -> None:
    result = LabelBatchResult(
        pdf_path=Path("/labels/a.pdf"), printed=[1, 2], reprinted=[2], failed=[(3, "order 1003: it was cancelled")]
    )
    assert (
        batch_summary(result)
        == "Printed 2 labels to /labels/a.pdf; 1 order marked shipped, 1 reprinted; 1 not printed."
    )
    assert failure_lines(result) == ["Order 1003: it was cancelled."]


def test_a_batch_where_nothing_printed_says_so() -> None:
    result = LabelBatchResult(failed=[(1, "order 1: no ship-to address"), (2, "order 2: it is not paid yet")])
    assert batch_summary(result) == "No labels printed: 2 orders could not be printed."
    assert failure_lines(result) == ["Order 1: no ship-to address.", "Order 2: it is not paid yet."]
