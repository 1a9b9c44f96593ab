"""A tracking number typed for an order that already has a label is refused, not swapped for the recorded one.

Printing the order's recorded label again is a reprint; a new label takes voiding the old one first.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.running import error_lines, outbox, shipdesk, with_orders


def labelled(tmp_path: Path, tracking: str) -> Path:
    """A cache where order 1001 got its label with the tracking number `tracking`."""
    db = with_orders(tmp_path)
    first = shipdesk(db, "label", "1001", "--out", str(tmp_path / "first.pdf"), "--tracking", tracking)
    assert first.returncode == 0, first.stderr
    return db


def test_another_tracking_number_for_a_shipped_order_is_refused_and_the_recorded_one_reprints(tmp_path: Path) -> None:
    db = labelled(tmp_path, "9400111899223344556677")

    again = shipdesk(db, "label", "1001", "--out", str(tmp_path / "new.pdf"), "--tracking", "1Z999AA10123456784")

    assert again.returncode == 1
    [said] = error_lines(again)
    assert "order 1001 is already shipped with tracking number 9400111899223344556677" in said
    assert "leave out --tracking" in said and "shipdesk void 1001" in said
    assert again.stdout == b""
    assert not (tmp_path / "new.pdf").exists()
    assert [entry["tracking_number"] for entry in outbox(db)] == ["9400111899223344556677"]

    reprinted = shipdesk(
        db, "label", "1001", "--out", str(tmp_path / "again.pdf"), "--tracking", "9400 1118 9922 3344 5566 77"
    )

    assert reprinted.returncode == 0, reprinted.stderr
    assert "1 reprinted" in reprinted.stdout.decode()
    assert (tmp_path / "again.pdf").read_bytes().startswith(b"%PDF-")
    assert len(outbox(db)) == 1


def test_printing_to_a_printer_refuses_another_tracking_number_for_a_shipped_order_too(tmp_path: Path) -> None:
    db = labelled(tmp_path, "9400111899223344556677")
    folder = tmp_path / "printed"
    folder.mkdir()
    added = shipdesk(db, "printers", "add", "Zebra", "--language", "zpl", "--uri", folder.as_uri())
    assert added.returncode == 0, added.stderr

    again = shipdesk(db, "print", "1001", "--tracking", "1Z999AA10123456784")

    assert again.returncode == 1
    [said] = error_lines(again)
    assert "already shipped with tracking number 9400111899223344556677" in said and "shipdesk void 1001" in said
    assert list(folder.iterdir()) == []
    assert [entry["tracking_number"] for entry in outbox(db)] == ["9400111899223344556677"]
