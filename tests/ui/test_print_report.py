"""The words a label batch is reported in."""

from __future__ import annotations

from pathlib import Path

from shipdesk.label_batch import LabelBatchResult
from shipdesk.ui.print_report import batch_summary, failure_lines, printer_batch_summary, queued_line


def test_a_full_batch_names_the_file_and_the_orders_shipped() -> None:
    result = LabelBatchResult(pdf_path=Path("/labels/a.pdf"), printed=[1, 2, 3])
    assert batch_summary(result) == "Printed 3 labels; 3 orders marked shipped. In /labels/a.pdf"


def test_reprints_and_failures_are_counted_apart() -> None:
    result = LabelBatchResult(
        pdf_path=Path("/labels/a.pdf"), printed=[1, 2], reprinted=[2], failed=[(3, "order 1003: it was cancelled")]
    )
    assert (
        batch_summary(result)
        == "Printed 2 labels; 1 order marked shipped, 1 reprinted; 1 not printed. In /labels/a.pdf"
    )
    assert failure_lines(result) == ["Order 1003: it was cancelled."]


def test_a_batch_where_nothing_printed_says_so() -> None:
    result = LabelBatchResult(failed=[(1, "order 1: no ship-to address"), (2, "order 2: it is not paid yet")])
    assert batch_summary(result) == "No labels printed: 2 orders could not be printed."
    assert failure_lines(result) == ["Order 1: no ship-to address.", "Order 2: it is not paid yet."]


NUMBERS = {1: "1001", 2: "1002", 3: "1003", 4: "1004"}


def test_a_batch_on_a_printer_names_the_printer() -> None:
    result = LabelBatchResult(printed=[1, 2, 3])
    assert printer_batch_summary(result, "Zebra", NUMBERS) == "Printed 3 labels on Zebra; 3 orders marked shipped."
    assert queued_line(result, NUMBERS) == ""


def test_a_printer_fault_names_the_orders_left_unshipped_and_the_fault() -> None:
    result = LabelBatchResult(
        printed=[1],
        queued=[2, 3],
        printer_error="The printer at 10.0.0.5:9100 cannot print: it is out of labels",
    )
    assert printer_batch_summary(result, "Zebra", NUMBERS) == (
        "Printed 1 label on Zebra; 1 order marked shipped; 2 orders still queued, not marked shipped (1002, 1003): "
        "the printer at 10.0.0.5:9100 cannot print: it is out of labels."
    )
    assert queued_line(result, NUMBERS) == "Still to print, not marked shipped: 1002, 1003."


def test_a_cancelled_batch_says_so_and_a_long_queue_is_shortened() -> None:
    queued = list(range(2, 12))
    numbers = {order_id: str(1000 + order_id) for order_id in range(1, 12)}
    result = LabelBatchResult(printed=[1], queued=queued, cancelled=True, failed=[(12, "order 1012: it was cancelled")])
    assert printer_batch_summary(result, "Zebra", numbers) == (
        "Printed 1 label on Zebra; 1 order marked shipped; 1 not printed; cancelled, 10 orders still queued, "
        "not marked shipped (1002, 1003, 1004, 1005, 1006 and 5 more)."
    )
    assert queued_line(result, numbers).endswith("1010, 1011.")
