"""All SQL of the agency server: one :class:`Storage` over a SQLAlchemy Engine.

Portable between SQLite (a small agency, the demo) and PostgreSQL (psycopg 3; any
number of API workers). The rules that make that safe:

* Every write runs in one transaction. On SQLite a write transaction starts with
  ``BEGIN IMMEDIATE`` (SQLAlchemy's recipe: the driver's own BEGIN is switched
  off and the engine emits its own), so two writers queue on the database lock
  instead of failing half-way with "database is locked"; WAL mode lets readers go on.
* Races between workers on PostgreSQL are settled by the unique keys, never by
  reading first: ``INSERT ... ON CONFLICT DO NOTHING`` (both dialects) for
  records (device, op id) and batches (device, batch id), and conditional
  ``UPDATE ... WHERE`` for one-time things (enrollment codes, escrow use, claims)
  and for review decisions (the state and ``seen_seq`` checks are in the
  ``WHERE``, so of two supervisors deciding at once exactly one wins).
* Ingest of a batch is one transaction: one bulk ``INSERT ... ON CONFLICT DO
  NOTHING RETURNING`` (the unique key does the dedup), one dedup query for the op
  ids that were not inserted (only when there are any: resends, races, refused
  records), the inbound page and the stored response - all or nothing. The bulk
  insert is a multi-row VALUES on SQLite and a binary COPY into a session staging
  table on PostgreSQL, because a statement with thousands of parameters costs more
  to build and parse than the rows cost to store.
* The review state of the notes in a batch (``note_reviews``, ``review_events``) is
  kept in the same transaction, after the device row is locked (so two batches of
  one device take their turns there): one query reads the touched notes (``FOR
  UPDATE`` on PostgreSQL), :func:`review_changes` works out the transitions, and
  a few set-wise statements write them (arrays on PostgreSQL, ``executemany`` on
  SQLite) - never a statement per note.
* Admin actions take an optional :class:`AuditEntry`, appended to ``admin_audit``
  in the same transaction as the action.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Insert,
    Table,
    and_,
    create_engine,
    event,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import delete as sa_delete
from sqlalchemy import insert as sa_insert
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError as SAIntegrityError
from sqlalchemy.exc import OperationalError

from peerdesk.agency import migrations
from peerdesk.agency.errors import (
    AlreadyDecided,
    BadEnrollmentCode,
    BatchInFlight,
    DeviceExists,
    IdempotencyMismatch,
    NoteChangedSinceRead,
    SchemaMismatch,
    SupervisorExists,
)
from peerdesk.agency.models import (
    APPROVED,
    DECIDABLE,
    DEVICE_ROLE,
    NOTE_KINDS,
    PEER_ACTOR,
    RETURNED,
    SUPERVISOR_ROLE,
    AgencyKeyInfo,
    AuditEntry,
    AuditRow,
    BatchClaim,
    Decision,
    Device,
    DeviceSummary,
    DirectoryVersion,
    NewDevice,
    NewSupervisor,
    NoteReview,
    OutboundItem,
    ReviewEvent,
    ReviewGrant,
    StoredRecord,
    Supervisor,
)
from peerdesk.agency.review_state import review_changes
from peerdesk.agency.tables import (
    admin_audit,
    agency_keys,
    batches,
    devices,
    directory_versions,
    enrollment_codes,
    key_bundles,
    note_reviews,
    outbound,
    records,
    review_events,
    review_grants,
    supervisors,
)
from peerdesk.errors import ConfigError, NotFound, StorageUnavailable, ValidationError
from peerdesk.ids import from_iso, to_iso
from peerdesk.wire.protocol import (
    MAX_INBOUND_PER_RESPONSE,
    Ack,
    Inbound,
    Record,
    Reject,
    SyncResponse,
)

log = logging.getLogger("peerdesk.agency.storage")

IN_FLIGHT, DONE = "in_flight", "done"
#: an in-flight batch older than this is taken to be abandoned (a crashed worker)
STALE_IN_FLIGHT = timedelta(seconds=60)
_WRITE = "peerdesk_write"


# --- engine ---------------------------------------------------------------------------


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN (see _sqlite_begin) instead of the sqlite3 module.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
        # an acknowledged record must survive a power cut: the device deletes its copy
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
    finally:
        cur.close()


#: the session's staging table for the bulk COPY of a batch (PostgreSQL): emptied at
#: every commit and kept out of the WAL. Made on first use in each session (not at
#: connect), so a transaction-pooling proxy such as PgBouncer does not break it.
_PG_STAGING = (
    "CREATE TEMP TABLE IF NOT EXISTS records_in (ord integer, op_id text, kind text, "
    "entity_id text, key_id text, dictionary text, sealed bytea) ON COMMIT DELETE ROWS"
)

#: The review changes of a batch in one statement (PostgreSQL): new rows, updated
#: rows, events in record order. Each column travels as one comma-joined text
#: parameter split on the server (note ids are UUIDs, states words, seqs numbers):
#: psycopg's text-array dumper costs ~10 us per element in Python, this ~nothing.
_PG_ARRAYS = (
    "unnest(string_to_array(:{p}_notes, ','), string_to_array(:{p}_states, ','), "
    "CAST(string_to_array(:{p}_seqs, ',') AS bigint[]))"
)
_PG_REVIEWS = f"""
WITH created AS (
    INSERT INTO note_reviews (device_id, note_id, state, last_seq, updated_at)
    SELECT :device_id, t.n, t.s, t.q, :at FROM {_PG_ARRAYS.format(p="c")} AS t(n, s, q)
), updated AS (
    UPDATE note_reviews AS nr SET state = t.s, last_seq = t.q, updated_at = :at
    FROM {_PG_ARRAYS.format(p="u")} AS t(n, s, q)
    WHERE nr.device_id = :device_id AND nr.note_id = t.n
)
INSERT INTO review_events (device_id, note_id, state, at, actor, record_seq)
SELECT :device_id, t.n, t.s, :at, :actor, t.q
FROM {_PG_ARRAYS.format(p="e")} WITH ORDINALITY AS t(n, s, q, i)
ORDER BY t.i
"""


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An Engine for ``sqlite:///file`` or ``postgresql[+psycopg]://...`` with the
    settings the agency relies on. ``kwargs`` go to :func:`sqlalchemy.create_engine`."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises ArgumentError/ValueError
        raise ConfigError(f"database_url is not a valid URL ({type(exc).__name__})") from None
    backend = parsed.get_backend_name()
    # SQL parameters (sealed blobs, hashes) never go into error messages or logs
    kwargs.setdefault("hide_parameters", True)
    if backend == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:" or database.startswith("file:"):
            raise ConfigError("the SQLite agency database must be a file (sqlite:///path)")
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"timeout": 30, **kwargs.pop("connect_args", {})}
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if parsed.get_driver_name() != "psycopg":
            raise ConfigError("use the psycopg driver: postgresql+psycopg://user@host/db")
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **kwargs)
    raise ConfigError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")


def _iso(moment: datetime) -> str:
    return to_iso(moment)


# --- row -> object --------------------------------------------------------------------


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
    )


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


def _event(row: Any) -> ReviewEvent:
    return ReviewEvent(
        seq=int(row.seq),
        device_id=row.device_id,
        note_id=row.note_id,
        state=row.state,
        at=row.at,
        actor=row.actor,
        record_seq=int(row.record_seq) if row.record_seq is not None else None,
    )


#: the columns an ingest writes, in the order of the bulk insert
_RECORD_COLUMNS = (
    "device_id", "op_id", "kind", "entity_id", "key_id", "dictionary",
    "sealed", "size", "batch_id", "received_at",
)  # fmt: skip

_RECORD_META = (
    records.c.seq,
    records.c.device_id,
    records.c.op_id,
    records.c.kind,
    records.c.entity_id,
    records.c.key_id,
    records.c.dictionary,
    records.c.size,
    records.c.batch_id,
    records.c.received_at,
    records.c.used_at,
)


def _record(row: Any, *, sealed: bool) -> StoredRecord:
    return StoredRecord(
        seq=row.seq,
        device_id=row.device_id,
        op_id=row.op_id,
        kind=row.kind,
        entity_id=row.entity_id,
        key_id=row.key_id,
        dictionary=row.dictionary,
        size=row.size,
        batch_id=row.batch_id,
        received_at=row.received_at,
        used_at=row.used_at,
        sealed=bytes(row.sealed) if sealed else b"",
    )


def _directory_version(row: Any, *, dataset: bool) -> DirectoryVersion:
    return DirectoryVersion(
        version=int(row.version),
        kind=row.kind,
        services=int(row.services),
        outbound_seq=int(row.outbound_seq),
        published_at=row.published_at,
        dataset=bytes(row.dataset) if dataset else b"",
    )


class Storage:
    """The agency database. Thread-safe: every method takes its own connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        if self.dialect not in ("sqlite", "postgresql"):
            raise ConfigError(f"unsupported database {self.dialect!r}")
        # connections from this engine open write transactions (BEGIN IMMEDIATE on SQLite)
        # and keep cursor.rowcount for INSERT too (ON CONFLICT DO NOTHING tells by it)
        self._writer = engine.execution_options(**{_WRITE: True, "preserve_rowcount": True})

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Storage:
        return cls(make_engine(url, **kwargs))

    def close(self) -> None:
        self.engine.dispose()

    # --- transactions -----------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._writer.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise StorageUnavailable(
                f"the agency database cannot be written ({type(exc.orig).__name__})"
            ) from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except OperationalError as exc:
            raise StorageUnavailable(
                f"the agency database cannot be read ({type(exc.orig).__name__})"
            ) from exc

    def _insert_ignore(self, table: Table) -> Insert:
        """``INSERT ... ON CONFLICT DO NOTHING`` in this dialect."""
        if self.dialect == "postgresql":
            return pg_dialect.insert(table).on_conflict_do_nothing()
        return sqlite_dialect.insert(table).on_conflict_do_nothing()

    # --- schema -----------------------------------------------------------------------

    def schema_status(self) -> migrations.SchemaStatus:
        try:
            return migrations.status(self.engine)
        except OperationalError as exc:
            raise StorageUnavailable(
                f"cannot open the agency database ({type(exc.orig).__name__})"
            ) from exc

    def check_schema(self) -> None:
        """Raise :class:`SchemaMismatch` unless the database is at the code's head."""
        st = self.schema_status()
        if not st.up_to_date:
            raise SchemaMismatch(st.current, st.head, st.describe())

    def migrate(self) -> migrations.SchemaStatus:
        """Apply pending migrations; refuses a database that is ahead of the code."""
        st = self.schema_status()
        if st.ahead:
            raise SchemaMismatch(st.current, st.head, st.describe())
        if not st.up_to_date:
            migrations.upgrade(self.engine)
        return self.schema_status()

    # --- agency keys and the signed bundle --------------------------------------------

    def agency_keys(self, purpose: str | None = None) -> list[AgencyKeyInfo]:
        query = select(agency_keys).order_by(agency_keys.c.created_at, agency_keys.c.key_id)
        if purpose is not None:
            query = query.where(agency_keys.c.purpose == purpose)
        with self._read() as conn:
            return [
                AgencyKeyInfo(r.key_id, r.purpose, bytes(r.public), r.created_at, r.not_after)
                for r in conn.execute(query)
            ]

    def change_keys(
        self,
        *,
        add: Sequence[AgencyKeyInfo] = (),
        not_after: Mapping[str, str] | None = None,
        bundle: bytes,
        issued_at: str,
        grants: Sequence[ReviewGrant] = (),
        audit: AuditEntry | None = None,
    ) -> None:
        """Add keys, set expiries, publish the re-signed bundle and store review
        grants of the new keys (to active supervisors), all at once."""
        with self._write() as conn:
            for key in add:
                conn.execute(
                    sa_insert(agency_keys).values(
                        key_id=key.key_id,
                        purpose=key.purpose,
                        public=key.public,
                        created_at=key.created_at,
                        not_after=key.not_after,
                    )
                )
            for kid, expiry in (not_after or {}).items():
                conn.execute(
                    update(agency_keys).where(agency_keys.c.key_id == kid).values(not_after=expiry)
                )
            conn.execute(sa_insert(key_bundles).values(issued_at=issued_at, blob=bundle))
            self._put_grants(conn, grants, issued_at, strict=False)
            self._audit(conn, audit, issued_at)

    def latest_bundle(self) -> bytes | None:
        query = select(key_bundles.c.blob).order_by(key_bundles.c.seq.desc()).limit(1)
        with self._read() as conn:
            blob = conn.execute(query).scalar()
        return bytes(blob) if blob is not None else None

    # --- enrollment -------------------------------------------------------------------

    def add_enrollment_code(
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
        """Store a one-time code (its hash): a device code, or a supervisor invite
        (``role="supervisor"``, with the supervisor's ``name``), for ``team``."""
        if role not in (DEVICE_ROLE, SUPERVISOR_ROLE):
            raise ValidationError(f"unknown enrollment code role {role!r}", field="role")
        with self._write() as conn:
            conn.execute(
                sa_insert(enrollment_codes).values(
                    code_hash=code_hash,
                    created_at=created_at,
                    expires_at=expires_at,
                    role=role,
                    team=team,
                    name=name,
                )
            )
            self._audit(conn, audit, created_at)

    def _use_code(
        self, conn: Connection, code_hash: bytes, role: str, user_id: str, at: str
    ) -> Any:
        """Mark a fresh, unused code of ``role`` used by ``user_id``; its (team, name)
        row, or :class:`BadEnrollmentCode`."""
        row = conn.execute(
            update(enrollment_codes)
            .where(
                enrollment_codes.c.code_hash == code_hash,
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

    def enroll_device(
        self, code_hash: bytes, device: NewDevice, credential_hash: bytes, now: datetime
    ) -> None:
        """Use the one-time code and create the device, or change nothing.

        :class:`BadEnrollmentCode` if the code is unknown, expired or used;
        :class:`DeviceExists` if the device id is taken (the code stays unused)."""
        at = _iso(now)
        with self._write() as conn:
            code = self._use_code(conn, code_hash, DEVICE_ROLE, device.device_id, at)
            taken = conn.execute(
                select(devices.c.device_id).where(devices.c.device_id == device.device_id)
            ).first()
            if taken is not None:
                raise DeviceExists(device.device_id)
            try:
                conn.execute(
                    sa_insert(devices).values(
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

    def enroll_supervisor(
        self, code_hash: bytes, new: NewSupervisor, credential_hash: bytes, now: datetime
    ) -> Supervisor:
        """Use a one-time supervisor invite and create the supervisor in the invite's
        team, named as IT named them in the invite (or as they asked, if the invite
        has no name); or change nothing.

        :class:`BadEnrollmentCode` if the code is unknown, expired, used or a
        device code; :class:`SupervisorExists` if the id is taken."""
        at = _iso(now)
        with self._write() as conn:
            code = self._use_code(conn, code_hash, SUPERVISOR_ROLE, new.supervisor_id, at)
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
                conn.execute(sa_insert(supervisors).values(**values))
            except SAIntegrityError:  # another worker enrolled the same id just now
                raise SupervisorExists(new.supervisor_id) from None
        return Supervisor(
            new.supervisor_id, values["name"], code.team, new.sign_pub, new.box_pub, at, None
        )

    # --- devices ----------------------------------------------------------------------

    def device_by_credential(self, credential_hash: bytes) -> Device | None:
        query = select(devices).where(devices.c.credential_hash == credential_hash)
        with self._read() as conn:
            row = conn.execute(query).first()
        return _device(row) if row is not None else None

    def device(self, device_id: str) -> Device:
        with self._read() as conn:
            row = conn.execute(select(devices).where(devices.c.device_id == device_id)).first()
        if row is None:
            raise NotFound("device", device_id)
        return _device(row)

    def devices(self, team: str | None = None) -> list[DeviceSummary]:
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
        with self._read() as conn:
            return [DeviceSummary(_device(row), int(row.n)) for row in conn.execute(query)]

    def team_devices(self, team: str) -> list[Device]:
        """The devices of ``team`` (revoked ones too), oldest enrollment first."""
        query = (
            select(devices)
            .where(devices.c.team == team)
            .order_by(devices.c.enrolled_at, devices.c.device_id)
        )
        with self._read() as conn:
            return [_device(row) for row in conn.execute(query)]

    def set_device_team(
        self, device_id: str, team: str, now: datetime, audit: AuditEntry | None = None
    ) -> Device:
        """Move a device to ``team`` (its supervisors see its notes from then on)."""
        with self._write() as conn:
            done = conn.execute(
                update(devices).where(devices.c.device_id == device_id).values(team=team)
            )
            if done.rowcount != 1:
                raise NotFound("device", device_id)
            self._audit(conn, audit, _iso(now))
            row = conn.execute(select(devices).where(devices.c.device_id == device_id)).one()
        return _device(row)

    def revoke_device(
        self, device_id: str, wipe_order: bytes, now: datetime, audit: AuditEntry | None = None
    ) -> int:
        """Mark the device revoked, keep its wipe order (returned with every 403) and
        queue the order as an inbound item. Returns the outbound sequence number."""
        at = _iso(now)
        with self._write() as conn:
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
            self._audit(conn, audit, at)
            return self._queue(conn, device_id, "wipe", "", wipe_order, at)

    # --- outbound (what devices receive) ----------------------------------------------

    def _queue(
        self, conn: Connection, device_id: str | None, kind: str, ref: str, payload: bytes, at: str
    ) -> int:
        seq = conn.execute(
            sa_insert(outbound)
            .values(device_id=device_id, kind=kind, ref=ref, payload=payload, created_at=at)
            .returning(outbound.c.seq)
        ).scalar_one()
        return int(seq)

    def queue_outbound(
        self, device_id: str | None, kind: str, ref: str, payload: bytes, now: datetime
    ) -> int:
        """Queue an item for one device (or every device when ``device_id`` is None)."""
        with self._write() as conn:
            return self._queue(conn, device_id, kind, ref, payload, _iso(now))

    def _inbound(
        self, conn: Connection, device_id: str, cursor: int, limit: int
    ) -> tuple[list[OutboundItem], bool]:
        query = (
            select(outbound)
            .where(
                or_(outbound.c.device_id == device_id, outbound.c.device_id.is_(None)),
                outbound.c.seq > cursor,
            )
            .order_by(outbound.c.seq)
            .limit(limit + 1)
        )
        rows = conn.execute(query).all()
        items = [
            OutboundItem(r.seq, r.device_id, r.kind, r.ref, bytes(r.payload), r.created_at)
            for r in rows[:limit]
        ]
        return items, len(rows) > limit

    def inbound(
        self, device_id: str, cursor: int, limit: int = MAX_INBOUND_PER_RESPONSE
    ) -> tuple[list[OutboundItem], bool]:
        """Items for ``device_id`` after ``cursor``, oldest first, and whether more wait."""
        with self._read() as conn:
            return self._inbound(conn, device_id, cursor, limit)

    # --- the resource directory ---------------------------------------------------------

    def latest_directory(self) -> DirectoryVersion | None:
        """The newest published directory version, with its dataset; None if none yet."""
        query = select(directory_versions).order_by(directory_versions.c.version.desc()).limit(1)
        with self._read() as conn:
            row = conn.execute(query).first()
        return _directory_version(row, dataset=True) if row is not None else None

    def directory_history(self) -> list[DirectoryVersion]:
        """Every published version, oldest first (metadata only)."""
        cols = [c for c in directory_versions.c if c.name != "dataset"]
        query = select(*cols).order_by(directory_versions.c.version)
        with self._read() as conn:
            return [_directory_version(r, dataset=False) for r in conn.execute(query)]

    def publish_directory(
        self,
        *,
        version: int,
        kind: str,
        dataset: bytes,
        services: int,
        signed: bytes,
        now: datetime,
        audit: AuditEntry | None = None,
    ) -> int:
        """Store a directory version and queue its signed update for every device
        (outbound kind ``"directory"``, no device), together or not at all.
        :class:`ValidationError` if ``version`` does not follow the newest stored
        one (another publication got there first). Returns the outbound seq."""
        at = _iso(now)
        with self._write() as conn:
            newest = conn.execute(select(func.max(directory_versions.c.version))).scalar()
            expected = 1 if newest is None else int(newest) + 1
            if version != expected:
                raise ValidationError(
                    f"directory version {version} cannot be published: the next version is "
                    f"{expected} (another publication was made meanwhile; import again)",
                    field="version",
                )
            seq = self._queue(conn, None, "directory", "", signed, at)
            try:
                conn.execute(
                    sa_insert(directory_versions).values(
                        version=version,
                        kind=kind,
                        dataset=dataset,
                        services=services,
                        outbound_seq=seq,
                        published_at=at,
                    )
                )
            except SAIntegrityError:  # a concurrent publication of the same version
                raise ValidationError(
                    f"directory version {version} was published by someone else just now; "
                    "import again",
                    field="version",
                ) from None
            self._audit(conn, audit, at)
            return seq

    # --- sync: idempotent batches and ingest -------------------------------------------

    def claim_batch(
        self,
        device_id: str,
        batch_id: str,
        body_hash: bytes,
        now: datetime,
        stale_after: timedelta = STALE_IN_FLIGHT,
    ) -> BatchClaim:
        """Start processing ``(device_id, batch_id)`` or learn that it was done.

        Raises :class:`IdempotencyMismatch` for the same key with another body and
        :class:`BatchInFlight` while another request holds a fresh claim. A claim
        older than ``stale_after`` is taken over (its worker is presumed dead)."""
        token = secrets.token_hex(16)
        at = _iso(now)
        key = (batches.c.device_id == device_id, batches.c.batch_id == batch_id)
        with self._write() as conn:
            inserted = conn.execute(
                self._insert_ignore(batches).values(
                    device_id=device_id,
                    batch_id=batch_id,
                    body_hash=body_hash,
                    state=IN_FLIGHT,
                    claim=token,
                    started_at=at,
                )
            )
            if inserted.rowcount == 1:
                return BatchClaim(token)
            row = conn.execute(
                select(
                    batches.c.body_hash, batches.c.state, batches.c.claim, batches.c.started_at
                ).where(*key)
            ).one()
            if bytes(row.body_hash) != body_hash:
                raise IdempotencyMismatch(batch_id)
            if row.state == DONE:
                response = conn.execute(select(batches.c.response).where(*key)).scalar_one()
                return BatchClaim(None, bytes(response))
            if from_iso(row.started_at) > now - stale_after:
                raise BatchInFlight(batch_id)
            taken = conn.execute(
                update(batches)
                .where(*key, batches.c.state == IN_FLIGHT, batches.c.claim == row.claim)
                .values(claim=token, started_at=at)
            )
            if taken.rowcount != 1:
                raise BatchInFlight(batch_id)
            log.warning(
                "batch %s of device %s was abandoned; processing again", batch_id, device_id
            )
            return BatchClaim(token)

    def release_batch(self, device_id: str, batch_id: str, token: str) -> None:
        """Forget an in-flight claim after a failure, so a retry need not wait."""
        with self._write() as conn:
            conn.execute(
                sa_delete(batches).where(
                    batches.c.device_id == device_id,
                    batches.c.batch_id == batch_id,
                    batches.c.claim == token,
                    batches.c.state == IN_FLIGHT,
                )
            )

    def _stored_seqs(
        self, conn: Connection, device_id: str, op_ids: Sequence[str]
    ) -> dict[str, int]:
        """The dedup query: which of ``op_ids`` this device already sent, and their seq."""
        if not op_ids:
            return {}
        if self.dialect == "postgresql":  # one array parameter, not thousands
            query: Any = text(
                "SELECT op_id, seq FROM records WHERE device_id = :device_id "
                "AND op_id = ANY(CAST(:op_ids AS text[]))"
            ).bindparams(device_id=device_id, op_ids=list(op_ids))
        else:
            query = select(records.c.op_id, records.c.seq).where(
                records.c.device_id == device_id, records.c.op_id.in_(op_ids)
            )
        return {op: int(seq) for op, seq in conn.execute(query)}

    def _insert_records(
        self, conn: Connection, device_id: str, batch_id: str, recs: Sequence[Record], at: str
    ) -> dict[str, int]:
        """Insert ``recs`` in order, skipping op ids this device already stored (also
        by a concurrent worker); returns the seq of each row inserted."""
        if not recs:
            return {}
        if self.dialect == "postgresql":
            return self._insert_records_pg(conn, device_id, batch_id, recs, at)
        # SQLite: multi-row VALUES ... RETURNING at the driver level, in chunks within
        # SQLite's bound-variable limit (a third less CPU than insertmanyvalues here)
        driver = conn.connection.driver_connection
        assert driver is not None
        limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        chunk = max(1, min(500, limit // len(_RECORD_COLUMNS)))
        one = "(" + ", ".join("?" * len(_RECORD_COLUMNS)) + ")"
        got: dict[str, int] = {}
        for start in range(0, len(recs), chunk):
            part = recs[start : start + chunk]
            params: list[Any] = []
            for r in part:
                params += (device_id, r.op_id, r.kind, r.entity_id, r.key_id, r.dictionary,
                           r.sealed, len(r.sealed), batch_id, at)  # fmt: skip
            sql = (
                f"INSERT INTO records ({', '.join(_RECORD_COLUMNS)}) VALUES "
                f"{', '.join([one] * len(part))} ON CONFLICT DO NOTHING RETURNING op_id, seq"
            )
            got.update((op, int(seq)) for op, seq in conn.exec_driver_sql(sql, tuple(params)))
        return got

    def _insert_records_pg(
        self, conn: Connection, device_id: str, batch_id: str, recs: Sequence[Record], at: str
    ) -> dict[str, int]:
        # Binary COPY into the connection's staging table, then one INSERT ... SELECT:
        # a statement with thousands of parameters costs more to build and parse than
        # the rows cost to store.
        conn.exec_driver_sql(_PG_STAGING)
        driver = conn.connection.driver_connection
        assert driver is not None
        with (
            driver.cursor() as cur,
            cur.copy(
                "COPY records_in (ord, op_id, kind, entity_id, key_id, dictionary, sealed) "
                "FROM STDIN (FORMAT BINARY)"
            ) as copy,
        ):
            copy.set_types(["int4", "text", "text", "text", "text", "text", "bytea"])
            for i, r in enumerate(recs):
                copy.write_row((i, r.op_id, r.kind, r.entity_id, r.key_id, r.dictionary, r.sealed))
        inserted = conn.execute(
            text(
                "INSERT INTO records (device_id, op_id, kind, entity_id, key_id, dictionary, "
                "sealed, size, batch_id, received_at) "
                "SELECT :device_id, op_id, kind, entity_id, key_id, dictionary, sealed, "
                "length(sealed), :batch_id, :received_at FROM records_in ORDER BY ord "
                "ON CONFLICT DO NOTHING RETURNING op_id, seq"
            ),
            {"device_id": device_id, "batch_id": batch_id, "received_at": at},
        )
        return {op: int(seq) for op, seq in inserted}  # records_in empties at commit

    def _current_reviews(
        self, conn: Connection, device_id: str, note_ids: Sequence[str]
    ) -> dict[str, tuple[str, int]]:
        """The review rows of ``note_ids`` (locked on PostgreSQL, so a decision made
        at the same moment waits for this batch and then sees its ``last_seq``)."""
        if self.dialect == "postgresql":
            query: Any = text(
                "SELECT note_id, state, last_seq FROM note_reviews WHERE device_id = :device_id "
                "AND note_id = ANY(string_to_array(:notes, ',')) FOR UPDATE"
            ).bindparams(device_id=device_id, notes=",".join(note_ids))
            rows = conn.execute(query)
        else:
            rows = conn.exec_driver_sql(
                "SELECT note_id, state, last_seq FROM note_reviews WHERE device_id = ? "
                "AND note_id IN (SELECT value FROM json_each(?))",
                (device_id, json.dumps(list(note_ids))),
            )
        return {note: (state, int(seq)) for note, state, seq in rows}

    def _track_reviews(
        self, conn: Connection, device_id: str, stored: Sequence[tuple[int, str, str]], at: str
    ) -> None:
        """Keep ``note_reviews`` and ``review_events`` up to date with the note-kind
        records a batch stored (``(seq, kind, note_id)`` in seq order)."""
        note_ids = list(dict.fromkeys(note for _, _, note in stored))
        changes = review_changes(stored, self._current_reviews(conn, device_id, note_ids))
        if not (changes.created or changes.updated or changes.events):
            return
        if self.dialect == "postgresql":
            params: dict[str, Any] = {"device_id": device_id, "at": at, "actor": PEER_ACTOR}
            for p, rows in (("c", changes.created), ("u", changes.updated), ("e", changes.events)):
                params[f"{p}_notes"] = ",".join([r[0] for r in rows])
                params[f"{p}_states"] = ",".join([r[1] for r in rows])
                params[f"{p}_seqs"] = ",".join([str(r[2]) for r in rows])
            conn.execute(text(_PG_REVIEWS), params)
            return
        if changes.created:
            conn.exec_driver_sql(
                "INSERT INTO note_reviews (device_id, note_id, state, last_seq, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(device_id, n, st, q, at) for n, st, q in changes.created],
            )
        if changes.updated:
            conn.exec_driver_sql(
                "UPDATE note_reviews SET state = ?, last_seq = ?, updated_at = ? "
                "WHERE device_id = ? AND note_id = ?",
                [(st, q, at, device_id, n) for n, st, q in changes.updated],
            )
        if changes.events:
            conn.exec_driver_sql(
                "INSERT INTO review_events (device_id, note_id, state, at, actor, record_seq) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(device_id, n, st, at, PEER_ACTOR, q) for n, st, q in changes.events],
            )

    def ingest(
        self,
        *,
        device_id: str,
        batch_id: str,
        token: str,
        records_in: Sequence[Record],
        cursor: int,
        now: datetime,
        check: Callable[[Record], Reject | None],
        inbound_limit: int = MAX_INBOUND_PER_RESPONSE,
    ) -> bytes:
        """Store a claimed batch and return the encoded response, in one transaction.

        Per record, in batch order: a repeated op id in the batch is rejected
        ``duplicate_in_batch``; an op id this device already sent is acknowledged
        with its stored seq (even if ``check`` would refuse it now, e.g. its key
        expired since); otherwise ``check`` may reject it; the rest are inserted and
        acknowledged with their new seq. The response also carries the
        inbound page after ``cursor`` and is stored for replays. The note, addendum
        and resubmit records inserted move their notes' review state and history
        (:func:`~peerdesk.agency.review_state.review_changes`) in the same
        transaction."""
        at = _iso(now)
        with self._write() as conn:
            order: list[str] = []  # first occurrences, batch order
            candidates: list[Record] = []
            failed: dict[str, Reject] = {}
            seen: set[str] = set()
            for rec in records_in:
                if rec.op_id in seen:
                    continue
                seen.add(rec.op_id)
                order.append(rec.op_id)
                problem = check(rec)
                if problem is None:
                    candidates.append(rec)
                else:
                    failed[rec.op_id] = problem
            # Insert first: the unique key (device, op id) skips what is already stored,
            # so the dedup query below runs only for op ids that were not inserted (a
            # resend, a concurrent worker, or a record the check refused).
            stored = self._insert_records(conn, device_id, batch_id, candidates, at)
            noted = [
                (stored[r.op_id], r.kind, r.entity_id)
                for r in candidates
                if r.kind in NOTE_KINDS and r.op_id in stored
            ]
            missing = [op for op in order if op not in stored]
            if missing:
                stored.update(self._stored_seqs(conn, device_id, missing))
            rejects: list[Reject] = []
            first: set[str] = set()
            for rec in records_in:
                op = rec.op_id
                if op in first:
                    rejects.append(
                        Reject(op, "duplicate_in_batch", "the same op id came twice in this batch")
                    )
                    continue
                first.add(op)
                if op not in stored:
                    rejects.append(failed[op])
            order = [op for op in order if op in stored]
            acks = tuple(Ack(op, stored[op]) for op in order)
            items, more = self._inbound(conn, device_id, cursor, inbound_limit)
            response = SyncResponse(
                batch_id=batch_id,
                acks=acks,
                rejects=tuple(rejects),
                inbound=tuple(Inbound(i.seq, i.kind, i.ref, i.payload) for i in items),
                cursor=items[-1].seq if items else cursor,
                more=more,
            ).encode()
            done = conn.execute(
                update(batches)
                .where(
                    batches.c.device_id == device_id,
                    batches.c.batch_id == batch_id,
                    batches.c.claim == token,
                    batches.c.state == IN_FLIGHT,
                )
                .values(state=DONE, response=response, finished_at=at)
            )
            if done.rowcount != 1:  # our claim was taken over: let the other worker finish
                raise BatchInFlight(batch_id)
            # this locks the device row: the review state below is kept by one batch of
            # this device at a time (each statement then sees the previous one committed)
            conn.execute(
                update(devices).where(devices.c.device_id == device_id).values(last_seen_at=at)
            )
            if noted:
                self._track_reviews(conn, device_id, noted, at)
        return response

    # --- records (review side) --------------------------------------------------------

    def list_records(
        self,
        *,
        kinds: Iterable[str] | None = None,
        device_id: str | None = None,
        pending_only: bool = False,
        after_seq: int = 0,
        limit: int = 100,
        with_sealed: bool = False,
    ) -> list[StoredRecord]:
        """Records in server order (routing metadata; ciphertext if asked).
        ``pending_only`` leaves out the notes that wait for no decision (approved,
        or returned and not resubmitted); other kinds are never decided on."""
        cols = (*_RECORD_META, records.c.sealed) if with_sealed else _RECORD_META
        query = select(*cols).where(records.c.seq > after_seq)
        if kinds is not None:
            query = query.where(records.c.kind.in_(list(kinds)))
        if device_id is not None:
            query = query.where(records.c.device_id == device_id)
        if pending_only:
            query = query.outerjoin(
                note_reviews,
                and_(
                    records.c.kind == "note",
                    note_reviews.c.device_id == records.c.device_id,
                    note_reviews.c.note_id == records.c.entity_id,
                ),
            ).where(or_(note_reviews.c.state.is_(None), note_reviews.c.state.in_(DECIDABLE)))
        query = query.order_by(records.c.seq).limit(limit)
        with self._read() as conn:
            return [_record(r, sealed=with_sealed) for r in conn.execute(query)]

    def record(self, seq: int) -> StoredRecord:
        with self._read() as conn:
            row = conn.execute(
                select(*_RECORD_META, records.c.sealed).where(records.c.seq == seq)
            ).first()
        if row is None:
            raise NotFound("record", str(seq))
        return _record(row, sealed=True)

    def count_records(self, device_id: str | None = None) -> int:
        query = select(func.count()).select_from(records)
        if device_id is not None:
            query = query.where(records.c.device_id == device_id)
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def team_records(
        self, team: str, kinds: Iterable[str], *, after_seq: int = 0, limit: int = 1000
    ) -> tuple[list[StoredRecord], bool]:
        """The records of ``kinds`` from the devices of ``team`` after ``after_seq``,
        in server order, with ciphertext; and whether more wait."""
        kind: ColumnElement[Any] = records.c.kind
        device: ColumnElement[Any] = records.c.device_id
        if self.dialect == "sqlite":
            # ``x || ''`` keeps SQLite off the kind and device indexes: with them it reads
            # and sorts every later record of the team for each page, where a walk in
            # seq order (the primary key) stops after ``limit`` rows; a whole pull then
            # reads each record after the cursor once
            kind, device = kind + "", device + ""
        query = (
            select(*_RECORD_META, records.c.sealed)
            .where(
                records.c.seq > after_seq,
                kind.in_(list(kinds)),
                device.in_(select(devices.c.device_id).where(devices.c.team == team)),
            )
            .order_by(records.c.seq)
            .limit(limit + 1)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [_record(r, sealed=True) for r in rows[:limit]], len(rows) > limit

    # --- review state and decisions ---------------------------------------------------

    def note_review(self, device_id: str, note_id: str) -> NoteReview:
        """The review state of one note; :class:`NotFound` if the agency has no
        record of it."""
        query = select(note_reviews).where(
            note_reviews.c.device_id == device_id, note_reviews.c.note_id == note_id
        )
        with self._read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("note", note_id)
        return NoteReview(row.device_id, row.note_id, row.state, int(row.last_seq), row.updated_at)

    def review_events(
        self, *, team: str | None = None, after_seq: int = 0, limit: int = 1000
    ) -> tuple[list[ReviewEvent], bool]:
        """Review events after ``after_seq`` (of ``team``'s devices, or all), oldest
        first; and whether more wait."""
        query = select(review_events).where(review_events.c.seq > after_seq)
        if team is not None:
            query = query.where(
                review_events.c.device_id.in_(
                    select(devices.c.device_id).where(devices.c.team == team)
                )
            )
        query = query.order_by(review_events.c.seq).limit(limit + 1)
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [_event(r) for r in rows[:limit]], len(rows) > limit

    def note_history(self, device_id: str, note_id: str) -> list[ReviewEvent]:
        """Every review event of one note, oldest first."""
        query = (
            select(review_events)
            .where(review_events.c.device_id == device_id, review_events.c.note_id == note_id)
            .order_by(review_events.c.seq)
        )
        with self._read() as conn:
            return [_event(r) for r in conn.execute(query)]

    def decide(
        self,
        *,
        device_id: str,
        note_id: str,
        decision: str,
        actor: str,
        feedback: bytes,
        now: datetime,
        seen_seq: int | None,
        team: str | None = None,
    ) -> Decision:
        """Record a supervisor's decision on a note, its history event and the sealed
        feedback for the device, together or not at all.

        The checks are in the ``UPDATE``'s ``WHERE`` (one statement, so of two
        supervisors deciding at once exactly one gets through): the note must wait
        for a decision (received or resubmitted: else :class:`AlreadyDecided`) and,
        unless ``seen_seq`` is None, have no record newer than ``seen_seq`` (else
        :class:`NoteChangedSinceRead`). With ``team``, a note of a device outside
        that team is :class:`NotFound`, like a note that does not exist."""
        if decision not in (RETURNED, APPROVED):
            raise ValidationError("decision must be 'approved' or 'returned'", field="decision")
        at = _iso(now)
        key = (note_reviews.c.device_id == device_id, note_reviews.c.note_id == note_id)
        with self._write() as conn:
            if team is not None:
                own = conn.execute(
                    select(devices.c.team).where(devices.c.device_id == device_id)
                ).first()
                if own is None or own.team != team:
                    raise NotFound("note", note_id)
            checks = [*key, note_reviews.c.state.in_(DECIDABLE)]
            if seen_seq is not None:
                checks.append(note_reviews.c.last_seq <= seen_seq)
            done = conn.execute(
                update(note_reviews).where(*checks).values(state=decision, updated_at=at)
            )
            if done.rowcount != 1:
                row = conn.execute(
                    select(note_reviews.c.state, note_reviews.c.last_seq).where(*key)
                ).first()
                if row is None:
                    raise NotFound("note", note_id)
                if row.state not in DECIDABLE:
                    raise AlreadyDecided(device_id, note_id, row.state)
                raise NoteChangedSinceRead(
                    device_id, note_id, seen_seq if seen_seq is not None else 0, int(row.last_seq)
                )
            event_seq = conn.execute(
                sa_insert(review_events)
                .values(
                    device_id=device_id,
                    note_id=note_id,
                    state=decision,
                    at=at,
                    actor=actor[:100],
                    record_seq=None,
                )
                .returning(review_events.c.seq)
            ).scalar_one()
            out_seq = self._queue(conn, device_id, "feedback", note_id, feedback, at)
        return Decision(decision, int(event_seq), out_seq)

    # --- supervisors and grants ---------------------------------------------------------

    def supervisor_by_credential(self, credential_hash: bytes) -> Supervisor | None:
        query = select(supervisors).where(supervisors.c.credential_hash == credential_hash)
        with self._read() as conn:
            row = conn.execute(query).first()
        return _supervisor(row) if row is not None else None

    def supervisor(self, supervisor_id: str) -> Supervisor:
        query = select(supervisors).where(supervisors.c.supervisor_id == supervisor_id)
        with self._read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("supervisor", supervisor_id)
        return _supervisor(row)

    def supervisors(self, *, active_only: bool = False) -> list[Supervisor]:
        """Every supervisor (or only those not removed), in enrollment order."""
        query = select(supervisors).order_by(supervisors.c.enrolled_at, supervisors.c.supervisor_id)
        if active_only:
            query = query.where(supervisors.c.removed_at.is_(None))
        with self._read() as conn:
            return [_supervisor(r) for r in conn.execute(query)]

    def remove_supervisor(
        self, supervisor_id: str, now: datetime, audit: AuditEntry | None = None
    ) -> Supervisor:
        """End a supervisor's access: their credential is refused from now on and
        their review grants are deleted (rotate the review key next, so they cannot
        open what devices seal from then on)."""
        at = _iso(now)
        with self._write() as conn:
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
                sa_delete(review_grants).where(review_grants.c.supervisor_id == supervisor_id)
            )
            self._audit(conn, audit, at)
        return _supervisor(row)

    def _put_grants(
        self, conn: Connection, grants: Sequence[ReviewGrant], at: str, *, strict: bool = True
    ) -> None:
        """Upsert grants. A grant for a removed or unknown supervisor is an error if
        ``strict``, else skipped (a rotation racing a removal)."""
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
        insert = (
            pg_dialect.insert(review_grants)
            if self.dialect == "postgresql"
            else sqlite_dialect.insert(review_grants)
        )
        stmt = insert.on_conflict_do_update(
            index_elements=[review_grants.c.supervisor_id, review_grants.c.key_id],
            set_={"sealed": insert.excluded.sealed, "granted_at": insert.excluded.granted_at},
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

    def put_grants(
        self, grants: Sequence[ReviewGrant], now: datetime, audit: AuditEntry | None = None
    ) -> None:
        """Store review grants (replacing a supervisor's earlier grant of the same
        key). :class:`ValidationError` if a supervisor is removed or unknown."""
        at = _iso(now)
        with self._write() as conn:
            self._put_grants(conn, grants, at, strict=True)
            self._audit(conn, audit, at)

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
        with self._read() as conn:
            return [
                ReviewGrant(r.supervisor_id, r.key_id, bytes(r.sealed), r.granted_at, r.not_after)
                for r in conn.execute(query)
            ]

    # --- admin audit ------------------------------------------------------------------

    def _audit(self, conn: Connection, entry: AuditEntry | None, at: str) -> None:
        if entry is None:
            return
        conn.execute(
            sa_insert(admin_audit).values(
                at=at,
                actor=entry.actor[:100],
                action=entry.action[:32],
                target=entry.target[:100],
                detail=entry.detail[:500],
            )
        )

    def add_audit(self, entry: AuditEntry, now: datetime) -> None:
        """Append one admin action to ``admin_audit`` on its own."""
        with self._write() as conn:
            self._audit(conn, entry, _iso(now))

    def admin_audit(self, *, after_seq: int = 0, limit: int = 1000) -> list[AuditRow]:
        """The admin audit log after ``after_seq``, oldest first."""
        query = (
            select(admin_audit)
            .where(admin_audit.c.seq > after_seq)
            .order_by(admin_audit.c.seq)
            .limit(limit)
        )
        with self._read() as conn:
            return [
                AuditRow(int(r.seq), r.at, r.actor, r.action, r.target, r.detail)
                for r in conn.execute(query)
            ]

    # --- escrow (recovery) ------------------------------------------------------------

    def newest_unused_escrow(self, device_id: str) -> StoredRecord | None:
        query = (
            select(*_RECORD_META, records.c.sealed)
            .where(
                records.c.device_id == device_id,
                records.c.kind == "escrow",
                records.c.used_at.is_(None),
            )
            .order_by(records.c.seq.desc())
            .limit(1)
        )
        with self._read() as conn:
            row = conn.execute(query).first()
        return _record(row, sealed=True) if row is not None else None

    def last_used_escrow_at(self, device_id: str) -> str | None:
        query = select(func.max(records.c.used_at)).where(
            records.c.device_id == device_id, records.c.kind == "escrow"
        )
        with self._read() as conn:
            value = conn.execute(query).scalar()
        return str(value) if value is not None else None

    def mark_escrow_used(self, seq: int, now: datetime, audit: AuditEntry | None = None) -> bool:
        """Mark an escrow record used; False if it was already used (only once)."""
        with self._write() as conn:
            done = conn.execute(
                update(records)
                .where(
                    records.c.seq == seq, records.c.kind == "escrow", records.c.used_at.is_(None)
                )
                .values(used_at=_iso(now))
            )
            if done.rowcount == 1:
                self._audit(conn, audit, _iso(now))
            return done.rowcount == 1
