"""The orders model: a well-behaved Qt model whose rows come from the cache only when shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, OrderRow, count_orders, fetch_rows
from shipdesk.domain import OrderStatus
from shipdesk.ui import orders_model
from shipdesk.ui.orders_model import ORDER_ID_ROLE, OrdersModel


def test_the_model_passes_qts_model_checks(demo_cache: Cache, qtmodeltester: ModelTester) -> None:
    model = OrdersModel(demo_cache)
    qtmodeltester.check(model)
    model.set_filters(search="zoe", status=None, store=None)
    qtmodeltester.check(model)


def test_it_lists_every_cached_order_newest_first(demo_cache: Cache) -> None:
    model = OrdersModel(demo_cache)
    assert model.rowCount() == count_orders(demo_cache) == 230
    dates = [model.order_row(row).order_date for row in range(model.rowCount())]  # type: ignore[union-attr]
    assert dates == sorted(dates, reverse=True)


def test_a_held_order_reads_on_hold_with_its_reason(demo_cache: Cache) -> None:
    model = OrdersModel(demo_cache, OrderQuery(status=OrderStatus.ON_HOLD, search="1140"))
    status = model.index(0, orders_model.STATUS_COLUMN)
    assert status.data() == "On hold: no ship-to address"
    assert status.data(Qt.ItemDataRole.ToolTipRole) == "Kept on hold: no ship-to address"


def test_rows_are_fetched_a_page_at_a_time_and_few_are_kept(
    large_cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched: list[int] = []

    def counting_fetch(cache: Cache, ids: list[int]) -> dict[int, OrderRow]:
        fetched.extend(ids)
        return fetch_rows(cache, ids)

    monkeypatch.setattr("shipdesk.ui.orders_model.fetch_rows", counting_fetch)
    model = OrdersModel(large_cache)
    assert model.rowCount() == 5_000
    assert fetched == []

    model.index(4_999, 0).data()
    assert len(fetched) == OrdersModel.PAGE_SIZE

    for row in range(0, 5_000, OrdersModel.PAGE_SIZE):
        model.index(row, 0).data()
    assert model.cached_row_count == OrdersModel.PAGE_SIZE * OrdersModel.MAX_PAGES


def test_each_row_knows_its_order_id(demo_cache: Cache) -> None:
    model = OrdersModel(demo_cache)
    order_id = model.index(7, 0).data(ORDER_ID_ROLE)
    assert model.row_of(order_id) == 7
    assert model.order_row(7).id == order_id  # type: ignore[union-attr]
