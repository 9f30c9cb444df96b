"""Group sessions (issue 21): a group with a roster, and one session of it that
becomes each attendee's own note.

A :class:`Group` is a name and the participants in it (its roster), active
until it is ended. A :class:`GroupSession` is one meeting: when, how long, who
came (from the roster; the rest of the roster did not), the shared part written
once (the topic and what the group did) and each attendee's individual part.
:func:`session_drafts` makes one group-contact note draft per attendee: the
shared part copied in, then that attendee's own part. A note never names the
other people in the group.

Sensitive: the group's name, its roster, the topic and every text part.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from peerdesk.domain.models import ContactType, LocationType, NoteDraft, NoteTemplate
from peerdesk.errors import Msg, ValidationError

NAME_MAX = 120
TOPIC_MAX = 200
TEXT_MAX = 20_000
#: a group has at least two people in it, and no more than a room holds
MIN_MEMBERS = 2
MAX_MEMBERS = 40
#: a session lasts 5 minutes to 8 hours
MIN_MINUTES = 5
MAX_MINUTES = 8 * 60


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: str  # sensitive
    members: tuple[str, ...]  # sensitive: the participant ids of the roster, in order
    created_at: datetime
    updated_at: datetime
    ended_on: date | None = None

    @property
    def active(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True, slots=True)
class Headings:
    """The words a group note is laid out with (the UI passes them translated)."""

    group: str = "Group session"
    topic: str = "Topic"
    shared: str = "What the group did"
    own: str = "For this participant"


@dataclass(frozen=True, slots=True)
class GroupSession:
    """One meeting of a group, as the session dialog hands it over."""

    group_id: str
    start_at: datetime
    minutes: int
    topic: str  # sensitive
    shared: str  # sensitive: what the group did, written once
    #: who came: participant id -> that attendee's individual part (sensitive)
    attended: Mapping[str, str]
    location_type: LocationType = LocationType.OFFICE
    #: sign each note at once (else each attendee gets a draft to finish)
    sign: bool = False
    headings: Headings = field(default_factory=Headings)

    @property
    def end_at(self) -> datetime:
        return self.start_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A group session as it was saved: who came, who did not, and their notes."""

    id: str
    group_id: str
    start_at: datetime
    minutes: int
    topic: str  # sensitive
    shared: str  # sensitive
    attended: tuple[str, ...]  # sensitive
    absent: tuple[str, ...]  # sensitive
    note_ids: tuple[str, ...]  # one per attendee, in the order of ``attended``
    created_at: datetime


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_group(group: Group) -> Group:
    """The group tidied (its name's spaces, its roster without repeats), or a
    :class:`ValidationError` naming the field."""
    name = _words(group.name)
    if not name:
        raise ValidationError(Msg("the group needs a name"), field="name")
    if len(name) > NAME_MAX:
        raise ValidationError(
            Msg("a group name has at most {limit} characters", limit=NAME_MAX), field="name"
        )
    members = tuple(dict.fromkeys(m for m in group.members if m))
    if len(members) < MIN_MEMBERS:
        raise ValidationError(
            Msg("a group needs at least {least} participants in it", least=MIN_MEMBERS),
            field="members",
        )
    if len(members) > MAX_MEMBERS:
        raise ValidationError(
            Msg("a group has at most {limit} participants", limit=MAX_MEMBERS), field="members"
        )
    if group.ended_on is not None and group.ended_on < group.created_at.date():
        raise ValidationError(Msg("a group cannot end before it started"), field="ended_on")
    return replace(group, name=name, members=members)


def check_session(group: Group, session: GroupSession) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Who came and who did not (both in roster order), or a
    :class:`ValidationError`: the group must be active, the time aware and the
    length sensible, the topic and shared part written, at least one attendee,
    everyone who came on the roster, and each attendee's own part written."""
    if not group.active:
        raise ValidationError(Msg("this group has ended"), field="group")
    if session.group_id != group.id:
        raise ValidationError(Msg("the session is of another group"), field="group")
    if session.start_at.tzinfo is None:
        raise ValidationError(Msg("the start needs a time zone"), field="start_at")
    if not MIN_MINUTES <= session.minutes <= MAX_MINUTES:
        raise ValidationError(
            Msg("a session lasts {least} to {most} minutes", least=MIN_MINUTES, most=MAX_MINUTES),
            field="minutes",
        )
    if not _words(session.topic):
        raise ValidationError(Msg("write the session's topic"), field="topic")
    if len(session.topic) > TOPIC_MAX:
        raise ValidationError(
            Msg("a topic has at most {limit} characters", limit=TOPIC_MAX), field="topic"
        )
    if not session.shared.strip():
        raise ValidationError(Msg("write what the group did"), field="shared")
    if not session.attended:
        raise ValidationError(Msg("mark who came"), field="attended")
    strangers = [p for p in session.attended if p not in group.members]
    if strangers:
        raise ValidationError(Msg("someone marked as come is not in this group"), field="attended")
    for text in (session.shared, *session.attended.values()):
        if len(text) > TEXT_MAX:
            raise ValidationError(
                Msg("a part has at most {limit} characters", limit=TEXT_MAX), field="text"
            )
    if any(not text.strip() for text in session.attended.values()):
        raise ValidationError(Msg("write each attendee's own part"), field="individual")
    came = tuple(m for m in group.members if m in session.attended)
    absent = tuple(m for m in group.members if m not in session.attended)
    return came, absent


def note_text(group: Group, session: GroupSession, own: str) -> str:
    """One attendee's note: the shared part, then their own part."""
    h = session.headings
    return (
        f"{h.group}: {group.name}\n{h.topic}: {_words(session.topic)}\n\n"
        f"{h.shared}:\n{session.shared.strip()}\n\n{h.own}:\n{own.strip()}"
    )


def session_drafts(group: Group, session: GroupSession) -> list[NoteDraft]:
    """One group-contact note draft per attendee (roster order)."""
    came, _absent = check_session(group, session)
    return [
        NoteDraft(
            participant_id=pid,
            template=NoteTemplate.FREE,
            contact_type=ContactType.GROUP,
            location_type=session.location_type,
            start_at=session.start_at,
            end_at=session.end_at,
            body={"text": note_text(group, session, session.attended[pid])},
        )
        for pid in came
    ]
