"""When PeerDesk reminds the peer of an appointment (issue 21): the pure rule and
the service that reads it from the encrypted store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from peerdesk.domain.appointments import Appointment, AppointmentStatus, Ride
from peerdesk.domain.reminders import LEAD, RIDE_LEAD, due_reminders, lead_of, reminder_key

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
RIDE = Ride("Home: 4 Elm St", "Riverside Clinic", Decimal("6.5"), True)


def appt(at: datetime = T0, **kw: object) -> Appointment:
    base: dict[str, object] = {
        "id": "a1", "participant_id": "p1", "starts_at": at, "minutes": 60,
        "what": "Intake at the clinic", "created_at": T0, "updated_at": T0,
    }  # fmt: skip
    base.update(kw)
    return Appointment(**base)  # type: ignore[arg-type]


def test_due_from_the_lead_time_until_it_starts() -> None:
    a = appt()
    assert lead_of(a) == LEAD == timedelta(minutes=30)
    assert due_reminders([a], T0 - LEAD - timedelta(seconds=1)) == []
    assert due_reminders([a], T0 - LEAD) == [a]
    assert due_reminders([a], T0 - timedelta(minutes=1)) == [a]
    assert due_reminders([a], T0) == []  # it has started: too late to remind


def test_a_ride_still_to_drive_reminds_an_hour_ahead_a_driven_one_does_not() -> None:
    ride = appt(ride=RIDE)
    assert lead_of(ride) == RIDE_LEAD == timedelta(hours=1)
    assert due_reminders([ride], T0 - timedelta(minutes=59)) == [ride]
    driven = appt(ride=replace(RIDE, trip_id="t1"))
    assert lead_of(driven) == LEAD
    assert due_reminders([driven], T0 - timedelta(minutes=59)) == []


def test_cancelled_and_done_appointments_never_remind_and_order_is_soonest_first() -> None:
    now = T0 - timedelta(minutes=20)
    later = appt(T0 + timedelta(minutes=10), id="b")
    items = [
        later,
        appt(status=AppointmentStatus.CANCELLED, id="c"),
        appt(status=AppointmentStatus.DONE, id="d"),
        appt(id="a"),
    ]
    assert [a.id for a in due_reminders(items, now)] == ["a", "b"]


def test_a_moved_appointment_is_a_new_reminder() -> None:
    a = appt()
    assert reminder_key(a) != reminder_key(replace(a, starts_at=T0 + timedelta(hours=2)))
    assert reminder_key(a) == reminder_key(replace(a, what="Changed words"))


def test_the_service_reads_due_reminders_with_names(session) -> None:  # type: ignore[no-untyped-def]
    person = session.participants.add("Maria José Lopez").value
    soon = session.appointments.schedule(appt(participant_id=person.id)).value
    session.appointments.schedule(appt(T0 + timedelta(days=1), participant_id=person.id))
    due = session.appointments.due_reminders(T0 - timedelta(minutes=10))
    assert [(b.appointment.id, b.name) for b in due] == [(soon.id, "Maria José Lopez")]
