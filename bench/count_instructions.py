"""Instructions an order costs: a ShipStation pull (parse + import rules + upsert) and a CSV import, counted, not timed.

The two speed figures of issues 2 and 4 move with this machine's hour by up to half; the instructions the CPU runs do
not (valgrind's callgrind counts them to within 0.1 % from run to run), so a change to those paths is measured here
against the code before it. Each workload runs twice under callgrind, once only set up and once set up and done; the
difference is the work. Needs valgrind (apt-get install valgrind); takes a few minutes, so ./dev bench leaves it out.

Run: .venv/bin/python bench/count_instructions.py [--orders N] [--lines N] [--only pull|csv]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sync import AnswersInMemory, answers, raw_orders
from orders_csv import write_orders_csv

from shipdesk.cache import open_cache
from shipdesk.cache.stores import StoreRecord, add_store, get_store
from shipdesk.upstream.csv_import import import_csv
from shipdesk.upstream.shipstation_connector import KIND
from shipdesk.upstream.sync import pull_orders

_TOTALS = re.compile(r"^(?:summary|totals): (\d+)", re.MULTILINE)


def _pull(folder: Path, count: int, work: bool) -> None:
    bodies = answers(raw_orders(count))
    cache = open_cache(folder / "pull.sqlite")
    add_store(cache, StoreRecord(name="Bench", kind=KIND))
    record = get_store(cache, "Bench")
    assert record is not None
    if work:
        report = pull_orders(cache, record, AnswersInMemory(bodies))
        assert report.inserted == count, report
    cache.close()


def _csv(folder: Path, lines: int, work: bool) -> None:
    path = folder / "orders.csv"
    write_orders_csv(path, lines, seed=7)
    cache = open_cache(folder / "csv.sqlite")
    if work:
        report = import_csv(cache, path, store="bench", zone=UTC, processes=1)
        assert report.lines_read == lines and not report.skipped, report.summary_lines()[:5]
    cache.close()


def _child(workload: str, size: int, work: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (_pull if workload == "pull" else _csv)(Path(folder), size, work)


def _instructions(workload: str, size: int, work: bool) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--child",
            workload,
            "--size",
            str(size),
        ]
        if work:
            command.append("--work")
        # The same hash seed in both runs: set and dict layouts, and so the instructions, do not vary between them.
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        found = _TOTALS.search(out.read_text())
        assert found is not None, "callgrind wrote no totals"
        return int(found[1])


def _work(workload: str, size: int) -> int:
    return _instructions(workload, size, work=True) - _instructions(workload, size, work=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=4_000, help="orders in the ShipStation pull")
    parser.add_argument("--lines", type=int, default=20_000, help="lines of the CSV file (read by one process)")
    parser.add_argument("--only", choices=("pull", "csv"), help="count one workload: the pull or the CSV import")
    parser.add_argument("--child", choices=("pull", "csv"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.size, args.work)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed here: apt-get install valgrind")
    if args.only in (None, "pull"):
        pull = _work("pull", args.orders)
        print(
            f"ShipStation pull, parse + import rules + upsert: {pull / args.orders:,.0f} instructions an order "
            f"({pull / 1e6:,.0f} M for {args.orders:,} orders)"
        )
    if args.only in (None, "csv"):
        csv = _work("csv", args.lines)
        print(
            f"CSV import, one process: {csv / args.lines:,.0f} instructions a line "
            f"({csv / 1e6:,.0f} M for {args.lines:,} lines)"
        )


if __name__ == "__main__":
    main()
