"""The ShipStation client against a fake ShipStation over real HTTP: paging, Pacific dates across DST, the rate limit,
retries, errors in plain words, labels that scan, mark-as-shipped, and a secret that stays in the keyring."""

from __future__ import annotations

import base64
import json
import logging
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import keyring
import keyring.backends.fail
import keyring.errors
import pytest

from shipdesk.domain import Dimensions, LengthUnit, OrderStatus, Weight, WeightUnit
from shipdesk.upstream.credentials import (
    NoKeyringError,
    SecretNotFoundError,
    delete_secret,
    load_secret,
    save_secret,
)
from shipdesk.upstream.rate_limit import RateLimiter
from shipdesk.upstream.shipstation import (
    OrderAlreadyShippedError,
    ShipStationAuthError,
    ShipStationClient,
    ShipStationError,
    wall_time_lower_bound,
)
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.shipstation import FakeShipStation

STORE = "Main warehouse"
FAST_WINDOW = 2.0  # the fake's rate window in these tests: 40 requests every 2 seconds, not every minute


@pytest.fixture
def fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=FAST_WINDOW) as server:
        yield server


@pytest.fixture
def empty_fake() -> Iterator[FakeShipStation]:
    with FakeShipStation(window_seconds=FAST_WINDOW, with_sample_orders=False) as server:
        yield server


def connect(fake: FakeShipStation, secret: str | None = None, **options: Any) -> ShipStationClient:
    options.setdefault("backoff_seconds", 0.01)
    return ShipStationClient(
        fake.api_key, secret or fake.api_secret, base_url=fake.base_url, store_name=STORE, **options
    )


@pytest.fixture
def client(fake: FakeShipStation) -> Iterator[ShipStationClient]:
    with connect(fake) as opened:
        yield opened


# ----------------------------------------------------------------------------- orders


def test_a_full_pull_of_2000_orders_arrives_complete_in_pages_of_500(empty_fake: FakeShipStation) -> None:
    empty_fake.add_generated_orders(2000, first_modified=datetime(2026, 2, 1, 12, 0, tzinfo=UTC))

    with connect(empty_fake) as client:
        pages = list(client.iter_orders_modified_since(None))

    orders = [order for page in pages for order in page.orders]
    assert sorted(int(order.upstream_id) for order in orders) == empty_fake.order_ids()
    assert len(orders) == 2000  # none twice
    assert [order.modify_date for order in orders] == sorted(order.modify_date for order in orders)  # type: ignore[type-var]
    assert all(order.store == STORE for order in orders)
    assert all(page.total == 2000 and not page.problems for page in pages)
    assert [page.raw_count for page in pages[:-1]] == [500] * (len(pages) - 1)
    assert pages[-1].page == pages[-1].pages == len(pages)
    queries = [request.query for request in empty_fake.requests_to("/orders")]
    assert len(queries) == len(pages) <= 5
    assert all(q["pageSize"] == "500" and (q["sortBy"], q["sortDir"]) == ("ModifyDate", "ASC") for q in queries)


@pytest.mark.parametrize("one_second", [False, True], ids=["a second each", "all in one second"])
def test_pages_shorter_than_asked_for_do_not_end_the_pull_before_the_last_page(
    empty_fake: FakeShipStation, one_second: bool
) -> None:
    ids = empty_fake.add_generated_orders(250, first_modified=datetime(2026, 2, 1, 12, 0, tzinfo=UTC))
    if one_second:
        for order_id in ids:
            empty_fake.touch_order(order_id, datetime(2026, 2, 2, tzinfo=UTC))
    empty_fake.most_orders_a_page = 100  # ShipStation answers 100 a page, though asked for 500

    with connect(empty_fake) as client:
        pages = list(client.iter_orders_modified_since(None))

    orders = [order.upstream_id for page in pages for order in page.orders]
    assert sorted(orders) == [str(order_id) for order_id in sorted(ids)]  # every one, none twice
    # 3 pages; orders of one second walked by page number, then walked again once to see none slid back unseen
    assert len(empty_fake.requests_to("/orders")) <= (7 if one_second else 4)


def test_an_empty_page_ends_the_pull_whatever_page_count_it_claims(empty_fake: FakeShipStation) -> None:
    empty_fake.add_generated_orders(3, first_modified=datetime(2026, 2, 1, 12, 0, tzinfo=UTC))
    empty_fake.most_orders_a_page = 1

    with connect(empty_fake) as client:
        pages = list(client.iter_orders_modified_since(datetime(2027, 1, 1, tzinfo=UTC)))  # nothing changed since

    assert [page.orders for page in pages] == [[]]
    assert len(empty_fake.requests_to("/orders")) == 1


def test_an_order_modified_during_a_pull_does_not_push_another_out_of_it(empty_fake: FakeShipStation) -> None:
    ids = empty_fake.add_generated_orders(1000, first_modified=datetime(2026, 2, 1, 12, 0, tzinfo=UTC))
    seen: list[str] = []

    with connect(empty_fake) as client:
        for page in client.iter_orders_modified_since(datetime(2026, 1, 1, tzinfo=UTC)):
            seen.extend(order.upstream_id for order in page.orders)
            if page.page == 1:
                # Someone edits the 10th order in ShipStation: it moves to the end of the list.
                empty_fake.touch_order(ids[9], datetime(2026, 2, 2, tzinfo=UTC))

    assert set(seen) == {str(order_id) for order_id in ids}
    assert seen.count(str(ids[9])) == 2  # once as it was, once as edited


def test_modify_date_start_filters_across_the_spring_dst_change(empty_fake: FakeShipStation) -> None:
    moments = {
        "01:00 PST": datetime(2026, 3, 8, 9, 0, tzinfo=UTC),
        "01:59:59 PST": datetime(2026, 3, 8, 9, 59, 59, tzinfo=UTC),
        "03:00 PDT": datetime(2026, 3, 8, 10, 0, tzinfo=UTC),
        "03:30 PDT": datetime(2026, 3, 8, 10, 30, tzinfo=UTC),
    }
    ids = {name: empty_fake.add_generated_orders(1, first_modified=moment)[0] for name, moment in moments.items()}

    with connect(empty_fake) as client:
        after_change = client.list_orders(datetime(2026, 3, 8, 10, 0, tzinfo=UTC), 1)
        before_change = client.list_orders(datetime(2026, 3, 8, 9, 59, 59, tzinfo=UTC), 1)

    sent = [request.query["modifyDateStart"] for request in empty_fake.requests_to("/orders")]
    assert sent == ["2026-03-08 03:00:00", "2026-03-08 01:59:59"]
    assert empty_fake.order(ids["03:00 PDT"])["modifyDate"] == "2026-03-08T03:00:00.0000000"
    assert {order.upstream_id: order.modify_date for order in after_change.orders} == {
        str(ids["03:00 PDT"]): moments["03:00 PDT"],
        str(ids["03:30 PDT"]): moments["03:30 PDT"],
    }
    assert {order.upstream_id: order.modify_date for order in before_change.orders} == {
        str(ids[name]): moments[name] for name in ("01:59:59 PST", "03:00 PDT", "03:30 PDT")
    }


def test_modify_date_start_in_the_repeated_hour_of_the_autumn_change_skips_nothing(
    empty_fake: FakeShipStation,
) -> None:
    moments = {
        "00:45 PDT": datetime(2026, 11, 1, 7, 45, tzinfo=UTC),
        "01:30 PDT": datetime(2026, 11, 1, 8, 30, tzinfo=UTC),
        "01:40 PDT": datetime(2026, 11, 1, 8, 40, tzinfo=UTC),
        "01:10 PST": datetime(2026, 11, 1, 9, 10, tzinfo=UTC),
        "02:15 PST": datetime(2026, 11, 1, 10, 15, tzinfo=UTC),
    }
    ids = {name: empty_fake.add_generated_orders(1, first_modified=moment)[0] for name, moment in moments.items()}

    with connect(empty_fake) as client:
        # 01:30 PDT: ShipStation could read "01:30" as PST, an hour later, so an earlier time is sent.
        first_pass = client.list_orders(datetime(2026, 11, 1, 8, 30, tzinfo=UTC), 1)
        # 02:15 PST is unambiguous and sent as it is.
        after = client.list_orders(datetime(2026, 11, 1, 10, 15, tzinfo=UTC), 1)

    sent = [request.query["modifyDateStart"] for request in empty_fake.requests_to("/orders")]
    assert sent == ["2026-11-01 00:30:00", "2026-11-01 02:15:00"]
    returned = {int(order.upstream_id) for order in first_pass.orders}
    assert {ids[name] for name in ("01:30 PDT", "01:40 PDT", "01:10 PST", "02:15 PST")} <= returned
    by_id = {int(order.upstream_id): order.modify_date for order in first_pass.orders}
    assert by_id[ids["02:15 PST"]] == moments["02:15 PST"]
    assert by_id[ids["01:40 PDT"]] == moments["01:40 PDT"]
    assert by_id[ids["00:45 PDT"]] == moments["00:45 PDT"]
    assert [int(order.upstream_id) for order in after.orders] == [ids["02:15 PST"]]


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 1, 15, 20, 0, 0, 999999, tzinfo=UTC), "2026-01-15 12:00:00"),  # PST, fraction cut
        (datetime(2026, 7, 4, 19, 0, tzinfo=UTC), "2026-07-04 12:00:00"),  # PDT
        (datetime(2026, 3, 8, 9, 59, 59, tzinfo=UTC), "2026-03-08 01:59:59"),
        (datetime(2026, 3, 8, 10, 0, tzinfo=UTC), "2026-03-08 03:00:00"),
        (datetime(2026, 11, 1, 8, 0, tzinfo=UTC), "2026-11-01 00:00:00"),  # 01:00 PDT, the first 01:00
        (datetime(2026, 11, 1, 9, 0, tzinfo=UTC), "2026-11-01 01:00:00"),  # 01:00 PST, the second
        (datetime(2026, 11, 1, 10, 0, tzinfo=UTC), "2026-11-01 02:00:00"),
    ],
)
def test_query_dates_are_written_in_pacific_time(moment: datetime, text: str) -> None:
    assert wall_time_lower_bound(moment) == text


@pytest.mark.parametrize(
    ("moment", "zone", "text"),
    [
        (datetime(2026, 3, 8, 9, 30, tzinfo=UTC), "America/Phoenix", "2026-03-08 02:30:00"),  # Los Angeles skips it
        (datetime(2026, 11, 1, 6, 0, tzinfo=UTC), "America/Chicago", "2026-11-01 00:00:00"),  # the first 01:00 CDT
        (datetime(2026, 11, 1, 7, 0, tzinfo=UTC), "America/Chicago", "2026-11-01 01:00:00"),  # 01:00 CST
    ],
)
def test_query_dates_of_an_account_in_another_zone_are_written_in_that_zone(
    moment: datetime, zone: str, text: str
) -> None:
    assert wall_time_lower_bound(moment, ZoneInfo(zone)) == text


def test_a_naive_datetime_is_refused_for_a_query() -> None:
    with pytest.raises(ValueError, match="time zone"):
        wall_time_lower_bound(datetime(2026, 1, 1))


def test_the_documentations_example_orders_come_through_the_api(client: ShipStationClient) -> None:
    page = client.list_orders(None, 1)

    assert (page.total, page.pages, page.raw_count, page.problems) == (2, 1, 2, [])
    international, domestic = sorted(page.orders, key=lambda order: order.order_date)
    assert international.ship_to.country == "GB"
    assert domestic.discount_total == Decimal("20.55")
    assert domestic.items[0].options[0].value == "Large"


def test_orders_filter_by_status_and_store(fake: FakeShipStation, client: ShipStationClient) -> None:
    fake.add_generated_orders(3, first_modified=datetime(2026, 2, 1, tzinfo=UTC), status="on_hold", store_id=22766)

    page = client.list_orders(None, 1, order_status="on_hold", store_id=22766)

    assert len(page.orders) == 3
    assert {order.status for order in page.orders} == {OrderStatus.ON_HOLD}
    assert fake.requests_to("/orders")[-1].query["storeId"] == "22766"


def test_a_malformed_order_is_a_problem_and_the_rest_of_its_page_arrives(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    broken = fake.order(123456789)
    broken.update(orderId=1234, orderNumber=None)
    fake.add_order(broken)

    page = client.list_orders(None, 1)

    assert page.problems == ["order 1234: missing orderNumber"]
    assert sorted(order.upstream_id for order in page.orders) == ["123456789", "987654321"]
    assert page.raw_count == 3


def test_a_page_that_is_not_json_fails_with_a_clear_error(fake: FakeShipStation, client: ShipStationClient) -> None:
    fake.garbage_next()

    with pytest.raises(ShipStationError) as raised:
        client.list_orders(None, 1)

    assert str(raised.value).startswith(f"ShipStation's answer to list orders (page 1) for store {STORE} was not JSON")
    assert "Down for maintenance" in str(raised.value)
    assert len(fake.requests_to("/orders")) == 1


def test_a_page_size_beyond_500_is_refused_before_asking(client: ShipStationClient) -> None:
    with pytest.raises(ValueError, match="1 to 500"):
        client.list_orders(None, 1, page_size=501)


def test_one_order_reads_by_its_id(client: ShipStationClient) -> None:
    assert client.get_order(987654321).order_number == "Test-International-API-DOCS"


# ----------------------------------------------------------------------------- the rate limit


def test_a_429_makes_the_client_wait_the_reset_seconds_and_try_again(fake: FakeShipStation) -> None:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    fake.too_many_next(1, reset_seconds=1)
    with connect(fake, rate_limiter=RateLimiter(sleep=sleep)) as client:
        stores = client.list_stores()

    assert [store.name for store in stores] == ["ShipStation Manual Store", "Ashley's Test WooCommerce"]
    assert fake.too_many_served == 1
    assert [request.status for request in fake.requests_to("/stores")] == [429, 200]
    assert waits and max(waits) >= 1


def test_a_burst_of_60_requests_through_one_limiter_provokes_no_429(fake: FakeShipStation) -> None:
    limiter = RateLimiter()  # the documented 40 a minute; the fake's 2-second window is learnt from its headers
    errors: list[BaseException] = []

    def burst(client: ShipStationClient) -> None:
        try:
            for _ in range(15):
                client.list_carriers()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    clients = [connect(fake, rate_limiter=limiter) for _ in range(2)]
    threads = [threading.Thread(target=burst, args=(clients[number % 2],)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()

    assert errors == []
    assert fake.too_many_served == 0
    assert [request.status for request in fake.requests] == [200] * 60


def test_clients_of_one_key_and_secret_share_one_limiter(fake: FakeShipStation) -> None:
    with connect(fake) as first, connect(fake) as second, connect(fake, secret="another-secret") as other:
        assert first.rate_limiter is second.rate_limiter
        assert other.rate_limiter is not first.rate_limiter


# ----------------------------------------------------------------------------- retries and errors


def test_server_errors_are_retried_until_shipstation_answers(fake: FakeShipStation, client: ShipStationClient) -> None:
    fake.fail_next(2)

    carriers = client.list_carriers()

    assert len(carriers) == 5
    assert [request.status for request in fake.requests_to("/carriers")] == [500, 500, 200]


def test_server_errors_give_up_after_five_tries_with_a_clear_error(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    fake.fail_next(10)

    with pytest.raises(ShipStationError) as raised:
        client.list_carriers()

    assert str(raised.value) == (
        f"Could not list carriers for store {STORE}: ShipStation had a server error "
        "(500: An unexpected error occurred (fault injected by the test).) (tried 5 times)."
    )
    assert raised.value.temporary
    assert len(fake.requests_to("/carriers")) == 5


def test_a_dropped_connection_is_retried(fake: FakeShipStation, client: ShipStationClient) -> None:
    fake.drop_next(2)

    assert len(client.list_stores()) == 2
    assert [request.status for request in fake.requests_to("/stores")] == [None, None, 200]


def test_connections_dropped_every_time_give_up_with_a_clear_error(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    fake.drop_next(10)

    with pytest.raises(ShipStationError, match="ShipStation closed the connection without answering") as raised:
        client.list_stores()

    assert str(raised.value) == (
        f"Could not list stores for store {STORE}: ShipStation closed the connection without answering (tried 5 times)."
    )
    assert raised.value.temporary and not raised.value.outcome_unknown
    assert len(fake.requests_to("/stores")) == 5


def test_every_third_call_failing_still_completes_a_pull(empty_fake: FakeShipStation) -> None:
    empty_fake.add_generated_orders(1200, first_modified=datetime(2026, 2, 1, tzinfo=UTC))
    empty_fake.fail_every(3)

    with connect(empty_fake) as client:
        orders = [order for page in client.iter_orders_modified_since(None) for order in page.orders]

    assert len(orders) == 1200
    assert 500 in [request.status for request in empty_fake.requests]


def test_a_slow_answer_times_out_and_is_asked_again(fake: FakeShipStation) -> None:
    fake.slow_next(1, seconds=1.5)

    with connect(fake, timeout=0.5) as client:
        assert len(client.list_packages("stamps_com")) == 17

    assert len(fake.requests_to("/carriers/listpackages")) == 2


def test_a_401_is_not_retried_and_names_the_store_but_not_the_secret(
    fake: FakeShipStation, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong_secret = "wrong-secret-9f8e7d6c5b4a"

    with connect(fake, secret=wrong_secret) as client, pytest.raises(ShipStationAuthError) as raised:
        client.list_orders(None, 1)

    error = raised.value
    assert str(error) == (
        f"ShipStation refused the API key and secret for store {STORE}. Check them in ShipStation under Settings → API."
    )
    assert error.status_code == 401 and not error.temporary
    assert len(fake.requests) == 1
    basic = base64.b64encode(f"{fake.api_key}:{wrong_secret}".encode()).decode()
    for text in (str(error), repr(error), repr(error.args), repr(error.__cause__), caplog.text):
        assert wrong_secret not in text and basic not in text


def test_the_secret_is_in_no_repr_str_or_log(fake: FakeShipStation, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)

    with connect(fake) as client:
        client.list_stores()
        shown = [repr(client), str(client), repr(vars(client)), repr(client.rate_limiter)]

    basic = base64.b64encode(f"{fake.api_key}:{fake.api_secret}".encode()).decode()
    assert STORE in shown[0]
    for text in [*shown, caplog.text]:
        assert fake.api_secret not in text and basic not in text


def test_a_server_that_refuses_the_connection_is_said_so_in_plain_words_without_the_errno() -> None:
    with socket.socket() as closed:  # a port nothing listens on: bound, then closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = ShipStationClient("key", "secret", base_url=f"http://127.0.0.1:{port}", store_name=STORE, max_attempts=1)

    with client, pytest.raises(ShipStationError) as raised:
        client.list_stores()

    assert str(raised.value) == (
        f"Could not list stores for store {STORE}: shipdesk could not connect to ShipStation "
        "(the connection was refused)."
    )


def test_a_plain_http_address_is_refused_for_a_real_host() -> None:
    with pytest.raises(ValueError, match="https://"):
        ShipStationClient("key", "secret", base_url="http://ssapi.shipstation.com", store_name=STORE)


# ----------------------------------------------------------------------------- stores and carriers


def test_stores_carriers_services_and_packages_read_into_small_records(client: ShipStationClient) -> None:
    stores = client.list_stores()
    carriers = client.list_carriers()
    services = client.list_services("fedex")
    packages = client.list_packages("stamps_com")

    assert [(store.store_id, store.marketplace_id, store.marketplace_name) for store in stores] == [
        (22766, 0, "ShipStation"),
        (25748, 36, "WooCommerce"),
    ]
    fedex = next(carrier for carrier in carriers if carrier.code == "fedex")
    assert (fedex.account_number, fedex.nickname, fedex.shipping_provider_id) == ("297929999", "SS", 12348)
    assert [carrier.nickname for carrier in carriers if carrier.code == "stamps_com"] == ["", "Stamps.com 2"]
    assert carriers[1].balance == Decimal("2400.27")
    assert services[2].code == "fedex_2day" and services[2].name == "FedEx 2Day®"
    assert {service.international for service in services} == {True, False}
    assert (
        next(package for package in packages if package.code == "large_package").name
        == 'Large Package (any side > 12")'
    )


# ----------------------------------------------------------------------------- labels and shipped status


def test_a_bought_label_is_a_4x6_pdf_whose_barcode_scans_as_the_tracking_number(
    fake: FakeShipStation, client: ShipStationClient, tmp_path: Path
) -> None:
    label = client.create_label_for_order(
        123456789,
        "fedex",
        "fedex_2day",
        "package",
        "delivery",
        date(2026, 3, 9),
        Weight(Decimal(2), WeightUnit.POUND),
        Dimensions(Decimal(7), Decimal(5), Decimal("6.5"), LengthUnit.INCH),
        order_number="1001",
        test_label=True,
    )

    assert label.tracking_number and label.shipment_id > 0
    assert (label.shipment_cost, label.insurance_cost) == (Decimal("7.30"), Decimal(0))
    pdf = tmp_path / "label.pdf"
    pdf.write_bytes(label.label_pdf)
    subprocess.run(["pdftoppm", "-r", "203", "-png", str(pdf), str(tmp_path / "page")], check=True)
    (page,) = tmp_path.glob("page*.png")
    scanned = subprocess.run(["zbarimg", "--raw", "-q", str(page)], capture_output=True, text=True, check=False)
    assert scanned.stdout.split() == [label.tracking_number]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "288 x 432 pts" in info


def test_the_label_request_carries_real_json_booleans_dates_and_units(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    client.create_label_for_order(
        987654321,
        "fedex",
        "fedex_2day",
        "package",
        None,
        date(2026, 3, 9),
        Weight(Decimal("1.5"), WeightUnit.KILOGRAM),
        Dimensions(Decimal(30), Decimal(20), Decimal(10), LengthUnit.CENTIMETRE),
        insured_value=Decimal("225.00"),
        order_number="1002",
        test_label=False,
    )

    (request,) = fake.requests_to("/orders/createlabelfororder")
    assert b'"testLabel": false' in request.raw_body
    assert request.body == {
        "orderId": 987654321,
        "carrierCode": "fedex",
        "serviceCode": "fedex_2day",
        "packageCode": "package",
        "confirmation": None,
        "shipDate": "2026-03-09",
        "weight": {"value": 1500, "units": "grams"},
        "dimensions": {"length": 30, "width": 20, "height": 10, "units": "centimeters"},
        "insuranceOptions": {"provider": "carrier", "insureShipment": True, "insuredValue": 225},
        "internationalOptions": None,
        "advancedOptions": None,
        "testLabel": False,
    }
    assert fake.order(987654321)["orderStatus"] == "shipped"


def buy_test_label(client: ShipStationClient, *, order_id: int = 123456789, service: str = "fedex_2day") -> None:
    """A test label for order 1001 with no weight, size or extras: what the refusal tests send."""
    client.create_label_for_order(
        order_id, "fedex", service, "package", None, date(2026, 3, 9), None, None, order_number="1001", test_label=True
    )


def test_a_refused_label_request_says_why_in_shipstations_words(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    with pytest.raises(ShipStationError) as raised:
        buy_test_label(client, service="fedex_teleport")

    assert str(raised.value) == (
        f"ShipStation refused to buy a label for order 1001 (ShipStation order id 123456789) for store {STORE}: "
        "The request is invalid. serviceCode: Invalid serviceCode 'fedex_teleport'."
    )
    assert raised.value.status_code == 400
    assert len(fake.requests_to("/orders/createlabelfororder")) == 1


def test_a_label_purchase_is_not_repeated_once_it_may_have_reached_shipstation(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    fake.drop_next(1)

    with pytest.raises(ShipStationError) as raised:
        buy_test_label(client)

    assert raised.value.outcome_unknown
    assert "check the order in ShipStation before trying again" in str(raised.value)
    assert len(fake.requests_to("/orders/createlabelfororder")) == 1


def test_a_label_for_an_unknown_order_reports_shipstations_error(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    with pytest.raises(ShipStationError, match="Object reference not set to an instance of an object"):
        buy_test_label(client, order_id=42)

    assert len(fake.requests_to("/orders/createlabelfororder")) == 1


def buy_label(client: ShipStationClient, order_id: int = 123456789) -> int:
    """A real label for order 1001, which ships it in ShipStation; its shipment id."""
    label = client.create_label_for_order(
        order_id,
        "fedex",
        "fedex_2day",
        "package",
        None,
        date(2026, 3, 9),
        None,
        None,
        order_number="1001",
        test_label=False,
    )
    return label.shipment_id


def test_a_voided_label_puts_its_order_back_awaiting_shipment_with_a_new_modify_date(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    shipment_id = buy_label(client)
    last_sync = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    fake.touch_order(123456789, last_sync - timedelta(hours=1))
    assert fake.order(123456789)["orderStatus"] == "shipped"

    client.void_label(shipment_id, order_number="1001")

    (request,) = fake.requests_to("/shipments/voidlabel")
    assert request.body == {"shipmentId": shipment_id}
    assert fake.voided_shipment_ids == [shipment_id]
    voided = fake.order(123456789)
    assert voided["orderStatus"] == "awaiting_shipment"
    assert voided["shipDate"] == "2015-07-02"  # the planned ship date from before the purchase
    pulled_again = client.list_orders(last_sync, 1).orders
    assert [(order.upstream_id, order.status) for order in pulled_again] == [
        ("123456789", OrderStatus.AWAITING_SHIPMENT)
    ]


def test_a_void_shipstation_refuses_says_why_in_its_words_and_names_the_order(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    shipment_id = buy_label(client)
    fake.refuse_voids_with = "Label already used."

    with pytest.raises(ShipStationError) as raised:
        client.void_label(shipment_id, order_number="1001")

    assert (
        str(raised.value) == f"ShipStation did not void the label of order 1001 of store {STORE}: Label already used."
    )
    assert not raised.value.outcome_unknown and not raised.value.temporary
    assert fake.order(123456789)["orderStatus"] == "shipped"


def test_a_label_voided_twice_is_refused_the_second_time(fake: FakeShipStation, client: ShipStationClient) -> None:
    shipment_id = buy_label(client)
    client.void_label(shipment_id, order_number="1001")

    with pytest.raises(
        ShipStationError, match=f"did not void the label of order 1001 of store {STORE}: Label already voided"
    ):
        client.void_label(shipment_id, order_number="1001")

    assert len(fake.requests_to("/shipments/voidlabel")) == 2
    assert fake.voided_shipment_ids == [shipment_id]


def test_whether_a_label_is_voided_is_read_from_its_orders_shipments(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    shipment_id = buy_label(client)
    assert client.label_voided(shipment_id, order_id=123456789) is False

    client.void_label(shipment_id, order_number="1001")

    assert client.label_voided(shipment_id, order_id=123456789) is True
    assert client.label_voided(99, order_id=123456789) is None  # not among the order's shipments: cannot tell
    assert [request.query["orderId"] for request in fake.requests_to("/shipments")] == ["123456789"] * 3


def test_a_label_shipstation_never_sold_is_not_voided(fake: FakeShipStation, client: ShipStationClient) -> None:
    with pytest.raises(
        ShipStationError, match=f"did not void the label of order 1001 of store {STORE}: Unable to void label"
    ):
        client.void_label(99, order_number="1001")

    assert fake.voided_shipment_ids == []


def test_a_void_is_not_repeated_once_it_may_have_reached_shipstation(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    shipment_id = buy_label(client)
    fake.lose_answer_next(1)

    with pytest.raises(ShipStationError) as raised:
        client.void_label(shipment_id, order_number="1001")

    assert raised.value.outcome_unknown
    assert str(raised.value).startswith(
        f"Could not void the label of order 1001 (ShipStation shipment {shipment_id}) for store {STORE}: "
        "ShipStation closed the connection without answering."
    )
    assert "check the order in ShipStation before trying again" in str(raised.value)
    assert len(fake.requests_to("/shipments/voidlabel")) == 1
    assert fake.voided_shipment_ids == [shipment_id]  # ShipStation did void it: only the answer was lost


def test_mark_as_shipped_sends_the_tracking_number_and_real_booleans(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    client.mark_as_shipped(
        123456789, "usps", date(2026, 3, 9), "9400111899223197428490", False, True, order_number="1001"
    )

    assert fake.shipped_calls == [
        {
            "orderId": 123456789,
            "carrierCode": "usps",
            "shipDate": "2026-03-09",
            "trackingNumber": "9400111899223197428490",
            "notifyCustomer": False,
            "notifySalesChannel": True,
        }
    ]
    assert fake.order(123456789)["orderStatus"] == "shipped"


def test_marking_an_order_shipped_twice_says_it_already_is(fake: FakeShipStation, client: ShipStationClient) -> None:
    client.mark_as_shipped(
        123456789, "usps", date(2026, 3, 9), "9400111899223197428490", False, True, order_number="1001"
    )

    with pytest.raises(OrderAlreadyShippedError) as raised:
        client.mark_as_shipped(
            123456789, "usps", date(2026, 3, 9), "9400111899223197428490", False, True, order_number="1001"
        )

    assert (
        str(raised.value)
        == f"ShipStation already has order 1001 (ShipStation order id 123456789) of store {STORE} as shipped."
    )
    assert len(fake.shipped_calls) == 2


def test_mark_as_shipped_repeated_after_a_dropped_answer_ends_as_already_shipped(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    # ShipStation marked the order shipped but its answer was lost; the retry then hears "already shipped".
    fake.lose_answer_next(1)

    with pytest.raises(OrderAlreadyShippedError):
        client.mark_as_shipped(
            123456789, "usps", date(2026, 3, 9), "9400111899223197428490", False, True, order_number="1001"
        )

    assert len(fake.shipped_calls) == 2


def test_marking_an_unknown_order_shipped_names_the_order(fake: FakeShipStation, client: ShipStationClient) -> None:
    with pytest.raises(ShipStationError) as raised:
        client.mark_as_shipped(42, "usps", date(2026, 3, 9), "1Z999", False, False, order_number="1042")

    assert not isinstance(raised.value, OrderAlreadyShippedError)
    assert str(raised.value).startswith(
        f"ShipStation found nothing to mark order 1042 (ShipStation order id 42) as shipped for store {STORE}"
    )


# ----------------------------------------------------------------------------- the secret in the keyring


def test_the_secret_is_kept_in_the_keyring_and_a_client_made_from_it_works(
    fake: FakeShipStation, memory_keyring: MemoryKeyring
) -> None:
    save_secret(STORE, fake.api_secret)

    assert memory_keyring.secrets == {("shipdesk", f"shipstation:{STORE}"): fake.api_secret}
    with connect(fake, secret=load_secret(STORE)) as client:
        assert len(client.list_stores()) == 2
        assert fake.api_secret not in repr(client)


def test_a_store_kind_keeps_secrets_of_different_upstreams_apart(memory_keyring: MemoryKeyring) -> None:
    save_secret("Shop", "ss-secret")
    save_secret("Shop", "xml-password", store_kind="customstore")

    assert load_secret("Shop") == "ss-secret"
    assert load_secret("Shop", store_kind="customstore") == "xml-password"


def test_a_deleted_secret_is_gone_and_asked_for_again(memory_keyring: MemoryKeyring) -> None:
    save_secret(STORE, "secret-to-forget")
    delete_secret(STORE)
    delete_secret(STORE)  # nothing left: still fine

    with pytest.raises(SecretNotFoundError, match=f"No API secret is saved for store {STORE}"):
        load_secret(STORE)


def test_without_a_system_keyring_the_secret_is_refused_not_filed(tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        with pytest.raises(NoKeyringError) as raised:
            save_secret(STORE, "nowhere-to-go")
        with pytest.raises(NoKeyringError):
            load_secret(STORE)
    finally:
        keyring.set_keyring(previous)

    assert (
        str(raised.value) == "No system keyring is available to keep the API secret; install gnome-keyring or KWallet"
    )
    assert "nowhere-to-go" not in json.dumps([str(raised.value), repr(raised.value)])


def test_an_orders_labels_are_read_with_what_they_cost_and_when_they_were_sold(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    before = datetime.now(UTC)
    first = buy_label(client)
    client.void_label(first, order_number="1001")
    second = buy_label(client)

    labels = client.order_labels(123456789)

    assert [(label.shipment_id, label.voided) for label in labels] == [(first, True), (second, False)]
    sold = labels[1]
    assert (sold.carrier_code, sold.service_code, sold.package_code) == ("fedex", "fedex_2day", "package")
    assert sold.tracking_number == fake.labels[1]["trackingNumber"]
    assert (sold.shipment_cost, sold.insurance_cost, sold.return_label) == (Decimal("7.30"), Decimal(0), False)
    assert sold.created_at is not None
    # sent as a Pacific wall time without a zone, read back as the UTC moment it was
    assert before - timedelta(seconds=1) <= sold.created_at <= datetime.now(UTC)


def test_an_answer_about_an_orders_labels_that_is_no_list_of_shipments_is_an_error(
    fake: FakeShipStation, client: ShipStationClient
) -> None:
    fake.garbage_next()

    with pytest.raises(ShipStationError):
        client.order_labels(123456789)
