"""Benchmark: 500 4×6 shipping labels rendered into one PDF.

Run: .venv/bin/python bench/bench_labels.py [--count N] [--size 4x6] [--dpi 203]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime
from decimal import Decimal

from shipdesk.domain import Address, LabelSize, Weight, WeightUnit
from shipdesk.printing.fonts import label_fonts
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.printing.label_pdf import render_labels_pdf
from shipdesk.shipping.own_courier import own_courier_tracking_number

SENDER = Address(
    name="Northwind Packing Co.", street1="12 Dock Road, Unit 4", city="Portland", state="OR", postal_code="97201"
)
NAMES = ["Zoë Ørsted", "José Núñez", "Łukasz Żółw", "Mary-Kate O'Neill", "Ada Lovelace"]


def sample_labels(count: int) -> list[ShippingLabel]:
    shipped_at = datetime(2026, 11, 22, 14, 30, tzinfo=UTC)
    return [
        ShippingLabel(
            sender=SENDER,
            recipient=Address(
                name=NAMES[index % len(NAMES)],
                company="Acme Widgets Ltd." if index % 3 == 0 else "",
                street1=f"{100 + index} Harbour Street",
                street2="Apartment 4B" if index % 2 else "",
                city="Springfield",
                state="IL",
                postal_code=f"{62700 + index % 100:05d}",
                country="US",
            ),
            carrier="Other / own courier",
            service="Standard",
            tracking_number=own_courier_tracking_number(10_000 + index, shipped_at),
            order_number=f"{100_000 + index}",
            ship_date=date(2026, 11, 22),
            package="Box 30×20×10" if index % 2 else "",
            weight=Weight(Decimal("1.25") + index % 7, WeightUnit.POUND),
        )
        for index in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--size", type=LabelSize, default=LabelSize.FOUR_BY_SIX)
    parser.add_argument("--dpi", type=int, default=203)
    args = parser.parse_args()
    labels = sample_labels(args.count)

    started = time.perf_counter()
    label_fonts()
    fonts_seconds = time.perf_counter() - started

    runs = []
    for _ in range(3):
        started = time.perf_counter()
        pdf = render_labels_pdf(labels, args.size, args.dpi)
        runs.append(time.perf_counter() - started)
    best = min(runs)
    print(f"font registration (once per process): {fonts_seconds:.3f} s")
    print(
        f"{args.count} labels ({args.size}, {args.dpi} dpi) into one PDF of {len(pdf) / 1024:.0f} KiB: "
        f"best {best:.3f} s of 3 runs ({', '.join(f'{run:.3f}' for run in runs)}), {args.count / best:.0f} labels/s"
    )


if __name__ == "__main__":
    main()
