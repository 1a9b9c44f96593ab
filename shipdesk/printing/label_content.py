"""What goes on one shipping label, independent of how it is drawn or which printer takes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shipdesk.domain import Address, Weight


@dataclass(frozen=True, slots=True)
class ShippingLabel:
    sender: Address  # the warehouse's origin / return address
    recipient: Address
    carrier: str  # e.g. "Other / own courier", "USPS"
    service: str  # e.g. "Standard", "Priority Mail"
    tracking_number: str  # encoded as Code 128, exactly as given
    order_number: str
    ship_date: date
    package: str = ""
    weight: Weight | None = None
