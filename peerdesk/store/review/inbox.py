"""The supervisor's review cache as a pull fills it (migration 0008).

What a pull brought is kept decrypted-then-sealed: every payload, participant
name, note summary and decision text is an envelope under the profile's data key
(bound to its table, row and field). Plain columns hold ids, agency sequence
numbers, review states, the times the queue sorts and filters by, and the peer's
laptop label. The same code stores what a real pull opened and what the test
and benchmark seed (``peerdesk/demo/review.py``) generates.

Records are applied idempotently by their agency seq; a record that did not open
or verify (:class:`Opened` with ``broken``) is kept with its reason and shows in
the queue as a broken line; while the reason is a missing key its ciphertext is
kept, so a later grant repairs it (:meth:`ReviewInbox.broken_for_keys`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from peerdesk.domain.review import (
    REVIEW_STATES,
    AgencyEvent,
    Grant,
    PulledRecord,
    PulledSegment,
    TeamDevice,
)
from peerdesk.errors import Msg, ProtocolError
from peerdesk.ids import new_id, now_utc, to_iso
from peerdesk.store.db import translate_errors
from peerdesk.store.review.common import NO_KEY, Opened, ReviewRepository, iso, item_key, safe_iso
from peerdesk.wire.payloads import note_summary
from peerdesk.wire.record_payloads import RECORD_KINDS
from peerdesk.wire.segments import Segment, pack_envelope, unpack_envelope
from peerdesk.wire.workforce_payloads import WORKFORCE_KINDS

log = logging.getLogger(__name__)


class ReviewInbox(ReviewRepository):
    """Pull state, grants, the team's laptops, records, events and decisions."""

    # -- pull state ------------------------------------------------------------------------

    def cursors(self) -> tuple[int, int]:
        """(last record seq stored, last event seq stored)."""
        with translate_errors(Msg("read the review cursor"), writing=False):
            found = self.db.conn.execute(
                "SELECT records_after, events_after FROM review_state WHERE id = 1"
            ).fetchone()
        return (int(found[0]), int(found[1])) if found else (0, 0)

    def team(self) -> str:
        with translate_errors(Msg("read the review state"), writing=False):
            found = self.db.conn.execute("SELECT team FROM review_state WHERE id = 1").fetchone()
        return str(found[0]) if found else ""

    def last_pull(self) -> tuple[str | None, str | None]:
        """(when the last pull finished, the last pull's error in words)."""
        with translate_errors(Msg("read the review state"), writing=False):
            found = self.db.conn.execute(
                "SELECT last_pull_at, last_error FROM review_state WHERE id = 1"
            ).fetchone()
        return (found[0], found[1]) if found else (None, None)

    def set_team(self, team: str) -> None:
        with translate_errors(Msg("save the team")), self.db.atomic():
            self.db.conn.execute("UPDATE review_state SET team = ? WHERE id = 1", (team,))

    def finish_pull(self, error: str | None) -> None:
        with translate_errors(Msg("save the pull status")), self.db.atomic():
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
        with translate_errors(Msg("save the review key grants")), self.db.atomic():
            self.db.conn.execute("DELETE FROM review_grants")
            self.db.conn.executemany(
                "INSERT INTO review_grants (key_id, sealed, not_after, received_at)"
                " VALUES (?, ?, ?, ?)",
                [(g.key_id, g.sealed, g.not_after, now) for g in grants],
            )

    def grants(self) -> list[Grant]:
        with translate_errors(Msg("read the review key grants"), writing=False):
            return [
                Grant(str(r[0]), bytes(r[1]), str(r[2]))
                for r in self.db.conn.execute(
                    "SELECT key_id, sealed, not_after FROM review_grants ORDER BY key_id"
                )
            ]

    def save_devices(self, devices: Iterable[TeamDevice]) -> int:
        count = 0
        with translate_errors(Msg("save the team's laptops")), self.db.atomic():
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

    # -- records -------------------------------------------------------------------------------

    def store_records(self, opened: Sequence[Opened], cursor: int) -> tuple[int, int]:
        """Apply one page of records and move the record cursor to ``cursor``, in
        one transaction. Returns (records new to the cache, of which broken)."""
        stored = broken = 0
        with translate_errors(Msg("save the pulled records")), self.db.atomic():
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
        with translate_errors(Msg("read the broken records"), writing=False):
            found = self.db.conn.execute(
                "SELECT seq, device_id, op_id, kind, entity_id, key_id, dictionary, sealed,"
                " received_at, segment_part FROM review_records WHERE broken IS NOT NULL"
                f" AND broken_code = ? AND key_id IN ({marks}) AND sealed IS NOT NULL"
                " ORDER BY seq LIMIT ?",
                (NO_KEY, *ids, limit),
            ).fetchall()
        out = []
        for r in found:
            record = PulledRecord(
                int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], bytes(r[7]), str(r[8])
            )
            if r[9] is not None:
                record = _from_envelope(record)
            out.append(record)
        return out

    def repair(self, opened: Sequence[Opened]) -> int:
        """Replace broken records that now open (or are broken another way). Returns
        how many opened."""
        repaired = 0
        with translate_errors(Msg("save the repaired records")), self.db.atomic():
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
        received = safe_iso(r.received_at)
        keep_sealed = r.sealed if item.code == NO_KEY else None
        part = None
        if item.code == NO_KEY and r.segment is not None:
            keep_sealed, part = _envelope(r.segment, r.part), r.part
        cur = self.db.conn.execute(
            "INSERT OR IGNORE INTO review_records (seq, device_id, kind, entity_id, op_id,"
            " key_id, dictionary, received_at, broken, broken_code, sealed, segment_part)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                part,
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
                (r.device_id, str(payload["id"]), note_id, r.seq, iso(payload["created_at"])),
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
                        item_key(r.device_id, r.entity_id),
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
        elif r.kind in RECORD_KINDS:
            self._put_payload(r.seq, payload)
            self.db.conn.execute(
                "INSERT INTO review_person_records (device_id, record_id, participant_id, kind,"
                " seq) VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id, record_id) DO UPDATE SET"
                " seq = excluded.seq, participant_id = excluded.participant_id"
                " WHERE excluded.seq > seq",
                (r.device_id, r.entity_id, str(payload["participant_id"]), r.kind, r.seq),
            )
        elif r.kind in WORKFORCE_KINDS:
            self._put_payload(r.seq, payload)
            self.db.conn.execute(
                "INSERT INTO review_workforce_records (device_id, record_id, kind, seq)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (device_id, record_id) DO UPDATE SET"
                " seq = excluded.seq WHERE excluded.seq > seq",
                (r.device_id, r.entity_id, r.kind, r.seq),
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
        start = iso(payload["start_at"])
        signed = iso(payload["signed_at"]) if payload.get("signed_at") else None
        state, state_at, state_seq = self._latest_event(r.device_id, r.entity_id) or (
            "received",
            received,
            0,
        )
        summary = self.seal(
            item_key(r.device_id, r.entity_id), "summary", note_summary(payload), "review_items"
        )
        self.db.conn.execute(
            "INSERT INTO review_items (device_id, note_id, kind, participant_id, sort_at,"
            " contact_start, signed_at, state, state_at, received_at, note_seq, last_seq,"
            " state_seq, summary, crisis) VALUES (?, ?, 'note', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (device_id, note_id) DO UPDATE SET kind = 'note',"
            " crisis = max(crisis, excluded.crisis),"
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
                1 if payload.get("crisis") is True else 0,
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
                self.seal(item_key(r.device_id, r.entity_id), "summary", None, "review_items"),
            ),
        )

    # -- events and decisions ------------------------------------------------------------------

    def store_events(self, events: Sequence[AgencyEvent], cursor: int) -> int:
        """Apply review events (idempotent by seq) and move the event cursor."""
        new = 0
        with translate_errors(Msg("save the review history")), self.db.atomic():
            for e in events:
                if e.state not in REVIEW_STATES:
                    log.warning("review event %d has an unknown state; skipped", e.seq)
                    continue
                if self._put_event(e.seq, e.device_id, e.note_id, e.state, safe_iso(e.at), e.actor):
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
        with translate_errors(Msg("save the decision")), self.db.atomic():
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


def _envelope(seg: PulledSegment, part: int) -> bytes:
    segment = Segment(seg.kind, seg.key_id, seg.dictionary, seg.ids, seg.sealed)
    return pack_envelope(segment, seg.seq, part)


def _from_envelope(record: PulledRecord) -> PulledRecord:
    """A record kept with its segment (for want of the key), as pulled; one whose
    envelope does not read keeps an empty seal, and so stays broken."""
    try:
        segment, seq, part = unpack_envelope(record.sealed)
    except ProtocolError:
        return replace(record, sealed=b"")
    seg = PulledSegment(
        seq, record.device_id, segment.kind, segment.key_id, segment.dictionary,
        segment.ids, segment.sealed,
    )  # fmt: skip
    return replace(record, sealed=b"", segment=seg, part=part)
