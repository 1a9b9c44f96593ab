"""The real `shipdesk` command run as a process, on a desktop of the test's making: its home, locale and keyring.

Each run gets its own home folder, so the cache lands in the platform data folder under it, as on a first start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from shipdesk.cache import open_cache
from shipdesk.cache.stores import StoreRecord, add_store

SHIPDESK = Path(sys.executable).parent / "shipdesk"
ROOT = Path(__file__).resolve().parents[2]
NO_KEYRING = "keyring.backends.fail.Keyring"
# Root passes every permission check: a run as root drops the capabilities that let it, as a plain user has none.
_WITHOUT_ROOTS_PASS = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def desktop(home: Path, **variables: str) -> dict[str, str]:
    """The environment of a desktop session whose home is `home`, with `variables` changed ("" removes one)."""
    environment = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PYTHON_KEYRING_BACKEND": NO_KEYRING,
        "PYTHONPATH": str(ROOT),  # where tests.fakes.troubled_keyrings is found
    }
    environment.update(variables)
    return {name: value for name, value in environment.items() if value != ""}


def data_folder(home: Path) -> Path:
    return home / ".local" / "share" / "shipdesk"


def shipdesk(
    home: Path,
    *args: str,
    changes: Mapping[str, str] | None = None,
    as_plain_user: bool = False,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`shipdesk ARGS…` as typed in a terminal of the desktop `home`, its environment with `changes` ("" removes a
    variable); `as_plain_user` takes root's pass away."""
    command = [str(SHIPDESK), *args]
    if as_plain_user and os.geteuid() == 0:
        assert shutil.which("setpriv"), "setpriv (util-linux) runs the command without root's pass"
        command = [*_WITHOUT_ROOTS_PASS, *command]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=desktop(home, **(changes or {})),
        input=input if input is not None else "",
        timeout=120,
    )


ORDERS_CSV = """Order #,Order Date,Recipient,Address 1,City,State,Postal Code,Country,SKU,Item Name,Quantity,Unit Price
1001,2026-11-02,Zoë Ørsted,1 Harbor Way,Oakland,CA,94607,US,MUG-1,Mug,1,5.00
1002,2026-11-02,José Núñez,2 Harbor Way,Oakland,CA,94607,US,MUG-2,Mug,1,5.00
"""


def orders_file(folder: Path) -> Path:
    path = folder / "orders.csv"
    path.write_text(ORDERS_CSV, encoding="utf-8")
    return path


def a_store_connected_before(home: Path) -> None:
    """Store Main, as connected on this desktop before its keyring went wrong."""
    cache = open_cache(data_folder(home) / "shipdesk.sqlite")
    add_store(cache, StoreRecord("Main", "shipstation", {"api_key": "KEY", "base_url": "https://127.0.0.1:9"}))
    cache.close()
