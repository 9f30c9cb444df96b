"""Sync bookkeeping on the device (migration 0006).

* :class:`SyncQueue`: the outbox as the sync engine sees it. Entries are read
  in journal order; an acknowledged entry is marked ``acked`` with the agency's
  sequence number; a rejected one is ``quarantined`` with the reject code and the
  reason in words, and the queue moves on; the user can put quarantined entries
  back to ``pending``. The journal holds references only, never a value.
* :class:`SyncLog`: the honest status (last success, last attempt and its error
  in words, bytes up and down) and one history row per sync run.
* :class:`FeedbackStore`: supervisor decisions on notes; the comment and the
  reviewer's name are envelopes.
* :func:`read_status`: the honest sync status a peer sees (enrolled where, last
  success, last attempt and why it failed, what waits and what was set aside).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from peerdesk.domain.models import NoteState
from peerdesk.errors import Msg
from peerdesk.ids import from_iso, new_id, now_utc, to_iso
from peerdesk.store.base import ReadResult, Repository, rows
from peerdesk.store.db import fetch_all, translate_errors
from peerdesk.store.device import DeviceStore
from peerdesk.store.outbox import ENTRY_COLUMNS, POSITION, Outbox, OutboxEntry

#: the longest reason kept for a quarantined record
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class QuarantinedItem:
    """A record the agency (or this laptop) refused; shown to the user with the reason."""

    op_id: str
    entity: str
    entity_id: str
    code: str
    reason: str
    attempts: int
    created_at: str
    quarantined_at: str | None


class SyncQueue(Outbox):
    """The outbox as the sync run sees it (its reads and counts are the outbox's)."""

    def seqs_of(self, op_ids: Sequence[str]) -> list[int]:
        """The send positions of these op ids (unknown ones are left out): what
        the run's cursor is compared with (:attr:`OutboxEntry.position`)."""
        with translate_errors(Msg("read the outbox"), writing=False):
            return [
                int(found[0])
                for op_id in op_ids
                if (
                    found := self.db.conn.execute(
                        f"SELECT {POSITION} FROM outbox WHERE op_id = ?", (op_id,)
                    ).fetchone()
                )
            ]

    def record_escrow(self, escrow_id: str) -> str:
        """Journal an "escrow" record (the recovery secret, read at send time)."""
        op_id = new_id()
        with translate_errors(Msg("queue the recovery escrow")), self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO outbox (op_id, entity, entity_id, op, created_at)"
                " VALUES (?, 'escrow', ?, 'add', ?)",
                (op_id, escrow_id, to_iso(now_utc())),
            )
        return op_id

    def count_attempt(self, op_ids: Sequence[str]) -> None:
        with translate_errors(Msg("update the outbox")), self.db.atomic():
            self.db.conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1 WHERE op_id = ?",
                [(op,) for op in op_ids],
            )

    def mark_acked(self, acks: Mapping[str, int]) -> list[OutboxEntry]:
        """Mark entries acknowledged (op id -> agency seq). Returns the entries that
        changed; an op id already acked or unknown is skipped (duplicate acks)."""
        changed: list[OutboxEntry] = []
        now = to_iso(now_utc())
        with translate_errors(Msg("record the acknowledgements")), self.db.atomic():
            for op_id, seq in acks.items():
                found = self.db.conn.execute(
                    f"SELECT {ENTRY_COLUMNS} FROM outbox WHERE op_id = ? AND state != 'acked'",
                    (op_id,),
                ).fetchone()
                if found is None:
                    continue
                self.db.conn.execute(
                    "UPDATE outbox SET state = 'acked', server_seq = ?, reason = NULL,"
                    " reject_code = NULL, updated_at = ? WHERE op_id = ?",
                    (seq, now, op_id),
                )
                changed.append(OutboxEntry(*found))
        return changed

    def reopen_acked_after(self, server_seq: int, upper: int | None = None) -> int:
        """Put back in the queue every entry the agency acknowledged with a
        sequence number above ``server_seq`` and at most ``upper`` (None: no
        bound) (its database was restored to an older point and lost them): they
        are sealed and sent again. Recovery escrows stay acknowledged (their
        secret is gone once acknowledged; the next escrow replaces them). Returns
        how many went back."""
        bound = upper if upper is not None else 2**63 - 1
        with translate_errors(Msg("put the records back in the queue")), self.db.atomic():
            cur = self.db.conn.execute(
                "UPDATE outbox SET state = 'pending', server_seq = NULL, updated_at = ?"
                " WHERE state = 'acked' AND server_seq > ? AND server_seq <= ?"
                " AND entity != 'escrow'",
                (to_iso(now_utc()), server_seq, bound),
            )
        return int(cur.rowcount)

    def quarantine(self, op_id: str, code: str, reason: str) -> bool:
        """Set a pending entry aside with the reason; the rest of the queue moves on."""
        with translate_errors(Msg("quarantine the record")), self.db.atomic():
            cur = self.db.conn.execute(
                "UPDATE outbox SET state = 'quarantined', reject_code = ?, reason = ?,"
                " updated_at = ? WHERE op_id = ? AND state = 'pending'",
                (code[:64], reason[:MAX_REASON], to_iso(now_utc()), op_id),
            )
        return cur.rowcount == 1

    def quarantined(self) -> list[QuarantinedItem]:
        return fetch_all(
            self.db,
            QuarantinedItem,
            "SELECT op_id, entity, entity_id, coalesce(reject_code, ''),"
            " coalesce(reason, ''), attempts, created_at, updated_at FROM outbox"
            " WHERE state = 'quarantined' ORDER BY seq",
            what=Msg("read the quarantine"),
        )

    def retry(self, op_ids: Iterable[str] | None = None) -> int:
        """Put quarantined entries (all when ``op_ids`` is None) back in the queue."""
        now = to_iso(now_utc())
        with translate_errors(Msg("put the records back in the queue")), self.db.atomic():
            if op_ids is None:
                cur = self.db.conn.execute(
                    "UPDATE outbox SET state = 'pending', updated_at = ?"
                    " WHERE state = 'quarantined'",
                    (now,),
                )
                return int(cur.rowcount)
            changed = 0
            for op_id in op_ids:
                cur = self.db.conn.execute(
                    "UPDATE outbox SET state = 'pending', updated_at = ?"
                    " WHERE op_id = ? AND state = 'quarantined'",
                    (now, op_id),
                )
                changed += cur.rowcount
            return changed


# --- status and history -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyncStatusRow:
    last_success_at: str | None
    last_attempt_at: str | None
    last_error: str | None
    bytes_up: int
    bytes_down: int


@dataclass(frozen=True, slots=True)
class SyncRun:
    id: int
    started_at: str
    finished_at: str | None
    outcome: str  # running, ok, failed, revoked, stopped
    sent: int
    acked: int
    rejected: int
    inbound: int
    bytes_up: int
    bytes_down: int
    error: str | None


OUTCOMES = frozenset({"ok", "failed", "revoked", "stopped"})


class SyncLog:
    def __init__(self, db: Any) -> None:
        self.db = db

    def status(self) -> SyncStatusRow:
        with translate_errors(Msg("read the sync status"), writing=False):
            found = self.db.conn.execute(
                "SELECT last_success_at, last_attempt_at, last_error, bytes_up, bytes_down"
                " FROM sync_status WHERE id = 1"
            ).fetchone()
        return SyncStatusRow(*found) if found else SyncStatusRow(None, None, None, 0, 0)

    def start_run(self) -> int:
        """Record the start of an attempt; a run left 'running' by a crash is closed."""
        now = to_iso(now_utc())
        with translate_errors(Msg("record the sync attempt")), self.db.atomic():
            self.db.conn.execute(
                "UPDATE sync_runs SET outcome = 'stopped', finished_at = ?,"
                " error = 'PeerDesk stopped during this sync' WHERE outcome = 'running'",
                (now,),
            )
            self.db.conn.execute("UPDATE sync_status SET last_attempt_at = ? WHERE id = 1", (now,))
            cur = self.db.conn.execute(
                "INSERT INTO sync_runs (started_at, outcome) VALUES (?, 'running')", (now,)
            )
        return int(cur.lastrowid)

    def finish_run(
        self,
        run_id: int,
        outcome: str,
        *,
        sent: int = 0,
        acked: int = 0,
        rejected: int = 0,
        inbound: int = 0,
        bytes_up: int = 0,
        bytes_down: int = 0,
        error: str | None = None,
    ) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown sync outcome {outcome!r}")
        now = to_iso(now_utc())
        error = error[:MAX_REASON] if error else None
        with translate_errors(Msg("record the sync result")), self.db.atomic():
            self.db.conn.execute(
                "UPDATE sync_runs SET finished_at = ?, outcome = ?, sent = ?, acked = ?,"
                " rejected = ?, inbound = ?, bytes_up = ?, bytes_down = ?, error = ?"
                " WHERE id = ?",
                (now, outcome, sent, acked, rejected, inbound, bytes_up, bytes_down, error, run_id),
            )
            self.db.conn.execute(
                "UPDATE sync_status SET last_error = ?, bytes_up = bytes_up + ?,"
                " bytes_down = bytes_down + ?,"
                " last_success_at = CASE WHEN ? THEN ? ELSE last_success_at END WHERE id = 1",
                (error, bytes_up, bytes_down, outcome == "ok", now),
            )

    def history(self, limit: int = 20) -> list[SyncRun]:
        return fetch_all(
            self.db,
            SyncRun,
            "SELECT id, started_at, finished_at, outcome, sent, acked, rejected, inbound,"
            " bytes_up, bytes_down, error FROM sync_runs ORDER BY id DESC LIMIT ?",
            (limit,),
            what=Msg("read the sync history"),
        )


# --- supervisor feedback ----------------------------------------------------------------

DECISIONS = frozenset({"approved", "returned"})


@dataclass(frozen=True, slots=True)
class Feedback:
    """A supervisor's decision on a note, as received on the device."""

    id: str
    note_id: str
    decision: str  # approved | returned
    comment: str = field(repr=False)
    reviewer: str = field(repr=False)
    decided_at: datetime
    server_seq: int
    received_at: datetime


class FeedbackStore(Repository):
    table = "feedback"
    kind = "feedback"

    def add(
        self,
        *,
        note_id: str,
        decision: str,
        comment: str,
        reviewer: str,
        decided_at: datetime,
        server_seq: int,
    ) -> Feedback | None:
        """Store one decision; ``None`` if that agency seq was stored before."""
        if decision not in DECISIONS:
            raise ValueError(f"unknown review decision {decision!r}")
        fid = new_id()
        received = now_utc()
        with translate_errors(Msg("save the supervisor's feedback")), self.db.atomic():
            cur = self.db.conn.execute(
                "INSERT OR IGNORE INTO feedback (id, note_id, decision, decided_at, server_seq,"
                " received_at, comment, reviewer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    fid,
                    note_id,
                    decision,
                    to_iso(decided_at),
                    server_seq,
                    to_iso(received),
                    self.seal(fid, "comment", comment),
                    self.seal(fid, "reviewer", reviewer),
                ),
            )
        if cur.rowcount != 1:
            return None
        return self.get(fid)

    def _build(self, row: dict[str, Any]) -> Feedback:
        fid = row["id"]
        comment = self.unseal(fid, "comment", row["comment"])
        reviewer = self.unseal(fid, "reviewer", row["reviewer"])
        try:
            return Feedback(
                id=fid,
                note_id=row["note_id"],
                decision=row["decision"],
                comment=str(comment),
                reviewer=str(reviewer),
                decided_at=from_iso(row["decided_at"]),
                server_seq=int(row["server_seq"]),
                received_at=from_iso(row["received_at"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise self.malformed(fid) from exc

    def get(self, feedback_id: str) -> Feedback:
        return self._build(self.row_by_id(feedback_id))

    def for_note(self, note_id: str) -> ReadResult[Feedback]:
        """Every decision received for a note, oldest first."""
        return self.read_many(
            rows(
                self.db,
                "SELECT * FROM feedback WHERE note_id = ? ORDER BY server_seq",
                [note_id],
                what=Msg("read the feedback"),
            ),
            self._build,
        )


def note_state(db: Any, note_id: str) -> NoteState | None:
    """The review state of a note, or ``None`` if this profile has no such note."""
    with translate_errors(Msg("read the note"), writing=False):
        found = db.conn.execute("SELECT state FROM notes WHERE id = ?", (note_id,)).fetchone()
    return NoteState(found[0]) if found else None


def move_note(db: Any, note_id: str, old: NoteState, new: NoteState) -> bool:
    """Move a signed note's review state (the caller checked the transition with
    the domain rules). Only the state and ``updated_at`` change; the content
    stays immutable (the triggers of migration 0001 enforce it)."""
    with translate_errors(Msg("update the note's review state")), db.atomic():
        cur = db.conn.execute(
            "UPDATE notes SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
            (new.value, to_iso(now_utc()), note_id, old.value),
        )
    return bool(cur.rowcount == 1)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    enrolled: bool
    agency_name: str | None
    agency_url: str | None
    device_id: str | None
    last_success_at: str | None
    last_attempt_at: str | None
    #: why the last attempt failed, in words; ``None`` after a success
    last_error: str | None
    pending: int
    quarantined: int
    acked: int
    bytes_up: int
    bytes_down: int
    #: a rough size of what is waiting, from the average record of past syncs
    pending_bytes_estimate: int | None

    @property
    def last_attempt_failed(self) -> bool:
        return self.last_error is not None


def read_status(device: DeviceStore, log: SyncLog, queue: SyncQueue) -> SyncStatus:
    """Readable while the vault is locked: nothing here is secret."""
    record = device.get()
    row = log.status()
    counts = queue.counts()
    runs = log.history(50)
    sent = sum(run.sent for run in runs)
    up = sum(run.bytes_up for run in runs)
    estimate = (up // sent) * counts.pending if sent else None
    return SyncStatus(
        enrolled=record is not None,
        agency_name=record.agency_name if record else None,
        agency_url=record.agency_url if record else None,
        device_id=record.device_id if record else None,
        last_success_at=row.last_success_at,
        last_attempt_at=row.last_attempt_at,
        last_error=row.last_error,
        pending=counts.pending,
        quarantined=counts.quarantined,
        acked=counts.acked,
        bytes_up=row.bytes_up,
        bytes_down=row.bytes_down,
        pending_bytes_estimate=estimate,
    )
