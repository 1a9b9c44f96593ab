"""The fonts labels are drawn with: DejaVu Sans regular and bold, registered with reportlab once.

Helvetica, reportlab's base font, has no Ł or Ż; DejaVu covers Latin, Greek and Cyrillic names.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from shipdesk.resources import resource_path


@dataclass(frozen=True, slots=True)
class LabelFonts:
    """reportlab font names, ready for canvas.setFont and pdfmetrics.stringWidth."""

    regular: str
    bold: str


_FILES = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered: LabelFonts | None = None


def label_fonts() -> LabelFonts:
    """Register the DejaVu fonts on first use (parsing them takes a while) and name them."""
    global _registered
    with _lock:
        if _registered is None:
            for name, file_name in _FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file_name))))
            _registered = LabelFonts(regular="DejaVuSans", bold="DejaVuSans-Bold")
        return _registered
