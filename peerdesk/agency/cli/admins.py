"""``peerdesk-agency admin add|list|remove|unlock|reset``: the web console's accounts (see
:mod:`peerdesk.agency.console`). The console cannot make its first account
itself: ``admin add NAME --role admin`` on the server does, and prints the TOTP
secret and its ``otpauth://`` URI once (for the authenticator app). ``unlock``
lifts the sign-in locks of an account at once; ``reset`` gives it a new password
and a new TOTP secret (printed once) and ends its sessions."""

from __future__ import annotations

import argparse
from typing import TextIO

import segno

from peerdesk.agency.cli.common import (
    EXIT_OK,
    Parsers,
    Passphrase,
    actor,
    audit_entry,
    load_settings,
    log,
    log_to,
    open_storage,
    print_table,
    read_passphrase,
)
from peerdesk.agency.console.auth import (
    add_account,
    check_new_password,
    check_username,
    hash_password,
    new_totp_secret,
    totp_uri,
)
from peerdesk.agency.settings import AgencySettings
from peerdesk.ids import now_utc

ENV_CONSOLE_PASSWORD = "PEERDESK_CONSOLE_PASSWORD"
CONSOLE_PASSWORD = Passphrase(ENV_CONSOLE_PASSWORD, "console password")


def _new_password(args: argparse.Namespace, prompt: str) -> tuple[AgencySettings, str, str]:
    """The settings, the checked user name and a new password (asked twice, or read
    from --password-file / the environment) for ``admin add`` and ``admin reset``."""
    settings = load_settings(args)
    log_to(settings)
    username = check_username(args.username)
    password = read_passphrase(
        CONSOLE_PASSWORD,
        file=args.password_file,
        prompt=f"{prompt} for {username}: ",
        confirm=True,
        flag="--password-file",
    )
    return settings, username, password


def _show_totp(args: argparse.Namespace, out: TextIO, said: str, secret: str, uri: str) -> None:
    """Print the TOTP secret and URI once (and the QR code with --qr)."""
    print(
        f"{said}\n"
        "Add it to an authenticator app now (shown once; keep it secret):\n"
        f"  TOTP secret: {secret}\n"
        f"  URI: {uri}",
        file=out,
    )
    if args.qr:
        print("Or scan this with the app:", file=out)
        qr_code(uri).terminal(out=out, compact=True)


def cmd_admin_add(args: argparse.Namespace, out: TextIO) -> int:
    settings, username, password = _new_password(args, "Console password")
    with open_storage(settings) as storage:
        made = add_account(
            storage,
            username=username,
            role=args.role,
            password=password,
            agency=settings.name,
            now=now_utc(),
            actor=actor(),
        )
    log.info("console account %s (%s) added", made.username, made.role)
    said = f"Console account {made.username} ({made.role}) added."
    _show_totp(args, out, said, made.totp_secret, made.totp_uri)
    print("Sign in at <public_url>/console with the password and the app's 6-digit code.", file=out)
    return EXIT_OK


def qr_code(text: str) -> segno.QRCode:
    """The QR code of ``text`` (error correction M, as authenticator apps print)."""
    return segno.make(text, error="m", micro=False)


def cmd_admin_list(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    now = now_utc()
    with open_storage(settings) as storage:
        accounts = storage.admins.all()
        locks = {a.username: storage.admins.locked_addresses(a.username, now) for a in accounts}
    if not accounts:
        print("No console accounts yet: peerdesk-agency admin add NAME --role admin", file=out)
        return EXIT_OK
    rows = [["NAME", "ROLE", "CREATED", "STATUS"]]
    for a in accounts:
        status = f"removed {a.removed_at[:16]}" if a.removed_at else "active"
        if not a.removed_at and locks[a.username]:
            status = f"active ({locks[a.username]} address(es) locked out: admin unlock)"
        rows.append([a.username, a.role, a.created_at[:16], status])
    print_table(rows, out)
    return EXIT_OK


def cmd_admin_remove(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    username = check_username(args.username)
    with open_storage(settings) as storage:
        storage.admins.remove(username, now_utc(), audit=audit_entry("console-remove", username))
    print(f"Console account {username} removed; its sessions ended.", file=out)
    return EXIT_OK


def cmd_admin_unlock(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    username = check_username(args.username)
    with open_storage(settings) as storage:
        locked = storage.admins.unlock(
            username, now_utc(), audit=audit_entry("console-unlock", username)
        )
    print(f"Console account {username}: {locked} locked address(es) unlocked.", file=out)
    return EXIT_OK


def cmd_admin_reset(args: argparse.Namespace, out: TextIO) -> int:
    settings, username, password = _new_password(args, "New console password")
    check_new_password(password, username)
    secret = new_totp_secret()
    with open_storage(settings) as storage:
        storage.admins.reset(
            username,
            hash_password(password),
            secret,
            now_utc(),
            audit=audit_entry("console-reset", username, "new password and TOTP secret"),
        )
    uri = totp_uri(secret, username, settings.name)
    log.info("console account %s reset", username)
    said = (
        f"Console account {username} reset: new password, new TOTP secret; its sessions "
        "ended and its locks were lifted."
    )
    _show_totp(args, out, said, secret, uri)
    return EXIT_OK


def add_admin(parsers: Parsers) -> None:
    admin = parsers.group("admin", "accounts of the web console (/console)", "admin_command")
    p = parsers.action(admin, "add", cmd_admin_add, "add a console account; prints its TOTP secret")
    p.add_argument("username", metavar="NAME", help="account name (a-z, 0-9, . _ -)")
    p.add_argument("--role", choices=("admin", "auditor"), required=True)
    p.add_argument("--password-file", help=f"the password (first line); or ${ENV_CONSOLE_PASSWORD}")
    p.add_argument("--qr", action="store_true", help="also print the TOTP URI as a QR code")
    parsers.action(admin, "list", cmd_admin_list, "list the console accounts")
    p = parsers.action(admin, "remove", cmd_admin_remove, "remove a console account")
    p.add_argument("username", metavar="NAME")
    p = parsers.action(admin, "unlock", cmd_admin_unlock, "lift a console account's sign-in locks")
    p.add_argument("username", metavar="NAME")
    p = parsers.action(
        admin, "reset", cmd_admin_reset, "new password and TOTP secret for a console account"
    )
    p.add_argument("username", metavar="NAME")
    p.add_argument("--password-file", help=f"the password (first line); or ${ENV_CONSOLE_PASSWORD}")
    p.add_argument("--qr", action="store_true", help="also print the TOTP URI as a QR code")
