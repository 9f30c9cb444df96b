"""Helpers for the UI's sync tests: the fake agency of tests/sync behind
``httpx.MockTransport``, a provisioning file for it, a network monitor that only
changes when a test says so, a transport that holds /v1/sync requests until the
test lets them go, and a main window wired to all that."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import httpx

from peerdesk.config import provisioning_toml
from peerdesk.link.sync import SyncOptions
from peerdesk.services import ProfileManager, Session
from tests.sync.fake_agency import URL, FakeAgency
from ui.app import MainWindow
from ui.connectivity import NetworkMonitor, Reach
from ui.taskman import TaskManager

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


#: every TaskManager made in this test run (see ``tests/ui/conftest.py``)
TASK_MANAGERS: list[weakref.ref[TaskManager]] = []


def track_task_managers(monkeypatch: Any) -> None:
    """Remember every TaskManager made, so :func:`guarded` can find the one whose
    DB thread owns the profile."""
    original = TaskManager.__init__

    def init(self: TaskManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        TASK_MANAGERS.append(weakref.ref(self))

    monkeypatch.setattr(TaskManager, "__init__", init)


def guarded(session: Session, fn: Callable[[], T]) -> T:
    """Call the profile from the test as the app would: on the DB thread of the
    task manager that is running (one writer), or here when none runs."""
    for ref in reversed(TASK_MANAGERS):
        manager = ref()
        if manager is not None and not manager.closed:
            return manager.run_on_db_thread(fn)
    return fn()


def signed_note(session: Session, make_draft: Any, name: str = "Sync Person") -> str:
    """A signed note, written on the DB thread if a window runs."""

    def write() -> str:
        person = session.participants.add(name).value
        note = session.notes.create_draft(make_draft(person.id)).value
        return session.notes.sign(note.id).value.id

    return guarded(session, write)


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
