"""``session.workforce``: the peer specialist's workforce record (issue 23).

A peer writes supervision sessions, the certification and CEU entries (they
sync to the supervisor, sealed to the review key like notes), private wellbeing
check-ins (kept on the laptop; one syncs only when the peer shares it) and a
private self-care plan (never synced). A supervisor reads the team's pulled
records: one status row per laptop (:meth:`WorkforceService.team`) and a peer's
sessions, certification, CEU entries and shared check-ins (:meth:`of_peer`).
The requirements (hours per months) are settings of each profile, not synced:
the supervisor's Team measures every peer against the supervisor's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from peerdesk.domain.review import SUPERVISOR
from peerdesk.domain.workforce import (
    Certification,
    CeuEntry,
    FollowUp,
    SelfCarePlan,
    SupervisionSession,
    WellbeingCheckIn,
    WorkforceRecord,
    WorkforceSettings,
    WorkforceStatus,
    status_of,
)
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.stores import Stores

#: a synced part of the workforce record changed (and was journaled)
SAVED = Changes(workforce=True, outbox=True)
#: a private part changed: nothing was journaled
PRIVATE = Changes(workforce=True)


@dataclass(frozen=True, slots=True)
class MyWork:
    """Everything the peer's My work screen shows."""

    record: WorkforceRecord
    self_care: SelfCarePlan
    settings: WorkforceSettings
    status: WorkforceStatus
    damaged: int = 0  # records that did not open


@dataclass(frozen=True, slots=True)
class TeamRow:
    """One peer of the supervisor's team, at a glance."""

    device_id: str
    name: str
    revoked: bool
    status: WorkforceStatus
    record: WorkforceRecord = field(default_factory=WorkforceRecord)


class WorkforceService:
    def __init__(self, stores: Stores) -> None:
        self._s = stores

    # -- the peer ------------------------------------------------------------------------

    def mine(self, today: date | None = None) -> MyWork:
        today = today or date.today()
        repo = self._s.workforce
        sessions, ceus, checks = repo.sessions(), repo.ceus(), repo.check_ins()
        certs, plans = repo.certifications(), repo.self_care_read()
        record = WorkforceRecord(
            tuple(sessions.items),
            certs.items[-1] if certs.items else None,
            tuple(ceus.items),
            tuple(checks.items),
        )
        settings = repo.settings()
        return MyWork(
            record,
            plans.items[-1] if plans.items else SelfCarePlan(),
            settings,
            status_of(record, settings, today),
            sum(len(r.damaged) for r in (sessions, ceus, checks, certs, plans)),
        )

    def status(self, today: date | None = None) -> WorkforceStatus:
        """The peer's own status (the Today screen's reminder line)."""
        repo = self._s.workforce
        record = WorkforceRecord(
            tuple(repo.sessions().items), repo.certification(), tuple(repo.ceus().items)
        )
        return status_of(record, repo.settings(), today or date.today())

    def add_session(
        self, session: SupervisionSession, *, today: date | None = None
    ) -> OpResult[SupervisionSession]:
        return OpResult(self._s.workforce.add_session(session, today=today or date.today()), SAVED)

    def set_follow_ups(
        self, session_id: str, follow_ups: tuple[FollowUp, ...]
    ) -> OpResult[SupervisionSession]:
        return OpResult(self._s.workforce.set_follow_ups(session_id, follow_ups), SAVED)

    def set_certification(self, cert: Certification) -> OpResult[Certification]:
        return OpResult(self._s.workforce.set_certification(cert), SAVED)

    def add_ceu(self, entry: CeuEntry, *, today: date | None = None) -> OpResult[CeuEntry]:
        return OpResult(self._s.workforce.add_ceu(entry, today=today or date.today()), SAVED)

    def add_check_in(
        self, check_in: WellbeingCheckIn, *, today: date | None = None
    ) -> OpResult[WellbeingCheckIn]:
        """A private check-in (it syncs only if ``check_in.shared`` is set)."""
        saved = self._s.workforce.add_check_in(check_in, today=today or date.today())
        return OpResult(saved, SAVED if saved.shared else PRIVATE)

    def share_check_in(self, check_in_id: str) -> OpResult[WellbeingCheckIn]:
        """Share this one check-in with the supervisor: it syncs from now on."""
        return OpResult(self._s.workforce.share_check_in(check_in_id), SAVED)

    def save_self_care(self, plan: SelfCarePlan) -> OpResult[SelfCarePlan]:
        """The private self-care plan (never synced)."""
        return OpResult(self._s.workforce.save_self_care(plan), PRIVATE)

    # -- settings (either role) ----------------------------------------------------------

    def settings(self) -> WorkforceSettings:
        return self._s.workforce.settings()

    def save_settings(self, settings: WorkforceSettings) -> OpResult[WorkforceSettings]:
        return OpResult(
            self._s.workforce.save_settings(settings), Changes(workforce=True, settings=True)
        )

    # -- the supervisor ------------------------------------------------------------------

    def team(self, today: date | None = None) -> list[TeamRow]:
        """One row per laptop of the team (revoked ones last), from the pull."""
        self._s.require(SUPERVISOR, "the team's status")
        today = today or date.today()
        settings = self._s.workforce.settings()
        records = self._s.team_workforce.everyone()
        out = []
        for peer in self._s.review_queue.peers():
            record = records.get(peer.device_id, WorkforceRecord())
            out.append(
                TeamRow(
                    peer.device_id,
                    peer.label,
                    peer.revoked,
                    status_of(record, settings, today),
                    record,
                )
            )
        out.sort(key=lambda r: r.revoked)
        return out

    def of_peer(self, device_id: str) -> WorkforceRecord:
        """One peer's pulled sessions, certification, CEU entries and the
        check-ins they shared."""
        self._s.require(SUPERVISOR, "a peer's workforce record")
        return self._s.team_workforce.of_device(device_id)
