"""`shipdesk buy-label` and `reprint-label` against a fake ShipStation: the label is bought with the packer's
choices, recorded at once, kept, and printed as a PDF or in a thermal printer's language whose barcode scans."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from shipdesk.cache import open_cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.shipment_voids import VoidRefused
from shipdesk.cache.shipments import latest_shipment, outbox_count
from shipdesk.cli import main
from shipdesk.domain import OrderStatus, utc_now
from shipdesk.label_voiding import void_label
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.raw_printer import Listener
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import shipstation_order
from tests.printing.scanning import zbar_scan
from tests.printing.test_tspl import parse, rebuild
from tests.test_label_purchase_claims import claims_lapse

FEDEX = ["--carrier", "fedex", "--service", "fedex_2day", "--package", "package"]


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        for order_id in (1, 2):
            order = shipstation_order(order_id, number=f"W-{order_id}", order_date=utc_now() - timedelta(days=1))
            server.add_order(order, modified=utc_now() - timedelta(hours=order_id))
        yield server


@pytest.fixture
def db(tmp_path: Path, fake: FakeShipStation, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache with ShipStation store Main connected and synced: orders W-1 and W-2 wait for shipment."""
    path = tmp_path / "cache.sqlite"
    monkeypatch.setenv("SHIPDESK_API_SECRET", fake.api_secret)
    add = ["stores", "add", "shipstation", "--name", "Main", "--api-key", fake.api_key, "--base-url", fake.base_url]
    assert run(path, *add) == 0
    assert run(path, "sync") == 0
    return path


@pytest.fixture
def printer() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def scan_pdf(pdf: Path, folder: Path) -> list[str]:
    subprocess.run(["pdftoppm", "-r", "203", "-png", str(pdf), str(folder / "page")], check=True)
    return [value for page in sorted(folder.glob("page*.png")) for value in zbar_scan(Image.open(page))]


def test_a_bought_label_is_recorded_kept_and_written_as_a_pdf_that_scans(
    db: Path, fake: FakeShipStation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "labels"

    code = run(db, "buy-label", "W-1", *FEDEX, "--weight", "2 lb", "--dimensions", "7x5x6.5 in", "--out", str(out))

    assert code == 0, capsys.readouterr().err
    (bought,) = fake.labels
    assert (bought["carrierCode"], bought["serviceCode"], bought["packageCode"]) == ("fedex", "fedex_2day", "package")
    assert bought["weight"] == {"value": 2, "units": "pounds"}
    assert (bought["dimensions"]["height"], bought["dimensions"]["units"]) == (6.5, "inches")
    printed = capsys.readouterr().out
    assert f"tracking number {bought['trackingNumber']}" in printed
    (pdf,) = out.glob("*.pdf")
    assert printed.splitlines()[-1] == f"Label saved as {pdf}."
    assert scan_pdf(pdf, tmp_path) == [bought["trackingNumber"]]
    cache = open_cache(db)
    (stored,) = find_by_number(cache, "W-1")
    shipment = latest_shipment(cache, stored.id)
    assert stored.order.status is OrderStatus.SHIPPED
    assert shipment is not None and shipment.tracking_number == bought["trackingNumber"]
    assert outbox_count(cache) == 0  # ShipStation has the order as shipped from the purchase on
    cache.close()


def test_a_test_label_is_written_and_said_to_change_nothing(
    db: Path, fake: FakeShipStation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "labels"

    assert run(db, "buy-label", "W-1", *FEDEX, "--weight", "2 lb", "--test-label", "--out", str(out)) == 0

    (bought,) = fake.labels
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"Bought a test label of order W-1: fedex fedex_2day, tracking number {bought['trackingNumber']}, cost 7.30.",
        "A test label is not charged and ships nothing: the order stays as it was, here and in ShipStation.",
    ]
    (pdf,) = out.glob("*.pdf")
    assert scan_pdf(pdf, tmp_path) == [bought["trackingNumber"]]
    assert fake.order(1)["orderStatus"] == "awaiting_shipment"
    assert run(db, "sync") == 0  # what ShipStation says of the order afterwards changes nothing either
    cache = open_cache(db)
    (stored,) = find_by_number(cache, "W-1")
    assert stored.order.status is OrderStatus.AWAITING_SHIPMENT
    assert latest_shipment(cache, stored.id) is None
    cache.close()

    assert run(db, "buy-label", "W-1", *FEDEX, "--weight", "2 lb", "--out", str(out)) == 0  # the real one, later
    assert fake.order(1)["orderStatus"] == "shipped"


def test_a_bought_label_goes_to_a_thermal_printer_in_its_language_and_scans(
    db: Path, fake: FakeShipStation, printer: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = f"tcp://127.0.0.1:{printer.port}"
    assert run(db, "printers", "add", "Rollo", "--language", "tspl", "--uri", uri, "--dpi", "203", "--default") == 0

    assert run(db, "buy-label", "W-2", *FEDEX, "--weight", "12oz") == 0

    assert capsys.readouterr().out.splitlines()[-1] == f"Label printed on Rollo (127.0.0.1:{printer.port})."
    printer.close()
    (job,) = printer.jobs
    label = rebuild(parse(job))
    assert label.size == (816, 1218)  # 4×6 in at 203 dpi, rows in whole bytes
    assert zbar_scan(label) == [fake.labels[0]["trackingNumber"]]


def test_a_label_bought_but_not_printed_is_kept_and_reprints(
    db: Path, fake: FakeShipStation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = "tcp://127.0.0.1:9"  # nothing listens on the discard port here
    assert run(db, "printers", "add", "Zebra", "--language", "zpl", "--uri", dead) == 0
    capsys.readouterr()

    assert run(db, "buy-label", "W-1", *FEDEX, "--weight", "1 lb", "--printer", "Zebra") == 1
    said = capsys.readouterr()
    assert said.out.startswith("Bought the label of order W-1")
    assert said.err.startswith("shipdesk: not printed: ") and said.err.endswith("(shipdesk reprint-label W-1)\n")
    assert "not printed" not in said.out

    assert run(db, "reprint-label", "W-1", "--out", str(tmp_path / "again")) == 0
    (pdf,) = (tmp_path / "again").glob("*.pdf")
    assert capsys.readouterr().out == f"Label of order W-1 saved again as {pdf}.\n"
    assert scan_pdf(pdf, tmp_path) == [fake.labels[0]["trackingNumber"]]
    assert len(fake.labels) == 1  # printed again, not bought again


def test_a_label_sold_without_a_pdf_is_recorded_and_said_to_print_from_shipstation(
    db: Path, fake: FakeShipStation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.labels_without_pdf = True
    capsys.readouterr()

    assert run(db, "buy-label", "W-1", *FEDEX, "--weight", "1 lb", "--out", str(tmp_path / "labels")) == 1

    said = capsys.readouterr()
    assert f"tracking number {fake.labels[0]['trackingNumber']}" in said.out
    assert said.err == "shipdesk: not printed: ShipStation sent no readable PDF of it, so print it from ShipStation\n"
    assert status_of(db, "W-1") is OrderStatus.SHIPPED


def test_a_label_sold_on_a_try_whose_answer_was_lost_is_found_recorded_and_not_bought_again(
    db: Path, fake: FakeShipStation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ["--weight", "1 lb", "--out", str(tmp_path / "labels")]
    fake.lose_answer_next()
    assert run(db, "buy-label", "W-1", *FEDEX, *out) == 1
    capsys.readouterr()
    cache = open_cache(db)
    try:
        claims_lapse(cache)
    finally:
        cache.close()

    assert run(db, "buy-label", "W-1", *FEDEX, *out) == 1

    said = capsys.readouterr()
    (sold,) = fake.labels
    assert said.out == (
        f"Found the label ShipStation sold for order W-1 on an earlier try: fedex fedex_2day, "
        f"tracking number {sold['trackingNumber']}, cost 7.30.\n"
    )
    assert said.err.startswith("shipdesk: not printed: ShipStation had sold it on an earlier try whose answer was lost")
    assert "reprint-label" not in said.err  # no PDF of it is kept here
    assert status_of(db, "W-1") is OrderStatus.SHIPPED


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--weight", "heavy"], '--weight heavy: write the weight as "2 lb" or "12oz"'),
        (["--weight", "2 stone"], '--weight 2 stone: write the weight as "2 lb" or "12oz"'),
        (
            ["--weight", "1 lb", "--dimensions", "7x5 in"],
            '--dimensions 7x5 in: write the size as length x width x height and a unit, as in "7x5x6.5 in"',
        ),
        (
            ["--weight", "1 lb", "--insure", "lots"],
            "--insure lots: write the insured value as a number such as 150 or 89.95",
        ),
        (
            ["--weight", "1 lb", "--ship-date", "31/02"],
            "--ship-date 31/02: not a date; write it as year-month-day, such as 2026-12-01",
        ),
        (
            ["--weight", "1 lb", "--ship-date", "2026-02-31"],
            "--ship-date 2026-02-31: not a date; write it as year-month-day, such as 2026-12-01",
        ),
    ],
)
def test_choices_that_cannot_be_read_are_refused_in_one_line_before_anything_is_bought(
    db: Path, fake: FakeShipStation, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    assert run(db, "buy-label", "W-1", *FEDEX, *extra) == 1

    assert capsys.readouterr().err == f"shipdesk: {message}\n"
    assert fake.labels == []


def test_the_ship_date_given_is_the_one_shipstation_gets(db: Path, fake: FakeShipStation, tmp_path: Path) -> None:
    assert (
        run(db, "buy-label", "W-1", *FEDEX, "--weight", "1 lb", "--ship-date", "2026-12-01", "--out", str(tmp_path))
        == 0
    )

    assert fake.labels[0]["shipDate"] == "2026-12-01"


def test_shipstations_refusal_is_shown_and_nothing_is_recorded(
    db: Path, fake: FakeShipStation, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    assert run(db, "buy-label", "W-1", "--carrier", "fedex", "--service", "teleport", "--weight", "1 lb") == 1

    assert "Invalid serviceCode 'teleport'" in capsys.readouterr().err
    cache = open_cache(db)
    (stored,) = find_by_number(cache, "W-1")
    assert stored.order.status is not OrderStatus.SHIPPED and latest_shipment(cache, stored.id) is None
    cache.close()


def test_an_order_from_a_csv_store_is_sent_to_the_own_label_command(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "Order #,Order Date,Recipient,Address 1,City,State,Postal Code,Country,SKU,Item Name,Quantity\n"
        "C-1,2026-11-01 10:00:00,Zoë Ørsted,1 Main St,Austin,TX,78701,US,MUG,Mug,1\n",
        encoding="utf-8",
    )
    assert run(db, "import-csv", str(csv)) == 0
    capsys.readouterr()

    assert run(db, "buy-label", "C-1", *FEDEX) == 1

    assert capsys.readouterr().err == (
        "shipdesk: order C-1 is from CSV import, not a ShipStation store; print a label with `shipdesk label` instead\n"
    )


def test_an_order_of_a_removed_store_names_the_store_and_how_to_connect_it_again(
    db: Path,
    fake: FakeShipStation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(db, "stores", "remove", "Main") == 0
    capsys.readouterr()

    assert run(db, "buy-label", "W-1", *FEDEX, "--weight", "1 lb") == 1

    assert capsys.readouterr().err == (
        "shipdesk: order W-1 is from store Main, which is no longer set up in shipdesk; to buy its label, connect it "
        "again: shipdesk stores add shipstation --name Main --api-key KEY\n"
    )
    assert fake.labels == []
    add = ["stores", "add", "shipstation", "--name", "Main", "--api-key", fake.api_key, "--base-url", fake.base_url]
    assert run(db, *add) == 0  # the secret is still in SHIPDESK_API_SECRET
    assert run(db, "buy-label", "W-1", *FEDEX, "--weight", "1 lb", "--out", str(tmp_path)) == 0
    assert len(fake.labels) == 1


def test_reprinting_an_order_with_no_kept_label_says_what_prints_one(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(db, "reprint-label", "W-2", "--out", str(tmp_path)) == 1
    assert capsys.readouterr().err == "shipdesk: order W-2 has no label yet; buy one with `shipdesk buy-label W-2`\n"

    assert run(db, "ship", "W-2", "--carrier", "ups", "--service", "ups_ground", "--tracking", "1Z999") == 0
    capsys.readouterr()
    assert run(db, "reprint-label", "W-2", "--out", str(tmp_path)) == 1
    said = capsys.readouterr().err
    assert said.startswith("shipdesk: order W-2 was shipped with a label not bought through shipdesk")
    assert said.endswith(
        "`shipdesk label W-2 --out label.pdf` prints one from its recorded carrier and tracking number\n"
    )

    assert run(db, "label", "W-2", "--out", str(tmp_path / "label.pdf")) == 0  # and it does
    assert "1Z999" in scan_pdf(tmp_path / "label.pdf", tmp_path)


def status_of(db: Path, number: str) -> OrderStatus:
    cache = open_cache(db)
    try:
        (stored,) = find_by_number(cache, number)
        return stored.order.status
    finally:
        cache.close()


def test_a_bought_label_is_voided_in_shipstation_and_the_order_can_be_bought_again(
    db: Path, fake: FakeShipStation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "buy-label", "W-1", *FEDEX, "--out", str(tmp_path)) == 0
    (bought,) = fake.labels
    capsys.readouterr()

    assert run(db, "void", "W-1") == 0

    assert capsys.readouterr().out == (
        f"Voided the label of order W-1 (fedex fedex_2day, tracking number {bought['trackingNumber']}); "
        "ShipStation refunds it. The order waits to be packed again.\n"
    )
    assert fake.voided_shipment_ids == [bought["shipmentId"]]
    assert status_of(db, "W-1") is OrderStatus.AWAITING_SHIPMENT
    assert run(db, "sync") == 0  # ShipStation has it awaiting shipment again, and so does the cache
    assert status_of(db, "W-1") is OrderStatus.AWAITING_SHIPMENT
    assert run(db, "buy-label", "W-1", *FEDEX, "--out", str(tmp_path)) == 0
    assert len(fake.labels) == 2
    capsys.readouterr()
    assert run(db, "voided", "--json") == 0
    (voided,) = json.loads(capsys.readouterr().out)
    assert (voided["order_number"], voided["tracking_number"]) == ("W-1", bought["trackingNumber"])
    assert (voided["cost"], voided["refund_asked"]) == ("7.30", True)  # the fake's price of a label


def test_a_void_shipstation_refuses_leaves_the_order_shipped_and_says_why(
    db: Path, fake: FakeShipStation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "buy-label", "W-1", *FEDEX, "--out", str(tmp_path)) == 0
    fake.refuse_voids_with = "Label already used."
    capsys.readouterr()

    assert run(db, "void", "W-1") == 1

    err = capsys.readouterr().err
    assert err.startswith("shipdesk: ShipStation did not void the label of order W-1") and "Label already used" in err
    assert status_of(db, "W-1") is OrderStatus.SHIPPED


def test_a_label_bought_before_shipdesk_kept_shipstations_id_is_voided_in_shipstation(
    db: Path, fake: FakeShipStation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "buy-label", "W-1", *FEDEX, "--out", str(tmp_path)) == 0
    with sqlite3.connect(db) as conn:  # as schema 10 left it: the PDF kept, ShipStation's shipment id not
        conn.execute("UPDATE shipments SET upstream_shipment_id = NULL")
    capsys.readouterr()

    assert run(db, "void", "W-1") == 1

    assert "void it in ShipStation, and the next sync brings the order back" in capsys.readouterr().err
    assert fake.voided_shipment_ids == []
    assert status_of(db, "W-1") is OrderStatus.SHIPPED


def test_a_label_shipstation_voided_while_the_cache_was_held_is_noted_when_voided_again(
    db: Path, fake: FakeShipStation, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert run(db, "buy-label", "W-1", *FEDEX, "--out", str(tmp_path)) == 0
    cache = open_cache(db)
    cache.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db)
    other.execute("BEGIN IMMEDIATE")
    try:
        (stored,) = find_by_number(cache, "W-1")
        with pytest.raises(VoidRefused, match=r"ShipStation voided the label of order W-1, but the cache could not"):
            void_label(cache, stored.id)
    finally:
        other.rollback()
        other.close()
        cache.close()

    assert fake.voided_shipment_ids == [fake.labels[0]["shipmentId"]]
    assert any("ShipStation voided the label of order W-1" in record.getMessage() for record in caplog.records)
    assert status_of(db, "W-1") is OrderStatus.SHIPPED

    assert run(db, "void", "W-1") == 0  # ShipStation refuses a second void; asked, it says the label is voided

    assert status_of(db, "W-1") is OrderStatus.AWAITING_SHIPMENT
    assert fake.voided_shipment_ids == [fake.labels[0]["shipmentId"]]


def test_a_void_whose_answer_was_lost_is_found_done_in_shipstation_and_the_order_waits_to_be_packed_again(
    db: Path, fake: FakeShipStation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "buy-label", "W-1", *FEDEX, "--out", str(tmp_path)) == 0
    fake.lose_answer_next()  # ShipStation voids the label, and the answer never arrives
    capsys.readouterr()

    assert run(db, "void", "W-1") == 0

    assert capsys.readouterr().out.startswith("Voided the label of order W-1 (fedex fedex_2day")
    assert fake.voided_shipment_ids == [fake.labels[0]["shipmentId"]]
    assert status_of(db, "W-1") is OrderStatus.AWAITING_SHIPMENT
