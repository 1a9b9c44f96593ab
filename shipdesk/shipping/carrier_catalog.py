"""The shipping choices of a store's account: its carriers, each with its services and packages.

The catalog rows the cache keeps (upstream/shipstation_catalog.py fetches them) grouped for the shipping panel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shipdesk.domain import CatalogEntry, CatalogKind


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    name: str
    domestic: bool
    international: bool


@dataclass(frozen=True, slots=True)
class CarrierChoices:
    code: str
    name: str
    services: tuple[Choice, ...]
    packages: tuple[Choice, ...]


def group_choices(entries: Iterable[CatalogEntry], *, international: bool | None = None) -> list[CarrierChoices]:
    """Catalog rows as carriers with their services and packages; `international` keeps those for that parcel."""
    carriers: dict[str, str] = {}
    services: dict[str, list[Choice]] = {}
    packages: dict[str, list[Choice]] = {}
    for entry in entries:
        if entry.kind == CatalogKind.CARRIER:
            carriers[entry.carrier_code] = entry.name
            continue
        if (international is True and not entry.international) or (international is False and not entry.domestic):
            continue
        choice = Choice(entry.code, entry.name, entry.domestic, entry.international)
        (services if entry.kind == CatalogKind.SERVICE else packages).setdefault(entry.carrier_code, []).append(choice)
    return [
        CarrierChoices(code, name, tuple(services.get(code, ())), tuple(packages.get(code, ())))
        for code, name in sorted(carriers.items(), key=lambda item: item[1].casefold())
    ]
