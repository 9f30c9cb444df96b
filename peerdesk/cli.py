"""``peerdesk-cli``: script the core without a screen (no Qt is imported).

Passphrases are read with getpass or from ``--passphrase-file`` (first line),
never from the command line, where other users could see them in the process
list. Sensitive text (participant names, note bodies) is read from standard
input for the same reason.

Exit status: 0 success, 1 a PeerDesk error (one sentence on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from peerdesk import __version__
from peerdesk.config import load_provisioning, log_dir
from peerdesk.domain.models import (
    TEMPLATE_SECTIONS,
    ContactType,
    LocationType,
    NoteDraft,
    NoteTemplate,
)
from peerdesk.domain.program_report import MIN_CELL_FLOOR, check_min_cell
from peerdesk.errors import PeerDeskError, ValidationError
from peerdesk.logs import setup_logging
from peerdesk.services import (
    BatchDone,
    BatchSent,
    DirectoryProgress,
    InboundApplied,
    ProfileManager,
    Retrying,
    Session,
    SyncEvent,
    SyncFinished,
    SyncStarted,
    assess_passphrase,
)


class CliError(PeerDeskError):
    """Raised for command-line misuse that argparse cannot see (exit status 1)."""


def _read_secret(args: argparse.Namespace, prompt: str, file_attr: str = "passphrase_file") -> str:
    path: Path | None = getattr(args, file_attr, None)
    if path is not None:
        try:
            lines = path.read_text("utf-8").splitlines()
        except OSError as exc:
            raise CliError(f"cannot read {path}: {exc.strerror}") from None
        if not lines or not lines[0]:
            raise CliError(f"{path} is empty; put the passphrase on its first line")
        return lines[0]
    if not sys.stdin.isatty():
        raise CliError("no terminal to ask for the passphrase; use --passphrase-file")
    return getpass.getpass(prompt)


def _new_secret(args: argparse.Namespace, file_attr: str, name: str) -> str:
    if getattr(args, file_attr, None) is not None:
        return _read_secret(args, "", file_attr)
    first = _read_secret(args, "New passphrase (15 characters or more): ", file_attr)
    report = assess_passphrase(first, (name,))
    if not report.acceptable:
        raise CliError(" ".join(report.problems))
    if _read_secret(args, "Type it again: ", file_attr) != first:
        raise CliError("the two passphrases differ")
    return first


def _manager(args: argparse.Namespace) -> ProfileManager:
    return ProfileManager(root=args.data_dir)


def _open_unlocked(args: argparse.Namespace) -> Session:
    session = _manager(args).open(args.profile)
    try:
        session.unlock(_read_secret(args, f"Passphrase for {args.profile}: "))
    except BaseException:
        session.close()
        raise
    return session


def _read_stdin_text(what: str) -> str:
    if sys.stdin.isatty():
        print(f"Type the {what}, then Ctrl-D:", file=sys.stderr)
    return sys.stdin.read()


# -- commands ------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    passphrase = _new_secret(args, "passphrase_file", args.profile)
    session = _manager(args).create(args.profile, passphrase)
    params = session.maintenance.kdf_params()
    print(
        f"Created profile {args.profile!r} in {session.path}\n"
        f"Argon2id: {params.memory_kib // 1024} MiB, {params.iterations} passes, {params.lanes} lanes"
    )
    session.close()
    return 0


def cmd_profiles(args: argparse.Namespace) -> int:
    for name in _manager(args).list_profiles():
        print(name)
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    session = _open_unlocked(args)
    session.lock()
    session.close()
    print("passphrase ok")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    session = _manager(args).open(args.profile)
    try:
        old = _read_secret(args, "Current passphrase: ")
        new = _new_secret(args, "new_passphrase_file", args.profile)
        session.change_passphrase(old, new)
    finally:
        session.close()
    print("passphrase changed")
    return 0


def cmd_add_participant(args: argparse.Namespace) -> int:
    session = _open_unlocked(args)
    try:
        name = _read_stdin_text("participant's name").strip()
        participant = session.participants.add(name).value
    finally:
        session.close()
    print(participant.id)
    return 0


def _parse_start(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"--start {text!r} is not an ISO 8601 time", field="start") from None
    return moment.astimezone(UTC) if moment.tzinfo else moment.astimezone()


def cmd_add_note(args: argparse.Namespace) -> int:
    template = NoteTemplate(args.template)
    start = (
        _parse_start(args.start)
        if args.start
        else datetime.now(UTC) - timedelta(minutes=args.minutes)
    )
    text = _read_stdin_text("note (plain text, or a JSON object of sections)")
    sections = TEMPLATE_SECTIONS[template]
    try:
        parsed = json.loads(text) if text.lstrip().startswith("{") else None
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"the note looks like JSON but is not valid: {exc}", field="body"
        ) from None
    body = parsed if isinstance(parsed, dict) else {sections[0]: text.strip()}
    draft = NoteDraft(
        participant_id=args.participant,
        template=template,
        contact_type=ContactType(args.contact),
        location_type=LocationType(args.location),
        start_at=start,
        end_at=start + timedelta(minutes=args.minutes),
        body=body,
        goals=args.goal or (),
    )
    session = _open_unlocked(args)
    try:
        note = session.notes.create_draft(draft).value
        if args.sign:
            note = session.notes.sign(note.id).value
    finally:
        session.close()
    print(note.id, note.state.value)
    return 0


def cmd_list_notes(args: argparse.Namespace) -> int:
    session = _open_unlocked(args)
    try:
        names = {
            p.id: p.display_name for p in session.participants.list(include_inactive=True).items
        }
        result = session.notes.list(state=args.state)
        # the payer's day rules, modifiers and cap: the engine the reports use
        units = session.reports.note_units(args.payer)
    finally:
        session.close()
    for note in result.items:
        billed = units.get(note.id)
        count = billed.units if billed is not None else 0
        what = billed.procedure if billed is not None and billed.units_before_cap else "not billed"
        local = note.start_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(
            f"{note.id}  {local}  {note.duration_minutes:>4} min  {count:>2} u  {what:<10}  "
            f"{note.state.value:<9}  {note.template.value:<4}  {names.get(note.participant_id, '?')}"
        )
    for problem in result.damaged:
        print(f"DAMAGED: {problem}", file=sys.stderr)
    return 1 if result.damaged else 0


def cmd_export(args: argparse.Namespace) -> int:
    print(
        "WARNING: the export is NOT encrypted. It holds participants' health information,\n"
        "protected by 42 CFR Part 2 and HIPAA. Keep it on an encrypted disk and delete it\n"
        "when you are done.",
        file=sys.stderr,
    )
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("refusing to write a plaintext export without --yes")
        if input("Write the plaintext export? [y/N] ").strip().lower() not in ("y", "yes"):
            print("nothing written", file=sys.stderr)
            return 1
    session = _open_unlocked(args)
    try:
        count = session.maintenance.export_json(args.out).value
    finally:
        session.close()
    print(f"wrote {count} records to {args.out}")
    return 0


def _month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError:
        raise CliError(f"--month {text!r} is not YYYY-MM") from None
    return year, month


def cmd_claims(args: argparse.Namespace) -> int:
    if not args.csv and not args.x12:
        raise CliError("say what to write: --csv FILE and/or --x12 FILE")
    print(
        "WARNING: claim files are NOT encrypted. They hold Medicaid ids (and the 837P\n"
        "names and dates of birth), protected by 42 CFR Part 2 and HIPAA. Send them to\n"
        "the clearinghouse only, and delete them when you are done.",
        file=sys.stderr,
    )
    if not args.yes:
        raise CliError("refusing to write plaintext claim files without --yes")
    year, month = _month(args.month)
    session = _open_unlocked(args)
    try:
        if args.csv and args.x12:
            batch = session.reports.write_claims(
                year,
                month,
                args.provider,
                args.payer,
                args.csv,
                args.x12,
                control_number=args.control_number,
            ).value
        else:
            batch = session.reports.claims(year, month, args.provider, args.payer)
            if args.csv:
                session.reports.export_claims(batch, args.csv)
            if args.x12:
                session.reports.export_837p(batch, args.x12, control_number=args.control_number)
    finally:
        session.close()
    print(
        f"{len(batch.lines)} claim line(s), {batch.units} unit(s), {batch.charge:.2f} charged"
        f" under {batch.payer.name}"
    )
    for held in batch.held:
        line = held.line
        print(
            f"HELD: {line.service_date} {line.procedure} {line.units} u ({line.peer}):"
            f" {', '.join(held.reasons)}",
            file=sys.stderr,
        )
    return 0


def _min_cell(text: str) -> int:
    """--min-cell: a whole number of at least MIN_CELL_FLOOR (argparse refuses
    anything else with this message, before the profile is opened)."""
    try:
        return check_min_cell(int(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_program_report(args: argparse.Namespace) -> int:
    session = _open_unlocked(args)
    try:
        if session.role == "supervisor":
            session.review.export_program_report(args.out, min_cell=args.min_cell)
        else:
            session.record.export_program_report(args.out, min_cell=args.min_cell)
    finally:
        session.close()
    print(f"wrote the de-identified program report to {args.out}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    session = _manager(args).open(args.profile) if args.no_unlock else _open_unlocked(args)
    try:
        report = session.maintenance.doctor()
    finally:
        session.close()
    print(f"integrity_check: {report.integrity}")
    print(f"schema: {', '.join(report.schema_applied) or 'not checked'}")
    if report.schema_pending:
        print(f"schema pending: {', '.join(report.schema_pending)}")
    if report.audit_error:
        print(f"audit chain: BROKEN: {report.audit_error}")
    elif report.audit_rows is not None:
        print(f"audit chain: ok ({report.audit_rows} rows)")
    elif args.no_unlock:
        print("audit chain: not checked (locked)")
    else:
        print("audit chain: not checked (see below)")
    for line in report.plaintext_columns:
        print(f"NOT ENCRYPTED: {line}")
    for line in report.damaged_records:
        print(f"DAMAGED: {line}")
    for line in report.skipped:
        print(f"NOT CHECKED: {line}")
    print("ok" if report.ok else "PROBLEMS FOUND")
    return 0 if report.ok else 1


def cmd_enroll(args: argparse.Namespace) -> int:
    provisioning = load_provisioning(args.provisioning)
    code = args.code or provisioning.enrollment_code
    if not code:
        raise CliError("give the enrollment code with --code (or put it in the provisioning file)")
    session = _open_unlocked(args)
    try:
        session.link.enroll(provisioning, code, args.label)
        status = session.link.status()
    finally:
        session.close()
    print(f"enrolled with {status.agency_name} as device {status.device_id}")
    return 0


def _kib(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def _progress(event: SyncEvent) -> str:
    if isinstance(event, SyncStarted):
        return f"{event.pending} record(s) to send, about {_kib(event.estimated_bytes)}"
    if isinstance(event, BatchSent):
        retry = f" (try {event.attempt})" if event.attempt > 1 else ""
        return f"batch {event.batch}: sending {event.records} record(s), {_kib(event.bytes)}{retry}"
    if isinstance(event, BatchDone):
        return f"batch {event.batch}: {event.acked} acknowledged, {event.rejected} refused"
    if isinstance(event, InboundApplied):
        return f"received {event.feedback} feedback item(s), {event.ignored} skipped"
    if isinstance(event, Retrying):
        return f"{event.cause}; trying again in {event.delay_s:.0f} s"
    if isinstance(event, DirectoryProgress):
        return (
            f"directory version {event.version}: {_kib(event.bytes_done)} of "
            f"{_kib(event.bytes_total)} ({event.chunks_done}/{event.chunks_total} parts)"
        )
    return ""


def cmd_sync(args: argparse.Namespace) -> int:
    session = _open_unlocked(args)
    try:
        for event in session.link.sync():
            if isinstance(event, SyncFinished):
                s = event.summary
                print(
                    f"sync done: {s.acked} sent and acknowledged, {s.rejected + s.quarantined_here}"
                    f" refused, {s.feedback} feedback received; {s.pending} pending,"
                    f" {s.quarantined} in quarantine"
                )
            else:
                print(_progress(event), file=sys.stderr)
        quarantined = session.link.quarantine()
    finally:
        session.close()
    for item in quarantined:
        print(f"QUARANTINED: {item.entity} {item.entity_id}: {item.reason}", file=sys.stderr)
    return 0


def cmd_sync_status(args: argparse.Namespace) -> int:
    session = _manager(args).open(args.profile)
    try:
        status = session.link.status()
    finally:
        session.close()
    if not status.enrolled:
        print("not enrolled with an agency")
    else:
        print(f"agency: {status.agency_name} ({status.agency_url}), device {status.device_id}")
    print(f"last successful sync: {status.last_success_at or 'never'}")
    print(f"last attempt: {status.last_attempt_at or 'never'}")
    if status.last_error:
        print(f"last attempt failed: {status.last_error}")
    print(f"pending: {status.pending}, in quarantine: {status.quarantined}")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    code = args.code
    if code is None:
        if sys.stdin.isatty():
            code = input("Recovery code from IT: ")
        else:
            code = sys.stdin.readline()
    new = _new_secret(args, "new_passphrase_file", args.profile)
    session = _manager(args).recover(args.profile, code, new)
    session.close()
    print("passphrase reset with the recovery code; the code cannot be used again")
    return 0


# -- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peerdesk-cli", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"PeerDesk {__version__}")
    parser.add_argument("--data-dir", type=Path, help="data folder (default: the platform's)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, func: object, help_text: str, *, profile: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        if profile:
            p.add_argument("--profile", required=True, help="profile name")
            p.add_argument(
                "--passphrase-file", type=Path, help="read the passphrase from this file"
            )
        return p

    command("init", cmd_init, "create a profile (asks for a new passphrase)")
    command("profiles", cmd_profiles, "list the profiles on this computer", profile=False)
    command("unlock", cmd_unlock, "check the passphrase of a profile")
    p = command("passwd", cmd_passwd, "change the passphrase (re-wraps the key only)")
    p.add_argument(
        "--new-passphrase-file", type=Path, help="read the new passphrase from this file"
    )
    command("add-participant", cmd_add_participant, "add a participant (name read from stdin)")
    p = command("add-note", cmd_add_note, "add a note (text read from stdin)")
    p.add_argument("--participant", required=True, help="participant id")
    p.add_argument("--template", choices=[t.value for t in NoteTemplate], default="free")
    p.add_argument("--contact", choices=[c.value for c in ContactType], default="in_person")
    p.add_argument("--location", choices=[x.value for x in LocationType], default="community")
    p.add_argument("--start", help="start time, ISO 8601 (default: now minus --minutes)")
    p.add_argument("--minutes", type=int, default=30, help="length of the contact")
    p.add_argument("--goal", action="append", help="a goal addressed (repeatable)")
    p.add_argument("--sign", action="store_true", help="sign and lock the note at once")
    p = command("list-notes", cmd_list_notes, "list notes with billable units")
    p.add_argument("--state", choices=["draft", "signed", "submitted", "approved", "returned"])
    p.add_argument("--payer", help="payer profile for units (default: the policy's)")
    p = command("claims", cmd_claims, "write a month's claim lines (CSV) and/or 837P file")
    p.add_argument("--month", required=True, help="the month, YYYY-MM")
    p.add_argument("--provider", type=Path, required=True, help="billing provider file (TOML)")
    p.add_argument("--payer", help="payer profile (default: the policy's)")
    p.add_argument("--csv", type=Path, help="write the claim lines here (CSV)")
    p.add_argument("--x12", type=Path, help="write the ASC X12 5010 837P file here")
    p.add_argument(
        "--control-number",
        type=int,
        default=None,
        help="the 837P's control number (default: the profile's next one)",
    )
    p.add_argument("--yes", action="store_true", help="do not refuse to write plaintext")
    p = command(
        "program-report",
        cmd_program_report,
        "write the de-identified program aggregates (no names, no ids) as CSV",
    )
    p.add_argument("--out", type=Path, required=True)
    p.add_argument(
        "--min-cell",
        type=_min_cell,
        default=5,
        help=f"smallest group shown (default 5, at least {MIN_CELL_FLOOR})",
    )
    p = command("export", cmd_export, "write every record, DECRYPTED, to a JSON file")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--yes", action="store_true", help="do not ask before writing plaintext")
    p = command("doctor", cmd_doctor, "check integrity, schema and the audit chain")
    p.add_argument(
        "--no-unlock", action="store_true", help="skip the checks that need the passphrase"
    )
    p = command("enroll", cmd_enroll, "enroll this profile with the agency (one-time code)")
    p.add_argument("--provisioning", type=Path, required=True, help="provisioning file from IT")
    p.add_argument("--code", help="enrollment code (default: the provisioning file's)")
    p.add_argument("--label", help="name of this laptop for the agency")
    command("sync", cmd_sync, "send what is pending to the agency and fetch feedback")
    command("sync-status", cmd_sync_status, "show the sync status (no passphrase needed)")
    p = command("recover", cmd_recover, "set a new passphrase with a recovery code from IT")
    p.add_argument("--code", help="the recovery code (default: read from standard input)")
    p.add_argument(
        "--new-passphrase-file", type=Path, help="read the new passphrase from this file"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(log_dir())
    try:
        return int(args.func(args))
    except PeerDeskError as exc:
        print(f"peerdesk-cli: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
