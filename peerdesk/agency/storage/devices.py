"""Enrollment codes (``enrollment_codes``) and the enrolled laptops (``devices``).

A code is one-time: using it is a conditional ``UPDATE ... WHERE`` (fresh, unused,
of the right role), so of two enrollments racing with one code exactly one wins.
A code is found by its keyed hash (``hash_kind`` ``hmac``), or, for a code
issued before keyed hashes, by its unkeyed hash (``sha256``) when the caller
gives that too: each hash matches only rows of its own kind.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from peerdesk.agency.errors import BadEnrollmentCode, DeviceExists
from peerdesk.agency.models import (
    DEVICE_ROLE,
    SUPERVISOR_ROLE,
    AuditEntry,
    Device,
    DeviceSummary,
    NewDevice,
)
from peerdesk.agency.storage.audit import append_audit
from peerdesk.agency.storage.db import Database
from peerdesk.agency.storage.outbound import queue
from peerdesk.agency.tables import devices, enrollment_codes, records
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import to_iso
from peerdesk.wire.client_status import ClientStatus

HMAC, SHA256 = "hmac", "sha256"


def use_code(
    conn: Connection,
    code_hash: bytes,
    role: str,
    user_id: str,
    at: str,
    legacy_hash: bytes | None = None,
) -> Any:
    """Mark a fresh, unused code of ``role`` used by ``user_id``; its (team, name)
    row, or :class:`BadEnrollmentCode`. ``code_hash`` is the keyed hash;
    ``legacy_hash`` the unkeyed one of a code stored before keyed hashes."""
    codes = enrollment_codes.c
    match = and_(codes.code_hash == code_hash, codes.hash_kind == HMAC)
    if legacy_hash is not None:
        match = or_(match, and_(codes.code_hash == legacy_hash, codes.hash_kind == SHA256))
    row = conn.execute(
        update(enrollment_codes)
        .where(
            match,
            enrollment_codes.c.used_at.is_(None),
            enrollment_codes.c.expires_at > at,
            enrollment_codes.c.role == role,
        )
        .values(used_at=at, device_id=user_id)
        .returning(enrollment_codes.c.team, enrollment_codes.c.name)
    ).first()
    if row is None:
        raise BadEnrollmentCode()
    return row


#: every request of a device starts here: built once (building a statement costs
#: more than running this one)
_BY_CREDENTIAL = select(devices).where(devices.c.credential_hash == bindparam("credential"))


class EnrollmentCodes:
    """``storage.codes``: one-time codes, for laptops and for supervisors."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        code_hash: bytes,
        *,
        created_at: str,
        expires_at: str,
        role: str = DEVICE_ROLE,
        team: str = "",
        name: str = "",
        audit: AuditEntry | None = None,
    ) -> None:
        """Store a one-time code (its keyed hash): a device code, or a supervisor invite
        (``role="supervisor"``, with the supervisor's ``name``), for ``team``."""
        if role not in (DEVICE_ROLE, SUPERVISOR_ROLE):
            raise ValidationError(f"unknown enrollment code role {role!r}", field="role")
        with self._db.write() as conn:
            conn.execute(
                insert(enrollment_codes).values(
                    code_hash=code_hash,
                    created_at=created_at,
                    expires_at=expires_at,
                    role=role,
                    team=team,
                    name=name,
                    hash_kind=HMAC,
                )
            )
            append_audit(conn, audit, created_at)

    def any_keyed(self) -> bool:
        """Whether any code was ever stored as a keyed hash (so the agency had a
        code key: a missing key file must be restored, not made anew)."""
        with self._db.read() as conn:
            found = conn.execute(
                select(enrollment_codes.c.code_hash)
                .where(enrollment_codes.c.hash_kind == HMAC)
                .limit(1)
            ).first()
        return found is not None


def _device(row: Any) -> Device:
    return Device(
        device_id=row.device_id,
        label=row.label,
        sign_pub=bytes(row.sign_pub),
        box_pub=bytes(row.box_pub),
        enrolled_at=row.enrolled_at,
        last_seen_at=row.last_seen_at,
        revoked_at=row.revoked_at,
        wipe_order=bytes(row.wipe_order) if row.wipe_order is not None else None,
        team=row.team,
        client_version=row.client_version,
        client_pending=row.client_pending,
        client_held=row.client_held,
    )


class Devices:
    """``storage.devices``: enrollment, lookup, teams and revocation of laptops."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def enroll(
        self,
        code_hash: bytes,
        device: NewDevice,
        credential_hash: bytes,
        now: datetime,
        *,
        legacy_hash: bytes | None = None,
    ) -> None:
        """Use the one-time code and create the device, or change nothing.

        :class:`BadEnrollmentCode` if the code is unknown, expired or used;
        :class:`DeviceExists` if the device id is taken (the code stays unused).
        ``legacy_hash``: see :func:`use_code`."""
        at = to_iso(now)
        with self._db.write() as conn:
            code = use_code(conn, code_hash, DEVICE_ROLE, device.device_id, at, legacy_hash)
            taken = conn.execute(
                select(devices.c.device_id).where(devices.c.device_id == device.device_id)
            ).first()
            if taken is not None:
                raise DeviceExists(device.device_id)
            try:
                conn.execute(
                    insert(devices).values(
                        device_id=device.device_id,
                        label=device.label,
                        sign_pub=device.sign_pub,
                        box_pub=device.box_pub,
                        credential_hash=credential_hash,
                        enrolled_at=at,
                        team=code.team,
                    )
                )
            except SAIntegrityError:  # another worker enrolled the same id just now
                raise DeviceExists(device.device_id) from None

    def by_credential(self, credential_hash: bytes) -> Device | None:
        row = self._db.first(_BY_CREDENTIAL, {"credential": credential_hash})
        return _device(row) if row is not None else None

    def get(self, device_id: str) -> Device:
        row = self._db.first(select(devices).where(devices.c.device_id == device_id))
        if row is None:
            raise NotFound("device", device_id)
        return _device(row)

    def note_client(self, device: Device, status: ClientStatus) -> bool:
        """Keep what an authenticated laptop reported about itself (its
        ``PeerDesk-Client`` header): written only when it differs from what
        ``device`` (as read when its credential was checked) holds. True if written."""
        values = (status.version, status.pending, status.held)
        if values == (device.client_version, device.client_pending, device.client_held):
            return False
        with self._db.write() as conn:
            conn.execute(
                update(devices)
                .where(devices.c.device_id == device.device_id)
                .values(client_version=values[0], client_pending=values[1], client_held=values[2])
            )
        return True

    def summaries(self, team: str | None = None) -> list[DeviceSummary]:
        """Every device (or the devices of ``team``) with its record count."""
        counts = (
            select(records.c.device_id, func.count().label("n"))
            .group_by(records.c.device_id)
            .subquery()
        )
        query = (
            select(devices, func.coalesce(counts.c.n, 0).label("n"))
            .outerjoin(counts, counts.c.device_id == devices.c.device_id)
            .order_by(devices.c.enrolled_at, devices.c.device_id)
        )
        if team is not None:
            query = query.where(devices.c.team == team)
        return [DeviceSummary(_device(row), int(row.n)) for row in self._db.rows(query)]

    def of_team(self, team: str) -> list[Device]:
        """The devices of ``team`` (revoked ones too), oldest enrollment first."""
        query = (
            select(devices)
            .where(devices.c.team == team)
            .order_by(devices.c.enrolled_at, devices.c.device_id)
        )
        return [_device(row) for row in self._db.rows(query)]

    def set_team(
        self, device_id: str, team: str, now: datetime, audit: AuditEntry | None = None
    ) -> Device:
        """Move a device to ``team`` (its supervisors see its notes from then on)."""
        with self._db.write() as conn:
            done = conn.execute(
                update(devices).where(devices.c.device_id == device_id).values(team=team)
            )
            if done.rowcount != 1:
                raise NotFound("device", device_id)
            append_audit(conn, audit, to_iso(now))
            row = conn.execute(select(devices).where(devices.c.device_id == device_id)).one()
        return _device(row)

    def revoke(
        self,
        device_id: str,
        wipe_order: bytes,
        now: datetime,
        audit: AuditEntry | None = None,
    ) -> int:
        """Mark the device revoked, keep its wipe order (returned with every 403) and
        queue the order as an inbound item. Returns the outbound sequence number."""
        at = to_iso(now)
        with self._db.write() as conn:
            row = conn.execute(
                select(devices.c.revoked_at).where(devices.c.device_id == device_id)
            ).first()
            if row is None:
                raise NotFound("device", device_id)
            if row.revoked_at is not None:
                raise ValidationError(
                    f"device {device_id} was already revoked at {row.revoked_at}", field="device"
                )
            conn.execute(
                update(devices)
                .where(devices.c.device_id == device_id)
                .values(revoked_at=at, wipe_order=wipe_order)
            )
            append_audit(conn, audit, at)
            return queue(conn, device_id, "wipe", "", wipe_order, at)
