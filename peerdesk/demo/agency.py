"""An embedded demo agency for ``make run``, the screenshots and end-to-end tests.

``python -m peerdesk.demo.agency --dir D --port P`` makes (once) a demo agency in
``D`` with SQLite and fixed, public demo passphrases, issues a fresh enrollment
code, writes ``D/provisioning.toml`` (with that code) and serves the API on
127.0.0.1 only. ``--port 0`` picks a free port.

When the socket is listening it prints one JSON line to stdout and flushes::

    {"event": "ready", "url": "http://127.0.0.1:PORT", "port": PORT,
     "provisioning": "D/provisioning.toml", "enrollment_code": "XXXXX-XXXXX",
     "expires_at": "...", "agency_dir": "D", "team": "demo",
     "supervisor_code": "XXXXX-XXXXX"}

The device code puts its laptop in team ``demo`` and ``supervisor_code`` is a
one-time invite for a supervisor of that team ("Demo Supervisor"). Because the
demo's supervisor passphrase is public, the demo agency grants the review keys to a
supervisor right after they enroll (a real agency: ``peerdesk-agency supervisor
grant``).

so a parent process (the desktop's ``make run``) can wait for that line. The
server stops on SIGINT/SIGTERM. Never put real notes into a demo agency: its
passphrases are printed here.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from peerdesk.agency import keys
from peerdesk.agency.cli import provisioning_document
from peerdesk.agency.files import create_code_key
from peerdesk.agency.models import REVIEW, AuditEntry, Supervisor
from peerdesk.agency.server import issue_enrollment_code
from peerdesk.agency.settings import SETTINGS_FILE, AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.agency.supervisors import issue_supervisor_invite, make_grants
from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.seal import BoxKeyPair
from peerdesk.errors import PeerDeskError
from peerdesk.ids import now_utc
from peerdesk.wire.provisioning import PROVISIONING_FILE, provisioning_toml

DEMO_NAME = "PeerDesk Demo Agency"
DEMO_HOST = "127.0.0.1"
DEMO_SUPERVISOR_PASSPHRASE = "demo supervisor only, never for real notes"
DEMO_RECOVERY_PASSPHRASE = "demo recovery key only, never for real use"
DEMO_TEAM = "demo"
DEMO_SUPERVISOR_NAME = "Demo Supervisor"


@dataclass(frozen=True, slots=True)
class DemoAgency:
    settings: AgencySettings
    url: str
    port: int
    provisioning_path: Path
    enrollment_code: str
    expires_at: str
    supervisor_code: str = ""

    def ready_line(self) -> str:
        return json.dumps(
            {
                "event": "ready",
                "url": self.url,
                "port": self.port,
                "provisioning": str(self.provisioning_path),
                "enrollment_code": self.enrollment_code,
                "expires_at": self.expires_at,
                "agency_dir": str(self.settings.directory),
                "team": DEMO_TEAM,
                "supervisor_code": self.supervisor_code,
            }
        )


def prepare(directory: Path, port: int) -> DemoAgency:
    """Create the demo agency in ``directory`` if needed (keys, database), issue
    a fresh enrollment code and write the provisioning file for ``port``."""
    directory = directory.expanduser().resolve()
    url = f"http://{DEMO_HOST}:{port}"
    if (directory / SETTINGS_FILE).exists():
        settings = AgencySettings.load(directory)
    else:
        settings = AgencySettings.create(directory, name=DEMO_NAME, public_url=url)
    storage = Storage.from_url(settings.database_url)
    try:
        storage.migrate()
        now = now_utc()
        if not (settings.keys_dir / keys.ROOT_FILE).exists():
            keys.create_keys(
                settings,
                supervisor_passphrase=DEMO_SUPERVISOR_PASSPHRASE,
                recovery_passphrase=DEMO_RECOVERY_PASSPHRASE,
                now=now,
                kdf_params=KdfParams.new(),
            )
        if not storage.keys.all():
            keys.register_keys(settings, storage, now)
        for summary in storage.devices.summaries(team=""):  # laptops enrolled before teams existed
            storage.devices.set_team(summary.device.device_id, DEMO_TEAM, now)
        code_key = create_code_key(settings)  # the demo's own agency: made at its start
        code, expires_at = issue_enrollment_code(
            storage, now, timedelta(hours=24), key=code_key, team=DEMO_TEAM
        )
        supervisor_code, _ = issue_supervisor_invite(
            storage,
            name=DEMO_SUPERVISOR_NAME,
            team=DEMO_TEAM,
            now=now,
            key=code_key,
            valid_for=timedelta(hours=24),
        )
        prov = provisioning_document(settings, storage, url, code=code)
    finally:
        storage.close()
    path = directory / PROVISIONING_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(provisioning_toml(prov))
    return DemoAgency(settings, url, port, path, code, expires_at, supervisor_code)


def grant_review_keys(settings: AgencySettings) -> Callable[[Supervisor], None]:
    """What the demo does after a supervisor enrolls: grant every review key
    (opened once, on first use, with the public demo passphrase)."""
    opened: list[BoxKeyPair] = []

    def grant(supervisor: Supervisor) -> None:
        storage = Storage.from_url(settings.database_url)
        try:
            if not opened:
                opened.extend(keys.load_review_keys(settings, DEMO_SUPERVISOR_PASSPHRASE))
            registered = {k.key_id for k in storage.keys.all(REVIEW)}
            grants = make_grants(supervisor, [k for k in opened if k.key_id in registered])
            storage.supervisors.put_grants(
                grants,
                now_utc(),
                audit=AuditEntry("demo agency", "supervisor-grant", supervisor.supervisor_id),
            )
        finally:
            storage.close()

    return grant


def _listen(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((DEMO_HOST, port))
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def serve(directory: Path, port: int, *, log_level: str = "warning") -> None:
    import uvicorn

    from peerdesk.agency.app import create_app

    sock = _listen(port)
    real_port = int(sock.getsockname()[1])
    demo = prepare(directory, real_port)
    app = create_app(demo.settings, after_supervisor_enroll=grant_review_keys(demo.settings))
    config = uvicorn.Config(app, log_level=log_level, server_header=False, access_log=False)
    server = uvicorn.Server(config)
    # the socket is already listening: connections wait in its backlog until uvicorn
    # accepts them, so "ready" is true from here on
    print(demo.ready_line(), flush=True)
    server.run(sockets=[sock])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m peerdesk.demo.agency", description="Run a demo PeerDesk agency."
    )
    parser.add_argument("--dir", required=True, help="demo agency directory")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free)")
    parser.add_argument("--log-level", default="warning", choices=["warning", "info", "debug"])
    args: Any = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be 0-65535")
    try:
        serve(Path(args.dir), args.port, log_level=args.log_level)
    except PeerDeskError as exc:
        print(f"demo agency: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"demo agency: cannot listen on {DEMO_HOST}:{args.port} ({exc.strerror})",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
