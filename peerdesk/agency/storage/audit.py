"""The admin audit log (``admin_audit``): every admin action appends a row, in the
same transaction as the action (:func:`append_audit`), with who did it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from peerdesk.agency.models import AuditEntry, AuditRow
from peerdesk.agency.storage.db import Database
from peerdesk.agency.tables import admin_audit
from peerdesk.ids import to_iso


def append_audit(conn: Connection, entry: AuditEntry | None, at: str) -> None:
    """Append ``entry`` (if any) to ``admin_audit`` in the transaction of ``conn``:
    an admin action is audited together with what it did, or not at all."""
    if entry is None:
        return
    conn.execute(
        insert(admin_audit).values(
            at=at,
            actor=entry.actor[:100],
            action=entry.action[:32],
            target=entry.target[:100],
            detail=entry.detail[:500],
        )
    )


class AuditLog:
    """``storage.audit``: the admin audit log."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, entry: AuditEntry, now: datetime) -> None:
        """Append one admin action to ``admin_audit`` on its own."""
        with self._db.write() as conn:
            append_audit(conn, entry, to_iso(now))

    def entries(self, *, after_seq: int = 0, limit: int = 1000) -> list[AuditRow]:
        """The admin audit log after ``after_seq``, oldest first."""
        query = (
            select(admin_audit)
            .where(admin_audit.c.seq > after_seq)
            .order_by(admin_audit.c.seq)
            .limit(limit)
        )
        return [
            AuditRow(int(r.seq), r.at, r.actor, r.action, r.target, r.detail)
            for r in self._db.rows(query)
        ]

    def search(
        self,
        *,
        action: str = "",
        actor: str = "",
        since: str = "",
        until: str = "",
        limit: int = 500,
        before_seq: int | None = None,
    ) -> list[AuditRow]:
        """The newest ``limit`` entries, newest first, of ``action`` (exact), by an
        actor whose name holds ``actor``, at or after ``since`` and before ``until``
        (ISO 8601 text; "" = no bound), numbered below ``before_seq`` if given
        (the web console's audit page and its CSV export, page by page)."""
        c = admin_audit.c
        query = select(admin_audit).order_by(c.seq.desc()).limit(limit)
        if action:
            query = query.where(c.action == action)
        if actor:
            escaped = actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(c.actor.like(f"%{escaped}%", escape="\\"))
        if since:
            query = query.where(c.at >= since)
        if until:
            query = query.where(c.at < until)
        if before_seq is not None:  # the next page of an export
            query = query.where(c.seq < before_seq)
        return [
            AuditRow(int(r.seq), r.at, r.actor, r.action, r.target, r.detail)
            for r in self._db.rows(query)
        ]

    def actions(self) -> list[str]:
        """Every action name the log holds (the console's filter offers them)."""
        query = select(admin_audit.c.action).distinct().order_by(admin_audit.c.action)
        return [r.action for r in self._db.rows(query)]
