"""``peerdesk-agency``: the agency admin command line.

Commands: ``init``, ``serve``, ``migrate``, ``enroll [--team T]``, ``devices
[--team T]``, ``device team DEVICE TEAM``, ``revoke``, ``recover``,
``provisioning``, ``rotate-review-key``, ``supervisor invite|list|grant|remove``
(supervisor review; see :mod:`peerdesk.agency.supervisors`), ``directory import
FILE`` and ``directory list`` (publish the resource directory; see
:mod:`peerdesk.agency.directory`) and ``audit``. Every command takes ``--dir``
(default ``$PEERDESK_AGENCY_DIR``).

Every admin action (a code or invite issued, a device revoked or moved, a
recovery, a supervisor granted or removed, a key rotation, a directory
publication, init) appends a row to the ``admin_audit`` table in the same
transaction, with the operating-system user who ran it; ``audit`` lists them.

Passphrases are read with getpass, or for automation from ``--passphrase-file``
(first line) or the environment: ``PEERDESK_AGENCY_PASSPHRASE`` (supervisor /
review key) and ``PEERDESK_AGENCY_RECOVERY_PASSPHRASE`` (offline recovery key).

Exit codes: 0 done, 1 failed (the message says why), 2 bad usage, 130 interrupted.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import socket
import ssl
import sys
import tomllib
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from peerdesk.agency import keys
from peerdesk.agency.directory import publish_directory
from peerdesk.agency.errors import NotInitialised
from peerdesk.agency.models import REVIEW, ROOT, AuditEntry, ReviewGrant, Supervisor
from peerdesk.agency.server import (
    CODE_ALPHABET,
    CODE_CHARS,
    MAX_CODE_VALIDITY,
    check_device_id,
    check_team,
    issue_enrollment_code,
    normalize_code,
)
from peerdesk.agency.settings import AgencySettings, check_public_url
from peerdesk.agency.storage import Storage
from peerdesk.agency.supervisors import check_uuid, issue_supervisor_invite, make_grants
from peerdesk.config import (
    LOCKABLE_SETTINGS,
    ProvisionedPolicy,
    Provisioning,
    parse_provisioning,
    provisioning_toml,
)
from peerdesk.crypto.passphrase import check_new_passphrase
from peerdesk.crypto.recovery import encode_code
from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.errors import (
    ConfigError,
    PassphrasePolicyError,
    PeerDeskError,
    ProtocolError,
    SealBroken,
    ValidationError,
)
from peerdesk.ids import now_utc
from peerdesk.logs import setup_logging
from peerdesk.wire.protocol import open_record

log = logging.getLogger("peerdesk.agency.cli")

ENV_PASSPHRASE = "PEERDESK_AGENCY_PASSPHRASE"
ENV_RECOVERY_PASSPHRASE = "PEERDESK_AGENCY_RECOVERY_PASSPHRASE"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
_MAX_CA_BYTES = 256 * 1024


class CommandFailed(PeerDeskError):
    """A command could not do what was asked; the message says why."""


# --- passphrases ----------------------------------------------------------------------


def read_passphrase(
    *, file: str | None, env: str, prompt: str, confirm: bool = False, what: str = "passphrase"
) -> str:
    if file:
        try:
            with open(file, encoding="utf-8") as fh:
                text = fh.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read the {what} file ({exc})", path=file) from None
        if not text:
            raise ConfigError(f"the {what} file is empty", path=file)
        return text
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CommandFailed(f"no {what}: use --passphrase-file or set ${env}")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to confirm: ") != first:
        raise CommandFailed(f"the two {what}s differ")
    return first


# --- helpers --------------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> AgencySettings:
    return AgencySettings.load(args.dir)


def _storage(settings: AgencySettings, *, check: bool = True) -> Storage:
    storage = Storage.from_url(settings.database_url)
    if check:
        try:
            storage.check_schema()
        except BaseException:
            storage.close()
            raise
    return storage


def _log_to(settings: AgencySettings) -> None:
    setup_logging(settings.directory / "logs")


def actor() -> str:
    """Who runs this command, for ``admin_audit``: the OS user at this host."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or passwd
        user = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return f"{user}@{socket.gethostname()}"[:100]


def _audit(action: str, target: str, detail: str = "") -> AuditEntry:
    return AuditEntry(actor(), action, target, detail)


def _hours(args: argparse.Namespace) -> float:
    hours = float(args.expires_hours)
    if not 0 < hours <= MAX_CODE_VALIDITY.total_seconds() / 3600:
        raise CommandFailed("--expires-hours must be more than 0 and at most 720 (30 days)")
    return hours


def _table(rows: list[list[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)


# --- commands -------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    root = AgencySettings.resolve_directory(args.dir)
    if (root / "agency.toml").exists():
        settings = AgencySettings.load(root)
    else:
        if not args.name or not args.url:
            raise CommandFailed("a new agency needs --name and --url")
        settings = None
    keys_exist = (root / "keys" / keys.ROOT_FILE).exists()
    supervisor = recovery = ""
    if not keys_exist:
        context = ("agency", args.name or (settings.name if settings else ""))
        supervisor = read_passphrase(
            file=args.passphrase_file,
            env=ENV_PASSPHRASE,
            prompt="Supervisor passphrase (opens the review key): ",
            confirm=True,
            what="supervisor passphrase",
        )
        check_new_passphrase(supervisor, context)
        recovery = read_passphrase(
            file=args.recovery_passphrase_file,
            env=ENV_RECOVERY_PASSPHRASE,
            prompt="Recovery passphrase (opens the offline recovery key): ",
            confirm=True,
            what="recovery passphrase",
        )
        check_new_passphrase(recovery, context)
    if settings is None:
        settings = AgencySettings.create(
            root, name=args.name, public_url=args.url, database_url=args.database_url
        )
    _log_to(settings)
    storage = _storage(settings, check=False)
    try:
        status = storage.migrate()
        print(status.describe(), file=out)
        now = now_utc()
        if keys_exist:
            if storage.agency_keys():
                raise CommandFailed(f"the agency in {root} is already initialised")
            keys.register_keys(
                settings, storage, now, audit=_audit("init", "", "existing keys registered")
            )
            print("Registered the existing keys in the database.", file=out)
            return EXIT_OK
        result = keys.create_keys(
            settings,
            supervisor_passphrase=supervisor,
            recovery_passphrase=recovery,
            now=now,
            recovery_out=Path(args.recovery_out) if args.recovery_out else None,
        )
        keys.register_keys(
            settings, storage, now, audit=_audit("init", result.root_key_id, "agency keys made")
        )
    finally:
        storage.close()
    log.info("agency initialised; root key %s", result.root_key_id)
    print(
        f"Agency {settings.name!r} initialised in {root}\n"
        f"  root key id:       {result.root_key_id}\n"
        f"  root public key:   {result.root_public.hex()}\n"
        f"  review key id:     {result.review_key_id}\n"
        f"  recovery key id:   {result.recovery_key_id}\n"
        f"\nThe recovery key is in {result.recovery_path}\n"
        "Move it to offline storage (e.g. a USB stick in a safe) and delete it here;\n"
        "it is needed only to recover a peer who forgot their passphrase.\n"
        "\nNext: peerdesk-agency provisioning --url URL  and  peerdesk-agency enroll",
        file=out,
    )
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    storage = _storage(settings, check=False)
    try:
        if args.check:
            status = storage.schema_status()
            print(status.describe(), file=out)
            return EXIT_OK if status.up_to_date else EXIT_FAILED
        status = storage.migrate()
    finally:
        storage.close()
    print(status.describe(), file=out)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    import uvicorn

    from peerdesk.agency.app import create_app

    settings = _settings(args)
    _log_to(settings)
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        raise CommandFailed("give both --ssl-certfile and --ssl-keyfile, or neither")
    if not args.ssl_certfile and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            "warning: serving plain HTTP on a network address; put a TLS proxy in front "
            "or pass --ssl-certfile/--ssl-keyfile",
            file=sys.stderr,
        )
    tls: dict[str, Any] = (
        {"ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile}
        if args.ssl_certfile
        else {}
    )
    if args.workers < 1:
        raise CommandFailed("--workers must be at least 1")
    if args.workers > 1:
        # each worker builds its own app; check the database here, once, with clear words
        storage = _storage(settings)
        try:
            if storage.latest_bundle() is None:
                raise NotInitialised("the database holds no signed key bundle")
        finally:
            storage.close()
        print(f"Agency {settings.name!r} listening on {args.host}:{args.port}", file=out)
        os.environ["PEERDESK_AGENCY_DIR"] = str(settings.directory)
        uvicorn.run(
            "peerdesk.agency.app:app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=args.log_level,
            server_header=False,
            **tls,
        )
    else:
        app = create_app(settings)  # refuses a database that is behind, ahead or without keys
        print(f"Agency {settings.name!r} listening on {args.host}:{args.port}", file=out)
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            server_header=False,
            **tls,
        )
    return EXIT_OK


def cmd_enroll(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    hours = _hours(args)
    team = check_team(args.team)
    storage = _storage(settings)
    try:
        code, expires_at = issue_enrollment_code(
            storage,
            now_utc(),
            timedelta(hours=hours),
            team=team,
            audit=_audit("enroll", team, f"device code valid for {hours:g} h"),
        )
    finally:
        storage.close()
    where = f" It joins team {team!r}." if team else " It joins no team (see --team)."
    print(
        f"Enrollment code: {code}\nExpires: {expires_at} (in {hours:g} h)\n"
        f"It can be used once, by one laptop.{where}",
        file=out,
    )
    return EXIT_OK


def cmd_devices(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    team = None if args.team is None else check_team(args.team)
    storage = _storage(settings)
    try:
        summaries = storage.devices(team=team)
    finally:
        storage.close()
    if not summaries:
        print(
            "No devices enrolled yet." if team is None else f"No devices in team {team!r}.",
            file=out,
        )
        return EXIT_OK
    rows = [["DEVICE", "LABEL", "TEAM", "ENROLLED", "LAST SEEN", "RECORDS", "STATUS"]]
    for s in summaries:
        d = s.device
        status = f"revoked {d.revoked_at[:16]}" if d.revoked_at else "active"
        rows.append(
            [
                d.device_id,
                d.label,
                d.team or "-",
                d.enrolled_at[:16],
                (d.last_seen_at or "never")[:16],
                str(s.records),
                status,
            ]
        )
    _table(rows, out)
    return EXIT_OK


def cmd_device_team(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    _log_to(settings)
    device_id = check_device_id(args.device)
    team = check_team(args.team)
    storage = _storage(settings)
    try:
        before = storage.device(device_id)
        device = storage.set_device_team(
            device_id,
            team,
            now_utc(),
            audit=_audit("device-team", device_id, f"team {before.team!r} -> {team!r}"),
        )
    finally:
        storage.close()
    log.info("device %s moved to team %r", device_id, team)
    where = f"team {team!r}" if team else "no team (no supervisor sees its notes)"
    print(f"Device {device_id} ({device.label}) is now in {where}.", file=out)
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    _log_to(settings)
    device_id = check_device_id(args.device)
    storage = _storage(settings)
    try:
        device = storage.device(device_id)
        if device.revoked:
            raise CommandFailed(f"device {device_id} was already revoked at {device.revoked_at}")
        now = now_utc()
        order = keys.make_wipe_order(settings, device_id, now)
        storage.revoke_device(device_id, order, now, audit=_audit("revoke", device_id))
    finally:
        storage.close()
    log.info("device %s revoked", device_id)
    print(
        f"Device {device_id} ({device.label}) is revoked.\n"
        "A signed wipe order is queued: the laptop erases its keys the next time it "
        "contacts the agency.",
        file=out,
    )
    return EXIT_OK


def cmd_recover(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    _log_to(settings)
    device_id = check_device_id(args.device)
    key_path = Path(args.recovery_key)
    storage = _storage(settings)
    try:
        storage.device(device_id)  # NotFound if unknown
        escrow = storage.newest_unused_escrow(device_id)
        if escrow is None:
            used = storage.last_used_escrow_at(device_id)
            why = f" (the last one was used at {used})" if used else ""
            raise CommandFailed(
                f"device {device_id} has no unused recovery escrow{why}; the laptop sends a "
                "new one at its next sync after a recovery"
            )
        passphrase = read_passphrase(
            file=args.passphrase_file,
            env=ENV_RECOVERY_PASSPHRASE,
            prompt="Recovery passphrase: ",
            what="recovery passphrase",
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
        audit = _audit("recover", device_id, f"escrow record {escrow.seq}")
        if not storage.mark_escrow_used(escrow.seq, now_utc(), audit=audit):
            raise CommandFailed("this escrow was used by another recovery just now")
    finally:
        storage.close()
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
    pinned); write it with :func:`peerdesk.config.provisioning_toml`. The file is
    read back with the laptop's own parser first, so a file the laptop would
    refuse is never handed out (the error names the key)."""
    roots = storage.agency_keys(ROOT)
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
    settings = _settings(args)
    ca = _check_ca(args.ca) if args.ca else None
    storage = _storage(settings)
    try:
        prov = provisioning_document(
            settings, storage, args.url, ca_pem=ca, code=args.code, policy=_provisioned_policy(args)
        )
    finally:
        storage.close()
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


def cmd_rotate(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    _log_to(settings)
    if not 0 <= args.old_valid_days <= 3650:
        raise CommandFailed("--old-valid-days must be between 0 and 3650")
    passphrase = read_passphrase(
        file=args.passphrase_file,
        env=ENV_PASSPHRASE,
        prompt="Supervisor passphrase: ",
        what="supervisor passphrase",
    )
    storage = _storage(settings)
    try:
        active = storage.supervisors(active_only=True)

        def grant(pair: BoxKeyPair) -> list[ReviewGrant]:
            return [g for s in active for g in make_grants(s, [pair])]

        try:
            info = keys.rotate_review_key(
                settings,
                storage,
                passphrase,
                now_utc(),
                old_valid_for=timedelta(days=args.old_valid_days),
                grant=grant,
                audit=_audit(
                    "rotate-review-key",
                    "",
                    f"granted to {len(active)} active supervisor(s); "
                    f"old key valid {args.old_valid_days} day(s)",
                ),
            )
        except SealBroken:
            raise CommandFailed("wrong supervisor passphrase") from None
    finally:
        storage.close()
    log.info("review key rotated; new key %s", info.key_id)
    print(
        f"New review key {info.key_id}; the previous one stays valid for "
        f"{args.old_valid_days} day(s). Laptops pick up the new key bundle at their next sync.\n"
        f"The new key was granted to {len(active)} active supervisor(s).",
        file=out,
    )
    return EXIT_OK


def cmd_directory_import(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    _log_to(settings)
    path = Path(args.file)
    if not path.exists():
        raise CommandFailed(f"{path}: no such file or folder")
    signer = keys.load_signing(settings)
    storage = _storage(settings)
    try:
        done = publish_directory(storage, path, signer, now_utc(), actor=actor())
    finally:
        storage.close()
    if done.seq is None:
        print(
            f"The directory in {path} is the same as the published version {done.version} "
            f"({done.services} services): nothing was published.",
            file=out,
        )
        return EXIT_OK
    if done.kind == "snapshot":
        what = f"the whole directory, {done.services} services"
    else:
        what = (
            f"changes: {done.added} added, {done.updated} updated, {done.removed} removed; "
            f"{done.services} services in all"
        )
    log.info("directory version %d published (%s)", done.version, done.kind)
    print(
        f"Published directory version {done.version} ({what}; {done.signed_bytes:,} bytes, "
        "signed with the agency signing key).\n"
        "Every laptop receives it at its next sync.",
        file=out,
    )
    return EXIT_OK


def cmd_directory_list(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    storage = _storage(settings)
    try:
        history = storage.directory_history()
    finally:
        storage.close()
    if not history:
        print("No directory published yet: peerdesk-agency directory import FILE", file=out)
        return EXIT_OK
    rows = [["VERSION", "KIND", "SERVICES", "PUBLISHED"]]
    rows += [[str(v.version), v.kind, str(v.services), v.published_at[:16]] for v in history]
    _table(rows, out)
    return EXIT_OK


# --- supervisors ----------------------------------------------------------------------


def cmd_supervisor_invite(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    _log_to(settings)
    hours = _hours(args)
    storage = _storage(settings)
    try:
        code, expires_at = issue_supervisor_invite(
            storage,
            name=args.name,
            team=args.team,
            now=now_utc(),
            valid_for=timedelta(hours=hours),
            audit=_audit("supervisor-invite", args.team.strip(), f"for {args.name.strip()}"),
        )
    finally:
        storage.close()
    print(
        f"Supervisor invite: {code}\nFor: {args.name.strip()}, team {args.team.strip()!r}\n"
        f"Expires: {expires_at} (in {hours:g} h)\n"
        "It can be used once, in the supervisor's PeerDesk. When they have enrolled, run\n"
        "  peerdesk-agency supervisor grant SUPERVISOR_ID\n"
        "so that their PeerDesk can open the team's notes.",
        file=out,
    )
    return EXIT_OK


def cmd_supervisor_list(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    storage = _storage(settings)
    try:
        found = storage.supervisors()
        review_keys = {k.key_id for k in storage.agency_keys(REVIEW)}
        granted = {
            s.supervisor_id: {g.key_id for g in storage.grants(s.supervisor_id)} for s in found
        }
    finally:
        storage.close()
    if not found:
        print("No supervisors enrolled yet: peerdesk-agency supervisor invite", file=out)
        return EXIT_OK
    rows = [["SUPERVISOR", "NAME", "TEAM", "ENROLLED", "REVIEW KEYS", "STATUS"]]
    for s in found:
        have = len(granted[s.supervisor_id] & review_keys)
        status = f"removed {s.removed_at[:16]}" if s.removed_at else "active"
        if not s.removed and have < len(review_keys):
            status = "needs grant"
        rows.append(
            [
                s.supervisor_id,
                s.name,
                s.team,
                s.enrolled_at[:16],
                f"{have}/{len(review_keys)}",
                status,
            ]
        )
    _table(rows, out)
    return EXIT_OK


def _supervisor_arg(storage: Storage, value: str) -> Supervisor:
    return storage.supervisor(check_uuid(value, "supervisor"))


def cmd_supervisor_grant(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    _log_to(settings)
    storage = _storage(settings)
    try:
        supervisor = _supervisor_arg(storage, args.supervisor)
        if supervisor.removed:
            raise CommandFailed(
                f"supervisor {supervisor.supervisor_id} ({supervisor.name}) was removed at "
                f"{supervisor.removed_at}; a removed supervisor gets no review keys"
            )
        passphrase = read_passphrase(
            file=args.passphrase_file,
            env=ENV_PASSPHRASE,
            prompt="Supervisor passphrase (opens the review keys): ",
            what="supervisor passphrase",
        )
        try:
            pairs = keys.load_review_keys(settings, passphrase)
        except SealBroken:
            raise CommandFailed("wrong supervisor passphrase") from None
        registered = {k.key_id for k in storage.agency_keys(REVIEW)}
        pairs = [p for p in pairs if p.key_id in registered]
        grants = make_grants(supervisor, pairs)
        storage.put_grants(
            grants,
            now_utc(),
            audit=_audit(
                "supervisor-grant",
                supervisor.supervisor_id,
                f"{len(grants)} review key(s): {', '.join(g.key_id for g in grants)}",
            ),
        )
    finally:
        storage.close()
    log.info("review keys granted to supervisor %s", supervisor.supervisor_id)
    print(
        f"Granted {len(grants)} review key(s) to {supervisor.name} (team {supervisor.team!r}).\n"
        "Their PeerDesk opens the team's notes, old ones too, at its next pull.",
        file=out,
    )
    return EXIT_OK


def cmd_supervisor_remove(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    _log_to(settings)
    supervisor_id = check_uuid(args.supervisor, "supervisor")
    storage = _storage(settings)
    try:
        removed = storage.remove_supervisor(
            supervisor_id, now_utc(), audit=_audit("supervisor-remove", supervisor_id)
        )
    finally:
        storage.close()
    log.info("supervisor %s removed", supervisor_id)
    print(
        f"Supervisor {supervisor_id} ({removed.name}, team {removed.team!r}) is removed: the\n"
        "agency refuses their credential and their review keys are withdrawn.\n"
        "Now run  peerdesk-agency rotate-review-key  so that they cannot open notes that\n"
        "laptops seal from then on (what they pulled before stays on their machine).",
        file=out,
    )
    return EXIT_OK


def cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    if not 1 <= args.limit <= 100_000:
        raise CommandFailed("--limit must be 1-100000")
    storage = _storage(settings)
    try:
        entries = storage.admin_audit(limit=args.limit)
    finally:
        storage.close()
    if not entries:
        print("No admin actions recorded yet.", file=out)
        return EXIT_OK
    rows = [["SEQ", "AT", "ACTOR", "ACTION", "TARGET", "DETAIL"]]
    rows += [[str(e.seq), e.at[:19], e.actor, e.action, e.target, e.detail] for e in entries]
    _table(rows, out)
    return EXIT_OK


# --- parser ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peerdesk-agency",
        description="Run and administer a PeerDesk agency server.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--dir", help="agency directory (default: $PEERDESK_AGENCY_DIR)", default=None
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace, TextIO], int], text: str) -> Any:
        p = sub.add_parser(name, parents=[common], help=text, description=text)
        p.set_defaults(func=func)
        return p

    p = add("init", cmd_init, "create the agency: settings, database and keys")
    p.add_argument("--name", help="the agency's name, shown to peers")
    p.add_argument("--url", help="public https:// URL of the agency")
    p.add_argument("--database-url", help="default: sqlite:///<dir>/agency.db")
    p.add_argument("--recovery-out", help="where to write the recovery key (move it offline)")
    p.add_argument("--passphrase-file", help="supervisor passphrase (first line)")
    p.add_argument("--recovery-passphrase-file", help="recovery passphrase (first line)")

    p = add("serve", cmd_serve, "run the API server (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8443)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--ssl-certfile")
    p.add_argument("--ssl-keyfile")
    p.add_argument("--log-level", default="info", choices=["warning", "info", "debug"])

    p = add("migrate", cmd_migrate, "bring the database schema up to date")
    p.add_argument("--check", action="store_true", help="only report; exit 1 if not up to date")

    p = add("enroll", cmd_enroll, "print a one-time enrollment code for a new laptop")
    p.add_argument("--expires-hours", type=float, default=72.0)
    p.add_argument("--team", default="", help="the team the laptop joins (its supervisors)")

    p = add("devices", cmd_devices, "list enrolled laptops")
    p.add_argument("--team", help="only the laptops of this team")

    text = "change an enrolled laptop"
    device = sub.add_parser("device", help=text, description=text)
    devsub = device.add_subparsers(dest="device_command", required=True, metavar="ACTION")
    text = 'move a laptop to a team ("" = no team)'
    p = devsub.add_parser("team", parents=[common], help=text, description=text)
    p.add_argument("device", metavar="DEVICE", help="device id")
    p.add_argument("team", metavar="TEAM", help="team name")
    p.set_defaults(func=cmd_device_team)

    text = "supervisors: invite, list, grant review keys, remove"
    supervisor = sub.add_parser("supervisor", help=text, description=text)
    ssub = supervisor.add_subparsers(dest="supervisor_command", required=True, metavar="ACTION")
    text = "print a one-time invite for a new supervisor of a team"
    p = ssub.add_parser("invite", parents=[common], help=text, description=text)
    p.add_argument("--name", required=True, help="the supervisor's name, as decisions show it")
    p.add_argument("--team", required=True, help="the team whose notes they review")
    p.add_argument("--expires-hours", type=float, default=72.0)
    p.set_defaults(func=cmd_supervisor_invite)
    text = "list supervisors, their teams and review keys"
    p = ssub.add_parser("list", parents=[common], help=text, description=text)
    p.set_defaults(func=cmd_supervisor_list)
    text = "give an enrolled supervisor every review key (old notes too)"
    p = ssub.add_parser("grant", parents=[common], help=text, description=text)
    p.add_argument("supervisor", metavar="ID", help="supervisor id")
    p.add_argument("--passphrase-file", help="supervisor passphrase (first line)")
    p.set_defaults(func=cmd_supervisor_grant)
    text = "end a supervisor's access (then rotate the review key)"
    p = ssub.add_parser("remove", parents=[common], help=text, description=text)
    p.add_argument("supervisor", metavar="ID", help="supervisor id")
    p.set_defaults(func=cmd_supervisor_remove)

    p = add("audit", cmd_audit, "list the admin actions recorded, oldest first")
    p.add_argument("--limit", type=int, default=1000)

    p = add("revoke", cmd_revoke, "revoke a laptop; it wipes itself at its next contact")
    p.add_argument("device", metavar="DEVICE", help="device id")

    p = add("recover", cmd_recover, "make a recovery code for a peer who forgot the passphrase")
    p.add_argument("device", metavar="DEVICE", help="device id")
    p.add_argument("--recovery-key", required=True, help="the offline recovery key file")
    p.add_argument("--passphrase-file", help="recovery passphrase (first line)")

    p = add("provisioning", cmd_provisioning, "print the provisioning file (TOML) for installers")
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

    p = add("rotate-review-key", cmd_rotate, "add a new review key and re-sign the key bundle")
    p.add_argument("--old-valid-days", type=int, default=keys.DEFAULT_OLD_KEY_VALIDITY.days)
    p.add_argument("--passphrase-file", help="supervisor passphrase (first line)")

    text = "publish the resource directory to every laptop"
    directory = sub.add_parser("directory", help=text, description=text)
    dsub = directory.add_subparsers(dest="directory_command", required=True, metavar="ACTION")
    text = "check an HSDS JSON file or CSV folder and publish it as a signed update"
    p = dsub.add_parser("import", parents=[common], help=text, description=text)
    p.add_argument("file", metavar="FILE", help="HSDS JSON file, or a folder of HSDS CSV files")
    p.set_defaults(func=cmd_directory_import)
    text = "list the published directory versions"
    p = dsub.add_parser("list", parents=[common], help=text, description=text)
    p.set_defaults(func=cmd_directory_list)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    stream = out if out is not None else sys.stdout
    try:
        result: int = args.func(args, stream)
        return result
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except PassphrasePolicyError as exc:
        print(f"peerdesk-agency: passphrase not accepted: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except PeerDeskError as exc:
        print(f"peerdesk-agency: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
