"""The agency's keys and the signed key bundle.

=============  ==========  =====================================================
key            algorithm   kept
=============  ==========  =====================================================
root           Ed25519     ``keys/root.key`` (0600). Signs the key bundle; its
                           public half is pinned on every laptop (provisioning).
signing        Ed25519     ``keys/signing.key`` (0600). Signs wipe orders, policy
                           and directory documents.
review         X25519      ``keys/review-<key id>.key``, wrapped by the supervisor
                           passphrase. Records are sealed to it; only a supervisor
                           can open them. Rotation adds a new one; the old one stays
                           valid until its ``not_after``.
recovery       X25519      a separate file (default ``recovery-key.json``), wrapped
                           by the recovery passphrase, to be moved offline. Devices
                           seal their recovery secret to it. ``keys/recovery.pub``
                           keeps the public half.
=============  ==========  =====================================================

The database holds the public halves (``agency_keys``: purpose, expiry) and the
signed bundles; the API workers never need a private key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from peerdesk.agency.errors import NotInitialised
from peerdesk.agency.models import (
    RECOVERY,
    REVIEW,
    ROOT,
    SIGNING,
    AgencyKeyInfo,
    AuditEntry,
    ReviewGrant,
)
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.passphrase import check_new_passphrase
from peerdesk.crypto.seal import (
    BoxKeyPair,
    SigningKeyPair,
    key_id,
    sign_document,
    unwrap_with_passphrase,
    wrap_with_passphrase,
)
from peerdesk.errors import ConfigError, ValidationError
from peerdesk.fsutil import atomic_write
from peerdesk.ids import from_iso, new_id, to_iso
from peerdesk.wire.protocol import AgencyKey, KeyBundle, wipe_order_doc

ROOT_FILE = "root.key"
SIGNING_FILE = "signing.key"
RECOVERY_PUBLIC_FILE = "recovery.pub"
REVIEW_PURPOSE = "agency-review"
RECOVERY_PURPOSE = "agency-recovery"
_MAX_KEY_FILE = 64 * 1024
#: how long the previous review key stays valid after a rotation, by default
DEFAULT_OLD_KEY_VALIDITY = timedelta(days=30)


# --- files ----------------------------------------------------------------------------


def _write_new(path: Path, data: dict[str, Any]) -> None:
    """Create ``path`` with mode 0600 (never overwrite a key file)."""
    raw = (json.dumps(data, indent=2) + "\n").encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError("a key file already exists here", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot write the key file ({exc.strerror})", path=str(path)) from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_KEY_FILE + 1)
    except FileNotFoundError:
        raise NotInitialised(f"missing key file {path}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read the key file ({exc.strerror})", path=str(path)) from None
    try:
        if len(raw) > _MAX_KEY_FILE:
            raise ValueError("too large")
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise ConfigError("not a PeerDesk agency key file", path=str(path)) from None
    if not isinstance(data, dict) or data.get("format") != 1:
        raise ConfigError("not a PeerDesk agency key file", path=str(path))
    return data


def _hex32(data: dict[str, Any], name: str, path: Path) -> bytes:
    value = data.get(name)
    try:
        raw = bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ConfigError(f"{name} must be 64 hexadecimal characters", path=str(path))
    return raw


def _plain_key_file(purpose: str, pair: SigningKeyPair, created_at: str) -> dict[str, Any]:
    return {
        "format": 1,
        "purpose": purpose,
        "key_id": pair.key_id,
        "public": pair.public_raw.hex(),
        "private": pair.private_raw().hex(),
        "created_at": created_at,
    }


def _load_signing_file(path: Path, purpose: str) -> SigningKeyPair:
    data = _read(path)
    if data.get("purpose") != purpose:
        raise ConfigError(f"not the agency {purpose} key", path=str(path))
    pair = SigningKeyPair.from_raw(_hex32(data, "private", path))
    if pair.public_raw != _hex32(data, "public", path):
        raise ConfigError("private and public key do not match", path=str(path))
    return pair


def load_root(settings: AgencySettings) -> SigningKeyPair:
    return _load_signing_file(settings.keys_dir / ROOT_FILE, "agency-root")


def load_signing(settings: AgencySettings) -> SigningKeyPair:
    return _load_signing_file(settings.keys_dir / SIGNING_FILE, "agency-signing")


def wrapped_key_file(
    pair: BoxKeyPair,
    passphrase: str,
    purpose: str,
    created_at: str,
    params: KdfParams | None,
    **extra: str,
) -> dict[str, Any]:
    data = wrap_with_passphrase(pair.private_raw(), passphrase, purpose, params)
    data.update(key_id=pair.key_id, public=pair.public_raw.hex(), created_at=created_at, **extra)
    return data


def _unwrap_box(path: Path, passphrase: str, purpose: str) -> BoxKeyPair:
    """:class:`SealBroken` for a wrong passphrase."""
    data = _read(path)
    if data.get("purpose") != purpose:
        raise ConfigError(f"not an {purpose} key file", path=str(path))
    pair = BoxKeyPair.from_raw(unwrap_with_passphrase(data, passphrase, purpose))
    if pair.public_raw != _hex32(data, "public", path):
        raise ConfigError("private and public key do not match", path=str(path))
    return pair


def review_key_files(settings: AgencySettings) -> list[Path]:
    return sorted(settings.keys_dir.glob("review-*.key"))


def load_review_keys(settings: AgencySettings, passphrase: str) -> list[BoxKeyPair]:
    """Every review key of the agency, opened with the supervisor passphrase."""
    files = review_key_files(settings)
    if not files:
        raise NotInitialised(f"no review keys in {settings.keys_dir}")
    return [_unwrap_box(p, passphrase, REVIEW_PURPOSE) for p in files]


def load_review_key_file(path: Path, passphrase: str) -> BoxKeyPair:
    return _unwrap_box(path, passphrase, REVIEW_PURPOSE)


def load_recovery_key(path: Path, passphrase: str) -> BoxKeyPair:
    """The offline recovery key, opened with the recovery passphrase."""
    return _unwrap_box(path, passphrase, RECOVERY_PURPOSE)


# --- init and the bundle --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InitResult:
    root_key_id: str
    root_public: bytes
    signing_key_id: str
    review_key_id: str
    recovery_key_id: str
    recovery_path: Path


def create_keys(
    settings: AgencySettings,
    *,
    supervisor_passphrase: str,
    recovery_passphrase: str,
    now: datetime,
    recovery_out: Path | None = None,
    kdf_params: KdfParams | None = None,
) -> InitResult:
    """Generate the agency keys and write their files. Refuses if keys exist."""
    check_new_passphrase(supervisor_passphrase, ("agency", settings.name))
    check_new_passphrase(recovery_passphrase, ("agency", settings.name))
    if supervisor_passphrase == recovery_passphrase:
        raise ValidationError(
            "use different passphrases for the review key and the offline recovery key",
            field="recovery_passphrase",
        )
    keys_dir = settings.keys_dir
    if (keys_dir / ROOT_FILE).exists():
        raise ConfigError("this agency already has keys", path=str(keys_dir))
    recovery_path = (recovery_out or settings.default_recovery_path).expanduser().resolve()
    if recovery_path.exists():
        raise ConfigError("a recovery key file already exists", path=str(recovery_path))
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(keys_dir, 0o700)
    recovery_path.parent.mkdir(parents=True, exist_ok=True)
    at = to_iso(now)
    root, signing = SigningKeyPair.generate(), SigningKeyPair.generate()
    review, recovery = BoxKeyPair.generate(), BoxKeyPair.generate()
    _write_new(keys_dir / ROOT_FILE, _plain_key_file("agency-root", root, at))
    _write_new(keys_dir / SIGNING_FILE, _plain_key_file("agency-signing", signing, at))
    _write_new(
        keys_dir / f"review-{review.key_id}.key",
        wrapped_key_file(
            review, supervisor_passphrase, REVIEW_PURPOSE, at, kdf_params, not_after=""
        ),
    )
    _write_new(
        recovery_path,
        wrapped_key_file(
            recovery, recovery_passphrase, RECOVERY_PURPOSE, at, kdf_params, agency=settings.name
        ),
    )
    _write_new(
        keys_dir / RECOVERY_PUBLIC_FILE,
        {
            "format": 1,
            "purpose": "agency-recovery-public",
            "key_id": recovery.key_id,
            "public": recovery.public_raw.hex(),
            "created_at": at,
        },
    )
    return InitResult(
        root.key_id, root.public_raw, signing.key_id, review.key_id, recovery.key_id, recovery_path
    )


def _public_entry(path: Path, purpose: str) -> AgencyKeyInfo:
    data = _read(path)
    public = _hex32(data, "public", path)
    created_at = data.get("created_at")
    not_after = data.get("not_after", "")
    if not isinstance(created_at, str) or not isinstance(not_after, str):
        raise ConfigError("key file has bad dates", path=str(path))
    return AgencyKeyInfo(key_id(public), purpose, public, created_at, not_after)


def register_keys(
    settings: AgencySettings, storage: Storage, now: datetime, audit: AuditEntry | None = None
) -> bytes:
    """Record the public halves of the key files in a database that has none yet
    and publish a signed bundle (``init``; also when moving to a new database)."""
    if storage.keys.all():
        raise ConfigError("the database already holds agency keys")
    root, signing = load_root(settings), load_signing(settings)
    entries = [
        AgencyKeyInfo(root.key_id, ROOT, root.public_raw, to_iso(now)),
        AgencyKeyInfo(signing.key_id, SIGNING, signing.public_raw, to_iso(now)),
        _public_entry(settings.keys_dir / RECOVERY_PUBLIC_FILE, RECOVERY),
        *(_public_entry(p, REVIEW) for p in review_key_files(settings)),
    ]
    if not any(e.purpose == REVIEW for e in entries):
        raise NotInitialised(f"no review key in {settings.keys_dir}")
    blob = build_bundle(settings.name, root, entries, now)
    storage.keys.change(add=entries, bundle=blob, issued_at=to_iso(now), audit=audit)
    return blob


def _valid_at(key: AgencyKeyInfo, now: datetime) -> bool:
    return not key.not_after or from_iso(key.not_after) > now


def build_bundle(
    agency: str, root: SigningKeyPair, keys: list[AgencyKeyInfo], now: datetime
) -> bytes:
    """Sign the bundle of the keys valid at ``now``; the review key without an
    expiry (the current one) is listed last."""

    def entry(k: AgencyKeyInfo) -> AgencyKey:
        return AgencyKey(k.key_id, k.public, k.not_after)

    def one(purpose: str) -> AgencyKeyInfo:
        found = [k for k in keys if k.purpose == purpose and _valid_at(k, now)]
        if not found:
            raise NotInitialised(f"no valid {purpose} key")
        return found[-1]

    review = sorted(
        (k for k in keys if k.purpose == REVIEW and _valid_at(k, now)),
        key=lambda k: (k.not_after == "", k.not_after, k.created_at, k.key_id),
    )
    if not review or review[-1].not_after:
        raise NotInitialised("no current review key")
    bundle = KeyBundle(
        agency=agency,
        issued_at=to_iso(now),
        signing=entry(one(SIGNING)),
        review=tuple(entry(k) for k in review[-32:]),
        recovery=entry(one(RECOVERY)),
    )
    return sign_document(root, "key-bundle", bundle.to_doc())


def rotate_review_key(
    settings: AgencySettings,
    storage: Storage,
    passphrase: str,
    now: datetime,
    *,
    old_valid_for: timedelta = DEFAULT_OLD_KEY_VALIDITY,
    kdf_params: KdfParams | None = None,
    grant: Callable[[BoxKeyPair], Sequence[ReviewGrant]] | None = None,
    audit: AuditEntry | None = None,
) -> AgencyKeyInfo:
    """Add a new review key (wrapped by the same supervisor passphrase, which is
    checked by opening the current key), give the current one an expiry of
    ``now + old_valid_for`` and publish a re-signed bundle. ``grant`` makes the
    new key's review grants (for the active supervisors); they are stored in the
    same transaction as the new key."""
    if old_valid_for < timedelta(0):
        raise ValidationError("the old key's validity cannot be negative", field="old_valid_for")
    keys = storage.keys.all()
    current = [k for k in keys if k.purpose == REVIEW and not k.not_after]
    if not current:
        raise NotInitialised("no current review key")
    for k in current:  # proves the passphrase; SealBroken if wrong
        load_review_key_file(settings.keys_dir / f"review-{k.key_id}.key", passphrase)
    root = load_root(settings)
    at = to_iso(now)
    expiry = to_iso(now + old_valid_for)
    new = BoxKeyPair.generate()
    new_grants = grant(new) if grant is not None else ()
    _write_new(
        settings.keys_dir / f"review-{new.key_id}.key",
        wrapped_key_file(new, passphrase, REVIEW_PURPOSE, at, kdf_params, not_after=""),
    )
    for k in current:
        path = settings.keys_dir / f"review-{k.key_id}.key"
        data = _read(path)
        data["not_after"] = expiry
        atomic_write(path, (json.dumps(data, indent=2) + "\n").encode())
    info = AgencyKeyInfo(new.key_id, REVIEW, new.public_raw, at)
    after = [
        AgencyKeyInfo(
            k.key_id, k.purpose, k.public, k.created_at, expiry if k in current else k.not_after
        )
        for k in keys
    ]
    blob = build_bundle(settings.name, root, [*after, info], now)
    storage.keys.change(
        add=[info],
        not_after={k.key_id: expiry for k in current},
        bundle=blob,
        issued_at=at,
        grants=new_grants,
        audit=audit,
    )
    return info


def make_wipe_order(settings: AgencySettings, device_id: str, now: datetime) -> bytes:
    """A wipe order for ``device_id`` signed by the agency signing key."""
    signing = load_signing(settings)
    return sign_document(signing, "wipe", wipe_order_doc(device_id, new_id(), to_iso(now)))
