"""The OS print queue on Linux and macOS: a job handed to CUPS with its `lp` command.

`cups://QUEUE` names a queue, `cups://` the system's default one. PDF jobs go through the queue's driver;
raw jobs (ZPL, TSPL, ESC/POS bytes) pass untouched to printers whose queue is raw.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from shipdesk.printing.errors import PrinterError

_REQUEST_ID = re.compile(r"request id is (\S+)")
LP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True, slots=True)
class CupsQueue:
    queue: str = ""  # empty: the system's default queue
    server: str = ""  # a CUPS server or socket; empty: the system's own

    @property
    def shown_name(self) -> str:
        return f"print queue {self.queue!r}" if self.queue else "the default print queue"

    def send(self, data: bytes, *, title: str = "shipdesk", raw: bool = False) -> str:
        """Hands `data` to CUPS as one job; returns the job id. Raises PrinterError in the user's words."""
        lp = shutil.which("lp")
        if lp is None:
            raise PrinterError(f"Cannot print to {self.shown_name}: CUPS is not installed (no lp command)")
        command = [lp, "-t", title]
        if self.server:
            command += ["-h", self.server]
        if self.queue:
            command += ["-d", self.queue]
        if raw:
            command += ["-o", "raw"]
        try:
            done = subprocess.run(command, input=data, capture_output=True, timeout=LP_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise PrinterError(f"Cannot print to {self.shown_name}: CUPS did not answer within 30 s") from None
        answer = done.stdout.decode(errors="replace")
        if done.returncode != 0:
            raise PrinterError(
                f"Cannot print to {self.shown_name}: {self._reason(done.stderr.decode(errors='replace'))}"
            )
        found = _REQUEST_ID.search(answer)
        return found.group(1) if found else ""

    def _reason(self, error: str) -> str:
        text = error.strip().removeprefix("lp: ").removeprefix("Error - ").strip()
        lowered = text.lower()
        if "does not exist" in lowered:
            return "there is no such queue, or the print service is not running"
        if "no default destination" in lowered:
            return "the system has no default printer; choose a queue"
        if "not accepting jobs" in lowered:
            return "the queue is not accepting jobs; enable it in the printer settings"
        return text or "CUPS refused the job"
