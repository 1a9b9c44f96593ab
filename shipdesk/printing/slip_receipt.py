"""Packing slips as ESC/POS text for 58 and 80 mm receipt printers (Epson TM-series and alike).

Text, not a picture: it prints in a fraction of the time and stays sharp; python-escpos picks the code page
for each accented letter. Only a text the printer's own font cannot draw (a Chinese name) goes as a picture of it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from shipdesk.domain import Order
from shipdesk.printing.escpos_library import Dummy
from shipdesk.printing.fonts import printer_font_draws
from shipdesk.printing.label_content import one_line
from shipdesk.printing.pick_list import options_text
from shipdesk.printing.raster import text_picture

# Font A is 12 dots wide: 42 columns fill the 512 printable dots of an 80 mm TM-T88 class printer,
# 32 the 384 dots of a 58 mm one. Wider 576-dot printers print these lines with a margin.
COLUMNS = {"80mm": 42, "58mm": 32}
FONT_A = (12, 24)  # a character's width and height in dots


def render_packing_slips_escpos(orders: Sequence[Order], *, media: str = "80mm", cut: bool = True) -> bytes:
    """The packing slip of each order as ESC/POS text, each ending with a cut (or a feed when `cut` is False)."""
    if media not in COLUMNS:
        raise ValueError(f"Receipt media {media!r} is not one of {', '.join(COLUMNS)}.")
    if not orders:
        raise ValueError("There are no orders to print packing slips for.")
    columns = COLUMNS[media]
    printer = Dummy(profile="TM-T88V")
    printer.hw("INIT")
    for order in orders:
        _slip(printer, order, columns)
        if cut:
            printer.cut()
        else:
            printer.ln(6)
    output: bytes = printer.output
    return output


def _slip(printer: Dummy, order: Order, columns: int) -> None:
    rule = "-" * columns
    printer.set_with_default(align="center", bold=True, double_height=True, double_width=True)
    _put(printer, f"Order {order.order_number}", columns, bold=True, double=True)
    printer.set_with_default(align="center")
    _put(printer, order.store, columns)
    printer.text(f"Ordered {order.order_date:%Y-%m-%d}\n")
    printer.set_with_default()
    printer.text(rule + "\n")
    printer.set_with_default(bold=True)
    printer.text("Ship to\n")
    printer.set_with_default()
    for line in order.ship_to.lines() or ["-"]:
        _put(printer, line, columns)
    printer.text(rule + "\n")
    for item in order.physical_items:
        quantity = f"{item.quantity} x "
        printer.set_with_default(bold=True)
        _put(printer, quantity + (item.sku or item.name), columns, indent=len(quantity), bold=True)
        printer.set_with_default()
        details = [item.name] if item.sku else []
        if item.options:
            details.append(options_text(item))
        if item.warehouse_location:
            details.append(f"Location {item.warehouse_location}")
        for line in details:
            _put(printer, line, columns, indent=len(quantity), margin=len(quantity))
    printer.text(rule + "\n")
    units = sum(item.quantity for item in order.physical_items)
    printer.text(f"{units} item{'s' if units != 1 else ''} in this parcel\n")
    if order.gift and order.gift_message:
        printer.set_with_default(bold=True)
        printer.text("\nGift message\n")
        printer.set_with_default()
        _paragraphs(printer, order.gift_message, columns)
    if order.customer_notes:
        printer.set_with_default(bold=True)
        printer.text("\nNotes from the customer\n")
        printer.set_with_default()
        _paragraphs(printer, order.customer_notes, columns)


def _wrapped(text: str, columns: int, indent: int = 0) -> str:
    """`text` on one line, wrapped to `columns`: a control character in it would reach the printer as a command."""
    lines = textwrap.wrap(one_line(text), columns, subsequent_indent=" " * indent, break_long_words=True) or [""]
    return "".join(line + "\n" for line in lines)


def _paragraphs(printer: Dummy, text: str, columns: int) -> None:
    for paragraph in text.splitlines():
        _put(printer, paragraph, columns)


def _put(
    printer: Dummy,
    text: str,
    columns: int,
    *,
    indent: int = 0,
    margin: int = 0,
    bold: bool = False,
    double: bool = False,
) -> None:
    """`text` after `margin` blank columns, wrapped to the paper with later lines `indent` columns in, in the printer's
    own font at the size set; where that font cannot draw it, as a picture of the same size and place."""
    if printer_font_draws(text):
        printer.text(_wrapped(" " * margin + text, columns // 2 if double else columns, indent))
        return
    scale = 2 if double else 1
    width, height = FONT_A
    printer.image(text_picture(one_line(text), columns * width, height * scale, bold=bold, left=margin * width))
