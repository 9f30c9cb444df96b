"""Record payloads: what each synced record carries, before compression and
sealing, and the checks a reader makes on one that opened.

* Building (the laptop): one function per entity turns a domain object into a
  plain map (msgpack-able: str, int, bool, None, lists, maps). Keys are stable
  protocol: renaming one is a protocol change.
* Checking (the supervisor's pull): a record that opens (HPKE) can still be
  unusable: a payload of the wrong shape, a time that does not parse, an
  addendum that names another note than the one it travels under. :func:`check`
  returns the payload normalised, or raises :class:`BadPayload` with the reason
  in words (no value from the record in it), and the record is listed as broken.

Pure functions: no storage, no crypto.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from peerdesk.domain.models import (
    Addendum,
    Address,
    ContactType,
    DestinationType,
    LocationType,
    Note,
    NoteTemplate,
    Participant,
    Trip,
    TripPurpose,
)
from peerdesk.domain.referrals import Correction, Referral
from peerdesk.ids import date_from_iso, date_to_iso, from_iso, to_iso

MAX_TEXT = 200_000


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def note_payload(note: Note) -> dict[str, Any]:
    """A signed note (drafts never sync)."""
    return {
        "participant_id": note.participant_id,
        "template": note.template.value,
        "contact_type": note.contact_type.value,
        "location_type": note.location_type.value,
        "start_at": to_iso(note.start_at),
        "end_at": to_iso(note.end_at),
        "body": dict(note.body),
        "goals": list(note.goals),
        # a care-team entry's id (issue 23); absent in older laptops' notes
        "coordinated_with": note.coordinated_with,
        "created_at": to_iso(note.created_at),
        "signed_at": to_iso(note.signed_at) if note.signed_at else None,
    }


def addendum_payload(addendum: Addendum) -> dict[str, Any]:
    """An addendum. On the wire its entity id is its note's id, so its own id
    travels here as ``"id"``."""
    return {
        "id": addendum.id,
        "note_id": addendum.note_id,
        "text": addendum.text,
        "created_at": to_iso(addendum.created_at),
    }


def resubmit_payload(note_id: str, addendum_ids: Sequence[str], at: datetime) -> dict[str, Any]:
    """A returned note sent back for review, answered by these addenda (entity id:
    the note's id)."""
    return {"note_id": note_id, "addendum_ids": list(addendum_ids), "at": to_iso(at)}


def trip_payload(trip: Trip) -> dict[str, Any]:
    return {
        "trip_date": date_to_iso(trip.trip_date),
        "purpose": trip.purpose.value,
        "destination_type": trip.destination_type.value,
        "with_participant": trip.with_participant,
        "participant_id": trip.participant_id,
        "odometer_start": _dec(trip.odometer_start),
        "odometer_end": _dec(trip.odometer_end),
        "miles": _dec(trip.miles),
        "destination": trip.destination,
        "notes": trip.notes,
        "created_at": to_iso(trip.created_at),
    }


def address_doc(a: Address | None) -> dict[str, str] | None:
    """An address as the profile envelope and the sync payload hold it."""
    if a is None:
        return None
    return {"line": a.line, "city": a.city, "state": a.state, "zip": a.zip_code}


def address_from(doc: Any) -> Address | None:
    """An address of a profile envelope or a sync payload; None when it is not a
    map or any part of it (line, city, state, ZIP) is missing or empty."""
    if not isinstance(doc, dict):
        return None
    parts = [doc.get(key) for key in ("line", "city", "state", "zip")]
    if not all(isinstance(part, str) and part.strip() for part in parts):
        return None
    line, city, state, zip_code = (str(part) for part in parts)
    return Address(line, city, state, zip_code)


def participant_payload(person: Participant) -> dict[str, Any]:
    return {
        "display_name": person.display_name,
        "date_of_birth": date_to_iso(person.date_of_birth) if person.date_of_birth else None,
        "phone": person.phone,
        "medicaid_id": person.medicaid_id,
        "diagnosis_code": person.diagnosis_code,
        "address": address_doc(person.address),
        "details": person.details,
        "active": person.active,
        "created_at": to_iso(person.created_at),
        "updated_at": to_iso(person.updated_at),
    }


def referral_payload(referral: Referral) -> dict[str, Any]:
    """A referral and its follow-up (each status change syncs again, whole)."""
    return {
        "participant_id": referral.participant_id,
        "service_id": referral.service_id,
        "service_name": referral.service_name,
        "note_id": referral.note_id,
        "status": referral.status.value,
        "follow_up": referral.follow_up,
        "consent_id": referral.consent_id,
        "created_at": to_iso(referral.created_at),
        "updated_at": to_iso(referral.updated_at),
    }


def correction_payload(correction: Correction) -> dict[str, Any]:
    """A peer's suggested fix to a directory entry."""
    return {
        "service_id": correction.service_id,
        "suggestion": correction.suggestion,
        "created_at": to_iso(correction.created_at),
    }


# --- checking what a record that opened says ---------------------------------------------


class BadPayload(ValueError):
    """The payload of a record that opened is not usable; ``str()`` is the reason."""


def read_time(doc: Mapping[str, Any], key: str, *, optional: bool = False) -> datetime | None:
    """A payload's time stamp (ISO 8601 with a zone), or :class:`BadPayload` (one
    that overflows when made UTC too); the record payloads read theirs with it."""
    value = doc.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise BadPayload(f"{key} is missing or not text")
    try:
        return from_iso(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise BadPayload(f"{key} is not a time with a zone") from None


def _text(doc: Mapping[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = doc.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise BadPayload(f"{key} is missing or not text")
    return value


def _choice(doc: Mapping[str, Any], key: str, allowed: Any) -> str:
    value = doc.get(key)
    try:
        return str(allowed(value).value)
    except ValueError:
        raise BadPayload(f"{key} is not a known value") from None


def _decimal(doc: Mapping[str, Any], key: str) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadPayload(f"{key} is not a number")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise BadPayload(f"{key} is not a number") from None
    if not number.is_finite():
        raise BadPayload(f"{key} is not a finite number")
    return value


def check_note(doc: Mapping[str, Any]) -> dict[str, Any]:
    start = read_time(doc, "start_at")
    end = read_time(doc, "end_at")
    assert start is not None and end is not None
    if end <= start:
        raise BadPayload("the contact ends before it starts")
    body = doc.get("body")
    if not isinstance(body, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in body.items()
    ):
        raise BadPayload("body is not a map of text")
    goals = doc.get("goals")
    if not isinstance(goals, list) or not all(isinstance(g, str) for g in goals):
        raise BadPayload("goals is not a list of text")
    coordinated = doc.get("coordinated_with")
    if coordinated is not None and (not isinstance(coordinated, str) or len(coordinated) > 64):
        raise BadPayload("coordinated_with is not an entry id")
    if not isinstance(doc.get("crisis", False), bool):  # issue 21: a crisis note
        raise BadPayload("crisis is not true or false")
    read_time(doc, "signed_at", optional=True)
    read_time(doc, "created_at")
    _text(doc, "participant_id")
    _choice(doc, "template", NoteTemplate)
    _choice(doc, "contact_type", ContactType)
    _choice(doc, "location_type", LocationType)
    return dict(doc)


def check_addendum(doc: Mapping[str, Any], entity_id: str) -> dict[str, Any]:
    """An addendum travels under its note's id with its own id in the payload;
    one from a laptop older than that change travels under its own id."""
    note_id = _text(doc, "note_id")
    _text(doc, "text")
    read_time(doc, "created_at")
    own = doc.get("id")
    if own is None:
        own = entity_id  # older wire form: the entity id was the addendum's id
    elif not isinstance(own, str) or note_id != entity_id:
        raise BadPayload("the addendum names another note than the one it travels under")
    return {**doc, "id": own}


def check_resubmit(doc: Mapping[str, Any], entity_id: str) -> dict[str, Any]:
    if _text(doc, "note_id") != entity_id:
        raise BadPayload("the resubmission names another note than the one it travels under")
    ids = doc.get("addendum_ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadPayload("addendum_ids is not a list of ids")
    read_time(doc, "at")
    return dict(doc)


def check_trip(doc: Mapping[str, Any]) -> dict[str, Any]:
    day = _text(doc, "trip_date")
    try:
        date.fromisoformat(str(day))
    except ValueError:
        raise BadPayload("trip_date is not a date") from None
    _choice(doc, "purpose", TripPurpose)
    for key in ("odometer_start", "odometer_end", "miles"):
        _decimal(doc, key)
    if not isinstance(doc.get("with_participant"), bool):
        raise BadPayload("with_participant is not true or false")
    _text(doc, "participant_id", optional=True)
    _text(doc, "destination", optional=True)
    return dict(doc)


def check_participant(doc: Mapping[str, Any]) -> dict[str, Any]:
    _text(doc, "display_name")
    return dict(doc)


def check(kind: str, doc: Any, entity_id: str) -> dict[str, Any]:
    """The payload of a record of ``kind`` normalised, or :class:`BadPayload`."""
    if not isinstance(doc, dict):
        raise BadPayload("the payload is not a map")
    if kind == "note":
        return check_note(doc)
    if kind == "addendum":
        return check_addendum(doc, entity_id)
    if kind == "resubmit":
        return check_resubmit(doc, entity_id)
    if kind == "trip":
        return check_trip(doc)
    if kind == "participant":
        return check_participant(doc)
    return dict(doc)  # referral, correction: opened to show they are intact, not kept


def note_summary(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What a queue line and the reports need of a note besides its plain columns
    (kept as a small envelope of its own, so a page decrypts little)."""
    return {
        "contact_type": doc["contact_type"],
        "location_type": doc.get("location_type", "other"),
        "end_at": doc["end_at"],
        "signed_at": doc.get("signed_at"),
        "template": doc["template"],
    }


def trip_from_payload(trip_id: str, doc: Mapping[str, Any]) -> Trip:
    """A synced trip payload as a domain :class:`Trip` (ValueError if malformed)."""

    def dec(key: str) -> Decimal | None:
        value = doc.get(key)
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"{key} is not a number") from None

    return Trip(
        id=trip_id,
        trip_date=date_from_iso(str(doc["trip_date"])),
        purpose=TripPurpose(doc["purpose"]),
        destination_type=DestinationType(doc.get("destination_type", "other")),
        created_at=from_iso(str(doc.get("created_at") or "1970-01-01T00:00:00+00:00")),
        with_participant=bool(doc.get("with_participant")),
        participant_id=doc.get("participant_id"),
        odometer_start=dec("odometer_start"),
        odometer_end=dec("odometer_end"),
        miles=dec("miles"),
    )
