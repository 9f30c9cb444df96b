"""Appointments and the rides to them on the laptop (issue 21, migration 0018).

Rows of ``participant_records`` of kind ``appointment`` (the ride inside), one
``doc`` envelope each, journaled in the outbox like the other record kinds.
Completing a ride creates its trip (:class:`~peerdesk.store.trips.TripRepo`)
in the same transaction and keeps the trip's id on the ride.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from peerdesk.domain.appointments import (
    Appointment,
    AppointmentStatus,
    Ride,
    check_appointment,
    complete_ride,
    trip_notes,
)
from peerdesk.domain.models import DestinationType, Trip, TripPurpose
from peerdesk.errors import Msg, ValidationError
from peerdesk.ids import new_id
from peerdesk.store.base import ReadResult, stamp
from peerdesk.store.db import translate_errors
from peerdesk.store.record import RecordRepo
from peerdesk.store.trips import TripRepo


class AppointmentRepo(RecordRepo):
    def __init__(self, record: RecordRepo, trips: TripRepo) -> None:
        super().__init__(record.db, record.vault, record.outbox)
        self.trips = trips

    def appointments(self, participant_id: str | None = None) -> ReadResult[Appointment]:
        """Appointments, in time order."""
        result = self._list("appointment", participant_id)
        result.items.sort(key=lambda a: (a.starts_at, a.id))
        return result

    def appointment(self, appointment_id: str) -> Appointment:
        return self._get("appointment", appointment_id, Appointment)

    def schedule(self, appointment: Appointment) -> Appointment:
        """A new appointment (``id``, times and status are set here)."""
        now = stamp()
        a = check_appointment(
            replace(
                appointment, id=new_id(), created_at=now, updated_at=now,
                status=AppointmentStatus.SCHEDULED,
                ride=None if appointment.ride is None else replace(appointment.ride, trip_id=None),
            )
        )  # fmt: skip
        with translate_errors(Msg("save the appointment")), self.db.atomic():
            self._save(a, new=True)
        return a

    def update(self, appointment: Appointment) -> Appointment:
        """Change an appointment (its time, what, where, status, the ride's plan).
        A ride already logged as a trip keeps what it was."""
        with translate_errors(Msg("save the appointment")), self.db.atomic():
            old = self.appointment(appointment.id)
            if appointment.participant_id != old.participant_id:
                raise ValidationError(
                    Msg("an appointment stays with its participant"), field="participant_id"
                )
            ride = appointment.ride
            if old.ride is not None and old.ride.completed:
                ride = old.ride
            elif ride is not None:
                ride = replace(ride, trip_id=None, actual_miles=None, picked_up_at=None,
                               returned_at=None)  # fmt: skip
            a = check_appointment(
                replace(appointment, created_at=old.created_at, updated_at=stamp(), ride=ride)
            )
            self._save(a, new=False)
        return a

    def set_status(self, appointment_id: str, status: AppointmentStatus | str) -> Appointment:
        """Mark done, cancel, or schedule again."""
        try:
            status = AppointmentStatus(status)
        except ValueError:
            raise ValidationError(Msg("unknown appointment status"), field="status") from None
        with translate_errors(Msg("save the appointment")), self.db.atomic():
            old = self.appointment(appointment_id)
            a = replace(old, status=status, updated_at=stamp())
            self._save(a, new=False)
        return a

    def complete_ride(
        self,
        appointment_id: str,
        actual_miles: Decimal,
        picked_up_at: datetime,
        returned_at: datetime | None = None,
        *,
        purpose: TripPurpose | str = TripPurpose.MEDICAL,
        destination_type: DestinationType | str = DestinationType.CLINIC,
    ) -> tuple[Appointment, Trip]:
        """The ride was driven: its trip is created from it (date, the miles
        driven, where to, with the participant) and the ride keeps its id; the
        appointment is marked done if it was scheduled. All in one transaction."""
        with translate_errors(Msg("log the ride")), self.db.atomic():
            old = self.appointment(appointment_id)
            if old.ride is None:
                raise ValidationError(Msg("this appointment has no ride"), field="ride")
            if old.status is AppointmentStatus.CANCELLED:
                raise ValidationError(Msg("this appointment is cancelled"), field="status")
            ride: Ride = complete_ride(old.ride, actual_miles, picked_up_at, returned_at)
            trip = self.trips.add(
                picked_up_at.astimezone().date(),
                purpose,
                destination_type,
                with_participant=True,
                participant_id=old.participant_id,
                miles=ride.actual_miles,
                destination=ride.destination,
                notes=trip_notes(old),
            )
            a = replace(
                old, ride=replace(ride, trip_id=trip.id), status=AppointmentStatus.DONE,
                updated_at=stamp(),
            )  # fmt: skip
            self._save(a, new=False)
        return a, trip
