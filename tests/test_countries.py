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


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("United Kingdom (UK)", "GB"),  # WooCommerce's names for its two biggest destinations
        ("United States (US)", "US"),
        ("United States (US) Virgin Islands", "VI"),
        ("United States (US) Minor Outlying Islands", "UM"),
        ("Saint Martin (French part)", "MF"),
        ("Sint Maarten (Dutch part)", "SX"),
        ("Vatican", "VA"),
        ("Palestinian Territory", "PS"),
        ("Holy See (Vatican City State)", "VA"),  # ISO 3166's own English name
    ],
)
def test_a_country_name_a_shop_system_writes_is_the_country_it_names(written: str, code: str) -> None:
    assert country_code(written) == code
