"""Shipping labels as one PDF: a page per label at 4×6, 4×4 or A6, or two labels a Letter/A4 sheet.

Drawn with the reportlab canvas in DejaVu Sans (a system font for what it lacks, e.g. Chinese or Japanese names);
Code 128 bars sit on whole printer dots so scanners read them.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from shipdesk.domain import Address, LabelSize
from shipdesk.printing.fonts import LabelFonts, cannot_print, label_fonts, missing_characters, text_runs, text_width
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.printing.layout import BarcodeKind
from shipdesk.printing.symbols import LinearSymbol, linear_symbol

MM = 72 / 25.4
MARGIN = 3 * MM  # thermal media drifts about 1 mm sideways; keep ink well away from the edge
GAP = 5.0
LEADING = 1.18
ASCENT = 0.93  # DejaVu Sans glyphs reach this far above the baseline, in ems
MIN_TEXT = 6.0  # smaller text does not survive a 203 dpi print head
ELLIPSIS = "…"
LABEL_COLUMN = 34.0  # the "FROM" / "SHIP TO" captions sit left of their address
MAX_SHIP_TO_GROWTH = 1.3

BARCODE_MAX_WIDTH_MM = 90.0
BARCODE_MAX_MODULE_MM = 0.5  # wider bars only waste media: 4 dots at 203 dpi, 6 at 300
QUIET_MODULES = 10  # the Code 128 quiet zone on each side
BAR_TRIM_DOTS = 0.1

_SHEETS = {LabelSize.LETTER_TWO_UP: LETTER, LabelSize.A4_TWO_UP: A4}


def render_labels_pdf(
    labels: Sequence[ShippingLabel], size: LabelSize = LabelSize.FOUR_BY_SIX, dpi: int = 203
) -> bytes:
    """One PDF with every label, in order: a page each, or two a sheet for Letter/A4 two-up.

    Raises ValueError, naming the order, when there is no label, a tracking number cannot be a Code 128 barcode, or
    a text has characters no font here can draw.
    """
    if not labels:
        raise ValueError("There are no labels to render.")
    if dpi <= 0:
        raise ValueError(f"The printer resolution must be a positive number of dots per inch, not {dpi}.")
    fonts = label_fonts()
    width, height = (side * MM for side in size.label_mm)
    sheet = _SHEETS.get(size)
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=sheet or (width, height), pageCompression=1, initialFontName=fonts.regular, initialFontSize=8
    )
    canvas.setTitle(f"{len(labels)} shipping label{'s' if len(labels) != 1 else ''}")
    canvas.setCreator("shipdesk")
    painter = _LabelPainter(canvas, fonts, width, height, dpi)
    if sheet is None:
        for label in labels:
            painter.paint(label)
            canvas.showPage()
    else:
        for first in range(0, len(labels), 2):
            for slot, label in enumerate(labels[first : first + 2]):
                _paint_on_half_sheet(canvas, painter, label, sheet, slot)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _paint_on_half_sheet(
    canvas: Canvas, painter: _LabelPainter, label: ShippingLabel, sheet: tuple[float, float], slot: int
) -> None:
    """Two-up stock is two peel-off halves: each takes one label turned a quarter, top half first."""
    sheet_width, sheet_height = sheet
    half = sheet_height / 2
    turned_width, turned_height = painter.height, painter.width
    x = (sheet_width - turned_width) / 2
    y = (half if slot == 0 else 0.0) + (half - turned_height) / 2
    canvas.saveState()
    canvas.translate(x + turned_width, y)
    canvas.rotate(90)
    painter.paint(label)
    canvas.restoreState()


# ----------------------------------------------------------------------------- text that fits


def fit_text(text: str, font: str, size: float, width: float) -> tuple[str, float]:
    """The text and a font size at most `size` that fit `width`: shrink first, cut with … last."""
    natural = text_width(text, font, size)
    if natural <= width:
        return text, size
    smallest = min(size, MIN_TEXT)
    shrunk = size * width / natural * 0.999  # the margin absorbs float rounding in stringWidth
    if shrunk >= smallest:
        return text, shrunk
    fits, cut = 0, len(text)
    while fits < cut:  # the longest prefix that still fits with the ellipsis
        middle = (fits + cut + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, font, smallest) <= width:
            fits = middle
        else:
            cut = middle - 1
    return text[:fits].rstrip() + ELLIPSIS, smallest


def wrap_text(
    text: str, font: str, size: float, width: float, max_lines: int, readable: float
) -> list[tuple[str, float]]:
    """The text as lines that fit `width`, each with its size: shrunk on one line while it stays
    `readable`, else wrapped at spaces onto up to `max_lines` lines, shrunk together only as needed."""
    natural = text_width(text, font, size)
    if max_lines == 1 or natural <= width or size * width / natural >= readable:
        return [fit_text(text, font, size, width)]
    pieces = _pieces(text)
    lines = _wrap_pieces(pieces, font, size, width)
    while len(lines) > max_lines and size > readable:
        size = max(readable, size * 0.92)
        lines = _wrap_pieces(pieces, font, size, width)
    if len(lines) > max_lines:  # the last line takes the rest, and fit_text cuts it
        kept, rest = lines[: max_lines - 1], lines[max_lines - 1 :]
        lines = [*kept, [piece for line in rest for piece in line]]
    return [fit_text(_joined(line), font, size, width) for line in lines]


# Chinese and Japanese are written without spaces between words: a line may break between any two of their characters.
_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_PIECE = re.compile(f"(\\s*)([{_WIDE}]|[^\\s{_WIDE}]+)")


def _pieces(text: str) -> list[str]:
    """The pieces a line of `text` may break between, each with the one space it had before it: "Main", " St", "号"."""
    return [(" " if space else "") + piece for space, piece in _PIECE.findall(text)]


def _joined(pieces: list[str]) -> str:
    return "".join(pieces).lstrip()


def _wrap_pieces(pieces: list[str], font: str, size: float, width: float) -> list[list[str]]:
    lines: list[list[str]] = []
    for piece in pieces:
        if lines and text_width(_joined([*lines[-1], piece]), font, size) <= width:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    return lines


# ----------------------------------------------------------------------------- text the fonts can draw


def unprintable_text(label: ShippingLabel) -> str:
    """Why the label cannot be printed because of a text no font here can draw, in the user's words, or ''."""
    fonts = label_fonts()
    for what, text, bold in _label_texts(label):
        missing = missing_characters(text, fonts.bold if bold else fonts.regular)
        if missing:
            return cannot_print(what, text, missing)
    return ""


def _label_texts(label: ShippingLabel) -> list[tuple[str, str, bool]]:
    """Each text on the label: what a packer calls it, the text, and whether it is drawn bold."""
    recipient, sender = label.recipient, label.sender
    texts = [
        ("the ship-to name", recipient.name, True),
        ("the ship-to company", recipient.company, False),
        ("the ship-to street", recipient.street1, False),
        ("the ship-to street", recipient.street2, False),
        ("the ship-to street", recipient.street3, False),
        ("the ship-to city", recipient.city_line(), True),
        ("the ship-to country", recipient.country.upper(), True),
        *(("the sender's address line", line, index == 0) for index, line in enumerate(sender.lines())),
        ("the carrier", label.carrier.upper(), True),
        ("the service", label.service.upper(), True),
        ("the package", label.package, False),
        ("the order number", label.order_number, True),
    ]
    return [(what, text, bold) for what, text, bold in texts if text]


# ----------------------------------------------------------------------------- Code 128 on printer dots


def code128_bars(value: str) -> LinearSymbol:
    """The bars that encode exactly the tracking number `value`; reportlab picks code set C for runs of digits."""
    try:
        return linear_symbol(value, BarcodeKind.CODE128)
    except ValueError:
        raise ValueError(
            f"The tracking number {value!r} cannot be printed as a Code 128 barcode: "
            "use ASCII letters, digits and punctuation only."
        ) from None


def module_dots(modules: int, dpi: int, media_width: float) -> int:
    """The widest whole-dot module that keeps the bars within 90 mm and bars plus quiet zones on the media."""
    max_bar_dots = math.floor(BARCODE_MAX_WIDTH_MM / 25.4 * dpi)
    media_dots = math.floor(media_width / 72 * dpi)
    widest = max(2, round(BARCODE_MAX_MODULE_MM / 25.4 * dpi))
    for dots in range(widest, 0, -1):
        if modules * dots <= max_bar_dots and (modules + 2 * QUIET_MODULES) * dots <= media_dots:
            return dots
    raise ValueError(f"A barcode of {modules} modules does not fit on the label even with one-dot bars.")


# ----------------------------------------------------------------------------- one label


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    font: str
    size: float


def _lay_out_block(fields: list[_Line], width: float, room: float) -> list[_Line]:
    """The lines of an address block sized to fill `room`: a short address grows a little, a long one
    shrinks; the lines shrink together while that keeps them readable, then a long line wraps."""
    needed = sum(field.size * LEADING for field in fields)
    widest = max(text_width(field.text, field.font, field.size) for field in fields)
    scale = min(MAX_SHIP_TO_GROWTH, room / needed, max(width / widest, 0.75))
    lines: list[_Line] = []
    for _ in range(8):
        lines = [
            _Line(text, field.font, size)
            for field in fields
            for text, size in wrap_text(
                field.text, field.font, field.size * scale, width, 2, _readable(field.size * scale)
            )
        ]
        height = sum(line.size * LEADING for line in lines)
        if height <= room:
            break
        scale *= room / height
    return lines


def _readable(size: float) -> float:
    """How far a line of this size may shrink on one line before it had better wrap."""
    return min(size, max(MIN_TEXT, size * 0.6))


class _LabelPainter:
    """Draws one label with its lower-left corner at the canvas origin, in points."""

    def __init__(self, canvas: Canvas, fonts: LabelFonts, width: float, height: float, dpi: int) -> None:
        self.canvas = canvas
        self.fonts = fonts
        self.width = width
        self.height = height
        self.dpi = dpi
        self.dot = 72 / dpi
        # A 4×4 label has two thirds of the height of a 4×6: barcode and blocks shrink with it.
        self.bar_height = min(58.0, max(34.0, height * 0.135))
        self.content_width = width - 2 * MARGIN

    def paint(self, label: ShippingLabel) -> None:
        unprintable = unprintable_text(label)
        if unprintable:
            raise ValueError(f"Order {label.order_number}: {unprintable}")
        bottom = self._footer(label, MARGIN)
        bottom = self._barcode(label, bottom + GAP)
        bottom = self._banner(label, bottom + GAP)
        top = self._sender(label.sender, self.height - MARGIN)
        self._ship_to(label.recipient, top, bottom + GAP)

    def _text(self, x: float, baseline: float, line: _Line, width: float, align: str = "left") -> float:
        """Draws the line shrunk to `width`; returns the size it got."""
        text, size = fit_text(line.text, line.font, line.size, width)
        if align == "center":
            x += (width - text_width(text, line.font, size)) / 2
        self._draw(x, baseline, _Line(text, line.font, size))
        return size

    def _draw(self, x: float, baseline: float, line: _Line) -> None:
        """The line from `x`, each run of it in the font that has its characters."""
        for text, face in text_runs(line.text, line.font):
            self.canvas.setFont(face.name, line.size)
            self.canvas.drawString(x, baseline, text)
            x += self.canvas.stringWidth(text, face.name, line.size)

    def _rule(self, y: float, thickness: float = 1.2) -> None:
        self.canvas.setLineWidth(thickness)
        self.canvas.line(MARGIN, y, self.width - MARGIN, y)

    def _caption(self, x: float, baseline: float, text: str) -> None:
        self._draw(x, baseline, _Line(text, self.fonts.bold, 6.5))

    # --- blocks, each returns the edge it leaves for the next

    def _sender(self, sender: Address, top: float) -> float:
        lines = sender.lines()
        if not lines:
            return top
        x = MARGIN + LABEL_COLUMN
        size = 8.0
        baseline = top - size
        self._caption(MARGIN, baseline, "FROM")
        for index, text in enumerate(lines):
            font = self.fonts.bold if index == 0 else self.fonts.regular
            used = self._text(x, baseline, _Line(text, font, size), self.content_width - LABEL_COLUMN)
            baseline -= used * LEADING
        rule_y = baseline + size * LEADING - size * 0.3 - GAP
        self._rule(rule_y)
        return rule_y - GAP

    def _ship_to(self, recipient: Address, top: float, bottom: float) -> None:
        fields = self._ship_to_fields(recipient)
        if not fields:
            return
        x = MARGIN + LABEL_COLUMN
        width = self.content_width - LABEL_COLUMN
        room = top - bottom
        lines = _lay_out_block(fields, width, room)
        cursor = top - (room - sum(line.size * LEADING for line in lines)) / 3
        self._caption(MARGIN, cursor - lines[0].size * ASCENT, "SHIP TO")
        for line in lines:
            self._draw(x, cursor - line.size * ASCENT, line)
            cursor -= line.size * LEADING

    def _ship_to_fields(self, recipient: Address) -> list[_Line]:
        regular, bold = self.fonts.regular, self.fonts.bold
        city_line = recipient.city_line()
        candidates = [
            _Line(recipient.name, bold, 17.0),
            _Line(recipient.company, regular, 12.0),
            _Line(recipient.street1, regular, 13.0),
            _Line(recipient.street2, regular, 13.0),
            _Line(recipient.street3, regular, 13.0),
            _Line(city_line, bold, 14.0),
            _Line(recipient.country.upper(), bold, 13.0),
        ]
        return [line for line in candidates if line.text.strip()]

    def _banner(self, label: ShippingLabel, bottom: float) -> float:
        height = 24.0
        self.canvas.rect(MARGIN, bottom, self.content_width, height, stroke=0, fill=1)
        text = " · ".join(part for part in (label.carrier.strip(), label.service.strip()) if part).upper()
        width = self.content_width - 12
        lines = wrap_text(text, self.fonts.bold, 13.0, width, max_lines=2, readable=9.0)
        block = sum(size for _, size in lines) * 1.1
        baseline = bottom + (height + block) / 2
        self.canvas.setFillGray(1)
        for line, size in lines:
            baseline -= size * 1.1
            x = MARGIN + (self.content_width - text_width(line, self.fonts.bold, size)) / 2
            self._draw(x, baseline + size * 0.22, _Line(line, self.fonts.bold, size))
        self.canvas.setFillGray(0)
        return bottom + height

    def _barcode(self, label: ShippingLabel, bottom: float) -> float:
        try:
            symbol = code128_bars(label.tracking_number)
        except ValueError as error:
            raise ValueError(f"Order {label.order_number}: {error}") from None
        dots = module_dots(symbol.modules, self.dpi, self.width)
        module = dots * self.dot
        # Whole dots from the label's left edge, so every bar edge falls between two print-head dots.
        left = round((self.width - symbol.modules * module) / 2 / self.dot) * self.dot
        human_size = 10.0
        human_baseline = bottom + 2
        bars_bottom = human_baseline + human_size + 3
        # Each bar stops a tenth of a dot short of its dot edges: a rasteriser that inks every pixel a
        # shape touches (PostScript's rule) would otherwise widen every bar by a dot.
        trim = BAR_TRIM_DOTS * self.dot
        path = self.canvas.beginPath()
        for start, modules in symbol.bars:
            path.rect(left + start * module + trim, bars_bottom, modules * module - 2 * trim, self.bar_height)
        self.canvas.drawPath(path, stroke=0, fill=1)
        number = _Line(label.tracking_number, self.fonts.regular, human_size)
        self._text(MARGIN, human_baseline, number, self.content_width, "center")
        caption_baseline = bars_bottom + self.bar_height + 4
        self._caption(MARGIN, caption_baseline, "TRACKING #")
        return caption_baseline + 6.5

    def _footer(self, label: ShippingLabel, bottom: float) -> float:
        """The order number large on the left; ship date, weight and package as small rows on the right."""
        height = 30.0
        facts = [("SHIP DATE", label.ship_date.isoformat())]
        if label.weight is not None:
            facts.append(("WEIGHT", str(label.weight)))
        if label.package.strip():
            facts.append(("PACKAGE", label.package.strip()))
        order_number = label.order_number.strip()
        order_width = 0.0
        if order_number:
            order_size = 16.0
            natural = text_width(order_number, self.fonts.bold, order_size) + 8
            order_width = min(max(natural, 0.3 * self.content_width), 0.65 * self.content_width)
            self._caption(MARGIN, bottom + height - 6.5, "ORDER #")
            self._text(MARGIN, bottom + 2, _Line(order_number, self.fonts.bold, order_size), order_width - 8)
            self.canvas.setLineWidth(0.8)
            self.canvas.line(MARGIN + order_width, bottom, MARGIN + order_width, bottom + height)
        caption_x = MARGIN + order_width + (6 if order_width else 0)
        value_x = caption_x + 44
        value_width = self.width - MARGIN - value_x
        row_height = height / 3
        for row, (caption, value) in enumerate(facts):
            baseline = bottom + height - (row + 1) * row_height + 2.5
            self._caption(caption_x, baseline, caption)
            self._text(value_x, baseline, _Line(value, self.fonts.regular, 8.5), value_width)
        self._rule(bottom + height + GAP / 2)
        return bottom + height + GAP / 2
