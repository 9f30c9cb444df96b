"""The service API: what the UI and the CLI call. No SQL or crypto leaks out.

:class:`ProfileManager` lists, creates and opens profiles (one directory per
user of the laptop). A :class:`Session` is one open profile: it migrates the
database before anything else, unlocks and locks the vault, and hands out the
repositories, which refuse to work while locked (:class:`VaultLocked`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from peerdesk.config import Policy, data_root
from peerdesk.crypto import passphrase as passphrase_policy
from peerdesk.crypto.envelope import MAGIC, OVERHEAD, VERSION, looks_like_envelope
from peerdesk.crypto.kdf import KdfParams, calibrate
from peerdesk.crypto.vault import Vault
from peerdesk.errors import (
    AuditChainBroken,
    CorruptData,
    ProfileExists,
    ProfileNotFound,
    StorageError,
    StorageUnavailable,
    ValidationError,
)
from peerdesk.fsutil import atomic_write
from peerdesk.ids import new_id
from peerdesk.store.audit import AuditLog
from peerdesk.store.db import open_database, translate_errors
from peerdesk.store.migrations import check_not_too_new, known_names, migrate, migrations
from peerdesk.store.notes import NoteRepo
from peerdesk.store.outbox import Outbox
from peerdesk.store.participants import ParticipantRepo
from peerdesk.store.trips import TripRepo

log = logging.getLogger(__name__)

PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._\-]{0,63}$")
VAULT_FILE = "vault.json"
DB_FILE = "peerdesk.db"
#: columns that must only ever hold envelopes (checked by ``doctor`` and tests)
SENSITIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "participants": ("display_name", "profile"),
    "notes": ("body", "goals"),
    "addenda": ("text",),
    "trips": ("destination", "notes"),
}

assess_passphrase = passphrase_policy.assess


def validate_profile_name(name: str) -> str:
    name = name.strip()
    if not PROFILE_NAME.match(name) or name.endswith("."):
        raise ValidationError(
            "a profile name has 1-64 letters, digits, spaces, '.', '_' or '-'", field="name"
        )
    return name


class ProfileManager:
    def __init__(self, root: Path | None = None, policy: Policy | None = None) -> None:
        self.root = (root or data_root()) / "profiles"
        self.policy = policy or Policy()

    def list_profiles(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / VAULT_FILE).is_file())

    def path_of(self, name: str) -> Path:
        return self.root / validate_profile_name(name)

    def create(self, name: str, passphrase: str, *, kdf_params: KdfParams | None = None) -> Session:
        """Create a profile and return it open and unlocked."""
        path = self.path_of(name)
        if (path / VAULT_FILE).exists():
            raise ProfileExists(f"a profile named {name!r} already exists")
        # Check the passphrase before any folder or slow calibration happens.
        passphrase_policy.check_new_passphrase(passphrase, (name,))
        try:
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StorageUnavailable(
                f"cannot create the profile folder {path}: {exc.strerror}"
            ) from None
        params = kdf_params or calibrate(self.policy.kdf_target_s)
        vault = Vault.create(
            path / VAULT_FILE,
            passphrase,
            profile_id=new_id(),
            kdf_params=params,
            policy=self.policy.vault,
            context_words=(name,),
        )
        session = Session(name, path, vault, self.policy)
        session.audit.append("profile_created", kdf_iterations=params.iterations)
        return session

    def open(self, name: str) -> Session:
        """Open a profile, locked. Migrates its database first."""
        path = self.path_of(name)
        if not (path / VAULT_FILE).is_file():
            raise ProfileNotFound(f"there is no profile named {name!r}")
        vault = Vault.open(path / VAULT_FILE, self.policy.vault)
        return Session(name, path, vault, self.policy)


@dataclass(slots=True)
class DoctorReport:
    integrity: str
    schema_applied: list[str]
    schema_pending: list[str]
    audit_rows: int | None = None
    audit_error: str | None = None
    damaged_records: list[str] = field(default_factory=list)
    plaintext_columns: list[str] = field(default_factory=list)
    #: checks that could not run because the database could not be read, each a
    #: sentence with the reason (a locked vault is not a reason to list here)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok"
            and not self.schema_pending
            and self.audit_error is None
            and not self.damaged_records
            and not self.plaintext_columns
            and not self.skipped
        )


def _refuse_if_too_new(db_path: Path) -> None:
    """Look at an existing database read-only, so a file from a newer version is
    not modified in any way before :class:`SchemaTooNew` is raised."""
    if not db_path.exists():
        return
    from sqlite_utils import Database

    try:
        conn = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StorageUnavailable(f"cannot open {db_path}: {exc}") from None
    try:
        with translate_errors("read the profile database"):
            check_not_too_new(Database(conn, execute_plugins=False, recursive_triggers=False))
    finally:
        conn.close()


class Session:
    def __init__(self, name: str, path: Path, vault: Vault, policy: Policy) -> None:
        self.name = name
        self.path = path
        self.vault = vault
        self.policy = policy
        db_path = path / DB_FILE
        _refuse_if_too_new(db_path)
        self.db = open_database(db_path)
        try:
            with translate_errors("prepare the database"):
                self.applied_now = migrate(self.db)
        except BaseException:
            self.db.close()
            raise
        self.outbox = Outbox(self.db)
        self.audit = AuditLog(self.db, vault)
        self.participants = ParticipantRepo(self.db, vault, self.outbox)
        self.notes = NoteRepo(self.db, vault, self.outbox, self.audit)
        self.trips = TripRepo(self.db, vault, self.outbox)

    # -- vault -------------------------------------------------------------------------

    @property
    def is_unlocked(self) -> bool:
        return self.vault.is_unlocked

    def unlock(self, passphrase: str) -> None:
        self.vault.unlock(passphrase)
        failures = self.vault.take_unaudited_failures()
        try:
            with translate_errors("record the unlock"), self.db.atomic():
                for when in failures:
                    self.audit.append("unlock_failed", failed_at=when.replace("+00:00", "Z"))
                self.audit.append("unlock")
            self.audit.checkpoint()
        except BaseException:
            # An unlock that cannot be audited did not happen: drop the keys again.
            self.vault.lock()
            raise
        self.vault.clear_unaudited_failures()
        log.info("profile unlocked (%d failed attempts before)", len(failures))

    def lock(self) -> None:
        """Drop the keys. Always locks, even when the audit row cannot be written
        (disk full, read-only): locking must never fail."""
        try:
            if self.vault.is_unlocked:
                self.audit.append("lock")
                self.audit.checkpoint()
        except StorageError as exc:
            log.warning("lock not audited: %s", type(exc).__name__)
        finally:
            self.vault.lock()

    def change_passphrase(self, old: str, new: str) -> None:
        self.vault.change_passphrase(old, new, context_words=(self.name,))
        self.audit.append("passphrase_changed")

    def close(self) -> None:
        """Record the audit head, drop the keys, close the database. Never raises."""
        try:
            if self.vault.is_unlocked:
                self.audit.checkpoint()
        except (StorageError, sqlite3.Error) as exc:
            log.warning("audit head not recorded at close: %s", type(exc).__name__)
        finally:
            self.vault.lock()
            self.db.close()

    # -- maintenance ---------------------------------------------------------------------

    def doctor(self) -> DoctorReport:
        """Check the file, the schema, the encryption of sensitive columns and, when
        unlocked, the audit chain and every record.

        Never raises for a damaged or unreadable database: that is what it is for.
        If ``PRAGMA integrity_check`` itself fails, ``integrity`` says why and the
        other checks are listed in ``skipped``; a later check that cannot read its
        table is listed in ``skipped`` (or, for records, ``damaged_records``) and
        the remaining checks still run.
        """
        try:
            with translate_errors("run the integrity check", writing=False):
                lines = self.db.execute("PRAGMA integrity_check").fetchall()
        except StorageError as exc:
            return DoctorReport(
                integrity=str(exc),
                schema_applied=[],
                schema_pending=[],
                skipped=[
                    "schema, encryption, audit chain and record checks: not run, "
                    "because the integrity check could not read the database"
                ],
            )
        report = DoctorReport(
            integrity="; ".join(str(r[0]) for r in lines), schema_applied=[], schema_pending=[]
        )
        try:
            with translate_errors("read the schema version", writing=False):
                report.schema_applied = [m.name for m in migrations.applied(self.db)]
                report.schema_pending = [m.name for m in migrations.pending(self.db)]
        except StorageError as exc:
            report.skipped.append(str(exc))
        for table, columns in SENSITIVE_COLUMNS.items():
            for column in columns:
                try:
                    with translate_errors(f"check {table}.{column} for plaintext", writing=False):
                        # The same test as looks_like_envelope: blob, magic, version, length.
                        bad = self.db.execute(
                            f"SELECT count(*) FROM {table} WHERE typeof({column}) != 'blob'"
                            f" OR substr({column}, 1, 3) != ? OR length({column}) < ?",
                            (MAGIC + bytes([VERSION]), OVERHEAD),
                        ).fetchone()[0]
                except StorageError as exc:
                    report.skipped.append(str(exc))
                    continue
                if bad:
                    report.plaintext_columns.append(f"{table}.{column}: {bad} row(s)")
        if self.vault.is_unlocked:
            try:
                with translate_errors("verify the audit chain", writing=False):
                    report.audit_rows = self.audit.verify()
            except AuditChainBroken as exc:
                report.audit_error = str(exc)
            except StorageError as exc:
                report.skipped.append(str(exc))
            listers = (
                lambda: self.participants.list(include_inactive=True),
                lambda: self.notes.list(with_addenda=True),
                self.trips.list,
            )
            for lister in listers:
                try:
                    result = lister()
                except CorruptData as exc:
                    # The table itself could not be read, not just one record.
                    report.damaged_records.append(str(exc))
                except StorageError as exc:
                    report.skipped.append(str(exc))
                else:
                    report.damaged_records.extend(str(e) for e in result.damaged)
        return report

    def export_json(self, target: Path) -> int:
        """Write every record, decrypted, to ``target`` (0600, atomic). The caller
        must have warned the user; the export is audited. Returns the count."""
        participants = self.participants.list(include_inactive=True)
        notes = self.notes.list(with_addenda=True)
        trips = self.trips.list()
        data = {
            "warning": "Decrypted PeerDesk export. Contains protected health information; "
            "42 CFR Part 2 and HIPAA apply. Store encrypted, delete when done.",
            "profile": self.name,
            "participants": [_plain(p) for p in participants.items],
            "notes": [_plain(n) for n in notes.items],
            "trips": [_plain(t) for t in trips.items],
            "damaged": [str(e) for e in participants.damaged + notes.damaged + trips.damaged],
        }
        count = len(participants.items) + len(notes.items) + len(trips.items)
        payload = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
        old_umask = os.umask(0o077)
        try:
            atomic_write(target, payload)
        finally:
            os.umask(old_umask)
        self.audit.append("export", format="json", records=count)
        return count


def _plain(obj: Any) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        return value

    return convert(asdict(obj))


__all__ = [
    "DoctorReport",
    "ProfileManager",
    "Session",
    "assess_passphrase",
    "known_names",
    "looks_like_envelope",
]
