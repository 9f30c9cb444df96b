"""Trips (ride log). Destination and free-text notes only as envelopes; the
plain columns (date, purpose, destination type, distances) feed mileage reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from peerdesk.domain.mileage import validate_trip
from peerdesk.domain.models import DestinationType, Trip, TripPurpose
from peerdesk.errors import Msg, ValidationError
from peerdesk.ids import date_from_iso, from_iso, new_id, to_iso
from peerdesk.store.base import OutboxRepository, ReadResult, rows, stamp
from peerdesk.store.db import translate_errors

MAX_TEXT = 2_000


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class TripRepo(OutboxRepository):
    table = "trips"
    kind = "trip"

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
    ) -> Trip:
        try:
            purpose = TripPurpose(purpose)
        except ValueError:
            raise ValidationError(
                Msg("unknown trip purpose {purpose}", purpose=repr(purpose)), field="purpose"
            ) from None
        try:
            destination_type = DestinationType(destination_type)
        except ValueError:
            raise ValidationError(
                Msg(
                    "unknown destination type {destination_type}",
                    destination_type=repr(destination_type),
                ),
                field="destination_type",
            ) from None
        if with_participant and participant_id is None:
            raise ValidationError(
                Msg("choose the participant who rode along"), field="participant_id"
            )
        for name, what, text in (
            ("destination", Msg("destination"), destination),
            ("notes", Msg("notes"), notes),
        ):
            if len(text) > MAX_TEXT:
                raise ValidationError(
                    Msg("{what} is longer than {limit} characters", what=what, limit=MAX_TEXT),
                    field=name,
                )
        trip = Trip(
            id=new_id(),
            trip_date=trip_date,
            purpose=purpose,
            destination_type=destination_type,
            created_at=stamp(),
            with_participant=with_participant,
            participant_id=participant_id,
            odometer_start=odometer_start,
            odometer_end=odometer_end,
            miles=miles,
            destination=destination.strip(),
            notes=notes.strip(),
        )
        validate_trip(trip)
        with translate_errors(Msg("save the trip")), self.db.atomic():
            if (
                participant_id is not None
                and not self.db.conn.execute(
                    "SELECT 1 FROM participants WHERE id = ?", (participant_id,)
                ).fetchone()
            ):
                raise ValidationError(
                    Msg("that participant does not exist"), field="participant_id"
                )
            self.db.conn.execute(
                "INSERT INTO trips (id, trip_date, purpose, destination_type, with_participant,"
                " participant_id, odometer_start, odometer_end, miles, created_at, destination, notes)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    trip.id,
                    trip.trip_date.isoformat(),
                    trip.purpose.value,
                    trip.destination_type.value,
                    int(with_participant),
                    participant_id,
                    _dec(odometer_start),
                    _dec(odometer_end),
                    _dec(miles),
                    to_iso(trip.created_at),
                    self.seal(trip.id, "destination", trip.destination),
                    self.seal(trip.id, "notes", trip.notes),
                ),
            )
            self.outbox.record("trip", trip.id, "add")
        return trip

    def _build(self, row: dict[str, Any]) -> Trip:
        tid = row["id"]
        destination = self.unseal(tid, "destination", row["destination"])
        notes = self.unseal(tid, "notes", row["notes"])

        def dec(text: str | None) -> Decimal | None:
            return None if text is None else Decimal(text)

        try:
            return Trip(
                id=tid,
                trip_date=date_from_iso(row["trip_date"]),
                purpose=TripPurpose(row["purpose"]),
                destination_type=DestinationType(row["destination_type"]),
                created_at=from_iso(row["created_at"]),
                with_participant=bool(row["with_participant"]),
                participant_id=row["participant_id"],
                odometer_start=dec(row["odometer_start"]),
                odometer_end=dec(row["odometer_end"]),
                miles=dec(row["miles"]),
                destination=str(destination),
                notes=str(notes),
            )
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise self.malformed(tid) from exc

    def get(self, trip_id: str) -> Trip:
        return self._build(self.row_by_id(trip_id))

    def list(self, *, year: int | None = None, month: int | None = None) -> ReadResult[Trip]:
        sql, params = "SELECT * FROM trips", []
        if year is not None and month is not None:
            sql += " WHERE trip_date LIKE ?"
            params.append(f"{year:04d}-{month:02d}-%")
        return self.read_many(
            rows(self.db, sql + " ORDER BY trip_date DESC, id", params, what=Msg("read the trips")),
            self._build,
        )
