"""Folding text for search, so "lukasz" finds "Łukasz" and "orsted" finds "Ørsted".

SQLite's unicode61 tokenizer removes accents that Unicode decomposes (é, ñ, ö) but not letters
that are distinct letters in their alphabets (ł, ø, ß, æ); those are folded here.
"""

from __future__ import annotations

import unicodedata

_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
    }
)


def fold(text: str) -> str:
    """Lower-case ASCII-ish text: accents dropped, special letters spelled out."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def folded_extra(*texts: str) -> str:
    """The folded words that differ from the originals: what the search index needs besides them."""
    extra: list[str] = []
    for text in texts:
        folded = fold(text)
        if folded != text.lower():
            extra.append(folded)
    return " ".join(extra)


def recipient_sort_key(name: str) -> str:
    """What a recipient's name sorts by: its folded form when it has letters beyond ASCII, else empty (itself)."""
    return "" if name.isascii() else fold(name)
