"""Labels as 1-bit images at the printer's dpi, and provider PDFs rasterised onto the media: scanners read them.

Every check decodes the real pixels with zbarimg or zxing-cpp, or measures them.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.pdfgen.canvas import Canvas

from shipdesk.domain import Address, LabelSize
from shipdesk.printing import fonts
from shipdesk.printing.fonts import FallbackFonts
from shipdesk.printing.label_formats import render_label
from shipdesk.printing.label_layout import label_layout
from shipdesk.printing.label_pdf import render_labels_pdf
from shipdesk.printing.layout import Barcode, BarcodeKind, Layout, TextBlock
from shipdesk.printing.raster import rasterise_pdf, render_raster
from shipdesk.printing.zpl import layout_to_zpl
from tests.printing.scanning import dark_runs, inked_box, needs_zbar, row_of, zbar_scan, zxing_scan
from tests.printing.test_label_pdf import CJK_FONT, LONG, OWN_COURIER, UPS_LIKE, USPS_LIKE, make_label, needs_cjk_font
from tests.printing.test_zpl import parse as parse_zpl
from tests.printing.test_zpl import rebuild_graphic


def barcode_middle_row(image: Image.Image, layout: Layout, dpi: int) -> list[bool]:
    [barcode] = [element for element in layout.elements if isinstance(element, Barcode)]
    return row_of(image, round((barcode.y + barcode.height / 2) * dpi / 25.4))


@needs_zbar
@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("number", [USPS_LIKE, UPS_LIKE, OWN_COURIER], ids=["usps", "ups", "own-courier"])
def test_the_raster_label_is_the_media_in_dots_and_its_barcode_scans(number: str, dpi: int) -> None:
    image = render_raster(label_layout(make_label(number)), dpi)
    assert image.mode == "1"
    assert image.size == ((812, 1218) if dpi == 203 else (1200, 1800))
    assert zbar_scan(image) == [number]


@pytest.mark.parametrize(("number", "dpi", "module"), [(USPS_LIKE, 203, 4), (UPS_LIKE, 203, 3), (UPS_LIKE, 300, 5)])
def test_bars_and_spaces_are_whole_modules_of_whole_dots_with_quiet_zones(number: str, dpi: int, module: int) -> None:
    layout = label_layout(make_label(number))
    row = barcode_middle_row(render_raster(layout, dpi), layout, dpi)
    widths = dark_runs(row)
    assert min(widths) == module
    assert all(width % module == 0 and width <= 4 * module for width in widths), widths
    assert row.index(True) >= 10 * module and row[::-1].index(True) >= 10 * module


@needs_zbar
@pytest.mark.parametrize("size", [LabelSize.FOUR_BY_SIX, LabelSize.FOUR_BY_FOUR, LabelSize.A6])
def test_a_very_long_address_leaves_the_outer_millimetre_blank_and_still_scans(size: LabelSize) -> None:
    image = render_raster(label_layout(LONG, size), 203)
    border = round(203 / 25.4)
    left, top, right, bottom = inked_box(image) or (0, 0, 0, 0)
    assert left >= border and top >= border
    assert right <= image.width - border and bottom <= image.height - border
    assert zbar_scan(image) == [UPS_LIKE]


def test_text_is_shrunk_to_its_block_when_the_font_runs_wide() -> None:
    block = TextBlock(10, 10, 30, "Maximilian Alexander Bartholomew", 14, bold=True)
    image = render_raster(Layout(101.6, 30, (block,)), 203)
    left, _, right, _ = inked_box(image) or (0, 0, 0, 0)
    assert left >= 80 - 1 and right <= 80 + 240 + 1  # 10 mm and 40 mm at 8 dots/mm


GS1_IMPB = "(420)94043(92)612345678901234567890"


@needs_zbar
def test_a_gs1_128_barcode_starts_with_fnc1_and_separates_its_elements() -> None:
    image = render_raster(Layout(101.6, 40, (Barcode(0, 5, 101.6, 30, GS1_IMPB, BarcodeKind.GS1_128),)), 203)
    assert zxing_scan(image, human_readable=True) == [("Code128", GS1_IMPB)]  # "(AI)" form: read as GS1
    # zbar gives the raw data: the first FNC1 is the GS1 flag, the next one a GS after the variable-length ZIP.
    assert zbar_scan(image) == ["42094043", "92612345678901234567890"]  # split at the GS character


@needs_zbar
def test_a_qr_code_scans_and_sits_on_whole_dots() -> None:
    url = "https://track.example.com/1Z999AA10123456784"
    image = render_raster(Layout(50, 50, (Barcode(5, 5, 40, 40, url, BarcodeKind.QR, max_module=1.0),)), 203)
    assert zbar_scan(image, "qrcode") == [url]
    widths = dark_runs(row_of(image, (inked_box(image) or (0, 0, 0, 0))[1]))  # the top row: a finder, then data
    module = widths[0] // 7
    assert module >= 2 and all(width % module == 0 for width in widths)


@pytest.mark.parametrize(
    ("kind", "value", "name"),
    [
        (BarcodeKind.QR, "Zoë Ørsted, 1600 Amphitheatre Parkway", "QRCode"),
        (BarcodeKind.PDF417, "[)>\x1e01\x1d02940431234\x1d840\x1d001\x1d1Z99999999\x1e\x04", "PDF417"),
        (BarcodeKind.DATAMATRIX, "JGB 0121001234 ORDER 100234", "DataMatrix"),
    ],
)
def test_two_dimensional_barcodes_decode_to_their_value(kind: BarcodeKind, value: str, name: str) -> None:
    image = render_raster(Layout(101.6, 60, (Barcode(5, 5, 91.6, 50, value, kind, max_module=0.5),)), 203)
    assert zxing_scan(image) == [(name, value)]


def test_a_barcode_too_big_for_its_place_is_refused_in_words() -> None:
    layout = Layout(20, 20, (Barcode(0, 0, 20, 10, UPS_LIKE),))
    with pytest.raises(ValueError, match="does not fit"):
        render_raster(layout, 203)


# ----------------------------------------------------------------------------- names in Chinese or Japanese


def ink(image: Image.Image) -> Image.Image:
    """The image cropped to its black dots, as a 1-bit image."""
    box = inked_box(image)
    assert box is not None, "nothing was drawn"
    return image.convert("1").crop(box)


@needs_cjk_font
def test_a_chinese_name_is_drawn_with_the_glyphs_of_the_computers_chinese_font_not_as_empty_boxes() -> None:
    image = render_raster(Layout(101.6, 30, (TextBlock(10, 5, 80, "王小明", 17, bold=True),)), 203)

    assert CJK_FONT is not None
    expected = Image.new("1", (400, 100), 1)
    font = ImageFont.truetype(str(CJK_FONT.path), 48)  # 17 pt at 203 dpi
    ImageDraw.Draw(expected).text((10, 70), "王小明", font=font, fill=0, anchor="ls")
    drawn, wanted = ink(image), ink(expected)
    assert drawn.size == wanted.size
    assert ImageChops.difference(drawn.convert("L"), wanted.convert("L")).getbbox() is None


@needs_cjk_font
def test_text_a_zebra_font_cannot_draw_goes_to_the_zebra_as_the_rasters_own_dots() -> None:
    recipient = Address(name="王小明", company="Zoë 田中", street1="88 Century Avenue", city="Shanghai", country="CN")
    layout = label_layout(make_label(recipient=recipient))

    label = parse_zpl(layout_to_zpl(layout, 203))
    raster = render_raster(layout, 203)

    native = [item.commands["FD"] for item in label.fields if "A0" in item.commands]
    assert "88 Century Avenue" in native and "Shanghai" in native  # Latin text stays in the printer's font
    assert not any(char in text for text in native for char in "王小明田中")  # the printer would leave these blank
    graphics = [item for item in label.fields if "GF" in item.commands]
    assert len(graphics) == 2  # the name, and the company with its Chinese part
    for item in graphics:
        rebuilt = rebuild_graphic(item.commands["GF"])
        region = raster.crop((item.x, item.y, item.x + rebuilt.width, item.y + rebuilt.height))
        assert ImageChops.difference(rebuilt.convert("L"), region.convert("L")).getbbox() is None
        assert inked_box(rebuilt) is not None


@pytest.mark.parametrize("fmt", ["png", "zpl", "tspl", "escpos"])
def test_a_name_no_font_on_the_computer_can_draw_is_refused_for_every_printer_language(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "fallback_fonts", FallbackFonts([]))  # a computer with no Chinese font
    label = make_label(recipient=Address(name="王小明", city="Shanghai", country="CN"))
    with pytest.raises(ValueError) as refused:
        render_label(label, LabelSize.FOUR_BY_SIX, fmt, 203)
    assert (
        str(refused.value) == "The text 王小明 has characters the label fonts on this computer cannot print (王 小 明)"
    )


def test_a_name_with_an_emoji_no_font_has_draws_as_the_name_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "fallback_fonts", FallbackFonts([]))
    with_emoji = make_label(recipient=Address(name="Anna🌸", city="Springfield", country="US"))
    without = make_label(recipient=Address(name="Anna", city="Springfield", country="US"))

    drawn = render_label(with_emoji, LabelSize.FOUR_BY_SIX, "png", 203)

    assert drawn == render_label(without, LabelSize.FOUR_BY_SIX, "png", 203)  # no empty box where the emoji was


def test_an_emoji_left_out_between_words_leaves_one_space_not_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "fallback_fonts", FallbackFonts([]))

    runs = fonts.text_runs("🎁 Anna 🌸 Lee ✨", fonts.label_fonts().regular)

    assert "".join(text for text, _face in runs) == "Anna Lee "


# ----------------------------------------------------------------------------- a provider's PDF on the media


@needs_zbar
@pytest.mark.parametrize("dpi", [203, 300])
def test_a_provider_4x6_pdf_is_rasterised_at_printer_resolution_and_scans(dpi: int) -> None:
    pdf = render_labels_pdf([make_label(UPS_LIKE), make_label(USPS_LIKE)])
    pages = rasterise_pdf(pdf, dpi, LabelSize.FOUR_BY_SIX.label_mm)
    assert [page.size for page in pages] == [(812, 1218) if dpi == 203 else (1200, 1800)] * 2
    assert [page.mode for page in pages] == ["1", "1"]
    assert [zbar_scan(page) for page in pages] == [[UPS_LIKE], [USPS_LIKE]]


def test_the_rasterised_pdf_keeps_bars_on_whole_dots() -> None:
    [page] = rasterise_pdf(render_labels_pdf([make_label(UPS_LIKE)]), 203, LabelSize.FOUR_BY_SIX.label_mm)
    layout = label_layout(make_label(UPS_LIKE))
    widths = dark_runs(barcode_middle_row(page, layout, 203))
    assert min(widths) == 3 and all(width % 3 == 0 for width in widths), widths


def _one_page_pdf(page: tuple[float, float], value: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page)
    symbol = Code128(value, barWidth=1.5, barHeight=72, quiet=1)
    symbol.drawOn(canvas, 36, page[1] - 180)
    canvas.rect(18, 18, page[0] - 36, page[1] - 36)  # a frame a quarter inch inside the page edge
    canvas.save()
    return buffer.getvalue()


@needs_zbar
@pytest.mark.parametrize(
    ("page", "name"), [(LETTER, "letter"), (landscape((288, 432)), "6x4 landscape")], ids=["letter", "landscape"]
)
def test_a_pdf_of_another_shape_is_scaled_to_the_media_without_distortion(page: tuple[float, float], name: str) -> None:
    [image] = rasterise_pdf(_one_page_pdf(page, "PROVIDER-42"), 203, LabelSize.FOUR_BY_SIX.label_mm)
    assert image.size == (812, 1218)
    assert zbar_scan(image) == ["PROVIDER-42"]
    left, top, right, bottom = inked_box(image) or (0, 0, 0, 0)
    framed = (right - left, bottom - top)
    portrait = page if page[0] < page[1] else (page[1], page[0])  # a landscape page is turned to fit
    expected = (portrait[0] - 36) / (portrait[1] - 36)
    assert framed[0] / framed[1] == pytest.approx(expected, rel=0.01), name
    assert framed[0] <= 812 and framed[1] <= 1218
    assert max(framed[0] / 812, framed[1] / 1218) > 0.9  # it fills the media in one direction


def test_bytes_that_are_not_a_pdf_are_refused_in_words() -> None:
    with pytest.raises(ValueError, match="not a PDF"):
        rasterise_pdf(b"<html>Session expired</html>", 203, LabelSize.FOUR_BY_SIX.label_mm)
