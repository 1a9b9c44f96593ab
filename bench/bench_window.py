"""Main window speed over 100,000 cached orders: shown and painted, then a search, a filter, a sort and a scroll.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_window.py [--orders N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import make_orders
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.orders import upsert_orders
from shipdesk.domain import OrderStatus, plural
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.orders_model import COLUMNS

TARGET_SHOWN_S = 1.0


class PaintClock(QObject):
    """Notes when a widget last finished painting."""

    def __init__(self) -> None:
        super().__init__()
        self.painted_at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted_at = time.perf_counter()
        return False


def show_window(cache: Cache) -> tuple[MainWindow, float, float]:
    """A new window on `cache`: the window, seconds to its first table paint, and rows it fetched."""
    clock = PaintClock()
    started = time.perf_counter()
    window = MainWindow(cache)
    window.table.viewport().installEventFilter(clock)
    window.show()
    QApplication.processEvents()
    if clock.painted_at is None:
        raise SystemExit("the table was never painted; run with QT_QPA_PLATFORM=offscreen or a display")
    window.table.viewport().removeEventFilter(clock)
    return window, clock.painted_at - started, window.model.cached_row_count


def timed_s(action: Callable[[], object], repeats: int = 5) -> float:
    """Median seconds of `action` followed by the repaint it causes."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        QApplication.processEvents()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def report(label: str, seconds: float, shown: int | None = None) -> None:
    count = f"  ({plural(shown, 'order')})" if shown is not None else ""
    print(f"{label:<44} {seconds * 1000:7.0f} ms{count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        cache = open_cache(Path(folder) / "bench.sqlite")
        started = time.perf_counter()
        with cache.transaction() as conn:
            upsert_orders(conn, make_orders(args.orders))
        print(f"filled {args.orders:,} orders in {time.perf_counter() - started:.1f} s")

        window, first_shown, fetched = show_window(cache)
        print(
            f"window shown with {args.orders:,} orders: {first_shown:.2f} s (target < {TARGET_SHOWN_S:.0f} s)"
            f"  [{fetched:,} rows fetched]"
        )
        window.close()
        again = []
        for _ in range(3):
            other, seconds, _fetched = show_window(cache)
            again.append(seconds)
            other.close()
        print(f"window shown again (warm, median of 3): {statistics.median(again):.2f} s")

        window.show()
        model, table = window.model, window.table
        recipient = next(number for number, column in enumerate(COLUMNS) if column.sort_key == "ship_name")
        order_number = next(number for number, column in enumerate(COLUMNS) if column.sort_key == "order_number")

        def search(text: str) -> Callable[[], None]:
            return lambda: model.set_filters(search=text, status=None, store=None)

        figures = {
            "search a name 'nunez'": search("nunez"),
            "search a rare order number '154321'": search("154321"),
            "search cleared (all orders again)": search(""),
            "status filter 'Awaiting shipment'": lambda: model.set_filters(
                search="", status=OrderStatus.AWAITING_SHIPMENT, store=None
            ),
        }
        for label, action in figures.items():
            report(label, timed_s(action), model.rowCount())
        model.set_filters(search="", status=None, store=None)
        QApplication.processEvents()

        sorts = [
            ("sort by recipient", recipient, Qt.SortOrder.AscendingOrder),
            ("sort by recipient, reversed", recipient, Qt.SortOrder.DescendingOrder),
            ("sort by order number", order_number, Qt.SortOrder.AscendingOrder),
        ]
        for label, column, order in sorts:
            started = time.perf_counter()
            table.sortByColumn(column, order)
            QApplication.processEvents()
            report(label, time.perf_counter() - started, model.rowCount())

        started = time.perf_counter()
        table.scrollToBottom()
        QApplication.processEvents()
        report("scroll to the last order", time.perf_counter() - started)

        def select_every_order() -> None:
            table.clearSelection()
            QApplication.processEvents()
            table.selectAll()

        report("select every order (Ctrl+A), repainted", timed_s(select_every_order), model.rowCount())
        print(f"rows held in memory: {model.cached_row_count:,} of {model.rowCount():,}")
        window.close()
        cache.close()
    del app


if __name__ == "__main__":
    main()
