"""What a laptop sends: the pending outbox entries, read in journal order and
sealed, a window at a time (see :mod:`peerdesk.link.sync`).

The journal holds references: each record is loaded through its repository at
send time, its payload built (:mod:`peerdesk.wire.payloads`) and sealed to the
agency's current review key (the recovery escrow to the recovery key). An
addendum and a "resubmit" go out under their note's id (the addendum's own id is
in its payload), so the agency keeps one review history per note. An entry that
cannot be read, is of a kind this version cannot send, or is too large is set
aside here (quarantined with the reason) and the queue moves on.
"""

from __future__ import annotations

import logging
from typing import Any

from peerdesk import __version__
from peerdesk.domain.models import NoteState
from peerdesk.errors import CorruptData, Msg, NotFound, ProtocolError, StorageError, ValidationError
from peerdesk.ids import from_iso
from peerdesk.link.parts import SyncParts
from peerdesk.store.outbox import PRIORITY_SPAN, OutboxEntry
from peerdesk.store.sync_state import SyncQueue
from peerdesk.wire import payloads, record_payloads, workforce_payloads
from peerdesk.wire.batching import LONE_KINDS, Ready
from peerdesk.wire.client_status import ClientStatus
from peerdesk.wire.protocol import (
    MAX_PAYLOAD_BYTES,
    MAX_RECORD_BYTES,
    RECORD_KINDS,
    AgencyKey,
    KeyBundle,
    Record,
    seal_record,
)
from peerdesk.wire.segments import pack_payload

log = logging.getLogger(__name__)


def words(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


class Outbound:
    """Reads and seals the pending entries of one run. The run sets
    :attr:`bundle` (and sets it again when it takes a newer one) and moves
    :attr:`last_seq` back to send entries again."""

    def __init__(self, parts: SyncParts, device_id: str, window: int) -> None:
        self.p = parts
        self.device_id = device_id
        self.window = window
        self.bundle: KeyBundle | None = None
        #: the journal seq of the last entry read
        self.last_seq = 0
        #: records set aside on this laptop in this run
        self.quarantined_here = 0
        #: the last read found fewer entries than a window: nothing more waits
        self.exhausted = False

    def next_window(self) -> list[Ready | Record]:
        """The next pending entries, packed for a segment (or sealed, a kind that
        travels alone); unreadable ones are quarantined here."""
        while True:
            entries = self.p.queue.pending_after(self.last_seq, self.window)
            self.exhausted = len(entries) < self.window
            if not entries:
                return []
            out: list[Ready | Record] = []
            for entry in entries:
                self.last_seq = entry.position  # crisis entries come first (issue 21)
                if entry.entity not in RECORD_KINDS:
                    # Journaled by a newer part of the app before the sync protocol
                    # carries that kind: set aside, retried once it does.
                    self.quarantine_here(
                        entry.op_id,
                        entry.entity,
                        "unsupported",
                        f"{entry.entity} records cannot be sent to the agency by this version",
                    )
                    continue
                try:
                    record = self._seal(entry)
                except (NotFound, CorruptData, ValidationError, ProtocolError) as exc:
                    self.quarantine_here(
                        entry.op_id, entry.entity, "unreadable", f"cannot be sent: {words(exc)}"
                    )
                    continue
                too_large = (
                    len(record.packed) > MAX_PAYLOAD_BYTES
                    if isinstance(record, Ready)
                    else record.wire_size > MAX_RECORD_BYTES
                )
                if too_large:
                    self.quarantine_here(
                        entry.op_id,
                        entry.entity,
                        "too_large",
                        "the record is too large to send to the agency",
                    )
                    continue
                out.append(record)
            if out:
                return out

    def quarantine_here(self, op_id: str, entity: str, code: str, reason: str) -> None:
        if self.p.queue.quarantine(op_id, code, reason):
            self.quarantined_here += 1
            log.warning("outbox %s %s set aside: %s", entity, op_id, code)

    def _payload(self, entry: OutboxEntry) -> tuple[dict[str, Any], AgencyKey, str]:
        """The payload of an outbox entry, the key to seal it to and the entity id
        it carries on the wire (its note's id for an addendum, see the protocol)."""
        payload, key = self._payload_and_key(entry)
        if entry.entity == "addendum":
            return payload, key, str(payload["note_id"])
        return payload, key, entry.entity_id

    def _payload_and_key(self, entry: OutboxEntry) -> tuple[dict[str, Any], AgencyKey]:
        assert self.bundle is not None
        p, eid = self.p, entry.entity_id
        review = self.bundle.current_review
        if entry.entity == "note":
            note = p.notes.get(eid)
            if note.state is NoteState.DRAFT:
                raise ValidationError(Msg("drafts do not sync"), field="state")
            payload = payloads.note_payload(note)
            if entry.position < PRIORITY_SPAN:  # journaled as a crisis note (issue 21)
                payload["crisis"] = True
            return payload, review
        if entry.entity == "addendum":
            return payloads.addendum_payload(p.notes.get_addendum(eid)), review
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
        if entry.entity in record_payloads.RECORD_KINDS and p.record is not None:
            return record_payloads.payload_of(p.record.get(eid))[1], review
        if entry.entity in workforce_payloads.WORKFORCE_KINDS and p.workforce is not None:
            # never the self-care plan, never an unshared check-in (NotFound: set aside)
            return workforce_payloads.payload_of(p.workforce.synced(entry.entity, eid))[1], review
        if entry.entity == "escrow":
            secret = p.device.escrow_secret(eid)
            if secret is None:
                raise NotFound("recovery secret", eid)
            return {"secret": secret, "escrow_id": eid}, self.bundle.recovery
        raise ValidationError(
            Msg("unknown outbox entity {entity}", entity=repr(entry.entity)), field="entity"
        )

    def _seal(self, entry: OutboxEntry) -> Ready | Record:
        payload, key, entity_id = self._payload(entry)
        if entry.entity not in LONE_KINDS:
            urgent = entry.position < PRIORITY_SPAN  # a crisis record: its own, first segments
            return Ready(entry.op_id, entry.entity, entity_id, key.key_id, key.public,
                         pack_payload(payload), urgent)  # fmt: skip
        return seal_record(
            payload,
            device_id=self.device_id,
            kind=entry.entity,
            entity_id=entity_id,
            op_id=entry.op_id,
            key_id=key.key_id,
            recipient_public=key.public,
        )


def client_status(queue: SyncQueue, sending: int) -> ClientStatus | None:
    """The ``PeerDesk-Client`` header's version and counts: what waits on the laptop
    besides the ``sending`` records of this run, and what is held back (None when
    the outbox cannot be counted)."""
    try:
        counts = queue.counts()
        return ClientStatus(__version__, max(0, counts.pending - sending), counts.quarantined)
    except (StorageError, ValueError) as exc:
        log.warning("outbox counts not reported: %s", type(exc).__name__)
        return None
