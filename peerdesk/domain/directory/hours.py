"""Opening hours: when a schedule is open, and whether a service is open now.

Opening times are read as the local wall-clock time of the area (an offset suffix
such as ``09:00-05:00`` is kept for export but not used to answer "open now"); a
``closes_at`` at or before ``opens_at`` means closing after midnight; ``24:00`` is
accepted as a closing time. Only ``WEEKLY`` schedules with an interval of 1 answer
"open now".

:func:`open_intervals` is the one place that turns schedules into open
intervals: :func:`is_open_at` answers from them, and the profile database stores
exactly them (``directory_hours``) so that its "open now" filter is an index
look-up of the same intervals with the same test (:meth:`OpenInterval.covers`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from peerdesk.domain.directory.model import (
    DAY_CODES,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    Schedule,
)

#: an HSDS time: "09:30", "09:30:00", optionally "Z" or an offset; "24:00" closes
TIME_PATTERN = re.compile(
    r"^(?P<h>[01]\d|2[0-3]|24(?=:00(?::00)?(?:Z|[+-]\d\d:?\d\d)?$)):(?P<m>[0-5]\d)"
    r"(?::[0-5]\d)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$"
)


def clock_minutes(text: str) -> int:
    """Minutes after midnight of an HSDS time ("09:30", "09:30:00-05:00", "24:00")."""
    match = TIME_PATTERN.match(text)
    if not match:
        raise ValueError(f"not a time: {text!r}")
    return int(match["h"]) * 60 + int(match["m"])


def minute_of_week(moment: datetime) -> int:
    """The wall-clock minute of the week of ``moment`` (Monday 00:00 = 0)."""
    return moment.weekday() * MINUTES_PER_DAY + moment.hour * 60 + moment.minute


def weekly_intervals(schedule: Schedule) -> list[tuple[int, int]]:
    """Open intervals as ``(start, end)`` minutes of the week (Monday 00:00 = 0),
    end exclusive, split at the end of the week. Empty unless the rule is a plain
    weekly one with days and times."""
    if schedule.freq != "WEEKLY" or (schedule.interval or 1) != 1:
        return []
    if not schedule.byday or not schedule.opens_at or not schedule.closes_at:
        return []
    opens, closes = clock_minutes(schedule.opens_at), clock_minutes(schedule.closes_at)
    length = closes - opens if closes > opens else closes + MINUTES_PER_DAY - opens
    out: list[tuple[int, int]] = []
    for code in schedule.byday.split(","):
        start = DAY_CODES.index(code) * MINUTES_PER_DAY + opens
        end = start + length
        if end <= MINUTES_PER_WEEK:
            out.append((start, end))
        else:
            out.append((start, MINUTES_PER_WEEK))
            out.append((0, end - MINUTES_PER_WEEK))
    return out


@dataclass(frozen=True, slots=True)
class OpenInterval:
    """Open from minute ``start`` to ``end`` (exclusive) of every week, on the
    days from ``valid_from`` to ``valid_to`` (either may be open-ended)."""

    start: int
    end: int
    valid_from: date | None = None
    valid_to: date | None = None

    def covers(self, minute: int, day: date) -> bool:
        """Open at ``minute`` of the week on ``day``."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_to is not None and day > self.valid_to:
            return False
        return self.start <= minute < self.end


def open_intervals(schedules: Iterable[Schedule]) -> list[OpenInterval]:
    """Every weekly open interval of ``schedules``, with its schedule's validity."""
    return [
        OpenInterval(start, end, s.valid_from, s.valid_to)
        for s in schedules
        for start, end in weekly_intervals(s)
    ]


def is_open_at(schedules: Iterable[Schedule], moment: datetime) -> bool | None:
    """Whether any weekly schedule covers ``moment`` (its wall clock); ``None``
    when no schedule can tell (none given, or only monthly rules)."""
    intervals = open_intervals(schedules)
    if not intervals:
        return None
    minute, day = minute_of_week(moment), moment.date()
    return any(interval.covers(minute, day) for interval in intervals)
