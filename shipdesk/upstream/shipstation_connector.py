"""ShipStation as a sync connector: pages of orders in the store's time zone, and shipped status via markasshipped.

The client does the HTTP; this module turns its answers and errors into what the sync engine and the pusher expect.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from shipdesk.cache.shipments import MARK_SHIPPED
from shipdesk.cache.stores import StoreRecord
from shipdesk.domain import CatalogEntry, Order, OrderStatus, named_time_zone
from shipdesk.upstream.connector import ConnectorError, PulledOrder, PulledPage, PushOutcome
from shipdesk.upstream.credentials import SECRET_ID, load_secret
from shipdesk.upstream.shipstation import (
    DEFAULT_BASE_URL,
    OrderAlreadyShippedError,
    ShipStationAuthError,
    ShipStationClient,
    ShipStationError,
)
from shipdesk.upstream.shipstation_catalog import fetch_shipstation_catalog

KIND = "shipstation"
DEFAULT_TIME_ZONE = "America/Los_Angeles"
OTHER_CARRIER = "other"  # ShipStation's code for a carrier it does not connect to

# Carrier names people type, as ShipStation carrier codes; anything else goes up as "other".
_CARRIER_CODES = {
    "usps": "usps",
    "stamps.com": "stamps_com",
    "ups": "ups",
    "fedex": "fedex",
    "dhl": "dhl_express_worldwide",
    "dhl express": "dhl_express_worldwide",
    "canada post": "canada_post",
    "royal mail": "royal_mail",
    "australia post": "australia_post",
}
_UNKNOWN_STATUS = re.compile(r"unknown ShipStation status '(.+)'")
# The ShipStation statuses a store's status mapping may read another way, with how they are read without one.
# Shipped and cancelled are final: an order becomes one of those only as ShipStation says.
MAPPABLE_STATUSES = {
    "awaiting_payment": OrderStatus.AWAITING_PAYMENT,
    "awaiting_shipment": OrderStatus.AWAITING_SHIPMENT,
    "on_hold": OrderStatus.ON_HOLD,
    "pending_fulfillment": OrderStatus.ON_HOLD,
    "rejected_fulfillment": OrderStatus.ON_HOLD,
    "externally_fulfilled": OrderStatus.ON_HOLD,
}
# What such a status may be read as.
MAPPED_TO = (OrderStatus.AWAITING_SHIPMENT, OrderStatus.ON_HOLD, OrderStatus.AWAITING_PAYMENT)
NOTIFY_CUSTOMER = "notify_customer"  # config keys, "true" or "false"
NOTIFY_SALES_CHANNEL = "notify_sales_channel"


def carrier_code(carrier: str, known_codes: frozenset[str] = frozenset()) -> str:
    """The ShipStation carrier code for a shipment's carrier ("fedex", "USPS", "Royal Mail"), or "other"."""
    text = carrier.strip().casefold()
    if text in known_codes:
        return text
    return _CARRIER_CODES.get(text, _CARRIER_CODES.get(text.replace("_", " "), OTHER_CARRIER))


def shipstation_status(order: Order) -> str:
    """ShipStation's status word for a parsed order, which a store's status mapping is written in.

    shipstation_orders folds several ShipStation statuses into "on hold" with a reason; the reason tells them apart.
    """
    if order.status is not OrderStatus.ON_HOLD:
        return order.status.value
    reason = order.hold_reason
    if reason.startswith("on hold in ShipStation"):
        return "on_hold"
    if reason.startswith("sent to a fulfillment provider"):
        return "pending_fulfillment"
    if reason.startswith("the fulfillment provider rejected"):
        return "rejected_fulfillment"
    if reason.startswith("fulfilled outside"):
        return "externally_fulfilled"
    unknown = _UNKNOWN_STATUS.fullmatch(reason)
    return unknown.group(1) if unknown else "on_hold"


class ShipStationConnector:
    """One ShipStation store for the sync engine. Its client reads times in the store's zone (by default Pacific)."""

    def __init__(
        self,
        client: ShipStationClient,
        *,
        store_id: int | None = None,
        notify_customer: bool = False,
        notify_sales_channel: bool = True,
        known_carrier_codes: frozenset[str] = frozenset(),
    ) -> None:
        self.client = client
        self._store_id = store_id
        self._notify_customer = notify_customer
        self._notify_sales_channel = notify_sales_channel
        self._known_carrier_codes = known_carrier_codes

    def __repr__(self) -> str:
        return f"ShipStationConnector({self.client!r})"

    def shipping_catalog(self) -> list[CatalogEntry]:
        try:
            return fetch_shipstation_catalog(self.client)
        except ShipStationError as error:
            raise _connector_error(error) from error

    @property
    def store_name(self) -> str:
        return self.client.store_name

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> ShipStationConnector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def pull(self, since: datetime | None) -> Iterator[PulledPage]:
        pages = self.client.iter_orders_modified_since(since, store_id=self._store_id)
        while True:
            try:
                page = next(pages)
            except StopIteration:
                return
            except ShipStationError as error:
                raise _connector_error(error) from error
            merged = page.merged
            yield PulledPage(
                [
                    PulledOrder(order, shipstation_status(order), merged.get(order.upstream_id, ()))
                    for order in page.orders
                ],
                page.problems,
            )

    def push(self, kind: str, payload: Mapping[str, object], *, sent_before: bool) -> PushOutcome:
        if kind != MARK_SHIPPED:
            raise ConnectorError(f"ShipStation store {self.store_name} cannot take a {kind!r} update.", temporary=False)
        order_id = _int(payload.get("upstream_id"))
        ship_date = _date(payload.get("ship_date"))
        if order_id is None or ship_date is None:
            raise ConnectorError(
                f"The shipped update of order {payload.get('order_number')} lacks ShipStation's order id or the "
                "ship date; mark it shipped in ShipStation by hand.",
                temporary=False,
            )
        try:
            self.client.mark_as_shipped(
                order_id,
                str(payload.get("carrier_code") or "")
                or carrier_code(str(payload.get("carrier") or ""), self._known_carrier_codes),
                ship_date,
                str(payload.get("tracking_number") or ""),
                self._notify_customer,
                self._notify_sales_channel,
                order_number=str(payload.get("order_number") or ""),
            )
        except OrderAlreadyShippedError as error:
            if sent_before or error.may_have_arrived:
                return PushOutcome.ALREADY_DONE
            raise ConnectorError(
                f"{error} shipdesk had never sent it this shipment, so the order was shipped another way too "
                "(a label bought in ShipStation, or marked shipped there by hand): make sure it did not go out twice, "
                "then drop this update; sent again, it would be refused again.",
                temporary=False,
            ) from error
        except ShipStationError as error:
            raise _connector_error(error) from error
        return PushOutcome.DONE


def _connector_error(error: ShipStationError) -> ConnectorError:
    if isinstance(error, ShipStationAuthError):
        return ConnectorError(str(error), temporary=False, whole_store=True, may_have_arrived=error.may_have_arrived)
    return ConnectorError(
        str(error), temporary=error.temporary, whole_store=error.temporary, may_have_arrived=error.may_have_arrived
    )


def _int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def client_for_store(store: StoreRecord, *, secret: str | None = None, **options: Any) -> ShipStationClient:
    """The ShipStation client of a store record; the secret comes from the keyring unless given.

    Raises credentials.CredentialsError when the keyring has no secret for it, ValueError for a bad address or an
    unknown time zone. The store's time zone is the one its ShipStation account writes times in.
    """
    time_zone = store.time_zone or DEFAULT_TIME_ZONE
    zone = named_time_zone(time_zone)
    if zone is None:
        raise ValueError(f"Unknown time zone {time_zone!r} for store {store.name}.")
    api_key = store.config.get("api_key", "")
    base_url = store.config.get("base_url") or DEFAULT_BASE_URL
    api_secret = (
        secret
        if secret is not None
        else load_secret(store.name, store_kind=KIND, secret_id=store.config.get(SECRET_ID, ""))
    )
    return ShipStationClient(api_key, api_secret, base_url=base_url, store_name=store.name, time_zone=zone, **options)


def notify_choices(store: StoreRecord) -> tuple[bool, bool]:
    """(customer, sales channel): whom ShipStation tells when shipdesk marks an order of the store shipped.

    Without a choice saved, ShipStation's own defaults: the sales channel is told, the customer is not e-mailed.
    """
    return store.config.get(NOTIFY_CUSTOMER) == "true", store.config.get(NOTIFY_SALES_CHANNEL, "true") == "true"


def connector_for_store(
    store: StoreRecord,
    *,
    secret: str | None = None,
    known_carrier_codes: frozenset[str] = frozenset(),
    **options: Any,
) -> ShipStationConnector:
    """The connector of a ShipStation store record, its time zone and settings taken from the record."""
    store_id = _int(store.config.get("store_id"))
    notify_customer, notify_sales_channel = notify_choices(store)
    return ShipStationConnector(
        client_for_store(store, secret=secret, **options),
        store_id=store_id,
        notify_customer=notify_customer,
        notify_sales_channel=notify_sales_channel,
        known_carrier_codes=known_carrier_codes,
    )
