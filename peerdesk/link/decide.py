"""A supervisor's decision on a note, as a step generator: checked and sealed
here, posted (a ``Net`` step), then recorded locally.

The feedback is sealed to the laptop's box key exactly like
:meth:`peerdesk.agency.review.Reviewer.send_feedback` does (msgpack
``{decision, comment, reviewer, at}``, HPKE, ``feedback_info``), posted with the
``seen_seq`` of the opened note; a 409 is :class:`NoteChanged`. An accepted
decision is recorded locally with its event and an audit row.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgpack

from peerdesk.crypto.seal import seal
from peerdesk.crypto.vault import Vault
from peerdesk.domain.review import DECISIONS, DecisionAnswer, ReviewEvent
from peerdesk.errors import Msg, ValidationError
from peerdesk.ids import from_iso, now_utc, to_iso
from peerdesk.link.client import AgencyClient
from peerdesk.link.steps import Net
from peerdesk.store.audit import AuditLog
from peerdesk.store.db import translate_errors
from peerdesk.store.review import ReviewInbox, ReviewQueue
from peerdesk.wire.protocol import feedback_info

MAX_COMMENT = 4000
MAX_REVIEWER = 200


@dataclass(frozen=True, slots=True)
class DecideParts:
    """The profile's stores a decision reads and writes (assembled by the service)."""

    db: Any
    vault: Vault
    audit: AuditLog
    inbox: ReviewInbox
    queue: ReviewQueue


@dataclass(frozen=True, slots=True)
class Decision:
    device_id: str
    note_id: str
    decision: str
    comment: str
    seen_seq: int
    reviewer: str

    def checked(self) -> Decision:
        if self.decision not in DECISIONS:
            raise ValidationError(
                Msg("decision must be 'approved' or 'returned'"), field="decision"
            )
        comment = self.comment.strip()
        if self.decision == "returned" and not comment:
            raise ValidationError(
                Msg("write a comment that says what to fix before returning the note"),
                field="comment",
            )
        if len(comment) > MAX_COMMENT:
            raise ValidationError(
                Msg("a comment is at most {limit} characters", limit=MAX_COMMENT), field="comment"
            )
        reviewer = " ".join(self.reviewer.split())
        if not 1 <= len(reviewer) <= MAX_REVIEWER:
            raise ValidationError(
                Msg("sign the decision with your name (1-{limit} characters)", limit=MAX_REVIEWER),
                field="reviewer",
            )
        seen = self.seen_seq
        if not isinstance(seen, int) or isinstance(seen, bool) or seen < 0:
            raise ValidationError(Msg("seen_seq comes from the opened note"), field="seen_seq")
        return Decision(self.device_id, self.note_id, self.decision, comment, seen, reviewer)


def decide(
    parts: DecideParts, client: AgencyClient, decision: Decision
) -> Generator[Net, Any, ReviewEvent]:
    """Approve (co-sign) or return a note; returns the new :class:`ReviewEvent`."""
    d = decision.checked()
    # A revoked laptop's notes can still be decided (billing needs the decision);
    # its feedback simply never reaches it.
    device = parts.queue.device(d.device_id)
    parts.vault.keys  # noqa: B018 - VaultLocked before anything goes out
    at = now_utc()
    packed = msgpack.packb(
        {"decision": d.decision, "comment": d.comment, "reviewer": d.reviewer, "at": to_iso(at)},
        use_bin_type=True,
    )
    sealed = seal(packed, device.box_pub, feedback_info(d.device_id, d.note_id))
    answer: DecisionAnswer = yield Net(
        client.decide,
        device_id=d.device_id,
        note_id=d.note_id,
        decision=d.decision,
        seen_seq=d.seen_seq,
        reviewer=d.reviewer,
        sealed_feedback=sealed,
    )
    with translate_errors(Msg("save the decision")), parts.db.atomic():
        parts.inbox.record_decision(
            device_id=d.device_id,
            note_id=d.note_id,
            decision=d.decision,
            decided_at=at,
            event_seq=answer.event_seq,
            comment=d.comment,
            reviewer=d.reviewer,
        )
        parts.audit.append(
            "review",
            kind="decision",
            decision=d.decision,
            device_id=d.device_id,
            note_id=d.note_id,
            event_seq=answer.event_seq,
        )
    return ReviewEvent(d.decision, _ms(at), d.reviewer, answer.event_seq)


def _ms(moment: datetime) -> datetime:
    """``moment`` at the precision the cache stores (milliseconds)."""
    return from_iso(to_iso(moment))
