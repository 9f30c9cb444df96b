"""The participant's record on the laptop (migration 0009): the recovery plan,
enrollment episodes, consents, outcome check-ins, (migration 0012) the
care team and (migration 0017) crisis flags and safety plans.

Each record is one row of ``participant_records``; what it says is one envelope
(``doc``, bound to the table, the row and the field) holding the same map its
sync payload carries (``wire.record_payloads``). Plain columns: ids, the kind and
the record's own created/updated times. Every change is journaled in the outbox
in the same transaction, under the record's kind.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from peerdesk.domain.appointments import Appointment
from peerdesk.domain.care_team import CareTeamMember, check_member
from peerdesk.domain.crisis import (
    NOTE_KINDS,
    PRIORITY_KINDS,
    URGENT,
    CrisisFlag,
    SafetyPlan,
    check_flag,
    current_flag,
    sync_priority,
)
from peerdesk.domain.crisis import (
    check_plan as check_safety_plan,
)
from peerdesk.domain.outcomes import OutcomeCheckIn, check_check_in
from peerdesk.domain.record import (
    Agreement,
    Consent,
    DischargeReason,
    Episode,
    Goal,
    RecoveryPlan,
    check_consent,
    check_discharge,
    check_intake,
    check_plan,
    with_status,
)
from peerdesk.errors import CorruptData, Msg, NotFound, ValidationError
from peerdesk.ids import new_id, to_iso
from peerdesk.store.base import OutboxRepository, ReadResult, rows, stamp
from peerdesk.store.db import translate_errors
from peerdesk.wire.payloads import BadPayload
from peerdesk.wire.record_payloads import Record, payload_of, record_from

R = TypeVar(
    "R",
    RecoveryPlan,
    Episode,
    Consent,
    OutcomeCheckIn,
    CareTeamMember,
    CrisisFlag,
    SafetyPlan,
    Appointment,
)


class RecordRepo(OutboxRepository):
    table = "participant_records"
    kind = "record"

    # -- storage -----------------------------------------------------------------------

    def _save(self, record: Record, *, new: bool) -> None:
        kind, doc = payload_of(record)
        created = doc["created_at"]
        updated = doc.get("updated_at", created)
        sealed = self.seal(record.id, "doc", doc)
        conn = self.db.conn
        if new:
            if not conn.execute(
                "SELECT 1 FROM participants WHERE id = ?", (record.participant_id,)
            ).fetchone():
                raise ValidationError(
                    Msg("that participant does not exist"), field="participant_id"
                )
            conn.execute(
                "INSERT INTO participant_records (id, participant_id, kind, created_at,"
                " updated_at, doc) VALUES (?, ?, ?, ?, ?, ?)",
                (record.id, record.participant_id, kind, created, updated, sealed),
            )
        else:
            cur = conn.execute(
                "UPDATE participant_records SET updated_at = ?, doc = ? WHERE id = ? AND kind = ?",
                (updated, sealed, record.id, kind),
            )
            if cur.rowcount != 1:
                raise NotFound(kind, record.id)
        self.outbox.record(kind, record.id, "upsert")

    def _build(self, row: dict[str, Any]) -> Record:
        rid = row["id"]
        doc = self.unseal(rid, "doc", row["doc"])
        try:
            return record_from(row["kind"], rid, doc)
        except BadPayload as exc:
            raise CorruptData(
                f"{row['kind']} record is malformed", table=self.table, record_id=rid
            ) from exc

    def _list(self, kind: str, participant_id: str | None) -> ReadResult[Any]:
        sql, params = "SELECT * FROM participant_records WHERE kind = ?", [kind]
        if participant_id is not None:
            sql += " AND participant_id = ?"
            params.append(participant_id)
        return self.read_many(
            rows(
                self.db,
                sql + " ORDER BY created_at, id",
                params,
                what=Msg("read the {kind}s", kind=kind),
            ),
            self._build,
        )

    def _get(self, kind: str, record_id: str, cls: type[R]) -> R:
        found = self._build(self.row_by_id(record_id))
        if not isinstance(found, cls):
            raise NotFound(kind, record_id)
        return found

    def get(self, record_id: str) -> Record:
        """Any record of the participant's record by id (the sync engine reads it)."""
        return self._build(self.row_by_id(record_id))

    # -- recovery plan -------------------------------------------------------------------

    def plan(self, participant_id: str) -> RecoveryPlan | None:
        """The participant's plan, or ``None`` before one is written."""
        found = self._list("plan", participant_id)
        if found.damaged:
            raise found.damaged[0]
        return found.items[-1] if found.items else None

    def plans(self) -> ReadResult[RecoveryPlan]:
        """Every participant's plan (the decrypted export reads them)."""
        return self._list("plan", None)

    def save_plan(
        self,
        participant_id: str,
        goals: tuple[Goal, ...],
        *,
        agreement: Agreement | None = None,
        reviewed_on: tuple[date, ...] = (),
        next_review: date | None = None,
        today: date | None = None,
    ) -> RecoveryPlan:
        """Write the participant's plan (the first one, or its new version). A
        goal whose status changed gets the change in its history, dated today."""
        today = today or date.today()
        now = stamp()
        with translate_errors(Msg("save the recovery plan")), self.db.atomic():
            old = self.plan(participant_id)
            before = {g.id: g for g in old.goals} if old else {}
            kept = []
            for g in goals:
                prior = before.get(g.id)
                if prior is None:
                    kept.append(replace(g, history=()))
                else:
                    kept.append(
                        with_status(
                            replace(g, status=prior.status, history=prior.history), g.status, today
                        )
                    )
            plan = check_plan(
                RecoveryPlan(
                    old.id if old else new_id(),
                    participant_id,
                    tuple(kept),
                    old.created_at if old else now,
                    now,
                    agreement,
                    reviewed_on,
                    next_review,
                ),
                today=today,
            )
            self._save(plan, new=old is None)
        return plan

    # -- enrollment ------------------------------------------------------------------------

    def episodes(self, participant_id: str | None = None) -> ReadResult[Episode]:
        """Enrollment episodes, oldest intake first."""
        result = self._list("enrollment", participant_id)
        result.items.sort(key=lambda e: (e.intake_on, e.created_at))
        return result

    def enroll(
        self,
        participant_id: str,
        intake_on: date,
        referral_source: str,
        *,
        today: date | None = None,
    ) -> Episode:
        """A voluntary intake (a re-enrollment after a discharge is a new episode)."""
        today = today or date.today()
        now = stamp()
        with translate_errors(Msg("save the intake")), self.db.atomic():
            earlier = self._strict(self.episodes(participant_id))
            source = check_intake(intake_on, referral_source, earlier, today=today)
            episode = Episode(new_id(), participant_id, intake_on, source, now, now)
            self._save(episode, new=True)
        return episode

    def discharge(
        self,
        episode_id: str,
        on: date,
        reason: DischargeReason | str,
        note: str = "",
        *,
        today: date | None = None,
    ) -> Episode:
        try:
            why = DischargeReason(reason)
        except ValueError:
            raise ValidationError(
                Msg("choose a discharge reason"), field="discharge_reason"
            ) from None
        with translate_errors(Msg("save the discharge")), self.db.atomic():
            episode = self._get("enrollment", episode_id, Episode)
            text = check_discharge(episode, on, note, today=today or date.today())
            ended = replace(
                episode, discharge_on=on, discharge_reason=why, discharge_note=text,
                updated_at=stamp(),
            )  # fmt: skip
            self._save(ended, new=False)
        return ended

    # -- consent ---------------------------------------------------------------------------

    def consents(self, participant_id: str | None = None) -> ReadResult[Consent]:
        return self._list("consent", participant_id)

    def add_consent(self, consent: Consent, *, today: date | None = None) -> Consent:
        """Record a signed consent (``id`` and times are set here)."""
        now = stamp()
        c = check_consent(
            replace(consent, id=new_id(), created_at=now, updated_at=now, revoked_on=None),
            today=today or date.today(),
        )
        with translate_errors(Msg("save the consent")), self.db.atomic():
            self._save(c, new=True)
        return c

    def revoke_consent(
        self, consent_id: str, on: date, note: str = "", *, today: date | None = None
    ) -> Consent:
        """The participant revoked the consent (from ``on``); it is kept, marked."""
        with translate_errors(Msg("save the revocation")), self.db.atomic():
            c = self._get("consent", consent_id, Consent)
            if c.revoked_on is not None:
                raise ValidationError(Msg("this consent is revoked already"), field="revoked_on")
            if on > (today or date.today()):
                raise ValidationError(
                    Msg("the revocation date is in the future"), field="revoked_on"
                )
            revoked = check_consent(
                replace(c, revoked_on=on, revocation_note=note.strip(), updated_at=stamp()),
                today=today or date.today(),
            )
            self._save(revoked, new=False)
        return revoked

    # -- outcomes --------------------------------------------------------------------------

    def check_ins(self, participant_id: str | None = None) -> ReadResult[OutcomeCheckIn]:
        result = self._list("outcome", participant_id)
        result.items.sort(key=lambda c: (c.taken_on, c.created_at))
        return result

    def add_check_in(
        self, check_in: OutcomeCheckIn, *, today: date | None = None
    ) -> OutcomeCheckIn:
        c = check_check_in(
            replace(check_in, id=new_id(), created_at=stamp()), today=today or date.today()
        )
        with translate_errors(Msg("save the check-in")), self.db.atomic():
            self._save(c, new=True)
        return c

    # -- care team -------------------------------------------------------------------------

    def care_team(self, participant_id: str | None = None) -> ReadResult[CareTeamMember]:
        """Care-team entries, active ones first, then by name."""
        result = self._list("care_member", participant_id)
        result.items.sort(key=lambda m: (not m.active, m.name.casefold(), m.created_at))
        return result

    def add_member(self, member: CareTeamMember, *, today: date | None = None) -> CareTeamMember:
        """Put someone on the care team (``id`` and times are set here)."""
        now = stamp()
        m = check_member(
            replace(member, id=new_id(), created_at=now, updated_at=now, ended_on=None),
            today=today or date.today(),
        )
        with translate_errors(Msg("save the care-team entry")), self.db.atomic():
            self._check_consent_link(m)
            self._save(m, new=True)
        return m

    def update_member(self, member: CareTeamMember, *, today: date | None = None) -> CareTeamMember:
        """Change an entry (its name, role, how to reach them, its consent link)."""
        with translate_errors(Msg("save the care-team entry")), self.db.atomic():
            old = self._get("care_member", member.id, CareTeamMember)
            if member.participant_id != old.participant_id:
                raise ValidationError(
                    Msg("an entry stays with its participant"), field="participant_id"
                )
            m = check_member(
                replace(member, created_at=old.created_at, updated_at=stamp()),
                today=today or date.today(),
            )
            self._check_consent_link(m)
            self._save(m, new=False)
        return m

    def end_member(self, member_id: str, on: date, *, today: date | None = None) -> CareTeamMember:
        """The member is no longer on the team from ``on`` (the entry is kept)."""
        with translate_errors(Msg("save the care-team entry")), self.db.atomic():
            old = self._get("care_member", member_id, CareTeamMember)
            if not old.active:
                raise ValidationError(Msg("this entry has ended already"), field="ended_on")
            m = check_member(
                replace(old, ended_on=on, updated_at=stamp()), today=today or date.today()
            )
            self._save(m, new=False)
        return m

    def _check_consent_link(self, m: CareTeamMember) -> None:
        if m.consent_id is None:
            return
        try:
            c = self._get("consent", m.consent_id, Consent)
        except NotFound:
            raise ValidationError(Msg("that consent does not exist"), field="consent_id") from None
        if c.participant_id != m.participant_id:
            raise ValidationError(Msg("that consent is another person's"), field="consent_id")

    # -- crisis support (issue 21) ---------------------------------------------------------

    def crisis_flags(self, participant_id: str | None = None) -> ReadResult[CrisisFlag]:
        """Crisis flags, oldest first."""
        result = self._list("crisis", participant_id)
        result.items.sort(key=lambda f: (f.flagged_at, f.id))
        return result

    def current_crisis(self, participant_id: str) -> CrisisFlag | None:
        """The flag in force for the participant, or ``None``."""
        return current_flag(self._strict(self.crisis_flags(participant_id)))

    def in_crisis(self) -> set[str]:
        """The ids of everyone flagged in crisis now."""
        return {f.participant_id for f in self.crisis_flags().items if f.active}

    def flag_crisis(self, participant_id: str, reason: str, by: str) -> CrisisFlag:
        """Flag the participant in crisis (a flag in force is kept as it is)."""
        now = stamp()
        with translate_errors(Msg("flag the crisis")), self.db.atomic():
            if self.current_crisis(participant_id) is not None:
                raise ValidationError(
                    Msg("this person is flagged in crisis already"), field="reason"
                )
            f = check_flag(CrisisFlag(new_id(), participant_id, reason, now, by, now, now))
            self._save(f, new=True)
        return f

    def clear_crisis(self, participant_id: str, by: str, outcome: str = "") -> CrisisFlag:
        """Clear the flag in force, saying who cleared it and when."""
        with translate_errors(Msg("clear the crisis flag")), self.db.atomic():
            old = self.current_crisis(participant_id)
            if old is None:
                raise ValidationError(
                    Msg("this person is not flagged in crisis"), field="cleared_at"
                )
            now = stamp()
            f = check_flag(
                replace(old, cleared_at=now, cleared_by=by, outcome=outcome, updated_at=now)
            )
            self._save(f, new=False)
        return f

    def safety_plan(self, participant_id: str) -> SafetyPlan | None:
        """The participant's safety plan, or ``None`` before one is written."""
        found = self._strict(self._list("safety_plan", participant_id))
        return found[-1] if found else None

    def safety_plans(self) -> ReadResult[SafetyPlan]:
        return self._list("safety_plan", None)

    def save_safety_plan(self, plan: SafetyPlan) -> SafetyPlan:
        """Write the participant's safety plan (one per person: saved over)."""
        with translate_errors(Msg("save the safety plan")), self.db.atomic():
            old = self.safety_plan(plan.participant_id)
            now = stamp()
            if old is None:
                p = check_safety_plan(replace(plan, id=new_id(), created_at=now, updated_at=now))
            else:
                p = check_safety_plan(
                    replace(plan, id=old.id, created_at=old.created_at, updated_at=now)
                )
            self._save(p, new=old is None)
        return p

    def sync_priority(self, entity: str, entity_id: str) -> int:
        """The outbox's priority rule (:func:`peerdesk.domain.crisis.sync_priority`):
        crisis records, and a note's records while its participant is flagged."""
        if entity in PRIORITY_KINDS:
            return URGENT
        if entity not in NOTE_KINDS:
            return 0
        sql = (
            "SELECT n.participant_id FROM addenda a JOIN notes n ON n.id = a.note_id WHERE a.id = ?"
            if entity == "addendum"
            else "SELECT participant_id FROM notes WHERE id = ?"
        )
        found = self.db.conn.execute(sql, (entity_id,)).fetchone()
        if found is None:
            return 0
        try:
            flagged = self.current_crisis(str(found[0])) is not None
        except CorruptData:
            flagged = False  # a damaged flag does not hold the note back
        return sync_priority(entity, participant_in_crisis=flagged)

    @staticmethod
    def _strict(result: ReadResult[R]) -> list[R]:
        if result.damaged:
            raise result.damaged[0]
        return result.items


__all__ = ["RecordRepo", "to_iso"]
