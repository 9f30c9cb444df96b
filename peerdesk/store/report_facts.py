"""The facts the reports are computed from (:mod:`peerdesk.domain.reports`): a
peer's own notes, trips and drafts, or a supervisor's team's from the review
cache. Plain columns where they suffice; nothing else is decrypted."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from peerdesk.domain.models import NoteState
from peerdesk.domain.reports import Deadline, NoteFacts, TripFacts
from peerdesk.domain.review import WAITING_STATES
from peerdesk.store.notes import contact_times
from peerdesk.store.review import TeamFacts
from peerdesk.store.trips import TripRepo
from peerdesk.wire.payloads import trip_from_payload

log = logging.getLogger(__name__)


class OwnFacts:
    """A peer's own notes and trips, as ``peer`` on laptop ``device_id``."""

    def __init__(self, db: Any, trips: TripRepo, peer: str, device_id: str) -> None:
        self.db = db
        self.trips = trips
        self.peer = peer
        self.device_id = device_id

    def notes(self, start: str, end: str) -> list[NoteFacts]:
        """Notes with a contact start in ``[start, end)`` (stored ISO times)."""
        return [
            NoteFacts(
                self.peer,
                self.device_id,
                c.id,
                c.participant_id,
                c.contact_type,
                c.start_at,
                c.end_at,
                c.state is not NoteState.DRAFT,
                c.state is NoteState.APPROVED,
            )
            for c in contact_times(self.db, start=start, end=end)
        ]

    def trips_of(self, year: int, month: int) -> list[TripFacts]:
        return [
            TripFacts(self.peer, self.device_id, t)
            for t in self.trips.list(year=year, month=month).items
        ]

    def drafts_before(self, end: str) -> list[Deadline]:
        """Drafts with a contact before ``end``: candidates for the overdue report."""
        drafts = contact_times(self.db, end=end, states=[NoteState.DRAFT])
        return [Deadline(self.peer, self.device_id, c.id, c.start_at) for c in drafts]


def team_notes(team: TeamFacts, start: str, end: str) -> list[NoteFacts]:
    """The team's readable synced notes with a contact in ``[start, end)``."""
    return [
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
        )
        for n in team.team_notes(start, end)
    ]


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
