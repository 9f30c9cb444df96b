"""Reading the supervisor's review cache: the team's laptops, the queue and a
note opened for review with its history.

The queue (:meth:`ReviewQueue.queue`) reads one page with an indexed scan of
``review_items`` (crisis notes first, issue 21, then oldest contact first) and decrypts only the rows of that page:
each line's small summary envelope and its participant's name.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from peerdesk.domain.review import (
    REVIEW_STATES,
    Peer,
    QueueFilter,
    QueueItem,
    QueuePage,
    ReviewedNote,
    ReviewEvent,
    TeamDevice,
)
from peerdesk.errors import CorruptData, Msg, NotFound, ValidationError
from peerdesk.ids import from_iso
from peerdesk.store.base import rows
from peerdesk.store.db import translate_errors
from peerdesk.store.review.common import (
    MAX_QUEUE_PAGE,
    ReviewRepository,
    day_start,
    item_key,
    key_of_participant,
)


class ReviewQueue(ReviewRepository):
    """The queue, one note for review, the team's laptops."""

    def peers(self) -> list[Peer]:
        with translate_errors(Msg("read the team's laptops"), writing=False):
            return [
                Peer(str(r[0]), str(r[1]), bool(r[2]))
                for r in self.db.conn.execute(
                    "SELECT device_id, label, revoked FROM review_devices"
                    " ORDER BY label COLLATE NOCASE, device_id"
                )
            ]

    def device(self, device_id: str) -> TeamDevice:
        with translate_errors(Msg("read the laptop"), writing=False):
            r = self.db.conn.execute(
                "SELECT device_id, label, box_pub, revoked, enrolled_at FROM review_devices"
                " WHERE device_id = ?",
                (device_id,),
            ).fetchone()
        if r is None:
            raise NotFound("laptop of your team", device_id)
        return TeamDevice(str(r[0]), str(r[1]), bytes(r[2]), bool(r[3]), str(r[4]))

    _ITEM_COLUMNS = (
        "i.device_id, i.note_id, i.kind, i.participant_id, i.contact_start, i.state,"
        " i.received_at, i.note_seq, i.last_seq, i.broken, i.broken_seq, i.summary, i.crisis,"
        " d.label,"
        " p.name"
    )
    _ITEM_JOINS = (
        " FROM review_items i"
        " LEFT JOIN review_devices d ON d.device_id = i.device_id"
        " LEFT JOIN review_participants p"
        " ON p.device_id = i.device_id AND p.participant_id = i.participant_id"
    )

    def _where(self, flt: QueueFilter, tz: tzinfo) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if flt.device_id:
            where.append("i.device_id = ?")
            params.append(flt.device_id)
        if flt.states:
            unknown = sorted(set(flt.states) - set(REVIEW_STATES))
            if unknown:
                raise ValidationError(
                    Msg(
                        "unknown review state {state} (one of: {states})",
                        state=repr(unknown[0]),
                        states=", ".join(REVIEW_STATES),
                    ),
                    field="states",
                )
            wanted = sorted(flt.states)
            where.append(f"i.state IN ({', '.join('?' * len(wanted))})")
            params.extend(wanted)
        if flt.date_from is not None and flt.date_to is not None and flt.date_to < flt.date_from:
            raise ValidationError(Msg("the end date is before the start date"), field="date_to")
        if flt.date_from is not None:
            where.append("i.sort_at >= ?")
            params.append(day_start(flt.date_from, tz))
        if flt.date_to is not None:
            where.append("i.sort_at < ?")
            params.append(day_start(flt.date_to + timedelta(days=1), tz))
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def queue(
        self, flt: QueueFilter, offset: int, limit: int, now: datetime, tz: tzinfo
    ) -> QueuePage:
        if not 1 <= limit <= MAX_QUEUE_PAGE:
            raise ValidationError(
                Msg("a page has 1 to {limit} lines", limit=MAX_QUEUE_PAGE), field="limit"
            )
        if offset < 0:
            raise ValidationError(Msg("the offset cannot be negative"), field="offset")
        where, params = self._where(flt, tz)
        with translate_errors(Msg("count the review queue"), writing=False):
            total = int(
                self.db.conn.execute(
                    f"SELECT count(*) FROM review_items i{where}", params
                ).fetchone()[0]
            )
        # First the page's keys, from an index alone (an offset skips index entries,
        # not joined rows), then the page's lines, and nothing else is decrypted.
        keys_sql = (
            f"SELECT i.device_id, i.note_id FROM review_items i{where}"
            " ORDER BY i.crisis DESC, i.sort_at, i.device_id, i.note_id LIMIT ? OFFSET ?"
        )
        with translate_errors(Msg("read the review queue"), writing=False):
            keys = [
                (str(r[0]), str(r[1]))
                for r in self.db.conn.execute(keys_sql, [*params, limit, offset])
            ]
        if not keys:
            return QueuePage([], total)
        wanted = " OR ".join("(i.device_id = ? AND i.note_id = ?)" for _ in keys)
        sql = f"SELECT {self._ITEM_COLUMNS}{self._ITEM_JOINS} WHERE {wanted}"
        found = {
            (row["device_id"], row["note_id"]): row
            for row in rows(
                self.db, sql, [v for k in keys for v in k], what=Msg("read the review queue")
            )
        }
        return QueuePage([self._queue_item(found[k], now) for k in keys if k in found], total)

    def _queue_item(self, row: dict[str, Any], now: datetime) -> QueueItem:
        device_id, note_id = row["device_id"], row["note_id"]
        key = item_key(device_id, note_id)
        broken = row["broken"]
        summary: Any = None
        name: str | None = None
        try:
            summary = self.unseal(key, "summary", row["summary"], "review_items")
            if row["name"] is not None:
                name = str(
                    self.unseal(key_of_participant(row), "name", row["name"], "review_participants")
                )
        except CorruptData as exc:
            broken = broken or f"this line's stored copy is damaged ({exc})"
        received = from_iso(row["received_at"])
        seq = row["note_seq"] if row["note_seq"] is not None else row["broken_seq"]
        return QueueItem(
            device_id=device_id,
            peer=row["label"] if row["label"] is not None else f"laptop {device_id[:8]}",
            note_id=note_id,
            participant_name=name,
            contact_start=from_iso(row["contact_start"]) if row["contact_start"] else None,
            contact_type=str(summary["contact_type"]) if isinstance(summary, dict) else None,
            state=row["state"],
            received_at=received,
            age_days=max(0, (now - received).days),
            broken=broken,
            seq=int(seq if seq is not None else row["last_seq"]),
            kind=row["kind"],
            crisis=bool(row["crisis"]),
        )

    def item(self, device_id: str, note_id: str, now: datetime) -> tuple[QueueItem, dict[str, Any]]:
        """One queue line and its raw row (for :meth:`reviewed_note`)."""
        sql = (
            f"SELECT {self._ITEM_COLUMNS}{self._ITEM_JOINS} WHERE i.device_id = ? AND i.note_id = ?"
        )
        for row in rows(self.db, sql, [device_id, note_id], what=Msg("read the note")):
            return self._queue_item(row, now), row
        raise NotFound("note in the review queue", note_id)

    def reviewed_note(
        self, device_id: str, note_id: str, now: datetime, tz: tzinfo
    ) -> ReviewedNote:
        item, row = self.item(device_id, note_id, now)
        note = (self.payload(row["note_seq"]) if row["note_seq"] is not None else None) or {}
        addenda: list[dict[str, Any]] = []
        for a in rows(
            self.db,
            "SELECT addendum_id, seq FROM review_addenda WHERE device_id = ? AND note_id = ?"
            " ORDER BY created_at, addendum_id",
            [device_id, note_id],
            what=Msg("read the addenda"),
        ):
            doc = self.payload(a["seq"]) or {}
            addenda.append(
                {
                    "id": a["addendum_id"],
                    "text": doc.get("text", ""),
                    "created_at": doc.get("created_at"),
                    "seq": a["seq"],
                }
            )
        for b in rows(
            self.db,
            "SELECT seq, broken FROM review_records WHERE device_id = ? AND entity_id = ?"
            " AND kind = 'addendum' AND broken IS NOT NULL ORDER BY seq",
            [device_id, note_id],
            what=Msg("read the addenda"),
        ):
            addenda.append({"id": None, "broken": b["broken"], "seq": b["seq"]})
        participant = None
        trips: list[dict[str, Any]] = []
        pid = row["participant_id"]
        if pid:
            participant = self._participant(device_id, pid)
            if item.contact_start is not None:
                day = item.contact_start.astimezone(tz).date().isoformat()
                for t in rows(
                    self.db,
                    "SELECT trip_id, seq FROM review_trips WHERE device_id = ?"
                    " AND participant_id = ? AND trip_date = ? ORDER BY seq",
                    [device_id, pid, day],
                    what=Msg("read the trips"),
                ):
                    trip = self.payload(t["seq"])
                    if trip is not None:
                        trips.append({**trip, "id": t["trip_id"]})
        return ReviewedNote(
            item=item,
            note=note,
            addenda=addenda,
            trips=trips,
            history=self.history(device_id, note_id),
            seen_seq=int(row["last_seq"]),
            participant=participant,
        )

    def _participant(self, device_id: str, participant_id: str) -> dict[str, Any] | None:
        with translate_errors(Msg("read the participant"), writing=False):
            found = self.db.conn.execute(
                "SELECT seq FROM review_participants WHERE device_id = ? AND participant_id = ?",
                (device_id, participant_id),
            ).fetchone()
        return self.payload(int(found[0])) if found else None

    def history(self, device_id: str, note_id: str) -> list[ReviewEvent]:
        out = []
        for e in rows(
            self.db,
            "SELECT seq, state, at, actor FROM review_events WHERE device_id = ? AND note_id = ?"
            " ORDER BY seq",
            [device_id, note_id],
            what=Msg("read the review history"),
        ):
            actor = self.unseal(str(e["seq"]), "actor", e["actor"], "review_events")
            out.append(ReviewEvent(e["state"], from_iso(e["at"]), str(actor), int(e["seq"])))
        return out
