"""``session.trips``: log and list trips."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from peerdesk.domain.models import DestinationType, Trip, TripPurpose
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.stores import Stores
from peerdesk.store.base import ReadResult

#: a trip saved (and journaled for sync)
SAVED = Changes(trips=True, outbox=True)


class TripsService:
    def __init__(self, stores: Stores) -> None:
        self._repo = stores.trips

    def add(
        self,
        trip_date: date,
        purpose: TripPurpose | str,
        destination_type: DestinationType | str,
        *,
        with_participant: bool = False,
        participant_id: str | None = None,
        odometer_start: Decimal | None = None,
        odometer_end: Decimal | None = None,
        miles: Decimal | None = None,
        destination: str = "",
        notes: str = "",
    ) -> OpResult[Trip]:
        trip = self._repo.add(
            trip_date,
            purpose,
            destination_type,
            with_participant=with_participant,
            participant_id=participant_id,
            odometer_start=odometer_start,
            odometer_end=odometer_end,
            miles=miles,
            destination=destination,
            notes=notes,
        )
        return OpResult(trip, SAVED)

    def get(self, trip_id: str) -> Trip:
        return self._repo.get(trip_id)

    def list(self, *, year: int | None = None, month: int | None = None) -> ReadResult[Trip]:
        return self._repo.list(year=year, month=month)
