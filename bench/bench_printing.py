"""Benchmark: one label and a 500-label batch in every output language, and the bytes each label takes.

Run: .venv/bin/python bench/bench_printing.py [--count 500] [--dpi 203] [--size 4x6]
Targets: every batch ready in under 5 s of one core's time; a native ZPL label under 4 KB.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench_labels import sample_labels

from shipdesk.domain import LabelSize
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.printing.label_formats import image_to_format, render_label
from shipdesk.printing.label_pdf import render_labels_pdf
from shipdesk.printing.raster import rasterise_pdf

BATCH_TARGET_S = 5.0
ZPL_NATIVE_TARGET = 4096


def timed(work: Callable[[], list[bytes]]) -> tuple[float, float, list[bytes]]:
    """CPU seconds (what one core spends, steady on a busy machine), wall seconds, and the jobs."""
    cpu, wall = time.process_time(), time.perf_counter()
    jobs = work()
    return time.process_time() - cpu, time.perf_counter() - wall, jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--size", type=LabelSize, default=LabelSize.FOUR_BY_SIX)
    parser.add_argument("--dpi", type=int, default=203)
    args = parser.parse_args()
    labels: list[ShippingLabel] = sample_labels(args.count)
    size, dpi, media = args.size, args.dpi, args.size.label_mm
    render_label(labels[0], size, "zpl", dpi)  # fonts registered and caches warm, as in a running app

    provider_pdf = render_labels_pdf(labels, size, dpi)  # stands in for a carrier's multi-page label PDF

    def provider_batch() -> list[bytes]:
        return [image_to_format(page, "tspl", dpi, media) for page in rasterise_pdf(provider_pdf, dpi, media)]

    def label_batch(fmt: str) -> Callable[[], list[bytes]]:
        return lambda: [render_label(label, size, fmt, dpi) for label in labels]

    batches: dict[str, Callable[[], list[bytes]]] = {
        "PDF (reportlab, one file)": lambda: [render_labels_pdf(labels, size, dpi)],
        "provider PDF → raster → TSPL": provider_batch,
        **{
            name: label_batch(fmt)
            for name, fmt in (
                ("ESC/POS (GS v 0)", "escpos"),
                ("ZPL native fields", "zpl"),
                ("ZPL ^GFA Z64 image", "zpl-image"),
                ("TSPL BITMAP", "tspl"),
                ("PNG", "png"),
            )
        },
    }
    print(f"{args.count} labels, {size.value}, {dpi} dpi, one core")
    print(f"{'output':<30} {'per label':>10} {'batch CPU':>9} {'wall':>7} {'bytes/label':>12}  target")
    failures = []
    for name, work in batches.items():
        seconds, wall, jobs = timed(work)
        per_label = sum(len(job) for job in jobs) / args.count
        within = seconds < BATCH_TARGET_S
        note = "ok" if within else f"SLOWER than {BATCH_TARGET_S:g} s"
        if name == "ZPL native fields":
            largest = max(len(job) for job in jobs)
            note += f"; largest {largest} B ({'ok' if largest < ZPL_NATIVE_TARGET else 'over 4 KB'})"
            if largest >= ZPL_NATIVE_TARGET:
                failures.append(name)
        if not within:
            failures.append(name)
        print(
            f"{name:<30} {seconds / args.count * 1000:>8.2f}ms {seconds:>8.2f}s {wall:>6.2f}s"
            f" {per_label:>12,.0f}  {note}"
        )
    single = [timed(lambda: [render_labels_pdf([labels[0]], size, dpi)])[0] for _ in range(5)]
    print(f"one PDF label alone: {statistics.median(single) * 1000:.1f} ms (median of 5)")
    print("targets met" if not failures else f"targets missed: {', '.join(failures)}")


if __name__ == "__main__":
    main()
