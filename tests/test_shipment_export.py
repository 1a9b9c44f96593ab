"""Shipments exported as CSV for stores without an API: all of them, or the waiting ones, which the file hands over
to their stores, so the outbox shows only what still has to go; every store's, or one store's for its own upload."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.shipments import outbox_count, record_shipment
from shipdesk.cache.stores import StoreRecord, add_store
from shipdesk.cli import main
from shipdesk.domain import Shipment
from shipdesk.shipment_export import (
    SHIPMENT_CSV_HEADINGS,
    count_waiting_for_a_file,
    export_all_shipments,
    export_waiting_shipments,
    upload_file_stem,
    waiting_by_store,
    waiting_for_a_file,
)
from tests.cache.test_orders_cache import make_order

SHIPPED_AT = datetime(2026, 11, 30, 15, tzinfo=UTC)


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    """Orders 1001 and 1002 imported from a CSV file, 2001 from a ShipStation store; all three shipped here."""
    opened = open_cache(tmp_path / "c.sqlite")
    add_store(opened, StoreRecord(name="Main", kind="shipstation", config={"api_key": "k"}))
    with opened.transaction() as conn:
        upsert_orders(
            conn,
            [
                make_order("1001", store="CSV import"),
                make_order("1002", store="CSV import"),
                make_order("2001", store="Main"),
            ],
        )
    for number, tracking, cost in (("1001", "1Z1", Decimal("9.8")), ("1002", "1Z2", None), ("2001", "9400", None)):
        (stored,) = find_by_number(opened, number)
        record_shipment(opened, stored.id, Shipment("UPS", "Ground", tracking, SHIPPED_AT, cost=cost))
    return opened


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def test_the_waiting_shipments_of_csv_stores_are_written_and_leave_the_outbox(cache: Cache, tmp_path: Path) -> None:
    assert outbox_count(cache) == 3

    export = export_waiting_shipments(cache, tmp_path / "shipped.csv")

    assert (export.written, export.handed_over) == (2, 2)
    assert rows_of(tmp_path / "shipped.csv") == [
        SHIPMENT_CSV_HEADINGS,
        ["1001", "UPS", "Ground", "1Z1", "2026-11-30", "9.80"],
        ["1002", "UPS", "Ground", "1Z2", "2026-11-30", ""],
    ]
    assert outbox_count(cache) == 1  # ShipStation's update still waits for the sync
    assert export_waiting_shipments(cache, tmp_path / "again.csv").written == 0  # handed over once
    assert rows_of(tmp_path / "again.csv") == [SHIPMENT_CSV_HEADINGS]


def test_a_file_that_cannot_be_written_hands_nothing_over(cache: Cache, tmp_path: Path) -> None:
    with pytest.raises(OSError):
        export_waiting_shipments(cache, tmp_path / "no such folder" / "shipped.csv")

    assert len(waiting_for_a_file(cache)) == 2
    assert outbox_count(cache) == 3


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_a_folder_without_write_permission_hands_nothing_over(cache: Cache, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(PermissionError):
        export_waiting_shipments(cache, locked / "shipped.csv")
    assert len(waiting_for_a_file(cache)) == 2


def test_all_shipments_are_written_and_the_outbox_is_left_as_it_is(cache: Cache, tmp_path: Path) -> None:
    export = export_all_shipments(cache, tmp_path / "all.csv")

    assert export.written == 3 and export.handed_over == 0
    assert [row[0] for row in rows_of(tmp_path / "all.csv")[1:]] == ["1001", "1002", "2001"]
    assert outbox_count(cache) == 3


def test_export_shipments_waiting_on_the_command_line(
    cache: Cache, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(cache.path)
    cache.close()

    assert main(["--db", db, "export-shipments", str(tmp_path / "s.csv"), "--waiting"]) == 0
    assert capsys.readouterr().out == (
        f"Wrote 2 shipments of CSV import to {tmp_path / 's.csv'}.\n"
        "2 shipped updates handed over in the file and gone from the outbox: upload it to CSV import.\n"
    )
    assert main(["--db", db, "export-shipments", str(tmp_path / "missing" / "s.csv"), "--waiting"]) == 1
    assert "could not be written" in capsys.readouterr().err


def test_the_waiting_count_is_that_of_the_shipments_the_next_file_takes(cache: Cache, tmp_path: Path) -> None:
    assert count_waiting_for_a_file(cache) == len(waiting_for_a_file(cache)) == 2

    export_waiting_shipments(cache, tmp_path / "shipped.csv")

    assert count_waiting_for_a_file(cache) == 0
    assert outbox_count(cache) == 1  # ShipStation's, which a sync sends


def test_an_evening_shipment_is_dated_the_stations_day_not_utcs(
    cache: Cache, tmp_path: Path, in_california: None
) -> None:
    evening = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)  # 6:30 pm on 30 November in Los Angeles
    with cache.transaction() as conn:
        upsert_orders(conn, [make_order("1003", store="CSV import")])
    (stored,) = find_by_number(cache, "1003")
    record_shipment(cache, stored.id, Shipment("USPS", "Priority Mail", "9400111", evening))

    export_waiting_shipments(cache, tmp_path / "shipped.csv")
    export_all_shipments(cache, tmp_path / "all.csv")

    assert rows_of(tmp_path / "shipped.csv")[-1] == ["1003", "USPS", "Priority Mail", "9400111", "2026-11-30", ""]
    assert rows_of(tmp_path / "all.csv")[-1][4] == "2026-11-30"


# ----------------------------------------------------------------------------- one file for each store


@pytest.fixture
def two_shops(cache: Cache) -> Cache:
    """Beside the fixture's CSV import and Main: Etsy's orders 3001 and 3002, shipped, 3002 first."""
    with cache.transaction() as conn:
        upsert_orders(conn, [make_order("3001", store="Etsy"), make_order("3002", store="Etsy")])
    for number, tracking in (("3002", "9400E2"), ("3001", "9400E1")):
        (stored,) = find_by_number(cache, number)
        record_shipment(cache, stored.id, Shipment("USPS", "Ground Advantage", tracking, SHIPPED_AT))
    return cache


def test_the_waiting_shipments_are_counted_for_each_store_that_takes_files(two_shops: Cache) -> None:
    assert waiting_by_store(two_shops) == {"CSV import": 2, "Etsy": 2}  # Main's goes by sync
    assert count_waiting_for_a_file(two_shops) == 4


def test_one_stores_file_holds_only_its_shipments_and_the_other_stores_keep_waiting(
    two_shops: Cache, tmp_path: Path
) -> None:
    export = export_waiting_shipments(two_shops, tmp_path / "etsy.csv", store="Etsy")

    assert (export.written, export.handed_over) == (2, 2)
    assert [(row[0], row[3]) for row in rows_of(tmp_path / "etsy.csv")[1:]] == [("3002", "9400E2"), ("3001", "9400E1")]
    assert waiting_by_store(two_shops) == {"CSV import": 2}
    assert outbox_count(two_shops) == 3  # CSV import's two, and Main's


def test_all_shipments_of_one_store_leave_the_outbox_as_it_is(two_shops: Cache, tmp_path: Path) -> None:
    export = export_all_shipments(two_shops, tmp_path / "main.csv", store="Main")

    assert (export.written, export.handed_over) == (1, 0)
    assert [row[0] for row in rows_of(tmp_path / "main.csv")[1:]] == ["2001"]
    assert outbox_count(two_shops) == 5


@pytest.mark.parametrize(
    ("store", "stem"),
    [
        ("Etsy", "shipments-Etsy-2026-11-30"),
        ("CSV import", "shipments-CSV-import-2026-11-30"),
        ("Zoë's Shop / EU", "shipments-Zoë-s-Shop-EU-2026-11-30"),
        ("../../etc", "shipments-etc-2026-11-30"),
        ("★ ★", "shipments-2026-11-30"),
        (
            "A very long shop name that goes on and on and on",
            "shipments-A-very-long-shop-name-that-goes-on-and-2026-11-30",
        ),
    ],
)
def test_the_suggested_file_name_carries_the_store_in_a_form_every_file_system_takes(store: str, stem: str) -> None:
    assert upload_file_stem(store, date(2026, 11, 30)) == stem


def test_export_shipments_of_one_store_on_the_command_line(
    two_shops: Cache, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(two_shops.path)
    two_shops.close()

    assert main(["--db", db, "export-shipments", str(tmp_path / "etsy.csv"), "--waiting", "--store", "etsy"]) == 0
    assert capsys.readouterr().out == (
        f"Wrote 2 shipments of Etsy to {tmp_path / 'etsy.csv'}.\n"
        "2 shipped updates handed over in the file and gone from the outbox: upload it to Etsy.\n"
    )
    assert [row[0] for row in rows_of(tmp_path / "etsy.csv")[1:]] == ["3002", "3001"]

    assert main(["--db", db, "export-shipments", str(tmp_path / "all-etsy.csv"), "--store", "Etsy"]) == 0
    assert [row[0] for row in rows_of(tmp_path / "all-etsy.csv")[1:]] == ["3002", "3001"]  # handed over, still shipped

    assert main(["--db", db, "export-shipments", str(tmp_path / "rest.csv"), "--waiting"]) == 0
    assert [row[0] for row in rows_of(tmp_path / "rest.csv")[1:]] == ["1001", "1002"]  # every other store's, as before


def test_export_shipments_waiting_for_several_stores_asks_which_and_hands_nothing_over(
    two_shops: Cache, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(two_shops.path)
    two_shops.close()

    assert main(["--db", db, "export-shipments", str(tmp_path / "s.csv"), "--waiting"]) == 1

    assert capsys.readouterr().err == (
        "shipdesk: shipped updates wait for 2 stores (2 updates for CSV import, 2 updates for Etsy); each store "
        "uploads its own file, so name one with --store; nothing was exported\n"
    )
    assert not (tmp_path / "s.csv").exists()
    reopened = open_cache(Path(db))
    assert count_waiting_for_a_file(reopened) == 4
    reopened.close()


def test_export_shipments_for_a_store_there_is_none_of_fails_in_one_line(
    two_shops: Cache, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(two_shops.path)
    two_shops.close()

    assert main(["--db", db, "export-shipments", str(tmp_path / "s.csv"), "--waiting", "--store", "Etsi"]) == 1
    assert capsys.readouterr().err == "shipdesk: no store is named 'Etsi' (stores: CSV import, Etsy, Main)\n"
    assert main(["--db", db, "export-shipments", str(tmp_path / "s.csv"), "--waiting", "--store", "Main"]) == 1
    assert capsys.readouterr().err == "shipdesk: Main gets its shipped updates by sync, so none wait for a file\n"
    assert not (tmp_path / "s.csv").exists()
    reopened = open_cache(Path(db))
    assert count_waiting_for_a_file(reopened) == 4
    reopened.close()


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace to watch the system calls")
def test_the_file_and_its_name_are_on_the_disk_before_its_updates_leave_the_outbox(
    cache: Cache, tmp_path: Path
) -> None:
    db = str(cache.path)
    cache.close()
    out = tmp_path / "out"
    out.mkdir()
    trace = tmp_path / "trace.txt"
    command = [sys.executable, "-m", "shipdesk", "--db", db, "export-shipments", str(out / "s.csv"), "--waiting"]

    subprocess.run(["strace", "-f", "-o", str(trace), "-e", "trace=openat,fsync,rename,pwrite64", *command], check=True)

    calls = [line.split(None, 1)[1] for line in trace.read_text().splitlines() if " " in line]

    def first(pattern: str, after: int = 0) -> int:
        found = [index for index, call in enumerate(calls) if index >= after and re.match(pattern, call)]
        assert found, f"no {pattern} after call {after} of {len(calls)}"
        return found[0]

    def descriptor(opened_at: int) -> str:
        return calls[opened_at].rsplit("= ", 1)[1]

    opened = first(rf'openat\(AT_FDCWD, "{re.escape(str(out))}/\.s\.csv\.part", .*\) = \d+')
    part_fd = descriptor(opened)
    part_flushed = first(rf"fsync\({part_fd}\)", opened)
    renamed = first(r'rename\(".*\.s\.csv\.part", ".*/s\.csv"\)', part_flushed)
    folder_opened = first(rf'openat\(AT_FDCWD, "{re.escape(str(out))}", O_RDONLY.*\) = (\d+)', renamed)
    folder_fd = descriptor(folder_opened)
    folder_flushed = first(rf"fsync\({folder_fd}\)", folder_opened)
    wal_opened = first(r'openat\(AT_FDCWD, ".*-wal", .*\) = \d+')
    wal_fd = descriptor(wal_opened)
    cache_writes = [index for index, call in enumerate(calls) if call.startswith(f"pwrite64({wal_fd},")]
    # The hand-over (the outbox rows deleted) is the command's only write to the cache, and comes last.
    assert cache_writes and cache_writes[0] > folder_flushed
    assert part_flushed < renamed < folder_flushed


def test_a_tracking_number_typed_with_spaces_is_exported_without_them(tmp_path: Path) -> None:
    """Carriers print tracking numbers in groups for reading; the store that reads the file takes them whole."""
    cache = open_cache(tmp_path / "c.sqlite")
    with cache.transaction() as conn:
        upsert_orders(conn, [make_order("1001", store="CSV import")])
    (stored,) = find_by_number(cache, "1001")
    record_shipment(cache, stored.id, Shipment("UPS", "Ground", " 1Z 999 AA1 01 2345 6784 ", SHIPPED_AT))

    export_waiting_shipments(cache, tmp_path / "shipped.csv")

    assert [row[3] for row in rows_of(tmp_path / "shipped.csv")[1:]] == ["1Z999AA10123456784"]
