"""Where things live (platformdirs) and the policy in force.

Profiles live under ``user_data_dir("PeerDesk")/profiles/<name>/``, one per user
of the laptop; logs under ``user_log_dir("PeerDesk")``. Nothing is written next
to the executable. ``PEERDESK_DATA_DIR`` / ``PEERDESK_LOG_DIR`` override both
(tests, portable demo).

The policy in force (:func:`effective_policy`) is the defaults of :class:`Policy`,
then the ``[policy]`` of the agency's provisioning file (:func:`find_provisioning`:
``--provisioning``, ``PEERDESK_PROVISIONING`` or the system path), then the
user's ``settings.toml`` under ``user_config_dir("PeerDesk")`` for the settings
the agency did not lock. A bad provisioning file is an error naming the key,
never a silent fallback; a bad user setting is ignored with a reason.
"""

from __future__ import annotations

import logging
import ntpath
import os
import posixpath
import stat
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import platformdirs

from peerdesk.crypto.vault import VaultPolicy
from peerdesk.errors import ConfigError, Msg

# the provisioning file's format and the agency URL rules (see the provisioning
# section below), re-exported for the desktop's callers
from peerdesk.wire.provisioning import AGENCY_ONLY_SETTINGS as AGENCY_ONLY_SETTINGS
from peerdesk.wire.provisioning import LOCKABLE_SETTINGS as LOCKABLE_SETTINGS
from peerdesk.wire.provisioning import MAX_PROVISIONING_BYTES
from peerdesk.wire.provisioning import POLICY_RANGES as POLICY_RANGES
from peerdesk.wire.provisioning import PROVISIONING_FILE as PROVISIONING_FILE
from peerdesk.wire.provisioning import PROVISIONING_FORMAT as PROVISIONING_FORMAT
from peerdesk.wire.provisioning import ProvisionedPolicy as ProvisionedPolicy
from peerdesk.wire.provisioning import Provisioning as Provisioning
from peerdesk.wire.provisioning import load_provisioning as load_provisioning
from peerdesk.wire.provisioning import parse_provisioning as parse_provisioning
from peerdesk.wire.provisioning import provisioning_toml as provisioning_toml
from peerdesk.wire.urls import LOOPBACK_HOSTS as LOOPBACK_HOSTS
from peerdesk.wire.urls import check_agency_url as check_agency_url
from peerdesk.wire.urls import check_service_url as check_service_url

APP_NAME = "PeerDesk"

log = logging.getLogger(__name__)


def data_root() -> Path:
    override = os.environ.get("PEERDESK_DATA_DIR")
    return (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )


def log_dir() -> Path:
    override = os.environ.get("PEERDESK_LOG_DIR")
    return (
        Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    )


@dataclass(frozen=True, slots=True)
class Policy:
    auto_lock_minutes: int = 10
    vault: VaultPolicy = field(default_factory=VaultPolicy)
    #: seconds one unlock should take on this machine (Argon2id calibration)
    kdf_target_s: float = 0.5
    payer_profile: str = "medicaid_default"
    mileage_rate: Decimal = Decimal("0.70")
    #: days after a contact by which the note should be signed
    sign_within_days: int = 3
    #: days a synced note may wait for a supervisor's decision before it is overdue
    review_within_days: int = 7
    #: a directory entry last assured longer ago than this shows as possibly outdated
    directory_stale_days: int = 365
    #: sync by itself also on metered connections (the profile's switch unless locked)
    sync_on_metered: bool = False
    #: days synced records stay on the laptop (from provisioning; not purged yet)
    retention_days: int = 365
    #: settings the agency locked (:data:`LOCKABLE_SETTINGS`): user settings never
    #: change them
    locked: frozenset[str] = frozenset()

    def is_locked(self, setting: str) -> bool:
        return setting in self.locked


# --- provisioning (what IT puts on a laptop) -------------------------------------------
#
# The file's format (what it holds, the parser, the writer) is a contract with the
# agency and lives in peerdesk.wire.provisioning; it is imported here so that the
# desktop's callers find it where they always did. What is the laptop's own: where
# the file is looked for, and who may change it.

#: names a provisioning file (between ``--provisioning`` and the system path)
ENV_PROVISIONING = "PEERDESK_PROVISIONING"


def system_provisioning_path(
    platform: str | None = None, env: Mapping[str, str] | None = None
) -> str:
    """Where IT installs the provisioning file on this kind of computer:
    ``/etc/peerdesk/provisioning.toml`` (Linux and other Unix),
    ``%ProgramData%\\PeerDesk\\provisioning.toml`` (Windows),
    ``/Library/Application Support/PeerDesk/provisioning.toml`` (macOS)."""
    platform = sys.platform if platform is None else platform
    env = os.environ if env is None else env
    if platform == "win32":
        base = env.get("ProgramData") or env.get("PROGRAMDATA") or "C:\\ProgramData"
        return ntpath.join(base, APP_NAME, PROVISIONING_FILE)
    if platform == "darwin":
        return posixpath.join("/Library/Application Support", APP_NAME, PROVISIONING_FILE)
    return posixpath.join("/etc/peerdesk", PROVISIONING_FILE)


@dataclass(frozen=True, slots=True)
class ProvisioningSource:
    """Which provisioning file applies, and why (for messages and the self-test)."""

    path: Path
    #: "--provisioning", "PEERDESK_PROVISIONING" or "system"
    origin: str


def find_provisioning(
    explicit: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> ProvisioningSource | None:
    """The provisioning file in force: ``explicit`` (``--provisioning``), else
    ``PEERDESK_PROVISIONING``, else the system path if a file is there. A file
    named explicitly or by the environment is returned even when it is missing,
    so loading it reports the problem instead of silently running unprovisioned."""
    env = os.environ if env is None else env
    if explicit is not None and str(explicit).strip():
        return ProvisioningSource(Path(explicit), "--provisioning")
    named = env.get(ENV_PROVISIONING, "").strip()
    if named:
        return ProvisioningSource(Path(named), ENV_PROVISIONING)
    system = Path(system_provisioning_path(platform, env))
    if system.exists():
        return ProvisioningSource(system, "system")
    return None


# --- user settings and the policy in force --------------------------------------------

USER_SETTINGS_FILE = "settings.toml"


def config_dir() -> Path:
    """Per-user settings folder (``PEERDESK_CONFIG_DIR`` overrides)."""
    override = os.environ.get("PEERDESK_CONFIG_DIR")
    return (
        Path(override)
        if override
        else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    )


def user_settings_path() -> Path:
    return config_dir() / USER_SETTINGS_FILE


@dataclass(frozen=True, slots=True)
class UserSettings:
    """A user's own choices (``settings.toml`` in :func:`config_dir`), already
    checked; ``problems`` says in words what was ignored and why."""

    values: Mapping[str, object] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def parse_user_settings(data: Mapping[str, object]) -> UserSettings:
    """Keep the valid user settings; a bad one is ignored with a reason (a user's
    settings file never stops the app, unlike the agency's)."""
    values: dict[str, object] = {}
    problems: list[str] = []
    for key, value in data.items():
        if key in AGENCY_ONLY_SETTINGS:
            problems.append(f"{key} is set by the agency only")
        elif key == "auto_lock_minutes":
            low, high = POLICY_RANGES[key]
            if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                values[key] = value
            else:
                problems.append(f"{key} must be a whole number from {low} to {high}")
        elif key == "metered_sync":
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.append(f"{key} must be true or false")
        else:
            problems.append(f"{key} is not a setting ({', '.join(LOCKABLE_SETTINGS)})")
    return UserSettings(values, tuple(problems))


def load_user_settings(path: Path | None = None) -> UserSettings:
    """Read the user's settings file (none is fine); see :func:`parse_user_settings`."""
    path = user_settings_path() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return UserSettings()
    except OSError as exc:
        return UserSettings(problems=(f"{path}: not read ({exc.strerror or exc})",))
    try:
        data = tomllib.loads(raw[:MAX_PROVISIONING_BYTES].decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return UserSettings(problems=(f"{path}: not valid TOML ({exc})",))
    found = parse_user_settings(data)
    return replace(found, problems=tuple(f"{path}: {p}" for p in found.problems))


def effective_policy(
    provisioning: Provisioning | None,
    user: UserSettings | None = None,
    base: Policy | None = None,
) -> Policy:
    """The policy in force: ``base`` (the built-in defaults), with the agency's
    ``[policy]`` over it, with the user's settings over that except where the
    agency locked a setting. User settings never change a locked setting nor an
    agency-only one (failed-attempt limit, retention)."""
    policy = base or Policy()
    if provisioning is not None:
        given = provisioning.policy
        policy = replace(
            policy,
            auto_lock_minutes=given.auto_lock_minutes,
            vault=replace(policy.vault, wipe_after_failures=given.failed_attempt_limit),
            retention_days=given.retention_days,
            sync_on_metered=given.metered_sync,
            locked=given.locked,
        )
    for key, value in (user.values if user is not None else {}).items():
        if key in policy.locked:
            log.info("user setting %s ignored: locked by the agency", key)
        elif key == "auto_lock_minutes" and isinstance(value, int):
            policy = replace(policy, auto_lock_minutes=value)
        elif key == "metered_sync" and isinstance(value, bool):
            policy = replace(policy, sync_on_metered=value)
    return policy


def check_admin_only(path: Path, owner: int = 0) -> None:
    """The system provisioning file and its folder must belong to ``owner``
    (root) and be writable by no one else: otherwise any user of the laptop could
    point everyone's PeerDesk at another agency. :class:`ConfigError` says what to fix."""
    for item in (path, path.parent):
        try:
            info = item.stat()
        except OSError as exc:
            raise ConfigError(
                Msg(
                    "cannot check {item}: {problem}",
                    item=str(item),
                    problem=exc.strerror or str(exc),
                ),
                path=str(path),
            ) from None
        if info.st_uid != owner or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise ConfigError(
                Msg(
                    "{item} can be changed by users other than the administrator "
                    "(owner uid {uid}, mode {mode}); make it "
                    "owned by root and writable by root only (chown root; chmod 644, or 755 "
                    "for the folder)",
                    item=str(item),
                    uid=info.st_uid,
                    mode=f"{stat.S_IMODE(info.st_mode):o}",
                ),
                path=str(path),
            )


@dataclass(frozen=True, slots=True)
class Setup:
    """What a starting app runs with: the policy in force, the agency's
    provisioning (None when this computer has none) and where it came from."""

    policy: Policy
    provisioning: Provisioning | None
    source: ProvisioningSource | None
    user: UserSettings


def load_setup(
    explicit: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    user_settings: Path | None = None,
) -> Setup:
    """Find and load the provisioning file (:func:`find_provisioning`) and the
    user's settings, and work out the policy. A provisioning file that is there
    but broken raises :class:`ConfigError` naming the key: the app stops rather
    than run without the agency's pinned key and policy. Without any provisioning
    file the built-in defaults apply and no agency is known until the user
    enrolls with a file."""
    source = find_provisioning(explicit, env)
    if source is not None and source.origin == "system" and os.name == "posix":
        check_admin_only(source.path)
    provisioning = load_provisioning(source.path) if source is not None else None
    user = load_user_settings(user_settings)
    for problem in user.problems:
        log.warning("user setting ignored: %s", problem)
    return Setup(effective_policy(provisioning, user), provisioning, source, user)
