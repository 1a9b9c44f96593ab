"""A printer's connection as a person fills it in (network, USB, serial, system printer, CUPS queue, folder) and as
its URI.

The fields make the URI a printer profile keeps, and a kept URI gives the fields back, so a printer can be edited.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit
from urllib.request import url2pathname

from shipdesk.printing.devices import RAW_PORT

BAUD_RATES = (2400, 4800, 9600, 19200, 38400, 57600, 115200)
DEFAULT_BAUD_RATE = 9600

_USB_ID = re.compile(r"([0-9A-Fa-f]{1,4}):([0-9A-Fa-f]{1,4})")
_HOST = re.compile(r"[A-Za-z0-9._-]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")  # a name, an IPv4 or an IPv6 address
_QUEUE_FORBIDDEN = re.compile(r"[\s/#\\]")  # CUPS refuses these in a queue name


class ConnectionKind(enum.Enum):
    NETWORK = "tcp"
    USB = "usb"
    SERIAL = "serial"
    SYSTEM = "system"  # a printer the operating system knows, printed to through QtPrintSupport (PDF only)
    OS_QUEUE = "cups"
    FOLDER = "file"


@dataclass(frozen=True, slots=True)
class Connection:
    """One kind's fields; the others are ignored. `options` keeps a URI's query the fields have no place for
    (?server= of a CUPS queue, ?suffix= of a folder), so editing a printer does not drop it."""

    kind: ConnectionKind
    host: str = ""
    port: int = RAW_PORT
    usb_id: str = ""  # vendor:product in hex, as lsusb shows it
    device: str = ""
    baudrate: int = DEFAULT_BAUD_RATE
    queue: str = ""  # empty: the system's default queue
    printer: str = ""  # a system printer's name as the OS shows it; empty: the system's default printer
    folder: str = ""
    options: tuple[tuple[str, str], ...] = ()

    def problems(self) -> list[str]:
        """What keeps these fields from naming a printer, in the user's words; empty when the URI is usable."""
        kind = self.kind
        if kind is ConnectionKind.NETWORK:
            host = self.host.strip()
            if not host:
                return ["a network printer needs its host: an IP address such as 192.168.1.50 or a name"]
            found = [] if _HOST.fullmatch(host.strip("[]")) else [f"{host!r} is not a host name or an IP address"]
            if not 1 <= self.port <= 65535:
                found.append(f"port {self.port} is not a port number from 1 to 65535")
            return found
        if kind is ConnectionKind.USB and not _USB_ID.fullmatch(self.usb_id.strip()):
            return ["a USB printer needs its vendor and product id, such as 0A5F:0164 (lsusb shows them)"]
        if kind is ConnectionKind.SERIAL:
            found = [] if self.device.strip() else ["a serial printer needs its port, such as /dev/ttyUSB0 or COM3"]
            return found + ([] if self.baudrate > 0 else [f"{self.baudrate} is not a baud rate"])
        if kind is ConnectionKind.OS_QUEUE and _QUEUE_FORBIDDEN.search(self.queue.strip()):
            return [f"{self.queue.strip()!r} is not a print queue name: queue names have no spaces, / or #"]
        if kind is ConnectionKind.FOLDER:
            folder = self.folder.strip()
            if not folder:
                return ["a folder printer needs the folder its jobs go to"]
            if not Path(folder).expanduser().is_absolute():
                return [f"the folder {folder!r} needs its full path, such as {Path.home() / 'labels'}"]
        return []

    @property
    def uri(self) -> str:
        """The URI a profile keeps; only meaningful when `problems()` is empty."""
        kind = self.kind
        options = list(self.options)
        if kind is ConnectionKind.NETWORK:
            host = self.host.strip()
            if ":" in host and not host.startswith("["):
                host = f"[{host}]"
            address = f"{host}:{self.port}"
        elif kind is ConnectionKind.USB:
            address = _usb_id(self.usb_id) or self.usb_id.strip()
        elif kind is ConnectionKind.SERIAL:
            address = quote(self.device.strip(), safe="/:\\")
            options = [("baudrate", str(self.baudrate)), *options]
        elif kind is ConnectionKind.OS_QUEUE:
            address = quote(self.queue.strip(), safe="")
        elif kind is ConnectionKind.SYSTEM:
            address = quote(self.printer.strip(), safe="")
        else:
            folder = Path(self.folder.strip()).expanduser()
            if not folder.is_absolute():
                return f"file://{quote(str(folder))}"
            address = folder.as_uri().removeprefix("file://")
        query = f"?{urlencode(options)}" if options else ""
        return f"{kind.value}://{address}{query}"

    def describe(self) -> str:
        """The connection in a few words, as a list of printers shows it."""
        kind = self.kind
        if kind is ConnectionKind.NETWORK:
            return f"network {self.host}:{self.port}"
        if kind is ConnectionKind.USB:
            return f"USB {_usb_id(self.usb_id) or self.usb_id}"
        if kind is ConnectionKind.SERIAL:
            return f"serial {self.device}, {self.baudrate} baud"
        if kind is ConnectionKind.OS_QUEUE:
            return f"print queue {self.queue}" if self.queue else "the default print queue"
        if kind is ConnectionKind.SYSTEM:
            return f"system printer {self.printer}" if self.printer else "the system's default printer"
        return f"folder {self.folder}"


def parse_connection(uri: str) -> Connection | None:
    """The fields of a kept URI, read as `open_device` reads it; None when the form could not show it."""
    parts = urlsplit(uri.strip())
    try:
        kind = ConnectionKind(parts.scheme)
    except ValueError:
        return None
    query = parse_qsl(parts.query)
    if kind is ConnectionKind.NETWORK:
        try:
            port = parts.port or RAW_PORT
        except ValueError:
            return None
        return Connection(kind, host=parts.hostname or "", port=port, options=tuple(query))
    if kind is ConnectionKind.USB:
        return Connection(kind, usb_id=parts.netloc or parts.path.strip("/"), options=tuple(query))
    if kind is ConnectionKind.SERIAL:
        rates = [value for key, value in query if key == "baudrate"]
        if rates and not rates[-1].isdigit():
            return None
        others = tuple((key, value) for key, value in query if key != "baudrate")
        baudrate = int(rates[-1]) if rates else DEFAULT_BAUD_RATE
        return Connection(kind, device=unquote(parts.netloc + parts.path), baudrate=baudrate, options=others)
    if kind is ConnectionKind.OS_QUEUE:
        return Connection(kind, queue=unquote(parts.netloc + parts.path).strip("/"), options=tuple(query))
    if kind is ConnectionKind.SYSTEM:
        return Connection(kind, printer=system_printer_name(uri), options=tuple(query))
    return Connection(kind, folder=url2pathname(parts.path), options=tuple(query))


def _usb_id(text: str) -> str:
    """VID:PID as four hex digits each, e.g. 0A5F:0164; empty when `text` is not one."""
    found = _USB_ID.fullmatch(text.strip())
    return f"{int(found[1], 16):04X}:{int(found[2], 16):04X}" if found else ""


def system_printer_name(uri: str) -> str:
    """The printer a system:// URI names, as the operating system spells it; empty for the default printer."""
    parts = urlsplit(uri.strip())
    return unquote(parts.netloc + parts.path).strip("/")
