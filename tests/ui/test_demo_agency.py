"""``make run``'s demo agency: a real child process (``python -m peerdesk.demo.agency``)
that the window waits for, enrolls the demo profile with, syncs with, follows to a
new port, and terminates; a child that does not come up is said in the status bar.
Also the core rule behind "follows to a new port": only the same agency (the same
pinned root key) may change the stored address."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from peerdesk.demo.profiles import DEMO_PASSPHRASE, DEMO_SUPERVISOR_PROFILE, ensure_demo_profile
from peerdesk.domain.models import NoteState
from peerdesk.domain.review import QueueFilter
from peerdesk.errors import ConfigError, ValidationError
from peerdesk.services import ProfileManager, Session
from tests.sync.fake_agency import CODE, FakeAgency
from tests.ui.sync_helpers import close_window, guarded, quiet_network
from ui.app import MainWindow
from ui.demo_agency import DemoAgency, DemoAgencyFailed


@pytest.fixture
def agencies() -> Iterator[list[DemoAgency]]:
    started: list[DemoAgency] = []
    yield started
    for demo in started:
        demo.stop()


def _window(qtbot: Any, manager: ProfileManager, demo: DemoAgency) -> MainWindow:
    window = MainWindow(
        ensure_demo_profile(manager),
        manager,
        autosave_ms=50,
        idle_timeout_s=0,
        network=quiet_network(),
        sync_startup_delay_ms=None,
        demo_agency=demo,
    )
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.mark.slow
def test_the_demo_agency_child_enrolls_syncs_follows_a_new_port_and_stops(
    qtbot: Any, manager: ProfileManager, data_dir: Path, agencies: list[DemoAgency]
) -> None:
    directory = data_dir / "demo-agency"
    demo = DemoAgency(directory)
    agencies.append(demo)
    demo.start()
    window = _window(qtbot, manager, demo)
    try:
        label = window.sync_label
        qtbot.waitUntil(lambda: "last synced" in label.text(), timeout=60_000)
        qtbot.waitUntil(lambda: "· 0 waiting to sync · 0 held back" in label.text())
        assert label.text().startswith("Online")
        first = demo.info
        assert first is not None and first.provisioning.is_file()
        session = window.session
        assert guarded(session, session.link.endpoint).url == first.url  # type: ignore[union-attr]

        # beside it, a supervisor profile enrolled with the demo team's invite
        qtbot.waitUntil(lambda: DEMO_SUPERVISOR_PROFILE in manager.list_profiles(), timeout=60_000)
        qtbot.waitUntil(lambda: not window.taskman.busy, timeout=60_000)
        supervisor = manager.open(DEMO_SUPERVISOR_PROFILE)
        try:
            supervisor.unlock(DEMO_PASSPHRASE)
            assert supervisor.role == "supervisor"
            list(supervisor.link.pull())
            page = supervisor.review.queue(QueueFilter())
            signed = guarded(session, lambda: session.notes.list(state=NoteState.SUBMITTED).items)
            assert len(signed) == 3 and page.total == 3  # the demo's three signed notes
        finally:
            supervisor.close()

        # the next run: same agency folder, a new port
        demo.stop()
        assert demo.process is None
        again = DemoAgency(directory)
        agencies.append(again)
        again.start()
        second = again.wait_ready()
        assert second.url != first.url
        outcome: list[str] = []
        controller = window.link
        with qtbot.waitSignal(controller.finished, timeout=30_000):
            controller.adopt_provisioning(second.provisioning, outcome.append)
        assert outcome == ["moved"]
        assert controller.last_failure is None
        assert guarded(session, session.link.endpoint).url == second.url  # type: ignore[union-attr]
        process = again.process
        assert process is not None
    finally:
        close_window(window)
    again.stop()
    assert process.poll() is not None  # the child is gone


@pytest.mark.slow
def test_a_demo_agency_that_does_not_come_up_is_said_in_the_status_bar(
    qtbot: Any, manager: ProfileManager, data_dir: Path, agencies: list[DemoAgency]
) -> None:
    demo = DemoAgency(data_dir / "demo-agency", port=70000)  # refused by its parser
    agencies.append(demo)
    demo.start()
    window = _window(qtbot, manager, demo)
    try:
        qtbot.waitUntil(
            lambda: "Demo agency not available" in window.sync_label.text(), timeout=30_000
        )
        assert "exit code 2" in window.sync_label.text()
        assert "not connected to an agency" in window.sync_label.text()
    finally:
        close_window(window)


def test_a_demo_agency_that_cannot_be_started_raises_in_words(tmp_path: Path) -> None:
    demo = DemoAgency(tmp_path / "agency", python=str(tmp_path / "no-such-python"))
    with pytest.raises(DemoAgencyFailed, match="could not be started"):
        demo.start()
    with pytest.raises(DemoAgencyFailed, match="was not started"):
        demo.wait_ready(1)
    demo.stop()


def test_only_the_same_agency_may_change_the_stored_address(session: Session) -> None:
    agency = FakeAgency()
    session.link.enroll(agency.provisioning(), CODE, "laptop", transport=agency.transport())
    moved = agency.provisioning("http://127.0.0.1:8765")
    assert session.link.update_agency_url(moved).value is True
    assert session.link.endpoint().url == "http://127.0.0.1:8765"  # type: ignore[union-attr]
    assert session.link.update_agency_url(moved).value is False
    other = FakeAgency().provisioning("https://evil.example")
    with pytest.raises(ValidationError) as caught:
        session.link.update_agency_url(other)
    assert caught.value.field == "provisioning"
    assert session.link.endpoint().url == "http://127.0.0.1:8765"  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match="https"):
        session.link.update_agency_url(replace(moved, agency_url="http://agency.example"))
    latest = session._audit.entries(1)[0]
    assert (latest.event, latest.detail) == ("sync", {"kind": "agency_url_changed"})
