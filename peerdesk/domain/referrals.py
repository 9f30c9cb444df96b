"""Referrals of a participant to a directory service, and suggested corrections to
directory entries: plain objects and the follow-up rule.

A referral starts as *made*; the follow-up records whether the person
*connected* with the service or did *not connect*. Either outcome may later turn
into the other (someone who did not connect tries again; a connection falls
through), but a referral never goes back to *made*.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from peerdesk.errors import Msg, ValidationError

MAX_FOLLOW_UP = 4_000
MAX_SUGGESTION = 4_000


class ReferralStatus(enum.StrEnum):
    MADE = "made"
    CONNECTED = "connected"
    NOT_CONNECTED = "not_connected"


_ALLOWED: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.MADE: frozenset({ReferralStatus.CONNECTED, ReferralStatus.NOT_CONNECTED}),
    ReferralStatus.CONNECTED: frozenset({ReferralStatus.NOT_CONNECTED}),
    ReferralStatus.NOT_CONNECTED: frozenset({ReferralStatus.CONNECTED}),
}
#: each status in words, for the sentence that refuses a change
_IN_WORDS = {
    ReferralStatus.MADE: Msg("made"),
    ReferralStatus.CONNECTED: Msg("connected"),
    ReferralStatus.NOT_CONNECTED: Msg("not connected"),
}


def check_status_change(current: ReferralStatus, new: ReferralStatus) -> None:
    """Raise :class:`ValidationError` unless a referral may move from ``current``
    to ``new`` (setting the same status again is allowed: only the note changes)."""
    if new is not current and new not in _ALLOWED[current]:
        raise ValidationError(
            Msg(
                "a referral that is {current} cannot go back to {new}",
                current=_IN_WORDS[current],
                new=_IN_WORDS[new],
            ),
            field="status",
        )


@dataclass(frozen=True, slots=True)
class Referral:
    """*Sensitive*: ``service_id``, ``service_name`` and ``follow_up`` (where a
    person was referred can reveal a diagnosis or treatment)."""

    id: str
    participant_id: str
    service_id: str
    service_name: str  # as it was when the referral was made
    status: ReferralStatus
    created_at: datetime
    updated_at: datetime
    note_id: str | None = None
    follow_up: str = ""
    #: the consent under which the referral shared the person's information
    #: (``None``: a referral that shares nothing, only tells the person where to go)
    consent_id: str | None = None


@dataclass(frozen=True, slots=True)
class Correction:
    """A peer's suggested fix to a directory entry, sent to the agency.
    *Sensitive*: ``suggestion`` (free text may mention a person)."""

    id: str
    service_id: str
    suggestion: str
    created_at: datetime
