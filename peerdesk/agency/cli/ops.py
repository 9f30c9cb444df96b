"""``peerdesk-agency backup`` and ``restore``: the agency database and its code
key to a private folder and back (see :mod:`peerdesk.agency.backup`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from peerdesk.agency import backup
from peerdesk.agency.cli.common import EXIT_OK, Parsers, load_settings, log, log_to


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    if args.keep is not None and args.keep < 1:
        raise backup.BackupFailed("--keep must be at least 1 (the backup just made)")
    manifest = backup.backup(settings, Path(args.out))
    log.info("backup written to %s", args.out)
    print(
        f"Backup written to {Path(args.out).resolve()}\n"
        f"  schema revision: {', '.join(manifest.schema)}\n"
        f"  made at:         {manifest.created_at}\n"
        f"  devices:         {manifest.counts.get('devices', 0)}\n"
        f"  records:         {manifest.counts.get('records', 0)}\n"
        "Keep it as private as the agency directory (it holds the enrollment code key).",
        file=out,
    )
    if args.keep is not None:
        for old in backup.prune(Path(args.out).resolve().parent, args.keep):
            log.info("old backup %s deleted (--keep %d)", old, args.keep)
            print(f"Deleted the old backup {old}", file=out)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    if args.check:
        manifest = backup.check(Path(args.backup))
        print(f"The backup is whole: schema {', '.join(manifest.schema)}, made "
              f"{manifest.created_at}, {manifest.counts.get('records', 0)} records.",
              file=out)  # fmt: skip
        return EXIT_OK
    done = backup.restore(settings, Path(args.backup), force=args.force)
    log.info("restored the backup made at %s", done.manifest.created_at)
    print(
        f"Restored the backup made at {done.manifest.created_at} "
        f"({done.counts.get('records', 0)} records, {done.counts.get('devices', 0)} devices)"
        + (";\n  its schema was migrated to this version" if done.migrated else "")
        + f".\nEvery laptop will send again, at its next sync, what it sent after that time "
        f"(records above number {done.high_water}).",
        file=out,
    )
    for line in done.carried:
        print(f"Kept from the replaced database: {line}", file=out)
    if done.audit_after:
        print("Done on the replaced database after the backup (redo what is still needed):",
              file=out)  # fmt: skip
        for line in done.audit_after:
            print(f"  {line}", file=out)
    return EXIT_OK


def add_backup(parsers: Parsers) -> None:
    p = parsers.add("backup", cmd_backup, "back up the database and code key (while serving)")
    p.add_argument("--out", required=True, help="a new folder for the backup (made 0700)")
    p.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help="then delete all but the N newest backups in the folder that holds --out",
    )


def add_restore(parsers: Parsers) -> None:
    p = parsers.add("restore", cmd_restore, "restore a backup into the agency's database")
    p.add_argument("backup", help="the folder `backup --out` made")
    p.add_argument(
        "--force", action="store_true", help="even while a serve runs on this agency directory"
    )
    p.add_argument("--check", action="store_true", help="only check the backup; write nothing")
