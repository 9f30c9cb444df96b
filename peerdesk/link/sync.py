"""A laptop's sync run, as a step generator (:mod:`peerdesk.link.steps`).

A run reads the pending outbox entries in journal order and seals them
(:mod:`peerdesk.link.outbound`), groups the records into batches capped by bytes
and sends one batch per ``POST /v1/sync``:

* A batch is encoded once; retries within the run resend the same bytes with the
  same batch id, so the agency answers a replay from its idempotency store.
  Network failures are retried with exponential backoff and full jitter, within
  an attempt count and a time budget (``clock`` and ``rng`` are injectable; the
  back-off is a ``Wait`` step). A run stopped by a drop leaves the
  unacknowledged entries pending; the next run rebuilds them into new batches,
  which is safe because the agency deduplicates by op id.
* Each answer is applied in one transaction: acknowledged entries are marked
  ``acked`` (a note moves to ``submitted``; an acknowledged escrow deletes the
  recovery secret), rejected ones are quarantined with the reason and the queue
  moves on, inbound items are applied (:mod:`peerdesk.link.inbound`: wipe orders
  first) and the cursor moves forward.

Every request is a ``Net`` step, so the profile is never held while the network
is slow; if the profile was locked while a request was out, the run stops with
:class:`VaultLocked` before it touches anything. Every run leaves an honest
status (:class:`peerdesk.store.sync_state.SyncLog`) and one "sync" audit row with
counts only.
"""

from __future__ import annotations

import logging
import random
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future
from typing import Any

from peerdesk.domain import notes as note_rules
from peerdesk.domain.models import NoteState
from peerdesk.errors import (
    AgencyRejected,
    AgencyUnreachable,
    DeviceRevoked,
    IntegrityError,
    Msg,
    PeerDeskError,
    ProtocolError,
    StorageError,
    VaultError,
    VaultLocked,
)
from peerdesk.ids import from_iso, new_id, now_utc, to_iso
from peerdesk.link.client import AgencyClient, RevokedByAgency
from peerdesk.link.directory_download import directory_download
from peerdesk.link.inbound import InboundItems
from peerdesk.link.outbound import Outbound, client_status, words
from peerdesk.link.parts import SyncParts
from peerdesk.link.steps import Net, Start, Wait, awaiting, request
from peerdesk.link.sync_events import (
    BatchDone,
    BatchSent,
    InboundApplied,
    Retrying,
    SyncEvent,
    SyncFinished,
    SyncOptions,
    SyncStarted,
    SyncSummary,
)
from peerdesk.link.sync_events import (
    Flight as _Flight,
)
from peerdesk.store.db import translate_errors
from peerdesk.store.sync_state import move_note, note_state
from peerdesk.wire.batching import Planned, Planner, Ready, estimate_bytes
from peerdesk.wire.protocol import (
    Batch,
    KeyBundle,
    Record,
    Reject,
    SyncResponse,
    open_bundle,
)
from peerdesk.wire.segments import Segment

log = logging.getLogger(__name__)

__all__ = [
    "BatchDone",
    "BatchSent",
    "InboundApplied",
    "Retrying",
    "SyncEvent",
    "SyncFinished",
    "SyncOptions",
    "SyncStarted",
    "SyncSummary",
    "run_sync",
]

#: reject codes that mean "the device sealed to keys the agency no longer takes"
KEY_REJECTS = frozenset({"unknown_key", "expired_key"})


#: a sync run: progress events and steps, then the summary
SyncSteps = Generator[Any, Any, SyncSummary]
_Steps = Generator[Any, Any, None]


def run_sync(
    parts: SyncParts,
    client: AgencyClient,
    options: SyncOptions | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
    rng: random.Random | None = None,
) -> SyncSteps:
    """One sync run: yields progress events (ending with :class:`SyncFinished`)
    and steps; returns the :class:`SyncSummary`.

    Raises :class:`NotEnrolled`, :class:`VaultLocked`, :class:`AgencyUnreachable`
    (retries spent), :class:`AgencyRejected`, :class:`DeviceRevoked` (after the
    erase, if a valid wipe order came), :class:`ProtocolError` or a
    :class:`StorageError`; the status records each failure in words first.
    """
    run = _Run(parts, client, options or SyncOptions(), clock, rng or random.Random())
    return (yield from run.run())


def _issued_after(a: str, b: str) -> bool:
    """Whether ISO time ``a`` is later than ``b`` (text order if one does not parse)."""
    try:
        return from_iso(a.replace("Z", "+00:00")) > from_iso(b.replace("Z", "+00:00"))
    except ValueError:
        return a > b


class _Run:
    def __init__(
        self,
        parts: SyncParts,
        client: AgencyClient,
        options: SyncOptions,
        clock: Callable[[], float],
        rng: random.Random,
    ) -> None:
        self.p = parts
        self.client = client
        self.options = options
        self.clock = clock
        self.rng = rng
        self.t0 = clock()
        self.cursor = 0
        self.more = False
        #: set when the queue was rewound (records to seal again)
        self.rewound = False
        self.requests = 0
        self.bundle_refreshed = False
        #: a newer key bundle was taken after the agency refused our keys
        self.keys_taken = False
        #: op ids put back in the queue to be sealed to the new keys
        self.requeued: set[str] = set()
        self.received0 = 0
        self.batches = 0
        self.unanswered = 0  # records sent, not yet answered
        self.ahead = 0  # records of the plan not yet sent
        self.sent = 0
        self.acked = 0
        self.rejected = 0
        self.bytes_up = 0
        self.bytes_down = 0
        self.notes_moved = 0
        self.escrows = 0
        self.keys_refreshed = False

    # -- the run -------------------------------------------------------------------------

    def run(self) -> SyncSteps:
        self.record = self.p.device.require()
        secrets = self.p.device.secrets()
        self.out = Outbound(self.p, self.record.device_id, self.options.window)
        self.inbound = InboundItems(self.p, self.record, secrets)
        self.signing = secrets.signing
        self._use_bundle(
            open_bundle(self.record.bundle, self.record.root_key, self.record.root_key_id)
        )
        self.cursor = self.record.cursor
        run_id = self.p.log.start_run()
        try:
            yield from self._body()
        except DeviceRevoked as exc:
            self._finish(run_id, "revoked", words(exc))
            raise
        except GeneratorExit:
            self._finish(run_id, "stopped", "the sync was stopped before it finished")
            raise
        except PeerDeskError as exc:
            self._finish(run_id, "failed", words(exc))
            raise
        except BaseException as exc:
            self._finish(run_id, "failed", f"internal error ({type(exc).__name__})")
            raise
        summary = self._finish(run_id, "ok", None)
        yield SyncFinished(summary)
        return summary

    def _use_bundle(self, bundle: KeyBundle) -> None:
        self.bundle = self.out.bundle = self.inbound.bundle = bundle

    def _net(self, fn: Callable[..., Any], *args: Any) -> Generator[Net, Any, Any]:
        return (yield from request(self._still_open, fn, *args))

    def _still_open(self) -> None:
        if not self.p.vault.is_unlocked:
            raise VaultLocked("the profile was locked during sync; it resumes next time")

    def _body(self) -> _Steps:
        yield from self._check_bundle()
        self.received0 = self.client.bytes_received
        pending = self.p.queue.counts().pending
        self.planner = Planner(self.record.device_id, self.options.batch_bytes)
        items = self.out.next_window()
        plan = self.planner.plan(items)
        yield SyncStarted(pending, self._estimate(plan, pending))
        # The last, perhaps half-full batch of a window waits for the next window
        # (its records are sealed again with the next ones), so a window boundary
        # never costs an extra round trip.
        carry: list[Ready | Record] = []
        while items or carry:
            if items:
                if carry:
                    items = carry + items
                    plan = self.planner.plan(items)
                if not self.out.exhausted:  # more follows: the last batch waits for it
                    keep = set(plan.pop().op_ids)
                    carry = [i for i in items if i.op_id in keep]
            else:
                plan, carry = self.planner.plan(carry), []
            yield from self._send_plan(plan)
            if self.rewound:
                # records went back in the queue to be sealed to new keys: what was
                # held back is read again with them
                self.rewound, carry = False, []
            items = self.out.next_window()
            plan = self.planner.plan(items) if items and not carry else []
        rounds = 0
        while (self.requests == 0 or self.more) and rounds < self.options.max_pull_rounds:
            rounds += 1
            yield from self._send(Planned((), (), 0))
        yield from self._directory_download()

    def _directory_download(self) -> _Steps:
        """A large or unappliable directory update: chunks (link.directory_download)."""
        download = directory_download(self.p, self.client, self.bundle, self._net, Retrying,
                                      self.options, self.rng)  # fmt: skip
        if download is not None:
            try:
                yield from download.run()
            finally:
                self.bytes_down += download.bytes_down
                self.inbound.directory_updates += download.applied

    def _estimate(self, plan: Sequence[Planned], pending: int) -> int:
        """The request bytes the run will send (:func:`wire.batching.estimate_bytes`)."""
        left = pending - sum(p.count for p in plan) - self.out.quarantined_here
        return estimate_bytes(plan, self.record.device_id, self.cursor, left)

    def _finish(self, run_id: int, outcome: str, error: str | None) -> SyncSummary:
        if self.received0:
            self.bytes_down = self.client.bytes_received - self.received0
        counts = self.p.queue.counts()
        inb, here = self.inbound, self.out.quarantined_here
        summary = SyncSummary(
            batches=self.batches,
            sent=self.sent,
            acked=self.acked,
            rejected=self.rejected,
            quarantined_here=here,
            feedback=inb.feedback,
            ignored_inbound=inb.ignored,
            forged_wipes=inb.forged_wipes,
            directory_updates=inb.directory_updates,
            bytes_up=self.bytes_up,
            bytes_down=self.bytes_down,
            pending=counts.pending,
            quarantined=counts.quarantined,
            cursor=self.cursor,
            notes_moved=self.notes_moved + inb.notes_moved,
            escrows=self.escrows,
            keys_refreshed=self.keys_refreshed,
            reopened=inb.reopened,
        )
        try:
            self.p.log.finish_run(
                run_id,
                outcome,
                sent=self.sent,
                acked=self.acked,
                rejected=self.rejected + here,
                inbound=inb.feedback + inb.ignored,
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
                    quarantined=here,
                    feedback=inb.feedback,
                    ignored=inb.ignored,
                    forged_wipes=inb.forged_wipes,
                    directory=inb.directory_updates,
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
            inb.feedback,
            self.bytes_up,
            self.bytes_down,
        )
        return summary

    # -- sending ---------------------------------------------------------------------------

    def _encode(self, batch_id: str, planned: Planned) -> bytes:
        batch = Batch(
            self.record.device_id,
            batch_id,
            self.cursor,
            planned.records,
            to_iso(now_utc()),
            planned.segments,
        )
        body = batch.encode(self.signing)
        if len(body) > self.options.batch_bytes and planned.count > 1:
            raise ProtocolError("a planned batch came out larger than its limit")
        return body

    def _backoff(self, attempt: int, cause: str) -> float:
        if attempt >= self.options.max_attempts:
            raise AgencyUnreachable(f"{cause} (gave up after {attempt} attempts)")
        ceiling = min(self.options.backoff_cap_s, self.options.backoff_base_s * 2 ** (attempt - 1))
        delay = self.rng.uniform(0.0, ceiling)
        if self.clock() - self.t0 + delay > self.options.retry_budget_s:
            raise AgencyUnreachable(f"{cause} (gave up: the retry time budget is spent)")
        return delay

    def _send_plan(self, plan: Sequence[Planned]) -> _Steps:
        """Send the planned batches with up to ``options.pipeline`` of them on the
        wire at once; answers are applied in batch order, each as it comes."""
        flight: deque[_Flight] = deque()
        self.ahead = sum(p.count for p in plan)
        try:
            for planned in plan:
                if self.rewound:
                    break
                self.ahead -= planned.count
                flight.append((yield from self._start(planned)))
                while len(flight) >= self.options.pipeline:
                    yield from self._deliver(flight.popleft())
            while flight:
                yield from self._deliver(flight.popleft())
        finally:
            self.ahead = 0
            for f in flight:  # stopped: the answers still out are dropped
                if f.ticket is not None:
                    f.ticket.cancel()

    def _open_flight(self, planned: Planned, ticket: Future[Any] | None = None) -> _Flight:
        self.batches += 1
        self.unanswered += planned.count
        batch_id = new_id()
        return _Flight(self.batches, planned, batch_id, self._encode(batch_id, planned), ticket)

    def _announce(self, f: _Flight, attempt: int) -> Generator[Any, Any, None]:
        self.client.status = client_status(self.p.queue, self.unanswered + self.ahead)
        yield BatchSent(f.number, f.planned.count, len(f.body), attempt)
        if f.op_ids:
            self.p.queue.count_attempt(f.op_ids)
        self.bytes_up += len(f.body)

    def _start(self, planned: Planned) -> Generator[Any, Any, _Flight]:
        f = self._open_flight(planned)
        yield from self._announce(f, 1)
        if self.options.pipeline > 1:
            f.ticket = yield Start(self.client.sync, f.body)
        return f

    def _send(self, planned: Planned) -> _Steps:
        """Send one batch and wait for its answer (no pipelining)."""
        f = self._open_flight(planned)
        yield from self._announce(f, 1)
        yield from self._deliver(f)

    def _deliver(self, f: _Flight) -> _Steps:
        try:
            yield from self._answer(f)
        finally:
            self.unanswered -= f.planned.count

    def _answer(self, f: _Flight) -> _Steps:
        """Wait for (or make) the batch's request, retry it as needed, apply the answer."""
        attempt = 1
        remade = False
        while True:
            try:
                if f.ticket is not None:
                    ticket, f.ticket = f.ticket, None
                    response = yield from awaiting(self._still_open, ticket)
                else:
                    response = yield from self._net(self.client.sync, f.body)
            except RevokedByAgency as exc:
                self.inbound.revoked(exc.wipe_order)
            except AgencyUnreachable as exc:
                cause = exc.cause
            except AgencyRejected as exc:
                if exc.code == "in_flight":
                    cause = "the agency is still working on this batch"
                elif exc.code == "idempotency_mismatch" and not remade:
                    # Should not happen (same id, same bytes); a new id is safe, the
                    # agency deduplicates records by op id.
                    remade = True
                    f.batch_id = new_id()
                    f.body = self._encode(f.batch_id, f.planned)
                    attempt += 1
                    yield from self._announce(f, attempt)
                    continue
                elif exc.status == 413:
                    yield from self._too_large(f)
                    return
                else:
                    raise
            else:
                break
            delay = self._backoff(attempt, cause)
            log.info("sync batch %d: %s; retrying in %.1f s", f.number, cause, delay)
            yield Retrying(attempt, delay, cause)
            yield Wait(delay)
            attempt += 1
            yield from self._announce(f, attempt)
        self.requests += 1
        self.sent += f.planned.count
        yield from self._apply(f.number, f.batch_id, f.op_ids, response)

    def _too_large(self, f: _Flight) -> _Steps:
        """The agency refused the body as too large: send its pieces in two
        halves, or set a piece that travelled alone aside."""
        pieces: list[Segment | Record] = [*f.planned.segments, *f.planned.records]
        if len(pieces) > 1:
            half = len(pieces) // 2
            for part in (pieces[:half], pieces[half:]):
                for planned in self.planner.pack(part):
                    yield from self._send(planned)
            return
        for piece in pieces:
            kind = piece.kind
            ops = [op for op, _ in piece.members()] if isinstance(piece, Segment) else [piece.op_id]
            for op in ops:
                self.out.quarantine_here(
                    op, kind, "too_large", "the agency refused it as too large"
                )

    # -- applying an answer ---------------------------------------------------------------------

    def _apply(
        self, number: int, batch_id: str, op_ids: Sequence[str], response: SyncResponse
    ) -> _Steps:
        if response.batch_id != batch_id:
            raise ProtocolError("the agency answered for another batch")
        # A wipe order goes before anything else in the answer.
        for item in response.inbound:
            if item.kind == "wipe":
                self.inbound.wipe(item.payload)
        in_batch = set(op_ids)
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
        feedback_before, ignored_before = self.inbound.feedback, self.inbound.ignored
        escrows: list[str] = []
        with translate_errors(Msg("save what the agency answered")), self.p.db.atomic():
            changed = self.p.queue.mark_acked(acks)
            for entry in changed:
                if entry.entity == "note":
                    self._submitted(entry.entity_id)
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
                    self.inbound.apply(item)
            cursor = max(self.cursor, response.cursor)
            self.p.device.set_cursor(cursor)
        self.cursor = cursor
        self.more = response.more
        self.acked += len(changed)
        self.rejected += rejected
        self.escrows += len(escrows)
        for escrow_id in escrows:
            # The agency holds the newest secret: older recovery codes can go.
            self.p.vault.drop_recovery_slots_before(escrow_id)
        self.bytes_down = self.client.bytes_received - self.received0
        if op_ids:
            yield BatchDone(number, len(changed), rejected, len(acks) - len(changed))
        if response.inbound:
            yield InboundApplied(
                self.inbound.feedback - feedback_before,
                self.inbound.ignored - ignored_before,
                self.cursor,
            )
        if any(r.code in KEY_REJECTS for r in rejects.values()):
            yield from self._refresh_bundle(
                [r.op_id for r in rejects.values() if r.code in KEY_REJECTS]
            )

    def _submitted(self, note_id: str) -> None:
        state = note_state(self.p.db, note_id)
        if state is NoteState.SIGNED:
            if move_note(self.p.db, note_id, state, note_rules.next_state(state, "submit")):
                self.notes_moved += 1

    # -- key bundle ------------------------------------------------------------------------------

    def _check_bundle(self) -> _Steps:
        """Pick up rotated agency keys before sealing anything (at most once per
        ``bundle_check_s``); a failure here is logged and the sync goes on."""
        checked = self.record.bundle_checked_at
        now = now_utc()
        if checked and (now - from_iso(checked)).total_seconds() < self.options.bundle_check_s:
            return
        if (yield from self._take_newer_bundle()) != "failed":
            self.p.device.mark_bundle_checked(to_iso(now))

    def _take_newer_bundle(self) -> Generator[Any, Any, str]:
        """Fetch the agency's bundle; keep it if it verifies with the pinned root key
        and was issued after ours. Returns "newer", "same" or "failed"."""
        try:
            blob = yield from self._net(self.client.bundle)
            fresh = open_bundle(blob, self.record.root_key, self.record.root_key_id)
        except (AgencyUnreachable, AgencyRejected, IntegrityError) as exc:
            log.warning("could not refresh the agency keys: %s", type(exc).__name__)
            return "failed"
        if fresh == self.bundle or not _issued_after(fresh.issued_at, self.bundle.issued_at):
            return "same"
        self.p.device.set_bundle(blob, to_iso(now_utc()))
        self._use_bundle(fresh)
        self.keys_refreshed = True
        log.info("agency keys refreshed (bundle issued %s)", fresh.issued_at[:40])
        return "newer"

    def _refresh_bundle(self, op_ids: list[str]) -> _Steps:
        """The agency refused our keys: fetch its bundle once per run; if a newer
        valid one arrives, keep it and put those records back in the queue."""
        if not self.bundle_refreshed:
            self.bundle_refreshed = True
            self.keys_taken = (yield from self._take_newer_bundle()) == "newer"
        # a batch still on the wire when the keys were taken brings its rejections
        # later: those records go back too, each once per run
        op_ids = [op for op in op_ids if op not in self.requeued]
        if not self.keys_taken or not op_ids:
            return
        self.requeued.update(op_ids)
        back = self.p.queue.retry(op_ids)
        seqs = self.p.queue.seqs_of(op_ids)
        if seqs:
            self.out.last_seq = min(self.out.last_seq, min(seqs) - 1)
            self.rewound = True
        self.rejected -= back
        log.info("%d record(s) will be sealed again to the new keys", back)
        return
