"""The shipping choices of a ShipStation account: its carriers with their services and packages.

Fetched on request (every call counts against 40 a minute) and grouped for the shipping panel; the cache keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shipdesk.domain import CatalogEntry, CatalogKind
from shipdesk.upstream.shipstation import ShipStationClient


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


def fetch_shipstation_catalog(client: ShipStationClient) -> list[CatalogEntry]:
    """The account's carriers, services and packages: 1 request, and 2 more a carrier.

    Raises ShipStationError when ShipStation cannot be asked.
    """
    carriers: dict[str, str] = {}
    for carrier in client.list_carriers():
        # One carrier code can have several accounts; the primary one names it.
        if carrier.code not in carriers or carrier.primary:
            name = carrier.name or carrier.code
            nickname = carrier.nickname if carrier.nickname and carrier.nickname != name else ""
            carriers[carrier.code] = f"{name} ({nickname})" if nickname else name
    entries: list[CatalogEntry] = []
    for code, name in carriers.items():
        entries.append(CatalogEntry(code, CatalogKind.CARRIER, code, name))
        entries.extend(
            CatalogEntry(code, CatalogKind.SERVICE, service.code, service.name, service.domestic, service.international)
            for service in client.list_services(code)
        )
        # ShipStation may answer with another carrier code for shared package types; they are offered under
        # the carrier they were asked for, which is the one a label is bought with.
        entries.extend(
            CatalogEntry(code, CatalogKind.PACKAGE, package.code, package.name, package.domestic, package.international)
            for package in client.list_packages(code)
        )
    return entries


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
