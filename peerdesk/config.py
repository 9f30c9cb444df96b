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

import difflib
import logging
import ntpath
import os
import posixpath
import ssl
import stat
import sys
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import platformdirs

from peerdesk.crypto.seal import key_id
from peerdesk.crypto.vault import VaultPolicy
from peerdesk.errors import ConfigError

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
# One TOML file per laptop, written by `peerdesk-agency provisioning`, at the
# system path of the OS (see system_provisioning_path) or given with
# `peerdesk --provisioning PATH` / PEERDESK_PROVISIONING:
#
#     format = 1
#     [agency]
#     name = "River Valley Peer Services"
#     url = "https://peerdesk.example.org"
#     root_public_key = "<64 hex>"      # the agency root key, pinned
#     root_key_id = "<16 hex>"          # its fingerprint, as `peerdesk-agency init` printed it
#     ca_cert = '''-----BEGIN CERTIFICATE-----...'''   # optional: trust only this CA
#     enrollment_code = "XXXXX-XXXXX"   # optional
#     [policy]                          # optional; every key has a default
#     auto_lock_minutes = 10
#     failed_attempt_limit = 10
#     retention_days = 365
#     metered_sync = false
#     locked = ["auto_lock_minutes", "metered_sync"]
#
# There is no JSON reader any more: the JSON format never left the development
# tree, and a JSON file gets an error that says so.

PROVISIONING_FORMAT = 1
PROVISIONING_FILE = "provisioning.toml"
#: names a provisioning file (between ``--provisioning`` and the system path)
ENV_PROVISIONING = "PEERDESK_PROVISIONING"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_MAX_PROVISIONING_BYTES = 256 * 1024

#: settings a user may change (user settings file, the Sync screen's metered
#: switch) unless the provisioning file lists them under ``policy.locked``
LOCKABLE_SETTINGS = ("auto_lock_minutes", "metered_sync")
#: policy keys only the agency sets: never read from user settings
AGENCY_ONLY_SETTINGS = ("failed_attempt_limit", "retention_days")
#: (lowest, highest) for the whole-number policy keys
POLICY_RANGES: dict[str, tuple[int, int]] = {
    "auto_lock_minutes": (1, 480),
    "failed_attempt_limit": (3, 100),
    "retention_days": (1, 3650),
}


@dataclass(frozen=True, slots=True)
class ProvisionedPolicy:
    """The ``[policy]`` table of a provisioning file (defaults when left out)."""

    auto_lock_minutes: int = 10
    #: failed unlocks after which the profile's key is destroyed (crypto-erase)
    failed_attempt_limit: int = 10
    #: days synced records stay on the laptop (carried and shown; this version
    #: does not purge yet)
    retention_days: int = 365
    #: sync by itself also on metered (mobile data) connections
    metered_sync: bool = False
    #: settings in :data:`LOCKABLE_SETTINGS` users cannot change
    locked: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Provisioning:
    """The agency a laptop is set up for (see the sync contract, "Provisioning")."""

    agency_name: str
    agency_url: str
    root_public_key: bytes
    root_key_id: str
    ca_cert_pem: str | None = None
    enrollment_code: str | None = field(default=None, repr=False)
    policy: ProvisionedPolicy = field(default_factory=ProvisionedPolicy)


def check_service_url(url: object, *, name: str, path: str | None = None) -> str:
    """Return ``url`` without a trailing slash if it may carry sync traffic:
    ``https://`` anywhere, plain ``http://`` only to this computer (demo, tests).
    ``name`` is the setting's name for the messages. Raises :class:`ConfigError`
    otherwise. Shared by the laptop (``agency_url``) and the agency (``public_url``)."""
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{name} must be a URL such as https://agency.example.org", path=path)
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise ConfigError(f"{name} is not a valid URL ({exc})", path=path) from None
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigError(f"{name} must start with https:// and name a host", path=path)
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        raise ConfigError(
            f"{name} must use https:// (plain http is only allowed to 127.0.0.1 or "
            "localhost, for the demo)",
            path=path,
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ConfigError(
            f"{name} must not carry a user name, password, query or fragment", path=path
        )
    return url.rstrip("/")


def check_agency_url(url: object, *, path: str | None = None) -> str:
    """The laptop's ``agency_url`` (see :func:`check_service_url`)."""
    return check_service_url(url, name="agency_url", path=path)


class _Table:
    """One table of the file: hands out its keys by name and complains, naming
    the key, about what is missing, mistyped or unknown."""

    def __init__(self, data: object, prefix: str, known: Sequence[str], path: str | None):
        self.prefix, self.path = prefix, path
        where = f"[{prefix}]" if prefix else "at the top of the file"
        if not isinstance(data, dict):
            what = (
                f"[{prefix}] must be a table" if prefix else "the file must hold key = value lines"
            )
            raise ConfigError(what, path=path)
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            hints = []
            for key in unknown:
                close = difflib.get_close_matches(key, known, n=1)
                hints.append(f"{self.key(key)}" + (f" (did you mean {close[0]}?)" if close else ""))
            raise ConfigError(
                f"unknown key(s): {', '.join(hints)}; known {where}: {', '.join(known)}",
                path=path,
            )
        self.data: dict[str, object] = data

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def fail(self, name: str, problem: str) -> NoReturn:
        raise ConfigError(f"{self.key(name)} {problem}", path=self.path)

    def text(self, name: str, *, required: bool, max_len: int) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, "is missing")
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > max_len:
            self.fail(name, f"must be a text of 1-{max_len} characters")
        if any(unicodedata.category(ch) == "Cc" for ch in value if ch not in "\n\t"):
            self.fail(name, "must not contain control characters")
        return value

    def number(self, name: str, default: int) -> int:
        low, high = POLICY_RANGES[name]
        value = self.data.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.fail(name, f"must be a whole number from {low} to {high}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, "must be true or false")
        return value


_TOP_KEYS = ("format", "agency", "policy")
_AGENCY_KEYS = (
    "name",
    "url",
    "root_public_key",
    "root_key_id",
    "ca_cert",
    "enrollment_code",
)
_POLICY_KEYS = (
    "auto_lock_minutes",
    "failed_attempt_limit",
    "retention_days",
    "metered_sync",
    "locked",
)


def _root_key(agency: _Table) -> tuple[bytes, str]:
    raw = agency.text("root_public_key", required=True, max_len=1024) or ""
    try:
        key = bytes.fromhex(raw)
        if len(key) != 32:
            raise ValueError
    except ValueError:
        agency.fail(
            "root_public_key",
            "must be the agency's Ed25519 root public key: 64 hexadecimal characters",
        )
    if not any(key):
        agency.fail(
            "root_public_key",
            "is the example's placeholder: use the file `peerdesk-agency provisioning` writes",
        )
    kid = agency.text("root_key_id", required=True, max_len=1024) or ""
    if len(kid) != 16 or any(ch not in "0123456789abcdefABCDEF" for ch in kid):
        agency.fail("root_key_id", "must be 16 hexadecimal characters")
    if kid.lower() != key_id(key):
        agency.fail(
            "root_key_id",
            "does not match root_public_key (check both against `peerdesk-agency init`)",
        )
    return key, kid.lower()


def _ca_cert(agency: _Table) -> str | None:
    ca = agency.text("ca_cert", required=False, max_len=64 * 1024)
    if ca is None:
        return None
    if "-----BEGIN CERTIFICATE-----" not in ca:
        agency.fail("ca_cert", "must be a PEM certificate (-----BEGIN CERTIFICATE-----)")
    try:
        ssl.create_default_context(cadata=ca)
    except (ssl.SSLError, ValueError) as exc:
        agency.fail("ca_cert", f"is not a usable certificate ({exc})")
    return ca


def _policy(data: object, path: str | None) -> ProvisionedPolicy:
    table = _Table({} if data is None else data, "policy", _POLICY_KEYS, path)
    default = ProvisionedPolicy()
    locked = table.data.get("locked", [])
    if not isinstance(locked, list) or not all(isinstance(s, str) for s in locked):
        table.fail("locked", f"must be a list of setting names ({', '.join(LOCKABLE_SETTINGS)})")
    for name in locked:
        if name not in LOCKABLE_SETTINGS:
            why = "is always set by the agency" if name in AGENCY_ONLY_SETTINGS else "is unknown"
            table.fail(
                "locked",
                f"names {name!r}, which {why}; lockable: {', '.join(LOCKABLE_SETTINGS)}",
            )
    return ProvisionedPolicy(
        auto_lock_minutes=table.number("auto_lock_minutes", default.auto_lock_minutes),
        failed_attempt_limit=table.number("failed_attempt_limit", default.failed_attempt_limit),
        retention_days=table.number("retention_days", default.retention_days),
        metered_sync=table.flag("metered_sync", default.metered_sync),
        locked=frozenset(locked),
    )


def parse_provisioning(data: object, *, path: str | None = None) -> Provisioning:
    """Validate a decoded provisioning document (the TOML file as a dict);
    :class:`ConfigError` names the bad key (``agency.url``, ``policy.locked``...)."""
    top = _Table(data, "", _TOP_KEYS, path)
    fmt = top.data.get("format")
    if fmt is None:
        top.fail("format", f"is missing (format = {PROVISIONING_FORMAT})")
    if fmt != PROVISIONING_FORMAT or isinstance(fmt, bool):
        top.fail(
            "format",
            f"must be {PROVISIONING_FORMAT} (this file is for another PeerDesk version)",
        )
    if "agency" not in top.data:
        top.fail("agency", "is missing: the file needs an [agency] table")
    agency = _Table(top.data["agency"], "agency", _AGENCY_KEYS, path)
    name = agency.text("name", required=True, max_len=200) or ""
    if "\n" in name:
        agency.fail("name", "must be one line")
    if "url" not in agency.data:
        agency.fail("url", "is missing")
    url = check_service_url(agency.data["url"], name="agency.url", path=path)
    root, kid = _root_key(agency)
    ca = _ca_cert(agency)
    code = agency.text("enrollment_code", required=False, max_len=64)
    return Provisioning(
        agency_name=name.strip(),
        agency_url=url,
        root_public_key=root,
        root_key_id=kid,
        ca_cert_pem=ca,
        enrollment_code=code.strip() if code else None,
        policy=_policy(top.data.get("policy"), path),
    )


def load_provisioning(path: Path | str) -> Provisioning:
    """Read and validate the provisioning file IT put on the laptop. A missing,
    unreadable or malformed file raises :class:`ConfigError` naming the file and
    the key: there is no fallback (an agency is never trusted without its pinned key)."""
    where = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_PROVISIONING_BYTES + 1)
    except OSError as exc:
        raise ConfigError(
            f"cannot read the provisioning file: {exc.strerror or exc}", path=where
        ) from None
    if len(raw) > _MAX_PROVISIONING_BYTES:
        raise ConfigError("the provisioning file is too large", path=where)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError("the provisioning file is not UTF-8 text", path=where) from None
    if text.lstrip().startswith("{"):
        raise ConfigError(
            "this is a JSON provisioning file from a development version; make a new one "
            "with `peerdesk-agency provisioning` (TOML)",
            path=where,
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the provisioning file is not valid TOML ({exc})", path=where) from None
    return parse_provisioning(data, path=where)


def _toml_text(value: str) -> str:
    """A TOML basic string (quotes, backslashes and control characters escaped)."""
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_pem(pem: str) -> str:
    """A PEM block as a multi-line literal string when it can be one (readable),
    else as a basic string."""
    text = pem.replace("\r\n", "\n")
    if "'''" not in text and all(ch == "\n" or " " <= ch <= "~" for ch in text):
        return "'''\n" + text + "'''"
    return _toml_text(pem)


def provisioning_toml(prov: Provisioning) -> str:
    """The provisioning file for ``prov``, with comments for IT. Reading it back
    with :func:`parse_provisioning` gives ``prov`` again."""
    policy = prov.policy
    locked = ", ".join(_toml_text(s) for s in sorted(policy.locked))
    lines = [
        f"# PeerDesk provisioning file, format {PROVISIONING_FORMAT} "
        "(made by `peerdesk-agency provisioning`).",
        "# Put it at /etc/peerdesk/provisioning.toml (Linux),",
        "# %ProgramData%\\PeerDesk\\provisioning.toml (Windows) or",
        "# /Library/Application Support/PeerDesk/provisioning.toml (macOS),",
        "# readable by every user and writable by administrators only.",
        f"format = {PROVISIONING_FORMAT}",
        "",
        "[agency]",
        f"name = {_toml_text(prov.agency_name)}",
        f"url = {_toml_text(prov.agency_url)}",
        "# The agency's root public key: every key the agency sends must be signed by it.",
        f"root_public_key = {_toml_text(prov.root_public_key.hex())}",
        "# Its fingerprint, as `peerdesk-agency init` printed it (a check against typos).",
        f"root_key_id = {_toml_text(prov.root_key_id)}",
    ]
    if prov.ca_cert_pem is not None:
        lines += [
            "# TLS: trust only this CA for the agency's address.",
            f"ca_cert = {_toml_pem(prov.ca_cert_pem)}",
        ]
    if prov.enrollment_code is not None:
        lines += [
            "# One-time code: works for one laptop, once.",
            f"enrollment_code = {_toml_text(prov.enrollment_code)}",
        ]
    lines += [
        "",
        "[policy]",
        "# Lock the app after this many idle minutes.",
        f"auto_lock_minutes = {policy.auto_lock_minutes}",
        "# Failed unlocks after which the profile's key is destroyed (data gone for good).",
        f"failed_attempt_limit = {policy.failed_attempt_limit}",
        "# Days synced records stay on the laptop.",
        f"retention_days = {policy.retention_days}",
        "# Sync by itself on metered (mobile data) connections.",
        f"metered_sync = {'true' if policy.metered_sync else 'false'}",
        f"# Settings users cannot change (any of: {', '.join(LOCKABLE_SETTINGS)}).",
        f"locked = [{locked}]",
        "",
    ]
    return "\n".join(lines)


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
        data = tomllib.loads(raw[:_MAX_PROVISIONING_BYTES].decode("utf-8"))
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
                f"cannot check {item}: {exc.strerror or exc}", path=str(path)
            ) from None
        if info.st_uid != owner or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise ConfigError(
                f"{item} can be changed by users other than the administrator "
                f"(owner uid {info.st_uid}, mode {stat.S_IMODE(info.st_mode):o}); make it "
                "owned by root and writable by root only (chown root; chmod 644, or 755 "
                "for the folder)",
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
