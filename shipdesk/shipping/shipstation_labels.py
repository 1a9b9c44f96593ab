"""The ShipStation label provider: a label bought for a ShipStation order through createlabelfororder, and voided.

It checks the order and the choices first, so ShipStation is only asked (and paid) for a label that can be made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from shipdesk.domain import (
    COMBINED_INTO,
    Dimensions,
    LabelSize,
    Order,
    OrderStatus,
    Shipment,
    Weight,
    held_words,
    packing_block_reason,
    station_date,
    utc_now,
)
from shipdesk.upstream.shipstation import ShipStationClient, ShipStationError

CONFIRMATIONS = ("none", "delivery", "signature", "adult_signature", "direct_signature")
INSURANCE_PROVIDERS = ("carrier", "shipsurance", "provider", "xcover", "parcelguard")


class LabelError(Exception):
    """No label was bought or voided, or it is not known whether it was; the message says what to do.

    `outcome_unknown` is True when ShipStation may have sold (or voided) the label anyway: check the order there
    before retrying.
    """

    def __init__(self, message: str, *, outcome_unknown: bool = False) -> None:
        super().__init__(message)
        self.outcome_unknown = outcome_unknown


@dataclass(frozen=True, slots=True)
class LabelRequest:
    """What the packer chose in the shipping panel. Weight defaults to the order's own; without dimensions, none are
    sent and ShipStation goes by the package."""

    carrier_code: str
    service_code: str
    package_code: str | None = "package"
    confirmation: str | None = None
    weight: Weight | None = None
    dimensions: Dimensions | None = None
    insured_value: Decimal | None = None
    insurance_provider: str = "carrier"
    ship_date: date | None = None  # None: today
    test_label: bool = False


@dataclass(frozen=True, slots=True)
class BoughtLabel:
    shipment: Shipment
    pdf: bytes  # empty when ShipStation sent none that could be read: print the label from ShipStation
    shipment_id: int | None  # ShipStation's, needed to void the label there; None when it did not say


class ShipStationLabelProvider:
    def __init__(self, client: ShipStationClient) -> None:
        self.client = client

    def buy(self, order: Order, request: LabelRequest, *, now: datetime | None = None) -> BoughtLabel:
        """Buy the label; ShipStation then has the order as shipped, unless it was a test label.

        Raises LabelError in the packer's words.
        """
        moment = now or utc_now()
        weight = request.weight or order.total_weight
        refusal_before_buying(order, request)
        try:
            order_id = int(order.upstream_id)
        except ValueError:
            raise LabelError(
                f"No label bought for order {order.order_number}: it has no ShipStation order id."
            ) from None
        try:
            label = self.client.create_label_for_order(
                order_id,
                request.carrier_code,
                request.service_code,
                request.package_code,
                request.confirmation,
                request.ship_date or station_date(moment),
                weight,
                request.dimensions,
                request.insured_value,
                request.insurance_provider,
                order_number=order.order_number,
                test_label=request.test_label,
            )
        except ShipStationError as error:
            raise LabelError(str(error), outcome_unknown=error.outcome_unknown) from error
        shipment = Shipment(
            carrier=request.carrier_code,
            service=request.service_code,
            package=request.package_code or "",
            tracking_number=label.tracking_number,
            shipped_at=moment,
            cost=label.shipment_cost + label.insurance_cost,
            label_size=LabelSize.FOUR_BY_SIX,
        )
        return BoughtLabel(shipment, label.label_pdf, label.shipment_id)

    def label_sold_before(self, order: Order, *, now: datetime | None = None) -> BoughtLabel | None:
        """The label ShipStation holds for the order and has not voided, or None when it holds none.

        Asked after a purchase whose answer was lost: ShipStation may have sold that label, and buying another would pay
        twice. Its PDF cannot be had from ShipStation's API, so the label comes without one. Raises LabelError when
        ShipStation cannot be asked.
        """
        try:
            order_id = int(order.upstream_id)
        except ValueError:
            return None  # not a ShipStation order: nothing was bought for it there
        try:
            labels = self.client.order_labels(order_id)
        except ShipStationError as error:
            raise LabelError(str(error)) from error
        live = [label for label in labels if label.voided is not True and not label.return_label]
        if not live:
            return None
        label = max(live, key=lambda label: label.created_at or datetime.min.replace(tzinfo=UTC))
        shipment = Shipment(
            carrier=label.carrier_code,
            service=label.service_code,
            package=label.package_code,
            tracking_number=label.tracking_number,
            shipped_at=label.created_at or now or utc_now(),
            cost=label.shipment_cost + label.insurance_cost,
            label_size=LabelSize.FOUR_BY_SIX,
        )
        return BoughtLabel(shipment, b"", label.shipment_id)

    def void(self, shipment_id: int, order_number: str, *, order_id: int | None = None) -> None:
        """Void a label bought here (BoughtLabel.shipment_id); ShipStation then has the order awaiting shipment again.

        When the void fails and ShipStation's `order_id` is given, ShipStation is asked whether the label is voided
        all the same: a void whose answer was lost, or one tried again because its first success could not be noted
        here, counts as done. Raises LabelError in the packer's words, with ShipStation's reason when it will not void
        the label.
        """
        try:
            self.client.void_label(shipment_id, order_number=order_number)
        except ShipStationError as error:
            if order_id is not None and self._voided_already(shipment_id, order_id):
                return
            raise LabelError(str(error), outcome_unknown=error.outcome_unknown) from error

    def _voided_already(self, shipment_id: int, order_id: int) -> bool:
        try:
            return self.client.label_voided(shipment_id, order_id=order_id) is True
        except ShipStationError:
            return False  # unknown: the void's own failure is what the packer hears


def refusal_before_buying(order: Order, request: LabelRequest) -> None:
    """Raises LabelError, without asking ShipStation, when the order or the choices cannot make a label."""
    problem = _why_not(order, request, request.weight or order.total_weight)
    if problem:
        raise LabelError(f"No label bought for order {order.order_number}: {problem}.")


def _why_not(order: Order, request: LabelRequest, weight: Weight | None) -> str:
    if order.status is OrderStatus.SHIPPED:
        return "it is already shipped; print its label again instead"
    if order.status is OrderStatus.CANCELLED:
        return "it was cancelled"
    if order.status is OrderStatus.AWAITING_PAYMENT:
        return "it is not paid yet"
    if held := held_words(order.status, order.hold_reason):
        return held
    block = packing_block_reason(order)
    if block.startswith(COMBINED_INTO):
        return f"it was {block}"
    if block:
        return f"it has {block}"
    if not request.carrier_code.strip() or not request.service_code.strip():
        return "choose a carrier and a service"
    if weight is None or weight.value <= 0:
        return "weigh the parcel first (the order has no weight)"
    if request.confirmation is not None and request.confirmation not in CONFIRMATIONS:
        return f"delivery confirmation {request.confirmation!r} is not one of {', '.join(CONFIRMATIONS)}"
    if request.insured_value is not None and request.insured_value < 0:
        return "the insured value cannot be negative"
    if request.insurance_provider not in INSURANCE_PROVIDERS:
        return f"insurance provider {request.insurance_provider!r} is not one of {', '.join(INSURANCE_PROVIDERS)}"
    return ""
