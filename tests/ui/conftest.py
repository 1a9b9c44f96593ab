"""Fixtures for the window tests: the demo cache, a large cache, the main window, and clicks on its rows.

A Qt warning fails a window test, as it hides a real mistake more often than not.
"""

from __future__ import annotations

import gc
import random
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from shipdesk.app import open_demo_cache
from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number, upsert_orders
from shipdesk.cache.stores import StoreRecord
from shipdesk.domain import Address, Item, Order, OrderStatus, utc_now
from shipdesk.printing import devices
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.orders_model import COLUMNS
from shipdesk.ui.system_printer import open_system_printer
from shipdesk.upstream.connector import Connector, RetryNotice
from shipdesk.upstream.connectors import open_connector
from shipdesk.upstream.sync import combined_reason
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import shipstation_order
from tests.printing.cups_server import CUPS_PDF_OUT, CupsServer

UI_TESTS = Path(__file__).parent
ORDER_NUMBER_COLUMN = 0
DATE_COLUMN = next(number for number, column in enumerate(COLUMNS) if column.heading == "Date")
RECIPIENT_COLUMN = next(number for number, column in enumerate(COLUMNS) if column.heading == "Recipient")
STATUS_COLUMN = next(number for number, column in enumerate(COLUMNS) if column.heading == "Status")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if UI_TESTS in item.path.parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # The offscreen platform says this about every top-level window; it is not ours to fix.
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints"))


@pytest.fixture
def demo_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cache]:
    """The cache `shipdesk --demo` opens, made inside this test's folder (labels included)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    opened = open_demo_cache()
    yield opened
    opened.close()


@pytest.fixture
def window(demo_cache: Cache, qtbot: QtBot) -> MainWindow:
    return show_window(demo_cache, qtbot)


def show_window(cache: Cache, qtbot: QtBot) -> MainWindow:
    shown = MainWindow(cache, title_suffix="test")
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def make_orders(count: int, seed: int = 11) -> list[Order]:
    """Plausible orders, fast: a few names, products and countries in many combinations."""
    rng = random.Random(seed)
    names = ["Zoë Ørsted", "José Núñez", "Łukasz Żółw", "Grace Hopper", "Ada Lovelace", "Mei Tanaka"]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        Order(
            store="large",
            upstream_id=str(number),
            order_number=str(number),
            order_date=start + timedelta(minutes=number),
            status=OrderStatus.AWAITING_SHIPMENT,
            ship_to=Address(
                name=rng.choice(names), street1="1 Main St", city="Springfield", postal_code="62701", country="US"
            ),
            items=(Item(sku=f"SKU-{rng.randrange(500):03d}", name="Wool socks", quantity=2, unit_price=Decimal(9)),),
        )
        for number in range(100_000, 100_000 + count)
    ]


@pytest.fixture
def large_cache(cache: Cache) -> Cache:
    with cache.transaction() as conn:
        upsert_orders(conn, make_orders(5_000))
    return cache


def combine_in_the_store(window: MainWindow, cache: Cache, order_number: str, into: str) -> None:
    """Order `order_number` cached as ShipStation's sync leaves an order combined into order `into`, and shown."""
    (stored,) = find_by_number(cache, order_number)
    held = replace(stored.order, status=OrderStatus.ON_HOLD, hold_reason=combined_reason(into))
    with cache.transaction() as conn:
        upsert_orders(conn, [held])
    window.reload()


def shown_column(window: MainWindow, column: int) -> list[str]:
    """The texts of one column, top to bottom, as the table shows them."""
    model = window.model
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]


def row_of_order(window: MainWindow, order_number: str) -> int:
    return shown_column(window, ORDER_NUMBER_COLUMN).index(order_number)


def click_order(
    window: MainWindow, qtbot: QtBot, order_number: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """Clicks the order's row as a person would: scrolled into view, on its order number."""
    table = window.table
    index = window.model.index(row_of_order(window, order_number), ORDER_NUMBER_COLUMN)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, table.visualRect(index).center())


def select_orders(window: MainWindow, qtbot: QtBot, *order_numbers: str) -> None:
    first, *others = order_numbers
    click_order(window, qtbot, first)
    for number in others:
        click_order(window, qtbot, number, Qt.KeyboardModifier.ControlModifier)


def click_header(window: MainWindow, qtbot: QtBot, column: int) -> None:
    header = window.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)


def type_text(widget: QWidget, text: str) -> None:
    """Types `text` key by key; unlike QTest.keyClicks it also types letters such as ñ and ë."""
    for char in text:
        key = ord(char.upper()) if char.isascii() else Qt.Key.Key_unknown.value
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


ActiveWindow = TypeVar("ActiveWindow", bound=QWidget)


def activated(window: ActiveWindow, qtbot: QtBot) -> ActiveWindow:
    """The window (or dialog) made the active one, as a window manager makes a window it opens; the offscreen
    platform does not, and keys only go to the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


class Connectors:
    """The store's real connector, opened as the window opens it but with a short retry backoff.

    It notes the thread each store is opened on, and with `gate` set it holds the sync until the gate opens.
    """

    def __init__(self) -> None:
        self.threads: list[int] = []
        self.gate: threading.Event | None = None
        self.backoff_seconds = 0.01
        self.stops: list[threading.Event] = []  # what each connector was told to stop waiting on

    def __call__(self, record: StoreRecord, *, stop: threading.Event, on_retry: RetryNotice | None = None) -> Connector:
        self.threads.append(threading.get_ident())
        self.stops.append(stop)
        if self.gate is not None:
            self.gate.wait(timeout=30)
        return open_connector(record, backoff_seconds=self.backoff_seconds, stop=stop, on_retry=on_retry)


@pytest.fixture
def connectors() -> Iterator[Connectors]:
    opened = Connectors()
    yield opened
    if opened.gate is not None:
        opened.gate.set()  # a failed test must not leave the worker waiting while the window closes


@pytest.fixture(autouse=True)
def no_qt_garbage() -> None:
    """Collects any Qt widgets earlier tests left to the garbage collector, here on the UI thread.

    Otherwise the sync worker's allocations may start that collection on its own thread, and shiboken 6.12 crashes
    when it then deletes such a widget on the UI thread's behalf (seen with a window run_window made and dropped).
    """
    gc.collect()


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    """A fake ShipStation with orders W-1, W-2 and W-3 awaiting shipment, placed yesterday."""
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        for order_id in (1, 2, 3):
            order = shipstation_order(order_id, number=f"W-{order_id}", order_date=utc_now() - timedelta(days=1))
            server.add_order(order, modified=utc_now() - timedelta(hours=order_id))
        yield server


@pytest.fixture
def system_cups(cups_server: CupsServer, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[CupsServer]:
    """The private CUPS server as the system's print service, with no earlier shipdesk job in cups-pdf's folder, and
    system:// printers opened as the program opens them."""
    monkeypatch.setattr(devices, "_system_printers", [open_system_printer])
    for earlier in CUPS_PDF_OUT.glob("shipdesk*.pdf"):
        earlier.unlink()
    yield cups_server
    for printed in CUPS_PDF_OUT.glob("shipdesk*.pdf"):
        printed.unlink()


def scan(qtbot: QtBot, text: str) -> None:
    """Types the barcode's characters and Enter into whatever has the focus, key by key, as a scanner does."""
    for key in [*text, Qt.Key.Key_Return]:
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key)
