"""A fake ShipStation API v1: a real HTTP server on 127.0.0.1 with orders in memory, Basic auth and the rate limit.

Built on ShipStation's documented example payloads; faults (500s, dropped connections, slow or garbage answers) on call.

Choices where the real service is not documented:
- A modifyDateStart that names a wall time DST makes happen twice (01:30 on the first Sunday of November) is read as
  the later one (PST): the reading that would make a careless client skip orders.
- The rate window is fixed: it starts at the first request after the previous one ended, and Reset counts down the
  whole seconds left (rounded up), which fits the countdown reported from the real service.
- markasshipped on an order that is already shipped answers 400 in the ASP.NET ModelState shape, and records the
  attempt; createlabelfororder on an unknown order answers 500 "Object reference not set to an instance of an
  object." as the real one is reported to.
- Faults: fail_next/fail_every answer 500 (or another status), drop_next/drop_every close the connection unanswered
  before doing anything, lose_answer_next/lose_answer_every do the work and then close it, cut_answer_next does it and
  answers half its body, slow_next answers late, hang_next answers only once told to, garbage_next answers a non-JSON
  200, too_many_next answers 429; labels_without_pdf sells labels with no labelData.
- testLabel and the notify flags must be JSON booleans; anything else is a 400 ModelState error.
- A label bought with testLabel true is answered like a real one (tracking number, cost, PDF) but leaves the order as
  it was: not shipped, modify date unchanged. A real label ships the order.
- voidlabel answers 200 whether it voids or not, with {"approved", "message"}: a label the fake sold is voided once and
  its order is awaiting shipment again (its ship date as before the purchase, a new modify date); an unknown
  shipmentId or a label voided already is approved false. refuse_voids_with makes every void refused in those words.
- GET /shipments lists the labels it sold, voided ones too (with voided true and a voidDate, which the real API's
  voidDate filters imply), test labels not; each with its createDate (Pacific wall time, as the API writes it). Only
  the orderId filter is honoured, on one page.
- combine() does what an operator's "Combine orders" does, as reported from the field: the order kept (the parent)
  takes the items of the others and names them in advancedOptions.mergedIds, with mergedOrSplit true; the others
  vanish from the API (GET /orders leaves them out, GET /orders/{id} answers 404). split() moves items to a new order
  whose advancedOptions.parentId names the original; both have mergedOrSplit true and are shipped apart.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import math
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "research" / "samples" / "shipstation-v1-api"
PACIFIC = ZoneInfo("America/Los_Angeles")
ORDER_STATUSES = frozenset(
    (
        "awaiting_payment",
        "awaiting_shipment",
        "pending_fulfillment",
        "shipped",
        "on_hold",
        "cancelled",
        "rejected_fulfillment",
    )
)
SORT_FIELDS = {"modifydate": "ModifyDate", "orderdate": "OrderDate", "createdate": "CreateDate"}
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 100
LABEL_DOT = 72 / 203  # one printer dot at 203 dpi, in PDF points
_ORDER_PATH = re.compile(r"/orders/\d+/?", re.IGNORECASE)  # one order's read: GET /orders/{orderId}


def load_sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def pacific_text(moment: datetime) -> str:
    """A UTC moment as ShipStation writes it in answers: Pacific wall time, 7 fractional digits, no zone."""
    return moment.astimezone(PACIFIC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0"


def read_pacific(text: str, *, later: bool = False) -> datetime:
    """A Pacific wall time ("2015-08-17T09:24:16.4800000" or "2015-08-17 09:24:16") as UTC."""
    head, _, fraction = text.replace("T", " ").partition(".")
    wall = datetime.strptime(head, "%Y-%m-%d %H:%M:%S")
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    return wall.replace(microsecond=micro, tzinfo=PACIFIC, fold=1 if later else 0).astimezone(UTC)


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    raw_body: bytes
    authorized: bool
    status: int | None = None  # None: the connection was dropped
    at: float = field(default_factory=time.monotonic)  # when it arrived

    @property
    def body(self) -> Any:
        return json.loads(self.raw_body) if self.raw_body else None


@dataclass
class _StoredOrder:
    data: dict[str, Any]
    modified: datetime  # UTC


@dataclass
class _Window:
    started: float
    used: int = 0


@dataclass
class _Faults:
    fail_next: int = 0
    fail_status: int = 500
    fail_every: int = 0
    drop_next: int = 0
    drop_every: int = 0
    lose_answer_next: int = 0
    lose_answer_every: int = 0
    cut_answer_next: int = 0
    slow_next: int = 0
    slow_seconds: float = 0.0
    hang_next: int = 0
    hang_until: threading.Event = field(default_factory=threading.Event)
    garbage_next: int = 0
    too_many_next: int = 0
    too_many_reset: int = 1
    fail_order_reads_next: int = 0


@dataclass
class _Answer:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class FakeShipStation:
    """Use as a context manager: `with FakeShipStation(window_seconds=2) as fake: ... fake.base_url ...`."""

    def __init__(
        self,
        *,
        api_key: str = "fake-key-0f6bec18",
        api_secret: str | None = None,
        rate_limit: int = 40,
        window_seconds: float = 60.0,
        with_sample_orders: bool = True,
    ) -> None:
        self.api_key = api_key
        # A fresh secret per fake, so limiters shared per key pair never carry state from one test to the next.
        self.api_secret = api_secret or secrets.token_hex(16)
        self.rate_limit = rate_limit
        self.window_seconds = window_seconds
        self.requests: list[RecordedRequest] = []
        self.too_many_served = 0
        self.shipped_calls: list[dict[str, Any]] = []
        self.marked_shipped: list[int] = []  # orderIds of markasshipped calls carried out, answered or not
        self.labels: list[dict[str, Any]] = []  # each with "voided": True once voided
        self.void_calls: list[dict[str, Any]] = []
        self.voided_shipment_ids: list[int] = []  # voids carried out, answered or not
        self.refuse_voids_with: str | None = None  # ShipStation's message when it will not void any label
        self.labels_without_pdf = False  # labels are sold with labelData null
        self.most_orders_a_page: int | None = None  # answers a page with at most this many orders, whatever was asked
        self._ship_dates_before_labels: dict[int, Any] = {}
        self._lock = threading.RLock()
        self._orders: dict[int, _StoredOrder] = {}
        self._windows: dict[str, _Window] = {}
        self._faults = _Faults()
        self._calls = 0
        self._next_order_id = 300_000_000
        self._next_shipment_id = 72_513_480
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        if with_sample_orders:
            for raw in load_sample("list_orders_response.json")["orders"]:
                self.add_order(raw)

    # ------------------------------------------------------------------------- server

    def __enter__(self) -> FakeShipStation:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        # A short poll keeps stop() quick: shutdown() waits for the serving loop to look up.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-shipstation", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._faults.hang_until.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def rotate_keys(self) -> tuple[str, str]:
        """What a warehouse does in ShipStation's settings: a new API key and secret; the old ones stop working."""
        self.api_key, self.api_secret = "fake-key-rotated-51c0", "rotated-secret-7d3e90"
        return self.api_key, self.api_secret

    # ------------------------------------------------------------------------- orders

    def add_order(self, data: dict[str, Any], *, modified: datetime | None = None) -> int:
        """Hold one order in ShipStation's JSON shape; `modified` (UTC) replaces its modifyDate."""
        order = copy.deepcopy(data)
        with self._lock:
            if modified is None:
                text = order.get("modifyDate")
                modified = read_pacific(text) if isinstance(text, str) else datetime.now(UTC)
            order_id = order.get("orderId")
            if not isinstance(order_id, int):
                order_id = self._next_order_id
                self._next_order_id += 1
            self._orders[order_id] = _StoredOrder(order, modified)
            return order_id

    def add_generated_orders(
        self,
        count: int,
        *,
        first_modified: datetime,
        step: timedelta = timedelta(seconds=1),
        status: str = "awaiting_shipment",
        store_id: int = 12345,
    ) -> list[int]:
        """`count` domestic orders built on the documentation's example, modified `step` apart from `first_modified`."""
        template = load_sample("list_orders_response.json")["orders"][1]
        ids = []
        with self._lock:
            for number in range(count):
                order_id = self._next_order_id
                self._next_order_id += 1
                modified = first_modified + step * number
                order = copy.deepcopy(template)
                order.update(
                    orderId=order_id,
                    orderNumber=f"GEN-{order_id}",
                    orderKey=f"gen-{order_id}",
                    orderStatus=status,
                    orderDate=pacific_text(modified - timedelta(hours=2)),
                    createDate=pacific_text(modified - timedelta(hours=1)),
                )
                order["advancedOptions"]["storeId"] = store_id
                for position, item in enumerate(order["items"]):
                    item["orderItemId"] = order_id * 10 + position
                self._orders[order_id] = _StoredOrder(order, modified)
                ids.append(order_id)
        return ids

    def touch_order(self, order_id: int, modified: datetime | None = None) -> None:
        """Change an order's modify date, as any edit in ShipStation would."""
        with self._lock:
            self._orders[order_id].modified = modified or datetime.now(UTC)

    def update_order(self, order_id: int, *, modified: datetime | None = None, **fields: Any) -> None:
        """Change an order's fields (orderStatus="cancelled", shipTo=...) as an edit in ShipStation would."""
        with self._lock:
            stored = self._orders[order_id]
            stored.data.update(copy.deepcopy(fields))
            stored.modified = modified or datetime.now(UTC)

    def combine(self, parent_id: int, merged_ids: list[int], *, modified: datetime | None = None) -> None:
        """Combine orders into `parent_id` as ShipStation does; the merged ones vanish from the API."""
        with self._lock:
            parent = self._orders[parent_id]
            merged = [self._orders.pop(order_id) for order_id in merged_ids]
            for stored in merged:
                parent.data["items"] = [*(parent.data.get("items") or []), *(stored.data.get("items") or [])]
            advanced = parent.data.setdefault("advancedOptions", {})
            advanced["mergedOrSplit"] = True
            advanced["mergedIds"] = [*(advanced.get("mergedIds") or []), *merged_ids]
            parent.modified = modified or datetime.now(UTC)

    def split(self, order_id: int, item_positions: list[int], *, modified: datetime | None = None) -> int:
        """Move the items at `item_positions` (0-based) of an order to a new order, as ShipStation's split does.

        Returns the new order's id; its advancedOptions.parentId is the original.
        """
        with self._lock:
            original = self._orders[order_id]
            items = original.data.get("items") or []
            child = copy.deepcopy(original.data)
            child_id = self._next_order_id
            self._next_order_id += 1
            child.update(
                orderId=child_id,
                orderNumber=f"{original.data.get('orderNumber')}-1",
                orderKey=f"{original.data.get('orderKey')}-1",
                items=[item for position, item in enumerate(items) if position in item_positions],
            )
            child["advancedOptions"] = {**(child.get("advancedOptions") or {}), "mergedOrSplit": True}
            child["advancedOptions"]["parentId"] = order_id
            original.data["items"] = [item for position, item in enumerate(items) if position not in item_positions]
            original.data.setdefault("advancedOptions", {})["mergedOrSplit"] = True
            moment = modified or datetime.now(UTC)
            original.modified = moment
            self._orders[child_id] = _StoredOrder(child, moment)
            return child_id

    def accepted_shipped_calls(self) -> dict[int, int]:
        """How many markasshipped calls ShipStation carried out, by orderId (refusals and faults not counted)."""
        counts: dict[int, int] = {}
        with self._lock:
            for order_id in self.marked_shipped:
                counts[order_id] = counts.get(order_id, 0) + 1
        return counts

    def order(self, order_id: int) -> dict[str, Any]:
        with self._lock:
            return self._render(self._orders[order_id])

    def order_ids(self) -> list[int]:
        with self._lock:
            return sorted(self._orders)

    def _render(self, stored: _StoredOrder) -> dict[str, Any]:
        rendered = copy.deepcopy(stored.data)
        rendered["modifyDate"] = pacific_text(stored.modified)
        return rendered

    # ------------------------------------------------------------------------- faults

    def fail_next(self, count: int = 1, status: int = 500) -> None:
        with self._lock:
            self._faults.fail_next, self._faults.fail_status = count, status

    def fail_every(self, nth: int, status: int = 500) -> None:
        with self._lock:
            self._faults.fail_every, self._faults.fail_status = nth, status

    def fail_order_reads_next(self, count: int = 1) -> None:
        """Answer the next reads of one order (GET /orders/{id}) 503, an outage of ShipStation's read side."""
        with self._lock:
            self._faults.fail_order_reads_next = count

    def drop_next(self, count: int = 1) -> None:
        with self._lock:
            self._faults.drop_next = count

    def lose_answer_next(self, count: int = 1) -> None:
        """Carry out the next requests, then drop the connection before answering: the client cannot know."""
        with self._lock:
            self._faults.lose_answer_next = count

    def cut_answer_next(self, count: int = 1) -> None:
        """Carry out the next requests, then answer 200 with only the first half of the body (a proxy, a flaky link)."""
        with self._lock:
            self._faults.cut_answer_next = count

    def lose_answer_every(self, nth: int) -> None:
        """Carry out every nth request, then drop its connection before answering."""
        with self._lock:
            self._faults.lose_answer_every = nth

    def drop_every(self, nth: int) -> None:
        with self._lock:
            self._faults.drop_every = nth

    def slow_next(self, count: int = 1, seconds: float = 1.0) -> None:
        with self._lock:
            self._faults.slow_next, self._faults.slow_seconds = count, seconds

    def hang_next(self, count: int = 1) -> threading.Event:
        """Hold the next requests unanswered until the event returned is set (stopping the fake sets it too): a store
        whose server took the connection and went quiet."""
        with self._lock:
            self._faults.hang_next = count
            return self._faults.hang_until

    def garbage_next(self, count: int = 1) -> None:
        with self._lock:
            self._faults.garbage_next = count

    def too_many_next(self, count: int = 1, reset_seconds: int = 1) -> None:
        """Answer the next requests 429 whatever the window says, with Reset `reset_seconds`."""
        with self._lock:
            self._faults.too_many_next, self._faults.too_many_reset = count, reset_seconds

    def requests_to(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [request for request in self.requests if request.path == path]

    # ------------------------------------------------------------------------- one request

    def _answer(self, request: RecordedRequest, authorization: str) -> _Answer | None:
        """The answer to one request, or None to drop the connection without one."""
        with self._lock:
            self.requests.append(request)
            allowed, rate_headers = self._count(authorization, injected=request.authorized)
            if not request.authorized:
                return _json(401, {"Message": "Authorization has been denied for this request."}, rate_headers)
            if not allowed:
                self.too_many_served += 1
                return _json(429, {"message": "Too Many Requests"}, rate_headers)
            self._calls += 1
            call = self._calls
            faults = self._faults
            if faults.drop_next or (faults.drop_every and call % faults.drop_every == 0):
                faults.drop_next = max(0, faults.drop_next - 1)
                return None
            delay = 0.0
            if faults.slow_next:
                faults.slow_next -= 1
                delay = faults.slow_seconds
            hang = faults.hang_next > 0
            faults.hang_next = max(0, faults.hang_next - 1)
        if delay:
            time.sleep(delay)
        if hang:
            faults.hang_until.wait()
        with self._lock:
            if faults.fail_next or (faults.fail_every and call % faults.fail_every == 0):
                faults.fail_next = max(0, faults.fail_next - 1)
                answer = _server_error(faults.fail_status)
            elif faults.fail_order_reads_next and request.method == "GET" and _ORDER_PATH.fullmatch(request.path):
                faults.fail_order_reads_next -= 1
                answer = _server_error(503)
            elif faults.garbage_next:
                faults.garbage_next -= 1
                answer = _Answer(200, b"<html><body><h1>Down for maintenance</h1></body></html>", "text/html")
            else:
                answer = self._route(request)
                if faults.lose_answer_next or (faults.lose_answer_every and call % faults.lose_answer_every == 0):
                    faults.lose_answer_next = max(0, faults.lose_answer_next - 1)
                    return None
                if faults.cut_answer_next:
                    faults.cut_answer_next -= 1
                    answer.body = answer.body[: len(answer.body) // 2]
            answer.headers.update(rate_headers)
            return answer

    def _count(self, pair: str, *, injected: bool) -> tuple[bool, dict[str, str]]:
        """Count one request in its pair's window: whether it is allowed, and the rate headers of its answer."""
        now = time.monotonic()
        if injected and self._faults.too_many_next:
            self._faults.too_many_next -= 1
            return False, self._rate_headers(0, self._faults.too_many_reset)
        window = self._windows.get(pair)
        if window is None or now >= window.started + self.window_seconds:
            window = self._windows[pair] = _Window(now)
        reset = max(1, math.ceil(window.started + self.window_seconds - now))
        if window.used >= self.rate_limit:
            return False, self._rate_headers(0, reset)
        window.used += 1
        return True, self._rate_headers(self.rate_limit - window.used, reset)

    def _rate_headers(self, remaining: int, reset: int) -> dict[str, str]:
        return {
            "X-Rate-Limit-Limit": str(self.rate_limit),
            "X-Rate-Limit-Remaining": str(remaining),
            "X-Rate-Limit-Reset": str(reset),
        }

    def _route(self, request: RecordedRequest) -> _Answer:
        method, path = request.method, request.path.rstrip("/").lower()
        if method == "GET" and path == "/orders":
            return self._list_orders(request.query)
        if method == "GET" and path.startswith("/orders/") and path[8:].isdigit():
            stored = self._orders.get(int(path[8:]))
            if stored is None:
                return _json(404, {"Message": "The requested order was not found."})
            return _json(200, self._render(stored))
        if method == "GET" and path == "/shipments":
            return self._list_shipments(request.query)
        if method == "GET" and path == "/stores":
            return _json(200, load_sample("list_stores_response.json"))
        if method == "GET" and path == "/carriers":
            return _json(200, load_sample("list_carriers_response.json"))
        if method == "GET" and path == "/carriers/listservices":
            return _json(200, self._services(request.query.get("carrierCode", "")))
        if method == "GET" and path == "/carriers/listpackages":
            return _json(200, load_sample("list_packages_response.json"))
        if method == "POST" and path in (
            "/orders/createlabelfororder",
            "/orders/markasshipped",
            "/shipments/voidlabel",
        ):
            try:
                body = json.loads(request.raw_body)
            except ValueError:
                return _invalid("request", "The request body is not valid JSON.")
            if not isinstance(body, dict):
                return _invalid("request", "The request body must be a JSON object.")
            if path == "/orders/createlabelfororder":
                return self._create_label(body)
            if path == "/shipments/voidlabel":
                return self._void_label(body)
            return self._mark_as_shipped(body)
        return _json(404, {"Message": f"No HTTP resource was found that matches the request URI '{request.path}'."})

    def _list_orders(self, query: dict[str, str]) -> _Answer:
        try:
            page = int(query.get("page", "1"))
            size = int(query.get("pageSize", str(DEFAULT_PAGE_SIZE)))
        except ValueError:
            return _invalid("page", "The value is not valid for page or pageSize.")
        if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
            return _invalid("pageSize", f"page must be 1 or more and pageSize 1 to {MAX_PAGE_SIZE}.")
        orders = list(self._orders.values())
        for name, keep_later in (("modifyDateStart", True), ("modifyDateEnd", False)):
            if name in query:
                try:
                    bound = read_pacific(query[name], later=keep_later)
                except ValueError:
                    return _invalid(name, f"The value '{query[name]}' is not valid for {name}.")
                orders = [o for o in orders if (o.modified >= bound if keep_later else o.modified <= bound)]
        if "orderStatus" in query:
            status = query["orderStatus"]
            if status not in ORDER_STATUSES:
                return _invalid("orderStatus", f"The value '{status}' is not valid for orderStatus.")
            orders = [o for o in orders if o.data.get("orderStatus") == status]
        if "storeId" in query:
            orders = [
                o for o in orders if str((o.data.get("advancedOptions") or {}).get("storeId")) == query["storeId"]
            ]
        sort_by = SORT_FIELDS.get(query.get("sortBy", "").lower())
        descending = query.get("sortDir", "ASC").upper() == "DESC"

        def key(stored: _StoredOrder) -> tuple[Any, int]:
            order_id = stored.data.get("orderId")
            tie = order_id if isinstance(order_id, int) else 0
            if sort_by == "ModifyDate":
                return stored.modified, tie
            if sort_by == "OrderDate":
                return str(stored.data.get("orderDate") or ""), tie
            if sort_by == "CreateDate":
                return str(stored.data.get("createDate") or ""), tie
            return tie, 0

        orders.sort(key=key, reverse=descending)
        total = len(orders)
        size = min(size, self.most_orders_a_page or size)
        chosen = orders[(page - 1) * size : page * size]
        return _json(
            200,
            {
                "orders": [self._render(o) for o in chosen],
                "total": total,
                "page": page,
                "pages": math.ceil(total / size),
            },
        )

    def _services(self, carrier_code: str) -> list[dict[str, Any]]:
        if carrier_code == "fedex":
            return list(load_sample("list_services_fedex_response.json"))
        return []

    def _create_label(self, body: dict[str, Any]) -> _Answer:
        if not isinstance(body.get("testLabel"), bool):
            return _invalid("apiLabel.testLabel", f"The value '{body.get('testLabel')}' is not valid for Boolean.")
        for required in ("carrierCode", "serviceCode", "shipDate"):
            if not isinstance(body.get(required), str) or not body[required]:
                return _invalid(f"apiLabel.{required}", f"The {required} field is required.")
        carriers = {carrier["code"] for carrier in load_sample("list_carriers_response.json")}
        if body["carrierCode"] not in carriers:
            return _invalid("apiLabel.carrierCode", f"Invalid carrierCode '{body['carrierCode']}'.")
        services = {service["code"] for service in self._services(body["carrierCode"])}
        if services and body["serviceCode"] not in services:
            return _invalid("apiLabel.serviceCode", f"Invalid serviceCode '{body['serviceCode']}'.")
        packages = {package["code"] for package in load_sample("list_packages_response.json")}
        if body.get("packageCode") is not None and body["packageCode"] not in packages:
            return _invalid("apiLabel.packageCode", "Invalid packageCode")
        order_id = body.get("orderId")
        stored = self._orders.get(order_id) if isinstance(order_id, int) else None
        if stored is None:
            return _server_error(500, "Object reference not set to an instance of an object.")
        shipment_id = self._next_shipment_id
        self._next_shipment_id += 1
        tracking = f"9400100000{shipment_id:012d}"
        name = (stored.data.get("shipTo") or {}).get("name") or ""
        pdf = _label_pdf(tracking, name, body["carrierCode"], body["serviceCode"])
        insured = (body.get("insuranceOptions") or {}).get("insuredValue") or 0
        if not body["testLabel"]:  # a test label leaves the order as it was, as the real service does
            self._ship_dates_before_labels[shipment_id] = stored.data.get("shipDate")
            stored.data.update(orderStatus="shipped", shipDate=body["shipDate"])
            stored.modified = datetime.now(UTC)
        insurance_cost = Decimal("1.25") if insured else Decimal(0)
        self.labels.append(
            {
                **body,
                "trackingNumber": tracking,
                "shipmentId": shipment_id,
                "voided": False,
                "createDate": pacific_text(datetime.now(UTC)),
                "insuranceCost": insurance_cost,
            }
        )
        return _json(
            200,
            {
                "shipmentId": shipment_id,
                "shipmentCost": Decimal("7.30"),
                "insuranceCost": insurance_cost,
                "trackingNumber": tracking,
                "labelData": None if self.labels_without_pdf else base64.b64encode(pdf).decode("ascii"),
                "formData": None,
            },
        )

    def _list_shipments(self, query: dict[str, str]) -> _Answer:
        labels = [label for label in self.labels if not label.get("testLabel")]  # a test label ships nothing
        if "orderId" in query:
            if not query["orderId"].isdigit():
                return _invalid("orderId", f"The value '{query['orderId']}' is not valid for orderId.")
            labels = [label for label in labels if label.get("orderId") == int(query["orderId"])]
        shipments = [
            {
                "shipmentId": label["shipmentId"],
                "orderId": label.get("orderId"),
                "orderNumber": self._orders[label["orderId"]].data.get("orderNumber")
                if label.get("orderId") in self._orders
                else None,
                "createDate": label.get("createDate"),
                "shipDate": label.get("shipDate"),
                "shipmentCost": Decimal("7.30"),
                "insuranceCost": label.get("insuranceCost", Decimal(0)),
                "trackingNumber": label["trackingNumber"],
                "isReturnLabel": False,
                "carrierCode": label.get("carrierCode"),
                "serviceCode": label.get("serviceCode"),
                "packageCode": label.get("packageCode"),
                "confirmation": label.get("confirmation"),
                "voided": label["voided"],
                "voidDate": label.get("voidDate"),
                "shipmentItems": None,
            }
            for label in labels
        ]
        return _json(200, {"shipments": shipments, "total": len(shipments), "page": 1, "pages": 1})

    def _void_label(self, body: dict[str, Any]) -> _Answer:
        shipment_id = body.get("shipmentId")
        if not isinstance(shipment_id, int) or isinstance(shipment_id, bool):
            return _invalid("apiRequest.shipmentId", "The shipmentId field is required.")
        self.void_calls.append(body)
        if self.refuse_voids_with is not None:
            return _json(200, {"approved": False, "message": self.refuse_voids_with})
        label = next((label for label in self.labels if label["shipmentId"] == shipment_id), None)
        if label is None:
            return _json(200, {"approved": False, "message": "Unable to void label"})
        if label["voided"]:
            return _json(200, {"approved": False, "message": "Label already voided"})
        label["voided"] = True
        label["voidDate"] = pacific_text(datetime.now(UTC))
        stored = self._orders.get(label["orderId"])
        if stored is not None and not label["testLabel"]:
            ship_date = self._ship_dates_before_labels.pop(shipment_id, None)
            stored.data.update(orderStatus="awaiting_shipment", shipDate=ship_date)
            stored.modified = datetime.now(UTC)
        self.voided_shipment_ids.append(shipment_id)
        return _json(200, {"approved": True, "message": "Label voided successfully"})

    def _mark_as_shipped(self, body: dict[str, Any]) -> _Answer:
        for flag in ("notifyCustomer", "notifySalesChannel"):
            if flag in body and not isinstance(body[flag], bool):
                return _invalid(f"apiRequest.{flag}", f"The value '{body[flag]}' is not valid for Boolean.")
        if not isinstance(body.get("carrierCode"), str) or not body["carrierCode"]:
            return _invalid("apiRequest.carrierCode", "The carrierCode field is required.")
        if "shipDate" in body:
            try:
                date.fromisoformat(str(body["shipDate"]))
            except ValueError:
                return _invalid("apiRequest.shipDate", f"The value '{body['shipDate']}' is not valid for shipDate.")
        order_id = body.get("orderId")
        stored = self._orders.get(order_id) if isinstance(order_id, int) else None
        self.shipped_calls.append(body)
        if stored is None:
            return _json(404, {"Message": "The requested order was not found."})
        status = stored.data.get("orderStatus")
        if status in ("shipped", "cancelled"):
            return _invalid("apiRequest.orderId", f"Order {stored.data.get('orderNumber')} is already {status}.")
        stored.data.update(orderStatus="shipped", shipDate=body.get("shipDate"))
        stored.modified = datetime.now(UTC)
        self.marked_shipped.append(int(str(order_id)))
        return _json(200, {"orderId": order_id, "orderNumber": stored.data.get("orderNumber")})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real service

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        fake: FakeShipStation = self.server.fake  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        authorization = self.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(f"{fake.api_key}:{fake.api_secret}".encode()).decode()
        request = RecordedRequest(
            method=self.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            raw_body=raw_body,
            authorized=authorization == expected,
        )
        answer = fake._answer(request, authorization)
        if answer is None:
            self.close_connection = True
            return
        request.status = answer.status
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except OSError:
            self.close_connection = True  # the client gave up waiting (a slow answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> _Answer:
    def encode(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value)
        raise TypeError(f"{type(value).__name__} is not JSON")

    return _Answer(status, json.dumps(payload, default=encode).encode(), headers=dict(headers or {}))


def _invalid(name: str, message: str) -> _Answer:
    return _json(400, {"Message": "The request is invalid.", "ModelState": {name: [message]}})


def _server_error(status: int, message: str = "An unexpected error occurred (fault injected by the test).") -> _Answer:
    if status != 500:
        return _Answer(status, f"<html><body><h1>{status} Service Unavailable</h1></body></html>".encode(), "text/html")
    return _json(
        500,
        {
            "Message": "An error has occurred.",
            "ExceptionMessage": message,
            "ExceptionType": "System.NullReferenceException",
            "StackTrace": None,
        },
    )


def _label_pdf(tracking: str, ship_to: str, carrier: str, service: str) -> bytes:
    """A 4×6 in label: carrier and service, the recipient, and the tracking number as Code 128 on whole dots."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(288, 432))
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(18, 396, f"{carrier.upper()}  {service}")
    canvas.setFont("Helvetica", 12)
    canvas.drawString(18, 360, "SHIP TO:")
    canvas.drawString(18, 344, ship_to)
    barcode = Code128(tracking, barWidth=2 * LABEL_DOT, barHeight=80, quiet=True, humanReadable=True)
    barcode.drawOn(canvas, round((288 - barcode.width) / 2 / LABEL_DOT) * LABEL_DOT, 120)
    canvas.drawString(18, 80, f"TRACKING # {tracking}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
