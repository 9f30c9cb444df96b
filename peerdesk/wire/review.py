"""The supervisor review API's shapes, defined once for the agency (which serves
them: :mod:`peerdesk.agency.review_api`) and the supervisor's client (which can
parse the answers with them). JSON everywhere, binary fields as hex.

The request models check what the agency accepts (as they always did: lax
pydantic types, a JSON ``"5"`` is a number). The response models are strict (no
coercion: a number is never a string, a flag never a number) and carry the
limits the supervisor's client checks an answer against: text lengths, UUIDs,
hex of bounded size, sequence numbers from 0 to 2**63 - 1. Unknown keys in an
answer are ignored, so an agency may add fields.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from peerdesk.wire.fields import (
    HEX64_PATTERN,
    HEX_OR_EMPTY_PATTERN,
    HEX_PATTERN,
    PRINTABLE_ASCII_PATTERN,
    UUID_PATTERN,
)
from peerdesk.wire.segments import ID_PAIR, MAX_SEGMENT_RECORDS

#: the review routes
SUPERVISOR_ENROLL_PATH = "/v1/supervisor/enroll"
REVIEW_KEYS_PATH = "/v1/review/keys"
REVIEW_DEVICES_PATH = "/v1/review/devices"
REVIEW_RECORDS_PATH = "/v1/review/records"
REVIEW_EVENTS_PATH = "/v1/review/events"
DECISIONS_PATH = "/v1/review/decisions"

#: the most records or events in one page, and a page's size when not asked
MAX_PAGE = 2000
DEFAULT_PAGE = 1000
#: a sealed feedback document: a comment of 4000 characters in UTF-8, the reviewer's
#: name and the msgpack frame, plus the seal
MAX_FEEDBACK_BYTES = 24 * 1024
MAX_REVIEWER = 200
#: the largest server sequence number (64-bit)
MAX_SEQ = 2**63 - 1
#: the largest signed key bundle, review grant and sealed record in an answer
MAX_BUNDLE_BYTES = 4 * 1024 * 1024
MAX_GRANT_BYTES = 4096
MAX_SEALED_RECORD_BYTES = 2 * 1024 * 1024


class _Answer(BaseModel):
    """An answer of the agency: strict types, unknown keys ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")


def answer_of(model: type[BaseModel], source: object) -> dict[str, Any]:
    """The JSON object ``model`` describes, taken from the attributes of ``source``
    with the same names (bytes as hex; None as the field's default): how the agency
    writes an answer, so the models stay the one list of its keys."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        value = getattr(source, name)
        if value is None and not info.is_required():
            value = info.get_default(call_default_factory=True)
        out[name] = value.hex() if isinstance(value, bytes) else value
    return out


# --- supervisor enrollment ------------------------------------------------------------


class SupervisorEnrollRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64, description="the one-time supervisor invite")
    supervisor_id: str = Field(
        pattern=UUID_PATTERN, description="UUID made by the supervisor's app"
    )
    name: str = Field(
        min_length=1,
        max_length=100,
        description="the supervisor's name (the invite's name, if IT gave one, is kept)",
    )
    sign_pub: str = Field(pattern=HEX64_PATTERN, description="Ed25519 public key, hex")
    box_pub: str = Field(pattern=HEX64_PATTERN, description="X25519 public key, hex")


class SupervisorEnrollResponse(_Answer):
    supervisor_id: str = Field(pattern=UUID_PATTERN)
    credential: str = Field(
        min_length=32,
        max_length=512,
        pattern=PRINTABLE_ASCII_PATTERN,
        description="bearer credential for /v1/review/*; shown once",
    )
    team: str = Field(max_length=64)
    name: str = Field(
        max_length=200,
        description="the name the agency records the supervisor's decisions under",
    )
    bundle: str = Field(
        pattern=HEX_PATTERN,
        max_length=2 * MAX_BUNDLE_BYTES,
        description="the signed key bundle, hex",
    )


# --- what a supervisor pulls ----------------------------------------------------------


class GrantJSON(_Answer):
    key_id: str = Field(max_length=64)
    sealed: str = Field(
        pattern=HEX_PATTERN,
        max_length=2 * MAX_GRANT_BYTES,
        description="the review private key sealed to the supervisor, hex",
    )
    not_after: str = Field(description='the key\'s expiry for new records; "" = current key')


class GrantsResponse(_Answer):
    grants: list[GrantJSON]


class ReviewDeviceJSON(_Answer):
    device_id: str = Field(pattern=UUID_PATTERN)
    label: str = Field(max_length=200)
    box_pub: str = Field(
        pattern=HEX64_PATTERN,
        description="X25519 public key of the device (feedback is sealed to it)",
    )
    revoked: bool
    enrolled_at: str = Field(max_length=40)


class ReviewDevicesResponse(_Answer):
    devices: list[ReviewDeviceJSON]


class ReviewRecordJSON(_Answer):
    seq: int = Field(ge=0, le=MAX_SEQ)
    device_id: str = Field(pattern=UUID_PATTERN)
    op_id: str = Field(pattern=UUID_PATTERN)
    kind: str = Field(max_length=32)
    entity_id: str = Field(pattern=UUID_PATTERN)
    key_id: str = Field(max_length=64)
    dictionary: str = Field(max_length=32)
    sealed: str = Field(
        pattern=HEX_OR_EMPTY_PATTERN,
        max_length=2 * MAX_SEALED_RECORD_BYTES,
        description='the sealed record as stored, hex ("" for a record of a segment)',
    )
    received_at: str = Field(max_length=40)
    segment: int = Field(
        0, ge=0, le=MAX_SEQ, description="the seq of its segment in this answer; 0 = none"
    )
    part: int = Field(0, ge=0, le=MAX_SEGMENT_RECORDS, description="its place in the segment")


class ReviewSegmentJSON(_Answer):
    """A sealed segment (issue 17): the payloads of several records, sealed once."""

    seq: int = Field(ge=1, le=MAX_SEQ)
    device_id: str = Field(pattern=UUID_PATTERN)
    kind: str = Field(max_length=32)
    key_id: str = Field(max_length=64)
    dictionary: str = Field(max_length=32)
    ids: str = Field(
        pattern=HEX_PATTERN,
        max_length=2 * ID_PAIR * MAX_SEGMENT_RECORDS,
        description="op id then entity id of each record, 16 bytes each, hex",
    )
    sealed: str = Field(
        pattern=HEX_PATTERN,
        max_length=2 * MAX_SEALED_RECORD_BYTES,
        description="the sealed segment as stored, hex",
    )


class ReviewRecordsResponse(_Answer):
    records: list[ReviewRecordJSON]
    more: bool
    #: the segments the records of this page name, once each
    segments: list[ReviewSegmentJSON] = Field(default_factory=list)


class ReviewEventJSON(_Answer):
    seq: int = Field(ge=0, le=MAX_SEQ)
    device_id: str = Field(pattern=UUID_PATTERN)
    note_id: str = Field(pattern=UUID_PATTERN)
    state: str = Field(max_length=16, description="received | returned | resubmitted | approved")
    at: str = Field(max_length=40)
    actor: str = Field(max_length=200, description='the supervisor\'s name, or "peer"')


class ReviewEventsResponse(_Answer):
    events: list[ReviewEventJSON]
    more: bool


# --- decisions ------------------------------------------------------------------------


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(pattern=UUID_PATTERN)
    note_id: str = Field(pattern=UUID_PATTERN)
    decision: Literal["approved", "returned"]
    seen_seq: int = Field(
        ge=0, le=MAX_SEQ, description="the highest record seq of the note the supervisor read"
    )
    reviewer: str = Field(min_length=1, max_length=MAX_REVIEWER)
    sealed_feedback: str = Field(
        pattern=HEX_PATTERN,
        max_length=2 * MAX_FEEDBACK_BYTES,
        description="msgpack {decision, comment, reviewer, at} sealed to the device, hex",
    )


class DecisionResponse(_Answer):
    state: str = Field(max_length=16)
    event_seq: int = Field(ge=0, le=MAX_SEQ)
