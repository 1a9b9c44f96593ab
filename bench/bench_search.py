"""Search and list speed over 100,000 cached orders: the figure behind "a search < 50 ms".

Run: .venv/bin/python bench/bench_search.py
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shipdesk.cache import open_cache
from shipdesk.cache.orders import OrderQuery, list_order_ids, upsert_orders
from shipdesk.domain import Address, Item, Order, OrderStatus

ORDERS = 100_000
FIRST = ["Ada", "Zoë", "José", "Łukasz", "Grace", "Mei", "Olu", "Sven", "Priya", "Noor", "Kai", "Ana"]
LAST = ["Ørsted", "Núñez", "Żółw", "Hopper", "Lovelace", "Tanaka", "Okafor", "Berg", "Patel", "Haddad"]
PRODUCTS = ["Blue enamel mug", "Cast iron teapot", "Linen apron", "Oak cutting board", "Wool socks", "Tea towel"]


def make_orders(count: int, seed: int = 7) -> list[Order]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    orders = []
    for number in range(100_000, 100_000 + count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        items = tuple(
            Item(
                sku=f"SKU-{rng.randrange(5000):04d}",
                name=rng.choice(PRODUCTS),
                quantity=rng.randint(1, 3),
                unit_price=Decimal(rng.randrange(300, 9000)) / 100,
            )
            for _ in range(rng.randint(1, 4))
        )
        orders.append(
            Order(
                store="bench",
                upstream_id=str(number),
                order_number=str(number),
                order_date=start + timedelta(minutes=number - 100_000),
                status=rng.choice([OrderStatus.AWAITING_SHIPMENT] * 3 + [OrderStatus.SHIPPED]),
                customer_email=f"customer{number}@example.com",
                ship_to=Address(
                    name=name,
                    street1="1 Main St",
                    city="Springfield",
                    postal_code="12345",
                    country=rng.choice(["US", "CA", "GB", "DE", "PL"]),
                ),
                items=items,
            )
        )
    return orders


def timed_ms(action: object, repeats: int = 7) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        cache = open_cache(Path(folder) / "bench.sqlite")
        started = time.perf_counter()
        with cache.transaction() as conn:
            upsert_orders(conn, make_orders(ORDERS))
        print(f"filled {ORDERS:,} orders in {time.perf_counter() - started:.1f} s")
        queries = {
            "search a name 'nunez'": OrderQuery(search="nunez"),
            "search a rare order number '154321'": OrderQuery(search="154321"),
            "search a SKU 'SKU-0042'": OrderQuery(search="SKU-0042"),
            "search two words 'zoe teapot'": OrderQuery(search="zoe teapot"),
            "list all, sorted by date": OrderQuery(),
            "list awaiting shipment, sorted by name": OrderQuery(
                status=OrderStatus.AWAITING_SHIPMENT, sort="ship_name"
            ),
        }
        for label, query in queries.items():
            hits = len(list_order_ids(cache, query))
            print(f"{label:<48} {timed_ms(lambda q=query: list_order_ids(cache, q)):7.1f} ms  ({hits:,} orders)")
        print("target: a search over 100,000 orders < 50 ms")
        cache.close()


if __name__ == "__main__":
    main()
