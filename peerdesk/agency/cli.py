"""``peerdesk-agency``: the agency admin command line.

Commands: ``init``, ``serve``, ``migrate``, ``enroll``, ``devices``, ``revoke``,
``recover``, ``provisioning``, ``rotate-review-key``, ``directory import FILE`` and
``directory list`` (publish the resource directory; see :mod:`peerdesk.agency.directory`). Every command takes
``--dir`` (default ``$PEERDESK_AGENCY_DIR``).

Passphrases are read with getpass, or for automation from ``--passphrase-file``
(first line) or the environment: ``PEERDESK_AGENCY_PASSPHRASE`` (supervisor /
review key) and ``PEERDESK_AGENCY_RECOVERY_PASSPHRASE`` (offline recovery key).

Exit codes: 0 done, 1 failed (the message says why), 2 bad usage, 130 interrupted.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import ssl
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from peerdesk.agency import keys
from peerdesk.agency.directory import publish_directory
from peerdesk.agency.errors import NotInitialised
from peerdesk.agency.models import ROOT
from peerdesk.agency.server import (
    CODE_ALPHABET,
    CODE_CHARS,
    MAX_CODE_VALIDITY,
    check_device_id,
    issue_enrollment_code,
    normalize_code,
)
from peerdesk.agency.settings import AgencySettings, check_public_url
from peerdesk.agency.storage import Storage
from peerdesk.crypto.passphrase import check_new_passphrase
from peerdesk.crypto.recovery import encode_code
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
from peerdesk.sync.protocol import open_record

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
            keys.register_keys(settings, storage, now)
            print("Registered the existing keys in the database.", file=out)
            return EXIT_OK
        result = keys.create_keys(
            settings,
            supervisor_passphrase=supervisor,
            recovery_passphrase=recovery,
            now=now,
            recovery_out=Path(args.recovery_out) if args.recovery_out else None,
        )
        keys.register_keys(settings, storage, now)
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
    hours = args.expires_hours
    if not 0 < hours <= MAX_CODE_VALIDITY.total_seconds() / 3600:
        raise CommandFailed("--expires-hours must be more than 0 and at most 720 (30 days)")
    storage = _storage(settings)
    try:
        code, expires_at = issue_enrollment_code(storage, now_utc(), timedelta(hours=hours))
    finally:
        storage.close()
    print(
        f"Enrollment code: {code}\nExpires: {expires_at} (in {hours:g} h)\n"
        "It can be used once, by one laptop.",
        file=out,
    )
    return EXIT_OK


def cmd_devices(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    storage = _storage(settings)
    try:
        summaries = storage.devices()
    finally:
        storage.close()
    if not summaries:
        print("No devices enrolled yet.", file=out)
        return EXIT_OK
    rows = [["DEVICE", "LABEL", "ENROLLED", "LAST SEEN", "RECORDS", "STATUS"]]
    for s in summaries:
        d = s.device
        status = f"revoked {d.revoked_at[:16]}" if d.revoked_at else "active"
        rows.append(
            [
                d.device_id,
                d.label,
                d.enrolled_at[:16],
                (d.last_seen_at or "never")[:16],
                str(s.records),
                status,
            ]
        )
    _table(rows, out)
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
        storage.revoke_device(device_id, order, now)
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
        if not storage.mark_escrow_used(escrow.seq, now_utc()):
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
) -> dict[str, Any]:
    """The provisioning JSON of the sync contract."""
    roots = storage.agency_keys(ROOT)
    if not roots:
        raise CommandFailed("the agency has no root key yet: run `peerdesk-agency init`")
    doc: dict[str, Any] = {
        "format": 1,
        "agency_name": settings.name,
        "agency_url": check_public_url(url),
        "root_public_key": roots[-1].public.hex(),
        "root_key_id": roots[-1].key_id,
    }
    if ca_pem is not None:
        doc["ca_cert_pem"] = ca_pem
    if code is not None:
        text = normalize_code(code)
        if len(text) != CODE_CHARS or any(ch not in CODE_ALPHABET for ch in text):
            raise ValidationError("--code is not an enrollment code (XXXXX-XXXXX)", field="code")
        doc["enrollment_code"] = f"{text[:5]}-{text[5:]}"
    return doc


def cmd_provisioning(args: argparse.Namespace, out: TextIO) -> int:
    settings = _settings(args)
    ca = _check_ca(args.ca) if args.ca else None
    storage = _storage(settings)
    try:
        doc = provisioning_document(settings, storage, args.url, ca_pem=ca, code=args.code)
    finally:
        storage.close()
    text = json.dumps(doc, indent=2) + "\n"
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
        try:
            info = keys.rotate_review_key(
                settings,
                storage,
                passphrase,
                now_utc(),
                old_valid_for=timedelta(days=args.old_valid_days),
            )
        except SealBroken:
            raise CommandFailed("wrong supervisor passphrase") from None
    finally:
        storage.close()
    log.info("review key rotated; new key %s", info.key_id)
    print(
        f"New review key {info.key_id}; the previous one stays valid for "
        f"{args.old_valid_days} day(s). Laptops pick up the new key bundle at their next sync.",
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
        done = publish_directory(storage, path, signer, now_utc())
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

    add("devices", cmd_devices, "list enrolled laptops")

    p = add("revoke", cmd_revoke, "revoke a laptop; it wipes itself at its next contact")
    p.add_argument("device", metavar="DEVICE", help="device id")

    p = add("recover", cmd_recover, "make a recovery code for a peer who forgot the passphrase")
    p.add_argument("device", metavar="DEVICE", help="device id")
    p.add_argument("--recovery-key", required=True, help="the offline recovery key file")
    p.add_argument("--passphrase-file", help="recovery passphrase (first line)")

    p = add("provisioning", cmd_provisioning, "print the provisioning file for installers")
    p.add_argument("--url", required=True, help="the agency URL laptops connect to")
    p.add_argument("--ca", help="PEM file of the CA that signed the agency's TLS certificate")
    p.add_argument("--code", help="an enrollment code to include")
    p.add_argument("--out", help="write to this file (mode 0600) instead of printing")

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
