"""Relaunch and find everything: one process creates a profile and does a day's
work through the real widgets, then exits; after it is gone, the profile is
unlocked again (through the unlock dialog) and every item is there with its
content, in the core and on the screens.

The first process is this module run as a program (``python -m
tests.ui.test_relaunch ROOT``): it drives the create-profile dialog, the
participants screen, the note editor (sign through the real confirmation box,
then an addendum), the trips screen, leaves a second note as a draft, and closes
the window the way a user does. It prints the ids it made as one JSON line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PROFILE = "relaunch"
PASSPHRASE = "harbour lights over the quiet river"
PERSON = "Harper Relaunch"
PHONE = "555 0199"
GIRP = {
    "goal": "keep the apartment",
    "intervention": "called the landlord together",
    "response": "relieved, made a plan",
    "plan": "visit the housing office Tuesday",
}
GOAL = "housing"
ADDENDUM = "Landlord confirmed the plan in writing."
DESTINATION = "County clinic, Main St"
MILES = "17.5"
TRIP_NOTES = "intake appointment"
DRAFT_TEXT = {"goal": "left as a draft: call back about the lease"}


# --- the first process ------------------------------------------------------------------


def _wait(condition: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    from PySide6.QtTest import QTest

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        QTest.qWait(10)


def first_run(root: Path) -> dict[str, Any]:
    """Create the profile and do the work through the widgets; returns the ids."""
    from PySide6.QtCore import QDate, Qt, QTime, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    from peerdesk.crypto.kdf import KdfParams
    from peerdesk.domain.models import NoteState
    from peerdesk.services import ProfileManager
    from ui.app import MainWindow
    from ui.dialogs.profile_setup import CreateProfileDialog

    left = Qt.MouseButton.LeftButton
    app = QApplication([sys.argv[0]])
    manager = ProfileManager(root=root)

    # The profile, through the create dialog (floor Argon2id instead of calibrating).
    dialog = CreateProfileDialog(
        manager, create=lambda n, pw: manager.create(n, pw, kdf_params=KdfParams.new())
    )
    dialog.show()
    QTest.keyClicks(dialog.name, PROFILE)
    QTest.keyClicks(dialog.passphrase, PASSPHRASE)
    QTest.keyClicks(dialog.confirm, PASSPHRASE)
    _wait(dialog.create_button.isEnabled, "the Create button")
    QTest.mouseClick(dialog.create_button, left)
    _wait(lambda: dialog.session is not None, "the new profile")
    assert dialog.session is not None
    window = MainWindow(dialog.session, manager, autosave_ms=200)
    window.resize(1300, 900)
    window.show()
    tm = window.taskman

    # A participant, through the participants screen's form.
    people = window.participants
    window.go_to(people)
    QTest.mouseClick(people.add_button, left)
    QTest.keyClicks(people.form.display_name, PERSON)
    QTest.keyClicks(people.form.phone, PHONE)
    QTest.mouseClick(people.form.save_button, left)
    _wait(lambda: PERSON in people.model.names(), "the participant in the list")

    # A GIRP note: typed, signed through the real confirmation box, then an addendum.
    notes = window.notes
    editor = notes.editor
    window.go_to(notes)
    QTest.mouseClick(notes.new_button, left)
    _wait(lambda: editor.participant_combo.findText(PERSON) >= 0, "the participant choice")
    editor.participant_combo.setCurrentIndex(editor.participant_combo.findText(PERSON))
    editor.date_edit.setDate(QDate.currentDate())
    editor.start_edit.setTime(QTime(10, 0))
    editor.end_edit.setTime(QTime(10, 50))
    for section, text in GIRP.items():
        QTest.keyClicks(editor.section_edits[section], text)
    QTest.keyClicks(editor.goals_edit, GOAL)

    def answer_yes() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Yes).click()
        else:
            QTimer.singleShot(20, answer_yes)

    QTimer.singleShot(0, answer_yes)
    QTest.mouseClick(editor.sign_button, left)
    _wait(
        lambda: editor.note is not None and editor.note.state is NoteState.SIGNED, "the signature"
    )
    assert editor.note is not None
    signed_id = editor.note.id
    QTest.keyClicks(editor.addendum_edit, ADDENDUM)
    QTest.mouseClick(editor.addendum_button, left)
    _wait(lambda: editor.addenda_list.count() == 1, "the addendum")

    # A trip, through the quick entry form. (Without the participant: the trips
    # form loads its participant choices once, when the window is built, so a
    # person added since is not offered there yet.)
    trips = window.trips
    window.go_to(trips)
    QTest.keyClicks(trips.miles, MILES)
    QTest.keyClicks(trips.destination, DESTINATION)
    QTest.keyClicks(trips.notes, TRIP_NOTES)
    trip_day = trips.trip_date.date().toPython()  # the form's day (today when it was made)
    QTest.mouseClick(trips.save_button, left)
    _wait(lambda: len(trips.trips) == 1, "the trip in the month")

    # A second note, left as a draft (autosaved), and the window closed as a user does.
    window.go_to(notes)
    QTest.mouseClick(notes.new_button, left)
    _wait(lambda: editor.note is None and not editor.is_busy, "a new note")
    editor.participant_combo.setCurrentIndex(editor.participant_combo.findText(PERSON))
    editor.start_edit.setTime(QTime(14, 0))
    editor.end_edit.setTime(QTime(14, 20))
    QTest.keyClicks(editor.section_edits["goal"], DRAFT_TEXT["goal"])
    _wait(lambda: editor.note is not None and not editor.has_unsaved_changes, "the autosave")
    draft_id = editor.note.id
    _wait(lambda: not tm.busy, "the background work")
    made = {
        "participant": people.current.id if people.current else None,
        "signed": signed_id,
        "draft": draft_id,
        "trip": trips.trips[0].id,
        "trip_day": trip_day.isoformat(),
    }
    window.close()
    app.processEvents()
    return made


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(json.dumps(first_run(Path(sys.argv[1]))), flush=True)


# --- the test ---------------------------------------------------------------------------


def run_first_process(root: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PEERDESK_DATA_DIR": str(root),
        "PEERDESK_LOG_DIR": str(root / "logs"),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "tests.ui.test_relaunch", str(root)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_relaunch_finds_every_item_with_its_content(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QDate, Qt

    from peerdesk.domain.models import NoteState, NoteTemplate
    from peerdesk.services import ProfileManager
    from ui.app import MainWindow
    from ui.dialogs.unlock import UnlockDialog

    made = run_first_process(tmp_path)  # ...and that process has exited
    monkeypatch.setenv("PEERDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PEERDESK_LOG_DIR", str(tmp_path / "logs"))

    # Unlock as a user does after a restart: the unlock dialog, passphrase, Enter.
    manager = ProfileManager(root=tmp_path)
    assert manager.list_profiles() == [PROFILE]
    dialog = UnlockDialog(manager, PROFILE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.session is not None)
    session = dialog.session
    assert session is not None and session.is_unlocked

    # In the core: every item, with its content.
    person = session.participants.get(made["participant"])
    assert (person.display_name, person.phone) == (PERSON, PHONE)
    signed = session.notes.get(made["signed"])
    assert signed.state is NoteState.SIGNED and signed.signed_at is not None
    assert signed.template is NoteTemplate.GIRP and signed.body == GIRP
    assert signed.goals == (GOAL,) and signed.participant_id == person.id
    assert signed.duration_minutes == 50
    assert [a.text for a in signed.addenda] == [ADDENDUM]
    draft = session.notes.get(made["draft"])
    assert draft.state is NoteState.DRAFT and draft.participant_id == person.id
    assert draft.body["goal"] == DRAFT_TEXT["goal"] and draft.duration_minutes == 20
    assert {n.id for n in session.notes.list().items} == {signed.id, draft.id}
    trip = session.trips.get(made["trip"])
    assert (trip.destination, trip.miles, trip.notes) == (DESTINATION, Decimal(MILES), TRIP_NOTES)
    # the day the form showed, not date.today() here: a run across midnight
    # (found with libfaketime at 23:53 on 31 December) is a day later by now
    assert trip.trip_date == date.fromisoformat(made["trip_day"])
    assert date.today() - trip.trip_date <= timedelta(days=1)
    pending = {(e.entity, e.entity_id) for e in session._outbox.pending()}
    assert {("participant", person.id), ("note", signed.id), ("trip", trip.id)} <= pending
    assert ("note", draft.id) not in pending  # drafts never sync
    assert session.maintenance.doctor().ok

    # On the screens of a new main window.
    window = MainWindow(session, manager, autosave_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    try:
        notes = window.notes
        qtbot.waitUntil(lambda: notes.model.total == 2)
        shown = {notes.notes[r].id: notes.table.item(r, 3).text() for r in range(2)}
        assert shown == {signed.id: "Signed", draft.id: "Draft"}
        assert {notes.table.item(r, 1).text() for r in range(2)} == {PERSON}
        notes.open_row(next(r for r in range(2) if notes.notes[r].id == signed.id))
        editor = notes.editor
        qtbot.waitUntil(lambda: editor.note is not None and editor.note.id == signed.id)
        assert editor.section_edits["intervention"].toPlainText() == GIRP["intervention"]
        assert editor.addenda_list.item(0).text().endswith(ADDENDUM)
        qtbot.waitUntil(lambda: PERSON in window.participants.model.names())
        trips = window.trips
        # the trip's month (the screen opens on this month: later, after a midnight
        # at a month's end)
        trips.month.setDate(QDate(trip.trip_date.year, trip.trip_date.month, 1))
        qtbot.waitUntil(lambda: len(trips.trips) == 1)
        assert trips.table.item(0, 3).text() == DESTINATION
        assert trips.table.item(0, 5).text() == MILES
    finally:
        window.close()


if __name__ == "__main__":
    main()
