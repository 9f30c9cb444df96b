"""The supervisor's local review cache (migration 0008): storage only.

What a pull brought is kept decrypted-then-sealed: every payload, participant
name, note summary and decision text is an envelope under the profile's data key
(bound to its table, row and field). Plain columns hold ids, agency sequence
numbers, review states, the times the queue sorts and filters by, and the peer's
laptop label. The same code stores what a real pull opened and what
:mod:`peerdesk.demo.review` generates.

The queue (:meth:`ReviewCache.queue`) reads one page with an indexed scan of
``review_items`` (oldest contact first) and decrypts only the rows of that page:
each line's small summary envelope and its participant's name.

Records are applied idempotently by their agency seq; a record that did not open
or verify (:class:`Opened` with ``broken``) is kept with its reason and shows in
the queue as a broken line; while the reason is a missing key its ciphertext is
kept, so a later grant repairs it (:meth:`ReviewCache.broken_for_keys`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from peerdesk.errors import CorruptData, NotFound, ValidationError
from peerdesk.ids import from_iso, new_id, now_utc, to_iso
from peerdesk.review.client import AgencyEvent, Grant, PulledRecord, TeamDevice
from peerdesk.review.models import (
    REVIEW_STATES,
    Peer,
    QueueFilter,
    QueueItem,
    QueuePage,
    ReviewedNote,
    ReviewEvent,
)
from peerdesk.review.payloads import note_summary
from peerdesk.store.base import Repository, rows
from peerdesk.store.db import translate_errors

log = logging.getLogger(__name__)

#: the largest queue page
MAX_QUEUE_PAGE = 500
#: reasons a record is broken (``review_records.broken_code``)
NO_KEY, SEALED, PAYLOAD = "no_key", "sealed", "payload"


@dataclass(frozen=True, slots=True)
class Opened:
    """A pulled record after the attempt to open it: ``payload`` (checked) or
    ``broken`` (the reason in words) with ``code`` (no_key, sealed, payload)."""

    record: PulledRecord
    payload: dict[str, Any] | None = field(default=None, repr=False)
    broken: str | None = None
    code: str | None = None


@dataclass(frozen=True, slots=True)
class TeamNote:
    """What the reports need of one synced note (decrypted summary included)."""

    device_id: str
    peer: str
    note_id: str
    participant_id: str
    contact_type: str
    start_at: datetime
    end_at: datetime
    signed_at: datetime | None
    state: str


@dataclass(frozen=True, slots=True)
class TeamTrip:
    device_id: str
    peer: str
    trip_id: str
    payload: dict[str, Any] = field(repr=False)


@dataclass(frozen=True, slots=True)
class ItemTimes:
    """Plain facts of a synced note for the overdue report (no decryption)."""

    device_id: str
    peer: str
    note_id: str
    contact_start: datetime
    signed_at: datetime | None
    state: str
    state_at: datetime


def local_tz() -> tzinfo:
    """This machine's time zone (as a fixed offset for today)."""
    found = datetime.now().astimezone().tzinfo
    return found if found is not None else UTC


def day_start(day: date, tz: tzinfo) -> str:
    """Local midnight of ``day`` in ``tz``, as stored (UTC ISO text)."""
    return to_iso(datetime.combine(day, time(0), tzinfo=tz))


def _iso(text: str) -> str:
    """An ISO time from the agency or a payload, normalised to the stored form
    (UTC, milliseconds) so that text order is time order."""
    return to_iso(from_iso(text.replace("Z", "+00:00")))


def _safe_iso(text: str) -> str:
    try:
        return _iso(text)
    except ValueError:
        return to_iso(now_utc())


def _item_key(device_id: str, note_id: str) -> str:
    return f"{device_id}/{note_id}"


class ReviewCache(Repository):
    table = "review_items"
    kind = "review item"

    # -- pull state ------------------------------------------------------------------------

    def cursors(self) -> tuple[int, int]:
        """(last record seq stored, last event seq stored)."""
        with translate_errors("read the review cursor", writing=False):
            found = self.db.conn.execute(
                "SELECT records_after, events_after FROM review_state WHERE id = 1"
            ).fetchone()
        return (int(found[0]), int(found[1])) if found else (0, 0)

    def team(self) -> str:
        with translate_errors("read the review state", writing=False):
            found = self.db.conn.execute("SELECT team FROM review_state WHERE id = 1").fetchone()
        return str(found[0]) if found else ""

    def last_pull(self) -> tuple[str | None, str | None]:
        """(when the last pull finished, the last pull's error in words)."""
        with translate_errors("read the review state", writing=False):
            found = self.db.conn.execute(
                "SELECT last_pull_at, last_error FROM review_state WHERE id = 1"
            ).fetchone()
        return (found[0], found[1]) if found else (None, None)

    def set_team(self, team: str) -> None:
        with translate_errors("save the team"), self.db.atomic():
            self.db.conn.execute("UPDATE review_state SET team = ? WHERE id = 1", (team,))

    def finish_pull(self, error: str | None) -> None:
        with translate_errors("save the pull status"), self.db.atomic():
            if error is None:
                self.db.conn.execute(
                    "UPDATE review_state SET last_pull_at = ?, last_error = NULL WHERE id = 1",
                    (to_iso(now_utc()),),
                )
            else:
                self.db.conn.execute(
                    "UPDATE review_state SET last_error = ? WHERE id = 1", (error[:500],)
                )

    # -- grants and devices ------------------------------------------------------------------

    def save_grants(self, grants: Sequence[Grant]) -> None:
        """Keep the grants exactly as received (sealed); the agency's list replaces ours."""
        now = to_iso(now_utc())
        with translate_errors("save the review key grants"), self.db.atomic():
            self.db.conn.execute("DELETE FROM review_grants")
            self.db.conn.executemany(
                "INSERT INTO review_grants (key_id, sealed, not_after, received_at)"
                " VALUES (?, ?, ?, ?)",
                [(g.key_id, g.sealed, g.not_after, now) for g in grants],
            )

    def grants(self) -> list[Grant]:
        with translate_errors("read the review key grants", writing=False):
            return [
                Grant(str(r[0]), bytes(r[1]), str(r[2]))
                for r in self.db.conn.execute(
                    "SELECT key_id, sealed, not_after FROM review_grants ORDER BY key_id"
                )
            ]

    def save_devices(self, devices: Iterable[TeamDevice]) -> int:
        count = 0
        with translate_errors("save the team's laptops"), self.db.atomic():
            for d in devices:
                self.db.conn.execute(
                    "INSERT INTO review_devices (device_id, label, box_pub, revoked, enrolled_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET"
                    " label = excluded.label, box_pub = excluded.box_pub,"
                    " revoked = excluded.revoked, enrolled_at = excluded.enrolled_at",
                    (d.device_id, d.label, d.box_pub, int(d.revoked), d.enrolled_at),
                )
                count += 1
        return count

    def peers(self) -> list[Peer]:
        with translate_errors("read the team's laptops", writing=False):
            return [
                Peer(str(r[0]), str(r[1]), bool(r[2]))
                for r in self.db.conn.execute(
                    "SELECT device_id, label, revoked FROM review_devices"
                    " ORDER BY label COLLATE NOCASE, device_id"
                )
            ]

    def device(self, device_id: str) -> TeamDevice:
        with translate_errors("read the laptop", writing=False):
            r = self.db.conn.execute(
                "SELECT device_id, label, box_pub, revoked, enrolled_at FROM review_devices"
                " WHERE device_id = ?",
                (device_id,),
            ).fetchone()
        if r is None:
            raise NotFound("laptop of your team", device_id)
        return TeamDevice(str(r[0]), str(r[1]), bytes(r[2]), bool(r[3]), str(r[4]))

    # -- records -------------------------------------------------------------------------------

    def store_records(self, opened: Sequence[Opened], cursor: int) -> tuple[int, int]:
        """Apply one page of records and move the record cursor to ``cursor``, in
        one transaction. Returns (records new to the cache, of which broken)."""
        stored = broken = 0
        with translate_errors("save the pulled records"), self.db.atomic():
            for item in opened:
                if self._apply(item):
                    stored += 1
                    broken += item.broken is not None
            self.db.conn.execute(
                "UPDATE review_state SET records_after = max(records_after, ?) WHERE id = 1",
                (cursor,),
            )
        return stored, broken

    def broken_for_keys(self, key_ids: Iterable[str], limit: int = 500) -> list[PulledRecord]:
        """Records kept broken because their key was missing, sealed to one of ``key_ids``."""
        ids = sorted(set(key_ids))
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        with translate_errors("read the broken records", writing=False):
            found = self.db.conn.execute(
                "SELECT seq, device_id, op_id, kind, entity_id, key_id, dictionary, sealed,"
                " received_at FROM review_records WHERE broken IS NOT NULL AND broken_code = ?"
                f" AND key_id IN ({marks}) AND sealed IS NOT NULL ORDER BY seq LIMIT ?",
                (NO_KEY, *ids, limit),
            ).fetchall()
        return [
            PulledRecord(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], bytes(r[7]), str(r[8]))
            for r in found
        ]

    def repair(self, opened: Sequence[Opened]) -> int:
        """Replace broken records that now open (or are broken another way). Returns
        how many opened."""
        repaired = 0
        with translate_errors("save the repaired records"), self.db.atomic():
            for item in opened:
                seq = item.record.seq
                self.db.conn.execute("DELETE FROM review_records WHERE seq = ?", (seq,))
                self._apply(item)
                if item.broken is None:
                    repaired += 1
                    # the line names the next record of it that is still broken, if any
                    self.db.conn.execute(
                        "UPDATE review_items SET broken_seq = (SELECT r.seq FROM review_records r"
                        "  WHERE r.device_id = review_items.device_id"
                        "  AND r.entity_id = review_items.note_id AND r.broken IS NOT NULL"
                        "  ORDER BY r.seq LIMIT 1) WHERE broken_seq = ?",
                        (seq,),
                    )
                    self.db.conn.execute(
                        "UPDATE review_items SET broken = (SELECT 'the ' || r.kind || ' record '"
                        "  || r.seq || ' from this laptop ' || r.broken FROM review_records r"
                        "  WHERE r.seq = review_items.broken_seq)"
                        " WHERE device_id = ? AND note_id = ?",
                        (item.record.device_id, item.record.entity_id),
                    )
            # a line that only stood for a now repaired record of another kind goes
            self.db.conn.execute("DELETE FROM review_items WHERE kind != 'note' AND broken IS NULL")
        return repaired

    def _apply(self, item: Opened) -> bool:
        r = item.record
        received = _safe_iso(r.received_at)
        keep_sealed = r.sealed if item.code == NO_KEY else None
        cur = self.db.conn.execute(
            "INSERT OR IGNORE INTO review_records (seq, device_id, kind, entity_id, op_id,"
            " key_id, dictionary, received_at, broken, broken_code, sealed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                r.seq,
                r.device_id,
                r.kind,
                r.entity_id,
                r.op_id,
                r.key_id,
                r.dictionary,
                received,
                item.broken,
                item.code if item.broken else None,
                keep_sealed,
            ),
        )
        if cur.rowcount != 1:
            return False  # pulled before
        if item.broken is not None or item.payload is None:
            self._broken_item(r, received, item.broken or "no payload")
            return True
        payload = item.payload
        if r.kind == "note":
            self._put_payload(r.seq, payload)
            self._put_note(r, received, payload)
        elif r.kind == "addendum":
            self._put_payload(r.seq, payload)
            note_id = str(payload["note_id"])
            self.db.conn.execute(
                "INSERT OR REPLACE INTO review_addenda (device_id, addendum_id, note_id, seq,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (r.device_id, str(payload["id"]), note_id, r.seq, _iso(payload["created_at"])),
            )
            self._bump(r.device_id, note_id, r.seq)
        elif r.kind == "resubmit":
            self._bump(r.device_id, r.entity_id, r.seq)
        elif r.kind == "participant":
            self._put_payload(r.seq, payload)
            self.db.conn.execute(
                "INSERT INTO review_participants (device_id, participant_id, seq, name)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (device_id, participant_id) DO UPDATE SET"
                " seq = excluded.seq, name = excluded.name WHERE excluded.seq > seq",
                (
                    r.device_id,
                    r.entity_id,
                    r.seq,
                    self.seal(
                        _item_key(r.device_id, r.entity_id),
                        "name",
                        payload["display_name"],
                        "review_participants",
                    ),
                ),
            )
        elif r.kind == "trip":
            self._put_payload(r.seq, payload)
            self.db.conn.execute(
                "INSERT INTO review_trips (device_id, trip_id, trip_date, participant_id, seq)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id, trip_id) DO UPDATE SET"
                " trip_date = excluded.trip_date, participant_id = excluded.participant_id,"
                " seq = excluded.seq WHERE excluded.seq > seq",
                (
                    r.device_id,
                    r.entity_id,
                    payload["trip_date"],
                    payload.get("participant_id"),
                    r.seq,
                ),
            )
        # referral and correction records were opened to prove them intact; not kept
        return True

    def _put_payload(self, seq: int, payload: dict[str, Any]) -> None:
        self.db.conn.execute(
            "INSERT OR REPLACE INTO review_payloads (seq, payload) VALUES (?, ?)",
            (seq, self.seal(str(seq), "payload", payload, "review_payloads")),
        )

    def _latest_event(self, device_id: str, note_id: str) -> tuple[str, str, int] | None:
        found = self.db.conn.execute(
            "SELECT state, at, seq FROM review_events WHERE device_id = ? AND note_id = ?"
            " ORDER BY seq DESC LIMIT 1",
            (device_id, note_id),
        ).fetchone()
        return (str(found[0]), str(found[1]), int(found[2])) if found else None

    def _put_note(self, r: PulledRecord, received: str, payload: dict[str, Any]) -> None:
        start = _iso(payload["start_at"])
        signed = _iso(payload["signed_at"]) if payload.get("signed_at") else None
        state, state_at, state_seq = self._latest_event(r.device_id, r.entity_id) or (
            "received",
            received,
            0,
        )
        summary = self.seal(
            _item_key(r.device_id, r.entity_id), "summary", note_summary(payload), "review_items"
        )
        self.db.conn.execute(
            "INSERT INTO review_items (device_id, note_id, kind, participant_id, sort_at,"
            " contact_start, signed_at, state, state_at, received_at, note_seq, last_seq,"
            " state_seq, summary) VALUES (?, ?, 'note', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (device_id, note_id) DO UPDATE SET kind = 'note',"
            " participant_id = excluded.participant_id, sort_at = excluded.sort_at,"
            " contact_start = excluded.contact_start, signed_at = excluded.signed_at,"
            " received_at = excluded.received_at, note_seq = excluded.note_seq,"
            " last_seq = max(last_seq, excluded.last_seq), summary = excluded.summary",
            (
                r.device_id,
                r.entity_id,
                str(payload["participant_id"]),
                start,
                start,
                signed,
                state,
                state_at,
                received,
                r.seq,
                r.seq,
                state_seq,
                summary,
            ),
        )

    def _bump(self, device_id: str, note_id: str, seq: int) -> None:
        self.db.conn.execute(
            "UPDATE review_items SET last_seq = max(last_seq, ?) WHERE device_id = ? AND note_id = ?",
            (seq, device_id, note_id),
        )

    def _broken_item(self, r: PulledRecord, received: str, reason: str) -> None:
        # the same words as the repair's SQL rebuilds (see :meth:`repair`)
        text = f"the {r.kind} record {r.seq} from this laptop {reason}"
        cur = self.db.conn.execute(
            "UPDATE review_items SET broken = coalesce(broken, ?),"
            " broken_seq = coalesce(broken_seq, ?), last_seq = max(last_seq, ?)"
            " WHERE device_id = ? AND note_id = ?",
            (text, r.seq, r.seq, r.device_id, r.entity_id),
        )
        if cur.rowcount:
            return
        self.db.conn.execute(
            "INSERT INTO review_items (device_id, note_id, kind, sort_at, state, state_at,"
            " received_at, note_seq, last_seq, broken, broken_seq, summary)"
            " VALUES (?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?)",
            (
                r.device_id,
                r.entity_id,
                r.kind,
                received,
                received,
                received,
                r.seq if r.kind == "note" else None,
                r.seq,
                text,
                r.seq,
                self.seal(_item_key(r.device_id, r.entity_id), "summary", None, "review_items"),
            ),
        )

    # -- events and decisions ------------------------------------------------------------------

    def store_events(self, events: Sequence[AgencyEvent], cursor: int) -> int:
        """Apply review events (idempotent by seq) and move the event cursor."""
        new = 0
        with translate_errors("save the review history"), self.db.atomic():
            for e in events:
                if e.state not in REVIEW_STATES:
                    log.warning("review event %d has an unknown state; skipped", e.seq)
                    continue
                if self._put_event(
                    e.seq, e.device_id, e.note_id, e.state, _safe_iso(e.at), e.actor
                ):
                    new += 1
            self.db.conn.execute(
                "UPDATE review_state SET events_after = max(events_after, ?) WHERE id = 1",
                (cursor,),
            )
        return new

    def _put_event(
        self, seq: int, device_id: str, note_id: str, state: str, at: str, actor: str
    ) -> bool:
        cur = self.db.conn.execute(
            "INSERT OR IGNORE INTO review_events (seq, device_id, note_id, state, at, actor)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                seq,
                device_id,
                note_id,
                state,
                at,
                self.seal(str(seq), "actor", actor, "review_events"),
            ),
        )
        if cur.rowcount != 1:
            return False
        self.db.conn.execute(
            "UPDATE review_items SET state = ?, state_at = ?, state_seq = ?"
            " WHERE device_id = ? AND note_id = ? AND state_seq < ?",
            (state, at, seq, device_id, note_id, seq),
        )
        return True

    def record_decision(
        self,
        *,
        device_id: str,
        note_id: str,
        decision: str,
        decided_at: datetime,
        event_seq: int,
        comment: str,
        reviewer: str,
    ) -> None:
        """Keep a decision the agency accepted, and its event (joins the caller's
        transaction if there is one)."""
        did = new_id()
        at = to_iso(decided_at)
        with translate_errors("save the decision"), self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO review_decisions (id, device_id, note_id, decision, decided_at,"
                " event_seq, comment, reviewer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    did,
                    device_id,
                    note_id,
                    decision,
                    at,
                    event_seq,
                    self.seal(did, "comment", comment, "review_decisions"),
                    self.seal(did, "reviewer", reviewer, "review_decisions"),
                ),
            )
            self._put_event(event_seq, device_id, note_id, decision, at, reviewer)

    # -- the queue -----------------------------------------------------------------------------

    _ITEM_COLUMNS = (
        "i.device_id, i.note_id, i.kind, i.participant_id, i.contact_start, i.state,"
        " i.received_at, i.note_seq, i.last_seq, i.broken, i.broken_seq, i.summary, d.label,"
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
                    f"unknown review state {unknown[0]!r} (one of: {', '.join(REVIEW_STATES)})",
                    field="states",
                )
            wanted = sorted(flt.states)
            where.append(f"i.state IN ({', '.join('?' * len(wanted))})")
            params.extend(wanted)
        if flt.date_from is not None and flt.date_to is not None and flt.date_to < flt.date_from:
            raise ValidationError("the end date is before the start date", field="date_to")
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
            raise ValidationError(f"a page has 1 to {MAX_QUEUE_PAGE} lines", field="limit")
        if offset < 0:
            raise ValidationError("the offset cannot be negative", field="offset")
        where, params = self._where(flt, tz)
        with translate_errors("count the review queue", writing=False):
            total = int(
                self.db.conn.execute(
                    f"SELECT count(*) FROM review_items i{where}", params
                ).fetchone()[0]
            )
        # First the page's keys, from an index alone (an offset skips index entries,
        # not joined rows), then the page's lines, and nothing else is decrypted.
        keys_sql = (
            f"SELECT i.device_id, i.note_id FROM review_items i{where}"
            " ORDER BY i.sort_at, i.device_id, i.note_id LIMIT ? OFFSET ?"
        )
        with translate_errors("read the review queue", writing=False):
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
                self.db, sql, [v for k in keys for v in k], what="read the review queue"
            )
        }
        return QueuePage([self._queue_item(found[k], now) for k in keys if k in found], total)

    def _queue_item(self, row: dict[str, Any], now: datetime) -> QueueItem:
        device_id, note_id = row["device_id"], row["note_id"]
        key = _item_key(device_id, note_id)
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
        )

    def item(self, device_id: str, note_id: str, now: datetime) -> tuple[QueueItem, dict[str, Any]]:
        """One queue line and its raw row (for :meth:`reviewed_note`)."""
        sql = (
            f"SELECT {self._ITEM_COLUMNS}{self._ITEM_JOINS} WHERE i.device_id = ? AND i.note_id = ?"
        )
        for row in rows(self.db, sql, [device_id, note_id], what="read the note"):
            return self._queue_item(row, now), row
        raise NotFound("note in the review queue", note_id)

    def payload(self, seq: int) -> dict[str, Any] | None:
        with translate_errors("read the record", writing=False):
            found = self.db.conn.execute(
                "SELECT payload FROM review_payloads WHERE seq = ?", (seq,)
            ).fetchone()
        if found is None:
            return None
        value = self.unseal(str(seq), "payload", found[0], "review_payloads")
        return value if isinstance(value, dict) else None

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
            what="read the addenda",
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
            what="read the addenda",
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
                    what="read the trips",
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
        with translate_errors("read the participant", writing=False):
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
            what="read the review history",
        ):
            actor = self.unseal(str(e["seq"]), "actor", e["actor"], "review_events")
            out.append(ReviewEvent(e["state"], from_iso(e["at"]), str(actor), int(e["seq"])))
        return out

    # -- what the reports read ------------------------------------------------------------------

    def team_notes(self, start: str, end: str) -> Iterator[TeamNote]:
        """Readable notes with a contact start in [start, end) (stored ISO times);
        a summary that does not decrypt is logged and skipped."""
        for row in rows(
            self.db,
            "SELECT i.device_id, i.note_id, i.participant_id, i.contact_start, i.signed_at,"
            " i.state, i.summary, d.label FROM review_items i"
            " LEFT JOIN review_devices d ON d.device_id = i.device_id"
            " WHERE i.sort_at >= ? AND i.sort_at < ? AND i.kind = 'note'"
            " AND i.contact_start IS NOT NULL ORDER BY i.sort_at",
            [start, end],
            what="read the team's notes",
        ):
            key = _item_key(row["device_id"], row["note_id"])
            try:
                summary = self.unseal(key, "summary", row["summary"], "review_items")
                yield TeamNote(
                    device_id=row["device_id"],
                    peer=row["label"] or f"laptop {row['device_id'][:8]}",
                    note_id=row["note_id"],
                    participant_id=row["participant_id"] or "",
                    contact_type=str(summary["contact_type"]),
                    start_at=from_iso(row["contact_start"]),
                    end_at=from_iso(str(summary["end_at"]).replace("Z", "+00:00")),
                    signed_at=from_iso(row["signed_at"]) if row["signed_at"] else None,
                    state=row["state"],
                )
            except (CorruptData, KeyError, TypeError, ValueError) as exc:
                log.warning("review note skipped in a report: %s", type(exc).__name__)

    def team_trips(self, first: date, last: date) -> Iterator[TeamTrip]:
        """Trips dated ``first`` to ``last`` (both included)."""
        for row in rows(
            self.db,
            "SELECT t.device_id, t.trip_id, t.seq, d.label FROM review_trips t"
            " LEFT JOIN review_devices d ON d.device_id = t.device_id"
            " WHERE t.trip_date >= ? AND t.trip_date <= ? ORDER BY t.trip_date, t.seq",
            [first.isoformat(), last.isoformat()],
            what="read the team's trips",
        ):
            try:
                doc = self.payload(row["seq"])
            except CorruptData as exc:
                log.warning("review trip skipped in a report: %s", type(exc).__name__)
                continue
            if doc is not None:
                yield TeamTrip(
                    row["device_id"],
                    row["label"] or f"laptop {row['device_id'][:8]}",
                    row["trip_id"],
                    doc,
                )

    def overdue_candidates(
        self, sign_within_days: int, waiting_since_before: str
    ) -> Iterator[ItemTimes]:
        """Candidates for the overdue report (a superset: the report's pure rules
        decide): notes signed more than ``sign_within_days - 1`` days after their
        contact, and notes waiting for a decision since before
        ``waiting_since_before``. Plain columns only: nothing is decrypted."""
        for row in rows(
            self.db,
            "SELECT i.device_id, i.note_id, i.contact_start, i.signed_at, i.state, i.state_at,"
            " d.label FROM review_items i LEFT JOIN review_devices d ON d.device_id = i.device_id"
            " WHERE i.kind = 'note' AND i.contact_start IS NOT NULL AND ("
            " (i.signed_at IS NOT NULL"
            "  AND julianday(i.signed_at) - julianday(i.contact_start) > ? - 1)"
            " OR (i.state IN ('received', 'resubmitted') AND i.state_at < ?))"
            " ORDER BY i.sort_at",
            [sign_within_days, waiting_since_before],
            what="read the overdue notes",
        ):
            yield ItemTimes(
                device_id=row["device_id"],
                peer=row["label"] or f"laptop {row['device_id'][:8]}",
                note_id=row["note_id"],
                contact_start=from_iso(row["contact_start"]),
                signed_at=from_iso(row["signed_at"]) if row["signed_at"] else None,
                state=row["state"],
                state_at=from_iso(row["state_at"]),
            )


def key_of_participant(row: dict[str, Any]) -> str:
    return _item_key(row["device_id"], row["participant_id"])
