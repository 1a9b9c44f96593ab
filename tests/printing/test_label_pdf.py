"""Shipping labels as PDF: what a scanner reads and what a person sees once the page is rasterised.

Every check runs on the real output: pdftoppm rasterises at printer resolution, zbarimg scans, pdftotext reads.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.pdfbase import pdfmetrics

from shipdesk.domain import Address, LabelSize, Weight, WeightUnit
from shipdesk.printing import fonts
from shipdesk.printing.fonts import FallbackFonts, label_fonts
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.printing.label_pdf import fit_text, render_labels_pdf, wrap_text
from shipdesk.shipping.own_courier import own_courier_tracking_number

MISSING_TOOLS = [tool for tool in ("pdftoppm", "zbarimg", "pdftotext", "pdffonts") if shutil.which(tool) is None]
needs_poppler_and_zbar = pytest.mark.skipif(
    bool(MISSING_TOOLS), reason=f"needs poppler-utils and zbar-tools; missing: {', '.join(MISSING_TOOLS)}"
)
CJK_FONT = fonts.fallback_fonts.face_for("王")
needs_cjk_font = pytest.mark.skipif(
    CJK_FONT is None, reason="needs a Chinese font shipdesk knows, e.g. apt-get install fonts-droid-fallback"
)


@pytest.fixture
def without_cjk_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A computer with no font for Chinese or Japanese: only DejaVu, shipdesk's own."""
    monkeypatch.setattr(fonts, "fallback_fonts", FallbackFonts([]))


USPS_LIKE = "9400111899223100012345"
UPS_LIKE = "1Z999AA10123456784"
OWN_COURIER = own_courier_tracking_number(1234, datetime(2026, 11, 22, 14, 30, tzinfo=UTC))

SENDER = Address(
    name="Northwind Packing Co.",
    street1="12 Dock Road, Unit 4",
    city="Portland",
    state="OR",
    postal_code="97201",
    country="US",
)


def make_label(tracking_number: str = USPS_LIKE, **changes: object) -> ShippingLabel:
    label = ShippingLabel(
        sender=SENDER,
        recipient=Address(
            name="Zoë Ørsted",
            company="Ørsted Design ApS",
            street1="1600 Amphitheatre Parkway",
            city="Mountain View",
            state="CA",
            postal_code="94043",
            country="US",
        ),
        carrier="Other / own courier",
        service="Standard",
        tracking_number=tracking_number,
        order_number="100234",
        ship_date=date(2026, 11, 22),
        package="Box 30×20×10",
        weight=Weight(Decimal("2.5"), WeightUnit.POUND),
    )
    return replace(label, **changes)  # type: ignore[arg-type]


def rasterise(pdf: bytes, folder: Path, dpi: int = 203, anti_alias: bool = True) -> list[Image.Image]:
    source = folder / "labels.pdf"
    source.write_bytes(pdf)
    options = [] if anti_alias else ["-aa", "no", "-aaVector", "no"]
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", *options, "-png", source, folder / "page"], check=True)
    return [Image.open(path).convert("L") for path in sorted(folder.glob("page-*.png"))]


def scan(image: Image.Image, folder: Path) -> list[str]:
    """What a Code 128 scanner reads off the page."""
    path = folder / "scan.png"
    image.save(path)
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Scode128.enable", path], capture_output=True, text=True
    )
    return result.stdout.splitlines()


def pdf_text(pdf: bytes, folder: Path) -> str:
    source = folder / "text.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdftotext", source, "-"], capture_output=True, text=True, check=True).stdout


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[index].get_size() for index in range(len(document))]
    finally:
        document.close()


def pixel_rows(image: Image.Image) -> list[bytes]:
    """The grey levels of a rasterised page, row by row (0 black, 255 white)."""
    width, height = image.size
    data = image.tobytes()
    return [data[y * width : (y + 1) * width] for y in range(height)]


def barcode_row(image: Image.Image) -> list[int]:
    """The pixel row through the middle of the barcode: bars are the tallest stack of identical rows with many edges."""
    rows = [bytes(value < 128 for value in row) for row in pixel_rows(image)]
    best_start, best_length, start = 0, 0, 0
    for y in range(1, len(rows) + 1):
        if y == len(rows) or rows[y] != rows[start]:
            edges = sum(a != b for a, b in zip(rows[start], rows[start][1:], strict=False))
            if edges >= 40 and y - start > best_length:
                best_start, best_length = start, y - start
            start = y
    assert best_length >= 20, "no barcode found on the page"
    return list(pixel_rows(image)[best_start + best_length // 2])


def runs(row: list[int]) -> list[tuple[bool, int]]:
    """(dark, length) runs from the first dark pixel to the last one."""
    dark = [value < 128 for value in row]
    first, last = dark.index(True), len(dark) - 1 - dark[::-1].index(True)
    found: list[tuple[bool, int]] = []
    for is_dark in dark[first : last + 1]:
        if found and found[-1][0] == is_dark:
            found[-1] = (is_dark, found[-1][1] + 1)
        else:
            found.append((is_dark, 1))
    return found


# ----------------------------------------------------------------------------- scanners read them


@needs_poppler_and_zbar
@pytest.mark.parametrize("tracking_number", [USPS_LIKE, UPS_LIKE, OWN_COURIER], ids=["usps", "ups", "own-courier"])
def test_the_tracking_barcode_scans_as_exactly_the_tracking_number(tracking_number: str, tmp_path: Path) -> None:
    [page] = rasterise(render_labels_pdf([make_label(tracking_number)]), tmp_path)
    assert scan(page, tmp_path) == [tracking_number]


@needs_poppler_and_zbar
def test_a_batch_of_three_labels_is_three_label_sized_pages_in_order(tmp_path: Path) -> None:
    numbers = [USPS_LIKE, UPS_LIKE, OWN_COURIER]
    pdf = render_labels_pdf([make_label(number) for number in numbers])
    assert page_sizes(pdf) == [pytest.approx((288.0, 432.0), abs=0.01)] * 3
    pages = rasterise(pdf, tmp_path)
    assert [scan(page, tmp_path) for page in pages] == [[number] for number in numbers]


@pytest.mark.parametrize(
    ("size", "points"),
    [
        (LabelSize.FOUR_BY_SIX, (288.0, 432.0)),
        (LabelSize.FOUR_BY_FOUR, (288.0, 288.0)),
        (LabelSize.A6, (297.64, 419.53)),
    ],
)
def test_each_label_size_gets_pages_of_that_size(size: LabelSize, points: tuple[float, float]) -> None:
    assert page_sizes(render_labels_pdf([make_label()], size)) == [pytest.approx(points, abs=0.01)]


@needs_poppler_and_zbar
@pytest.mark.parametrize(
    ("size", "sheet"), [(LabelSize.LETTER_TWO_UP, (612.0, 792.0)), (LabelSize.A4_TWO_UP, (595.28, 841.89))]
)
def test_two_up_sheets_carry_two_labels_each_and_both_scan(
    size: LabelSize, sheet: tuple[float, float], tmp_path: Path
) -> None:
    numbers = [USPS_LIKE, UPS_LIKE, OWN_COURIER]
    pdf = render_labels_pdf([make_label(number) for number in numbers], size)
    assert page_sizes(pdf) == [pytest.approx(sheet, abs=0.01)] * 2
    first, second = rasterise(pdf, tmp_path, dpi=300)
    assert sorted(scan(first, tmp_path)) == sorted(numbers[:2])
    assert scan(second, tmp_path) == numbers[2:]


@needs_poppler_and_zbar
def test_a_4x4_label_still_scans(tmp_path: Path) -> None:
    [page] = rasterise(render_labels_pdf([make_label(UPS_LIKE)], LabelSize.FOUR_BY_FOUR), tmp_path)
    assert scan(page, tmp_path) == [UPS_LIKE]


# ----------------------------------------------------------------------------- bars on whole printer dots


@needs_poppler_and_zbar
@pytest.mark.parametrize(
    ("tracking_number", "dpi", "module"),
    [(USPS_LIKE, 203, 4), (UPS_LIKE, 203, 3), (OWN_COURIER, 203, 4), (UPS_LIKE, 300, 5)],
)
def test_every_bar_and_space_is_a_whole_number_of_printer_dots(
    tracking_number: str, dpi: int, module: int, tmp_path: Path
) -> None:
    # Rasterised the way a 1-bit thermal driver does it: a pixel is ink or not, no grey.
    [page] = rasterise(render_labels_pdf([make_label(tracking_number)], dpi=dpi), tmp_path, dpi, anti_alias=False)
    row = barcode_row(page)
    widths = [length for _, length in runs(row)]
    assert min(widths) == module
    assert all(length % module == 0 for length in widths), widths
    # Code 128 elements are 1 to 4 modules wide; the symbol stays within 90 mm.
    assert max(widths) <= 4 * module
    assert sum(widths) <= 90 / 25.4 * dpi


@needs_poppler_and_zbar
def test_bar_edges_fall_on_pixel_edges_when_anti_aliased(tmp_path: Path) -> None:
    [page] = rasterise(render_labels_pdf([make_label(UPS_LIKE)]), tmp_path)
    row = barcode_row(page)
    dark = [x for x, value in enumerate(row) if value < 128]
    half_covered = [x for x, value in enumerate(row[dark[0] : dark[-1] + 1], dark[0]) if 64 < value < 192]
    assert half_covered == []


@needs_poppler_and_zbar
def test_the_barcode_has_a_quiet_zone_of_ten_modules_each_side(tmp_path: Path) -> None:
    [page] = rasterise(render_labels_pdf([make_label(UPS_LIKE)]), tmp_path, anti_alias=False)
    row = barcode_row(page)
    dark = [x for x, value in enumerate(row) if value < 128]
    module = min(length for _, length in runs(row))
    assert dark[0] >= 10 * module
    assert len(row) - 1 - dark[-1] >= 10 * module


# ----------------------------------------------------------------------------- people read them


@needs_poppler_and_zbar
def test_names_beyond_latin_1_are_drawn_in_an_embedded_font_that_has_their_letters(tmp_path: Path) -> None:
    names = ["Zoë Ørsted", "José Núñez", "Łukasz Żółw"]
    pdf = render_labels_pdf([make_label(recipient=replace(make_label().recipient, name=name)) for name in names])
    text = pdf_text(pdf, tmp_path)
    for name in names:
        assert name in text
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", source], capture_output=True, text=True, check=True).stdout
    fonts = [line.split() for line in listing.splitlines()[2:]]
    assert fonts, listing
    for font in fonts:  # name type encoding emb sub uni …: every font is an embedded DejaVu subset
        assert "DejaVuSans" in font[0] and font[-5:-2] == ["yes", "yes", "yes"], listing
    registered = label_fonts()
    for font_name in (registered.regular, registered.bold):
        glyphs = pdfmetrics.getFont(font_name).face.charToGlyph
        missing = {char for char in "".join(names) if ord(char) not in glyphs}
        assert missing == set(), f"{font_name} would draw a blank box for {missing}"


@needs_poppler_and_zbar
def test_the_label_shows_every_part_a_courier_needs(tmp_path: Path) -> None:
    text = " ".join(pdf_text(render_labels_pdf([make_label(OWN_COURIER)]), tmp_path).split())
    for part in (
        "FROM",
        "Northwind Packing Co.",
        "Portland OR 97201",
        "SHIP TO",
        "Zoë Ørsted",
        "Ørsted Design ApS",
        "1600 Amphitheatre Parkway",
        "Mountain View CA 94043",
        "OTHER / OWN COURIER · STANDARD",
        OWN_COURIER,
        "ORDER # 100234",
        "2026-11-22",
        "2.5 lb",
        "Box 30×20×10",
    ):
        assert part in text


@needs_poppler_and_zbar
def test_a_label_to_japan_names_tokyo_once_before_its_postal_code(tmp_path: Path) -> None:
    tokyo = Address(name="Yuki Satō", street1="1-175-3 Chiyoda", city="Tokyo", state="Tokyo", postal_code="100-0001")

    text = " ".join(pdf_text(render_labels_pdf([make_label(recipient=replace(tokyo, country="JP"))]), tmp_path).split())

    assert "Tokyo 100-0001" in text and "Tokyo Tokyo" not in text


@needs_poppler_and_zbar
def test_without_a_sender_the_from_block_is_left_out(tmp_path: Path) -> None:
    pdf = render_labels_pdf([make_label(sender=Address())])
    text = pdf_text(pdf, tmp_path)
    assert "FROM" not in text
    assert "Zoë Ørsted" in text
    [page] = rasterise(pdf, tmp_path)
    assert scan(page, tmp_path) == [USPS_LIKE]


LONG = make_label(
    UPS_LIKE,
    recipient=Address(
        name="Maximilian Alexander Bartholomew von Hohenzollern-Sigmaringen the Third",
        company="Very Long Company Name International Logistics & Fulfilment Services GmbH & Co. KG",
        street1="Straße des 17. Juni 135, Hinterhaus, Aufgang C, 4. Obergeschoss links, bei Müller klingeln",
        street2="Gewerbegebiet Nord-Ost, Halle 7, Tor 12",
        street3="c/o Reception",
        city="Garmisch-Partenkirchen",
        state="Bayern",
        postal_code="82467",
        country="DE",
    ),
    service="Priority Mail Express International Flat Rate Padded Envelope",
    order_number="WEB-2026-0000123456789-REPLACEMENT",
    package="Custom cardboard tube 120 × 12 × 12 cm, fragile",
)


@needs_poppler_and_zbar
@pytest.mark.parametrize("size", [LabelSize.FOUR_BY_SIX, LabelSize.FOUR_BY_FOUR, LabelSize.A6])
def test_very_long_lines_stay_inside_the_label_and_keep_the_barcode_readable(size: LabelSize, tmp_path: Path) -> None:
    pdf = render_labels_pdf([LONG], size)
    [page] = rasterise(pdf, tmp_path)
    rows = pixel_rows(page)
    border = round(203 / 25.4)  # the outermost 1 mm, where media drift would cut ink off
    frame = [*rows[:border], *rows[-border:], *(row[:border] + row[-border:] for row in rows)]
    inked = [row for row in frame if min(row) < 200]
    assert inked == []
    assert scan(page, tmp_path) == [UPS_LIKE]
    # Shrunk or wrapped, never cut: every word of the address is still on the label.
    text = " ".join(pdf_text(pdf, tmp_path).split())
    for part in (
        LONG.recipient.name,
        LONG.recipient.street1,
        LONG.recipient.company,
        "82467 Garmisch-Partenkirchen Bayern",  # a German address: the postal code first
    ):
        assert part in text


@needs_poppler_and_zbar
def test_a_company_and_a_city_with_line_breaks_are_printed_each_on_one_line(tmp_path: Path) -> None:
    recipient = Address(
        name="Ann Lee", company="Acme\nWarehouse 2", city="Spring\r\nfield", postal_code="62701", country="US"
    )

    pdf = render_labels_pdf([make_label(recipient=recipient)])

    lines = pdf_text(pdf, tmp_path).splitlines()
    assert "Acme Warehouse 2" in lines and "Spring field 62701" in lines
    [page] = rasterise(pdf, tmp_path)
    assert scan(page, tmp_path) == [USPS_LIKE]


def test_a_line_too_long_to_shrink_is_cut_with_an_ellipsis_and_fits() -> None:
    font = label_fonts().regular
    text, size = fit_text("W" * 300, font, 12, 200)
    assert text.endswith("…") and len(text) < 300
    assert pdfmetrics.stringWidth(text, font, size) <= 200


def test_a_line_a_little_too_long_is_shrunk_not_cut() -> None:
    font = label_fonts().bold
    text, size = fit_text("1600 Amphitheatre Parkway Building 42", font, 14, 200)
    assert text == "1600 Amphitheatre Parkway Building 42"
    assert 6 <= size < 14
    assert pdfmetrics.stringWidth(text, font, size) <= 200


def test_a_long_line_wraps_at_a_space_rather_than_getting_tiny() -> None:
    font = label_fonts().regular
    street = "Straße des 17. Juni 135, Hinterhaus, Aufgang C, 4. Obergeschoss links"
    lines = wrap_text(street, font, 13, 200, max_lines=2, readable=8)
    assert len(lines) == 2
    assert " ".join(text for text, _ in lines) == street
    assert all(size >= 8 and pdfmetrics.stringWidth(text, font, size) <= 200 for text, size in lines)


@needs_poppler_and_zbar
@needs_cjk_font
def test_chinese_and_japanese_names_are_drawn_in_a_font_of_the_computer_that_has_their_characters(
    tmp_path: Path,
) -> None:
    chinese = Address(name="王小明", street1="浦东新区世纪大道88号金茂大厦写字楼层办公室", city="上海", country="CN")
    japanese = Address(name="田中太郎", company="Zoë 山田花子", city="Tokyo", country="JP")
    pdf = render_labels_pdf([make_label(recipient=chinese), make_label(recipient=japanese)])

    text = pdf_text(pdf, tmp_path)
    for part in ("王小明", "上海", "田中太郎", "Zoë 山田花子", "Northwind Packing Co."):
        assert part in text
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", source], capture_output=True, text=True, check=True).stdout
    embedded = [line.split() for line in listing.splitlines()[2:]]
    assert all(font[-5:-2] == ["yes", "yes", "yes"] for font in embedded), listing
    assert CJK_FONT is not None
    face = pdfmetrics.getFont(CJK_FONT.name).face
    assert any(font[0].endswith("+" + face.name.decode()) for font in embedded), listing
    glyphs = face.charToGlyph
    assert all(ord(char) in glyphs for char in "王小明上海田中太郎山田花子")
    for page in rasterise(pdf, tmp_path):  # the long Chinese street is measured in its own font: it fits
        assert scan(page, tmp_path)
        left, _, right, _ = page.point(lambda level: 255 if level < 128 else 0).getbbox() or (0, 0, 0, 0)
        assert left >= 8 and right <= page.width - 8  # 1 mm at 203 dpi


def test_a_name_no_font_on_the_computer_can_draw_is_refused_naming_it(without_cjk_fonts: None) -> None:
    with pytest.raises(ValueError) as refused:
        render_labels_pdf([make_label(recipient=Address(name="王小明", city="Shanghai", country="CN"))])
    assert str(refused.value) == (
        "Order 100234: the ship-to name 王小明 has characters the label fonts on this computer cannot print (王 小 明)"
    )


def test_an_emoji_no_font_can_draw_is_left_out_and_the_label_prints(without_cjk_fonts: None, tmp_path: Path) -> None:
    recipient = Address(name="Anna 🌸 Lee", street1="1 Main St ✨", city="Springfield", country="US")

    pdf = render_labels_pdf([make_label(recipient=recipient)])

    text = pdf_text(pdf, tmp_path)
    assert "Anna" in text and "Lee" in text and "1 Main St" in text
    assert "🌸" not in text and "✨" not in text


# ----------------------------------------------------------------------------- refused input


def test_a_tracking_number_that_code_128_cannot_carry_is_refused_naming_the_order() -> None:
    with pytest.raises(ValueError, match=r"Order 100234: .*'Zoë-1'.*Code 128"):
        render_labels_pdf([make_label("Zoë-1")])


def test_no_labels_is_an_error_not_an_empty_pdf() -> None:
    with pytest.raises(ValueError, match="no labels"):
        render_labels_pdf([])


# A Shenzhen office address as a Chinese shop exports it: one line, no spaces, the room number at its very end.
SHENZHEN_STREET = "广东省深圳市南山区粤海街道科技园南区深圳湾科技生态园十栋A座十五楼一五零一室前台代收请致电"


@needs_poppler_and_zbar
@needs_cjk_font
def test_a_long_chinese_street_is_printed_whole_down_to_its_room_number(tmp_path: Path) -> None:
    recipient = Address(name="王小明", street1=SHENZHEN_STREET, city="深圳市", postal_code="518057", country="CN")

    pdf = render_labels_pdf([make_label(recipient=recipient)])

    printed = "".join(pdf_text(pdf, tmp_path).split())
    assert SHENZHEN_STREET in printed
    assert "…" not in printed
    [page] = rasterise(pdf, tmp_path)
    assert scan(page, tmp_path) == [make_label().tracking_number]


@needs_poppler_and_zbar
def test_a_label_to_reunion_prints_the_postal_code_before_the_town_as_la_poste_sorts_it(tmp_path: Path) -> None:
    reunion = Address(
        name="Margaux Payet", street1="12 Rue de Paris", city="Saint-Denis", postal_code="97400", country="RE"
    )

    text = pdf_text(render_labels_pdf([make_label(recipient=reunion)]), tmp_path)

    assert "97400 Saint-Denis" in text.splitlines()
