"""``session.record``: the participant's record (recovery plan, enrollment,
consents, outcome check-ins, the care team, crisis flags and the safety plan),
the check-ins due, the consent check a referral
makes, and the de-identified program report of this laptop's caseload.

Writes return an :class:`OpResult` with :data:`SAVED` (the record changed and
was journaled for sync)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from peerdesk.domain.appointments import Appointment
from peerdesk.domain.care_team import CareTeamMember, consent_link
from peerdesk.domain.models import NoteState
from peerdesk.domain.outcomes import OutcomeCheckIn, ScorePoint, is_due, next_due, series
from peerdesk.domain.program_report import Measure, PersonFacts, program_report, to_csv
from peerdesk.domain.record import (
    Consent,
    ConsentCheck,
    ConsentState,
    Episode,
    GoalProgress,
    InfoCategory,
    RecoveryPlan,
    consent_for,
    consent_state,
    current_episode,
    progress,
)
from peerdesk.errors import ConsentRequired
from peerdesk.fsutil import atomic_write
from peerdesk.services.changes import Changes, changing
from peerdesk.services.crisis import CrisisService
from peerdesk.services.stores import Stores

#: the participant's record changed (and was journaled for sync)
SAVED = Changes(record=True, outbox=True)


@dataclass(frozen=True, slots=True)
class RecordOverview:
    """Everything the record screens show of one participant."""

    participant_id: str
    plan: RecoveryPlan | None
    progress: tuple[GoalProgress, ...]
    episodes: tuple[Episode, ...]
    consents: tuple[tuple[Consent, ConsentState], ...]
    check_ins: tuple[OutcomeCheckIn, ...]
    next_check_in: date | None
    check_in_due: bool
    damaged: int  # records that did not open
    #: the care team (active first), each with whether a current consent covers it
    care_team: tuple[tuple[CareTeamMember, ConsentCheck], ...] = ()

    @property
    def enrolled(self) -> bool:
        return current_episode(self.episodes) is not None

    @property
    def scores(self) -> dict[str, list[ScorePoint]]:
        return series(self.check_ins)


@dataclass(frozen=True, slots=True)
class DueCheckIn:
    participant_id: str
    name: str
    due: date


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person's record as a supervisor sees it after a pull."""

    plan: RecoveryPlan | None
    episodes: tuple[Episode, ...]
    consents: tuple[Consent, ...]
    check_ins: tuple[OutcomeCheckIn, ...]
    care_team: tuple[CareTeamMember, ...] = ()
    #: appointments and the rides to them (issue 21), in time order
    appointments: tuple[Appointment, ...] = ()


def sorted_team(members: Iterable[CareTeamMember]) -> list[CareTeamMember]:
    """Active entries first, then by name."""
    return sorted(members, key=lambda m: (not m.active, m.name.casefold(), m.created_at))


def split(records: Iterable[object]) -> PersonRecord:
    """A person's records sorted by kind (the newest plan wins)."""
    items = list(records)
    plans = [r for r in items if isinstance(r, RecoveryPlan)]
    plans.sort(key=lambda p: p.updated_at)
    episodes = sorted(
        (r for r in items if isinstance(r, Episode)), key=lambda e: (e.intake_on, e.created_at)
    )
    check_ins = sorted(
        (r for r in items if isinstance(r, OutcomeCheckIn)),
        key=lambda c: (c.taken_on, c.created_at),
    )
    return PersonRecord(
        plans[-1] if plans else None,
        tuple(episodes),
        tuple(r for r in items if isinstance(r, Consent)),
        tuple(check_ins),
        tuple(sorted_team(r for r in items if isinstance(r, CareTeamMember))),
        tuple(
            sorted(
                (r for r in items if isinstance(r, Appointment)), key=lambda a: (a.starts_at, a.id)
            )
        ),
    )


def overview_of(
    participant_id: str,
    record: PersonRecord,
    worked: Iterable[tuple[date, Sequence[str]]],
    today: date,
    *,
    damaged: int = 0,
) -> RecordOverview:
    """What the record screens show, from a person's records and the days and
    goal entries of their signed notes (a peer's own, or a supervisor's pull)."""
    current = current_episode(record.episodes)
    due = next_due(
        current.intake_on if current else None, record.check_ins, enrolled=current is not None
    )
    plan = record.plan
    return RecordOverview(
        participant_id,
        plan,
        tuple(progress(plan, worked)) if plan else (),
        record.episodes,
        tuple((c, consent_state(c, today)) for c in record.consents),
        record.check_ins,
        due,
        is_due(due, today),
        damaged,
        tuple((m, consent_link(m, record.consents, today=today)) for m in record.care_team),
    )


class RecordService:
    def __init__(self, stores: Stores) -> None:
        self._stores = stores
        repo = stores.record
        self.save_plan = changing(repo.save_plan, SAVED)
        self.enroll = changing(repo.enroll, SAVED)
        self.discharge = changing(repo.discharge, SAVED)
        self.add_consent = changing(repo.add_consent, SAVED)
        self.revoke_consent = changing(repo.revoke_consent, SAVED)
        self.add_check_in = changing(repo.add_check_in, SAVED)
        self.add_member = changing(repo.add_member, SAVED)
        self.update_member = changing(repo.update_member, SAVED)
        self.end_member = changing(repo.end_member, SAVED)
        self.care_team = repo.care_team
        self.plan = repo.plan
        self.episodes = repo.episodes
        self.consents = repo.consents
        self.check_ins = repo.check_ins
        # crisis support (issue 21): peerdesk.services.crisis
        crisis = CrisisService(stores)
        self.flag_crisis = crisis.flag
        self.clear_crisis = crisis.clear
        self.crisis = crisis.view
        self.save_safety_plan = crisis.save_plan
        self.empty_safety_plan = crisis.empty_plan
        self.in_crisis = crisis.in_crisis
        self.team_in_crisis = crisis.team_in_crisis

    def overview(self, participant_id: str, *, today: date | None = None) -> RecordOverview:
        today = today or date.today()
        repo = self._stores.record
        plan = repo.plan(participant_id)
        episodes = repo.episodes(participant_id)
        consents = repo.consents(participant_id)
        check_ins = repo.check_ins(participant_id)
        team = repo.care_team(participant_id)
        notes = self._stores.notes.list(participant_id=participant_id).items
        worked = [(n.start_at.date(), n.goals) for n in notes if n.state is not NoteState.DRAFT]
        return overview_of(
            participant_id,
            PersonRecord(
                plan,
                tuple(episodes.items),
                tuple(consents.items),
                tuple(check_ins.items),
                tuple(team.items),
            ),
            worked,
            today,
            damaged=len(episodes.damaged)
            + len(consents.damaged)
            + len(check_ins.damaged)
            + len(team.damaged),
        )

    def due_check_ins(self, *, today: date | None = None) -> list[DueCheckIn]:
        """Enrolled participants whose outcome check-in is due by ``today``
        (the reminders), soonest first."""
        today = today or date.today()
        repo = self._stores.record
        episodes: dict[str, list[Episode]] = {}
        for e in repo.episodes().items:
            episodes.setdefault(e.participant_id, []).append(e)
        check_ins: dict[str, list[OutcomeCheckIn]] = {}
        for c in repo.check_ins().items:
            check_ins.setdefault(c.participant_id, []).append(c)
        out = []
        for person in self._stores.participants.list().items:
            current = current_episode(episodes.get(person.id, []))
            if current is None:
                continue
            due = next_due(current.intake_on, check_ins.get(person.id, []), enrolled=True)
            if due is not None and is_due(due, today):
                out.append(DueCheckIn(person.id, person.display_name, due))
        out.sort(key=lambda d: (d.due, d.name.casefold()))
        return out

    def consent_check(
        self,
        participant_id: str,
        *,
        recipient: str,
        service_id: str | None = None,
        needs: Sequence[InfoCategory] = (),
        today: date | None = None,
    ) -> ConsentCheck:
        """Whether a current consent lets the program share with this recipient."""
        consents = self._stores.record.consents(participant_id).items
        return consent_for(
            consents,
            recipient=recipient,
            service_id=service_id,
            today=today or date.today(),
            needs=needs,
        )

    def require_consent(
        self, participant_id: str, *, recipient: str, service_id: str | None = None
    ) -> Consent:
        """The consent covering a disclosure now, or :class:`ConsentRequired`."""
        found = self.consent_check(participant_id, recipient=recipient, service_id=service_id)
        if found.consent is None:
            state = found.closest.value if found.closest else "none"
            raise ConsentRequired(state, recipient)
        return found.consent

    def program_report(self, *, min_cell: int = 5) -> list[Measure]:
        """The de-identified aggregates of this laptop's caseload."""
        return program_report(self._facts(), min_cell=min_cell)

    def export_program_report(self, path: Path, *, min_cell: int = 5) -> Path:
        """Write :meth:`program_report` as CSV (no names, no ids)."""
        lines = self.program_report(min_cell=min_cell)
        atomic_write(path, to_csv(lines).encode("utf-8"))
        with self._stores.db.atomic():
            self._stores.audit.append("export", format="program_csv", records=len(lines))
        return path

    def _facts(self) -> list[PersonFacts]:
        repo = self._stores.record
        by: dict[str, dict[str, list[Any]]] = {}
        for e in repo.episodes().items:
            by.setdefault(e.participant_id, {"e": [], "c": []})["e"].append(e)
        for c in repo.check_ins().items:
            by.setdefault(c.participant_id, {"e": [], "c": []})["c"].append(c)
        out = []
        for pid, parts in by.items():
            signed = [
                n
                for n in self._stores.notes.list(participant_id=pid).items
                if n.state is not NoteState.DRAFT
            ]
            out.append(
                PersonFacts(tuple(parts["e"]), repo.plan(pid), tuple(parts["c"]), len(signed))
            )
        return out
