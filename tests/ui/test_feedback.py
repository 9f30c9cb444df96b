"""Supervisor feedback on the note: after a sync brings a decision, the note
editor lists it read-only (decision in words, comment, reviewer, date) and the
notes list shows the new state; drafts have no feedback area."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from peerdesk.domain.models import NoteState
from peerdesk.services import ProfileManager, Session
from tests.sync.fake_agency import CODE, FakeAgency
from tests.ui.sync_helpers import close_window, guarded, make_window, quiet_network, signed_note
from ui.app import MainWindow


@pytest.fixture
def agency() -> FakeAgency:
    return FakeAgency()


@pytest.fixture
def enrolled(session: Session, agency: FakeAgency) -> Session:
    session.link.enroll(agency.provisioning(), CODE, "field laptop 7", transport=agency.transport())
    return session


@pytest.fixture
def window(
    qtbot: Any, enrolled: Session, manager: ProfileManager, agency: FakeAgency
) -> Iterator[MainWindow]:
    win = make_window(qtbot, enrolled, manager, agency.transport(), quiet_network())
    yield win
    close_window(win)


def _sync(qtbot: Any, window: MainWindow) -> None:
    controller = window.link
    qtbot.waitUntil(lambda: controller.is_enrolled)
    with qtbot.waitSignal(controller.finished, timeout=10_000):
        assert controller.run_now()
    assert controller.last_failure is None


def test_feedback_appears_on_the_note_after_a_sync(
    qtbot: Any, window: MainWindow, enrolled: Session, agency: FakeAgency, make_draft: Any
) -> None:
    note_id = signed_note(enrolled, make_draft, "Feedback Person")
    _sync(qtbot, window)  # the note reaches the agency
    window.show_note(note_id)
    editor = window.notes.editor
    panel = editor.feedback_panel
    qtbot.waitUntil(lambda: editor.note is not None and editor.note.id == note_id)
    qtbot.waitUntil(lambda: "No feedback" in panel.summary.text())
    assert panel.isVisible() and panel.texts() == []

    device = guarded(enrolled, enrolled._device.require).device_id
    agency.send_feedback(device, note_id, "returned", "Please add the plan.", "Pat Reviewer")
    _sync(qtbot, window)
    qtbot.waitUntil(lambda: len(panel.texts()) == 1)
    text = panel.texts()[0]
    assert text.startswith("Returned for changes by Pat Reviewer on 2024-05-0")
    assert text.endswith(": Please add the plan.")
    assert editor.note is not None and editor.note.state is NoteState.RETURNED
    assert "Returned" in editor.state_label.text()
    assert panel.list.accessibleName() == "Supervisor feedback on this note"
    rows = window.notes.table
    qtbot.waitUntil(
        lambda: any(
            (rows.item(r, c) or _blank()).text() == "Returned"
            for r in range(rows.rowCount())
            for c in range(rows.model().columnCount())
        )
    )

    agency.send_feedback(device, note_id, "approved", "", "Pat Reviewer")
    _sync(qtbot, window)
    qtbot.waitUntil(lambda: len(panel.texts()) == 2)
    assert panel.texts()[1].startswith("Approved by Pat Reviewer on ")
    assert "oldest first: 2" in panel.summary.text()


def test_a_draft_has_no_feedback_area(
    qtbot: Any, window: MainWindow, enrolled: Session, make_draft: Any
) -> None:
    def write() -> Any:  # on the window's DB thread
        person = enrolled.participants.add("Draft Person").value
        return enrolled.notes.create_draft(make_draft(person.id)).value

    draft = guarded(enrolled, write)
    window.show_note(draft.id)
    editor = window.notes.editor
    qtbot.waitUntil(lambda: editor.note is not None and editor.note.id == draft.id)
    assert not editor.feedback_panel.isVisible()
    assert editor.feedback_panel.texts() == []


class _blank:
    def text(self) -> str:
        return ""
