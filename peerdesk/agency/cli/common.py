"""What every ``peerdesk-agency`` command shares: exit codes, the error a command
fails with, passphrases, the agency's settings and database, the audit entry of
an admin action, and the small pieces of argument parsing and output."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import re
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

from peerdesk.agency.events import log_to_agency
from peerdesk.agency.models import AuditEntry
from peerdesk.agency.server import MAX_CODE_VALIDITY
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.errors import ConfigError, PeerDeskError

log = logging.getLogger("peerdesk.agency.cli")

ENV_PASSPHRASE = "PEERDESK_AGENCY_PASSPHRASE"
ENV_RECOVERY_PASSPHRASE = "PEERDESK_AGENCY_RECOVERY_PASSPHRASE"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

#: a command: (parsed arguments, where to print) -> exit code
Command = Callable[[argparse.Namespace, TextIO], int]


class CommandFailed(PeerDeskError):
    """A command could not do what was asked; the message says why."""


# --- passphrases ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Passphrase:
    """One of the agency's passphrases: the variable that may hold it, its name."""

    env: str
    what: str


#: opens the review keys (and, at ``init``, is chosen for them)
SUPERVISOR_PASSPHRASE = Passphrase(ENV_PASSPHRASE, "supervisor passphrase")
#: opens the offline recovery key
RECOVERY_PASSPHRASE = Passphrase(ENV_RECOVERY_PASSPHRASE, "recovery passphrase")


def read_passphrase(
    kind: Passphrase,
    *,
    file: str | None,
    prompt: str,
    confirm: bool = False,
    flag: str = "--passphrase-file",
) -> str:
    """``kind`` from the first line of ``file``, else its environment variable,
    else asked for on the terminal (twice with ``confirm``); ``flag`` is the
    option that gives ``file`` (for the message when there is no terminal)."""
    env, what = kind.env, kind.what
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
        raise CommandFailed(f"no {what}: use {flag} FILE or set ${env} (no terminal to ask on)")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to confirm: ") != first:
        raise CommandFailed(f"the two {what}s differ")
    return first


# --- the agency: settings, database, log, audit ---------------------------------------


def load_settings(args: argparse.Namespace) -> AgencySettings:
    return AgencySettings.load(args.dir)


@contextmanager
def open_storage(settings: AgencySettings, *, check: bool = True) -> Iterator[Storage]:
    """The agency database for one command (schema checked unless ``check`` is
    False), closed when the command is done with it."""
    storage = Storage.from_url(settings.database_url)
    try:
        if check:
            storage.check_schema()
        yield storage
    finally:
        storage.close()


def log_to(settings: AgencySettings) -> None:
    """Log to ``<dir>/logs/peerdesk.log`` (0600 in a 0700 folder), refusals as JSON lines."""
    log_to_agency(settings.directory)


def actor() -> str:
    """Who runs this command, for ``admin_audit``: the OS user at this host."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or passwd
        user = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return f"{user}@{socket.gethostname()}"[:100]


def audit_entry(action: str, target: str, detail: str = "") -> AuditEntry:
    return AuditEntry(actor(), action, target, detail)


# --- arguments and output -------------------------------------------------------------


def check_hours(args: argparse.Namespace) -> float:
    hours = float(args.expires_hours)
    if not 0 < hours <= MAX_CODE_VALIDITY.total_seconds() / 3600:
        raise CommandFailed("--expires-hours must be more than 0 and at most 720 (30 days)")
    return hours


#: what a terminal would act on rather than show: C0 and C1 controls (ESC starts
#: ANSI and OSC sequences, U+009B is a one-character CSI, CR rewrites the line),
#: DEL, and the Unicode line breaks and bidirectional controls that reorder or
#: split what is shown
_TERMINAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_TERMINAL_KEEP_LINES = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object, *, lines: bool = False) -> str:
    """``text`` safe to print on the admin's terminal: every control character
    written as an escape (``\\x1b``), so text that came from a laptop or a file
    cannot move the cursor, recolour, retitle or fake lines of the listing;
    ``lines``: line breaks kept (a message of several lines we wrote)."""
    pattern = _TERMINAL_KEEP_LINES if lines else _TERMINAL
    return pattern.sub(_escape, str(text))


def print_table(rows: list[list[str]], out: TextIO) -> None:
    rows = [[shown(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)


class Parsers:
    """Where the command modules add their sub-commands: ``top`` holds the
    commands, ``common`` is the parent parser with ``--dir``."""

    def __init__(self, top: Any, common: argparse.ArgumentParser) -> None:
        self.top = top
        self.common = common

    def add(self, name: str, func: Command, text: str) -> argparse.ArgumentParser:
        """A command ``name`` that runs ``func``."""
        p: argparse.ArgumentParser = self.top.add_parser(
            name, parents=[self.common], help=text, description=text
        )
        p.set_defaults(func=func)
        return p

    def group(self, name: str, text: str, dest: str) -> Any:
        """A command ``name`` whose actions are sub-commands (``group.add_parser``)."""
        parser = self.top.add_parser(name, help=text, description=text)
        return parser.add_subparsers(dest=dest, required=True, metavar="ACTION")

    def action(self, group: Any, name: str, func: Command, text: str) -> argparse.ArgumentParser:
        """An action ``name`` of a ``group`` that runs ``func``."""
        p: argparse.ArgumentParser = group.add_parser(
            name, parents=[self.common], help=text, description=text
        )
        p.set_defaults(func=func)
        return p
