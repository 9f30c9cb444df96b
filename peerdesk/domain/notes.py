"""Pure rules for notes: the state machine and content checks.

    draft --sign--> signed --submit--> submitted --approve--> approved
                                           |
                                           +--return--> returned --resubmit--> submitted

A signed note never changes; a correction is an addendum (allowed on any state
but draft). A returned note is answered with an addendum, then resubmitted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta

from peerdesk.domain.models import TEMPLATE_SECTIONS, NoteState, NoteTemplate
from peerdesk.domain.times import local_moment
from peerdesk.errors import InvalidTransition, Msg, ValidationError

TRANSITIONS: dict[tuple[NoteState, str], NoteState] = {
    (NoteState.DRAFT, "sign"): NoteState.SIGNED,
    (NoteState.SIGNED, "submit"): NoteState.SUBMITTED,
    (NoteState.SUBMITTED, "approve"): NoteState.APPROVED,
    (NoteState.SUBMITTED, "return"): NoteState.RETURNED,
    (NoteState.RETURNED, "resubmit"): NoteState.SUBMITTED,
}

MAX_SECTION_CHARS = 20_000
MAX_GOALS = 20
MAX_GOAL_CHARS = 500
MAX_CONTACT = timedelta(hours=12)


def next_state(state: NoteState, action: str) -> NoteState:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransition(state.value, action) from None


def can_edit(state: NoteState) -> bool:
    return state is NoteState.DRAFT


def can_add_addendum(state: NoteState) -> bool:
    return state is not NoteState.DRAFT


def normalize_body(template: NoteTemplate, body: Mapping[str, str]) -> dict[str, str]:
    """Keep the template's sections in order; refuse unknown or oversized ones."""
    sections = TEMPLATE_SECTIONS[template]
    unknown = set(body) - set(sections)
    if unknown:
        raise ValidationError(
            Msg(
                "{template} notes have no section {section}",
                template=template.value.upper(),
                section=repr(sorted(unknown)[0]),
            ),
            field="body",
        )
    out: dict[str, str] = {}
    for name in sections:
        text = body.get(name, "")
        if not isinstance(text, str):
            raise ValidationError(
                Msg("section {section} must be text", section=repr(name)), field=name
            )
        if len(text) > MAX_SECTION_CHARS:
            raise ValidationError(
                Msg(
                    "section {section} is longer than {limit} characters",
                    section=repr(name),
                    limit=MAX_SECTION_CHARS,
                ),
                field=name,
            )
        out[name] = text
    return out


def normalize_goals(goals: Sequence[str]) -> tuple[str, ...]:
    cleaned = tuple(g.strip() for g in goals if isinstance(g, str) and g.strip())
    if len(cleaned) > MAX_GOALS:
        raise ValidationError(Msg("at most {limit} goals per note", limit=MAX_GOALS), field="goals")
    if any(len(g) > MAX_GOAL_CHARS for g in cleaned):
        raise ValidationError(
            Msg("a goal is longer than {limit} characters", limit=MAX_GOAL_CHARS), field="goals"
        )
    return cleaned


def contact_span(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """A contact told as a date and two clock times, as aware local datetimes.

    An end earlier on the clock than the start is the next morning (a crisis call
    from 23:30 to 00:20), as long as that makes a contact no longer than
    :data:`MAX_CONTACT`; otherwise both stay on ``day`` and :func:`check_times`
    says the end is before the start. Equal times stay equal (refused there too).
    """
    start_at = local_moment(datetime.combine(day, start))
    end_at = local_moment(datetime.combine(day, end))
    if end < start:
        next_morning = local_moment(datetime.combine(day + timedelta(days=1), end))
        if next_morning - start_at <= MAX_CONTACT:
            end_at = next_morning
    return start_at, end_at


def check_times(start_at: datetime, end_at: datetime) -> None:
    if start_at.tzinfo is None or end_at.tzinfo is None:
        raise ValidationError(Msg("start and end need a time zone"), field="start_at")
    if end_at <= start_at:
        raise ValidationError(Msg("the end time must be after the start time"), field="end_at")
    if end_at - start_at > MAX_CONTACT:
        raise ValidationError(Msg("a contact cannot be longer than 12 hours"), field="end_at")


def check_ready_to_sign(body: Mapping[str, str], start_at: datetime, end_at: datetime) -> None:
    check_times(start_at, end_at)
    if not any(text.strip() for text in body.values()):
        raise ValidationError(Msg("write something in the note before signing it"), field="body")
