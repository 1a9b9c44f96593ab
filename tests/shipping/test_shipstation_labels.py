"""ShipStation labels at the packing station: "Create label" buys through createlabelfororder with the packer's
choices, keeps the PDF and tracking number, prints a label whose barcode scans, and offers the account's choices."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.label_pdfs import label_pdf
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.shipments import latest_shipment, outbox_count
from shipdesk.domain import Dimensions, LengthUnit, OrderStatus, Weight, WeightUnit
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.folder_printer import FolderPrinter
from shipdesk.shipping.shipstation_labels import LabelError, LabelRequest, ShipStationLabelProvider
from shipdesk.shipstation_shipping import create_label, print_label_again, refresh_choices, shipping_choices
from shipdesk.upstream.sync import pull_orders
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store, fake_connector, fresh_record, shipstation_order

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
FEDEX_2DAY = LabelRequest(
    carrier_code="fedex",
    service_code="fedex_2day",
    package_code="package",
    confirmation="signature",
    weight=Weight(Decimal(2), WeightUnit.POUND),
    dimensions=Dimensions(Decimal(7), Decimal(5), Decimal("6.5"), LengthUnit.INCH),
    insured_value=Decimal("150"),
    ship_date=date(2026, 3, 21),
)


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as server:
        yield server


@pytest.fixture
def order_id(cache: Cache, fake: FakeShipStation) -> int:
    """Order L-1 of ShipStation, pulled into the cache."""
    fake.add_order(shipstation_order(1, number="L-1", order_date=NOW - timedelta(days=1)), modified=NOW)
    fake.add_order(
        shipstation_order(2, number="UNPAID-2", order_date=NOW - timedelta(days=1), status="awaiting_payment"),
        modified=NOW,
    )
    record = add_fake_store(cache, fake)
    with fake_connector(fake, record) as connector:
        pull_orders(cache, record, connector, now=NOW)
    return find_by_number(cache, "L-1")[0].id


@pytest.fixture
def provider(cache: Cache, fake: FakeShipStation) -> Iterator[ShipStationLabelProvider]:
    with fake_connector(fake, fresh_record(cache)) as connector:
        yield ShipStationLabelProvider(connector.client)


def test_create_label_buys_with_the_choices_keeps_the_pdf_and_prints_a_barcode_that_scans(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    purchase = create_label(cache, order_id, FEDEX_2DAY, provider, FolderPrinter(tmp_path / "labels"), now=NOW)

    (request,) = fake.requests_to("/orders/createlabelfororder")
    assert request.body == {
        "orderId": 1,
        "carrierCode": "fedex",
        "serviceCode": "fedex_2day",
        "packageCode": "package",
        "confirmation": "signature",
        "shipDate": "2026-03-21",
        "weight": {"value": 2, "units": "pounds"},
        "dimensions": {"length": 7, "width": 5, "height": 6.5, "units": "inches"},
        "insuranceOptions": {"provider": "carrier", "insureShipment": True, "insuredValue": 150},
        "internationalOptions": None,
        "advancedOptions": None,
        "testLabel": False,
    }
    tracking = fake.labels[0]["trackingNumber"]
    shipment = latest_shipment(cache, order_id)
    assert shipment is not None
    assert (shipment.carrier, shipment.service, shipment.package) == ("fedex", "fedex_2day", "package")
    assert (shipment.tracking_number, shipment.cost) == (tracking, Decimal("8.55"))  # label 7.30 + insurance 1.25
    assert find_by_number(cache, "L-1")[0].order.status is OrderStatus.SHIPPED
    assert outbox_count(cache) == 0  # ShipStation made the shipment itself: nothing to mark as shipped

    assert purchase.printed_to is not None and purchase.print_error == ""
    assert purchase.printed_to.read_bytes() == label_pdf(cache, order_id)
    subprocess.run(["pdftoppm", "-r", "203", "-png", str(purchase.printed_to), str(tmp_path / "page")], check=True)
    (page,) = tmp_path.glob("page*.png")
    scanned = subprocess.run(["zbarimg", "--raw", "-q", str(page)], capture_output=True, text=True, check=False)
    assert scanned.stdout.split() == [tracking]


def test_the_orders_own_weight_is_used_when_the_packer_gives_none(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    request = LabelRequest("fedex", "fedex_ground")

    create_label(cache, order_id, request, provider, FolderPrinter(tmp_path), now=NOW)

    (sent,) = fake.requests_to("/orders/createlabelfororder")
    assert sent.body["weight"] == {"value": 48, "units": "ounces"}  # the order's declared weight in ShipStation
    assert sent.body["shipDate"] == "2026-03-20"


def test_a_label_bought_on_an_evening_ships_on_the_stations_day(
    cache: Cache,
    fake: FakeShipStation,
    order_id: int,
    provider: ShipStationLabelProvider,
    tmp_path: Path,
    in_california: None,
) -> None:
    evening = datetime(2026, 3, 21, 2, 30, tzinfo=UTC)  # 7:30 pm on 20 March in Los Angeles

    create_label(cache, order_id, LabelRequest("fedex", "fedex_ground"), provider, FolderPrinter(tmp_path), now=evening)

    (sent,) = fake.requests_to("/orders/createlabelfororder")
    assert sent.body["shipDate"] == "2026-03-20"


@pytest.mark.parametrize(
    ("number", "request_", "reason"),
    [
        ("UNPAID-2", FEDEX_2DAY, "it is not paid yet"),
        ("L-1", LabelRequest("fedex", ""), "choose a carrier and a service"),
        ("L-1", LabelRequest("fedex", "fedex_2day", confirmation="hug"), "delivery confirmation"),
    ],
)
def test_a_label_that_cannot_be_made_is_refused_before_shipstation_is_asked(
    cache: Cache,
    fake: FakeShipStation,
    order_id: int,
    provider: ShipStationLabelProvider,
    tmp_path: Path,
    number: str,
    request_: LabelRequest,
    reason: str,
) -> None:
    target = find_by_number(cache, number)[0].id

    with pytest.raises(LabelError, match=f"No label bought for order {number}: {reason}"):
        create_label(cache, target, request_, provider, FolderPrinter(tmp_path), now=NOW)

    assert fake.requests_to("/orders/createlabelfororder") == []


def test_a_label_bought_twice_is_refused_the_second_time(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    create_label(cache, order_id, FEDEX_2DAY, provider, FolderPrinter(tmp_path), now=NOW)

    with pytest.raises(LabelError, match="it is already shipped; print its label again instead"):
        create_label(cache, order_id, FEDEX_2DAY, provider, FolderPrinter(tmp_path), now=NOW)

    assert len(fake.labels) == 1


def test_a_purchase_whose_answer_was_lost_records_nothing_and_says_to_check_shipstation(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    fake.lose_answer_next(1)

    with pytest.raises(LabelError) as raised:
        create_label(cache, order_id, FEDEX_2DAY, provider, FolderPrinter(tmp_path), now=NOW)

    assert raised.value.outcome_unknown
    assert "check the order in ShipStation before trying again" in str(raised.value)
    assert latest_shipment(cache, order_id) is None


def test_a_purchase_whose_answer_of_success_cannot_be_read_says_to_check_shipstation(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    fake.cut_answer_next(1)  # ShipStation sells the label; its answer arrives cut short

    with pytest.raises(LabelError) as raised:
        create_label(cache, order_id, FEDEX_2DAY, provider, FolderPrinter(tmp_path), now=NOW)

    assert len(fake.labels) == 1
    assert raised.value.outcome_unknown
    assert str(raised.value).startswith(
        "ShipStation answered that it did buy a label for order L-1 (ShipStation order id 1) for store Main, but its "
        "answer came garbled (application/json"
    )
    assert str(raised.value).endswith(
        "so shipdesk cannot tell what was done: check the order in ShipStation before trying again."
    )


def test_a_label_sold_without_a_readable_pdf_is_recorded_and_never_bought_again(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    fake.labels_without_pdf = True

    purchase = create_label(cache, order_id, FEDEX_2DAY, provider, FolderPrinter(tmp_path / "labels"), now=NOW)

    sold = fake.labels[0]
    assert purchase.print_error == "ShipStation sent no readable PDF of it, so print it from ShipStation"
    assert (purchase.printed_to, purchase.kept) == (None, False)
    shipment = latest_shipment(cache, order_id)
    assert shipment is not None and shipment.tracking_number == sold["trackingNumber"]
    assert label_pdf(cache, order_id) is None
    with pytest.raises(LabelError, match="it is already shipped"):
        create_label(cache, order_id, FEDEX_2DAY, provider, FolderPrinter(tmp_path), now=NOW)
    assert len(fake.labels) == 1
    assert not (tmp_path / "labels").exists()


def test_a_refusal_by_shipstation_is_shown_in_its_words(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    request = LabelRequest("fedex", "fedex_teleport", weight=Weight(Decimal(1), WeightUnit.POUND))

    with pytest.raises(LabelError, match="serviceCode: Invalid serviceCode 'fedex_teleport'") as raised:
        create_label(cache, order_id, request, provider, FolderPrinter(tmp_path), now=NOW)

    assert not raised.value.outcome_unknown
    assert latest_shipment(cache, order_id) is None


def test_a_voided_label_leaves_the_order_awaiting_shipment_in_shipstation(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider
) -> None:
    bought = provider.buy(find_by_number(cache, "L-1")[0].order, FEDEX_2DAY, now=NOW)
    assert fake.order(1)["orderStatus"] == "shipped"

    provider.void(bought.shipment_id, "L-1")

    assert fake.order(1)["orderStatus"] == "awaiting_shipment"
    assert fake.voided_shipment_ids == [bought.shipment_id]


def test_a_void_shipstation_refuses_raises_a_label_error_naming_the_order(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider
) -> None:
    bought = provider.buy(find_by_number(cache, "L-1")[0].order, FEDEX_2DAY, now=NOW)
    fake.refuse_voids_with = "Label already used."

    with pytest.raises(LabelError) as raised:
        provider.void(bought.shipment_id, "L-1")

    assert str(raised.value) == "ShipStation did not void the label of order L-1 of store Main: Label already used."
    assert not raised.value.outcome_unknown
    assert fake.order(1)["orderStatus"] == "shipped"


def test_a_void_whose_answer_was_lost_says_to_check_shipstation(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider
) -> None:
    bought = provider.buy(find_by_number(cache, "L-1")[0].order, FEDEX_2DAY, now=NOW)
    fake.lose_answer_next(1)

    with pytest.raises(LabelError, match="void the label of order L-1") as raised:
        provider.void(bought.shipment_id, "L-1")

    assert raised.value.outcome_unknown
    assert "check the order in ShipStation before trying again" in str(raised.value)


class OfflinePrinter:
    def print_pdf(self, data: bytes, name_hint: str) -> Path:
        raise PrinterError("The printer Zebra at the packing table is offline")


def test_a_bought_label_that_fails_to_print_is_kept_and_prints_again(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider, tmp_path: Path
) -> None:
    purchase = create_label(cache, order_id, FEDEX_2DAY, provider, OfflinePrinter(), now=NOW)

    assert purchase.printed_to is None
    assert purchase.print_error == (
        "The printer Zebra at the packing table is offline; the label is kept, print it again"
    )
    again = print_label_again(cache, order_id, FolderPrinter(tmp_path))
    assert again.read_bytes().startswith(b"%PDF-")
    assert len(fake.labels) == 1


def test_the_accounts_carriers_services_and_packages_are_cached_as_shipping_choices(
    cache: Cache, fake: FakeShipStation, order_id: int, provider: ShipStationLabelProvider
) -> None:
    fetched = refresh_choices(cache, "Main", provider.client)
    fake.stop()  # offline: the choices still come from the cache
    offline = shipping_choices(cache, "Main")

    assert offline == fetched
    assert [(carrier.code, carrier.name) for carrier in offline] == [
        ("endicia", "Endicia"),
        ("fedex", "FedEx (SS)"),
        ("stamps_com", "Stamps.com"),
        ("ups", "UPS"),
    ]
    fedex = offline[1]
    assert ("fedex_2day", "FedEx 2Day®") in [(service.code, service.name) for service in fedex.services]
    assert "package" in [package.code for package in fedex.packages]
    abroad = shipping_choices(cache, "Main", international=True)[1]
    assert abroad.services and all(service.international for service in abroad.services)
    assert len(fake.requests_to("/carriers")) == 1
