"""A printer's darkness and speed, as its profile sets them, for the languages that carry them.

ZPL takes darkness 0–30 (~SD) and speed in inches per second (^PR); TSPL takes DENSITY 0–15 and SPEED.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PrintTuning:
    darkness: int | None = None  # None: the printer's own setting
    speed: int | None = None


PRINTER_DEFAULTS = PrintTuning()
