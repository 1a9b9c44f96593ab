"""Packing slips (a page per order) and pick lists for a sheet printer, as PDF on Letter or A4.

Laid out with reportlab's platypus, so long item lists flow onto further pages with their heading repeated.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from shipdesk.domain import Address, Order
from shipdesk.printing.fonts import LabelFonts, label_fonts, text_runs
from shipdesk.printing.pick_list import PickLine, options_text

MM = 72 / 25.4
THUMBNAIL = 12 * MM
SHEETS = {"letter": LETTER, "a4": A4}


class _Styles:
    def __init__(self, fonts: LabelFonts) -> None:
        self.body = ParagraphStyle("body", fontName=fonts.regular, fontSize=9, leading=11.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9, textColor=colors.dimgray)
        self.title = ParagraphStyle("title", fontName=fonts.bold, fontSize=16, leading=20)
        self.heading = ParagraphStyle("heading", fontName=fonts.bold, fontSize=9, leading=11.5)
        self.bold = fonts.bold


def _text(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph("<br/>".join(_marked_up(line, style.fontName) for line in text.split("\n")), style)


def _marked_up(line: str, font: str) -> str:
    """The line as Paragraph markup, each run DejaVu (`font`) lacks in the computer's font that has it (a Chinese
    name), and what no font has left out (an emoji)."""
    return "".join(
        escape(run) if face.name == font else f'<font name="{face.name}">{escape(run)}</font>'
        for run, face in text_runs(line, font)
    )


def _address(caption: str, address: Address, styles: _Styles) -> list[Flowable]:
    lines = address.lines() or ["—"]
    return [_text(caption, styles.heading), _text("\n".join(lines), styles.body)]


def _thumbnail(url: str, thumbnails: Mapping[str, bytes]) -> Flowable | str:
    data = thumbnails.get(url) if url else None
    if not data:
        return ""
    try:
        image = Image(io.BytesIO(data), width=THUMBNAIL, height=THUMBNAIL, kind="proportional")
    except OSError:
        return ""  # a broken cached image must not stop the slip
    return image


def _table(rows: list[list[object]], widths: list[float], styles: _Styles) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), styles.bold),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _slip(
    order: Order, store_name: str, thumbnails: Mapping[str, bytes], styles: _Styles, width: float
) -> list[Flowable]:
    heading = Table(
        [
            [
                _text(f"Order {order.order_number}", styles.title),
                _text(f"{store_name}\nOrdered {order.order_date:%Y-%m-%d}", styles.body),
            ]
        ],
        colWidths=[width * 0.6, width * 0.4],
    )
    addresses = Table(
        [[_address("Ship to", order.ship_to, styles), _address("Bill to", order.bill_to, styles)]],
        colWidths=[width / 2, width / 2],
    )
    addresses.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    rows: list[list[object]] = [["", "SKU", "Item", "Location", "Qty"]]
    for item in order.physical_items:
        description = item.name + (f"\n{options_text(item)}" if item.options else "")
        rows.append(
            [
                _thumbnail(item.image_url, thumbnails),
                _text(item.sku, styles.body),
                _text(description, styles.body),
                _text(item.warehouse_location, styles.body),
                str(item.quantity),
            ]
        )
    items = _table(rows, [THUMBNAIL + 4, width * 0.2, width * 0.5 - THUMBNAIL - 4, width * 0.18, width * 0.12], styles)
    story: list[Flowable] = [heading, Spacer(1, 4 * MM), addresses, Spacer(1, 6 * MM), items]
    notes: list[Flowable] = []
    if order.gift and order.gift_message:
        notes += [_text("Gift message", styles.heading), _text(order.gift_message, styles.body), Spacer(1, 3 * MM)]
    if order.customer_notes:
        notes += [_text("Notes from the customer", styles.heading), _text(order.customer_notes, styles.body)]
    if notes:
        story += [Spacer(1, 6 * MM), KeepTogether(notes)]
    return story


def render_packing_slips_pdf(
    orders: Sequence[Order],
    *,
    store_name: str = "",
    sheet: str = "letter",
    thumbnails: Mapping[str, bytes] | None = None,
) -> bytes:
    """A packing slip for each order, each starting on a new page; `thumbnails` maps image URL to image bytes."""
    if not orders:
        raise ValueError("There are no orders to print packing slips for.")
    styles = _Styles(label_fonts())
    buffer = io.BytesIO()
    document = _document(buffer, sheet, f"Packing slips for {len(orders)} orders")
    story: list[Flowable] = []
    for index, order in enumerate(orders):
        if index:
            story.append(PageBreak())
        story += _slip(order, store_name or order.store, thumbnails or {}, styles, document.width)
    document.build(story)
    return buffer.getvalue()


def render_pick_list_pdf(lines: Sequence[PickLine], *, title: str = "Pick list", sheet: str = "letter") -> bytes:
    """The batch's pick list: location, SKU, item and options, total quantity, and the orders that want it."""
    styles = _Styles(label_fonts())
    buffer = io.BytesIO()
    document = _document(buffer, sheet, title)
    width = document.width
    rows: list[list[object]] = [["Location", "SKU", "Item", "Orders", "Qty"]]
    for line in lines:
        description = line.name + (f"\n{line.options}" if line.options else "")
        rows.append(
            [
                _text(line.location or "—", styles.body),
                _text(line.sku, styles.body),
                _text(description, styles.body),
                _text(", ".join(line.order_numbers), styles.small),
                str(line.quantity),
            ]
        )
    total = sum(line.quantity for line in lines)
    story: list[Flowable] = [
        _text(title, styles.title),
        _text(f"{len(lines)} lines, {total} units", styles.body),
        Spacer(1, 5 * MM),
        _table(rows, [width * 0.14, width * 0.18, width * 0.38, width * 0.2, width * 0.1], styles),
    ]
    document.build(story)
    return buffer.getvalue()


def _document(buffer: io.BytesIO, sheet: str, title: str) -> SimpleDocTemplate:
    if sheet not in SHEETS:
        raise ValueError(f"Sheet {sheet!r} is not one of {', '.join(SHEETS)}.")
    margin = 15 * MM
    return SimpleDocTemplate(
        buffer,
        pagesize=SHEETS[sheet],
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        creator="shipdesk",
    )
