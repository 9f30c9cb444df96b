"""When to remind the peer of an appointment while PeerDesk is open (issue 21).

Pure: the caller passes ``now``. A scheduled appointment is *due* for its reminder
from ``lead`` before it starts until it starts: 30 minutes, or an hour when a ride
to it is planned and not yet driven (the peer has to get to the pick-up first).
Each reminder is told once per start time (:func:`reminder_key`): moving the
appointment to another time reminds again; cancelling or finishing it stops it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from peerdesk.domain.appointments import Appointment, AppointmentStatus

#: how long before an appointment its reminder comes
LEAD = timedelta(minutes=30)
#: ... when a ride to it is still to be driven
RIDE_LEAD = timedelta(hours=1)


def lead_of(a: Appointment) -> timedelta:
    """How long before ``a`` starts its reminder comes."""
    return RIDE_LEAD if a.ride is not None and not a.ride.completed else LEAD


def reminder_key(a: Appointment) -> tuple[str, datetime]:
    """What a reminder is told for: the appointment at its current start time."""
    return (a.id, a.starts_at)


def due_reminders(items: Iterable[Appointment], now: datetime) -> list[Appointment]:
    """The scheduled appointments whose reminder is due at ``now`` (from their
    lead time before they start until they start), soonest first."""
    due = [
        a
        for a in items
        if a.status is AppointmentStatus.SCHEDULED and a.starts_at - lead_of(a) <= now < a.starts_at
    ]
    due.sort(key=lambda a: (a.starts_at, a.id))
    return due
