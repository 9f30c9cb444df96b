"""The facts the reports are computed from (:mod:`peerdesk.domain.reports`): a
peer's own notes, trips and drafts, or a supervisor's team's from the review
cache. Plain columns where they suffice; besides them only the participants are
decrypted, for the Medicaid id that joins one person's notes across laptops and
for what a claim says of them (:class:`peerdesk.domain.claims.Person`)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from peerdesk.domain.claims import Person
from peerdesk.domain.day_rules import DayContext, beneficiary_key
from peerdesk.domain.models import NoteState, Participant
from peerdesk.domain.reports import Deadline, NoteFacts, TripFacts
from peerdesk.domain.review import WAITING_STATES
from peerdesk.ids import date_from_iso
from peerdesk.store.notes import ContactTimes, contact_times
from peerdesk.store.participants import ParticipantRepo
from peerdesk.store.review import TeamFacts, TeamPerson
from peerdesk.store.trips import TripRepo
from peerdesk.wire.payloads import trip_from_payload

log = logging.getLogger(__name__)


class OwnFacts:
    """A peer's own notes and trips, as ``peer`` on laptop ``device_id``."""

    def __init__(
        self,
        db: Any,
        trips: TripRepo,
        peer: str,
        device_id: str,
        participants: ParticipantRepo | None = None,
    ) -> None:
        self.db = db
        self.trips = trips
        self.peer = peer
        self.device_id = device_id
        self.participants = participants
        self._people: dict[str, Participant] | None = None

    def people(self) -> dict[str, Participant]:
        """This laptop's participants by id (decrypted; none without the repository)."""
        if self._people is None:
            found = self.participants.list(include_inactive=True).items if self.participants else []
            self._people = {p.id: p for p in found}
        return self._people

    def _medicaid(self, participant_id: str) -> str | None:
        person = self.people().get(participant_id)
        return person.medicaid_id if person is not None else None

    def _fact(self, c: ContactTimes) -> NoteFacts:
        return NoteFacts(
            self.peer,
            self.device_id,
            c.id,
            c.participant_id,
            c.contact_type,
            c.start_at,
            c.end_at,
            c.state is not NoteState.DRAFT,
            c.state is NoteState.APPROVED,
            c.location_type,
            self._medicaid(c.participant_id),
            state=c.state.value,
        )

    def notes(self, start: str | None, end: str | None) -> list[NoteFacts]:
        """Notes with a contact start in ``[start, end)`` (stored ISO times)."""
        return [self._fact(c) for c in contact_times(self.db, start=start, end=end)]

    def day(self, participant_id: str, start: str, end: str) -> DayContext:
        """One participant's notes of one day (``[start, end)``), for the editor."""
        facts = [
            self._fact(c).service()
            for c in contact_times(self.db, start=start, end=end, participant_id=participant_id)
        ]
        return DayContext(self.device_id, self.peer, self._medicaid(participant_id), facts)

    def persons(self) -> dict[str, Person]:
        """Beneficiary key -> what a claim says of them (people with a Medicaid id)."""
        out: dict[str, Person] = {}
        for p in self.people().values():
            if p.medicaid_id:
                out.setdefault(
                    beneficiary_key(p.medicaid_id, self.device_id, p.id),
                    Person(
                        p.medicaid_id.upper(),
                        p.display_name,
                        p.date_of_birth,
                        p.diagnosis_code,
                        p.address,
                    ),
                )
        return out

    def trips_of(self, year: int, month: int) -> list[TripFacts]:
        return [
            TripFacts(self.peer, self.device_id, t)
            for t in self.trips.list(year=year, month=month).items
        ]

    def drafts_before(self, end: str) -> list[Deadline]:
        """Drafts with a contact before ``end``: candidates for the overdue report."""
        drafts = contact_times(self.db, end=end, states=[NoteState.DRAFT])
        return [Deadline(self.peer, self.device_id, c.id, c.start_at) for c in drafts]


def team_notes(
    team: TeamFacts,
    start: str,
    end: str,
    people: dict[tuple[str, str], TeamPerson] | None = None,
) -> list[NoteFacts]:
    """The team's readable synced notes with a contact in ``[start, end)``, with
    the Medicaid id of the person each is about (``people``: :meth:`team_people`)."""
    people = team.team_people() if people is None else people
    out = []
    for n in team.team_notes(start, end):
        person = people.get((n.device_id, n.participant_id))
        out.append(
            NoteFacts(
                n.peer,
                n.device_id,
                n.note_id,
                n.participant_id,
                n.contact_type,
                n.start_at,
                n.end_at,
                n.signed_at is not None,
                n.state == "approved",
                n.location_type,
                person.medicaid_id if person is not None else None,
                state=n.state if n.signed_at is not None else "draft",
            )
        )
    return out


def team_persons(people: dict[tuple[str, str], TeamPerson]) -> dict[str, Person]:
    """Beneficiary key (the Medicaid id) -> what a claim says of them, from the
    newest record of that person on any laptop that has their Medicaid id
    (``people`` comes oldest first, :meth:`TeamFacts.team_people`); what an older
    record says fills in what the newest leaves out. The newest record's
    ``problems`` (fields the participant rules refuse) hold the claims."""
    out: dict[str, Person] = {}
    for p in people.values():
        if not p.medicaid_id:
            continue
        try:
            born = date_from_iso(p.date_of_birth) if p.date_of_birth else None
        except ValueError:
            born = None
        key = beneficiary_key(p.medicaid_id, p.device_id, p.participant_id)
        known = out.get(key)
        out[key] = Person(
            p.medicaid_id.upper(),
            p.name or (known.name if known else ""),
            born or (known.date_of_birth if known else None),
            p.diagnosis_code or (known.diagnosis_code if known else None),
            p.address or (known.address if known else None),
            p.problems,
        )
    return out


def team_trips(team: TeamFacts, first: date, last: date) -> list[TripFacts]:
    """The team's synced trips dated ``first`` to ``last``; a malformed one is
    logged and skipped."""
    facts = []
    for t in team.team_trips(first, last):
        try:
            facts.append(TripFacts(t.peer, t.device_id, trip_from_payload(t.trip_id, t.payload)))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("synced trip %s skipped: %s", t.trip_id, type(exc).__name__)
    return facts


def team_deadlines(team: TeamFacts, sign_within_days: int, waiting_before: str) -> list[Deadline]:
    """The team's notes signed late or waiting for a decision since before
    ``waiting_before`` (candidates: the report's rules decide)."""
    return [
        Deadline(
            n.peer,
            n.device_id,
            n.note_id,
            n.contact_start,
            n.signed_at,
            n.state_at if n.state in WAITING_STATES else None,
        )
        for n in team.overdue_candidates(sign_within_days, waiting_before)
    ]
