"""The supervisor's side of review: read synced records, send feedback.

The agency server cannot read a record; a :class:`Reviewer` can, because it
holds the review private keys (opened with the supervisor passphrase, on the
supervisor's machine). Feedback goes back sealed to the device's box key and is
queued as an inbound item for the device's next sync.

Decisions go through :func:`peerdesk.agency.supervisors.decide`, the same path
(and the same state checks) as a supervisor's ``POST /v1/review/decisions``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgpack

from peerdesk.agency.keys import load_review_keys
from peerdesk.agency.models import DECISIONS, StoredRecord
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.agency.supervisors import check_reviewer, check_uuid, decide
from peerdesk.crypto.seal import BoxKeyPair, seal
from peerdesk.errors import SealBroken, ValidationError
from peerdesk.ids import now_utc, to_iso
from peerdesk.wire.protocol import feedback_info, open_record
from peerdesk.wire.segments import open_member

#: what a supervisor reviews (escrow records are sealed to the recovery key instead)
REVIEW_KINDS = (
    "participant", "note", "addendum", "resubmit", "trip", "referral", "correction",
    "plan", "enrollment", "consent", "outcome", "care_member", "crisis", "safety_plan",
    "appointment",
    "supervision", "certification", "ceu", "wellbeing",
)  # fmt: skip
MAX_COMMENT = 4000


@dataclass(frozen=True, slots=True)
class OpenedRecord:
    record: StoredRecord
    payload: dict[str, Any] = field(repr=False)


class Reviewer:
    """``Reviewer(storage, keys)``: ``keys`` is the review key pair (or all of them,
    old ones too, to read records sealed before a rotation)."""

    def __init__(
        self,
        storage: Storage,
        keys: BoxKeyPair | Iterable[BoxKeyPair],
        *,
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        pairs = [keys] if isinstance(keys, BoxKeyPair) else list(keys)
        if not pairs:
            raise ValidationError("a reviewer needs at least one review key", field="keys")
        self.storage = storage
        self._keys = {k.key_id: k for k in pairs}
        self.clock = clock

    @classmethod
    def from_key_files(
        cls, settings: AgencySettings, storage: Storage, passphrase: str
    ) -> Reviewer:
        """Open every ``review-*.key`` of the agency with the supervisor passphrase
        (:class:`SealBroken` if it is wrong)."""
        return cls(storage, load_review_keys(settings, passphrase))

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(self._keys)

    def queue(
        self,
        *,
        pending_only: bool = True,
        kinds: Sequence[str] = REVIEW_KINDS,
        device_id: str | None = None,
        after_seq: int = 0,
        limit: int = 100,
    ) -> list[StoredRecord]:
        """Records waiting for review (or all), oldest first: routing metadata only."""
        return self.storage.records.find(
            kinds=kinds,
            device_id=device_id,
            pending_only=pending_only,
            after_seq=after_seq,
            limit=limit,
        )

    def open(self, record: StoredRecord | int) -> OpenedRecord:
        """Decrypt one record. :class:`SealBroken` if it is not sealed to one of
        this reviewer's keys, or was altered or moved to another device/record."""
        seq = record if isinstance(record, int) else record.seq
        stored = self.storage.records.get(seq)
        if stored.kind == "escrow":
            raise SealBroken("escrow records open only with the offline recovery key")
        key = self._keys.get(stored.key_id)
        if key is None:
            raise SealBroken(f"record {seq} is sealed to review key {stored.key_id}, not held here")
        if stored.segment is None:
            return OpenedRecord(stored, open_record(stored.to_record(), stored.device_id, key))
        found = self.storage.records.segments([stored.segment]).get(stored.segment)
        if found is None or found.device_id != stored.device_id or stored.part is None:
            raise SealBroken(f"record {seq} names a segment the agency does not hold")
        payload = open_member(
            found.segment,
            stored.part,
            device_id=stored.device_id,
            op_id=stored.op_id,
            entity_id=stored.entity_id,
            kind=stored.kind,
            recipient=key,
        )
        return OpenedRecord(stored, payload)

    def send_feedback(
        self,
        device_id: str,
        note_id: str,
        decision: str,
        comment: str,
        reviewer: str,
        *,
        seen_seq: int | None = None,
    ) -> int:
        """Approve or return a note: seal the feedback to the device, queue it for its
        next sync and set the note's review state. Returns the outbound seq.
        :class:`~peerdesk.agency.errors.AlreadyDecided` if the note waits for no
        decision; with ``seen_seq`` (the last record seq read of the note),
        :class:`~peerdesk.agency.errors.NoteChangedSinceRead` if a newer one came."""
        device_id = check_uuid(device_id, "device_id")
        note_id = check_uuid(note_id, "note_id")
        if decision not in DECISIONS:
            raise ValidationError("decision must be 'approved' or 'returned'", field="decision")
        if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
            raise ValidationError(
                f"comment must be at most {MAX_COMMENT} characters", field="comment"
            )
        name = check_reviewer(reviewer)
        device = self.storage.devices.get(device_id)
        now = self.clock()
        packed = msgpack.packb(
            {"decision": decision, "comment": comment, "reviewer": name, "at": to_iso(now)},
            use_bin_type=True,
        )
        sealed = seal(packed, device.box_pub, feedback_info(device_id, note_id))
        done = decide(
            self.storage,
            device_id=device_id,
            note_id=note_id,
            decision=decision,
            seen_seq=seen_seq,
            actor=name,
            sealed_feedback=sealed,
            now=now,
        )
        return done.outbound_seq
