"""Crisis support (issue 21), reached as ``session.record``'s ``flag_crisis``,
``clear_crisis``, ``crisis``, ``save_safety_plan``, ``in_crisis`` and (a
supervisor's) ``team_in_crisis``.

A flag records who set or cleared it by the profile's name. Writes return an
:class:`OpResult` with :data:`peerdesk.services.record.SAVED`'s kinds plus
``participants`` (lists show who is in crisis)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peerdesk.domain.crisis import CrisisFlag, SafetyPlan, current_flag
from peerdesk.domain.directory import ServiceSummary
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.stores import Stores

#: a crisis flag or safety plan changed (journaled for sync, shown in lists)
CRISIS_SAVED = Changes(record=True, outbox=True, participants=True)


@dataclass(frozen=True, slots=True)
class CrisisView:
    """What the crisis panel shows of one participant."""

    participant_id: str
    flag: CrisisFlag | None  # the flag in force
    history: tuple[CrisisFlag, ...]  # every flag, newest first
    plan: SafetyPlan | None
    lines: tuple[ServiceSummary, ...]  # the directory's crisis lines (988 first)

    @property
    def in_crisis(self) -> bool:
        return self.flag is not None


@dataclass(frozen=True, slots=True)
class TeamCrisis:
    """One person flagged in crisis on a team laptop (a supervisor's view)."""

    device_id: str
    participant_id: str
    flagged_at: datetime
    reason: str


def lines_first_988(lines: list[ServiceSummary]) -> tuple[ServiceSummary, ...]:
    """Crisis lines with 988 first (the national line), then by name."""
    return tuple(
        sorted(lines, key=lambda s: (not any(p.strip() == "988" for p in s.phones), s.name))
    )


class CrisisService:
    def __init__(self, stores: Stores) -> None:
        self._stores = stores
        self.in_crisis = stores.record.in_crisis

    def flag(self, participant_id: str, reason: str) -> OpResult[CrisisFlag]:
        f = self._stores.record.flag_crisis(participant_id, reason, self._stores.name)
        return OpResult(f, CRISIS_SAVED)

    def clear(self, participant_id: str, outcome: str = "") -> OpResult[CrisisFlag]:
        f = self._stores.record.clear_crisis(participant_id, self._stores.name, outcome)
        return OpResult(f, CRISIS_SAVED)

    def save_plan(self, plan: SafetyPlan) -> OpResult[SafetyPlan]:
        return OpResult(self._stores.record.save_safety_plan(plan), CRISIS_SAVED)

    def view(self, participant_id: str) -> CrisisView:
        repo = self._stores.record
        found = repo.crisis_flags(participant_id)
        if found.damaged:
            raise found.damaged[0]
        flags = found.items
        return CrisisView(
            participant_id,
            current_flag(flags),
            tuple(sorted(flags, key=lambda f: f.flagged_at, reverse=True)),
            repo.safety_plan(participant_id),
            lines_first_988(self._stores.directory.crisis_lines()),
        )

    def empty_plan(self, participant_id: str) -> SafetyPlan:
        """A plan to start from (ids and times are set when it is saved)."""
        now = datetime.now().astimezone()
        return SafetyPlan("", participant_id, now, now)

    def team_in_crisis(self) -> list[TeamCrisis]:
        """(A supervisor, after a pull) everyone flagged in crisis on the team's
        laptops, newest flag first."""
        out = []
        for (device_id, participant_id), records in self._stores.team_records.everyone().items():
            flag = current_flag([r for r in records if isinstance(r, CrisisFlag)])
            if flag is not None:
                out.append(TeamCrisis(device_id, participant_id, flag.flagged_at, flag.reason))
        out.sort(key=lambda t: t.flagged_at, reverse=True)
        return out
