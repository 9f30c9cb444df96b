"""Issue 21, readability of the Notes screen at laptop size (1366x768): the name
search (Ctrl+F), the State column in view, a signed note's every section
reachable by scrolling, no empty feedback box."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QScrollArea

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.domain.models import NoteState
from peerdesk.services import ProfileManager
from ui.app import MainWindow
from ui.models.notes import COL_PARTICIPANT, COL_STATE
from ui.screens.note_feedback import FeedbackPanel


@pytest.fixture
def window(qtbot, tmp_path):
    manager = ProfileManager(root=tmp_path)
    win = MainWindow(ensure_demo_profile(manager), manager, autosave_ms=50, idle_timeout_s=0)
    qtbot.addWidget(win)
    win.resize(QSize(1366, 768))
    win.show()
    win.go_to(win.notes)
    qtbot.waitUntil(lambda: win.notes.table.rowCount() == 4)
    yield win
    if win.session.is_unlocked:
        win.close()


def settle() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QApplication.processEvents()


def test_name_search_filters_the_list_and_ctrl_f_focuses_it(window, qtbot):
    notes = window.notes
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    notes.table.setFocus()
    find = notes.find_shortcut
    assert find.key() == QKeySequence("Ctrl+F")
    assert find.context() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    find.activated.emit()
    qtbot.waitUntil(notes.search.hasFocus)
    qtbot.keyClicks(notes.search, "wren")
    qtbot.waitUntil(lambda: notes.table.rowCount() == 1)
    assert notes.table.item(0, COL_PARTICIPANT).text() == "Tobias Wren"
    assert notes.status.text() == "1 note"
    notes.search.setText("nobody by this name")
    qtbot.waitUntil(lambda: notes.table.rowCount() == 0)
    notes.search.clear()
    qtbot.waitUntil(lambda: notes.table.rowCount() == 4)
    assert notes.status.text() == "4 notes"
    assert notes.search.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_the_state_column_is_in_view_at_1366(window, qtbot):
    table = window.notes.table
    settle()
    header = table.horizontalHeader()
    right = header.sectionViewportPosition(COL_STATE) + header.sectionSize(COL_STATE)
    assert header.sectionSize(COL_STATE) >= header.sectionSizeHint(COL_STATE)
    assert right <= table.viewport().width()


def test_a_signed_note_scrolls_to_every_section_and_has_no_empty_feedback_box(window, qtbot):
    notes = window.notes
    row = next(i for i, n in enumerate(notes.notes) if n.state is NoteState.SIGNED)
    notes.open_row(row)
    editor = notes.editor
    qtbot.waitUntil(lambda: editor.note is not None and editor.note.state is NoteState.SIGNED)
    qtbot.waitUntil(lambda: not window.taskman.busy)
    panel = editor.findChild(FeedbackPanel, "feedback_panel")
    qtbot.waitUntil(lambda: "feedback" in panel.summary.text().lower())
    settle()
    assert not panel.list.isVisible()  # no feedback yet: no empty box
    assert panel.height() < 100
    first = next(iter(editor.section_edits.values()))
    scroll = next(s for s in editor.findChildren(QScrollArea) if s.widget().isAncestorOf(first))
    assert len(editor.section_edits) >= 3
    body, bar = scroll.widget(), scroll.verticalScrollBar()
    assert bar.maximum() == max(0, body.height() - scroll.viewport().height())
    for edit in editor.section_edits.values():
        assert edit.isVisible()
        rect = QRect(edit.mapTo(body, QPoint(0, 0)), edit.size())
        assert body.rect().contains(rect)  # inside what scrolls: reachable
        assert edit.height() >= edit.minimumHeight() >= 70
