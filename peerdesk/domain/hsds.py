"""The community resource directory as data: an HSDS 3.x-compatible model.

Open Referral's Human Services Data Specification (HSDS) describes who offers
what help, where and when. This module holds the subset PeerDesk uses as frozen
dataclasses, and pure functions to read and write it in both HSDS forms:

* **JSON**: one object with the HSDS tables as arrays of HSDS objects
  (``organizations``, ``services``, ``locations``, ``taxonomies``,
  ``taxonomy_terms``) plus the PeerDesk extension ``towns``. Children are nested
  as HSDS nests them (a service's ``phones``, ``schedules``, ``service_areas``,
  ``service_at_locations``, ``languages``, ``attributes``; a location's
  ``addresses``, ``phones``, ``languages``, ``accessibility``, ``schedules``). The
  "compiled" shape an HSDS API returns is read too: a list of services (or an
  object with ``contents``) whose ``organization``,
  ``service_at_locations[].location`` and ``attributes[].taxonomy_term`` are
  embedded; embedded copies of one record must agree.
* **CSV package**: a folder of one file per table, named as HSDS 3 names them
  (``organization.csv``, ``service.csv``, ``location.csv``,
  ``service_at_location.csv``, ``phone.csv``, ``schedule.csv``,
  ``service_area.csv``, ``language.csv``, ``accessibility.csv``, ``address.csv``,
  ``taxonomy.csv``, ``taxonomy_term.csv``, ``attribute.csv``) plus
  ``peerdesk_town.csv``. The HSDS 2 plural names (``services.csv`` ...) are
  accepted on import. Children link to parents by id columns (``service_id``,
  ``location_id``, ``link_id`` + ``link_entity`` ...).

Fields PeerDesk does not model (funding, contacts, cost options, metadata ...)
are ignored on import and therefore absent on export.

Every problem raises :class:`~peerdesk.errors.DirectoryDataError` naming the
file, the record (``row 7`` counts like a spreadsheet: the header is row 1;
``services[3] (id '...')`` in JSON) and the field. Checked: JSON syntax, types,
required fields, enumerations, sizes (:data:`MAX_ID`, :data:`MAX_SHORT`,
:data:`MAX_TEXT`, :data:`MAX_ITEMS`, :data:`MAX_FILE_BYTES`), duplicate ids
(per table, nested children included), references (organization, location,
taxonomy term, parent term, taxonomy) and a few rules (age range, valid dates,
opening times, day codes).

Conventions kept on top of HSDS:

* Categories are taxonomy terms linked to a service by an attribute. A service is
  a *crisis* resource (pinned at the top of the Resources screen) when one of its
  terms, or an ancestor of one, has the code :data:`CRISIS_CODE`.
* Counties are service areas; ``county_key`` makes "Pine County" and "pine"
  the same county.
* Opening times are read as the local wall-clock time of the area (an offset
  suffix such as ``09:00-05:00`` is kept for export but not used to answer "open
  now"); a ``closes_at`` at or before ``opens_at`` means closing after midnight;
  ``24:00`` is accepted as a closing time. Only ``WEEKLY`` schedules with an
  interval of 1 answer "open now".
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from peerdesk.errors import DirectoryDataError

HSDS_VERSION = "3.0"
CRISIS_CODE = "crisis"

MAX_ID = 128
MAX_SHORT = 500
MAX_TEXT = 10_000
#: a service area's extent (a GeoJSON polygon may be long, but not unbounded)
MAX_EXTENT = 200_000
#: children of one record (phones, schedules, attributes ...)
MAX_ITEMS = 500
#: records in one table
MAX_RECORDS = 1_000_000
MAX_FILE_BYTES = 256 * 1024 * 1024

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


@dataclass(frozen=True, slots=True)
class Phone:
    id: str
    number: str
    extension: int | None = None
    type: str = ""
    description: str = ""
    languages: tuple[Language, ...] = ()


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a service or location is open (an RFC 5545 style weekly rule)."""

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

    def weekly_intervals(self) -> list[tuple[int, int]]:
        """Open intervals as ``(start, end)`` minutes of the week (Monday 00:00 = 0),
        end exclusive, split at the end of the week. Empty unless the rule is a
        plain weekly one with days and times."""
        if self.freq != "WEEKLY" or (self.interval or 1) != 1:
            return []
        if not self.byday or not self.opens_at or not self.closes_at:
            return []
        opens, closes = clock_minutes(self.opens_at), clock_minutes(self.closes_at)
        length = closes - opens if closes > opens else closes + MINUTES_PER_DAY - opens
        out: list[tuple[int, int]] = []
        for code in self.byday.split(","):
            start = DAY_CODES.index(code) * MINUTES_PER_DAY + opens
            end = start + length
            if end <= MINUTES_PER_WEEK:
                out.append((start, end))
            else:
                out.append((start, MINUTES_PER_WEEK))
                out.append((0, end - MINUTES_PER_WEEK))
        return out


@dataclass(frozen=True, slots=True)
class ServiceArea:
    id: str
    name: str = ""
    description: str = ""
    extent: str = ""
    extent_type: str = ""
    uri: str = ""


@dataclass(frozen=True, slots=True)
class ServiceAtLocation:
    id: str
    location_id: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Attribute:
    """Links the owning record to a taxonomy term (a category)."""

    id: str
    taxonomy_term_id: str
    link_type: str = ""
    value: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    alternate_name: str = ""
    description: str = ""
    email: str = ""
    website: str = ""
    phones: tuple[Phone, ...] = ()


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


@dataclass(frozen=True, slots=True)
class Accessibility:
    id: str
    description: str = ""
    details: str = ""
    url: str = ""


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


@dataclass(frozen=True, slots=True)
class Taxonomy:
    id: str
    name: str
    description: str = ""
    uri: str = ""
    version: str = ""


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
    organizations: tuple[Organization, ...] = ()
    services: tuple[Service, ...] = ()
    locations: tuple[Location, ...] = ()
    taxonomies: tuple[Taxonomy, ...] = ()
    taxonomy_terms: tuple[TaxonomyTerm, ...] = ()
    towns: tuple[Town, ...] = ()


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


# --- pure rules -----------------------------------------------------------------------


def is_stale(service: Service, policy_days: int, today: date) -> bool:
    """True when the entry may be outdated: never assured, or assured more than
    ``policy_days`` days before ``today``."""
    if service.assured_date is None:
        return True
    return (today - service.assured_date).days > policy_days


def clock_minutes(text: str) -> int:
    """Minutes after midnight of an HSDS time ("09:30", "09:30:00-05:00", "24:00")."""
    match = _TIME.match(text)
    if not match:
        raise ValueError(f"not a time: {text!r}")
    return int(match["h"]) * 60 + int(match["m"])


def minute_of_week(moment: datetime) -> int:
    """The wall-clock minute of the week of ``moment`` (Monday 00:00 = 0)."""
    return moment.weekday() * MINUTES_PER_DAY + moment.hour * 60 + moment.minute


def is_open_at(schedules: Iterable[Schedule], moment: datetime) -> bool | None:
    """Whether any weekly schedule covers ``moment`` (its wall clock); ``None``
    when no schedule can tell (none given, or only monthly rules)."""
    minute = minute_of_week(moment)
    known = False
    for schedule in schedules:
        intervals = schedule.weekly_intervals()
        if not intervals:
            continue
        known = True
        day = moment.date()
        if schedule.valid_from and day < schedule.valid_from:
            continue
        if schedule.valid_to and day > schedule.valid_to:
            continue
        if any(start <= minute < end for start, end in intervals):
            return True
    return False if known else None


EARTH_RADIUS_MILES = 3958.7613


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in miles."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


#: what FTS5's unicode61 tokenizer calls a word: letters and digits ("_" separates)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: how names are compared and words indexed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def name_key(text: str) -> str:
    """A name reduced to its words: "Pine Valley  Food-Bank" -> "pine valley food bank"."""
    return " ".join(words(text))


_COUNTY_SUFFIX = re.compile(r"\s+(county|parish|borough|census area)$")


@functools.lru_cache(maxsize=4096)
def county_key(text: str) -> str:
    return _COUNTY_SUFFIX.sub("", name_key(text))


def language_keys(language: Language) -> set[str]:
    return {k for k in (language.code, name_key(language.name)) if k}


def terms_by_id(dataset: Dataset) -> dict[str, TaxonomyTerm]:
    return {t.id: t for t in dataset.taxonomy_terms}


def term_lineage(term_id: str, terms: Mapping[str, TaxonomyTerm]) -> list[TaxonomyTerm]:
    """The term and its ancestors (stops at a missing parent or a cycle)."""
    out: list[TaxonomyTerm] = []
    seen: set[str] = set()
    current: str | None = term_id
    while current is not None and current not in seen and current in terms:
        seen.add(current)
        out.append(terms[current])
        current = terms[current].parent_id
    return out


def is_crisis_service(service: Service, terms: Mapping[str, TaxonomyTerm]) -> bool:
    return any(
        fold(t.code) == CRISIS_CODE
        for a in service.attributes
        for t in term_lineage(a.taxonomy_term_id, terms)
    )


# --- reading: one record ------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n]")
_ID = re.compile(r"^[^\s\x00-\x1f\x7f]+$")
_TIME = re.compile(
    r"^(?P<h>[01]\d|2[0-3]|24(?=:00(?::00)?(?:Z|[+-]\d\d:?\d\d)?$)):(?P<m>[0-5]\d)"
    r"(?::[0-5]\d)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$"
)
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_MONTHLY_DAY = re.compile(r"^(?:[+-]?[1-5])?(?:MO|TU|WE|TH|FR|SA|SU)$")
_MONTH_DAY = re.compile(r"^-?(?:[1-9]|[12]\d|3[01])$")


@dataclass(frozen=True, slots=True)
class _Place:
    source: str
    record: str
    prefix: str = ""

    def error(self, field: str, problem: str) -> DirectoryDataError:
        return DirectoryDataError(
            problem, source=self.source, record=self.record, field=self.prefix + field
        )


class _Reader:
    """Typed access to one record's fields (a JSON object or a CSV row)."""

    __slots__ = ("data", "place", "tabular")

    def __init__(self, data: Mapping[str, Any], place: _Place, *, tabular: bool) -> None:
        self.data = data
        self.place = place
        self.tabular = tabular

    def fail(self, field: str, problem: str) -> DirectoryDataError:
        return self.place.error(field, problem)

    def raw(self, field: str) -> Any:
        value = self.data.get(field)
        if self.tabular and isinstance(value, str) and value.strip() == "":
            return None
        return value

    def text(
        self, field: str, *, limit: int = MAX_SHORT, required: bool = False, one_line: bool = True
    ) -> str:
        value = self.raw(field)
        if value is None:
            if required:
                raise self.fail(field, "is required")
            return ""
        if not isinstance(value, str):
            raise self.fail(field, f"must be text, not {_type_name(value)}")
        value = value.strip()
        if required and not value:
            raise self.fail(field, "is required")
        if len(value) > limit:
            raise self.fail(field, f"is {len(value)} characters long; the limit is {limit}")
        if _CONTROL.search(value) or (one_line and _LINE_BREAK.search(value)):
            raise self.fail(field, "contains control characters")
        return value

    def long_text(self, field: str, limit: int = MAX_TEXT) -> str:
        return self.text(field, limit=limit, one_line=False)

    def ident(self, field: str = "id", *, required: bool = True) -> str | None:
        value = self.raw(field)
        if value is None or value == "":
            if required:
                raise self.fail(field, "is required")
            return None
        if not isinstance(value, str):
            raise self.fail(field, f"must be text, not {_type_name(value)}")
        value = value.strip()
        if len(value) > MAX_ID:
            raise self.fail(field, f"is {len(value)} characters long; the limit is {MAX_ID}")
        if not _ID.match(value):
            raise self.fail(field, "must be an identifier without spaces or control characters")
        return value

    def required_ident(self, field: str) -> str:
        value = self.ident(field)
        assert value is not None
        return value

    def number(
        self, field: str, low: float, high: float, *, required: bool = False
    ) -> float | None:
        value = self.raw(field)
        if value is None:
            if required:
                raise self.fail(field, "is required")
            return None
        if isinstance(value, str) and self.tabular:
            try:
                value = float(value.strip())
            except ValueError:
                raise self.fail(field, f"must be a number, not {value[:40]!r}") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(field, f"must be a number, not {_type_name(value)}")
        if not math.isfinite(value) or not low <= value <= high:
            raise self.fail(field, f"must be between {low:g} and {high:g}")
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value

    def integer(self, field: str, low: int, high: int) -> int | None:
        value = self.number(field, low, high)
        if value is None:
            return None
        if not isinstance(value, int):
            raise self.fail(field, "must be a whole number")
        return value

    def day(self, field: str) -> date | None:
        value = self.text(field, limit=40)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
        try:  # a full time stamp is accepted for a date
            return datetime.fromisoformat(value).date()
        except ValueError:
            raise self.fail(field, f"must be a date YYYY-MM-DD, not {value!r}") from None

    def choice(self, field: str, allowed: Sequence[str], default: str = "") -> str:
        value = self.text(field, limit=40)
        if not value:
            return default
        for option in allowed:
            if option.casefold() == value.casefold():
                return option
        raise self.fail(field, f"must be one of {', '.join(allowed)}, not {value!r}")

    def time(self, field: str) -> str:
        value = self.text(field, limit=20)
        if value and not _TIME.match(value):
            raise self.fail(
                field, f"must be a time HH:MM (optionally with an offset), not {value!r}"
            )
        return value

    def children(self, field: str) -> list[_Reader]:
        """The nested objects of a JSON array field."""
        value = self.raw(field)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(field, f"must be a list, not {_type_name(value)}")
        if len(value) > MAX_ITEMS:
            raise self.fail(field, f"has {len(value)} entries; the limit is {MAX_ITEMS}")
        out = []
        for i, item in enumerate(value):
            sub = _Place(self.place.source, self.place.record, f"{self.place.prefix}{field}[{i}].")
            if not isinstance(item, dict):
                raise sub.error("", f"must be an object, not {_type_name(item)}")
            out.append(_Reader(item, sub, tabular=False))
        return out

    def child(self, field: str) -> _Reader | None:
        value = self.raw(field)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(field, f"must be an object, not {_type_name(value)}")
        return _Reader(
            value,
            _Place(self.place.source, self.place.record, f"{self.place.prefix}{field}."),
            tabular=False,
        )


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# Scalar fields of each record: how to read them (children are handled apart).


def _language_fields(r: _Reader) -> dict[str, Any]:
    name, code, note = r.text("name"), r.text("code", limit=20), r.long_text("note")
    code = code.lower()
    if code and not _LANGUAGE_CODE.match(code):
        raise r.fail("code", f"must be an ISO 639 code of 2 or 3 letters, not {code!r}")
    if not name and not code:
        raise r.fail("name", "a language needs a name or a code")
    return {"id": r.ident(), "name": name, "code": code, "note": note}


def _phone_fields(r: _Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "number": r.text("number", limit=60, required=True),
        "extension": r.integer("extension", 0, 10**9),
        "type": r.choice("type", PHONE_TYPES),
        "description": r.long_text("description"),
    }


def _schedule_fields(r: _Reader) -> dict[str, Any]:
    freq = r.choice("freq", FREQUENCIES)
    byday = r.text("byday", limit=200).upper().replace(" ", "")
    parts = [p for p in byday.split(",") if p] if byday else []
    pattern = _MONTHLY_DAY if freq == "MONTHLY" else re.compile(r"^(?:MO|TU|WE|TH|FR|SA|SU)$")
    for part in parts:
        if not pattern.match(part):
            raise r.fail("byday", f"{part!r} is not a day code (MO, TU, WE, TH, FR, SA, SU)")
    if len(set(parts)) != len(parts):
        raise r.fail("byday", "names a day twice")
    bymonthday = r.text("bymonthday", limit=200).replace(" ", "")
    for part in (p for p in bymonthday.split(",") if p):
        if not _MONTH_DAY.match(part):
            raise r.fail("bymonthday", f"{part!r} is not a day of the month")
    opens, closes = r.time("opens_at"), r.time("closes_at")
    if bool(opens) != bool(closes):
        raise r.fail("closes_at" if opens else "opens_at", "give both opens_at and closes_at")
    if opens and clock_minutes(opens) >= MINUTES_PER_DAY:
        raise r.fail("opens_at", "a service cannot open at 24:00; use 00:00")
    valid_from, valid_to = r.day("valid_from"), r.day("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        raise r.fail("valid_to", "is before valid_from")
    return {
        "id": r.ident(),
        "freq": freq,
        "interval": r.integer("interval", 1, 366),
        "byday": ",".join(parts),
        "bymonthday": bymonthday,
        "opens_at": opens,
        "closes_at": closes,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "description": r.long_text("description"),
        "notes": r.long_text("notes"),
    }


def _service_area_fields(r: _Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "name": r.text("name"),
        "description": r.long_text("description"),
        "extent": r.long_text("extent", MAX_EXTENT),
        "extent_type": r.choice("extent_type", EXTENT_TYPES),
        "uri": r.text("uri"),
    }


def _service_at_location_fields(r: _Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "location_id": r.required_ident("location_id"),
        "description": r.long_text("description"),
    }


def _attribute_fields(r: _Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "taxonomy_term_id": r.required_ident("taxonomy_term_id"),
        "link_type": r.text("link_type"),
        "value": r.text("value"),
        "label": r.text("label"),
    }


def _organization_fields(r: _Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "name": r.text("name", required=True),
        "alternate_name": r.text("alternate_name"),
        "description": r.long_text("description"),
        "email": r.text("email"),
        "website": r.text("website"),
    }


def _service_fields(r: _Reader) -> dict[str, Any]:
    minimum, maximum = r.number("minimum_age", 0, 150), r.number("maximum_age", 0, 150)
    if minimum is not None and maximum is not None and maximum < minimum:
        raise r.fail("maximum_age", "is below minimum_age")
    return {
        "id": r.ident(),
        "name": r.text("name", required=True),
        "status": r.choice("status", SERVICE_STATUSES, "active"),
        "organization_id": r.ident("organization_id", required=False),
        "alternate_name": r.text("alternate_name"),
        "description": r.long_text("description"),
        "url": r.text("url"),
        "email": r.text("email"),
        "interpretation_services": r.long_text("interpretation_services"),
        "application_process": r.long_text("application_process"),
        "fees_description": r.long_text("fees_description"),
        "eligibility_description": r.long_text("eligibility_description"),
        "minimum_age": minimum,
        "maximum_age": maximum,
        "assured_date": r.day("assured_date"),
        "assurer_email": r.text("assurer_email"),
        "alert": r.long_text("alert"),
        "last_modified": r.text("last_modified", limit=40),
    }


def _address_fields(r: _Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "address_1": r.text("address_1", required=True),
        "city": r.text("city", required=True),
        "state_province": r.text("state_province", required=True),
        "country": r.text("country", limit=60, required=True),
        "postal_code": r.text("postal_code", limit=20),
        "address_2": r.text("address_2"),
        "region": r.text("region"),
        "attention": r.text("attention"),
        "address_type": r.choice("address_type", LOCATION_TYPES, "physical"),
    }


def _accessibility_fields(r: _Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "description": r.long_text("description"),
        "details": r.long_text("details"),
        "url": r.text("url"),
    }


def _location_fields(r: _Reader) -> dict[str, Any]:
    lat, lon = r.number("latitude", -90, 90), r.number("longitude", -180, 180)
    if (lat is None) != (lon is None):
        raise r.fail("longitude" if lon is None else "latitude", "give both latitude and longitude")
    return {
        "id": r.ident(),
        "location_type": r.choice("location_type", LOCATION_TYPES, "physical"),
        "name": r.text("name"),
        "organization_id": r.ident("organization_id", required=False),
        "alternate_name": r.text("alternate_name"),
        "description": r.long_text("description"),
        "transportation": r.long_text("transportation"),
        "latitude": lat,
        "longitude": lon,
        "url": r.text("url"),
    }


def _taxonomy_fields(r: _Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "name": r.text("name", required=True),
        "description": r.long_text("description"),
        "uri": r.text("uri"),
        "version": r.text("version", limit=60),
    }


def _term_fields(r: _Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "name": r.text("name", required=True),
        "code": r.text("code", limit=MAX_ID),
        "description": r.long_text("description"),
        "parent_id": r.ident("parent_id", required=False),
        "taxonomy_id": r.ident("taxonomy_id", required=False),
        "taxonomy": r.text("taxonomy"),
        "language": r.text("language", limit=20),
        "term_uri": r.text("term_uri"),
    }


def _town_fields(r: _Reader) -> dict[str, Any]:
    return {
        "id": r.ident(),
        "name": r.text("name", required=True),
        "county": r.text("county", required=True),
        "latitude": r.number("latitude", -90, 90, required=True),
        "longitude": r.number("longitude", -180, 180, required=True),
        "state": r.text("state"),
    }


# --- reading: JSON --------------------------------------------------------------------

T = TypeVar("T")


class _Registry:
    """Ids seen so far per table, with where each was first seen; hoisted
    (embedded) records may repeat if they are equal."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], _Place] = {}
        self.records: dict[tuple[str, str], Any] = {}

    def add(self, table: str, record: Any, place: _Place, *, embedded: bool = False) -> bool:
        """Register; False if it is an equal embedded copy already registered."""
        key = (table, record.id)
        if key in self.first:
            earlier = self.first[key]
            if embedded and self.records.get(key) == record:
                return False
            what = "has different contents than" if embedded else "is a duplicate of"
            raise place.error(
                "id",
                f"{table} id {record.id!r} {what} the one at {earlier.source}, {earlier.record}",
            )
        self.first[key] = place
        self.records[key] = record
        return True


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(data: bytes | str, *, source: str = "directory.json") -> Dataset:
    """Read an HSDS JSON document (see the module docstring for the shapes)."""
    if len(data) > MAX_FILE_BYTES:
        raise DirectoryDataError(f"is larger than {MAX_FILE_BYTES} bytes", source=source)
    try:
        obj = json.loads(
            data, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise DirectoryDataError(
            f"is not valid JSON: {exc.msg}", source=source, record=f"line {exc.lineno}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise DirectoryDataError(f"is not valid JSON: {exc}", source=source) from None
    return dataset_from_json(obj, source=source)


def dataset_from_json(obj: Any, *, source: str = "directory.json") -> Dataset:
    """Read an already-decoded HSDS JSON value (also used for signed updates)."""
    if isinstance(obj, list):
        obj = {"services": obj}
    elif isinstance(obj, dict) and "contents" in obj and "services" not in obj:
        obj = {"services": obj["contents"]}
    if not isinstance(obj, dict):
        raise DirectoryDataError(f"must be an object, not {_type_name(obj)}", source=source)
    parser = _JsonParser(source)
    return parser.parse(obj)


class _JsonParser:
    def __init__(self, source: str, *, allow_embedded: bool = True) -> None:
        self.source = source
        self.allow_embedded = allow_embedded
        self.registry = _Registry()
        self.places: dict[tuple[str, str], tuple[_Place, str]] = {}
        self.organizations: list[Organization] = []
        self.locations: list[Location] = []
        self.terms: list[TaxonomyTerm] = []

    def _records(self, obj: dict[str, Any], table: str) -> Iterator[_Reader]:
        value = obj.get(table)
        if value is None:
            return
        if not isinstance(value, list):
            raise DirectoryDataError(
                f"must be a list, not {_type_name(value)}", source=self.source, record=table
            )
        if len(value) > MAX_RECORDS:
            raise DirectoryDataError(
                f"has {len(value)} records; the limit is {MAX_RECORDS}",
                source=self.source,
                record=table,
            )
        for i, item in enumerate(value):
            place = _Place(self.source, f"{table}[{i}]")
            if not isinstance(item, dict):
                raise place.error("", f"must be an object, not {_type_name(item)}")
            reader = _Reader(item, place, tabular=False)
            ident = item.get("id")
            if isinstance(ident, str) and 0 < len(ident) <= MAX_ID:
                reader.place = _Place(self.source, f"{table}[{i}] (id {ident!r})")
            yield reader

    def _note(self, table: str, record_id: str, place: _Place, field: str = "") -> None:
        self.places[(table, record_id)] = (place, field)

    def parse(self, obj: dict[str, Any]) -> Dataset:
        taxonomies = []
        for r in self._records(obj, "taxonomies"):
            tax = Taxonomy(**_taxonomy_fields(r))
            self.registry.add("taxonomy", tax, r.place)
            self._note("taxonomy", tax.id, r.place)
            taxonomies.append(tax)
        for r in self._records(obj, "taxonomy_terms"):
            self._term(r, embedded=False)
        for r in self._records(obj, "organizations"):
            self._organization(r, embedded=False)
        for r in self._records(obj, "locations"):
            self._location(r, embedded=False)
        services = [self._service(r) for r in self._records(obj, "services")]
        towns = []
        for r in self._records(obj, "towns"):
            town = Town(**_town_fields(r))
            self.registry.add("town", town, r.place)
            towns.append(town)
        dataset = Dataset(
            organizations=tuple(self.organizations),
            services=tuple(services),
            locations=tuple(self.locations),
            taxonomies=tuple(taxonomies),
            taxonomy_terms=tuple(self.terms),
            towns=tuple(towns),
        )
        check_references(dataset, self.places, source=self.source)
        return dataset

    def _term(self, r: _Reader, *, embedded: bool) -> TaxonomyTerm:
        term = TaxonomyTerm(**_term_fields(r))
        if self.registry.add("taxonomy_term", term, r.place, embedded=embedded):
            self._note("taxonomy_term", term.id, r.place)
            self.terms.append(term)
        return term

    def _organization(self, r: _Reader, *, embedded: bool) -> Organization:
        # an organization embedded in many services registers its phones once
        local = _Registry() if embedded else self.registry
        org = Organization(**_organization_fields(r), phones=self._phones(r, local))
        if self.registry.add("organization", org, r.place, embedded=embedded):
            if embedded:
                for table, items in _phone_records(org.phones):
                    for item in items:
                        self.registry.add(table, item, r.place)
            self._note("organization", org.id, r.place)
            self.organizations.append(org)
        return org

    def _embedded(self, r: _Reader, field: str) -> _Reader | None:
        child = r.child(field)
        if child is not None and not self.allow_embedded:
            raise r.fail(
                field, "embedded records are not allowed here; send them as records of their own"
            )
        return child

    def _location(self, r: _Reader, *, embedded: bool) -> Location:
        fields_ = _location_fields(r)
        # a location embedded twice registers its children once
        local = _Registry() if embedded else self.registry
        loc = Location(
            **fields_,
            addresses=tuple(
                self._child(local, "address", Address, _address_fields, c)
                for c in r.children("addresses")
            ),
            phones=self._phones(r, local),
            languages=self._languages(r, local),
            accessibility=tuple(
                self._child(local, "accessibility", Accessibility, _accessibility_fields, c)
                for c in r.children("accessibility")
            ),
            schedules=tuple(
                self._child(local, "schedule", Schedule, _schedule_fields, c)
                for c in r.children("schedules")
            ),
        )
        if self.registry.add("location", loc, r.place, embedded=embedded):
            if embedded:
                self._register_location_children(loc, r.place)
            self._note("location", loc.id, r.place)
            self.locations.append(loc)
        return loc

    def _register_location_children(self, loc: Location, place: _Place) -> None:
        for table, items in (
            ("address", loc.addresses),
            *_phone_records(loc.phones),
            ("language", loc.languages),
            ("accessibility", loc.accessibility),
            ("schedule", loc.schedules),
        ):
            for item in items:
                self.registry.add(table, item, place)

    def _child(
        self,
        registry: _Registry,
        table: str,
        cls: Callable[..., T],
        read: Callable[[_Reader], dict[str, Any]],
        r: _Reader,
    ) -> T:
        record = cls(**read(r))
        registry.add(table, record, r.place)
        return record

    def _languages(self, r: _Reader, registry: _Registry | None = None) -> tuple[Language, ...]:
        reg = registry or self.registry
        return tuple(
            self._child(reg, "language", Language, _language_fields, c)
            for c in r.children("languages")
        )

    def _phones(self, r: _Reader, registry: _Registry | None = None) -> tuple[Phone, ...]:
        reg = registry or self.registry
        out = []
        for c in r.children("phones"):
            phone = Phone(**_phone_fields(c), languages=self._languages(c, reg))
            reg.add("phone", phone, c.place)
            out.append(phone)
        return tuple(out)

    def _service(self, r: _Reader) -> Service:
        fields_ = _service_fields(r)
        embedded_org = self._embedded(r, "organization")
        if embedded_org is not None:
            org = self._organization(embedded_org, embedded=True)
            if fields_["organization_id"] is None:
                fields_["organization_id"] = org.id
            elif fields_["organization_id"] != org.id:
                raise r.fail("organization_id", "does not match the embedded organization's id")
        sals = []
        for c in r.children("service_at_locations"):
            embedded_loc = self._embedded(c, "location")
            data = dict(c.data)
            if embedded_loc is not None:
                loc = self._location(embedded_loc, embedded=True)
                if data.get("location_id") in (None, ""):
                    data["location_id"] = loc.id
                elif data["location_id"] != loc.id:
                    raise c.fail("location_id", "does not match the embedded location's id")
            sal = ServiceAtLocation(
                **_service_at_location_fields(_Reader(data, c.place, tabular=False))
            )
            self.registry.add("service_at_location", sal, c.place)
            self._note("service_at_location", sal.id, c.place)
            sals.append(sal)
        attributes = []
        for c in r.children("attributes"):
            embedded_term = self._embedded(c, "taxonomy_term")
            data = dict(c.data)
            if embedded_term is not None:
                term = self._term(embedded_term, embedded=True)
                if data.get("taxonomy_term_id") in (None, ""):
                    data["taxonomy_term_id"] = term.id
                elif data["taxonomy_term_id"] != term.id:
                    raise c.fail("taxonomy_term_id", "does not match the embedded term's id")
            attribute = Attribute(**_attribute_fields(_Reader(data, c.place, tabular=False)))
            self.registry.add("attribute", attribute, c.place)
            self._note("attribute", attribute.id, c.place)
            attributes.append(attribute)
        service = Service(
            **fields_,
            phones=self._phones(r),
            schedules=tuple(
                self._child(self.registry, "schedule", Schedule, _schedule_fields, c)
                for c in r.children("schedules")
            ),
            service_areas=tuple(
                self._child(self.registry, "service_area", ServiceArea, _service_area_fields, c)
                for c in r.children("service_areas")
            ),
            service_at_locations=tuple(sals),
            languages=self._languages(r),
            attributes=tuple(attributes),
        )
        self.registry.add("service", service, r.place)
        self._note("service", service.id, r.place)
        return service


# --- reading: CSV package ---------------------------------------------------------------

#: file name -> (HSDS 2 plural alias, columns written on export)
CSV_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization.csv": (
        "organizations.csv",
        ("id", "name", "alternate_name", "description", "email", "website"),
    ),
    "service.csv": (
        "services.csv",
        (
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "interpretation_services",
            "application_process",
            "fees_description",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "assured_date",
            "assurer_email",
            "alert",
            "last_modified",
        ),
    ),
    "location.csv": (
        "locations.csv",
        (
            "id",
            "location_type",
            "url",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "transportation",
            "latitude",
            "longitude",
        ),
    ),
    "service_at_location.csv": (
        "services_at_location.csv",
        ("id", "service_id", "location_id", "description"),
    ),
    "phone.csv": (
        "phones.csv",
        (
            "id",
            "location_id",
            "service_id",
            "organization_id",
            "number",
            "extension",
            "type",
            "description",
        ),
    ),
    "schedule.csv": (
        "schedules.csv",
        (
            "id",
            "service_id",
            "location_id",
            "valid_from",
            "valid_to",
            "freq",
            "interval",
            "byday",
            "bymonthday",
            "opens_at",
            "closes_at",
            "description",
            "notes",
        ),
    ),
    "service_area.csv": (
        "service_areas.csv",
        ("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
    ),
    "language.csv": (
        "languages.csv",
        ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
    ),
    "accessibility.csv": (
        "accessibility_for_disabilities.csv",
        ("id", "location_id", "description", "details", "url"),
    ),
    "address.csv": (
        "physical_addresses.csv",
        (
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
    ),
    "taxonomy.csv": ("taxonomies.csv", ("id", "name", "description", "uri", "version")),
    "taxonomy_term.csv": (
        "taxonomy_terms.csv",
        (
            "id",
            "code",
            "name",
            "description",
            "parent_id",
            "taxonomy",
            "language",
            "taxonomy_id",
            "term_uri",
        ),
    ),
    "attribute.csv": (
        "attributes.csv",
        ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value", "label"),
    ),
    "peerdesk_town.csv": (
        "peerdesk_towns.csv",
        ("id", "name", "county", "state", "latitude", "longitude"),
    ),
}

#: columns a file must have when it is present
_CSV_REQUIRED = {
    "organization.csv": ("id", "name"),
    "service.csv": ("id", "name"),
    "location.csv": ("id",),
    "service_at_location.csv": ("id", "service_id", "location_id"),
    "phone.csv": ("id", "number"),
    "schedule.csv": ("id",),
    "service_area.csv": ("id", "service_id"),
    "language.csv": ("id",),
    "accessibility.csv": ("id", "location_id"),
    "address.csv": ("id", "location_id", "address_1", "city", "state_province", "country"),
    "taxonomy.csv": ("id", "name"),
    "taxonomy_term.csv": ("id", "name"),
    "attribute.csv": ("id", "link_id", "taxonomy_term_id", "link_entity"),
    "peerdesk_town.csv": ("id", "name", "county", "latitude", "longitude"),
}


def _csv_rows(name: str, text: str) -> list[_Reader]:
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            return []
        header = [h.strip() for h in header]
        if len(set(header)) != len(header):
            dup = next(h for h in header if header.count(h) > 1)
            raise DirectoryDataError(
                f"the column {dup!r} appears twice", source=name, record="row 1"
            )
        for column in _CSV_REQUIRED[name]:
            if column not in header:
                raise DirectoryDataError(
                    f"the column {column!r} is missing", source=name, record="row 1", field=column
                )
        out: list[_Reader | None] = []
        for values in reader:
            row_number = len(out) + 2
            if len(out) >= MAX_RECORDS:
                raise DirectoryDataError(f"has more than {MAX_RECORDS} rows", source=name)
            if not any(v.strip() for v in values):
                out.append(None)
                continue
            if len(values) != len(header):
                raise DirectoryDataError(
                    f"has {len(values)} values for {len(header)} columns",
                    source=name,
                    record=f"row {row_number}",
                )
            out.append(
                _Reader(
                    dict(zip(header, values, strict=True)),
                    _Place(name, f"row {row_number}"),
                    tabular=True,
                )
            )
    except csv.Error as exc:
        raise DirectoryDataError(
            f"is not a readable CSV file: {exc}", source=name, record=f"row {reader.line_num}"
        ) from None
    return [r for r in out if r is not None]


def _decode(name: str, data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DirectoryDataError(f"is not UTF-8 text (byte {exc.start})", source=name) from None


def parse_csv_package(files: Mapping[str, str | bytes]) -> Dataset:
    """Read an HSDS CSV package given as file name -> content."""
    by_name: dict[str, str] = {}
    for canonical, (alias, _) in CSV_TABLES.items():
        for name in (canonical, alias):
            if name in files:
                if canonical in by_name:
                    raise DirectoryDataError(
                        f"both {canonical} and {alias} are present", source=name
                    )
                data = files[name]
                if len(data) > MAX_FILE_BYTES:
                    raise DirectoryDataError(f"is larger than {MAX_FILE_BYTES} bytes", source=name)
                by_name[canonical] = _decode(name, data)
    if not by_name:
        raise DirectoryDataError(
            "no HSDS CSV files found (expected service.csv, organization.csv ...)",
            source="CSV package",
        )
    tables = {name: _csv_rows(name, text) for name, text in by_name.items()}
    return _CsvBuilder(tables).build()


class _CsvBuilder:
    def __init__(self, tables: dict[str, list[_Reader]]) -> None:
        self.tables = tables
        self.registry = _Registry()
        self.places: dict[tuple[str, str], tuple[_Place, str]] = {}

    def rows(self, name: str) -> list[_Reader]:
        return self.tables.get(name, [])

    def _group(
        self,
        name: str,
        parents: Mapping[str, set[str]],
        read: Callable[[_Reader], T],
        table: str,
    ) -> dict[tuple[str, str], list[T]]:
        """Read a child file: each row goes to the first parent column it names
        (``parents`` maps column -> the ids that exist)."""
        out: dict[tuple[str, str], list[T]] = {}
        for r in self.rows(name):
            item = read(r)
            self.registry.add(table, item, r.place)
            for column, existing in parents.items():
                parent = r.ident(column, required=False)
                if parent is None:
                    continue
                if parent not in existing:
                    owner = column.removesuffix("_id")
                    raise r.fail(column, f"there is no {owner} with id {parent!r}")
                bucket = out.setdefault((column, parent), [])
                if len(bucket) >= MAX_ITEMS:
                    raise r.fail(column, f"more than {MAX_ITEMS} entries for one {column[:-3]}")
                bucket.append(item)
                break
            else:
                raise r.fail(
                    next(iter(parents)), f"must name its {' or '.join(c[:-3] for c in parents)}"
                )
        return out

    def build(self) -> Dataset:
        def ids(name: str) -> set[str]:
            """The ids of a file that others link to; a duplicate is reported here,
            before it shows up as a dangling link in another file."""
            first: dict[str, _Place] = {}
            for r in self.rows(name):
                rid = r.required_ident("id")
                if rid in first:
                    earlier = first[rid]
                    table = name.removesuffix(".csv")
                    raise r.fail(
                        "id",
                        f"{table} id {rid!r} is a duplicate of the one at "
                        f"{earlier.source}, {earlier.record}",
                    )
                first[rid] = r.place
            return set(first)

        service_ids, location_ids, org_ids = (
            ids("service.csv"),
            ids("location.csv"),
            ids("organization.csv"),
        )
        phone_rows = {r.required_ident("id") for r in self.rows("phone.csv")}

        languages = self._group(
            "language.csv",
            {"phone_id": phone_rows, "service_id": service_ids, "location_id": location_ids},
            lambda r: Language(**_language_fields(r)),
            "language",
        )

        def phone(r: _Reader) -> Phone:
            fields_ = _phone_fields(r)
            return Phone(**fields_, languages=tuple(languages.get(("phone_id", fields_["id"]), ())))

        phones = self._group(
            "phone.csv",
            {"service_id": service_ids, "location_id": location_ids, "organization_id": org_ids},
            phone,
            "phone",
        )
        schedules = self._group(
            "schedule.csv",
            {"service_id": service_ids, "location_id": location_ids},
            lambda r: Schedule(**_schedule_fields(r)),
            "schedule",
        )
        areas = self._group(
            "service_area.csv",
            {"service_id": service_ids},
            lambda r: ServiceArea(**_service_area_fields(r)),
            "service_area",
        )

        def sal(r: _Reader) -> ServiceAtLocation:
            item = ServiceAtLocation(**_service_at_location_fields(r))
            self.places[("service_at_location", item.id)] = (r.place, "")
            return item

        sals = self._group(
            "service_at_location.csv", {"service_id": service_ids}, sal, "service_at_location"
        )
        addresses = self._group(
            "address.csv",
            {"location_id": location_ids},
            lambda r: Address(**_address_fields(r)),
            "address",
        )
        access = self._group(
            "accessibility.csv",
            {"location_id": location_ids},
            lambda r: Accessibility(**_accessibility_fields(r)),
            "accessibility",
        )
        attributes: dict[str, list[Attribute]] = {}
        for r in self.rows("attribute.csv"):
            entity = r.text("link_entity", required=True).casefold()
            if entity != "service":
                continue  # only service categories are modelled
            attribute = Attribute(**_attribute_fields(r))
            self.registry.add("attribute", attribute, r.place)
            self.places[("attribute", attribute.id)] = (r.place, "")
            link = r.required_ident("link_id")
            if link not in service_ids:
                raise r.fail("link_id", f"there is no service with id {link!r}")
            attributes.setdefault(link, []).append(attribute)

        def kids(groups: dict[tuple[str, str], list[T]], column: str, parent: str) -> tuple[T, ...]:
            return tuple(groups.get((column, parent), ()))

        taxonomies = []
        for r in self.rows("taxonomy.csv"):
            tax = Taxonomy(**_taxonomy_fields(r))
            self.registry.add("taxonomy", tax, r.place)
            self.places[("taxonomy", tax.id)] = (r.place, "")
            taxonomies.append(tax)
        terms = []
        for r in self.rows("taxonomy_term.csv"):
            term = TaxonomyTerm(**_term_fields(r))
            self.registry.add("taxonomy_term", term, r.place)
            self.places[("taxonomy_term", term.id)] = (r.place, "")
            terms.append(term)
        organizations = []
        for r in self.rows("organization.csv"):
            fields_ = _organization_fields(r)
            org = Organization(**fields_, phones=kids(phones, "organization_id", fields_["id"]))
            self.registry.add("organization", org, r.place)
            self.places[("organization", org.id)] = (r.place, "")
            organizations.append(org)
        locations = []
        for r in self.rows("location.csv"):
            fields_ = _location_fields(r)
            lid = fields_["id"]
            loc = Location(
                **fields_,
                addresses=kids(addresses, "location_id", lid),
                phones=kids(phones, "location_id", lid),
                languages=kids(languages, "location_id", lid),
                accessibility=kids(access, "location_id", lid),
                schedules=kids(schedules, "location_id", lid),
            )
            self.registry.add("location", loc, r.place)
            self.places[("location", loc.id)] = (r.place, "")
            locations.append(loc)
        services = []
        for r in self.rows("service.csv"):
            fields_ = _service_fields(r)
            sid = fields_["id"]
            service = Service(
                **fields_,
                phones=kids(phones, "service_id", sid),
                schedules=kids(schedules, "service_id", sid),
                service_areas=kids(areas, "service_id", sid),
                service_at_locations=kids(sals, "service_id", sid),
                languages=kids(languages, "service_id", sid),
                attributes=tuple(attributes.get(sid, ())),
            )
            self.registry.add("service", service, r.place)
            self.places[("service", service.id)] = (r.place, "")
            services.append(service)
        towns = []
        for r in self.rows("peerdesk_town.csv"):
            town = Town(**_town_fields(r))
            self.registry.add("town", town, r.place)
            towns.append(town)
        dataset = Dataset(
            organizations=tuple(organizations),
            services=tuple(services),
            locations=tuple(locations),
            taxonomies=tuple(taxonomies),
            taxonomy_terms=tuple(terms),
            towns=tuple(towns),
        )
        check_references(dataset, self.places, source="CSV package")
        return dataset


# --- whole-dataset checks -------------------------------------------------------------

_Places = Mapping[tuple[str, str], tuple[_Place, str]]


def _place_of(places: _Places, table: str, record_id: str, source: str) -> tuple[_Place, str]:
    return places.get((table, record_id), (_Place(source, f"{table} {record_id!r}"), ""))


def check_references(
    dataset: Dataset, places: _Places | None = None, *, source: str = "dataset"
) -> None:
    """Every reference names a record that exists, and no taxonomy term is its own
    ancestor. ``places`` (from a parser) lets errors name the file and row."""
    where = places or {}
    org_ids = {o.id for o in dataset.organizations}
    loc_ids = {loc.id for loc in dataset.locations}
    term_ids = {t.id for t in dataset.taxonomy_terms}
    tax_ids = {t.id for t in dataset.taxonomies}

    def fail(
        table: str,
        record_id: str,
        field: str,
        problem: str,
        child: tuple[str, str] | None = None,
    ) -> DirectoryDataError:
        place, prefix = _place_of(where, *(child or (table, record_id)), source)
        return place.error(prefix + field, problem)

    for service in dataset.services:
        if service.organization_id is not None and service.organization_id not in org_ids:
            raise fail(
                "service",
                service.id,
                "organization_id",
                f"there is no organization with id {service.organization_id!r}",
            )
        for i, sal in enumerate(service.service_at_locations):
            if sal.location_id not in loc_ids:
                child = (
                    ("service_at_location", sal.id)
                    if ("service_at_location", sal.id) in where
                    else None
                )
                field = "location_id" if child else f"service_at_locations[{i}].location_id"
                raise fail(
                    "service",
                    service.id,
                    field,
                    f"there is no location with id {sal.location_id!r}",
                    child,
                )
        for i, attribute in enumerate(service.attributes):
            if attribute.taxonomy_term_id not in term_ids:
                child = (
                    ("attribute", attribute.id) if ("attribute", attribute.id) in where else None
                )
                field = "taxonomy_term_id" if child else f"attributes[{i}].taxonomy_term_id"
                raise fail(
                    "service",
                    service.id,
                    field,
                    f"unknown taxonomy term {attribute.taxonomy_term_id!r}",
                    child,
                )
    for loc in dataset.locations:
        if loc.organization_id is not None and loc.organization_id not in org_ids:
            raise fail(
                "location",
                loc.id,
                "organization_id",
                f"there is no organization with id {loc.organization_id!r}",
            )
    terms = {t.id: t for t in dataset.taxonomy_terms}
    for term in dataset.taxonomy_terms:
        if term.parent_id is not None and term.parent_id not in term_ids:
            raise fail(
                "taxonomy_term", term.id, "parent_id", f"unknown parent term {term.parent_id!r}"
            )
        if term.taxonomy_id is not None and term.taxonomy_id not in tax_ids:
            raise fail(
                "taxonomy_term", term.id, "taxonomy_id", f"unknown taxonomy {term.taxonomy_id!r}"
            )
        seen = {term.id}
        parent = term.parent_id
        while parent is not None:
            if parent in seen:
                raise fail("taxonomy_term", term.id, "parent_id", "the term is its own ancestor")
            seen.add(parent)
            parent = terms[parent].parent_id


def check_dataset(dataset: Dataset, *, source: str = "dataset") -> None:
    """The checks the parsers make, for a dataset built in code: duplicate ids (per
    table, children included), references and term cycles. Field values are
    trusted to have the types the dataclasses declare."""
    seen: set[tuple[str, str]] = set()

    def once(table: str, record_id: str) -> None:
        if (table, record_id) in seen:
            raise DirectoryDataError(
                f"duplicate {table} id {record_id!r}",
                source=source,
                record=f"{table} {record_id!r}",
                field="id",
            )
        seen.add((table, record_id))

    for table, items in _all_records(dataset):
        for item in items:
            once(table, item.id)
    check_references(dataset, None, source=source)


def _all_records(dataset: Dataset) -> Iterator[tuple[str, Iterable[Any]]]:
    yield "organization", dataset.organizations
    yield "service", dataset.services
    yield "location", dataset.locations
    yield "taxonomy", dataset.taxonomies
    yield "taxonomy_term", dataset.taxonomy_terms
    yield "town", dataset.towns
    for o in dataset.organizations:
        yield from _phone_records(o.phones)
    for s in dataset.services:
        yield from _phone_records(s.phones)
        yield "schedule", s.schedules
        yield "service_area", s.service_areas
        yield "service_at_location", s.service_at_locations
        yield "language", s.languages
        yield "attribute", s.attributes
    for loc in dataset.locations:
        yield "address", loc.addresses
        yield from _phone_records(loc.phones)
        yield "language", loc.languages
        yield "accessibility", loc.accessibility
        yield "schedule", loc.schedules


def _phone_records(phones: Sequence[Phone]) -> Iterator[tuple[str, Iterable[Any]]]:
    yield "phone", phones
    for p in phones:
        yield "language", p.languages


# --- single records (for signed updates and the store) ----------------------------------


#: record kinds that updates add, change and remove by id
RECORD_TABLES = ("organization", "service", "location", "taxonomy", "taxonomy_term", "town")


def record_from_json(table: str, obj: Any, *, source: str, record: str) -> Any:
    """Read one top-level record of ``table`` from its HSDS JSON object. Embedded
    organizations, locations and terms are not allowed here (send them as records
    of their own)."""
    if table not in RECORD_TABLES:
        raise DirectoryDataError(
            f"unknown record kind {str(table)[:40]!r}", source=source, record=record
        )
    if not isinstance(obj, dict):
        raise DirectoryDataError(
            f"must be an object, not {_type_name(obj)}", source=source, record=record
        )
    parser = _JsonParser(source, allow_embedded=False)
    reader = _Reader(obj, _Place(source, record), tabular=False)
    if table == "service":
        return parser._service(reader)
    if table == "organization":
        return parser._organization(reader, embedded=False)
    if table == "location":
        return parser._location(reader, embedded=False)
    if table == "taxonomy":
        return Taxonomy(**_taxonomy_fields(reader))
    if table == "taxonomy_term":
        return parser._term(reader, embedded=False)
    return Town(**_town_fields(reader))


# --- writing ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def record_to_json(record: Any) -> dict[str, Any]:
    """One record as an HSDS JSON object; empty optional fields are left out."""
    out: dict[str, Any] = {}
    for name in _field_names(type(record)):
        value = getattr(record, name)
        if value is None or value == "" or value == ():
            continue
        if type(value) is tuple:
            out[name] = [record_to_json(v) for v in value]
        else:
            out[name] = _plain(value)
    return out


def dataset_to_json(dataset: Dataset) -> dict[str, Any]:
    return {
        "hsds_version": HSDS_VERSION,
        "organizations": [record_to_json(o) for o in dataset.organizations],
        "services": [record_to_json(s) for s in dataset.services],
        "locations": [record_to_json(loc) for loc in dataset.locations],
        "taxonomies": [record_to_json(t) for t in dataset.taxonomies],
        "taxonomy_terms": [record_to_json(t) for t in dataset.taxonomy_terms],
        "towns": [record_to_json(t) for t in dataset.towns],
    }


def dump_json(dataset: Dataset) -> str:
    return json.dumps(dataset_to_json(dataset), indent=2, ensure_ascii=False) + "\n"


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(_plain(value))


def dump_csv_package(dataset: Dataset) -> dict[str, str]:
    """The dataset as HSDS CSV files (file name -> text); every file is written,
    with its header, even when it has no rows."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in CSV_TABLES}

    def add(name: str, record: Any, **links: Any) -> None:
        row = {
            f.name: getattr(record, f.name)
            for f in fields(record)
            if not isinstance(getattr(record, f.name), tuple)
        }
        row.update(links)
        rows[name].append(row)

    def add_phones(phones: Sequence[Phone], **links: str) -> None:
        for p in phones:
            add("phone.csv", p, **links)
            for lang in p.languages:
                add("language.csv", lang, phone_id=p.id)

    for tax in dataset.taxonomies:
        add("taxonomy.csv", tax)
    for term in dataset.taxonomy_terms:
        add("taxonomy_term.csv", term)
    for org in dataset.organizations:
        add("organization.csv", org)
        add_phones(org.phones, organization_id=org.id)
    for loc in dataset.locations:
        add("location.csv", loc)
        for a in loc.addresses:
            add("address.csv", a, location_id=loc.id)
        add_phones(loc.phones, location_id=loc.id)
        for lang in loc.languages:
            add("language.csv", lang, location_id=loc.id)
        for acc in loc.accessibility:
            add("accessibility.csv", acc, location_id=loc.id)
        for sch in loc.schedules:
            add("schedule.csv", sch, location_id=loc.id)
    for s in dataset.services:
        add("service.csv", s)
        add_phones(s.phones, service_id=s.id)
        for sch in s.schedules:
            add("schedule.csv", sch, service_id=s.id)
        for area in s.service_areas:
            add("service_area.csv", area, service_id=s.id)
        for sal in s.service_at_locations:
            add("service_at_location.csv", sal, service_id=s.id)
        for lang in s.languages:
            add("language.csv", lang, service_id=s.id)
        for attribute in s.attributes:
            add("attribute.csv", attribute, link_id=s.id, link_entity="service")
    for town in dataset.towns:
        add("peerdesk_town.csv", town)
    out = {}
    for name, (_, columns) in CSV_TABLES.items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows[name]:
            writer.writerow([_csv_value(row.get(c)) for c in columns])
        out[name] = buffer.getvalue()
    return out


# --- files ----------------------------------------------------------------------------------


def load(path: Path) -> Dataset:
    """Read an HSDS JSON file, or a folder holding a CSV package."""
    if path.is_dir():
        files: dict[str, bytes] = {}
        for canonical, (alias, _) in CSV_TABLES.items():
            for name in (canonical, alias):
                candidate = path / name
                if candidate.is_file():
                    files[name] = _read_bounded(candidate)
        return parse_csv_package(files)
    return parse_json(_read_bounded(path), source=path.name)


def _read_bounded(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DirectoryDataError(f"is larger than {MAX_FILE_BYTES} bytes", source=path.name)
        return path.read_bytes()
    except OSError as exc:
        raise DirectoryDataError(f"cannot be read: {exc.strerror}", source=str(path)) from None


def save_json(dataset: Dataset, path: Path) -> None:
    path.write_text(dump_json(dataset), encoding="utf-8")


def save_csv_package(dataset: Dataset, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in dump_csv_package(dataset).items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
