"""The profiles on this laptop: one folder per user, each a vault and a database.

:class:`ProfileManager` lists, creates, opens and recovers profiles; each open
profile is a :class:`peerdesk.services.session.Session`.
"""

from __future__ import annotations

import re
from pathlib import Path

from peerdesk.config import Policy, Provisioning, data_root
from peerdesk.crypto import passphrase as passphrase_policy
from peerdesk.crypto import recovery
from peerdesk.crypto.kdf import KdfParams, calibrate
from peerdesk.crypto.vault import Vault
from peerdesk.domain.review import PEER, check_role
from peerdesk.errors import Msg, ProfileExists, ProfileNotFound, StorageUnavailable, ValidationError
from peerdesk.ids import new_id
from peerdesk.services.session import VAULT_FILE, Session

PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._\-]{0,63}$")

assess_passphrase = passphrase_policy.assess

#: letters and digits of a recovery code, its check letter included (dashes and
#: spaces are not counted)
RECOVERY_CODE_CHARS = recovery.CODE_CHARS


def check_recovery_code(code: str) -> None:
    """Check a recovery code as typed (length, letters, check letter) without
    touching any profile: fast, so a form can say "mistyped" before the slow
    unwrap is tried and before a failed attempt is counted.
    :class:`ValidationError` (``field="recovery_code"``) when it is mistyped."""
    recovery.decode_code(code)


def validate_profile_name(name: str) -> str:
    name = name.strip()
    if not PROFILE_NAME.match(name) or name.endswith("."):
        raise ValidationError(
            Msg("a profile name has 1-64 letters, digits, spaces, '.', '_' or '-'"), field="name"
        )
    return name


class ProfileManager:
    """The profiles under ``root`` and the policy they are opened with.

    ``provisioning`` is the agency this laptop was provisioned for (the file IT
    installed, or the one given with ``--provisioning``), or None: the first-run
    dialog names that agency before any profile exists.
    """

    def __init__(
        self,
        root: Path | None = None,
        policy: Policy | None = None,
        *,
        provisioning: Provisioning | None = None,
    ) -> None:
        self.root = (root or data_root()) / "profiles"
        self.policy = policy or Policy()
        self.provisioning = provisioning

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
                Msg(
                    "cannot create the profile folder {path}: {strerror}",
                    path=path,
                    strerror=exc.strerror,
                )
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
            session._start(role, params.iterations)
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
