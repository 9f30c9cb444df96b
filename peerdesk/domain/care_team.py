"""The participant's care team (issue 23): the clinicians, case managers and
natural supports (family, friends, a sponsor...) the person works with, how to
reach them, and whether a current consent lets the program talk to them. Pure:
no storage, no I/O.

*Sensitive* (one envelope per entry on the laptop, sealed on the wire):
everything but ids and the entry's own created/updated times.

**Consent.** Talking with a care-team member about the person is a disclosure:
:func:`consent_link` says whether a *current* consent of the person's record
covers it, by the rules of :func:`peerdesk.domain.record.consent_for` and
:func:`~peerdesk.domain.record.consent_state` (a revoked, expired, incomplete or
not-yet-effective consent is not current). The consent is the one the entry
links to (``consent_id``) when it does, else one naming the member or their
organisation as the recipient.

**Notes.** A note can record a coordination contact with one member
(``Note.coordinated_with``: the entry's id, inside the note's envelope).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from peerdesk.domain.record import (
    Consent,
    ConsentCheck,
    ConsentState,
    consent_for,
    consent_state,
)
from peerdesk.errors import Msg, ValidationError

MAX_NAME = 200
MAX_PHONE = 40
MAX_EMAIL = 254
MAX_CONTACT_NOTES = 1_000
#: digits a phone number has at least and at most (E.164: 15), extension apart
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 7, 15


class CareRole(enum.StrEnum):
    CLINICIAN = "clinician"  # therapist, counsellor, psychologist
    PRESCRIBER = "prescriber"  # psychiatrist, nurse practitioner
    PRIMARY_CARE = "primary_care"  # family doctor, clinic nurse
    CASE_MANAGER = "case_manager"
    HOUSING = "housing"  # housing worker, landlord contact
    JUSTICE = "justice"  # probation or parole officer, court liaison
    FAMILY = "family"
    FRIEND = "friend"
    SPONSOR = "sponsor"  # a mutual-aid sponsor
    OTHER = "other"


#: the natural supports (not paid to help)
NATURAL_SUPPORTS = frozenset({CareRole.FAMILY, CareRole.FRIEND, CareRole.SPONSOR})


@dataclass(frozen=True, slots=True)
class CareTeamMember:
    """One person on the participant's care team."""

    id: str
    participant_id: str
    name: str
    role: CareRole
    created_at: datetime
    updated_at: datetime
    role_other: str = ""  # what they are, in words, when the role is OTHER
    organisation: str = ""
    phone: str = ""
    email: str = ""
    contact_notes: str = ""  # best times, ask for extension, ...
    #: the consent of the person's record this entry links to, if any
    consent_id: str | None = None
    ended_on: date | None = None  # no longer on the team from this day

    @property
    def active(self) -> bool:
        return self.ended_on is None

    @property
    def natural_support(self) -> bool:
        return self.role in NATURAL_SUPPORTS


_PHONE_CHARS = re.compile(r"^\+?[0-9 ().\-/]+$")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*([0-9]{1,6})\s*$", re.IGNORECASE)
# one @, something before it, a domain with a dot after it, no spaces
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$")


def check_phone(phone: str) -> str:
    """``phone`` trimmed, or :class:`ValidationError` saying what is wrong with it
    (empty is allowed: not every member has a phone)."""
    text = " ".join(phone.split())
    if not text:
        return ""
    if len(text) > MAX_PHONE:
        raise ValidationError(
            Msg("the phone number is longer than {limit} characters", limit=MAX_PHONE),
            field="phone",
        )
    number = _EXTENSION.sub("", text)
    if not _PHONE_CHARS.match(number):
        raise ValidationError(
            Msg("a phone number has only digits, spaces, + ( ) - . and an extension (x123)"),
            field="phone",
        )
    digits = sum(ch.isdigit() for ch in number)
    if digits < MIN_PHONE_DIGITS:
        raise ValidationError(
            Msg("the phone number is too short (at least {least} digits)", least=MIN_PHONE_DIGITS),
            field="phone",
        )
    if digits > MAX_PHONE_DIGITS:
        raise ValidationError(
            Msg("the phone number is too long (at most {most} digits)", most=MAX_PHONE_DIGITS),
            field="phone",
        )
    return text


def check_email(email: str) -> str:
    """``email`` trimmed, or :class:`ValidationError` (empty is allowed)."""
    text = email.strip()
    if not text:
        return ""
    if len(text) > MAX_EMAIL:
        raise ValidationError(
            Msg("the email is longer than {limit} characters", limit=MAX_EMAIL), field="email"
        )
    if not _EMAIL.match(text):
        raise ValidationError(Msg("the email does not look like name@example.org"), field="email")
    return text


def _line(value: str, limit: int, field: str, what: Msg) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ValidationError(
            Msg("{what} is longer than {limit} characters", what=what, limit=limit), field=field
        )
    return text


def check_member(m: CareTeamMember, *, today: date) -> CareTeamMember:
    """``m`` with its texts tidied, or :class:`ValidationError` naming the field."""
    name = _line(m.name, MAX_NAME, "name", Msg("the name"))
    if not name:
        raise ValidationError(Msg("enter the person's name"), field="name")
    try:
        role = CareRole(m.role)
    except ValueError:
        raise ValidationError(Msg("choose a role from the list (or Other)"), field="role") from None
    role_other = (
        _line(m.role_other, MAX_NAME, "role_other", Msg("the role"))
        if role is CareRole.OTHER
        else ""
    )
    if role is CareRole.OTHER and not role_other:
        raise ValidationError(Msg("say in a few words what their role is"), field="role_other")
    notes = m.contact_notes.strip()
    if len(notes) > MAX_CONTACT_NOTES:
        raise ValidationError(
            Msg("the contact notes are longer than {limit} characters", limit=MAX_CONTACT_NOTES),
            field="contact_notes",
        )
    if m.ended_on is not None and m.ended_on > today:
        raise ValidationError(Msg("the end date is in the future"), field="ended_on")
    return replace(
        m,
        name=name,
        role=role,
        role_other=role_other,
        organisation=_line(m.organisation, MAX_NAME, "organisation", Msg("the organisation")),
        phone=check_phone(m.phone),
        email=check_email(m.email),
        contact_notes=notes,
    )


def consent_link(
    member: CareTeamMember, consents: Iterable[Consent], *, today: date
) -> ConsentCheck:
    """Whether a current consent covers talking with ``member`` about the person.

    A consent covers the member when it is current and its recipient is the
    member's name or organisation (a consent naming a directory service counts
    by its recipient's name here, as a care team has no directory ids). The
    consent the entry links to is preferred when it does; a linked consent that
    is current but names someone else never covers the member (``names_other``),
    and one that is revoked, expired or not yet in effect gives way to a current
    consent that names them. ``ok`` only for a *current* consent naming them;
    otherwise ``closest`` says why (revoked, expired, not yet in effect) or is
    ``None`` when no consent names them at all."""
    items = list(consents)
    linked = (
        next((c for c in items if c.id == member.consent_id), None) if member.consent_id else None
    )
    by_name = _by_name(member, items, today)
    if linked is not None:
        state = consent_state(linked, today)
        if _names(member, linked, today):
            if state is ConsentState.CURRENT:
                return ConsentCheck(linked)
            if by_name.ok:
                return by_name
            return ConsentCheck(None, state, linked)
        if by_name.ok:
            return by_name
        if state is ConsentState.CURRENT:
            return ConsentCheck(None, None, linked, names_other=True)
        if by_name.closest_consent is None:
            return ConsentCheck(None, state, linked)
    return by_name


def _names(member: CareTeamMember, consent: Consent, today: date) -> bool:
    """Whether the consent's recipient is the member's name or organisation."""
    plain = [replace(consent, recipient_service_id=None)]
    return any(
        (found := consent_for(plain, recipient=r, service_id=None, today=today)).consent is not None
        or found.closest_consent is not None
        for r in (member.name, member.organisation)
        if r.strip()
    )


def _by_name(member: CareTeamMember, items: list[Consent], today: date) -> ConsentCheck:
    """The consent naming the member (or their organisation): a current one, else
    the closest one's state, else none."""
    by_name = [replace(c, recipient_service_id=None) for c in items]
    best: ConsentCheck | None = None
    # the same order as consent_for: a consent not yet in effect is the closest
    order = [None, ConsentState.REVOKED, ConsentState.EXPIRED, ConsentState.NOT_YET]
    for recipient in (member.name, member.organisation):
        if not recipient.strip():
            continue
        found = consent_for(by_name, recipient=recipient, service_id=None, today=today)
        if found.consent is not None:
            return ConsentCheck(next(c for c in items if c.id == found.consent.id))
        if best is None or order.index(found.closest) > order.index(best.closest):
            best = found
    if best is None or best.closest_consent is None:
        return ConsentCheck(None)
    original = next(c for c in items if c.id == best.closest_consent.id)
    return ConsentCheck(None, best.closest, original)


def member_words(m: CareTeamMember) -> str:
    """The member as one line names them: their name, and organisation if any."""
    return f"{m.name} ({m.organisation})" if m.organisation else m.name
