"""Printer connections named by a URI: a folder, raw TCP (port 9100), USB, serial, a CUPS queue, or a system printer.

`open_device(uri).send(job)` delivers one job's bytes or raises PrinterError in words a person can act on.
System printers (system://NAME) print through QtPrintSupport, which lives in the UI layer: the program registers
their opener with `use_system_printers` before it prints.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import re
import secrets
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from shipdesk.printing.cups_queue import CupsQueue
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.folder_printer import os_error_reason, write_file_whole
from shipdesk.printing.printer_status import STATUS_QUERIES, answer_complete, status_problem

if sys.platform != "win32":
    import fcntl

RAW_PORT = 9100
TIMEOUT = 10.0  # seconds to connect, and that a printer may take nothing more of a job before it is given up
STATUS_WAIT = 0.5  # seconds a printer gets to answer a status query before it is taken as one that never answers
# Seconds a network printer gets to close after the last byte where the system cannot tell how much of a job the
# printer took (Windows): a reset then means it dropped the job, silence that it has it.
CLOSE_WAIT = 2.0
CHUNK = 16 * 1024  # bytes handed to a network connection at a time, so the printer's progress can be followed
POLL = 0.05  # seconds between looks at how much of a job a network printer has taken
SCHEMES = ("file", "tcp", "usb", "serial", "cups", "system")


class Device(Protocol):
    """Where raw jobs go; `name` says it to a person, e.g. "192.168.1.50:9100"."""

    @property
    def name(self) -> str: ...

    def send(self, job: bytes) -> None: ...


SystemPrinterOpener = Callable[[str], Device]  # takes the system:// URI
_system_printers: list[SystemPrinterOpener] = []


def use_system_printers(opener: SystemPrinterOpener) -> None:
    """Lets open_device open system:// printers with `opener` from now on."""
    _system_printers[:] = [opener]


def open_device(uri: str, timeout: float = TIMEOUT, language: str = "") -> Device:
    """The device a connection URI names, e.g. tcp://192.168.1.50:9100 or serial:///dev/ttyUSB0?baudrate=9600.

    With the printer's `language`, a raw TCP printer is asked before each job whether it can print.

    Raises PrinterError when the URI is not one shipdesk can use or its driver package is not installed.
    """
    parts = urlsplit(uri.strip())
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "file":
        return FolderDevice(Path(unquote(parts.path)), query.get("suffix", ".prn"))
    if parts.scheme == "tcp":
        if not parts.hostname:
            raise PrinterError(f"The printer address {uri} has no host: write it as tcp://192.168.1.50:9100")
        try:
            port = parts.port or RAW_PORT
        except ValueError:
            raise PrinterError(f"The printer address {uri} has a port that is not a number from 1 to 65535") from None
        return TcpDevice(parts.hostname, port, timeout, language)
    if parts.scheme == "serial":
        # serial:///dev/ttyUSB0 names a path; serial://COM3 (Windows) names the port where a host would be.
        return SerialDevice(unquote(parts.netloc + parts.path), int(query.get("baudrate", "9600")), timeout)
    if parts.scheme == "usb":
        return UsbDevice.from_ids(parts.netloc or parts.path.strip("/"), timeout)
    if parts.scheme == "cups":
        # cups://QUEUE, or cups:// for the system's default queue; ?server= names another CUPS server or socket.
        return CupsDevice(CupsQueue(unquote(parts.netloc + parts.path).strip("/"), server=query.get("server", "")))
    if parts.scheme == "system":
        if not _system_printers:
            raise PrinterError(f"Cannot print to {uri}: system printers are not available in this program")
        return _system_printers[0](uri)
    raise PrinterError(f"{uri} is not a printer address shipdesk knows; start it with one of {', '.join(SCHEMES)}://")


# ----------------------------------------------------------------------------- a folder


@dataclass(frozen=True, slots=True)
class FolderDevice:
    """Each job becomes a new file, e.g. job-2026-11-22-143012-a1b2c3.zpl, that appears whole."""

    folder: Path
    suffix: str = ".prn"

    @property
    def name(self) -> str:
        return str(self.folder)

    def send(self, job: bytes) -> None:
        stem = f"job-{datetime.now():%Y-%m-%d-%H%M%S}-{secrets.token_hex(3)}"
        staged = self.folder / f".{stem}.part"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_file_whole(job, staged)
            os.replace(staged, self.folder / f"{stem}{self.suffix}")
        except OSError as error:
            with contextlib.suppress(OSError):  # the folder itself may be what is missing
                staged.unlink(missing_ok=True)
            raise PrinterError(f"Cannot write print jobs to {self.folder}: {os_error_reason(error)}") from error


# ----------------------------------------------------------------------------- raw TCP, as JetDirect port 9100


_SOCKET_REASONS = {
    errno.ECONNREFUSED: "connection refused",
    errno.EHOSTUNREACH: "no route to it on the network",
    errno.ENETUNREACH: "the network cannot be reached",
    errno.ECONNRESET: "it closed the connection",
    errno.EPIPE: "it closed the connection",
    errno.ENOTCONN: "it closed the connection",
}


def _socket_reason(error: OSError) -> str:
    if isinstance(error, TimeoutError):
        return "it did not respond in time"
    if isinstance(error, socket.gaierror):
        return "that name cannot be found on the network"
    return _SOCKET_REASONS.get(error.errno or 0) or (error.strerror or str(error)).lower()


_SIOCOUTQ = 0x5411  # Linux ioctl (TIOCOUTQ on a socket): bytes not yet acknowledged by the far end
_SO_NWRITE = 0x1024  # macOS socket option: the same


def _unsent_bytes(connection: socket.socket) -> int | None:
    """Bytes written to the connection that the printer has not acknowledged yet (with our close, once sent);
    None where the system has no way to tell (Windows, and any system but Linux and macOS)."""
    if sys.platform == "linux":
        answer = fcntl.ioctl(connection.fileno(), _SIOCOUTQ, bytes(4))
        return int.from_bytes(answer, sys.byteorder, signed=True)
    if sys.platform == "darwin":
        return connection.getsockopt(socket.SOL_SOCKET, _SO_NWRITE)
    return None


def _printer_closed(connection: socket.socket) -> bool:
    """Whether the printer has closed its side, waiting up to the connection's timeout for it.

    What a printer sends back meanwhile (status bytes) is read and not needed; a reset raises OSError."""
    try:
        return not connection.recv(4096)
    except TimeoutError:
        return False


def _kilobytes(count: int) -> str:
    return f"{count / 1000:.1f}".removesuffix(".0")


@dataclass(slots=True)
class _Progress:
    """How much of a job a printer has taken, and since when it has taken nothing more."""

    size: int
    timeout: float
    taken: int = 0
    since: float = field(default_factory=time.monotonic)

    def stalled(self, taken: int) -> bool:
        """Notes that the printer has taken `taken` bytes so far; whether it took nothing more for `timeout`."""
        now = time.monotonic()
        if taken > self.taken:
            self.taken, self.since = taken, now
        return now - self.since >= self.timeout


@dataclass(frozen=True, slots=True)
class TcpDevice:
    """A raw port-9100 printer. With `status_language` it is asked whether it can print before each job."""

    host: str
    port: int = RAW_PORT
    timeout: float = TIMEOUT
    status_language: str = ""
    # Set once the printer left a status query unanswered: it is not asked again, so jobs are not slowed.
    _silent: set[str] = field(default_factory=set, compare=False, repr=False)

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}"

    def send(self, job: bytes) -> None:
        """One connection per job: connect, send every byte, close our side, then wait for the printer to close.

        Bytes this computer has sent are no label: the job counts as printed once the printer has acknowledged every
        byte, then closed its side, which it does once it has read up to our close; a reset means it dropped the job.
        `timeout` limits how long the printer may take nothing more, never the whole job, so a slow printer that
        keeps taking is waited for.
        """
        try:
            connection = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as error:
            raise PrinterError(f"The printer at {self.name} did not answer ({_socket_reason(error)})") from error
        with connection:
            self._check_status(connection)
            try:
                self._deliver(connection, job)
            except OSError as error:
                raise PrinterError(
                    f"The printer at {self.name} stopped taking the job part-way ({_socket_reason(error)})"
                ) from error

    def _check_status(self, connection: socket.socket) -> None:
        """Raise PrinterError when the printer says it cannot print (out of labels, head open); before any byte."""
        language = self.status_language
        query = STATUS_QUERIES.get(language)
        if query is None or language in self._silent:
            return
        answer = b""
        try:
            connection.sendall(query)
            connection.settimeout(min(self.timeout, STATUS_WAIT))
            while not answer_complete(language, answer):
                chunk = connection.recv(256)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            pass
        except OSError as error:
            raise PrinterError(f"The printer at {self.name} did not take the job ({_socket_reason(error)})") from error
        finally:
            connection.settimeout(self.timeout)
        if not answer_complete(language, answer):
            self._silent.add(language)
            return
        problem = status_problem(language, answer)
        if problem:
            raise PrinterError(f"The printer at {self.name} cannot print: {problem}")

    def _deliver(self, connection: socket.socket, job: bytes) -> None:
        connection.settimeout(POLL)
        progress = _Progress(len(job), self.timeout)
        self._send_in_chunks(connection, job, progress)
        connection.shutdown(socket.SHUT_WR)
        if _unsent_bytes(connection) is None:
            # Windows cannot say how much of the job the printer took: as before, a printer that neither resets nor
            # closes within CLOSE_WAIT is taken to have it all, even one that read nothing.
            self._wait_briefly_for_close(connection)
        elif not self._wait_until_taken(connection, progress):
            self._wait_for_close(connection)

    def _send_in_chunks(self, connection: socket.socket, job: bytes, progress: _Progress) -> None:
        view = memoryview(job)
        sent = 0
        while sent < len(job):
            with contextlib.suppress(TimeoutError):  # this computer's send buffer is full until the printer takes more
                sent += connection.send(view[sent : sent + CHUNK])
            unsent = _unsent_bytes(connection)
            if progress.stalled(sent if unsent is None else sent - unsent):
                raise self._stalled(progress)

    def _wait_until_taken(self, connection: socket.socket, progress: _Progress) -> bool:
        """Waits until the printer has acknowledged every byte and our close; whether it closed its side meanwhile."""
        closed = False
        while unsent := _unsent_bytes(connection):
            if progress.stalled(progress.size - unsent):
                raise self._stalled(progress)
            if closed:
                time.sleep(POLL)  # a closed side reads as empty at once
            else:
                closed = _printer_closed(connection)
        return closed

    def _wait_for_close(self, connection: socket.socket) -> None:
        # The printer's network card acknowledges a short job by itself, even while the printer reads nothing (out
        # of labels, buffer full): only its close says the printer read the job.
        deadline = time.monotonic() + self.timeout
        while not _printer_closed(connection):
            if time.monotonic() >= deadline:
                raise PrinterError(
                    f"The printer at {self.name} did not finish reading the job in {self.timeout:g} s; "
                    "is it out of labels or jammed?"
                )

    def _wait_briefly_for_close(self, connection: socket.socket) -> None:
        connection.settimeout(min(self.timeout, CLOSE_WAIT))
        try:
            while connection.recv(4096):  # status bytes some printers send back are not needed
                pass
        except TimeoutError:
            return  # a printer that keeps the connection open is not an error here

    def _stalled(self, progress: _Progress) -> PrinterError:
        return PrinterError(
            f"The printer at {self.name} took nothing more for {self.timeout:g} s "
            f"(it took {_kilobytes(progress.taken)} of {_kilobytes(progress.size)} kB); is it out of labels or jammed?"
        )


# ----------------------------------------------------------------------------- serial and USB, if installed


def _needs(package: str, module: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise PrinterError(f"{what} printers need the {package} package, which is not installed here") from None


_PORT_MISSING = "this computer has no such port; check the printer's cable, and the port in the printer's settings"
_SERIAL_REASONS = {
    errno.ENOENT: _PORT_MISSING,
    errno.ENODEV: _PORT_MISSING,
    errno.ENXIO: "nothing answers on that port; check that the printer is switched on and its cable plugged in",
    errno.EACCES: "this computer does not let shipdesk use that port (on Linux: add your user to the dialout group, "
    "then log in again)",
    errno.EPERM: "this computer does not let shipdesk use that port",
    errno.EBUSY: "another program is using that port; close it, then print again",
    errno.EIO: "the port stopped working; unplug the printer's cable and plug it in again",
}
# pyserial on Windows names the error's class in its text, with no errno: "could not open port 'COM3':
# FileNotFoundError(2, ...)". A COM port refused there is nearly always one another program holds open.
_WINDOWS_SERIAL_REASONS = {
    "FileNotFoundError": _PORT_MISSING,
    "PermissionError": "another program is using that port, or this computer does not let shipdesk use it",
}
_ERRNO_TEXT = re.compile(r"\[(?:Win)?Errno -?\d+\]\s*")


def _serial_reason(error: Exception, serial: Any, timeout: float) -> str:
    """Why a serial port took no job, in a packer's words; never lower-cased, as port names are case-sensitive."""
    if isinstance(error, serial.SerialTimeoutException):
        return f"it took nothing for {timeout:g} s; is it switched on, out of labels or jammed?"
    text = str(error)
    known = _SERIAL_REASONS.get(getattr(error, "errno", None) or 0) or next(
        (reason for kind, reason in _WINDOWS_SERIAL_REASONS.items() if kind in text), ""
    )
    return known or _ERRNO_TEXT.sub("", text)


@dataclass(frozen=True, slots=True)
class SerialDevice:
    port: str
    baudrate: int = 9600
    timeout: float = TIMEOUT

    @property
    def name(self) -> str:
        return self.port

    def send(self, job: bytes) -> None:
        serial = _needs("pyserial", "serial", "Serial")
        try:
            # pyserial's write_timeout limits one write() whole: the job goes in chunks, each with its own timeout.
            with serial.Serial(self.port, self.baudrate, timeout=self.timeout, write_timeout=self.timeout) as line:
                self._write_in_chunks(line, job, serial)
                line.flush()
        except (OSError, serial.SerialException) as error:
            reason = _serial_reason(error, serial, self.timeout)
            raise PrinterError(f"The printer on {self.port} cannot be reached: {reason}") from error

    def _write_in_chunks(self, line: Any, job: bytes, serial: Any) -> None:
        size = self._chunk_size()
        for start in range(0, len(job), size):
            try:
                line.write(job[start : start + size])
            except serial.SerialTimeoutException as error:
                if start == 0:
                    raise
                raise PrinterError(
                    f"The printer on {self.port} stopped taking the job part-way: it took nothing more for "
                    f"{self.timeout:g} s, after {_kilobytes(start)} of {_kilobytes(len(job))} kB; "
                    "is it out of labels or jammed?"
                ) from error

    def _chunk_size(self) -> int:
        # A tenth of what the line carries in `timeout` (10 bits a byte), so only a line that stalls times out.
        return max(64, min(4096, int(self.baudrate / 10 * self.timeout / 10)))


@dataclass(frozen=True, slots=True)
class UsbDevice:
    vendor: int
    product: int
    timeout: float = TIMEOUT

    @classmethod
    def from_ids(cls, ids: str, timeout: float = TIMEOUT) -> UsbDevice:
        try:
            vendor, product = (int(part, 16) for part in ids.split(":"))
        except ValueError:
            raise PrinterError(
                f"usb://{ids} is not a USB printer id: write it as usb://0A5F:0164 (vendor:product)"
            ) from None
        return cls(vendor, product, timeout)

    @property
    def name(self) -> str:
        return f"USB {self.vendor:04X}:{self.product:04X}"

    def send(self, job: bytes) -> None:
        core = _needs("pyusb", "usb.core", "USB")
        util = importlib.import_module("usb.util")
        try:
            found = core.find(idVendor=self.vendor, idProduct=self.product)
        except core.NoBackendError:
            raise PrinterError(
                f"The printer {self.name} cannot be reached: USB printing needs libusb "
                "(on Debian or Ubuntu: sudo apt-get install libusb-1.0-0)"
            ) from None
        if found is None:
            raise PrinterError(f"The printer {self.name} is not plugged in or is switched off")
        try:
            interface = found.get_active_configuration()[(0, 0)]
            endpoint = util.find_descriptor(
                interface,
                custom_match=lambda e: util.endpoint_direction(e.bEndpointAddress) == util.ENDPOINT_OUT,
            )
            if endpoint is None:
                raise PrinterError(f"The printer {self.name} has no way to take data over USB")
            endpoint.write(job, timeout=int(self.timeout * 1000))
        except core.USBError as error:
            raise PrinterError(f"The printer {self.name} did not take the job ({str(error).lower()})") from error


# ----------------------------------------------------------------------------- the OS print queue


@dataclass(frozen=True, slots=True)
class CupsDevice:
    """A CUPS queue: PDF jobs go through the queue's driver, printer-language jobs pass raw."""

    queue: CupsQueue

    @property
    def name(self) -> str:
        return self.queue.shown_name

    def send(self, job: bytes) -> None:
        self.queue.send(job, raw=not job.startswith(b"%PDF"))
