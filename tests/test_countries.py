"""Country codes from what order exports write: ISO 3166 codes, names in English and their own, and nothing else."""

from __future__ import annotations

import pytest

from shipdesk.countries import country_code


@pytest.mark.parametrize("written", ["UK", "uk", "United Kingdom", "GB", "gb", "GBR"])
def test_the_united_kingdom_is_gb_however_it_is_written(written: str) -> None:
    # "UK" is how many British sheets write the country; labels and carriers know it as GB.
    assert country_code(written) == "GB"


@pytest.mark.parametrize("written", ["XX", "ZZ", "EU", "AN", "UN"])
def test_two_letters_that_are_no_iso_code_are_no_country(written: str) -> None:
    assert country_code(written) is None


@pytest.mark.parametrize(
    ("written", "code"),
    [("de", "DE"), ("Us", "US"), ("KP", "KP"), ("SS", "SS"), ("AQ", "AQ"), ("XK", "XK")],
)
def test_every_iso_code_is_taken_in_any_case_and_kosovos_too(written: str, code: str) -> None:
    assert country_code(written) == code
