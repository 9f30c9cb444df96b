"""``session.appointments``: a participant's appointments and the rides to them
(issue 21): schedule, change, mark done or cancel, complete a ride (it becomes
the trip log entry), the week, the reminders for Today, and the calendar file.

Writes return an :class:`OpResult` with :data:`SAVED`, or :data:`RIDE_LOGGED`
when a ride became a trip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from pathlib import Path

from peerdesk.domain.appointments import Appointment, in_week, upcoming
from peerdesk.domain.calendar_file import to_ics
from peerdesk.domain.models import DestinationType, TripPurpose
from peerdesk.domain.reminders import due_reminders
from peerdesk.exports import write_atomic
from peerdesk.services.changes import Changes, OpResult, changing
from peerdesk.services.stores import Stores
from peerdesk.store.appointments import AppointmentRepo

#: an appointment changed (the record kind; journaled for sync)
SAVED = Changes(record=True, outbox=True)
#: a ride completed: the appointment changed and a trip was logged
RIDE_LOGGED = Changes(record=True, trips=True, outbox=True)


@dataclass(frozen=True, slots=True)
class Booked:
    """An appointment with the participant's name (for the lists)."""

    appointment: Appointment
    name: str


class AppointmentsService:
    def __init__(self, stores: Stores) -> None:
        self._stores = stores
        repo = AppointmentRepo(stores.record, stores.trips)
        self._repo = repo
        self.schedule = changing(repo.schedule, SAVED)
        self.update = changing(repo.update, SAVED)
        self.set_status = changing(repo.set_status, SAVED)
        self.get = repo.appointment

    def complete_ride(
        self,
        appointment_id: str,
        actual_miles: Decimal,
        picked_up_at: datetime,
        returned_at: datetime | None = None,
        *,
        purpose: TripPurpose | str = TripPurpose.MEDICAL,
        destination_type: DestinationType | str = DestinationType.CLINIC,
    ) -> OpResult[Appointment]:
        """The ride was driven (see :meth:`AppointmentRepo.complete_ride`); the value
        is the appointment, whose ride holds the new trip's id."""
        a, _trip = self._repo.complete_ride(
            appointment_id, actual_miles, picked_up_at, returned_at,
            purpose=purpose, destination_type=destination_type,
        )  # fmt: skip
        return OpResult(a, RIDE_LOGGED)

    def _named(self, items: list[Appointment]) -> list[Booked]:
        names = {p.id: p.display_name for p in self._stores.participants.list().items}
        return [Booked(a, names.get(a.participant_id, "?")) for a in items]

    def for_person(self, participant_id: str | None = None) -> list[Booked]:
        """Appointments (of one participant, or all), in time order."""
        return self._named(self._repo.appointments(participant_id).items)

    def week(self, day: date, tz: tzinfo) -> dict[date, list[Booked]]:
        """``day``'s week (Monday first), every day present."""
        days = in_week(self._repo.appointments().items, day, tz)
        return {d: self._named(found) for d, found in days.items()}

    def upcoming(self, now: datetime, tz: tzinfo) -> list[Booked]:
        """The reminders Today shows (due today or in the next 24 hours)."""
        return self._named(upcoming(self._repo.appointments().items, now, tz))

    def due_reminders(self, now: datetime) -> list[Booked]:
        """The appointments to remind the peer of at ``now`` (see
        :mod:`peerdesk.domain.reminders`), soonest first."""
        return self._named(due_reminders(self._repo.appointments().items, now))

    def services(self, text: str = "", limit: int = 50) -> list[tuple[str, str]]:
        """Directory services to pick as the place: (id, name), best first."""
        return [(h.id, h.name) for h in self._stores.directory.search(text, limit=limit).hits]

    def service_place(self, service_id: str) -> str:
        """A directory service as a place: its name and first street address."""
        detail = self._stores.directory.get_service(service_id)
        parts = [detail.service.name]
        for loc in detail.locations:
            for addr in loc.addresses:
                parts.append(", ".join(x for x in (addr.address_1, addr.city) if x))
                break
            if len(parts) > 1:
                break
        return ", ".join(p for p in parts if p)

    def export_ics(self, items: list[Booked], path: Path | str, *, now: datetime) -> int:
        """Write ``items`` as an .ics file (initials only), whole or not at all,
        owner-only, and audit it (an export that cannot be audited is removed);
        returns the count."""
        write_atomic(path, to_ics(((b.appointment, b.name) for b in items), now=now))
        try:
            self._stores.audit.append("export", format="ics", records=len(items))
        except BaseException:
            Path(path).unlink(missing_ok=True)
            raise
        return len(items)
