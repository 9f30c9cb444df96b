"""``session.review`` (a supervisor's profile): the enrolled supervisor, the
team's laptops, the review queue, a note opened for review with its history,
when the last pull finished, and decisions (approve or return a note)."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

import httpx

from peerdesk.domain.care_team import member_words
from peerdesk.domain.program_report import (
    DEFAULT_MIN_CELL,
    Measure,
    PersonFacts,
    program_report,
    to_csv,
)
from peerdesk.domain.record import goal_id_of
from peerdesk.domain.review import (
    SUPERVISOR,
    Peer,
    QueueFilter,
    QueuePage,
    ReviewedNote,
    ReviewEvent,
    SupervisorInfo,
)
from peerdesk.domain.times import from_iso, local_tz, now_utc
from peerdesk.fsutil import atomic_write
from peerdesk.link.decide import DecideParts, Decision, decide
from peerdesk.link.steps import inline
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.record import PersonRecord, RecordOverview, overview_of, split
from peerdesk.services.stores import Stores

DECIDED = Changes(review=True)


class ReviewService:
    def __init__(self, stores: Stores) -> None:
        self._s = stores

    def info(self) -> SupervisorInfo | None:
        """The enrolled supervisor (None if not enrolled yet); needs the vault unlocked."""
        s = self._s
        s.require(SUPERVISOR, "the supervisor's enrollment")
        record = s.device.get()
        if record is None:
            return None
        return SupervisorInfo(
            record.device_id,
            s.device.secrets().label,
            s.review_inbox.team(),
            record.agency_name,
            record.enrolled_at,
        )

    def last_pull(self) -> tuple[datetime | None, str | None]:
        """When the last complete pull finished, and the last failure in words."""
        at, error = self._s.review_inbox.last_pull()
        return (from_iso(at) if at else None), error

    def peers(self) -> list[Peer]:
        self._s.require(SUPERVISOR, "the review queue")
        return self._s.review_queue.peers()

    def queue(
        self,
        filter: QueueFilter | None = None,  # the contract's name (shadows the builtin)
        offset: int = 0,
        limit: int = 50,
        *,
        now: datetime | None = None,
        tz: tzinfo | None = None,
    ) -> QueuePage:
        """One page of the queue, oldest contact first, with the total count.
        Reads one indexed range and decrypts only the lines of the page."""
        self._s.require(SUPERVISOR, "the review queue")
        self._s.vault.keys  # noqa: B018 - VaultLocked before anything is read
        return self._s.review_queue.queue(
            filter or QueueFilter(), offset, limit, now or now_utc(), tz or local_tz()
        )

    def note(self, device_id: str, note_id: str, *, tz: tzinfo | None = None) -> ReviewedNote:
        """A note with its addenda, the trips of that contact (same laptop,
        participant and day) and its review history."""
        self._s.require(SUPERVISOR, "reading a note for review")
        self._s.vault.keys  # noqa: B018
        reviewed = self._s.review_queue.reviewed_note(
            device_id, note_id, now_utc(), tz or local_tz()
        )
        goals = reviewed.note.get("goals")
        if isinstance(goals, list) and any(goal_id_of(str(g)) for g in goals):
            # goals of the recovery plan travel as ids: show them by their words
            pid = str(reviewed.note.get("participant_id", ""))
            plan = self.person_record(device_id, pid).plan
            words = {g.id: g.text for g in plan.goals} if plan else {}
            note = {**reviewed.note, "goals": [words.get(str(g), g) for g in goals]}
            reviewed = replace(reviewed, note=note)
        coordinated = reviewed.note.get("coordinated_with")
        if isinstance(coordinated, str):
            # a care-team entry travels as its id: show who it is
            pid = str(reviewed.note.get("participant_id", ""))
            team = {m.id: m for m in self.person_record(device_id, pid).care_team}
            member = team.get(coordinated)
            who = member_words(member) if member else coordinated
            reviewed = replace(reviewed, note={**reviewed.note, "coordinated_with": who})
        return reviewed

    def decide_steps(
        self,
        device_id: str,
        note_id: str,
        decision: str,
        comment: str,
        seen_seq: int,
        reviewer: str,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> Generator[Any, Any, OpResult[ReviewEvent]]:
        """Approve (co-sign) or return a note, as a step generator (the POST is a
        ``Net`` step). :class:`NoteChanged` when the note changed after it was
        opened or was decided already."""
        s = self._s
        s.require(SUPERVISOR, "deciding on a note")
        parts = DecideParts(s.db, s.vault, s.audit, s.review_inbox, s.review_queue)
        choice = Decision(device_id, note_id, decision, comment, seen_seq, reviewer)
        with s.client(transport) as client:
            event = yield from decide(parts, client, choice)
        return OpResult(event, DECIDED)

    decide = inline(decide_steps)

    # -- the participant's record (issue 20) -----------------------------------------------

    def person_record(self, device_id: str, participant_id: str) -> PersonRecord:
        """One person's plan, enrollment, consents and check-ins as pulled."""
        self._s.require(SUPERVISOR, "reading a participant's record")
        return split(self._s.team_records.of_person(device_id, participant_id))

    def person_overview(
        self, device_id: str, participant_id: str, *, today: date | None = None
    ) -> RecordOverview:
        """One person's record as the record window shows it (read-only for a
        supervisor), with the progress the pulled notes show on each goal."""
        record = self.person_record(device_id, participant_id)
        worked = self._s.team_records.note_goals(device_id, participant_id)
        return overview_of(participant_id, record, worked, today or date.today())

    def program_report(self, *, min_cell: int = DEFAULT_MIN_CELL) -> list[Measure]:
        """The team's de-identified program aggregates (no names, no ids)."""
        self._s.require(SUPERVISOR, "the program report")
        counts = self._s.team_records.note_counts()
        people = []
        for key, records in self._s.team_records.everyone().items():
            r = split(records)
            people.append(PersonFacts(r.episodes, r.plan, r.check_ins, counts.get(key, 0)))
        return program_report(people, min_cell=min_cell)

    def export_program_report(self, path: Path, *, min_cell: int = DEFAULT_MIN_CELL) -> Path:
        lines = self.program_report(min_cell=min_cell)
        atomic_write(path, to_csv(lines).encode("utf-8"))
        with self._s.db.atomic():
            self._s.audit.append("export", format="program_csv", records=len(lines))
        return path
