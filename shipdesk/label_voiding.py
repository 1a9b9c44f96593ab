"""Voiding an order's label: the order goes back to the packing queue, as if its label had never been printed.

A label bought from ShipStation is voided there first (ShipStation refunds it); a label shipdesk composed, or a
shipment noted with `ship`, is taken back here, as long as its update has not reached the store yet.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from shipdesk.cache import Cache
from shipdesk.cache.shipment_voids import ShipmentToVoid, VoidedShipment, VoidRefused, shipment_to_void, void_shipment
from shipdesk.cache.stores import StoreRecord, get_store
from shipdesk.domain import utc_now
from shipdesk.shipping.shipstation_labels import LabelError, ShipStationLabelProvider
from shipdesk.upstream.credentials import CredentialsError
from shipdesk.upstream.shipstation_connector import KIND, client_for_store

_log = logging.getLogger(__name__)


def void_at_shipstation(store: StoreRecord, target: ShipmentToVoid) -> None:
    assert target.upstream_shipment_id is not None
    order_id = int(target.upstream_order_id) if target.upstream_order_id.isdecimal() else None
    with client_for_store(store) as client:
        ShipStationLabelProvider(client).void(target.upstream_shipment_id, target.order_number, order_id=order_id)


def void_label(cache: Cache, order_id: int, *, now: datetime | None = None) -> VoidedShipment:
    """Void the order's latest label and put the order back in the packing queue.

    Raises VoidRefused, saying why, when the label stays as it is.
    """
    moment = now or utc_now()
    target = shipment_to_void(cache, order_id)
    if target.upstream_shipment_id is not None:
        store = get_store(cache, target.store)
        if store is None or store.kind != KIND:
            raise VoidRefused(
                f"The label of order {target.order_number} was bought from ShipStation through store {target.store}, "
                "which is no longer set up in shipdesk; connect it again to void the label."
            )
        try:
            void_at_shipstation(store, target)
        except (LabelError, CredentialsError) as error:
            raise VoidRefused(str(error)) from error
    try:
        return void_shipment(cache, target, moment)
    except sqlite3.OperationalError as error:  # locked by another program for longer than the busy timeout, or full
        if target.upstream_shipment_id is None:
            raise VoidRefused(
                f"The label of order {target.order_number} stays: the cache could not be written ({error}); "
                "try again in a moment."
            ) from error
        _log.error(
            "ShipStation voided the label of order %s (shipment %s) but the cache could not be written: %s",
            target.order_number,
            target.upstream_shipment_id,
            error,
        )
        raise VoidRefused(
            f"ShipStation voided the label of order {target.order_number}, but the cache could not be written "
            f"({error}), so the order still reads shipped here; void it again once the cache is free, and shipdesk "
            "notes the void ShipStation made."
        ) from error


@dataclass(frozen=True, slots=True)
class VoidBatch:
    voided: list[VoidedShipment]
    refused: list[str]  # why each label left as it was stays, naming its order


def void_labels(cache: Cache, order_ids: Sequence[int], *, now: datetime | None = None) -> VoidBatch:
    """Void each order's label in turn; one that stays as it was does not stop the others."""
    batch = VoidBatch([], [])
    for order_id in order_ids:
        try:
            batch.voided.append(void_label(cache, order_id, now=now))
        except VoidRefused as error:
            batch.refused.append(str(error))
    return batch
