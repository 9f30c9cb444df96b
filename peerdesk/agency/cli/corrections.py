"""``peerdesk-agency directory corrections|accept|dismiss``: read peers' suggested
corrections (they open with the review keys: the supervisor passphrase), accept
one into the next publication (with the edit it asks for) or dismiss it (see
:mod:`peerdesk.agency.corrections`)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from peerdesk.agency import keys
from peerdesk.agency.cli.common import (
    EXIT_OK,
    SUPERVISOR_PASSPHRASE,
    CommandFailed,
    Parsers,
    actor,
    load_settings,
    log_to,
    open_storage,
    read_passphrase,
    shown,
)
from peerdesk.agency.corrections import (
    EDITABLE,
    accept_correction,
    dismiss_correction,
    list_corrections,
)
from peerdesk.agency.review import Reviewer
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.errors import SealBroken
from peerdesk.ids import now_utc


def _reviewer(args: argparse.Namespace, settings: AgencySettings, storage: Storage) -> Reviewer:
    passphrase = read_passphrase(
        SUPERVISOR_PASSPHRASE,
        file=args.passphrase_file,
        prompt="Supervisor passphrase (opens the corrections): ",
    )
    try:
        return Reviewer(storage, keys.load_review_keys(settings, passphrase))
    except SealBroken:
        raise CommandFailed("wrong supervisor passphrase") from None


def _one_line(text: str, width: int = 200) -> str:
    """``text`` on one line, shortened, safe to print (:func:`shown`: it came from
    a laptop)."""
    flat = " ".join(text.split())
    flat = flat if len(flat) <= width else flat[: width - 1] + "…"
    return shown(flat)


def cmd_corrections(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    with open_storage(settings) as storage:
        found = list_corrections(storage, _reviewer(args, settings, storage), everything=args.all)
    if not found:
        what = "corrections" if args.all else "open corrections"
        print(f"No {what} from the laptops.", file=out)
        return EXIT_OK
    for c in found:
        service = shown(c.service_name) if c.service_name else "(not in the published directory)"
        state = "open"
        if c.decision is not None:
            d = c.decision
            state = d.status
            if d.field:
                state += f", sets {shown(d.field)}"
            state += f" (in version {d.published_in})" if d.published_in else ""
            if d.status == "accepted" and not d.published_in:
                state += " (goes out with the next publication)"
        when, sid = shown(c.created_at[:16]), shown(c.service_id)
        print(f"#{c.seq}  {when}  {service} [{sid}]  {state}", file=out)
        print(f"    {_one_line(c.suggestion)}", file=out)
    return EXIT_OK


def cmd_accept(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    with open_storage(settings) as storage:
        done = accept_correction(
            storage,
            _reviewer(args, settings, storage),
            args.seq,
            now=now_utc(),
            actor=actor(),
            field=args.field,
            value=args.value,
        )
    edit = f": {done.field} becomes '{_one_line(done.value or '', 60)}'" if done.field else ""
    print(
        f"Correction #{done.record_seq} accepted{edit}. It goes out with the next "
        "publication (peerdesk-agency directory import ...).",
        file=out,
    )
    return EXIT_OK


def cmd_dismiss(args: argparse.Namespace, out: TextIO) -> int:
    settings = load_settings(args)
    log_to(settings)
    with open_storage(settings) as storage:
        done = dismiss_correction(
            storage, _reviewer(args, settings, storage), args.seq, now=now_utc(), actor=actor()
        )
    print(f"Correction #{done.record_seq} dismissed.", file=out)
    return EXIT_OK


def add_corrections(parsers: Parsers, directory: Any) -> None:
    text = "list the corrections peers suggested (the open ones; --all for every one)"
    p = parsers.action(directory, "corrections", cmd_corrections, text)
    p.add_argument("--all", action="store_true", help="decided corrections too")
    p.add_argument("--passphrase-file", help="supervisor passphrase (first line)")
    text = "accept a correction into the next publication"
    p = parsers.action(directory, "accept", cmd_accept, text)
    p.add_argument("seq", type=int, metavar="NUMBER", help="the correction's number (#)")
    p.add_argument("--field", choices=EDITABLE, help="the service field it corrects")
    p.add_argument("--value", help="the field's new value")
    p.add_argument("--passphrase-file", help="supervisor passphrase (first line)")
    text = "dismiss a correction"
    p = parsers.action(directory, "dismiss", cmd_dismiss, text)
    p.add_argument("seq", type=int, metavar="NUMBER", help="the correction's number (#)")
    p.add_argument("--passphrase-file", help="supervisor passphrase (first line)")
