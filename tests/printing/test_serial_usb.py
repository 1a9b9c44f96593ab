"""Serial and USB printers: a job written to a serial line arrives byte for byte (a pseudo-terminal stands in for
the cable) and still scans, however long a slow line takes; a line that stops taking a job, a missing port or an
unplugged USB printer is reported in words a packer can act on."""

from __future__ import annotations

import errno
import os
import re
import select
import threading
import time

import pytest
import serial

from shipdesk.domain import LabelSize
from shipdesk.printing.devices import SerialDevice, UsbDevice, open_device
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.label_formats import render_label
from tests.printing.scanning import zbar_scan
from tests.printing.test_label_pdf import USPS_LIKE, make_label
from tests.printing.test_tspl import parse, rebuild


class SerialLine:
    """The far end of a serial cable: a pseudo-terminal whose other side shipdesk opens as its port.

    With `pause` it takes a few KB at a time, as a slow line; with `stop_after` it takes nothing more once it has that
    many bytes, as a printer that jams."""

    def __init__(self, pause: float = 0, stop_after: int | None = None) -> None:
        self._master, slave = os.openpty()
        self.port = os.ttyname(slave)
        os.close(slave)  # pyserial opens the port by its name, as it would /dev/ttyUSB0
        self.received = bytearray()
        self._pause, self._stop_after = pause, stop_after
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stop.is_set() and (self._stop_after is None or len(self.received) < self._stop_after):
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if ready:
                try:
                    self.received += os.read(self._master, 4096 if self._pause else 65536)
                except OSError:  # no one has the port open at this moment
                    continue
                time.sleep(self._pause)

    def wait_for(self, size: int) -> bytes:
        for _ in range(200):
            if len(self.received) >= size:
                break
            time.sleep(0.05)
        return bytes(self.received)

    def close(self) -> None:
        self._stop.set()
        self._reader.join(5)
        os.close(self._master)


def test_a_label_sent_down_a_serial_line_arrives_whole_and_scans() -> None:
    line = SerialLine()
    job = render_label(make_label(USPS_LIKE), LabelSize.FOUR_BY_SIX, "tspl", 203)
    try:
        device = open_device(f"serial://{line.port}?baudrate=115200")
        assert isinstance(device, SerialDevice) and device.baudrate == 115200
        device.send(job)
        received = line.wait_for(len(job))
    finally:
        line.close()

    assert received == job
    assert zbar_scan(rebuild(parse(received))) == [USPS_LIKE]


def test_a_long_label_down_a_serial_line_slower_than_the_timeout_arrives_whole() -> None:
    # A 124 KB label takes 11 s down a 115200 baud line, 2 minutes at 9600: the timeout is for a line that stalls.
    line = SerialLine(pause=0.05)  # takes 4 KB every 50 ms: the label takes longer than the timeout
    job = render_label(make_label(USPS_LIKE), LabelSize.FOUR_BY_SIX, "tspl", 203)
    try:
        SerialDevice(line.port, 9600, timeout=0.5).send(job)
        received = line.wait_for(len(job))
    finally:
        line.close()
    assert received == job


def test_a_serial_printer_that_stops_taking_a_label_part_way_says_how_much_went_out() -> None:
    line = SerialLine(stop_after=20_000)
    job = render_label(make_label(USPS_LIKE), LabelSize.FOUR_BY_SIX, "tspl", 203)
    try:
        with pytest.raises(PrinterError) as raised:
            SerialDevice(line.port, 9600, timeout=0.5).send(job)
    finally:
        line.close()
    message = re.escape(f"The printer on {line.port} stopped taking the job part-way: it took nothing more for 0.5 s, ")
    size = re.escape(f" of {len(job) / 1000:.1f} kB; is it out of labels or jammed?")
    assert re.fullmatch(rf"{message}after [\d.]+{size}", str(raised.value))


def test_a_serial_port_that_is_not_there_is_named() -> None:
    with pytest.raises(PrinterError) as raised:
        open_device("serial:///dev/ttyUSB-shipdesk-missing?baudrate=9600").send(b"SIZE 4,6\r\n")
    assert str(raised.value).startswith("The printer on /dev/ttyUSB-shipdesk-missing cannot be reached: ")


def test_a_missing_serial_port_is_named_as_typed_and_says_what_to_check() -> None:
    with pytest.raises(PrinterError) as raised:
        open_device("serial:///dev/ttyUSB-Shipdesk-Missing9").send(b"SIZE 4,6\r\n")
    assert str(raised.value) == (
        "The printer on /dev/ttyUSB-Shipdesk-Missing9 cannot be reached: this computer has no such port; "
        "check the printer's cable, and the port in the printer's settings"
    )


def failing_serial(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    """pyserial's port, as it fails on a computer we cannot make fail that way here."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(serial, "Serial", refuse)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            serial.SerialException(errno.EACCES, "could not open port /dev/ttyS0: [Errno 13] Permission denied"),
            "this computer does not let shipdesk use that port (on Linux: add your user to the dialout group, "
            "then log in again)",
        ),
        (
            serial.SerialException(errno.EBUSY, "could not open port /dev/ttyS0: [Errno 16] Device or resource busy"),
            "another program is using that port; close it, then print again",
        ),
        (
            serial.SerialTimeoutException("Write timeout"),
            "it took nothing for 10 s; is it switched on, out of labels or jammed?",
        ),
        (
            serial.SerialException(errno.EPROTO, "could not open port /dev/ttyS0: [Errno 71] Protocol error"),
            "could not open port /dev/ttyS0: Protocol error",  # unknown: as pyserial said it, without the errno
        ),
    ],
)
def test_a_serial_port_that_fails_says_why_in_plain_words(
    monkeypatch: pytest.MonkeyPatch, error: Exception, reason: str
) -> None:
    failing_serial(monkeypatch, error)
    with pytest.raises(PrinterError) as raised:
        open_device("serial:///dev/ttyS0").send(b"SIZE 4,6\r\n")
    assert str(raised.value) == f"The printer on /dev/ttyS0 cannot be reached: {reason}"


def test_a_windows_com_port_in_use_or_missing_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    # pyserial on Windows gives no errno, only the text of the system's error.
    failing_serial(
        monkeypatch,
        serial.SerialException("could not open port 'COM3': PermissionError(13, 'Access is denied.', None, 5)"),
    )
    with pytest.raises(PrinterError) as in_use:
        open_device("serial://COM3").send(b"SIZE 4,6\r\n")
    failing_serial(
        monkeypatch,
        serial.SerialException(
            "could not open port 'COM7': FileNotFoundError(2, 'The system cannot find the file specified.', None, 2)"
        ),
    )
    with pytest.raises(PrinterError) as missing:
        open_device("serial://COM7").send(b"SIZE 4,6\r\n")

    assert str(in_use.value) == (
        "The printer on COM3 cannot be reached: another program is using that port, "
        "or this computer does not let shipdesk use it"
    )
    assert str(missing.value).startswith("The printer on COM7 cannot be reached: this computer has no such port; ")


def test_a_usb_printer_that_is_not_plugged_in_says_so() -> None:
    device = open_device("usb://0A5F:0164")
    assert isinstance(device, UsbDevice) and device.name == "USB 0A5F:0164"
    with pytest.raises(PrinterError) as raised:
        device.send(b"^XA^XZ")
    assert str(raised.value) in (
        "The printer USB 0A5F:0164 is not plugged in or is switched off",
        "The printer USB 0A5F:0164 cannot be reached: USB printing needs libusb "
        "(on Debian or Ubuntu: sudo apt-get install libusb-1.0-0)",
    )


def test_a_usb_address_that_is_not_vendor_and_product_is_refused() -> None:
    with pytest.raises(PrinterError, match=r"write it as usb://0A5F:0164"):
        open_device("usb://zebra")


@pytest.mark.parametrize(
    ("uri", "port", "baudrate"),
    [("serial:///dev/ttyUSB0?baudrate=19200", "/dev/ttyUSB0", 19200), ("serial://COM3?baudrate=9600", "COM3", 9600)],
)
def test_a_serial_port_is_named_as_linux_and_windows_name_it(uri: str, port: str, baudrate: int) -> None:
    device = open_device(uri)
    assert isinstance(device, SerialDevice) and (device.port, device.baudrate) == (port, baudrate)
