"""Which layout a CSV file has, as a short key: the same for every file a store's export writes, told by its headings.

The window preselects the store that the last file of the same layout went into: an Etsy shop's daily export goes
to the Etsy store, a WooCommerce shop's to its own, without the packer choosing each time.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from shipdesk.upstream.csv_headings import find_heading, heading_key
from shipdesk.upstream.csv_text import decode, read_csv_bytes

# The heading is on one of a file's first lines; reading only its start keeps the answer quick for a large file.
_START_READ = 64 * 1024


def layout_key(path: Path) -> str:
    """The key of the file's layout, from its heading line as shipdesk reads it.

    Raises CsvFileError, in the import's own words, when the file's start already shows that it cannot be imported
    (gone, unreadable, not a CSV file, no heading line): the window says so before it asks for a store.
    """
    start = read_csv_bytes(path, limit=_START_READ)
    text, _notices, _odd_lines = decode(start, path.name, partial=len(start) == _START_READ)
    heading = find_heading(io.StringIO(text, newline=""), path.name)
    # Case, spaces and punctuation do not tell layouts apart: shipdesk reads "Ship Name" and "ship_name" alike.
    headings = "\x1f".join(heading_key(cell) for cell in heading.headings)
    return hashlib.sha256(headings.encode("utf-8")).hexdigest()[:16]
