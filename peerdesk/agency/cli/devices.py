"""``peerdesk-agency enroll``, ``devices``, ``device team`` and ``revoke``: the laptops."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import TextIO

from peerdesk.agency import keys
from peerdesk.agency.cli.common import (
    EXIT_OK,
    CommandFailed,
    Parsers,
    audit_entry,
    check_hours,
    load_settings,
    log,
    log_to,
    open_storage,
    print_table,
    shown,
)
from peerdesk.agency.files import load_code_key
from peerdesk.agency.server import check_device_id, check_team, issue_enrollment_code
from peerdesk.ids import now_utc


def cmd_enroll(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    hours = check_hours(args)
    team = check_team(args.team)
    with open_storage(settings) as storage:
        code, expires_at = issue_enrollment_code(
            storage,
            now_utc(),
            timedelta(hours=hours),
            key=load_code_key(settings),
            team=team,
            audit=audit_entry("enroll", team, f"device code valid for {hours:g} h"),
        )
    where = f" It joins team {team!r}." if team else " It joins no team (see --team)."
    print(
        f"Enrollment code: {code}\nExpires: {expires_at} (in {hours:g} h)\n"
        f"It can be used once, by one laptop.{where}",
        file=out,
    )
    return EXIT_OK


def cmd_devices(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    team = None if args.team is None else check_team(args.team)
    with open_storage(settings) as storage:
        summaries = storage.devices.summaries(team=team)
    if not summaries:
        print(
            "No devices enrolled yet." if team is None else f"No devices in team {team!r}.",
            file=out,
        )
        return EXIT_OK
    rows = [
        [
            "DEVICE",
            "LABEL",
            "TEAM",
            "ENROLLED",
            "LAST SEEN",
            "RECORDS",
            "APP",
            "WAITING",
            "HELD",
            "STATUS",
        ]
    ]
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
                d.client_version or "-",
                "-" if d.client_pending is None else str(d.client_pending),
                "-" if d.client_held is None else str(d.client_held),
                status,
            ]
        )
    print_table(rows, out)
    return EXIT_OK


def cmd_device_team(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    device_id = check_device_id(args.device)
    team = check_team(args.team)
    with open_storage(settings) as storage:
        before = storage.devices.get(device_id)
        device = storage.devices.set_team(
            device_id,
            team,
            now_utc(),
            audit=audit_entry("device-team", device_id, f"team {before.team!r} -> {team!r}"),
        )
    log.info("device %s moved to team %r", device_id, team)
    where = f"team {team!r}" if team else "no team (no supervisor sees its notes)"
    print(f"Device {device_id} ({shown(device.label)}) is now in {where}.", file=out)
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    device_id = check_device_id(args.device)
    with open_storage(settings) as storage:
        device = storage.devices.get(device_id)
        if device.revoked:
            raise CommandFailed(f"device {device_id} was already revoked at {device.revoked_at}")
        now = now_utc()
        order = keys.make_wipe_order(settings, device_id, now)
        storage.devices.revoke(device_id, order, now, audit=audit_entry("revoke", device_id))
    log.info("device %s revoked", device_id)
    print(
        f"Device {device_id} ({shown(device.label)}) is revoked.\n"
        "A signed wipe order is queued: the laptop erases its keys the next time it "
        "contacts the agency.",
        file=out,
    )
    return EXIT_OK


# --- parsers --------------------------------------------------------------------------


def add_enroll(parsers: Parsers) -> None:
    p = parsers.add("enroll", cmd_enroll, "print a one-time enrollment code for a new laptop")
    p.add_argument("--expires-hours", type=float, default=72.0)
    p.add_argument("--team", default="", help="the team the laptop joins (its supervisors)")


def add_devices(parsers: Parsers) -> None:
    p = parsers.add("devices", cmd_devices, "list enrolled laptops")
    p.add_argument("--team", help="only the laptops of this team")


def add_device(parsers: Parsers) -> None:
    device = parsers.group("device", "change an enrolled laptop", "device_command")
    text = 'move a laptop to a team ("" = no team)'
    p = parsers.action(device, "team", cmd_device_team, text)
    p.add_argument("device", metavar="DEVICE", help="device id")
    p.add_argument("team", metavar="TEAM", help="team name")


def add_revoke(parsers: Parsers) -> None:
    p = parsers.add("revoke", cmd_revoke, "revoke a laptop; it wipes itself at its next contact")
    p.add_argument("device", metavar="DEVICE", help="device id")
