"""ESC/POS jobs printed on an emulator we did not write (emupos): the same dots as the raster, and it scans.

The GS v 0 headers are read back by hand too: width in bytes, height in dots, bands a printer accepts.
"""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

from shipdesk.domain import LabelSize
from shipdesk.printing.escpos import BAND_HEIGHT, escpos_printer, image_to_escpos, raster_bands
from shipdesk.printing.label_formats import render_label
from shipdesk.printing.label_layout import label_layout
from shipdesk.printing.layout import Layout, TextBlock
from shipdesk.printing.raster import render_raster
from tests.printing.escpos_emulator import print_on_emulator
from tests.printing.scanning import needs_zbar, zbar_scan
from tests.printing.test_label_pdf import UPS_LIKE, USPS_LIKE, make_label

GS_V_0 = b"\x1dv0"


def raster_commands(job: bytes) -> list[tuple[int, int, int, bytes]]:
    """(mode, width in bytes, height in dots, data) of every GS v 0 in the job."""
    found = []
    start = job.find(GS_V_0)
    while start != -1:
        mode, xl, xh, yl, yh = job[start + 3 : start + 8]
        width, height = xl + 256 * xh, yl + 256 * yh
        data = job[start + 8 : start + 8 + width * height]
        found.append((mode, width, height, data))
        start = job.find(GS_V_0, start + 8 + width * height)
    return found


def test_a_4x6_label_is_gs_v_0_bands_of_102_bytes_that_add_up_to_1218_rows() -> None:
    job = render_label(make_label(), LabelSize.FOUR_BY_SIX, "escpos", 203)
    assert job.startswith(b"\x1b@")  # ESC @: a clean printer state first
    bands = raster_commands(job)
    assert all(mode == 0 and width == 102 and height <= BAND_HEIGHT for mode, width, height, _ in bands)
    assert sum(height for _, _, height, _ in bands) == 1218
    assert job.endswith(b"\x1dV\x00")  # GS V 0: a full cut


def test_a_1_bit_in_the_raster_is_a_black_dot() -> None:
    image = Image.new("1", (16, 2), 1)
    image.putpixel((0, 0), 0)  # one black dot, top left
    [(_, width, height, data)] = raster_commands(image_to_escpos(image, 203))
    assert (width, height) == (2, 2)
    assert data == bytes([0x80, 0x00, 0x00, 0x00])


def test_an_image_wider_than_the_printer_is_refused() -> None:
    with pytest.raises(ValueError, match=r"812 dots wide.*576"):
        render_label(make_label(), LabelSize.FOUR_BY_SIX, "escpos", 203, width_dots=576)


@needs_zbar
@pytest.mark.parametrize("number", [USPS_LIKE, UPS_LIKE])
def test_the_emulated_printer_prints_exactly_the_raster_label_and_it_scans(number: str) -> None:
    label = make_label(number)
    job = render_label(label, LabelSize.FOUR_BY_SIX, "escpos", 203)
    printed = print_on_emulator(job, width_dots=812, dpi=203)
    expected = render_raster(label_layout(label), 203)
    assert printed.size == expected.size == (812, 1218)
    assert ImageChops.difference(printed.convert("L"), expected.convert("L")).getbbox() is None
    assert zbar_scan(printed) == [number]


def test_a_receipt_sized_image_prints_on_an_80_mm_printer() -> None:
    layout = Layout(72, 20, (TextBlock(2, 2, 68, "PICK LIST 100234", 20, bold=True),))
    image = render_raster(layout, 203)
    printed = print_on_emulator(image_to_escpos(image, 203, width_dots=576), width_dots=576, dpi=203)
    assert printed.size == (576, image.height)
    assert (
        ImageChops.difference(
            printed.crop((0, 0, image.width, image.height)).convert("L"), image.convert("L")
        ).getbbox()
        is None
    )


def test_the_bands_are_the_bytes_python_escpos_writes_in_bit_image_raster_mode() -> None:
    image = render_raster(label_layout(make_label(UPS_LIKE)), 203)
    reference = escpos_printer(812, 203)
    reference.image(image, impl="bitImageRaster")
    assert raster_bands(image) == reference.output
