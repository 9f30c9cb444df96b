"""Client-made ids, and the time stamps of :mod:`peerdesk.domain.times`.

Ids are RFC 9562 UUIDv7: they sort by creation time and never collide across
devices, so the agency can take them as they are.
"""

from __future__ import annotations

import uuid6

from peerdesk.domain.times import date_from_iso, date_to_iso, from_iso, now_utc, to_iso


def new_id() -> str:
    return str(uuid6.uuid7())


__all__ = ["date_from_iso", "date_to_iso", "from_iso", "new_id", "now_utc", "to_iso"]
