"""The web console's accounts (``console_admins``) and signed-in sessions
(``console_sessions``).

The one-time and counting steps are conditional updates, so every API worker
shares them through the database: a TOTP step is used at most once
(``UPDATE ... WHERE totp_last_step < step``), failures count up in one statement
and the lock is set in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from peerdesk.agency.models import AuditEntry, ConsoleAccount, ConsoleSession
from peerdesk.agency.storage.audit import append_audit
from peerdesk.agency.storage.db import Database
from peerdesk.agency.tables import console_admins, console_lockouts, console_sessions
from peerdesk.errors import NotFound, ValidationError
from peerdesk.ids import to_iso


def _account(row: Any) -> ConsoleAccount:
    return ConsoleAccount(
        username=row.username,
        role=row.role,
        password=row.password,
        totp_secret=row.totp_secret,
        totp_last_step=int(row.totp_last_step),
        failures=int(row.failures),
        locked_until=row.locked_until,
        created_at=row.created_at,
        removed_at=row.removed_at,
    )


class ConsoleAdmins:
    """``storage.admins``: console accounts and their sessions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- accounts -----------------------------------------------------------------------

    def add(
        self,
        username: str,
        role: str,
        password: str,
        totp_secret: str,
        now: datetime,
        audit: AuditEntry | None = None,
    ) -> None:
        """A new account; :class:`ValidationError` if the name is taken (a removed
        account keeps its name: its actions stay in the audit log under it)."""
        at = to_iso(now)
        try:
            with self._db.write() as conn:
                conn.execute(
                    insert(console_admins).values(
                        username=username,
                        role=role,
                        password=password,
                        totp_secret=totp_secret,
                        created_at=at,
                    )
                )
                append_audit(conn, audit, at)
        except SAIntegrityError:
            raise ValidationError(
                f"there is already a console account {username!r}", field="username"
            ) from None

    def get(self, username: str) -> ConsoleAccount | None:
        row = self._db.first(select(console_admins).where(console_admins.c.username == username))
        return _account(row) if row is not None else None

    def all(self) -> list[ConsoleAccount]:
        rows = self._db.rows(select(console_admins).order_by(console_admins.c.username))
        return [_account(r) for r in rows]

    def remove(self, username: str, now: datetime, audit: AuditEntry | None = None) -> None:
        """The account can no longer sign in; its sessions end now."""
        at = to_iso(now)
        with self._db.write() as conn:
            done = conn.execute(
                update(console_admins)
                .where(console_admins.c.username == username, console_admins.c.removed_at.is_(None))
                .values(removed_at=at)
            )
            if done.rowcount != 1:
                raise NotFound("console account", username)
            conn.execute(delete(console_sessions).where(console_sessions.c.username == username))
            append_audit(conn, audit, at)

    def failed(
        self, username: str, now: datetime, *, max_failures: int, lock_until: datetime
    ) -> bool:
        """Count one failed sign-in; at ``max_failures`` the account is locked until
        ``lock_until`` and the count starts again. Whether it is locked now."""
        with self._db.write() as conn:
            failures = conn.execute(
                update(console_admins)
                .where(console_admins.c.username == username)
                .values(failures=console_admins.c.failures + 1)
                .returning(console_admins.c.failures)
            ).scalar()
            if failures is None or failures < max_failures:
                return False
            conn.execute(
                update(console_admins)
                .where(console_admins.c.username == username)
                .values(failures=0, locked_until=to_iso(lock_until))
            )
        return True

    def succeeded(self, username: str, step: int, *, password: str | None = None) -> bool:
        """Use TOTP time step ``step`` and clear the failures: False (nothing
        changed) when that step or a later one was used already (a replayed code),
        or, given ``password`` (the record checked), when the account was removed
        or its password reset since."""
        where = [console_admins.c.username == username, console_admins.c.totp_last_step < step]
        if password is not None:
            where += [console_admins.c.password == password, console_admins.c.removed_at.is_(None)]
        with self._db.write() as conn:
            done = conn.execute(
                update(console_admins)
                .where(*where)
                .values(totp_last_step=step, failures=0, locked_until=None)
            )
            return done.rowcount == 1

    # --- the lock per (account, address bucket) ----------------------------------------

    def reserve(
        self,
        username: str,
        bucket: str,
        now: datetime,
        *,
        max_failures: int,
        lock_until: datetime,
    ) -> bool:
        """Count one sign-in attempt of ``bucket`` on ``username`` before its
        password is checked: False (nothing counted) while that pair is locked.
        The ``max_failures``-th attempt locks the pair until ``lock_until`` (it is
        itself still checked); a success clears it (:meth:`cleared`). One
        conditional UPDATE, so parallel attempts cannot get past the limit."""
        at = to_iso(now)
        t = console_lockouts
        with self._db.write() as conn:
            conn.execute(
                self._db.insert_ignore(t).values(username=username, bucket=bucket, failures=0)
            )
            failures = conn.execute(
                update(t)
                .where(
                    t.c.username == username,
                    t.c.bucket == bucket,
                    (t.c.locked_until.is_(None)) | (t.c.locked_until <= at),
                )
                .values(failures=t.c.failures + 1, locked_until=None)
                .returning(t.c.failures)
            ).scalar()
            if failures is None:
                return False
            if failures >= max_failures:
                conn.execute(
                    update(t)
                    .where(t.c.username == username, t.c.bucket == bucket)
                    .values(failures=0, locked_until=to_iso(lock_until))
                )
        return True

    def locked(self, username: str, bucket: str, now: datetime) -> bool:
        """Whether ``bucket`` is locked out of ``username`` now."""
        t = console_lockouts
        row = self._db.first(
            select(t.c.locked_until).where(t.c.username == username, t.c.bucket == bucket)
        )
        return row is not None and row.locked_until is not None and row.locked_until > to_iso(now)

    def locked_addresses(self, username: str, now: datetime) -> int:
        """How many address buckets are locked out of ``username`` now."""
        t = console_lockouts
        rows = self._db.rows(
            select(t.c.bucket).where(t.c.username == username, t.c.locked_until > to_iso(now))
        )
        return len(rows)

    def cleared(self, username: str, bucket: str) -> None:
        """A success from ``bucket``: its count and lock start again."""
        t = console_lockouts
        with self._db.write() as conn:
            conn.execute(delete(t).where(t.c.username == username, t.c.bucket == bucket))

    def unlock(self, username: str, now: datetime, audit: AuditEntry | None = None) -> int:
        """Lift every lock and count of the account (``admin unlock``); how many
        addresses were locked."""
        at = to_iso(now)
        t = console_lockouts
        with self._db.write() as conn:
            if (
                conn.execute(
                    select(console_admins.c.username).where(console_admins.c.username == username)
                ).first()
                is None
            ):
                raise NotFound("console account", username)
            locked = conn.execute(
                select(t.c.bucket).where(t.c.username == username, t.c.locked_until > at)
            ).all()
            conn.execute(delete(t).where(t.c.username == username))
            conn.execute(
                update(console_admins)
                .where(console_admins.c.username == username)
                .values(failures=0, locked_until=None)
            )
            append_audit(conn, audit, at)
        return len(locked)

    def reset(
        self,
        username: str,
        password: str,
        totp_secret: str,
        now: datetime,
        audit: AuditEntry | None = None,
    ) -> None:
        """A new password record and TOTP secret (``admin reset``): the locks are
        lifted and every session of the account ends."""
        at = to_iso(now)
        with self._db.write() as conn:
            done = conn.execute(
                update(console_admins)
                .where(console_admins.c.username == username, console_admins.c.removed_at.is_(None))
                .values(
                    password=password,
                    totp_secret=totp_secret,
                    totp_last_step=0,
                    failures=0,
                    locked_until=None,
                )
            )
            if done.rowcount != 1:
                raise NotFound("console account", username)
            conn.execute(delete(console_lockouts).where(console_lockouts.c.username == username))
            conn.execute(delete(console_sessions).where(console_sessions.c.username == username))
            append_audit(conn, audit, at)

    # --- sessions -----------------------------------------------------------------------

    def open_session(
        self,
        id_hash: bytes,
        username: str,
        csrf: str,
        now: datetime,
        *,
        replaces: bytes | None = None,
        expired_before: datetime | None = None,
        audit: AuditEntry | None = None,
    ) -> None:
        """A new signed-in session; ``replaces`` (the id the browser had before)
        is deleted in the same transaction, and so are sessions last used before
        ``expired_before``."""
        at = to_iso(now)
        with self._db.write() as conn:
            if replaces is not None:
                conn.execute(delete(console_sessions).where(console_sessions.c.id_hash == replaces))
            if expired_before is not None:
                conn.execute(
                    delete(console_sessions).where(
                        console_sessions.c.seen_at < to_iso(expired_before)
                    )
                )
            conn.execute(
                insert(console_sessions).values(
                    id_hash=id_hash, username=username, csrf=csrf, created_at=at, seen_at=at
                )
            )
            append_audit(conn, audit, at)

    def session(self, id_hash: bytes) -> ConsoleSession | None:
        """The session with this id hash, if its account still may sign in."""
        query = (
            select(console_sessions, console_admins.c.role)
            .join(console_admins, console_admins.c.username == console_sessions.c.username)
            .where(console_sessions.c.id_hash == id_hash, console_admins.c.removed_at.is_(None))
        )
        row = self._db.first(query)
        if row is None:
            return None
        return ConsoleSession(row.username, row.role, row.csrf, row.created_at, row.seen_at)

    def touch(self, id_hash: bytes, now: datetime) -> None:
        with self._db.write() as conn:
            conn.execute(
                update(console_sessions)
                .where(console_sessions.c.id_hash == id_hash)
                .values(seen_at=to_iso(now))
            )

    def end_session(
        self, id_hash: bytes, now: datetime | None = None, audit: AuditEntry | None = None
    ) -> bool:
        """Delete the session (sign-out, a timeout); whether there was one."""
        with self._db.write() as conn:
            done = conn.execute(
                delete(console_sessions).where(console_sessions.c.id_hash == id_hash)
            )
            if done.rowcount and now is not None:
                append_audit(conn, audit, to_iso(now))
            return bool(done.rowcount)

    def session_count(self, username: str | None = None) -> int:
        query = select(console_sessions.c.id_hash)
        if username is not None:
            query = query.where(console_sessions.c.username == username)
        return len(self._db.rows(query))


def is_locked(account: ConsoleAccount, now: datetime) -> bool:
    return account.locked_until is not None and account.locked_until > to_iso(now)


__all__ = ["ConsoleAdmins", "is_locked"]
