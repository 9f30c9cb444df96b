"""The outbox: a change journal written in the same transaction as each change.

A row names what changed (entity, id, operation) and carries a client-made op
id the agency deduplicates on. It holds no sensitive value: at send time the sync
engine reads the record and seals it to the agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from peerdesk.ids import new_id, now_utc, to_iso
from peerdesk.store.db import fetch_all, translate_errors

ENTITIES = frozenset(
    {
        "participant",
        "note",
        "addendum",
        "trip",
        "referral",
        "correction",
        "resubmit",
        "plan",
        "enrollment",
        "consent",
        "outcome",
        "care_member",
        "appointment",
        # the peer's workforce record (issue 23); a wellbeing check-in only when shared
        "supervision",
        "certification",
        "ceu",
        "wellbeing",
    }
)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One journal entry (a reference: what changed, never a value)."""

    seq: int
    op_id: str
    entity: str
    entity_id: str
    op: str
    created_at: str
    attempts: int


#: the columns of an :class:`OutboxEntry`, in order
ENTRY_COLUMNS = "seq, op_id, entity, entity_id, op, created_at, attempts"


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    pending: int
    quarantined: int
    acked: int


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, entity: str, entity_id: str, op: str) -> str:
        """Journal one change. Call inside the transaction that makes the change."""
        if entity not in ENTITIES:
            raise ValueError(f"unknown outbox entity {entity!r}")
        op_id = new_id()
        self.db.conn.execute(
            "INSERT INTO outbox (op_id, entity, entity_id, op, created_at) VALUES (?, ?, ?, ?, ?)",
            (op_id, entity, entity_id, op, to_iso(now_utc())),
        )
        return op_id

    def pending(self, limit: int = 500) -> list[OutboxEntry]:
        """The first ``limit`` pending entries, oldest first."""
        return self.pending_after(0, limit)

    def pending_after(self, after_seq: int, limit: int) -> list[OutboxEntry]:
        """Pending entries with a journal seq above ``after_seq``, oldest first."""
        return fetch_all(
            self.db,
            OutboxEntry,
            f"SELECT {ENTRY_COLUMNS} FROM outbox"
            " WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?",
            (after_seq, limit),
            what="read the outbox",
        )

    def counts(self) -> OutboxCounts:
        with translate_errors("count the outbox", writing=False):
            found = dict(self.db.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"))
        return OutboxCounts(
            found.get("pending", 0), found.get("quarantined", 0), found.get("acked", 0)
        )
