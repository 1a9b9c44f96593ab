"""Folding text for search, so "lukasz" finds "Łukasz", "orsted" finds "Ørsted" and "obrien" finds "O'Brien".

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
        "ẞ": "SS",  # the capital, in names written in capitals ("GROẞMANN"): lower() makes it "ß", not "ss"
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
    if decomposed.isascii():  # no combining mark left to drop
        return decomposed.lower()
    return "".join([char for char in decomposed if not unicodedata.combining(char)]).lower()


_APOSTROPHES = str.maketrans("", "", "'\u2019")


def search_extra(*texts: str) -> str:
    """The words the search index needs besides the texts' own: those folded where folding changes them, and those
    joined where an apostrophe splits them ("obrien" for O'Brien, as people type it without one)."""
    extra: list[str] = []
    for text in texts:
        # Plain ASCII without an apostrophe folds to itself: the common case costs one look at the text.
        if text.isascii() and "'" not in text:
            continue
        folded = fold(text)
        if folded != text.lower():
            extra.append(folded)
        joined = folded.translate(_APOSTROPHES)
        if joined != folded:
            extra.append(joined)
    return " ".join(extra)


def recipient_sort_key(name: str) -> str:
    """What a recipient's name sorts by: its folded form when it has letters beyond ASCII, else empty (itself)."""
    return "" if name.isascii() else fold(name)
