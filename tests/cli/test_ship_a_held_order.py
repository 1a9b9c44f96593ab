"""`shipdesk ship` refuses an order the store says must not go out yet (on hold, not paid), saying why and how.

A supervisor who means it says so with --even-if-held or --even-if-unpaid; a cancelled order is refused whatever.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from shipdesk.cache import open_cache
from shipdesk.upstream.sync import pull_orders
from tests.cli.running import error_lines, orders_json, outbox, shipdesk, with_orders
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store, fake_connector, fresh_record, shipstation_order

UPS = ("--carrier", "UPS", "--service", "Ground", "--tracking", "1Z999AA10123456784")


def test_an_order_on_hold_is_not_marked_shipped_and_the_hold_and_the_way_out_are_said(tmp_path: Path) -> None:
    db = with_orders(tmp_path)

    shipped = shipdesk(db, "ship", "1002", *UPS)

    assert shipped.returncode == 1
    [said] = error_lines(shipped)
    assert "order 1002 is on hold in the store," in said
    assert "nothing was recorded" in said and "--even-if-held" in said
    assert orders_json(db)["1002"]["status"] == "on_hold"
    assert outbox(db) == []


def test_a_supervisor_marks_a_held_order_shipped_with_even_if_held(tmp_path: Path) -> None:
    db = with_orders(tmp_path)

    shipped = shipdesk(db, "ship", "1002", *UPS, "--even-if-held")

    assert shipped.returncode == 0, shipped.stderr
    assert "Order 1002 marked shipped (UPS Ground, 1Z999AA10123456784)" in shipped.stdout.decode()
    assert "although it was on hold in the store" in shipped.stdout.decode()
    assert orders_json(db)["1002"]["status"] == "shipped"
    assert [entry["order_number"] for entry in outbox(db)] == ["1002"]


def test_an_order_awaiting_payment_is_refused_unless_a_supervisor_says_even_if_unpaid(tmp_path: Path) -> None:
    db = with_orders(tmp_path)

    refused = shipdesk(db, "ship", "1003", *UPS)
    held_is_not_enough = shipdesk(db, "ship", "1003", *UPS, "--even-if-held")

    assert refused.returncode == 1 and held_is_not_enough.returncode == 1
    [said] = error_lines(refused)
    assert "order 1003 is awaiting payment" in said and "--even-if-unpaid" in said and "nothing was recorded" in said
    assert outbox(db) == []

    shipped = shipdesk(db, "ship", "1003", *UPS, "--even-if-unpaid")

    assert shipped.returncode == 0, shipped.stderr
    assert orders_json(db)["1003"]["status"] == "shipped"


def test_a_cancelled_order_is_refused_even_by_a_supervisor(tmp_path: Path) -> None:
    db = with_orders(tmp_path)

    shipped = shipdesk(db, "ship", "1004", *UPS, "--even-if-held", "--even-if-unpaid")

    assert shipped.returncode == 1
    assert error_lines(shipped) == ["shipdesk: order 1004 was cancelled; nothing was recorded"]
    assert outbox(db) == []


def test_an_order_combined_into_another_is_refused_even_by_a_supervisor(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite"
    placed = datetime(2026, 3, 19, 18, 0, tzinfo=UTC)
    cache = open_cache(db)
    try:
        with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as fake:
            for order_id, number in ((1, "C-1"), (3, "C-3")):
                fake.add_order(shipstation_order(order_id, number=number, order_date=placed), modified=placed)
            add_fake_store(cache, fake)
            with fake_connector(fake, fresh_record(cache)) as connector:
                pull_orders(cache, fresh_record(cache), connector, now=placed + timedelta(hours=1))
            fake.combine(3, [1], modified=placed + timedelta(hours=2))
            with fake_connector(fake, fresh_record(cache)) as connector:
                pull_orders(cache, fresh_record(cache), connector, now=placed + timedelta(hours=3))
    finally:
        cache.close()

    shipped = shipdesk(db, "ship", "C-1", *UPS, "--even-if-held")

    assert shipped.returncode == 1
    [said] = error_lines(shipped)
    assert "combined into order C-3 in ShipStation: pack that order instead" in said
    assert "--even-if-held" not in said
    assert orders_json(db)["C-1"]["status"] == "on_hold"
    assert outbox(db) == []
