"""The carriers, services and packages a ShipStation account offers, fetched as catalog rows for the cache.

Every call counts against the 40 requests a minute: 1 request, and 2 more a carrier, so it is fetched once a day.
"""

from __future__ import annotations

from shipdesk.domain import CatalogEntry, CatalogKind
from shipdesk.upstream.shipstation import ShipStationClient


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
