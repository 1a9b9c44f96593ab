"""CSV import speed: a 100,000-line order file read, checked and written into a fresh cache file.

Run: .venv/bin/python bench/bench_import.py [--lines N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from orders_csv import write_orders_csv

from shipdesk.cache import open_cache
from shipdesk.upstream.csv_import import import_csv
from shipdesk.upstream.csvfile import read_orders_csv

TARGET_LINES_PER_SECOND = 50_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="print where the time goes (cProfile)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "orders.csv"
        orders = write_orders_csv(csv_path, args.lines, seed=7)
        size_mb = csv_path.stat().st_size / 1e6
        print(f"generated {args.lines:,} lines, {orders:,} orders, {size_mb:.1f} MB")

        started = time.perf_counter()
        read_orders_csv(csv_path, store="bench", zone=UTC)
        read_only = time.perf_counter() - started

        cache = open_cache(Path(folder) / "bench.sqlite")
        profiler = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        report = import_csv(cache, csv_path, store="bench", zone=UTC)
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
        cache.close()

    assert report.lines_read == args.lines and not report.skipped, report.summary_lines()[:5]
    print(f"read and check only: {read_only:.2f} s ({args.lines / read_only:,.0f} lines/s)")
    print(
        f"full import into a fresh cache: {elapsed:.2f} s — {args.lines / elapsed:,.0f} lines/s,"
        f" {report.orders_read / elapsed:,.0f} orders/s (target {TARGET_LINES_PER_SECOND:,} lines/s),"
        f" read by {report.processes} process(es)"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
