"""The demo agency for ``make run`` (``python -m ui.app --demo``), as a child process.

The desktop never imports the agency server (an import-linter contract forbids
it); it runs ``python -m peerdesk.demo.agency --dir DIR --port 0`` and reads the
one JSON "ready" line the server prints once it listens::

    {"event": "ready", "url": "http://127.0.0.1:PORT", "port": PORT,
     "provisioning": "DIR/provisioning.toml", "enrollment_code": "...", ...}

:meth:`DemoAgency.wait_ready` waits for that line with a timeout (on the network
pool: it never blocks the window) and raises :class:`DemoAgencyFailed` with the
reason in words when the server does not come up, so the app still opens,
offline, and says why. The server's own messages go to ``DIR/agency.log``.
:meth:`DemoAgency.stop` ends the child (terminate, then kill) at exit.
"""

from __future__ import annotations

import json
import logging
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ui.i18n import tr

__all__ = ["DemoAgency", "DemoAgencyFailed", "DemoAgencyInfo", "start_demo_agency"]

log = logging.getLogger("peerdesk.ui.demo_agency")

READY_TIMEOUT_S = 60.0
LOG_FILE = "agency.log"


class DemoAgencyFailed(Exception):
    """The demo agency did not come up; ``str()`` is the reason in words."""


@dataclass(frozen=True, slots=True)
class DemoAgencyInfo:
    """What the ready line says."""

    url: str
    port: int
    provisioning: Path
    enrollment_code: str
    #: a one-time supervisor invite for the demo team ("" from an older demo agency)
    supervisor_code: str = ""


class DemoAgency:
    """One demo agency child process (``start`` once, ``stop`` at exit)."""

    def __init__(self, directory: Path, *, python: str | None = None, port: int = 0) -> None:
        self.directory = Path(directory)
        self.python = python or sys.executable
        self.port = port
        self.process: subprocess.Popen[str] | None = None
        self.info: DemoAgencyInfo | None = None
        self._lines: queue.Queue[DemoAgencyInfo | None] = queue.Queue()
        self._log: IO[bytes] | None = None

    @property
    def command(self) -> list[str]:
        return [
            self.python,
            "-m",
            "peerdesk.demo.agency",
            "--dir",
            str(self.directory),
            "--port",
            str(self.port),
        ]

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the child (returns at once). Raises :class:`DemoAgencyFailed`."""
        if self.process is not None:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._log = open(self.directory / LOG_FILE, "ab")
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=self._log,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except OSError as exc:
            raise DemoAgencyFailed(
                tr("the demo agency could not be started ({error})").format(
                    error=exc.strerror or type(exc).__name__
                )
            ) from None
        log.info("demo agency started (pid %d) in %s", self.process.pid, self.directory)
        threading.Thread(
            target=self._read, args=(self.process,), name="peerdesk-demo-agency", daemon=True
        ).start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        """Read the child's stdout to its end; hand over the ready line."""
        assert process.stdout is not None
        sent = False
        for line in process.stdout:
            if sent:
                continue  # keep draining, so the child never blocks on a full pipe
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict) and data.get("event") == "ready":
                try:
                    info = DemoAgencyInfo(
                        url=str(data["url"]),
                        port=int(data["port"]),
                        provisioning=Path(str(data["provisioning"])),
                        enrollment_code=str(data.get("enrollment_code", "")),
                        supervisor_code=str(data.get("supervisor_code", "")),
                    )
                except (KeyError, TypeError, ValueError):
                    continue
                self._lines.put(info)
                sent = True
        if not sent:
            self._lines.put(None)  # the child ended without saying it was ready

    def wait_ready(self, timeout_s: float = READY_TIMEOUT_S) -> DemoAgencyInfo:
        """Wait (off the GUI thread) for the ready line. Raises :class:`DemoAgencyFailed`."""
        process = self.process
        if self.info is not None:
            return self.info
        if process is None:
            raise DemoAgencyFailed(tr("the demo agency was not started"))
        try:
            info = self._lines.get(timeout=timeout_s)
        except queue.Empty:
            raise DemoAgencyFailed(
                tr("the demo agency did not start within {seconds} seconds").format(
                    seconds=int(timeout_s)
                )
            ) from None
        if info is None:
            code = process.wait()
            raise DemoAgencyFailed(
                tr("the demo agency stopped (exit code {code}); see {log}").format(
                    code=code, log=str(self.directory / LOG_FILE)
                )
            )
        self.info = info
        log.info("demo agency ready at %s", info.url)
        return info

    def stop(self, timeout_s: float = 5.0) -> None:
        """End the child: terminate, wait, kill if it does not go. Safe to call twice."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=timeout_s)
            log.info("demo agency stopped")
        if self._log is not None:
            self._log.close()
            self._log = None


def start_demo_agency(directory: Path) -> DemoAgency:
    """Start the demo agency child process (``--demo``); a failure to start is
    reported when the window waits for it, so the app still opens (offline)."""
    demo = DemoAgency(directory)
    try:
        demo.start()
    except DemoAgencyFailed as exc:
        log.warning("demo agency not started: %s", exc)
    return demo
