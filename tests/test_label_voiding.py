"""Voiding a label: the order waits to be packed again and its store hears nothing of the shipment, as long as the
store has not had the update yet; after that, shipdesk says only the store can take it back."""

from __future__ import annotations

import csv
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.cache.outbox_schedule import claim_entry, postpone_entry, release_entry
from shipdesk.cache.shipment_voids import VoidRefused, voided_shipments
from shipdesk.cache.shipments import confirm_outbox, latest_shipment, pending_outbox, record_shipment
from shipdesk.cli import main
from shipdesk.domain import OrderStatus, Shipment, utc_now
from shipdesk.label_batch import ShippingChoice, print_labels
from shipdesk.label_voiding import void_label
from shipdesk.printing.folder_printer import FolderPrinter
from shipdesk.shipment_export import export_waiting_shipments
from shipdesk.upstream.outbox_push import push_outbox
from shipdesk.upstream.rate_limit import RateLimiter
from shipdesk.upstream.sync import pull_orders
from tests.conftest import import_orders_text
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store, fake_connector, fresh_record, shipstation_order
from tests.test_label_printing import status_of

ORDERS = """\
Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Order Status
2001,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG,Mug,1,
2002,2026-11-20 10:00,José Núñez,Calle Mayor 5,Madrid,28013,ES,TEA,Teapot,1,
2003,2026-11-20 11:00,Ana Lima,Rua 1,Lisboa,1100,PT,CUP,Cup,1,shipped
"""
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
OWN_COURIER = ShippingChoice(carrier="Other / own courier", service="Local delivery")


@pytest.fixture
def orders(cache: Cache, tmp_path: Path) -> dict[str, int]:
    return import_orders_text(cache, tmp_path, ORDERS)


def printed(cache: Cache, order_id: int, tmp_path: Path) -> Shipment:
    print_labels(cache, [order_id], OWN_COURIER, printer=FolderPrinter(tmp_path), now=NOW)
    shipment = latest_shipment(cache, order_id)
    assert shipment is not None
    return shipment


def test_a_voided_label_puts_the_order_back_in_the_queue_and_withdraws_its_update(
    cache: Cache, orders: dict[str, int], tmp_path: Path
) -> None:
    shipment = printed(cache, orders["2001"], tmp_path)
    printed(cache, orders["2002"], tmp_path)

    voided = void_label(cache, orders["2001"], now=NOW + timedelta(minutes=5))

    assert (voided.order_number, voided.shipment, voided.refund_asked) == ("2001", shipment, False)
    assert status_of(cache, "2001") is OrderStatus.AWAITING_SHIPMENT
    assert latest_shipment(cache, orders["2001"]) is None
    assert [entry.payload["order_number"] for entry in pending_outbox(cache)] == ["2002"]
    assert status_of(cache, "2002") is OrderStatus.SHIPPED


def test_a_voided_order_prints_again_with_a_new_choice(cache: Cache, orders: dict[str, int], tmp_path: Path) -> None:
    printed(cache, orders["2001"], tmp_path)
    void_label(cache, orders["2001"], now=NOW)

    choice = ShippingChoice(carrier="USPS", service="Priority Mail", tracking_number="9400111899223344556677")
    result = print_labels(cache, [orders["2001"]], choice, printer=FolderPrinter(tmp_path), now=NOW)

    assert result.printed == [orders["2001"]] and not result.reprinted
    (entry,) = pending_outbox(cache)
    assert (entry.payload["carrier"], entry.payload["tracking_number"]) == ("USPS", "9400111899223344556677")


def test_a_shipment_noted_by_hand_is_taken_back_the_same_way(cache: Cache, orders: dict[str, int]) -> None:
    record_shipment(cache, orders["2002"], Shipment("UPS", "Ground", "1Z999AA10123456784", NOW))

    void_label(cache, orders["2002"], now=NOW)

    assert status_of(cache, "2002") is OrderStatus.AWAITING_SHIPMENT
    assert pending_outbox(cache) == []


def test_a_label_whose_update_reached_the_store_is_not_voided(
    cache: Cache, orders: dict[str, int], tmp_path: Path
) -> None:
    printed(cache, orders["2001"], tmp_path)
    (entry,) = pending_outbox(cache)
    confirm_outbox(cache, entry.id)

    with pytest.raises(VoidRefused, match=r"already gone to its store \(CSV import\).*only the store can take it back"):
        void_label(cache, orders["2001"], now=NOW)
    assert status_of(cache, "2001") is OrderStatus.SHIPPED
    assert latest_shipment(cache, orders["2001"]) is not None


def test_a_label_handed_over_in_an_export_file_is_not_voided(
    cache: Cache, orders: dict[str, int], tmp_path: Path
) -> None:
    printed(cache, orders["2001"], tmp_path)
    export_waiting_shipments(cache, tmp_path / "shipped.csv")

    with pytest.raises(VoidRefused, match="by a sync or in an export file"):
        void_label(cache, orders["2001"], now=NOW)
    assert status_of(cache, "2001") is OrderStatus.SHIPPED


def holds_the_outbox(path: Path) -> bool:
    """Whether another connection holds the cache's write lock now (a write transaction)."""
    probe = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def test_a_label_voided_while_an_export_writes_its_file_waits_for_the_file_and_is_refused(
    cache: Cache, orders: dict[str, int], tmp_path: Path
) -> None:
    printed(cache, orders["2001"], tmp_path)
    assert cache.path is not None
    exporter = open_cache(cache.path)
    reading, read_on = threading.Event(), threading.Event()

    def pause_as_the_updates_are_read(statement: str) -> None:
        if "FROM outbox ORDER BY id" in statement:
            reading.set()
            read_on.wait(timeout=30)

    exporter.conn.set_trace_callback(pause_as_the_updates_are_read)
    exporting = threading.Thread(target=export_waiting_shipments, args=(exporter, tmp_path / "shipped.csv"))
    exporting.start()
    assert reading.wait(timeout=30)
    try:
        assert holds_the_outbox(cache.path)  # from the updates read to their hand-over, nothing else writes
    finally:
        refused: list[str] = []

        def void() -> None:
            voider = open_cache(cache.path)
            try:
                void_label(voider, orders["2001"], now=NOW)
            except VoidRefused as error:
                refused.append(str(error))
            finally:
                voider.close()

        voiding = threading.Thread(target=void)
        voiding.start()
        read_on.set()
        exporting.join()
        voiding.join()
        exporter.close()

    assert [row[0] for row in csv.reader((tmp_path / "shipped.csv").open())][1:] == ["2001"]
    assert len(refused) == 1
    assert status_of(cache, "2001") is OrderStatus.SHIPPED
    assert voided_shipments(cache) == []


def test_an_update_a_pusher_is_sending_is_not_withdrawn_however_long_the_push_takes(
    cache: Cache, orders: dict[str, int], tmp_path: Path
) -> None:
    printed(cache, orders["2001"], tmp_path)
    (entry,) = pending_outbox(cache)
    assert claim_entry(cache, entry.id, NOW, timedelta(minutes=2))

    for later in (timedelta(seconds=30), timedelta(minutes=10)):  # the push may wait out ShipStation's limit
        with pytest.raises(VoidRefused, match="on its way to CSV import; try again once the sync is done"):
            void_label(cache, orders["2001"], now=NOW + later)
    assert status_of(cache, "2001") is OrderStatus.SHIPPED

    # The push ends without its request having left (no connection): the store never heard of it.
    postpone_entry(
        cache, entry.id, "ShipStation could not be reached", NOW + timedelta(hours=1), may_have_arrived=False
    )
    void_label(cache, orders["2001"], now=NOW + timedelta(minutes=11))
    assert status_of(cache, "2001") is OrderStatus.AWAITING_SHIPMENT
    assert pending_outbox(cache) == []


@pytest.mark.parametrize(
    "cut_short",
    [
        "its answer was lost",
        "the pusher died mid-way and the next push did not reach the store",
        "the app closed mid-way",
    ],
)
def test_an_update_that_may_have_reached_the_store_is_not_withdrawn(
    cache: Cache, orders: dict[str, int], tmp_path: Path, cut_short: str
) -> None:
    printed(cache, orders["2001"], tmp_path)
    (entry,) = pending_outbox(cache)
    assert claim_entry(cache, entry.id, NOW, timedelta(minutes=2))
    if cut_short == "its answer was lost":
        postpone_entry(cache, entry.id, "no answer within 30 s", NOW + timedelta(minutes=1), may_have_arrived=True)
    elif cut_short == "the app closed mid-way":
        release_entry(cache, entry.id)
    else:
        assert claim_entry(cache, entry.id, NOW + timedelta(minutes=3), timedelta(minutes=2))
        postpone_entry(cache, entry.id, "no connection", NOW + timedelta(minutes=4), may_have_arrived=False)

    with pytest.raises(VoidRefused, match="may have reached CSV import already: the answer to it was lost"):
        void_label(cache, orders["2001"], now=NOW + timedelta(minutes=5))
    assert status_of(cache, "2001") is OrderStatus.SHIPPED
    assert len(pending_outbox(cache)) == 1


def test_an_update_waiting_to_be_retried_after_a_push_that_never_left_is_withdrawn_at_once(
    cache: Cache, orders: dict[str, int], tmp_path: Path
) -> None:
    printed(cache, orders["2001"], tmp_path)
    (entry,) = pending_outbox(cache)
    assert claim_entry(cache, entry.id, NOW, timedelta(minutes=2))
    postpone_entry(cache, entry.id, "no connection", NOW + timedelta(hours=1), may_have_arrived=False)

    void_label(cache, orders["2001"], now=NOW + timedelta(seconds=30))

    assert status_of(cache, "2001") is OrderStatus.AWAITING_SHIPMENT
    assert pending_outbox(cache) == []


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        yield server


def one_shipstation_order_shipped(cache: Cache, fake: FakeShipStation) -> int:
    """ShipStation order 1 pulled into the cache and shipped here with an own-courier label: one update waits."""
    fake.add_order(shipstation_order(1, order_date=utc_now() - timedelta(days=1)), modified=utc_now())
    record = add_fake_store(cache, fake)
    with fake_connector(fake, record) as connector:
        assert pull_orders(cache, record, connector).inserted == 1
    (stored,) = load_orders(cache, OrderQuery())
    record_shipment(cache, stored.id, Shipment("Other / own courier", "Local", "OWN-0001", NOW))
    return stored.id


def test_a_void_while_the_push_still_waits_out_shipstations_rate_limit_is_refused(
    cache: Cache, fake: FakeShipStation
) -> None:
    """The window's pusher is in the middle of sending the update: ShipStation answered 429 (another program uses the
    key) and the client waits out the reset, as it is built to, 4 × 61 s. The claim lease is 2 minutes, so a packer
    who voids the label meanwhile (on the UI's own connection) is let through; then the push lands. The store has
    the order shipped with a label the warehouse voided, while shipdesk has it back in the packing queue."""
    order_id = one_shipstation_order_shipped(cache, fake)
    assert cache.path is not None
    elapsed = [0.0]
    voided: list[object] = []

    def sleep(seconds: float) -> None:  # the pusher's waits, on a clock the test moves
        elapsed[0] += seconds
        if elapsed[0] > 150 and not voided:  # the packer voids the label while the push is still under way
            ui = open_cache(cache.path)
            try:
                voided.append(void_label(ui, order_id, now=NOW + timedelta(seconds=elapsed[0])))
            except VoidRefused as refusal:
                voided.append(refusal)
            finally:
                ui.close()

    limiter = RateLimiter(40, 60, clock=lambda: elapsed[0], sleep=sleep)
    fake.too_many_next(4, reset_seconds=60)
    with fake_connector(fake, fresh_record(cache), rate_limiter=limiter, sleep=sleep) as connector:
        report = push_outbox(cache, "Main", connector, clock=lambda: NOW + timedelta(seconds=elapsed[0]))

    assert report.pushed == 1 and fake.order(1)["orderStatus"] == "shipped"  # the update reached the store
    assert len(voided) == 1
    assert isinstance(voided[0], VoidRefused), (
        "the label was voided and the order put back in the packing queue while its shipped update was being sent; "
        "ShipStation now has it shipped with the voided label"
    )


def test_a_label_whose_update_may_have_reached_the_store_is_not_voided(cache: Cache, fake: FakeShipStation) -> None:
    """ShipStation marks the order shipped and the answer is lost on every try: the update waits for a retry, yet
    the store has it. Voiding the label now withdraws the update as if the store had never heard of it; the
    order is packed again, and the new label's update is then answered "already shipped" and counted as done: the
    customer keeps the tracking number of the voided label."""
    order_id = one_shipstation_order_shipped(cache, fake)
    fake.lose_answer_next(2)
    with fake_connector(fake, fresh_record(cache), max_attempts=2) as connector:
        first = push_outbox(cache, "Main", connector, clock=lambda: NOW)
    assert first.pushed == 0 and len(first.failed) == 1
    assert fake.order(1)["orderStatus"] == "shipped"  # ShipStation carried it out

    with pytest.raises(VoidRefused):
        void_label(cache, order_id, now=NOW + timedelta(minutes=1))


def test_an_order_shipped_outside_shipdesk_or_not_shipped_has_no_label_to_void(
    cache: Cache, orders: dict[str, int]
) -> None:
    with pytest.raises(VoidRefused, match="Order 2003 was shipped outside shipdesk"):
        void_label(cache, orders["2003"], now=NOW)
    with pytest.raises(VoidRefused, match="Order 2002 is not shipped: it has no label to void"):
        void_label(cache, orders["2002"], now=NOW)


def test_the_void_command_voids_each_order_and_says_which_it_could_not(
    cache: Cache, orders: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed(cache, orders["2001"], tmp_path)
    assert cache.path is not None

    code = main(["--db", str(cache.path), "void", "2001", "2002", "9999"])

    out, err = capsys.readouterr()
    assert code == 1
    assert out.startswith("Voided the label of order 2001 (Other / own courier Local delivery, tracking number ")
    assert out.rstrip().endswith("The order waits to be packed again.")
    assert err.splitlines() == [
        "shipdesk: Order 2002 is not shipped: it has no label to void.",
        "shipdesk: no order 9999 in the cache",
    ]
    assert status_of(cache, "2001") is OrderStatus.AWAITING_SHIPMENT


def test_each_voided_label_is_kept_to_match_refunds_against_newest_first(
    cache: Cache, orders: dict[str, int], tmp_path: Path
) -> None:
    first = printed(cache, orders["2001"], tmp_path)
    void_label(cache, orders["2001"], now=NOW + timedelta(minutes=5))
    record_shipment(cache, orders["2001"], Shipment("UPS", "Ground", "1Z999AA10123456784", NOW, cost=Decimal("8.5")))
    void_label(cache, orders["2001"], now=NOW + timedelta(minutes=9))

    newest, oldest = voided_shipments(cache)

    assert (newest.order_number, newest.store, newest.shipment.tracking_number) == (
        "2001",
        "CSV import",
        "1Z999AA10123456784",
    )
    assert (newest.voided_at, newest.refund_asked) == (NOW + timedelta(minutes=9), False)
    assert oldest.shipment == first
    assert voided_shipments(cache, orders["2002"]) == []
    assert [entry.voided_at for entry in voided_shipments(cache, orders["2001"])] == [
        newest.voided_at,
        oldest.voided_at,
    ]


def test_the_voided_command_lists_the_labels_voided(
    cache: Cache, orders: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cache.path is not None
    assert main(["--db", str(cache.path), "voided"]) == 0
    assert capsys.readouterr().out == "No label has been voided.\n"
    record_shipment(cache, orders["2002"], Shipment("UPS", "Ground", "1Z999AA10123456784", NOW, cost=Decimal("8.5")))
    void_label(cache, orders["2002"], now=NOW)

    assert main(["--db", str(cache.path), "voided"]) == 0

    day = NOW.astimezone().date().isoformat()  # the station's day
    assert (
        capsys.readouterr().out
        == f"{day}  order 2002 (CSV import): UPS Ground, tracking 1Z999AA10123456784, cost 8.50\n"
    )


def test_a_cache_another_program_holds_leaves_the_label_as_it_was(
    cache: Cache, orders: dict[str, int], tmp_path: Path
) -> None:
    printed(cache, orders["2001"], tmp_path)
    cache.conn.execute("PRAGMA busy_timeout = 50")
    assert cache.path is not None
    other = sqlite3.connect(cache.path)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(VoidRefused, match=r"The label of order 2001 stays: the cache could not be written"):
            void_label(cache, orders["2001"], now=NOW)
    finally:
        other.rollback()
        other.close()
    assert status_of(cache, "2001") is OrderStatus.SHIPPED

    void_label(cache, orders["2001"], now=NOW)  # once the other program lets go
    assert status_of(cache, "2001") is OrderStatus.AWAITING_SHIPMENT
