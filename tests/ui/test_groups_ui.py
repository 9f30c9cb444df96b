"""Group sessions in the UI (issue 21): Groups… on Participants, a group of
three made with its roster, a session with two attending and one absent, each
attendee's own part typed: exactly two group-contact notes, one per attendee,
billed per attendee by the billing engine; every control named; the screenshot
of the session dialog."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from peerdesk.domain.models import ContactType, NoteState
from peerdesk.services import Session
from tests.ui.test_accessibility import unnamed_controls
from tests.ui.test_participants_screen import make_screen
from ui.screens.groups import GroupForm, GroupsDialog, GroupSessionDialog
from ui.taskman import TaskManager

SHARED = "We practised grounding and planned a sober outing."


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


def open_groups(qtbot: Any, session: Session, tm: TaskManager) -> tuple[Any, GroupsDialog]:
    screen = make_screen(qtbot, session, tm)
    assert screen.groups_button.text() == "&Groups…"
    qtbot.mouseClick(screen.groups_button, Qt.MouseButton.LeftButton)
    dialogs = screen.findChildren(GroupsDialog)
    assert len(dialogs) == 1
    return screen, dialogs[0]  # the screen is kept: the dialog is its child


def make_group(qtbot: Any, dialog: GroupsDialog, ids: list[str]) -> None:
    form = dialog.start_new()
    assert isinstance(form, GroupForm) and unnamed_controls(form) == []
    qtbot.keyClicks(form.name, "Tuesday circle")
    form.tick(ids[0])
    form.save()  # one person is no group: refused in the form
    qtbot.waitUntil(lambda: form.problem.isVisible())
    assert "at least 2" in form.problem.text()
    for pid in ids[1:]:
        form.tick(pid)
    form.save()
    qtbot.waitUntil(lambda: dialog.list.count() == 1)


def fill_session(qtbot: Any, dialog: GroupSessionDialog, parts: dict[str, str]) -> None:
    qtbot.keyClicks(dialog.topic, "Getting through the holidays")
    qtbot.keyClicks(dialog.shared, SHARED)
    for pid, text in parts.items():
        a = dialog.attendee(pid)
        a.came.setFocus()
        qtbot.keyClick(a.came, Qt.Key.Key_Space)  # keyboard: Space ticks "came"
        assert a.came.isChecked() and a.own.isEnabled()
        qtbot.keyClicks(a.own, text)


def test_group_session_makes_one_note_per_attendee(
    qtbot: Any, session: Session, tm: TaskManager
) -> None:
    ids = [session.participants.add(n, medicaid_id=f"MC00{i}").value.id
           for i, n in enumerate(("Ana Ruiz", "Ben Okafor", "Cal Ito"))]  # fmt: skip
    _screen, dialog = open_groups(qtbot, session, tm)
    qtbot.waitUntil(lambda: "No groups yet" in dialog.status.text())
    assert not dialog.run_session.isEnabled()
    make_group(qtbot, dialog, ids)
    assert dialog.run_session.isEnabled()
    assert "Ana Ruiz" in dialog.status.text() and "Cal Ito" in dialog.status.text()
    run = dialog.start_session()
    assert isinstance(run, GroupSessionDialog) and unnamed_controls(run) == []
    ana, ben, cal = ids
    start = datetime.now().astimezone().replace(hour=10, minute=0, second=0, microsecond=0)
    run.when.setDateTime(run.when.dateTime().fromSecsSinceEpoch(int(start.timestamp())))
    run.minutes.setValue(60)
    qtbot.keyClicks(run.topic, "Getting through the holidays")
    run.save()  # nothing written yet: refused with the reason
    qtbot.waitUntil(lambda: run.problem.isVisible())
    run.topic.clear()
    fill_session(qtbot, run, {ana: "Ana named two triggers.", cal: "Cal will call his sponsor."})
    assert "2 came, 1 did not" in run.summary.text()
    before = session.notes.count()
    run.save()
    qtbot.waitUntil(lambda: not run.isVisible())
    qtbot.waitUntil(lambda: not tm.busy)

    notes = session.notes.list().items
    assert session.notes.count() - before == 2 and len(notes) == 2
    by_person = {n.participant_id: n for n in notes}
    assert set(by_person) == {ana, cal}  # none for Ben, who did not come
    for n in notes:
        assert n.contact_type is ContactType.GROUP and n.state is NoteState.DRAFT
        assert SHARED in n.body["text"] and "Getting through the holidays" in n.body["text"]
        assert n.start_at == start and n.end_at - n.start_at == timedelta(minutes=60)
    assert "Ana named two triggers." in by_person[ana].body["text"]
    assert "Cal will call" not in by_person[ana].body["text"]
    assert "Cal will call his sponsor." in by_person[cal].body["text"]
    assert "Ana named" not in by_person[cal].body["text"]
    rec = session.groups.sessions(session.groups.groups().items[0].id).items[0]
    assert rec.attended == (ana, cal) and rec.absent == (ben,)

    dialog.end_current()  # an ended group is kept, and holds no more sessions
    qtbot.waitUntil(lambda: dialog.list.item(0).text() == "Tuesday circle (ended)")
    assert not dialog.run_session.isEnabled() and dialog.start_session() is None

    # billed per attendee by the billing engine: 60 minutes -> 4 units each, group modifier
    for n in notes:
        session.notes.sign(n.id)
    units = session.reports.note_units()
    assert {pid: units[n.id].units for pid, n in by_person.items()} == {ana: 4, cal: 4}
    assert {units[n.id].procedure for n in notes} == {"H0038-HQ"}
    assert {units[n.id].service_date for n in notes} == {start.date()}


def test_screenshot_of_the_group_session_dialog(
    qtbot: Any, session: Session, tm: TaskManager, screenshot_path: Any
) -> None:
    ids = [session.participants.add(n).value.id for n in ("Ana Ruiz", "Ben Okafor", "Cal Ito")]
    g = session.groups.create("Tuesday recovery circle", ids).value
    names = session.groups.names()
    run = GroupSessionDialog(session, tm, g, names,
                             start=datetime(2026, 12, 8, 10, 0).astimezone())  # fmt: skip
    qtbot.addWidget(run)
    run.resize(720, 720)
    run.show()
    fill_session(qtbot, run, {ids[0]: "Ana named two triggers and a plan for each.",
                              ids[2]: "Cal will call his sponsor before Friday."})  # fmt: skip
    path = screenshot_path("group-session.png")
    assert run.grab().save(str(path))
    assert path.stat().st_size > 10_000
