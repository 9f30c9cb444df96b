"""Supervisor review at the agency, without HTTP: enrollment of supervisors,
review-key grants, the team-filtered views and decisions.

:mod:`peerdesk.agency.app` is a thin FastAPI layer over :class:`ReviewServer`
(as it is over :class:`~peerdesk.agency.server.AgencyServer` for sync), and
:class:`peerdesk.agency.review.Reviewer` (IT's command-line reviewer) records its
decisions through the same :func:`decide`, so both sides apply the same checks.

Key model: devices seal records to the agency review key. A supervisor's profile
makes its own Ed25519 and X25519 pairs and registers the public halves with a
one-time invite that IT issued for a team. A *review grant* is one review private
key HPKE-sealed to one supervisor's box key (:func:`make_grants`, info
:func:`grant_info`); IT makes grants with the supervisor passphrase, the server only
stores them. Removing a supervisor deletes their grants and refuses their
credential; the next ``rotate-review-key`` grants the new key to the active
supervisors only. A supervisor sees only the devices of their own team.
"""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from peerdesk.agency.errors import SupervisorRemoved, Unauthorized
from peerdesk.agency.models import (
    DECISIONS,
    SUPERVISOR_ROLE,
    AuditEntry,
    Decision,
    Device,
    NewSupervisor,
    ReviewEvent,
    ReviewGrant,
    StoredRecord,
    StoredSegment,
    Supervisor,
)
from peerdesk.agency.server import (
    DEFAULT_CODE_VALIDITY,
    bearer_token,
    check_code,
    check_label,
    check_public_key,
    check_team,
    hash_code,
    hash_credential,
    issue_enrollment_code,
    keyed_code_hash,
    signed_bundle,
)
from peerdesk.agency.storage import Storage
from peerdesk.crypto.seal import SEAL_OVERHEAD, BoxKeyPair, open_sealed, seal
from peerdesk.errors import SealBroken, ValidationError
from peerdesk.ids import now_utc
from peerdesk.wire.fields import HEX_PATTERN
from peerdesk.wire.review import MAX_FEEDBACK_BYTES, MAX_PAGE, MAX_REVIEWER, MAX_SEQ

log = logging.getLogger("peerdesk.agency.supervisors")

#: what a supervisor pulls (escrow goes to the recovery key; corrections are about
#: the public directory, not a participant)
REVIEW_RECORD_KINDS = (
    "note", "addendum", "trip", "participant", "resubmit", "referral",
    "plan", "enrollment", "consent", "outcome", "care_member", "crisis", "safety_plan",
    "appointment",
    "supervision", "certification", "ceu", "wellbeing",
)  # fmt: skip
_HEX = re.compile(HEX_PATTERN)


# --- grants ---------------------------------------------------------------------------


def grant_info(supervisor_id: str, key_id: str) -> bytes:
    """The HPKE ``info`` of a review grant: binds it to one supervisor and one key."""
    return b"peerdesk-review-grant|" + supervisor_id.encode() + b"|" + key_id.encode()


def make_grants(supervisor: Supervisor, keys: Sequence[BoxKeyPair]) -> list[ReviewGrant]:
    """Seal each review private key to the supervisor's box key."""
    if supervisor.removed:
        raise ValidationError(
            f"supervisor {supervisor.supervisor_id} was removed at {supervisor.removed_at}; "
            "a removed supervisor gets no review keys",
            field="supervisor",
        )
    return [
        ReviewGrant(
            supervisor.supervisor_id,
            key.key_id,
            seal(
                key.private_raw(),
                supervisor.box_pub,
                grant_info(supervisor.supervisor_id, key.key_id),
            ),
        )
        for key in keys
    ]


def open_grant(grant: ReviewGrant, box: BoxKeyPair) -> BoxKeyPair:
    """The review key pair in a grant, opened with the supervisor's box key.
    :class:`SealBroken` if it is not theirs, was altered, or does not hold the key
    its key id names."""
    raw = open_sealed(grant.sealed, box, grant_info(grant.supervisor_id, grant.key_id))
    try:
        pair = BoxKeyPair.from_raw(raw)
    except ValueError:
        raise SealBroken(f"grant of key {grant.key_id} does not hold a key") from None
    if pair.key_id != grant.key_id:
        raise SealBroken(f"grant of key {grant.key_id} holds key {pair.key_id}")
    return pair


# --- input checks ---------------------------------------------------------------------


def check_uuid(value: Any, what: str) -> str:
    if not isinstance(value, str) or len(value) != 36:
        raise ValidationError(f"{what} must be a UUID", field=what)
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValidationError(f"{what} must be a UUID", field=what) from None


def check_seq(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEQ:
        raise ValidationError(f"{what} must be a whole number from 0 to {MAX_SEQ}", field=what)
    return value


def check_page(after: Any, limit: Any) -> tuple[int, int]:
    after = check_seq(after, "after")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"limit must be 1-{MAX_PAGE}", field="limit")
    return after, limit


def check_feedback(value: Any) -> bytes:
    """The sealed feedback as hex: a seal, at most :data:`MAX_FEEDBACK_BYTES`."""
    if not isinstance(value, str) or len(value) > 2 * MAX_FEEDBACK_BYTES or not _HEX.match(value):
        raise ValidationError(
            f"sealed_feedback must be hexadecimal, at most {MAX_FEEDBACK_BYTES} bytes",
            field="sealed_feedback",
        )
    raw = bytes.fromhex(value)
    if len(raw) <= SEAL_OVERHEAD:
        raise ValidationError("sealed_feedback is too short to be a seal", field="sealed_feedback")
    return raw


def check_reviewer(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= MAX_REVIEWER:
        raise ValidationError(f"reviewer must be 1-{MAX_REVIEWER} characters", field="reviewer")
    return value.strip()


# --- invites and decisions (shared by the HTTP side and the CLI) -----------------------


def issue_supervisor_invite(
    storage: Storage,
    *,
    name: Any,
    team: Any,
    now: datetime,
    key: bytes,
    valid_for: timedelta = DEFAULT_CODE_VALIDITY,
    audit: AuditEntry | None = None,
) -> tuple[str, str]:
    """A one-time supervisor invite for ``team``; the supervisor will be known by
    ``name``. Returns (code, expires_at ISO); only the code's hash (keyed with
    ``key``) is stored."""
    return issue_enrollment_code(
        storage,
        now,
        valid_for,
        key=key,
        team=check_team(team, allow_none=False),
        role=SUPERVISOR_ROLE,
        name=check_label(name, "name"),
        audit=audit,
    )


def decide(
    storage: Storage,
    *,
    device_id: Any,
    note_id: Any,
    decision: Any,
    seen_seq: Any,
    actor: str,
    sealed_feedback: bytes,
    now: datetime,
    team: str | None = None,
) -> Decision:
    """Approve or return a note: check the input, then record the decision, its
    event and the sealed feedback for the device in one transaction (see
    :meth:`~peerdesk.agency.storage.reviews.Reviews.decide` for the state and ``seen_seq`` checks). ``seen_seq``
    None skips the "changed since read" check (IT's reviewer, which reads the
    records as they are at that moment); ``team`` limits it to that team's notes."""
    if decision not in DECISIONS:
        raise ValidationError("decision must be 'approved' or 'returned'", field="decision")
    if len(sealed_feedback) > MAX_FEEDBACK_BYTES:
        raise ValidationError(
            f"the sealed feedback is over {MAX_FEEDBACK_BYTES} bytes", field="sealed_feedback"
        )
    return storage.reviews.decide(
        device_id=check_uuid(device_id, "device_id"),
        note_id=check_uuid(note_id, "note_id"),
        decision=decision,
        seen_seq=None if seen_seq is None else check_seq(seen_seq, "seen_seq"),
        actor=actor,
        feedback=sealed_feedback,
        now=now,
        team=team,
    )


# --- the server -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupervisorEnrolled:
    supervisor_id: str
    name: str
    team: str
    credential: str = field(repr=False)
    bundle: bytes = field(repr=False)


class ReviewServer:
    """Supervisor enrollment and the review routes over a :class:`Storage`.
    Stateless (thread-safe); ``after_enroll`` is called with each new supervisor
    (the demo agency uses it to grant the review keys at once). ``code_key`` keys
    the hash of invites (:func:`~peerdesk.agency.server.keyed_code_hash`)."""

    def __init__(
        self,
        storage: Storage,
        *,
        code_key: bytes,
        clock: Callable[[], datetime] = now_utc,
        after_enroll: Callable[[Supervisor], None] | None = None,
    ) -> None:
        self.storage = storage
        self.code_key = code_key
        self.clock = clock
        self.after_enroll = after_enroll

    def enroll(
        self, *, code: Any, supervisor_id: Any, name: Any, sign_pub: Any, box_pub: Any
    ) -> SupervisorEnrolled:
        """Use a one-time supervisor invite to register a supervisor's public keys;
        returns their bearer credential (only its hash is kept), team and name, and
        the signed key bundle."""
        code = check_code(code)
        new = NewSupervisor(
            supervisor_id=check_uuid(supervisor_id, "supervisor_id"),
            name=check_label(name, "name"),
            sign_pub=check_public_key(sign_pub, "sign_pub"),
            box_pub=check_public_key(box_pub, "box_pub"),
        )
        bundle = signed_bundle(self.storage)  # before the code is used: no keys, code kept
        credential = secrets.token_urlsafe(32)
        supervisor = self.storage.supervisors.enroll(
            keyed_code_hash(code, self.code_key),
            new,
            hash_credential(credential),
            self.clock(),
            legacy_hash=hash_code(code),
        )
        log.info("enrolled supervisor %s (team %s)", supervisor.supervisor_id, supervisor.team)
        if self.after_enroll is not None:
            try:
                self.after_enroll(supervisor)
            except Exception as exc:  # noqa: BLE001 - enrollment stands; IT can grant by hand
                log.warning(
                    "after-enrollment step for supervisor %s failed: %s",
                    supervisor.supervisor_id,
                    type(exc).__name__,
                )
        return SupervisorEnrolled(
            supervisor.supervisor_id, supervisor.name, supervisor.team, credential, bundle
        )

    def authenticate(self, authorization: str | Sequence[str] | None) -> Supervisor:
        """The supervisor whose bearer credential this is. :class:`Unauthorized` if
        it is missing, malformed or unknown (a device credential is unknown here),
        :class:`SupervisorRemoved` if IT removed them. ``authorization`` is the
        Authorization header's value, or every value the request carried (more
        than one is malformed; see :func:`~peerdesk.agency.server.bearer_token`)."""
        token = bearer_token(authorization)
        supervisor = (
            self.storage.supervisors.by_credential(hash_credential(token)) if token else None
        )
        if supervisor is None:
            raise Unauthorized("the supervisor credential is missing, malformed or unknown")
        if supervisor.removed:
            raise SupervisorRemoved(supervisor.supervisor_id)
        return supervisor

    def grants(self, supervisor: Supervisor) -> list[ReviewGrant]:
        return self.storage.supervisors.grants(supervisor.supervisor_id)

    def devices(self, supervisor: Supervisor) -> list[Device]:
        return self.storage.devices.of_team(supervisor.team)

    def records(
        self, supervisor: Supervisor, after: Any, limit: Any
    ) -> tuple[list[StoredRecord], bool]:
        after, limit = check_page(after, limit)
        return self.storage.records.of_team(
            supervisor.team, REVIEW_RECORD_KINDS, after_seq=after, limit=limit
        )

    def segments(self, seqs: Iterable[int]) -> dict[int, StoredSegment]:
        """The segments the records of a page name (read with that page)."""
        return self.storage.records.segments(seqs)

    def events(
        self, supervisor: Supervisor, after: Any, limit: Any
    ) -> tuple[list[ReviewEvent], bool]:
        after, limit = check_page(after, limit)
        return self.storage.reviews.events(team=supervisor.team, after_seq=after, limit=limit)

    def decide(
        self,
        supervisor: Supervisor,
        *,
        device_id: Any,
        note_id: Any,
        decision: Any,
        seen_seq: Any,
        reviewer: Any,
        sealed_feedback: Any,
    ) -> Decision:
        """A decision by ``supervisor`` on a note of their team; the event's actor is
        the name IT gave the supervisor (``reviewer`` is what the sealed feedback
        says, checked but not stored)."""
        check_reviewer(reviewer)
        if seen_seq is None:
            raise ValidationError("seen_seq is required", field="seen_seq")
        done = decide(
            self.storage,
            device_id=device_id,
            note_id=note_id,
            decision=decision,
            seen_seq=seen_seq,
            actor=supervisor.name,
            sealed_feedback=check_feedback(sealed_feedback),
            now=self.clock(),
            team=supervisor.team,
        )
        log.info("supervisor %s decided %s on a note", supervisor.supervisor_id, done.state)
        return done
