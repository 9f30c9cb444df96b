"""Where things live (platformdirs) and the policy in force.

Profiles live under ``user_data_dir("PeerDesk")/profiles/<name>/``, one per user
of the laptop; logs under ``user_log_dir("PeerDesk")``. Nothing is written next
to the executable. ``PEERDESK_DATA_DIR`` / ``PEERDESK_LOG_DIR`` override both
(tests, portable demo). The agency's provisioning file (installers issue) will
set the policy; until then the defaults below apply.
"""

from __future__ import annotations

import json
import os
import ssl
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from peerdesk.crypto.seal import key_id
from peerdesk.crypto.vault import VaultPolicy
from peerdesk.errors import ConfigError

APP_NAME = "PeerDesk"


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
    #: a directory entry last assured longer ago than this shows as possibly outdated
    directory_stale_days: int = 365


# --- provisioning (what IT puts on a laptop) -------------------------------------------

PROVISIONING_FORMAT = 1
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_PROVISIONING_FIELDS = {
    "format",
    "agency_name",
    "agency_url",
    "root_public_key",
    "root_key_id",
    "ca_cert_pem",
    "enrollment_code",
}
_MAX_PROVISIONING_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Provisioning:
    """The agency a laptop is set up for (see the sync contract, "Provisioning")."""

    agency_name: str
    agency_url: str
    root_public_key: bytes
    root_key_id: str
    ca_cert_pem: str | None = None
    enrollment_code: str | None = field(default=None, repr=False)


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


def _hex_field(data: dict[str, object], name: str, n_bytes: int, path: str | None) -> bytes:
    value = data.get(name)
    if not isinstance(value, str) or len(value) != 2 * n_bytes:
        raise ConfigError(f"{name} must be {2 * n_bytes} hexadecimal characters", path=path)
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise ConfigError(
            f"{name} must be {2 * n_bytes} hexadecimal characters", path=path
        ) from None


def parse_provisioning(data: object, *, path: str | None = None) -> Provisioning:
    """Validate a decoded provisioning document; :class:`ConfigError` names the problem."""
    if not isinstance(data, dict):
        raise ConfigError("a provisioning file holds one JSON object", path=path)
    unknown = sorted(str(k) for k in set(data) - _PROVISIONING_FIELDS)
    if unknown:
        raise ConfigError(f"unknown field(s): {', '.join(unknown)}", path=path)
    if data.get("format") != PROVISIONING_FORMAT or isinstance(data.get("format"), bool):
        raise ConfigError(
            f"format must be {PROVISIONING_FORMAT} (this file is for another PeerDesk version)",
            path=path,
        )
    name = data.get("agency_name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise ConfigError("agency_name must be the agency's name (1-200 characters)", path=path)
    url = check_agency_url(data.get("agency_url"), path=path)
    root = _hex_field(data, "root_public_key", 32, path)
    kid = data.get("root_key_id")
    if not isinstance(kid, str) or len(kid) != 16:
        raise ConfigError("root_key_id must be 16 hexadecimal characters", path=path)
    if kid.lower() != key_id(root):
        raise ConfigError("root_key_id does not match root_public_key", path=path)
    ca = data.get("ca_cert_pem")
    if ca is not None:
        if not isinstance(ca, str) or "-----BEGIN CERTIFICATE-----" not in ca:
            raise ConfigError("ca_cert_pem must be a PEM certificate", path=path)
        try:
            ssl.create_default_context(cadata=ca)
        except (ssl.SSLError, ValueError) as exc:
            raise ConfigError(
                f"ca_cert_pem is not a usable certificate ({exc})", path=path
            ) from None
    code = data.get("enrollment_code")
    if code is not None and (not isinstance(code, str) or not code.strip() or len(code) > 64):
        raise ConfigError("enrollment_code must be a short text (1-64 characters)", path=path)
    return Provisioning(
        agency_name=name.strip(),
        agency_url=url,
        root_public_key=root,
        root_key_id=kid.lower(),
        ca_cert_pem=ca,
        enrollment_code=code.strip() if isinstance(code, str) else None,
    )


def load_provisioning(path: Path | str) -> Provisioning:
    """Read and validate the provisioning JSON that IT put on the laptop."""
    where = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_PROVISIONING_BYTES + 1)
    except OSError as exc:
        raise ConfigError(
            f"cannot read the provisioning file: {exc.strerror}", path=where
        ) from None
    if len(raw) > _MAX_PROVISIONING_BYTES:
        raise ConfigError("the provisioning file is too large", path=where)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"the provisioning file is not valid JSON ({exc})", path=where) from None
    return parse_provisioning(data, path=where)
