"""The workforce screens (issue 23): the supervisor's Team status (one row per
peer, each status in words as well as a tint; the chosen peer's sessions and
shared check-ins) with its screenshot supervisor-team-status.png; the peer's My
work (a session added through the form, hours per period, a check-in kept
private until shared, the self-care plan saved, keyboard reachable tabs) and
Today's certification reminder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from peerdesk.demo.review import seed_review_cache
from peerdesk.demo.workforce import seed_team_workforce
from peerdesk.services import Session
from tests.ui.review_helpers import guarded
from ui.screens.my_work import MyWorkScreen
from ui.screens.team import TeamScreen
from ui.screens.today import TodayScreen
from ui.taskman import TaskManager

TODAY = date.today()
#: the Team test's day (fixed: the hours of "this month" depend on the day of the month)
TEAM_DAY = date(2026, 12, 28)


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


def cells(table: Any, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_team_status_rows_say_each_state_in_words_screenshot(
    qtbot: Any, supervisor: Session, tm: TaskManager, screenshot_path: Any
) -> None:
    seeded = seed_review_cache(supervisor, devices=5, notes=40, trips=5, seed=5)
    stored = seed_team_workforce(supervisor, seeded.devices, TEAM_DAY)
    assert stored > 20
    screen = TeamScreen(supervisor, tm)
    screen.today = lambda: TEAM_DAY
    qtbot.addWidget(screen)
    screen.resize(1180, 720)
    screen.show()
    qtbot.waitUntil(lambda: screen.table.rowCount() == 5)
    rows = {r.device_id: r for r in screen.rows}
    texts = {screen.rows[i].device_id: cells(screen.table, i) for i in range(5)}
    on_track, short, expired, no_cert, _fine = seeded.devices
    # by hand: the first peer's sessions on Dec 26, 16 and 3 (60 + 60 + 30 min) = 2.5 h
    # of the 2 h a month; the second peer's one 45-minute session = 0.75 h
    assert texts[on_track][1] == "OK: 2.5 of 2 h — on track"
    assert texts[short][1] == "Attention: 0.75 of 2 h — short 1.25 h"
    assert texts[expired][2].startswith("Urgent: Expired")
    assert texts[short][2].startswith("Urgent: Renew now")  # 24 days left
    assert texts[no_cert][2] == "Missing: No certification recorded"
    assert texts[on_track][2].startswith("OK: Current until")
    assert texts[no_cert][3].startswith("Attention: 0 of 20 h")  # no CEU at all
    assert texts[on_track][3] == "Attention: 16 of 20 h — short 4 h"
    assert rows[short].record.check_ins[0].note.startswith("Heavy caseload")
    for i in range(5):  # a tint is never the only sign: every status cell starts with a word
        for c in (1, 2, 3, 4):
            assert cells(screen.table, i)[c].split(":")[0] in {
                "OK",
                "Attention",
                "Urgent",
                "Missing",
            }
    # the chosen peer's records
    row = [r.device_id for r in screen.rows].index(short)
    screen.table.selectRow(row)
    assert screen.shared.rowCount() == 1 and "Heavy caseload" in cells(screen.shared, 0)[4]
    assert screen.sessions.rowCount() == 1
    screen.detail.setCurrentIndex(0)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    assert screen.grab().save(str(screenshot_path("supervisor-team-status.png")))


def test_my_work_adds_a_session_keeps_check_ins_private_until_shared(
    qtbot: Any, session: Session, tm: TaskManager
) -> None:
    from datetime import UTC, datetime

    from peerdesk.domain.workforce import Certification

    session.workforce.set_certification(
        Certification("", "WV", "CPRS-1", TODAY - timedelta(days=700), TODAY + timedelta(days=20),
                      datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    )  # fmt: skip
    screen = MyWorkScreen(session, tm)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    qtbot.waitUntil(lambda: screen.data is not None)
    assert "Renew now" in screen.cert_line.text()
    # a session through the form
    screen.add_session()
    form = screen.dialog
    form.minutes.setValue(75)
    form.supervisor.setText("Sam")
    form.topics.setPlainText("boundaries\nself-care")
    form.follow_ups.setPlainText("call the board")
    form.save()
    qtbot.waitUntil(lambda: screen.sessions.rowCount() == 1)
    assert cells(screen.sessions, 0)[1:5] == ["75", "Individual", "Sam", "boundaries; self-care"]
    screen.period.setCurrentIndex(screen.period.findData("month"))
    assert screen.period_hours.text().startswith("1.25 h of supervision")
    # a private check-in: nothing journaled; shared later: journaled
    screen.add_check_in()
    form = screen.dialog
    assert "never sent" in form.findChildren(type(screen.summary))[0].text()
    form.note.setPlainText("long week")
    form.save()
    qtbot.waitUntil(lambda: screen.check_ins.rowCount() == 1)
    assert cells(screen.check_ins, 0)[4] == "Private"
    kinds = lambda: guarded(  # noqa: E731
        session, lambda: [r[0] for r in session._db.conn.execute("SELECT entity FROM outbox")]
    )
    assert "wellbeing" not in kinds()
    screen.check_ins.selectRow(0)
    screen.share_selected(confirm=False)
    qtbot.waitUntil(lambda: cells(screen.check_ins, 0)[4] == "Shared")
    assert "wellbeing" in kinds()
    # the self-care plan
    screen.what_helps.setPlainText("walks")
    screen.save_self_care()
    qtbot.waitUntil(lambda: screen.plan_status.text() != "")
    assert guarded(session, lambda: session.workforce.mine().self_care.what_helps) == "walks"
    assert guarded(session, lambda: session.workforce.mine().status.supervision.done) == Decimal(
        "1.25"
    )
    # Today says the certification needs renewing, in words
    today = TodayScreen(session, tm)
    qtbot.addWidget(today)
    today.show()
    qtbot.waitUntil(lambda: today.data is not None)
    assert today.work_line.isVisible()
    assert "Certification: Urgent, Renew now" in today.work_line.text()


def test_my_work_on_the_demo_data_screenshot(
    qtbot: Any, session: Session, tm: TaskManager, screenshot_path: Any
) -> None:
    from peerdesk.demo.workforce import add_demo_workforce

    add_demo_workforce(session, TODAY)
    screen = MyWorkScreen(session, tm)
    qtbot.addWidget(screen)
    screen.resize(1100, 620)
    screen.show()
    qtbot.waitUntil(lambda: screen.data is not None)
    assert screen.sessions.rowCount() == 4 and screen.ceus.rowCount() == 3
    assert "Certification: Attention, Renew soon" in screen.summary.text()  # 45 days left
    assert screen.tabs.count() == 4
    assert "(private)" in screen.tabs.tabText(2) and "(private)" in screen.tabs.tabText(3)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    assert screen.grab().save(str(screenshot_path("my-work.png")))


def test_every_form_of_my_work_names_its_controls(
    qtbot: Any, session: Session, tm: TaskManager
) -> None:
    from peerdesk.demo.workforce import add_demo_workforce
    from tests.ui.test_accessibility import unnamed_controls

    add_demo_workforce(session, TODAY)
    screen = MyWorkScreen(session, tm)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.data is not None)
    problems = {}
    for tab in range(screen.tabs.count()):
        screen.tabs.setCurrentIndex(tab)
        problems[f"tab {tab}"] = unnamed_controls(screen)
    for opener in (
        screen.add_session,
        screen.edit_follow_ups,
        screen.edit_certification,
        screen.add_ceu,
        screen.add_check_in,
        screen.edit_settings,
    ):
        opener()
        problems[opener.__name__] = unnamed_controls(screen.dialog)
        screen.dialog.reject()
    assert all(p == [] for p in problems.values()), problems


def _my_work(qtbot: Any, session: Session, tm: TaskManager) -> MyWorkScreen:
    screen = MyWorkScreen(session, tm)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    qtbot.waitUntil(lambda: screen.data is not None)
    return screen


def test_a_refresh_keeps_unsaved_typing_in_the_self_care_plan(
    qtbot: Any, session: Session, tm: TaskManager
) -> None:
    from peerdesk.domain.workforce import SelfCarePlan

    session.workforce.save_self_care(SelfCarePlan("no sleep", "walks", "Jo"))
    screen = _my_work(qtbot, session, tm)
    assert screen.what_helps.toPlainText() == "walks"
    screen.what_helps.setPlainText("walks, music")  # typing, not saved yet
    # another form saves (a private check-in): the screen refreshes
    guarded(session, lambda: session.workforce.save_self_care(SelfCarePlan("late", "x", "Ana")))
    before = screen.data
    screen.refresh()
    qtbot.waitUntil(lambda: screen.data is not before)
    assert screen.what_helps.toPlainText() == "walks, music"  # the typing stays
    assert screen.warning_signs.toPlainText() == "late"  # untouched boxes follow the store
    assert screen.who_to_call.toPlainText() == "Ana"
    # once saved, later refreshes fill the box again
    screen.save_self_care()
    qtbot.waitUntil(lambda: screen.plan_status.text() != "")
    guarded(session, lambda: session.workforce.save_self_care(SelfCarePlan("a", "b", "c")))
    before = screen.data
    screen.refresh()
    qtbot.waitUntil(lambda: screen.data is not before)
    assert screen.what_helps.toPlainText() == "b"


@pytest.mark.parametrize("answer", ["no", "yes"])
def test_ticking_share_on_a_new_check_in_asks_first(
    qtbot: Any, session: Session, tm: TaskManager, answer: str
) -> None:
    from PySide6.QtWidgets import QMessageBox

    screen = _my_work(qtbot, session, tm)
    screen.add_check_in()
    form = screen.dialog
    asked: list[str] = []

    def ask(_parent: Any, title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        if answer == "yes":
            return QMessageBox.StandardButton.Yes
        return QMessageBox.StandardButton.No

    form.ask = ask
    form.note.setPlainText("rough day")
    form.share.setChecked(True)
    form.save()
    assert len(asked) == 1 and "cannot be taken back" in asked[0]
    stored = lambda: guarded(session, lambda: session.workforce.mine().record.check_ins)  # noqa: E731
    if answer == "no":
        assert form.isVisible() and form.share.isChecked()  # nothing sent, nothing lost
        assert stored() == ()
    else:
        qtbot.waitUntil(lambda: screen.check_ins.rowCount() == 1)
        assert [c.shared for c in stored()] == [True]
    # an unshared check-in is saved without asking
    if answer == "no":
        form.share.setChecked(False)
        form.save()
        qtbot.waitUntil(lambda: screen.check_ins.rowCount() == 1)
        assert len(asked) == 1 and [c.shared for c in stored()] == [False]


def test_whole_hours_are_stored_and_exported_without_an_exponent(
    qtbot: Any, session: Session, tm: TaskManager, tmp_path: Any
) -> None:
    import json

    from ui.screens.work_forms import decimal_of, hours_box

    for value, text in ((10.0, "10"), (20.0, "20"), (100.0, "100"), (2.5, "2.5"), (0.25, "0.25")):
        assert str(decimal_of(hours_box("h", Decimal(str(value)), 1000.0))) == text
    screen = _my_work(qtbot, session, tm)
    screen.add_ceu()
    form = screen.dialog
    form.title.setText("Ethics")
    form.provider.setText("Board")
    form.hours.setValue(10.0)
    form.save()
    qtbot.waitUntil(lambda: screen.ceus.rowCount() == 1)
    screen.edit_settings()
    form = screen.dialog
    form.sup_hours.setValue(20.0)
    form.ceu_hours.setValue(10.0)
    form.save()
    qtbot.waitUntil(lambda: screen.data is not None and screen.data.settings.ceu.hours == 10)
    row = guarded(
        session,
        lambda: session._db.conn.execute(
            "SELECT supervision_hours, ceu_hours FROM workforce_settings"
        ).fetchone(),
    )
    assert tuple(row) == ("20", "10")
    guarded(session, lambda: session.maintenance.export_json(tmp_path / "out.json"))
    data = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert [e["hours"] for e in data["ceu_entries"]] == ["10"]


def test_last_session_says_its_age_against_the_requirement_window() -> None:
    from peerdesk.domain.workforce import Period
    from ui.formats import short_date
    from ui.workforce_labels import Level, follow_up_text, last_session_text

    window = Period(date(2026, 12, 1), date(2026, 12, 31))
    assert last_session_text(date(2026, 12, 3), window) == (
        short_date(date(2026, 12, 3)),
        Level.GOOD,
    )
    text, level = last_session_text(date(2026, 10, 20), window)
    assert level is Level.SOON and "none since" in text
    assert last_session_text(None, window) == ("No session recorded", Level.UNKNOWN)
    assert follow_up_text("call the board", True) == "✓ done: call the board"
    assert follow_up_text("read", False) == "○ open: read"


def test_team_says_its_hours_are_against_the_supervisors_own_requirements(
    qtbot: Any, supervisor: Session, tm: TaskManager
) -> None:
    seeded = seed_review_cache(supervisor, devices=5, notes=10, trips=2, seed=5)
    seed_team_workforce(supervisor, seeded.devices, TEAM_DAY)
    screen = TeamScreen(supervisor, tm)
    screen.today = lambda: TEAM_DAY
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.table.rowCount() == 5)
    assert "against your requirements (set in Requirements…" in screen.requirements.text()
    header = screen.table.horizontalHeaderItem(1).text()
    assert header == "Supervision (your requirement)"
    # the last session's cell has a level from its age, not always OK
    last = {screen.rows[i].device_id: cells(screen.table, i)[4] for i in range(5)}
    for row in screen.rows:
        st = row.status
        if st.last_session is None:
            assert last[row.device_id].startswith("Missing:")
        elif st.last_session < st.supervision.period.start:
            assert last[row.device_id].startswith("Attention:")
        else:
            assert last[row.device_id].startswith("OK:")
    assert any(v.startswith("Attention: ") and "none since" in v for v in last.values())
    # follow-ups say done or open in words
    i, newest = next(
        (i, r.record.sessions[-1])
        for i, r in enumerate(screen.rows)
        if r.record.sessions and r.record.sessions[-1].follow_ups
    )
    screen.table.selectRow(i)
    said = cells(screen.sessions, 0)[4].split("; ")
    assert len(said) == len(newest.follow_ups)
    for words, f in zip(said, newest.follow_ups, strict=True):
        assert words == ("✓ done: " if f.done else "○ open: ") + f.text
    # the supervisor sets the agency's rule from the Team screen
    screen.edit_settings()
    screen.dialog.sup_hours.setValue(4.0)
    screen.dialog.save()
    qtbot.waitUntil(lambda: screen.settings.supervision.hours == 4)
    assert "4 h of supervision" in screen.requirements.text()
    assert cells(screen.table, 0)[1].endswith("of 4 h") or " of 4 h" in cells(screen.table, 0)[1]


def test_follow_ups_without_a_chosen_session_asks_to_choose_one(
    qtbot: Any, session: Session, tm: TaskManager
) -> None:
    from peerdesk.demo.workforce import add_demo_workforce

    add_demo_workforce(session, TODAY)
    screen = _my_work(qtbot, session, tm)
    screen.sessions.clearSelection()
    screen.dialog = None
    screen.edit_follow_ups()
    assert screen.dialog is None
    assert screen.problem.text() == "Choose a session first, then Follow-ups…"
    screen.sessions.selectRow(1)
    screen.edit_follow_ups()
    assert screen.dialog is not None
    screen.dialog.reject()
