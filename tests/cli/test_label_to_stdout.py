"""`--out -` sends the label (or slips) to stdout for a pipe, such as `| lp`: the bytes alone there, words on stderr.

An order counts as shipped only once its label has gone down the pipe whole.
"""

from __future__ import annotations

import os
import pty
from pathlib import Path

from tests.cli.running import orders_json, outbox, shipdesk, with_orders
from tests.printing.scanning import needs_zbar, pdf_scan


@needs_zbar
def test_a_label_to_a_dash_is_the_pdf_on_stdout_and_what_was_done_is_said_on_stderr(tmp_path: Path) -> None:
    db = with_orders(tmp_path)

    printed = shipdesk(db, "label", "1001", "--out", "-", cwd=tmp_path)

    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith(b"%PDF-") and printed.stdout.rstrip().endswith(b"%%EOF")
    piped = tmp_path / "piped.pdf"
    piped.write_bytes(printed.stdout)
    assert pdf_scan(piped) == [outbox(db)[0]["tracking_number"]]
    said = printed.stderr.decode()
    assert "Wrote 1 label to stdout." in said and "1 order marked shipped." in said
    assert not (tmp_path / "-").exists()
    assert orders_json(db)["1001"]["status"] == "shipped"


def test_a_zpl_label_to_a_dash_is_the_printer_job_on_stdout(tmp_path: Path) -> None:
    db = with_orders(tmp_path)

    printed = shipdesk(db, "label", "1001", "--format", "zpl", "--out", "-", cwd=tmp_path)

    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.lstrip().startswith(b"^XA") and printed.stdout.rstrip().endswith(b"^XZ")
    assert str(outbox(db)[0]["tracking_number"]).encode() in printed.stdout
    assert "Wrote 1 label to stdout." in printed.stderr.decode()
    assert not (tmp_path / "-").exists()


def test_a_label_is_not_poured_onto_the_terminal_and_its_order_stays_to_pack(tmp_path: Path) -> None:
    db = with_orders(tmp_path)
    terminal, terminal_end = pty.openpty()
    try:
        printed = shipdesk(db, "label", "1001", "--out", "-", stdout=terminal_end)
    finally:
        os.close(terminal_end)
        os.close(terminal)

    assert printed.returncode == 1
    [said] = printed.stderr.decode().splitlines()
    assert "stdout is a terminal" in said and "| lp" in said and "--out" in said
    assert orders_json(db)["1001"]["status"] == "awaiting_shipment"
    assert outbox(db) == []


def test_a_label_the_pipe_did_not_take_leaves_its_order_to_pack(tmp_path: Path) -> None:
    db = with_orders(tmp_path)
    reader, writer = os.pipe()
    os.close(reader)  # the program at the other end of the pipe has gone: nothing reaches a printer
    try:
        printed = shipdesk(db, "label", "1001", "--out", "-", stdout=writer)
    finally:
        os.close(writer)

    assert printed.returncode == 1
    assert not (tmp_path / "-").exists()
    assert orders_json(db)["1001"]["status"] == "awaiting_shipment"
    assert outbox(db) == []


def test_packing_slips_and_a_pick_list_to_a_dash_go_to_stdout(tmp_path: Path) -> None:
    db = with_orders(tmp_path)

    slips = shipdesk(db, "slips", "1001", "--offline", "--out", "-", cwd=tmp_path)
    picks = shipdesk(db, "pick-list", "1001", "--out", "-", cwd=tmp_path)

    assert slips.returncode == 0 and picks.returncode == 0, (slips.stderr, picks.stderr)
    assert slips.stdout.startswith(b"%PDF-") and picks.stdout.startswith(b"%PDF-")
    assert slips.stderr.decode().splitlines() == ["Wrote 1 packing slip to stdout."]
    assert picks.stderr.decode().splitlines() == ["Wrote the pick list of 1 order (1 line) to stdout."]
    assert not (tmp_path / "-").exists()


def test_a_zpl_label_to_a_file_named_without_its_folder_is_written_there(tmp_path: Path) -> None:
    db = with_orders(tmp_path)

    printed = shipdesk(db, "label", "1001", "--format", "zpl", "--out", "1001.zpl", cwd=tmp_path)

    assert printed.returncode == 0, printed.stderr
    assert (tmp_path / "1001.zpl").read_bytes().lstrip().startswith(b"^XA")
    assert "Wrote 1 label to 1001.zpl." in printed.stdout.decode()
