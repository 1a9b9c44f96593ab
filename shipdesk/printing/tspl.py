"""Labels as TSPL commands, the language of Rollo, Munbyn, Xprinter and most low-cost 4×6 printers.

One BITMAP of the whole label: rows are whole bytes (812 dots → 102 bytes) and a 0 bit prints black.
"""

from __future__ import annotations

from PIL import Image as PILImage

from shipdesk.domain import DARKNESS_RANGES, SPEED_RANGES, within
from shipdesk.printing.layout import MM_PER_INCH, Layout
from shipdesk.printing.raster import pack_rows, render_raster
from shipdesk.printing.tuning import PRINTER_DEFAULTS, PrintTuning

GAP_MM = 3.0  # the usual gap between die-cut labels
DENSITY = 8  # 0–15
SPEED = 4  # inches per second


def image_to_tspl(
    image: PILImage.Image,
    dpi: int,
    media: tuple[float, float] | None = None,
    copies: int = 1,
    gap_mm: float = GAP_MM,
    tuning: PrintTuning = PRINTER_DEFAULTS,
) -> bytes:
    """SIZE, GAP, DENSITY, SPEED, DIRECTION, CLS, BITMAP 0,0 in overwrite mode, PRINT; lines end in CRLF.

    `media` is (width, height) in mm; without it the image's own size at `dpi`.
    """
    width_mm, height_mm = media or (image.width / dpi * MM_PER_INCH, image.height / dpi * MM_PER_INCH)
    row_bytes, bits = pack_rows(image, black_bit=0)
    header = (
        f"SIZE {width_mm:.1f} mm,{height_mm:.1f} mm\r\n"
        f"GAP {gap_mm:.1f} mm,0 mm\r\n"
        f"DENSITY {DENSITY if tuning.darkness is None else within(tuning.darkness, DARKNESS_RANGES['tspl'])}\r\n"
        f"SPEED {SPEED if tuning.speed is None else within(tuning.speed, SPEED_RANGES['tspl'])}\r\n"
        "DIRECTION 1,0\r\n"
        "REFERENCE 0,0\r\n"
        "CLS\r\n"
        f"BITMAP 0,0,{row_bytes},{image.height},0,"
    ).encode("ascii")
    return header + bits + f"\r\nPRINT 1,{copies}\r\n".encode("ascii")


def layout_to_tspl(layout: Layout, dpi: int, copies: int = 1, tuning: PrintTuning = PRINTER_DEFAULTS) -> bytes:
    return image_to_tspl(render_raster(layout, dpi), dpi, (layout.width, layout.height), copies, tuning=tuning)
