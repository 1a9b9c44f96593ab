"""Buying a label when more than one program works on the cache: the window's batch and `shipdesk buy-label`, or two
windows, each through a connection of its own. ShipStation would sell both labels, so the first to claim the order buys
it and the other is told, in the packer's words, that the label is being bought elsewhere; a claim left by a program
that died mid-purchase lapses, and one whose purchase's answer was lost keeps the order from being bought meanwhile;
once it lapses, ShipStation is asked whether it sold that label before another is bought.
A cache another program holds before the purchase means nothing is bought; one taken while the purchase is in flight
leaves the label sold printed, named, and no other bought."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.label_claims import claim_label_purchase
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cache.shipment_voids import shipment_to_void
from shipdesk.cache.shipments import latest_shipment, pending_outbox
from shipdesk.cli import main
from shipdesk.domain import OrderStatus, utc_now
from shipdesk.label_batch import LABEL_BEING_BOUGHT, LabelBatchResult, Progress, print_labels, print_labels_to_printer
from shipdesk.printing.folder_printer import FolderPrinter
from shipdesk.shipping.shipstation_labels import LabelError, LabelRequest, ShipStationLabelProvider
from shipdesk.shipstation_shipping import (
    LabelPurchase,
    buy_and_print_labels,
    buy_labels_into_one_pdf,
    create_label,
    refresh_choices,
)
from shipdesk.upstream.credentials import save_secret
from shipdesk.upstream.sync import pull_orders
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.raw_printer import Listener
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store, fake_connector, fresh_record, shipstation_order
from tests.printing.scanning import pdf_scan

ORDER_NUMBERS = ("B-1", "B-2", "B-3")


def shipstation_with_three_orders() -> Iterator[FakeShipStation]:
    """ShipStation with orders B-1 to B-3 awaiting shipment; it sells a label for any order it is asked to."""
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        placed = utc_now() - timedelta(days=1)
        for order_id, number in enumerate(ORDER_NUMBERS, start=1):
            server.add_order(shipstation_order(order_id, number=number, order_date=placed), modified=placed)
        yield server


def synced_with(cache: Cache, fake: FakeShipStation) -> Cache:
    """The cache with ShipStation store Main connected (its secret in the keyring), synced, its carriers kept."""
    record = add_fake_store(cache, fake)
    save_secret("Main", fake.api_secret)
    with fake_connector(fake, record) as connector:
        pull_orders(cache, record, connector)
        refresh_choices(cache, "Main", connector.client)
    return cache


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    yield from shipstation_with_three_orders()


@pytest.fixture
def synced(cache: Cache, fake: FakeShipStation, memory_keyring: MemoryKeyring) -> Cache:
    return synced_with(cache, fake)


@pytest.fixture
def cache_file(synced: Cache) -> Path:
    assert synced.path is not None
    return synced.path


@pytest.fixture
def another_program(cache_file: Path) -> Iterator[Cache]:
    """The same cache file as another window or program opens it: a connection of its own."""
    opened = open_cache(cache_file)
    yield opened
    opened.close()


def order_id(cache: Cache, number: str) -> int:
    (stored,) = find_by_number(cache, number)
    return stored.id


FEDEX_2DAY = LabelRequest("fedex", "fedex_2day", "package")
BUY_B1 = ["buy-label", "B-1", "--carrier", "fedex", "--service", "fedex_2day"]
PURCHASES = "/orders/createlabelfororder"


def wait_until(condition: Callable[[], bool]) -> None:
    """Waits for something another thread does; a generous bound only keeps a broken test from hanging."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the other program never got there"
        time.sleep(0.01)


@pytest.fixture
def provider(fake: FakeShipStation, synced: Cache) -> Iterator[ShipStationLabelProvider]:
    with fake_connector(fake, fresh_record(synced)) as connector:
        yield ShipStationLabelProvider(connector.client)


class CommandLine:
    """`shipdesk buy-label …` run on a thread of its own; it opens the cache file itself, as the command does."""

    def __init__(self, cache_file: Path, *args: str) -> None:
        self.exit_code: int | None = None
        self._thread = threading.Thread(target=self._run, args=(cache_file, args))

    def _run(self, cache_file: Path, args: tuple[str, ...]) -> None:
        self.exit_code = main(["--db", str(cache_file), *args])

    def start(self) -> None:
        self._thread.start()

    def join(self) -> int | None:
        self._thread.join(timeout=60)
        return self.exit_code


def test_a_batch_that_meets_an_order_whose_label_the_command_line_is_buying_buys_no_second_label(
    fake: FakeShipStation, cache_file: Path, another_program: Cache, tmp_path: Path
) -> None:
    answer = fake.hang_next(1)  # ShipStation takes the command line's purchase and is slow to answer it
    command_line = CommandLine(cache_file, *BUY_B1, "--out", str(tmp_path / "cli"))
    command_line.start()
    wait_until(lambda: len(fake.requests_to(PURCHASES)) == 1)

    with fake_connector(fake, fresh_record(another_program)) as connector:
        window_batch = buy_and_print_labels(
            another_program,
            [order_id(another_program, "B-1"), order_id(another_program, "B-2")],
            FEDEX_2DAY,
            ShipStationLabelProvider(connector.client),
            FolderPrinter(tmp_path / "window"),
        )
    answer.set()

    assert command_line.join() == 0
    assert sorted(label["orderId"] for label in fake.labels) == [1, 2]  # one label for B-1: the command line's
    assert window_batch.failed == [
        (
            order_id(another_program, "B-1"),
            "No label bought for order B-1: order B-1's label is being bought by another window or program.",
        )
    ]
    assert window_batch.printed == [order_id(another_program, "B-2")]


def test_two_windows_buying_one_order_at_once_pay_for_one_label(
    fake: FakeShipStation, synced: Cache, another_program: Cache, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    answer = fake.hang_next(1)
    first_window: list[object] = []

    def buy_in_the_first_window() -> None:
        first_window.append(
            create_label(synced, order_id(synced, "B-1"), FEDEX_2DAY, provider, FolderPrinter(tmp_path / "first"))
        )

    first = threading.Thread(target=buy_in_the_first_window)
    first.start()
    wait_until(lambda: len(fake.requests_to(PURCHASES)) == 1)
    try:
        with fake_connector(fake, fresh_record(another_program)) as connector, pytest.raises(LabelError) as refused:
            create_label(
                another_program,
                order_id(another_program, "B-1"),
                FEDEX_2DAY,
                ShipStationLabelProvider(connector.client),
                FolderPrinter(tmp_path / "second"),
            )
    finally:
        answer.set()
        first.join(timeout=60)

    assert (
        str(refused.value)
        == "No label bought for order B-1: order B-1's label is being bought by another window or program."
    )
    assert not refused.value.outcome_unknown
    assert len(fake.labels) == 1 and len(first_window) == 1


def test_once_the_first_purchase_is_recorded_the_other_window_is_told_the_order_is_shipped(
    fake: FakeShipStation, synced: Cache, another_program: Cache, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    read_before_it_shipped = order_id(another_program, "B-1")
    create_label(synced, order_id(synced, "B-1"), FEDEX_2DAY, provider, FolderPrinter(tmp_path))

    with fake_connector(fake, fresh_record(another_program)) as connector:
        result = buy_and_print_labels(
            another_program,
            [read_before_it_shipped],
            FEDEX_2DAY,
            ShipStationLabelProvider(connector.client),
            FolderPrinter(tmp_path),
        )

    assert len(fake.labels) == 1
    assert result.failed == [
        (read_before_it_shipped, "No label bought for order B-1: it is already shipped; print its label again instead.")
    ]


def test_a_refused_purchase_leaves_the_order_free_to_buy_again(
    fake: FakeShipStation, synced: Cache, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    unknown_service = LabelRequest("fedex", "fedex_teleport", "package")
    with pytest.raises(LabelError):
        create_label(synced, order_id(synced, "B-1"), unknown_service, provider, FolderPrinter(tmp_path))

    create_label(synced, order_id(synced, "B-1"), FEDEX_2DAY, provider, FolderPrinter(tmp_path))

    assert [label["serviceCode"] for label in fake.labels] == ["fedex_2day"]


def test_the_claim_of_a_program_that_died_mid_purchase_lapses(
    fake: FakeShipStation, synced: Cache, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    claim_label_purchase(synced, order_id(synced, "B-1"), now=utc_now() - timedelta(hours=1))  # and then it died

    create_label(synced, order_id(synced, "B-1"), FEDEX_2DAY, provider, FolderPrinter(tmp_path))

    assert len(fake.labels) == 1


def test_a_purchase_whose_answer_was_lost_keeps_other_programs_from_buying_the_order_until_a_sync_shows_it(
    fake: FakeShipStation, synced: Cache, another_program: Cache, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    fake.lose_answer_next()  # ShipStation sells B-1's label; its answer never arrives
    with pytest.raises(LabelError) as lost:
        create_label(synced, order_id(synced, "B-1"), FEDEX_2DAY, provider, FolderPrinter(tmp_path))
    assert lost.value.outcome_unknown

    with fake_connector(fake, fresh_record(another_program)) as connector:
        other = ShipStationLabelProvider(connector.client)
        with pytest.raises(LabelError) as refused:
            create_label(another_program, order_id(another_program, "B-1"), FEDEX_2DAY, other, FolderPrinter(tmp_path))
        pull_orders(another_program, fresh_record(another_program), connector)

    assert str(refused.value).startswith(
        "No label bought for order B-1: order B-1's label may have been bought by another window or program, which "
        "lost ShipStation's answer: check the order in ShipStation"
    )
    assert len(fake.labels) == 1
    [stored] = find_by_number(another_program, "B-1")
    assert stored.order.status is OrderStatus.SHIPPED  # the sync shows the label ShipStation sold


def claims_lapse(cache: Cache) -> None:
    """The claims' lease runs out: what five minutes of waiting does."""
    lapsed = (utc_now() - timedelta(seconds=1)).isoformat()
    with cache.transaction() as conn:
        conn.execute("UPDATE label_purchase_claims SET claimed_until = ?", (lapsed,))


def claims_held(cache: Cache) -> list[tuple[int, int]]:
    return cache.conn.execute("SELECT order_id, answer_lost FROM label_purchase_claims").fetchall()


def buy_b1(cache: Cache, provider: ShipStationLabelProvider, folder: Path) -> LabelPurchase:
    return create_label(cache, order_id(cache, "B-1"), FEDEX_2DAY, provider, FolderPrinter(folder))


def answer_lost_buying_b1(
    fake: FakeShipStation, cache: Cache, provider: ShipStationLabelProvider, folder: Path
) -> None:
    """ShipStation sells B-1's label, its answer never arrives, and no sync runs while the claim's lease runs out."""
    fake.lose_answer_next()
    with pytest.raises(LabelError) as lost:
        buy_b1(cache, provider, folder)
    assert lost.value.outcome_unknown
    claims_lapse(cache)


def test_once_a_lost_answer_lapses_the_label_shipstation_sold_then_is_recorded_and_no_second_is_bought(
    fake: FakeShipStation, synced: Cache, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    answer_lost_buying_b1(fake, synced, provider, tmp_path)

    purchase = buy_b1(synced, provider, tmp_path)

    [sold] = fake.labels
    assert len(fake.requests_to(PURCHASES)) == 1
    assert purchase.printed_to is None
    assert purchase.print_error == (
        "ShipStation had sold it on an earlier try whose answer was lost, so no second label was bought; it is "
        "recorded now, and its PDF is in ShipStation only, so print it from ShipStation"
    )
    [stored] = find_by_number(synced, "B-1")
    assert stored.order.status is OrderStatus.SHIPPED
    shipment = latest_shipment(synced, stored.id)
    assert shipment is not None
    assert (shipment.carrier, shipment.service) == ("fedex", "fedex_2day")
    assert shipment.tracking_number == sold["trackingNumber"]
    assert shipment.cost == Decimal("7.30")
    assert shipment_to_void(synced, stored.id).upstream_shipment_id == sold["shipmentId"]  # voidable from here
    assert pending_outbox(synced) == []  # ShipStation has it shipped already
    assert claims_held(synced) == []


def test_once_a_lost_answer_lapses_an_order_shipstation_sold_nothing_for_gets_its_label(
    fake: FakeShipStation, synced: Cache, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    fake.drop_next()  # the purchase never reached ShipStation, but shipdesk cannot know that
    with pytest.raises(LabelError) as lost:
        buy_b1(synced, provider, tmp_path)
    assert lost.value.outcome_unknown
    claims_lapse(synced)

    purchase = buy_b1(synced, provider, tmp_path)

    [sold] = fake.labels
    assert purchase.print_error == ""
    assert isinstance(purchase.printed_to, Path)
    assert sold["trackingNumber"] in pdf_scan(purchase.printed_to)
    assert len(fake.requests_to("/shipments")) == 1  # asked once, before buying
    assert claims_held(synced) == []


def test_a_label_voided_in_shipstation_after_a_lost_answer_is_not_taken_for_the_order_s_label(
    fake: FakeShipStation, synced: Cache, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    answer_lost_buying_b1(fake, synced, provider, tmp_path)
    [first] = fake.labels
    provider.client.void_label(first["shipmentId"], order_number="B-1")  # voided in ShipStation by someone

    purchase = buy_b1(synced, provider, tmp_path)

    assert len(fake.labels) == 2
    assert purchase.shipment.tracking_number == fake.labels[1]["trackingNumber"]
    assert purchase.print_error == ""


def test_when_shipstation_cannot_be_asked_after_a_lost_answer_nothing_is_bought_and_the_next_try_asks_again(
    fake: FakeShipStation, synced: Cache, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    answer_lost_buying_b1(fake, synced, provider, tmp_path)
    fake.drop_next(5)  # ShipStation cannot be reached: every try of the question is dropped

    with pytest.raises(LabelError) as unknown:
        buy_b1(synced, provider, tmp_path)

    assert str(unknown.value).startswith(
        "No label bought for order B-1: an earlier purchase of its label lost ShipStation's answer, and ShipStation "
        "could not be asked whether it sold that label ("
    )
    assert str(unknown.value).endswith("Try again when ShipStation can be reached.")
    assert len(fake.requests_to(PURCHASES)) == 1
    assert claims_held(synced) == [(order_id(synced, "B-1"), 1)]  # lapsed, and still saying an answer was lost

    purchase = buy_b1(synced, provider, tmp_path)

    assert len(fake.labels) == 1
    assert purchase.shipment.tracking_number == fake.labels[0]["trackingNumber"]


@pytest.fixture
def three_orders(synced: Cache) -> list[int]:
    return [order_id(synced, number) for number in ("B-1", "B-2", "B-3")]


def test_no_label_is_bought_while_another_program_holds_the_cache_so_none_is_paid_for_unrecorded(
    synced: Cache, fake: FakeShipStation, provider: ShipStationLabelProvider, three_orders: list[int], tmp_path: Path
) -> None:
    synced.conn.execute("PRAGMA busy_timeout = 50")
    assert synced.path is not None
    other = sqlite3.connect(synced.path)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = buy_and_print_labels(synced, three_orders[:1], FEDEX_2DAY, provider, FolderPrinter(tmp_path))
    finally:
        other.rollback()
        other.close()

    assert fake.labels == []
    [(_order, reason)] = result.failed
    assert reason.startswith("No label bought for order B-1: the order cache could not be written (")


def test_a_label_sold_while_another_program_took_the_cache_is_printed_named_and_no_other_is_bought(
    synced: Cache, fake: FakeShipStation, provider: ShipStationLabelProvider, three_orders: list[int], tmp_path: Path
) -> None:
    synced.conn.execute("PRAGMA busy_timeout = 50")
    assert synced.path is not None
    answer = fake.hang_next(1)
    results: list[LabelBatchResult] = []
    batch = threading.Thread(
        target=lambda: results.append(
            buy_and_print_labels(synced, three_orders, FEDEX_2DAY, provider, FolderPrinter(tmp_path))
        )
    )
    batch.start()
    wait_until(lambda: len(fake.requests_to("/orders/createlabelfororder")) == 1)
    other = sqlite3.connect(synced.path)
    other.execute("BEGIN IMMEDIATE")  # another program takes the cache while the purchase is in flight
    answer.set()
    batch.join(timeout=60)
    other.rollback()
    other.close()

    [result] = results
    [sold] = fake.labels
    [pdf] = tmp_path.glob("*.pdf")
    assert pdf_scan(pdf) == [sold["trackingNumber"]]
    assert f"tracking {sold['trackingNumber']}" in result.printer_error and f"It was printed to {pdf}." in (
        result.printer_error
    )
    assert result.queued == three_orders[1:]


def test_a_batch_cancelled_after_its_first_purchase_still_writes_that_label_into_its_pdf(
    synced: Cache, fake: FakeShipStation, provider: ShipStationLabelProvider, three_orders: list[int], tmp_path: Path
) -> None:
    cancel = threading.Event()

    def cancel_after_the_first(progress: Progress) -> None:
        cancel.set()

    result = buy_labels_into_one_pdf(
        synced, three_orders, FEDEX_2DAY, provider, FolderPrinter(tmp_path), on_progress=cancel_after_the_first,
        cancel=cancel,
    )  # fmt: skip

    [sold] = fake.labels
    assert result.cancelled and result.queued == three_orders[1:]
    assert result.pdf_path is not None and pdf_scan(result.pdf_path) == [sold["trackingNumber"]]
    assert list(tmp_path.glob("*.pdf")) == [result.pdf_path]


def test_labels_bought_whose_pdf_cannot_be_written_are_named_as_kept_and_not_printed(
    synced: Cache, fake: FakeShipStation, provider: ShipStationLabelProvider, three_orders: list[int], tmp_path: Path
) -> None:
    in_the_way = tmp_path / "labels"
    in_the_way.write_text("a file where the label folder should be")

    result = buy_labels_into_one_pdf(synced, three_orders[:2], FEDEX_2DAY, provider, FolderPrinter(in_the_way))

    assert len(fake.labels) == 2 and result.printed == [] and result.pdf_path is None
    assert [reason.split(":")[0] for _order, reason in result.failed] == ["order B-1", "order B-2"]
    assert all("label bought and kept, not printed" in reason for _order, reason in result.failed)
    assert result.printer_error.endswith("the labels bought are kept, print them again")


def test_no_label_is_drawn_here_for_an_order_whose_label_another_program_is_buying(
    synced: Cache, another_program: Cache, three_orders: list[int], tmp_path: Path
) -> None:
    first, second, third = three_orders
    claim_label_purchase(another_program, second)  # its purchase is under way there

    result = print_labels(synced, three_orders, printer=FolderPrinter(tmp_path))

    assert result.printed == [first, third]
    assert result.failed == [(second, f"order B-2: {LABEL_BEING_BOUGHT}")]
    assert [entry.payload["order_number"] for entry in pending_outbox(synced)] == ["B-1", "B-3"]


def test_an_order_whose_purchase_another_program_starts_while_the_batch_runs_gets_no_label_drawn_here(
    synced: Cache, another_program: Cache, three_orders: list[int]
) -> None:
    first, second, third = three_orders
    busy = Listener(hold_at=0)  # the first label stays in hand until released
    zebra = PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{busy.port}", dpi=203, media="4x6")
    results: list[LabelBatchResult] = []
    printing = threading.Thread(target=lambda: results.append(print_labels_to_printer(synced, three_orders, zebra)))
    printing.start()
    try:
        assert busy.holding.wait(timeout=60)
        claim_label_purchase(another_program, second)
    finally:
        busy.release()
        printing.join(timeout=120)
        busy.close()

    (result,) = results
    assert result.printed == [first, third]
    assert [order_id for order_id, _reason in result.failed] == [second]
    assert LABEL_BEING_BOUGHT in result.failed[0][1]
    assert len(busy.jobs) == 2
