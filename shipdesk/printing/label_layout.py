"""A shipping label laid out for one label size, with the look of the PDF label (label_pdf.py).

Sender top, ship-to filling the middle, carrier banner, Code 128 tracking with its number, order footer.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from shipdesk.domain import Address, LabelSize
from shipdesk.printing.fonts import label_fonts
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.printing.label_pdf import ASCENT, LEADING, fit_text, wrap_text
from shipdesk.printing.layout import Align, Barcode, BarcodeKind, Box, Element, Layout, Line, TextBlock
from shipdesk.printing.symbols import linear_symbol

PT = 25.4 / 72  # millimetres per point: the layout below is worked out in points, as the PDF is
MARGIN = 3 / PT
GAP = 5.0
LABEL_COLUMN = 34.0
CAPTION = 6.5
MAX_SHIP_TO_GROWTH = 1.3
RULE = 1.2


class _Builder:
    """Collects elements top-down; `y` values are points from the label's top edge."""

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self.content = width - 2 * MARGIN
        self.elements: list[Element] = []
        self.fonts = label_fonts()

    def text(
        self,
        x: float,
        baseline: float,
        width: float,
        text: str,
        size: float,
        bold: bool = False,
        align: Align = "left",
        inverted: bool = False,
    ) -> float:
        """A line fitted to `width` with its baseline at `baseline`; returns the size it got."""
        font = self.fonts.bold if bold else self.fonts.regular
        fitted, fitted_size = fit_text(text, font, size, width)
        top = baseline - fitted_size * ASCENT
        self.elements.append(TextBlock(x * PT, top * PT, width * PT, fitted, fitted_size, bold, align, inverted))
        return fitted_size

    def caption(self, x: float, baseline: float, text: str) -> None:
        self.text(x, baseline, LABEL_COLUMN + 20, text, CAPTION, bold=True)

    def rule(self, y: float, thickness: float = RULE) -> None:
        self.elements.append(Line(MARGIN * PT, y * PT, (self.width - MARGIN) * PT, y * PT, thickness * PT))


def label_layout(label: ShippingLabel, size: LabelSize = LabelSize.FOUR_BY_SIX) -> Layout:
    """The label as a Layout of one label of `size` (a two-up sheet's labels are 4×6 each).

    Raises ValueError, naming the order, when the tracking number cannot be a Code 128 barcode.
    """
    width_mm, height_mm = size.label_mm
    build = _Builder(width_mm / PT, height_mm / PT)
    footer_top = _footer(build, label)
    barcode_top = _barcode(build, label, footer_top - GAP)
    banner_top = _banner(build, label, barcode_top - GAP)
    top = _sender(build, label.sender)
    _ship_to(build, label.recipient, top, banner_top - GAP)
    return Layout(width_mm, height_mm, tuple(build.elements))


def _sender(build: _Builder, sender: Address) -> float:
    lines = sender.lines()
    if not lines:
        return MARGIN
    size = 8.0
    baseline = MARGIN + size
    build.caption(MARGIN, baseline, "FROM")
    for index, text in enumerate(lines):
        used = build.text(MARGIN + LABEL_COLUMN, baseline, build.content - LABEL_COLUMN, text, size, bold=index == 0)
        baseline += used * LEADING
    rule_y = baseline - size * LEADING + size * 0.3 + GAP
    build.rule(rule_y)
    return rule_y + GAP


def _ship_to(build: _Builder, recipient: Address, top: float, bottom: float) -> None:
    fonts = build.fonts
    city_line = recipient.city_line()
    candidates = [
        (recipient.name, True, 17.0),
        (recipient.company, False, 12.0),
        (recipient.street1, False, 13.0),
        (recipient.street2, False, 13.0),
        (recipient.street3, False, 13.0),
        (city_line, True, 14.0),
        (recipient.country.upper(), True, 13.0),
    ]
    fields = [(text, bold, size) for text, bold, size in candidates if text.strip()]
    if not fields:
        return
    width = build.content - LABEL_COLUMN
    room = bottom - top

    def font(bold: bool) -> str:
        return fonts.bold if bold else fonts.regular

    needed = sum(size * LEADING for _, _, size in fields)
    widest = max(stringWidth(text, font(bold), size) for text, bold, size in fields)
    scale = min(MAX_SHIP_TO_GROWTH, room / needed, max(width / widest, 0.75))
    lines: list[tuple[str, bool, float]] = []
    for _ in range(8):  # shrink together until the wrapped lines fit the room
        lines = [
            (text, bold, fitted)
            for line, bold, size in fields
            for text, fitted in wrap_text(
                line, font(bold), size * scale, width, 2, min(size * scale, max(6.0, size * scale * 0.6))
            )
        ]
        height = sum(size * LEADING for _, _, size in lines)
        if height <= room:
            break
        scale *= room / height
    cursor = top + (room - sum(size * LEADING for _, _, size in lines)) / 3
    build.caption(MARGIN, cursor + lines[0][2] * ASCENT, "SHIP TO")
    for text, bold, size in lines:
        build.text(MARGIN + LABEL_COLUMN, cursor + size * ASCENT, width, text, size, bold)
        cursor += size * LEADING


def _banner(build: _Builder, label: ShippingLabel, bottom: float) -> float:
    height = 24.0
    top = bottom - height
    build.elements.append(Box(MARGIN * PT, top * PT, build.content * PT, height * PT, filled=True))
    text = " · ".join(part for part in (label.carrier.strip(), label.service.strip()) if part).upper()
    lines = wrap_text(text, build.fonts.bold, 13.0, build.content - 12, max_lines=2, readable=9.0)
    block = sum(size for _, size in lines) * 1.1
    baseline = top + (height - block) / 2
    for line, size in lines:
        baseline += size * 1.1
        build.text(
            MARGIN + 6, baseline - size * 0.22, build.content - 12, line, size, True, align="center", inverted=True
        )
    return top


def _barcode(build: _Builder, label: ShippingLabel, bottom: float) -> float:
    human_size = 10.0
    human_baseline = bottom - 2
    bars_bottom = human_baseline - human_size - 3
    bar_height = min(58.0, max(34.0, build.height * 0.135))
    bars_top = bars_bottom - bar_height
    barcode = Barcode(0, bars_top * PT, build.width * PT, bar_height * PT, label.tracking_number, BarcodeKind.CODE128)
    try:
        linear_symbol(barcode.value, barcode.kind)
    except ValueError as error:
        raise ValueError(f"Order {label.order_number}: {error}") from None
    build.elements.append(barcode)
    build.text(MARGIN, human_baseline, build.content, label.tracking_number, human_size, align="center")
    caption_baseline = bars_top - 4
    build.caption(MARGIN, caption_baseline, "TRACKING #")
    return caption_baseline - 6.5


def _footer(build: _Builder, label: ShippingLabel) -> float:
    """The order number large on the left; ship date, weight and package as small rows on the right."""
    height = 30.0
    bottom = build.height - MARGIN
    top = bottom - height
    facts = [("SHIP DATE", label.ship_date.isoformat())]
    if label.weight is not None:
        facts.append(("WEIGHT", str(label.weight)))
    if label.package.strip():
        facts.append(("PACKAGE", label.package.strip()))
    order_number = label.order_number.strip()
    order_width = 0.0
    if order_number:
        natural = stringWidth(order_number, build.fonts.bold, 16.0) + 8
        order_width = min(max(natural, 0.3 * build.content), 0.65 * build.content)
        build.caption(MARGIN, top + CAPTION, "ORDER #")
        build.text(MARGIN, bottom - 2, order_width - 8, order_number, 16.0, bold=True)
        x = (MARGIN + order_width) * PT
        build.elements.append(Line(x, top * PT, x, bottom * PT, 0.8 * PT))
    caption_x = MARGIN + order_width + (6 if order_width else 0)
    value_x = caption_x + 44
    row_height = height / 3
    for row, (caption, value) in enumerate(facts):
        baseline = top + (row + 1) * row_height - 2.5
        build.text(caption_x, baseline, 44, caption, CAPTION, bold=True)
        build.text(value_x, baseline, build.width - MARGIN - value_x, value, 8.5)
    rule_y = top - GAP / 2
    build.rule(rule_y)
    return rule_y
