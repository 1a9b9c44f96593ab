"""The fonts labels are drawn with: DejaVu Sans regular and bold, and for the characters DejaVu lacks (Chinese,
Japanese, Korean names) a font of the computer's own, found on first need; text is split into runs by font.

Helvetica, reportlab's base font, has no Ł or Ż; DejaVu covers Latin, Greek and Cyrillic names. A CJK font is 4–20 MB,
too big to bundle, and every desktop has one: Windows and macOS from install, Linux with its CJK font packages. Text
that no font here can draw is refused by the callers rather than printed as empty boxes.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from shipdesk.resources import resource_path

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LabelFonts:
    """reportlab font names, ready for canvas.setFont; measure with text_width, which knows the fallback fonts."""

    regular: str
    bold: str


@dataclass(frozen=True, slots=True)
class FontFace:
    """One font as both renderers load it: reportlab by `name` (registered), Pillow by `path` and `index`."""

    name: str
    path: Path
    index: int  # the font's place in a .ttc collection
    characters: frozenset[int] = field(compare=False, repr=False)  # the code points it has a glyph for

    def covers(self, text: str) -> bool:
        return self.characters.issuperset(map(ord, text))


def _system_font_files() -> Iterator[Path]:
    """TrueType fonts with the CJK characters, best first, as each system installs them.

    Only fonts with TrueType outlines: reportlab cannot embed CFF ones (Noto Sans CJK, Hiragino), so the PDF and the
    printer's raster would otherwise disagree. A file that is absent or that reportlab refuses is passed over.
    """
    if sys.platform == "win32":
        folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        names = ["msyh.ttc", "simsun.ttc", "msgothic.ttc", "YuGothR.ttc", "malgun.ttf", "mingliub.ttc"]
        candidates = [folder / name for name in names]
    elif sys.platform == "darwin":
        candidates = [
            Path("/System/Library/Fonts/STHeiti Light.ttc"),
            Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"),
            Path("/Library/Fonts/Arial Unicode.ttf"),
            Path("/System/Library/Fonts/AppleSDGothicNeo.ttc"),
        ]
    else:
        candidates = [
            Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),  # Debian, Ubuntu: fonts-droid-fallback
            Path("/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf"),  # Fedora
            Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
            Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
            Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
            Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
            Path("/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf"),
        ]
    return (path for path in candidates if path.is_file())


class FallbackFonts:
    """Fonts for the characters DejaVu lacks, loaded one at a time, only while a character is still missing: parsing
    a CJK font takes a noticeable moment, and a station that only sees Latin names never pays it."""

    def __init__(self, files: Iterable[Path]) -> None:
        self._untried = iter(files)
        self._loaded: list[FontFace] = []
        self._by_character: dict[int, FontFace | None] = {}
        self._lock = threading.Lock()

    def face_for(self, character: str) -> FontFace | None:
        """The first fallback font with a glyph for `character`, or None when no font here has one."""
        code = ord(character)
        if code in self._by_character:
            return self._by_character[code]
        with self._lock:
            face = next((face for face in self._loaded if code in face.characters), None)
            while face is None and (loaded := self._load_next()) is not None:
                face = loaded if code in loaded.characters else None
            self._by_character[code] = face
            return face

    def _load_next(self) -> FontFace | None:
        """The next font that can be loaded; None once every file has been tried."""
        for path in self._untried:
            try:
                font = TTFont(f"LabelFallback-{path.stem}", str(path), subfontIndex=0)
            except Exception:  # a system file shipdesk does not control: CFF outlines, damaged, unreadable
                _log.info("The font %s cannot be used for labels", path, exc_info=True)
                continue
            pdfmetrics.registerFont(font)
            face = FontFace(font.fontName, path, 0, frozenset(font.face.charToGlyph))
            self._loaded.append(face)
            _log.info("Label text DejaVu Sans lacks is drawn with %s", path)
            return face
        return None


fallback_fonts = FallbackFonts(_system_font_files())

_FILES = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered: LabelFonts | None = None
_faces: dict[str, FontFace] = {}


def label_fonts() -> LabelFonts:
    """Register the DejaVu fonts on first use (parsing them takes a while) and name them."""
    global _registered
    with _lock:
        if _registered is None:
            for name, file_name in _FILES.items():
                path = resource_path("fonts", file_name)
                font = TTFont(name, str(path))
                pdfmetrics.registerFont(font)
                _faces[name] = FontFace(name, path, 0, frozenset(font.face.charToGlyph))
            _registered = LabelFonts(regular="DejaVuSans", bold="DejaVuSans-Bold")
        return _registered


def label_face(font: str) -> FontFace:
    """The DejaVu face registered as `font` (a LabelFonts name)."""
    face = _faces.get(font)
    if face is None:
        label_fonts()
        face = _faces[font]
    return face


def text_runs(text: str, font: str) -> list[tuple[str, FontFace]]:
    """`text` cut into runs, each with the font that draws it: DejaVu (`font`) wherever it has the glyph, else the
    first fallback font that does. A letter or digit no font has stays with DejaVu (see missing_characters); any
    other character no font has (an emoji, a dingbat, the joiners between them) is left out, as it names nothing."""
    primary = label_face(font)
    if text.isascii() or primary.covers(text):
        return [(text, primary)]
    runs: list[tuple[str, FontFace]] = []
    left_out = False
    for character in text:
        previous = runs[-1][1] if runs else primary
        face = _face_for(character, primary, previous)
        if face is None:
            left_out = True
            continue
        if left_out and character == " " and (not runs or runs[-1][0].endswith(" ")):
            continue  # "Anna 🌸 Lee" reads "Anna Lee", not with the two spaces around the emoji
        left_out = False
        if runs and face is previous:
            runs[-1] = (runs[-1][0] + character, face)
        else:
            runs.append((character, face))
    return runs


def _face_for(character: str, primary: FontFace, previous: FontFace) -> FontFace | None:
    code = ord(character)
    if unicodedata.combining(character) and code in previous.characters:
        return previous  # an accent stays with the letter it sits on
    if code in primary.characters:
        return primary
    face = fallback_fonts.face_for(character)
    if face is None and not _names_something(character):
        return None
    return face or primary


def _names_something(character: str) -> bool:
    """Letters and digits carry a name, a street or a number; a label that cannot draw them must not be printed."""
    return unicodedata.category(character)[0] in "LN"


def missing_characters(text: str, font: str) -> str:
    """The letters and digits of `text` that neither DejaVu (`font`) nor any fallback font can draw, each once, in
    order. Other characters no font has (an emoji) are left out of the drawing instead (text_runs)."""
    primary = label_face(font)
    if text.isascii() or primary.covers(text):
        return ""
    missing = (
        c
        for c in text
        if ord(c) not in primary.characters and _names_something(c) and fallback_fonts.face_for(c) is None
    )
    return "".join(dict.fromkeys(missing))


# A printer's own text font (Zebra's font 0 with ^CI28, an ESC/POS printer's code pages) draws Latin, Greek and
# Cyrillic, and the common punctuation and currency signs; anything else would come out blank or as other letters.
_PRINTER_FONT_RANGES = ((0x20, 0x0530), (0x2000, 0x20D0))


def printer_font_draws(text: str) -> bool:
    """Whether a thermal printer's own text font can draw every character of `text`; else it goes as a picture."""
    return text.isascii() or all(any(low <= ord(c) < high for low, high in _PRINTER_FONT_RANGES) for c in text)


def cannot_print(what: str, text: str, missing: str) -> str:
    """Why a text is refused, in the user's words: 'the ship-to name 王小明 has characters …'."""
    return f"{what} {text} has characters the label fonts on this computer cannot print ({' '.join(missing)})"


def text_width(text: str, font: str, size: float) -> float:
    """The width of `text` in points as it is drawn, each run in its own font."""
    return sum(float(pdfmetrics.stringWidth(run, face.name, size)) for run, face in text_runs(text, font))
