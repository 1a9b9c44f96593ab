"""The window on a large cache: it opens, sorts and searches without reading every order."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderRow, fetch_rows
from shipdesk.ui import orders_model
from tests.ui.conftest import ORDER_NUMBER_COLUMN, click_header, show_window


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every order id the table fetched a row for."""
    ids: list[int] = []

    def counting_fetch(cache: Cache, order_ids: list[int]) -> dict[int, OrderRow]:
        ids.extend(order_ids)
        return fetch_rows(cache, order_ids)

    monkeypatch.setattr("shipdesk.ui.orders_model.fetch_rows", counting_fetch)
    return ids


def test_showing_5000_orders_fetches_only_the_rows_on_screen(
    large_cache: Cache, qtbot: QtBot, fetched: list[int]
) -> None:
    window = show_window(large_cache, qtbot)
    window.grab()  # a full paint of the table

    assert window.model.rowCount() == 5_000
    assert window.shown_count.text() == "5,000 orders"
    assert 0 < len(fetched) <= 2 * orders_model.OrdersModel.PAGE_SIZE
    assert window.model.cached_row_count <= 2 * orders_model.OrdersModel.PAGE_SIZE


def test_scrolling_to_the_end_and_sorting_keep_few_rows_in_memory(
    large_cache: Cache, qtbot: QtBot, fetched: list[int]
) -> None:
    window = show_window(large_cache, qtbot)
    window.table.scrollToBottom()
    window.grab()
    click_header(window, qtbot, ORDER_NUMBER_COLUMN)
    window.grab()

    assert window.model.index(0, ORDER_NUMBER_COLUMN).data() == "100000"
    assert window.model.cached_row_count <= 2 * orders_model.OrdersModel.PAGE_SIZE
    assert len(fetched) < 500
