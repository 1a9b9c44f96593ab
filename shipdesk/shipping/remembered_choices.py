"""The carrier, service and package the print dialog opens on, and the choices it remembers from printed batches.

Pure rules over plain data: the store's assignment first, then what was last printed for the service the customers
asked for, then what was last printed; the caller keeps `RememberedChoices` as the JSON value this module writes.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from shipdesk.shipping.carrier_catalog import CarrierChoices

# Requested services remembered at most: a store has a handful, but free text from years of checkouts is unbounded.
MAX_REQUESTED_SERVICES = 200
NOTE_SERVICE_CHARS = 40  # a requested service longer than this is cut short in the note, which stays one line


@dataclass(frozen=True, slots=True)
class OrderShipping:
    """What an order to print says of its shipping: the service its customer asked for at checkout, and what the
    store's account assigned (codes of that account). Its fields come in the order of cache.orders.SHIPPING_KEYS."""

    requested_service: str = ""
    carrier_code: str = ""
    service_code: str = ""
    package_code: str = ""
    confirmation: str = ""


@dataclass(frozen=True, slots=True)
class ShippingPick:
    """A carrier, service and package as the dialog shows them.

    With `carrier_code` it is a carrier of the account, and service and package are that account's codes; without,
    carrier, service and package are texts as the packer picked or typed them ("Other / own courier", "Same day").
    `buy` is false only when the packer unticked Buy for an account carrier.
    """

    carrier_code: str = ""
    carrier: str = ""
    service: str = ""
    package: str = ""
    buy: bool = True

    @property
    def of_account(self) -> bool:
        return bool(self.carrier_code)


class PreselectedBecause(enum.Enum):
    ASSIGNED = "assigned"
    REQUESTED_SERVICE = "requested service"
    LAST_PRINTED = "last printed"


@dataclass(frozen=True, slots=True)
class Preselection:
    pick: ShippingPick
    because: PreselectedBecause
    requested_service: str = ""  # as the orders wrote it, for the note
    confirmation: str = ""  # the delivery confirmation the store assigned every order, with an assigned pick

    @property
    def note(self) -> str:
        """Why the dialog opened on this choice, in a packer's words."""
        if self.because is PreselectedBecause.ASSIGNED:
            return "As assigned in ShipStation"
        if self.because is PreselectedBecause.REQUESTED_SERVICE:
            service = self.requested_service
            if len(service) > NOTE_SERVICE_CHARS:
                service = service[: NOTE_SERVICE_CHARS - 1].rsplit(" ", 1)[0].rstrip() + "…"  # at a word's end
            return f"As last printed for “{service}”"
        return "As last printed"


@dataclass(frozen=True, slots=True)
class RememberedChoices:
    last: ShippingPick | None = None
    # normalised requested service → the pick last printed for it, the most recent last
    by_requested_service: Mapping[str, ShippingPick] = field(default_factory=dict)


def normalised_service(text: str) -> str:
    """The key a requested service is remembered by: "Royal Mail Tracked 48 " and "royal mail tracked 48" are one."""
    return text.strip().casefold()


def common_requested_service(orders: Sequence[OrderShipping]) -> str:
    """The service every order's customer asked for, as the first order writes it; '' when they differ or say none."""
    if not orders:
        return ""
    first = orders[0].requested_service.strip()
    key = normalised_service(first)
    if not key or any(normalised_service(order.requested_service) != key for order in orders):
        return ""
    return first


def preselection(
    orders: Sequence[OrderShipping], offered: Sequence[CarrierChoices], remembered: RememberedChoices
) -> Preselection | None:
    """The choice the dialog opens on for these orders (those that will print), or None for the dialog's default.

    A pick whose carrier, service or package the account no longer offers gives way to the next rule.
    """
    assigned = _common_assignment(orders)
    if assigned is not None and is_offered(assigned, offered):
        confirmations = {order.confirmation for order in orders}
        confirmation = confirmations.pop() if len(confirmations) == 1 else ""
        return Preselection(assigned, PreselectedBecause.ASSIGNED, confirmation=confirmation)
    requested = common_requested_service(orders)
    learned = remembered.by_requested_service.get(normalised_service(requested)) if requested else None
    if learned is not None and is_offered(learned, offered):
        return Preselection(learned, PreselectedBecause.REQUESTED_SERVICE, requested_service=requested)
    if remembered.last is not None and is_offered(remembered.last, offered):
        return Preselection(remembered.last, PreselectedBecause.LAST_PRINTED)
    return None


def _common_assignment(orders: Sequence[OrderShipping]) -> ShippingPick | None:
    if not orders:
        return None
    first = orders[0]
    codes = (first.carrier_code, first.service_code, first.package_code)
    if not first.carrier_code or any(
        (order.carrier_code, order.service_code, order.package_code) != codes for order in orders
    ):
        return None
    return ShippingPick(first.carrier_code, service=first.service_code, package=first.package_code)


def is_offered(pick: ShippingPick, offered: Sequence[CarrierChoices]) -> bool:
    """Whether the dialog can show the pick: a carrier typed in always; an account's carrier, service and package
    only while the account still offers them."""
    if not pick.of_account:
        return True
    carrier = offered_carrier(pick, offered)
    if carrier is None:
        return False
    return (not pick.service or any(service.code == pick.service for service in carrier.services)) and (
        not pick.package or any(package.code == pick.package for package in carrier.packages)
    )


def offered_carrier(pick: ShippingPick, offered: Sequence[CarrierChoices]) -> CarrierChoices | None:
    """The account carrier of the pick among those offered; None for a carrier typed in, or one no longer offered."""
    if not pick.of_account:
        return None
    return next((carrier for carrier in offered if carrier.code == pick.carrier_code), None)


def remembered_after_printing(
    remembered: RememberedChoices, pick: ShippingPick, orders: Sequence[OrderShipping]
) -> RememberedChoices:
    """What is remembered once a batch of these orders printed with this pick: the pick as the last one, and as the
    one for the service the customers asked for when they all asked for the same."""
    requested = normalised_service(common_requested_service(orders))
    if not requested:
        return replace(remembered, last=pick)
    by_service = {key: value for key, value in remembered.by_requested_service.items() if key != requested}
    by_service[requested] = pick
    while len(by_service) > MAX_REQUESTED_SERVICES:
        del by_service[next(iter(by_service))]
    return RememberedChoices(pick, by_service)


# ----------------------------------------------------------------------------- as a setting's JSON value


def remembered_to_json(remembered: RememberedChoices) -> dict[str, Any]:
    return {
        "last": None if remembered.last is None else _pick_to_json(remembered.last),
        "by_requested_service": {key: _pick_to_json(pick) for key, pick in remembered.by_requested_service.items()},
    }


def remembered_from_json(value: Any) -> RememberedChoices:
    """The remembered choices of a setting's value; what cannot be read is forgotten rather than failing the dialog."""
    if not isinstance(value, dict):
        return RememberedChoices()
    by_service = value.get("by_requested_service")
    picks = by_service.items() if isinstance(by_service, dict) else ()
    return RememberedChoices(
        _pick_from_json(value.get("last")),
        {key: pick for key, raw in picks if isinstance(key, str) and (pick := _pick_from_json(raw)) is not None},
    )


def _pick_to_json(pick: ShippingPick) -> dict[str, Any]:
    return {
        "carrier_code": pick.carrier_code,
        "carrier": pick.carrier,
        "service": pick.service,
        "package": pick.package,
        "buy": pick.buy,
    }


def _pick_from_json(value: Any) -> ShippingPick | None:
    if not isinstance(value, dict):
        return None
    texts = [value.get(name, "") for name in ("carrier_code", "carrier", "service", "package")]
    if not all(isinstance(text, str) for text in texts) or not (texts[0] or texts[1]):
        return None
    carrier_code, carrier, service, package = texts
    return ShippingPick(carrier_code, carrier, service, package, value.get("buy", True) is not False)
