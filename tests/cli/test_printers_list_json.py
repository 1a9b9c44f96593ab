"""`shipdesk printers list --json` keeps every letter of a printer's name, as `orders --json` does: as it is where
stdout is UTF-8, escaped (\\u00eb) where stdout cannot carry it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.running import shipdesk


def test_printer_names_in_json_keep_their_letters_on_utf8_and_ascii_stdout(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite"
    added = shipdesk(db, "printers", "add", "Étiquettes Zoë", "--language", "zpl", "--uri", "tcp://10.0.0.7:9100")
    assert added.returncode == 0, added.stderr

    on_utf8 = shipdesk(db, "printers", "list", "--json", env={"PYTHONIOENCODING": "utf-8"})
    on_ascii = shipdesk(db, "printers", "list", "--json", env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})

    assert on_utf8.returncode == 0 and on_ascii.returncode == 0, (on_utf8.stderr, on_ascii.stderr)
    assert '"name": "Étiquettes Zoë"' in on_utf8.stdout.decode("utf-8")
    assert on_ascii.stdout.isascii() and json.loads(on_ascii.stdout)[0]["name"] == "Étiquettes Zoë"
