"""The key vault of one profile: passphrase -> KEK -> DEK -> per-purpose keys.

``vault.json`` (the header) holds no secret in the clear::

    {"format": 1, "profile_id": ..., "kdf": {argon2id params + salt},
     "dek_id": hex, "wrapped_dek": hex(nonce | AES-256-GCM(KEK, DEK)),
     "failed_attempts": n, "cooldown_until": epoch | null,
     "failures_unaudited": [iso times], "wiped": false,
     "recovery_slots": [{"id": escrow id, "salt": hex, "wrapped_dek": hex, "created_at": iso}]}

* Unlock derives the KEK with Argon2id and unwraps the DEK; a wrong passphrase is
  an authentication failure of the wrap, reported as :class:`WrongPassphrase`.
* Purpose keys (field encryption, audit HMAC) come from the DEK through HKDF, so
  no key is used for two jobs.
* A failed attempt is counted on disk *before* the KDF runs, so killing the app
  mid-attempt does not reset the count. After ``cooldown_after_failures`` the
  vault refuses attempts for a growing delay; at ``wipe_after_failures`` the
  wrapped DEK is destroyed (crypto-erase) and the data is gone for good.
* Changing the passphrase re-wraps the DEK only: O(1) in the amount of data.
* Locking drops the key ring; in Python this is best effort (we hold key bytes
  in one place and delete it; immutable copies may linger until collected).
* The file is the truth, not the copy in memory: every change re-reads the
  header and writes it back under an exclusive lock on ``vault.json.lock``, so a
  second window of the app, the command line or the app before a restart all
  count the same failed attempts, see the same cool-down, and none of them can
  write an erased key back (a stale copy never undoes a wipe).
* Recovery slots: the DEK is also wrapped under ``HKDF(recovery secret, salt)``.
  The secret (128 random bits, so no slow KDF is needed) is escrowed to the
  agency's offline recovery key; IT reads it back as a code. A slot opens once:
  :meth:`Vault.recover` re-wraps the DEK under a new passphrase and deletes the
  slot it used and every older one. Slots are listed oldest first. Recovery
  codes that pass their check letter but open no slot are counted like wrong
  passphrases (``recovery_failures``) and get the same growing cool-down, without
  ever erasing the profile.

The keys and their wraps are :mod:`peerdesk.crypto.keyring`; reading, checking,
locking and writing the header file is :mod:`peerdesk.crypto.vault_file`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from peerdesk.crypto.kdf import KdfParams, derive_key
from peerdesk.crypto.keyring import (
    RECOVERY_SALT_LEN,
    KeyRing,
    recovery_aad,
    recovery_kek,
    unwrap,
    wrap_aad,
)
from peerdesk.crypto.passphrase import check_new_passphrase, normalize
from peerdesk.crypto.vault_file import HEADER_FORMAT, HeaderLock, read_header, write_header
from peerdesk.errors import (
    CorruptData,
    Msg,
    PeerDeskError,
    ProfileExists,
    ProfileNotFound,
    ProfileWiped,
    StorageUnavailable,
    TooManyAttempts,
    ValidationError,
    VaultLocked,
    WrongPassphrase,
)

_MAX_UNAUDITED = 200
_MAX_RECOVERY_SLOTS = 8


@dataclass(frozen=True, slots=True)
class VaultPolicy:
    """Failed-attempt policy (set by the agency's provisioning)."""

    wipe_after_failures: int | None = 10
    cooldown_after_failures: int = 3
    cooldown_base_s: float = 30.0
    cooldown_max_s: float = 15 * 60.0

    def cooldown_for(self, failures: int) -> float:
        if failures < self.cooldown_after_failures or self.cooldown_base_s <= 0:
            return 0.0
        steps = failures - self.cooldown_after_failures
        return float(min(self.cooldown_max_s, self.cooldown_base_s * (2 ** min(steps, 20))))


class Vault:
    """Owns ``vault.json`` for one profile. Created locked by :meth:`open`."""

    def __init__(
        self,
        path: Path,
        header: dict[str, Any],
        policy: VaultPolicy,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self._header = header
        self.policy = policy
        self._clock = clock
        self._keys: KeyRing | None = None
        self._taken_failures: list[str] = []
        self._lock = HeaderLock(path)

    # -- creation and loading --------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        *,
        profile_id: str,
        kdf_params: KdfParams | None = None,
        policy: VaultPolicy | None = None,
        context_words: tuple[str, ...] = (),
        clock: Callable[[], float] = time.time,
    ) -> Vault:
        """Make a new vault (checks the passphrase policy) and return it unlocked."""
        if path.exists():
            raise ProfileExists(f"a vault already exists at {path}")
        text = check_new_passphrase(passphrase, context_words)
        params = kdf_params or KdfParams.new()
        keys = KeyRing.new()
        kek = derive_key(text, params)
        header = {
            "format": HEADER_FORMAT,
            "profile_id": profile_id,
            "kdf": params.to_dict(),
            "dek_id": keys.dek_id.hex(),
            "wrapped_dek": keys.wrap_with(kek, wrap_aad(profile_id, keys.dek_id)).hex(),
            "failed_attempts": 0,
            "cooldown_until": None,
            "failures_unaudited": [],
            "wiped": False,
        }
        vault = cls(path, header, policy or VaultPolicy(), clock)
        vault._save()
        vault._keys = keys
        return vault

    @classmethod
    def open(
        cls, path: Path, policy: VaultPolicy | None = None, clock: Callable[[], float] = time.time
    ) -> Vault:
        """The vault at ``path``, locked (:class:`ProfileNotFound`,
        :class:`CorruptData`)."""
        header = read_header(path)
        return cls(path, header, policy or VaultPolicy(), clock)

    # -- state -----------------------------------------------------------------------

    @property
    def profile_id(self) -> str:
        return str(self._header["profile_id"])

    @property
    def is_unlocked(self) -> bool:
        return self._keys is not None

    @property
    def is_wiped(self) -> bool:
        return bool(self._header.get("wiped"))

    @property
    def failed_attempts(self) -> int:
        return int(self._header.get("failed_attempts", 0))

    @property
    def kdf_params(self) -> KdfParams:
        return KdfParams.from_dict(self._header["kdf"])

    @property
    def keys(self) -> KeyRing:
        if self._keys is None:
            raise VaultLocked("the vault is locked")
        return self._keys

    def attempts_left(self) -> int | None:
        limit = self.policy.wipe_after_failures
        return None if limit is None else max(0, limit - self.failed_attempts)

    def retry_after(self) -> float:
        """Seconds until the next attempt is allowed. Capped at the policy's
        maximum, so a clock set back cannot lock the user out for days."""
        return self._wait("cooldown_until")

    def recovery_retry_after(self) -> float:
        """Seconds until the next recovery code may be tried (same cap)."""
        return self._wait("recovery_cooldown_until")

    def _wait(self, key: str) -> float:
        until = self._header.get(key)
        if not until:
            return 0.0
        return min(self.policy.cooldown_max_s, max(0.0, float(until) - self._clock()))

    # -- the header file: re-read and written under a lock -------------------------------

    def _exclusive(self) -> contextlib.AbstractContextManager[None]:
        """Hold the lock on ``vault.json.lock`` (re-entrant within this object), so
        reading, changing and writing the header is one step for every instance."""
        return self._lock.held()

    def _reload(self) -> None:
        """Take the header from the file (call holding the lock): another instance
        may have counted failures, started a cool-down, changed the passphrase or
        erased the profile since this one read it. An erased profile drops our keys."""
        try:
            fresh = read_header(self.path)
        except ProfileNotFound:
            raise StorageUnavailable(
                Msg(
                    "the vault header {path} is gone (deleted while the profile was open)",
                    path=self.path,
                )
            ) from None
        if fresh.get("profile_id") != self._header.get("profile_id"):
            raise CorruptData(f"vault header {self.path.name} now belongs to another profile")
        if fresh.get("wiped"):
            self._keys = None
        self._header = fresh

    def _update(self, change: Callable[[dict[str, Any]], bool | None]) -> None:
        """Re-read the header, apply ``change`` (which may return False to write
        nothing) and write it back, all under the lock."""
        with self._exclusive():
            self._reload()
            if change(self._header) is not False:
                self._save()

    def _refuse_if_wiped(self) -> None:
        if self.is_wiped:
            self._keys = None
            raise ProfileWiped("this profile was erased; its data cannot be recovered")

    # -- unlock / lock -----------------------------------------------------------------

    def unlock(self, passphrase: str) -> KeyRing:
        self._keys = KeyRing(self._attempt(passphrase), bytes.fromhex(self._header["dek_id"]))
        return self._keys

    def _attempt(self, passphrase: str) -> bytes:
        """Check a passphrase under the attempt policy; return the DEK."""
        with self._exclusive():
            self._reload()
            self._refuse_if_wiped()
            until = self._header.get("cooldown_until")
            if until and float(until) - self._clock() > self.policy.cooldown_max_s:
                # The clock went back: restart the longest allowed wait from now.
                self._header["cooldown_until"] = self._clock() + self.policy.cooldown_max_s
                self._save()
            wait = self.retry_after()
            if wait > 0:
                raise TooManyAttempts(wait)
            limit = self.policy.wipe_after_failures
            if limit is not None and self.failed_attempts >= limit:
                # Attempts cut short by a kill were counted but never judged.
                self._erase()
                raise ProfileWiped(
                    f"{self.failed_attempts} failed attempts: this profile was erased"
                )
            # Count the attempt before the expensive part: a kill cannot undo it.
            self._header["failed_attempts"] = self.failed_attempts + 1
            self._save()
        # The slow part runs without the lock; another instance may count meanwhile.
        try:
            dek = self._unwrap(normalize(passphrase))
        except WrongPassphrase:
            self._record_failure()
            raise

        def succeeded(header: dict[str, Any]) -> None:
            if header.get("wiped"):
                raise ProfileWiped("this profile was erased while the passphrase was checked")
            header["failed_attempts"] = 0
            header["cooldown_until"] = None

        self._update(succeeded)
        return dek

    def _unwrap(self, passphrase: str) -> bytes:
        params = self.kdf_params
        kek = derive_key(passphrase, params)
        blob = bytes.fromhex(self._header["wrapped_dek"])
        dek_id = bytes.fromhex(self._header["dek_id"])
        dek = unwrap(kek, blob, wrap_aad(self.profile_id, dek_id))
        if dek is None:
            raise WrongPassphrase(self.attempts_left())
        return dek

    def _record_failure(self) -> None:
        with self._exclusive():
            self._reload()
            self._refuse_if_wiped()
            failures = self.failed_attempts  # counted before the KDF (by every instance)
            log = list(self._header.get("failures_unaudited", []))[-_MAX_UNAUDITED + 1 :]
            log.append(datetime.fromtimestamp(self._clock(), UTC).isoformat())
            self._header["failures_unaudited"] = log
            limit = self.policy.wipe_after_failures
            if limit is not None and failures >= limit:
                self._erase()
                raise ProfileWiped(f"{failures} wrong passphrases: this profile was erased")
            cooldown = self.policy.cooldown_for(failures)
            self._header["cooldown_until"] = self._clock() + cooldown if cooldown else None
            self._save()

    def take_unaudited_failures(self) -> list[str]:
        """Times of failed attempts not yet written to the (HMAC-chained) audit log,
        which can only be written once unlocked. The caller audits them and then
        calls :meth:`clear_unaudited_failures`."""
        self._taken_failures = list(self._header.get("failures_unaudited", []))
        return list(self._taken_failures)

    def clear_unaudited_failures(self) -> None:
        """Forget the failures the last :meth:`take_unaudited_failures` returned
        (failures another instance recorded since stay for the next unlock)."""
        taken, self._taken_failures = self._taken_failures, []
        if not taken:
            return

        def clear(header: dict[str, Any]) -> bool:
            if header.get("wiped") or not header.get("failures_unaudited"):
                return False
            left = list(header["failures_unaudited"])
            for when in taken:
                if when in left:
                    left.remove(when)
            header["failures_unaudited"] = left
            return True

        self._update(clear)

    @property
    def audit_head(self) -> dict[str, Any] | None:
        """The last audit row recorded here (seq, mac, tag), or None."""
        head = self._header.get("audit_head")
        return head if isinstance(head, dict) else None

    def set_audit_head(self, head: dict[str, Any]) -> None:
        """Record the audit head; nothing is written to an erased profile."""

        def put(header: dict[str, Any]) -> bool:
            if header.get("wiped") or head == header.get("audit_head"):
                return False
            header["audit_head"] = head
            return True

        if head != self._header.get("audit_head"):
            self._update(put)

    def lock(self) -> None:
        self._keys = None

    # -- passphrase change and erase ------------------------------------------------------

    def change_passphrase(self, old: str, new: str, *, context_words: tuple[str, ...] = ()) -> None:
        """Re-wrap the DEK under a KEK from ``new`` (fresh salt). Checks ``old``
        first; the old passphrase stops working at once."""
        new_text = check_new_passphrase(new, context_words)
        dek = self._attempt(old)
        dek_id = bytes.fromhex(self._header["dek_id"])
        params = self.kdf_params.with_new_salt()
        ring = KeyRing(dek, dek_id)
        wrapped = ring.wrap_with(derive_key(new_text, params), wrap_aad(self.profile_id, dek_id))

        def rewrap(header: dict[str, Any]) -> None:
            if header.get("wiped"):
                raise ProfileWiped("this profile was erased; its data cannot be recovered")
            header["kdf"] = params.to_dict()
            header["wrapped_dek"] = wrapped.hex()

        self._update(rewrap)
        self._keys = ring

    # -- recovery slots --------------------------------------------------------------------

    @property
    def recovery_slot_ids(self) -> list[str]:
        """Ids of the recovery slots (each the id of its escrow record), oldest first."""
        return [str(slot["id"]) for slot in self._header.get("recovery_slots", [])]

    def add_recovery_slot(self, slot_id: str, secret: bytes) -> None:
        """Wrap the DEK (vault unlocked) under a key derived from ``secret``."""
        if len(secret) < 16:
            raise ValueError("a recovery secret is at least 16 bytes")
        keys = self.keys
        salt = os.urandom(RECOVERY_SALT_LEN)
        wrapped = keys.wrap_with(
            recovery_kek(secret, salt), recovery_aad(self.profile_id, keys.dek_id, slot_id)
        )
        slot = {
            "id": slot_id,
            "salt": salt.hex(),
            "wrapped_dek": wrapped.hex(),
            "created_at": datetime.fromtimestamp(self._clock(), UTC).isoformat(),
        }

        def add(header: dict[str, Any]) -> None:
            if header.get("wiped"):
                self._keys = None
                raise ProfileWiped("this profile was erased; its data cannot be recovered")
            slots = list(header.get("recovery_slots", []))
            if any(str(x.get("id")) == slot_id for x in slots):
                raise ValueError(f"recovery slot {slot_id} exists already")
            header["recovery_slots"] = [*slots, slot][-_MAX_RECOVERY_SLOTS:]

        self._update(add)

    def drop_recovery_slots_before(self, slot_id: str) -> None:
        """Delete the slots older than ``slot_id`` (its escrow reached the agency,
        so the older codes are no longer needed). Unknown ids change nothing."""

        def drop(header: dict[str, Any]) -> bool:
            slots = list(header.get("recovery_slots", []))
            ids = [str(x.get("id")) for x in slots]
            if header.get("wiped") or slot_id not in ids or ids.index(slot_id) == 0:
                return False
            header["recovery_slots"] = slots[ids.index(slot_id) :]
            return True

        if slot_id in self.recovery_slot_ids:
            self._update(drop)

    def recover(
        self, secret: bytes, new_passphrase: str, *, context_words: tuple[str, ...] = ()
    ) -> str:
        """Open the vault with a recovery secret and set ``new_passphrase``.

        The slot used and every older one are deleted (a code works once), the
        failed-attempt counts and cool-downs are reset, and the vault is left
        unlocked. Returns the id of the slot used. Raises :class:`ProfileWiped`,
        :class:`PassphrasePolicyError` (before anything changes),
        :class:`TooManyAttempts` while recent codes that opened nothing cool it
        down, or :class:`ValidationError` when no slot opens with ``secret`` (the
        failure is counted; see :meth:`recovery_retry_after`).
        """
        new_text = check_new_passphrase(new_passphrase, context_words)
        with self._exclusive():
            self._reload()
            self._refuse_if_wiped()
            wait = self.recovery_retry_after()
            if wait > 0:
                raise TooManyAttempts(wait, what="recovery codes that did not open this profile")
            dek_id = bytes.fromhex(self._header["dek_id"])
            slots = list(self._header.get("recovery_slots", []))
            for index, slot in enumerate(slots):
                try:
                    kek = recovery_kek(secret, bytes.fromhex(str(slot["salt"])))
                    blob = bytes.fromhex(str(slot["wrapped_dek"]))
                except ValueError:
                    continue
                dek = unwrap(kek, blob, recovery_aad(self.profile_id, dek_id, str(slot["id"])))
                if dek is None:
                    continue
                params = self.kdf_params.with_new_salt()
                ring = KeyRing(dek, dek_id)
                wrapped = ring.wrap_with(
                    derive_key(new_text, params), wrap_aad(self.profile_id, dek_id)
                )
                self._header["kdf"] = params.to_dict()
                self._header["wrapped_dek"] = wrapped.hex()
                self._header["recovery_slots"] = slots[index + 1 :]
                self._header["failed_attempts"] = 0
                self._header["cooldown_until"] = None
                self._header["recovery_failures"] = 0
                self._header["recovery_cooldown_until"] = None
                self._save()
                self._keys = ring
                return str(slot["id"])
            failures = int(self._header.get("recovery_failures", 0)) + 1
            cooldown = self.policy.cooldown_for(failures)
            self._header["recovery_failures"] = failures
            self._header["recovery_cooldown_until"] = self._clock() + cooldown if cooldown else None
            self._save()
        raise ValidationError(
            Msg(
                "this recovery code does not open this profile: it was made for another "
                "laptop or profile, or it was used already"
            ),
            field="recovery_code",
        )

    def crypto_erase(self) -> None:
        """Destroy the wrapped DEK (and salt): every envelope becomes unreadable.
        Works on an unreadable header too (it is replaced)."""
        with self._exclusive():
            with contextlib.suppress(PeerDeskError):
                self._reload()
            self._erase()

    def _erase(self) -> None:
        self._keys = None
        self._header = {
            "format": HEADER_FORMAT,
            "profile_id": self._header.get("profile_id"),
            "wiped": True,
            "wiped_at": datetime.fromtimestamp(self._clock(), UTC).isoformat(),
            "failed_attempts": self.failed_attempts,
        }
        self._save()

    def _save(self) -> None:
        write_header(self.path, self._header)
