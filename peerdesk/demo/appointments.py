"""A few made-up appointments and rides for the demo profile (issue 21): one
later today with a ride, one tomorrow with a ride, one later in the week, one
yesterday marked done whose ride is still to be logged as a trip. Places are
invented."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from peerdesk.domain.appointments import Appointment, AppointmentStatus, Ride
from peerdesk.services import Session

_T = datetime(2026, 1, 1, tzinfo=UTC)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone()


def add_demo_appointments(session: Session, people: list[str]) -> None:
    today = date.today()
    plans = (
        (people[1], _at(today, 14, 30), 60, "Intake at the outpatient clinic, with Dr. Ames",
         "Riverside Outpatient Clinic, 120 River Rd",
         Ride("Home, 4 Elm St", "Riverside Outpatient Clinic, 120 River Rd", Decimal("6.5"))),
        (people[0], _at(today + timedelta(days=1), 10), 45, "Benefits interview (SNAP)",
         "County Social Services, 2 Main St",
         Ride("Maple House shelter", "County Social Services, 2 Main St", Decimal("4.2"))),
        (people[2], _at(today + timedelta(days=3), 9), 30, "Pharmacy pick-up and med review",
         "Main St Pharmacy", None),
        (people[0], _at(today - timedelta(days=1), 11), 60, "Court date, with the public defender",
         "County Courthouse, 1 Court Sq",
         Ride("Home", "County Courthouse, 1 Court Sq", Decimal("9.0"), round_trip=True)),
    )  # fmt: skip
    for pid, starts, minutes, what, place, ride in plans:
        a = session.appointments.schedule(
            Appointment("", pid, starts, minutes, what, _T, _T, place=place, ride=ride)
        ).value
        if starts.date() < today:
            session.appointments.set_status(a.id, AppointmentStatus.DONE)
