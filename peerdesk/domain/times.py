"""UTC time stamps as PeerDesk stores and shows them.

Times are stored as ISO 8601 UTC text with milliseconds, which sorts correctly
as text; they are shown in this machine's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from peerdesk.errors import Msg, ValidationError


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValidationError(Msg("time has no time zone"), field="time")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def from_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"stored time without zone: {text!r}")
    return moment.astimezone(UTC)


def date_to_iso(day: date) -> str:
    return day.isoformat()


def date_from_iso(text: str) -> date:
    return date.fromisoformat(text)


def local_tz() -> tzinfo:
    """This machine's time zone (as a fixed offset for today)."""
    found = datetime.now().astimezone().tzinfo
    return found if found is not None else UTC


def local_moment(wall: datetime) -> datetime:
    """A wall-clock time of this machine's zone (naive: a form's date and time) as
    an aware moment. A time that never happened (the hour skipped when daylight
    saving time begins, e.g. 02:25) is the moment the clock showed once it jumped
    (03:25 then); one that happened twice (the hour repeated when it ends) is the
    first. (Python alone maps a skipped 02:25 back to 01:25: a contact from 01:55 to
    02:25 would end before it started.)"""
    first = wall.replace(fold=0).astimezone()
    if first.replace(tzinfo=None) == wall.replace(fold=0):
        return first
    return max(first, wall.replace(fold=1).astimezone())


def local_text(moment: datetime) -> str:
    """A moment as local "2026-11-23 14:02"."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
