"""The peer's workforce record on the laptop (migration 0013): supervision
sessions, the certification, CEU entries, wellbeing check-ins and the self-care
plan, and the requirement settings.

Each record is one row of ``workforce_records`` whose ``doc`` envelope holds the
map of its payload (``wire.workforce_payloads``). Supervision sessions, the
certification and CEU entries are journaled in the outbox in the same
transaction. A wellbeing check-in and the self-care plan are private: they are
journaled never, except a check-in the peer shares (:meth:`share_check_in`),
which is journaled then and only then. :meth:`synced` is what the sync engine
reads, and it refuses a check-in that is not shared.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from peerdesk.domain.workforce import (
    Certification,
    CeuEntry,
    FollowUp,
    Requirement,
    SelfCarePlan,
    SupervisionSession,
    WellbeingCheckIn,
    WorkforceSettings,
    check_certification,
    check_ceu,
    check_requirement,
    check_self_care,
    check_session,
    check_wellbeing,
)
from peerdesk.errors import CorruptData, Msg, NotFound, ValidationError
from peerdesk.ids import from_iso, new_id, to_iso
from peerdesk.store.base import OutboxRepository, ReadResult, rows, stamp
from peerdesk.store.db import translate_errors
from peerdesk.wire.payloads import BadPayload
from peerdesk.wire.workforce_payloads import Workforce, payload_of, workforce_from

SELF_CARE_ID = "selfcare"  # the one self-care plan's row


class WorkforceRepo(OutboxRepository):
    table = "workforce_records"
    kind = "workforce record"

    # -- storage -----------------------------------------------------------------------

    def _save(self, record: Workforce, record_id: str, *, new: bool, journal: bool) -> None:
        kind, doc = payload_of(record)
        created = doc.get("created_at") or doc.get("updated_at")
        updated = doc.get("updated_at") or created
        shared = int(isinstance(record, WellbeingCheckIn) and record.shared)
        sealed = self.seal(record_id, "doc", doc)
        conn = self.db.conn
        if new:
            conn.execute(
                "INSERT INTO workforce_records (id, kind, created_at, updated_at, shared, doc)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (record_id, kind, created, updated, shared, sealed),
            )
        else:
            cur = conn.execute(
                "UPDATE workforce_records SET updated_at = ?, shared = ?, doc = ?"
                " WHERE id = ? AND kind = ?",
                (updated, shared, sealed, record_id, kind),
            )
            if cur.rowcount != 1:
                raise NotFound(kind, record_id)
        if journal:
            self.outbox.record(kind, record_id, "upsert")

    def _build(self, row: dict[str, Any]) -> Workforce:
        rid = row["id"]
        doc = self.unseal(rid, "doc", row["doc"])
        try:
            return workforce_from(row["kind"], rid, doc)
        except BadPayload as exc:
            raise CorruptData(
                f"{row['kind']} record is malformed", table=self.table, record_id=rid
            ) from exc

    def _list(self, kind: str) -> ReadResult[Any]:
        return self.read_many(
            rows(
                self.db,
                "SELECT * FROM workforce_records WHERE kind = ? ORDER BY created_at, id",
                [kind],
                what=Msg("read the {kind} records", kind=kind),
            ),
            self._build,
        )

    def _one(self, record_id: str, cls: type[Any], kind: str) -> Any:
        found = self._build(self.row_by_id(record_id))
        if not isinstance(found, cls):
            raise NotFound(kind, record_id)
        return found

    def synced(self, kind: str, record_id: str) -> Workforce:
        """A record the sync engine may send: never the self-care plan, never a
        check-in that is not shared (NotFound)."""
        found = self._build(self.row_by_id(record_id))
        if kind == "selfcare" or isinstance(found, SelfCarePlan):
            raise NotFound(kind, record_id)
        if isinstance(found, WellbeingCheckIn) and not found.shared:
            raise NotFound("shared wellbeing check-in", record_id)
        return found

    # -- supervision -------------------------------------------------------------------

    def sessions(self) -> ReadResult[SupervisionSession]:
        """Supervision sessions, oldest first."""
        result = self._list("supervision")
        result.items.sort(key=lambda s: (s.held_on, s.created_at))
        return result

    def add_session(self, session: SupervisionSession, *, today: date) -> SupervisionSession:
        now = stamp()
        s = check_session(
            replace(session, id=new_id(), created_at=now, updated_at=now), today=today
        )
        with translate_errors(Msg("save the supervision session")), self.db.atomic():
            self._save(s, s.id, new=True, journal=True)
        return s

    def set_follow_ups(
        self, session_id: str, follow_ups: tuple[FollowUp, ...]
    ) -> SupervisionSession:
        """The session's follow-ups as now (a done flag ticked, one added)."""
        with translate_errors(Msg("save the follow-ups")), self.db.atomic():
            old = self._one(session_id, SupervisionSession, "supervision")
            s = check_session(
                replace(old, follow_ups=follow_ups, updated_at=stamp()), today=old.held_on
            )
            self._save(s, s.id, new=False, journal=True)
        return s

    # -- certification and CEU --------------------------------------------------------------

    def certifications(self) -> ReadResult[Certification]:
        """The certification record(s) read, a damaged one listed as damaged."""
        return self._list("certification")

    def certification(self) -> Certification | None:
        """The certification, or None (also when its row is damaged: see
        :meth:`certifications`)."""
        found = self.certifications()
        return found.items[-1] if found.items else None

    def set_certification(self, cert: Certification) -> Certification:
        """Record the certification (a renewal updates the one record; one
        entered again over a damaged row replaces that row)."""
        now = stamp()
        with translate_errors(Msg("save the certification")), self.db.atomic():
            found = self.certifications()
            old = found.items[-1] if found.items else None
            if old is not None:
                rid, created, new = old.id, old.created_at, False
            elif found.damaged and found.damaged[-1].record_id:
                rid, new = found.damaged[-1].record_id, False
                created = from_iso(
                    self.db.conn.execute(
                        "SELECT created_at FROM workforce_records WHERE id = ?", (rid,)
                    ).fetchone()[0]
                )
            else:
                rid, created, new = new_id(), now, True
            c = check_certification(replace(cert, id=rid, created_at=created, updated_at=now))
            self._save(c, c.id, new=new, journal=True)
        return c

    def ceus(self) -> ReadResult[CeuEntry]:
        result = self._list("ceu")
        result.items.sort(key=lambda e: (e.taken_on, e.created_at))
        return result

    def add_ceu(self, entry: CeuEntry, *, today: date) -> CeuEntry:
        e = check_ceu(replace(entry, id=new_id(), created_at=stamp()), today=today)
        with translate_errors(Msg("save the CEU entry")), self.db.atomic():
            self._save(e, e.id, new=True, journal=True)
        return e

    # -- wellbeing (private) ----------------------------------------------------------------

    def check_ins(self) -> ReadResult[WellbeingCheckIn]:
        result = self._list("wellbeing")
        result.items.sort(key=lambda c: (c.taken_on, c.created_at))
        return result

    def add_check_in(self, check_in: WellbeingCheckIn, *, today: date) -> WellbeingCheckIn:
        """A private check-in; journaled only when ``check_in.shared`` is set."""
        c = check_wellbeing(replace(check_in, id=new_id(), created_at=stamp()), today=today)
        with translate_errors(Msg("save the check-in")), self.db.atomic():
            self._save(c, c.id, new=True, journal=c.shared)
        return c

    def share_check_in(self, check_in_id: str) -> WellbeingCheckIn:
        """The peer shares this one check-in with their supervisor (it syncs)."""
        with translate_errors(Msg("share the check-in")), self.db.atomic():
            old = self._one(check_in_id, WellbeingCheckIn, "wellbeing check-in")
            if old.shared:
                raise ValidationError(Msg("this check-in is shared already"), field="shared")
            c = replace(old, shared=True)
            self._save(c, c.id, new=False, journal=True)
        return c

    def self_care_read(self) -> ReadResult[SelfCarePlan]:
        """The self-care plan read, a damaged row listed as damaged."""
        return self._list("selfcare")

    def self_care(self) -> SelfCarePlan:
        """The self-care plan (empty if none, or if its row is damaged: saving
        the plan again replaces that row)."""
        found = self.self_care_read()
        return found.items[-1] if found.items else SelfCarePlan()

    def save_self_care(self, plan: SelfCarePlan) -> SelfCarePlan:
        """The self-care plan (private: never journaled)."""
        p = check_self_care(replace(plan, updated_at=stamp()))
        with translate_errors(Msg("save the self-care plan")), self.db.atomic():
            new = not self.db.conn.execute(
                "SELECT 1 FROM workforce_records WHERE id = ?", (SELF_CARE_ID,)
            ).fetchone()
            self._save(p, SELF_CARE_ID, new=new, journal=False)
        return p

    # -- settings -----------------------------------------------------------------------

    def settings(self) -> WorkforceSettings:
        with translate_errors(Msg("read the workforce settings"), writing=False):
            r = self.db.conn.execute(
                "SELECT supervision_hours, supervision_months, ceu_hours, ceu_months"
                " FROM workforce_settings WHERE id = 1"
            ).fetchone()
        if r is None:
            return WorkforceSettings()
        return WorkforceSettings(
            Requirement(Decimal(r[0]), int(r[1])), Requirement(Decimal(r[2]), int(r[3]))
        )

    def save_settings(self, settings: WorkforceSettings) -> WorkforceSettings:
        sup = check_requirement(settings.supervision, "supervision")
        ceu = check_requirement(settings.ceu, "ceu")
        with translate_errors(Msg("save the workforce settings")), self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO workforce_settings (id, supervision_hours, supervision_months,"
                " ceu_hours, ceu_months) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " supervision_hours = excluded.supervision_hours,"
                " supervision_months = excluded.supervision_months,"
                " ceu_hours = excluded.ceu_hours, ceu_months = excluded.ceu_months",
                (str(sup.hours), sup.months, str(ceu.hours), ceu.months),
            )
        return settings


__all__ = ["SELF_CARE_ID", "WorkforceRepo", "to_iso"]
