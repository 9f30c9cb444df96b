"""The review state of notes (``note_reviews``), its history (``review_events``)
and supervisors' decisions.

* Ingest keeps the review state of the notes in a batch in the batch's own
  transaction (:func:`track_reviews`), after the device row is locked (so two
  batches of one device take their turns there): one query reads the touched
  notes (``FOR UPDATE`` on PostgreSQL), :func:`review_changes` works out the
  transitions, and a few set-wise statements write them (arrays on PostgreSQL,
  multi-row ``VALUES`` on SQLite) - never a statement per note.
* A decision is a conditional ``UPDATE ... WHERE``: the state and ``seen_seq``
  checks are in the ``WHERE``, so of two supervisors deciding at once exactly one wins.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import Connection, func, insert, select, text, update

from peerdesk.agency.errors import AlreadyDecided, NoteChangedSinceRead
from peerdesk.agency.models import (
    APPROVED,
    DECIDABLE,
    PEER_ACTOR,
    RETURNED,
    Decision,
    NoteReview,
    ReviewEvent,
)
from peerdesk.agency.review_state import review_changes
from peerdesk.agency.storage.db import Database, sqlite_insert_values
from peerdesk.agency.storage.outbound import queue
from peerdesk.agency.tables import devices, note_reviews, review_events
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import to_iso

#: The review changes of a batch in one statement (PostgreSQL): new rows, updated
#: rows, events in record order. Each column travels as one comma-joined text
#: parameter split on the server (note ids are UUIDs, states words, seqs numbers):
#: psycopg's text-array dumper costs ~10 us per element in Python, this ~nothing.
_PG_ARRAYS = (
    "unnest(string_to_array(:{p}_notes, ','), string_to_array(:{p}_states, ','), "
    "CAST(string_to_array(:{p}_seqs, ',') AS bigint[]))"
)
_PG_REVIEWS = f"""
WITH created AS (
    INSERT INTO note_reviews (device_id, note_id, state, last_seq, updated_at)
    SELECT :device_id, t.n, t.s, t.q, :at FROM {_PG_ARRAYS.format(p="c")} AS t(n, s, q)
), updated AS (
    UPDATE note_reviews AS nr SET state = t.s, last_seq = t.q, updated_at = :at
    FROM {_PG_ARRAYS.format(p="u")} AS t(n, s, q)
    WHERE nr.device_id = :device_id AND nr.note_id = t.n
)
INSERT INTO review_events (device_id, note_id, state, at, actor, record_seq)
SELECT :device_id, t.n, t.s, :at, :actor, t.q
FROM {_PG_ARRAYS.format(p="e")} WITH ORDINALITY AS t(n, s, q, i)
ORDER BY t.i
"""


def _current_reviews(
    conn: Connection, db: Database, device_id: str, note_ids: Sequence[str]
) -> dict[str, tuple[str, int]]:
    """The review rows of ``note_ids`` (locked on PostgreSQL, so a decision made
    at the same moment waits for this batch and then sees its ``last_seq``)."""
    if db.postgres:
        query: Any = text(
            "SELECT note_id, state, last_seq FROM note_reviews WHERE device_id = :device_id "
            "AND note_id = ANY(string_to_array(:notes, ',')) FOR UPDATE"
        ).bindparams(device_id=device_id, notes=",".join(note_ids))
        rows = conn.execute(query)
    else:
        rows = conn.exec_driver_sql(
            "SELECT note_id, state, last_seq FROM note_reviews WHERE device_id = ? "
            "AND note_id IN (SELECT value FROM json_each(?))",
            (device_id, json.dumps(list(note_ids))),
        )
    return {note: (state, int(seq)) for note, state, seq in rows}


def track_reviews(
    conn: Connection,
    db: Database,
    device_id: str,
    stored: Sequence[tuple[int, str, str]],
    at: str,
) -> None:
    """Keep ``note_reviews`` and ``review_events`` up to date with the note-kind
    records a batch stored (``(seq, kind, note_id)`` in seq order), in the batch's
    transaction."""
    note_ids = list(dict.fromkeys(note for _, _, note in stored))
    changes = review_changes(stored, _current_reviews(conn, db, device_id, note_ids))
    if not (changes.created or changes.updated or changes.events):
        return
    if db.postgres:
        params: dict[str, Any] = {"device_id": device_id, "at": at, "actor": PEER_ACTOR}
        for p, rows in (("c", changes.created), ("u", changes.updated), ("e", changes.events)):
            params[f"{p}_notes"] = ",".join([r[0] for r in rows])
            params[f"{p}_states"] = ",".join([r[1] for r in rows])
            params[f"{p}_seqs"] = ",".join([str(r[2]) for r in rows])
        conn.execute(text(_PG_REVIEWS), params)
        return
    if changes.created:
        sqlite_insert_values(
            conn, *_SQLITE_CREATED, [device_id, at], list(chain.from_iterable(changes.created))
        )
    if changes.updated:
        conn.exec_driver_sql(
            "UPDATE note_reviews SET state = ?, last_seq = ?, updated_at = ? "
            "WHERE device_id = ? AND note_id = ?",
            [(st, q, at, device_id, n) for n, st, q in changes.updated],
        )
    if changes.events:
        sqlite_insert_values(
            conn, *_SQLITE_EVENTS, [device_id, at, PEER_ACTOR],
            list(chain.from_iterable(changes.events)),
        )  # fmt: skip


#: SQLite: a batch's new review rows and events as multi-row VALUES (see
#: :func:`~peerdesk.agency.storage.db.sqlite_insert_values`), in record order: a row
#: per note of every batch, the batch's constants bound once
_SQLITE_CREATED = (
    "INSERT INTO note_reviews (device_id, updated_at, note_id, state, last_seq) VALUES {rows}",
    "(?1, ?2, ?, ?, ?)",
)
_SQLITE_EVENTS = (
    "INSERT INTO review_events (device_id, at, actor, note_id, state, record_seq) VALUES {rows}",
    "(?1, ?2, ?3, ?, ?, ?)",
)


def _event(row: Any) -> ReviewEvent:
    return ReviewEvent(
        seq=int(row.seq),
        device_id=row.device_id,
        note_id=row.note_id,
        state=row.state,
        at=row.at,
        actor=row.actor,
        record_seq=int(row.record_seq) if row.record_seq is not None else None,
    )


class Reviews:
    """``storage.reviews``: the review state of notes, its history, and decisions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, device_id: str, note_id: str) -> NoteReview:
        """The review state of one note; :class:`NotFound` if the agency has no
        record of it."""
        query = select(note_reviews).where(
            note_reviews.c.device_id == device_id, note_reviews.c.note_id == note_id
        )
        row = self._db.first(query)
        if row is None:
            raise NotFound("note", note_id)
        return NoteReview(row.device_id, row.note_id, row.state, int(row.last_seq), row.updated_at)

    def events(
        self, *, team: str | None = None, after_seq: int = 0, limit: int = 1000
    ) -> tuple[list[ReviewEvent], bool]:
        """Review events after ``after_seq`` (of ``team``'s devices, or all), oldest
        first; and whether more wait."""
        query = select(review_events).where(review_events.c.seq > after_seq)
        if team is not None:
            query = query.where(
                review_events.c.device_id.in_(
                    select(devices.c.device_id).where(devices.c.team == team)
                )
            )
        rows, more = self._db.page(query.order_by(review_events.c.seq), limit)
        return [_event(r) for r in rows], more

    def waiting_by_device(self) -> dict[str, int]:
        """How many notes of each device wait for a supervisor's decision (received
        or resubmitted): the web console's "pending" column."""
        query = (
            select(note_reviews.c.device_id, func.count().label("n"))
            .where(note_reviews.c.state.in_(sorted(DECIDABLE)))
            .group_by(note_reviews.c.device_id)
        )
        return {r.device_id: int(r.n) for r in self._db.rows(query)}

    def history(self, device_id: str, note_id: str) -> list[ReviewEvent]:
        """Every review event of one note, oldest first."""
        query = (
            select(review_events)
            .where(review_events.c.device_id == device_id, review_events.c.note_id == note_id)
            .order_by(review_events.c.seq)
        )
        return [_event(r) for r in self._db.rows(query)]

    def decide(
        self,
        *,
        device_id: str,
        note_id: str,
        decision: str,
        actor: str,
        feedback: bytes,
        now: datetime,
        seen_seq: int | None,
        team: str | None = None,
    ) -> Decision:
        """Record a supervisor's decision on a note, its history event and the sealed
        feedback for the device, together or not at all.

        The checks are in the ``UPDATE``'s ``WHERE`` (one statement, so of two
        supervisors deciding at once exactly one gets through): the note must wait
        for a decision (received or resubmitted: else :class:`AlreadyDecided`) and,
        unless ``seen_seq`` is None, have no record newer than ``seen_seq`` (else
        :class:`NoteChangedSinceRead`). With ``team``, a note of a device outside
        that team is :class:`NotFound`, like a note that does not exist."""
        if decision not in (RETURNED, APPROVED):
            raise ValidationError("decision must be 'approved' or 'returned'", field="decision")
        at = to_iso(now)
        key = (note_reviews.c.device_id == device_id, note_reviews.c.note_id == note_id)
        with self._db.write() as conn:
            if team is not None:
                own = conn.execute(
                    select(devices.c.team).where(devices.c.device_id == device_id)
                ).first()
                if own is None or own.team != team:
                    raise NotFound("note", note_id)
            checks = [*key, note_reviews.c.state.in_(DECIDABLE)]
            if seen_seq is not None:
                checks.append(note_reviews.c.last_seq <= seen_seq)
            done = conn.execute(
                update(note_reviews).where(*checks).values(state=decision, updated_at=at)
            )
            if done.rowcount != 1:
                row = conn.execute(
                    select(note_reviews.c.state, note_reviews.c.last_seq).where(*key)
                ).first()
                if row is None:
                    raise NotFound("note", note_id)
                if row.state not in DECIDABLE:
                    raise AlreadyDecided(device_id, note_id, row.state)
                raise NoteChangedSinceRead(
                    device_id, note_id, seen_seq if seen_seq is not None else 0, int(row.last_seq)
                )
            event_seq = conn.execute(
                insert(review_events)
                .values(
                    device_id=device_id,
                    note_id=note_id,
                    state=decision,
                    at=at,
                    actor=actor[:100],
                    record_seq=None,
                )
                .returning(review_events.c.seq)
            ).scalar_one()
            out_seq = queue(conn, device_id, "feedback", note_id, feedback, at)
        return Decision(decision, int(event_seq), out_seq)
