"""Supervisors (``supervisors``) and their review grants (``review_grants``): a
supervisor enrolls with a one-time invite into its team; a grant is one review
private key sealed to one supervisor (IT makes them, the server only stores them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from peerdesk.agency.errors import SupervisorExists
from peerdesk.agency.models import (
    SUPERVISOR_ROLE,
    AuditEntry,
    NewSupervisor,
    ReviewGrant,
    Supervisor,
)
from peerdesk.agency.storage.audit import append_audit
from peerdesk.agency.storage.db import Database
from peerdesk.agency.storage.devices import use_code
from peerdesk.agency.tables import agency_keys, review_grants, supervisors
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import to_iso


def _supervisor(row: Any) -> Supervisor:
    return Supervisor(
        supervisor_id=row.supervisor_id,
        name=row.name,
        team=row.team,
        sign_pub=bytes(row.sign_pub),
        box_pub=bytes(row.box_pub),
        enrolled_at=row.enrolled_at,
        removed_at=row.removed_at,
    )


def store_grants(
    conn: Connection, db: Database, grants: Sequence[ReviewGrant], at: str, *, strict: bool
) -> None:
    """Upsert grants in the transaction of ``conn``. A grant for a removed or
    unknown supervisor is an error if ``strict``, else skipped (a rotation racing a
    removal)."""
    if not grants:
        return
    ids = sorted({g.supervisor_id for g in grants})
    active = set(
        conn.execute(
            select(supervisors.c.supervisor_id).where(
                supervisors.c.supervisor_id.in_(ids), supervisors.c.removed_at.is_(None)
            )
        ).scalars()
    )
    for sid in ids:
        if sid not in active and strict:
            raise ValidationError(
                f"supervisor {sid} is removed or unknown: no review keys for them",
                field="supervisor",
            )
    grants = [g for g in grants if g.supervisor_id in active]
    if not grants:
        return
    upsert = db.insert(review_grants)
    stmt = upsert.on_conflict_do_update(
        index_elements=[review_grants.c.supervisor_id, review_grants.c.key_id],
        set_={"sealed": upsert.excluded.sealed, "granted_at": upsert.excluded.granted_at},
    )
    conn.execute(
        stmt,
        [
            {
                "supervisor_id": g.supervisor_id,
                "key_id": g.key_id,
                "sealed": g.sealed,
                "granted_at": at,
            }
            for g in grants
        ],
    )


class Supervisors:
    """``storage.supervisors``: enrollment, lookup and removal of supervisors, and
    their review grants."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def enroll(
        self,
        code_hash: bytes,
        new: NewSupervisor,
        credential_hash: bytes,
        now: datetime,
        *,
        legacy_hash: bytes | None = None,
    ) -> Supervisor:
        """Use a one-time supervisor invite and create the supervisor in the invite's
        team, named as IT named them in the invite (or as they asked, if the invite
        has no name); or change nothing.

        :class:`BadEnrollmentCode` if the code is unknown, expired, used or a
        device code; :class:`SupervisorExists` if the id is taken. ``legacy_hash``:
        see :func:`~peerdesk.agency.storage.devices.use_code`."""
        at = to_iso(now)
        with self._db.write() as conn:
            code = use_code(conn, code_hash, SUPERVISOR_ROLE, new.supervisor_id, at, legacy_hash)
            taken = conn.execute(
                select(supervisors.c.supervisor_id).where(
                    supervisors.c.supervisor_id == new.supervisor_id
                )
            ).first()
            if taken is not None:
                raise SupervisorExists(new.supervisor_id)
            values = {
                "supervisor_id": new.supervisor_id,
                "name": code.name or new.name,
                "team": code.team,
                "sign_pub": new.sign_pub,
                "box_pub": new.box_pub,
                "credential_hash": credential_hash,
                "enrolled_at": at,
            }
            try:
                conn.execute(insert(supervisors).values(**values))
            except SAIntegrityError:  # another worker enrolled the same id just now
                raise SupervisorExists(new.supervisor_id) from None
        return Supervisor(
            new.supervisor_id, values["name"], code.team, new.sign_pub, new.box_pub, at, None
        )

    def by_credential(self, credential_hash: bytes) -> Supervisor | None:
        query = select(supervisors).where(supervisors.c.credential_hash == credential_hash)
        row = self._db.first(query)
        return _supervisor(row) if row is not None else None

    def get(self, supervisor_id: str) -> Supervisor:
        row = self._db.first(
            select(supervisors).where(supervisors.c.supervisor_id == supervisor_id)
        )
        if row is None:
            raise NotFound("supervisor", supervisor_id)
        return _supervisor(row)

    def all(self, *, active_only: bool = False) -> list[Supervisor]:
        """Every supervisor (or only those not removed), in enrollment order."""
        query = select(supervisors).order_by(supervisors.c.enrolled_at, supervisors.c.supervisor_id)
        if active_only:
            query = query.where(supervisors.c.removed_at.is_(None))
        return [_supervisor(r) for r in self._db.rows(query)]

    def remove(
        self, supervisor_id: str, now: datetime, audit: AuditEntry | None = None
    ) -> Supervisor:
        """End a supervisor's access: their credential is refused from now on and
        their review grants are deleted (rotate the review key next, so they cannot
        open what devices seal from then on)."""
        at = to_iso(now)
        with self._db.write() as conn:
            done = conn.execute(
                update(supervisors)
                .where(
                    supervisors.c.supervisor_id == supervisor_id,
                    supervisors.c.removed_at.is_(None),
                )
                .values(removed_at=at)
            )
            row = conn.execute(
                select(supervisors).where(supervisors.c.supervisor_id == supervisor_id)
            ).first()
            if row is None:
                raise NotFound("supervisor", supervisor_id)
            if done.rowcount != 1:
                raise ValidationError(
                    f"supervisor {supervisor_id} was already removed at {row.removed_at}",
                    field="supervisor",
                )
            conn.execute(
                delete(review_grants).where(review_grants.c.supervisor_id == supervisor_id)
            )
            append_audit(conn, audit, at)
        return _supervisor(row)

    def put_grants(
        self, grants: Sequence[ReviewGrant], now: datetime, audit: AuditEntry | None = None
    ) -> None:
        """Store review grants (replacing a supervisor's earlier grant of the same
        key). :class:`ValidationError` if a supervisor is removed or unknown."""
        at = to_iso(now)
        with self._db.write() as conn:
            store_grants(conn, self._db, grants, at, strict=True)
            append_audit(conn, audit, at)

    def grants(self, supervisor_id: str) -> list[ReviewGrant]:
        """A supervisor's review grants with each key's expiry: the keys rotated out
        first (by expiry), the current key last - the order of the key bundle."""
        query = (
            select(review_grants, agency_keys.c.not_after)
            .join(agency_keys, agency_keys.c.key_id == review_grants.c.key_id)
            .where(review_grants.c.supervisor_id == supervisor_id)
            .order_by(
                agency_keys.c.not_after == "",
                agency_keys.c.not_after,
                agency_keys.c.created_at,
                agency_keys.c.key_id,
            )
        )
        return [
            ReviewGrant(r.supervisor_id, r.key_id, bytes(r.sealed), r.granted_at, r.not_after)
            for r in self._db.rows(query)
        ]
