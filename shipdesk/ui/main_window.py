"""The main window: orders table with search and filters, the selected order's detail, and Print labels.

It wires the widgets to the cache, the label batch and the background sync; each widget owns its own part.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QStatusTipEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from shipdesk.cache import Cache
from shipdesk.cache.orders import StoredOrder, count_orders, find_by_number, get_order, stores
from shipdesk.cache.outbox_schedule import drop_order_entries, send_refused_again
from shipdesk.cache.shipment_voids import voided_shipments
from shipdesk.cache.shipments import (
    StoreUpdateState,
    latest_shipment,
    outbox_count,
    refused_count,
    store_update_state,
)
from shipdesk.domain import OrderStatus, plural
from shipdesk.shipment_export import takes_files, waiting_by_store
from shipdesk.ui.csv_importing import CsvImporting
from shipdesk.ui.item_thumbnails import ItemThumbnails
from shipdesk.ui.label_voiding import LabelVoiding
from shipdesk.ui.order_detail import OrderDetail, ShipmentShown
from shipdesk.ui.order_filters import OrderFilters
from shipdesk.ui.orders_model import OrdersModel
from shipdesk.ui.orders_table import OrdersTable
from shipdesk.ui.print_batch import BatchPrinting
from shipdesk.ui.printers_dialog import open_printers_dialog
from shipdesk.ui.refused_updates import DROP_ACTION, DROP_ITEM, SEND_AGAIN_ACTION, SEND_AGAIN_ITEM
from shipdesk.ui.sender_dialog import SenderDialog, open_sender_dialog
from shipdesk.ui.shipments_export import EXPORT_TIP, ShipmentsExporting, outbox_text
from shipdesk.ui.slip_printing import SheetKind, SheetPrinting
from shipdesk.ui.sort_menu import SortMenu
from shipdesk.ui.stores_menu import StoresMenu
from shipdesk.ui.sync_runner import SyncRunner, SyncStart
from shipdesk.ui.sync_status import SyncStatus
from shipdesk.ui.sync_text import BUSY
from shipdesk.upstream.sync_stores import StoreSync

log = logging.getLogger(__name__)

APP_TITLE = "shipdesk"
_NOTHING_TO_TELL = StoreUpdateState()  # an order with no update waiting for its store, nor refused by it
REFUSED_TIP = (
    "A store refused these updates for good, e.g. an order cancelled there after it shipped here. Select the order: "
    f"{SEND_AGAIN_ITEM} once it is put right in the store, or {DROP_ITEM} to give up on it."
)


NO_ORDERS_YET = (
    "No orders yet.\n\n"
    "Import a store's order export with File → Import orders from CSV… (Ctrl+I), "
    "or connect a ShipStation store with File → Stores…: its orders come with the first sync."
)


def empty_table_text(total: int, search: str, status: OrderStatus | None, store: str | None) -> str:
    """What the orders table says when it shows none: how to get orders in, or what hides them."""
    if not total:
        return NO_ORDERS_YET
    if search.strip():
        return f"No order matches “{search.strip()}”."
    of_store = f" of {store}" if store else ""
    if status is not None:
        return f"No order{of_store} is {status.label.lower()}."
    return f"No order{of_store}." if store else ""


def _hidden_text(named: Sequence[StoredOrder]) -> str:
    """Why the order a scan named is not in the list: 'Order 1001 is shipped: the filters hide it.'"""
    if len(named) == 1:
        order = named[0].order
        return f"Order {order.order_number} is {order.status.label.lower()}: the filters hide it."
    return f"{len(named)} orders are numbered {named[0].order.order_number}; the filters hide them."


class MainWindow(QMainWindow):
    def __init__(self, cache: Cache, *, title_suffix: str = "", sync_runner: SyncRunner | None = None) -> None:
        super().__init__()
        self._covered_message: str | None = None  # the status bar's message while a status tip covers it
        self.cache = cache
        self.setWindowTitle(f"{APP_TITLE} — {title_suffix}" if title_suffix else APP_TITLE)
        self.model = OrdersModel(cache)
        self.table = OrdersTable(self.model)
        self.filters = OrderFilters([])
        self.detail = OrderDetail()
        self.shown_count = QLabel()
        self.outbox_count = QLabel()
        self.sync_runner = sync_runner or SyncRunner(cache)
        self.sync_runner.setParent(self)
        self.sync_status = SyncStatus(cache, self.sync_runner)
        self.batch_printing = BatchPrinting(self, cache, on_printed=self.model.reload_keeping)
        self.sheet_printing = SheetPrinting(self, cache)
        self.csv_importing = CsvImporting(self, cache)
        self.csv_importing.imported.connect(self.reload)
        self.label_voiding = LabelVoiding(self, cache)
        # The voided orders read Awaiting, still selected; the reload's reset updates the counts and the detail pane.
        self.label_voiding.voided.connect(self.model.reload_keeping)
        self.shipments_exporting = ShipmentsExporting(self, cache)
        self.shipments_exporting.exported.connect(self._update_counts)
        self.shipments_exporting.exported.connect(self._show_selected)  # its shipment no longer waits for the store
        self.thumbnails = ItemThumbnails(cache, self)
        self.thumbnails.ready.connect(self._show_selected)
        self.stores_menu = StoresMenu(self, cache, self.sync_runner)
        self._build_actions()
        self._build_layout()

        self.filters.changed.connect(self.apply_filters)
        self.filters.entered.connect(self._pick_searched_order)
        self.table.orders_activated.connect(self.print_selected_labels)  # Enter or a double-click: Print labels
        self.batch_printing.finished.connect(self._select_still_to_print)
        self.table.typed.connect(self._type_into_search)
        self.table.escaped.connect(self._clear_search_keeping_the_order)
        selections = self.table.selectionModel()
        selections.selectionChanged.connect(self._selection_changed)
        selections.currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._update_counts)
        # After the table has restored what it could of the selection: an order a search or filter hid leaves the
        # selection without a selectionChanged, and a reprinted or synced order has changed in the cache.
        self.model.modelReset.connect(self._show_selected)
        self.sync_runner.finished.connect(self._synced)
        self.stores_menu.changed.connect(self.sync_status.show_last_sync)
        self.stores_menu.changed.connect(self.reload)
        self._show_stores()
        self._update_counts()
        self._show_selected()
        self._fit_to_screen(1440, 860)

    # ------------------------------------------------------------------ building

    def _build_actions(self) -> None:
        self.print_action = QAction("&Print labels", self)
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.setStatusTip("Print a shipping label for each selected order and mark them shipped")
        self.print_action.triggered.connect(self.print_selected_labels)
        self.slips_action = QAction("Print packing &slips", self)
        self.slips_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.slips_action.setStatusTip("Print a packing slip for each selected order")
        self.slips_action.triggered.connect(lambda: self._print_sheets(SheetKind.SLIPS))
        self.pick_list_action = QAction("Print pic&k list", self)
        self.pick_list_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.pick_list_action.setStatusTip("Print one pick list for the selected orders, SKUs summed, in walking order")
        self.pick_list_action.triggered.connect(lambda: self._print_sheets(SheetKind.PICK_LIST))
        self.void_action = QAction("&Void labels…", self)
        self.void_action.setStatusTip("Void the selected orders' labels: they go back to awaiting shipment")
        self.void_action.triggered.connect(self.void_selected_labels)
        self.sync_action = QAction("S&ync now", self)
        self.sync_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.sync_action.setStatusTip("Send shipped updates to the stores, fetch new and changed orders, then reload")
        self.sync_action.triggered.connect(self.sync_now)
        self.send_again_action = QAction(SEND_AGAIN_ACTION, self)
        self.send_again_action.setStatusTip("Send the update a store refused again, once it is put right there")
        self.send_again_action.triggered.connect(self.send_refused_updates_again)
        self.drop_update_action = QAction(DROP_ACTION, self)
        self.drop_update_action.setStatusTip("Forget the selected orders' updates: their store will not be told")
        self.drop_update_action.triggered.connect(self.drop_store_updates)
        self.find_action = QAction("&Find orders", self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.triggered.connect(self._focus_search)
        self.quit_action = QAction("&Quit", self)
        # Not every platform has a standard Quit key (Windows, some Linux desktops): Ctrl+Q there.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [QKeySequence("Ctrl+Q")]
        self.quit_action.setShortcuts(quit_keys)
        self.quit_action.triggered.connect(self.close)

        self.import_action = QAction("&Import orders from CSV…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setStatusTip("Add or update orders from a CSV file exported by a store or a spreadsheet")
        self.import_action.triggered.connect(self.csv_importing.ask)
        self.export_action = QAction("E&xport shipments for upload…", self)
        self.export_action.setStatusTip(
            "Write the shipped orders of stores without an API as a CSV file, to upload to the store"
        )
        self.export_action.triggered.connect(self.shipments_exporting.ask)
        self.sender_action = QAction("Sender &address…", self)
        self.sender_action.setStatusTip("The warehouse's return address printed on every label")
        self.sender_action.triggered.connect(self.edit_sender)
        self.printers_action = QAction("&Printers…", self)
        self.printers_action.setStatusTip("Add, change, remove and test the printers of this station")
        self.printers_action.triggered.connect(lambda: open_printers_dialog(self, self.cache))
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.sender_action)
        file_menu.addAction(self.printers_action)
        file_menu.addAction(self.stores_menu.action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        orders_menu = self.menuBar().addMenu("&Orders")
        orders_menu.addAction(self.print_action)
        orders_menu.addAction(self.slips_action)
        orders_menu.addAction(self.pick_list_action)
        orders_menu.addAction(self.void_action)
        orders_menu.addSeparator()
        orders_menu.addAction(self.send_again_action)
        orders_menu.addAction(self.drop_update_action)
        orders_menu.addSeparator()
        orders_menu.addAction(self.find_action)
        self.sort_menu = SortMenu(self.table, orders_menu)
        orders_menu.addMenu(self.sort_menu)
        orders_menu.addSeparator()
        orders_menu.addAction(self.sync_action)
        toolbar = self.addToolBar("Orders")
        toolbar.setObjectName("orders-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.print_action)
        toolbar.addAction(self.slips_action)
        toolbar.addAction(self.pick_list_action)
        toolbar.addSeparator()
        toolbar.addAction(self.sync_action)

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
        splitter.setSizes([1000, 400])
        self.setCentralWidget(splitter)
        for label in (self.shown_count, self.sync_status, self.outbox_count):
            label.setContentsMargins(12, 0, 12, 0)
            self.statusBar().addPermanentWidget(label)
        # Tab goes left to right, top to bottom, as the window reads; a hidden store filter is passed over.
        filters = self.filters
        focus_order = (filters.search, filters.status, filters.store, self.table, self.detail.order_page)
        for before, after in pairwise(focus_order):
            QWidget.setTabOrder(before, after)

    def _fit_to_screen(self, width: int, height: int) -> None:
        """Opens at that size, or as large as the screen's free area where that is smaller (a 1366×768 laptop)."""
        free = self.screen().availableGeometry()
        self.resize(min(width, free.width()), min(height, free.height()))

    # ------------------------------------------------------------------ actions

    def apply_filters(self) -> None:
        self.model.set_filters(
            search=self.filters.search_text(),
            status=self.filters.chosen_status(),
            store=self.filters.chosen_store(),
        )

    def reload(self) -> None:
        self._show_stores()
        self.model.reload()

    def _show_stores(self) -> None:
        """The store filter and the Store column, both shown only while there is more than one store."""
        names = stores(self.cache)
        self.filters.set_stores(names)
        self.table.show_store_column(len(names) > 1)

    def sync_now(self) -> None:
        """Syncs every store in the background (the table reloads when it is done), or just reloads without stores."""
        started = self.sync_runner.sync_now()
        if started is SyncStart.BUSY:
            self.statusBar().showMessage(BUSY, 5000)
        elif started is not SyncStart.STARTED:
            self.sync_status.show_not_started(started)
            self.reload()

    def _synced(self, outcomes: list[StoreSync]) -> None:
        if any(outcome.inserted or outcome.updated for outcome in outcomes):
            self.reload()  # the model keeps the filters and sort, the table the selection
        else:
            self._update_counts()  # pushed updates have left the outbox
            self._show_selected()  # and the selected order's may be among them

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QStatusTipEvent):
            self._show_status_tip(event.tip())
            return True
        return super().event(event)

    def _show_status_tip(self, tip: str) -> None:
        """A menu or toolbar item's tip while the pointer is on it; then the message it covered comes back.

        Qt clears the status bar when the pointer leaves, and with it how the last print or import went, which the
        packer may not have read yet.
        """
        status_bar = self.statusBar()
        if tip:
            if self._covered_message is None:
                self._covered_message = status_bar.currentMessage()
            status_bar.showMessage(tip)
        elif self._covered_message is not None:
            status_bar.showMessage(self._covered_message)
            self._covered_message = None

    def closeEvent(self, event: QCloseEvent) -> None:
        # A sync still running when the app quits would be cut off mid-request; it stops once its request is
        # answered, and at once when it is only waiting for the rate limit or a retry. The window goes first, so
        # closing never looks like a hang while a slow answer comes in.
        self.hide()
        self.sync_runner.shutdown()
        self.sheet_printing.stop()
        self.csv_importing.stop()
        self.thumbnails.stop()
        self.stores_menu.stop()
        self.label_voiding.stop()
        self.batch_printing.stop()  # after the label in flight, so no order is left printed but unrecorded
        super().closeEvent(event)

    def print_selected_labels(self) -> None:
        order_ids = self.table.selected_order_ids()
        if not order_ids:
            self.statusBar().showMessage("Select the orders to print first.", 5000)
            return
        # The batch runs off the UI thread; once it ends the printed orders read Shipped, still selected.
        self.batch_printing.ask(order_ids)

    def void_selected_labels(self) -> None:
        order_ids = self.table.selected_order_ids()
        if not order_ids:
            self.statusBar().showMessage("Select the orders whose labels to void first.", 5000)
            return
        self.label_voiding.ask(order_ids)

    def edit_sender(self) -> SenderDialog:
        """Opens File → Sender address…; once saved, the status bar says the next labels carry it."""
        dialog = open_sender_dialog(self, self.cache)
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage("Sender address saved; the next labels show it.", 5000)
        )
        return dialog

    def _select_still_to_print(self) -> None:
        """After a batch cancelled or stopped by the printer, selects the orders it left unprinted: Print again goes
        on from there, and the labels already out are not printed twice."""
        worker = self.batch_printing.last_worker
        result = worker.result if worker is not None else None
        if result is not None and result.queued:
            self.table.select_order_ids(result.queued)

    def _print_sheets(self, kind: SheetKind) -> None:
        order_ids = self.table.selected_order_ids()
        if not order_ids:
            self.statusBar().showMessage("Select the orders first.", 5000)
            return
        self.sheet_printing.ask(order_ids, kind)

    def send_refused_updates_again(self) -> None:
        """The selected orders' refused updates go back in line for the next sync."""
        count = sum(send_refused_again(self.cache, order_id) for order_id in self.table.selected_order_ids())
        self.statusBar().showMessage(
            f"{plural(count, 'update')} back in line; "
            f"the next sync sends {'it' if count == 1 else 'them'} to the store."
            if count
            else "No selected order has an update its store refused.",
            5000,
        )
        self._update_counts()
        self._show_selected()

    def drop_store_updates(self) -> None:
        """After a yes, forgets the selected orders' updates: their stores will not hear of them from shipdesk."""
        order_ids = self.table.selected_order_ids()
        if not order_ids:
            self.statusBar().showMessage("Select the orders first.", 5000)
            return
        order_ids = [order_id for order_id in order_ids if store_update_state(self.cache, order_id) != _NOTHING_TO_TELL]
        if not order_ids:
            self.statusBar().showMessage("No selected order has an update for its store.", 5000)
            return
        answer = QMessageBox.question(
            self,
            "Drop store updates",
            f"Forget the shipped updates of {plural(len(order_ids), 'selected order')}? "
            "Their stores will not hear from shipdesk that they shipped.",
            defaultButton=QMessageBox.StandardButton.No,  # nothing is lost by an Enter pressed too soon
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        count = sum(drop_order_entries(self.cache, order_id) for order_id in order_ids)
        self.statusBar().showMessage(f"{plural(count, 'update')} dropped.", 5000)
        self._update_counts()
        self._show_selected()

    def _focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def _pick_searched_order(self) -> None:
        """After Enter in the search box (a scanned order number), selects the order it names or the one order found,
        and hands the keys to the table: the next Enter opens Print labels for it, the next scan searches again."""
        named = find_by_number(self.cache, self.filters.search_text())
        rows = [row for row in (self.model.row_of(stored.id) for stored in named) if row is not None]
        if not named and self.model.rowCount() == 1:
            rows = [0]  # a name or part of one that finds one order; an order number found picks only its own order
        if len(rows) != 1:
            if named and not rows:
                self.statusBar().showMessage(_hidden_text(named), 10_000)
            self.filters.search.selectAll()  # none or several: the packer picks, and the next scan replaces this one
            return
        self.table.select_order_ids([self.model.order_id(rows[0])])
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_search_keeping_the_order(self) -> None:
        """Escape in the table: every order again, the ones selected still selected and in view."""
        self.filters.clear_search()
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current)

    def _type_into_search(self, text: str) -> None:
        """Typing in the table starts a new search with it; the keys after it go to the search box."""
        self._focus_search()
        self.filters.search.insert(text)

    # ------------------------------------------------------------------ state shown

    def _update_counts(self) -> None:
        shown = self.model.rowCount()
        total = count_orders(self.cache)
        filters = self.filters
        self.table.set_empty_text(
            empty_table_text(total, filters.search_text(), filters.chosen_status(), filters.chosen_store())
        )
        self.shown_count.setText(plural(total, "order") if shown == total else f"{shown:,} of {plural(total, 'order')}")
        for_files = waiting_by_store(self.cache)
        to_export = sum(for_files.values())
        refused = refused_count(self.cache)
        self.outbox_count.setText(outbox_text(outbox_count(self.cache), to_export, refused, len(for_files)))
        self.outbox_count.setStyleSheet("color: #b35900;" if refused else "")
        tips = [EXPORT_TIP if to_export else "", REFUSED_TIP if refused else ""]
        self.outbox_count.setToolTip("\n".join(tip for tip in tips if tip))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_selected()

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        selections = self.table.selectionModel()
        # Counted from ranges: with every order selected, listing the rows would be 100,000 indexes.
        count = sum(selected.height() for selected in selections.selection())
        self.print_action.setEnabled(count > 0)
        self.slips_action.setEnabled(count > 0)
        self.pick_list_action.setEnabled(count > 0)
        self.void_action.setEnabled(count > 0)
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
            self.model.refresh_order(stored.id)  # its row as fetched may be older than what the pane shows now
            shipped = ShipmentShown(
                latest_shipment(self.cache, stored.id),
                store_update_state(self.cache, stored.id),
                by_file=takes_files(self.cache, stored.order.store),
                voided=voided_shipments(self.cache, stored.id),
            )
            self.detail.show_order(stored, count, self.thumbnails.for_order(stored.order), shipped)
