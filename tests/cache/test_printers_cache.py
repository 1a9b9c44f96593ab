"""Printer profiles are kept in the cache, checked before they are saved, and one can be the default."""

from __future__ import annotations

import pytest

from shipdesk.cache import Cache, open_cache
from shipdesk.cache.printers import (
    PrinterProfile,
    PrinterProfileError,
    default_printer_profile,
    get_printer,
    list_printers,
    remove_printer,
    save_printer,
)

ZEBRA = PrinterProfile("Zebra GK420d", "zpl", "tcp://192.168.1.50:9100", dpi=203, media="4x6", darkness=20, speed=4)
ROLLO = PrinterProfile("Rollo", "tspl", "usb://0483:5720", dpi=203, media="4x6", is_default=True)


def test_a_profile_is_kept_with_all_its_settings(cache: Cache) -> None:
    save_printer(cache, ZEBRA)
    assert get_printer(cache, "Zebra GK420d") == ZEBRA


def test_profiles_outlive_the_session(cache: Cache) -> None:
    save_printer(cache, ZEBRA)
    path = cache.path
    cache.close()
    reopened = open_cache(path)
    try:
        assert list_printers(reopened) == [ZEBRA]
    finally:
        reopened.close()


def test_saving_a_profile_of_the_same_name_replaces_it(cache: Cache) -> None:
    save_printer(cache, ZEBRA)
    save_printer(cache, PrinterProfile("Zebra GK420d", "zpl", "tcp://192.168.1.51:9100", dpi=300))
    (only,) = list_printers(cache)
    assert (only.uri, only.dpi, only.darkness) == ("tcp://192.168.1.51:9100", 300, None)


def test_only_one_profile_is_the_default(cache: Cache) -> None:
    save_printer(cache, ROLLO)
    assert default_printer_profile(cache) == ROLLO
    save_printer(cache, PrinterProfile("Office", "pdf", "cups://Office_Laser", media="letter-2up", is_default=True))
    default = default_printer_profile(cache)
    assert default is not None and default.name == "Office"
    assert not get_printer(cache, "Rollo").is_default


def test_a_profile_that_makes_no_sense_is_refused_with_every_reason(cache: Cache) -> None:
    with pytest.raises(PrinterProfileError) as refused:
        save_printer(cache, PrinterProfile("Thing", "postscript", "192.168.1.50", dpi=150, media="5x7"))
    message = str(refused.value)
    for reason in ("language 'postscript'", "150 dpi", "media '5x7'", "is not a URI"):
        assert reason in message
    assert list_printers(cache) == []


def test_an_unknown_printer_name_lists_the_known_ones(cache: Cache) -> None:
    save_printer(cache, ZEBRA)
    with pytest.raises(PrinterProfileError, match=r"no printer named 'Zebra'.*Zebra GK420d"):
        get_printer(cache, "Zebra")
    remove_printer(cache, "Zebra GK420d")
    with pytest.raises(PrinterProfileError, match="none yet"):
        get_printer(cache, "Zebra GK420d")
