"""A printer's darkness and speed are saved only within what its language takes (ZPL ~SD 0–30 and ^PR 1–14 in/s,
TSPL DENSITY 0–15 and SPEED 1–14 in/s); a PDF or ESC/POS printer takes neither. The refusal names the range."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shipdesk.cache import Cache
from shipdesk.cache.printers import PrinterProfile, PrinterProfileError, list_printers, save_printer
from shipdesk.printer_setup import checked_profile
from shipdesk.printing.connection import parse_connection
from tests.cli.running import shipdesk

ZEBRA = ("printers", "add", "Zebra", "--language", "zpl", "--uri", "tcp://192.168.1.50:9100")
ROLLO = ("printers", "add", "Rollo", "--language", "tspl", "--uri", "tcp://192.168.1.51:9100")


def printers_saved(db: Path) -> list[dict[str, object]]:
    listed = shipdesk(db, "printers", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    saved: list[dict[str, object]] = json.loads(listed.stdout)
    return saved


@pytest.mark.parametrize(
    ("command", "setting", "said"),
    [
        (ZEBRA, ("--speed", "-3"), "speed -3 in/s is not one a ZPL printer takes: choose 1 to 14"),
        (ZEBRA, ("--speed", "15"), "speed 15 in/s is not one a ZPL printer takes: choose 1 to 14"),
        (ZEBRA, ("--darkness", "99"), "darkness 99 is not one a ZPL printer takes: choose 0 to 30"),
        (ZEBRA, ("--darkness", "-1"), "darkness -1 is not one a ZPL printer takes: choose 0 to 30"),
        (ROLLO, ("--darkness", "16"), "darkness 16 is not one a TSPL printer takes: choose 0 to 15"),
        (ROLLO, ("--speed", "0"), "speed 0 in/s is not one a TSPL printer takes: choose 1 to 14"),
    ],
)
def test_a_darkness_or_speed_out_of_the_languages_range_is_refused_with_the_range(
    tmp_path: Path, command: tuple[str, ...], setting: tuple[str, str], said: str
) -> None:
    db = tmp_path / "cache.sqlite"

    added = shipdesk(db, *command, *setting)

    assert added.returncode == 1
    assert added.stderr.decode().splitlines() == [f"shipdesk: {said}"]
    assert printers_saved(db) == []


def test_the_ends_of_each_range_are_saved_and_one_past_them_is_not(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite"

    zebra = shipdesk(db, *ZEBRA, "--darkness", "30", "--speed", "14")
    rollo = shipdesk(db, *ROLLO, "--darkness", "0", "--speed", "1")
    past = [
        shipdesk(db, "printers", "add", "Past", "--language", language, "--uri", "tcp://10.0.0.9:9100", *setting)
        for language, setting in (("zpl", ("--darkness", "31")), ("zpl", ("--speed", "0")), ("tspl", ("--speed", "15")))
    ]

    assert zebra.returncode == 0 and rollo.returncode == 0, (zebra.stderr, rollo.stderr)
    assert [added.returncode for added in past] == [1, 1, 1]
    saved = {printer["name"]: (printer["darkness"], printer["speed"]) for printer in printers_saved(db)}
    assert saved == {"Zebra": (30, 14), "Rollo": (0, 1)}


def test_a_pdf_printer_given_a_darkness_is_refused_as_it_would_never_use_it(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite"

    added = shipdesk(db, "printers", "add", "Office", "--language", "pdf", "--uri", "cups://Office", "--darkness", "20")

    assert added.returncode == 1
    [said] = added.stderr.decode().splitlines()
    assert "a PDF printer has no darkness or speed setting" in said and "ZPL and TSPL" in said
    assert printers_saved(db) == []


def test_the_printers_dialogs_check_and_the_cache_refuse_the_same_settings(cache: Cache) -> None:
    absurd = PrinterProfile("Zebra", "zpl", "tcp://192.168.1.50:9100", darkness=45, speed=-3)
    connection = parse_connection(absurd.uri)
    assert connection is not None

    with pytest.raises(PrinterProfileError) as checked:
        checked_profile(absurd, connection)
    with pytest.raises(PrinterProfileError) as saved:
        save_printer(cache, absurd)

    both = "darkness 45 is not one a ZPL printer takes: choose 0 to 30; speed -3 in/s is not one a ZPL printer takes"
    assert both in str(checked.value) and both in str(saved.value)
    assert list_printers(cache) == []
