"""The sender on labels is saved only whole: name or company, street, city, country, and a postal code where the
country has them; the window's dialog and `shipdesk set-origin` both hold to it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from shipdesk.cache import open_cache
from shipdesk.cache.settings import origin_address
from shipdesk.cli import main
from shipdesk.domain import Address
from shipdesk.sender_setup import SenderError, checked_sender

DOCK = Address(
    name="Shipdesk Warehouse", street1="1 Dock Rd", city="Oakland", state="CA", postal_code="94607", country="us"
)


def test_a_whole_sender_is_kept_trimmed_with_its_country_in_capitals() -> None:
    sender = checked_sender(
        Address(name=" Shipdesk Warehouse ", street1="1 Dock Rd", city="Oakland", postal_code="94607", country=" us")
    )
    assert (sender.name, sender.country) == ("Shipdesk Warehouse", "US")


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"street1": ""}, "the sender needs a street"),
        ({"name": "", "city": ""}, "the sender needs a name or company and a city"),
        ({"postal_code": ""}, "the sender needs a ZIP code"),
        ({"country": "", "postal_code": ""}, "the sender needs a country"),
        ({"country": "Denmark"}, "the country is written as its 2-letter code (US, GB, DE), not 'Denmark'"),
    ],
)
def test_a_sender_short_of_a_part_is_refused_saying_which(changes: dict[str, str], said: str) -> None:
    with pytest.raises(SenderError) as refused:
        checked_sender(replace(DOCK, **changes))
    assert str(refused.value) == said


def test_a_company_alone_names_the_sender_and_a_country_without_postal_codes_needs_none() -> None:
    sender = checked_sender(Address(company="Byrne & Co", street1="12 Main St", city="Dublin", country="IE"))
    assert sender.company == "Byrne & Co"


def test_an_empty_sender_clears_it() -> None:
    assert checked_sender(Address(name="  ")) == Address()


def test_set_origin_refuses_half_an_address_and_keeps_the_last_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "c.sqlite")
    whole = [
        "--name",
        "Dock",
        "--street1",
        "1 Dock Rd",
        "--city",
        "Oakland",
        "--postal-code",
        "94607",
        "--country",
        "us",
    ]
    assert main(["--db", db, "set-origin", *whole]) == 0
    capsys.readouterr()

    assert main(["--db", db, "set-origin", "--name", "Dock", "--city", "Oakland", "--country", "US"]) == 1

    assert capsys.readouterr().err == "shipdesk: sender not saved: the sender needs a street and a ZIP code\n"
    cache = open_cache(tmp_path / "c.sqlite")
    assert (origin_address(cache).street1, origin_address(cache).country) == ("1 Dock Rd", "US")
    cache.close()


def test_set_origin_with_nothing_shows_the_sender_and_clear_clears_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "c.sqlite")
    assert (
        main(
            ["--db", db, "set-origin", "--name", "Dock", "--street1", "1 Dock Rd", "--city", "Cork", "--country", "IE"]
        )
        == 0
    )
    assert capsys.readouterr().out == "Labels now show the sender:\n  Dock\n  1 Dock Rd\n  Cork\n  IE\n"

    assert main(["--db", db, "set-origin"]) == 0  # a look changes nothing
    assert capsys.readouterr().out == "Labels show the sender:\n  Dock\n  1 Dock Rd\n  Cork\n  IE\n"

    assert main(["--db", db, "set-origin", "--clear"]) == 0
    assert capsys.readouterr().out == "Labels now show no sender.\n"
    assert main(["--db", db, "set-origin"]) == 0
    assert capsys.readouterr().out == "Labels show no sender yet.\n"
    assert main(["--db", db, "set-origin", "--clear", "--name", "Dock"]) == 1
    assert capsys.readouterr().err == "shipdesk: --clear takes no address; give either the sender or --clear\n"
