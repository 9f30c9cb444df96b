"""The Sync screen and the status bar against the fake agency (httpx.MockTransport):
enrollment through the form, Sync now with progress, failures and held-back
records in words, "Send again", cancel, automatic sync when the network comes
back (a simulated reachability change), the metered setting, the UI staying
usable while a sync waits on the network, and lock during a sync."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt

import ui.app
from peerdesk.services import ProfileManager, Session
from tests.conftest import PASSPHRASE, PROFILE_NAME
from tests.sync.fake_agency import CODE, FakeAgency
from tests.ui.sync_helpers import (
    GatedTransport,
    close_window,
    guarded,
    make_window,
    quiet_network,
    signed_note,
    write_provisioning,
)
from ui.app import MainWindow
from ui.connectivity import Reach
from ui.operations import change
from ui.screens.sync import default_provisioning_path
from ui.taskman import Outcome


@pytest.fixture
def agency() -> FakeAgency:
    return FakeAgency()


@pytest.fixture
def enrolled(session: Session, agency: FakeAgency) -> Session:
    session.link.enroll(agency.provisioning(), CODE, "field laptop 7", transport=agency.transport())
    return session


@pytest.fixture
def window_for(qtbot: Any, manager: ProfileManager, agency: FakeAgency) -> Iterator[Any]:
    made: list[MainWindow] = []

    def _make(session: Session, transport: Any = None, **kwargs: Any) -> MainWindow:
        network = kwargs.pop("network", None) or quiet_network()
        window = make_window(
            qtbot, session, manager, transport or agency.transport(), network, **kwargs
        )
        made.append(window)
        return window

    yield _make
    for window in made:
        close_window(window)


def _first_outcome(screen: Any) -> str:
    item = screen.details.history_table.item(0, 1)
    return item.text() if item is not None else ""


def _panel_shown(window: MainWindow) -> bool:
    return window.sync.stack.currentWidget() is window.sync.panel


# --- enrollment -----------------------------------------------------------------------


def test_enroll_form_shows_a_bad_code_next_to_the_field_then_connects(
    qtbot: Any, session: Session, agency: FakeAgency, window_for: Any, tmp_path: Path
) -> None:
    window = window_for(session)
    window.go_to(window.sync)
    screen = window.sync
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.enroll_page)
    assert "not connected to an agency" in window.sync_label.text()

    screen.provisioning_edit.setText(str(tmp_path / "missing.toml"))
    screen.code_edit.setText(CODE)
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.provisioning_field.error.isVisibleTo(screen))
    assert "provisioning file" in screen.provisioning_field.error.text().casefold()
    assert not screen.code_field.error.isVisibleTo(screen)

    screen.provisioning_edit.setText(str(write_provisioning(agency, tmp_path / "prov.toml")))
    screen.code_edit.setText("WRONG-CODE-1")
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.code_field.error.isVisibleTo(screen))
    assert "refused" in screen.code_field.error.text()
    assert not screen.provisioning_field.error.isVisibleTo(screen)
    assert guarded(session, session.link.status).enrolled is False

    screen.code_edit.setText(CODE)
    qtbot.keyClick(screen.code_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _panel_shown(window))
    assert not screen.code_field.error.isVisibleTo(screen)
    assert agency.name in screen.panel_heading.text()
    assert "https://agency.test" in screen.agency_label.text()
    assert guarded(session, session.link.status).enrolled is True


def test_provisioning_file_is_prefilled_from_the_environment_or_the_profile(
    session: Session, tmp_path: Path
) -> None:
    assert default_provisioning_path(session, {}) == ""
    (session.path / "provisioning.toml").write_text("format = 1", encoding="utf-8")
    assert default_provisioning_path(session, {}) == str(session.path / "provisioning.toml")
    assert default_provisioning_path(session, {"PEERDESK_PROVISIONING": "/x/p.toml"}) == (
        "/x/p.toml"
    )


# --- syncing --------------------------------------------------------------------------


def test_sync_now_shows_progress_then_success_and_the_counts_go_to_zero(
    qtbot: Any, enrolled: Session, agency: FakeAgency, window_for: Any, make_draft: Any
) -> None:
    signed_note(enrolled, make_draft)
    window = window_for(enrolled)
    window.go_to(window.sync)
    screen = window.sync
    qtbot.waitUntil(lambda: _panel_shown(window))
    qtbot.waitUntil(lambda: "0 waiting to sync" not in window.sync_label.text())
    assert "never synced" in window.sync_label.text()
    assert screen.run_button.accessibleName() == "Sync now"

    seen: list[tuple[str, bool, int]] = []
    window.link.progress_changed.connect(
        lambda p: seen.append(
            (screen.progress_label.text(), screen.progress_bar.isVisible(), p.bytes_sent)
        )
    )
    qtbot.mouseClick(screen.run_button, Qt.MouseButton.LeftButton)
    assert not screen.run_button.isEnabled() and screen.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: "Sync finished" in screen.result_label.text())

    batches = [text for text, visible, sent in seen if text.startswith("Batch 1") and visible]
    assert batches, seen
    assert any(sent > 0 for _, _, sent in seen)
    assert "sent" in batches[-1]
    assert screen.run_button.isEnabled() and not screen.cancel_button.isEnabled()
    assert not screen.progress_bar.isVisible()
    qtbot.waitUntil(lambda: "· 0 waiting to sync · 0 held back" in window.sync_label.text())
    assert "last synced" in window.sync_label.text()
    assert window.sync_label.text().startswith("Online")
    qtbot.waitUntil(lambda: _first_outcome(screen) == "Finished")
    assert screen.details.history_table.rowCount() == 1
    assert "finished" in screen.details.last_attempt_label.text()


def test_a_failed_sync_says_why_in_words(
    qtbot: Any, enrolled: Session, agency: FakeAgency, window_for: Any, make_draft: Any
) -> None:
    signed_note(enrolled, make_draft)
    agency.faults = ["connect"]
    window = window_for(enrolled)
    window.go_to(window.sync)
    screen = window.sync
    qtbot.waitUntil(lambda: _panel_shown(window))
    qtbot.mouseClick(screen.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "did not finish" in screen.result_label.text())
    # issue 21: the refused connection in words, with what to do, not "[Errno 111]"
    assert "did not accept the connection" in screen.result_label.text()
    assert "Errno" not in screen.result_label.text()
    qtbot.waitUntil(lambda: "did not finish" in screen.details.last_attempt_label.text())
    assert "did not accept the connection" in screen.details.last_attempt_label.text()
    assert "Errno" not in screen.details.last_attempt_label.text()
    qtbot.waitUntil(lambda: "last sync failed" in window.sync_label.text())
    assert "Agency not reachable" in window.sync_label.text()
    qtbot.waitUntil(lambda: _first_outcome(screen) == "Failed")
    assert "waiting to sync" in window.sync_label.text()
    assert guarded(enrolled, enrolled.link.status).pending >= 1


def test_refused_records_are_held_back_with_the_reason_and_can_be_sent_again(
    qtbot: Any, enrolled: Session, agency: FakeAgency, window_for: Any, make_draft: Any
) -> None:
    note_id = signed_note(enrolled, make_draft)
    entry = next(e for e in enrolled._stores.queue.pending_after(0, 100) if e.entity_id == note_id)
    agency.reject[entry.op_id] = "bad_payload"
    window = window_for(enrolled)
    window.go_to(window.sync)
    screen = window.sync
    qtbot.waitUntil(lambda: _panel_shown(window))
    assert not screen.details.retry_button.isEnabled()
    qtbot.mouseClick(screen.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.details.quarantine_table.rowCount() == 1)
    assert screen.details.quarantine_table.item(0, 0).text() == "Note"
    assert "refused by the test" in screen.details.quarantine_table.item(0, 2).text()
    assert "bad_payload" in screen.details.quarantine_table.item(0, 2).text()
    assert "held back" in screen.result_label.text()
    qtbot.waitUntil(lambda: "· 1 held back" in window.sync_label.text())

    del agency.reject[entry.op_id]
    screen.details.quarantine_table.selectRow(0)
    assert screen.details.selected_op_ids() == [entry.op_id]
    assert screen.details.retry_button.isEnabled()
    qtbot.mouseClick(screen.details.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.details.quarantine_table.rowCount() == 0)
    qtbot.waitUntil(lambda: "· 1 waiting to sync · 0 held back" in window.sync_label.text())
    qtbot.mouseClick(screen.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "· 0 waiting to sync · 0 held back" in window.sync_label.text())
    device = guarded(enrolled, enrolled._device.require).device_id
    assert [r[1] for r in agency.opened(device) if r[0] == "note"] == [note_id]


def test_cancel_stops_a_sync_that_waits_on_the_network(
    qtbot: Any, enrolled: Session, agency: FakeAgency, window_for: Any, make_draft: Any
) -> None:
    signed_note(enrolled, make_draft)
    gated = GatedTransport(agency)
    window = window_for(enrolled, gated)
    window.go_to(window.sync)
    screen = window.sync
    qtbot.waitUntil(lambda: _panel_shown(window))
    qtbot.mouseClick(screen.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(gated.entered.is_set)
    assert window.sync_label.text().startswith("Syncing")
    qtbot.mouseClick(screen.cancel_button, Qt.MouseButton.LeftButton)
    gated.gate.set()
    qtbot.waitUntil(lambda: not window.link.running)
    qtbot.waitUntil(lambda: "stopped" in screen.result_label.text())
    qtbot.waitUntil(lambda: _first_outcome(screen) == "Stopped")
    assert screen.details.history_table.rowCount() == 1
    assert screen.run_button.isEnabled()


# --- status bar and automatic sync ----------------------------------------------------


def test_status_bar_says_online_or_offline_in_words(
    qtbot: Any, enrolled: Session, agency: FakeAgency, window_for: Any, make_draft: Any
) -> None:
    signed_note(enrolled, make_draft)
    network = quiet_network(Reach.UNKNOWN)
    window = window_for(enrolled, network=network)
    label = window.sync_label
    qtbot.waitUntil(lambda: "Connection unknown · never synced" in label.text())
    assert "waiting to sync · 0 held back" in label.text()
    window.link.auto.probe()
    qtbot.waitUntil(lambda: label.text().startswith("Online · never synced"))
    network.set_reachability(Reach.OFFLINE)
    assert label.text().startswith("Offline · never synced")
    assert label.accessibleName() == "Sync status"


def test_sync_starts_by_itself_when_the_network_comes_back(
    qtbot: Any, enrolled: Session, agency: FakeAgency, window_for: Any, make_draft: Any
) -> None:
    signed_note(enrolled, make_draft)
    network = quiet_network(Reach.OFFLINE)
    window = window_for(enrolled, network=network)
    controller = window.link
    qtbot.waitUntil(lambda: controller.is_enrolled)
    network.set_reachability(Reach.ONLINE)  # what QNetworkInformation would report
    qtbot.waitUntil(lambda: controller.auto.auto_syncs == 1)
    qtbot.waitUntil(lambda: "· 0 waiting to sync" in window.sync_label.text())
    assert agency.requests


def test_metered_connection_waits_unless_the_setting_allows_it(
    qtbot: Any,
    enrolled: Session,
    agency: FakeAgency,
    window_for: Any,
    make_draft: Any,
    manager: ProfileManager,
) -> None:
    signed_note(enrolled, make_draft)
    network = quiet_network(Reach.OFFLINE, metered=True)
    window = window_for(enrolled, network=network)
    controller = window.link
    screen = window.sync
    qtbot.waitUntil(lambda: controller.is_enrolled)
    assert not screen.details.metered_check.isChecked()
    network.set_reachability(Reach.ONLINE)
    # refused on the spot (no probe, nothing sent)
    assert controller.auto.auto_sync_blocked() == "the connection is metered"
    assert not controller.running and controller.auto.auto_syncs == 0 and not agency.requests
    assert "metered connection" in screen.details.connection_label.text()

    screen.details.metered_check.setChecked(True)
    qtbot.waitUntil(lambda: enrolled.link.settings().sync_on_metered)
    network.set_reachability(Reach.OFFLINE)
    network.set_reachability(Reach.ONLINE)
    qtbot.waitUntil(lambda: controller.auto.auto_syncs == 1)
    qtbot.waitUntil(lambda: not controller.running)
    assert agency.requests
    # the setting is the profile's: a file with nothing but the switch
    saved = (enrolled.path / "sync-settings.json").read_text(encoding="utf-8")
    assert '"sync_on_metered": true' in saved and PROFILE_NAME not in saved


def test_the_periodic_try_syncs_when_allowed(
    qtbot: Any, enrolled: Session, agency: FakeAgency, window_for: Any, make_draft: Any
) -> None:
    signed_note(enrolled, make_draft)
    window = window_for(enrolled)
    controller = window.link
    assert (
        controller.auto.periodic.isActive()
        and controller.auto.periodic.interval() == 15 * 60 * 1000
    )
    qtbot.waitUntil(lambda: controller.is_enrolled)
    controller.auto.periodic.timeout.emit()
    qtbot.waitUntil(lambda: controller.auto.auto_syncs == 1)


# --- the UI during a slow sync --------------------------------------------------------


def test_autosave_completes_while_a_sync_waits_on_the_network(
    qtbot: Any, enrolled: Session, agency: FakeAgency, window_for: Any, make_draft: Any
) -> None:
    signed_note(enrolled, make_draft, "Autosave Person")
    gated = GatedTransport(agency)
    window = window_for(enrolled, gated)
    controller = window.link
    qtbot.waitUntil(lambda: controller.is_enrolled)
    assert controller.run_now()
    qtbot.waitUntil(gated.entered.is_set)

    window.go_to(window.notes)
    window.notes.new_note()
    editor = window.notes.editor
    qtbot.waitUntil(lambda: editor.participant_combo.count() > 0)
    qtbot.keyClicks(editor.section_edits["goal"], "typed during a slow sync")
    qtbot.waitUntil(lambda: "Draft saved" in editor.status_label.text())
    assert controller.running  # the sync is still waiting for the agency
    gated.gate.set()
    qtbot.waitUntil(lambda: not controller.running)
    assert any(
        n.body.get("goal") == "typed during a slow sync"
        for n in guarded(enrolled, enrolled.notes.list).items
    )


def test_locking_during_a_sync_does_not_crash_and_loses_nothing(
    qtbot: Any,
    enrolled: Session,
    agency: FakeAgency,
    window_for: Any,
    make_draft: Any,
    manager: ProfileManager,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    note_id = signed_note(enrolled, make_draft)
    gated = GatedTransport(agency)
    window = window_for(enrolled, gated)
    controller = window.link
    qtbot.waitUntil(lambda: controller.is_enrolled)
    assert controller.run_now()
    qtbot.waitUntil(gated.entered.is_set)
    handle = controller._handle
    assert handle is not None

    def fake_sign_in(mgr: ProfileManager, last: str, parent: Any = None) -> Session:
        again = mgr.open(last)
        again.unlock(PASSPHRASE)
        return again

    monkeypatch.setattr(ui.app, "sign_in", fake_sign_in)
    window.lock_action.trigger()
    assert window.session is not enrolled and window.session.is_unlocked
    assert enrolled.closed
    gated.gate.set()  # the answer arrives after the lock
    qtbot.waitUntil(lambda: handle.done)
    assert handle.outcome is Outcome.FAILED
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # nothing was applied to the closed profile; the next sync sends it again
    new = window.session
    qtbot.waitUntil(lambda: guarded(new, new.link.status).pending >= 1)
    assert window.link is not controller
    qtbot.waitUntil(lambda: window.link.is_enrolled)
    assert window.link.run_now()
    qtbot.waitUntil(lambda: "· 0 waiting to sync" in window.sync_label.text())
    device = guarded(new, new._device.require).device_id
    assert [r[1] for r in agency.opened(device) if r[0] == "note"] == [note_id]


def test_sync_screen_screenshot(
    qtbot: Any,
    enrolled: Session,
    agency: FakeAgency,
    window_for: Any,
    make_draft: Any,
    screenshot_path: Any,
) -> None:
    """The sync screen after a sync with one refused record and a failed try."""
    note_id = signed_note(enrolled, make_draft, "Screenshot Person")
    signed_note(enrolled, make_draft, "Second Person")
    entry = next(e for e in enrolled._stores.queue.pending_after(0, 100) if e.entity_id == note_id)
    agency.reject[entry.op_id] = "bad_payload"
    window = window_for(enrolled)
    window.resize(1200, 820)
    window.go_to(window.sync)
    screen = window.sync
    qtbot.waitUntil(lambda: _panel_shown(window))
    with qtbot.waitSignal(window.link.finished, timeout=10_000):
        screen.run_now()
    agency.faults = ["connect"]
    with qtbot.waitSignal(window.link.finished, timeout=10_000):
        screen.run_now()
    qtbot.waitUntil(lambda: screen.details.history_table.rowCount() == 2)
    qtbot.waitUntil(lambda: _first_outcome(screen) == "Failed")
    qtbot.waitUntil(lambda: screen.details.quarantine_table.rowCount() == 1)
    qtbot.waitUntil(lambda: not window.taskman.busy)
    # the last status read was the last job: let its longer lines lay out first
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    assert window.grab().save(str(screenshot_path("sync.png")))


def test_the_counts_follow_a_save_without_being_asked(
    qtbot: Any, enrolled: Session, agency: FakeAgency, window_for: Any, make_draft: Any
) -> None:
    person = enrolled.participants.add("Counted Person").value
    draft = enrolled.notes.create_draft(make_draft(person.id)).value
    before = enrolled.link.status().pending
    window = window_for(enrolled)
    label = window.sync_label
    qtbot.waitUntil(lambda: f"· {before} waiting to sync" in label.text())
    change(window.taskman, enrolled.notes.sign, draft.id).run()  # as the editor's Sign does
    qtbot.waitUntil(lambda: f"· {before + 1} waiting to sync" in label.text())


def test_a_directory_download_shows_its_bytes_and_parts_of_the_total(
    window_for: Any, enrolled: Session
) -> None:
    from peerdesk.services import DirectoryProgress, SyncStarted
    from ui.link_roles import SyncProgress

    details = window_for(enrolled).sync.details
    progress = SyncProgress().after(SyncStarted(0, 0))
    progress = progress.after(DirectoryProgress(3, True, 4, 67, 1_300_000, 20_900_000))
    text = details.progress_text(progress)
    assert "(part 4 of 67)" in text and "MB" in text
    assert details.progress_range(progress) == (20_900_000 // 1024, 1_300_000 // 1024)
    done = progress.after(DirectoryProgress(3, True, 67, 67, 20_900_000, 20_900_000))
    assert "updating" in details.progress_text(done)


def test_every_kind_the_outbox_can_hold_has_a_name_in_words(session: Any) -> None:
    """The held-back list never shows a raw kind id (review item 11)."""
    import re

    from ui.screens.sync_details import kind_names

    sql = session._db.execute("SELECT sql FROM sqlite_master WHERE name = 'outbox'").fetchone()[0]
    allowed = re.search(r"entity IN \(([^)]*)\)", sql)
    assert allowed is not None
    kinds = set(re.findall(r"'([a-z_]+)'", allowed.group(1)))
    assert {"supervision", "certification", "ceu", "wellbeing"} <= kinds
    names = kind_names()
    assert kinds <= set(names), kinds - set(names)
    assert all(names[k] != k for k in kinds)
