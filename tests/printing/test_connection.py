"""A connection filled in field by field becomes the URI a profile keeps, that URI gives the fields back, and the
device the URI opens is the printer the fields named."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipdesk.printing.connection import Connection, ConnectionKind, parse_connection
from shipdesk.printing.devices import FolderDevice, SerialDevice, TcpDevice, UsbDevice, open_device

NETWORK, USB, SERIAL, SYSTEM, OS_QUEUE, FOLDER = (
    ConnectionKind.NETWORK,
    ConnectionKind.USB,
    ConnectionKind.SERIAL,
    ConnectionKind.SYSTEM,
    ConnectionKind.OS_QUEUE,
    ConnectionKind.FOLDER,
)


@pytest.mark.parametrize(
    ("connection", "uri"),
    [
        (Connection(NETWORK, host="192.168.1.50", port=9100), "tcp://192.168.1.50:9100"),
        (Connection(NETWORK, host="fe80::1", port=9101), "tcp://[fe80::1]:9101"),
        (Connection(USB, usb_id="0A5F:0164"), "usb://0A5F:0164"),
        (Connection(SERIAL, device="/dev/ttyUSB0", baudrate=19200), "serial:///dev/ttyUSB0?baudrate=19200"),
        (Connection(OS_QUEUE, queue="Office_Laser"), "cups://Office_Laser"),
        (Connection(OS_QUEUE), "cups://"),
        (Connection(OS_QUEUE, queue="Zebra", options=(("server", "print.local"),)), "cups://Zebra?server=print.local"),
        (Connection(FOLDER, folder="/srv/label jobs"), "file:///srv/label%20jobs"),
        (Connection(SYSTEM, printer="ZDesigner GK420d"), "system://ZDesigner%20GK420d"),
        (Connection(SYSTEM, printer="\\\\print-server\\Zebra"), "system://%5C%5Cprint-server%5CZebra"),
        (Connection(SYSTEM, printer="HP LaserJet (Office: 2/F)"), "system://HP%20LaserJet%20%28Office%3A%202%2FF%29"),
        (Connection(SYSTEM), "system://"),
    ],
)
def test_fields_make_the_uri_and_the_uri_gives_them_back(connection: Connection, uri: str) -> None:
    assert connection.problems() == []
    assert connection.uri == uri
    assert parse_connection(uri) == connection


def test_the_uri_opens_the_device_the_fields_named(tmp_path: Path) -> None:
    assert open_device(Connection(NETWORK, host="192.168.1.50", port=9101).uri) == TcpDevice("192.168.1.50", 9101)
    assert open_device(Connection(USB, usb_id="a5f:164").uri) == UsbDevice(0x0A5F, 0x0164)
    assert open_device(Connection(SERIAL, device="/dev/ttyS1", baudrate=38400).uri) == SerialDevice("/dev/ttyS1", 38400)
    folder = tmp_path / "label jobs"
    assert open_device(Connection(FOLDER, folder=str(folder)).uri) == FolderDevice(folder)


def test_a_usb_id_is_written_as_lsusb_shows_it() -> None:
    assert Connection(USB, usb_id=" a5f:164 ").uri == "usb://0A5F:0164"
    assert Connection(USB, usb_id="0a5f:0164").describe() == "USB 0A5F:0164"


@pytest.mark.parametrize(
    ("connection", "problem"),
    [
        (
            Connection(NETWORK, host=" "),
            "a network printer needs its host: an IP address such as 192.168.1.50 or a name",
        ),
        (Connection(NETWORK, host="zebra desk"), "'zebra desk' is not a host name or an IP address"),
        (Connection(NETWORK, host="zebra", port=0), "port 0 is not a port number from 1 to 65535"),
        (
            Connection(USB, usb_id="zebra"),
            "a USB printer needs its vendor and product id, such as 0A5F:0164 (lsusb shows them)",
        ),
        (Connection(SERIAL), "a serial printer needs its port, such as /dev/ttyUSB0 or COM3"),
        (
            Connection(OS_QUEUE, queue="Office Laser"),
            "'Office Laser' is not a print queue name: queue names have no spaces, / or #",
        ),
        (Connection(FOLDER), "a folder printer needs the folder its jobs go to"),
    ],
)
def test_fields_that_name_no_printer_say_why(connection: Connection, problem: str) -> None:
    assert connection.problems() == [problem]


def test_a_folder_needs_its_full_path() -> None:
    [problem] = Connection(FOLDER, folder="labels").problems()
    assert problem.startswith("the folder 'labels' needs its full path")


@pytest.mark.parametrize("uri", ["lpr://office", "tcp://zebra:port", "serial:///dev/ttyUSB0?baudrate=fast"])
def test_a_uri_the_form_cannot_show_gives_none(uri: str) -> None:
    assert parse_connection(uri) is None


def test_each_kind_describes_itself_in_a_few_words() -> None:
    assert Connection(NETWORK, host="192.168.1.50").describe() == "network 192.168.1.50:9100"
    assert Connection(SERIAL, device="/dev/ttyUSB0").describe() == "serial /dev/ttyUSB0, 9600 baud"
    assert Connection(OS_QUEUE).describe() == "the default print queue"
    assert Connection(OS_QUEUE, queue="Office").describe() == "print queue Office"
    assert Connection(FOLDER, folder="/srv/labels").describe() == "folder /srv/labels"
    assert Connection(SYSTEM).describe() == "the system's default printer"
    assert Connection(SYSTEM, printer="ZDesigner GK420d").describe() == "system printer ZDesigner GK420d"
