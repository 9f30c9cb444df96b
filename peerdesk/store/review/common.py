"""What the review store's modules share: the record a pull opened, the broken
codes, and the time forms the cache stores (UTC ISO text, milliseconds)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any

from peerdesk.domain.review import PulledRecord
from peerdesk.domain.times import from_iso, now_utc, to_iso
from peerdesk.errors import Msg
from peerdesk.store.base import Repository
from peerdesk.store.db import translate_errors

#: reasons a record is broken (``review_records.broken_code``)
NO_KEY, SEALED, PAYLOAD = "no_key", "sealed", "payload"
#: the largest queue page
MAX_QUEUE_PAGE = 500
#: what the queue, the reports and the decisions name a laptop without a label
UNNAMED = "laptop {short}"


@dataclass(frozen=True, slots=True)
class Opened:
    """A pulled record after the attempt to open it: ``payload`` (checked) or
    ``broken`` (the reason in words) with ``code`` (no_key, sealed, payload)."""

    record: PulledRecord
    payload: dict[str, Any] | None = field(default=None, repr=False)
    broken: str | None = None
    code: str | None = None


def day_start(day: date, tz: tzinfo) -> str:
    """Local midnight of ``day`` in ``tz``, as stored (UTC ISO text)."""
    return to_iso(datetime.combine(day, time(0), tzinfo=tz))


def iso(text: str) -> str:
    """An ISO time from the agency or a payload, normalised to the stored form
    (UTC, milliseconds) so that text order is time order."""
    return to_iso(from_iso(text.replace("Z", "+00:00")))


def safe_iso(text: str) -> str:
    try:
        return iso(text)
    except ValueError:
        return to_iso(now_utc())


def item_key(device_id: str, note_id: str) -> str:
    return f"{device_id}/{note_id}"


def key_of_participant(row: dict[str, Any]) -> str:
    return item_key(row["device_id"], row["participant_id"])


def peer_label(label: str | None, device_id: str) -> str:
    return label or UNNAMED.format(short=device_id[:8])


class ReviewRepository(Repository):
    """The review cache's tables; a record's payload is one envelope by seq."""

    table = "review_items"
    kind = "review item"

    def payload(self, seq: int) -> dict[str, Any] | None:
        with translate_errors(Msg("read the record"), writing=False):
            found = self.db.conn.execute(
                "SELECT payload FROM review_payloads WHERE seq = ?", (seq,)
            ).fetchone()
        if found is None:
            return None
        value = self.unseal(str(seq), "payload", found[0], "review_payloads")
        return value if isinstance(value, dict) else None
