"""The embedded default printer: each print job lands whole, under a new readable name, in the label folder."""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from shipdesk.printing.errors import PrinterError
from shipdesk.printing.folder_printer import FolderPrinter

PDF = b"%PDF-1.4\n% three labels\n%%EOF\n"


def test_a_print_job_becomes_a_dated_pdf_in_a_folder_it_creates(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "there" / "yet"
    printer = FolderPrinter(folder, clock=lambda: datetime(2026, 11, 22, 14, 30, 12))
    path = printer.print_pdf(PDF, "3-orders")
    assert path == folder / "labels-2026-11-22-143012-3-orders.pdf"
    assert path.read_bytes() == PDF
    assert sorted(os.listdir(folder)) == [path.name]  # no temporary file is left behind


def test_a_second_job_in_the_same_second_never_overwrites_the_first(tmp_path: Path) -> None:
    printer = FolderPrinter(tmp_path, clock=lambda: datetime(2026, 11, 22, 14, 30, 12))
    first = printer.print_pdf(b"%PDF first", "1-orders")
    second = printer.print_pdf(b"%PDF second", "1-orders")
    third = printer.print_pdf(b"%PDF third", "1-orders")
    assert [first.name, second.name, third.name] == [
        "labels-2026-11-22-143012-1-orders.pdf",
        "labels-2026-11-22-143012-1-orders-2.pdf",
        "labels-2026-11-22-143012-1-orders-3.pdf",
    ]
    assert [first.read_bytes(), second.read_bytes(), third.read_bytes()] == [
        b"%PDF first",
        b"%PDF second",
        b"%PDF third",
    ]


def test_a_file_someone_else_put_there_is_kept(tmp_path: Path) -> None:
    earlier = tmp_path / "labels-2026-11-22-143012-2-orders.pdf"
    earlier.write_bytes(b"%PDF earlier")
    printer = FolderPrinter(tmp_path, clock=lambda: datetime(2026, 11, 22, 14, 30, 12))
    path = printer.print_pdf(PDF, "2-orders")
    assert path.name == "labels-2026-11-22-143012-2-orders-2.pdf"
    assert earlier.read_bytes() == b"%PDF earlier"


def test_the_name_hint_is_made_safe_for_any_file_system(tmp_path: Path) -> None:
    printer = FolderPrinter(tmp_path, clock=lambda: datetime(2026, 1, 2, 3, 4, 5))
    path = printer.print_pdf(PDF, "../order #1001: Zoë / rush?")
    assert path.parent == tmp_path
    assert path.name == "labels-2026-01-02-030405-order-1001-Zo-rush.pdf"
    assert printer.print_pdf(PDF, "  ").name == "labels-2026-01-02-030405.pdf"


def test_the_file_is_readable_by_others_as_the_umask_allows(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        path = FolderPrinter(tmp_path).print_pdf(PDF, "1-orders")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_folder_path_blocked_by_a_file_is_reported_in_plain_words(tmp_path: Path) -> None:
    blocker = tmp_path / "labels"
    blocker.write_text("not a folder")
    with pytest.raises(PrinterError) as raised:
        FolderPrinter(blocker / "today").print_pdf(PDF, "1-orders")
    assert str(raised.value) == f"Cannot write labels to {blocker / 'today'}: part of that path is a file, not a folder"
    assert isinstance(raised.value.__cause__, OSError)  # the detail stays for the log


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write into any folder")
def test_a_folder_without_write_permission_is_reported_in_plain_words(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PrinterError, match=f"^Cannot write labels to {folder}: permission denied$"):
            FolderPrinter(folder).print_pdf(PDF, "1-orders")
    finally:
        folder.chmod(0o700)


def test_slips_and_pick_lists_are_named_for_what_they_are(tmp_path: Path) -> None:
    printer = FolderPrinter(tmp_path, clock=lambda: datetime(2026, 1, 2, 3, 4, 5))
    assert printer.print_pdf(PDF, "", kind="pick-list").name == "pick-list-2026-01-02-030405.pdf"
    assert printer.print_pdf(PDF, "", kind="packing-slips").name == "packing-slips-2026-01-02-030405.pdf"
