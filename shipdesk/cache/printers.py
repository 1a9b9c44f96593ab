"""Printer profiles: how to reach each printer at the station and what it speaks.

One profile may be the default, which `print` and the window use when none is named.
"""

from __future__ import annotations

from dataclasses import dataclass

from shipdesk.cache.database import Cache
from shipdesk.domain import DARKNESS_RANGES, SPEED_RANGES, utc_now

LANGUAGES = ("pdf", "escpos", "zpl", "tspl")
DPIS = (180, 203, 300)
MEDIA = ("4x6", "4x4", "a6", "letter-2up", "a4-2up", "58mm", "80mm")
_A_PRINTER_OF = {
    "pdf": "a PDF printer",
    "escpos": "an ESC/POS printer",
    "zpl": "a ZPL printer",
    "tspl": "a TSPL printer",
}


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    name: str
    language: str  # one of LANGUAGES
    uri: str  # file:///dir, tcp://host:9100, usb://VID:PID, serial:///dev/ttyUSB0?baudrate=9600, cups://QUEUE
    dpi: int = 203
    media: str = "4x6"
    darkness: int | None = None  # within DARKNESS_RANGES; None: the printer's own setting
    speed: int | None = None  # inches per second, within SPEED_RANGES; None: the printer's own setting
    cut: bool = False
    is_default: bool = False

    def problems(self) -> list[str]:
        """What is wrong with this profile, in the user's words; empty when it can be saved."""
        found: list[str] = []
        if not self.name.strip():
            found.append("a printer needs a name")
        if self.language not in LANGUAGES:
            found.append(f"language {self.language!r} is not one of {', '.join(LANGUAGES)}")
        if self.dpi not in DPIS:
            found.append(f"{self.dpi} dpi is not a printer resolution shipdesk knows ({', '.join(map(str, DPIS))})")
        if self.media not in MEDIA:
            found.append(f"media {self.media!r} is not one of {', '.join(MEDIA)}")
        if "://" not in self.uri:
            found.append(f"connection {self.uri!r} is not a URI such as tcp://192.168.1.50:9100")
        return found + self._tuning_problems()

    def _tuning_problems(self) -> list[str]:
        """A darkness or speed the printer's language does not take: the printer would refuse it, or do as it likes."""
        printer = _A_PRINTER_OF.get(self.language)
        if printer is None or (self.darkness is None and self.speed is None):
            return []
        if self.language not in DARKNESS_RANGES:
            return [f"{printer} has no darkness or speed setting (only ZPL and TSPL printers have); leave them out"]
        found: list[str] = []
        for setting, value, (lowest, highest) in (
            ("darkness", self.darkness, DARKNESS_RANGES[self.language]),
            ("speed", self.speed, SPEED_RANGES[self.language]),
        ):
            if value is not None and not lowest <= value <= highest:
                unit = " in/s" if setting == "speed" else ""
                found.append(f"{setting} {value}{unit} is not one {printer} takes: choose {lowest} to {highest}")
        return found


class PrinterProfileError(Exception):
    """A profile that cannot be saved or a name that is not there; the message says why."""


_COLUMNS = "name, language, uri, dpi, media, darkness, speed, cut, is_default"


def save_printer(cache: Cache, profile: PrinterProfile) -> None:
    """Adds the profile, or replaces the one of that name; a default profile takes the default from others."""
    problems = profile.problems()
    if problems:
        raise PrinterProfileError("; ".join(problems))
    with cache.transaction() as conn:
        if profile.is_default:
            conn.execute("UPDATE printers SET is_default = 0")
        conn.execute(
            f"INSERT INTO printers ({_COLUMNS}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET language = excluded.language, uri = excluded.uri, dpi = excluded.dpi,"
            " media = excluded.media, darkness = excluded.darkness, speed = excluded.speed, cut = excluded.cut,"
            " is_default = excluded.is_default",
            (
                profile.name,
                profile.language,
                profile.uri,
                profile.dpi,
                profile.media,
                profile.darkness,
                profile.speed,
                int(profile.cut),
                int(profile.is_default),
                utc_now().isoformat(),
            ),
        )


def _profile(row: tuple[str, str, str, int, str, int | None, int | None, int, int]) -> PrinterProfile:
    name, language, uri, dpi, media, darkness, speed, cut, is_default = row
    return PrinterProfile(name, language, uri, dpi, media, darkness, speed, bool(cut), bool(is_default))


def list_printers(cache: Cache) -> list[PrinterProfile]:
    return [_profile(row) for row in cache.conn.execute(f"SELECT {_COLUMNS} FROM printers ORDER BY name")]


def get_printer(cache: Cache, name: str) -> PrinterProfile:
    row = cache.conn.execute(f"SELECT {_COLUMNS} FROM printers WHERE name = ?", (name,)).fetchone()
    if row is None:
        known = ", ".join(profile.name for profile in list_printers(cache)) or "none yet"
        raise PrinterProfileError(f"there is no printer named {name!r} (printers: {known})")
    return _profile(row)


def default_printer_profile(cache: Cache) -> PrinterProfile | None:
    row = cache.conn.execute(f"SELECT {_COLUMNS} FROM printers WHERE is_default = 1").fetchone()
    return None if row is None else _profile(row)


def remove_printer(cache: Cache, name: str) -> None:
    with cache.transaction() as conn:
        if conn.execute("DELETE FROM printers WHERE name = ?", (name,)).rowcount == 0:
            raise PrinterProfileError(f"there is no printer named {name!r}")
