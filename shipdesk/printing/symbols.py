"""Barcode symbols as modules: Code 128 and GS1-128 bars, QR, PDF417 and DataMatrix module grids.

Renderers scale modules to whole printer dots; the encoders are reportlab, qrcode, pdf417gen and ppf-datamatrix.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import qrcode  # type: ignore[import-untyped]
from qrcode.constants import ERROR_CORRECT_M  # type: ignore[import-untyped]
from reportlab.graphics.barcode.code128 import Code128

from shipdesk.printing.layout import BarcodeKind

FNC1 = "\xf1"  # how reportlab's Code 128 takes the GS1 function character
LINEAR_QUIET_MODULES = 10
PDF417_ROW_MODULES = 3  # a PDF417 row is three modules tall


@dataclass(frozen=True, slots=True)
class LinearSymbol:
    """Bars as (first module, width in modules), the symbol width in modules, the quiet zone each side."""

    bars: tuple[tuple[int, int], ...]
    modules: int
    quiet: int = LINEAR_QUIET_MODULES


@dataclass(frozen=True, slots=True)
class MatrixSymbol:
    """A grid of dark (True) modules, top row first; each row is `row_modules` modules tall."""

    rows: tuple[tuple[bool, ...], ...]
    quiet: int
    row_modules: int = 1

    @property
    def width(self) -> int:
        return len(self.rows[0])

    @property
    def height(self) -> int:
        return len(self.rows) * self.row_modules


_AI = re.compile(r"\((\d{2,4})\)([^()]+)")


def gs1_elements(value: str) -> list[tuple[str, str]]:
    """ "(420)94043(92)612345" as [("420", "94043"), ("92", "612345")]; ValueError if it is not that form."""
    elements = _AI.findall(value)
    if not elements or "".join(f"({ai}){data}" for ai, data in elements) != value:
        raise ValueError(f"{value!r} is not GS1 data written as (AI)data(AI)data, e.g. (420)94043(92)612345…")
    return elements


def gs1_human_readable(value: str) -> str:
    return " ".join(f"({ai}) {data}" for ai, data in gs1_elements(value))


@functools.lru_cache(maxsize=1024)  # a label is laid out, then placed: the same value twice
def linear_symbol(value: str, kind: BarcodeKind) -> LinearSymbol:
    """The Code 128 bars for `value`; GS1-128 starts with FNC1 and separates elements with FNC1."""
    if kind is BarcodeKind.GS1_128:
        data = FNC1 + FNC1.join(ai + data for ai, data in gs1_elements(value))
    elif kind is BarcodeKind.CODE128:
        data = value
    else:
        raise ValueError(f"{kind} is not a linear barcode")
    if not value or any(not 32 <= ord(char) <= 126 for char in value):
        raise ValueError(
            f"{value!r} cannot be printed as a Code 128 barcode: use ASCII letters, digits and punctuation only."
        )
    symbol = Code128(data, quiet=0)
    symbol.validate()
    symbol.encode()
    # reportlab writes a bar as an upper-case and a space as a lower-case letter: A = 1 module, D = 4.
    bars: list[tuple[int, int]] = []
    position = 0
    for element in symbol.decompose():
        modules = ord(element.lower()) - ord("a") + 1
        if element.isupper():
            bars.append((position, modules))
        position += modules
    return LinearSymbol(tuple(bars), position)


@functools.lru_cache(maxsize=256)
def matrix_symbol(value: str, kind: BarcodeKind) -> MatrixSymbol:
    if not value:
        raise ValueError(f"A {kind} barcode needs something to encode.")
    if kind is BarcodeKind.QR:
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(value.encode("utf-8"))
        code.make(fit=True)
        return MatrixSymbol(tuple(tuple(row) for row in code.get_matrix()), quiet=4)
    if kind is BarcodeKind.PDF417:
        return _pdf417(value)
    if kind is BarcodeKind.DATAMATRIX:
        return _datamatrix(value)
    raise ValueError(f"{kind} is not a 2D barcode")


def _pdf417(value: str) -> MatrixSymbol:
    import pdf417gen  # type: ignore[import-untyped]  # on use: only labels with a PDF417 need it

    codes = pdf417gen.encode(value, columns=6, security_level=2)
    picture = pdf417gen.render_image(codes, scale=1, ratio=1, padding=0).convert("1")
    width, height = picture.size
    pixels = picture.tobytes()
    stride = (width + 7) // 8
    rows = tuple(
        tuple(not pixels[y * stride + x // 8] & (0x80 >> (x % 8)) for x in range(width)) for y in range(height)
    )
    return MatrixSymbol(rows, quiet=2, row_modules=PDF417_ROW_MODULES)


def _datamatrix(value: str) -> MatrixSymbol:
    from ppf.datamatrix import DataMatrix  # type: ignore[import-untyped]  # on use, as pdf417gen

    try:
        symbol = DataMatrix(value)
        rows = symbol.matrix
    except Exception as error:  # ppf-datamatrix raises bare Exceptions for data it cannot encode
        raise ValueError(f"{value!r} cannot be a DataMatrix barcode ({error}).") from error
    return MatrixSymbol(tuple(tuple(bool(cell) for cell in row) for row in rows), quiet=1)


def fit_module(
    units_wide: int, units_high: int, area_width: int, area_height: int, widest: int, what: str = "barcode"
) -> int:
    """The widest whole-dot module, at most `widest`, that fits the symbol (quiet zones included) in the area."""
    for dots in range(max(1, widest), 0, -1):
        if units_wide * dots <= area_width and units_high * dots <= area_height:
            return dots
    raise ValueError(f"The {what} does not fit its place on the label even with one-dot modules.")
