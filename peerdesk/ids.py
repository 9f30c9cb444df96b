"""Client-made ids and UTC time stamps.

Ids are RFC 9562 UUIDv7: they sort by creation time and never collide across
devices, so the agency can take them as they are. Times are stored as ISO 8601
UTC text with milliseconds, which sorts correctly as text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import uuid6

from peerdesk.errors import ValidationError


def new_id() -> str:
    return str(uuid6.uuid7())


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValidationError("time has no time zone", field="time")
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
