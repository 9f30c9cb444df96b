"""The directory model: who offers what help, where and when.

The records follow Open Referral's Human Services Data Specification (HSDS 3.x),
the subset PeerDesk uses, as frozen dataclasses; reading and writing them as HSDS
JSON or CSV is :mod:`peerdesk.interop.hsds`. Also here: what search returns
(:class:`ServiceSummary`, :class:`ServiceDetail`, :class:`SearchResults`) and what
it is asked (:class:`SearchFilters`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

CRISIS_CODE = "crisis"

SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
#: statuses shown in search results (the others are kept but not offered)
LISTED_STATUSES = ("active", "temporarily closed")
LOCATION_TYPES = ("physical", "postal", "virtual")
PHONE_TYPES = ("text", "voice", "fax", "cell", "video", "pager", "textphone")
FREQUENCIES = ("WEEKLY", "MONTHLY")
EXTENT_TYPES = ("geojson", "topojson", "kml", "text")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

# --- the model ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Language:
    id: str
    name: str = ""
    code: str = ""  # ISO 639-1 or 639-3, lower case
    note: str = ""
    extra: str = ""


@dataclass(frozen=True, slots=True)
class Phone:
    id: str
    number: str
    extension: int | None = None
    type: str = ""
    description: str = ""
    languages: tuple[Language, ...] = ()
    extra: str = ""


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a service or location is open (an RFC 5545 style weekly rule); what
    it means in minutes of the week is :mod:`peerdesk.domain.directory.hours`."""

    id: str
    freq: str = ""
    interval: int | None = None
    byday: str = ""  # "MO,TU,WE"; MONTHLY rules may prefix a week number ("2MO")
    bymonthday: str = ""
    opens_at: str = ""  # "09:00", "09:00:00", optionally "Z" or "-05:00"
    closes_at: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    description: str = ""
    notes: str = ""
    extra: str = ""


@dataclass(frozen=True, slots=True)
class ServiceArea:
    id: str
    name: str = ""
    description: str = ""
    extent: str = ""
    extent_type: str = ""
    uri: str = ""
    extra: str = ""


@dataclass(frozen=True, slots=True)
class ServiceAtLocation:
    id: str
    location_id: str
    description: str = ""
    extra: str = ""


@dataclass(frozen=True, slots=True)
class Attribute:
    """Links the owning record to a taxonomy term (a category)."""

    id: str
    taxonomy_term_id: str
    link_type: str = ""
    value: str = ""
    label: str = ""
    extra: str = ""


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    alternate_name: str = ""
    description: str = ""
    email: str = ""
    website: str = ""
    phones: tuple[Phone, ...] = ()
    extra: str = ""


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    status: str = "active"
    organization_id: str | None = None
    alternate_name: str = ""
    description: str = ""
    url: str = ""
    email: str = ""
    interpretation_services: str = ""
    application_process: str = ""
    fees_description: str = ""
    eligibility_description: str = ""
    minimum_age: float | None = None
    maximum_age: float | None = None
    assured_date: date | None = None
    assurer_email: str = ""
    alert: str = ""
    last_modified: str = ""
    phones: tuple[Phone, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    service_areas: tuple[ServiceArea, ...] = ()
    service_at_locations: tuple[ServiceAtLocation, ...] = ()
    languages: tuple[Language, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    extra: str = ""


@dataclass(frozen=True, slots=True)
class Address:
    id: str
    address_1: str
    city: str
    state_province: str
    country: str
    postal_code: str = ""
    address_2: str = ""
    region: str = ""
    attention: str = ""
    address_type: str = "physical"
    extra: str = ""


@dataclass(frozen=True, slots=True)
class Accessibility:
    id: str
    description: str = ""
    details: str = ""
    url: str = ""
    extra: str = ""


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    location_type: str = "physical"
    name: str = ""
    organization_id: str | None = None
    alternate_name: str = ""
    description: str = ""
    transportation: str = ""
    latitude: float | None = None
    longitude: float | None = None
    url: str = ""
    addresses: tuple[Address, ...] = ()
    phones: tuple[Phone, ...] = ()
    languages: tuple[Language, ...] = ()
    accessibility: tuple[Accessibility, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    extra: str = ""


@dataclass(frozen=True, slots=True)
class Taxonomy:
    id: str
    name: str
    description: str = ""
    uri: str = ""
    version: str = ""
    extra: str = ""


@dataclass(frozen=True, slots=True)
class TaxonomyTerm:
    id: str
    name: str
    code: str = ""
    description: str = ""
    parent_id: str | None = None
    taxonomy_id: str | None = None
    taxonomy: str = ""
    language: str = ""
    term_uri: str = ""
    extra: str = ""


@dataclass(frozen=True, slots=True)
class Town:
    """A place a peer can measure distance from (PeerDesk extension, not HSDS)."""

    id: str
    name: str
    county: str
    latitude: float
    longitude: float
    state: str = ""


@dataclass(frozen=True, slots=True)
class Dataset:
    """A whole directory. ``extra`` of a dataset and of each HSDS record: what
    the file held beyond the fields PeerDesk models, as canonical JSON (an object,
    keys sorted; "" when nothing), kept so that an export gives it back."""

    organizations: tuple[Organization, ...] = ()
    services: tuple[Service, ...] = ()
    locations: tuple[Location, ...] = ()
    taxonomies: tuple[Taxonomy, ...] = ()
    taxonomy_terms: tuple[TaxonomyTerm, ...] = ()
    towns: tuple[Town, ...] = ()
    extra: str = ""


# --- what search returns ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceSummary:
    """One line of a result list (or of the pinned crisis lines)."""

    id: str
    name: str
    organization_name: str
    description: str
    categories: tuple[str, ...]
    phones: tuple[str, ...]
    status: str
    assured_date: date | None
    is_crisis: bool
    distance_miles: float | None = None


@dataclass(frozen=True, slots=True)
class ServiceDetail:
    service: Service
    organization: Organization | None
    locations: tuple[Location, ...]
    categories: tuple[TaxonomyTerm, ...]
    is_crisis: bool


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """``categories``: term ids or codes (a parent term also matches its children);
    ``county``: a service-area county ("Pine" or "Pine County"); ``language``: a
    code or name ("es", "Spanish"); ``open_at``: a local date and time (its wall
    clock is used); ``town`` (id or name) with ``within_miles``: services with a
    location that close (the distance is reported whenever a town is given)."""

    categories: tuple[str, ...] = ()
    county: str | None = None
    language: str | None = None
    open_at: datetime | None = None
    town: str | None = None
    within_miles: float | None = None


@dataclass(frozen=True, slots=True)
class SearchResults:
    hits: tuple[ServiceSummary, ...]
    #: more results exist beyond the limit
    more: bool
    #: typed word -> the words searched instead (typo tolerance), empty if none
    corrections: tuple[tuple[str, tuple[str, ...]], ...] = ()
