"""``peerdesk-agency recover`` and ``provisioning``: what IT hands to a laptop - a
recovery code for a peer who forgot the passphrase, the provisioning file for
installers (its format is :mod:`peerdesk.wire.provisioning`)."""

from __future__ import annotations

import argparse
import os
import ssl
import tomllib
from pathlib import Path
from typing import Any, TextIO

from peerdesk.agency import keys
from peerdesk.agency.cli.common import (
    EXIT_OK,
    RECOVERY_PASSPHRASE,
    CommandFailed,
    Parsers,
    audit_entry,
    load_settings,
    log,
    log_to,
    open_storage,
    read_passphrase,
)
from peerdesk.agency.models import ROOT
from peerdesk.agency.server import CODE_ALPHABET, CODE_CHARS, check_device_id, normalize_code
from peerdesk.agency.settings import AgencySettings, check_public_url
from peerdesk.agency.storage import Storage
from peerdesk.crypto.recovery import encode_code
from peerdesk.errors import ConfigError, ProtocolError, SealBroken, ValidationError
from peerdesk.ids import now_utc
from peerdesk.wire.protocol import open_record
from peerdesk.wire.provisioning import (
    LOCKABLE_SETTINGS,
    ProvisionedPolicy,
    Provisioning,
    parse_provisioning,
    provisioning_toml,
)

_MAX_CA_BYTES = 256 * 1024


def cmd_recover(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    device_id = check_device_id(args.device)
    key_path = Path(args.recovery_key)
    with open_storage(settings) as storage:
        storage.devices.get(device_id)  # NotFound if unknown
        escrow = storage.records.newest_unused_escrow(device_id)
        if escrow is None:
            used = storage.records.last_used_escrow_at(device_id)
            why = f" (the last one was used at {used})" if used else ""
            raise CommandFailed(
                f"device {device_id} has no unused recovery escrow{why}; the laptop sends a "
                "new one at its next sync after a recovery"
            )
        passphrase = read_passphrase(
            RECOVERY_PASSPHRASE, file=args.passphrase_file, prompt="Recovery passphrase: "
        )
        try:
            key = keys.load_recovery_key(key_path, passphrase)
        except SealBroken:
            raise CommandFailed(
                "wrong recovery passphrase (or not this agency's recovery key file)"
            ) from None
        if escrow.key_id != key.key_id:
            raise CommandFailed(
                f"the escrow is sealed to recovery key {escrow.key_id}, but {key_path} holds "
                f"key {key.key_id}; use this agency's recovery key file"
            )
        try:
            payload = open_record(escrow.to_record(), device_id, key)
        except (SealBroken, ProtocolError):
            raise CommandFailed(
                f"escrow record {escrow.seq} does not open (altered or not a recovery escrow)"
            ) from None
        secret = payload.get("secret")
        if not isinstance(secret, bytes) or len(secret) != 16:
            raise CommandFailed("the escrow record does not hold a recovery secret")
        audit = audit_entry("recover", device_id, f"escrow record {escrow.seq}")
        if not storage.records.mark_escrow_used(escrow.seq, now_utc(), audit=audit):
            raise CommandFailed("this escrow was used by another recovery just now")
    log.warning("recovery code issued for device %s (escrow seq %d)", device_id, escrow.seq)
    print(
        f"Recovery code for device {device_id}:\n\n    {encode_code(secret)}\n\n"
        "Read it to the peer; with it and a new passphrase the laptop opens again.\n"
        "It works once. This recovery is logged.",
        file=out,
    )
    return EXIT_OK


def _check_ca(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_CA_BYTES + 1)
        if len(raw) > _MAX_CA_BYTES:
            raise ConfigError("the CA file is too large", path=path)
        pem = raw.decode("ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the CA certificate ({exc})", path=path) from None
    if "-----BEGIN CERTIFICATE-----" not in pem:
        raise ConfigError("not a PEM certificate", path=path)
    try:
        ssl.create_default_context(cadata=pem)
    except (ssl.SSLError, ValueError) as exc:
        raise ConfigError(f"not a usable CA certificate ({exc})", path=path) from None
    return pem


def provisioning_document(
    settings: AgencySettings,
    storage: Storage,
    url: str,
    *,
    ca_pem: str | None = None,
    code: str | None = None,
    policy: ProvisionedPolicy | None = None,
) -> Provisioning:
    """What a laptop of this agency is provisioned with (the newest root key,
    pinned); write it with :func:`peerdesk.wire.provisioning.provisioning_toml`.
    The file is read back with the laptop's own parser first, so a file the laptop
    would refuse is never handed out (the error names the key)."""
    roots = storage.keys.all(ROOT)
    if not roots:
        raise CommandFailed("the agency has no root key yet: run `peerdesk-agency init`")
    enrollment_code = None
    if code is not None:
        text = normalize_code(code)
        if len(text) != CODE_CHARS or any(ch not in CODE_ALPHABET for ch in text):
            raise ValidationError("--code is not an enrollment code (XXXXX-XXXXX)", field="code")
        enrollment_code = f"{text[:5]}-{text[5:]}"
    prov = Provisioning(
        agency_name=settings.name,
        agency_url=check_public_url(url),
        root_public_key=roots[-1].public,
        root_key_id=roots[-1].key_id,
        ca_cert_pem=ca_pem,
        enrollment_code=enrollment_code,
        policy=policy or ProvisionedPolicy(),
    )
    return parse_provisioning(tomllib.loads(provisioning_toml(prov)))


def _provisioned_policy(args: argparse.Namespace) -> ProvisionedPolicy:
    default = ProvisionedPolicy()

    def given(value: int | bool | None, fallback: int | bool) -> Any:
        return fallback if value is None else value

    return ProvisionedPolicy(
        auto_lock_minutes=given(args.auto_lock_minutes, default.auto_lock_minutes),
        failed_attempt_limit=given(args.failed_attempt_limit, default.failed_attempt_limit),
        retention_days=given(args.retention_days, default.retention_days),
        metered_sync=given(args.metered_sync, default.metered_sync),
        locked=frozenset(args.lock or ()),
    )


def cmd_provisioning(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    ca = _check_ca(args.ca) if args.ca else None
    with open_storage(settings) as storage:
        prov = provisioning_document(
            settings, storage, args.url, ca_pem=ca, code=args.code, policy=_provisioned_policy(args)
        )
    text = provisioning_toml(prov)
    if args.out:
        try:
            fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise ConfigError(f"cannot write ({exc.strerror})", path=args.out) from None
        print(f"Provisioning file written to {args.out}", file=out)
    else:
        out.write(text)
    return EXIT_OK


# --- parsers --------------------------------------------------------------------------


def add_recover(parsers: Parsers) -> None:
    text = "make a recovery code for a peer who forgot the passphrase"
    p = parsers.add("recover", cmd_recover, text)
    p.add_argument("device", metavar="DEVICE", help="device id")
    p.add_argument("--recovery-key", required=True, help="the offline recovery key file")
    p.add_argument("--passphrase-file", help="recovery passphrase (first line)")


def add_provisioning(parsers: Parsers) -> None:
    text = "print the provisioning file (TOML) for installers"
    p = parsers.add("provisioning", cmd_provisioning, text)
    p.add_argument("--url", required=True, help="the agency URL laptops connect to")
    p.add_argument("--ca", help="PEM file of the CA that signed the agency's TLS certificate")
    p.add_argument("--code", help="an enrollment code to include")
    p.add_argument("--out", help="write to this file (mode 0600) instead of printing")
    p.add_argument("--auto-lock-minutes", type=int, help="lock after this many idle minutes")
    p.add_argument("--failed-attempt-limit", type=int, help="failed unlocks before the wipe")
    p.add_argument("--retention-days", type=int, help="days synced records stay on a laptop")
    p.add_argument(
        "--metered-sync",
        action=argparse.BooleanOptionalAction,
        help="sync by itself on metered connections (default: no)",
    )
    p.add_argument(
        "--lock",
        action="append",
        choices=LOCKABLE_SETTINGS,
        metavar="SETTING",
        help=f"a setting users cannot change ({', '.join(LOCKABLE_SETTINGS)}); repeatable",
    )
