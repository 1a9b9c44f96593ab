"""One entry point from a shipping label (or a provider's label PDF) to the bytes of any output format.

Formats: pdf, png, escpos, zpl (native fields), zpl-image (one Z64 ^GFA), tspl.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from PIL import Image as PILImage

from shipdesk.domain import LabelSize
from shipdesk.printing.escpos import image_to_escpos
from shipdesk.printing.label_content import ShippingLabel
from shipdesk.printing.label_layout import label_layout
from shipdesk.printing.label_pdf import render_labels_pdf
from shipdesk.printing.raster import rasterise_pdf, render_raster
from shipdesk.printing.tspl import image_to_tspl
from shipdesk.printing.tuning import PRINTER_DEFAULTS, PrintTuning
from shipdesk.printing.zpl import image_to_zpl, layout_to_zpl

FORMATS = ("pdf", "png", "escpos", "zpl", "zpl-image", "tspl")
SUFFIXES = {"pdf": ".pdf", "png": ".png", "escpos": ".bin", "zpl": ".zpl", "zpl-image": ".zpl", "tspl": ".tspl"}


def _check(fmt: str, dpi: int) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"{fmt!r} is not a label format; choose one of {', '.join(FORMATS)}.")
    if dpi <= 0:
        raise ValueError(f"The printer resolution must be a positive number of dots per inch, not {dpi}.")


def render_label(
    label: ShippingLabel,
    size: LabelSize = LabelSize.FOUR_BY_SIX,
    fmt: str = "pdf",
    dpi: int = 203,
    width_dots: int | None = None,
    tuning: PrintTuning = PRINTER_DEFAULTS,
) -> bytes:
    """One label as one print job. `width_dots` is an ESC/POS printer's printable width (e.g. 576).

    Raises ValueError for an unknown format or a tracking number Code 128 cannot carry.
    """
    _check(fmt, dpi)
    if fmt == "pdf":
        return render_labels_pdf([label], size, dpi)
    layout = label_layout(label, size)
    if fmt == "zpl":
        return layout_to_zpl(layout, dpi, tuning=tuning)
    return image_to_format(render_raster(layout, dpi), fmt, dpi, (layout.width, layout.height), width_dots, tuning)


def image_to_format(
    image: PILImage.Image,
    fmt: str,
    dpi: int,
    media: tuple[float, float],
    width_dots: int | None = None,
    tuning: PrintTuning = PRINTER_DEFAULTS,
) -> bytes:
    """A 1-bit label image (from render_raster or rasterise_pdf) as a job in a raster format."""
    _check(fmt, dpi)
    if fmt == "png":
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=(dpi, dpi))
        return buffer.getvalue()
    if fmt == "escpos":
        return image_to_escpos(image, dpi, width_dots)
    if fmt in ("zpl", "zpl-image"):
        return image_to_zpl(image, tuning=tuning)
    if fmt == "tspl":
        return image_to_tspl(image, dpi, media, tuning=tuning)
    raise ValueError(f"A label image cannot be turned into {fmt}; only png, escpos, zpl and tspl.")


def render_provider_pdf(
    pdf: bytes,
    fmt: str,
    dpi: int = 203,
    size: LabelSize = LabelSize.FOUR_BY_SIX,
    width_dots: int | None = None,
    tuning: PrintTuning = PRINTER_DEFAULTS,
) -> Iterator[bytes]:
    """A label bought elsewhere (e.g. ShipStation's base64-decoded 4×6 PDF): one job per page, fitted to the media.

    For fmt "pdf" the PDF goes through untouched. Raises ValueError when the bytes are not a PDF.
    """
    _check(fmt, dpi)
    if fmt == "pdf":
        yield pdf
        return
    media = size.label_mm
    for page in rasterise_pdf(pdf, dpi, media):
        yield image_to_format(page, fmt, dpi, media, width_dots, tuning)
