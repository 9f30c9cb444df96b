"""``peerdesk-agency supervisor invite|list|grant|remove`` and ``rotate-review-key``:
supervisors and the review keys they are granted (see
:mod:`peerdesk.agency.supervisors`)."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import TextIO

from peerdesk.agency import keys
from peerdesk.agency.cli.common import (
    EXIT_OK,
    SUPERVISOR_PASSPHRASE,
    CommandFailed,
    Parsers,
    audit_entry,
    check_hours,
    load_settings,
    log,
    log_to,
    open_storage,
    print_table,
    read_passphrase,
)
from peerdesk.agency.files import load_code_key
from peerdesk.agency.models import REVIEW, ReviewGrant, Supervisor
from peerdesk.agency.storage import Storage
from peerdesk.agency.supervisors import check_uuid, issue_supervisor_invite, make_grants
from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.errors import SealBroken
from peerdesk.ids import now_utc


def cmd_supervisor_invite(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    hours = check_hours(args)
    with open_storage(settings) as storage:
        code, expires_at = issue_supervisor_invite(
            storage,
            name=args.name,
            team=args.team,
            now=now_utc(),
            key=load_code_key(settings),
            valid_for=timedelta(hours=hours),
            audit=audit_entry("supervisor-invite", args.team.strip(), f"for {args.name.strip()}"),
        )
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
    settings = load_settings(args)
    with open_storage(settings) as storage:
        found = storage.supervisors.all()
        review_keys = {k.key_id for k in storage.keys.all(REVIEW)}
        granted = {
            s.supervisor_id: {g.key_id for g in storage.supervisors.grants(s.supervisor_id)}
            for s in found
        }
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
    print_table(rows, out)
    return EXIT_OK


def _supervisor_arg(storage: Storage, value: str) -> Supervisor:
    return storage.supervisors.get(check_uuid(value, "supervisor"))


def cmd_supervisor_grant(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    with open_storage(settings) as storage:
        supervisor = _supervisor_arg(storage, args.supervisor)
        if supervisor.removed:
            raise CommandFailed(
                f"supervisor {supervisor.supervisor_id} ({supervisor.name}) was removed at "
                f"{supervisor.removed_at}; a removed supervisor gets no review keys"
            )
        passphrase = read_passphrase(
            SUPERVISOR_PASSPHRASE,
            file=args.passphrase_file,
            prompt="Supervisor passphrase (opens the review keys): ",
        )
        try:
            pairs = keys.load_review_keys(settings, passphrase)
        except SealBroken:
            raise CommandFailed("wrong supervisor passphrase") from None
        registered = {k.key_id for k in storage.keys.all(REVIEW)}
        pairs = [p for p in pairs if p.key_id in registered]
        grants = make_grants(supervisor, pairs)
        storage.supervisors.put_grants(
            grants,
            now_utc(),
            audit=audit_entry(
                "supervisor-grant",
                supervisor.supervisor_id,
                f"{len(grants)} review key(s): {', '.join(g.key_id for g in grants)}",
            ),
        )
    log.info("review keys granted to supervisor %s", supervisor.supervisor_id)
    print(
        f"Granted {len(grants)} review key(s) to {supervisor.name} (team {supervisor.team!r}).\n"
        "Their PeerDesk opens the team's notes, old ones too, at its next pull.",
        file=out,
    )
    return EXIT_OK


def cmd_supervisor_remove(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    supervisor_id = check_uuid(args.supervisor, "supervisor")
    with open_storage(settings) as storage:
        removed = storage.supervisors.remove(
            supervisor_id, now_utc(), audit=audit_entry("supervisor-remove", supervisor_id)
        )
    log.info("supervisor %s removed", supervisor_id)
    print(
        f"Supervisor {supervisor_id} ({removed.name}, team {removed.team!r}) is removed: the\n"
        "agency refuses their credential and their review keys are withdrawn.\n"
        "Now run  peerdesk-agency rotate-review-key  so that they cannot open notes that\n"
        "laptops seal from then on (what they pulled before stays on their machine).",
        file=out,
    )
    return EXIT_OK


def cmd_rotate(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    if not 0 <= args.old_valid_days <= 3650:
        raise CommandFailed("--old-valid-days must be between 0 and 3650")
    passphrase = read_passphrase(
        SUPERVISOR_PASSPHRASE, file=args.passphrase_file, prompt="Supervisor passphrase: "
    )
    with open_storage(settings) as storage:
        active = storage.supervisors.all(active_only=True)

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
                audit=audit_entry(
                    "rotate-review-key",
                    "",
                    f"granted to {len(active)} active supervisor(s); "
                    f"old key valid {args.old_valid_days} day(s)",
                ),
            )
        except SealBroken:
            raise CommandFailed("wrong supervisor passphrase") from None
    log.info("review key rotated; new key %s", info.key_id)
    print(
        f"New review key {info.key_id}; the previous one stays valid for "
        f"{args.old_valid_days} day(s). Laptops pick up the new key bundle at their next sync.\n"
        f"The new key was granted to {len(active)} active supervisor(s).",
        file=out,
    )
    return EXIT_OK


# --- parsers --------------------------------------------------------------------------


def add_supervisor(parsers: Parsers) -> None:
    text = "supervisors: invite, list, grant review keys, remove"
    supervisor = parsers.group("supervisor", text, "supervisor_command")
    text = "print a one-time invite for a new supervisor of a team"
    p = parsers.action(supervisor, "invite", cmd_supervisor_invite, text)
    p.add_argument("--name", required=True, help="the supervisor's name, as decisions show it")
    p.add_argument("--team", required=True, help="the team whose notes they review")
    p.add_argument("--expires-hours", type=float, default=72.0)
    text = "list supervisors, their teams and review keys"
    parsers.action(supervisor, "list", cmd_supervisor_list, text)
    text = "give an enrolled supervisor every review key (old notes too)"
    p = parsers.action(supervisor, "grant", cmd_supervisor_grant, text)
    p.add_argument("supervisor", metavar="ID", help="supervisor id")
    p.add_argument("--passphrase-file", help="supervisor passphrase (first line)")
    text = "end a supervisor's access (then rotate the review key)"
    p = parsers.action(supervisor, "remove", cmd_supervisor_remove, text)
    p.add_argument("supervisor", metavar="ID", help="supervisor id")


def add_rotate(parsers: Parsers) -> None:
    text = "add a new review key and re-sign the key bundle"
    p = parsers.add("rotate-review-key", cmd_rotate, text)
    p.add_argument("--old-valid-days", type=int, default=keys.DEFAULT_OLD_KEY_VALIDITY.days)
    p.add_argument("--passphrase-file", help="supervisor passphrase (first line)")
