"""Bytes to text for the CSV connector: refusing what is no text, finding the encoding (line by line where a
file mixes two), and the delimiter and quoting a file uses; also CsvFileError, which every stage raises.
"""

from __future__ import annotations

import codecs
import csv
import re
from pathlib import Path
from typing import Literal


class CsvFileError(Exception):
    """The whole file cannot be imported; the message says why in one line."""


# A cell may hold a few hundred kilobytes: a product designer's JSON in WooCommerce's item meta, over many lines.
# Past this, a value is taken for a quote that is never closed, and the reader goes on after it.
LONGEST_VALUE = 16 * 1024 * 1024  # characters; the csv reader holds a value being read in 4 bytes a character


def allow_long_values() -> None:
    """Raise the csv module's limit on a value's length (128 KiB), which is per process: a spawned one starts anew."""
    csv.field_size_limit(LONGEST_VALUE)


def read_csv_bytes(path: Path, *, limit: int = -1) -> bytes:
    """The bytes of the file at `path`, or its first `limit`; one that cannot be read raises CsvFileError in the
    user's words (a PermissionError stays its context: the window tells a file another program holds by it)."""
    try:
        with path.open("rb") as file:
            return file.read(limit)
    except FileNotFoundError:
        raise CsvFileError(f"{path} was not found") from None
    except IsADirectoryError:
        raise CsvFileError(f"{path} is a folder, not a CSV file") from None
    except PermissionError:
        raise CsvFileError(f"{path} cannot be read: permission denied") from None
    except OSError as error:
        raise CsvFileError(f"{path} cannot be read: {error.strerror or error}") from None


_NOT_CSV_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "it looks like a spreadsheet (ZIP) file; save it as CSV"),
    (b"PK\x05\x06", "it looks like a spreadsheet (ZIP) file; save it as CSV"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "it looks like an Excel 97-2003 (.xls) file; save it as CSV"),
    (b"\x89PNG", "it is a PNG image"),
    (b"\xff\xd8\xff", "it is a JPEG image"),
    (b"GIF8", "it is a GIF image"),
    (b"%PDF", "it is a PDF document"),
    (b"\x1f\x8b", "it is a compressed (gzip) file; unpack it first"),
    (b"SQLite format 3\x00", "it is a database file"),
    (b"{\\rtf", "it is a rich-text (RTF) document; save it as CSV"),
)


def decode(data: bytes, name: str, *, partial: bool = False) -> tuple[str, list[str], list[int]]:
    """The file's text, a notice when its encoding had to be guessed, and the lines read in another encoding.

    UTF-8 (with or without BOM), UTF-16/32 with a BOM, else Windows-1252: the whole file when none of it is
    UTF-8, or only the lines that are not (one row edited in an old editor), so the other lines keep their accents.
    `partial` data is the start of a longer file: a character cut at its end is no damage.
    """
    for signature, why in _NOT_CSV_SIGNATURES:
        if data.startswith(signature):
            raise CsvFileError(f"{name} is not a CSV file: {why}")
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return codecs.getincrementaldecoder(encoding)().decode(data, final=not partial), [], []
            except UnicodeDecodeError:
                raise CsvFileError(
                    f"{name} cannot be read: it starts as {encoding.upper()} text but is damaged"
                ) from None
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 saved without a BOM: every other byte of plain text is zero.
        if head[1::2].count(0) > len(head) // 4 and not head[0::2].count(0):
            return data.decode("utf-16-le", errors="replace"), [], []
        if head[0::2].count(0) > len(head) // 4 and not head[1::2].count(0):
            return data.decode("utf-16-be", errors="replace"), [], []
        raise CsvFileError(f"{name} is not a CSV file: it holds binary data, not text")
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8"), [], []
    except UnicodeDecodeError:
        return _decode_mixed(body, name)


# What a line that is not UTF-8 in an otherwise UTF-8 file gets as its remark.
NOT_UTF8 = "not UTF-8 like the rest of the file, so read as Windows-1252: check the accents"


def _decode_mixed(body: bytes, name: str) -> tuple[str, list[str], list[int]]:
    """Text that is not all UTF-8: each line that is not is read as Windows-1252 (all of them when none is)."""
    # Lines split as the CSV reader counts them (\n, \r\n or \r), so the numbers match its line numbers.
    lines = body.splitlines(keepends=True)
    texts: list[str] = []
    odd: list[int] = []  # 1-based numbers of the lines that are not UTF-8
    utf8_seen = False  # a line with accents that is valid UTF-8: the file is UTF-8 but for the odd lines
    for number, line in enumerate(lines, 1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            odd.append(number)
            text = line.decode("cp1252", errors="replace")
        else:
            utf8_seen = utf8_seen or not line.isascii()
        texts.append(text)
    if not utf8_seen:
        notice = (
            f"{name} is not UTF-8 text: it was read as Windows-1252 (as Excel saves it); check that accented names"
            " look right"
        )
        return body.decode("cp1252", errors="replace"), [notice], []
    return "".join(texts), [], odd


_QUOTE_AT_TAB_CELL_START = re.compile(r'(?:^|\t)"', re.MULTILINE)
_QUOTED_TAB_CELL = re.compile(r'(?:^|\t)"(?:[^"]|"")*"(?=\t|\r?$)', re.MULTILINE)


def quoting(text: str, delimiter: str) -> Literal[0, 3]:
    """How the file quotes: as Excel does, or not at all in a tab-separated file whose quotes are only text.

    Amazon's reports never quote, so a product name such as '"Best Mom" mug' starts with a quote that is only text;
    read as a quote, it would break its line.
    """
    if delimiter != "\t" or '"' not in text:
        return csv.QUOTE_MINIMAL
    starts = len(_QUOTE_AT_TAB_CELL_START.findall(text))
    return csv.QUOTE_MINIMAL if len(_QUOTED_TAB_CELL.findall(text)) == starts else csv.QUOTE_NONE


def sniff_delimiter(heading_line: str) -> str:
    counts = {delimiter: heading_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","
