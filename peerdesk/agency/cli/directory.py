"""``peerdesk-agency directory import|list``: publish the resource directory (see
:mod:`peerdesk.agency.directory`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from peerdesk.agency import keys
from peerdesk.agency.cli.common import (
    EXIT_OK,
    CommandFailed,
    Parsers,
    actor,
    load_settings,
    log,
    log_to,
    open_storage,
    print_table,
)
from peerdesk.agency.directory import publish_directory
from peerdesk.ids import now_utc


def cmd_directory_import(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    path = Path(args.file)
    if not path.exists():
        raise CommandFailed(f"{path}: no such file or folder")
    signer = keys.load_signing(settings)
    with open_storage(settings) as storage:
        done = publish_directory(storage, path, signer, now_utc(), actor=actor())
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
    settings = load_settings(args)
    with open_storage(settings) as storage:
        history = storage.directory.history()
    if not history:
        print("No directory published yet: peerdesk-agency directory import FILE", file=out)
        return EXIT_OK
    rows = [["VERSION", "KIND", "SERVICES", "PUBLISHED"]]
    rows += [[str(v.version), v.kind, str(v.services), v.published_at[:16]] for v in history]
    print_table(rows, out)
    return EXIT_OK


# --- parsers --------------------------------------------------------------------------


def add_directory(parsers: Parsers) -> None:
    text = "publish the resource directory to every laptop"
    directory = parsers.group("directory", text, "directory_command")
    text = "check an HSDS JSON file or CSV folder and publish it as a signed update"
    p = parsers.action(directory, "import", cmd_directory_import, text)
    p.add_argument("file", metavar="FILE", help="HSDS JSON file, or a folder of HSDS CSV files")
    text = "list the published directory versions"
    parsers.action(directory, "list", cmd_directory_list, text)
