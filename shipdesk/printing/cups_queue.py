"""The OS print queue on Linux and macOS: a job handed to CUPS with its `lp` command.

`cups://QUEUE` names a queue, `cups://` the system's default one. PDF jobs go through the queue's driver;
raw jobs (ZPL, TSPL, ESC/POS bytes) pass untouched to printers whose queue is raw.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from shipdesk.printing.errors import PrinterError

_REQUEST_ID = re.compile(r"request id is (\S+)")
_DEFAULT_QUEUE = re.compile(r"^system default destination: ([^/\s]+)", re.MULTILINE)
LP_TIMEOUT_SECONDS = 30
LPSTAT_TIMEOUT_SECONDS = 10

_log = logging.getLogger(__name__)


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
        self._refuse_if_paused()
        command = [lp, "-t", title, *self._server_option()]
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

    def _server_option(self) -> list[str]:
        return ["-h", self.server] if self.server else []

    def _refuse_if_paused(self) -> None:
        """Raises PrinterError when the queue is stopped (paused by hand, or by CUPS when its printer was unplugged).

        `lp` takes jobs into a stopped queue and succeeds, so a label sent there would count as printed while it waits
        for someone to resume the queue. A state that cannot be read is left to `lp` to report.
        """
        queue = (self.queue or self._default_queue()).split("/")[0]  # a queue, not its instance (Office/duplex)
        if queue and _queue_is_paused(self._lpstat("-p", queue), queue):
            raise PrinterError(
                f"The print queue {queue} is paused; resume it in the printer settings (or: cupsenable {queue})"
            )

    def _default_queue(self) -> str:
        found = _DEFAULT_QUEUE.search(self._lpstat("-d"))
        return found.group(1) if found else ""

    def _lpstat(self, *args: str) -> str:
        """lpstat's answer in the C locale (its words are translated otherwise); '' when it cannot answer."""
        lpstat = shutil.which("lpstat")
        if lpstat is None:
            return ""
        command = [lpstat, *self._server_option(), *args]
        environment = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=LPSTAT_TIMEOUT_SECONDS, check=False, env=environment
            )
        except (subprocess.TimeoutExpired, OSError) as error:
            _log.warning("lpstat %s did not answer: %s", " ".join(args), error)
            return ""
        return done.stdout.decode(errors="replace") if done.returncode == 0 else ""

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


def _queue_is_paused(lpstat_printers: str, queue: str) -> bool:
    """Whether `lpstat -p` (C locale) reports `queue` stopped: "printer NAME disabled since …" rather than
    "printer NAME is idle." or "printer NAME now printing …"."""
    prefix = f"printer {queue} ".casefold()  # CUPS names are case-insensitive and lpstat answers with the queue's own
    for line in lpstat_printers.casefold().splitlines():
        if line.startswith(prefix):
            return line[len(prefix) :].startswith("disabled")
    return False
