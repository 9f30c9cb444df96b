"""The participant's record window: plan goals and their progress, intake and
discharge, consents (incomplete refused, revoked), outcome check-ins with the
chart; the referral dialog's consent gate; every control named; screenshots of
the plan, the consents and the outcome chart."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate

from peerdesk.domain.models import NoteDraft
from peerdesk.domain.outcomes import Housing, Occasion, OutcomeCheckIn
from peerdesk.domain.record import (
    Agreement,
    AgreementKind,
    Consent,
    DischargeReason,
    Goal,
    GoalStatus,
    InfoCategory,
    LifeDomain,
    Step,
    new_goal_id,
)
from peerdesk.services import Session
from tests.ui.test_accessibility import unnamed_controls
from ui.screens.participants import ParticipantsScreen
from ui.screens.record import RecordWindow
from ui.screens.record_forms import CheckInForm, ConsentForm, GoalForm, IntakeForm
from ui.taskman import TaskManager

TODAY = date.today()
T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


@pytest.fixture
def person(session: Session):
    return session.participants.add("Harper Lane").value


def open_record(qtbot: Any, session: Session, tm: TaskManager, person) -> RecordWindow:
    screen = ParticipantsScreen(session, tm)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.model.row_of(person.id) >= 0)
    screen.select(person.id)
    qtbot.waitUntil(lambda: screen.record_button.isEnabled())
    screen.record_button.click()
    window = screen.record_window
    assert window is not None
    qtbot.waitUntil(lambda: window.overview is not None)
    return window


def wait_saved(qtbot: Any, window: RecordWindow) -> None:
    qtbot.waitUntil(lambda: window.form is None)


def test_goals_are_added_edited_and_show_progress_from_notes(
    qtbot: Any, session: Session, tm: TaskManager, person, make_draft: Callable[..., NoteDraft]
) -> None:
    window = open_record(qtbot, session, tm, person)
    assert "not agreed" in window.plan_status.text()
    form = window.start_goal()
    assert isinstance(form, GoalForm)
    assert unnamed_controls(form) == []
    form.save()  # empty goal: refused, said in the form
    qtbot.waitUntil(lambda: form.problem.isVisible())
    assert "goal" in form.problem.text()
    qtbot.keyClicks(form.text, "Get my own apartment")
    form.steps.setPlainText("[x] visit the housing office\nfill in the application")
    form.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: window.goals.rowCount() == 1)
    assert window.goals.item(0, 0).text() == "Get my own apartment"
    assert window.goals.item(0, 4).text() == "1/2"
    goal_id = session.record.plan(person.id).goals[0].id
    # a signed note that worked on the goal shows as progress (the window follows notes)
    start = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC).replace(hour=9)
    note = session.notes.create_draft(make_draft(person.id, goals=(goal_id,), start=start)).value
    session.notes.sign(note.id)
    window.reload()
    qtbot.waitUntil(lambda: window.goals.item(0, 5).text().startswith("1"))
    window.goals.selectRow(0)
    edit = window.start_edit_goal()
    assert isinstance(edit, GoalForm)
    edit.status.setCurrentIndex(edit.status.findData(GoalStatus.MET))
    edit.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: window.goals.item(0, 2).text() == "Met")
    assert "Met" in window.goals.item(0, 6).text()  # the status history


def test_intake_discharge_and_reenrollment_through_the_forms(
    qtbot: Any, session: Session, tm: TaskManager, person
) -> None:
    window = open_record(qtbot, session, tm, person)
    assert not window.discharge.isEnabled()
    form = window.start_intake()
    assert isinstance(form, IntakeForm) and unnamed_controls(form) == []
    form.intake_on.setDate(QDate.currentDate().addDays(-30))
    qtbot.keyClicks(form.source, "hospital")
    form.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: window.discharge.isEnabled())
    assert "Enrolled since" in window.enrollment_status.text()
    out = window.start_discharge()
    assert out is not None
    out.save()  # no reason chosen yet
    qtbot.waitUntil(lambda: out.problem.isVisible())
    assert "reason" in out.problem.text()
    out.reason.setCurrentIndex(out.reason.findData(DischargeReason.GOALS_MET))
    out.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: window.intake.isEnabled())
    assert window.episodes.item(0, 3).text() == "Goals met"
    again = window.start_intake()
    assert isinstance(again, IntakeForm)
    again.save()  # how the person came back is required
    qtbot.waitUntil(lambda: again.problem.isVisible())
    qtbot.keyClicks(again.source, "came back on their own")
    again.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: window.episodes.rowCount() == 2)


def test_a_consent_needs_every_element_and_can_be_revoked(
    qtbot: Any, session: Session, tm: TaskManager, person
) -> None:
    window = open_record(qtbot, session, tm, person)
    assert "No current consent" in window.consent_status.text()
    form = window.start_consent()
    assert isinstance(form, ConsentForm) and unnamed_controls(form) == []
    qtbot.keyClicks(form.discloser, "River Peer Center")
    qtbot.keyClicks(form.recipient, "Hope Housing")
    form.info[InfoCategory.CONTACT].setChecked(True)
    qtbot.keyClicks(form.purpose, "housing application")
    form.save()  # the right to revoke was not explained
    qtbot.waitUntil(lambda: form.problem.isVisible())
    assert "revoke" in form.problem.text()
    form.revocation.setChecked(True)
    form.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: window.consents.rowCount() == 1)
    assert window.consents.item(0, 5).text() == "Current"
    window.consents.selectRow(0)
    revoke = window.start_revoke()
    assert revoke is not None
    revoke.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: window.consents.item(0, 5).text() == "Revoked")


def test_a_check_in_is_scored_and_charted(qtbot: Any, session: Session, tm: TaskManager, person):
    session.record.enroll(person.id, TODAY - timedelta(days=100), "self")
    session.record.add_check_in(
        OutcomeCheckIn(
            "",
            person.id,
            TODAY - timedelta(days=99),
            Occasion.INTAKE,
            T0,
            (1, 2, 2, 1, 2),
            (3,) * 10,
        )  # fmt: skip
    )
    window = open_record(qtbot, session, tm, person)
    assert "due" in window.due.text()
    screen = window.parentWidget()
    assert isinstance(screen, ParticipantsScreen)
    qtbot.waitUntil(lambda: "Harper Lane" in screen.due_label.text())  # the reminder
    form = window.start_check_in()
    assert isinstance(form, CheckInForm) and unnamed_controls(form) == []
    assert form.value().housing is Housing.NOT_SAID  # nothing is recorded unless asked
    form.set_answers((3, 4, 2, 1, 5), (4, 5, 3, 6, 2, 4, 5, 6, 3, 4))
    form.er.setValue(0)
    form.save()
    wait_saved(qtbot, window)
    qtbot.waitUntil(lambda: window.check_ins.rowCount() == 2)
    assert window.check_ins.item(0, 2).text() == "60"  # WHO-5 15 raw x 4
    assert window.check_ins.item(0, 3).text() == "42"  # BARC-10 total
    assert [v for _d, v in window.who5_chart.points] == [32, 60]
    assert [v for _d, v in window.barc_chart.points] == [30, 42]
    assert "60" in window.who5_chart.accessibleDescription()
    assert "Next check-in due" in window.due.text()
    window.accept()
    qtbot.waitUntil(lambda: screen.due_label.text() == "")  # no longer due


def test_the_refer_dialog_says_when_no_consent_covers_sharing(
    qtbot: Any, session: Session, tm: TaskManager, person
) -> None:
    from tests.ui.test_referrals_ui import pick
    from ui.screens.referrals import ReferralsPanel

    session.directory.seed_if_empty()
    panel = ReferralsPanel(session, tm)
    qtbot.addWidget(panel)
    panel.set_participant(person.id, person.display_name)
    dialog = panel.refer()
    assert dialog is not None
    pick(qtbot, dialog, "food pantry alder")
    dialog.shares.setChecked(True)
    dialog.refer_button.click()
    qtbot.waitUntil(lambda: dialog.problem.isVisible())
    assert "no consent on file" in dialog.problem.text()
    assert "Alder Falls Food Pantry" in dialog.problem.text()
    assert session.directory.referrals(participant_id=person.id).items == []
    dialog.shares.setChecked(False)
    dialog.refer_button.click()
    qtbot.waitUntil(lambda: len(session.directory.referrals(participant_id=person.id).items) == 1)


def test_the_record_window_has_named_controls_and_is_dropped_on_lock(
    qtbot: Any, session: Session, tm: TaskManager, person
) -> None:
    screen = ParticipantsScreen(session, tm)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.model.row_of(person.id) >= 0)
    screen.select(person.id)
    qtbot.waitUntil(lambda: screen.record_button.isEnabled())
    window = screen.open_record()
    assert window is not None
    qtbot.waitUntil(lambda: window.overview is not None)
    assert unnamed_controls(window) == []
    screen.clear()
    assert window.overview is None and not window.isVisible()


def _seed(session: Session, person, make_draft: Callable[..., NoteDraft]) -> None:
    start = TODAY - timedelta(days=200)
    goals = (
        Goal(new_goal_id(), "Move into my own apartment by spring", LifeDomain.HOUSING,
             GoalStatus.NOT_STARTED, start, TODAY + timedelta(days=60),
             (Step("visit the housing office", None, True), Step("save the deposit"))),
        Goal(new_goal_id(), "Get back to working part time", LifeDomain.WORK,
             GoalStatus.NOT_STARTED, start, None, (Step("finish the forklift course", None, True),)),
        Goal(new_goal_id(), "Call my sister every Sunday", LifeDomain.SOCIAL,
             GoalStatus.NOT_STARTED, start),
        Goal(new_goal_id(), "Go to two recovery meetings a week", LifeDomain.RECOVERY,
             GoalStatus.NOT_STARTED, start),
    )  # fmt: skip
    agreed = Agreement(AgreementKind.SIGNED, start)
    session.record.save_plan(person.id, goals, agreement=agreed, today=start)
    moved = (GoalStatus.IN_PROGRESS, GoalStatus.IN_PROGRESS, GoalStatus.IN_PROGRESS, None)
    goals = tuple(replace(g, status=s) if s else g for g, s in zip(goals, moved, strict=True))
    session.record.save_plan(person.id, goals, agreement=agreed, today=start + timedelta(days=40))
    goals = (goals[0], replace(goals[1], status=GoalStatus.MET), *goals[2:])
    session.record.save_plan(
        person.id, goals, agreement=agreed, reviewed_on=(TODAY - timedelta(days=30),),
        next_review=TODAY + timedelta(days=60), today=TODAY - timedelta(days=30),
    )  # fmt: skip
    for days, goal in ((150, 0), (90, 0), (60, 1), (40, 1), (12, 0), (5, 2)):
        when = datetime.combine(TODAY - timedelta(days=days), datetime.min.time(), tzinfo=UTC)
        draft = make_draft(person.id, goals=(goals[goal].id,), start=when.replace(hour=10))
        session.notes.sign(session.notes.create_draft(draft).value.id)
    session.record.enroll(person.id, start, "hospital discharge planner")
    for recipient, sid_days, revoked in (("Hope Housing", 300, False), ("County Clinic", -5, False),
                                         ("Work Source", 200, True)):  # fmt: skip
        c = session.record.add_consent(
            Consent(
                "",
                person.id,
                "River Peer Center",
                recipient,
                frozenset({InfoCategory.ATTENDANCE, InfoCategory.PLAN}),
                "",
                "coordinate services",
                "Harper Lane",
                start,
                T0,
                T0,
                expires_on=TODAY + timedelta(days=sid_days),
                revocation_explained=True,
            ),  # fmt: skip
            today=TODAY,
        ).value
        if revoked:
            session.record.revoke_consent(c.id, TODAY - timedelta(days=10))
    for days, who5, barc, er in (
        (199, (1, 2, 1, 1, 2), (2, 3, 2, 3, 3, 2, 3, 4, 3, 3), 2),
        (110, (2, 3, 2, 2, 3), (3, 4, 3, 4, 3, 3, 4, 4, 4, 4), 1),
        (20, (3, 4, 3, 3, 4), (4, 5, 4, 5, 4, 4, 5, 5, 4, 5), 0),
    ):
        session.record.add_check_in(
            OutcomeCheckIn(
                "",
                person.id,
                TODAY - timedelta(days=days),
                Occasion.FOLLOW_UP,
                T0,
                who5,
                barc,
                er,
                0,
                Housing.TEMPORARY,
            )  # fmt: skip
        )


def test_screenshots_of_the_plan_consents_and_outcome_chart(
    qtbot: Any,
    session: Session,
    tm: TaskManager,
    person,
    screenshot_path: Any,
    make_draft: Callable[..., NoteDraft],
) -> None:
    _seed(session, person, make_draft)
    window = open_record(qtbot, session, tm, person)
    window.resize(900, 560)
    qtbot.waitUntil(lambda: window.goals.rowCount() == 4)
    assert window.goals.item(0, 5).text().startswith("3")  # three notes worked on it
    assert (
        "Met" in window.goals.item(1, 6).text() and "In progress" in window.goals.item(1, 6).text()
    )
    assert window.grab().save(str(screenshot_path("record-plan.png")))
    window.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: window.consents.rowCount() == 3)
    states = {window.consents.item(r, 5).text() for r in range(3)}
    assert states == {"Current", "Expired", "Revoked"}
    assert window.grab().save(str(screenshot_path("record-consents.png")))
    window.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: len(window.who5_chart.points) == 3)
    window.resize(900, 640)
    assert window.grab().save(str(screenshot_path("record-outcomes.png")))


def test_the_note_editor_links_a_note_to_a_plan_goal(
    qtbot: Any, session: Session, tm: TaskManager, person, make_draft: Callable[..., NoteDraft]
) -> None:
    from peerdesk.services.payers import load_payer_profiles
    from ui.screens.note_editor import NoteEditor

    plan = session.record.save_plan(
        person.id,
        (
            Goal(
                new_goal_id(),
                "Keep my apartment",
                LifeDomain.HOUSING,
                GoalStatus.IN_PROGRESS,
                TODAY,
            ),
            Goal(new_goal_id(), "Finished goal", LifeDomain.WORK, GoalStatus.MET, TODAY),
        ),
    ).value
    note = session.notes.create_draft(make_draft(person.id)).value
    payer = load_payer_profiles()[session.policy.payer_profile]
    editor = NoteEditor(session, tm, payer, autosave_ms=50, confirm=lambda: True)
    qtbot.addWidget(editor)
    editor.show()
    editor.open_note(note.id)
    picker = editor.goal_picker
    qtbot.waitUntil(lambda: picker.count() == 2)  # the prompt and the one open goal
    assert unnamed_controls(editor) == []
    picker.activated.emit(1)
    goals_edit = picker.edit
    assert goals_edit.toPlainText().splitlines()[-1] == "Keep my apartment"
    qtbot.waitUntil(lambda: plan.goals[0].id in session.notes.get(note.id).goals, timeout=3000)
    # reopened: the linked goal shows by its words, and the plan counts the note
    editor.open_note(note.id)
    qtbot.waitUntil(lambda: "Keep my apartment" in goals_edit.toPlainText())
    session.notes.sign(note.id)
    assert [p.contacts for p in session.record.overview(person.id).progress] == [1, 0]
