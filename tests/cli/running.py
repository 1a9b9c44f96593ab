"""`python -m shipdesk` as a packer's script runs it, on a cache of a store's day: what the review tests share."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# The OS keyring would find whatever this machine has; these commands need none.
NO_KEYRING = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}

# A store's export: 1001 to pack, 1002 on hold in the store, 1003 not paid yet, 1004 cancelled.
ORDERS_CSV = """\
Order #,Order Date,Order Status,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity,Unit Price
1001,2026-11-20 09:15:00,Processing,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG-BLU,Blue enamel mug,2,12.50
1002,2026-11-20 10:00:00,On hold,José Núñez,Calle Mayor 5,Madrid,28013,ES,APR-LIN,Linen apron,1,24.00
1003,2026-11-21 16:45:00,Pending payment,Łukasz Żółw,ul. Długa 12,Gdańsk,80-827,PL,SOCK-W,Wool socks,3,9.90
1004,2026-11-21 17:00:00,Cancelled,Ana Lima,Rua Augusta 10,Lisboa,1100-053,PT,SOCK-W,Wool socks,1,9.90
"""


def shipdesk(
    db: Path, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, stdout: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The command run to its end; `stdout`: a file descriptor it writes to (a terminal, a pipe) instead of ours."""
    return subprocess.run(
        [sys.executable, "-m", "shipdesk", "--db", str(db), *args],
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        cwd=cwd or db.parent,
        env={**NO_KEYRING, **(env or {})},
        check=False,
        timeout=120,
    )


def with_orders(tmp_path: Path) -> Path:
    """A cache with orders 1001–1004 imported from the store's export, as a packer starts the day."""
    db = tmp_path / "cache.sqlite"
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV, encoding="utf-8")
    imported = shipdesk(db, "import-csv", str(orders), "--timezone", "UTC")
    assert imported.returncode == 0, imported.stderr
    return db


def orders_json(db: Path) -> dict[str, dict[str, object]]:
    """Every order as `shipdesk orders --json` lists it, by order number."""
    listed = shipdesk(db, "orders", "--json")
    assert listed.returncode == 0, listed.stderr
    return {str(order["order_number"]): order for order in json.loads(listed.stdout)}


def outbox(db: Path) -> list[dict[str, object]]:
    listed = shipdesk(db, "outbox", "--json")
    assert listed.returncode == 0, listed.stderr
    result: list[dict[str, object]] = json.loads(listed.stdout)
    return result


def error_lines(finished: subprocess.CompletedProcess[bytes]) -> list[str]:
    """What the command said on stderr, but the warning every label without a sender address gets."""
    return [line for line in finished.stderr.decode().splitlines() if "no sender address is set" not in line]
