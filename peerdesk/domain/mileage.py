"""Mileage rules for logged trips: how far a trip was, monthly totals and
reimbursement. Pure functions on :class:`~peerdesk.domain.models.Trip`; all
amounts are :class:`~decimal.Decimal` (floats are refused, so cents never drift).

A trip's distance comes from its odometer readings when both are given, else from
its ``miles``. When both are given they must agree within 0.1 mile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from peerdesk.domain.models import Trip
from peerdesk.errors import Msg, ValidationError

__all__ = [
    "MAX_TRIP_MILES",
    "ODOMETER_TOLERANCE",
    "MileageSummary",
    "monthly_mileage",
    "monthly_summaries",
    "reimbursement",
    "trip_miles",
    "validate_trip",
]

#: A single trip longer than this is treated as a data-entry error.
MAX_TRIP_MILES = Decimal(1000)
#: How far odometer distance and entered miles may differ when both are given.
ODOMETER_TOLERANCE = Decimal("0.1")

_CENT = Decimal("0.01")


def _decimal(value: object, field_name: str) -> Decimal:
    """``value`` as a finite Decimal; ints are accepted, floats and the rest are not."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError(
            Msg("{name} must be a number (Decimal)", name=field_name), field=field_name
        )
    number = Decimal(value)
    if not number.is_finite():
        raise ValidationError(
            Msg("{name} must be a finite number", name=field_name), field=field_name
        )
    return number


def trip_miles(trip: Trip) -> Decimal:
    """The distance of ``trip`` in miles, or :class:`ValidationError` naming the
    field at fault (``odometer_start``, ``odometer_end`` or ``miles``)."""
    start = None if trip.odometer_start is None else _decimal(trip.odometer_start, "odometer_start")
    end = None if trip.odometer_end is None else _decimal(trip.odometer_end, "odometer_end")
    entered = None if trip.miles is None else _decimal(trip.miles, "miles")

    if entered is not None:
        if entered <= 0:
            raise ValidationError(Msg("miles must be more than 0"), field="miles")
        if entered > MAX_TRIP_MILES:
            raise ValidationError(
                Msg(
                    "a single trip of {miles} miles is over the {limit}-mile limit",
                    miles=entered,
                    limit=MAX_TRIP_MILES,
                ),
                field="miles",
            )

    for reading, name in ((start, "odometer_start"), (end, "odometer_end")):
        if reading is not None and reading < 0:
            raise ValidationError(Msg("odometer reading cannot be negative"), field=name)

    if start is not None and end is not None:
        if end <= start:
            raise ValidationError(
                Msg("odometer end reading must be greater than the start reading"),
                field="odometer_end",
            )
        distance = end - start
        if distance > MAX_TRIP_MILES:
            raise ValidationError(
                Msg(
                    "odometer readings give {miles} miles, over the {limit}-mile "
                    "limit for one trip; check the readings",
                    miles=distance,
                    limit=MAX_TRIP_MILES,
                ),
                field="odometer_end",
            )
        if entered is not None and abs(distance - entered) > ODOMETER_TOLERANCE:
            raise ValidationError(
                Msg(
                    "miles ({miles}) does not match the odometer readings ({distance})",
                    miles=entered,
                    distance=distance,
                ),
                field="miles",
            )
        return distance

    if entered is not None:
        return entered
    if start is not None:
        raise ValidationError(
            Msg("enter the odometer end reading or the miles"), field="odometer_end"
        )
    if end is not None:
        raise ValidationError(
            Msg("enter the odometer start reading or the miles"), field="odometer_start"
        )
    raise ValidationError(Msg("enter the miles or both odometer readings"), field="miles")


def validate_trip(trip: Trip) -> None:
    """Raise :class:`ValidationError` when ``trip`` cannot be logged: bad distance
    (see :func:`trip_miles`), no date, or marked as with a participant without
    saying which one."""
    if not isinstance(trip.trip_date, date):
        raise ValidationError(Msg("trip date is required"), field="trip_date")
    if trip.with_participant and not trip.participant_id:
        raise ValidationError(
            Msg("choose the participant who rode along (or untick 'with participant')"),
            field="participant_id",
        )
    trip_miles(trip)


def reimbursement(miles: Decimal, rate_per_mile: Decimal) -> Decimal:
    """``miles * rate_per_mile`` rounded half-up to cents."""
    distance = _decimal(miles, "miles")
    rate = _decimal(rate_per_mile, "rate_per_mile")
    if distance < 0:
        raise ValidationError(Msg("miles cannot be negative"), field="miles")
    if rate < 0:
        raise ValidationError(Msg("rate per mile cannot be negative"), field="rate_per_mile")
    return (distance * rate).quantize(_CENT, rounding=ROUND_HALF_UP)


def monthly_mileage(trips: Iterable[Trip]) -> dict[tuple[int, int], Decimal]:
    """Total miles per ``(year, month)`` of trip date, in calendar order. An
    invalid trip raises :class:`ValidationError`."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for trip in trips:
        totals[(trip.trip_date.year, trip.trip_date.month)] += trip_miles(trip)
    return dict(sorted(totals.items()))


@dataclass(frozen=True, slots=True)
class MileageSummary:
    """One month of trips. ``reimbursement`` is the month's total miles times the
    rate, rounded once to cents (not a sum of per-trip roundings)."""

    year: int
    month: int
    total_miles: Decimal
    trips: int
    trips_with_participant: int
    reimbursement: Decimal


def monthly_summaries(trips: Iterable[Trip], rate_per_mile: Decimal) -> list[MileageSummary]:
    """A :class:`MileageSummary` for every month that has trips, in calendar order."""
    miles: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    with_participant: dict[tuple[int, int], int] = defaultdict(int)
    for trip in trips:
        key = (trip.trip_date.year, trip.trip_date.month)
        miles[key] += trip_miles(trip)
        counts[key] += 1
        if trip.with_participant:
            with_participant[key] += 1
    return [
        MileageSummary(
            year=year,
            month=month,
            total_miles=miles[(year, month)],
            trips=counts[(year, month)],
            trips_with_participant=with_participant[(year, month)],
            reimbursement=reimbursement(miles[(year, month)], rate_per_mile),
        )
        for year, month in sorted(miles)
    ]
