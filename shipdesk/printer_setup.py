"""Changing the station's printers as the Printers dialog does: add, change, rename, make default.

A new name never overwrites another printer, and a rename saves the new profile before the old one goes.
"""

from __future__ import annotations

import dataclasses

from shipdesk.cache import Cache
from shipdesk.cache.printers import PrinterProfile, PrinterProfileError, get_printer, list_printers, remove_printer
from shipdesk.cache.printers import save_printer as save_profile
from shipdesk.cache.settings import LAST_LABEL_PRINTER, LAST_SLIP_PRINTER, get_setting, set_setting
from shipdesk.printing.connection import Connection, ConnectionKind

_LAST_USED = (LAST_LABEL_PRINTER, LAST_SLIP_PRINTER)


def checked_profile(profile: PrinterProfile, connection: Connection) -> PrinterProfile:
    """The profile with its name trimmed, once its connection fields and settings are sound.

    Raises PrinterProfileError saying every problem found, as `save_printer` says them.
    """
    profile = dataclasses.replace(profile, name=profile.name.strip())
    problems = connection.problems() + profile.problems()
    if connection.kind is ConnectionKind.SYSTEM and profile.language != "pdf":
        problems.append(
            "a system printer takes PDF pages: choose the language pdf, or connect a ZPL, TSPL or ESC/POS printer "
            "by network, USB, serial port or a raw cups:// queue"
        )
    if problems:
        raise PrinterProfileError("; ".join(problems))
    return profile


def save_printer(cache: Cache, profile: PrinterProfile, *, replacing: str | None = None) -> None:
    """Saves a new printer, or the printer named `replacing` changed (and perhaps renamed) into `profile`.

    Raises PrinterProfileError when the profile is not sound or its name is another printer's.
    """
    if profile.name != replacing and profile.name in {printer.name for printer in list_printers(cache)}:
        raise PrinterProfileError(f"there is already a printer named {profile.name!r}; choose another name")
    save_profile(cache, profile)
    if replacing is None or replacing == profile.name:
        return
    remove_printer(cache, replacing)
    # The print dialogs offer the printer used last first; a renamed printer stays that one.
    for key in _LAST_USED:
        if get_setting(cache, key) == replacing:
            set_setting(cache, key, profile.name)


def make_default(cache: Cache, name: str) -> None:
    save_profile(cache, dataclasses.replace(get_printer(cache, name), is_default=True))
