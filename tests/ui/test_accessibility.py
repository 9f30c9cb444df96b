"""Accessibility: every control that takes the keyboard focus has a name a screen
reader can say (its accessible name, its text, or a label whose buddy it is), on
every screen and in the sign-in dialogs; and the keyboard reaches everything: the
sidebar, Ctrl+1 .. Ctrl+8 for the sections, Ctrl+0 for the sidebar, Ctrl+L to lock.

Offscreen, QTest key sequences do not reliably reach Qt's shortcut map, so the
shortcuts are checked by their key sequences and by triggering the actions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import ui.app
from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.services import ProfileManager
from ui.app import MainWindow
from ui.dialogs.profile_setup import CreateProfileDialog
from ui.dialogs.unlock import UnlockDialog

#: widgets inside these are parts of one control (the line edit of a date field)
COMPOUND = (QAbstractSpinBox, QComboBox, QCalendarWidget)


def _is_part_of_a_control(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root.parentWidget():
        if isinstance(parent, COMPOUND):
            return True
        parent = parent.parentWidget()
    return False


def spoken_name(widget: QWidget) -> str:
    """What a screen reader says for ``widget`` (Qt's accessible name: the
    accessibleName, a button's text, or its label's text)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def unnamed_controls(root: QWidget) -> list[str]:
    """Focusable controls under ``root`` that a screen reader could not name."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if _is_part_of_a_control(widget, root):
            continue
        if widget.accessibleName().strip() or id(widget) in buddies or spoken_name(widget):
            continue
        where = widget.parentWidget()
        problems.append(
            f"{type(widget).__name__} {widget.objectName()!r} in "
            f"{type(where).__name__ if where else None}"
        )
    return problems


def shortcut_clashes(window: QWidget) -> list[str]:
    """Keys bound both window-wide (the window's actions: lock, sections, sidebar) and
    by a screen's own QShortcut, or twice within the screens. Qt calls such a key
    ambiguous and runs NEITHER binding: a clash with Ctrl+L would leave the lock
    dead on that screen."""
    window_keys = [a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()]
    screen_keys = [s.key().toString() for s in window.findChildren(QShortcut)]
    clashes = sorted({k for k in screen_keys if k in window_keys})
    clashes += sorted({k for k in window_keys if window_keys.count(k) > 1})
    by_parent: dict[int, list[str]] = {}
    for shortcut in window.findChildren(QShortcut):
        by_parent.setdefault(id(shortcut.parent()), []).append(shortcut.key().toString())
    for keys in by_parent.values():
        clashes += sorted({k for k in keys if keys.count(k) > 1})
    return clashes


def test_the_walker_finds_a_control_without_a_name(qtbot: Any) -> None:
    """The check below can fail: a bare line edit is reported, a labelled one is not."""
    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    bare, labelled, named = QLineEdit(), QLineEdit(), QLineEdit()
    label = QLabel("&Town:")
    label.setBuddy(labelled)
    named.setAccessibleName("County")
    for widget in (bare, label, labelled, named, QPushButton("&Save")):
        layout.addWidget(widget)
    assert unnamed_controls(box) == ["QLineEdit '' in QWidget"]


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> Iterator[MainWindow]:
    manager = ProfileManager(root=tmp_path)
    win = MainWindow(ensure_demo_profile(manager), manager, autosave_ms=50, idle_timeout_s=0)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    qtbot.waitUntil(lambda: win.today.data is not None)
    yield win
    if win.session.is_unlocked:
        win.close()


def test_every_control_on_every_screen_has_a_name(window: MainWindow, qtbot: Any) -> None:
    problems: dict[str, list[str]] = {}
    for index, key in enumerate(window.role.keys()):
        window.go_to(index)
        qtbot.waitUntil(lambda: not window.taskman.busy)
        if key == "notes":  # a signed note shows the addenda controls too
            table, editor = window.notes.table, window.notes.editor
            qtbot.waitUntil(lambda t=table: t.rowCount() == 4)
            window.notes.open_row(3)
            qtbot.waitUntil(lambda e=editor: e.note is not None)
        if key == "participants":
            window.participants.start_add()  # the add/edit form
        found = unnamed_controls(window.screens()[index])
        if found:
            problems[key] = found
    problems.setdefault("window", []).extend(unnamed_controls(window))
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_control_in_the_sign_in_dialogs_has_a_name(
    qtbot: Any, manager: ProfileManager, screenshot_path: Any
) -> None:
    create = CreateProfileDialog(manager)
    qtbot.addWidget(create)
    create.show()
    qtbot.keyClicks(create.name, "alex")
    qtbot.keyClicks(create.passphrase, "river stones and quiet mornings")
    assert unnamed_controls(create) == []
    assert create.grab().save(str(screenshot_path("create-profile.png")))
    create.reject()
    manager.create("alex", "river stones and quiet mornings", kdf_params=_fast())
    unlock = UnlockDialog(manager, "alex")
    qtbot.addWidget(unlock)
    unlock.show()
    assert unnamed_controls(unlock) == []
    assert unlock.grab().save(str(screenshot_path("unlock.png")))
    unlock.reject()


def _fast() -> Any:
    from peerdesk.crypto.kdf import KdfParams

    return KdfParams.new()


# --- keyboard ---------------------------------------------------------------------------


def test_ctrl_1_to_8_switch_sections_and_move_the_focus_into_them(
    window: MainWindow, qtbot: Any
) -> None:
    actions = window.section_actions
    assert [a.shortcut() for a in actions] == [QKeySequence(f"Ctrl+{i}") for i in range(1, 9)]
    assert [a.text() for a in actions] == [
        "Today",
        "Participants",
        "Notes",
        "Trips",
        "Week",
        "Resources",
        "My work",
        "Sync",
    ]
    for action in actions:
        assert action in window.actions()  # window-wide, not only when a menu is open
    for index in [2, 0, 3, 1, 4, 7, 6, 5, 0]:
        actions[index].trigger()
        screen = window.screens()[index]
        assert window.sidebar.currentRow() == index
        assert window.stack.currentWidget() is screen
        focus = window.focusWidget()
        # Into the screen when it has a control; the placeholders have none, so the
        # focus waits in the sidebar.
        assert focus is not None
        assert screen.isAncestorOf(focus) or (focus is window.sidebar and index >= 5)


def test_the_sidebar_is_reachable_by_keyboard(window: MainWindow) -> None:
    assert window.sidebar_action.shortcut() == QKeySequence("Ctrl+0")
    window.go_to(window.trips)
    assert window.focusWidget() is not window.sidebar
    window.sidebar_action.trigger()
    assert window.focusWidget() is window.sidebar
    assert window.sidebar.focusPolicy() & Qt.FocusPolicy.TabFocus
    # The sidebar is in the Tab chain: going on from it reaches a screen and back.
    seen, widget = [], window.sidebar.nextInFocusChain()
    while widget is not window.sidebar and len(seen) < 2000:
        seen.append(widget)
        widget = widget.nextInFocusChain()
    assert widget is window.sidebar
    assert any(window.today.isAncestorOf(w) for w in seen)


def test_no_screen_shortcut_clashes_with_a_window_shortcut(window: MainWindow) -> None:
    assert window.findChildren(QShortcut)  # the screens' own keys are there to compare
    assert shortcut_clashes(window) == []


def test_ctrl_l_locks(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    assert window.lock_action in window.actions()
    calls = []
    monkeypatch.setattr(ui.app, "sign_in", lambda *a, **k: calls.append(a) or None)
    window.lock_action.trigger()
    assert calls and not window.session.is_unlocked
