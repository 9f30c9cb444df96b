"""The participant's record: the recovery plan, enrollment episodes and consents
to release information, with their rules. Pure: no storage, no I/O.

*Sensitive* (envelopes on the laptop, sealed on the wire): everything but ids and
the record's own created/updated times.

**Recovery plan.** One plan per participant, written with them: goals in their
own words, each in a life domain, with steps, a target date and a status whose
changes are kept with their dates (the plan's progress over time). Notes link
to the goals they worked on by carrying the goal's id in ``Note.goals``
(:func:`goal_id_of`). The participant's agreement (signed or verbal, and when)
and the plan's review dates are part of the plan.

**Enrollment.** Peer support is voluntary: an episode starts with an intake
(date, how the person came), may end with a discharge (date, reason), and a
person may enroll again after a discharge (a new episode). Episodes never
overlap and at most one is open.

**Consent (42 CFR 2.31).** A written consent to disclose Part 2 information must
name: the patient; who may disclose; what information, how much and what kind
(including an explicit note when it is substance-use information); the
recipient(s); the purpose; the right to revoke and how; the expiration date,
event or condition; the signature of the patient (or of a person authorised to
sign for them); and the date signed. :func:`missing_elements` says which of
these a consent lacks; an incomplete consent never counts as current.
:func:`consent_for` decides whether a disclosure to a recipient is covered now.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from peerdesk.errors import Msg, ValidationError

MAX_GOAL = 1_000
MAX_STEP = 500
MAX_STEPS = 20
MAX_GOALS = 30
MAX_SHORT = 200
MAX_LONG = 2_000


# --- recovery plan ---------------------------------------------------------------------


class LifeDomain(enum.StrEnum):
    HOUSING = "housing"
    WORK = "work"  # work, school, training
    HEALTH = "health"
    SOCIAL = "social"  # family and social supports
    RECOVERY = "recovery"
    COMMUNITY = "community"


class GoalStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    MET = "met"
    ON_HOLD = "on_hold"
    SET_ASIDE = "set_aside"  # the person chose another goal


class AgreementKind(enum.StrEnum):
    SIGNED = "signed"
    VERBAL = "verbal"


@dataclass(frozen=True, slots=True)
class Step:
    text: str
    target: date | None = None
    done: bool = False


@dataclass(frozen=True, slots=True)
class StatusChange:
    on: date
    status: GoalStatus


@dataclass(frozen=True, slots=True)
class Goal:
    id: str
    text: str  # in the participant's words
    domain: LifeDomain
    status: GoalStatus
    created_on: date
    target: date | None = None
    steps: tuple[Step, ...] = ()
    #: every status the goal had, with the day it took it (oldest first)
    history: tuple[StatusChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Agreement:
    kind: AgreementKind
    on: date


@dataclass(frozen=True, slots=True)
class RecoveryPlan:
    id: str
    participant_id: str
    goals: tuple[Goal, ...]
    created_at: datetime
    updated_at: datetime
    agreement: Agreement | None = None
    #: days the plan was reviewed with the person (oldest first)
    reviewed_on: tuple[date, ...] = ()
    next_review: date | None = None


def new_goal_id() -> str:
    return str(uuid.uuid4())


def goal_id_of(entry: str) -> str | None:
    """The goal id a note's goal entry carries, or ``None`` for free text (notes
    written before plans link by id)."""
    try:
        return str(uuid.UUID(entry))
    except ValueError:
        return None


def _text(value: str, limit: int, field_name: str, what: Msg, *, required: bool = True) -> str:
    text = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not text:
        raise ValidationError(Msg("enter {what}", what=what), field=field_name)
    if len(text) > limit:
        raise ValidationError(
            Msg("{what} is longer than {limit} characters", what=what, limit=limit),
            field=field_name,
        )
    return text


def with_status(goal: Goal, status: GoalStatus, on: date) -> Goal:
    """``goal`` with a new status, its change kept in the history."""
    if status is goal.status:
        return goal
    return Goal(
        goal.id, goal.text, goal.domain, status, goal.created_on, goal.target, goal.steps,
        (*goal.history, StatusChange(on, status)),
    )  # fmt: skip


def check_plan(plan: RecoveryPlan, *, today: date) -> RecoveryPlan:
    """The plan tidied (texts trimmed), or :class:`ValidationError`."""
    if len(plan.goals) > MAX_GOALS:
        raise ValidationError(
            Msg("a plan has at most {limit} goals", limit=MAX_GOALS), field="goals"
        )
    seen: set[str] = set()
    goals = []
    for g in plan.goals:
        if g.id in seen:
            raise ValidationError(Msg("two goals have the same id"), field="goals")
        seen.add(g.id)
        if len(g.steps) > MAX_STEPS:
            raise ValidationError(
                Msg("a goal has at most {limit} steps", limit=MAX_STEPS), field="steps"
            )
        steps = tuple(
            Step(_text(s.text, MAX_STEP, "steps", Msg("the step")), s.target, s.done)
            for s in g.steps
        )
        history = g.history or (StatusChange(g.created_on, g.status),)
        goals.append(
            Goal(
                g.id,
                _text(g.text, MAX_GOAL, "goal", Msg("the goal in the person's words")),
                LifeDomain(g.domain),
                GoalStatus(g.status),
                g.created_on,
                g.target,
                steps,
                history,
            )  # fmt: skip
        )
    if plan.agreement is not None and plan.agreement.on > today:
        raise ValidationError(Msg("the agreement date is in the future"), field="agreement")
    if any(d > today for d in plan.reviewed_on):
        raise ValidationError(Msg("a review date is in the future"), field="reviewed_on")
    return RecoveryPlan(
        plan.id, plan.participant_id, tuple(goals), plan.created_at, plan.updated_at,
        plan.agreement, tuple(sorted(set(plan.reviewed_on))), plan.next_review,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class GoalProgress:
    """A goal over time: its status changes and the days notes worked on it."""

    goal: Goal
    worked_on: tuple[date, ...]

    @property
    def contacts(self) -> int:
        return len(self.worked_on)


def progress(plan: RecoveryPlan, notes: Iterable[tuple[date, Sequence[str]]]) -> list[GoalProgress]:
    """Each goal of ``plan`` with the days of the notes (``(day, note goals)``)
    that named it, oldest first."""
    days: dict[str, list[date]] = {g.id: [] for g in plan.goals}
    for day, entries in notes:
        for entry in entries:
            gid = goal_id_of(entry)
            if gid in days:
                days[gid].append(day)
    return [GoalProgress(g, tuple(sorted(days[g.id]))) for g in plan.goals]


# --- enrollment ---------------------------------------------------------------------------


class DischargeReason(enum.StrEnum):
    GOALS_MET = "goals_met"
    CHOSE_TO_END = "chose_to_end"
    LOST_CONTACT = "lost_contact"
    MOVED = "moved"
    TRANSFERRED = "transferred"  # to another program or level of care
    INSTITUTION = "institution"  # hospital, treatment or jail for a long stay
    DIED = "died"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Episode:
    """One enrollment: voluntary intake, and the discharge once it ends."""

    id: str
    participant_id: str
    intake_on: date
    referral_source: str
    created_at: datetime
    updated_at: datetime
    discharge_on: date | None = None
    discharge_reason: DischargeReason | None = None
    discharge_note: str = ""

    @property
    def open(self) -> bool:
        return self.discharge_on is None


def current_episode(episodes: Iterable[Episode]) -> Episode | None:
    return next((e for e in episodes if e.open), None)


def check_intake(intake_on: date, source: str, earlier: Sequence[Episode], *, today: date) -> str:
    """The referral source tidied, or :class:`ValidationError` when the person is
    enrolled already or the intake falls in or before an earlier episode."""
    if intake_on > today:
        raise ValidationError(Msg("the intake date is in the future"), field="intake_on")
    if current_episode(earlier) is not None:
        raise ValidationError(
            Msg("the person is enrolled already; discharge first"), field="intake_on"
        )
    last = max((e.discharge_on for e in earlier if e.discharge_on), default=None)
    if last is not None and intake_on < last:
        raise ValidationError(
            Msg("a new enrollment starts on or after the last discharge"), field="intake_on"
        )
    return _text(source, MAX_SHORT, "referral_source", Msg("how the person came to us"))


def check_discharge(episode: Episode, on: date, note: str, *, today: date) -> str:
    if not episode.open:
        raise ValidationError(Msg("this enrollment has ended already"), field="discharge_on")
    if on > today:
        raise ValidationError(Msg("the discharge date is in the future"), field="discharge_on")
    if on < episode.intake_on:
        raise ValidationError(Msg("the discharge is before the intake"), field="discharge_on")
    return _text(note, MAX_LONG, "discharge_note", Msg("the note"), required=False)


# --- consent to release information ----------------------------------------------------------


class InfoCategory(enum.StrEnum):
    ATTENDANCE = "attendance"  # that the person takes part, dates of contact
    PLAN = "plan"  # recovery plan and progress
    SUBSTANCE_USE = "substance_use"  # Part 2: substance-use information
    MENTAL_HEALTH = "mental_health"
    CONTACT = "contact"  # name, phone, address
    OUTCOMES = "outcomes"  # outcome measures


class ConsentState(enum.StrEnum):
    CURRENT = "current"
    NOT_YET = "not_yet"
    EXPIRED = "expired"
    REVOKED = "revoked"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class Consent:
    """A consent to release information, with the elements 42 CFR 2.31 asks for."""

    id: str
    participant_id: str
    discloser: str  # who may disclose: the program
    recipient: str  # to whom (name of a person or organisation)
    information: frozenset[InfoCategory]
    information_detail: str  # how much and what kind, in words
    purpose: str
    signed_by: str  # the participant, or who signed for them
    signed_on: date | None
    created_at: datetime
    updated_at: datetime
    #: the directory service the recipient is, when it is one (for referrals)
    recipient_service_id: str | None = None
    expires_on: date | None = None
    expires_event: str = ""  # an event or condition instead of (or beside) a date
    revocation_explained: bool = False  # the right to revoke, and how, was given
    effective_on: date | None = None
    revoked_on: date | None = None
    revocation_note: str = ""


#: the elements of 2.31(a), in the words the form and its errors use
ELEMENTS = {
    "patient": Msg("the participant's name"),
    "discloser": Msg("who may disclose"),
    "information": Msg("what information may be shared"),
    "substance_use_detail": Msg("a description of the substance-use information"),
    "recipient": Msg("to whom"),
    "purpose": Msg("the purpose"),
    "revocation": Msg("the right to revoke and how"),
    "expiry": Msg("an expiration date, event or condition"),
    "signature": Msg("the signature"),
    "signed_on": Msg("the date signed"),
}
#: the consent's text fields checked for length, with their names in words
_CONSENT_TEXTS = (
    ("discloser", MAX_SHORT, Msg("discloser")),
    ("recipient", MAX_SHORT, Msg("recipient")),
    ("signed_by", MAX_SHORT, Msg("signed by")),
    ("purpose", MAX_LONG, Msg("purpose")),
    ("information_detail", MAX_LONG, Msg("information detail")),
    ("expires_event", MAX_LONG, Msg("expires event")),
    ("revocation_note", MAX_LONG, Msg("revocation note")),
)


def missing_elements(c: Consent, *, patient_named: bool = True) -> list[str]:
    """The keys of :data:`ELEMENTS` that ``c`` lacks (empty when complete)."""
    missing = []
    if not patient_named:
        missing.append("patient")
    if not c.discloser.strip():
        missing.append("discloser")
    if not c.information:
        missing.append("information")
    if InfoCategory.SUBSTANCE_USE in c.information and not c.information_detail.strip():
        missing.append("substance_use_detail")
    if not c.recipient.strip():
        missing.append("recipient")
    if not c.purpose.strip():
        missing.append("purpose")
    if not c.revocation_explained:
        missing.append("revocation")
    if c.expires_on is None and not c.expires_event.strip():
        missing.append("expiry")
    if not c.signed_by.strip():
        missing.append("signature")
    if c.signed_on is None:
        missing.append("signed_on")
    return missing


def check_consent(c: Consent, *, today: date) -> Consent:
    """``c`` with texts tidied, or :class:`ValidationError` naming the first
    missing element (a consent is only saved complete)."""
    for name, limit, what in _CONSENT_TEXTS:
        if len(getattr(c, name)) > limit:
            raise ValidationError(Msg("{what} is too long", what=what), field=name)
    missing = missing_elements(c)
    if missing:
        raise ValidationError(
            Msg("the consent needs {element}", element=ELEMENTS[missing[0]]), field=missing[0]
        )
    assert c.signed_on is not None
    if c.signed_on > today:
        raise ValidationError(Msg("the date signed is in the future"), field="signed_on")
    if c.expires_on is not None and c.expires_on < c.signed_on:
        raise ValidationError(Msg("the consent expires before it was signed"), field="expiry")
    if c.revoked_on is not None and c.revoked_on < c.signed_on:
        raise ValidationError(
            Msg("the consent is revoked before it was signed"), field="revoked_on"
        )
    return c


def consent_state(c: Consent, today: date) -> ConsentState:
    if missing_elements(c):
        return ConsentState.INCOMPLETE
    if c.revoked_on is not None and c.revoked_on <= today:
        return ConsentState.REVOKED
    if c.expires_on is not None and c.expires_on < today:
        return ConsentState.EXPIRED
    start = c.effective_on or c.signed_on
    if start is not None and start > today:
        return ConsentState.NOT_YET
    return ConsentState.CURRENT


def _names_match(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


@dataclass(frozen=True, slots=True)
class ConsentCheck:
    """Whether a disclosure is covered: the consent that covers it, or why none does."""

    consent: Consent | None
    #: the state of the best non-current consent for this recipient, if any
    closest: ConsentState | None = None
    closest_consent: Consent | None = field(default=None)
    #: a care-team entry links to a current consent whose recipient is someone
    #: else (``closest_consent``): it does not cover the entry
    names_other: bool = False

    @property
    def ok(self) -> bool:
        return self.consent is not None


def consent_for(
    consents: Iterable[Consent],
    *,
    recipient: str,
    service_id: str | None,
    today: date,
    needs: Iterable[InfoCategory] = (),
) -> ConsentCheck:
    """The current consent that lets the program share ``needs`` with this
    recipient (matched by directory service id when the consent names one,
    else by name), or why there is
    none: the closest one found expired, revoked, not yet in effect, or none."""
    needed = frozenset(needs)
    order = [ConsentState.REVOKED, ConsentState.EXPIRED, ConsentState.NOT_YET]
    closest: tuple[int, Consent] | None = None
    for c in consents:
        # a consent naming a directory service covers that service only (another
        # service may have the same name); one without a service id matches by name
        if c.recipient_service_id:
            same = c.recipient_service_id == service_id
        else:
            same = _names_match(c.recipient, recipient)
        if not same or not needed <= c.information:
            continue
        state = consent_state(c, today)
        if state is ConsentState.CURRENT:
            return ConsentCheck(c)
        if state in order:
            rank = order.index(state)
            if closest is None or rank > closest[0]:
                closest = (rank, c)
    if closest is None:
        return ConsentCheck(None)
    return ConsentCheck(None, order[closest[0]], closest[1])
