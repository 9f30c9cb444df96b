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
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx

from peerdesk.config import Policy, Provisioning, check_agency_url, data_root
from peerdesk.crypto import passphrase as passphrase_policy
from peerdesk.crypto import recovery
from peerdesk.crypto.envelope import MAGIC, OVERHEAD, VERSION, looks_like_envelope
from peerdesk.crypto.kdf import KdfParams, calibrate
from peerdesk.crypto.vault import Vault
from peerdesk.domain.directory import UpdateResult
from peerdesk.domain.models import Note, NoteState
from peerdesk.errors import (
    AuditChainBroken,
    CorruptData,
    ProfileExists,
    ProfileNotFound,
    StorageError,
    StorageUnavailable,
    ValidationError,
    VaultLocked,
)
from peerdesk.fsutil import atomic_write
from peerdesk.ids import new_id, to_iso
from peerdesk.interop import hsds
from peerdesk.resources import resource_path
from peerdesk.review.api import PEER, ReviewAPI, check_role
from peerdesk.store.audit import AuditLog
from peerdesk.store.base import ReadResult
from peerdesk.store.db import open_database, translate_errors
from peerdesk.store.device import DeviceRecord, DeviceStore
from peerdesk.store.directory import DirectoryStore
from peerdesk.store.migrations import check_not_too_new, known_names, migrate, migrations
from peerdesk.store.notes import NotePage, NoteRepo
from peerdesk.store.outbox import Outbox
from peerdesk.store.participants import ParticipantRepo
from peerdesk.store.referrals import CorrectionRepo, ReferralRepo
from peerdesk.store.sync_state import (
    Feedback,
    FeedbackStore,
    QuarantinedItem,
    SyncLog,
    SyncQueue,
    SyncRun,
)
from peerdesk.store.trips import TripRepo
from peerdesk.sync.client import AgencyClient, PingInfo
from peerdesk.sync.directory_updates import apply_directory_update
from peerdesk.sync.engine import SyncEvent, SyncOptions, SyncParts, run_sync
from peerdesk.sync.enrollment import enroll_device, ensure_recovery, renew_recovery
from peerdesk.sync.protocol import SyncResponse
from peerdesk.sync.status import SyncStatus, read_status

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
#: the same for the sync tables (migration 0006); often empty, so kept apart
SYNC_SENSITIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "device": ("label", "sign_key", "box_key", "credential"),
    "recovery_escrow": ("secret",),
    "feedback": ("comment", "reviewer"),
}
#: the same for referrals and suggested corrections (migration 0007)
DIRECTORY_SENSITIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "referrals": ("details",),
    "corrections": ("suggestion",),
}
#: the same for a supervisor's review cache (migration 0008)
REVIEW_SENSITIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "review_items": ("summary",),
    "review_payloads": ("payload",),
    "review_participants": ("name",),
    "review_events": ("actor",),
    "review_decisions": ("comment", "reviewer"),
}
#: the demo directory imported into an empty profile (``Session.seed_directory_if_empty``)
SEED_DIRECTORY = resource_path("directory", "seed.json")
#: the profile's sync preferences (plain JSON: nothing sensitive goes in it)
SYNC_SETTINGS_FILE = "sync-settings.json"
#: how long the cheap agency probe may take, in seconds
PING_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """Sync preferences of one profile, kept in ``sync-settings.json`` in the
    profile folder. Only switches live here, never a name, key or address."""

    #: sync by itself also when the connection is metered (mobile data)
    sync_on_metered: bool = False

    def to_json(self) -> bytes:
        return json.dumps({"sync_on_metered": self.sync_on_metered}, indent=2).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> SyncSettings:
        """Read what :meth:`to_json` wrote; unknown or malformed values fall back to
        the defaults (a settings file never stops the app)."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        metered = data.get("sync_on_metered")
        return cls(sync_on_metered=metered if isinstance(metered, bool) else False)


@dataclass(frozen=True, slots=True)
class AgencyEndpoint:
    """Where the enrolled agency is and how to trust it (public; for the probe)."""

    name: str
    url: str
    ca_pem: str | None = field(default=None, repr=False)


def ping_agency(
    endpoint: AgencyEndpoint,
    *,
    timeout_s: float = PING_TIMEOUT_S,
    transport: httpx.BaseTransport | None = None,
) -> PingInfo:
    """``GET /v1/ping`` with a short timeout: does the agency answer? Touches no
    profile, so it runs on the network pool. Raises :class:`AgencyUnreachable`
    (or another :class:`SyncError`) when it does not."""
    with AgencyClient(
        endpoint.url,
        ca_pem=endpoint.ca_pem,
        transport=transport,
        timeouts=httpx.Timeout(timeout_s),
    ) as client:
        return client.ping()


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

    def create(
        self,
        name: str,
        passphrase: str,
        *,
        kdf_params: KdfParams | None = None,
        role: str = PEER,
    ) -> Session:
        """Create a profile and return it open and unlocked. ``role`` is ``"peer"``
        (a peer specialist's laptop) or ``"supervisor"`` (review and reports; no
        participants or notes of its own); it cannot be changed later."""
        check_role(role)
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
        try:
            if role != PEER:
                session._set_role(role)
            session.audit.append("profile_created", kdf_iterations=params.iterations, role=role)
        except BaseException:
            session.close()
            raise
        return session

    def open(self, name: str) -> Session:
        """Open a profile, locked. Migrates its database first."""
        path = self.path_of(name)
        if not (path / VAULT_FILE).is_file():
            raise ProfileNotFound(f"there is no profile named {name!r}")
        vault = Vault.open(path / VAULT_FILE, self.policy.vault)
        return Session(name, path, vault, self.policy)

    def recover(self, name: str, code: str, new_passphrase: str) -> Session:
        """Set a new passphrase with a one-time recovery code from IT and return the
        profile open and unlocked. The code's vault slot is deleted (a code works
        once), failed attempts are reset, the recovery is audited and, if the
        profile is enrolled, a new recovery secret is queued for escrow.

        :class:`ValidationError` for a mistyped code or one that does not open
        this profile (``field="recovery_code"``), :class:`PassphrasePolicyError`
        for a weak new passphrase, :class:`ProfileWiped` for an erased profile.
        """
        path = self.path_of(name)
        if not (path / VAULT_FILE).is_file():
            raise ProfileNotFound(f"there is no profile named {name!r}")
        secret = recovery.decode_code(code)
        vault = Vault.open(path / VAULT_FILE, self.policy.vault)
        used = vault.recover(secret, new_passphrase, context_words=(name,))
        session = Session(name, path, vault, self.policy)
        try:
            session._record_recovery(used)
        except BaseException:
            session.close()
            raise
        return session


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


class Session(ReviewAPI):
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
        self.device = DeviceStore(self.db, vault)
        self.sync_queue = SyncQueue(self.db)
        self.sync_log = SyncLog(self.db)
        self.feedback = FeedbackStore(self.db, vault)
        #: Held by whoever uses the connection: the UI's DB thread for each job, and a
        #: sync run except while it waits for the network (see :meth:`sync`), so a slow
        #: link never holds up autosave.
        self.db_guard = threading.Lock()
        self.closed = False

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
            self.closed = True
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
        for table, columns in {
            **SENSITIVE_COLUMNS,
            **SYNC_SENSITIVE_COLUMNS,
            **DIRECTORY_SENSITIVE_COLUMNS,
            **REVIEW_SENSITIVE_COLUMNS,
        }.items():
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

    # -- agency: enrollment, sync, recovery ------------------------------------------------

    def enroll(
        self,
        provisioning: Provisioning,
        code: str | None = None,
        label: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> DeviceRecord:
        """Enroll this profile with the agency of ``provisioning`` using a one-time
        code (default: the one in the provisioning file). Needs the vault unlocked.
        A supervisor profile enrolls with :meth:`enroll_supervisor` instead."""
        self._require(PEER, "enrolling a field laptop")
        code = code if code is not None else provisioning.enrollment_code
        if not code:
            raise ValidationError("type the enrollment code IT gave you", field="code")
        with AgencyClient(
            provisioning.agency_url, ca_pem=provisioning.ca_cert_pem, transport=transport
        ) as client:
            return enroll_device(
                db=self.db,
                vault=self.vault,
                device=self.device,
                queue=self.sync_queue,
                audit=self.audit,
                client=client,
                provisioning=provisioning,
                code=code,
                label=label if label is not None else f"{self.name} (PeerDesk)",
            )

    def sync(
        self,
        options: SyncOptions | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        guarded: bool = False,
    ) -> Iterator[SyncEvent]:
        """One sync run as a generator of progress events (see
        :func:`peerdesk.sync.engine.run_sync`); run it on a worker, not the GUI thread.

        With ``guarded`` (the desktop app) the run holds :attr:`db_guard` while it
        touches the profile and lets go of it while it waits for the network or
        backs off, so other work on the profile goes on during a slow sync.
        A supervisor profile pulls with :meth:`review_pull` instead."""
        self._require(PEER, "syncing a field laptop")
        if not guarded:
            yield from self._sync(options, transport, sleep, clock, rng, None)
            return
        with self.db_guard:
            yield from self._sync(options, transport, sleep, clock, rng, self.db_guard)

    def _sync(
        self,
        options: SyncOptions | None,
        transport: httpx.BaseTransport | None,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        rng: random.Random | None,
        guard: threading.Lock | None,
    ) -> Iterator[SyncEvent]:
        ensure_recovery(db=self.db, vault=self.vault, device=self.device, queue=self.sync_queue)
        record = self.device.require()
        with AgencyClient(
            record.agency_url,
            ca_pem=record.ca_pem,
            credential=self.device.secrets().credential,
            transport=transport,
        ) as agency:
            client: Any = agency if guard is None else _ReleasingClient(agency, guard, self)
            if guard is not None:
                sleep = client.releasing(sleep)
            yield from run_sync(
                SyncParts(
                    db=self.db,
                    vault=self.vault,
                    device=self.device,
                    queue=self.sync_queue,
                    log=self.sync_log,
                    feedback=self.feedback,
                    participants=self.participants,
                    notes=self.notes,
                    trips=self.trips,
                    audit=self.audit,
                    directory=self.directory,
                    referrals=self.referrals,
                    corrections=self.corrections,
                ),
                client,
                options,
                sleep=sleep,
                clock=clock,
                rng=rng,
            )

    def sync_status(self) -> SyncStatus:
        """Enrollment, last success, last attempt and its error, pending and
        quarantined counts. Works while locked."""
        return read_status(self.device, self.sync_log, self.sync_queue)

    def sync_history(self, limit: int = 20) -> list[SyncRun]:
        return self.sync_log.history(limit)

    def quarantine(self) -> list[QuarantinedItem]:
        """Records the agency (or this laptop) refused, with the reason."""
        return self.sync_queue.quarantined()

    def retry_quarantined(self, op_ids: Iterable[str] | None = None) -> int:
        """Put quarantined records (all when ``op_ids`` is None) back in the queue."""
        return self.sync_queue.retry(op_ids)

    def feedback_for(self, note_id: str) -> ReadResult[Feedback]:
        """The supervisor's decisions on a note, oldest first (vault unlocked)."""
        return self.feedback.for_note(note_id)

    def agency_endpoint(self) -> AgencyEndpoint | None:
        """The enrolled agency's name, address and CA (None if not enrolled).
        Works while locked: nothing here is secret."""
        record = self.device.get()
        if record is None:
            return None
        return AgencyEndpoint(record.agency_name, record.agency_url, record.ca_pem)

    def update_agency_url(self, provisioning: Provisioning) -> bool:
        """Take the agency address from a new provisioning file of the *same* agency
        (the same pinned root key id; anything else is a :class:`ValidationError`
        with ``field="provisioning"``). True if the address changed. The device
        keys, credential and cursor stay as they are."""
        url = check_agency_url(provisioning.agency_url)
        changed: bool = self.device.update_agency_url(url, provisioning.root_key_id)
        if changed and self.vault.is_unlocked:
            self.audit.append("sync", kind="agency_url_changed")
        return changed

    @property
    def sync_settings_path(self) -> Path:
        return self.path / SYNC_SETTINGS_FILE

    def sync_settings(self) -> SyncSettings:
        """This profile's sync preferences (the policy's when none were saved). A
        setting the agency locked (``policy.locked``) is the policy's, whatever
        the profile's file says."""
        from_policy = SyncSettings(sync_on_metered=self.policy.sync_on_metered)
        if self.policy.is_locked("metered_sync"):
            return from_policy
        try:
            raw = self.sync_settings_path.read_bytes()
        except FileNotFoundError:
            return from_policy
        except OSError as exc:
            log.warning("sync settings not read: %s", type(exc).__name__)
            return from_policy
        return SyncSettings.from_json(raw)

    def save_sync_settings(self, settings: SyncSettings) -> None:
        """Save the sync preferences (atomic; a plain file, nothing sensitive).
        :class:`ValidationError` (``field="sync_on_metered"``) when the agency
        locked that setting to another value."""
        if (
            self.policy.is_locked("metered_sync")
            and settings.sync_on_metered != self.policy.sync_on_metered
        ):
            raise ValidationError(
                "the agency has locked the metered-connection setting", field="sync_on_metered"
            )
        atomic_write(self.sync_settings_path, settings.to_json())

    # -- resource directory, referrals, corrections -------------------------------------

    @cached_property
    def directory(self) -> DirectoryStore:
        """The resource directory: search, crisis lines, signed updates. Public
        data, so it works while the vault is locked."""
        return DirectoryStore(self.db)

    @cached_property
    def referrals(self) -> ReferralRepo:
        return ReferralRepo(self.db, self.vault, self.outbox)

    @cached_property
    def corrections(self) -> CorrectionRepo:
        return CorrectionRepo(self.db, self.vault, self.outbox)

    def seed_directory_if_empty(self, path: Path | None = None) -> int:
        """Import the demo directory (``resources/directory/seed.json``, or the HSDS
        JSON file or CSV folder at ``path``) when this profile has no directory
        entries yet; call it after the first unlock. Returns the number of services
        imported, 0 when the directory was not empty."""
        if not self.directory.is_empty():
            return 0
        dataset = hsds.load(path or SEED_DIRECTORY)
        return self.directory.import_dataset(dataset, version=0, source="seed")

    def apply_directory_update(self, blob: bytes, trusted: Mapping[str, bytes]) -> UpdateResult:
        """Verify a signed directory snapshot or delta (``trusted``: key id ->
        Ed25519 public key, e.g. ``trusted_signers(bundle)``) and apply it in one
        transaction; see :mod:`peerdesk.sync.directory_updates`."""
        return apply_directory_update(self.directory, blob, trusted)

    def _record_recovery(self, escrow_id: str) -> None:
        failures = self.vault.take_unaudited_failures()
        with translate_errors("record the recovery"), self.db.atomic():
            for when in failures:
                self.audit.append("unlock_failed", failed_at=when.replace("+00:00", "Z"))
            self.audit.append("recovery", escrow_id=escrow_id)
        self.audit.checkpoint()
        self.vault.clear_unaudited_failures()
        if self.device.get() is not None:
            renew_recovery(db=self.db, vault=self.vault, device=self.device, queue=self.sync_queue)
        log.info("profile recovered with a recovery code")


def notes_for_day(session: Session, start: datetime, end: datetime) -> ReadResult[Note]:
    """The notes a peer's day is about: every draft, whatever its date (drafts are
    the to-do list), and every note signed in ``[start, end)`` (aware datetimes,
    usually local midnight to midnight). Newest contact first, with addenda.

    Reads only the rows it returns (an indexed look-up by state plus a range on
    ``signed_at``), never all signed notes. A record that does not decrypt is
    listed in ``damaged``; a failure of the query itself raises as usual.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationError("the day's start and end need a time zone", field="time")
    with translate_errors("read the notes of the day", writing=False):
        ids = [
            str(row[0])
            for row in session.db.execute(
                "SELECT id FROM notes WHERE state = ? OR (signed_at >= ? AND signed_at < ?)"
                " ORDER BY start_at DESC, id",
                (NoteState.DRAFT.value, to_iso(start), to_iso(end)),
            ).fetchall()
        ]
    result: ReadResult[Note] = ReadResult()
    for note_id in ids:
        try:
            result.items.append(session.notes.get(note_id))
        except CorruptData as exc:
            result.damaged.append(exc)
    return result


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
    "AgencyEndpoint",
    "DoctorReport",
    "NotePage",
    "ProfileManager",
    "Session",
    "SyncSettings",
    "assess_passphrase",
    "known_names",
    "looks_like_envelope",
    "notes_for_day",
    "ping_agency",
]


class _ReleasingClient:
    """An :class:`AgencyClient` that lets go of the session's DB guard while it
    waits for the network, and stops the run if the profile was closed meanwhile."""

    def __init__(self, client: AgencyClient, guard: threading.Lock, session: Session) -> None:
        self._client = client
        self._guard = guard
        self._session = session

    @property
    def bytes_received(self) -> int:
        return self._client.bytes_received

    def releasing(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            self._guard.release()
            try:
                return fn(*args)
            finally:
                self._guard.acquire()
                if self._session.closed or not self._session.vault.is_unlocked:
                    raise VaultLocked("the profile was locked during sync; it resumes next time")

        return call

    def sync(self, body: bytes) -> SyncResponse:
        result: SyncResponse = self.releasing(self._client.sync)(body)
        return result

    def bundle(self) -> bytes:
        result: bytes = self.releasing(self._client.bundle)()
        return result
