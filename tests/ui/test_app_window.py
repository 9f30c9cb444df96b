"""The main window: sidebar screens on the demo profile, status bar counts, and
lock (Ctrl+L) that saves the draft, destroys the screens and signs in again."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

import ui.app
from peerdesk.demo.profiles import DEMO_PASSPHRASE, DEMO_PROFILE, ensure_demo_profile
from peerdesk.domain.models import NoteState
from peerdesk.services import ProfileManager
from tests.ui.widget_text import widget_text
from ui.app import MainWindow


@pytest.fixture
def window(qtbot, tmp_path):
    manager = ProfileManager(root=tmp_path)
    win = MainWindow(ensure_demo_profile(manager), manager, autosave_ms=50, idle_timeout_s=0)
    qtbot.addWidget(win)
    win.show()
    yield win
    if win.session.is_unlocked:
        win.close()


def test_sidebar_has_eight_sections_with_today_first(window, qtbot):
    items = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert items == [
        "Today", "Participants", "Notes", "Trips", "Week", "Resources", "My work", "Sync",
    ]  # fmt: skip
    assert window.stack.currentWidget() is window.today
    assert all(not window.sidebar.item(i).icon().isNull() for i in range(8))
    window.sidebar.setCurrentRow(1)
    assert window.stack.currentWidget() is window.participants
    qtbot.waitUntil(lambda: "Tobias Wren" in window.participants.model.names())
    window.sidebar.setCurrentRow(2)
    assert window.stack.currentWidget() is window.notes
    qtbot.waitUntil(lambda: window.notes.table.rowCount() == 4)
    window.sidebar.setCurrentRow(3)
    qtbot.waitUntil(lambda: window.trips.table.rowCount() >= 1)


def test_main_window_on_the_notes_screen(window, qtbot, screenshot_path):
    window.resize(1200, 760)
    window.go_to(window.notes)
    notes = window.notes
    qtbot.waitUntil(lambda: notes.table.rowCount() == 4)
    qtbot.waitUntil(lambda: window.sync_label.text() != "")
    notes.open_row(0)
    qtbot.waitUntil(lambda: notes.editor.note is not None)
    qtbot.waitUntil(lambda: not window.taskman.busy)
    editor = window.notes.editor  # the sections are shown once laid out
    qtbot.waitUntil(lambda: all(e.isVisible() for e in editor.section_edits.values()))
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    assert window.grab().save(str(screenshot_path("main-window-notes.png")))


def test_status_bar_counts_what_waits_to_sync(window, qtbot):
    # demo: 4 participants + 3 signed notes + 1 addendum + 3 trips journaled, and
    # one participant's record: a plan, an intake, a consent, 3 check-ins, and
    # 5 care-team entries (one of them ended: journaled twice); the peer's
    # workforce record: 4 supervision sessions, a certification, 3 CEU entries (the
    # private check-in and self-care plan are not journaled); crisis support (issue
    # 21): a safety plan and a crisis flag; 4 appointments (issue 21) and the one
    # done yesterday marked done (journaled twice)
    qtbot.waitUntil(lambda: "38 waiting to sync" in window.sync_label.text())


def test_lock_saves_the_open_draft_destroys_screens_and_signs_in_again(window, qtbot, monkeypatch):
    first = window.session
    qtbot.waitUntil(lambda: window.notes.table.rowCount() == 4)
    window.notes.new_note()
    editor = window.notes.editor
    qtbot.waitUntil(lambda: editor.participant_combo.count() > 0)
    qtbot.keyClicks(editor.section_edits["goal"], "typed just before locking")
    seen = {}

    screens = window.screens()
    qtbot.waitUntil(lambda: window.today.data is not None)

    def fake_sign_in(mgr, last, parent=None):
        seen["locked"] = not first.is_unlocked
        seen["last"] = last
        seen["screens_alive"] = [s for s in screens if shiboken6.isValid(s)]
        seen["names_left"] = [
            w for w in window.findChildren(QWidget) if "Rosa Delgado-Finch" in widget_text(w)
        ]
        again = mgr.open(last)
        again.unlock(DEMO_PASSPHRASE)
        return again

    monkeypatch.setattr(ui.app, "sign_in", fake_sign_in)
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    window.lock_action.trigger()

    assert seen == {
        "locked": True,
        "last": DEMO_PROFILE,
        "screens_alive": [],
        "names_left": [],
    }
    assert window.session is not first and window.session.is_unlocked
    drafts = window.session.notes.list(state=NoteState.DRAFT).items
    assert any(n.body.get("goal") == "typed just before locking" for n in drafts)
    qtbot.waitUntil(lambda: window.notes.table.rowCount() == 5)


def test_cancelled_sign_in_after_lock_closes_the_window(window, monkeypatch):
    monkeypatch.setattr(ui.app, "sign_in", lambda *a, **k: None)
    window.lock()
    assert not window.isVisible()
    assert not window.session.is_unlocked


def test_an_untouched_editor_never_saves_an_empty_draft(window, qtbot):
    editor = window.notes.editor
    qtbot.waitUntil(lambda: editor.participant_combo.count() == 4)
    assert not editor.has_unsaved_changes
    assert not editor.autosave_timer.isActive()
    assert editor.flush()  # nothing to save: no draft is created
    assert editor.note is None


def test_activating_a_note_in_the_list_opens_it_in_the_editor(window, qtbot):
    notes = window.notes
    qtbot.waitUntil(lambda: notes.table.rowCount() == 4)
    row = next(i for i, n in enumerate(notes.notes) if n.state is NoteState.SIGNED)
    notes.open_row(row)
    qtbot.waitUntil(lambda: notes.editor.note is not None)
    assert notes.editor.note.id == notes.notes[row].id
    assert not notes.editor.sign_button.isEnabled() or not notes.editor.sign_button.isVisible()


def test_state_filter_shows_only_drafts(window, qtbot):
    notes = window.notes
    qtbot.waitUntil(lambda: notes.table.rowCount() == 4)
    notes.state_filter.setCurrentIndex(notes.state_filter.findData(NoteState.DRAFT))
    qtbot.waitUntil(lambda: notes.table.rowCount() == 1)
    assert notes.table.item(0, 3).text() == "Draft"
