"""The participants screen, driven through its real widgets with a real profile."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from peerdesk.domain.models import NoteDraft
from peerdesk.services import Session
from ui.screens.participants import ParticipantsScreen
from ui.taskman import TaskManager


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


def make_screen(qtbot: Any, session: Session, tm: TaskManager) -> ParticipantsScreen:
    w = ParticipantsScreen(session, tm)
    qtbot.addWidget(w)
    w.resize(900, 560)
    w.show()
    qtbot.waitUntil(lambda: not tm.busy)
    return w


@pytest.fixture
def screen(qtbot: Any, session: Session, tm: TaskManager) -> ParticipantsScreen:
    return make_screen(qtbot, session, tm)


def idle(qtbot: Any, tm: TaskManager) -> None:
    qtbot.waitUntil(lambda: not tm.busy)


def add_by_typing(qtbot: Any, screen: ParticipantsScreen, tm: TaskManager, name: str) -> None:
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    assert screen.stack.currentWidget() is screen.form
    qtbot.keyClicks(screen.form.display_name, name)
    qtbot.keyClick(screen.form.display_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: name in screen.model.names())
    qtbot.waitUntil(lambda: screen.current is not None and screen.current.display_name == name)
    idle(qtbot, tm)


def test_add_filter_edit_and_clear(
    qtbot: Any, screen: ParticipantsScreen, tm: TaskManager, session: Session
) -> None:
    assert screen.model.rowCount() == 0
    for name in ("Jordan Reyes", "Sam Okafor", "Jody Marsh"):
        add_by_typing(qtbot, screen, tm, name)
    assert screen.model.names() == ["Jody Marsh", "Jordan Reyes", "Sam Okafor"]
    assert screen.stack.currentWidget() is screen.detail_box

    # The filter narrows the list, case-insensitively, as one types.
    qtbot.keyClicks(screen.filter, "JO")
    assert screen.model.names() == ["Jody Marsh", "Jordan Reyes"]
    qtbot.keyClicks(screen.filter, "r")
    assert screen.model.names() == ["Jordan Reyes"]
    assert screen.count_label.text() == "1 of 3 shown"

    # Pick it with the keyboard (Enter in the filter goes to the first match).
    qtbot.keyClick(screen.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: screen.current is not None and screen.current.display_name == "Jordan Reyes"
    )
    idle(qtbot, tm)
    assert screen.detail_values["display_name"].text() == "Jordan Reyes"
    assert screen.detail_values["date_of_birth"].text() == "not recorded"

    # Edit: change the name and give a date of birth.
    qtbot.mouseClick(screen.edit_button, Qt.MouseButton.LeftButton)
    assert screen.form.display_name.text() == "Jordan Reyes"
    screen.form.display_name.clear()
    qtbot.keyClicks(screen.form.display_name, "Jordan Reyes-Cruz")
    screen.form.no_dob.setChecked(False)
    screen.form.date_of_birth.setDate(
        screen.form.date_of_birth.date().fromString("1990-04-02", "yyyy-MM-dd")
    )
    qtbot.mouseClick(screen.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: screen.current is not None and screen.current.display_name == "Jordan Reyes-Cruz"
    )
    idle(qtbot, tm)
    assert "Jordan Reyes-Cruz" in screen.model.names()
    assert screen.detail_values["date_of_birth"].text() == "1990-04-02"
    stored = [p.display_name for p in session.participants.list().items]
    assert stored == ["Jody Marsh", "Jordan Reyes-Cruz", "Sam Okafor"]
    assert session.participants.get(screen.current.id).date_of_birth == date(1990, 4, 2)

    # Lock: every name is gone from memory and the widgets.
    screen.clear()
    assert screen.model.rowCount() == 0 and screen.model.total == 0
    assert screen.current is None and screen.detail_values["display_name"].text() == ""
    assert screen.filter.text() == ""


def test_invalid_phone_is_shown_next_to_the_field_and_nothing_saved(
    qtbot: Any, screen: ParticipantsScreen, tm: TaskManager, session: Session
) -> None:
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.form.display_name, "Alex Kim")
    qtbot.keyClicks(screen.form.phone, "call me maybe")
    qtbot.mouseClick(screen.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.form.error_of("phone") != "")
    idle(qtbot, tm)
    assert "phone number" in screen.form.error_of("phone")
    assert screen.form.fields["phone"].error.isVisible()
    assert screen.form.error_of("display_name") == ""
    assert screen.stack.currentWidget() is screen.form  # still there to fix it
    assert session.participants.list().items == []

    # An empty name is caught before anything is sent to the profile.
    screen.form.display_name.clear()
    qtbot.mouseClick(screen.form.save_button, Qt.MouseButton.LeftButton)
    assert screen.form.error_of("display_name") != ""
    assert not tm.busy


def test_detail_shows_fields_and_notes_history(
    qtbot: Any,
    session: Session,
    tm: TaskManager,
    make_draft: Callable[..., NoteDraft],
    screenshot_path: Callable[[str], Path],
) -> None:
    p = session.participants.add(
        "Riley Chen",
        date_of_birth=date(1985, 7, 14),
        phone="(555) 010-2030",
        medicaid_id="MC-448812",
        details="Prefers afternoon visits; uses the 12 bus.",
    ).value
    session.participants.add("Morgan Ellis")
    session.notes.create_draft(make_draft(p.id))
    screen = make_screen(qtbot, session, tm)
    assert screen.model.names() == ["Morgan Ellis", "Riley Chen"]
    screen.select(p.id)
    qtbot.waitUntil(lambda: screen.current is not None and screen.current.id == p.id)
    idle(qtbot, tm)
    assert screen.detail_values["phone"].text() == "(555) 010-2030"
    assert screen.detail_values["medicaid_id"].text() == "MC-448812"
    assert screen.notes_table.rowCount() == 1
    assert screen.notes_table.item(0, 1).text() == "GIRP"
    assert screen.notes_table.item(0, 2).text() == "Draft"

    assert screen.grab().save(str(screenshot_path("participants.png")))


def test_the_claim_facts_are_typed_in_checked_and_kept(
    qtbot: Any, screen: ParticipantsScreen, tm: TaskManager, session: Session
) -> None:
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.form.display_name, "Lee Harmon")
    qtbot.keyClicks(screen.form.diagnosis_code, "f33.1")
    qtbot.keyClicks(screen.form.street, "8 Creek Lane")
    qtbot.keyClicks(screen.form.city, "Marlinton")
    qtbot.keyClicks(screen.form.state, "West")  # two letters at most: "WE"...
    qtbot.keyClicks(screen.form.zip_code, "2495")  # ...and a ZIP one digit short
    qtbot.mouseClick(screen.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.form.error_of("address") != "")
    idle(qtbot, tm)
    assert "ZIP" in screen.form.error_of("address")
    assert session.participants.list().items == []
    screen.form.state.setText("wv")
    qtbot.keyClicks(screen.form.zip_code, "4")
    qtbot.mouseClick(screen.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(session.participants.list().items))
    idle(qtbot, tm)
    [saved] = session.participants.list().items
    assert saved.diagnosis_code == "F331"
    assert (saved.address.line, saved.address.state, saved.address.zip_code) == (
        "8 Creek Lane",
        "WV",
        "24954",
    )
