"""Sync ingest: idempotent batches (``batches``) and the records they bring
(``records``), stored in one transaction each.

* Races between workers on PostgreSQL are settled by the unique keys, never by
  reading first: ``INSERT ... ON CONFLICT DO NOTHING`` (both dialects) for
  records (device, op id) and batches (device, batch id), and a conditional
  ``UPDATE ... WHERE`` to take over an abandoned claim.
* Ingest of a batch is one transaction: one bulk ``INSERT ... ON CONFLICT DO
  NOTHING RETURNING`` (the unique key does the dedup), one dedup query for the op
  ids that were not inserted (only when there are any: resends, races, refused
  records), the inbound page and the stored response - all or nothing. The bulk
  insert is a multi-row VALUES on SQLite and a binary COPY into a session staging
  table on PostgreSQL, because a statement with thousands of parameters costs more
  to build and parse than the rows cost to store.
* The review state of the notes in a batch is kept in the same transaction
  (:func:`peerdesk.agency.storage.reviews.track_reviews`).
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, insert, select, text, update

from peerdesk.agency.errors import BatchInFlight, IdempotencyMismatch
from peerdesk.agency.models import NOTE_KINDS, BatchClaim
from peerdesk.agency.storage.db import Database
from peerdesk.agency.storage.outbound import inbound_page
from peerdesk.agency.storage.reviews import track_reviews
from peerdesk.agency.tables import batches, devices, records, segments
from peerdesk.ids import from_iso, to_iso
from peerdesk.wire.protocol import (
    MAX_INBOUND_PER_RESPONSE,
    Ack,
    Inbound,
    Record,
    Reject,
    SyncResponse,
)
from peerdesk.wire.segments import Segment

log = logging.getLogger("peerdesk.agency.storage")

IN_FLIGHT, DONE = "in_flight", "done"
#: an in-flight batch older than this is taken to be abandoned (a crashed worker)
STALE_IN_FLIGHT = timedelta(seconds=60)

#: the columns an ingest writes, in the order of the bulk insert
_RECORD_COLUMNS = (
    "device_id", "op_id", "kind", "entity_id", "key_id", "dictionary",
    "sealed", "size", "batch_id", "received_at", "segment", "part",
)  # fmt: skip


class _Row(NamedTuple):
    """One record of a batch as ingest stores it: a lone record's own ciphertext,
    or a segment member (``seg`` its index in the batch, ``sealed`` empty)."""

    op_id: str
    kind: str
    entity_id: str
    key_id: str
    dictionary: str
    sealed: bytes
    size: int
    seg: int = -1
    part: int | None = None


def _rows(records_in: Sequence[Record], segments_in: Sequence[Segment]) -> list[_Row]:
    """The batch's records in batch order: the segments' members, then the lone ones."""
    rows: list[_Row] = []
    for i, seg in enumerate(segments_in):
        share = len(seg.sealed) // max(1, seg.count)
        for part, (op, ent) in enumerate(seg.members()):
            rows.append(_Row(op, seg.kind, ent, seg.key_id, seg.dictionary, b"", share, i, part))
    for r in records_in:
        rows.append(
            _Row(r.op_id, r.kind, r.entity_id, r.key_id, r.dictionary, r.sealed, len(r.sealed))
        )
    return rows


#: the session's staging table for the bulk COPY of a batch (PostgreSQL): emptied at
#: every commit and kept out of the WAL. Made on first use in each session (not at
#: connect), so a transaction-pooling proxy such as PgBouncer does not break it.
_PG_STAGING = (
    "CREATE TEMP TABLE IF NOT EXISTS records_in2 (ord integer, op_id text, kind text, "
    "entity_id text, key_id text, dictionary text, sealed bytea, size integer, "
    "segment bigint, part integer) ON COMMIT DELETE ROWS"
)


class SyncIngest:
    """``storage.sync``: claims of batches and their ingest."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def claim_batch(
        self,
        device_id: str,
        batch_id: str,
        body_hash: bytes,
        now: datetime,
        stale_after: timedelta = STALE_IN_FLIGHT,
    ) -> BatchClaim:
        """Start processing ``(device_id, batch_id)`` or learn that it was done.

        Raises :class:`IdempotencyMismatch` for the same key with another body and
        :class:`BatchInFlight` while another request holds a fresh claim. A claim
        older than ``stale_after`` is taken over (its worker is presumed dead)."""
        token = secrets.token_hex(16)
        at = to_iso(now)
        key = (batches.c.device_id == device_id, batches.c.batch_id == batch_id)
        with self._db.write() as conn:
            inserted = conn.execute(
                self._db.insert_ignore(batches).values(
                    device_id=device_id,
                    batch_id=batch_id,
                    body_hash=body_hash,
                    state=IN_FLIGHT,
                    claim=token,
                    started_at=at,
                )
            )
            if inserted.rowcount == 1:
                return BatchClaim(token)
            row = conn.execute(
                select(
                    batches.c.body_hash, batches.c.state, batches.c.claim, batches.c.started_at
                ).where(*key)
            ).one()
            if bytes(row.body_hash) != body_hash:
                raise IdempotencyMismatch(batch_id)
            if row.state == DONE:
                response = conn.execute(select(batches.c.response).where(*key)).scalar_one()
                return BatchClaim(None, bytes(response))
            if from_iso(row.started_at) > now - stale_after:
                raise BatchInFlight(batch_id)
            taken = conn.execute(
                update(batches)
                .where(*key, batches.c.state == IN_FLIGHT, batches.c.claim == row.claim)
                .values(claim=token, started_at=at)
            )
            if taken.rowcount != 1:
                raise BatchInFlight(batch_id)
            log.warning(
                "batch %s of device %s was abandoned; processing again", batch_id, device_id
            )
            return BatchClaim(token)

    def release_batch(self, device_id: str, batch_id: str, token: str) -> None:
        """Forget an in-flight claim after a failure, so a retry need not wait."""
        with self._db.write() as conn:
            conn.execute(
                delete(batches).where(
                    batches.c.device_id == device_id,
                    batches.c.batch_id == batch_id,
                    batches.c.claim == token,
                    batches.c.state == IN_FLIGHT,
                )
            )

    def _stored_seqs(
        self, conn: Connection, device_id: str, op_ids: Sequence[str]
    ) -> dict[str, int]:
        """The dedup query: which of ``op_ids`` this device already sent, and their seq."""
        if not op_ids:
            return {}
        if self._db.postgres:  # one array parameter, not thousands
            query: Any = text(
                "SELECT op_id, seq FROM records WHERE device_id = :device_id "
                "AND op_id = ANY(CAST(:op_ids AS text[]))"
            ).bindparams(device_id=device_id, op_ids=list(op_ids))
        else:
            query = select(records.c.op_id, records.c.seq).where(
                records.c.device_id == device_id, records.c.op_id.in_(op_ids)
            )
        return {op: int(seq) for op, seq in conn.execute(query)}

    def _insert_segments(
        self, conn: Connection, device_id: str, batch_id: str, segs: Sequence[Segment], at: str
    ) -> list[int]:
        """Store the segments; their seqs in order."""
        out = []
        for seg in segs:
            seq = conn.execute(
                insert(segments)
                .values(
                    device_id=device_id,
                    kind=seg.kind,
                    key_id=seg.key_id,
                    dictionary=seg.dictionary,
                    ids=seg.ids,
                    sealed=seg.sealed,
                    size=len(seg.sealed),
                    batch_id=batch_id,
                    received_at=at,
                )
                .returning(segments.c.seq)
            ).scalar_one()
            out.append(int(seq))
        return out

    def _insert_records(
        self,
        conn: Connection,
        device_id: str,
        batch_id: str,
        recs: Sequence[_Row],
        at: str,
        seg_seqs: dict[int, int],
    ) -> dict[str, int]:
        """Insert ``recs`` in order, skipping op ids this device already stored (also
        by a concurrent worker); returns the seq of each row inserted."""
        if not recs:
            return {}
        if self._db.postgres:
            return self._insert_records_pg(conn, device_id, batch_id, recs, at, seg_seqs)
        # SQLite: multi-row VALUES ... RETURNING at the driver level, in chunks within
        # SQLite's bound-variable limit (a third less CPU than insertmanyvalues here)
        driver = conn.connection.driver_connection
        assert driver is not None
        limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        chunk = max(1, min(500, limit // len(_RECORD_COLUMNS)))
        one = "(" + ", ".join("?" * len(_RECORD_COLUMNS)) + ")"
        got: dict[str, int] = {}
        # the driver's cursor on the transaction's connection: its rows as plain
        # tuples (SQLAlchemy's result rows cost more than the insert here)
        cur = driver.cursor()
        try:
            for start in range(0, len(recs), chunk):
                part = recs[start : start + chunk]
                params: list[Any] = []
                for r in part:
                    params += (device_id, r.op_id, r.kind, r.entity_id, r.key_id, r.dictionary,
                               r.sealed, r.size, batch_id, at, seg_seqs.get(r.seg), r.part)  # fmt: skip
                sql = (
                    f"INSERT INTO records ({', '.join(_RECORD_COLUMNS)}) VALUES "
                    f"{', '.join([one] * len(part))} ON CONFLICT DO NOTHING RETURNING op_id, seq"
                )
                cur.execute(sql, params)
                got.update(cur.fetchall())
        finally:
            cur.close()
        return got

    def _insert_records_pg(
        self,
        conn: Connection,
        device_id: str,
        batch_id: str,
        recs: Sequence[_Row],
        at: str,
        seg_seqs: dict[int, int],
    ) -> dict[str, int]:
        # Binary COPY into the connection's staging table, then one INSERT ... SELECT:
        # a statement with thousands of parameters costs more to build and parse than
        # the rows cost to store.
        conn.exec_driver_sql(_PG_STAGING)
        driver = conn.connection.driver_connection
        assert driver is not None
        with (
            driver.cursor() as cur,
            cur.copy(
                "COPY records_in2 (ord, op_id, kind, entity_id, key_id, dictionary, sealed, "
                "size, segment, part) FROM STDIN (FORMAT BINARY)"
            ) as copy,
        ):
            copy.set_types(
                ["int4", "text", "text", "text", "text", "text", "bytea", "int4", "int8", "int4"]
            )
            for i, r in enumerate(recs):
                copy.write_row(
                    (i, r.op_id, r.kind, r.entity_id, r.key_id, r.dictionary, r.sealed, r.size,
                     seg_seqs.get(r.seg), r.part)
                )  # fmt: skip
        inserted = conn.execute(
            text(
                "INSERT INTO records (device_id, op_id, kind, entity_id, key_id, dictionary, "
                "sealed, size, batch_id, received_at, segment, part) "
                "SELECT :device_id, op_id, kind, entity_id, key_id, dictionary, sealed, "
                "size, :batch_id, :received_at, segment, part FROM records_in2 ORDER BY ord "
                "ON CONFLICT DO NOTHING RETURNING op_id, seq"
            ),
            {"device_id": device_id, "batch_id": batch_id, "received_at": at},
        )
        return {op: int(seq) for op, seq in inserted}  # records_in2 empties at commit

    def ingest(
        self,
        *,
        device_id: str,
        batch_id: str,
        token: str,
        records_in: Sequence[Record],
        cursor: int,
        now: datetime,
        check: Callable[[Record], Reject | None],
        inbound_limit: int = MAX_INBOUND_PER_RESPONSE,
        segments_in: Sequence[Segment] = (),
        check_segment: Callable[[Segment], tuple[str, str] | None] | None = None,
    ) -> bytes:
        """Store a claimed batch and return the encoded response, in one transaction.

        Per record, in batch order: a repeated op id in the batch is rejected
        ``duplicate_in_batch``; an op id this device already sent is acknowledged
        with its stored seq (even if ``check`` would refuse it now, e.g. its key
        expired since); otherwise ``check`` may reject it; the rest are inserted and
        acknowledged with their new seq. The response also carries the
        inbound page after ``cursor`` and is stored for replays. The note, addendum
        and resubmit records inserted move their notes' review state and history
        (:func:`~peerdesk.agency.review_state.review_changes`) in the same
        transaction.

        Records of a segment (``segments_in``: checked as one by ``check_segment``,
        which returns a reject code and reason for all of its records) come first,
        in segment order, then ``records_in``. A segment is stored once; its records
        get rows of their own that point at it, and a segment none of whose
        records is new (a resend) is not kept."""
        at = to_iso(now)
        seg_problem = [check_segment(s) if check_segment else None for s in segments_in]
        rows = _rows(records_in, segments_in)
        with self._db.write() as conn:
            order: list[str] = []  # first occurrences, batch order
            candidates: list[_Row] = []
            failed: dict[str, Reject] = {}
            seen: set[str] = set()
            lone_iter = iter(records_in)
            for row in rows:
                rec = next(lone_iter) if row.seg < 0 else None
                if row.op_id in seen:
                    continue
                seen.add(row.op_id)
                order.append(row.op_id)
                if rec is not None:
                    problem = check(rec)
                else:
                    bad = seg_problem[row.seg]
                    problem = Reject(row.op_id, *bad) if bad else None
                if problem is None:
                    candidates.append(row)
                else:
                    failed[row.op_id] = problem
            used = sorted({r.seg for r in candidates if r.seg >= 0})
            seqs = self._insert_segments(
                conn, device_id, batch_id, [segments_in[i] for i in used], at
            )
            seg_seqs = dict(zip(used, seqs, strict=True))
            # Insert first: the unique key (device, op id) skips what is already stored,
            # so the dedup query below runs only for op ids that were not inserted (a
            # resend, a concurrent worker, or a record the check refused).
            stored = self._insert_records(conn, device_id, batch_id, candidates, at, seg_seqs)
            kept = {r.seg for r in candidates if r.seg >= 0 and r.op_id in stored}
            unused = [seg_seqs[i] for i in used if i not in kept]
            if unused:
                conn.execute(delete(segments).where(segments.c.seq.in_(unused)))
            noted = [
                (stored[r.op_id], r.kind, r.entity_id)
                for r in candidates
                if r.kind in NOTE_KINDS and r.op_id in stored
            ]
            missing = [op for op in order if op not in stored]
            if missing:
                stored.update(self._stored_seqs(conn, device_id, missing))
            rejects: list[Reject] = []
            first: set[str] = set()
            for row in rows:
                op = row.op_id
                if op in first:
                    rejects.append(
                        Reject(op, "duplicate_in_batch", "the same op id came twice in this batch")
                    )
                    continue
                first.add(op)
                if op not in stored:
                    rejects.append(failed[op])
            order = [op for op in order if op in stored]
            acks = tuple(Ack(op, stored[op]) for op in order)
            items, more = inbound_page(conn, device_id, cursor, inbound_limit)
            response = SyncResponse(
                batch_id=batch_id,
                acks=acks,
                rejects=tuple(rejects),
                inbound=tuple(Inbound(i.seq, i.kind, i.ref, i.payload) for i in items),
                cursor=items[-1].seq if items else cursor,
                more=more,
            ).encode()
            done = conn.execute(
                update(batches)
                .where(
                    batches.c.device_id == device_id,
                    batches.c.batch_id == batch_id,
                    batches.c.claim == token,
                    batches.c.state == IN_FLIGHT,
                )
                .values(state=DONE, response=response, finished_at=at)
            )
            if done.rowcount != 1:  # our claim was taken over: let the other worker finish
                raise BatchInFlight(batch_id)
            # this locks the device row: the review state below is kept by one batch of
            # this device at a time (each statement then sees the previous one committed)
            conn.execute(
                update(devices).where(devices.c.device_id == device_id).values(last_seen_at=at)
            )
            if noted:
                track_reviews(conn, self._db, device_id, noted, at)
        return response
