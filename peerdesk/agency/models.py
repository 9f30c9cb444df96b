"""What the agency storage hands out: frozen dataclasses, never rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from peerdesk.sync.protocol import Record

#: key purposes in ``agency_keys``
ROOT, SIGNING, REVIEW, RECOVERY = "root", "signing", "review", "recovery"
KEY_PURPOSES = frozenset({ROOT, SIGNING, REVIEW, RECOVERY})

#: review states of a record (ODK Central's model, reduced): NULL = received
APPROVED, RETURNED = "approved", "returned"
DECISIONS = frozenset({APPROVED, RETURNED})


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
    review_state: str | None
    used_at: str | None
    sealed: bytes = field(default=b"", repr=False)

    def to_record(self) -> Record:
        return Record(
            self.op_id, self.kind, self.entity_id, self.key_id, self.dictionary, self.sealed
        )


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
