"""A label laid out once, in millimetres: text, barcodes, lines, boxes and images on a page of a given size.

Every output (raster, ESC/POS, ZPL, TSPL) renders the same Layout; positions are from the top-left corner.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

from PIL import Image as PILImage

MM_PER_INCH = 25.4

Align = Literal["left", "center", "right"]


class BarcodeKind(enum.StrEnum):
    CODE128 = "code128"
    GS1_128 = "gs1_128"  # value in "(AI)data(AI)data" form, e.g. "(420)94043(92)612345…"
    QR = "qr"
    PDF417 = "pdf417"
    DATAMATRIX = "datamatrix"

    @property
    def is_linear(self) -> bool:
        return self in (BarcodeKind.CODE128, BarcodeKind.GS1_128)


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One line of text whose top-left is (x, y); it is drawn inside `width` (the layout already fitted it)."""

    x: float
    y: float
    width: float
    text: str
    size: float  # font size in points, as in the PDF
    bold: bool = False
    align: Align = "left"
    inverted: bool = False  # white on a black Box drawn before it


@dataclass(frozen=True, slots=True)
class Barcode:
    """A symbol centred horizontally in its area (quiet zones included); linear bars fill the height."""

    x: float
    y: float
    width: float
    height: float
    value: str
    kind: BarcodeKind = BarcodeKind.CODE128
    max_module: float = 0.5  # mm; wider modules only waste media


@dataclass(frozen=True, slots=True)
class Line:
    """A straight rule from (x1, y1) to (x2, y2); only horizontal and vertical ones are supported."""

    x1: float
    y1: float
    x2: float
    y2: float
    thickness: float = 0.4


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    thickness: float = 0.4  # of the border; ignored when filled
    filled: bool = False


@dataclass(frozen=True, slots=True)
class Image:
    """A picture scaled to fit its area without distortion and centred in it."""

    x: float
    y: float
    width: float
    height: float
    image: PILImage.Image


Element = TextBlock | Barcode | Line | Box | Image


@dataclass(frozen=True, slots=True)
class Layout:
    width: float
    height: float
    elements: tuple[Element, ...]

    def size_in_dots(self, dpi: int) -> tuple[int, int]:
        return to_dots(self.width, dpi), to_dots(self.height, dpi)


def to_dots(mm: float, dpi: int) -> int:
    """Millimetres as whole printer dots: 101.6 mm at 203 dpi is 812 dots."""
    return round(mm * dpi / MM_PER_INCH)


def points_to_dots(points: float, dpi: int) -> int:
    return max(1, round(points * dpi / 72))
