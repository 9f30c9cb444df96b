"""The outbox: a change journal written in the same transaction as each change.

A row names what changed (entity, id, operation) and carries a client-made op
id the agency deduplicates on. It holds no sensitive value: at send time the sync
engine reads the record and seals it to the agency.

**Order** (issue 21, migration 0017): pending entries go out by ``priority``
(1: crisis records, and a note's records while its participant is flagged in
crisis, decided by :attr:`Outbox.priority_rule` when the change is journaled),
then in journal order. An entry's :attr:`OutboxEntry.position` is that order
as one number (the sync run's cursor).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from peerdesk.errors import Msg
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
        # crisis support (issue 21): always synced first
        "crisis",
        "safety_plan",
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
    #: where the entry stands in the send order (priority first, then seq)
    position: int = 0


#: urgent entries' positions are their seq; the others' are past every seq
PRIORITY_SPAN = 1 << 40
#: the send order of a row as one number
POSITION = f"(seq + (1 - priority) * {PRIORITY_SPAN})"
#: the columns of an :class:`OutboxEntry`, in order
ENTRY_COLUMNS = f"seq, op_id, entity, entity_id, op, created_at, attempts, {POSITION}"

#: decides an entry's priority when it is journaled: (entity, entity id) -> 0 or 1
PriorityRule = Callable[[str, str], int]


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    pending: int
    quarantined: int
    acked: int


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db
        #: set by the profile's storage (the record repository knows who is in crisis)
        self.priority_rule: PriorityRule = lambda entity, entity_id: 0

    def record(self, entity: str, entity_id: str, op: str) -> str:
        """Journal one change. Call inside the transaction that makes the change."""
        if entity not in ENTITIES:
            raise ValueError(f"unknown outbox entity {entity!r}")
        op_id = new_id()
        priority = 1 if self.priority_rule(entity, entity_id) else 0
        self.db.conn.execute(
            "INSERT INTO outbox (op_id, entity, entity_id, op, created_at, priority)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (op_id, entity, entity_id, op, to_iso(now_utc()), priority),
        )
        return op_id

    def pending(self, limit: int = 500) -> list[OutboxEntry]:
        """The first ``limit`` pending entries in send order (urgent ones first,
        then oldest first)."""
        return self.pending_after(0, limit)

    def pending_after(self, after: int, limit: int) -> list[OutboxEntry]:
        """Pending entries whose :attr:`~OutboxEntry.position` is above ``after``,
        in send order."""
        return fetch_all(
            self.db,
            OutboxEntry,
            f"SELECT {ENTRY_COLUMNS} FROM outbox"
            f" WHERE state = 'pending' AND {POSITION} > ? ORDER BY {POSITION} LIMIT ?",
            (after, limit),
            what=Msg("read the outbox"),
        )

    def counts(self) -> OutboxCounts:
        with translate_errors(Msg("count the outbox"), writing=False):
            found = dict(self.db.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"))
        return OutboxCounts(
            found.get("pending", 0), found.get("quarantined", 0), found.get("acked", 0)
        )
