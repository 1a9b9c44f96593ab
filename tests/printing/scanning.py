"""What a scanner reads off a label image, with decoders we did not write: zbarimg, and zxing-cpp for 2D codes.

zbar reads Code 128, GS1-128 and QR; PDF417 and DataMatrix need zxing-cpp (skipped with a reason without it).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="needs zbarimg (zbar-tools)")


def zbar_scan(image: Image.Image, symbology: str = "code128") -> list[str]:
    """Every value zbarimg reads off the image, with only `symbology` enabled."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scan.png"
        image.convert("L").save(path)
        result = subprocess.run(
            ["zbarimg", "--raw", "-q", "-Sdisable", f"-S{symbology}.enable", path], capture_output=True, text=True
        )
    return result.stdout.splitlines()


def pdf_scan(pdf: Path, dpi: int = 300) -> list[str]:
    """Every value zbarimg reads off a PDF, page after page, as pdftoppm renders it at `dpi`."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{folder}/page"], check=True)
        pages = sorted(Path(folder).glob("page*.png"))  # pdftoppm pads the page numbers, so they sort in order
        result = subprocess.run(["zbarimg", "--raw", "-q", *map(str, pages)], capture_output=True, text=True)
    return result.stdout.split()


def zxing_scan(image: Image.Image, human_readable: bool = False) -> list[tuple[str, str]]:
    """(format, text) of every symbol zxing-cpp finds: the bytes as sent, or GS1 data as "(AI)data" text."""
    zxingcpp = pytest.importorskip("zxingcpp", reason="PDF417 and DataMatrix need zxing-cpp to decode")
    mode = zxingcpp.TextMode.HRI if human_readable else zxingcpp.TextMode.Plain
    found = zxingcpp.read_barcodes(image.convert("L"), text_mode=mode)
    return [(str(symbol.format).split(".")[-1].replace(" ", ""), symbol.text) for symbol in found]


def dark_runs(row: list[bool]) -> list[int]:
    """The widths of the runs between the first and the last dark pixel of a row."""
    first, last = row.index(True), len(row) - 1 - row[::-1].index(True)
    widths: list[int] = []
    previous = None
    for dark in row[first : last + 1]:
        if dark == previous:
            widths[-1] += 1
        else:
            widths.append(1)
        previous = dark
    return widths


def row_of(image: Image.Image, y: int) -> list[bool]:
    grey = image.convert("L")
    return [grey.getpixel((x, y)) < 128 for x in range(grey.width)]  # type: ignore[operator]


def inked_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The bounding box (left, top, right, bottom) of every black dot."""
    return image.convert("L").point(lambda level: 255 if level < 128 else 0).getbbox()
