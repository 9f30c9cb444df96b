"""Payloads of the participant's record: the recovery plan (``plan``), enrollment
episodes (``enrollment``), consents (``consent``), outcome check-ins
(``outcome``), care-team entries (``care_member``, issue 23), crisis flags
(``crisis``) and safety plans (``safety_plan``), appointments with their rides
(``appointment``, issue 21).

One map per record, used twice: it is the record's envelope on the laptop and
its sealed payload on the wire. :func:`record_from` reads one back into its
domain object and raises :class:`BadPayload` (the reason in words, no value in
it) when the map is not usable, so the supervisor's pull lists such a record as
broken. Keys are stable protocol; a reader ignores keys it does not know and
gives later-added ones a default, so older laptops' records stay readable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from peerdesk.domain.appointments import Appointment, AppointmentStatus, Ride
from peerdesk.domain.care_team import (
    MAX_CONTACT_NOTES,
    MAX_EMAIL,
    MAX_NAME,
    MAX_PHONE,
    CareRole,
    CareTeamMember,
    check_member,
)
from peerdesk.domain.crisis import MAX_LINES, SAFETY_STEPS, CrisisFlag, SafetyPlan
from peerdesk.domain.outcomes import (
    Employment,
    Housing,
    Occasion,
    OutcomeCheckIn,
    check_ranges,
)
from peerdesk.domain.record import (
    Agreement,
    AgreementKind,
    Consent,
    DischargeReason,
    Episode,
    Goal,
    GoalStatus,
    InfoCategory,
    LifeDomain,
    RecoveryPlan,
    StatusChange,
    Step,
)
from peerdesk.errors import ValidationError
from peerdesk.ids import to_iso
from peerdesk.wire.payloads import BadPayload, read_time

#: the record kinds of this module (outbox entities and wire kinds)
RECORD_KINDS = (
    "plan", "enrollment", "consent", "outcome", "care_member", "crisis", "safety_plan",
    "appointment",
)  # fmt: skip
Record = (
    RecoveryPlan
    | Episode
    | Consent
    | OutcomeCheckIn
    | CareTeamMember
    | CrisisFlag
    | SafetyPlan
    | Appointment
)


def _d(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def plan_payload(p: RecoveryPlan) -> dict[str, Any]:
    return {
        "participant_id": p.participant_id,
        "goals": [
            {
                "id": g.id,
                "text": g.text,
                "domain": g.domain.value,
                "status": g.status.value,
                "created_on": _d(g.created_on),
                "target": _d(g.target),
                "steps": [
                    {"text": s.text, "target": _d(s.target), "done": s.done} for s in g.steps
                ],
                "history": [{"on": _d(h.on), "status": h.status.value} for h in g.history],
            }
            for g in p.goals
        ],
        "agreement": None
        if p.agreement is None
        else {"kind": p.agreement.kind.value, "on": _d(p.agreement.on)},
        "reviewed_on": [_d(d) for d in p.reviewed_on],
        "next_review": _d(p.next_review),
        "created_at": to_iso(p.created_at),
        "updated_at": to_iso(p.updated_at),
    }


def episode_payload(e: Episode) -> dict[str, Any]:
    return {
        "participant_id": e.participant_id,
        "intake_on": _d(e.intake_on),
        "referral_source": e.referral_source,
        "discharge_on": _d(e.discharge_on),
        "discharge_reason": e.discharge_reason.value if e.discharge_reason else None,
        "discharge_note": e.discharge_note,
        "created_at": to_iso(e.created_at),
        "updated_at": to_iso(e.updated_at),
    }


def consent_payload(c: Consent) -> dict[str, Any]:
    return {
        "participant_id": c.participant_id,
        "discloser": c.discloser,
        "recipient": c.recipient,
        "recipient_service_id": c.recipient_service_id,
        "information": sorted(i.value for i in c.information),
        "information_detail": c.information_detail,
        "purpose": c.purpose,
        "signed_by": c.signed_by,
        "signed_on": _d(c.signed_on),
        "effective_on": _d(c.effective_on),
        "expires_on": _d(c.expires_on),
        "expires_event": c.expires_event,
        "revocation_explained": c.revocation_explained,
        "revoked_on": _d(c.revoked_on),
        "revocation_note": c.revocation_note,
        "created_at": to_iso(c.created_at),
        "updated_at": to_iso(c.updated_at),
    }


def outcome_payload(c: OutcomeCheckIn) -> dict[str, Any]:
    return {
        "participant_id": c.participant_id,
        "taken_on": _d(c.taken_on),
        "occasion": c.occasion.value,
        "who5": None if c.who5 is None else list(c.who5),
        "barc10": None if c.barc10 is None else list(c.barc10),
        "er_visits_30d": c.er_visits_30d,
        "hospital_nights_30d": c.hospital_nights_30d,
        "housing": c.housing.value,
        "employment": c.employment.value,
        "created_at": to_iso(c.created_at),
    }


def member_payload(m: CareTeamMember) -> dict[str, Any]:
    return {
        "participant_id": m.participant_id,
        "name": m.name,
        "role": m.role.value,
        "role_other": m.role_other,
        "organisation": m.organisation,
        "phone": m.phone,
        "email": m.email,
        "contact_notes": m.contact_notes,
        "consent_id": m.consent_id,
        "ended_on": _d(m.ended_on),
        "created_at": to_iso(m.created_at),
        "updated_at": to_iso(m.updated_at),
    }


def crisis_payload(f: CrisisFlag) -> dict[str, Any]:
    return {
        "participant_id": f.participant_id,
        "reason": f.reason,
        "flagged_at": to_iso(f.flagged_at),
        "flagged_by": f.flagged_by,
        "cleared_at": None if f.cleared_at is None else to_iso(f.cleared_at),
        "cleared_by": f.cleared_by,
        "outcome": f.outcome,
        "created_at": to_iso(f.created_at),
        "updated_at": to_iso(f.updated_at),
    }


def safety_plan_payload(p: SafetyPlan) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "participant_id": p.participant_id,
        "created_at": to_iso(p.created_at),
        "updated_at": to_iso(p.updated_at),
    }
    for key in SAFETY_STEPS:
        doc[key] = list(p.step(key))
    return doc


def _t(moment: datetime | None) -> str | None:
    return None if moment is None else to_iso(moment)


def _n(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def appointment_payload(a: Appointment) -> dict[str, Any]:
    ride = a.ride
    return {
        "participant_id": a.participant_id,
        "starts_at": to_iso(a.starts_at),
        "minutes": a.minutes,
        "what": a.what,
        "place": a.place,
        "service_id": a.service_id,
        "status": a.status.value,
        "ride": None
        if ride is None
        else {
            "pickup": ride.pickup,
            "destination": ride.destination,
            "estimated_miles": _n(ride.estimated_miles),
            "round_trip": ride.round_trip,
            "actual_miles": _n(ride.actual_miles),
            "picked_up_at": _t(ride.picked_up_at),
            "returned_at": _t(ride.returned_at),
            "trip_id": ride.trip_id,
        },
        "created_at": to_iso(a.created_at),
        "updated_at": to_iso(a.updated_at),
    }


def payload_of(record: Record) -> tuple[str, dict[str, Any]]:
    """The kind and payload of a record."""
    if isinstance(record, Appointment):
        return "appointment", appointment_payload(record)
    if isinstance(record, RecoveryPlan):
        return "plan", plan_payload(record)
    if isinstance(record, Episode):
        return "enrollment", episode_payload(record)
    if isinstance(record, Consent):
        return "consent", consent_payload(record)
    if isinstance(record, CareTeamMember):
        return "care_member", member_payload(record)
    if isinstance(record, CrisisFlag):
        return "crisis", crisis_payload(record)
    if isinstance(record, SafetyPlan):
        return "safety_plan", safety_plan_payload(record)
    return "outcome", outcome_payload(record)


# --- reading ------------------------------------------------------------------------------


class _Reader:
    def __init__(self, doc: Any) -> None:
        if not isinstance(doc, Mapping):
            raise BadPayload("the payload is not a map")
        self.doc = doc

    def text(self, key: str, *, default: str | None = None, limit: int = 10_000) -> str:
        value = self.doc.get(key, default)
        if not isinstance(value, str) or len(value) > limit:
            raise BadPayload(f"{key} is missing or not text")
        return value

    def opt_text(self, key: str) -> str | None:
        return None if self.doc.get(key) is None else self.text(key)

    def day(self, key: str, *, doc: Mapping[str, Any] | None = None) -> date | None:
        value = (self.doc if doc is None else doc).get(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise BadPayload(f"{key} is not a date") from None

    def req_day(self, key: str, doc: Mapping[str, Any] | None = None) -> date:
        day = self.day(key, doc=doc)
        if day is None:
            raise BadPayload(f"{key} is missing")
        return day

    def time(self, key: str) -> datetime:
        stamp = read_time(self.doc, key)
        assert stamp is not None  # not optional: read_time refused a missing one
        return stamp

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.doc.get(key, default)
        if not isinstance(value, bool):
            raise BadPayload(f"{key} is not true or false")
        return value

    def count(self, key: str) -> int | None:
        value = self.doc.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 999:
            raise BadPayload(f"{key} is not a count")
        return value

    def ints(self, key: str) -> tuple[int, ...] | None:
        value = self.doc.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise BadPayload(f"{key} is not a list of answers")
        return tuple(value)

    def list(self, key: str) -> list[Any]:
        value = self.doc.get(key, [])
        if not isinstance(value, list):
            raise BadPayload(f"{key} is not a list")
        return value


def _enum(cls: Callable[[Any], Any], value: Any, key: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        raise BadPayload(f"{key} is not a known value") from None


def _goal(raw: Any) -> Goal:
    r = _Reader(raw)
    steps = []
    for s in r.list("steps"):
        sr = _Reader(s)
        steps.append(Step(sr.text("text"), sr.day("target"), sr.flag("done")))
    history = []
    for h in r.list("history"):
        hr = _Reader(h)
        history.append(
            StatusChange(hr.req_day("on"), _enum(GoalStatus, hr.doc.get("status"), "status"))
        )
    return Goal(
        r.text("id", limit=64),
        r.text("text"),
        _enum(LifeDomain, r.doc.get("domain"), "domain"),
        _enum(GoalStatus, r.doc.get("status"), "status"),
        r.req_day("created_on"),
        r.day("target"),
        tuple(steps),
        tuple(history),
    )


def plan_from(record_id: str, doc: Any) -> RecoveryPlan:
    r = _Reader(doc)
    agreement = None
    if r.doc.get("agreement") is not None:
        a = _Reader(r.doc["agreement"])
        agreement = Agreement(_enum(AgreementKind, a.doc.get("kind"), "agreement"), a.req_day("on"))
    reviewed = []
    for value in r.list("reviewed_on"):
        reviewed.append(r.req_day("reviewed_on", {"reviewed_on": value}))
    return RecoveryPlan(
        record_id,
        r.text("participant_id", limit=64),
        tuple(_goal(g) for g in r.list("goals")),
        r.time("created_at"),
        r.time("updated_at"),
        agreement,
        tuple(reviewed),
        r.day("next_review"),
    )


def episode_from(record_id: str, doc: Any) -> Episode:
    r = _Reader(doc)
    reason = r.doc.get("discharge_reason")
    return Episode(
        record_id,
        r.text("participant_id", limit=64),
        r.req_day("intake_on"),
        r.text("referral_source", default=""),
        r.time("created_at"),
        r.time("updated_at"),
        r.day("discharge_on"),
        None if reason is None else _enum(DischargeReason, reason, "discharge_reason"),
        r.text("discharge_note", default=""),
    )


def consent_from(record_id: str, doc: Any) -> Consent:
    r = _Reader(doc)
    info = frozenset(_enum(InfoCategory, i, "information") for i in r.list("information"))
    return Consent(
        id=record_id,
        participant_id=r.text("participant_id", limit=64),
        discloser=r.text("discloser"),
        recipient=r.text("recipient"),
        information=info,
        information_detail=r.text("information_detail", default=""),
        purpose=r.text("purpose"),
        signed_by=r.text("signed_by"),
        signed_on=r.day("signed_on"),
        created_at=r.time("created_at"),
        updated_at=r.time("updated_at"),
        recipient_service_id=r.opt_text("recipient_service_id"),
        expires_on=r.day("expires_on"),
        expires_event=r.text("expires_event", default=""),
        revocation_explained=r.flag("revocation_explained"),
        effective_on=r.day("effective_on"),
        revoked_on=r.day("revoked_on"),
        revocation_note=r.text("revocation_note", default=""),
    )


def outcome_from(record_id: str, doc: Any) -> OutcomeCheckIn:
    r = _Reader(doc)
    return OutcomeCheckIn(
        record_id,
        r.text("participant_id", limit=64),
        r.req_day("taken_on"),
        _enum(Occasion, r.doc.get("occasion"), "occasion"),
        r.time("created_at"),
        r.ints("who5"),
        r.ints("barc10"),
        r.count("er_visits_30d"),
        r.count("hospital_nights_30d"),
        _enum(Housing, r.doc.get("housing", "not_said"), "housing"),
        _enum(Employment, r.doc.get("employment", "not_said"), "employment"),
    )


def member_from(record_id: str, doc: Any) -> CareTeamMember:
    r = _Reader(doc)
    name = r.text("name", limit=MAX_NAME)
    if not name.strip():
        raise BadPayload("name is empty")
    member = CareTeamMember(
        id=record_id,
        participant_id=r.text("participant_id", limit=64),
        name=name,
        role=_enum(CareRole, r.doc.get("role"), "role"),
        created_at=r.time("created_at"),
        updated_at=r.time("updated_at"),
        role_other=r.text("role_other", default="", limit=MAX_NAME),
        organisation=r.text("organisation", default="", limit=MAX_NAME),
        phone=r.text("phone", default="", limit=MAX_PHONE),
        email=r.text("email", default="", limit=MAX_EMAIL),
        contact_notes=r.text("contact_notes", default="", limit=MAX_CONTACT_NOTES),
        consent_id=None if r.doc.get("consent_id") is None else r.text("consent_id", limit=64),
        ended_on=r.day("ended_on"),
    )
    # the input's checks (phone, email, role words), except "not in the future":
    # an end date is judged when it is entered
    try:
        return check_member(member, today=date.max)
    except ValidationError as exc:
        raise BadPayload(str(exc)) from None


def crisis_from(record_id: str, doc: Any) -> CrisisFlag:
    r = _Reader(doc)
    reason = r.text("reason", limit=1_000)
    if not reason.strip():
        raise BadPayload("reason is empty")
    cleared_at = None if r.doc.get("cleared_at") is None else r.time("cleared_at")
    flagged_at = r.time("flagged_at")
    if cleared_at is not None and cleared_at < flagged_at:
        raise BadPayload("cleared_at is before flagged_at")
    return CrisisFlag(
        id=record_id,
        participant_id=r.text("participant_id", limit=64),
        reason=reason,
        flagged_at=flagged_at,
        flagged_by=r.text("flagged_by", limit=200),
        created_at=r.time("created_at"),
        updated_at=r.time("updated_at"),
        cleared_at=cleared_at,
        cleared_by=r.text("cleared_by", default="", limit=200),
        outcome=r.text("outcome", default="", limit=1_000),
    )


def safety_plan_from(record_id: str, doc: Any) -> SafetyPlan:
    r = _Reader(doc)
    steps: dict[str, tuple[str, ...]] = {}
    for key in SAFETY_STEPS:
        lines = r.list(key)
        if len(lines) > MAX_LINES or not all(isinstance(s, str) and len(s) <= 1_000 for s in lines):
            raise BadPayload(f"{key} is not a list of lines")
        steps[key] = tuple(lines)
    return SafetyPlan(
        id=record_id,
        participant_id=r.text("participant_id", limit=64),
        created_at=r.time("created_at"),
        updated_at=r.time("updated_at"),
        **steps,
    )


def _miles(raw: Any, key: str) -> Decimal | None:
    if raw is None:
        return None
    try:
        value = Decimal(raw) if isinstance(raw, str) and len(raw) < 20 else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 < value <= 1000:
        raise BadPayload(f"{key} is not a distance")
    return value


def appointment_from(record_id: str, doc: Any) -> Appointment:
    r = _Reader(doc)
    what = r.text("what", limit=1_000)
    if not what.strip():
        raise BadPayload("what is empty")
    minutes = r.doc.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= 1440:
        raise BadPayload("minutes is not a length")
    ride = None
    raw = r.doc.get("ride")
    if raw is not None:
        w = _Reader(raw)
        ride = Ride(
            pickup=w.text("pickup", limit=1_000),
            destination=w.text("destination", limit=1_000),
            estimated_miles=_miles(w.doc.get("estimated_miles"), "estimated_miles"),
            round_trip=w.flag("round_trip", True),
            actual_miles=_miles(w.doc.get("actual_miles"), "actual_miles"),
            picked_up_at=read_time(w.doc, "picked_up_at", optional=True),
            returned_at=read_time(w.doc, "returned_at", optional=True),
            trip_id=None if w.doc.get("trip_id") is None else w.text("trip_id", limit=64),
        )
    return Appointment(
        id=record_id,
        participant_id=r.text("participant_id", limit=64),
        starts_at=r.time("starts_at"),
        minutes=minutes,
        what=what,
        created_at=r.time("created_at"),
        updated_at=r.time("updated_at"),
        place=r.text("place", default="", limit=1_000),
        service_id=None if r.doc.get("service_id") is None else r.text("service_id", limit=64),
        status=_enum(AppointmentStatus, r.doc.get("status", "scheduled"), "status"),
        ride=ride,
    )


_READERS: dict[str, Callable[[str, Any], Record]] = {
    "appointment": appointment_from,
    "plan": plan_from,
    "enrollment": episode_from,
    "consent": consent_from,
    "outcome": outcome_from,
    "care_member": member_from,
    "crisis": crisis_from,
    "safety_plan": safety_plan_from,
}


def record_from(kind: str, record_id: str, doc: Any) -> Record:
    """The domain object of a payload of ``kind``, or :class:`BadPayload`."""
    reader = _READERS.get(kind)
    if reader is None:
        raise BadPayload("not a record of the participant's record")
    return reader(record_id, doc)


def check_record(kind: str, doc: Any, entity_id: str) -> dict[str, Any]:
    """A received payload of ``kind`` checked (it reads back into its object)."""
    record = record_from(kind, entity_id, doc)
    if isinstance(record, OutcomeCheckIn):
        try:
            check_ranges(record)
            _ = (record.who5_percent, record.barc10_total)
        except ValidationError as exc:
            raise BadPayload(f"an answer is out of range ({exc.field})") from None
    _dates_in_bounds(record)
    return dict(doc)


#: the years a date or time of a pulled record may fall in (a tampered laptop's
#: 9999-12-31 would overflow the supervisor's date arithmetic)
FIRST_YEAR, LAST_YEAR = 1900, 2200


def _dates_in_bounds(value: Any, name: str = "record") -> None:
    """BadPayload if any date or time in ``value`` (a record, its goals, steps
    and history) is outside FIRST_YEAR..LAST_YEAR."""
    if isinstance(value, date):  # a datetime is a date too
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise BadPayload(f"{name} is not between {FIRST_YEAR} and {LAST_YEAR}")
    elif isinstance(value, tuple | frozenset | list):
        for item in value:
            _dates_in_bounds(item, name)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _dates_in_bounds(getattr(value, f.name), f.name)
