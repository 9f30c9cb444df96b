"""The Resources screen on the seed directory: it loads the seed the first time,
searches as you type (debounced, on the DB thread, only the newest answer
shown), finds a service by a prefix and by a typo, narrows by each filter,
keeps the crisis lines pinned at the top whatever is typed, says in words when
an entry may be outdated, and sends a suggested correction or makes a referral."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.domain.directory import SearchFilters
from peerdesk.domain.referrals import ReferralStatus
from peerdesk.services import ProfileManager, Session
from ui.app import MainWindow
from ui.models.directory import freshness
from ui.screens.directory import DirectoryScreen
from ui.taskman import TaskManager

TODAY = date(2026, 11, 24)
NIGHT = datetime(2026, 11, 24, 3, 0)  # a Tuesday, 3 in the morning


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


@pytest.fixture
def screen(qtbot: Any, session: Session, tm: TaskManager) -> DirectoryScreen:
    page = DirectoryScreen(session, tm, today=lambda: TODAY, now=lambda: NIGHT, debounce_ms=150)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    qtbot.waitUntil(lambda: page.info is not None and page.results is not None)
    return page


def names(screen: DirectoryScreen) -> list[str]:
    return [text.split("\n")[0].split(" — ")[0] for text in screen.texts(screen.results_list)]


def type_and_wait(qtbot: Any, screen: DirectoryScreen, text: str) -> None:
    screen.search_edit.clear()
    qtbot.keyClicks(screen.search_edit, text)
    qtbot.waitUntil(lambda: not screen.search.pending and screen.search.answered_for is not None)
    qtbot.waitUntil(lambda: screen.search.answered_for[0] == text)


def test_the_first_visit_loads_the_seed_directory(screen: DirectoryScreen, session: Session):
    assert screen.info is not None and screen.info.seeded == 42
    assert session.directory.count() == 42
    assert len(names(screen)) == 42  # nothing typed: the whole directory, browsable
    assert [c.name for c in screen.info.categories][:1] == ["Benefits"]


def test_typing_searches_once_typing_pauses_and_finds_a_prefix(qtbot: Any, screen: DirectoryScreen):
    answers: list[object] = []
    screen.search.answered.connect(answers.append)

    qtbot.keyClicks(screen.search_edit, "pant")  # four keystrokes, no pause

    assert screen.search.timer.isActive() and answers == []
    qtbot.waitUntil(lambda: len(answers) == 1)
    assert sorted(names(screen)) == ["Alder Falls Food Pantry", "Millbrook Mobile Pantry"]
    assert "2 service(s) found" in screen.status.text() or "2 services" in screen.status.text()


def test_a_typo_still_finds_the_service_and_says_what_was_searched(
    qtbot: Any, screen: DirectoryScreen
):
    type_and_wait(qtbot, screen, "dentl")
    assert names(screen) == ["Community Dental Clinic"]
    assert "“dentl”" in screen.status.text() and "“dental”" in screen.status.text()


def test_only_the_newest_answer_is_shown(qtbot: Any, screen: DirectoryScreen):
    answers: list[object] = []
    screen.search.answered.connect(answers.append)
    for text in ("food", "rides", "dental"):
        screen.search.text = text
        screen.search.search_now()
    qtbot.waitUntil(lambda: not screen.search.pending)
    assert len(answers) == 1 and screen.search.answered_for[0] == "dental"
    assert names(screen) == ["Community Dental Clinic"]


@pytest.mark.parametrize(
    ("setup", "filters"),
    [
        (lambda s: s.category.setCurrentIndex(s.category.findText("Food pantries")), None),
        (lambda s: s.county.setCurrentIndex(s.county.findText("Kestrel County")), None),
        (lambda s: s.language.setCurrentIndex(s.language.findText("Hmong")), None),
        (lambda s: s.open_now.setChecked(True), SearchFilters(open_at=NIGHT)),
        (lambda s: s.town.setCurrentIndex(s.town.findText("Millbrook")), None),
    ],
    ids=["category", "county", "language", "open now", "near a town"],
)
def test_each_filter_narrows_the_results(
    qtbot: Any, screen: DirectoryScreen, session: Session, setup: Any, filters: Any
):
    everything = len(names(screen))
    setup(screen)
    qtbot.waitUntil(lambda: not screen.search.pending)
    wanted = filters or screen.filters()
    expected = [h.name for h in session.directory.search("", wanted, limit=100).hits]
    assert names(screen) == expected
    assert 0 < len(expected) < everything


def test_within_miles_of_a_town_shows_the_distance(qtbot: Any, screen: DirectoryScreen):
    assert not screen.miles.isEnabled()
    screen.town.setCurrentIndex(screen.town.findText("Millbrook"))
    assert screen.miles.isEnabled()
    qtbot.waitUntil(lambda: not screen.search.pending)
    wide = len(names(screen))
    screen.miles.setValue(3)
    qtbot.waitUntil(
        lambda: not screen.search.pending and screen.search.answered_for[1].within_miles == 3
    )
    assert len(names(screen)) < wide
    assert all("miles away" in t for t in screen.texts(screen.results_list))


def test_crisis_lines_stay_pinned_at_the_top_whatever_is_searched(
    qtbot: Any, screen: DirectoryScreen
):
    crisis = screen.texts(screen.crisis_list)
    assert any(t.startswith("988 Suicide & Crisis Lifeline") for t in crisis)
    assert screen.crisis_box.title().startswith("Crisis lines")
    for text in ("dental", "zzzz nothing here"):
        type_and_wait(qtbot, screen, text)
        assert screen.texts(screen.crisis_list) == crisis
    assert names(screen) == [] and "No services match" in screen.status.text()
    screen.category.setCurrentIndex(screen.category.findText("Veterans"))
    qtbot.waitUntil(lambda: not screen.search.pending)
    assert screen.texts(screen.crisis_list) == crisis
    # above the results, in the reading and tab order
    assert screen.crisis_box.geometry().top() < screen.results_list.geometry().top()


def test_a_stale_entry_says_so_in_words(qtbot: Any, screen: DirectoryScreen, session: Session):
    type_and_wait(qtbot, screen, "street outreach")
    [text] = screen.texts(screen.results_list)
    assert "Possibly outdated: last checked 2 Nov 2023" in text
    type_and_wait(qtbot, screen, "dental")
    assert "outdated" not in screen.texts(screen.results_list)[0]
    assert freshness(None, TODAY, 365) == "Possibly outdated: never checked"
    assert freshness(date(2026, 1, 1), TODAY, session.policy.directory_stale_days) is None

    type_and_wait(qtbot, screen, "street outreach")
    screen.results_list.setCurrentRow(0)
    qtbot.waitUntil(lambda: screen.current is not None)
    assert "Possibly outdated" in screen.detail.toPlainText()


def _open_first(qtbot: Any, screen: DirectoryScreen, text: str) -> None:
    type_and_wait(qtbot, screen, text)
    screen.results_list.setCurrentRow(0)
    qtbot.waitUntil(lambda: screen.current is not None and screen.refer_button.isEnabled())


def test_suggest_a_correction_sends_it_with_the_next_sync(
    qtbot: Any, screen: DirectoryScreen, session: Session
):
    _open_first(qtbot, screen, "dental")
    service_id = screen.current.service.id
    assert "Community Dental Clinic" in screen.detail.toPlainText()

    dialog = screen.suggest_correction()
    assert dialog is not None and dialog.isVisible()
    dialog.send_button.click()  # nothing written: refused in words
    assert "write what should change" in dialog.problem.text()
    qtbot.keyClicks(dialog.text, "Now open on Saturdays too.")
    dialog.send_button.click()
    qtbot.waitUntil(lambda: screen.dialog is None)  # closed once saved

    [correction] = session.directory.corrections().items
    assert (correction.service_id, correction.suggestion) == (
        service_id,
        "Now open on Saturdays too.",
    )
    assert "correction" in {e.entity for e in session._outbox.pending(limit=100)}
    assert "suggestion goes to the agency" in screen.message.text()


def test_refer_participant_from_the_directory(
    qtbot: Any, screen: DirectoryScreen, session: Session
):
    session.participants.add("Avery Sample")
    person = session.participants.add("Robin Example").value
    _open_first(qtbot, screen, "pantry alder")

    dialog = screen.refer_participant()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.participant.count() == 2)
    assert dialog.select_participant(person.id)
    qtbot.keyClicks(dialog.follow_up, "Bring proof of address.")
    dialog.refer_button.click()
    qtbot.waitUntil(lambda: screen.dialog is None)  # closed once saved

    [referral] = session.directory.referrals(participant_id=person.id).items
    assert referral.service_name == "Alder Falls Food Pantry"
    assert referral.status is ReferralStatus.MADE and referral.note_id is None
    assert referral.follow_up == "Bring proof of address."
    assert "recorded" in screen.message.text()
    screen.clear()
    assert screen.message.text() == ""


def test_lock_closes_an_open_dialog(qtbot: Any, screen: DirectoryScreen, session: Session):
    _open_first(qtbot, screen, "dental")
    dialog = screen.refer_participant()
    assert dialog is not None and dialog.isVisible()
    screen.clear()
    assert screen.dialog is None and not dialog.isVisible()


def test_the_directory_screen_in_the_window(qtbot: Any, tmp_path: Path, screenshot_path: Any):
    manager = ProfileManager(root=tmp_path)
    window = MainWindow(ensure_demo_profile(manager), manager, autosave_ms=50, idle_timeout_s=0)
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    try:
        window.go_to(window.directory)
        page = window.directory
        qtbot.waitUntil(lambda: page.info is not None and page.results is not None)
        assert window.focusWidget() is page.search_edit  # Ctrl+5 lands in the search field
        qtbot.keyClicks(page.search_edit, "food")
        qtbot.waitUntil(lambda: not page.search.pending and page.search.answered_for[0] == "food")
        page.results_list.setCurrentRow(0)
        qtbot.waitUntil(lambda: page.current is not None)
        qtbot.waitUntil(lambda: not window.taskman.busy)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        assert window.grab().save(str(screenshot_path("resources.png")))
    finally:
        if window.session.is_unlocked:
            window.close()


def test_the_directory_exports_as_hsds3_json_and_csv(
    qtbot: Any, screen: DirectoryScreen, session: Session, tmp_path: Path
):
    """Issue 18: the laptop's Resources screen exports the directory as HSDS 3."""
    from peerdesk.interop import hsds

    screen.exporting.export("json", tmp_path / "directory.json")
    qtbot.waitUntil(lambda: "Exported 42 services" in screen.message.text())
    assert (
        hsds.import_path(tmp_path / "directory.json").dataset == session.directory.export_dataset()
    )

    screen.exporting.export("csv", tmp_path / "csv")
    qtbot.waitUntil(lambda: "Exported 42 services" in screen.message.text()
                    and "csv" in screen.message.text())  # fmt: skip
    assert (tmp_path / "csv" / "services.csv").is_file()
    assert len(hsds.import_path(tmp_path / "csv").dataset.services) == 42

    # a folder that is not empty is refused, with the reason, and nothing is written
    screen.exporting.export("csv", tmp_path / "csv")
    qtbot.waitUntil(lambda: screen.message.text().startswith("Not exported"))
    assert "new or empty folder" in screen.message.text()
    screen.exporting.ask = lambda parent, form: None
    screen.exporting.export("json")
    assert screen.message.text() == "Export cancelled: nothing was written."
