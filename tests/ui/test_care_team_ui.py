"""The Care team tab of the record window (issue 23): add (refused with the
reason when the name or phone is wrong), edit, end; the consent column follows
the consents (current, revoked, none); every control named; read-only for a
supervisor; the note editor's "coordinated with" choice; the review reader
shows it; and the screenshot of the tab."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from peerdesk.domain.care_team import CareRole, CareTeamMember
from peerdesk.domain.models import NoteDraft
from peerdesk.domain.review import QueueItem, ReviewedNote
from peerdesk.services import Session
from tests.ui.test_accessibility import unnamed_controls
from tests.ui.test_record_ui import open_record, wait_saved
from tests.unit.test_record_store import consent
from ui.screens.record import RecordWindow
from ui.screens.record_care_team import CareMemberForm, EndMemberForm
from ui.screens.review_reader import note_html
from ui.taskman import TaskManager

TODAY = date.today()
T0 = datetime(2026, 1, 1, tzinfo=UTC)
CARE_TAB = 3


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


@pytest.fixture
def person(session: Session):
    return session.participants.add("Harper Lane").value


def column(window: RecordWindow, col: int) -> list[str]:
    t = window.care_team.table
    return [t.item(r, col).text() for r in range(t.rowCount())]


def test_care_team_is_added_edited_and_ended_through_the_forms(
    qtbot: Any, session: Session, tm: TaskManager, person
) -> None:
    window = open_record(qtbot, session, tm, person)
    window.tabs.setCurrentIndex(CARE_TAB)
    page = window.care_team
    assert window.tabs.tabText(CARE_TAB) == "Care &team"
    assert "No one" in page.status.text()
    assert not page.edit.isEnabled() and not page.end.isEnabled()
    form = page.start_add()
    assert isinstance(form, CareMemberForm) and unnamed_controls(form) == []
    form.save()  # no name: refused, said in the form
    qtbot.waitUntil(lambda: form.problem.isVisible())
    assert "name" in form.problem.text()
    qtbot.keyClicks(form.name, "Dana Ruiz")
    form.role.setCurrentIndex(form.role.findData(CareRole.CLINICIAN))
    qtbot.keyClicks(form.organisation, "Harbor Clinic")
    qtbot.keyClicks(form.phone, "call me")
    form.save()
    qtbot.waitUntil(lambda: "phone" in form.problem.text())
    form.phone.setText("555-201-0134")
    qtbot.keyClicks(form.email, "dana@harbor")
    form.save()
    qtbot.waitUntil(lambda: "name@example.org" in form.problem.text())
    form.email.setText("dana@harbor.org")
    assert not form.role_other.isEnabled()
    form.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert column(window, 0) == ["Dana Ruiz"]
    assert column(window, 1) == ["Therapist or counselor"]
    assert "555-201-0134" in column(window, 3)[0] and "dana@harbor.org" in column(window, 3)[0]
    assert column(window, 4) == ["None on file"]
    assert column(window, 5) == ["Yes"]

    # a consent naming the clinic: current; revoked: not current any more
    c = session.record.add_consent(consent(person.id, "Harbor Clinic", None)).value
    window.reload()
    qtbot.waitUntil(lambda: column(window, 4)[0].startswith("Current until"))
    session.record.revoke_consent(c.id, TODAY)
    window.reload()
    qtbot.waitUntil(lambda: column(window, 4) == ["Revoked"])

    # someone of "other" role needs the words for it
    form = page.start_add()
    assert isinstance(form, CareMemberForm)
    qtbot.keyClicks(form.name, "Pastor Kim")
    form.role.setCurrentIndex(form.role.findData(CareRole.OTHER))
    assert form.role_other.isEnabled()
    form.save()
    qtbot.waitUntil(lambda: form.problem.isVisible())
    qtbot.keyClicks(form.role_other, "pastor")
    form.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: page.table.rowCount() == 2)
    assert column(window, 1) == ["Therapist or counselor", "pastor"]

    page.table.selectRow(0)
    assert page.edit.isEnabled() and page.end.isEnabled()
    edit = page.start_edit()
    assert isinstance(edit, CareMemberForm) and edit.name.text() == "Dana Ruiz"
    edit.phone.setText("555-201-9999 x4")
    edit.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: "x4" in column(window, 3)[0])

    page.table.selectRow(0)
    end = page.start_end()
    assert isinstance(end, EndMemberForm) and unnamed_controls(end) == []
    end.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: column(window, 5)[-1].startswith("Ended"))
    assert column(window, 0) == ["Pastor Kim", "Dana Ruiz"]  # the ended entry goes last
    assert "1 on the care team now" in page.status.text()
    assert "1 no longer" in page.status.text()
    assert unnamed_controls(window) == []


def test_a_supervisor_sees_the_care_team_read_only(
    qtbot: Any, session: Session, tm: TaskManager, person
) -> None:
    session.record.add_member(
        CareTeamMember("", person.id, "Alex Pike", CareRole.SPONSOR, T0, T0, phone="555 201 0000")
    )
    overview = session.record.overview(person.id)
    window = RecordWindow(
        session, tm, person.id, person.display_name, load=lambda: overview, read_only=True
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.care_team.table.rowCount() == 1)
    page = window.care_team
    assert page.add.isHidden() and page.edit.isHidden() and page.end.isHidden()
    page.table.selectRow(0)
    assert page.start_edit() is None
    window.clear()
    assert page.table.rowCount() == 0


def test_the_note_editor_records_who_the_contact_was_coordinated_with(
    qtbot: Any, session: Session, tm: TaskManager, person, make_draft: Callable[..., NoteDraft]
) -> None:
    from peerdesk.services.payers import load_payer_profiles
    from ui.screens.note_editor import NoteEditor

    dana = session.record.add_member(
        CareTeamMember("", person.id, "Dana Ruiz", CareRole.CASE_MANAGER, T0, T0)
    ).value
    gone = session.record.add_member(
        CareTeamMember("", person.id, "Old Worker", CareRole.HOUSING, T0, T0)
    ).value
    session.record.end_member(gone.id, TODAY)
    note = session.notes.create_draft(make_draft(person.id)).value
    assert note.coordinated_with is None  # none unless chosen
    payer = load_payer_profiles()[session.policy.payer_profile]
    editor = NoteEditor(session, tm, payer, autosave_ms=50, confirm=lambda: True)
    qtbot.addWidget(editor)
    editor.show()
    editor.open_note(note.id)
    picker = editor.coordination
    qtbot.waitUntil(lambda: picker.loaded and picker.count() == 2)  # no one, Dana (not ended)
    assert picker.itemText(1) == "Dana Ruiz, Case manager"
    assert unnamed_controls(editor) == []
    picker.setCurrentIndex(1)
    qtbot.waitUntil(lambda: session.notes.get(note.id).coordinated_with == dana.id, timeout=3000)
    editor.open_note(note.id)
    qtbot.waitUntil(lambda: picker.loaded and picker.currentData() == dana.id)
    session.notes.sign(note.id)
    editor.open_note(note.id)  # signed: shown, not changeable
    qtbot.waitUntil(lambda: not picker.isEnabled())
    assert picker.currentData() == dana.id


def test_the_review_reader_says_who_the_contact_was_coordinated_with() -> None:
    item = QueueItem(
        "dev", "Ana", "n-1", "Harper Lane", T0 + timedelta(days=1), "in_person", "submitted",
        T0, 0, None, 7,
    )  # fmt: skip
    note = {"template": "free", "body": {"text": "called"}, "goals": []}
    plain = note_html(ReviewedNote(item, note, [], [], [], 7))
    assert "Coordinated with" not in plain  # an older note: none
    named = note_html(
        ReviewedNote(item, {**note, "coordinated_with": "Dana <Ruiz>"}, [], [], [], 7)
    )
    assert "Coordinated with" in named and "Dana &lt;Ruiz&gt;" in named


def _seed_team(session: Session, person) -> None:
    start = TODAY - timedelta(days=120)
    consents = {
        "Harbor Counseling": session.record.add_consent(
            consent(person.id, "Harbor Counseling", None, signed_on=start)
        ).value,
        "County Probation": session.record.add_consent(
            consent(person.id, "County Probation", None, signed_on=start)
        ).value,
    }
    session.record.revoke_consent(consents["County Probation"].id, TODAY - timedelta(days=7))
    team = [
        ("Dana Ruiz, LCSW", CareRole.CLINICIAN, "Harbor Counseling", "555-201-0134",
         "dana.ruiz@harborcounseling.org", "Tuesdays after 2 pm"),
        ("Marcus Bell", CareRole.CASE_MANAGER, "Hope Housing", "555-201-0188", "", ""),
        ("Officer Lee Grant", CareRole.JUSTICE, "County Probation", "555-201-0456 x210", "", ""),
        ("Rosa Lane", CareRole.FAMILY, "", "555-201-0777", "", "sister; call evenings"),
        ("Sam O.", CareRole.SPONSOR, "", "555-201-0999", "", "text first"),
        ("Dr. Amir Patel", CareRole.PRESCRIBER, "River Clinic", "555-201-0300", "", ""),
    ]  # fmt: skip
    for name, role, org, phone, email, notes in team:
        m = session.record.add_member(
            CareTeamMember(
                "",
                person.id,
                name,
                role,
                T0,
                T0,
                organisation=org,
                phone=phone,
                email=email,
                contact_notes=notes,
            )  # fmt: skip
        ).value
        if name.startswith("Dr."):
            session.record.end_member(m.id, TODAY)


def test_screenshot_of_the_care_team(
    qtbot: Any, session: Session, tm: TaskManager, person, screenshot_path: Any
) -> None:
    _seed_team(session, person)
    window = open_record(qtbot, session, tm, person)
    window.resize(900, 560)
    window.tabs.setCurrentIndex(CARE_TAB)
    qtbot.waitUntil(lambda: window.care_team.table.rowCount() == 6)
    consent_words = column(window, 4)
    assert consent_words[0].startswith("Current until")  # Dana, by her organisation
    assert "Revoked" in consent_words and "None on file" in consent_words
    window.care_team.table.selectRow(0)
    path = screenshot_path("record-care-team.png")
    assert window.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_the_demo_profile_has_a_care_team(manager: Any) -> None:
    from peerdesk.demo.profiles import ensure_demo_profile

    demo = ensure_demo_profile(manager)
    try:
        teams = [demo.record.overview(p.id).care_team for p in demo.participants.list().items]
        team = next(t for t in teams if t)
        assert len(team) == 5 and sum(1 for m, _l in team if m.active) == 4
        covered = [m.name for m, link in team if link.ok]
        assert covered == ["Maria Lopez"]  # the consent names her agency
    finally:
        demo.close()


def test_the_contact_column_fits_an_email_and_names_each_part_for_a_screen_reader(
    qtbot: Any, session: Session, tm: TaskManager, person
) -> None:
    from PySide6.QtCore import Qt

    _seed_team(session, person)
    window = open_record(qtbot, session, tm, person)
    window.resize(900, 560)
    window.tabs.setCurrentIndex(CARE_TAB)
    table = window.care_team.table
    qtbot.waitUntil(lambda: table.rowCount() == 6)
    email = "dana.ruiz@harborcounseling.org"
    row = column(window, 0).index("Dana Ruiz, LCSW")
    assert table.columnWidth(3) >= table.fontMetrics().horizontalAdvance(email)
    spoken = table.item(row, 3).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == f"Phone: 555-201-0134; Email: {email}; Notes: Tuesdays after 2 pm"
