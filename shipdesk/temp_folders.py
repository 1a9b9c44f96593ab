"""shipdesk's own temporary folders: named after the process that made them, so a later run can remove those that a
killed run left behind.

A process removes its folders itself when it ends; one killed outright (or whose computer lost power) cannot. Each
folder is named shipdesk-<what>-<process id>-<random>, and one whose process is gone is removed at the next start.
The demo's folder is not among them: it keeps the labels printed in the demo for the user to look at.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# What each folder holds: python-escpos's printer database, and the pieces of a large CSV file read by other processes.
KINDS = ("escpos", "import")


def folder_prefix(kind: str) -> str:
    """The start of the name of a temporary folder of this process holding `kind` (one of KINDS)."""
    assert kind in KINDS, kind
    return f"shipdesk-{kind}-{os.getpid()}-"


def remove_abandoned_folders(temp_dir: Path | None = None) -> list[Path]:
    """Removes the folders of shipdesk processes that no longer run; returns those removed.

    Only where the system can say whether a process runs without touching it (Linux, macOS); elsewhere none.
    """
    if os.name != "posix":
        return []
    folder = temp_dir or Path(tempfile.gettempdir())
    removed: list[Path] = []
    for kind in KINDS:
        for abandoned in folder.glob(f"shipdesk-{kind}-*-*"):
            owner = _process_id(abandoned.name, kind)
            if owner is None or owner == os.getpid() or _runs(owner) or not abandoned.is_dir():
                continue
            shutil.rmtree(abandoned, ignore_errors=True)  # another user's folder in a shared /tmp stays, as it should
            if not abandoned.exists():
                removed.append(abandoned)
    return removed


def _process_id(name: str, kind: str) -> int | None:
    digits = name.removeprefix(f"shipdesk-{kind}-").partition("-")[0]
    return int(digits) if digits.isascii() and digits.isdigit() else None


def _runs(process_id: int) -> bool:
    try:
        os.kill(process_id, 0)  # signal 0 is no signal: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    except OverflowError:
        return False  # no process has such a number
    return True
