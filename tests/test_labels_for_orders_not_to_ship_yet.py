"""An order its store says not to ship yet (on hold, awaiting payment, shipped by a fulfillment provider, or held by
an import that left an item out) gets no label: none drawn here, none bought, nothing recorded. A supervisor who
means it prints it anyway with ShipAnyway; a cancelled order or one combined into another never gets a label."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cache.shipments import latest_shipment, outbox_count
from shipdesk.cli import main
from shipdesk.domain import OrderStatus, Weight, WeightUnit
from shipdesk.label_batch import ShipAnyway, print_labels, print_labels_to_printer
from shipdesk.printing.folder_printer import FolderPrinter
from shipdesk.shipping.shipstation_labels import LabelRequest, ShipStationLabelProvider
from shipdesk.shipstation_shipping import buy_and_print_labels
from shipdesk.upstream.sync import pull_orders
from tests.conftest import import_orders_text
from tests.fakes.raw_printer import Listener
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store, fake_connector, fresh_record, shipstation_order

PLACED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
HELD_UNTIL = {"holdUntilDate": "2026-12-24T00:00:00.0000000"}
THIRD_PARTY = {"externallyFulfilled": True, "externallyFulfilledBy": "Acme 3PL"}
ORDERS: dict[str, tuple[str, dict[str, Any]]] = {  # number: ShipStation status and fields
    "H-1": ("on_hold", HELD_UNTIL),
    "P-2": ("awaiting_payment", {}),
    "F-3": ("awaiting_shipment", THIRD_PARTY),
    "OK-4": ("awaiting_shipment", {}),
    "X-5": ("awaiting_shipment", {}),  # cancelled after the first pull: a first pull leaves cancelled orders out
}
SAID = {
    "H-1": "order H-1: it is on hold in ShipStation until 2026-12-24",
    "P-2": "order P-2: it is not paid yet",
    "F-3": "order F-3: it is on hold: fulfilled outside this warehouse by Acme 3PL",
    "X-5": "order X-5: it was cancelled",
}


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        for position, (number, (status, fields)) in enumerate(ORDERS.items(), start=1):
            order = shipstation_order(position, number=number, status=status, order_date=PLACED, **fields)
            server.add_order(order, modified=PLACED)
        yield server


@pytest.fixture
def ids(cache: Cache, fake: FakeShipStation) -> dict[str, int]:
    record = add_fake_store(cache, fake)
    with fake_connector(fake, record) as connector:
        pull_orders(cache, record, connector, now=PLACED + timedelta(hours=1))
    cancelled = shipstation_order(5, number="X-5", status="cancelled", order_date=PLACED)
    fake.add_order(cancelled, modified=PLACED + timedelta(hours=2))
    with fake_connector(fake, fresh_record(cache)) as connector:
        pull_orders(cache, fresh_record(cache), connector, now=PLACED + timedelta(hours=3))
    return {number: find_by_number(cache, number)[0].id for number in ORDERS}


@pytest.fixture
def zebra() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


def zebra_profile(port: int) -> PrinterProfile:
    return PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{port}", dpi=203, media="4x6")


def status_of(cache: Cache, number: str) -> OrderStatus:
    return find_by_number(cache, number)[0].order.status


def test_only_the_order_free_to_ship_gets_a_label_and_the_others_say_what_the_store_said(
    cache: Cache, ids: dict[str, int], zebra: Listener
) -> None:
    result = print_labels_to_printer(cache, list(ids.values()), zebra_profile(zebra.port))
    zebra.close()

    assert result.printed == [ids["OK-4"]] and len(zebra.jobs) == 1
    assert result.failed == [(ids[number], said) for number, said in SAID.items()]
    assert [status_of(cache, number) for number in ("H-1", "P-2", "F-3")] == [
        OrderStatus.ON_HOLD, OrderStatus.AWAITING_PAYMENT, OrderStatus.ON_HOLD
    ]  # fmt: skip
    assert all(latest_shipment(cache, ids[number]) is None for number in SAID)
    assert outbox_count(cache) == 1  # OK-4's alone: nothing tells the store a held order went out


def test_a_pdf_batch_refuses_them_the_same_way(cache: Cache, ids: dict[str, int], tmp_path: Path) -> None:
    result = print_labels(cache, list(ids.values()), printer=FolderPrinter(tmp_path))

    assert result.printed == [ids["OK-4"]]
    assert dict(result.failed) == {ids[number]: said for number, said in SAID.items()}


def test_a_supervisor_prints_held_and_unpaid_orders_anyway_and_they_are_recorded_shipped(
    cache: Cache, ids: dict[str, int], zebra: Listener
) -> None:
    wanted = [ids[number] for number in ("H-1", "P-2", "F-3")]
    result = print_labels_to_printer(
        cache, wanted, zebra_profile(zebra.port), anyway=ShipAnyway(held=True, unpaid=True)
    )
    zebra.close()

    assert result.printed == wanted and not result.failed and len(zebra.jobs) == 3
    assert [status_of(cache, number) for number in ("H-1", "P-2", "F-3")] == [OrderStatus.SHIPPED] * 3
    assert outbox_count(cache) == 3


def test_each_of_the_supervisors_words_covers_its_own_case_only(
    cache: Cache, ids: dict[str, int], zebra: Listener
) -> None:
    held_only = print_labels_to_printer(
        cache, [ids["H-1"], ids["P-2"]], zebra_profile(zebra.port), anyway=ShipAnyway(held=True)
    )

    assert held_only.printed == [ids["H-1"]] and held_only.failed == [(ids["P-2"], SAID["P-2"])]
    paid_only = print_labels_to_printer(
        cache, [ids["F-3"], ids["P-2"]], zebra_profile(zebra.port), anyway=ShipAnyway(unpaid=True)
    )
    zebra.close()

    assert paid_only.printed == [ids["P-2"]] and paid_only.failed == [(ids["F-3"], SAID["F-3"])]


def test_a_cancelled_order_gets_no_label_whoever_asks(cache: Cache, ids: dict[str, int], zebra: Listener) -> None:
    result = print_labels_to_printer(
        cache, [ids["X-5"]], zebra_profile(zebra.port), anyway=ShipAnyway(held=True, unpaid=True)
    )
    zebra.close()

    assert result.failed == [(ids["X-5"], SAID["X-5"])] and zebra.jobs == []


def test_an_order_combined_into_another_gets_no_label_whoever_asks(
    cache: Cache, fake: FakeShipStation, ids: dict[str, int], zebra: Listener
) -> None:
    fake.combine(4, [1], modified=PLACED + timedelta(hours=4))  # H-1 goes out with OK-4
    with fake_connector(fake, fresh_record(cache)) as connector:
        pull_orders(cache, fresh_record(cache), connector, now=PLACED + timedelta(hours=5))

    result = print_labels_to_printer(cache, [ids["H-1"]], zebra_profile(zebra.port), anyway=ShipAnyway(held=True))
    zebra.close()

    assert result.failed == [
        (ids["H-1"], "order H-1: combined into order OK-4 in ShipStation: pack that order instead")
    ]
    assert zebra.jobs == []


def test_an_order_an_import_held_for_a_skipped_line_gets_no_label(cache: Cache, tmp_path: Path) -> None:
    ids = import_orders_text(
        cache,
        tmp_path,
        "Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity\n"
        "7001,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG,Mug,1\n"
        "7001,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,TEA,Teapot,lots\n",
    )

    result = print_labels(cache, [ids["7001"]], printer=FolderPrinter(tmp_path / "labels"))

    assert result.failed == [
        (ids["7001"], "order 7001: it is on hold: line 3 of the file was skipped, so an item may be missing")
    ]
    assert status_of(cache, "7001") is OrderStatus.ON_HOLD


def test_no_label_is_bought_from_shipstation_for_a_held_order(
    cache: Cache, fake: FakeShipStation, ids: dict[str, int], tmp_path: Path
) -> None:
    ups = LabelRequest("ups", "ups_ground", "package", weight=Weight(Decimal(1), WeightUnit.POUND))
    with fake_connector(fake, fresh_record(cache)) as connector:
        provider = ShipStationLabelProvider(connector.client)
        wanted = [ids[number] for number in ("H-1", "F-3", "OK-4")]
        result = buy_and_print_labels(cache, wanted, ups, provider, FolderPrinter(tmp_path), now=PLACED)

    assert result.printed == [ids["OK-4"]]
    assert result.failed == [
        (ids["H-1"], "No label bought for order H-1: it is on hold in ShipStation until 2026-12-24."),
        (ids["F-3"], "No label bought for order F-3: it is on hold: fulfilled outside this warehouse by Acme 3PL."),
    ]
    assert [label["orderId"] for label in fake.labels] == [4]  # ShipStation was asked for OK-4's alone


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def test_the_command_line_says_why_and_how_a_supervisor_prints_them_anyway(
    cache: Cache, ids: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = cache.path
    cache.close()

    assert run(db, "label", "H-1", "P-2", "OK-4", "--out", str(tmp_path / "l.pdf")) == 1
    refused = capsys.readouterr().err
    assert f"Not printed: {SAID['H-1']}." in refused and f"Not printed: {SAID['P-2']}." in refused
    assert "a supervisor may print them with --even-if-held or --even-if-unpaid" in refused

    assert run(db, "label", "H-1", "--out", str(tmp_path / "h.pdf"), "--even-if-held") == 0
    assert "1 order marked shipped" in capsys.readouterr().out


def test_print_takes_the_supervisors_word_too(
    cache: Cache, ids: dict[str, int], zebra: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    db = cache.path
    cache.close()
    printer = ["printers", "add", "Zebra", "--language", "zpl", "--uri", f"tcp://127.0.0.1:{zebra.port}"]
    assert run(db, *printer) == 0

    assert run(db, "print", "P-2", "--printer", "Zebra") == 1
    assert "a supervisor may print them with --even-if-unpaid" in capsys.readouterr().err
    assert run(db, "print", "P-2", "--printer", "Zebra", "--even-if-unpaid") == 0
    zebra.close()

    assert len(zebra.jobs) == 1
