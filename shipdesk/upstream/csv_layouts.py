"""Which layout a CSV file has, as a short key: the same for every file a store's export writes, told by its headings.

The window preselects the store that the last file of the same layout went into: an Etsy shop's daily export goes
to the Etsy store, a WooCommerce shop's to its own, without the packer choosing each time.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from shipdesk.upstream.csv_headings import find_heading, heading_key
from shipdesk.upstream.csv_text import CsvFileError, decode

# The heading is on one of a file's first lines; reading only its start keeps the answer quick for a large file.
_START_READ = 64 * 1024


def layout_key(path: Path) -> str | None:
    """The key of the file's layout, from its heading line as shipdesk reads it; None when it has no heading to tell
    (not a CSV file, unreadable, gone): the import then says why."""
    try:
        with path.open("rb") as file:
            start = file.read(_START_READ)
        text, _notices, _odd_lines = decode(start, path.name)
        heading = find_heading(io.StringIO(text, newline=""), path.name)
    except (OSError, CsvFileError):
        return None
    # Case, spaces and punctuation do not tell layouts apart: shipdesk reads "Ship Name" and "ship_name" alike.
    headings = "\x1f".join(heading_key(cell) for cell in heading.headings)
    return hashlib.sha256(headings.encode("utf-8")).hexdigest()[:16]
