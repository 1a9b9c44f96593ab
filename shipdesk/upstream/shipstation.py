"""The ShipStation API v1 client: orders, stores, carriers, label purchase and void, mark-as-shipped over HTTPS.

Requests are paced by the shared rate limiter of the key and secret; retries and errors are in the user's words.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from shipdesk.domain import Dimensions, LengthUnit, Order, Weight, WeightUnit
from shipdesk.upstream.connect_failures import unreachable_reason
from shipdesk.upstream.connector import RetryNotice, RetryWait, StopRequested, pause
from shipdesk.upstream.rate_limit import RateLimiter, shared_limiter
from shipdesk.upstream.shipstation_order_page import read_usual_page
from shipdesk.upstream.shipstation_orders import (
    PACIFIC,
    OrderDataError,
    parse_order,
    parse_orders,
    parse_wall_datetime,
)

DEFAULT_BASE_URL = "https://ssapi.shipstation.com"
MAX_PAGE_SIZE = 500
MAX_BACKOFF_SECONDS = 30.0
_LOOPBACK_HOSTS = frozenset(("127.0.0.1", "localhost", "::1"))

_log = logging.getLogger(__name__)

_WEIGHT_UNITS = {WeightUnit.OUNCE: "ounces", WeightUnit.POUND: "pounds", WeightUnit.GRAM: "grams"}
_LENGTH_UNITS = {LengthUnit.INCH: "inches", LengthUnit.CENTIMETRE: "centimeters"}


# Walks of a second's orders by page number after the first, while a walk still finds orders it had not given: a store
# whose orders keep changing within that second gets no more than this.
_MAX_WALKS_AGAIN = 3


class ShipStationError(Exception):
    """ShipStation could not do what was asked; the message says why in words a person can act on.

    `temporary` is True when trying again later may work (no connection, server errors, rate limit);
    `outcome_unknown` is True when a request that is never repeated may have been carried out (a label bought), and
    `may_have_arrived` when any request may have been (sent, and its answer lost or a server error).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        temporary: bool = False,
        outcome_unknown: bool = False,
        may_have_arrived: bool = False,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.temporary = temporary
        self.outcome_unknown = outcome_unknown
        self.may_have_arrived = may_have_arrived or outcome_unknown


class ShipStationAuthError(ShipStationError):
    """ShipStation refused the API key and secret (401) or their rights (403)."""


class OrderAlreadyShippedError(ShipStationError):
    """Mark-as-shipped was refused because ShipStation already has the order as shipped."""


@dataclass(frozen=True, slots=True)
class OrdersPage:
    """One page of GET /orders, read into domain orders; `problems` names each order that could not be read.

    From iter_orders_modified_since, `page` counts the pages fetched so far, `pages` is that count plus the pages
    still ahead, `total` is ShipStation's count when the pull began, and `repeats` counts orders of the page that
    an earlier page of the same pull already gave (they are left out of `orders` and `problems`).
    """

    orders: list[Order]
    page: int
    pages: int
    total: int
    raw_count: int  # order objects in ShipStation's answer
    problems: list[str] = field(default_factory=list)
    repeats: int = 0
    # upstream id of an order of the page -> the upstream ids of the orders ShipStation combined into it
    merged: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ShipStationStore:
    store_id: int
    name: str
    marketplace_id: int | None
    marketplace_name: str
    active: bool


@dataclass(frozen=True, slots=True)
class Carrier:
    """One carrier account connected to ShipStation; one carrier code can have several accounts."""

    code: str
    name: str
    account_number: str
    nickname: str
    shipping_provider_id: int | None
    primary: bool
    requires_funded_account: bool
    balance: Decimal


@dataclass(frozen=True, slots=True)
class CarrierService:
    carrier_code: str
    code: str
    name: str
    domestic: bool
    international: bool


@dataclass(frozen=True, slots=True)
class CarrierPackage:
    carrier_code: str
    code: str
    name: str
    domestic: bool
    international: bool


@dataclass(frozen=True, slots=True)
class PurchasedLabel:
    tracking_number: str
    shipment_id: int | None  # None: ShipStation did not say, so the label can only be voided in ShipStation
    shipment_cost: Decimal
    insurance_cost: Decimal
    label_pdf: bytes  # empty when ShipStation sent none that reads as a PDF: the label is sold all the same


@dataclass(frozen=True, slots=True)
class OrderLabel:
    """A label ShipStation holds for an order, as its shipments list gives it."""

    shipment_id: int | None
    tracking_number: str
    carrier_code: str
    service_code: str
    package_code: str
    shipment_cost: Decimal
    insurance_cost: Decimal
    created_at: datetime | None  # None: ShipStation did not say when
    voided: bool | None  # None: ShipStation did not say
    return_label: bool


def wall_time_lower_bound(moment: datetime, zone: ZoneInfo = PACIFIC) -> str:
    """A moment written the way ShipStation reads a "from" date: "yyyy-mm-dd hh:mm:ss", a wall time of `zone`.

    Seconds are cut, never rounded up. When DST ends, 01:00–01:59 happens twice and ShipStation cannot tell which
    is meant; a moment in the first of the two is written an hour earlier, so neither reading skips anything.
    """
    return _asked_wall_time(moment, zone).strftime("%Y-%m-%d %H:%M:%S")


def _asked_wall_time(moment: datetime, zone: ZoneInfo) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a ShipStation date needs a moment with a time zone (UTC), not a naive datetime")
    local = moment.astimezone(zone)
    if local.fold == 0 and local.replace(fold=1).utcoffset() != local.utcoffset():
        local = (moment - timedelta(hours=1)).astimezone(zone)
    return local.replace(microsecond=0)


def _earliest_answered(moment: datetime, zone: ZoneInfo = PACIFIC) -> datetime:
    """The earliest modify date (UTC) ShipStation may answer orders modified since `moment` with: the wall time it is
    asked for, read in the earlier of its two meanings when DST makes it happen twice."""
    wall = _asked_wall_time(moment, zone)
    return min(wall.replace(fold=0).astimezone(UTC), wall.replace(fold=1).astimezone(UTC))


class ShipStationClient:
    """The HTTP Basic client of one ShipStation account as one shipdesk store. Close it, or use it as a context."""

    def __init__(
        self,
        api_key: str,
        api_secret: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        store_name: str,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30,
        rate_limiter: RateLimiter | None = None,
        max_attempts: int = 5,
        backoff_seconds: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        currency: str = "USD",
        time_zone: ZoneInfo = PACIFIC,
        stop: threading.Event | None = None,
        on_retry: RetryNotice | None = None,
    ) -> None:
        """`stop`, once set by another thread, ends any wait (rate limit, retry) with StopRequested; a request
        already sent runs to its answer or its timeout. `on_retry` hears of each wait before a request is tried again.
        """
        if not api_key.strip() or not api_secret.strip():
            raise ValueError(f"The ShipStation API key and secret of store {store_name} must not be empty.")
        url = httpx.URL(base_url)
        if url.scheme != "https" and not (url.scheme == "http" and url.host in _LOOPBACK_HOSTS):
            raise ValueError(f"ShipStation's address must start with https:// (got {base_url}).")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.store_name = store_name
        self.currency = currency  # ShipStation v1 orders carry no currency; the store's own is given here
        self.time_zone = time_zone  # the account's: its times are written, and read, as wall times of this zone
        self.base_url = str(url).rstrip("/")
        self._timeout = timeout
        self._max_attempts = max_attempts
        self._backoff = backoff_seconds
        self._sleep = sleep
        self._stop = stop
        self._on_retry = on_retry
        self._limiter = rate_limiter if rate_limiter is not None else shared_limiter(api_key, api_secret)
        self._http = httpx.Client(
            base_url=self.base_url,
            auth=httpx.BasicAuth(api_key, api_secret),
            transport=transport,
            timeout=timeout,
            verify=True,
            headers={"Accept": "application/json", "User-Agent": "shipdesk"},
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"ShipStationClient(store={self.store_name!r}, base_url={self.base_url!r})"

    __str__ = __repr__

    @property
    def rate_limiter(self) -> RateLimiter:
        return self._limiter

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ShipStationClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------------- orders

    def list_orders(
        self,
        modify_date_start: datetime | None,
        page: int,
        page_size: int = MAX_PAGE_SIZE,
        order_status: str | None = None,
        store_id: int | None = None,
    ) -> OrdersPage:
        """One page of orders modified since `modify_date_start` (UTC), oldest change first.

        Raises ShipStationError when the page cannot be fetched or is not a page of orders at all.
        """
        if page < 1:
            raise ValueError("pages are numbered from 1")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"ShipStation sends 1 to {MAX_PAGE_SIZE} orders a page, not {page_size}")
        params: dict[str, str | int] = {"page": page, "pageSize": page_size, "sortBy": "ModifyDate", "sortDir": "ASC"}
        if modify_date_start is not None:
            params["modifyDateStart"] = wall_time_lower_bound(modify_date_start, self.time_zone)
        if order_status:
            params["orderStatus"] = order_status
        if store_id is not None:
            params["storeId"] = store_id
        action = f"list orders (page {page})"
        response = self._call("GET", "/orders", action, params=params, decoded=False)
        usual = read_usual_page(response.content, self.store_name, currency=self.currency, zone=self.time_zone)
        if usual is not None:
            parsed, meta = usual.parsed, (usual.page, usual.pages, usual.total)
            raw_count = len(parsed.orders)
        else:
            payload = self._decode(response, action)
            raw_orders = payload.get("orders") if isinstance(payload, dict) else None
            if not isinstance(raw_orders, list):
                raise self._error(f"ShipStation's answer to {action} was not a page of orders")
            parsed = parse_orders(raw_orders, self.store_name, currency=self.currency, zone=self.time_zone)
            meta, raw_count = (payload.get("page"), payload.get("pages"), payload.get("total")), len(raw_orders)
        return OrdersPage(
            orders=parsed.orders,
            page=_int(meta[0], page),
            pages=_int(meta[1], page),
            total=_int(meta[2], raw_count),
            raw_count=raw_count,
            problems=parsed.problems,
            merged=parsed.merged,
        )

    def iter_orders_modified_since(
        self,
        since: datetime | None,
        *,
        order_status: str | None = None,
        store_id: int | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[OrdersPage]:
        """Every order modified since `since` (None: all), a page at a time, oldest change first.

        After a full page the next request starts again from the last modify date seen rather than asking for page
        2: an order modified during the pull moves to the end of the list, and plain page numbers would then skip
        the order that slid back across the page boundary. Only when more than a page of orders changed within one
        second must page numbers be used; such a second is then walked again until a walk finds nothing new.
        """
        start = since
        page = 1
        fetched = 0
        total: int | None = None
        seen: dict[str, datetime | None] = {}  # orders given that ShipStation may answer the current start with again
        reported: set[str] = set()
        walk_found_new = False  # some order of this walk from page 1 at `start` had not been given before
        walks_again = 0
        while True:
            result = self.list_orders(start, page, page_size, order_status, store_id)
            fetched += 1
            total = result.total if total is None else total
            fresh = [
                order
                for order in result.orders
                if order.upstream_id not in seen or seen[order.upstream_id] != order.modify_date
            ]
            new_problems = [problem for problem in result.problems if problem not in reported]
            reported.update(new_problems)
            seen.update((order.upstream_id, order.modify_date) for order in fresh)
            walk_found_new = walk_found_new or bool(fresh)
            # Its page count says whether more follow: a page shorter than asked for may still not be the last (an
            # account answering fewer orders a page than the documented 500), while an empty one always is.
            last_page = result.page >= result.pages or result.raw_count == 0
            yield OrdersPage(
                orders=fresh,
                page=fetched,
                pages=fetched + (0 if last_page else max(result.pages - result.page, 1)),
                total=total,
                raw_count=result.raw_count,
                problems=new_problems,
                repeats=len(result.orders) - len(fresh) + len(result.problems) - len(new_problems),
                merged=result.merged,
            )
            latest = max((order.modify_date for order in result.orders if order.modify_date), default=None)
            next_start = latest.replace(microsecond=0) if latest is not None else None
            moves_on = next_start is not None and (start is None or next_start > start)
            if page > 1 and (last_page or moves_on) and walk_found_new and walks_again < _MAX_WALKS_AGAIN:
                # Walked by page number: an order changed meanwhile went to the end, and the one behind it may have
                # slid back across a page boundary unseen. The same pages again; what was given is left out.
                page, walk_found_new = 1, False
                walks_again += 1
                continue
            if last_page:
                return
            if moves_on and next_start is not None:
                start, page, walk_found_new, walks_again = next_start, 1, False, 0
                answered_from = _earliest_answered(start, self.time_zone)
                seen = {key: moment for key, moment in seen.items() if moment is None or moment >= answered_from}
            else:
                page += 1  # a whole page changed within one second: only page numbers can move on

    def get_order(self, order_id: int) -> Order:
        """One order by ShipStation's orderId."""
        payload = self._call("GET", f"/orders/{order_id}", f"read order {order_id}")
        try:
            return parse_order(payload, self.store_name, currency=self.currency, zone=self.time_zone)
        except OrderDataError as error:
            raise self._error(f"ShipStation sent order {order_id} in a form shipdesk cannot read: {error}") from error

    # ------------------------------------------------------------------------- stores and carriers

    def list_stores(self, *, show_inactive: bool = False) -> list[ShipStationStore]:
        params = {"showInactive": "true"} if show_inactive else None
        return [
            ShipStationStore(
                store_id=_int(raw.get("storeId"), 0),
                name=_str(raw.get("storeName")),
                marketplace_id=_optional_int(raw.get("marketplaceId")),
                marketplace_name=_str(raw.get("marketplaceName")),
                active=raw.get("active") is not False,
            )
            for raw in self._call_list("GET", "/stores", "list stores", params=params)
            if _optional_int(raw.get("storeId")) is not None
        ]

    def list_carriers(self) -> list[Carrier]:
        return [
            Carrier(
                code=_str(raw.get("code")),
                name=_str(raw.get("name")),
                account_number=_str(raw.get("accountNumber")),
                nickname=_str(raw.get("nickname")),
                shipping_provider_id=_optional_int(raw.get("shippingProviderId")),
                primary=raw.get("primary") is True,
                requires_funded_account=raw.get("requiresFundedAccount") is True,
                balance=_money(raw.get("balance")),
            )
            for raw in self._call_list("GET", "/carriers", "list carriers")
            if _str(raw.get("code"))
        ]

    def list_services(self, carrier_code: str) -> list[CarrierService]:
        action = f"list the services of carrier {carrier_code}"
        return [
            CarrierService(
                carrier_code=_str(raw.get("carrierCode")) or carrier_code,
                code=_str(raw.get("code")),
                name=_str(raw.get("name")),
                domestic=raw.get("domestic") is True,
                international=raw.get("international") is True,
            )
            for raw in self._call_list("GET", "/carriers/listservices", action, params={"carrierCode": carrier_code})
            if _str(raw.get("code"))
        ]

    def list_packages(self, carrier_code: str) -> list[CarrierPackage]:
        action = f"list the packages of carrier {carrier_code}"
        return [
            CarrierPackage(
                carrier_code=_str(raw.get("carrierCode")) or carrier_code,
                code=_str(raw.get("code")),
                name=_str(raw.get("name")),
                domestic=raw.get("domestic") is True,
                international=raw.get("international") is True,
            )
            for raw in self._call_list("GET", "/carriers/listpackages", action, params={"carrierCode": carrier_code})
            if _str(raw.get("code"))
        ]

    # ------------------------------------------------------------------------- labels and shipped status

    def create_label_for_order(
        self,
        order_id: int,
        carrier_code: str,
        service_code: str,
        package_code: str | None,
        confirmation: str | None,
        ship_date: date,
        weight: Weight | None,
        dimensions: Dimensions | None,
        insured_value: Decimal | None = None,
        insurance_provider: str = "carrier",
        *,
        order_number: str,
        test_label: bool,
    ) -> PurchasedLabel:
        """Buy a label for a ShipStation order; ShipStation then has the order as shipped.

        `order_number` is what the messages call the order: the number the packer knows, not ShipStation's id.

        Not repeated once the request may have reached ShipStation (that could buy a second label): such a failure
        raises ShipStationError with outcome_unknown=True, as does an answer of success that cannot be read. A label
        sold without a readable PDF or without its shipment id is returned all the same, with what there is.
        """
        body: dict[str, Any] = {
            "orderId": order_id,
            "carrierCode": carrier_code,
            "serviceCode": service_code,
            "packageCode": package_code,
            "confirmation": confirmation,
            "shipDate": ship_date.isoformat(),
            "weight": _weight_json(weight),
            "dimensions": _dimensions_json(dimensions),
            "insuranceOptions": None,
            "internationalOptions": None,
            "advancedOptions": None,
            "testLabel": bool(test_label),
        }
        if insured_value is not None and insured_value > 0:
            body["insuranceOptions"] = {
                "provider": insurance_provider,
                "insureShipment": True,
                "insuredValue": _json_number(insured_value),
            }
        order = _order_called(order_number, order_id)
        action = f"buy a label for {order}"
        payload = self._call("POST", "/orders/createlabelfororder", action, body=body, repeatable=False)
        if not isinstance(payload, dict):
            raise self._error(f"ShipStation's answer to {action} was not a label", outcome_unknown=True)
        try:
            label_pdf = base64.b64decode(_str(payload.get("labelData")), validate=True)
        except (binascii.Error, ValueError):
            label_pdf = b""
        return PurchasedLabel(
            tracking_number=_str(payload.get("trackingNumber")),
            shipment_id=_optional_int(payload.get("shipmentId")),
            shipment_cost=_money(payload.get("shipmentCost")),
            insurance_cost=_money(payload.get("insuranceCost")),
            label_pdf=label_pdf if label_pdf.startswith(b"%PDF-") else b"",
        )

    def mark_as_shipped(
        self,
        order_id: int,
        carrier_code: str,
        ship_date: date,
        tracking_number: str,
        notify_customer: bool,
        notify_sales_channel: bool,
        *,
        order_number: str,
    ) -> None:
        """Tell ShipStation the order has shipped (without buying a label there).

        Raises OrderAlreadyShippedError when ShipStation refuses because it already has the order as shipped,
        which a caller pushing shipped status can count as done.
        """
        body = {
            "orderId": order_id,
            "carrierCode": carrier_code,
            "shipDate": ship_date.isoformat(),
            "trackingNumber": tracking_number,
            "notifyCustomer": bool(notify_customer),
            "notifySalesChannel": bool(notify_sales_channel),
        }
        order = _order_called(order_number, order_id)
        try:
            action = f"mark {order} as shipped"
            self._call("POST", "/orders/markasshipped", action, body=body)
        except ShipStationError as error:
            refused = error.status_code is not None and 400 <= error.status_code < 500
            if not refused or isinstance(error, ShipStationAuthError) or error.status_code == 429:
                raise
            try:
                shipped = self._order_status(order_id) == "shipped"
            except ShipStationError as check_failed:
                check_failed.may_have_arrived = True  # refused perhaps only because it has the order shipped already
                raise
            except StopRequested as stopped:
                stopped.may_have_arrived = error.may_have_arrived  # the refused call's own tries, not the check
                raise
            if not shipped:
                raise
            raise OrderAlreadyShippedError(
                f"ShipStation already has {order} of store {self.store_name} as shipped.",
                status_code=error.status_code,
                may_have_arrived=error.may_have_arrived,  # an earlier try, its answer lost, may have done it
            ) from error

    def void_label(self, shipment_id: int, *, order_number: str) -> None:
        """Void a label bought through ShipStation; ShipStation then has its order awaiting shipment again.

        Raises ShipStationError with ShipStation's reason when it will not void the label (already used or voided).
        Not repeated once the request may have reached ShipStation: such a failure has outcome_unknown=True.
        """
        action = f"void {_label_called(order_number, shipment_id)}"
        body = {"shipmentId": shipment_id}
        payload = self._call("POST", "/shipments/voidlabel", action, body=body, repeatable=False)
        if not isinstance(payload, dict) or not isinstance(payload.get("approved"), bool):
            raise self._error(
                f"ShipStation's answer to {action} did not say whether it was voided; check the order in ShipStation",
                outcome_unknown=True,
            )
        if not payload["approved"]:
            number = order_number.strip()
            whose = f"order {number}" if number else f"ShipStation shipment {shipment_id}"
            reason = _str(payload.get("message")).rstrip(".") or "it gave no reason"
            raise self._error(f"ShipStation did not void the label of {whose} of store {self.store_name}: {reason}")

    def label_voided(self, shipment_id: int, *, order_id: int) -> bool | None:
        """Whether ShipStation has the label voided, read from its order's shipments; None when it cannot tell.

        A void whose answer was lost, or one repeated because this station could not note it, is refused as done
        already; this is how to know it was. Raises ShipStationError when ShipStation cannot be asked.
        """
        for label in self.order_labels(order_id):
            if label.shipment_id == shipment_id:
                return label.voided
        return None

    def order_labels(self, order_id: int) -> list[OrderLabel]:
        """The labels ShipStation sold for the order, voided ones too, from its shipments list.

        Raises ShipStationError when ShipStation cannot be asked, or answers with something that is not that list.
        """
        params: dict[str, str | int] = {"orderId": order_id, "includeShipmentItems": "false", "pageSize": MAX_PAGE_SIZE}
        action = f"read the shipments of order {order_id}"
        payload = self._call("GET", "/shipments", action, params=params)
        shipments = payload.get("shipments") if isinstance(payload, dict) else None
        if not isinstance(shipments, list):
            raise self._error(f"ShipStation's answer to {action} was not a list of shipments")
        return [_order_label(shipment) for shipment in shipments if isinstance(shipment, dict)]

    def _order_status(self, order_id: int) -> str | None:
        """The order's status in ShipStation; None when ShipStation will not say (no such order, an odd answer).

        Raises ShipStationError when it cannot be asked now (no network, a server error, the key refused): a refusal
        the store may have made only because it has the order shipped must not be filed as final.
        """
        try:
            payload = self._call("GET", f"/orders/{order_id}", f"read order {order_id}")
        except ShipStationError as error:
            if error.temporary or isinstance(error, ShipStationAuthError):
                raise
            return None
        status = payload.get("orderStatus") if isinstance(payload, dict) else None
        return status.lower() if isinstance(status, str) else None

    # ------------------------------------------------------------------------- HTTP

    def _call_list(
        self, method: str, path: str, action: str, *, params: Mapping[str, str] | None = None
    ) -> list[Mapping[str, Any]]:
        payload = self._call(method, path, action, params=params)
        if not isinstance(payload, list):
            raise self._error(f"ShipStation's answer to {action} was not a list")
        return [entry for entry in payload if isinstance(entry, Mapping)]

    def _call(
        self,
        method: str,
        path: str,
        action: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        repeatable: bool = True,
        decoded: bool = True,
    ) -> Any:
        """Send one request, paced and retried; the decoded JSON answer (`decoded=False`: the answer as it came, once
        it is one of success). `repeatable=False` for label purchases."""
        content = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else None
        failures = 0
        refusals = 0
        # Sent and never answered (a timeout, a dropped connection, a server error): it may have been carried out.
        may_have_arrived = False
        try:
            while True:
                ticket = self._limiter.acquire(self._stop)
                try:
                    response = self._http.request(method, path, params=params, content=content, headers=headers)
                except httpx.RequestError as error:
                    self._limiter.record_no_response(ticket)
                    failures += 1
                    never_sent = isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
                    may_have_arrived = may_have_arrived or not never_sent
                    reason = self._transport_reason(error)
                    if (repeatable or never_sent) and failures < self._max_attempts:
                        self._wait_before_retry(failures, reason, action)
                        continue
                    unknown = not repeatable and not never_sent
                    raise self._give_up(reason, action, failures, outcome_unknown=unknown) from error
                except BaseException:
                    self._limiter.record_no_response(ticket)
                    raise
                self._limiter.record_response(response.status_code, response.headers, ticket)
                status = response.status_code
                _log.debug("ShipStation %s %s → %s for store %s", method, path, status, self.store_name)
                if status == 429:
                    refusals += 1
                    if refusals < self._max_attempts:
                        self._wait_for_rate_limit(refusals, action)
                        continue  # the limiter now holds every request of this key until the window resets
                    raise ShipStationError(
                        f"ShipStation kept answering that too many requests were sent while trying to {action} for "
                        f"store {self.store_name}; another program may be using the same API key. "
                        "Try again in a minute.",
                        status_code=429,
                        temporary=True,
                    )
                if status >= 500:
                    failures += 1
                    may_have_arrived = True
                    reason = f"ShipStation had a server error ({status}: {_error_detail(response)})"
                    if repeatable and failures < self._max_attempts:
                        self._wait_before_retry(failures, reason, action)
                        continue
                    raise self._give_up(reason, action, failures, outcome_unknown=not repeatable, status_code=status)
                if status >= 400:
                    raise self._refusal(response, action)
                if 300 <= status < 400:
                    raise self._error(
                        f"ShipStation answered {action} with a redirect to {response.headers.get('Location', '?')}; "
                        "check the API address",
                        status_code=status,
                    )
                may_have_arrived = True  # carried out, whatever the answer says
                return self._decode(response, action, carried_out=not repeatable) if decoded else response
        except ShipStationError as error:
            error.may_have_arrived = error.may_have_arrived or may_have_arrived
            raise
        except StopRequested as stopped:  # stopped waiting for the rate limit or a retry: sent before, or never
            stopped.may_have_arrived = may_have_arrived
            raise

    def _decode(self, response: httpx.Response, action: str, *, carried_out: bool = False) -> Any:
        """The answer's JSON. `carried_out`: a request never repeated (a purchase), which an answer of success means
        was done, whatever its body; one that cannot be read then leaves what was done unknown here."""
        if not response.content.strip():
            return None
        try:
            return json.loads(response.content, parse_float=Decimal)
        except (ValueError, UnicodeDecodeError):
            what = f"{response.headers.get('Content-Type', 'no content type')}: {_snippet(response.text)!r}"
            if carried_out:
                raise self._error(
                    f"ShipStation answered that it did {action} for store {self.store_name}, but its answer came "
                    f"garbled ({what}), so shipdesk cannot tell what was done: check the order in ShipStation "
                    "before trying again",
                    status_code=response.status_code,
                    temporary=True,
                    outcome_unknown=True,
                ) from None
            raise self._error(
                f"ShipStation's answer to {action} for store {self.store_name} was not JSON ({what})",
                status_code=response.status_code,
                temporary=True,
            ) from None

    def _wait_before_retry(self, failures: int, reason: str, action: str) -> None:
        delay = min(self._backoff * 2 ** (failures - 1), MAX_BACKOFF_SECONDS)
        _log.warning(
            "%s (trying to %s) for store %s; trying again in %.1f s (attempt %d of %d)",
            reason,
            action,
            self.store_name,
            delay,
            failures + 1,
            self._max_attempts,
        )
        if self._on_retry is not None:
            self._on_retry(RetryWait(reason, delay, failures + 1, self._max_attempts))
        pause(delay, self._stop, self._sleep)

    def _wait_for_rate_limit(self, refusals: int, action: str) -> None:
        delay = self._limiter.pause_left
        _log.info("ShipStation's rate limit reached trying to %s; waiting %.1f s for it to reset", action, delay)
        if self._on_retry is not None:
            reason = "ShipStation answered that too many requests were sent with this API key"
            self._on_retry(RetryWait(reason, delay, refusals + 1, self._max_attempts))

    def _transport_reason(self, error: httpx.RequestError) -> str:
        if isinstance(error, httpx.ConnectTimeout):
            return f"ShipStation could not be reached within {self._timeout:g} s"
        if isinstance(error, httpx.TimeoutException):
            return f"ShipStation did not answer within {self._timeout:g} s"
        if isinstance(error, httpx.ConnectError):
            _log.info("no connection to ShipStation for store %s: %s", self.store_name, error)
            return f"shipdesk could not connect to ShipStation ({unreachable_reason(error, self._timeout)})"
        if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            return "ShipStation closed the connection without answering"
        return f"the connection to ShipStation failed ({error})"

    def _give_up(
        self,
        reason: str,
        action: str,
        attempts: int,
        *,
        outcome_unknown: bool,
        status_code: int | None = None,
    ) -> ShipStationError:
        tries = f" (tried {attempts} times)" if attempts > 1 else ""
        message = f"Could not {action} for store {self.store_name}: {reason}{tries}."
        if outcome_unknown:
            message += " ShipStation may have done it anyway: check the order in ShipStation before trying again."
        return ShipStationError(message, status_code=status_code, temporary=True, outcome_unknown=outcome_unknown)

    def _refusal(self, response: httpx.Response, action: str) -> ShipStationError:
        status = response.status_code
        detail = _error_detail(response)
        if status == 401:
            return ShipStationAuthError(
                f"ShipStation refused the API key and secret for store {self.store_name}. "
                "Check them in ShipStation under Settings → API.",
                status_code=status,
            )
        if status == 403:
            return ShipStationAuthError(
                f"ShipStation does not let this API key {action} for store {self.store_name}: {detail}",
                status_code=status,
            )
        if status == 404:
            return ShipStationError(
                f"ShipStation found nothing to {action} for store {self.store_name}: {detail}", status_code=status
            )
        return ShipStationError(
            f"ShipStation refused to {action} for store {self.store_name}: {detail}", status_code=status
        )

    def _error(
        self, message: str, *, status_code: int | None = None, temporary: bool = False, outcome_unknown: bool = False
    ) -> ShipStationError:
        if self.store_name not in message:
            message = f"{message} (store {self.store_name})"
        return ShipStationError(
            message + ".", status_code=status_code, temporary=temporary, outcome_unknown=outcome_unknown
        )


# ----------------------------------------------------------------------------- small readers and writers


def _error_detail(response: httpx.Response) -> str:
    """ASP.NET Web API error bodies ({Message, ModelState, ExceptionMessage}) in one line."""
    try:
        payload = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        text = _snippet(re.sub(r"<[^>]*>", " ", response.text))
        return text or response.reason_phrase or f"HTTP {response.status_code}"
    if not isinstance(payload, dict):
        return _snippet(str(payload))
    parts: list[str] = []
    exception = payload.get("ExceptionMessage")
    message = payload.get("Message") or payload.get("message")
    if isinstance(exception, str) and exception.strip():
        parts.append(exception.strip())
    elif isinstance(message, str) and message.strip():
        parts.append(message.strip())
    model_state = payload.get("ModelState")
    if isinstance(model_state, dict):
        for key, messages in model_state.items():
            name = str(key).rsplit(".", 1)[-1]
            for text in messages if isinstance(messages, list) else [messages]:
                parts.append(f"{name}: {text}" if name else str(text))
    return " ".join(part if part.endswith((".", "!", "?")) else part + "." for part in parts) or (
        response.reason_phrase or f"HTTP {response.status_code}"
    )


def _snippet(text: str, limit: int = 160) -> str:
    squeezed = " ".join(text.split())
    return squeezed if len(squeezed) <= limit else squeezed[: limit - 1] + "…"


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _weight_json(weight: Weight | None) -> dict[str, Any] | None:
    if weight is None:
        return None
    if weight.unit not in _WEIGHT_UNITS:
        weight = weight.to(WeightUnit.GRAM, places=3)
    return {"value": _json_number(weight.value), "units": _WEIGHT_UNITS[weight.unit]}


def _dimensions_json(dimensions: Dimensions | None) -> dict[str, Any] | None:
    if dimensions is None:
        return None
    return {
        "length": _json_number(dimensions.length),
        "width": _json_number(dimensions.width),
        "height": _json_number(dimensions.height),
        "units": _LENGTH_UNITS[dimensions.unit],
    }


def _order_called(order_number: str, order_id: int) -> str:
    """An order as messages name it: its number, with ShipStation's own id for anyone who looks it up there."""
    number = order_number.strip()
    return f"order {number} (ShipStation order id {order_id})" if number else f"order id {order_id}"


def _label_called(order_number: str, shipment_id: int) -> str:
    """A label as messages name it: by its order's number, with ShipStation's shipment id for looking it up there."""
    number = order_number.strip()
    shipment = f"ShipStation shipment {shipment_id}"
    return f"the label of order {number} ({shipment})" if number else f"the label of {shipment}"


def _order_label(shipment: Mapping[str, Any]) -> OrderLabel:
    voided = shipment.get("voided")
    created = _str(shipment.get("createDate"))
    try:
        created_at = parse_wall_datetime(created) if created else None
    except (ValueError, OverflowError):
        created_at = None
    return OrderLabel(
        shipment_id=_optional_int(shipment.get("shipmentId")),
        tracking_number=_str(shipment.get("trackingNumber")),
        carrier_code=_str(shipment.get("carrierCode")),
        service_code=_str(shipment.get("serviceCode")),
        package_code=_str(shipment.get("packageCode")),
        shipment_cost=_money(shipment.get("shipmentCost")),
        insurance_cost=_money(shipment.get("insuranceCost")),
        created_at=created_at,
        voided=voided if isinstance(voided, bool) else None,
        return_label=shipment.get("isReturnLabel") is True,
    )


def _str(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return str(value).strip()


def _optional_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return None
        return int(number) if number.is_finite() and number == number.to_integral_value() else None
    return None


def _int(value: Any, default: int) -> int:
    number = _optional_int(value)
    return default if number is None else number


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        return Decimal(0)
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (ArithmeticError, TypeError, ValueError):
        return Decimal(0)
    return number if number.is_finite() else Decimal(0)
