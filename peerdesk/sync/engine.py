"""The sync engine: one run is a generator of progress events (no threads inside).

A run reads the pending outbox entries in journal order (the journal holds
references: each record is loaded through its repository at send time), builds
its payload (:mod:`peerdesk.sync.payloads`), seals it to the agency's current
review key (the recovery escrow to the recovery key), groups the records into
batches capped by bytes and sends one batch per ``POST /v1/sync``. An addendum
and a "resubmit" go out under their note's id (the addendum's own id is in its
payload), so the agency keeps one review history per note:

* A batch is encoded once; retries within the run resend the same bytes with the
  same batch id, so the agency answers a replay from its idempotency store.
  Network failures are retried with exponential backoff and full jitter, within
  an attempt count and a time budget (``sleep``, ``clock`` and ``rng`` are
  injectable). A run stopped by a drop leaves the unacknowledged entries
  pending; the next run rebuilds them into new batches, which is safe because
  the agency deduplicates by op id.
* Each answer is applied in one transaction: acknowledged entries are marked
  ``acked`` (a note moves to ``submitted``; an acknowledged escrow deletes the
  recovery secret), rejected ones are quarantined with the reason and the queue
  moves on, inbound items are applied and the cursor moves forward.
* Inbound ``wipe`` orders are looked at before anything else in an answer: a
  valid one (signed by the bundle's signing key, naming this device)
  crypto-erases the profile first, then the run raises :class:`DeviceRevoked`.
  A forged or misaddressed one is ignored, logged and counted.
  ``feedback`` is opened with the device's box key, stored encrypted and moves
  the note through the domain state machine. ``directory`` updates are verified
  with the bundle's signing key and applied (:mod:`peerdesk.sync.directory_updates`);
  ``policy`` is not used yet: logged and skipped.

Every run leaves an honest status (:class:`peerdesk.store.sync_state.SyncLog`)
and one "sync" audit row with counts only.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn, Protocol

import msgpack

from peerdesk.crypto.seal import open_sealed
from peerdesk.crypto.vault import Vault
from peerdesk.domain import notes as note_rules
from peerdesk.domain.models import Addendum, NoteState
from peerdesk.errors import (
    AgencyRejected,
    AgencyUnreachable,
    BadSignature,
    CorruptData,
    DeviceRevoked,
    DirectoryDataError,
    IntegrityError,
    InvalidTransition,
    NotFound,
    PeerDeskError,
    ProtocolError,
    SealBroken,
    StorageError,
    ValidationError,
    VaultError,
)
from peerdesk.ids import from_iso, new_id, now_utc, to_iso
from peerdesk.store.audit import AuditLog
from peerdesk.store.base import rows
from peerdesk.store.db import translate_errors
from peerdesk.store.device import DeviceRecord, DeviceSecrets, DeviceStore
from peerdesk.store.notes import NoteRepo
from peerdesk.store.participants import ParticipantRepo
from peerdesk.store.referrals import CorrectionRepo, ReferralRepo
from peerdesk.store.sync_state import (
    FeedbackStore,
    QueueEntry,
    SyncLog,
    SyncQueue,
    move_note,
    note_state,
)
from peerdesk.store.trips import TripRepo
from peerdesk.sync import payloads
from peerdesk.sync.client import RevokedByAgency
from peerdesk.sync.directory_updates import DirectoryTarget, apply_directory_update
from peerdesk.sync.protocol import (
    DEFAULT_BATCH_BYTES,
    MAX_RECORD_BYTES,
    RECORD_KINDS,
    AgencyKey,
    Batch,
    Inbound,
    KeyBundle,
    Record,
    Reject,
    SyncResponse,
    chunk_by_bytes,
    feedback_info,
    open_bundle,
    open_wipe_order,
    seal_record,
    trusted_signers,
)

log = logging.getLogger(__name__)

#: reject codes that mean "the device sealed to keys the agency no longer takes"
KEY_REJECTS = frozenset({"unknown_key", "expired_key"})
MAX_FEEDBACK_TEXT = 20_000


# --- progress events ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyncStarted:
    pending: int
    estimated_bytes: int


@dataclass(frozen=True, slots=True)
class BatchSent:
    batch: int
    records: int
    bytes: int
    attempt: int


@dataclass(frozen=True, slots=True)
class BatchDone:
    batch: int
    acked: int
    rejected: int
    #: acknowledgements of records acknowledged before (a replayed answer)
    duplicates: int = 0


@dataclass(frozen=True, slots=True)
class InboundApplied:
    feedback: int
    ignored: int
    cursor: int


@dataclass(frozen=True, slots=True)
class Retrying:
    attempt: int
    delay_s: float
    cause: str


@dataclass(frozen=True, slots=True)
class SyncSummary:
    batches: int
    sent: int
    acked: int
    rejected: int
    #: records set aside on this laptop (unreadable, or too large to send)
    quarantined_here: int
    feedback: int
    ignored_inbound: int
    forged_wipes: int
    #: signed directory updates applied
    directory_updates: int
    bytes_up: int
    bytes_down: int
    #: after the run
    pending: int
    quarantined: int
    cursor: int


@dataclass(frozen=True, slots=True)
class SyncFinished:
    summary: SyncSummary


SyncEvent = SyncStarted | BatchSent | BatchDone | InboundApplied | Retrying | SyncFinished


# --- what the engine needs ----------------------------------------------------------------


class SyncTransport(Protocol):
    """What the engine needs of :class:`peerdesk.sync.client.AgencyClient`."""

    bytes_received: int

    def sync(self, body: bytes) -> SyncResponse: ...

    def bundle(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class SyncOptions:
    #: a batch is closed before its records exceed this many bytes
    batch_bytes: int = DEFAULT_BATCH_BYTES
    #: tries per batch, the first included
    max_attempts: int = 6
    backoff_base_s: float = 2.0
    backoff_cap_s: float = 120.0
    #: a run gives up when retrying would take it past this many seconds
    retry_budget_s: float = 900.0
    #: requests made only to fetch inbound items, after the records are sent
    max_pull_rounds: int = 20
    #: outbox entries read and sealed at a time
    window: int = 1000
    #: ask the agency for a newer key bundle (one small GET) at most this often
    bundle_check_s: float = 24 * 3600.0

    def __post_init__(self) -> None:
        if self.batch_bytes < 1024 or self.max_attempts < 1 or self.window < 1:
            raise ValueError("batch_bytes >= 1024, max_attempts >= 1 and window >= 1")
        if self.backoff_base_s < 0 or self.backoff_cap_s < 0 or self.retry_budget_s < 0:
            raise ValueError("backoff times and the retry budget cannot be negative")


@dataclass(frozen=True, slots=True)
class SyncParts:
    """The profile's stores the engine reads and writes (assembled by the service)."""

    db: Any
    vault: Vault
    device: DeviceStore
    queue: SyncQueue
    log: SyncLog
    feedback: FeedbackStore
    participants: ParticipantRepo
    notes: NoteRepo
    trips: TripRepo
    audit: AuditLog
    #: where signed "directory" updates go; None: they are skipped
    directory: DirectoryTarget | None = None
    #: referrals and suggested corrections; None: such entries are set aside as unreadable
    referrals: ReferralRepo | None = None
    corrections: CorrectionRepo | None = None


def load_addendum(notes: NoteRepo, addendum_id: str) -> Addendum:
    for row in rows(
        notes.db, "SELECT * FROM addenda WHERE id = ?", [addendum_id], what="read the addendum"
    ):
        text = notes.unseal(addendum_id, "text", row["text"], "addenda")
        return Addendum(addendum_id, row["note_id"], str(text), from_iso(row["created_at"]))
    raise NotFound("addendum", addendum_id)


def review_transition(state: NoteState, decision: str) -> NoteState:
    """The state a supervisor's ``decision`` moves a note in ``state`` to, through
    the domain state machine. A note still ``signed`` here was received by the
    agency before its acknowledgement reached this laptop, so it is submitted
    first; a returned note that is decided again was resubmitted. Raises
    :class:`InvalidTransition` (e.g. a draft, or a note approved already)."""
    action = {"approved": "approve", "returned": "return"}[decision]
    if state is NoteState.SIGNED:
        state = note_rules.next_state(state, "submit")
    elif state is NoteState.RETURNED:
        state = note_rules.next_state(state, "resubmit")
    return note_rules.next_state(state, action)


def _issued_after(a: str, b: str) -> bool:
    """Whether ISO time ``a`` is later than ``b`` (text order if one does not parse)."""
    try:
        return from_iso(a.replace("Z", "+00:00")) > from_iso(b.replace("Z", "+00:00"))
    except ValueError:
        return a > b


def _words(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def run_sync(
    parts: SyncParts,
    client: SyncTransport,
    options: SyncOptions | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    rng: random.Random | None = None,
) -> Iterator[SyncEvent]:
    """One sync run. Yields progress events, ends with :class:`SyncFinished`.

    Raises :class:`NotEnrolled`, :class:`VaultLocked`, :class:`AgencyUnreachable`
    (retries spent), :class:`AgencyRejected`, :class:`DeviceRevoked` (after the
    erase, if a valid wipe order came), :class:`ProtocolError` or a
    :class:`StorageError`; the status records each failure in words first.
    """
    run = _Run(parts, client, options or SyncOptions(), sleep, clock, rng or random.Random())
    yield from run.run()


class _Run:
    def __init__(
        self,
        parts: SyncParts,
        client: SyncTransport,
        options: SyncOptions,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        rng: random.Random,
    ) -> None:
        self.p = parts
        self.client = client
        self.options = options
        self.sleep = sleep
        self.clock = clock
        self.rng = rng
        self.t0 = clock()
        # set in run()
        self.record: DeviceRecord
        self.secrets: DeviceSecrets
        self.bundle: KeyBundle
        self.cursor = 0
        self.more = False
        self.last_seq = 0
        #: set when the queue was rewound (records to seal again)
        self.rewound = False
        self.requests = 0
        self.bundle_refreshed = False
        # counts
        self.batches = 0
        self.sent = 0
        self.acked = 0
        self.rejected = 0
        self.quarantined_here = 0
        self.feedback = 0
        self.ignored = 0
        self.forged_wipes = 0
        self.directory_updates = 0
        self.bytes_up = 0
        self.bytes_down = 0

    # -- the run -------------------------------------------------------------------------

    def run(self) -> Iterator[SyncEvent]:
        self.record = self.p.device.require()
        self.secrets = self.p.device.secrets()
        self.bundle = open_bundle(self.record.bundle, self.record.root_key, self.record.root_key_id)
        self.cursor = self.record.cursor
        run_id = self.p.log.start_run()
        try:
            yield from self._body()
        except DeviceRevoked as exc:
            self._finish(run_id, "revoked", _words(exc))
            raise
        except GeneratorExit:
            self._finish(run_id, "stopped", "the sync was stopped before it finished")
            raise
        except PeerDeskError as exc:
            self._finish(run_id, "failed", _words(exc))
            raise
        except BaseException as exc:
            self._finish(run_id, "failed", f"internal error ({type(exc).__name__})")
            raise
        summary = self._finish(run_id, "ok", None)
        yield SyncFinished(summary)

    def _body(self) -> Iterator[SyncEvent]:
        self._check_bundle()
        pending = self.p.queue.counts().pending
        window = self._next_window()
        size = sum(r.wire_size for r in window)
        estimate = size + (size // len(window)) * max(0, pending - len(window)) if window else 0
        yield SyncStarted(pending, estimate)
        # The last, perhaps half-full batch of a window waits for the next window,
        # so a window boundary never costs an extra round trip.
        carry: list[Record] = []
        while window or carry:
            if window:
                chunks = list(chunk_by_bytes(carry + window, self.options.batch_bytes))
                carry = chunks.pop()
            else:
                chunks, carry = [carry], []
            for chunk in chunks:
                yield from self._send(chunk)
                if self.rewound:
                    # records went back in the queue to be sealed to new keys: what
                    # was held back is read again with them
                    self.rewound, carry = False, []
            window = self._next_window()
        rounds = 0
        while (self.requests == 0 or self.more) and rounds < self.options.max_pull_rounds:
            rounds += 1
            yield from self._send([])

    def _finish(self, run_id: int, outcome: str, error: str | None) -> SyncSummary:
        counts = self.p.queue.counts()
        summary = SyncSummary(
            batches=self.batches,
            sent=self.sent,
            acked=self.acked,
            rejected=self.rejected,
            quarantined_here=self.quarantined_here,
            feedback=self.feedback,
            ignored_inbound=self.ignored,
            forged_wipes=self.forged_wipes,
            directory_updates=self.directory_updates,
            bytes_up=self.bytes_up,
            bytes_down=self.bytes_down,
            pending=counts.pending,
            quarantined=counts.quarantined,
            cursor=self.cursor,
        )
        try:
            self.p.log.finish_run(
                run_id,
                outcome,
                sent=self.sent,
                acked=self.acked,
                rejected=self.rejected + self.quarantined_here,
                inbound=self.feedback + self.ignored,
                bytes_up=self.bytes_up,
                bytes_down=self.bytes_down,
                error=error,
            )
            if self.p.vault.is_unlocked:
                self.p.audit.append(
                    "sync",
                    outcome=outcome,
                    batches=self.batches,
                    sent=self.sent,
                    acked=self.acked,
                    rejected=self.rejected,
                    quarantined=self.quarantined_here,
                    feedback=self.feedback,
                    ignored=self.ignored,
                    forged_wipes=self.forged_wipes,
                    directory=self.directory_updates,
                )
        except (StorageError, VaultError) as exc:
            # The run's own outcome matters more than its bookkeeping.
            log.warning("sync result not recorded: %s", type(exc).__name__)
        log.info(
            "sync %s: %d batch(es), %d sent, %d acked, %d rejected, %d feedback, %d B up, %d B down",
            outcome,
            self.batches,
            self.sent,
            self.acked,
            self.rejected,
            self.feedback,
            self.bytes_up,
            self.bytes_down,
        )
        return summary

    # -- reading and sealing -----------------------------------------------------------------

    def _next_window(self) -> list[Record]:
        """Seal the next pending entries; unreadable ones are quarantined here."""
        while True:
            entries = self.p.queue.pending_after(self.last_seq, self.options.window)
            if not entries:
                return []
            out = []
            for entry in entries:
                self.last_seq = entry.seq
                if entry.entity not in RECORD_KINDS:
                    # Journaled by a newer part of the app before the sync protocol
                    # carries that kind: set aside, retried once it does.
                    self._quarantine_here(
                        entry.op_id,
                        entry.entity,
                        "unsupported",
                        f"{entry.entity} records cannot be sent to the agency by this version",
                    )
                    continue
                try:
                    record = self._seal(entry)
                except (NotFound, CorruptData, ValidationError, ProtocolError) as exc:
                    self._quarantine_here(
                        entry.op_id, entry.entity, "unreadable", f"cannot be sent: {_words(exc)}"
                    )
                    continue
                if record.wire_size > MAX_RECORD_BYTES:
                    self._quarantine_here(
                        entry.op_id,
                        entry.entity,
                        "too_large",
                        "the record is too large to send to the agency",
                    )
                    continue
                out.append(record)
            if out:
                return out

    def _quarantine_here(self, op_id: str, entity: str, code: str, reason: str) -> None:
        if self.p.queue.quarantine(op_id, code, reason):
            self.quarantined_here += 1
            log.warning("outbox %s %s set aside: %s", entity, op_id, code)

    def _payload(self, entry: QueueEntry) -> tuple[dict[str, Any], AgencyKey, str]:
        """The payload of an outbox entry, the key to seal it to and the entity id
        it carries on the wire (its note's id for an addendum, see the protocol)."""
        payload, key = self._payload_and_key(entry)
        if entry.entity == "addendum":
            return payload, key, str(payload["note_id"])
        return payload, key, entry.entity_id

    def _payload_and_key(self, entry: QueueEntry) -> tuple[dict[str, Any], AgencyKey]:
        p, eid = self.p, entry.entity_id
        review = self.bundle.current_review
        if entry.entity == "note":
            note = p.notes.get(eid)
            if note.state is NoteState.DRAFT:
                raise ValidationError("drafts do not sync", field="state")
            return payloads.note_payload(note), review
        if entry.entity == "addendum":
            return payloads.addendum_payload(load_addendum(p.notes, eid)), review
        if entry.entity == "resubmit":
            answers = p.notes.addenda_answering_return(eid, entry.created_at)
            at = from_iso(entry.created_at)
            return payloads.resubmit_payload(eid, answers, at), review
        if entry.entity == "trip":
            return payloads.trip_payload(p.trips.get(eid)), review
        if entry.entity == "participant":
            return payloads.participant_payload(p.participants.get(eid)), review
        if entry.entity == "referral" and p.referrals is not None:
            return payloads.referral_payload(p.referrals.get(eid)), review
        if entry.entity == "correction" and p.corrections is not None:
            return payloads.correction_payload(p.corrections.get(eid)), review
        if entry.entity == "escrow":
            secret = p.device.escrow_secret(eid)
            if secret is None:
                raise NotFound("recovery secret", eid)
            return {"secret": secret, "escrow_id": eid}, self.bundle.recovery
        raise ValidationError(f"unknown outbox entity {entry.entity!r}", field="entity")

    def _seal(self, entry: QueueEntry) -> Record:
        payload, key, entity_id = self._payload(entry)
        return seal_record(
            payload,
            device_id=self.record.device_id,
            kind=entry.entity,
            entity_id=entity_id,
            op_id=entry.op_id,
            key_id=key.key_id,
            recipient_public=key.public,
        )

    # -- sending ---------------------------------------------------------------------------

    def _encode(self, batch_id: str, records: Sequence[Record]) -> bytes:
        batch = Batch(
            self.record.device_id, batch_id, self.cursor, tuple(records), to_iso(now_utc())
        )
        return batch.encode(self.secrets.signing)

    def _backoff(self, attempt: int, cause: str) -> float:
        if attempt >= self.options.max_attempts:
            raise AgencyUnreachable(f"{cause} (gave up after {attempt} attempts)")
        ceiling = min(self.options.backoff_cap_s, self.options.backoff_base_s * 2 ** (attempt - 1))
        delay = self.rng.uniform(0.0, ceiling)
        if self.clock() - self.t0 + delay > self.options.retry_budget_s:
            raise AgencyUnreachable(f"{cause} (gave up: the retry time budget is spent)")
        return delay

    def _send(self, records: Sequence[Record]) -> Iterator[SyncEvent]:
        self.batches += 1
        number = self.batches
        batch_id = new_id()
        body = self._encode(batch_id, records)
        op_ids = [r.op_id for r in records]
        attempt = 0
        remade = False
        while True:
            attempt += 1
            yield BatchSent(number, len(records), len(body), attempt)
            if op_ids:
                self.p.queue.count_attempt(op_ids)
            received_before = self.client.bytes_received
            self.bytes_up += len(body)
            try:
                response = self.client.sync(body)
            except RevokedByAgency as exc:
                self._revoked(exc.wipe_order)
            except AgencyUnreachable as exc:
                cause = exc.cause
            except AgencyRejected as exc:
                if exc.code == "in_flight":
                    cause = "the agency is still working on this batch"
                elif exc.code == "idempotency_mismatch" and not remade:
                    # Should not happen (same id, same bytes); a new id is safe, the
                    # agency deduplicates records by op id.
                    remade = True
                    batch_id = new_id()
                    body = self._encode(batch_id, records)
                    continue
                elif exc.status == 413 and len(records) > 1:
                    half = len(records) // 2
                    self.batches -= 1
                    yield from self._send(records[:half])
                    yield from self._send(records[half:])
                    return
                elif exc.status == 413 and records:
                    self._quarantine_here(
                        records[0].op_id,
                        records[0].kind,
                        "too_large",
                        "the agency refused it as too large",
                    )
                    return
                else:
                    raise
            else:
                self.bytes_down += self.client.bytes_received - received_before
                break
            self.bytes_down += self.client.bytes_received - received_before
            delay = self._backoff(attempt, cause)
            log.info("sync batch %d: %s; retrying in %.1f s", number, cause, delay)
            yield Retrying(attempt, delay, cause)
            self.sleep(delay)
        self.requests += 1
        self.sent += len(records)
        yield from self._apply(number, batch_id, records, response)

    # -- applying an answer ---------------------------------------------------------------------

    def _apply(
        self, number: int, batch_id: str, records: Sequence[Record], response: SyncResponse
    ) -> Iterator[SyncEvent]:
        if response.batch_id != batch_id:
            raise ProtocolError("the agency answered for another batch")
        # A wipe order goes before anything else in the answer.
        for item in response.inbound:
            if item.kind == "wipe":
                self._wipe(item.payload)
        in_batch = {r.op_id for r in records}
        acks: dict[str, int] = {}
        for ack in response.acks:
            if ack.op_id in in_batch:
                acks.setdefault(ack.op_id, ack.seq)
            else:
                log.warning("the agency acknowledged an op id that was not in the batch")
        rejects: dict[str, Reject] = {}
        for rej in response.rejects:
            if rej.op_id in in_batch and rej.op_id not in acks:
                rejects.setdefault(rej.op_id, rej)
        feedback_before, ignored_before = self.feedback, self.ignored
        escrows: list[str] = []
        with translate_errors("save what the agency answered"), self.p.db.atomic():
            changed = self.p.queue.mark_acked(acks)
            for entry in changed:
                if entry.entity == "note":
                    self._move(entry.entity_id, NoteState.SIGNED, "submit")
                elif entry.entity == "escrow":
                    self.p.device.drop_escrow_secret(entry.entity_id)
                    escrows.append(entry.entity_id)
            rejected = 0
            for rej in rejects.values():
                reason = f"the agency refused it ({rej.code}): {rej.reason}"
                if self.p.queue.quarantine(rej.op_id, rej.code, reason):
                    rejected += 1
            for item in sorted(response.inbound, key=lambda i: i.seq):
                if item.seq > self.cursor:
                    self._inbound(item)
            cursor = max(self.cursor, response.cursor)
            self.p.device.set_cursor(cursor)
        self.cursor = cursor
        self.more = response.more
        self.acked += len(changed)
        self.rejected += rejected
        for escrow_id in escrows:
            # The agency holds the newest secret: older recovery codes can go.
            self.p.vault.drop_recovery_slots_before(escrow_id)
        if records:
            yield BatchDone(number, len(changed), rejected, len(acks) - len(changed))
        if response.inbound:
            yield InboundApplied(
                self.feedback - feedback_before, self.ignored - ignored_before, self.cursor
            )
        if any(r.code in KEY_REJECTS for r in rejects.values()):
            self._refresh_bundle([r.op_id for r in rejects.values() if r.code in KEY_REJECTS])

    def _move(self, note_id: str, expected: NoteState, action: str) -> None:
        state = note_state(self.p.db, note_id)
        if state is expected:
            move_note(self.p.db, note_id, state, note_rules.next_state(state, action))

    def _inbound(self, item: Inbound) -> None:
        if item.kind == "feedback":
            self._feedback(item)
        elif item.kind == "wipe":
            pass  # looked at before anything else (see _apply)
        elif item.kind == "directory" and self.p.directory is not None:
            self._directory(self.p.directory, item)
        else:
            # policy updates are not used by this version
            self.ignored += 1
            log.info("inbound %s update (seq %d) not used by this version", item.kind, item.seq)

    def _directory(self, target: DirectoryTarget, item: Inbound) -> None:
        try:
            result = apply_directory_update(target, item.payload, trusted_signers(self.bundle))
        except (BadSignature, DirectoryDataError) as exc:
            self.ignored += 1
            log.warning("directory update (seq %d) not applied: %s", item.seq, exc)
            return
        if result.applied:
            self.directory_updates += 1

    def _feedback(self, item: Inbound) -> None:
        parsed = self._open_feedback(item)
        if parsed is None:
            self.ignored += 1
            return
        decision, comment, reviewer, at = parsed
        stored = self.p.feedback.add(
            note_id=item.ref,
            decision=decision,
            comment=comment,
            reviewer=reviewer,
            decided_at=at,
            server_seq=item.seq,
        )
        if stored is None:
            return
        self.feedback += 1
        state = note_state(self.p.db, item.ref)
        if state is None:
            log.warning("feedback (seq %d) for a note this profile does not have", item.seq)
            return
        try:
            new = review_transition(state, decision)
        except InvalidTransition:
            log.warning("feedback (seq %d) does not apply to a %s note", item.seq, state.value)
            return
        move_note(self.p.db, item.ref, state, new)
        self.p.audit.append("sync", kind="feedback", note_id=item.ref, decision=decision)

    def _open_feedback(self, item: Inbound) -> tuple[str, str, str, datetime] | None:
        if not item.ref:
            log.warning("feedback (seq %d) names no note; ignored", item.seq)
            return None
        try:
            plain = open_sealed(
                item.payload, self.secrets.box, feedback_info(self.record.device_id, item.ref)
            )
        except SealBroken:
            log.warning("feedback (seq %d) does not open with this laptop's key", item.seq)
            return None
        try:
            doc = msgpack.unpackb(plain, raw=False, strict_map_key=True)
        except (ValueError, msgpack.UnpackException):
            doc = None
        try:
            if not isinstance(doc, dict):
                raise ValueError("not a map")
            decision, comment = doc["decision"], doc["comment"]
            reviewer, at = doc["reviewer"], doc["at"]
            if decision not in ("approved", "returned"):
                raise ValueError("unknown decision")
            if not isinstance(comment, str) or not isinstance(reviewer, str):
                raise ValueError("comment and reviewer must be text")
            if len(comment) > MAX_FEEDBACK_TEXT or len(reviewer) > 200:
                raise ValueError("too long")
            when = from_iso(str(at).replace("Z", "+00:00"))
        except (KeyError, TypeError, ValueError):
            log.warning("feedback (seq %d) is malformed; ignored", item.seq)
            return None
        return str(decision), comment, reviewer, when

    # -- revocation and wipe -------------------------------------------------------------------

    def _wipe(self, blob: bytes) -> None:
        """Erase the profile if ``blob`` is a valid wipe order for this device (then
        raise :class:`DeviceRevoked`); otherwise log, count and carry on."""
        try:
            doc = open_wipe_order(blob, self.bundle, self.record.device_id)
        except BadSignature as exc:
            self.forged_wipes += 1
            log.warning("ignored a wipe order that is not valid: %s", exc)
            return
        self.p.vault.crypto_erase()
        log.warning("wipe order %s applied: this profile was erased", str(doc.get("order"))[:40])
        raise DeviceRevoked(
            "the agency revoked this laptop; the PeerDesk data on it has been erased"
        )

    def _revoked(self, wipe_order: bytes | None) -> NoReturn:
        if wipe_order is not None:
            self._wipe(wipe_order)
        raise DeviceRevoked(
            "the agency says this laptop was revoked, but sent no valid wipe order; "
            "nothing was erased and sync is stopped"
        )

    # -- key bundle ------------------------------------------------------------------------------

    def _check_bundle(self) -> None:
        """Pick up rotated agency keys before sealing anything (at most once per
        ``bundle_check_s``); a failure here is logged and the sync goes on."""
        checked = self.record.bundle_checked_at
        now = now_utc()
        if checked and (now - from_iso(checked)).total_seconds() < self.options.bundle_check_s:
            return
        if self._take_newer_bundle() != "failed":
            self.p.device.mark_bundle_checked(to_iso(now))

    def _take_newer_bundle(self) -> str:
        """Fetch the agency's bundle; keep it if it verifies with the pinned root key
        and was issued after ours. Returns "newer", "same" or "failed"."""
        try:
            blob = self.client.bundle()
            fresh = open_bundle(blob, self.record.root_key, self.record.root_key_id)
        except (AgencyUnreachable, AgencyRejected, IntegrityError) as exc:
            log.warning("could not refresh the agency keys: %s", type(exc).__name__)
            return "failed"
        if fresh == self.bundle or not _issued_after(fresh.issued_at, self.bundle.issued_at):
            return "same"
        self.p.device.set_bundle(blob, to_iso(now_utc()))
        self.bundle = fresh
        log.info("agency keys refreshed (bundle issued %s)", fresh.issued_at[:40])
        return "newer"

    def _refresh_bundle(self, op_ids: list[str]) -> None:
        """The agency refused our keys: fetch its bundle once per run; if a newer
        valid one arrives, keep it and put those records back in the queue."""
        if self.bundle_refreshed:
            return
        self.bundle_refreshed = True
        if self._take_newer_bundle() != "newer":
            return
        back = self.p.queue.retry(op_ids)
        seqs = self.p.queue.seqs_of(op_ids)
        if seqs:
            self.last_seq = min(self.last_seq, min(seqs) - 1)
            self.rewound = True
        self.rejected -= back
        log.info("%d record(s) will be sealed again to the new keys", back)
