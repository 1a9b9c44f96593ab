"""Label batches to a real printer connection: one job per order, recorded as each goes out, the rest kept on a fault."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shipdesk import label_batch
from shipdesk.cache import Cache
from shipdesk.cache.orders import find_by_number
from shipdesk.cache.printers import PrinterProfile
from shipdesk.cache.shipments import latest_shipment, outbox_count, pending_outbox
from shipdesk.cli import main
from shipdesk.domain import OrderStatus, Weight, WeightUnit
from shipdesk.label_batch import SHIPPED_ELSEWHERE, Progress, ShippingChoice, print_labels, print_labels_to_printer
from shipdesk.printing import fonts
from shipdesk.printing.errors import PrinterError
from shipdesk.printing.folder_printer import FolderPrinter
from shipdesk.printing.fonts import FallbackFonts
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.shipping.shipstation_labels import LabelRequest, ShipStationLabelProvider
from shipdesk.shipstation_shipping import buy_and_print_labels
from shipdesk.upstream.csv_import import import_csv
from shipdesk.upstream.sync import pull_orders
from tests.conftest import import_orders_text
from tests.fakes.raw_printer import Listener
from tests.fakes.shipstation import FakeShipStation
from tests.fakes.shipstation_store import add_fake_store, fake_connector, fresh_record, shipstation_order
from tests.printing.cups_server import CupsServer, TcpSink
from tests.printing.scanning import inked_box, needs_zbar, pdf_scan, zbar_scan
from tests.printing.test_label_pdf import needs_cjk_font
from tests.printing.test_tspl import parse as parse_tspl
from tests.printing.test_tspl import rebuild as rebuild_tspl
from tests.printing.test_zpl import parse as parse_zpl
from tests.printing.test_zpl import rebuild_graphic

UPS_GROUND = LabelRequest("ups", "ups_ground", "package", weight=Weight(Decimal(1), WeightUnit.POUND))
DEMO_ORDERS = Path(__file__).resolve().parent.parent / "resources" / "demo-orders.csv"
ORDERS = """\
Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity
2001,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG,Mug,1
2002,2026-11-20 10:00,José Núñez,Calle Mayor 5,Madrid,28013,ES,TEA,Teapot,1
2003,2026-11-20 11:00,Łukasz Żółw,ul. Długa 12,Gdańsk,80-827,PL,SOCK,Socks,2
2004,2026-11-20 12:00,No Address,,,,,MUG,Mug,1
2005,2026-11-20 13:00,Ana Lima,Rua 1,Lisboa,1100,PT,CUP,Cup,4
"""


@pytest.fixture
def orders(cache: Cache, tmp_path: Path) -> dict[str, int]:
    return import_orders_text(cache, tmp_path, ORDERS)


@pytest.fixture
def zebra() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


def zebra_profile(port: int, **changes: object) -> PrinterProfile:
    settings: dict[str, object] = {"dpi": 203, "media": "4x6", "darkness": 22, "speed": 5}
    settings.update(changes)
    return PrinterProfile("Zebra", "zpl", f"tcp://127.0.0.1:{port}", **settings)  # type: ignore[arg-type]


def status_of(cache: Cache, number: str) -> OrderStatus:
    (stored,) = find_by_number(cache, number)
    return stored.order.status


def test_each_order_goes_to_the_printer_as_its_own_job_and_is_recorded(
    cache: Cache, orders: dict[str, int], zebra: Listener
) -> None:
    seen: list[Progress] = []
    ids = [orders["2001"], orders["2002"], orders["2003"]]
    result = print_labels_to_printer(cache, ids, zebra_profile(zebra.port), on_progress=seen.append)
    zebra.close()
    assert result.printed == ids and not result.failed and not result.queued
    assert len(zebra.jobs) == 3
    for job, number in zip(zebra.jobs, ("2001", "2002", "2003"), strict=True):
        text = job.decode("utf-8")
        assert text.startswith("^XA") and text.rstrip().endswith("^XZ")
        assert "~SD22" in text and "^PR5" in text  # the profile's darkness and speed
        assert number in text
    assert "Zoë Ørsted" in zebra.jobs[0].decode("utf-8")
    assert [(step.done, step.total) for step in seen] == [(1, 3), (2, 3), (3, 3)]
    assert all(status_of(cache, number) is OrderStatus.SHIPPED for number in ("2001", "2002", "2003"))
    assert outbox_count(cache) == 3


def test_a_bad_order_is_reported_and_the_others_still_print(
    cache: Cache, orders: dict[str, int], zebra: Listener
) -> None:
    ids = [orders["2001"], orders["2004"], orders["2005"]]
    result = print_labels_to_printer(cache, ids, zebra_profile(zebra.port))
    zebra.close()
    assert result.printed == [orders["2001"], orders["2005"]]
    assert result.failed == [(orders["2004"], "order 2004: no ship-to address")]
    assert len(zebra.jobs) == 2


def test_a_printer_that_dies_mid_batch_keeps_the_rest_queued_and_a_retry_prints_them(
    cache: Cache, orders: dict[str, int]
) -> None:
    jamming = Listener(drop_at=1, drop_after=200)  # takes the first label, then fails on the second
    ids = [orders["2001"], orders["2002"], orders["2003"], orders["2005"]]
    result = print_labels_to_printer(cache, ids, zebra_profile(jamming.port))
    jamming.close()
    assert result.printed == [orders["2001"]]
    assert result.queued == ids[1:]
    assert "127.0.0.1" in result.printer_error
    assert status_of(cache, "2001") is OrderStatus.SHIPPED
    assert [status_of(cache, n) for n in ("2002", "2003", "2005")] == [OrderStatus.AWAITING_SHIPMENT] * 3
    assert outbox_count(cache) == 1

    working = Listener()
    retry = print_labels_to_printer(cache, result.queued, zebra_profile(working.port))
    working.close()
    assert retry.printed == ids[1:] and not retry.queued
    assert outbox_count(cache) == 4
    assert [re.search(r"\^FD(\d{4})", job.decode()) is not None for job in working.jobs] == [True] * 3


def test_a_printer_that_is_off_prints_nothing_and_marks_nothing(cache: Cache, orders: dict[str, int]) -> None:
    off = Listener()
    port = off.port
    off.close()
    result = print_labels_to_printer(cache, [orders["2001"], orders["2002"]], zebra_profile(port))
    assert result.printed == [] and result.queued == [orders["2001"], orders["2002"]]
    assert "did not answer" in result.printer_error
    assert outbox_count(cache) == 0


def test_a_batch_can_be_cancelled_between_labels(cache: Cache, orders: dict[str, int], zebra: Listener) -> None:
    cancel = threading.Event()

    def stop_after_first(progress: Progress) -> None:
        if progress.done == 1:
            cancel.set()

    ids = [orders["2001"], orders["2002"], orders["2003"]]
    result = print_labels_to_printer(cache, ids, zebra_profile(zebra.port), on_progress=stop_after_first, cancel=cancel)
    zebra.close()
    assert result.cancelled
    assert result.printed == ids[:1] and result.queued == ids[1:]
    assert len(zebra.jobs) == 1


def test_receipt_paper_takes_no_shipping_label(cache: Cache, orders: dict[str, int]) -> None:
    receipt = PrinterProfile("Epson", "escpos", "tcp://127.0.0.1:9", dpi=180, media="80mm")
    with pytest.raises(PrinterError, match="80mm receipt paper, too narrow for a shipping label"):
        print_labels_to_printer(cache, [orders["2001"]], receipt, ShippingChoice())


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def test_printers_are_added_listed_tested_and_printed_to_from_the_command_line(
    tmp_path: Path, zebra: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cache.sqlite"
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text(ORDERS, encoding="utf-8")
    assert run(db, "import-csv", str(csv_file)) == 0
    uri = f"tcp://127.0.0.1:{zebra.port}"
    assert run(db, "printers", "add", "Zebra", "--language", "zpl", "--uri", uri, "--darkness", "20") == 0
    assert run(db, "printers", "add", "Slips", "--language", "escpos", "--uri", uri, "--media", "80mm") == 0
    capsys.readouterr()
    assert run(db, "printers", "list") == 0
    listing = capsys.readouterr().out
    assert re.search(r"^\* Zebra\s+ZPL 203 dpi 4x6 at tcp://127\.0\.0\.1:\d+ \(darkness 20\)$", listing, re.M)
    assert "  Slips" in listing
    assert run(db, "printers", "test", "Zebra") == 0
    assert run(db, "printers", "test", "Slips") == 0
    assert run(db, "print", "2001", "2002") == 0  # the first printer added is the default
    out = capsys.readouterr().out
    assert "[2/2] Printed order 2002 on Zebra" in out
    zebra.close()
    test_label, test_slip, first, second = zebra.jobs
    assert b"SHIPDESK-TEST-0001" in test_label and b"~SD20" in test_label
    assert test_slip.startswith(b"\x1b@") and b"TEST-SKU" in test_slip
    assert b"2001" in first and b"2002" in second


def test_printing_to_a_printer_that_is_off_says_what_is_still_to_print(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cache.sqlite"
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text(ORDERS, encoding="utf-8")
    assert run(db, "import-csv", str(csv_file)) == 0
    off = Listener()
    off.close()
    assert run(db, "printers", "add", "Rollo", "--language", "tspl", "--uri", f"tcp://127.0.0.1:{off.port}") == 0
    capsys.readouterr()
    assert run(db, "print", "2001", "2002", "--printer", "Rollo") == 1
    err = capsys.readouterr().err
    assert "did not answer" in err
    assert "Still to print (not marked shipped): 2001, 2002." in err
    assert run(db, "print", "2001", "--printer", "Nope") == 1
    assert "no printer named 'Nope' (printers: Rollo)" in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "start"), [("zpl", b"^XA"), ("tspl", b"SIZE 101.6 mm,152.4 mm"), ("escpos", b"\x1b@")])
def test_label_writes_printer_language_to_a_file(tmp_path: Path, fmt: str, start: bytes) -> None:
    db = tmp_path / "cache.sqlite"
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text(ORDERS, encoding="utf-8")
    assert run(db, "import-csv", str(csv_file)) == 0
    out = tmp_path / f"labels.{fmt}"
    assert run(db, "label", "2001", "2002", "--format", fmt, "--dpi", "203", "--out", str(out)) == 0
    data = out.read_bytes()
    assert data.startswith(start)
    assert data.count(start) == 2  # one job per order, one after the other


@pytest.mark.parametrize(
    ("uri", "said"),
    [
        ("tcp://:9100", "host"),
        ("ftp://printer", "is not a printer connection shipdesk knows"),
        ("usb://zebra", "usb"),
        ("system://Zebra", "a system printer takes pdf pages: choose the language pdf"),
    ],
)
def test_a_printer_with_a_connection_that_cannot_work_is_not_saved(
    tmp_path: Path, uri: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cache.sqlite"

    assert run(db, "printers", "add", "Zebra", "--language", "zpl", "--uri", uri) == 1

    assert said in capsys.readouterr().err.lower()
    assert run(db, "printers", "list") == 0
    assert "Zebra" not in capsys.readouterr().out


def test_a_reprint_says_it_printed_again_and_counts_in_the_singular(
    tmp_path: Path, zebra: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cache.sqlite"
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    assert run(db, "import-csv", str(tmp_path / "orders.csv")) == 0
    assert run(db, "printers", "add", "Zebra", "--language", "zpl", "--uri", f"tcp://127.0.0.1:{zebra.port}") == 0
    assert run(db, "print", "2001") == 0
    capsys.readouterr()

    assert run(db, "print", "2001") == 0

    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "Printed 1 label on Zebra; 0 orders marked shipped, 1 printed again."
    )


def test_output_cut_short_by_its_reader_ends_quietly(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite"
    assert run(db, "import-csv", str(DEMO_ORDERS)) == 0  # more JSON than a pipe holds, so the writer meets the close
    command = f"{sys.executable} -m shipdesk --db {db} orders --json | head -c 10"

    finished = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False)

    assert finished.stdout and finished.stderr == ""


def pull_from_shipstation(cache: Cache, fake: FakeShipStation, numbers: dict[int, str], placed: datetime) -> None:
    """ShipStation's orders (id → number), placed and changed at `placed`, pulled into store Main an hour later."""
    for order_id, number in numbers.items():
        fake.add_order(shipstation_order(order_id, number=number, order_date=placed), modified=placed)
    record = add_fake_store(cache, fake)
    with fake_connector(fake, record) as connector:
        pull_orders(cache, record, connector, now=placed + timedelta(hours=1))


def test_an_order_combined_into_another_in_shipstation_is_refused_and_the_other_prints(
    cache: Cache, zebra: Listener
) -> None:
    placed = datetime(2026, 3, 19, 18, 0, tzinfo=UTC)
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as fake:
        pull_from_shipstation(cache, fake, {1: "C-1", 3: "C-3"}, placed)
        fake.combine(3, [1], modified=placed + timedelta(hours=2))
        with fake_connector(fake, fresh_record(cache)) as connector:
            pull_orders(cache, fresh_record(cache), connector, now=placed + timedelta(hours=3))
    combined, parent = (find_by_number(cache, number)[0].id for number in ("C-1", "C-3"))

    result = print_labels_to_printer(cache, [combined, parent], zebra_profile(zebra.port))
    zebra.close()

    assert result.printed == [parent] and len(zebra.jobs) == 1
    assert result.failed == [(combined, "order C-1: combined into order C-3 in ShipStation: pack that order instead")]
    assert status_of(cache, "C-1") is OrderStatus.ON_HOLD and outbox_count(cache) == 1


def test_an_order_the_store_file_says_is_shipped_gets_no_label_of_ours(
    cache: Cache, tmp_path: Path, zebra: Listener
) -> None:
    path = tmp_path / "store-export.csv"
    path.write_text(
        "Order #,Order Date,Status,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity\n"
        "3001,2026-11-20 09:00,Completed,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG,Mug,1\n"
        "3002,2026-11-20 10:00,Processing,José Núñez,Calle Mayor 5,Madrid,28013,ES,TEA,Teapot,1\n",
        encoding="utf-8",
    )
    import_csv(cache, path)
    shipped_there, to_pack = (find_by_number(cache, number)[0].id for number in ("3001", "3002"))
    assert status_of(cache, "3001") is OrderStatus.SHIPPED

    result = print_labels_to_printer(cache, [shipped_there, to_pack], zebra_profile(zebra.port))
    zebra.close()

    assert result.printed == [to_pack] and len(zebra.jobs) == 1
    assert result.failed == [(shipped_there, f"order 3001: {SHIPPED_ELSEWHERE}")]
    assert latest_shipment(cache, shipped_there) is None  # no tracking number of ours goes to the store
    assert outbox_count(cache) == 1


def test_a_label_printed_on_an_evening_is_dated_the_stations_day(
    cache: Cache, orders: dict[str, int], tmp_path: Path, in_california: None
) -> None:
    evening = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)  # 6:30 pm on 30 November in Los Angeles

    result = print_labels(cache, [orders["2001"]], printer=FolderPrinter(tmp_path), now=evening)

    assert result.pdf_path is not None
    text = subprocess.run(["pdftotext", str(result.pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    assert "2026-11-30" in text and "2026-12-01" not in text
    (entry,) = pending_outbox(cache)
    assert entry.payload["ship_date"] == "2026-11-30"


# ----------------------------------------------------------------------------- a label that cannot be drawn

MULTI_LINE_COMPANY = (
    "Order #,Order Date,Recipient,Company,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity\n"
    '2001,2026-11-20 09:00,Ann Lee,"Acme\nWarehouse 2",1 Main St,"Spring\r\nfield",62701,US,MUG,Mug,1\n'
    "2002,2026-11-20 10:00,Bo Li,,2 Main St,Springfield,62701,US,MUG,Mug,1\n"
)


@pytest.fixture
def cancel_if_a_thread_dies(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The cancel of a batch, set when a thread dies of an exception: a batch whose renderer died unseen waited
    for its labels for ever, and this ends it so the test fails instead of hanging."""
    cancel = threading.Event()
    reported = threading.excepthook

    def cancel_and_report(args: threading.ExceptHookArgs) -> None:
        cancel.set()
        reported(args)

    monkeypatch.setattr(threading, "excepthook", cancel_and_report)
    return cancel


def rollo_profile(port: int) -> PrinterProfile:
    return PrinterProfile("Rollo", "tspl", f"tcp://127.0.0.1:{port}", dpi=203, media="4x6")


@needs_zbar
def test_an_order_whose_company_and_city_have_two_lines_prints_them_on_one_and_the_batch_goes_on(
    cache: Cache, tmp_path: Path, zebra: Listener, cancel_if_a_thread_dies: threading.Event
) -> None:
    ids = import_orders_text(cache, tmp_path, MULTI_LINE_COMPANY)
    batch = [ids["2001"], ids["2002"]]

    result = print_labels_to_printer(cache, batch, rollo_profile(zebra.port), cancel=cancel_if_a_thread_dies)
    zebra.close()

    assert result.printed == batch and not result.failed and not result.queued and not result.cancelled
    first = rebuild_tspl(parse_tspl(zebra.jobs[0]))
    shipment = latest_shipment(cache, ids["2001"])
    assert shipment is not None and zbar_scan(first) == [shipment.tracking_number]


def draw_failing_on(monkeypatch: pytest.MonkeyPatch, number: str, error: BaseException) -> None:
    """Drawing the label of order `number` raises `error`, as a fault in a font or image library would."""
    draw = label_batch.render_label

    def render(label: ShippingLabel, *args: Any, **kwargs: Any) -> bytes:
        if label.order_number == number:
            raise error
        return draw(label, *args, **kwargs)

    monkeypatch.setattr(label_batch, "render_label", render)


def test_a_label_that_cannot_be_drawn_is_that_orders_failure_and_the_others_print(
    cache: Cache,
    orders: dict[str, int],
    zebra: Listener,
    monkeypatch: pytest.MonkeyPatch,
    cancel_if_a_thread_dies: threading.Event,
) -> None:
    draw_failing_on(monkeypatch, "2002", RuntimeError("raqm_layout() failed."))
    batch = [orders["2001"], orders["2002"], orders["2003"]]

    result = print_labels_to_printer(cache, batch, zebra_profile(zebra.port), cancel=cancel_if_a_thread_dies)
    zebra.close()

    assert result.printed == [orders["2001"], orders["2003"]] and len(zebra.jobs) == 2
    assert result.failed == [(orders["2002"], "order 2002: could not be drawn: raqm_layout() failed (see the log)")]
    assert not result.queued and not result.printer_error and not result.cancelled
    assert status_of(cache, "2002") is OrderStatus.AWAITING_SHIPMENT


def test_a_renderer_that_stops_ends_the_batch_and_the_orders_left_stay_to_print(
    cache: Cache,
    orders: dict[str, int],
    zebra: Listener,
    monkeypatch: pytest.MonkeyPatch,
    cancel_if_a_thread_dies: threading.Event,
) -> None:
    draw_failing_on(monkeypatch, "2002", SystemExit("a library gave up"))  # no Exception: no order's failure
    batch = [orders["2001"], orders["2002"], orders["2003"]]

    result = print_labels_to_printer(cache, batch, zebra_profile(zebra.port), cancel=cancel_if_a_thread_dies)
    zebra.close()

    assert result.printed == [orders["2001"]] and len(zebra.jobs) == 1
    assert result.queued == [orders["2002"], orders["2003"]] and not result.cancelled
    assert result.printer_error == (
        "The labels from order 2002 on could not be drawn because of an error in shipdesk (see the log)"
    )
    assert [status_of(cache, number) for number in ("2002", "2003")] == [OrderStatus.AWAITING_SHIPMENT] * 2
    assert outbox_count(cache) == 1


@pytest.fixture
def cups_zebra(cups_server: CupsServer) -> Iterator[tuple[str, TcpSink]]:
    """A raw CUPS queue named Zebra_USB to a working printer: the queue's name and the printer's sink."""
    with cups_server.raw_queue_to_a_printer("Zebra_USB") as sink:
        yield "Zebra_USB", sink


def test_a_print_queue_stopped_mid_batch_keeps_the_rest_queued_and_unshipped_until_it_is_resumed(
    cache: Cache, orders: dict[str, int], cups_server: CupsServer, cups_zebra: tuple[str, TcpSink]
) -> None:
    queue, sink = cups_zebra
    server = str(cups_server.socket_path)
    profile = PrinterProfile("Zebra via CUPS", "zpl", f"cups://{queue}?server={server}", dpi=203, media="4x6")
    ids = [orders["2001"], orders["2002"], orders["2003"]]

    def unplug_after_first(progress: Progress) -> None:
        if progress.done == 1:  # CUPS stops a queue by itself when its USB printer is unplugged
            # Once the first label is out: a job CUPS is still sending when its queue stops is sent again on resume.
            cups_server.wait_until_idle()
            subprocess.run(["cupsdisable", "-h", server, "-r", "Unplugged", queue], check=True, capture_output=True)

    result = print_labels_to_printer(cache, ids, profile, on_progress=unplug_after_first)

    assert result.printed == ids[:1] and result.queued == ids[1:] and result.printer_failed
    assert result.printer_error == (
        f"The print queue {queue} is paused; resume it in the printer settings (or: cupsenable {queue})"
    )
    assert [status_of(cache, number) for number in ("2002", "2003")] == [OrderStatus.AWAITING_SHIPMENT] * 2
    assert outbox_count(cache) == 1
    subprocess.run(["cupsenable", "-h", server, queue], check=True, capture_output=True)
    cups_server.wait_until_idle()
    assert bytes(sink.received).count(b"^XA") == 1  # only the label printed before the pause

    retry = print_labels_to_printer(cache, result.queued, profile)

    assert retry.printed == ids[1:] and not retry.queued
    assert outbox_count(cache) == 3


def test_an_order_named_twice_in_a_batch_prints_one_label_and_tells_the_store_once(
    cache: Cache, orders: dict[str, int], zebra: Listener
) -> None:
    seen: list[Progress] = []
    twice = [orders["2001"], orders["2002"], orders["2001"]]  # a scan repeated, or a paste with the order twice

    result = print_labels_to_printer(cache, twice, zebra_profile(zebra.port), on_progress=seen.append)
    zebra.close()

    assert result.printed == [orders["2001"], orders["2002"]] and not result.failed and not result.reprinted
    assert [re.findall(r"\^FD(200\d)\^FS", job.decode()) for job in zebra.jobs] == [["2001"], ["2002"]]
    assert [(step.done, step.total) for step in seen] == [(1, 2), (2, 2)]
    assert [entry.order_id for entry in pending_outbox(cache)] == [orders["2001"], orders["2002"]]


@needs_zbar
def test_an_order_named_twice_in_a_pdf_batch_is_one_page(cache: Cache, orders: dict[str, int], tmp_path: Path) -> None:
    twice = [orders["2002"], orders["2002"], orders["2003"]]

    result = print_labels(cache, twice, printer=FolderPrinter(tmp_path))

    assert result.printed == [orders["2002"], orders["2003"]] and result.pdf_path is not None
    recorded = [latest_shipment(cache, orders[number]) for number in ("2002", "2003")]
    assert pdf_scan(result.pdf_path, dpi=203) == [shipment.tracking_number for shipment in recorded if shipment]
    assert outbox_count(cache) == 2


def test_an_order_named_twice_in_a_batch_of_bought_labels_is_bought_once(cache: Cache, tmp_path: Path) -> None:
    placed = datetime(2026, 3, 19, 18, 0, tzinfo=UTC)
    with FakeShipStation(window_seconds=1.0, with_sample_orders=False) as fake:
        pull_from_shipstation(cache, fake, {1: "S-1", 2: "S-2"}, placed)
        first, second = (find_by_number(cache, number)[0].id for number in ("S-1", "S-2"))
        with fake_connector(fake, fresh_record(cache)) as connector:
            provider = ShipStationLabelProvider(connector.client)
            result = buy_and_print_labels(
                cache, [first, second, first], UPS_GROUND, provider, FolderPrinter(tmp_path), now=placed
            )

    assert result.printed == [first, second] and not result.failed
    assert [label["orderId"] for label in fake.labels] == [1, 2]  # paid for once each


CHINESE_AND_LATIN = """\
Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity
3001,2026-11-20 09:00,王小明,88 Century Avenue,上海,200120,CN,MUG,Mug,1
3002,2026-11-20 10:00,Ana Lima,Rua 1,Lisboa,1100,PT,CUP,Cup,4
"""


@needs_cjk_font
def test_a_chinese_name_goes_to_a_zebra_as_a_graphic_of_the_name_and_the_order_is_shipped(
    cache: Cache, tmp_path: Path, zebra: Listener
) -> None:
    ids = import_orders_text(cache, tmp_path, CHINESE_AND_LATIN)

    profile = zebra_profile(zebra.port, darkness=None, speed=None)  # only the commands parse_zpl knows
    result = print_labels_to_printer(cache, [ids["3001"], ids["3002"]], profile)
    zebra.close()

    assert result.printed == [ids["3001"], ids["3002"]] and not result.failed
    chinese, latin = (parse_zpl(job) for job in zebra.jobs)
    native = [item.commands["FD"] for item in chinese.fields if "A0" in item.commands]
    assert "88 Century Avenue" in native and not any("王" in text or "上海" in text for text in native)
    drawn = [rebuild_graphic(item.commands["GF"]) for item in chinese.fields if "GF" in item.commands]
    assert len(drawn) == 2 and all(inked_box(image) for image in drawn)  # the name and the city line, as dots
    assert not any("GF" in item.commands for item in latin.fields)  # a Latin label stays all native
    assert status_of(cache, "3001") is OrderStatus.SHIPPED


def test_without_a_chinese_font_a_chinese_name_is_that_orders_failure_in_words_and_the_others_print(
    cache: Cache, tmp_path: Path, zebra: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "fallback_fonts", FallbackFonts([]))  # a computer with no Chinese font
    ids = import_orders_text(cache, tmp_path, CHINESE_AND_LATIN)
    reason = (
        "order 3001: the ship-to name 王小明 has characters the label fonts on this computer cannot print (王 小 明)"
    )

    to_zebra = print_labels_to_printer(cache, [ids["3001"], ids["3002"]], zebra_profile(zebra.port))
    zebra.close()
    as_pdf = print_labels(cache, [ids["3001"]], printer=FolderPrinter(tmp_path / "labels"))

    assert to_zebra.printed == [ids["3002"]] and to_zebra.failed == [(ids["3001"], reason)] and len(zebra.jobs) == 1
    assert as_pdf.failed == [(ids["3001"], reason)] and as_pdf.pdf_path is None
    assert status_of(cache, "3001") is OrderStatus.AWAITING_SHIPMENT and outbox_count(cache) == 1
