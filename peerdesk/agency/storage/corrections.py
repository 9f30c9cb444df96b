"""What the agency decided about peers' suggested directory corrections
(``directory_corrections``); the corrections themselves are sealed records
(kind ``"correction"``) that only the review keys open."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from peerdesk.agency.models import AuditEntry, CorrectionDecision
from peerdesk.agency.storage.audit import append_audit
from peerdesk.agency.storage.db import Database
from peerdesk.agency.tables import directory_corrections, records
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import to_iso


def _decision(row: Any) -> CorrectionDecision:
    return CorrectionDecision(
        record_seq=int(row.record_seq),
        status=row.status,
        field=row.field,
        value=row.value,
        service_id=row.service_id,
        decided_at=row.decided_at,
        actor=row.actor,
        published_in=None if row.published_in is None else int(row.published_in),
    )


class Corrections:
    """``storage.corrections``: decisions on directory corrections."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def decisions(self) -> dict[int, CorrectionDecision]:
        """Every decision, by the correction's record seq."""
        rows = self._db.rows(select(directory_corrections))
        return {int(r.record_seq): _decision(r) for r in rows}

    def unpublished(self) -> list[CorrectionDecision]:
        """Accepted corrections that no published version carries yet, oldest first."""
        query = (
            select(directory_corrections)
            .where(directory_corrections.c.status == "accepted")
            .where(directory_corrections.c.published_in.is_(None))
            .order_by(directory_corrections.c.record_seq)
        )
        return [_decision(r) for r in self._db.rows(query)]

    def decide(
        self,
        record_seq: int,
        *,
        status: str,
        service_id: str,
        now: datetime,
        actor: str,
        field: str | None = None,
        value: str | None = None,
        audit: AuditEntry | None = None,
    ) -> CorrectionDecision:
        """Record that correction ``record_seq`` is accepted or dismissed (once).
        :class:`NotFound` if there is no such correction; :class:`ValidationError`
        if it was decided already."""
        if status not in ("accepted", "dismissed"):
            raise ValidationError("status must be accepted or dismissed", field="status")
        at = to_iso(now)
        with self._db.write() as conn:
            kind = conn.execute(select(records.c.kind).where(records.c.seq == record_seq)).scalar()
            if kind != "correction":
                raise NotFound("correction", str(record_seq))
            try:
                conn.execute(
                    insert(directory_corrections).values(
                        record_seq=record_seq,
                        status=status,
                        field=field,
                        value=value,
                        service_id=service_id,
                        decided_at=at,
                        actor=actor[:100],
                    )
                )
            except SAIntegrityError:
                raise ValidationError(
                    f"correction {record_seq} was decided already", field="record_seq"
                ) from None
            append_audit(conn, audit, at)
        return CorrectionDecision(record_seq, status, field, value, service_id, at, actor[:100])


def mark_published(conn: Any, seqs: Iterable[int], version: int) -> None:
    """In the publication's transaction: these accepted corrections went out in
    ``version``."""
    seqs = list(seqs)
    if seqs:
        conn.execute(
            update(directory_corrections)
            .where(directory_corrections.c.record_seq.in_(seqs))
            .values(published_in=version)
        )
