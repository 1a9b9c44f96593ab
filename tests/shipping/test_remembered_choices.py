"""The choice the print dialog opens on: what the store assigned every order, else what was last printed for the
service the customers asked for, else what was last printed; a carrier no longer offered gives way to the next."""

from __future__ import annotations

from shipdesk.shipping.carrier_catalog import CarrierChoices, Choice
from shipdesk.shipping.remembered_choices import (
    MAX_REQUESTED_SERVICES,
    OrderShipping,
    PreselectedBecause,
    RememberedChoices,
    ShippingPick,
    preselection,
    remembered_after_printing,
    remembered_from_json,
    remembered_to_json,
)

FEDEX = CarrierChoices(
    "fedex",
    "FedEx",
    (Choice("fedex_ground", "FedEx Ground®", True, False), Choice("fedex_2day", "FedEx 2Day®", True, False)),
    (Choice("package", "Package", True, True), Choice("fedex_envelope", "FedEx® Envelope", True, True)),
)
ROYAL_MAIL = CarrierChoices(
    "royal_mail",
    "Royal Mail",
    (Choice("rm_tracked_48", "Royal Mail Tracked 48", True, False),),
    (Choice("parcel", "Parcel", True, True),),
)
OFFERED = (FEDEX, ROYAL_MAIL)

FEDEX_2DAY = ShippingPick("fedex", "FedEx", "fedex_2day", "package")
TRACKED_48 = ShippingPick("royal_mail", "Royal Mail", "rm_tracked_48", "parcel")
BIKE_COURIER = ShippingPick("", "City Bike Couriers", "Same day", "")


def assigned(
    carrier: str, service: str, package: str = "", confirmation: str = "", requested: str = ""
) -> OrderShipping:
    return OrderShipping(requested, carrier, service, package, confirmation)


def asking(requested: str) -> OrderShipping:
    return OrderShipping(requested_service=requested)


def after_printing(
    pick: ShippingPick, *orders: OrderShipping, before: RememberedChoices | None = None
) -> RememberedChoices:
    return remembered_after_printing(before or RememberedChoices(), pick, orders)


# ----------------------------------------------------------------------------- what the store assigned


def test_orders_the_store_assigned_the_same_shipping_open_on_it_with_its_confirmation() -> None:
    orders = [assigned("fedex", "fedex_ground", "package", "signature")] * 3

    chosen = preselection(orders, OFFERED, RememberedChoices(last=BIKE_COURIER))

    assert chosen is not None
    assert chosen.pick == ShippingPick("fedex", service="fedex_ground", package="package")
    assert chosen.pick.buy  # an account carrier: its labels are bought, as when the packer picks it
    assert (chosen.because, chosen.confirmation) == (PreselectedBecause.ASSIGNED, "signature")
    assert chosen.note == "As assigned in ShipStation"


def test_orders_assigned_different_services_do_not_open_on_either() -> None:
    orders = [assigned("fedex", "fedex_ground", "package"), assigned("fedex", "fedex_2day", "package")]

    chosen = preselection(orders, OFFERED, RememberedChoices(last=BIKE_COURIER))

    assert chosen is not None and chosen.because is PreselectedBecause.LAST_PRINTED


def test_an_assignment_on_only_some_orders_is_not_the_batchs() -> None:
    orders = [assigned("fedex", "fedex_ground", "package"), OrderShipping()]

    assert preselection(orders, OFFERED, RememberedChoices()) is None


def test_orders_that_disagree_only_on_confirmation_open_on_the_assignment_with_the_dialogs_own_confirmation() -> None:
    orders = [
        assigned("fedex", "fedex_ground", "package", "signature"),
        assigned("fedex", "fedex_ground", "package", "delivery"),
    ]

    chosen = preselection(orders, OFFERED, RememberedChoices())

    assert chosen is not None and chosen.because is PreselectedBecause.ASSIGNED
    assert chosen.confirmation == ""


def test_an_assigned_carrier_the_account_no_longer_offers_gives_way_to_what_was_printed_for_the_service() -> None:
    orders = [assigned("ups", "ups_ground", "package", requested="Tracked 48")]
    remembered = after_printing(TRACKED_48, asking("Tracked 48"))

    chosen = preselection(orders, OFFERED, remembered)

    assert chosen is not None
    assert (chosen.pick, chosen.because) == (TRACKED_48, PreselectedBecause.REQUESTED_SERVICE)


def test_an_assigned_service_or_package_the_carrier_no_longer_offers_is_not_opened_on() -> None:
    remembered = RememberedChoices(last=BIKE_COURIER)

    for orders in ([assigned("fedex", "fedex_smartpost", "package")], [assigned("fedex", "fedex_2day", "tube")]):
        chosen = preselection(orders, OFFERED, remembered)
        assert chosen is not None and chosen.pick == BIKE_COURIER


# ----------------------------------------------------------------------------- learned from the requested service


def test_a_choice_printed_for_a_requested_service_is_opened_on_for_orders_asking_for_it_again() -> None:
    remembered = after_printing(TRACKED_48, asking("Royal Mail Tracked 48"), asking("Royal Mail Tracked 48"))
    remembered = after_printing(FEDEX_2DAY, asking("Express"), before=remembered)  # printed last, for another

    chosen = preselection([asking("  royal mail TRACKED 48 ")], OFFERED, remembered)

    assert chosen is not None
    assert (chosen.pick, chosen.because) == (TRACKED_48, PreselectedBecause.REQUESTED_SERVICE)
    assert chosen.note == "As last printed for “royal mail TRACKED 48”"  # as these orders wrote it


def test_a_batch_asking_for_different_services_teaches_nothing_about_either() -> None:
    remembered = after_printing(FEDEX_2DAY, asking("Express"), asking("Standard Shipping"))

    assert remembered.by_requested_service == {}
    assert remembered.last == FEDEX_2DAY


def test_orders_asking_for_different_services_open_on_the_last_choice() -> None:
    remembered = after_printing(TRACKED_48, asking("Royal Mail Tracked 48"))

    chosen = preselection([asking("Royal Mail Tracked 48"), asking("Express")], OFFERED, remembered)

    assert chosen is not None and chosen.because is PreselectedBecause.LAST_PRINTED


def test_the_newest_choice_for_a_requested_service_replaces_the_older() -> None:
    remembered = after_printing(TRACKED_48, asking("Standard Shipping"))
    remembered = after_printing(BIKE_COURIER, asking("standard shipping"), before=remembered)

    assert remembered.by_requested_service == {"standard shipping": BIKE_COURIER}


def test_only_the_most_recent_requested_services_are_remembered() -> None:
    remembered = RememberedChoices()
    for number in range(MAX_REQUESTED_SERVICES + 1):
        remembered = after_printing(FEDEX_2DAY, asking(f"Service {number}"), before=remembered)
    remembered = after_printing(TRACKED_48, asking("Service 1"), before=remembered)  # printed again: kept longest

    assert len(remembered.by_requested_service) == MAX_REQUESTED_SERVICES
    assert "service 0" not in remembered.by_requested_service
    assert list(remembered.by_requested_service)[-1] == "service 1"


# ----------------------------------------------------------------------------- the last choice, and none


def test_with_no_assignment_nor_requested_service_the_last_choice_is_opened_on() -> None:
    remembered = after_printing(BIKE_COURIER, OrderShipping())

    chosen = preselection([OrderShipping()], OFFERED, remembered)

    assert chosen is not None
    assert (chosen.pick, chosen.because, chosen.note) == (
        BIKE_COURIER,
        PreselectedBecause.LAST_PRINTED,
        "As last printed",
    )


def test_a_remembered_carrier_no_longer_offered_gives_way_to_the_last_choice_then_to_the_default() -> None:
    remembered = after_printing(TRACKED_48, asking("Tracked 48"))  # also the last choice
    only_fedex = (FEDEX,)

    assert preselection([asking("Tracked 48")], only_fedex, remembered) is None
    remembered = after_printing(FEDEX_2DAY, asking("Express"), before=remembered)
    chosen = preselection([asking("Tracked 48")], only_fedex, remembered)
    assert chosen is not None and (chosen.pick, chosen.because) == (FEDEX_2DAY, PreselectedBecause.LAST_PRINTED)


def test_a_carrier_typed_in_is_always_offered() -> None:
    chosen = preselection([OrderShipping()], (), RememberedChoices(last=BIKE_COURIER))

    assert chosen is not None and chosen.pick == BIKE_COURIER


def test_nothing_printed_yet_opens_as_the_dialog_does_by_itself() -> None:
    assert preselection([asking("Express")], OFFERED, RememberedChoices()) is None


# ----------------------------------------------------------------------------- kept as a setting


def test_the_remembered_choices_read_back_from_their_json() -> None:
    unbought = ShippingPick("fedex", "FedEx", "fedex_2day", "", buy=False)
    remembered = after_printing(BIKE_COURIER, asking("Same day"))
    remembered = after_printing(unbought, asking("Express"), before=remembered)

    assert remembered_from_json(remembered_to_json(remembered)) == remembered


def test_a_setting_that_cannot_be_read_is_forgotten_rather_than_failing_the_dialog() -> None:
    assert remembered_from_json(None) == RememberedChoices()
    assert remembered_from_json(["fedex"]) == RememberedChoices()
    garbled = {"last": {"carrier": 7}, "by_requested_service": {"express": "fedex", "same day": {"carrier": "Bike"}}}
    assert remembered_from_json(garbled) == RememberedChoices(
        by_requested_service={"same day": ShippingPick(carrier="Bike")}
    )


def test_a_long_requested_service_is_cut_short_in_the_note() -> None:
    requested = "Free Standard Shipping (5-7 business days, signature on delivery)"
    remembered = after_printing(TRACKED_48, asking(requested))

    chosen = preselection([asking(requested)], OFFERED, remembered)

    assert chosen is not None
    assert chosen.note == "As last printed for “Free Standard Shipping (5-7 business…”"
