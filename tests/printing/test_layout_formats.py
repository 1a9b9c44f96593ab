"""One label, every output format through render_label: each job decodes back to the same tracking number."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image

from shipdesk.domain import LabelSize
from shipdesk.printing.label_formats import FORMATS, render_label, render_provider_pdf
from shipdesk.printing.label_pdf import render_labels_pdf
from tests.printing.escpos_emulator import print_on_emulator
from tests.printing.scanning import inked_box, needs_zbar, zbar_scan
from tests.printing.test_label_pdf import LONG, UPS_LIKE, USPS_LIKE, make_label


@needs_zbar
@pytest.mark.parametrize("dpi", [203, 300])
def test_png_is_the_label_at_printer_resolution_with_its_dpi_recorded(dpi: int) -> None:
    image = Image.open(io.BytesIO(render_label(make_label(UPS_LIKE), LabelSize.FOUR_BY_SIX, "png", dpi)))
    assert image.size == ((812, 1218) if dpi == 203 else (1200, 1800))
    assert tuple(round(value) for value in image.info["dpi"]) == (dpi, dpi)
    assert zbar_scan(image) == [UPS_LIKE]


@needs_zbar
@pytest.mark.parametrize("size", [LabelSize.FOUR_BY_SIX, LabelSize.FOUR_BY_FOUR, LabelSize.A6])
def test_png_text_of_a_very_long_label_stays_inside_the_media(size: LabelSize) -> None:
    image = Image.open(io.BytesIO(render_label(LONG, size, "png", 203)))
    left, top, right, bottom = inked_box(image) or (0, 0, 0, 0)
    border = 8  # 1 mm at 203 dpi
    assert left >= border and top >= border and right <= image.width - border and bottom <= image.height - border
    assert zbar_scan(image) == [UPS_LIKE]


def test_pdf_is_the_reportlab_label() -> None:
    pdf = render_label(make_label(), LabelSize.FOUR_BY_SIX, "pdf", 203)
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1 and document[0].get_size() == pytest.approx((288.0, 432.0), abs=0.01)
    document.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_refuses_a_tracking_number_code_128_cannot_carry(fmt: str) -> None:
    with pytest.raises(ValueError, match="Order 100234"):
        render_label(make_label("Zoë-1"), LabelSize.FOUR_BY_SIX, fmt, 203)


def test_an_unknown_format_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"'epl'.*pdf, png, escpos, zpl, zpl-image, tspl"):
        render_label(make_label(), LabelSize.FOUR_BY_SIX, "epl", 203)


@needs_zbar
def test_a_provider_pdf_prints_on_an_escpos_printer_page_by_page() -> None:
    pdf = render_labels_pdf([make_label(USPS_LIKE), make_label(UPS_LIKE)])
    jobs = list(render_provider_pdf(pdf, "escpos", 203, LabelSize.FOUR_BY_SIX))
    assert [zbar_scan(print_on_emulator(job, 812, 203)) for job in jobs] == [[USPS_LIKE], [UPS_LIKE]]


def test_a_provider_pdf_asked_for_as_pdf_goes_through_untouched() -> None:
    pdf = render_labels_pdf([make_label()])
    assert list(render_provider_pdf(pdf, "pdf")) == [pdf]
