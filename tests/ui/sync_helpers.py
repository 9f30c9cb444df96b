"""Helpers for the UI's sync tests: the fake agency of tests/sync behind
``httpx.MockTransport``, a provisioning file for it, a network monitor that only
changes when a test says so, a transport that holds /v1/sync requests until the
test lets them go, and a main window wired to all that."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import httpx

from peerdesk.config import provisioning_toml
from peerdesk.service import ProfileManager, Session
from peerdesk.sync.engine import SyncOptions
from tests.sync.fake_agency import URL, FakeAgency
from ui.app import MainWindow
from ui.connectivity import NetworkMonitor, Reach

T = TypeVar("T")


def write_provisioning(agency: FakeAgency, path: Path, *, code: str | None = None) -> Path:
    prov = replace(agency.provisioning(URL), enrollment_code=code)
    path.write_text(provisioning_toml(prov), encoding="utf-8")
    return path


def quiet_network(reach: Reach = Reach.ONLINE, *, metered: bool = False) -> NetworkMonitor:
    """No system backend: the reachability changes only when the test says so."""
    monitor = NetworkMonitor(use_system=False)
    monitor.set_reachability(reach)
    monitor.set_metered(metered)
    return monitor


class GatedTransport(httpx.BaseTransport):
    """The fake agency, with every ``/v1/sync`` request held until :attr:`gate` is
    set; :attr:`entered` is set when one is waiting (the test's cue)."""

    def __init__(self, agency: FakeAgency) -> None:
        self.inner = agency.transport()
        self.gate = threading.Event()
        self.entered = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/sync":
            self.entered.set()
            if not self.gate.wait(timeout=30):
                raise httpx.ReadTimeout("the test never let the request go", request=request)
        return self.inner.handle_request(request)


def signed_note(session: Session, make_draft: Any, name: str = "Sync Person") -> str:
    """A signed note (under the session's guard: a window's DB thread may be busy)."""
    with session.db_guard:
        person = session.participants.add(name)
        note = session.notes.create_draft(make_draft(person.id))
        return session.notes.sign(note.id).id


def guarded(session: Session, fn: Callable[[], T]) -> T:
    """Read the profile from the test while a window's DB thread may use it."""
    with session.db_guard:
        return fn()


def make_window(
    qtbot: Any,
    session: Session,
    manager: ProfileManager,
    transport: httpx.BaseTransport,
    network: NetworkMonitor,
    **kwargs: Any,
) -> MainWindow:
    kwargs.setdefault("sync_options", SyncOptions(max_attempts=1))
    kwargs.setdefault("sync_startup_delay_ms", None)
    window = MainWindow(
        session,
        manager,
        autosave_ms=50,
        idle_timeout_s=0,
        network=network,
        sync_transport=transport,
        **kwargs,
    )
    qtbot.addWidget(window)
    window.resize(1100, 760)
    window.show()
    return window


def close_window(window: MainWindow) -> None:
    if window.session.is_unlocked:
        window.close()
