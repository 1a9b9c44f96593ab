"""Labels as 1-bit images at the printer's dpi: a Layout drawn dot by dot, or a provider's PDF rasterised.

Black is 0 in the image (Pillow's mode "1"); barcodes sit on whole dots so scanners read them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from shipdesk.printing.fonts import FontFace, cannot_print, label_face, label_fonts, missing_characters, text_runs
from shipdesk.printing.layout import Barcode, Box, Image, Layout, Line, TextBlock, points_to_dots, to_dots
from shipdesk.printing.pdfium_lock import PDFIUM_LOCK
from shipdesk.printing.symbols import LinearSymbol, MatrixSymbol, fit_module, linear_symbol, matrix_symbol

BLACK, WHITE = 0, 1
POINTS_PER_INCH = 72


@dataclass(frozen=True, slots=True)
class PlacedSymbol:
    """Where a barcode lands in dots: the top-left of its first module, the module size, the bar height."""

    symbol: LinearSymbol | MatrixSymbol
    left: int
    top: int
    module: int
    bar_height: int  # linear symbols only


def place_barcode(barcode: Barcode, dpi: int) -> PlacedSymbol:
    """The same placement for every output, so a ZPL field and a raster land on the same dots."""
    x, y = to_dots(barcode.x, dpi), to_dots(barcode.y, dpi)
    width, height = to_dots(barcode.width, dpi), to_dots(barcode.height, dpi)
    widest = max(1, round(barcode.max_module * dpi / 25.4))
    symbol: LinearSymbol | MatrixSymbol
    if barcode.kind.is_linear:
        symbol = linear_symbol(barcode.value, barcode.kind)
        module = fit_module(symbol.modules + 2 * symbol.quiet, 1, width, height, widest, f"barcode {barcode.value}")
        left = x + (width - symbol.modules * module) // 2
        return PlacedSymbol(symbol, left, y, module, height)
    symbol = matrix_symbol(barcode.value, barcode.kind)
    units_wide, units_high = symbol.width + 2 * symbol.quiet, symbol.height + 2 * symbol.quiet
    module = fit_module(units_wide, units_high, width, height, widest, f"{barcode.kind} barcode")
    left = x + (width - symbol.width * module) // 2
    return PlacedSymbol(symbol, left, y + symbol.quiet * module, module, 0)


def render_raster(layout: Layout, dpi: int) -> PILImage.Image:
    """The label as a 1-bit image of exactly the media's size in dots (812×1218 for 4×6 at 203 dpi)."""
    if dpi <= 0:
        raise ValueError(f"The printer resolution must be a positive number of dots per inch, not {dpi}.")
    image = PILImage.new("1", layout.size_in_dots(dpi), WHITE)
    draw = ImageDraw.Draw(image)
    for element in layout.elements:
        if isinstance(element, TextBlock):
            _text(image, element, dpi)
        elif isinstance(element, Barcode):
            _barcode(draw, place_barcode(element, dpi))
        elif isinstance(element, Line):
            _line(draw, element, dpi)
        elif isinstance(element, Box):
            _box(draw, element, dpi)
        else:
            _image(image, element, dpi)
    return image


def label_font(bold: bool, pixels: int) -> ImageFont.FreeTypeFont:
    fonts = label_fonts()
    return face_font(label_face(fonts.bold if bold else fonts.regular), pixels)


@functools.lru_cache(maxsize=64)
def face_font(face: FontFace, pixels: int) -> ImageFont.FreeTypeFont:
    """The Pillow font of a face at a size in dots."""
    return ImageFont.truetype(str(face.path), pixels, index=face.index)


def check_printable(block: TextBlock) -> None:
    """Raises ValueError when the block has characters no font here can draw: they would print as empty boxes."""
    fonts = label_fonts()
    missing = missing_characters(block.text, fonts.bold if block.bold else fonts.regular)
    if missing:
        raise ValueError(cannot_print("The text", block.text, missing))


@dataclass(frozen=True, slots=True)
class _Glyphs:
    """A line of text drawn once: its ink as a mask, where the mask sits from the pen, and its advance."""

    mask: PILImage.Image
    offset: tuple[int, int]
    length: float


@functools.lru_cache(maxsize=4096)
def _glyphs(text: str, bold: bool, pixels: int, width: int) -> _Glyphs:
    """Cached: in a batch the captions, sender and service lines repeat on every label."""
    fonts = label_fonts()
    primary = label_face(fonts.bold if bold else fonts.regular)
    runs = text_runs(text, primary.name) or [("", primary)]
    if len(runs) > 1 or runs[0][1] is not primary:
        return _glyph_runs(runs, bold, pixels, width)
    text = runs[0][0]  # without what no font has (an emoji)
    font = label_font(bold, pixels)
    length = font.getlength(text)
    while length > width and pixels > 1:  # Pillow's hinting can make a line a dot wider than reportlab's
        pixels -= 1
        font = label_font(bold, pixels)
        length = font.getlength(text)
    box = font.getbbox(text, anchor="la")
    left, top, right, bottom = math.floor(box[0]), math.floor(box[1]), math.ceil(box[2]), math.ceil(box[3])
    mask = PILImage.new("1", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=1, anchor="la")
    return _Glyphs(mask, (left, top), length)


def _glyph_runs(runs: list[tuple[str, FontFace]], bold: bool, pixels: int, width: int) -> _Glyphs:
    """Text in more than one font (a Chinese name in the fallback font, say) drawn run after run on DejaVu's
    baseline, so the block's top is DejaVu's ascender as it is for text in DejaVu alone."""
    length = _runs_length(runs, pixels)
    while length > width and pixels > 1:
        pixels -= 1
        length = _runs_length(runs, pixels)
    baseline = label_font(bold, pixels).getmetrics()[0]
    placed: list[tuple[float, ImageFont.FreeTypeFont, str]] = []
    pen = 0.0
    left, top, right, bottom = math.inf, math.inf, -math.inf, -math.inf
    for text, face in runs:
        font = face_font(face, pixels)
        box = font.getbbox(text, anchor="ls")
        left, top = min(left, pen + box[0]), min(top, baseline + box[1])
        right, bottom = max(right, pen + box[2]), max(bottom, baseline + box[3])
        placed.append((pen, font, text))
        pen += font.getlength(text)
    left, top, right, bottom = math.floor(left), math.floor(top), math.ceil(right), math.ceil(bottom)
    mask = PILImage.new("1", (max(1, right - left), max(1, bottom - top)), 0)
    draw = ImageDraw.Draw(mask)
    for start, font, text in placed:
        draw.text((start - left, baseline - top), text, font=font, fill=1, anchor="ls")
    return _Glyphs(mask, (left, top), length)


def _runs_length(runs: list[tuple[str, FontFace]], pixels: int) -> float:
    return sum(face_font(face, pixels).getlength(text) for text, face in runs)


def text_picture(text: str, width: int, pixels: int, *, bold: bool = False, left: int = 0) -> PILImage.Image:
    """`text` drawn black on white, wrapped to `width` dots from `left`, each line `pixels` tall: for a printer whose
    own font cannot draw it (a Chinese name on a receipt printer). Raises ValueError for text no font here draws."""
    check_printable(TextBlock(0, 0, width, text, pixels, bold=bold))
    lines = _wrapped_to(text, width - left, pixels, bold)
    line_height = round(pixels * 1.25)
    picture = PILImage.new("1", (width, line_height * len(lines)), WHITE)
    for row, line in enumerate(lines):
        glyphs = _glyphs(line, bold, pixels, width - left)
        x, y = left + glyphs.offset[0], row * line_height + glyphs.offset[1]
        picture.paste(BLACK, (x, y, x + glyphs.mask.width, y + glyphs.mask.height), glyphs.mask)
    return picture


def _wrapped_to(text: str, width: int, pixels: int, bold: bool) -> list[str]:
    """The text as lines of at most `width` dots: broken at spaces, and inside a word (Chinese has no spaces) only
    where it is wider than a line."""
    fonts = label_fonts()
    font = fonts.bold if bold else fonts.regular

    def fits(candidate: str) -> bool:
        return _runs_length(text_runs(candidate, font), pixels) <= width

    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for character in word:  # a word wider than a line breaks where it must
            if current and not fits(current + character):
                lines.append(current)
                current = ""
            current += character
    return [*lines, current] if current or not lines else lines


def text_ink(block: TextBlock, dpi: int) -> tuple[PILImage.Image, tuple[int, int]]:
    """The block's text as a mask (1 where there is ink) and the label dot its top-left corner lands on.

    Raises ValueError when the text has characters no font here can draw.
    """
    check_printable(block)
    width = to_dots(block.width, dpi)
    glyphs = _glyphs(block.text, block.bold, points_to_dots(block.size, dpi), width)
    x = to_dots(block.x, dpi)
    if block.align == "center":
        x += round((width - glyphs.length) / 2)
    elif block.align == "right":
        x += round(width - glyphs.length)
    return glyphs.mask, (x + glyphs.offset[0], to_dots(block.y, dpi) + glyphs.offset[1])


def _text(canvas: PILImage.Image, block: TextBlock, dpi: int) -> None:
    mask, position = text_ink(block, dpi)
    canvas.paste(WHITE if block.inverted else BLACK, position, mask)


def _barcode(draw: ImageDraw.ImageDraw, placed: PlacedSymbol) -> None:
    module, symbol = placed.module, placed.symbol
    if isinstance(symbol, LinearSymbol):
        for start, modules in symbol.bars:
            left = placed.left + start * module
            draw.rectangle((left, placed.top, left + modules * module - 1, placed.top + placed.bar_height - 1), BLACK)
        return
    row_height = symbol.row_modules * module
    for row_index, row in enumerate(symbol.rows):
        top = placed.top + row_index * row_height
        column = 0
        while column < len(row):  # one rectangle per run of dark modules keeps big symbols fast
            if not row[column]:
                column += 1
                continue
            end = column
            while end < len(row) and row[end]:
                end += 1
            left = placed.left + column * module
            draw.rectangle((left, top, placed.left + end * module - 1, top + row_height - 1), BLACK)
            column = end


def _line(draw: ImageDraw.ImageDraw, line: Line, dpi: int) -> None:
    thickness = max(1, to_dots(line.thickness, dpi))
    x1, y1, x2, y2 = (to_dots(value, dpi) for value in (line.x1, line.y1, line.x2, line.y2))
    if y1 == y2:
        top = y1 - thickness // 2
        draw.rectangle((min(x1, x2), top, max(x1, x2) - 1, top + thickness - 1), BLACK)
    elif x1 == x2:
        left = x1 - thickness // 2
        draw.rectangle((left, min(y1, y2), left + thickness - 1, max(y1, y2) - 1), BLACK)
    else:
        raise ValueError("Only horizontal and vertical lines can be printed.")


def _box(draw: ImageDraw.ImageDraw, box: Box, dpi: int) -> None:
    left, top = to_dots(box.x, dpi), to_dots(box.y, dpi)
    right, bottom = left + to_dots(box.width, dpi) - 1, top + to_dots(box.height, dpi) - 1
    if box.filled:
        draw.rectangle((left, top, right, bottom), BLACK)
    else:
        draw.rectangle((left, top, right, bottom), outline=BLACK, width=max(1, to_dots(box.thickness, dpi)))


def _image(canvas: PILImage.Image, element: Image, dpi: int) -> None:
    area = (to_dots(element.width, dpi), to_dots(element.height, dpi))
    picture = fit_on_media(element.image, area)
    canvas.paste(picture, (to_dots(element.x, dpi), to_dots(element.y, dpi)))


def fit_on_media(picture: PILImage.Image, media: tuple[int, int]) -> PILImage.Image:
    """`picture` scaled to fit `media` (in dots) without distortion, centred on white, as 1-bit."""
    grey = _on_white(picture)
    scale = min(media[0] / grey.width, media[1] / grey.height)
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    # A page rendered at the right scale can be a dot off by rounding: resampling it would blur every bar.
    if abs(size[0] - grey.width) > 1 or abs(size[1] - grey.height) > 1:
        grey = grey.resize(size, PILImage.Resampling.LANCZOS)
    else:
        size = grey.size
    page = PILImage.new("L", media, 255)
    page.paste(grey, ((media[0] - size[0]) // 2, (media[1] - size[1]) // 2))
    return to_one_bit(page)


_INVERT = bytes(255 - value for value in range(256))


def pack_rows(image: PILImage.Image, black_bit: int) -> tuple[int, bytes]:
    """(bytes per row, rows) of a 1-bit image, MSB leftmost, each row padded to whole bytes with blank dots.

    `black_bit` is what a black dot is in the printer's language: 1 in ESC/POS and ZPL, 0 in TSPL.
    """
    row_bytes = (image.width + 7) // 8
    bitmap = image.convert("1")
    if image.width % 8:
        bitmap = PILImage.new("1", (row_bytes * 8, image.height), WHITE)
        bitmap.paste(image.convert("1"), (0, 0))
    data = bitmap.tobytes()  # Pillow's own polarity: a 0 bit is black
    return row_bytes, data.translate(_INVERT) if black_bit == 1 else data


def to_one_bit(grey: PILImage.Image) -> PILImage.Image:
    """A threshold, not a dither: dithering frays bar edges and small text."""
    return grey.convert("L").convert("1", dither=PILImage.Dither.NONE)  # levels of 128 and up stay white


def _on_white(picture: PILImage.Image) -> PILImage.Image:
    if picture.mode in ("RGBA", "LA", "P"):
        rgba = picture.convert("RGBA")
        white = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        return PILImage.alpha_composite(white, rgba).convert("L")
    return picture.convert("L")


# ----------------------------------------------------------------------------- labels bought elsewhere


def rasterise_pdf_pages(pdf: bytes, dpi: int) -> Iterator[tuple[PILImage.Image, tuple[float, float]]]:
    """Each page of a PDF as a 1-bit image at `dpi`, with the page's size in points; one page at a time.

    Raises ValueError when the bytes are not a PDF that can be opened.
    """
    with PDFIUM_LOCK:
        document = _open_pdf(pdf)
    try:
        for index in range(len(document)):
            with PDFIUM_LOCK:  # let go of between pages: the printer takes each page while others use PDFium
                page = document[index]
                size = page.get_size()
                bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True)
                picture = to_one_bit(bitmap.to_pil())
                bitmap.close()
                page.close()
            yield picture, size
    finally:
        with PDFIUM_LOCK:
            document.close()


def _open_pdf(pdf: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise ValueError(f"The label is not a PDF that can be opened ({error}).") from error


def rasterise_pdf(pdf: bytes, dpi: int, media: tuple[float, float]) -> list[PILImage.Image]:
    """Each page of a provider's label PDF as a 1-bit image of the media (width, height in mm) at `dpi`.

    A page is rendered straight at the scale that fits it on the media, so no bar is resampled twice;
    a landscape page on portrait media is turned a quarter first.
    Raises ValueError when the bytes are not a PDF that can be opened.
    """
    media_dots = (to_dots(media[0], dpi), to_dots(media[1], dpi))
    with PDFIUM_LOCK:
        return _rasterised_on_media(pdf, media_dots)


def _rasterised_on_media(pdf: bytes, media_dots: tuple[int, int]) -> list[PILImage.Image]:
    document = _open_pdf(pdf)
    try:
        pages: list[PILImage.Image] = []
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()  # points
            turn = (width > height) != (media_dots[0] > media_dots[1]) and width != height
            if turn:
                width, height = height, width
            scale = min(media_dots[0] / width, media_dots[1] / height)  # dots per point
            bitmap = page.render(scale=scale, rotation=90 if turn else 0, grayscale=True)
            pages.append(fit_on_media(bitmap.to_pil(), media_dots))
            bitmap.close()
            page.close()
        return pages
    finally:
        document.close()
