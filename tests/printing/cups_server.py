"""A private CUPS server for the tests: its own config, spool and socket in a temp folder.

cupsd never starts by itself on these machines, and the tests must not touch the system's queues.
cups-pdf's backend runs only as root, so without root (or without CUPS) the tests that need it skip.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CUPSD = "/usr/sbin/cupsd"
# Where the private server lives, known before it starts: the tests point CUPS_SERVER here at once (tests/conftest.py),
# so nothing a test prints ever reaches the machine's own printers, and libcups, which reads the variable once,
# finds the private server whenever a test starts it.
ROOT = Path(tempfile.gettempdir()) / f"shipdesk-cups-{os.getpid()}"
SOCKET = ROOT / "cups.sock"
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")


@dataclass
class TcpSink:
    """A raw-socket printer (port 9100 style) that keeps every byte it is sent."""

    port: int = 0
    received: bytearray = field(default_factory=bytearray)
    _server: socket.socket | None = None

    def start(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        assert self._server is not None
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            with connection:
                while chunk := connection.recv(65536):
                    self.received += chunk

    def close(self) -> None:
        if self._server is not None:
            self._server.close()


@dataclass
class CupsServer:
    socket_path: Path
    pdf_queue: str
    raw_queue: str
    raw_sink: TcpSink

    def lpadmin(self, *args: str) -> None:
        subprocess.run(["lpadmin", "-h", str(self.socket_path), *args], check=True, capture_output=True)

    def wait_until_idle(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = subprocess.run(
                ["lpstat", "-h", str(self.socket_path), "-o"], capture_output=True, text=True, check=False
            ).stdout
            if not jobs.strip():
                return
            time.sleep(0.2)
        raise AssertionError(f"CUPS jobs did not finish: {jobs}")

    @contextlib.contextmanager
    def raw_queue_to_a_printer(self, queue: str) -> Iterator[TcpSink]:
        """A raw queue of that name to a working port-9100 printer, removed with its jobs afterwards: the printer."""
        sink = TcpSink()
        sink.start()
        self.lpadmin("-p", queue, "-E", "-v", f"socket://127.0.0.1:{sink.port}", "-m", "raw")
        try:
            yield sink
        finally:
            subprocess.run(["cancel", "-h", str(self.socket_path), "-a", queue], check=False, capture_output=True)
            self.lpadmin("-x", queue)
            sink.close()


# cups-pdf writes each job to the submitting user's ~/PDF, named after the job title.
CUPS_PDF_OUT = Path.home() / "PDF"


def wait_for_pdf(pattern: str, timeout: float = 30) -> Path:
    """The first PDF cups-pdf wrote whose name matches `pattern`, once it is there."""
    return wait_for_pdfs(pattern, 1, timeout)[0]


def wait_for_pdfs(pattern: str, count: int, timeout: float = 30) -> list[Path]:
    """The PDFs cups-pdf wrote whose names match `pattern`, once there are `count` of them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(CUPS_PDF_OUT.glob(pattern))
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{count} × {pattern} did not arrive in {CUPS_PDF_OUT}")


def _why_no_cups() -> str:
    if os.geteuid() != 0:
        return "the private cupsd runs the cups-pdf backend, which needs root (.ci/run runs as root)"
    for tool in ("lp", "lpadmin", "lpstat"):
        if shutil.which(tool) is None:
            return f"CUPS is not installed ({tool} missing): apt-get install cups cups-client printer-driver-cups-pdf"
    if not Path(CUPSD).exists() or not CUPS_PDF_BACKEND.exists():
        return "cupsd or cups-pdf is not installed: apt-get install cups printer-driver-cups-pdf"
    return ""


def _write_config(root: Path) -> tuple[Path, Path]:
    for name in ("spool", "cache", "state", "log", "tmp"):
        (root / name).mkdir()
    root.chmod(0o755)
    (root / "tmp").chmod(0o1777)  # filters run as the lp user and write here
    socket_path = root / "cups.sock"
    cupsd_conf = root / "cupsd.conf"
    cupsd_conf.write_text(
        f"Listen {socket_path}\nLogLevel warn\nWebInterface No\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    files_conf = root / "cups-files.conf"
    files_conf.write_text(
        f"ServerRoot {root}\nRequestRoot {root}/spool\nCacheDir {root}/cache\nStateDir {root}/state\n"
        f"TempDir {root}/tmp\nErrorLog {root}/log/error_log\nAccessLog {root}/log/access_log\n"
        f"PageLog {root}/log/page_log\n"
    )
    return cupsd_conf, files_conf


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    reason = _why_no_cups()
    if reason:
        pytest.skip(reason)
    # Not under pytest's temp folder: its parents are private to root, and CUPS filters run as the lp user.
    root = ROOT
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    cupsd_conf, files_conf = _write_config(root)
    daemon = subprocess.Popen([CUPSD, "-f", "-c", str(cupsd_conf), "-s", str(files_conf)])
    sink = TcpSink()
    sink.start()
    try:
        socket_path = root / "cups.sock"
        deadline = time.monotonic() + 10
        while not socket_path.exists():
            if time.monotonic() > deadline or daemon.poll() is not None:
                pytest.fail(f"the private cupsd did not start; see {root}/log/error_log")
            time.sleep(0.05)
        server = CupsServer(socket_path, "shipdesk-pdf", "shipdesk-zebra", sink)
        server.lpadmin("-p", server.pdf_queue, "-E", "-v", "cups-pdf:/", "-P", str(CUPS_PDF_PPD))
        server.lpadmin("-p", server.raw_queue, "-E", "-v", f"socket://127.0.0.1:{sink.port}", "-m", "raw")
        yield server
    finally:
        daemon.terminate()
        daemon.wait(10)
        sink.close()
        shutil.rmtree(root, ignore_errors=True)
