"""Participants: names and personal details only as envelopes."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from peerdesk.domain.billing import normalise_diagnosis
from peerdesk.domain.models import Address, Participant
from peerdesk.errors import Msg, NotFound, ValidationError
from peerdesk.ids import date_from_iso, from_iso, new_id, to_iso
from peerdesk.store.base import OutboxRepository, ReadResult, rows, stamp
from peerdesk.store.db import translate_errors
from peerdesk.wire.payloads import address_doc, address_from

MAX_NAME = 200
MAX_DETAILS = 10_000
_PHONE = re.compile(r"^[0-9+()\-. ]{3,32}$")
_MEDICAID = re.compile(r"^[A-Za-z0-9\-]{1,24}$")
_STATE = re.compile(r"^[A-Z]{2}$")
_ZIP = re.compile(r"^[0-9]{5}([0-9]{4})?$")


def _address(a: Address | None) -> Address | None:
    if a is None:
        return None
    line, city = " ".join(a.line.split()), " ".join(a.city.split())
    state = a.state.strip().upper()
    zip_code = a.zip_code.strip().replace("-", "")
    if not (line or city or state or zip_code):
        return None
    if not line or len(line) > 55:
        raise ValidationError(
            Msg("enter the street address (up to 55 characters)"), field="address"
        )
    if not city or len(city) > 30:
        raise ValidationError(Msg("enter the city (up to 30 characters)"), field="address")
    if not _STATE.match(state):
        raise ValidationError(Msg("the state is two letters, such as WV"), field="address")
    if not _ZIP.match(zip_code):
        raise ValidationError(Msg("a ZIP code has five or nine digits"), field="address")
    return Address(line, city, state, zip_code)


def medicaid_ok(medicaid: str) -> bool:
    """Whether ``medicaid`` is a Medicaid id as a participant's record holds it."""
    return bool(_MEDICAID.match(medicaid))


def checked_address(a: Address | None) -> Address | None:
    """An address by the participant rules (None when empty); raises
    :class:`ValidationError` when it is incomplete or malformed."""
    return _address(a)


def validate(p: Participant) -> Participant:
    name = " ".join(p.display_name.split())
    if not name:
        raise ValidationError(Msg("enter a name"), field="display_name")
    if len(name) > MAX_NAME:
        raise ValidationError(
            Msg("the name is longer than {limit} characters", limit=MAX_NAME), field="display_name"
        )
    if p.date_of_birth is not None:
        if p.date_of_birth > date.today():
            raise ValidationError(Msg("the date of birth is in the future"), field="date_of_birth")
        if p.date_of_birth.year < 1900:
            raise ValidationError(Msg("the date of birth is before 1900"), field="date_of_birth")
    phone = (p.phone or "").strip() or None
    if phone is not None and not _PHONE.match(phone):
        raise ValidationError(Msg("a phone number has digits, spaces, + ( ) - or ."), field="phone")
    medicaid = (p.medicaid_id or "").strip() or None
    if medicaid is not None and not medicaid_ok(medicaid):
        raise ValidationError(Msg("a Medicaid id has letters, digits or -"), field="medicaid_id")
    if len(p.details) > MAX_DETAILS:
        raise ValidationError(
            Msg("details are longer than {limit} characters", limit=MAX_DETAILS), field="details"
        )
    diagnosis = (p.diagnosis_code or "").strip() or None
    if diagnosis is not None:
        diagnosis = normalise_diagnosis(diagnosis)
        if diagnosis is None:
            raise ValidationError(
                Msg("a diagnosis code is an ICD-10-CM code such as F33.1"), field="diagnosis_code"
            )
    return replace(
        p,
        display_name=name,
        phone=phone,
        medicaid_id=medicaid,
        diagnosis_code=diagnosis,
        address=_address(p.address),
    )


class ParticipantRepo(OutboxRepository):
    table = "participants"
    kind = "participant"

    def add(
        self,
        display_name: str,
        *,
        date_of_birth: date | None = None,
        phone: str | None = None,
        medicaid_id: str | None = None,
        details: str = "",
        diagnosis_code: str | None = None,
        address: Address | None = None,
    ) -> Participant:
        now = stamp()
        p = validate(
            Participant(
                new_id(),
                display_name,
                now,
                now,
                date_of_birth,
                phone,
                medicaid_id,
                details,
                diagnosis_code=diagnosis_code,
                address=address,
            )
        )
        with translate_errors(Msg("save the participant")), self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO participants (id, created_at, updated_at, active, display_name, profile)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (p.id, to_iso(now), to_iso(now), 1, *self._sealed(p)),
            )
            self.outbox.record("participant", p.id, "upsert")
        return p

    def update(self, p: Participant) -> Participant:
        p = validate(replace(p, updated_at=stamp()))
        with translate_errors(Msg("save the participant")), self.db.atomic():
            cur = self.db.conn.execute(
                "UPDATE participants SET updated_at = ?, active = ?, display_name = ?, profile = ?"
                " WHERE id = ?",
                (to_iso(p.updated_at), int(p.active), *self._sealed(p), p.id),
            )
            if cur.rowcount != 1:
                raise NotFound("participant", p.id)
            self.outbox.record("participant", p.id, "upsert")
        return p

    def _sealed(self, p: Participant) -> tuple[bytes, bytes]:
        profile = {
            "dob": p.date_of_birth.isoformat() if p.date_of_birth else None,
            "phone": p.phone,
            "medicaid_id": p.medicaid_id,
            "details": p.details,
            "diagnosis_code": p.diagnosis_code,
            "address": address_doc(p.address),
        }
        return self.seal(p.id, "display_name", p.display_name), self.seal(p.id, "profile", profile)

    def _build(self, row: dict[str, Any]) -> Participant:
        pid = row["id"]
        name = self.unseal(pid, "display_name", row["display_name"])
        prof = self.unseal(pid, "profile", row["profile"])
        try:
            return Participant(
                id=pid,
                display_name=str(name),
                created_at=from_iso(row["created_at"]),
                updated_at=from_iso(row["updated_at"]),
                date_of_birth=date_from_iso(prof["dob"]) if prof.get("dob") else None,
                phone=prof.get("phone"),
                medicaid_id=prof.get("medicaid_id"),
                details=prof.get("details") or "",
                active=bool(row["active"]),
                diagnosis_code=prof.get("diagnosis_code"),
                address=address_from(prof.get("address")),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self.malformed(pid) from exc

    def get(self, participant_id: str) -> Participant:
        return self._build(self.row_by_id(participant_id))

    def list(self, *, include_inactive: bool = False) -> ReadResult[Participant]:
        sql = "SELECT * FROM participants" + ("" if include_inactive else " WHERE active = 1")
        result = self.read_many(
            rows(self.db, sql + " ORDER BY id", what=Msg("read the participants")), self._build
        )
        result.items.sort(key=lambda p: p.display_name.casefold())
        return result
