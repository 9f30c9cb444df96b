"""The stored records (``records``), read side: what supervisors and IT's reviewer
page through, and the recovery escrow records (used once each). Ingest is
:mod:`peerdesk.agency.storage.ingest`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from peerdesk.agency.models import DECIDABLE, AuditEntry, StoredRecord, StoredSegment
from peerdesk.agency.storage.audit import append_audit
from peerdesk.agency.storage.db import Database
from peerdesk.agency.tables import devices, note_reviews, records, segments
from peerdesk.errors import NotFound
from peerdesk.ids import to_iso
from peerdesk.wire.segments import Segment

_RECORD_META = (
    records.c.seq,
    records.c.device_id,
    records.c.op_id,
    records.c.kind,
    records.c.entity_id,
    records.c.key_id,
    records.c.dictionary,
    records.c.size,
    records.c.batch_id,
    records.c.received_at,
    records.c.used_at,
    records.c.segment,
    records.c.part,
)


def _record(row: Any, *, sealed: bool) -> StoredRecord:
    return StoredRecord(
        seq=row.seq,
        device_id=row.device_id,
        op_id=row.op_id,
        kind=row.kind,
        entity_id=row.entity_id,
        key_id=row.key_id,
        dictionary=row.dictionary,
        size=row.size,
        batch_id=row.batch_id,
        received_at=row.received_at,
        used_at=row.used_at,
        sealed=bytes(row.sealed) if sealed else b"",
        segment=row.segment,
        part=row.part,
    )


class Records:
    """``storage.records``: stored records in server order, and the escrows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def find(
        self,
        *,
        kinds: Iterable[str] | None = None,
        device_id: str | None = None,
        pending_only: bool = False,
        after_seq: int = 0,
        limit: int = 100,
        with_sealed: bool = False,
    ) -> list[StoredRecord]:
        """Records in server order (routing metadata; ciphertext if asked).
        ``pending_only`` leaves out the notes that wait for no decision (approved,
        or returned and not resubmitted); other kinds are never decided on."""
        cols = (*_RECORD_META, records.c.sealed) if with_sealed else _RECORD_META
        query = select(*cols).where(records.c.seq > after_seq)
        if kinds is not None:
            query = query.where(records.c.kind.in_(list(kinds)))
        if device_id is not None:
            query = query.where(records.c.device_id == device_id)
        if pending_only:
            query = query.outerjoin(
                note_reviews,
                and_(
                    records.c.kind == "note",
                    note_reviews.c.device_id == records.c.device_id,
                    note_reviews.c.note_id == records.c.entity_id,
                ),
            ).where(or_(note_reviews.c.state.is_(None), note_reviews.c.state.in_(DECIDABLE)))
        query = query.order_by(records.c.seq).limit(limit)
        return [_record(r, sealed=with_sealed) for r in self._db.rows(query)]

    def get(self, seq: int) -> StoredRecord:
        row = self._db.first(select(*_RECORD_META, records.c.sealed).where(records.c.seq == seq))
        if row is None:
            raise NotFound("record", str(seq))
        return _record(row, sealed=True)

    def count(self, device_id: str | None = None) -> int:
        query = select(func.count()).select_from(records)
        if device_id is not None:
            query = query.where(records.c.device_id == device_id)
        return int(self._db.scalar(query))

    def of_team(
        self, team: str, kinds: Iterable[str], *, after_seq: int = 0, limit: int = 1000
    ) -> tuple[list[StoredRecord], bool]:
        """The records of ``kinds`` from the devices of ``team`` after ``after_seq``,
        in server order, with ciphertext; and whether more wait."""
        kind: ColumnElement[Any] = records.c.kind
        device: ColumnElement[Any] = records.c.device_id
        if not self._db.postgres:
            # ``x || ''`` keeps SQLite off the kind and device indexes: with them it reads
            # and sorts every later record of the team for each page, where a walk in
            # seq order (the primary key) stops after ``limit`` rows; a whole pull then
            # reads each record after the cursor once
            kind, device = kind + "", device + ""
        query = (
            select(*_RECORD_META, records.c.sealed)
            .where(
                records.c.seq > after_seq,
                kind.in_(list(kinds)),
                device.in_(select(devices.c.device_id).where(devices.c.team == team)),
            )
            .order_by(records.c.seq)
        )
        rows, more = self._db.page(query, limit)
        return [_record(r, sealed=True) for r in rows], more

    def segments(self, seqs: Iterable[int]) -> dict[int, StoredSegment]:
        """The sealed segments ``seqs`` (the ones that exist), by seq."""
        wanted = sorted(set(seqs))
        if not wanted:
            return {}
        query = select(
            segments.c.seq,
            segments.c.device_id,
            segments.c.kind,
            segments.c.key_id,
            segments.c.dictionary,
            segments.c.ids,
            segments.c.sealed,
        ).where(segments.c.seq.in_(wanted))
        return {
            int(r.seq): StoredSegment(
                int(r.seq),
                r.device_id,
                Segment(r.kind, r.key_id, r.dictionary, bytes(r.ids), bytes(r.sealed)),
            )
            for r in self._db.rows(query)
        }

    def segment_count(self) -> int:
        return int(self._db.scalar(select(func.count()).select_from(segments)))

    # --- escrow (recovery) ------------------------------------------------------------

    def newest_unused_escrow(self, device_id: str) -> StoredRecord | None:
        query = (
            select(*_RECORD_META, records.c.sealed)
            .where(
                records.c.device_id == device_id,
                records.c.kind == "escrow",
                records.c.used_at.is_(None),
            )
            .order_by(records.c.seq.desc())
            .limit(1)
        )
        row = self._db.first(query)
        return _record(row, sealed=True) if row is not None else None

    def last_used_escrow_at(self, device_id: str) -> str | None:
        query = select(func.max(records.c.used_at)).where(
            records.c.device_id == device_id, records.c.kind == "escrow"
        )
        value = self._db.scalar(query)
        return str(value) if value is not None else None

    def mark_escrow_used(self, seq: int, now: datetime, audit: AuditEntry | None = None) -> bool:
        """Mark an escrow record used; False if it was already used (only once)."""
        with self._db.write() as conn:
            done = conn.execute(
                update(records)
                .where(
                    records.c.seq == seq, records.c.kind == "escrow", records.c.used_at.is_(None)
                )
                .values(used_at=to_iso(now))
            )
            if done.rowcount == 1:
                append_audit(conn, audit, to_iso(now))
            return done.rowcount == 1
