"""Crisis support (issue 21): the crisis flag and the safety plan. Pure: no
storage, no I/O.

**The flag.** A participant is *in crisis* while their newest ``CrisisFlag`` is
not cleared. Flagging records a short reason, when and by whom; clearing
records when, by whom and (optionally) how it ended. One flag is one record:
clearing updates it, a new crisis is a new flag.

**The safety plan.** One per participant, the six steps of the Stanley-Brown
safety planning intervention, each a short list of lines written with the
person: the signs that a crisis may be coming, what they can do on their own,
people and places that take their mind off it, people they can ask for help,
professionals and services to call (988 and local crisis lines among them),
and how to make their surroundings safer.

**Priority.** Crisis records (``crisis``, ``safety_plan``) and a note written
while its participant is flagged go to the agency before anything else
(:data:`PRIORITY_KINDS`, :func:`sync_priority`), and the supervisor's review
queue lists crisis notes first.

*Sensitive*: everything but ids and the records' own created/updated times.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from peerdesk.errors import Msg, ValidationError

MAX_REASON = 500
MAX_LINE = 500
MAX_LINES = 30
MAX_WHO = 200

#: the steps of a safety plan, in order (keys of the record and the payload)
SAFETY_STEPS = (
    "warning_signs",
    "coping",
    "distractions",
    "help_people",
    "professionals",
    "environment",
)

#: record kinds that always sync first
PRIORITY_KINDS = frozenset({"crisis", "safety_plan"})
#: outbox kinds that are a note (sync first while the participant is flagged)
NOTE_KINDS = frozenset({"note", "addendum", "resubmit"})
#: the outbox priority of urgent entries (others are 0)
URGENT = 1


@dataclass(frozen=True, slots=True)
class CrisisFlag:
    id: str
    participant_id: str
    reason: str  # sensitive
    flagged_at: datetime
    flagged_by: str  # sensitive
    created_at: datetime
    updated_at: datetime
    cleared_at: datetime | None = None
    cleared_by: str = ""  # sensitive
    outcome: str = ""  # sensitive: how the crisis ended, in a few words

    @property
    def active(self) -> bool:
        return self.cleared_at is None


@dataclass(frozen=True, slots=True)
class SafetyPlan:
    id: str
    participant_id: str
    created_at: datetime
    updated_at: datetime
    warning_signs: tuple[str, ...] = ()
    coping: tuple[str, ...] = ()
    distractions: tuple[str, ...] = ()
    help_people: tuple[str, ...] = ()
    professionals: tuple[str, ...] = ()
    environment: tuple[str, ...] = ()

    def step(self, key: str) -> tuple[str, ...]:
        if key not in SAFETY_STEPS:
            raise KeyError(key)
        value: tuple[str, ...] = getattr(self, key)
        return value

    @property
    def empty(self) -> bool:
        return not any(self.step(k) for k in SAFETY_STEPS)


def current_flag(flags: list[CrisisFlag]) -> CrisisFlag | None:
    """The flag in force (the newest not cleared), or ``None``."""
    active = [f for f in flags if f.active]
    return max(active, key=lambda f: (f.flagged_at, f.id)) if active else None


def check_flag(flag: CrisisFlag) -> CrisisFlag:
    reason = flag.reason.strip()
    if not reason:
        raise ValidationError(Msg("say briefly why (a few words are enough)"), field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(
            Msg("the reason is at most {limit} characters", limit=MAX_REASON), field="reason"
        )
    if not flag.flagged_by.strip() or len(flag.flagged_by) > MAX_WHO:
        raise ValidationError(Msg("who flagged is missing"), field="flagged_by")
    if flag.cleared_at is not None:
        if flag.cleared_at < flag.flagged_at:
            raise ValidationError(
                Msg("a flag cannot be cleared before it was set"), field="cleared_at"
            )
        if not flag.cleared_by.strip() or len(flag.cleared_by) > MAX_WHO:
            raise ValidationError(Msg("who cleared is missing"), field="cleared_by")
    if len(flag.outcome) > MAX_REASON:
        raise ValidationError(
            Msg("the outcome is at most {limit} characters", limit=MAX_REASON), field="outcome"
        )
    return replace(flag, reason=reason, outcome=flag.outcome.strip())


def clean_lines(lines: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Lines stripped, empty ones dropped."""
    return tuple(s.strip() for s in lines if s.strip())


def check_plan(plan: SafetyPlan) -> SafetyPlan:
    changes: dict[str, tuple[str, ...]] = {}
    for key in SAFETY_STEPS:
        lines = clean_lines(plan.step(key))
        if len(lines) > MAX_LINES:
            raise ValidationError(
                Msg("a step has at most {limit} lines", limit=MAX_LINES), field=key
            )
        if any(len(s) > MAX_LINE for s in lines):
            raise ValidationError(
                Msg("a line is at most {limit} characters", limit=MAX_LINE), field=key
            )
        changes[key] = lines
    return replace(plan, **changes)  # type: ignore[arg-type]


def sync_priority(kind: str, *, participant_in_crisis: bool) -> int:
    """The outbox priority of a change: crisis records always, a note's records
    while its participant is flagged; everything else goes in journal order."""
    if kind in PRIORITY_KINDS:
        return URGENT
    if kind in NOTE_KINDS and participant_in_crisis:
        return URGENT
    return 0


__all__ = [
    "NOTE_KINDS",
    "PRIORITY_KINDS",
    "SAFETY_STEPS",
    "URGENT",
    "CrisisFlag",
    "SafetyPlan",
    "check_flag",
    "check_plan",
    "clean_lines",
    "current_flag",
    "sync_priority",
]
