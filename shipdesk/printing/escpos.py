"""Labels and slips as ESC/POS bytes: a 1-bit image sent as `GS v 0` raster bands (a 1 bit prints a dot).

python-escpos frames the job (ESC @, feed, cut) with a profile of the real dot width; `GS ( L` graphics
mode corrupts images wider than ~540 dots, so raster it is.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from PIL import Image as PILImage

from shipdesk.printing.escpos_library import Dummy
from shipdesk.printing.layout import Layout
from shipdesk.printing.raster import pack_rows, render_raster

BAND_HEIGHT = 960  # rows per GS v 0 command, python-escpos's default: some printers refuse taller ones
GS_V_0 = b"\x1dv0\x00"  # print raster bit image, normal density


def escpos_printer(width_dots: int, dpi: int) -> Dummy:
    """A python-escpos printer that collects bytes and knows its media is `width_dots` wide."""
    printer = Dummy()
    printer.profile.profile_data = _profile_data(width_dots, dpi)
    return printer


@functools.lru_cache(maxsize=16)
def _profile_data(width_dots: int, dpi: int) -> dict[str, Any]:
    """A copy of the default profile with the media's real width: the default's data is shared by every printer."""
    data: dict[str, Any] = copy.deepcopy(Dummy().profile.profile_data)
    data["media"] = {"dpi": dpi, "width": {"mm": round(width_dots / dpi * 25.4, 1), "pixels": width_dots}}
    return data


def raster_bands(image: PILImage.Image, band_height: int = BAND_HEIGHT) -> bytes:
    """The image as GS v 0 commands of at most `band_height` rows each: the same bytes python-escpos's
    image(impl="bitImageRaster") writes for a 1-bit image, made without its per-image conversions,
    which take 70 ms a 4×6 label."""
    row_bytes, bits = pack_rows(image, black_bit=1)
    bands = []
    for top in range(0, image.height, band_height):
        rows = min(band_height, image.height - top)
        header = GS_V_0 + row_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little")
        bands.append(header + bits[top * row_bytes : (top + rows) * row_bytes])
    return b"".join(bands)


def image_to_escpos(image: PILImage.Image, dpi: int, width_dots: int | None = None, cut: bool = True) -> bytes:
    """ESC @, the image as GS v 0 bands, then ESC d to the cutter and GS V 0 (a full cut).

    `width_dots` is the printer's printable width (576 on an 80 mm receipt printer); a wider image is refused.
    """
    width = width_dots or image.width
    if image.width > width:
        raise ValueError(f"The image is {image.width} dots wide; the printer prints {width} dots at most.")
    printer = escpos_printer(width, dpi)
    printer.hw("INIT")
    printer._raw(raster_bands(image))
    if cut:
        printer.cut()
    return bytes(printer.output)


def layout_to_escpos(layout: Layout, dpi: int, width_dots: int | None = None) -> bytes:
    return image_to_escpos(render_raster(layout, dpi), dpi, width_dots)
