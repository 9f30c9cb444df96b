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


def local_text(moment: datetime) -> str:
    """A moment as local "2026-11-23 14:02"."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
