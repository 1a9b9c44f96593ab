"""Labels as ZPL II for Zebra printers: native text and barcode fields, or a whole image as one ^GFA field.

Native fields print crisp and keep a job to a few KB; ^GFA is ASCII hex (1 bit = black) or Z64 (zlib + base64).
Text the printer's own font cannot draw (a Chinese or Japanese name) goes as a small graphic of the text.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from PIL import Image as PILImage

from shipdesk.domain import DARKNESS_RANGES, SPEED_RANGES, within
from shipdesk.printing.fonts import printer_font_draws
from shipdesk.printing.label_content import one_line
from shipdesk.printing.layout import Barcode, BarcodeKind, Box, Image, Layout, Line, TextBlock, to_dots
from shipdesk.printing.raster import BLACK, WHITE, fit_on_media, pack_rows, place_barcode, text_ink
from shipdesk.printing.symbols import PDF417_ROW_MODULES
from shipdesk.printing.tuning import PRINTER_DEFAULTS, PrintTuning

Z64_LEVEL = 4  # measured on a 4×6 label: 8.5 KB in 1.4 ms; level 9 saves 0.6 KB for 17 ms
FONT_WIDTH = 0.85  # font 0 is condensed: a little narrower than tall keeps it inside DejaVu's width
_ALIGN = {"left": "L", "center": "C", "right": "R"}


def layout_to_zpl(layout: Layout, dpi: int, copies: int = 1, tuning: PrintTuning = PRINTER_DEFAULTS) -> bytes:
    """One label, ^XA … ^XZ, with ^CI28 so names like Zoë Ørsted go as UTF-8."""
    width, height = layout.size_in_dots(dpi)
    fields = [_element(element, dpi) for element in layout.elements]
    return _label(width, height, fields, copies, tuning)


def image_to_zpl(
    image: PILImage.Image, z64: bool = True, copies: int = 1, tuning: PrintTuning = PRINTER_DEFAULTS
) -> bytes:
    """The image as one ^GFA field at 0,0 on a label of its size; Z64 is ~50× smaller than hex."""
    return _label(image.width, image.height, [f"^FO0,0{graphic_field(image, z64)}^FS"], copies, tuning)


def graphic_field(image: PILImage.Image, z64: bool = True) -> str:
    """^GFA,total,total,row bytes,data with rows padded to whole bytes and a 1 bit for each black dot."""
    row_bytes, bits = pack_rows(image, black_bit=1)
    total = len(bits)
    if z64:
        encoded = base64.b64encode(zlib.compress(bits, Z64_LEVEL))
        data = f":Z64:{encoded.decode('ascii')}:{binascii.crc_hqx(encoded, 0):04X}"
    else:
        data = bits.hex().upper()
    return f"^GFA,{total},{total},{row_bytes},{data}"


def _label(width: int, height: int, fields: list[str], copies: int, tuning: PrintTuning) -> bytes:
    settings = []
    if tuning.darkness is not None:
        settings.append(f"~SD{within(tuning.darkness, DARKNESS_RANGES['zpl']):02d}")
    if tuning.speed is not None:
        settings.append(f"^PR{within(tuning.speed, SPEED_RANGES['zpl'])}")
    lines = ["^XA", "^CI28", *settings, f"^PW{width}", f"^LL{height}", "^LH0,0", *fields, f"^PQ{copies}", "^XZ", ""]
    return "\n".join(lines).encode("utf-8")


def _element(element: TextBlock | Barcode | Line | Box | Image, dpi: int) -> str:
    if isinstance(element, TextBlock):
        return _text(element, dpi)
    if isinstance(element, Barcode):
        return _barcode(element, dpi)
    if isinstance(element, Line):
        return _line(element, dpi)
    if isinstance(element, Box):
        x, y, w, h = (to_dots(value, dpi) for value in (element.x, element.y, element.width, element.height))
        thickness = min(w, h) if element.filled else max(1, to_dots(element.thickness, dpi))
        return f"^FO{x},{y}^GB{w},{h},{thickness}^FS"
    area = (to_dots(element.width, dpi), to_dots(element.height, dpi))
    picture = fit_on_media(element.image, area)
    return f"^FO{to_dots(element.x, dpi)},{to_dots(element.y, dpi)}{graphic_field(picture)}^FS"


def field_data(text: str) -> str:
    """Text for ^FD under ^FH: ^ and ~ would start a command, so they (and _ itself) go as hex."""
    return text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")


def _block_data(text: str) -> str:
    """Text for ^FD in a one-line ^FB block: a line break there would print over the line, and the block reads a
    backslash as an escape (\\& breaks the line, \\ before a letter is a soft hyphen), so it goes as \\\\."""
    return field_data(one_line(text).replace("\\", "\\\\"))


def _text(block: TextBlock, dpi: int) -> str:
    if not printer_font_draws(block.text):
        return _text_graphic(block, dpi)
    height = max(1, round(block.size * dpi / 72))
    x, y, width = to_dots(block.x, dpi), to_dots(block.y, dpi), to_dots(block.width, dpi)
    reverse = "^FR" if block.inverted else ""
    return (
        f"^FO{x},{y}^A0N,{height},{round(height * FONT_WIDTH)}^FB{width},1,0,{_ALIGN[block.align]},0"
        f"{reverse}^FH_^FD{_block_data(block.text)}^FS"
    )


def _text_graphic(block: TextBlock, dpi: int) -> str:
    """The text drawn as the raster label draws it, as a graphic field where its ink lands; ^FR keeps white on black."""
    mask, (x, y) = text_ink(block, dpi)
    ink = PILImage.new("1", mask.size, WHITE)
    ink.paste(BLACK, (0, 0), mask)
    reverse = "^FR" if block.inverted else ""
    return f"^FO{max(0, x)},{max(0, y)}{reverse}{graphic_field(ink)}^FS"


def _barcode(barcode: Barcode, dpi: int) -> str:
    placed = place_barcode(barcode, dpi)
    origin = f"^FO{placed.left},{placed.top}"
    data = f"^FH_^FD{field_data(barcode.value)}^FS"
    module = placed.module
    if barcode.kind is BarcodeKind.CODE128:
        # Mode A lets the printer switch code sets the way reportlab does, so the width matches the raster.
        return f"^BY{module},3,{placed.bar_height}{origin}^BCN,{placed.bar_height},N,N,N,A{data}"
    if barcode.kind is BarcodeKind.GS1_128:
        # Mode D: (AI) parentheses are left out of the bars and FNC1 goes where GS1 needs it.
        return f"^BY{module},3,{placed.bar_height}{origin}^BCN,{placed.bar_height},N,N,N,D{data}"
    if barcode.kind is BarcodeKind.QR:
        return f"{origin}^BQN,2,{module}^FH_^FDMA,{field_data(barcode.value)}^FS"
    if barcode.kind is BarcodeKind.PDF417:
        return f"^BY{module},3{origin}^B7N,{module * PDF417_ROW_MODULES},2,6,,N{data}"
    return f"{origin}^BXN,{module},200{data}"


def _line(line: Line, dpi: int) -> str:
    thickness = max(1, to_dots(line.thickness, dpi))
    x1, y1, x2, y2 = (to_dots(value, dpi) for value in (line.x1, line.y1, line.x2, line.y2))
    if y1 == y2:
        return f"^FO{min(x1, x2)},{y1 - thickness // 2}^GB{abs(x2 - x1)},{thickness},{thickness}^FS"
    if x1 == x2:
        return f"^FO{x1 - thickness // 2},{min(y1, y2)}^GB{thickness},{abs(y2 - y1)},{thickness}^FS"
    raise ValueError("Only horizontal and vertical lines can be printed.")
