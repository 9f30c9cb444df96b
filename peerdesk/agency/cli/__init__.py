"""``peerdesk-agency``: the agency admin command line.

Commands: ``init``, ``serve``, ``migrate``, ``enroll [--team T]``, ``devices
[--team T]``, ``device team DEVICE TEAM``, ``revoke``, ``recover``,
``provisioning``, ``backup``, ``restore``, ``rotate-review-key``, ``supervisor invite|list|grant|remove``
(supervisor review; see :mod:`peerdesk.agency.supervisors`), ``directory import
FILE`` and ``directory list`` (publish the resource directory; see
:mod:`peerdesk.agency.directory`), ``admin add|list|remove`` (the web
console's accounts; see :mod:`peerdesk.agency.console`) and ``audit``. Every command takes ``--dir``
(default ``$PEERDESK_AGENCY_DIR``).

Every admin action (a code or invite issued, a device revoked or moved, a
recovery, a supervisor granted or removed, a key rotation, a directory
publication, init) appends a row to the ``admin_audit`` table in the same
transaction, with the operating-system user who ran it; ``audit`` lists them.

Passphrases are read with getpass, or for automation from ``--passphrase-file``
(first line) or the environment: ``PEERDESK_AGENCY_PASSPHRASE`` (supervisor /
review key) and ``PEERDESK_AGENCY_RECOVERY_PASSPHRASE`` (offline recovery key).

Every command runs with umask 077: what it creates (the database and its WAL,
logs, keys) is readable by the service account only; ``init`` also sets the
agency directory to 0700 and its files to 0600.

Exit codes: 0 done, 1 failed (the message says why), 2 bad usage, 130 interrupted.

One module per command group: :mod:`.setup` (init, migrate, serve, audit),
:mod:`.devices` (enroll, devices, device team, revoke), :mod:`.supervisors`
(supervisor ..., rotate-review-key), :mod:`.provisioning` (recover,
provisioning), :mod:`.directory` (directory import|list); :mod:`.common` holds
what they share.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from peerdesk.agency.cli import admins, devices, directory, ops, provisioning, setup, supervisors
from peerdesk.agency.cli.common import (
    ENV_PASSPHRASE,
    ENV_RECOVERY_PASSPHRASE,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CommandFailed,
    Parsers,
    actor,
    read_passphrase,
    shown,
)
from peerdesk.agency.cli.provisioning import provisioning_document
from peerdesk.agency.files import private_umask
from peerdesk.errors import PassphrasePolicyError, PeerDeskError

__all__ = [
    "ENV_PASSPHRASE",
    "ENV_RECOVERY_PASSPHRASE",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "CommandFailed",
    "actor",
    "build_parser",
    "main",
    "provisioning_document",
    "read_passphrase",
]

#: the commands, in the order ``--help`` lists them
_COMMANDS = (
    setup.add_init,
    setup.add_serve,
    setup.add_migrate,
    ops.add_backup,
    ops.add_restore,
    devices.add_enroll,
    devices.add_devices,
    devices.add_device,
    supervisors.add_supervisor,
    setup.add_audit,
    devices.add_revoke,
    provisioning.add_recover,
    provisioning.add_provisioning,
    supervisors.add_rotate,
    directory.add_directory,
    admins.add_admin,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peerdesk-agency",
        description="Run and administer a PeerDesk agency server.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--dir", help="agency directory (default: $PEERDESK_AGENCY_DIR)", default=None
    )
    top = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parsers = Parsers(top, common)
    for add in _COMMANDS:
        add(parsers)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    stream = out if out is not None else sys.stdout
    try:
        with private_umask():  # what a command creates is the service account's only
            result: int = args.func(args, stream)
        return result
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except PassphrasePolicyError as exc:
        print(
            f"peerdesk-agency: passphrase not accepted: {shown(exc, lines=True)}", file=sys.stderr
        )
        return EXIT_FAILED
    except PeerDeskError as exc:
        print(f"peerdesk-agency: {shown(exc, lines=True)}", file=sys.stderr)
        return EXIT_FAILED
