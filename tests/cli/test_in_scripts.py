"""The `shipdesk` command as scripts and cron jobs run it: a real process, its exit code, stdout and stderr apart."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.running import shipdesk

ORDERS_CSV = """\
Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Unit Price
1001,2026-11-20 09:15:00,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG-BLU,Blue enamel mug,2,12.50
1001,2026-11-20 09:15:00,Zoë Ørsted,Nørregade 7,København,1165,DK,TEA-1,Cast iron teapot,1,39.00
1002,2026-11-20 10:00:00,José Núñez,Calle Mayor 5,Madrid,28013,ES,APR-LIN,Linen apron,1,24.00
1003,2026-11-21 16:45:00,Łukasz Żółw,ul. Długa 12,Gdańsk,80-827,PL,SOCK-W,Wool socks,3,9.90
"""


def with_orders(tmp_path: Path, *, store: str = "") -> Path:
    """A cache with orders 1001–1003 imported from a CSV file, as a packer starts the day."""
    db = tmp_path / "cache.sqlite"
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")
    import_args = ("import-csv", str(orders), "--timezone", "UTC", *(("--store", store) if store else ()))
    imported = shipdesk(db, *import_args)
    assert imported.returncode == 0, imported.stderr
    return db


def ship(db: Path, order_number: str, tracking: str, *more: str) -> subprocess.CompletedProcess[bytes]:
    return shipdesk(db, "ship", order_number, "--carrier", "UPS", "--service", "Ground", "--tracking", tracking, *more)


def order_numbers_in(csv_text: str) -> list[str]:
    return [row["Order Number"] for row in csv.DictReader(io.StringIO(csv_text))]


def test_exporting_to_a_dash_writes_the_csv_to_stdout_and_says_what_it_did_on_stderr(tmp_path: Path) -> None:
    db = with_orders(tmp_path)
    assert ship(db, "1001", "1Z999AA10123456784", "--cost", "9.80").returncode == 0

    exported = shipdesk(db, "export-shipments", "-", cwd=tmp_path)

    assert exported.returncode == 0, exported.stderr
    assert order_numbers_in(exported.stdout.decode()) == ["1001"]
    assert "Wrote 1 shipment" in exported.stderr.decode()
    assert not (tmp_path / "-").exists()


def test_handing_over_the_waiting_updates_on_stdout_empties_the_outbox_into_the_pipe(tmp_path: Path) -> None:
    db = with_orders(tmp_path)
    assert ship(db, "1002", "1Z999AA10123456784").returncode == 0

    exported = shipdesk(db, "export-shipments", "-", "--waiting", cwd=tmp_path)

    assert exported.returncode == 0, exported.stderr
    assert order_numbers_in(exported.stdout.decode()) == ["1002"]
    assert not (tmp_path / "-").exists()
    assert json.loads(shipdesk(db, "outbox", "--json").stdout) == []


def test_handing_over_into_a_file_that_exists_is_refused_so_the_updates_it_holds_are_not_lost(tmp_path: Path) -> None:
    db = with_orders(tmp_path)
    upload = tmp_path / "new.csv"
    assert ship(db, "1001", "1Z999AA10123456784").returncode == 0
    assert shipdesk(db, "export-shipments", str(upload), "--waiting").returncode == 0
    yesterdays_file = upload.read_bytes()  # not uploaded yet: its update is no longer in the outbox
    assert ship(db, "1002", "1Z999AA10123456785").returncode == 0

    again = shipdesk(db, "export-shipments", str(upload), "--waiting")

    assert again.returncode == 1
    assert again.stderr.decode().startswith("shipdesk: ") and again.stderr.count(b"\n") == 1
    assert str(upload) in again.stderr.decode()
    assert upload.read_bytes() == yesterdays_file
    waiting = json.loads(shipdesk(db, "outbox", "--json").stdout)
    assert [entry["order_number"] for entry in waiting] == ["1002"]


def test_changing_the_default_printers_address_keeps_it_the_default(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite"
    zebra = ("printers", "add", "Zebra", "--language", "zpl", "--dpi", "203")
    assert shipdesk(db, *zebra, "--uri", "tcp://192.168.1.50:9100", "--default").returncode == 0
    assert shipdesk(db, "printers", "add", "Rollo", "--language", "tspl", "--uri", "usb://0483:5720").returncode == 0

    changed = shipdesk(db, *zebra, "--uri", "tcp://192.168.1.51:9100")

    assert changed.returncode == 0, changed.stderr
    assert "(the default)" in changed.stdout.decode()
    listed = json.loads(shipdesk(db, "printers", "list", "--json").stdout)
    assert {printer["name"]: (printer["uri"], printer["is_default"]) for printer in listed} == {
        "Zebra": ("tcp://192.168.1.51:9100", True),
        "Rollo": ("usb://0483:5720", False),
    }


@pytest.mark.parametrize("blank", ["carrier", "service", "tracking"])
def test_ship_with_a_blank_carrier_service_or_tracking_number_is_refused_and_records_nothing(
    tmp_path: Path, blank: str
) -> None:
    db = with_orders(tmp_path)
    given = {"carrier": "UPS", "service": "Ground", "tracking": "1Z999AA10123456784", blank: " "}

    shipped = shipdesk(db, "ship", "1002", *(part for name, value in given.items() for part in (f"--{name}", value)))

    assert shipped.returncode == 1
    assert shipped.stdout == b""
    assert shipped.stderr.decode().startswith("shipdesk: ") and shipped.stderr.count(b"\n") == 1
    assert f"--{blank}" in shipped.stderr.decode()
    assert json.loads(shipdesk(db, "outbox", "--json").stdout) == []
    (order,) = json.loads(shipdesk(db, "orders", "--json", "--search", "1002").stdout)
    assert order["status"] == "awaiting_shipment"


def test_voided_labels_as_json_keep_the_store_name_on_a_stdout_of_another_code_page(tmp_path: Path) -> None:
    db = with_orders(tmp_path, store="Łódź Café")
    assert ship(db, "1002", "1Z999AA10123456784").returncode == 0
    assert shipdesk(db, "void", "1002").returncode == 0

    listed = shipdesk(db, "voided", "--json", env={"PYTHONIOENCODING": "cp1252"})

    assert listed.returncode == 0, listed.stderr
    (voided,) = json.loads(listed.stdout.decode("cp1252"))
    assert voided["store"] == "Łódź Café"
