"""What devices receive (``outbound``): items for one device or for every device
(wipe orders, supervisor feedback, directory updates), handed out after a
device's cursor with each sync response."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, or_, select

from peerdesk.agency.models import OutboundItem
from peerdesk.agency.storage.db import Database
from peerdesk.agency.tables import outbound
from peerdesk.ids import to_iso
from peerdesk.wire.protocol import MAX_INBOUND_PER_RESPONSE


def queue(
    conn: Connection, device_id: str | None, kind: str, ref: str, payload: bytes, at: str
) -> int:
    """Queue an item in the transaction of ``conn``; its outbound sequence number."""
    seq = conn.execute(
        insert(outbound)
        .values(device_id=device_id, kind=kind, ref=ref, payload=payload, created_at=at)
        .returning(outbound.c.seq)
    ).scalar_one()
    return int(seq)


#: the inbound page of every sync, built once (building a statement costs more than
#: running this one); one row more than the page tells whether more wait
_INBOUND_PAGE = (
    select(outbound)
    .where(
        or_(outbound.c.device_id == bindparam("device"), outbound.c.device_id.is_(None)),
        outbound.c.seq > bindparam("cursor"),
    )
    .order_by(outbound.c.seq)
    .limit(bindparam("rows"))
)


def inbound_page(
    conn: Connection, device_id: str, cursor: int, limit: int
) -> tuple[list[OutboundItem], bool]:
    """Items for ``device_id`` after ``cursor``, oldest first, and whether more wait."""
    rows = conn.execute(
        _INBOUND_PAGE, {"device": device_id, "cursor": cursor, "rows": limit + 1}
    ).all()
    items = [
        OutboundItem(r.seq, r.device_id, r.kind, r.ref, bytes(r.payload), r.created_at)
        for r in rows[:limit]
    ]
    return items, len(rows) > limit


class Outbound:
    """``storage.outbound``: the queue of what devices receive."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def queue(
        self, device_id: str | None, kind: str, ref: str, payload: bytes, now: datetime
    ) -> int:
        """Queue an item for one device (or every device when ``device_id`` is None)."""
        with self._db.write() as conn:
            return queue(conn, device_id, kind, ref, payload, to_iso(now))

    def inbound(
        self, device_id: str, cursor: int, limit: int = MAX_INBOUND_PER_RESPONSE
    ) -> tuple[list[OutboundItem], bool]:
        """Items for ``device_id`` after ``cursor``, oldest first, and whether more wait."""
        with self._db.read() as conn:
            return inbound_page(conn, device_id, cursor, limit)
