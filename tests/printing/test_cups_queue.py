"""Printing through the OS queue: a real, private CUPS server receives the jobs."""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from datetime import date

import pypdfium2
import pytest

from shipdesk.printing.cups_queue import CupsQueue
from shipdesk.printing.errors import PrinterError
from tests.printing.cups_server import CupsServer, TcpSink, wait_for_pdf
from tests.printing.scanning import pdf_scan


def test_a_label_pdf_sent_to_a_cups_queue_arrives_as_a_pdf(cups_server: CupsServer) -> None:
    from shipdesk.domain import Address, LabelSize
    from shipdesk.printing.label_content import ShippingLabel
    from shipdesk.printing.label_pdf import render_labels_pdf

    label = ShippingLabel(
        sender=Address(name="Shipdesk Warehouse", street1="1 Dock Rd", city="Oakland", country="US"),
        recipient=Address(name="Zoë Ørsted", street1="Nørregade 7", city="København", country="DK"),
        carrier="DHL Express",
        service="Worldwide",
        tracking_number="JD014600006281234567",
        order_number="1001",
        ship_date=date(2026, 11, 22),
    )
    title = f"shipdesk-test-{secrets.token_hex(4)}"
    queue = CupsQueue(cups_server.pdf_queue, server=str(cups_server.socket_path))
    job = queue.send(render_labels_pdf([label], LabelSize.FOUR_BY_SIX), title=title)
    assert job.startswith(cups_server.pdf_queue)
    cups_server.wait_until_idle()
    arrived = wait_for_pdf(f"{title}*.pdf")
    try:
        assert len(pypdfium2.PdfDocument(arrived)) == 1
        assert pdf_scan(arrived) == ["JD014600006281234567"]
    finally:
        arrived.unlink()


def test_raw_printer_language_passes_through_a_raw_queue_byte_for_byte(cups_server: CupsServer) -> None:
    zpl = "^XA^CI28^FO50,50^A0N,40,40^FDZoë Ørsted^FS^XZ".encode()
    before = len(cups_server.raw_sink.received)
    CupsQueue(cups_server.raw_queue, server=str(cups_server.socket_path)).send(zpl, title="zpl", raw=True)
    cups_server.wait_until_idle()
    assert bytes(cups_server.raw_sink.received[before:]) == zpl


def test_an_unknown_queue_is_named_in_plain_words(cups_server: CupsServer) -> None:
    queue = CupsQueue("Front_Desk", server=str(cups_server.socket_path))
    with pytest.raises(PrinterError, match="print queue 'Front_Desk': there is no such queue"):
        queue.send(b"%PDF-1.4", title="x")


def test_a_cups_uri_opens_the_queue_and_sends_printer_language_raw(cups_server: CupsServer) -> None:
    from shipdesk.printing.devices import open_device

    tspl = b"SIZE 101.6 mm,152.4 mm\r\nCLS\r\nPRINT 1\r\n"
    before = len(cups_server.raw_sink.received)
    device = open_device(f"cups://{cups_server.raw_queue}?server={cups_server.socket_path}")
    assert device.name == f"print queue '{cups_server.raw_queue}'"
    device.send(tspl)
    cups_server.wait_until_idle()
    assert bytes(cups_server.raw_sink.received[before:]) == tspl


@pytest.fixture
def paused_raw_queue(cups_server: CupsServer) -> Iterator[tuple[str, TcpSink]]:
    """A raw queue to a working printer, stopped as CUPS stops a queue whose USB printer was unplugged."""
    queue = f"paused-{secrets.token_hex(3)}"
    with cups_server.raw_queue_to_a_printer(queue) as sink:
        cups_command(cups_server, "cupsdisable", "-r", "Unplugged", queue)
        yield queue, sink


def cups_command(cups_server: CupsServer, tool: str, *args: str) -> str:
    done = subprocess.run([tool, "-h", str(cups_server.socket_path), *args], check=True, capture_output=True, text=True)
    return done.stdout


def test_a_paused_queue_refuses_the_job_in_plain_words_and_holds_nothing(
    cups_server: CupsServer, paused_raw_queue: tuple[str, TcpSink]
) -> None:
    queue_name, sink = paused_raw_queue
    queue = CupsQueue(queue_name, server=str(cups_server.socket_path))
    zpl = b"^XA^FO50,50^A0N,40,40^FD1001^FS^XZ"
    with pytest.raises(PrinterError) as refused:
        queue.send(zpl, title="zpl", raw=True)
    assert str(refused.value) == (
        f"The print queue {queue_name} is paused; resume it in the printer settings (or: cupsenable {queue_name})"
    )
    assert cups_command(cups_server, "lpstat", "-o", queue_name) == ""  # no label waits to come out later
    # Resumed, the same label prints.
    cups_command(cups_server, "cupsenable", queue_name)
    queue.send(zpl, title="zpl", raw=True)
    cups_server.wait_until_idle()
    assert bytes(sink.received) == zpl


def test_the_default_queue_paused_is_named_when_it_refuses(
    cups_server: CupsServer, paused_raw_queue: tuple[str, TcpSink], monkeypatch: pytest.MonkeyPatch
) -> None:
    queue_name, _ = paused_raw_queue
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # lpstat's own words are read in the C locale whatever the station's
    cups_server.lpadmin("-d", queue_name)  # the queue is removed after the test, and the default with it
    with pytest.raises(PrinterError, match=f"The print queue {queue_name} is paused"):
        CupsQueue(server=str(cups_server.socket_path)).send(b"^XA^XZ", raw=True)


def test_a_queue_named_in_other_capitals_is_still_seen_paused(
    cups_server: CupsServer, paused_raw_queue: tuple[str, TcpSink]
) -> None:
    queue_name, _ = paused_raw_queue
    with pytest.raises(PrinterError, match="is paused"):
        CupsQueue(queue_name.upper(), server=str(cups_server.socket_path)).send(b"^XA^XZ", raw=True)
