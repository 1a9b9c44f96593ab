"""TSPL jobs read back line by line: SIZE and GAP of the media, a BITMAP of whole-byte rows whose
0 bits are black, rebuilt into the image it carries and scanned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pytest
from PIL import Image, ImageChops

from shipdesk.domain import Address, LabelSize
from shipdesk.printing.label_formats import render_label, render_provider_pdf
from shipdesk.printing.label_layout import label_layout
from shipdesk.printing.label_pdf import render_labels_pdf
from shipdesk.printing.raster import render_raster
from shipdesk.printing.tspl import image_to_tspl
from shipdesk.printing.tuning import PrintTuning
from tests.printing.scanning import needs_zbar, zbar_scan
from tests.printing.test_label_pdf import OWN_COURIER, UPS_LIKE, USPS_LIKE, make_label


@dataclass
class Job:
    commands: list[str]
    x: int
    y: int
    width_bytes: int
    height: int
    mode: int
    bits: bytes
    after: list[str]


def parse(job: bytes) -> Job:
    """Header lines up to BITMAP, its raw bits counted from its own parameters, then the lines after."""
    start = job.index(b"BITMAP ")
    header = job[:start].decode("ascii")
    assert header.endswith("\r\n") and "\n" not in header.replace("\r\n", "")  # every line ends in CRLF
    x, y, width_bytes, height, mode = (int(value) for value in job[start + 7 :].split(b",", 5)[:5])
    data_start = start + len(b"BITMAP ") + len(b",".join(job[start + 7 :].split(b",", 5)[:5])) + 1
    bits = job[data_start : data_start + width_bytes * height]
    rest = job[data_start + width_bytes * height :].decode("ascii")
    assert rest.startswith("\r\n") and rest.endswith("\r\n")
    return Job(header.split("\r\n")[:-1], x, y, width_bytes, height, mode, bits, rest.split("\r\n")[1:-1])


def rebuild(job: Job) -> Image.Image:
    return Image.frombytes("1", (job.width_bytes * 8, job.height), job.bits)  # TSPL's 0 is black, as Pillow's


def test_the_job_sets_up_4x6_media_and_prints_one_label() -> None:
    job = parse(render_label(make_label(), LabelSize.FOUR_BY_SIX, "tspl", 203))
    assert job.commands[0] == "SIZE 101.6 mm,152.4 mm"
    assert job.commands[1] == "GAP 3.0 mm,0 mm"
    assert [command.split()[0] for command in job.commands] == [
        "SIZE", "GAP", "DENSITY", "SPEED", "DIRECTION", "REFERENCE", "CLS"
    ]  # fmt: skip
    assert (job.x, job.y, job.width_bytes, job.height, job.mode) == (0, 0, 102, 1218, 0)
    assert job.after == ["PRINT 1,1"]


@needs_zbar
@pytest.mark.parametrize("number", [USPS_LIKE, UPS_LIKE, OWN_COURIER])
def test_the_bitmap_rebuilds_into_exactly_the_raster_and_scans(number: str) -> None:
    label = make_label(number)
    job = parse(render_label(label, LabelSize.FOUR_BY_SIX, "tspl", 203))
    image = rebuild(job)
    assert image.size == (816, 1218)  # 812 dots padded to whole bytes
    raster = render_raster(label_layout(label), 203)
    assert ImageChops.difference(image.crop((0, 0, 812, 1218)).convert("L"), raster.convert("L")).getbbox() is None
    assert image.crop((812, 0, 816, 1218)).convert("L").getextrema() == (255, 255)  # padding stays blank
    assert zbar_scan(image) == [number]


def test_a_0_bit_prints_black_and_a_1_bit_leaves_the_dot_blank() -> None:
    image = Image.new("1", (8, 2), 1)
    image.putpixel((0, 0), 0)
    job = parse(image_to_tspl(image, 203))
    assert job.bits == bytes([0b0111_1111, 0b1111_1111])


def test_300_dpi_media_is_1200_dots_wide_in_150_bytes() -> None:
    job = parse(render_label(make_label(), LabelSize.FOUR_BY_SIX, "tspl", 300))
    assert (job.width_bytes, job.height) == (150, 1800)
    assert job.commands[0] == "SIZE 101.6 mm,152.4 mm"


@needs_zbar
def test_a_provider_pdf_prints_one_bitmap_label_per_page() -> None:
    pdf = render_labels_pdf([make_label(UPS_LIKE), make_label(USPS_LIKE)])
    jobs = [parse(job) for job in render_provider_pdf(pdf, "tspl", 203, LabelSize.FOUR_BY_SIX)]
    assert [zbar_scan(rebuild(job)) for job in jobs] == [[UPS_LIKE], [USPS_LIKE]]
    assert all(re.fullmatch(r"SIZE 101\.6 mm,152\.4 mm", job.commands[0]) for job in jobs)


@needs_zbar
def test_a_company_written_on_two_lines_prints_on_one_and_the_label_still_scans() -> None:
    recipient = Address(name="Ann Lee", company="Acme\nWarehouse 2", city="Springfield", postal_code="62701")
    on_one_line = replace(recipient, company="Acme Warehouse 2")

    job = parse(render_label(make_label(UPS_LIKE, recipient=recipient), LabelSize.FOUR_BY_SIX, "tspl", 203))

    image = rebuild(job).crop((0, 0, 812, 1218))
    raster = render_raster(label_layout(make_label(UPS_LIKE, recipient=on_one_line)), 203)
    assert ImageChops.difference(image.convert("L"), raster.convert("L")).getbbox() is None
    assert zbar_scan(image) == [UPS_LIKE]


@pytest.mark.parametrize(
    ("tuning", "density", "speed"),
    [
        (PrintTuning(darkness=8, speed=4), "DENSITY 8", "SPEED 4"),
        (PrintTuning(darkness=40, speed=20), "DENSITY 15", "SPEED 14"),  # saved before settings were checked
        (PrintTuning(darkness=-2, speed=0), "DENSITY 0", "SPEED 1"),
    ],
)
def test_the_profiles_darkness_and_speed_are_sent_within_what_tspl_takes(
    tuning: PrintTuning, density: str, speed: str
) -> None:
    job = parse(render_label(make_label(), LabelSize.FOUR_BY_SIX, "tspl", 203, tuning=tuning))
    assert job.commands[2:4] == [density, speed]
