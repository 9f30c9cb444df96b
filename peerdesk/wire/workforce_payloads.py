"""Payloads of the peer's workforce record (issue 23): supervision sessions
(``supervision``), the certification (``certification``), continuing-education
entries (``ceu``), a wellbeing check-in the peer chose to share (``wellbeing``),
and, on the laptop only, the self-care plan (``selfcare``, never a wire kind).

As with the participant's record (``wire.record_payloads``), one map per record
is both its envelope on the laptop and its sealed payload on the wire;
:func:`workforce_from` reads it back or raises :class:`BadPayload`. Readers
ignore unknown keys and default later ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from peerdesk.domain.workforce import (
    MAX_CEU_HOURS,
    MAX_MINUTES,
    MAX_TEXT,
    SCALE,
    Certification,
    CeuEntry,
    FollowUp,
    SelfCarePlan,
    SessionFormat,
    SupervisionSession,
    WellbeingCheckIn,
    check_certification,
    check_ceu,
    check_self_care,
    check_wellbeing,
)
from peerdesk.errors import ValidationError
from peerdesk.ids import to_iso
from peerdesk.wire.payloads import BadPayload
from peerdesk.wire.record_payloads import _dates_in_bounds, _enum, _Reader

#: the kinds that sync (outbox entities and wire kinds); a wellbeing check-in
#: only once the peer shares it
WORKFORCE_KINDS = ("supervision", "certification", "ceu", "wellbeing")
#: kept on the laptop only
LOCAL_KINDS = ("selfcare",)
Workforce = SupervisionSession | Certification | CeuEntry | WellbeingCheckIn | SelfCarePlan
#: hours as the form writes them: plain digits, at most two decimals (no exponent,
#: no underscores, no sign)
_HOURS = re.compile(r"[0-9]{1,3}(\.[0-9]{1,2})?")
#: a reader runs the input's checks except "not in the future" (a record's date
#: is judged when it is entered; received ones are bounded by ``_dates_in_bounds``)
_ANY_DAY = date.max
R = TypeVar("R")


def _checked(check: Callable[[R], R], value: R) -> R:
    """``value`` through the domain's check, its refusal as :class:`BadPayload`."""
    try:
        return check(value)
    except ValidationError as exc:
        raise BadPayload(str(exc)) from None


def payload_of(record: Workforce) -> tuple[str, dict[str, Any]]:
    """The kind and payload of a record."""
    if isinstance(record, SupervisionSession):
        return "supervision", {
            "held_on": record.held_on.isoformat(),
            "minutes": record.minutes,
            "format": record.format.value,
            "supervisor": record.supervisor,
            "topics": list(record.topics),
            "follow_ups": [{"text": f.text, "done": f.done} for f in record.follow_ups],
            "created_at": to_iso(record.created_at),
            "updated_at": to_iso(record.updated_at),
        }
    if isinstance(record, Certification):
        return "certification", {
            "state": record.state,
            "number": record.number,
            "issued_on": record.issued_on.isoformat(),
            "expires_on": record.expires_on.isoformat(),
            "created_at": to_iso(record.created_at),
            "updated_at": to_iso(record.updated_at),
        }
    if isinstance(record, CeuEntry):
        return "ceu", {
            "taken_on": record.taken_on.isoformat(),
            "title": record.title,
            "provider": record.provider,
            "hours": str(record.hours),
            "evidence": record.evidence,
            "created_at": to_iso(record.created_at),
        }
    if isinstance(record, WellbeingCheckIn):
        return "wellbeing", {
            "taken_on": record.taken_on.isoformat(),
            "energy": record.energy,
            "stress": record.stress,
            "support": record.support,
            "note": record.note,
            "shared": record.shared,
            "created_at": to_iso(record.created_at),
        }
    return "selfcare", {
        "warning_signs": record.warning_signs,
        "what_helps": record.what_helps,
        "who_to_call": record.who_to_call,
        "updated_at": None if record.updated_at is None else to_iso(record.updated_at),
    }


def _int(r: _Reader, key: str, allowed: range) -> int:
    value = r.doc.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise BadPayload(f"{key} is out of range")
    return value


def session_from(record_id: str, doc: Any) -> SupervisionSession:
    r = _Reader(doc)
    follow = []
    for item in r.list("follow_ups"):
        f = _Reader(item)
        follow.append(FollowUp(f.text("text", limit=500), f.flag("done")))
    topics = r.list("topics")
    if not all(isinstance(t, str) and len(t) <= 300 for t in topics):
        raise BadPayload("topics is not a list of text")
    return SupervisionSession(
        record_id,
        r.req_day("held_on"),
        _int(r, "minutes", range(1, MAX_MINUTES + 1)),
        _enum(SessionFormat, r.doc.get("format"), "format"),
        r.text("supervisor", default="", limit=200),
        r.time("created_at"),
        r.time("updated_at"),
        tuple(topics),
        tuple(follow),
    )


def certification_from(record_id: str, doc: Any) -> Certification:
    r = _Reader(doc)
    cert = Certification(
        record_id,
        r.text("state", limit=60),
        r.text("number", limit=60),
        r.req_day("issued_on"),
        r.req_day("expires_on"),
        r.time("created_at"),
        r.time("updated_at"),
    )
    return _checked(check_certification, cert)


def ceu_from(record_id: str, doc: Any) -> CeuEntry:
    r = _Reader(doc)
    text = r.text("hours", limit=12)
    if not _HOURS.fullmatch(text):
        raise BadPayload("hours is not a number with at most two decimals")
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise BadPayload("hours is not a number") from None
    if not hours.is_finite() or not Decimal(0) < hours <= MAX_CEU_HOURS:
        raise BadPayload("hours is out of range")
    entry = CeuEntry(
        record_id,
        r.req_day("taken_on"),
        r.text("title", limit=300),
        r.text("provider", default="", limit=300),
        hours,
        r.time("created_at"),
        r.text("evidence", default="", limit=500),
    )
    return _checked(lambda e: check_ceu(e, today=_ANY_DAY), entry)


def wellbeing_from(record_id: str, doc: Any) -> WellbeingCheckIn:
    r = _Reader(doc)
    check_in = WellbeingCheckIn(
        record_id,
        r.req_day("taken_on"),
        _int(r, "energy", SCALE),
        _int(r, "stress", SCALE),
        _int(r, "support", SCALE),
        r.time("created_at"),
        r.text("note", default="", limit=MAX_TEXT),
        r.flag("shared"),
    )
    return _checked(lambda c: check_wellbeing(c, today=_ANY_DAY), check_in)


def selfcare_from(record_id: str, doc: Any) -> SelfCarePlan:
    r = _Reader(doc)
    updated = r.doc.get("updated_at")
    plan = SelfCarePlan(
        r.text("warning_signs", default="", limit=MAX_TEXT),
        r.text("what_helps", default="", limit=MAX_TEXT),
        r.text("who_to_call", default="", limit=MAX_TEXT),
        None if updated is None else r.time("updated_at"),
    )
    return _checked(check_self_care, plan)


_READERS: dict[str, Callable[[str, Any], Workforce]] = {
    "supervision": session_from,
    "certification": certification_from,
    "ceu": ceu_from,
    "wellbeing": wellbeing_from,
    "selfcare": selfcare_from,
}


def workforce_from(kind: str, record_id: str, doc: Any) -> Workforce:
    """The domain object of a payload of ``kind``, or :class:`BadPayload`."""
    reader = _READERS.get(kind)
    if reader is None:
        raise BadPayload("not a record of the workforce record")
    return reader(record_id, doc)


def check_workforce(kind: str, doc: Any, entity_id: str) -> dict[str, Any]:
    """A received payload of ``kind`` checked: a synced kind that reads back,
    with dates in bounds; a wellbeing check-in must say it was shared."""
    if kind not in WORKFORCE_KINDS:
        raise BadPayload("not a synced kind of the workforce record")
    record = workforce_from(kind, entity_id, doc)
    if isinstance(record, WellbeingCheckIn) and not record.shared:
        raise BadPayload("a wellbeing check-in that was not shared")
    _dates_in_bounds(record)
    return dict(doc)
