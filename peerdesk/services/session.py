"""A :class:`Session` is one open profile, and only the composition root.

It opens and migrates the database before anything else, unlocks and locks the
vault, knows the profile's role, and hands out the capability services
(``participants``, ``record``, ``appointments``, ``groups``, ``notes``, ``trips``, ``directory``, ``reports``, ``review``,
``link``, ``maintenance``). The database, the vault, the outbox, the audit log
and the device store are private to it and reach the services through their
constructors; the services' repositories refuse to work while the vault is
locked (:class:`VaultLocked`).
"""

from __future__ import annotations

import logging
import sqlite3
from functools import cached_property
from pathlib import Path

from peerdesk.config import Policy
from peerdesk.crypto.vault import Vault
from peerdesk.errors import Msg, StorageError
from peerdesk.link.enrollment import renew_recovery
from peerdesk.services.appointments import AppointmentsService
from peerdesk.services.directory import DirectoryService
from peerdesk.services.groups import GroupsService
from peerdesk.services.link import LinkService
from peerdesk.services.maintenance import MaintenanceService
from peerdesk.services.notes import NotesService
from peerdesk.services.participants import ParticipantsService
from peerdesk.services.record import RecordService
from peerdesk.services.reports import ReportsService
from peerdesk.services.review import ReviewService
from peerdesk.services.stores import Stores
from peerdesk.services.trips import TripsService
from peerdesk.services.workforce import WorkforceService
from peerdesk.store.db import open_database, translate_errors
from peerdesk.store.health import refuse_if_too_new
from peerdesk.store.migrations import migrate

log = logging.getLogger(__name__)

VAULT_FILE = "vault.json"
DB_FILE = "peerdesk.db"


class Session:
    def __init__(self, name: str, path: Path, vault: Vault, policy: Policy) -> None:
        self.name = name
        self.path = path
        self.policy = policy
        self._vault = vault
        db_path = path / DB_FILE
        refuse_if_too_new(db_path)
        self._db = open_database(db_path)
        try:
            with translate_errors(Msg("prepare the database")):
                self._applied_now = migrate(self._db)
        except BaseException:
            self._db.close()
            raise
        self._stores = Stores.open(name, path, policy, self._db, vault)
        self._audit = self._stores.audit
        self._device = self._stores.device
        self._outbox = self._stores.outbox
        self.closed = False
        #: the profile was created by this session (ProfileManager.create): the
        #: desktop offers to connect it to the agency right away
        self.created_now = False

    def __repr__(self) -> str:
        return f"<Session {self.name!r}{' closed' if self.closed else ''}>"

    # -- the profile -------------------------------------------------------------------

    @property
    def role(self) -> str:
        """``"peer"`` or ``"supervisor"`` (readable while locked)."""
        return self._stores.role

    @property
    def is_unlocked(self) -> bool:
        return self._vault.is_unlocked

    def retry_after(self) -> float:
        """Seconds until the next unlock attempt is allowed (0: now)."""
        return float(self._vault.retry_after())

    def unlock(self, passphrase: str) -> None:
        self._vault.unlock(passphrase)
        failures = self._vault.take_unaudited_failures()
        try:
            with translate_errors(Msg("record the unlock")), self._db.atomic():
                for when in failures:
                    self._audit.append("unlock_failed", failed_at=when.replace("+00:00", "Z"))
                self._audit.append("unlock")
            self._audit.checkpoint()
        except BaseException:
            # An unlock that cannot be audited did not happen: drop the keys again.
            self._vault.lock()
            raise
        self._vault.clear_unaudited_failures()
        log.info("profile unlocked (%d failed attempts before)", len(failures))

    def lock(self) -> None:
        """Drop the keys. Always locks, even when the audit row cannot be written
        (disk full, read-only): locking must never fail."""
        try:
            if self._vault.is_unlocked:
                self._audit.append("lock")
                self._audit.checkpoint()
        except StorageError as exc:
            log.warning("lock not audited: %s", type(exc).__name__)
        finally:
            self._vault.lock()

    def change_passphrase(self, old: str, new: str) -> None:
        self._vault.change_passphrase(old, new, context_words=(self.name,))
        self._audit.append("passphrase_changed")

    def close(self) -> None:
        """Record the audit head, drop the keys, close the database. Never raises."""
        try:
            if self._vault.is_unlocked:
                self._audit.checkpoint()
        except (StorageError, sqlite3.Error) as exc:
            log.warning("audit head not recorded at close: %s", type(exc).__name__)
        finally:
            self.closed = True
            self._vault.lock()
            self._db.close()

    # -- the services ------------------------------------------------------------------

    @cached_property
    def participants(self) -> ParticipantsService:
        return ParticipantsService(self._stores)

    @cached_property
    def record(self) -> RecordService:
        return RecordService(self._stores)

    @cached_property
    def appointments(self) -> AppointmentsService:
        return AppointmentsService(self._stores)

    @cached_property
    def groups(self) -> GroupsService:
        return GroupsService(self._stores)

    @cached_property
    def notes(self) -> NotesService:
        return NotesService(self._stores)

    @cached_property
    def trips(self) -> TripsService:
        return TripsService(self._stores)

    @cached_property
    def directory(self) -> DirectoryService:
        return DirectoryService(self._stores)

    @cached_property
    def reports(self) -> ReportsService:
        return ReportsService(self._stores)

    @cached_property
    def review(self) -> ReviewService:
        return ReviewService(self._stores)

    @cached_property
    def link(self) -> LinkService:
        return LinkService(self._stores)

    @cached_property
    def workforce(self) -> WorkforceService:
        return WorkforceService(self._stores)

    @cached_property
    def maintenance(self) -> MaintenanceService:
        return MaintenanceService(self._stores)

    # -- for ProfileManager ------------------------------------------------------------

    def _start(self, role: str, kdf_iterations: int) -> None:
        """A new profile: its role and its first audit row."""
        if role != self._stores.role:
            self._stores.info.set_role(role)
        self._audit.append("profile_created", kdf_iterations=kdf_iterations, role=role)
        self.created_now = True

    def _record_recovery(self, escrow_id: str) -> None:
        failures = self._vault.take_unaudited_failures()
        with translate_errors(Msg("record the recovery")), self._db.atomic():
            for when in failures:
                self._audit.append("unlock_failed", failed_at=when.replace("+00:00", "Z"))
            self._audit.append("recovery", escrow_id=escrow_id)
        self._audit.checkpoint()
        self._vault.clear_unaudited_failures()
        if self._device.get() is not None:
            renew_recovery(self._db, self._vault, self._device, self._stores.queue)
        log.info("profile recovered with a recovery code")
