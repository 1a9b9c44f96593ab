"""A large CSV file read in stretches by several processes gives exactly what reading it whole gives.

Each test imports the same file twice, into two caches: read whole in one process, and in stretches by two or three
processes (tiny stretches, so that small files are cut many times). The orders written and the report must match.
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.orders import find_by_number
from shipdesk.resources import resource_path
from shipdesk.upstream import csv_processes
from shipdesk.upstream.csv_import import ImportReport, import_csv
from shipdesk.upstream.csv_processes import StretchReading
from shipdesk.upstream.csv_text import read_csv_bytes
from shipdesk.upstream.csvfile import open_csv

SAMPLES = Path(__file__).parent / "csv_samples"
HEADING = (
    "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Unit Price,Customer Notes\n"
)


def an_order(number: int, *, date: str = "2026-11-20 09:00", notes: str = "", items: int = 2) -> str:
    return "".join(
        f"{number},{date},Zoë Ørsted {number},Rua {number},Lisboa,1100,PT,SKU-{item},Item {item},{item},1.50,{notes}\n"
        for item in range(1, items + 1)
    )


def orders_file(tmp_path: Path, rows: str, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADING + rows, encoding="utf-8")
    return path


def cache_rows(cache: Cache) -> list[tuple[object, ...]]:
    """Every order as the cache holds it, in the order written; the times of writing left out."""
    return cache.conn.execute(
        "SELECT id, store, upstream_id, order_number, order_date, status, hold_reason, ship_name, ship_name_sort,"
        " ship_country, bill_name, customer_email, item_count, weight_grams, item_skus, item_names, search_folded, data"
        " FROM orders ORDER BY id"
    ).fetchall()


def import_both_ways(tmp_path: Path, path: Path, *, processes: int) -> tuple[ImportReport, ImportReport, Cache]:
    """The file imported whole and in stretches; the reports, and the cache the stretches went into."""
    whole_cache = open_cache(tmp_path / "whole.sqlite")
    in_stretches = open_cache(tmp_path / "stretches.sqlite")
    whole = import_csv(whole_cache, path, zone=UTC, processes=1)
    stretched = import_csv(in_stretches, path, zone=UTC, processes=processes, piece_chars=1_000)
    assert cache_rows(in_stretches) == cache_rows(whole_cache)
    whole_cache.close()
    return whole, stretched, in_stretches


def assert_same_report(stretched: ImportReport, whole: ImportReport) -> None:
    assert whole.processes == 1
    assert dataclasses.replace(stretched, processes=1) == whole
    assert stretched.summary_lines() == whole.summary_lines()


@pytest.mark.parametrize("processes", [2, 3])
def test_the_demo_file_read_in_stretches_gives_the_same_orders_and_report(tmp_path: Path, processes: int) -> None:
    demo = resource_path("demo-orders.csv")

    whole, stretched, cache = import_both_ways(tmp_path, demo, processes=processes)

    assert stretched.processes == processes
    assert_same_report(stretched, whole)
    assert stretched.orders_read == 230
    cache.close()


@pytest.mark.parametrize("sample", sorted(path.name for path in SAMPLES.iterdir()))
def test_store_exports_read_in_stretches_give_the_same_orders_and_report(tmp_path: Path, sample: str) -> None:
    # eBay's summary rows and footer, Amazon's unquoted tab-separated report, WooCommerce's multi-line values.
    whole, stretched, cache = import_both_ways(tmp_path, SAMPLES / sample, processes=2)

    assert_same_report(stretched, whole)
    cache.close()


def test_bad_rows_in_a_later_stretch_are_reported_by_their_line_in_the_file(tmp_path: Path) -> None:
    rows = [an_order(number) for number in range(1001, 1041)]
    rows[30] = rows[30].replace(",1,1.50,", ",many,1.50,", 1)  # order 1031's first item, on line 62
    rows.insert(35, ",,,,,,,,,,,\n,2026-11-20 09:00,Nobody,Rua,Lisboa,1100,PT,X,Lost item,1,1.00,\n")
    path = orders_file(tmp_path, "".join(rows))

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert stretched.processes == 2
    assert_same_report(stretched, whole)
    assert "Line 62 skipped: quantity 'many' is not a whole number." in stretched.summary_lines()
    assert "Line 73 skipped: it has no order number." in stretched.summary_lines()
    (held,) = find_by_number(cache, "1031")
    assert held.order.hold_reason == "line 62 of the file was skipped, so an item may be missing"
    (neighbour,) = find_by_number(cache, "1035")
    assert neighbour.order.hold_reason == "line 73 of the file was skipped, so an item may be missing"
    cache.close()


def test_notes_over_several_lines_keep_the_line_numbers_of_the_rows_below(tmp_path: Path) -> None:
    notes = '"Ring twice.\nThe dog is friendly, ""Rex"" by name.\nLeave it at the door."'
    rows = [an_order(number, notes=notes if number % 3 else "") for number in range(1001, 1041)]
    rows[-1] = rows[-1].replace(",1,1.50,", ",0,1.50,", 1)
    path = orders_file(tmp_path, "".join(rows))

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert stretched.processes == 2
    assert_same_report(stretched, whole)
    # 1 heading line; orders 1001-1039: 26 with notes (2 rows of 3 lines), 13 without (2 rows of a line)
    assert stretched.skipped[0].line_number == whole.skipped[0].line_number == 1 + 26 * 6 + 13 * 2 + 1
    (order,) = find_by_number(cache, "1001")
    assert order.order.customer_notes == 'Ring twice.\nThe dog is friendly, "Rex" by name.\nLeave it at the door.'
    cache.close()


def test_an_order_whose_rows_are_far_apart_makes_the_file_read_whole(tmp_path: Path) -> None:
    rows = "".join(an_order(number, items=1) for number in range(1001, 1041)) + an_order(1001, items=1).replace(
        "SKU-1,Item 1", "SKU-9,Item 9"
    )
    path = orders_file(tmp_path, rows)

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert stretched.processes == 1
    assert_same_report(stretched, whole)
    (order,) = find_by_number(cache, "1001")
    assert [item.sku for item in order.order.items] == ["SKU-1", "SKU-9"]
    cache.close()


def test_a_date_only_days_first_can_explain_in_a_later_stretch_makes_the_file_read_whole(tmp_path: Path) -> None:
    # 05/01/2026 alone reads as May 1st; the 31/12/2026 further down says the file writes days first.
    rows = "".join(an_order(number, date="05/01/2026 10:00") for number in range(1001, 1041))
    rows += an_order(1041, date="31/12/2026 10:00")
    path = orders_file(tmp_path, rows)

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert stretched.processes == 1
    assert_same_report(stretched, whole)
    (order,) = find_by_number(cache, "1001")
    assert order.order.order_date == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    cache.close()


def test_a_file_without_order_dates_imported_again_in_stretches_keeps_its_orders_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(an_order(number, date="") for number in range(1001, 1041))
    path = orders_file(tmp_path, rows)
    first = datetime(2026, 11, 20, 9, tzinfo=UTC)
    monkeypatch.setattr(csv_processes, "import_time_now", lambda: first)
    import_both_ways(tmp_path, path, processes=2)[2].close()
    monkeypatch.setattr(csv_processes, "import_time_now", lambda: first + timedelta(hours=2))

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert stretched.processes == 2
    assert_same_report(stretched, whole)
    assert (stretched.updated, stretched.unchanged) == (0, 40)
    (order,) = find_by_number(cache, "1040")
    assert order.order.order_date == first
    cache.close()


def test_a_value_of_a_few_hundred_kilobytes_is_read_in_a_stretch_process_too(tmp_path: Path) -> None:
    # The csv module's limit on a value's length is per process, and a stretch process starts with its own.
    design = "\n".join(f'{{""layer"": {n}, ""path"": ""M0 0 L10 10""}},' for n in range(5_000))
    rows = [an_order(number) for number in range(1001, 2241)]
    rows[-40] = an_order(2201, notes=f'"Design: {design}"', items=1)  # after this process's share of the file
    path = orders_file(tmp_path, "".join(rows))

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert stretched.processes == 2
    assert_same_report(stretched, whole)
    assert (whole.skipped, whole.notices) == ((), ())
    (order,) = find_by_number(cache, "2201")
    assert len(order.order.customer_notes) > 128 * 1024
    cache.close()


@pytest.mark.parametrize("damaged", ['"Zoë', '"Zoë" Ørsted'], ids=["never closed", "text after the closing quote"])
def test_a_damaged_quote_makes_the_file_read_whole(tmp_path: Path, damaged: str) -> None:
    rows = [an_order(number) for number in range(1001, 1041)]
    rows[3] = rows[3].replace("Zoë", damaged, 1)
    path = orders_file(tmp_path, "".join(rows))

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert stretched.processes == 1
    assert_same_report(stretched, whole)
    assert whole.skipped
    cache.close()


def test_a_stray_quote_in_an_unquoted_value_does_not_cut_a_row_in_two(tmp_path: Path) -> None:
    # 12" ruler is a literal quote: counting quotes from the top goes wrong by one below it, so a cut counted
    # as between rows can fall inside the quoted notes further down.
    notes = '"Fragile.\nA,1\nB,2\nKeep upright."'  # lines that look like rows of orders A and B, counted wrong
    rows = [an_order(number, notes=notes) for number in range(1001, 1041)]
    rows[2] = rows[2].replace("Item 1", '12" ruler', 1)
    path = orders_file(tmp_path, "".join(rows))

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert_same_report(stretched, whole)
    assert not whole.skipped
    (order,) = find_by_number(cache, "1040")
    assert order.order.customer_notes == "Fragile.\nA,1\nB,2\nKeep upright."
    cache.close()


def test_windows_line_ends_and_a_byte_order_mark_are_read_in_stretches_too(tmp_path: Path) -> None:
    rows = "".join(an_order(number) for number in range(1001, 1041)).replace("Item 2,2,1.50", "Item 2,x,1.50", 1)
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADING + rows).replace("\n", "\r\n").encode())

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert stretched.processes == 2
    assert_same_report(stretched, whole)
    assert [problem.line_number for problem in whole.skipped] == [3]
    cache.close()


def test_a_file_with_lone_carriage_returns_is_read_whole(tmp_path: Path) -> None:
    rows = "".join(an_order(number) for number in range(1001, 1041))
    path = tmp_path / "orders.csv"
    path.write_bytes((HEADING + rows).replace("\n", "\r").encode())

    whole, stretched, cache = import_both_ways(tmp_path, path, processes=2)

    assert stretched.processes == 1
    assert_same_report(stretched, whole)
    assert whole.orders_read == 40
    cache.close()


def test_a_process_that_dies_leaves_the_stretch_to_be_read_here(tmp_path: Path) -> None:
    path = orders_file(tmp_path, "".join(an_order(number) for number in range(1001, 1041)))
    layout = open_csv(read_csv_bytes(path), file_name=path.name, zone=UTC)

    with StretchReading(layout, store="Shop", processes=2, piece_chars=1_000) as reading:
        for process in reading._processes:
            process.kill()
            process.join()
        first = reading.first()
        others = list(reading.others())
        whole = reading.whole()

    assert reading.processes == 2
    assert first.rows
    assert others[-1] is None
    assert len(whole.rows) == 40


def test_the_processes_and_their_files_are_gone_after_an_import(tmp_path: Path) -> None:
    path = orders_file(tmp_path, "".join(an_order(number) for number in range(1001, 1041)))
    layout = open_csv(read_csv_bytes(path), file_name=path.name, zone=UTC)

    with StretchReading(layout, store="Shop", processes=3, piece_chars=1_000) as reading:
        processes = list(reading._processes)
        folder = Path(reading._folder.name) if reading._folder else None
        reading.first()
        assert sum(len(stretch.rows) for stretch in reading.others() if stretch) > 0

    assert len(processes) == 2
    assert not any(process.is_alive() for process in processes)
    assert folder is not None and not folder.exists()


def test_a_file_too_small_to_be_worth_a_process_is_read_here(tmp_path: Path) -> None:
    path = tmp_path / "demo.csv"
    shutil.copy(resource_path("demo-orders.csv"), path)

    cache = open_cache(tmp_path / "cache.sqlite")
    report = import_csv(cache, path, zone=UTC)
    cache.close()

    assert report.processes == 1
    assert report.orders_read == 230
