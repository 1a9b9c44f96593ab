"""A printer that says it cannot print (out of labels, head open) gets no job: the batch stops there and keeps
the rest queued. A printer that never answers the status query still prints, and is not asked again."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.orders import OrderQuery, load_orders
from shipdesk.cache.printers import PrinterProfile
from shipdesk.domain import OrderStatus
from shipdesk.label_batch import Progress, print_labels_to_printer
from shipdesk.printing.printer_status import status_problem
from shipdesk.upstream.csv_import import import_csv
from tests.fakes.raw_printer import Listener

# ~HS answers as a Zebra sends them: string 1 flags paper out (2nd field) and pause (3rd), string 2 head up (3rd).
ZPL_READY = (
    b"\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n"
)
ZPL_PAPER_OUT = ZPL_READY.replace(b"\x02030,0,0,", b"\x02030,1,0,")
ZPL_HEAD_UP = ZPL_READY.replace(b"\x02001,0,0,", b"\x02001,0,1,")

ORDERS = """\
Order #,Order Date,Recipient,Address 1,City,Postal Code,Country,SKU,Item Name,Quantity
3001,2026-11-20 09:00,Zoë Ørsted,Nørregade 7,København,1165,DK,MUG,Mug,1
3002,2026-11-20 10:00,José Núñez,Calle Mayor 5,Madrid,28013,ES,TEA,Teapot,1
3003,2026-11-20 11:00,Łukasz Żółw,ul. Długa 12,Gdańsk,80-827,PL,SOCK,Socks,2
"""


@pytest.fixture
def order_ids(cache: Cache, tmp_path: Path) -> list[int]:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    import_csv(cache, path)
    return [stored.id for stored in load_orders(cache, OrderQuery())]


def profile(language: str, port: int) -> PrinterProfile:
    return PrinterProfile("Label printer", language, f"tcp://127.0.0.1:{port}", dpi=203, media="4x6")


def shipped(cache: Cache) -> int:
    return sum(stored.order.status is OrderStatus.SHIPPED for stored in load_orders(cache, OrderQuery()))


@pytest.mark.parametrize(
    ("language", "answer", "words"),
    [
        ("zpl", ZPL_PAPER_OUT, "it is out of labels"),
        ("zpl", ZPL_HEAD_UP, "its print head is open"),
        ("tspl", b"\x04", "it is out of labels"),
        ("tspl", b"\x05", "its print head is open and it is out of labels"),
        ("escpos", b"\x72", "it is out of paper"),  # DLE EOT 4: bits 5 and 6 set, with the fixed bits 1 and 4
    ],
)
def test_a_printer_that_says_it_cannot_print_gets_no_job_and_every_order_stays_queued(
    cache: Cache, order_ids: list[int], language: str, answer: bytes, words: str
) -> None:
    listener = Listener(status=answer)
    try:
        result = print_labels_to_printer(cache, order_ids, profile(language, listener.port))
    finally:
        listener.close()

    assert listener.jobs == []
    assert result.printed == [] and result.queued == order_ids
    assert result.printer_error == f"The printer at 127.0.0.1:{listener.port} cannot print: {words}"
    assert shipped(cache) == 0


@pytest.mark.parametrize(("language", "ready"), [("zpl", ZPL_READY), ("tspl", b"\x00"), ("escpos", b"\x12")])
def test_a_ready_printer_is_asked_before_each_label_and_prints_them_all(
    cache: Cache, order_ids: list[int], language: str, ready: bytes
) -> None:
    listener = Listener(status=ready)
    try:
        result = print_labels_to_printer(cache, order_ids, profile(language, listener.port))
    finally:
        listener.close()

    assert len(listener.jobs) == 3 and len(listener.queries) == 3
    assert not any(job.startswith((b"~HS", b"\x10\x04", b"\x1b!?")) for job in listener.jobs)
    assert result.printed == order_ids and shipped(cache) == 3


def test_a_printer_that_never_answers_the_status_query_still_prints_and_is_asked_once(
    cache: Cache, order_ids: list[int]
) -> None:
    listener = Listener(status=None)
    try:
        result = print_labels_to_printer(cache, order_ids, profile("zpl", listener.port))
    finally:
        listener.close()

    assert len(listener.jobs) == 3 and all(job.startswith(b"^XA") for job in listener.jobs)
    assert listener.queries == [b"~HS"]
    assert result.printed == order_ids


def test_a_zpl_printer_that_ran_out_mid_batch_keeps_the_rest_queued(cache: Cache, order_ids: list[int]) -> None:
    listener = Listener(status=ZPL_READY)

    def run_out_after_the_first(_progress: Progress) -> None:
        listener.status = ZPL_PAPER_OUT

    try:
        result = print_labels_to_printer(
            cache, order_ids, profile("zpl", listener.port), on_progress=run_out_after_the_first
        )
    finally:
        listener.close()

    assert len(listener.jobs) == 1
    assert result.printed == order_ids[:1] and result.queued == order_ids[1:]
    assert "out of labels" in result.printer_error


def test_answers_read_as_no_problem_when_every_flag_is_clear() -> None:
    assert status_problem("zpl", ZPL_READY) == ""
    assert status_problem("tspl", b"\x00") == "" and status_problem("tspl", b"\x20") == ""  # 0x20: printing
    assert status_problem("escpos", b"\x12") == ""
    assert status_problem("escpos", b"\x1e") == ""  # paper near its end still prints
