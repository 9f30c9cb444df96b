"""Referrals (a participant referred to a directory service) and corrections (a
peer's suggested fix to a directory entry). Both sync to the agency: each change
is journaled in the outbox in the same transaction.

Plain columns are ids, the referral's status and times. Where a person was
referred is sensitive (a treatment program can reveal a diagnosis), so the
service id and name live in the ``details`` envelope with the follow-up note; a
correction's text is an envelope too.
"""

from __future__ import annotations

from typing import Any

from peerdesk.domain.referrals import (
    MAX_FOLLOW_UP,
    MAX_SUGGESTION,
    Correction,
    Referral,
    ReferralStatus,
    check_status_change,
)
from peerdesk.errors import Msg, ValidationError
from peerdesk.ids import from_iso, new_id, to_iso
from peerdesk.store.base import OutboxRepository, ReadResult, rows, stamp
from peerdesk.store.db import translate_errors


def _text(value: str, limit: int, field: str, what: Msg) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(
            Msg("{what} is longer than {limit} characters", what=what, limit=limit), field=field
        )
    return value


class ReferralRepo(OutboxRepository):
    table = "referrals"
    kind = "referral"

    def add(
        self,
        participant_id: str,
        service_id: str,
        *,
        note_id: str | None = None,
        follow_up: str = "",
        consent_id: str | None = None,
    ) -> Referral:
        """Refer a participant to a directory service (optionally from a note);
        ``consent_id`` names the consent the caller checked when the referral
        shares the person's information (``session.directory.refer`` checks it)."""
        follow_up = _text(follow_up, MAX_FOLLOW_UP, "follow_up", Msg("the follow-up note"))
        referral_id = new_id()
        now = stamp()
        with translate_errors(Msg("save the referral")), self.db.atomic():
            conn = self.db.conn
            if not conn.execute(
                "SELECT 1 FROM participants WHERE id = ?", (participant_id,)
            ).fetchone():
                raise ValidationError(
                    Msg("that participant does not exist"), field="participant_id"
                )
            if note_id is not None:
                found = conn.execute(
                    "SELECT participant_id FROM notes WHERE id = ?", (note_id,)
                ).fetchone()
                if found is None:
                    raise ValidationError(Msg("that note does not exist"), field="note_id")
                if found[0] != participant_id:
                    raise ValidationError(
                        Msg("that note is about another participant"), field="note_id"
                    )
            service = conn.execute(
                "SELECT name FROM directory_services WHERE id = ?", (service_id,)
            ).fetchone()
            if service is None:
                raise ValidationError(
                    Msg("that service is not in the directory"), field="service_id"
                )
            referral = Referral(
                id=referral_id,
                participant_id=participant_id,
                service_id=service_id,
                service_name=service[0],
                status=ReferralStatus.MADE,
                created_at=now,
                updated_at=now,
                note_id=note_id,
                follow_up=follow_up,
                consent_id=consent_id,
            )
            conn.execute(
                "INSERT INTO referrals (id, participant_id, note_id, status, created_at, updated_at, details)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    referral.id,
                    participant_id,
                    note_id,
                    referral.status.value,
                    to_iso(now),
                    to_iso(now),
                    self._details(referral),
                ),
            )
            self.outbox.record("referral", referral.id, "add")
        return referral

    def set_status(
        self, referral_id: str, status: ReferralStatus | str, *, follow_up: str | None = None
    ) -> Referral:
        """Record the follow-up: connected or not connected (and the note, if given)."""
        try:
            new = ReferralStatus(status)
        except ValueError:
            raise ValidationError(
                Msg("unknown referral status {status}", status=repr(status)), field="status"
            ) from None
        with translate_errors(Msg("save the referral")), self.db.atomic():
            current = self.get(referral_id)
            check_status_change(current.status, new)
            text = (
                current.follow_up
                if follow_up is None
                else _text(follow_up, MAX_FOLLOW_UP, "follow_up", Msg("the follow-up note"))
            )
            updated = Referral(
                id=current.id,
                participant_id=current.participant_id,
                service_id=current.service_id,
                service_name=current.service_name,
                status=new,
                created_at=current.created_at,
                updated_at=stamp(),
                note_id=current.note_id,
                follow_up=text,
                consent_id=current.consent_id,
            )
            self.db.conn.execute(
                "UPDATE referrals SET status = ?, updated_at = ?, details = ? WHERE id = ?",
                (new.value, to_iso(updated.updated_at), self._details(updated), referral_id),
            )
            self.outbox.record("referral", referral_id, "status")
        return updated

    def _details(self, referral: Referral) -> bytes:
        return self.seal(
            referral.id,
            "details",
            {
                "service_id": referral.service_id,
                "service_name": referral.service_name,
                "follow_up": referral.follow_up,
                "consent_id": referral.consent_id,
            },
        )

    def _build(self, row: dict[str, Any]) -> Referral:
        rid = row["id"]
        details = self.unseal(rid, "details", row["details"])
        try:
            return Referral(
                id=rid,
                participant_id=row["participant_id"],
                service_id=str(details["service_id"]),
                service_name=str(details["service_name"]),
                status=ReferralStatus(row["status"]),
                created_at=from_iso(row["created_at"]),
                updated_at=from_iso(row["updated_at"]),
                note_id=row["note_id"],
                follow_up=str(details["follow_up"]),
                consent_id=details.get("consent_id"),  # absent before issue 20
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise self.malformed(rid) from exc

    def get(self, referral_id: str) -> Referral:
        return self._build(self.row_by_id(referral_id))

    def list(
        self, *, participant_id: str | None = None, note_id: str | None = None
    ) -> ReadResult[Referral]:
        """Newest first; of one participant and/or one note when given."""
        sql, params = "SELECT * FROM referrals WHERE 1", []
        if participant_id is not None:
            sql += " AND participant_id = ?"
            params.append(participant_id)
        if note_id is not None:
            sql += " AND note_id = ?"
            params.append(note_id)
        return self.read_many(
            rows(
                self.db,
                sql + " ORDER BY created_at DESC, id DESC",
                params,
                what=Msg("read the referrals"),
            ),
            self._build,
        )


class CorrectionRepo(OutboxRepository):
    table = "corrections"
    kind = "correction"

    def suggest(self, service_id: str, suggestion: str) -> Correction:
        """Suggest a correction to a directory entry; it syncs to the agency."""
        text = _text(suggestion, MAX_SUGGESTION, "suggestion", Msg("the suggestion"))
        if not text:
            raise ValidationError(Msg("write what should change"), field="suggestion")
        correction = Correction(new_id(), service_id, text, stamp())
        with translate_errors(Msg("save the suggestion")), self.db.atomic():
            if not self.db.conn.execute(
                "SELECT 1 FROM directory_services WHERE id = ?", (service_id,)
            ).fetchone():
                raise ValidationError(
                    Msg("that service is not in the directory"), field="service_id"
                )
            self.db.conn.execute(
                "INSERT INTO corrections (id, service_id, created_at, suggestion) VALUES (?, ?, ?, ?)",
                (
                    correction.id,
                    service_id,
                    to_iso(correction.created_at),
                    self.seal(correction.id, "suggestion", text),
                ),
            )
            self.outbox.record("correction", correction.id, "add")
        return correction

    def _build(self, row: dict[str, Any]) -> Correction:
        cid = row["id"]
        text = self.unseal(cid, "suggestion", row["suggestion"])
        try:
            return Correction(cid, row["service_id"], str(text), from_iso(row["created_at"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise self.malformed(cid) from exc

    def get(self, correction_id: str) -> Correction:
        return self._build(self.row_by_id(correction_id))

    def list(self, *, service_id: str | None = None) -> ReadResult[Correction]:
        sql, params = "SELECT * FROM corrections", []
        if service_id is not None:
            sql += " WHERE service_id = ?"
            params.append(service_id)
        return self.read_many(
            rows(
                self.db,
                sql + " ORDER BY created_at DESC, id DESC",
                params,
                what=Msg("read the corrections"),
            ),
            self._build,
        )
