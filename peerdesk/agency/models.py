"""What the agency storage hands out: frozen dataclasses, never rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from peerdesk.wire.protocol import Record
from peerdesk.wire.segments import Segment

#: key purposes in ``agency_keys``
ROOT, SIGNING, REVIEW, RECOVERY = "root", "signing", "review", "recovery"
KEY_PURPOSES = frozenset({ROOT, SIGNING, REVIEW, RECOVERY})

#: review states of a note (ODK Central's model, reduced), see ``note_reviews``
RECEIVED, RETURNED, RESUBMITTED, APPROVED = "received", "returned", "resubmitted", "approved"
REVIEW_STATES = frozenset({RECEIVED, RETURNED, RESUBMITTED, APPROVED})
#: what a supervisor decides; a decision is possible only from DECIDABLE
DECISIONS = frozenset({APPROVED, RETURNED})
DECIDABLE = frozenset({RECEIVED, RESUBMITTED})
#: the record kinds whose entity id is a note id (they version the note)
NOTE_KINDS = frozenset({"note", "addendum", "resubmit"})
#: enrollment code roles
DEVICE_ROLE, SUPERVISOR_ROLE = "device", "supervisor"
#: the actor of the events a device's records cause
PEER_ACTOR = "peer"


@dataclass(frozen=True, slots=True)
class AgencyKeyInfo:
    """The public half of one agency key, as the server knows it."""

    key_id: str
    purpose: str
    public: bytes
    created_at: str
    not_after: str = ""  # ISO 8601 UTC; "" = no expiry


@dataclass(frozen=True, slots=True)
class NewDevice:
    device_id: str
    label: str
    sign_pub: bytes
    box_pub: bytes


@dataclass(frozen=True, slots=True)
class Device:
    device_id: str
    label: str
    sign_pub: bytes
    box_pub: bytes
    enrolled_at: str
    last_seen_at: str | None
    revoked_at: str | None
    wipe_order: bytes | None = field(default=None, repr=False)
    team: str = ""
    #: what the laptop last reported (the PeerDesk-Client header); None: never sent
    client_version: str | None = None
    client_pending: int | None = None
    client_held: int | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class DeviceSummary:
    device: Device
    records: int


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A sealed record as the agency holds it: routing metadata plus ciphertext."""

    seq: int
    device_id: str
    op_id: str
    kind: str
    entity_id: str
    key_id: str
    dictionary: str
    size: int
    batch_id: str
    received_at: str
    used_at: str | None
    sealed: bytes = field(default=b"", repr=False)
    #: a record that came in a segment: the segment's seq and its place in it
    #: (``sealed`` is then empty; the ciphertext is the segment's)
    segment: int | None = None
    part: int | None = None

    def to_record(self) -> Record:
        return Record(
            self.op_id, self.kind, self.entity_id, self.key_id, self.dictionary, self.sealed
        )


@dataclass(frozen=True, slots=True)
class StoredSegment:
    """A sealed segment as the agency holds it (issue 17)."""

    seq: int
    device_id: str
    segment: Segment = field(repr=False)


@dataclass(frozen=True, slots=True)
class BatchClaim:
    """The outcome of claiming a batch id: either this request processes it
    (``token`` proves the claim) or it was done before (``replay`` holds the
    stored response bytes)."""

    token: str | None
    replay: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class OutboundItem:
    seq: int
    device_id: str | None
    kind: str
    ref: str
    payload: bytes = field(repr=False)
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class DirectoryVersion:
    """One published version of the resource directory."""

    version: int
    kind: str  # "snapshot" | "delta"
    services: int
    outbound_seq: int
    published_at: str
    #: the whole dataset as HSDS JSON (empty when only the metadata was asked for)
    dataset: bytes = field(default=b"", repr=False)


@dataclass(frozen=True, slots=True)
class CorrectionDecision:
    """What the agency decided about a peer's suggested directory correction."""

    record_seq: int
    status: str  # "accepted" | "dismissed"
    field: str | None
    value: str | None
    service_id: str
    decided_at: str
    actor: str
    #: the directory version an accepted correction went out in (None: not yet)
    published_in: int | None = None


# --- supervisor review ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewSupervisor:
    """What a supervisor's profile sends to enroll (the invite gives team and name)."""

    supervisor_id: str
    name: str
    sign_pub: bytes
    box_pub: bytes


@dataclass(frozen=True, slots=True)
class Supervisor:
    supervisor_id: str
    name: str
    team: str
    sign_pub: bytes
    box_pub: bytes
    enrolled_at: str
    removed_at: str | None

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


@dataclass(frozen=True, slots=True)
class ReviewGrant:
    """One review private key sealed to one supervisor's box key."""

    supervisor_id: str
    key_id: str
    sealed: bytes = field(repr=False)
    granted_at: str = ""
    #: the review key's expiry for new records ("" = the current key)
    not_after: str = ""


@dataclass(frozen=True, slots=True)
class NoteReview:
    """The review state of one note of one device."""

    device_id: str
    note_id: str
    state: str
    last_seq: int
    updated_at: str


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    """One step of a note's review history."""

    seq: int
    device_id: str
    note_id: str
    state: str
    at: str
    actor: str
    record_seq: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """What a recorded decision did: the note's new state, its history event and
    the feedback item queued for the device."""

    state: str
    event_seq: int
    outbound_seq: int


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """An admin action to record in ``admin_audit`` (never a secret in it)."""

    actor: str
    action: str
    target: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class AuditRow:
    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: str


# --- the web console ------------------------------------------------------------------

#: console roles: an admin may do everything, an auditor only read
ADMIN, AUDITOR = "admin", "auditor"
CONSOLE_ROLES = frozenset({ADMIN, AUDITOR})


@dataclass(frozen=True, slots=True)
class ConsoleAccount:
    """An IT account of the web console (never shown: the password record and the
    TOTP secret)."""

    username: str
    role: str
    password: str = field(repr=False)
    totp_secret: str = field(repr=False)
    totp_last_step: int
    failures: int
    locked_until: str | None
    created_at: str
    removed_at: str | None = None


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """A signed-in console session (the cookie's id is kept only as its hash)."""

    username: str
    role: str
    csrf: str = field(repr=False)
    created_at: str
    seen_at: str
