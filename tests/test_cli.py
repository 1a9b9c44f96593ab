"""The `shipdesk` command as operators script it: import, list, label, ship, outbox, export."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2
import pytest

from shipdesk.cache import open_cache
from shipdesk.cache.outbox_schedule import refuse_entry
from shipdesk.cache.shipments import pending_outbox
from shipdesk.cache.stores import StoreRecord, add_store
from shipdesk.cli import main
from tests.printing.scanning import pdf_scan

ORDERS_CSV = """\
Order #,Order Date,Recipient,Company,Address 1,Address 2,City,State,Postal Code,Country,Phone,Email,SKU,Item Name,Quantity,Unit Price,Gift,Gift Message,Customer Notes
1001,2026-11-20 09:15:00,Zoë Ørsted,,Nørregade 7,,København,,1165,DK,+45 33 12 34 56,zoe@example.dk,MUG-BLU,Blue enamel mug,2,12.50,no,,Leave with the neighbour
1001,2026-11-20 09:15:00,Zoë Ørsted,,Nørregade 7,,København,,1165,DK,+45 33 12 34 56,zoe@example.dk,TEA-1,Cast iron teapot,1,39.00,no,,Leave with the neighbour
1002,2026-11-20 10:00:00,José Núñez,Café Núñez,Calle Mayor 5,2º B,Madrid,,28013,ES,,jose@example.es,APR-LIN,Linen apron,1,24.00,yes,Feliz cumpleaños,
1003,2026-11-21 16:45:00,Łukasz Żółw,,ul. Długa 12,,Gdańsk,,80-827,PL,,lukasz@example.pl,SOCK-W,Wool socks,3,9.90,no,,
1004,2026-11-21 17:00:00,No Address,,,,,,,,,,MUG-BLU,Blue enamel mug,1,12.50,no,,
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cache.sqlite"


@pytest.fixture
def imported(db: Path, tmp_path: Path) -> Path:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")
    assert main(["--db", str(db), "import-csv", str(orders), "--timezone", "Europe/Copenhagen"]) == 0
    return db


SHIP_TO_KEYS = ("name", "company", "street1", "street2", "city", "state", "postal_code", "country", "phone")


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def orders_json(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert run(db, "orders", "--json", *args) == 0
    result: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return result


def decode_barcodes(pdf: Path, tmp_path: Path) -> list[str]:
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.skip("needs pdftoppm (poppler-utils) and zbarimg (zbar-tools)")
    return pdf_scan(pdf, dpi=203)


def test_import_says_what_was_imported_and_what_was_held(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")
    assert run(db, "import-csv", str(orders)) == 0
    out = capsys.readouterr().out
    assert "4 new" in out
    assert "Order 1004 kept on hold: no ship-to address." in out


def test_import_fails_for_scripts_when_every_row_was_refused_but_not_for_an_empty_day(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused, empty = tmp_path / "refused.csv", tmp_path / "empty.csv"
    refused.write_text("Order #,SKU,Quantity\n1,A,two\n2,B,-1\n", encoding="utf-8")
    empty.write_text("Order #,SKU,Quantity\n", encoding="utf-8")

    assert run(db, "import-csv", str(refused)) == 1
    assert "2 skipped" in capsys.readouterr().out
    assert run(db, "import-csv", str(empty)) == 0


def test_import_into_a_named_store_files_the_orders_there_and_says_so(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "EtsySoldOrderItems.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")

    assert run(db, "import-csv", str(orders), "--store", "Etsy") == 0

    assert capsys.readouterr().out.splitlines()[0] == "Imported 4 orders from EtsySoldOrderItems.csv into Etsy: 4 new."
    assert {order["store"] for order in orders_json(db, capsys)} == {"Etsy"}


def test_import_into_a_store_that_syncs_or_without_a_name_fails_in_one_line_and_imports_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = open_cache(db)
    add_store(cache, StoreRecord(name="Main", kind="shipstation", config={"api_key": "k"}))
    cache.close()
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")

    assert run(db, "import-csv", str(orders), "--store", "Main") == 1
    assert capsys.readouterr().err == (
        "shipdesk: Main is a ShipStation store: its orders come by sync; nothing was imported\n"
    )
    assert run(db, "import-csv", str(orders), "--store", " ") == 1
    assert capsys.readouterr().err == "shipdesk: --store is empty: name the store the orders belong to\n"
    assert orders_json(db, capsys) == []


def test_orders_json_has_what_scripts_rely_on(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    by_number = {order["order_number"]: order for order in orders_json(imported, capsys)}
    assert sorted(by_number) == ["1001", "1002", "1003", "1004"]
    zoe = by_number["1001"]
    assert zoe["status"] == "awaiting_shipment"
    assert zoe["order_date"] == "2026-11-20T08:15:00+00:00"  # 09:15 in Copenhagen, kept in UTC
    ship_to = zoe["ship_to"]
    assert isinstance(ship_to, dict)
    assert {key: ship_to[key] for key in SHIP_TO_KEYS} == {
        "name": "Zoë Ørsted",
        "company": "",
        "street1": "Nørregade 7",
        "street2": "",
        "city": "København",
        "state": "",
        "postal_code": "1165",
        "country": "DK",
        "phone": "+45 33 12 34 56",
    }
    assert [(item["sku"], item["quantity"], item["unit_price"]) for item in zoe["items"]] == [  # type: ignore[attr-defined]
        ("MUG-BLU", 2, 12.5),
        ("TEA-1", 1, 39.0),
    ]
    assert zoe["customer_notes"] == "Leave with the neighbour"
    assert (by_number["1002"]["gift"], by_number["1002"]["gift_message"]) == (True, "Feliz cumpleaños")
    assert by_number["1004"]["status"] == "on_hold"


def test_orders_filter_by_status_and_search(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert [o["order_number"] for o in orders_json(imported, capsys, "--search", "nunez")] == ["1002"]
    assert [o["order_number"] for o in orders_json(imported, capsys, "--status", "on_hold")] == ["1004"]


def test_a_label_with_a_tracking_number_encodes_exactly_it_and_ships_the_order(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "label.pdf"
    tracking = "9400111899223344556677"
    assert (
        run(
            imported,
            "label",
            "1001",
            "--out",
            str(out),
            "--carrier",
            "USPS",
            "--service",
            "Priority Mail",
            "--tracking",
            tracking,
        )
        == 0
    )
    assert len(pypdfium2.PdfDocument(out)) == 1
    assert decode_barcodes(out, tmp_path) == [tracking]
    assert orders_json(imported, capsys, "--search", "1001")[0]["status"] == "shipped"
    assert run(imported, "outbox", "--json") == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert (entry["order_number"], entry["carrier"], entry["tracking_number"]) == ("1001", "USPS", tracking)


def test_a_tracking_number_typed_in_groups_is_encoded_and_queued_whole(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Carriers print tracking numbers in groups for reading; a scanner, the carrier and the store take them whole."""
    out = tmp_path / "label.pdf"
    typed = " 9400 1118 9922 3344 5566 77 "
    assert run(imported, "label", "1001", "--out", str(out), "--carrier", "USPS", "--tracking", typed) == 0
    assert decode_barcodes(out, tmp_path) == ["9400111899223344556677"]
    capsys.readouterr()
    assert run(imported, "outbox", "--json") == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["tracking_number"] == "9400111899223344556677"


def test_labels_for_several_orders_make_one_pdf_with_a_page_each(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "labels.pdf"
    assert run(imported, "label", "1001", "1002", "1003", "--out", str(out)) == 0
    assert len(pypdfium2.PdfDocument(out)) == 3
    codes = decode_barcodes(out, tmp_path)
    assert len(set(codes)) == 3
    capsys.readouterr()
    assert run(imported, "outbox", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_an_order_named_twice_gets_one_label_and_one_update_for_its_store(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "labels.pdf"
    capsys.readouterr()
    assert run(imported, "label", "1001", "1002", "1001", "--out", str(out)) == 0
    assert capsys.readouterr().out == f"Wrote 2 labels to {out}.\n2 orders marked shipped.\n"
    assert len(pypdfium2.PdfDocument(out)) == 2
    assert len(set(decode_barcodes(out, tmp_path))) == 2
    assert run(imported, "outbox", "--json") == 0
    assert [entry["order_number"] for entry in json.loads(capsys.readouterr().out)] == ["1001", "1002"]


def test_a_held_order_is_not_labelled_and_the_reason_is_said(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(imported, "label", "1004", "--out", str(tmp_path / "l.pdf")) == 1
    assert "no ship-to address" in capsys.readouterr().err
    assert not (tmp_path / "l.pdf").exists()


def test_reprinting_a_shipped_order_repeats_its_label_and_queues_nothing_new(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, again = tmp_path / "first", tmp_path / "again"
    first.mkdir()
    again.mkdir()
    assert run(imported, "label", "1003", "--out", str(first / "label.pdf")) == 0
    assert run(imported, "label", "1003", "--out", str(again / "label.pdf")) == 0
    assert decode_barcodes(first / "label.pdf", first) == decode_barcodes(again / "label.pdf", again)
    capsys.readouterr()
    assert run(imported, "outbox", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_a_preview_records_nothing(imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(imported, "label", "1002", "--out", str(tmp_path / "p.pdf"), "--preview") == 0
    assert (tmp_path / "p.pdf").exists()
    assert orders_json(imported, capsys, "--search", "1002")[0]["status"] == "awaiting_shipment"


def test_unknown_orders_and_a_tracking_number_for_two_orders_are_refused(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(imported, "label", "9999", "--out", str(tmp_path / "x.pdf")) == 1
    assert capsys.readouterr().err.strip() == "shipdesk: no order 9999 in the cache"
    assert run(imported, "label", "1001", "1002", "--tracking", "1Z1", "--out", str(tmp_path / "x.pdf")) == 1
    assert "one order" in capsys.readouterr().err


@pytest.mark.parametrize("cost", ["-5", "NaN", "Infinity", "ten"])
def test_ship_refuses_a_cost_that_is_no_amount_and_records_nothing(
    imported: Path, capsys: pytest.CaptureFixture[str], cost: str
) -> None:
    capsys.readouterr()
    shipping = ("ship", "1002", "--carrier", "UPS", "--service", "Ground", "--tracking", "1Z9", "--cost", cost)

    assert run(imported, *shipping) == 1

    assert capsys.readouterr().err == f"shipdesk: cost {cost!r} is not an amount such as 7.30\n"
    cache = open_cache(imported)
    assert pending_outbox(cache) == []
    cache.close()


def test_ship_queues_the_update_and_export_writes_the_shipments_csv(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run(
            imported,
            "ship",
            "1002",
            "--carrier",
            "UPS",
            "--service",
            "Ground",
            "--tracking",
            "1Z999AA10123456784",
            "--cost",
            "9.8",
        )
        == 0
    )
    assert run(imported, "ship", "1002", "--carrier", "UPS", "--service", "Ground", "--tracking", "1Z2") == 1
    assert "already shipped" in capsys.readouterr().err

    exported = tmp_path / "shipped.csv"
    assert run(imported, "export-shipments", str(exported)) == 0
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    assert len(rows) == 1
    assert rows[0]["Order Number"] == "1002"
    assert (rows[0]["Carrier"], rows[0]["Service"], rows[0]["Tracking Number"], rows[0]["Cost"]) == (
        "UPS",
        "Ground",
        "1Z999AA10123456784",
        "9.80",
    )
    assert len(rows[0]["Ship Date"]) == 10


def test_a_file_that_is_not_csv_fails_in_one_line_and_leaves_the_cache_untouched(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sqlite3.connect(imported).execute("SELECT count(*), max(updated_at) FROM orders").fetchone()
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    capsys.readouterr()
    assert run(imported, "import-csv", str(picture)) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("shipdesk: ") and "\n" not in err
    assert sqlite3.connect(imported).execute("SELECT count(*), max(updated_at) FROM orders").fetchone() == before


def test_the_command_runs_as_python_dash_m(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "shipdesk", "--db", str(tmp_path / "c.sqlite"), "orders"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "0 orders"


def test_packing_slips_and_a_pick_list_for_a_batch(imported: Path, tmp_path: Path) -> None:
    slips, receipt, picks = tmp_path / "slips.pdf", tmp_path / "slips.bin", tmp_path / "picks.pdf"
    assert run(imported, "slips", "1001", "1002", "--out", str(slips), "--sheet", "a4") == 0
    assert len(pypdfium2.PdfDocument(slips)) == 2
    assert run(imported, "slips", "1001", "--out", str(receipt), "--format", "escpos", "--media", "58mm") == 0
    assert b"1 x TEA-1" in receipt.read_bytes()
    assert run(imported, "pick-list", "1001", "1002", "1003", "--out", str(picks)) == 0
    text = subprocess.run(["pdftotext", str(picks), "-"], capture_output=True, text=True, check=True).stdout
    assert "MUG-BLU" in text and "SOCK-W" in text


@pytest.mark.parametrize("zone", ["Mars/Olympus", "America/Argentina"])
def test_import_with_a_time_zone_there_is_none_of_says_so_in_one_line(
    db: Path, tmp_path: Path, zone: str, capsys: pytest.CaptureFixture[str]
) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")

    assert main(["--db", str(db), "import-csv", str(orders), "--timezone", zone]) == 1

    assert capsys.readouterr().err == f"shipdesk: unknown time zone {zone!r} (use a name such as Europe/Paris)\n"


def test_the_order_list_counts_one_item_as_one_item(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(imported, "orders", "--search", "Núñez") == 0
    [line, total] = capsys.readouterr().out.splitlines()
    assert "  1 item   Awaiting shipment" in line
    assert total == "1 order"


def test_labels_without_a_sender_address_say_so_until_one_is_set(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(imported, "label", "1001", "--out", str(tmp_path / "a.pdf")) == 0
    assert capsys.readouterr().err == (
        "shipdesk: no sender address is set, so the labels have no return address; set it with `shipdesk set-origin`\n"
    )

    origin = ["--name", "My Shop", "--street1", "1 Dock Rd", "--city", "Oakland", "--state", "CA"]
    assert run(imported, "set-origin", *origin, "--postal-code", "94607", "--country", "US") == 0
    capsys.readouterr()
    assert run(imported, "label", "1002", "--out", str(tmp_path / "b.pdf")) == 0
    assert capsys.readouterr().err == ""


# ----------------------------------------------------------------------------- the cache in use, and --store


@pytest.fixture
def orders_file(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS_CSV, encoding="utf-8")
    return path


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    said = capsys.readouterr().err
    lines = [line for line in said.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("shipdesk: "), said
    return lines[0]


def test_ship_while_another_program_holds_the_cache_fails_in_one_line_and_records_nothing(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    other = sqlite3.connect(imported, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # the window writing a long import, past the cache's 5 s busy timeout
    try:
        code = run(imported, "ship", "1002", "--carrier", "UPS", "--service", "Ground", "--tracking", "1Z999AA1")
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert code == 1
    assert one_line_error(capsys) == (
        "shipdesk: the cache is busy: another shipdesk (the window, a sync) is writing to it; try again in a moment. "
        "What had finished is saved."
    )
    cache = open_cache(imported)
    assert pending_outbox(cache) == []
    cache.close()


def test_a_db_path_naming_another_programs_sqlite_file_is_refused_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "shop.db"  # another program's database, with an orders table of its own
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()

    assert main(["--db", str(other), "orders"]) == 1

    assert (
        one_line_error(capsys) == f"shipdesk: {other} is not a shipdesk cache file: it holds another program's tables"
    )
    assert sqlite3.connect(other).execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_store_names_are_taken_in_any_case_as_import_csv_files_them(
    db: Path, orders_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "import-csv", str(orders_file)) == 0
    assert run(db, "import-csv", str(orders_file), "--store", "Etsy") == 0
    capsys.readouterr()

    assert run(db, "orders", "--store", "etsy", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 4
    assert (
        run(db, "ship", "1002", "--store", "etsy", "--carrier", "UPS", "--service", "Ground", "--tracking", "1Z9") == 0
    )
    assert run(db, "orders", "--store", "Etsi") == 1
    assert one_line_error(capsys) == "shipdesk: no store is named 'Etsi' (stores: CSV import, Etsy)"


def test_the_outbox_hint_for_a_refused_update_names_the_store_when_two_stores_share_the_number(
    db: Path, orders_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "import-csv", str(orders_file)) == 0
    assert run(db, "import-csv", str(orders_file), "--store", "Etsy") == 0
    assert (
        run(db, "ship", "1002", "--store", "Etsy", "--carrier", "UPS", "--service", "Ground", "--tracking", "1Z9") == 0
    )
    cache = open_cache(db)
    (entry,) = pending_outbox(cache)
    refuse_entry(cache, entry.id, "order cancelled in the store", datetime.now(UTC))
    cache.close()
    capsys.readouterr()

    assert run(db, "outbox") == 0

    (hint,) = [line for line in capsys.readouterr().out.splitlines() if "--send-again" in line]
    assert hint.endswith("(--send-again 1002 --store Etsy or --drop 1002 --store Etsy)")
    assert run(db, "outbox", "--drop", "1002", "--store", "Etsy") == 0  # the command works as printed
