"""The words a label batch is reported in."""

from __future__ import annotations

from pathlib import Path

from shipdesk.label_batch import LabelBatchResult
from shipdesk.ui.print_report import batch_summary, failure_lines, printer_batch_summary, printer_problem, queued_line


def test_a_full_batch_names_the_file_without_its_folder() -> None:
    result = LabelBatchResult(
        pdf_path=Path("/tmp/shipdesk-x/labels/labels-2026-11-02-091500-3-orders.pdf"), printed=[1, 2, 3]
    )
    assert batch_summary(result) == "Wrote 3 labels to labels-2026-11-02-091500-3-orders.pdf."


def test_orders_not_printed_are_counted_against_the_labels_asked_for() -> None:
    result = LabelBatchResult(
        pdf_path=Path("/labels/a.pdf"), printed=[1, 2], reprinted=[2], failed=[(3, "order 1003: it was cancelled")]
    )
    assert batch_summary(result) == "Wrote 2 of 3 labels to a.pdf."
    assert failure_lines(result) == ["Order 1003: it was cancelled."]


def test_a_batch_where_nothing_printed_says_so() -> None:
    result = LabelBatchResult(failed=[(1, "order 1: no ship-to address"), (2, "order 2: it is not paid yet")])
    assert batch_summary(result) == "No labels printed: 2 orders could not be printed."
    assert failure_lines(result) == ["Order 1: no ship-to address.", "Order 2: it is not paid yet."]


NUMBERS = {1: "1001", 2: "1002", 3: "1003", 4: "1004"}


def test_a_batch_on_a_printer_names_the_printer() -> None:
    result = LabelBatchResult(printed=[1, 2, 3])
    assert printer_batch_summary(result, "Zebra") == "Printed 3 labels on Zebra."
    assert queued_line(result, NUMBERS) == ""


def test_a_printer_fault_is_said_in_the_box_and_the_orders_left_are_named_once() -> None:
    result = LabelBatchResult(
        printed=[1],
        queued=[2, 3],
        printer_error="The printer at 10.0.0.5:9100 cannot print: it is out of labels",
    )
    assert printer_batch_summary(result, "Zebra") == "Printed 1 of 3 labels on Zebra; 2 orders still to print."
    assert printer_problem(result, "Zebra") == (
        "Printed 1 of 3 labels on Zebra, then stopped: the printer at 10.0.0.5:9100 cannot print: it is out of labels."
    )
    assert queued_line(result, NUMBERS) == "Still to print, not marked shipped: 1002, 1003."


def test_a_printer_off_from_the_start_prints_nothing() -> None:
    result = LabelBatchResult(queued=[1, 2], printer_error="The printer at 10.0.0.5:9100 did not answer.")
    assert printer_batch_summary(result, "Zebra") == "No labels printed on Zebra; 2 orders still to print."
    assert (
        printer_problem(result, "Zebra") == "No labels printed on Zebra: the printer at 10.0.0.5:9100 did not answer."
    )


def test_a_stop_that_starts_with_a_name_keeps_its_capitals() -> None:
    result = LabelBatchResult(queued=[1], printer_error="ShipStation may have sold the label.")
    assert printer_problem(result, "Zebra") == "No labels printed on Zebra: ShipStation may have sold the label."


def test_a_cancelled_batch_says_so_with_the_count_left() -> None:
    queued = list(range(2, 12))
    result = LabelBatchResult(printed=[1], queued=queued, cancelled=True, failed=[(12, "order 1012: it was cancelled")])
    assert (
        printer_batch_summary(result, "Zebra")
        == "Printed 1 of 12 labels on Zebra; cancelled, 10 orders still to print."
    )
    numbers = {order_id: str(1000 + order_id) for order_id in range(1, 12)}
    assert queued_line(result, numbers).endswith("1010, 1011.")
