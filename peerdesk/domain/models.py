"""Plain domain objects: frozen dataclasses, no storage, no crypto.

Times are timezone-aware UTC ``datetime`` values; a trip date is a plain ``date``.
Fields documented as *sensitive* are only ever stored as encrypted envelopes.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


class NoteTemplate(enum.StrEnum):
    FREE = "free"
    GIRP = "girp"  # Goal, Intervention, Response, Plan
    DAP = "dap"  # Data, Assessment, Plan
    SOAP = "soap"  # Subjective, Objective, Assessment, Plan


#: The sections of each template, in order. A note body is a mapping section -> text.
TEMPLATE_SECTIONS: dict[NoteTemplate, tuple[str, ...]] = {
    NoteTemplate.FREE: ("text",),
    NoteTemplate.GIRP: ("goal", "intervention", "response", "plan"),
    NoteTemplate.DAP: ("data", "assessment", "plan"),
    NoteTemplate.SOAP: ("subjective", "objective", "assessment", "plan"),
}


class ContactType(enum.StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    GROUP = "group"
    COLLATERAL = "collateral"  # contact with family/providers on the participant's behalf
    NO_SHOW = "no_show"


class LocationType(enum.StrEnum):
    OFFICE = "office"
    HOME = "home"
    COMMUNITY = "community"
    VEHICLE = "vehicle"
    TELEHEALTH = "telehealth"
    OTHER = "other"


class NoteState(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class TripPurpose(enum.StrEnum):
    MEDICAL = "medical"
    BEHAVIORAL_HEALTH = "behavioral_health"
    COURT_LEGAL = "court_legal"
    BENEFITS = "benefits"
    HOUSING = "housing"
    EMPLOYMENT = "employment"
    PHARMACY = "pharmacy"
    GROCERY = "grocery"
    PEER_MEETING = "peer_meeting"
    ADMINISTRATIVE = "administrative"
    OTHER = "other"


class DestinationType(enum.StrEnum):
    CLINIC = "clinic"
    HOSPITAL = "hospital"
    PHARMACY = "pharmacy"
    COURTHOUSE = "courthouse"
    SOCIAL_SERVICES = "social_services"
    RESIDENCE = "residence"
    STORE = "store"
    AGENCY_OFFICE = "agency_office"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Address:
    """A home address, as a claim's subscriber loop needs it (sensitive)."""

    line: str
    city: str
    state: str  # two letters
    zip_code: str  # five or nine digits


@dataclass(frozen=True, slots=True)
class Participant:
    """A person the peer supports. Sensitive: names, date of birth, phone,
    Medicaid id, diagnosis code and free-text details."""

    id: str
    display_name: str  # sensitive
    created_at: datetime
    updated_at: datetime
    date_of_birth: date | None = None  # sensitive
    phone: str | None = None  # sensitive
    medicaid_id: str | None = None  # sensitive
    details: str = ""  # sensitive
    active: bool = True
    #: sensitive: the ICD-10-CM code claims carry for this person, when a payer wants one
    diagnosis_code: str | None = None
    #: sensitive: where the person lives (an 837P names the subscriber's address)
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class Addendum:
    """Text appended to a signed note; signed notes themselves never change."""

    id: str
    note_id: str
    text: str  # sensitive
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    participant_id: str
    template: NoteTemplate
    contact_type: ContactType
    location_type: LocationType
    start_at: datetime
    end_at: datetime
    body: dict[str, str]  # sensitive: template section -> text
    goals: tuple[str, ...]  # sensitive
    state: NoteState
    created_at: datetime
    updated_at: datetime
    signed_at: datetime | None = None
    addenda: tuple[Addendum, ...] = field(default_factory=tuple)
    #: sensitive: the care-team entry this contact was coordinated with (issue 23)
    coordinated_with: str | None = None

    @property
    def duration_minutes(self) -> int:
        return int((self.end_at - self.start_at).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class Trip:
    """A ride logged for mileage reimbursement. Either both odometer readings or
    ``miles`` are given; :func:`peerdesk.domain.mileage.trip_miles` decides."""

    id: str
    trip_date: date
    purpose: TripPurpose
    destination_type: DestinationType
    created_at: datetime
    with_participant: bool
    participant_id: str | None = None
    odometer_start: Decimal | None = None
    odometer_end: Decimal | None = None
    miles: Decimal | None = None
    destination: str = ""  # sensitive: address or place name
    notes: str = ""  # sensitive


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """What the editor hands over to create or save a note."""

    participant_id: str
    template: NoteTemplate
    contact_type: ContactType
    location_type: LocationType
    start_at: datetime
    end_at: datetime
    body: Mapping[str, str] = field(default_factory=dict)
    goals: Sequence[str] = ()
    #: the id of a care-team entry of the participant this contact was coordinated with
    coordinated_with: str | None = None
