"""A participant's appointments and the rides to them (issue 21). Pure: no
storage, no I/O; every rule that depends on the time takes ``now`` (or a day).

*Sensitive* (one envelope per appointment on the laptop, sealed on the wire):
everything but ids and the record's own created/updated times.

An appointment is a time (``starts_at``, aware), a length in minutes, what it
is and with whom (``what``), where (free text and/or a directory service's id)
and its status (scheduled, done, cancelled). It may carry the plan of a
:class:`Ride` to it: where to pick the person up, where to, the estimated
miles, one way or round trip. When the peer marks the ride completed (the
actual miles, the times) the ride *becomes* the trip log entry: the trip is
created from it and the ride keeps the trip's id (``Ride.trip_id``), so the
mileage report counts it once and nobody types it again.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from peerdesk.errors import Msg, ValidationError

MAX_TEXT = 500
MAX_MINUTES = 24 * 60
MAX_MILES = Decimal(1000)
#: the reminder window: appointments starting within this time show on Today
SOON = timedelta(hours=24)


class AppointmentStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Ride:
    """The plan of a ride to an appointment, and (once completed) what it was."""

    pickup: str
    destination: str
    estimated_miles: Decimal | None = None
    round_trip: bool = True
    #: set when completed: the miles driven, the times, the trip it became
    actual_miles: Decimal | None = None
    picked_up_at: datetime | None = None
    returned_at: datetime | None = None
    trip_id: str | None = None

    @property
    def completed(self) -> bool:
        return self.trip_id is not None


@dataclass(frozen=True, slots=True)
class Appointment:
    id: str
    participant_id: str
    starts_at: datetime  # aware
    minutes: int
    what: str  # what it is, with whom
    created_at: datetime
    updated_at: datetime
    place: str = ""  # free text (or the service's name and address)
    service_id: str | None = None  # a directory service, when picked from it
    status: AppointmentStatus = AppointmentStatus.SCHEDULED
    ride: Ride | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


def _line(text: str, field: str, what: Msg, *, required: bool = False) -> str:
    value = " ".join(text.split())
    if len(value) > MAX_TEXT:
        raise ValidationError(
            Msg("{what} is longer than {limit} characters", what=what, limit=MAX_TEXT),
            field=field,
        )
    if required and not value:
        raise ValidationError(Msg("enter {what}", what=what), field=field)
    return value


def _miles(value: Decimal | None, field: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError(Msg("miles must be a number"), field=field)
    miles = Decimal(value)
    if not miles.is_finite() or miles <= 0:
        raise ValidationError(Msg("miles must be more than 0"), field=field)
    if miles > MAX_MILES:
        raise ValidationError(
            Msg("a ride of more than {limit} miles is a typing error", limit=MAX_MILES),
            field=field,
        )
    return miles


def check_ride(ride: Ride) -> Ride:
    """``ride`` with its texts tidied, or :class:`ValidationError` naming the field."""
    return replace(
        ride,
        pickup=_line(ride.pickup, "pickup", Msg("where to pick the person up"), required=True),
        destination=_line(
            ride.destination, "destination", Msg("where the ride goes"), required=True
        ),
        estimated_miles=_miles(ride.estimated_miles, "estimated_miles"),
        actual_miles=_miles(ride.actual_miles, "actual_miles"),
    )


def check_appointment(a: Appointment) -> Appointment:
    """``a`` with its texts tidied, or :class:`ValidationError` naming the field."""
    if a.starts_at.tzinfo is None:
        raise ValidationError(Msg("the time has no time zone"), field="starts_at")
    if isinstance(a.minutes, bool) or not isinstance(a.minutes, int):
        raise ValidationError(Msg("the length is a number of minutes"), field="minutes")
    if not 5 <= a.minutes <= MAX_MINUTES:
        raise ValidationError(Msg("the length is between 5 minutes and 24 hours"), field="minutes")
    try:
        status = AppointmentStatus(a.status)
    except ValueError:
        raise ValidationError(Msg("unknown appointment status"), field="status") from None
    ride = None if a.ride is None else check_ride(a.ride)
    return replace(
        a,
        what=_line(a.what, "what", Msg("what the appointment is"), required=True),
        place=_line(a.place, "place", Msg("the place")),
        status=status,
        ride=ride,
    )


def complete_ride(
    ride: Ride, actual_miles: Decimal, picked_up_at: datetime, returned_at: datetime | None
) -> Ride:
    """The ride completed (before its trip is made), or :class:`ValidationError`."""
    if ride.completed:
        raise ValidationError(Msg("this ride is logged already"), field="actual_miles")
    if picked_up_at.tzinfo is None or (returned_at is not None and returned_at.tzinfo is None):
        raise ValidationError(Msg("the time has no time zone"), field="picked_up_at")
    if returned_at is not None and returned_at < picked_up_at:
        raise ValidationError(Msg("the return is before the pick-up"), field="returned_at")
    miles = _miles(actual_miles, "actual_miles")
    if miles is None:
        raise ValidationError(Msg("enter the miles driven"), field="actual_miles")
    return replace(ride, actual_miles=miles, picked_up_at=picked_up_at, returned_at=returned_at)


def trip_notes(a: Appointment) -> str:
    """The words the trip made from ``a``'s ride keeps (its origin, in plain words)."""
    assert a.ride is not None
    way = "round trip" if a.ride.round_trip else "one way"
    return f"Ride to appointment ({a.what}), from {a.ride.pickup}, {way}"


# --- the week and the reminders -----------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def week_days(day: date) -> list[date]:
    start = week_start(day)
    return [start + timedelta(days=i) for i in range(7)]


def local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def in_week(items: Iterable[Appointment], day: date, tz: tzinfo) -> dict[date, list[Appointment]]:
    """The appointments of ``day``'s week by local day (every day present), each
    day's in time order; cancelled ones included (the view greys them)."""
    days = {d: [] for d in week_days(day)}  # type: dict[date, list[Appointment]]
    for a in items:
        d = local_day(a.starts_at, tz)
        if d in days:
            days[d].append(a)
    for found in days.values():
        found.sort(key=lambda a: (a.starts_at, a.what.casefold()))
    return days


def upcoming(items: Iterable[Appointment], now: datetime, tz: tzinfo) -> list[Appointment]:
    """The reminders: scheduled appointments due today (local day, even if the
    time has passed) or starting within the next 24 hours, soonest first; and
    done ones whose ride is still to be logged."""
    today = local_day(now, tz)
    out = []
    for a in items:
        if a.status is AppointmentStatus.CANCELLED:
            continue
        ride_open = a.ride is not None and not a.ride.completed
        if a.status is AppointmentStatus.DONE and not ride_open:
            continue
        if local_day(a.starts_at, tz) == today or now <= a.starts_at <= now + SOON:
            out.append(a)
    out.sort(key=lambda a: a.starts_at)
    return out


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=tz)
    return start, start + timedelta(days=1)
