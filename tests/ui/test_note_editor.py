"""The note editor: typing a note, autosave, templates, units, signing, addenda."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt, QTime

from peerdesk.domain.models import NoteState, NoteTemplate
from peerdesk.services.payers import load_payer_profiles
from ui.screens.note_editor import NoteEditor
from ui.taskman import TaskManager

FIXED_NOW = datetime(2024, 5, 6, 14, 0)


@pytest.fixture
def tm(qtbot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def participant_id(session) -> str:
    return session.participants.add("Robin Example").value.id


@pytest.fixture
def profile():
    return load_payer_profiles()["medicaid_default"]


def make_editor(qtbot, session, tm, profile, *, confirm=lambda: True, autosave_ms=50):
    editor = NoteEditor(
        session, tm, profile, autosave_ms=autosave_ms, confirm=confirm, now=lambda: FIXED_NOW
    )
    qtbot.addWidget(editor)
    editor.resize(760, 1120)
    editor.show()
    qtbot.waitUntil(lambda: editor.participant_combo.count() > 0)
    return editor


def set_times(editor: NoteEditor, start: tuple[int, int], end: tuple[int, int]) -> None:
    editor.date_edit.setDate(QDate(2024, 5, 6))
    editor.start_edit.setTime(QTime(*start))
    editor.end_edit.setTime(QTime(*end))


def wait_saved(qtbot, editor: NoteEditor) -> None:
    qtbot.waitUntil(lambda: editor.note is not None and not editor.is_busy)


def wait_for_db_jobs(qtbot, tm: TaskManager) -> None:
    """Wait until every DB job queued so far has run and its callback is done: the
    DB thread runs jobs one at a time in order and delivers their results in
    order, so a no-op job's callback comes after all of theirs. (Then a save, or a
    signing, that was wrongly queued has happened, and the test can look.)"""
    done: list[object] = []
    tm.db(lambda: None).success(done.append).run()
    qtbot.waitUntil(lambda: bool(done))


def count_autosaves(editor: NoteEditor) -> list[bool]:
    """A list that grows by one each time the editor's autosave timer fires."""
    fired: list[bool] = []
    editor.autosave_timer.timeout.connect(lambda: fired.append(True))
    return fired


def type_girp(qtbot, editor: NoteEditor) -> None:
    for section, text in {
        "goal": "keep the clinic appointment",
        "intervention": "walked to the clinic together",
        "response": "felt calmer",
        "plan": "call on Friday",
    }.items():
        qtbot.keyClicks(editor.section_edits[section], text)
    qtbot.keyClicks(editor.goals_edit, "housing")


def test_typing_a_girp_note_autosaves_an_encrypted_draft(
    qtbot, session, tm, profile, participant_id
):
    editor = make_editor(qtbot, session, tm, profile)
    editor.open_new(participant_id)
    assert list(editor.section_edits) == ["goal", "intervention", "response", "plan"]
    set_times(editor, (14, 0), (14, 50))
    type_girp(qtbot, editor)
    wait_saved(qtbot, editor)
    qtbot.waitUntil(lambda: not editor.has_unsaved_changes)

    notes = session.notes.list().items
    assert len(notes) == 1
    note = notes[0]
    assert note.state is NoteState.DRAFT
    assert note.template is NoteTemplate.GIRP
    assert note.body["intervention"] == "walked to the clinic together"
    assert note.goals == ("housing",)
    assert note.duration_minutes == 50
    assert editor.status_label.text() == "Draft saved at 14:00"


def test_nothing_changed_means_nothing_saved(qtbot, session, tm, profile, participant_id):
    editor = make_editor(qtbot, session, tm, profile)
    editor.open_new(participant_id)
    assert editor.flush()
    assert not editor.is_busy  # no save was started...
    assert not editor.autosave_timer.isActive()  # ...nor is one due
    wait_for_db_jobs(qtbot, tm)  # ...nor queued
    assert session.notes.list().items == []


def test_changing_the_template_swaps_the_sections(qtbot, session, tm, profile, participant_id):
    editor = make_editor(qtbot, session, tm, profile)
    editor.open_new(participant_id)
    qtbot.keyClicks(editor.section_edits["plan"], "call on Friday")
    editor.template_combo.setFocus()
    editor.template_combo.setCurrentIndex(editor.template_combo.findData("soap"))
    assert list(editor.section_edits) == ["subjective", "objective", "assessment", "plan"]
    assert editor.section_edits["plan"].toPlainText() == "call on Friday"  # shared section kept
    editor.template_combo.setCurrentIndex(editor.template_combo.findData("free"))
    assert list(editor.section_edits) == ["text"]
    # every section field has a label whose buddy it is
    label = editor.sections_form.labelForField(editor.section_edits["text"].parentWidget())
    assert label.buddy() is editor.section_edits["text"]


def test_units_label_shows_2_units_for_23_minutes(qtbot, session, tm, profile, participant_id):
    editor = make_editor(qtbot, session, tm, profile)
    editor.open_new(participant_id)
    set_times(editor, (14, 0), (14, 23))
    # issue 21: plain words on the label, the billing code in its tooltip
    assert editor.units_label.text() == "Billable: 2 units of peer support, in person (23 minutes)"
    assert editor.units_label.toolTip() == "Billing code: H0038"
    # typed with the keyboard: the minutes section of the end time
    editor.end_edit.setFocus()
    editor.end_edit.setCurrentSection(editor.end_edit.Section.MinuteSection)
    qtbot.keyClick(editor.end_edit, Qt.Key.Key_Down)
    assert editor.units_label.text() == "Billable: 1 unit of peer support, in person (22 minutes)"


def test_end_before_start_is_an_error_and_nothing_is_saved(
    qtbot, session, tm, profile, participant_id
):
    editor = make_editor(qtbot, session, tm, profile)
    autosaves = count_autosaves(editor)
    editor.open_new(participant_id)
    set_times(editor, (14, 0), (13, 30))
    qtbot.keyClicks(editor.section_edits["goal"], "anything")
    assert editor.end_error.isVisible()
    assert "end after it starts" in editor.end_error.text()
    assert "cannot count units" in editor.units_label.text()
    # The autosave timer fires and its save refuses, saying why.
    qtbot.waitUntil(lambda: bool(autosaves))
    assert "end time must be after the start time" in editor.status_label.text()
    assert not editor.is_busy
    wait_for_db_jobs(qtbot, tm)
    assert session.notes.list().items == []
    # So does an explicit save.
    editor.status_label.clear()
    assert editor.flush() is False
    assert "end time must be after the start time" in editor.status_label.text()
    assert not editor.is_busy
    assert session.notes.list().items == []


def test_sign_with_confirmation_locks_the_note_and_allows_an_addendum(
    qtbot, session, tm, profile, participant_id, screenshot_path
):
    asked = []

    def confirm() -> bool:
        asked.append(True)
        return True

    editor = make_editor(qtbot, session, tm, profile, confirm=confirm, autosave_ms=60_000)
    editor.open_new(participant_id)
    set_times(editor, (14, 0), (14, 50))
    type_girp(qtbot, editor)
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    assert asked == [True]
    qtbot.waitUntil(lambda: editor.note is not None and editor.note.state is NoteState.SIGNED)

    assert session.notes.get(editor.note.id).state is NoteState.SIGNED
    assert all(e.isReadOnly() for e in editor.section_edits.values())
    assert editor.goals_edit.isReadOnly() and editor.end_edit.isReadOnly()
    assert not editor.template_combo.isEnabled()
    assert not editor.sign_button.isVisible()
    assert "Signed" in editor.state_label.text() and "read-only" in editor.state_label.text()
    assert editor.addenda_box.isVisible()

    qtbot.keyClicks(editor.addendum_edit, "also gave a bus pass")
    qtbot.mouseClick(editor.addendum_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.addenda_list.count() == 1)
    assert editor.addenda_list.item(0).text().endswith(": also gave a bus pass")
    assert [a.text for a in session.notes.get(editor.note.id).addenda] == ["also gave a bus pass"]

    editor.grab().save(str(screenshot_path("note-editor.png")))


def test_cancelled_confirmation_does_not_sign(qtbot, session, tm, profile, participant_id):
    editor = make_editor(qtbot, session, tm, profile, confirm=lambda: False)
    editor.open_new(participant_id)
    set_times(editor, (14, 0), (14, 50))
    type_girp(qtbot, editor)
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    wait_saved(qtbot, editor)
    wait_for_db_jobs(qtbot, tm)  # a signing, had one been queued, has happened
    assert editor.note.state is NoteState.DRAFT
    assert session.notes.get(editor.note.id).state is NoteState.DRAFT
    assert not editor.section_edits["goal"].isReadOnly()


def test_empty_addendum_shows_the_error_next_to_the_text(
    qtbot, session, tm, profile, participant_id, make_draft
):
    note = session.notes.create_draft(make_draft(participant_id)).value
    session.notes.sign(note.id)
    editor = make_editor(qtbot, session, tm, profile)
    editor.open_note(note.id)
    qtbot.waitUntil(lambda: editor.addenda_box.isVisible())
    qtbot.mouseClick(editor.addendum_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.addendum_error.isVisible())
    assert "addendum text" in editor.addendum_error.text()


def test_reopening_a_signed_note_shows_it_read_only(
    qtbot, session, tm, profile, participant_id, make_draft
):
    note = session.notes.create_draft(make_draft(participant_id, NoteTemplate.DAP)).value
    session.notes.sign(note.id)
    session.notes.add_addendum(note.id, "late entry: phone call")
    editor = make_editor(qtbot, session, tm, profile)
    editor.open_note(note.id)
    qtbot.waitUntil(lambda: editor.note is not None)

    assert list(editor.section_edits) == ["data", "assessment", "plan"]
    assert editor.section_edits["data"].toPlainText() == "data: met at the library"
    assert all(e.isReadOnly() for e in editor.section_edits.values())
    assert editor.addenda_list.count() == 1
    assert "late entry: phone call" in editor.addenda_list.item(0).text()
    assert editor.participant_combo.currentData() == participant_id
    # typing into a read-only field changes nothing and saves nothing
    qtbot.keyClicks(editor.section_edits["data"], "more")
    assert not editor.has_unsaved_changes


def test_flush_on_close_keeps_the_draft(qtbot, session, tm, profile, participant_id):
    editor = make_editor(qtbot, session, tm, profile, autosave_ms=60_000)
    editor.open_new(participant_id)
    set_times(editor, (9, 0), (9, 30))
    qtbot.keyClicks(editor.section_edits["goal"], "written just before closing")
    assert session.notes.list().items == []  # the autosave timer has not fired
    editor.flush()
    editor.close()
    wait_saved(qtbot, editor)
    notes = session.notes.list().items
    assert [n.body["goal"] for n in notes] == ["written just before closing"]

    # a later edit updates the same draft instead of making another one
    qtbot.keyClicks(editor.section_edits["plan"], "follow up")
    editor.flush()
    qtbot.waitUntil(lambda: not editor.is_busy and not editor.has_unsaved_changes)
    notes = session.notes.list().items
    assert len(notes) == 1 and notes[0].body["plan"] == "follow up"


@pytest.mark.parametrize(("hour", "minute"), [(23, 45), (23, 30), (23, 59), (0, 0)])
def test_a_note_begun_late_in_the_evening_gets_times_it_can_save(
    qtbot, session, tm, profile, participant_id, hour, minute
):
    """Half an hour from 23:45 is tomorrow: the new note's contact is the day's last
    half hour instead of an end before its start (found by a test run at 23:20)."""
    late = FIXED_NOW.replace(hour=hour, minute=minute)
    editor = NoteEditor(
        session, tm, profile, autosave_ms=50, confirm=lambda: True, now=lambda: late
    )
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.participant_combo.count() > 0)
    start, end = editor.start_edit.time(), editor.end_edit.time()
    assert start < end and start.secsTo(end) == 30 * 60
    assert editor.date_edit.date() == QDate(late.year, late.month, late.day)
    qtbot.keyClicks(editor.section_edits["goal"], "written late")
    qtbot.waitUntil(lambda: editor.note is not None and not editor.is_busy)


def test_a_contact_past_midnight_opens_and_autosaves_with_its_end_the_next_morning(
    qtbot, session, tm, profile, participant_id, make_draft
):
    """A crisis call from 23:30 to 00:20: the form shows one date and two times, and
    reading them back gave an end before the start, so every autosave was refused
    (found by CI at 01:25 on a draft made two hours earlier)."""
    start = datetime(2024, 5, 5, 23, 30).astimezone()
    draft = session.notes.create_draft(make_draft(participant_id, body={"goal": ""}, start=start))
    editor = make_editor(qtbot, session, tm, profile)
    editor.open_note(draft.value.id)
    qtbot.waitUntil(lambda: editor.note is not None and "goal" in editor.section_edits)
    assert (editor.start_edit.time(), editor.end_edit.time()) == (QTime(23, 30), QTime(0, 20))
    assert not editor.end_error.isVisible()
    assert editor.units_label.text().endswith("Ends the next day, 2024-05-06.")
    qtbot.keyClicks(editor.section_edits["goal"], "stayed on the line until the crisis team came")
    qtbot.waitUntil(lambda: not editor.has_unsaved_changes and not editor.is_busy)
    (note,) = session.notes.list().items
    assert note.body["goal"].startswith("stayed on the line")
    assert (note.start_at, note.end_at) == (start, start + timedelta(minutes=50))
    # typed on a new note with the keyboard too: 23:30 to 00:20 is 50 minutes
    editor.open_new(participant_id)
    set_times(editor, (23, 30), (0, 20))
    assert "(50 minutes)" in editor.units_label.text()
    assert "next day, 2024-05-07" in editor.units_label.text()
