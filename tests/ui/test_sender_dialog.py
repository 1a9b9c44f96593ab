"""File → Sender address…: the return address on labels, set from the window, saved only whole."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from shipdesk.cache import Cache
from shipdesk.cache.settings import origin_address, set_origin_address
from shipdesk.domain import Address
from shipdesk.ui.main_window import MainWindow
from tests.ui.conftest import activated

DOCK = {
    "name": "Shipdesk Warehouse",
    "street1": "1 Dock Rd",
    "city": "Oakland",
    "state": "CA",
    "postal_code": "94607",
    "country": "us",
}


def test_the_sender_typed_in_is_saved_and_shown_again(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    dialog = window.edit_sender()
    qtbot.waitExposed(dialog)
    assert dialog.fields["name"].text() == origin_address(demo_cache).name  # the demo's sender, to change
    for name, field in dialog.fields.items():
        field.setText(DOCK.get(name, ""))

    dialog.save()

    assert origin_address(demo_cache) == Address(**{**DOCK, "country": "US"})
    assert not dialog.isVisible()
    assert window.statusBar().currentMessage() == "Sender address saved; the next labels show it."
    again = window.edit_sender()
    assert again.fields["street1"].text() == "1 Dock Rd" and again.fields["country"].text() == "US"
    again.reject()


def test_half_an_address_is_not_saved_and_the_dialog_says_what_is_missing(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot
) -> None:
    set_origin_address(demo_cache, Address(**{**DOCK, "country": "US"}))
    dialog = window.edit_sender()
    qtbot.waitExposed(dialog)
    dialog.fields["street1"].clear()
    dialog.fields["postal_code"].clear()

    dialog.save()

    assert dialog.isVisible()
    assert dialog.problem.text() == "Not saved: the sender needs a street and a ZIP code."
    assert origin_address(demo_cache).street1 == "1 Dock Rd"
    dialog.reject()


def test_emptying_every_field_clears_the_sender(window: MainWindow, demo_cache: Cache, qtbot: QtBot) -> None:
    set_origin_address(demo_cache, Address(**{**DOCK, "country": "US"}))
    dialog = window.edit_sender()
    for field in dialog.fields.values():
        field.clear()

    dialog.save()

    assert origin_address(demo_cache) == Address()


def test_ireland_typed_as_irl_is_not_saved_as_iran(
    window: MainWindow, demo_cache: Cache, qtbot: QtBot, tmp_path: Path
) -> None:
    before = origin_address(demo_cache)
    dialog = activated(window.edit_sender(), qtbot)
    country = dialog.fields["country"]
    country.setFocus()
    country.selectAll()

    qtbot.keyClicks(country, "IRL")  # Ireland, as its 3-letter code (ISO alpha-3)
    qtbot.keyClick(country, Qt.Key.Key_Return)

    assert origin_address(demo_cache).country != "IR"  # not Iran
    assert origin_address(demo_cache) == before
    assert dialog.isVisible()
    assert country.text() == "IRL"  # what was typed stays, to put right
    assert "2-letter code" in dialog.problem.text()
    dialog.grab().save(str(tmp_path / "sender_country.png"))
    dialog.reject()
