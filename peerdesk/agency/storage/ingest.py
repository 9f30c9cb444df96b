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
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, delete, insert, select, text, update

from peerdesk.agency.errors import BatchInFlight, IdempotencyMismatch
from peerdesk.agency.models import NOTE_KINDS, BatchClaim
from peerdesk.agency.storage.db import Database, sqlite_insert_values
from peerdesk.agency.storage.outbound import inbound_page
from peerdesk.agency.storage.reviews import track_reviews
from peerdesk.agency.tables import batches, devices, records, segments
from peerdesk.ids import from_iso, to_iso
from peerdesk.wire.protocol import (
    MAX_INBOUND_PER_RESPONSE,
    Inbound,
    Record,
    Reject,
    encode_response,
    id_to_wire,
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
#: SQLite: a segment's records, in chunks of multi-row VALUES (see
#: :func:`~peerdesk.agency.storage.db.sqlite_insert_values`): the segment's fields
#: bound once (``?1``-``?8``), per record only its op id, entity id and part (a
#: quarter of the parameters of a row of twelve per record, and of their binding)
_SQLITE_MEMBERS = (
    "INSERT INTO records (device_id, kind, key_id, dictionary, size, batch_id, received_at, "
    "segment, sealed, op_id, entity_id, part) VALUES {rows} "
    "ON CONFLICT DO NOTHING RETURNING op_id, seq",
    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, x'', ?, ?, ?)",
)


class _Row(NamedTuple):
    """A record sent on its own, as ingest stores it."""

    op_id: str
    kind: str
    entity_id: str
    key_id: str
    dictionary: str
    sealed: bytes
    size: int


class _Members(NamedTuple):
    """Records of one segment that ingest inserts: the segment's fields once, then
    per record its op id, entity id and place (``part``) in the segment."""

    kind: str
    key_id: str
    dictionary: str
    size: int  # each record's share of the sealed segment
    segment: int  # the segment's seq
    ops: Sequence[str]
    entities: Sequence[str]
    parts: Sequence[int]


class _Batch:
    """The records of a batch in batch order (the segments' members, then the lone
    records), as columns: op id, entity id, the op id's 16 bytes (for the
    acknowledgement) and where each comes from (``spans``: per segment its first
    and past-the-end position; the lone records follow the last span)."""

    def __init__(self, records_in: Sequence[Record], segments_in: Sequence[Segment]) -> None:
        self.ops: list[str] = []
        self.entities: list[str] = []
        self.raw: list[bytes] = []
        self.spans: list[tuple[int, int]] = []
        for seg in segments_in:
            ops, entities = seg.id_columns()
            start = len(self.ops)
            self.ops += ops
            self.entities += entities
            self.raw += seg.op_ids_raw()
            self.spans.append((start, len(self.ops)))
        self.lone_start = len(self.ops)
        for r in records_in:
            self.ops.append(r.op_id)
            self.entities.append(r.entity_id)
            self.raw.append(id_to_wire(r.op_id))


#: the session's staging table for the bulk COPY of a batch (PostgreSQL): emptied at
#: every commit and kept out of the WAL. Made on first use in each session (not at
#: connect), so a transaction-pooling proxy such as PgBouncer does not break it.
_PG_STAGING = (
    "CREATE TEMP TABLE IF NOT EXISTS records_in2 (ord integer, op_id text, kind text, "
    "entity_id text, key_id text, dictionary text, sealed bytea, size integer, "
    "segment bigint, part integer) ON COMMIT DELETE ROWS"
)


#: the statements of every batch, built once (building a statement costs more than
#: running it); the batch is finished only under its own claim
_INSERT_SEGMENT = (
    insert(segments)
    .values(
        device_id=bindparam("device"),
        kind=bindparam("kind"),
        key_id=bindparam("key"),
        dictionary=bindparam("dictionary"),
        ids=bindparam("ids"),
        sealed=bindparam("sealed"),
        size=bindparam("size"),
        batch_id=bindparam("batch"),
        received_at=bindparam("at"),
    )
    .returning(segments.c.seq)
)
_FINISH_BATCH = (
    update(batches)
    .where(
        batches.c.device_id == bindparam("device"),
        batches.c.batch_id == bindparam("batch"),
        batches.c.claim == bindparam("token"),
        batches.c.state == IN_FLIGHT,
    )
    .values(state=DONE, response=bindparam("response"), finished_at=bindparam("at"))
)
_DEVICE_SEEN = (
    update(devices)
    .where(devices.c.device_id == bindparam("device"))
    .values(last_seen_at=bindparam("at"))
)


class SyncIngest:
    """``storage.sync``: claims of batches and their ingest."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # the claim of every batch, built once (building a statement costs more than
        # running it; the INSERT ... ON CONFLICT is the dialect's own)
        self._claim = db.insert_ignore(batches).values(
            device_id=bindparam("device"),
            batch_id=bindparam("batch"),
            body_hash=bindparam("hash"),
            state=IN_FLIGHT,
            claim=bindparam("token"),
            started_at=bindparam("at"),
        )

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
        with self._db.write() as conn:
            inserted = conn.execute(
                self._claim,
                {"device": device_id, "batch": batch_id, "hash": body_hash, "token": token,
                 "at": at},
            )  # fmt: skip
            if inserted.rowcount == 1:
                return BatchClaim(token)
            key = (batches.c.device_id == device_id, batches.c.batch_id == batch_id)
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
                _INSERT_SEGMENT,
                {"device": device_id, "kind": seg.kind, "key": seg.key_id,
                 "dictionary": seg.dictionary, "ids": seg.ids, "sealed": seg.sealed,
                 "size": len(seg.sealed), "batch": batch_id, "at": at},
            ).scalar_one()  # fmt: skip
            out.append(int(seq))
        return out

    def _insert_records(
        self,
        conn: Connection,
        device_id: str,
        batch_id: str,
        at: str,
        groups: Sequence[_Members],
        lone: Sequence[_Row],
    ) -> dict[str, int]:
        """Insert the segments' records (``groups``), then ``lone``, in that order,
        skipping op ids this device already stored (also by a concurrent worker);
        returns the seq of each row inserted."""
        if not groups and not lone:
            return {}
        if self._db.postgres:
            return self._insert_records_pg(conn, device_id, batch_id, at, groups, lone)
        # SQLite: multi-row VALUES ... RETURNING at the driver level, in chunks within
        # SQLite's bound-variable limit (a third less CPU than insertmanyvalues here)
        got: dict[str, int] = {}
        for g in groups:
            head = [device_id, g.kind, g.key_id, g.dictionary, g.size, batch_id, at, g.segment]
            cells = list(chain.from_iterable(zip(g.ops, g.entities, g.parts, strict=True)))
            got.update(sqlite_insert_values(conn, *_SQLITE_MEMBERS, head, cells))
        if not lone:
            return got
        driver = conn.connection.driver_connection
        assert driver is not None
        limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        # the driver's cursor on the transaction's connection: its rows as plain
        # tuples (SQLAlchemy's result rows cost more than the insert here)
        cur = driver.cursor()
        try:
            chunk = max(1, min(500, limit // len(_RECORD_COLUMNS)))
            one = "(" + ", ".join("?" * len(_RECORD_COLUMNS)) + ")"
            for start in range(0, len(lone), chunk):
                part = lone[start : start + chunk]
                values: list[Any] = []
                for r in part:
                    values += (device_id, r.op_id, r.kind, r.entity_id, r.key_id, r.dictionary,
                               r.sealed, r.size, batch_id, at, None, None)  # fmt: skip
                sql = (
                    f"INSERT INTO records ({', '.join(_RECORD_COLUMNS)}) VALUES "
                    f"{', '.join([one] * len(part))} ON CONFLICT DO NOTHING RETURNING op_id, seq"
                )
                cur.execute(sql, values)
                got.update(cur.fetchall())
        finally:
            cur.close()
        return got

    def _insert_records_pg(
        self,
        conn: Connection,
        device_id: str,
        batch_id: str,
        at: str,
        groups: Sequence[_Members],
        lone: Sequence[_Row],
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
            i = 0
            for g in groups:
                for op, ent, part in zip(g.ops, g.entities, g.parts, strict=True):
                    copy.write_row(
                        (i, op, g.kind, ent, g.key_id, g.dictionary, b"", g.size, g.segment, part)
                    )
                    i += 1
            for r in lone:
                copy.write_row(
                    (i, r.op_id, r.kind, r.entity_id, r.key_id, r.dictionary, r.sealed, r.size,
                     None, None)
                )  # fmt: skip
                i += 1
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
        records is new (a resend) is not kept.

        The work per record is kept to a few list operations (issue 17: a core
        takes 50,000 records a second): the batch is held as columns
        (:class:`_Batch`), and a batch without a repeated op id, the usual case,
        skips the bookkeeping that repeats need."""
        at = to_iso(now)
        seg_problem = [check_segment(s) if check_segment else None for s in segments_in]
        cols = _Batch(records_in, segments_in)
        ops = cols.ops
        # first[p]: the op id at p is its first occurrence in the batch (None: all are)
        first: list[bool] | None = None
        if len(set(ops)) != len(ops):
            seen: set[str] = set()
            first = []
            for op in ops:
                first.append(op not in seen)
                seen.add(op)
        failed: dict[str, Reject] = {}
        taken: list[tuple[int, Sequence[int]]] = []  # (segment, positions to insert)
        for i, (lo, hi) in enumerate(cols.spans):
            positions: Sequence[int] = (
                range(lo, hi) if first is None else [p for p in range(lo, hi) if first[p]]
            )
            bad = seg_problem[i]
            if bad:
                for p in positions:
                    failed[ops[p]] = Reject(ops[p], *bad)
            elif positions:
                taken.append((i, positions))
        lone: list[_Row] = []
        for p, rec in enumerate(records_in, cols.lone_start):
            if first is not None and not first[p]:
                continue
            problem = check(rec)
            if problem is None:
                lone.append(_Row(rec.op_id, rec.kind, rec.entity_id, rec.key_id,
                                 rec.dictionary, rec.sealed, len(rec.sealed)))  # fmt: skip
            else:
                failed[rec.op_id] = problem
        with self._db.write() as conn:
            seqs = self._insert_segments(
                conn, device_id, batch_id, [segments_in[i] for i, _ in taken], at
            )
            groups = [
                _members(segments_in[i], seq, cols, cols.spans[i][0], positions)
                for (i, positions), seq in zip(taken, seqs, strict=True)
            ]
            # Insert first: the unique key (device, op id) skips what is already stored,
            # so the dedup query below runs only for op ids that were not inserted (a
            # resend, a concurrent worker, or a record the check refused).
            stored = self._insert_records(conn, device_id, batch_id, at, groups, lone)
            unused = [g.segment for g in groups if not any(op in stored for op in g.ops)]
            if unused:
                conn.execute(delete(segments).where(segments.c.seq.in_(unused)))
            noted: list[tuple[int, str, str]] = []  # in batch order, so in seq order
            for g in groups:
                if g.kind in NOTE_KINDS:
                    kind = g.kind
                    noted += [
                        (stored[op], kind, ent)
                        for op, ent in zip(g.ops, g.entities, strict=True)
                        if op in stored
                    ]
            noted += [
                (stored[r.op_id], r.kind, r.entity_id)
                for r in lone
                if r.kind in NOTE_KINDS and r.op_id in stored
            ]
            firsts = len(ops) if first is None else sum(first)
            if len(stored) < firsts:  # some were not inserted: known already, or refused
                missing = [
                    op
                    for p, op in enumerate(ops)
                    if (first is None or first[p]) and op not in stored
                ]
                stored.update(self._stored_seqs(conn, device_id, missing))
            rejects: list[Reject] = []
            if first is not None or len(stored) < len(ops):
                for p, op in enumerate(ops):
                    if first is not None and not first[p]:
                        rejects.append(
                            Reject(
                                op, "duplicate_in_batch", "the same op id came twice in this batch"
                            )
                        )
                    elif op not in stored:
                        rejects.append(failed[op])
            acks = [
                (raw, stored[op])
                for p, (op, raw) in enumerate(zip(ops, cols.raw, strict=True))
                if (first is None or first[p]) and op in stored
            ]
            items, more = inbound_page(conn, device_id, cursor, inbound_limit)
            response = encode_response(
                batch_id,
                acks,
                rejects,
                [Inbound(i.seq, i.kind, i.ref, i.payload) for i in items],
                items[-1].seq if items else cursor,
                more,
            )
            done = conn.execute(
                _FINISH_BATCH,
                {"device": device_id, "batch": batch_id, "token": token,
                 "response": response, "at": at},
            )  # fmt: skip
            if done.rowcount != 1:  # our claim was taken over: let the other worker finish
                raise BatchInFlight(batch_id)
            # this locks the device row: the review state below is kept by one batch of
            # this device at a time (each statement then sees the previous one committed)
            conn.execute(_DEVICE_SEEN, {"device": device_id, "at": at})
            if noted:
                track_reviews(conn, self._db, device_id, noted, at)
        return response


def _members(
    seg: Segment, seq: int, cols: _Batch, start: int, positions: Sequence[int]
) -> _Members:
    """The records of ``seg`` (stored as ``seq``; its first record at ``start`` in
    the batch) at ``positions`` of the batch."""
    share = len(seg.sealed) // max(1, seg.count)
    if isinstance(positions, range):  # the whole segment: slices, no per-record work
        lo, hi = positions.start, positions.stop
        return _Members(seg.kind, seg.key_id, seg.dictionary, share, seq,
                        cols.ops[lo:hi], cols.entities[lo:hi], range(lo - start, hi - start))  # fmt: skip
    return _Members(seg.kind, seg.key_id, seg.dictionary, share, seq,
                    [cols.ops[p] for p in positions], [cols.entities[p] for p in positions],
                    [p - start for p in positions])  # fmt: skip
