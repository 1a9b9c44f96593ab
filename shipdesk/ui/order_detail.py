"""The detail pane: the selected order's status, addresses, items, the customer's words and the staff's notes.

Everything a customer or store wrote is shown as plain text, never read as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shipdesk.cache.orders import StoredOrder
from shipdesk.cache.shipment_voids import VoidedShipment
from shipdesk.cache.shipments import StoreUpdateState
from shipdesk.domain import Order, OrderStatus, Shipment, plural, ship_to_gap, status_words
from shipdesk.ui.order_items import FittedText, OrderItemsGrid
from shipdesk.ui.order_text import address_text, date_text, money_text
from shipdesk.ui.refused_updates import DROP_ITEM, SEND_AGAIN_ITEM

NOTHING_SELECTED = "Select an order to see its items and addresses."
STORE_NOT_TOLD = "Not yet sent to the store; it goes with the next sync."
STORE_NOT_EXPORTED = "Not yet given to the store; it goes in the next File → Export shipments for upload."
VOIDED_SHOWN = 3  # voided labels listed in the pane; `shipdesk voided` lists them all
_LEAST_CHARACTERS = 16  # a text narrower than this breaks into bits too short to read: the pane scrolls instead
STORE_REFUSED = (
    f"The store refused this update: {{reason}} {SEND_AGAIN_ITEM} once it is put right there, "
    f"or {DROP_ITEM} to give up on it."
)


_ALL_TOLD = StoreUpdateState()  # frozen, so one shared default


@dataclass(frozen=True, slots=True)
class ShipmentShown:
    """The order's latest shipment recorded here (None for orders shipped elsewhere) and where its news stands."""

    shipment: Shipment | None = None
    update: StoreUpdateState = _ALL_TOLD
    by_file: bool = False  # the store takes its updates in an exported file (its orders come from CSV files)
    voided: Sequence[VoidedShipment] = ()  # the order's labels voided before, newest first


GIFT_WITHOUT_MESSAGE = "A gift, without a message."
# The store's internal notes: the shop's own words to whoever packs, which the customer never wrote nor sees.
STAFF_NOTES_TITLE = "Staff notes (from the shop, not the customer)"
# {gap} is what the address lacks: "no ship-to ZIP code", "no ship-to street or city", "no ship-to address".
INCOMPLETE_ADDRESS = "Cannot be labelled: {gap}. Put it right in the store, then sync."


def _text_label() -> FittedText:
    """A text the order brings: it wraps at spaces, and a word too long for the pane (a web address in the notes)
    goes on over lines rather than widening the pane and pushing the items' prices out of view."""
    label = FittedText("", least_characters=_LEAST_CHARACTERS, break_words=True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def _group(title: str, content: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(content)
    return box


class OrderDetail(QStackedWidget):
    """Shows one order, or a hint when none is selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = QLabel(NOTHING_SELECTED)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)  # drawn in the style's muted colour
        self.addWidget(self.hint)

        self.title = _text_label()
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.status = _text_label()
        status_font = QFont(self.status.font())
        status_font.setBold(True)
        self.status.setFont(status_font)
        self.selection_note = QLabel()  # our own words, short
        self.selection_note.setWordWrap(True)
        self.facts = _text_label()
        self.ship_to = _text_label()
        self.bill_to = _text_label()
        self.items = OrderItemsGrid()
        self.gift_message = _text_label()
        self.customer_notes = _text_label()
        self.staff_notes = _text_label()
        staff_font = QFont(self.staff_notes.font())
        staff_font.setBold(True)  # "glass inside!" must not be missed
        self.staff_notes.setFont(staff_font)

        addresses = QHBoxLayout()
        addresses.addWidget(_group("Ship to", self.ship_to), 1)
        addresses.addWidget(_group("Bill to", self.bill_to), 1)
        self.items_box = _group("Items", self.items)
        self.gift_box = _group("Gift message", self.gift_message)
        self.notes_box = _group("Customer notes", self.customer_notes)
        self.staff_notes_box = _group(STAFF_NOTES_TITLE, self.staff_notes)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.selection_note)
        layout.addWidget(self.facts)
        layout.addLayout(addresses)
        layout.addWidget(self.items_box)
        layout.addWidget(self.staff_notes_box)
        layout.addWidget(self.gift_box)
        layout.addWidget(self.notes_box)
        layout.addStretch(1)
        scroller = QScrollArea()
        scroller.setObjectName("order-detail")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        # Tab reaches the order too, so the arrow and page keys scroll a long one; a line in the highlight colour
        # shows it has the keys, where no frame is drawn otherwise.
        scroller.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        scroller.setStyleSheet(
            "#order-detail { border: 2px solid transparent; } #order-detail:focus { border-color: palette(highlight); }"
        )
        scroller.setWidget(page)
        self.addWidget(scroller)
        self.order_page = scroller  # where Tab stops; the hint shown without an order takes no focus

    def show_nothing(self) -> None:
        self.setCurrentWidget(self.hint)

    def show_order(
        self,
        stored: StoredOrder,
        selected_count: int = 1,
        thumbnails: Mapping[str, bytes] | None = None,
        shipped: ShipmentShown = ShipmentShown(),
    ) -> None:
        order = stored.order
        self.title.set_full_text(f"Order {order.order_number}")
        self.status.set_full_text(status_words(order.status, order.hold_reason))
        self.status.setStyleSheet(_status_style(order.status))
        self.selection_note.setText(
            f"{selected_count:,} orders selected; Print labels prints all of them." if selected_count > 1 else ""
        )
        self.selection_note.setVisible(selected_count > 1)
        self.facts.set_full_text("\n".join([*_shipment_lines(shipped), _facts_text(order)]))
        ship_to = address_text(order.ship_to)
        gap = ship_to_gap(order.ship_to)
        if gap:
            ship_to = f"{ship_to}\n\n{INCOMPLETE_ADDRESS.format(gap=gap)}".strip()
        self.ship_to.set_full_text(ship_to)
        self.bill_to.set_full_text(address_text(order.bill_to) or "Not given by the store")
        self.items_box.setTitle(f"Items: {plural(order.item_count, 'piece')} to pack")
        self.items.show_items(order, thumbnails or {})
        self.gift_message.set_full_text(order.gift_message or (GIFT_WITHOUT_MESSAGE if order.gift else ""))
        self.gift_box.setVisible(order.gift or bool(order.gift_message))
        self.customer_notes.set_full_text(order.customer_notes)
        self.notes_box.setVisible(bool(order.customer_notes))
        self.staff_notes.set_full_text(order.internal_notes.strip())
        self.staff_notes_box.setVisible(bool(self.staff_notes.full_text))
        self.setCurrentWidget(self.order_page)


def _facts_text(order: Order) -> str:
    lines = [f"Ordered {date_text(order.order_date)} · {order.store}"]
    if order.ship_by_date is not None:
        lines.append(f"Ship by {date_text(order.ship_by_date)}")
    if order.requested_service:
        lines.append(f"Requested service: {order.requested_service}")
    contact = " · ".join(part for part in (order.customer_email, order.customer_phone) if part)
    if contact:
        lines.append(f"Customer: {contact}")
    lines.append(
        f"Total {money_text(order.order_total, order.currency)}"
        f" (shipping {order.shipping_paid:,.2f}, tax {order.tax_amount:,.2f})"
    )
    return "\n".join(lines)


def _shipment_lines(shipped: ShipmentShown) -> list[str]:
    """The label that went out: when, how, its tracking number and cost, and whether the store has been told; then
    the labels voided before it."""
    return [*_live_shipment_lines(shipped), *_voided_lines(shipped.voided)]


def _voided_lines(voided: Sequence[VoidedShipment]) -> list[str]:
    """'Label voided 2026-12-01 14:05 · UPS, Ground · tracking 1Z999… · cost 8.50, refunded by ShipStation'."""
    lines = []
    for entry in voided[:VOIDED_SHOWN]:
        shipment = entry.shipment
        how = ", ".join(part for part in (shipment.carrier, shipment.service) if part)
        tracking = f"tracking {shipment.tracking_number}" if shipment.tracking_number else "no tracking number"
        cost = "" if shipment.cost is None else f"cost {shipment.cost:,.2f}"
        refund = "refunded by ShipStation" if entry.refund_asked else ""
        money = ", ".join(part for part in (cost, refund) if part)
        parts = (f"Label voided {date_text(entry.voided_at)}", how, tracking, money)
        lines.append(" · ".join(part for part in parts if part))
    if len(voided) > VOIDED_SHOWN:
        lines.append(f"and {plural(len(voided) - VOIDED_SHOWN, 'older voided label')}")
    return lines


def _live_shipment_lines(shipped: ShipmentShown) -> list[str]:
    shipment = shipped.shipment
    if shipment is None:
        return []
    how = ", ".join(part for part in (shipment.carrier, shipment.service) if part)  # "Other / own courier, Standard"
    lines = [" · ".join(part for part in (f"Shipped {date_text(shipment.shipped_at)}", how) if part)]
    tracking = f"Tracking {shipment.tracking_number}" if shipment.tracking_number else "No tracking number"
    lines.append(tracking if shipment.cost is None else f"{tracking} · cost {shipment.cost:,.2f}")
    if shipped.update.refused_reason:
        lines.append(STORE_REFUSED.format(reason=shipped.update.refused_reason))
    elif shipped.update.waiting:
        lines.append(STORE_NOT_EXPORTED if shipped.by_file else STORE_NOT_TOLD)
    return lines


def _status_style(status: OrderStatus) -> str:
    if status is OrderStatus.ON_HOLD:
        return "color: #b35900;"
    if status is OrderStatus.SHIPPED:
        return "color: #2e7d32;"
    if status is OrderStatus.CANCELLED:
        return "color: #808080;"
    return ""
