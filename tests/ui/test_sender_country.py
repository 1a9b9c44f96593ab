"""The sender's country is one the app knows, wherever the sender is set: File → Sender address… and
`shipdesk set-origin`. Two letters that are no country ("XX", "ZZ") are refused, saying what was typed and what to
write instead; lower case and "UK" are taken, and kept as the ISO code labels print."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.settings import origin_address
from shipdesk.ui.main_window import MainWindow
from shipdesk.ui.sender_dialog import SenderDialog
from tests.ui.conftest import activated

NO_KEYRING = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
DOCK = {"name": "Dock", "street1": "1 Dock Rd", "city": "London", "postal_code": "E1 6AN"}


def set_origin(db: Path, country: str) -> subprocess.CompletedProcess[str]:
    options = [f"--{name.replace('_', '-')}={value}" for name, value in DOCK.items()]
    return subprocess.run(
        [sys.executable, "-m", "shipdesk", "--db", str(db), "set-origin", *options, f"--country={country}"],
        capture_output=True,
        text=True,
        env=NO_KEYRING,
        check=False,
        timeout=120,
    )


def saved_country(db: Path) -> str:
    cache = open_cache(db)
    try:
        return origin_address(cache).country
    finally:
        cache.close()


def type_sender(window: MainWindow, qtbot: QtBot, country: str) -> SenderDialog:
    """File → Sender address…, the dock's address typed in with `country`, and Enter."""
    dialog = activated(window.edit_sender(), qtbot)
    for name, field in dialog.fields.items():
        field.setText(DOCK.get(name, ""))
    field = dialog.fields["country"]
    field.setFocus()
    qtbot.keyClicks(field, country)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    return dialog


@pytest.mark.parametrize("country", ["XX", "ZZ", "zz"])
def test_set_origin_refuses_two_letters_that_are_no_country_and_keeps_the_last_sender(
    tmp_path: Path, country: str
) -> None:
    db = tmp_path / "cache.sqlite"
    assert set_origin(db, "GB").returncode == 0

    refused = set_origin(db, country)

    assert refused.returncode == 1
    assert refused.stderr == (
        f"shipdesk: sender not saved: '{country}' is no country code shipdesk knows; "
        "write the country's 2-letter ISO code (US, GB, DE)\n"
    )
    assert saved_country(db) == "GB"


@pytest.mark.parametrize(("typed", "kept"), [("uk", "GB"), ("UK", "GB")])
def test_set_origin_takes_uk_in_any_case_and_keeps_it_as_gb_the_code_labels_print(
    tmp_path: Path, typed: str, kept: str
) -> None:
    db = tmp_path / "cache.sqlite"

    saved = set_origin(db, typed)

    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.endswith(f"\n  {kept}\n")  # the sender as labels print it
    assert saved_country(db) == kept


def test_uk_without_a_postcode_is_refused_as_gb_would_be(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite"
    without_postcode = [f"--{name}={value}" for name, value in DOCK.items() if name != "postal_code"]

    refused = subprocess.run(
        [sys.executable, "-m", "shipdesk", "--db", str(db), "set-origin", *without_postcode, "--country=UK"],
        capture_output=True,
        text=True,
        env=NO_KEYRING,
        check=False,
        timeout=120,
    )

    assert refused.returncode == 1
    assert refused.stderr == "shipdesk: sender not saved: the sender needs a postal code\n"


def test_the_sender_dialog_refuses_a_country_code_that_is_no_country_and_says_what_to_write(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    before = origin_address(demo_cache)

    dialog = type_sender(window, qtbot, "XX")

    assert dialog.isVisible()
    assert origin_address(demo_cache) == before
    assert dialog.fields["country"].text() == "XX"  # what was typed stays, to put right
    assert dialog.problem.text() == (
        "Not saved: 'XX' is no country code shipdesk knows; write the country's 2-letter ISO code (US, GB, DE)."
    )
    dialog.reject()


def test_the_sender_dialog_takes_uk_in_lower_case_and_shows_it_as_gb_next_time(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    dialog = type_sender(window, qtbot, "uk")

    assert not dialog.isVisible()
    assert origin_address(demo_cache).country == "GB"
    again = window.edit_sender()
    assert again.fields["country"].text() == "GB"
    again.reject()
