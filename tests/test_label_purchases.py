"""A batch of ShipStation labels bought and printed in turn: a refused order never stops the others, a printer
that fails keeps the label just bought and buys no more, and Cancel stops before the next purchase."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.label_pdfs import label_pdf
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cache.shipments import latest_shipment, pending_outbox
from shipdesk.domain import OrderStatus, Weight, WeightUnit
from shipdesk.label_batch import Progress, print_labels, print_labels_to_printer
from shipdesk.label_printer import ProfilePdfPrinter
from shipdesk.printing.folder_printer import FolderPrinter
from shipdesk.printing.label_formats import render_provider_pdf
from shipdesk.shipping.shipstation_labels import LabelError, LabelRequest, ShipStationLabelProvider
from shipdesk.shipstation_shipping import buy_and_print_labels, create_label
from shipdesk.store_setup import disconnect_store
from shipdesk.upstream.sync import pull_orders
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.raw_printer import Listener
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store, fake_connector, fresh_record, shipstation_order
from tests.printing.scanning import pdf_scan, zbar_scan
from tests.printing.test_label_pdf import pdf_text
from tests.printing.test_tspl import parse, rebuild

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
UPS_GROUND = LabelRequest("ups", "ups_ground", "package", weight=Weight(Decimal(1), WeightUnit.POUND))


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        for order_id, status in ((1, "awaiting_shipment"), (2, "awaiting_payment"), (3, "awaiting_shipment"),
                                 (4, "awaiting_shipment")):  # fmt: skip
            order = shipstation_order(
                order_id, number=f"P-{order_id}", order_date=NOW - timedelta(days=1), status=status
            )
            server.add_order(order, modified=NOW)
        yield server


@pytest.fixture
def order_ids(cache: Cache, fake: FakeShipStation) -> list[int]:
    record = add_fake_store(cache, fake)
    with fake_connector(fake, record) as connector:
        pull_orders(cache, record, connector, now=NOW)
    return [find_by_number(cache, f"P-{number}")[0].id for number in (1, 2, 3, 4)]


@pytest.fixture
def provider(cache: Cache, fake: FakeShipStation, order_ids: list[int]) -> Iterator[ShipStationLabelProvider]:
    with fake_connector(fake, fresh_record(cache)) as connector:
        yield ShipStationLabelProvider(connector.client)


def tspl_printer(port: int) -> ProfilePdfPrinter:
    return ProfilePdfPrinter(PrinterProfile("Rollo", "tspl", f"tcp://127.0.0.1:{port}", dpi=203, media="4x6"))


def _stored_status(cache: Cache, order_id: int) -> OrderStatus:
    row = cache.conn.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()
    return OrderStatus(row[0])


def test_each_label_is_bought_printed_and_scans_and_a_refused_order_does_not_stop_the_rest(
    cache: Cache, fake: FakeShipStation, order_ids: list[int], provider: ShipStationLabelProvider
) -> None:
    printer = Listener()
    seen: list[Progress] = []
    try:
        result = buy_and_print_labels(
            cache, order_ids, UPS_GROUND, provider, tspl_printer(printer.port), on_progress=seen.append, now=NOW
        )
    finally:
        printer.close()

    paid = [order_ids[0], order_ids[2], order_ids[3]]
    assert result.printed == paid
    assert result.failed == [(order_ids[1], "No label bought for order P-2: it is not paid yet.")]
    assert [label["orderId"] for label in fake.labels] == [1, 3, 4]
    scanned = [zbar_scan(rebuild(parse(job))) for job in printer.jobs]
    assert scanned == [[label["trackingNumber"]] for label in fake.labels]
    assert [_stored_status(cache, order_id) for order_id in order_ids] == [
        OrderStatus.SHIPPED, OrderStatus.AWAITING_PAYMENT, OrderStatus.SHIPPED, OrderStatus.SHIPPED
    ]  # fmt: skip
    assert [(p.done, p.order_number) for p in seen] == [(1, "P-1"), (2, "P-2"), (3, "P-3"), (4, "P-4")]


def test_a_printer_that_fails_keeps_the_label_just_bought_and_buys_no_more(
    cache: Cache, fake: FakeShipStation, order_ids: list[int], provider: ShipStationLabelProvider
) -> None:
    printer = Listener(drop_at=1, drop_after=100)  # the second label is cut off half-way
    try:
        result = buy_and_print_labels(cache, order_ids, UPS_GROUND, provider, tspl_printer(printer.port), now=NOW)
    finally:
        printer.close()

    assert result.printed == [order_ids[0]]
    assert len(fake.labels) == 2  # P-1 and P-3 bought; P-4 never
    assert result.queued == [order_ids[3]]
    assert "(it closed the connection)" in result.printer_error
    kept = result.failed[-1]
    assert kept[0] == order_ids[2] and "print it again" in kept[1]
    assert _stored_status(cache, order_ids[2]) is OrderStatus.SHIPPED  # paid for, so shipped, label kept
    assert label_pdf(cache, order_ids[2]) is not None
    assert _stored_status(cache, order_ids[3]) is OrderStatus.AWAITING_SHIPMENT


def test_labels_sold_without_a_pdf_are_each_named_and_the_batch_goes_on_as_the_printer_is_not_at_fault(
    cache: Cache, fake: FakeShipStation, order_ids: list[int], provider: ShipStationLabelProvider
) -> None:
    fake.labels_without_pdf = True
    printer = Listener()
    try:
        result = buy_and_print_labels(cache, order_ids, UPS_GROUND, provider, tspl_printer(printer.port), now=NOW)
    finally:
        printer.close()

    assert [label["orderId"] for label in fake.labels] == [1, 3, 4]
    assert printer.jobs == []
    assert result.printed == [] and result.queued == []
    assert not result.printer_failed and result.printer_error == ""
    no_pdf = "label bought, not printed: ShipStation sent no readable PDF of it, so print it from ShipStation"
    assert result.failed == [
        (order_ids[0], f"order P-1: {no_pdf}"),
        (order_ids[1], "No label bought for order P-2: it is not paid yet."),
        (order_ids[2], f"order P-3: {no_pdf}"),
        (order_ids[3], f"order P-4: {no_pdf}"),
    ]
    assert [_stored_status(cache, order_id) for order_id in (order_ids[0], order_ids[2], order_ids[3])] == [
        OrderStatus.SHIPPED
    ] * 3


def test_an_answer_of_success_that_cannot_be_read_stops_the_batch_as_a_lost_one_does(
    cache: Cache, fake: FakeShipStation, order_ids: list[int], provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    fake.cut_answer_next(1)

    result = buy_and_print_labels(cache, order_ids, UPS_GROUND, provider, FolderPrinter(tmp_path), now=NOW)

    assert len(fake.labels) == 1  # sold, and no other bought after it
    assert [order_id for order_id, _reason in result.failed] == [order_ids[0]]
    assert "check the order in ShipStation before trying again" in result.failed[0][1]
    assert result.queued == order_ids[1:]


def test_cancel_stops_before_the_next_purchase(
    cache: Cache, fake: FakeShipStation, order_ids: list[int], provider: ShipStationLabelProvider
) -> None:
    printer = Listener()
    cancel = threading.Event()

    def cancel_after_the_first(progress: Progress) -> None:
        cancel.set()

    try:
        result = buy_and_print_labels(
            cache, order_ids, UPS_GROUND, provider, tspl_printer(printer.port), on_progress=cancel_after_the_first,
            cancel=cancel, now=NOW,
        )  # fmt: skip
    finally:
        printer.close()

    assert result.cancelled and result.printed == [order_ids[0]]
    assert result.queued == order_ids[1:]
    assert len(fake.labels) == 1


def test_a_test_label_is_printed_and_changes_nothing_here(
    cache: Cache, fake: FakeShipStation, order_ids: list[int], provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    first = order_ids[0]
    request = replace(UPS_GROUND, test_label=True)

    purchase = create_label(cache, first, request, provider, FolderPrinter(tmp_path), now=NOW)

    assert purchase.test and purchase.printed_to is not None
    assert pdf_scan(Path(purchase.printed_to)) == [purchase.shipment.tracking_number]
    assert [request.body["testLabel"] for request in fake.requests_to("/orders/createlabelfororder")] == [True]
    assert _stored_status(cache, first) is OrderStatus.AWAITING_SHIPMENT
    assert latest_shipment(cache, first) is None and label_pdf(cache, first) is None
    assert pending_outbox(cache) == []
    assert fake.order(1)["orderStatus"] == "awaiting_shipment"  # ShipStation ships nothing for a test label either
    with fake_connector(fake, fresh_record(cache)) as connector:
        pull_orders(cache, fresh_record(cache), connector, now=NOW + timedelta(minutes=5))
    assert _stored_status(cache, first) is OrderStatus.AWAITING_SHIPMENT


def test_no_label_is_bought_for_an_order_whose_store_was_removed_and_the_store_is_named(
    cache: Cache,
    fake: FakeShipStation,
    order_ids: list[int],
    provider: ShipStationLabelProvider,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    disconnect_store(cache, "Main")

    with pytest.raises(LabelError) as refused:
        create_label(cache, order_ids[0], UPS_GROUND, provider, FolderPrinter(tmp_path), now=NOW)

    assert str(refused.value) == (
        "No label bought for order P-1: its store Main is no longer set up in shipdesk; connect it again to buy "
        "labels for its orders."
    )
    assert fake.labels == []


def test_no_label_is_bought_for_an_order_combined_into_another_in_shipstation(
    cache: Cache, fake: FakeShipStation, order_ids: list[int], provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    fake.combine(3, [1], modified=NOW + timedelta(hours=1))
    with fake_connector(fake, fresh_record(cache)) as connector:
        pull_orders(cache, fresh_record(cache), connector, now=NOW + timedelta(hours=2))
    combined, parent = order_ids[0], order_ids[2]

    result = buy_and_print_labels(cache, [combined, parent], UPS_GROUND, provider, FolderPrinter(tmp_path), now=NOW)

    assert result.failed == [
        (
            combined,
            "No label bought for order P-1: it was combined into order P-3 in ShipStation: pack that order instead.",
        )
    ]
    assert result.printed == [parent]
    assert [label["orderId"] for label in fake.labels] == [3]  # ShipStation was never asked for P-1's label
    assert _stored_status(cache, combined) is OrderStatus.ON_HOLD


def test_a_bought_label_printed_again_in_a_batch_is_the_label_shipstation_sold_not_one_drawn_here(
    cache: Cache, fake: FakeShipStation, order_ids: list[int], provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    """The carrier takes the label it sold, postage and all; the thermal printer gets its pages at its own dpi."""
    buy_and_print_labels(cache, [order_ids[0]], UPS_GROUND, provider, FolderPrinter(tmp_path / "bought"), now=NOW)
    (sold,) = fake.labels
    printer = Listener()
    try:
        rollo = PrinterProfile("Rollo", "tspl", f"tcp://127.0.0.1:{printer.port}", dpi=203, media="4x6")
        again = print_labels_to_printer(cache, [order_ids[0], order_ids[2]], rollo)
    finally:
        printer.close()
    in_one_pdf = print_labels(cache, [order_ids[0]], printer=FolderPrinter(tmp_path / "again")).pdf_path

    sold_pdf = label_pdf(cache, order_ids[0])
    assert sold_pdf is not None
    assert (again.printed, again.reprinted) == ([order_ids[0], order_ids[2]], [order_ids[0]])
    reprint, drawn_here = printer.jobs
    assert reprint == b"".join(render_provider_pdf(sold_pdf, "tspl", 203))  # the sold label's pages, rasterised
    assert zbar_scan(rebuild(parse(reprint))) == [sold["trackingNumber"]]
    assert zbar_scan(rebuild(parse(drawn_here))) != [sold["trackingNumber"]]  # P-3 had no label: one drawn here
    assert in_one_pdf is not None
    assert pdf_text(in_one_pdf.read_bytes(), tmp_path) == pdf_text(sold_pdf, tmp_path)
