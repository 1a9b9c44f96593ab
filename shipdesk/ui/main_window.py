"""The main window: orders table with search and filters, the selected order's detail, and Print labels.

It wires the widgets to the cache and the label batch; each widget owns its own part.
"""

from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from shipdesk.cache import Cache
from shipdesk.cache.orders import count_orders, get_order, stores
from shipdesk.cache.shipments import outbox_count
from shipdesk.label_batch import LabelBatchResult, print_labels
from shipdesk.printing.errors import PrinterError
from shipdesk.ui.messages import show_problem
from shipdesk.ui.order_detail import OrderDetail
from shipdesk.ui.order_filters import OrderFilters
from shipdesk.ui.order_text import plural
from shipdesk.ui.orders_model import OrdersModel
from shipdesk.ui.orders_table import OrdersTable
from shipdesk.ui.print_report import batch_summary, failure_lines

log = logging.getLogger(__name__)

APP_TITLE = "shipdesk"


class MainWindow(QMainWindow):
    def __init__(self, cache: Cache, *, title_suffix: str = "") -> None:
        super().__init__()
        self.cache = cache
        self.setWindowTitle(f"{APP_TITLE} — {title_suffix}" if title_suffix else APP_TITLE)
        self.model = OrdersModel(cache)
        self.table = OrdersTable(self.model)
        self.filters = OrderFilters(stores(cache))
        self.detail = OrderDetail()
        self.shown_count = QLabel()
        self.outbox_count = QLabel()
        self._build_actions()
        self._build_layout()

        self.filters.changed.connect(self.apply_filters)
        selections = self.table.selectionModel()
        selections.selectionChanged.connect(self._selection_changed)
        selections.currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._update_counts)
        self._update_counts()
        self._show_selected()
        self.resize(1440, 860)

    # ------------------------------------------------------------------ building

    def _build_actions(self) -> None:
        self.print_action = QAction("&Print labels", self)
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.setStatusTip("Print a shipping label for each selected order and mark them shipped")
        self.print_action.triggered.connect(self.print_selected_labels)
        self.reload_action = QAction("&Reload orders", self)
        self.reload_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.reload_action.setStatusTip("Read the orders from the cache again")
        self.reload_action.triggered.connect(self.reload)
        self.find_action = QAction("&Find orders", self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.triggered.connect(self._focus_search)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(self.close)

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.quit_action)
        orders_menu = self.menuBar().addMenu("&Orders")
        orders_menu.addAction(self.print_action)
        orders_menu.addSeparator()
        orders_menu.addAction(self.find_action)
        orders_menu.addAction(self.reload_action)
        toolbar = self.addToolBar("Orders")
        toolbar.setObjectName("orders-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.print_action)
        toolbar.addAction(self.reload_action)

    def _build_layout(self) -> None:
        orders = QWidget()
        orders_layout = QVBoxLayout(orders)
        orders_layout.setContentsMargins(6, 6, 0, 6)
        orders_layout.addWidget(self.filters)
        orders_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(orders)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([990, 450])
        self.setCentralWidget(splitter)
        for label in (self.shown_count, self.outbox_count):
            label.setContentsMargins(12, 0, 12, 0)
            self.statusBar().addPermanentWidget(label)

    # ------------------------------------------------------------------ actions

    def apply_filters(self) -> None:
        self.model.set_filters(
            search=self.filters.search_text(),
            status=self.filters.chosen_status(),
            store=self.filters.chosen_store(),
        )

    def reload(self) -> None:
        self.filters.set_stores(stores(self.cache))
        self.model.reload()

    def print_selected_labels(self) -> None:
        order_ids = self.table.selected_order_ids()
        if not order_ids:
            self.statusBar().showMessage("Select the orders to print first.", 5000)
            return
        result = self._print(order_ids)
        if result is None:
            return
        self.model.reload()  # the printed orders now read Shipped; the table keeps them selected
        summary = batch_summary(result)
        self.statusBar().showMessage(summary)
        if result.failed:
            title = "Some labels not printed" if result.printed else "No labels printed"
            show_problem(self, title, summary, "\n".join(failure_lines(result)))

    def _print(self, order_ids: list[int]) -> LabelBatchResult | None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return print_labels(self.cache, order_ids)
        except PrinterError as error:
            log.warning("label batch not printed: %s", error, exc_info=True)
            show_problem(self, "Labels not printed", f"{error}.\nNo order was marked shipped.")
        except sqlite3.OperationalError as error:
            log.warning("label batch not recorded", exc_info=True)
            show_problem(
                self,
                "Shipments not recorded",
                f"The labels were made, but the order cache could not record every shipment ({error}). "
                "Check which orders show Shipped before printing the others again.",
            )
            self.model.reload()
        finally:
            QApplication.restoreOverrideCursor()
        return None

    def _focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    # ------------------------------------------------------------------ state shown

    def _update_counts(self) -> None:
        shown = self.model.rowCount()
        total = count_orders(self.cache)
        self.shown_count.setText(plural(total, "order") if shown == total else f"{shown:,} of {plural(total, 'order')}")
        waiting = outbox_count(self.cache)
        self.outbox_count.setText(f"{plural(waiting, 'update')} waiting in the outbox")

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_selected()

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        selections = self.table.selectionModel()
        # Counted from ranges: with every order selected, listing the rows would be 100,000 indexes.
        count = sum(selected.height() for selected in selections.selection())
        self.print_action.setEnabled(count > 0)
        self.print_action.setText(f"&Print {plural(count, 'label')}" if count > 1 else "&Print label")
        if count == 0:
            self.detail.show_nothing()
            return
        current = self.table.currentIndex()
        if current.isValid() and selections.isRowSelected(current.row()):
            row = current.row()
        else:
            row = min(selected.top() for selected in selections.selection())
        stored = get_order(self.cache, self.model.order_id(row))
        if stored is None:
            self.detail.show_nothing()
        else:
            self.detail.show_order(stored, count)
