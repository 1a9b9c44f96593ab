"""Raw printer connections against real listeners on 127.0.0.1: exactly the bytes arrive, a printer that
drops a job mid-way or never reads it is reported in plain words, a slow one is waited for, and a batch keeps its
unsent jobs queued.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from shipdesk.domain import LabelSize
from shipdesk.printing.devices import FolderDevice, TcpDevice, open_device
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.label_formats import render_label
from shipdesk.printing.print_queue import PrintJob, PrintQueue
from tests.fakes.raw_printer import Listener, SlowPrinter, StuckPrinter
from tests.printing.test_label_pdf import UPS_LIKE, USPS_LIKE, make_label


@pytest.fixture
def printer() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


def label_job(number: str, fmt: str = "tspl") -> bytes:
    return render_label(make_label(number), LabelSize.FOUR_BY_SIX, fmt, 203)


def test_a_tcp_printer_receives_exactly_the_bytes_of_each_job(printer: Listener) -> None:
    device = open_device(f"tcp://127.0.0.1:{printer.port}")
    jobs = [label_job(USPS_LIKE), label_job(UPS_LIKE, "zpl"), b""]
    for job in jobs:
        device.send(job)
    printer.close()
    assert printer.jobs == jobs


def test_the_raw_port_defaults_to_9100() -> None:
    device = open_device("tcp://192.0.2.10")
    assert isinstance(device, TcpDevice) and device.name == "192.0.2.10:9100"


def test_a_printer_that_is_off_is_reported_by_its_address() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(PrinterError) as caught:
        open_device(f"tcp://127.0.0.1:{port}").send(b"^XA^XZ")
    assert str(caught.value) == f"The printer at 127.0.0.1:{port} did not answer (connection refused)"


def test_a_printer_that_drops_the_job_part_way_is_an_error_not_a_success() -> None:
    listener = Listener(drop_at=0)
    try:
        with pytest.raises(PrinterError, match=rf"The printer at 127.0.0.1:{listener.port} stopped taking the job"):
            TcpDevice("127.0.0.1", listener.port, timeout=5).send(label_job(UPS_LIKE))
    finally:
        listener.close()
    assert listener.jobs == [] and len(listener.dropped[0]) <= 1000


@pytest.fixture
def stuck() -> Iterator[StuckPrinter]:
    printer = StuckPrinter()
    yield printer
    printer.close()


def test_a_printer_that_takes_the_connection_but_reads_nothing_is_an_error_that_says_how_much_it_took(
    stuck: StuckPrinter,
) -> None:
    job = label_job(USPS_LIKE)  # a 124 KB bitmap: more than the printer's network card takes by itself
    with pytest.raises(PrinterError) as caught:
        TcpDevice("127.0.0.1", stuck.port, timeout=0.5).send(job)
    message = re.escape(f"The printer at 127.0.0.1:{stuck.port} took nothing more for 0.5 s (it took ")
    size = re.escape(f" of {len(job) / 1000:.1f} kB); is it out of labels or jammed?")
    assert re.fullmatch(rf"{message}[\d.]+{size}", str(caught.value))


def test_a_short_job_the_printer_never_reads_is_an_error_not_a_printed_label(stuck: StuckPrinter) -> None:
    # A native ZPL label is 1.5 KB: the printer's network card acknowledges it whole though the printer reads nothing.
    with pytest.raises(PrinterError) as caught:
        TcpDevice("127.0.0.1", stuck.port, timeout=0.5).send(label_job(UPS_LIKE, "zpl"))
    assert str(caught.value) == (
        f"The printer at 127.0.0.1:{stuck.port} did not finish reading the job in 0.5 s; is it out of labels or jammed?"
    )


def test_a_slow_printer_that_keeps_taking_a_long_label_has_all_of_it_when_the_job_is_counted_as_sent() -> None:
    printer = SlowPrinter(pause=0.05)  # takes the 124 KB label over longer than the timeout
    job = label_job(USPS_LIKE)
    try:
        TcpDevice("127.0.0.1", printer.port, timeout=1.0).send(job)
        received = bytes(printer.received)
    finally:
        printer.close()
    assert received == job


def test_a_printer_that_jams_while_still_taking_a_label_is_an_error_not_a_printed_label() -> None:
    printer = SlowPrinter(pause=0.05, jam_after=90_000)  # jams most of the way in, after more than the timeout
    job = label_job(USPS_LIKE)
    try:
        with pytest.raises(PrinterError, match=rf"The printer at 127.0.0.1:{printer.port} stopped taking the job"):
            TcpDevice("127.0.0.1", printer.port, timeout=1.0).send(job)
    finally:
        printer.close()
    assert printer.jammed.is_set() and len(printer.received) < len(job)


def test_a_batch_cut_off_mid_way_keeps_the_unsent_labels_queued_and_names_the_sent_ones() -> None:
    listener = Listener(drop_at=1)  # takes the first label, drops the second part-way
    numbers = [USPS_LIKE, UPS_LIKE, "OWN-000003"]
    jobs = [PrintJob(f"order-{index}", label_job(number)) for index, number in enumerate(numbers, 1)]
    queue = PrintQueue(TcpDevice("127.0.0.1", listener.port, timeout=5))
    queue.add(jobs)
    reported: list[str] = []
    try:
        result = queue.send(on_sent=lambda job: reported.append(job.key))
    finally:
        listener.close()
    assert result.sent == ("order-1",) and reported == ["order-1"]
    assert result.unsent == ("order-2", "order-3") and not result.complete
    assert result.error is not None and "stopped taking the job" in str(result.error)
    assert listener.jobs == [jobs[0].data]

    retry = Listener()  # the printer is back: the same queue sends what is left, in order
    queue.device = TcpDevice("127.0.0.1", retry.port, timeout=5)
    try:
        again = queue.send()
    finally:
        retry.close()
    assert again.sent == ("order-2", "order-3") and again.complete
    assert retry.jobs == [jobs[1].data, jobs[2].data]


def test_a_folder_printer_writes_each_job_whole_as_its_own_file(tmp_path: Path) -> None:
    device = open_device(f"file://{tmp_path}/out?suffix=.zpl")
    assert isinstance(device, FolderDevice)
    jobs = [label_job(USPS_LIKE, "zpl"), label_job(UPS_LIKE, "zpl")]
    for job in jobs:
        device.send(job)
    files = sorted((tmp_path / "out").iterdir())
    assert [path.suffix for path in files] == [".zpl", ".zpl"]
    assert sorted(path.read_bytes() for path in files) == sorted(jobs)


def test_a_folder_that_cannot_be_made_is_reported_in_words(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file where the folder should be")
    with pytest.raises(PrinterError, match=r"Cannot write print jobs to .*blocked/out: part of that path is a file"):
        open_device(f"file://{tmp_path}/blocked/out").send(b"x")


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("lpt://1", "not a printer address shipdesk knows"),
        ("tcp://:9100", "has no host"),
        ("tcp://printer:99999", "port that is not a number"),
        ("usb://zebra", "not a USB printer id"),
    ],
)
def test_addresses_shipdesk_cannot_use_are_refused_in_words(uri: str, message: str) -> None:
    with pytest.raises(PrinterError, match=message):
        open_device(uri)
