"""``peerdesk-agency directory import|list|rollback|export``: publish the
resource directory safely (see :mod:`peerdesk.agency.directory`), go back to an
earlier version, and export it as HSDS 3."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from peerdesk.agency import keys
from peerdesk.agency.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    CommandFailed,
    Parsers,
    actor,
    load_settings,
    log,
    log_to,
    open_storage,
    print_table,
    shown,
)
from peerdesk.agency.cli.corrections import add_corrections
from peerdesk.agency.directory import (
    DEFAULT_MAX_REMOVED_SHARE,
    Plan,
    Published,
    plan_publication,
    plan_rollback,
    publish_plan,
    rollback_directory,
    stored_dataset,
)
from peerdesk.ids import now_utc
from peerdesk.interop import hsds

#: problems and names listed before "... and N more"
SHOWN = 20


def _names(label: str, names: tuple[str, ...], out: TextIO) -> None:
    if not names:
        return
    print(f"  {label} ({len(names)}):", file=out)
    for name in names[:SHOWN]:
        print(f"    {shown(name)}", file=out)
    if len(names) > SHOWN:
        print(f"    ... and {len(names) - SHOWN} more", file=out)


def print_plan(plan: Plan, out: TextIO) -> None:
    skipped = [p for p in plan.problems if not p.kept]
    kept = [p for p in plan.problems if p.kept]
    if skipped:
        print(f"{len(skipped)} record(s) with a problem were left out:", file=out)
        for p in skipped[:SHOWN]:
            print(f"  {shown(p)}", file=out)
        if len(skipped) > SHOWN:
            print(f"  ... and {len(skipped) - SHOWN} more", file=out)
    if kept:
        print(f"{len(kept)} note(s) on records that were kept:", file=out)
        for p in kept[:SHOWN]:
            print(f"  {shown(p)}", file=out)
        if len(kept) > SHOWN:
            print(f"  ... and {len(kept) - SHOWN} more", file=out)
    base = f"version {plan.base_version}" if plan.base_version else "nothing published yet"
    if plan.mode == "rollback":
        print(f"The directory of {shown(plan.shape)} again; compared with {base}:", file=out)
    else:
        how = (
            "replaces the published directory"
            if plan.mode == "replace"
            else "adds its records to the published directory (nothing is removed)"
        )
        print(f"The file ({shown(plan.shape)}) {how}; compared with {base}:", file=out)
    print(
        f"  services: {len(plan.added)} added, {len(plan.changed)} changed, "
        f"{len(plan.removed)} removed; {len(plan.dataset.services)} in all",
        file=out,
    )
    _names("added", plan.added, out)
    _names("changed", plan.changed, out)
    _names("REMOVED", plan.removed, out)
    for kind, (a, c, r) in plan.others.items():
        if a or c or r:
            print(f"  {kind.replace('_', ' ')}s: {a} added, {c} changed, {r} removed", file=out)
    if plan.corrections:
        numbers = ", ".join(f"#{n}" for n in plan.corrections)
        print(f"  accepted corrections it carries: {numbers}", file=out)


def cmd_directory_import(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    path = Path(args.file)
    if not path.exists():
        raise CommandFailed(f"{path}: no such file or folder")
    _check_share(args)
    imported = hsds.import_path(path)
    replace = True if args.replace else False if args.add else None
    with open_storage(settings) as storage:
        plan = plan_publication(
            storage,
            imported,
            replace=replace,
            allow_empty=args.allow_empty,
            allow_removals=args.allow_removals,
            max_removed_share=args.max_removed_share,
        )
        print_plan(plan, out)
        if args.dry_run:
            return _dry_run(plan, out)
        signer = keys.load_signing(settings)
        done = publish_plan(storage, plan, signer, now_utc(), actor=actor(), source=path.name)
    _say_published(done, path, out)
    return EXIT_OK


def _check_share(args: argparse.Namespace) -> None:
    if not 0 <= args.max_removed_share <= 1:
        raise CommandFailed("--max-removed-share is a share between 0 and 1 (0.2 is 20%)")


def _dry_run(plan: Plan, out: TextIO) -> int:
    if plan.refusal:
        verdict = f"REFUSED: {shown(plan.refusal)}"
    elif plan.unchanged and not plan.corrections and plan.base_version is not None:
        verdict = f"it is the same as version {plan.base_version}"
    else:
        verdict = "it would be published"
    print(f"Dry run: nothing was published ({verdict}).", file=out)
    return EXIT_FAILED if plan.refusal else EXIT_OK


def _say_published(done: Published, path: Path | str, out: TextIO) -> None:
    if done.seq is None:
        print(
            f"The directory in {shown(path)} is the same as the published version {done.version} "
            f"({done.services} services): nothing was published.",
            file=out,
        )
        return
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


def cmd_directory_rollback(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    _check_share(args)
    with open_storage(settings) as storage:
        planned = plan_rollback(
            storage,
            to_version=args.to,
            allow_empty=args.allow_empty,
            allow_removals=args.allow_removals,
            max_removed_share=args.max_removed_share,
        )
        _, plan = planned
        print_plan(plan, out)
        if args.dry_run:
            return _dry_run(plan, out)
        signer = keys.load_signing(settings)
        target, done = rollback_directory(storage, signer, now_utc(), actor=actor(), plan=planned)
    print(f"Going back to the directory of version {target}.", file=out)
    _say_published(done, f"version {target}", out)
    return EXIT_OK


def cmd_directory_export(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    with open_storage(settings) as storage:
        stored = (
            storage.directory.latest()
            if args.version is None
            else storage.directory.get(args.version)
        )
    if stored is None:
        what = "no directory published yet" if args.version is None else "no such version"
        raise CommandFailed(f"nothing to export: {what}")
    dataset = stored_dataset(stored.dataset, stored.version)
    target = Path(args.out)
    if args.format == "csv":
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CommandFailed(f"{target}: give a new or empty folder for the CSV package")
        formulas = hsds.save_csv_package(dataset, target)
        if formulas:
            print(
                f"Warning: {formulas} cell(s) of the CSV files start with = + - or @: a "
                "spreadsheet opening them would run them as formulas. They are written as "
                "the directory holds them; open the files as text, or check those cells "
                "(directory import lists them).",
                file=out,
            )
    else:
        if target.exists() and not args.force:
            raise CommandFailed(f"{target}: the file exists (--force to overwrite it)")
        hsds.save_export_json(dataset, target)
    print(
        f"Exported directory version {stored.version} ({len(dataset.services)} services) "
        f"as HSDS 3 {args.format.upper()} to {target}.",
        file=out,
    )
    return EXIT_OK


# --- parsers --------------------------------------------------------------------------


def _add_guards(p: argparse.ArgumentParser) -> None:
    """The publishing guards, the same for an import and a rollback."""
    p.add_argument("--dry-run", action="store_true", help="show what would change; publish nothing")
    p.add_argument(
        "--allow-empty", action="store_true", help="publish even a directory with no services"
    )
    p.add_argument(
        "--allow-removals",
        action="store_true",
        help="publish even when more than --max-removed-share of the records of a kind go",
    )
    p.add_argument(
        "--max-removed-share",
        type=float,
        default=DEFAULT_MAX_REMOVED_SHARE,
        metavar="SHARE",
        help=f"refuse to remove more than this share of the published services, "
        f"locations, organizations ... (default {DEFAULT_MAX_REMOVED_SHARE})",
    )


def add_directory(parsers: Parsers) -> None:
    text = "publish the resource directory to every laptop"
    directory = parsers.group("directory", text, "directory_command")
    text = (
        "check an HSDS 3 file (JSON of any shape, or a CSV folder), show what changes and "
        "publish it as a signed update"
    )
    p = parsers.action(directory, "import", cmd_directory_import, text)
    p.add_argument("file", metavar="FILE", help="HSDS JSON file, or a folder of HSDS CSV files")
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--replace",
        action="store_true",
        help="the file is the whole directory (the default for a dataset or CSV package)",
    )
    how.add_argument(
        "--add",
        action="store_true",
        help="add or update the file's records, remove nothing (the default for one "
        "record or a list)",
    )
    _add_guards(p)
    text = "list the published directory versions"
    parsers.action(directory, "list", cmd_directory_list, text)
    text = "publish an earlier version's directory again (default: the one before the newest)"
    p = parsers.action(directory, "rollback", cmd_directory_rollback, text)
    p.add_argument("--to", type=int, default=None, metavar="VERSION", help="the version to restore")
    _add_guards(p)
    text = "export the published directory as HSDS 3 JSON or a CSV package"
    p = parsers.action(directory, "export", cmd_directory_export, text)
    p.add_argument("out", metavar="OUT", help="the JSON file, or the folder for the CSV package")
    p.add_argument("--format", choices=("json", "csv"), default="json")
    p.add_argument("--version", type=int, default=None, help="an earlier version")
    p.add_argument("--force", action="store_true", help="overwrite an existing JSON file")
    add_corrections(parsers, directory)
