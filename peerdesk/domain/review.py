"""Supervisor review as plain frozen dataclasses: the profile roles, what the
agency's review API answers (records, grants, laptops, events), and what the
review service hands out (the queue, a note opened for review, pull progress).

The decrypted content of a record (a note's body, an addendum's text, a trip's
destination) lives only in memory here; on disk it is an envelope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from peerdesk.errors import Msg, ValidationError

#: the review states the agency keeps per note (contract of issue 6)
REVIEW_STATES = ("received", "returned", "resubmitted", "approved")
#: states that wait for a supervisor's decision
WAITING_STATES = frozenset({"received", "resubmitted"})
DECISIONS = ("approved", "returned")
#: what a profile is, set when it is created (migration 0008)
ROLES = ("peer", "supervisor")
PEER, SUPERVISOR = ROLES


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(Msg("a profile is a 'peer' or a 'supervisor' profile"), field="role")
    return role


# --- what the agency's review API answers, as the device keeps it ----------------------
# The JSON shapes are peerdesk.wire.review (one definition, the agency's and the
# client's); the client turns them into these (bytes, not hex). The agency's own rows
# of the same things (peerdesk.agency.models: StoredRecord, ReviewGrant, Device,
# ReviewEvent, Decision) hold more (batch, size, who was granted, the credential's
# device keys, the record an event came from) and stay the server's.


@dataclass(frozen=True, slots=True)
class Grant:
    """A review key sealed (HPKE) to this supervisor's box key."""

    key_id: str
    sealed: bytes = field(repr=False)
    not_after: str


@dataclass(frozen=True, slots=True)
class TeamDevice:
    device_id: str
    label: str
    box_pub: bytes
    revoked: bool
    enrolled_at: str


@dataclass(frozen=True, slots=True)
class PulledRecord:
    """A record as the agency stores it: routing metadata and the sealed payload."""

    seq: int
    device_id: str
    op_id: str
    kind: str
    entity_id: str
    key_id: str
    dictionary: str
    sealed: bytes = field(repr=False)
    received_at: str
    #: a record that came in a sealed segment: the segment (``sealed`` is then
    #: empty) and the record's place in it
    segment: PulledSegment | None = field(default=None, repr=False)
    part: int = 0


@dataclass(frozen=True, slots=True)
class PulledSegment:
    """A sealed segment as the agency stores it: several records' payloads sealed
    once, and the op id and entity id of each (16 bytes each)."""

    seq: int
    device_id: str
    kind: str
    key_id: str
    dictionary: str
    ids: bytes = field(repr=False)
    sealed: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class RecordPage:
    records: list[PulledRecord]
    more: bool


@dataclass(frozen=True, slots=True)
class AgencyEvent:
    """A review state change the agency recorded (received, returned, ...)."""

    seq: int
    device_id: str
    note_id: str
    state: str
    at: str
    actor: str


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[AgencyEvent]
    more: bool


@dataclass(frozen=True, slots=True)
class DecisionAnswer:
    state: str
    event_seq: int


# --- what the review service hands out -------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupervisorInfo:
    """The enrolled supervisor of a profile (the name only while unlocked)."""

    supervisor_id: str
    name: str
    team: str
    agency_name: str
    enrolled_at: str


@dataclass(frozen=True, slots=True)
class PullProgress:
    """One step of a supervisor's pull (``session.link.run()``).

    ``stage`` is ``grants``, ``devices``, ``records``, ``events`` and finally
    ``done``; a pull stopped by its ``cancel`` callback ends with ``cancelled``
    instead (what was stored so far stays stored; the next pull resumes from the
    cursor). The counts are for this pull so far.
    """

    stage: str
    #: review keys this supervisor holds (grants that opened)
    keys: int = 0
    #: grants that did not open with this supervisor's key
    bad_grants: int = 0
    devices: int = 0
    #: records stored in this pull, broken ones included
    records: int = 0
    #: of which did not open or verify
    broken: int = 0
    #: records broken for want of a key that opened after a new grant
    repaired: int = 0
    events: int = 0
    #: the agency seq of the last record stored
    cursor: int = 0
    #: whether the agency has more records or events after this page
    more: bool = False

    @property
    def done(self) -> bool:
        return self.stage == "done"


@dataclass(frozen=True, slots=True)
class Peer:
    """A team member's laptop, as the agency lists it."""

    device_id: str
    label: str
    revoked: bool


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What ``session.review.queue()`` lists. ``states`` empty: every state.
    ``date_from``/``date_to`` are local calendar dates of the contact, both
    included (a note that could not be read is dated by when it was received)."""

    device_id: str | None = None
    states: frozenset[str] = frozenset()
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One line of the review queue. A record that did not open or verify is a
    line too: ``broken`` says why (the other fields are what routing tells)."""

    device_id: str
    peer: str
    note_id: str
    participant_name: str | None
    contact_start: datetime | None
    contact_type: str | None
    state: str
    received_at: datetime
    #: whole days since the agency received the note
    age_days: int
    broken: str | None
    #: the agency seq of the note record (of the broken record for a broken line)
    seq: int
    #: "note", or the kind of a broken record that names no note
    kind: str = "note"
    #: sent as a crisis note (issue 21): listed first, marked
    crisis: bool = False


@dataclass(frozen=True, slots=True)
class QueuePage:
    items: list[QueueItem]
    total: int


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    """One step of a note's review history (the agency's event seq in ``seq``)."""

    state: str
    at: datetime
    actor: str
    seq: int = 0


@dataclass(frozen=True, slots=True)
class ReviewedNote:
    """A note opened for review.

    ``note`` is the note's payload (template, contact type, times, body, goals);
    ``addenda`` are ``{"id", "text", "created_at", "seq"}`` oldest first (a
    broken one is ``{"id": None, "broken": reason, "seq"}``); ``trips`` are the
    trip payloads (with ``"id"``) of the same device, participant and day;
    ``seen_seq`` goes back with the decision so the agency can refuse it if the
    note changed meanwhile.
    """

    item: QueueItem
    note: dict[str, Any] = field(repr=False)
    addenda: list[dict[str, Any]] = field(repr=False)
    trips: list[dict[str, Any]] = field(repr=False)
    history: list[ReviewEvent]
    seen_seq: int
    #: the participant record's payload (name, date of birth, ...), if it was synced
    participant: dict[str, Any] | None = field(default=None, repr=False)
