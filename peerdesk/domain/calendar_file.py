"""Appointments as an iCalendar file (RFC 5545), written with the
``icalendar`` package. Pure: it makes the bytes; the service writes them.

*Minimal PHI*: a calendar file leaves the encrypted store and ends up in phone
and mail calendars, so each event carries only the participant's initials, the
times and whether a ride is planned: no names, no places, not what the
appointment is for. The UI says so where the file is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event

from peerdesk.domain.appointments import Appointment, AppointmentStatus

PRODID = "-//PeerDesk//Appointments//EN"


def initials(name: str) -> str:
    """``"Maria José Lopez"`` -> ``"M.J.L."`` (at most three letters)."""
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    return "".join(f"{p[0].upper()}." for p in parts[:3]) or "?"


def event_summary(who: str) -> str:
    return f"Appointment ({who})"


def to_ics(items: Iterable[tuple[Appointment, str]], *, now: datetime) -> bytes:
    """A VCALENDAR of ``items`` (each appointment with the participant's name,
    of which only the initials are written); ``now`` is the DTSTAMP."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    stamp = now.astimezone(UTC)
    for a, name in items:
        ev = Event()
        ev.add("uid", f"{a.id}@peerdesk")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", a.starts_at.astimezone(UTC))
        ev.add("dtend", a.ends_at.astimezone(UTC))
        ev.add("summary", event_summary(initials(name)))
        if a.ride is not None:
            ev.add("description", "Ride planned")
        ev.add("status", "CANCELLED" if a.status is AppointmentStatus.CANCELLED else "CONFIRMED")
        ev.add("last-modified", a.updated_at.astimezone(UTC))
        cal.add_component(ev)
    return bytes(cal.to_ical())
