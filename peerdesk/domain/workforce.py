"""The peer specialist's own workforce record (issue 23): supervision sessions,
certification and continuing education (CEU), and a private wellbeing check-in
and self-care plan. Pure: no storage, no I/O; "today" is always passed in.

Rules kept here (tested in ``tests/unit/test_workforce.py`` with hand-computed
fixtures):

* **Supervision hours** (:func:`supervision_minutes`, :func:`hours_of`): the
  minutes of the sessions held on a day of the period, both ends included, as
  hours to the hundredth. A *period* is a month, a quarter, any date range, or
  the requirement's window (:func:`requirement_window`: the last ``months``
  calendar months, this one included).
* **The requirement** (:class:`Requirement`) is a setting, "N hours per M
  months". States set their own; PeerDesk's defaults (no figure is given in the
  project's sources) are :data:`DEFAULT_SUPERVISION` (2 hours a month) and
  :data:`DEFAULT_CEU` (20 CEU hours per 24-month renewal period); both are
  changed in My work -> Settings.
* **Certification reminders** (:func:`expiry_reminder`): no certification, then
  *expired* the day after the expiry date, *due in 30 days* from 30 days before
  it (the expiry day itself included), *due in 60 days* from 60 days before,
  else *current*.
* **CEU hours** count in the renewal period (:func:`renewal_period`): the
  ``months`` before the certification's expiry (not before it was issued), or
  without a certification the requirement's window ending today.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from peerdesk.errors import Msg, ValidationError

MAX_MINUTES = 8 * 60  # one session
MAX_CEU_HOURS = Decimal(200)  # one entry
MAX_TEXT = 4000
SCALE = range(1, 6)  # a wellbeing answer: 1 (low) .. 5 (high)
#: days before expiry a reminder starts, the longer first
REMINDER_DAYS = (60, 30)


class SessionFormat(enum.StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Something agreed in a supervision session, and whether it is done."""

    text: str
    done: bool = False


@dataclass(frozen=True, slots=True)
class SupervisionSession:
    id: str
    held_on: date
    minutes: int
    format: SessionFormat
    supervisor: str
    created_at: datetime
    updated_at: datetime
    topics: tuple[str, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()

    @property
    def open_follow_ups(self) -> int:
        return sum(1 for f in self.follow_ups if not f.done)


@dataclass(frozen=True, slots=True)
class Certification:
    """The peer's current certification (one; a renewal replaces it)."""

    id: str
    state: str
    number: str
    issued_on: date
    expires_on: date
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class CeuEntry:
    id: str
    taken_on: date
    title: str
    provider: str
    hours: Decimal
    created_at: datetime
    #: a short reference (certificate number, link, where the paper is kept)
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class WellbeingCheckIn:
    """The peer's own check-in: private unless ``shared`` (then it syncs)."""

    id: str
    taken_on: date
    energy: int
    stress: int
    support: int
    created_at: datetime
    note: str = ""
    shared: bool = False


@dataclass(frozen=True, slots=True)
class SelfCarePlan:
    """The peer's self-care plan: private, never synced."""

    warning_signs: str = ""
    what_helps: str = ""
    who_to_call: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Requirement:
    """``hours`` in every ``months`` calendar months (a setting)."""

    hours: Decimal
    months: int


DEFAULT_SUPERVISION = Requirement(Decimal(2), 1)
DEFAULT_CEU = Requirement(Decimal(20), 24)


@dataclass(frozen=True, slots=True)
class WorkforceSettings:
    supervision: Requirement = DEFAULT_SUPERVISION
    ceu: Requirement = DEFAULT_CEU


# --- checks -------------------------------------------------------------------------------


#: the checked fields' names in words (the English of each is its name with spaces)
_FIELD_NAMES = {
    "topics": Msg("topics"),
    "follow_ups": Msg("follow ups"),
    "supervisor": Msg("supervisor"),
    "state": Msg("state"),
    "number": Msg("number"),
    "title": Msg("title"),
    "provider": Msg("provider"),
    "evidence": Msg("evidence"),
    "note": Msg("note"),
    "warning_signs": Msg("warning signs"),
    "what_helps": Msg("what helps"),
    "who_to_call": Msg("who to call"),
    "energy": Msg("energy"),
    "stress": Msg("stress"),
    "support": Msg("support"),
}


def _text(value: str, name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if required and not text:
        raise ValidationError(Msg("{what} is required", what=_FIELD_NAMES[name]), field=name)
    if len(text) > limit:
        raise ValidationError(Msg("{what} is too long", what=_FIELD_NAMES[name]), field=name)
    return text


def _not_future(day: date, today: date, name: str) -> None:
    if day > today:
        raise ValidationError(Msg("the date is in the future"), field=name)


def check_session(s: SupervisionSession, *, today: date) -> SupervisionSession:
    _not_future(s.held_on, today, "held_on")
    if not 1 <= s.minutes <= MAX_MINUTES:
        raise ValidationError(
            Msg("a session lasts 1 to {most} minutes", most=MAX_MINUTES), field="minutes"
        )
    topics = tuple(t for t in (_text(t, "topics", limit=300) for t in s.topics) if t)
    follow = tuple(
        FollowUp(text, f.done)
        for f in s.follow_ups
        if (text := _text(f.text, "follow_ups", limit=500))
    )
    return SupervisionSession(
        s.id,
        s.held_on,
        s.minutes,
        SessionFormat(s.format),
        _text(s.supervisor, "supervisor", limit=200),
        s.created_at,
        s.updated_at,
        topics,
        follow,
    )


def check_certification(c: Certification) -> Certification:
    state = _text(c.state, "state", required=True, limit=60)
    number = _text(c.number, "number", required=True, limit=60)
    if c.expires_on <= c.issued_on:
        raise ValidationError(
            Msg("the expiry date is not after the issue date"), field="expires_on"
        )
    return Certification(c.id, state, number, c.issued_on, c.expires_on, c.created_at, c.updated_at)


def check_ceu(e: CeuEntry, *, today: date) -> CeuEntry:
    _not_future(e.taken_on, today, "taken_on")
    if not Decimal(0) < e.hours <= MAX_CEU_HOURS:
        raise ValidationError(
            Msg("hours are more than 0 and at most {most}", most=MAX_CEU_HOURS), field="hours"
        )
    if e.hours != e.hours.quantize(Decimal("0.01")):
        raise ValidationError(Msg("hours have at most two decimals"), field="hours")
    return CeuEntry(
        e.id,
        e.taken_on,
        _text(e.title, "title", required=True, limit=300),
        _text(e.provider, "provider", limit=300),
        e.hours,
        e.created_at,
        _text(e.evidence, "evidence", limit=500),
    )


def check_wellbeing(c: WellbeingCheckIn, *, today: date) -> WellbeingCheckIn:
    _not_future(c.taken_on, today, "taken_on")
    for name in ("energy", "stress", "support"):
        value = getattr(c, name)
        if isinstance(value, bool) or value not in SCALE:
            raise ValidationError(Msg("{what} is 1 to 5", what=_FIELD_NAMES[name]), field=name)
    return WellbeingCheckIn(
        c.id, c.taken_on, c.energy, c.stress, c.support, c.created_at,
        _text(c.note, "note"), c.shared,
    )  # fmt: skip


def check_self_care(p: SelfCarePlan) -> SelfCarePlan:
    return SelfCarePlan(
        _text(p.warning_signs, "warning_signs"),
        _text(p.what_helps, "what_helps"),
        _text(p.who_to_call, "who_to_call"),
        p.updated_at,
    )


def check_requirement(r: Requirement, name: str) -> Requirement:
    if not 1 <= r.months <= 60:
        raise ValidationError(Msg("the period is 1 to 60 months"), field=f"{name}_months")
    if not Decimal(0) <= r.hours <= Decimal(1000):
        raise ValidationError(Msg("hours are 0 to 1000"), field=f"{name}_hours")
    return r


# --- periods and totals -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """Calendar days ``start`` to ``end``, both included."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (the day kept, or the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_of(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last))


def quarter_of(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    return Period(start, month_of(add_months(start, 2)).end)


def requirement_window(req: Requirement, today: date) -> Period:
    """The last ``req.months`` calendar months, the one of ``today`` included."""
    start = add_months(today.replace(day=1), -(req.months - 1))
    return Period(start, month_of(today).end)


def supervision_minutes(sessions: Iterable[SupervisionSession], period: Period) -> int:
    return sum(s.minutes for s in sessions if s.held_on in period)


def hours_of(minutes: int) -> Decimal:
    """Minutes as hours to the hundredth (half up)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def supervision_hours(sessions: Iterable[SupervisionSession], period: Period) -> Decimal:
    return hours_of(supervision_minutes(sessions, period))


def renewal_period(cert: Certification | None, req: Requirement, today: date) -> Period:
    if cert is None:
        return Period(add_months(today, -req.months) + timedelta(days=1), today)
    start = max(cert.issued_on, add_months(cert.expires_on, -req.months) + timedelta(days=1))
    return Period(start, cert.expires_on)


def ceu_hours(entries: Iterable[CeuEntry], period: Period) -> Decimal:
    return sum((e.hours for e in entries if e.taken_on in period), Decimal(0))


# --- reminders and status -----------------------------------------------------------------


class Expiry(enum.StrEnum):
    NONE = "none"  # no certification recorded
    CURRENT = "current"
    DUE_60 = "due_60"
    DUE_30 = "due_30"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class ExpiryReminder:
    state: Expiry
    #: days until the expiry date (negative: since); None without a certification
    days: int | None = None
    expires_on: date | None = None

    @property
    def needs_attention(self) -> bool:
        return self.state is not Expiry.CURRENT


def expiry_reminder(
    cert: Certification | None, today: date, thresholds: Sequence[int] = REMINDER_DAYS
) -> ExpiryReminder:
    if cert is None:
        return ExpiryReminder(Expiry.NONE)
    days = (cert.expires_on - today).days
    long, short = max(thresholds), min(thresholds)
    if days < 0:
        state = Expiry.EXPIRED
    elif days <= short:
        state = Expiry.DUE_30
    elif days <= long:
        state = Expiry.DUE_60
    else:
        state = Expiry.CURRENT
    return ExpiryReminder(state, days, cert.expires_on)


@dataclass(frozen=True, slots=True)
class Progress:
    """Hours done against hours required, in a period."""

    done: Decimal
    required: Decimal
    period: Period

    @property
    def met(self) -> bool:
        return self.done >= self.required

    @property
    def short_by(self) -> Decimal:
        return max(self.required - self.done, Decimal(0))


@dataclass(frozen=True, slots=True)
class WorkforceRecord:
    """Everything of one peer's workforce record a view needs."""

    sessions: tuple[SupervisionSession, ...] = ()
    certification: Certification | None = None
    ceus: tuple[CeuEntry, ...] = ()
    check_ins: tuple[WellbeingCheckIn, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkforceStatus:
    """One peer at a glance (the supervisor's Team row, the peer's Today line)."""

    supervision: Progress
    expiry: ExpiryReminder
    ceu: Progress
    #: the last supervision session (None: none recorded)
    last_session: date | None
    open_follow_ups: int = 0


def status_of(record: WorkforceRecord, settings: WorkforceSettings, today: date) -> WorkforceStatus:
    window = requirement_window(settings.supervision, today)
    renewal = renewal_period(record.certification, settings.ceu, today)
    last = max((s.held_on for s in record.sessions), default=None)
    return WorkforceStatus(
        Progress(supervision_hours(record.sessions, window), settings.supervision.hours, window),
        expiry_reminder(record.certification, today),
        Progress(ceu_hours(record.ceus, renewal), settings.ceu.hours, renewal),
        last,
        sum(s.open_follow_ups for s in record.sessions),
    )
