"""What each synced record carries, before compression and sealing.

One function per entity turns a domain object into a plain map (msgpack-able:
str, int, bool, None, lists, maps). The reviewer side reads the same maps. Keys
are stable protocol: renaming one is a protocol change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from peerdesk.domain.models import Addendum, Note, Participant, Trip
from peerdesk.domain.referrals import Correction, Referral
from peerdesk.ids import date_to_iso, to_iso


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


def participant_payload(person: Participant) -> dict[str, Any]:
    return {
        "display_name": person.display_name,
        "date_of_birth": date_to_iso(person.date_of_birth) if person.date_of_birth else None,
        "phone": person.phone,
        "medicaid_id": person.medicaid_id,
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
