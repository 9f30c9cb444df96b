"""The Today screen: drafts to finish (overdue ones said in words), notes signed
today, today's trips with miles, what waits to sync; items open the note or trip.
Also the small service helper it reads notes through."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.domain.models import NoteDraft, NoteState
from peerdesk.errors import ValidationError
from peerdesk.services import ProfileManager, Session
from ui.app import MainWindow
from ui.screens.today import TodayScreen, draft_due
from ui.taskman import TaskManager

TODAY = date.today()


def at(days_ago: int, hour: int = 10) -> datetime:
    """Local time ``days_ago`` days before today, as an aware datetime."""
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour, 0)).astimezone()


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


@pytest.fixture
def day(session: Session, make_draft: Callable[..., NoteDraft]) -> dict[str, str]:
    """Two people; drafts from today, 2 and 5 days ago; a note signed today; trips
    today (by miles and by odometer) and yesterday."""
    robin = session.participants.add("Robin Example").value.id
    sam = session.participants.add("Sam Sample").value.id
    ids = {
        "today": session.notes.create_draft(make_draft(robin, start=at(0))).value.id,
        "two_days": session.notes.create_draft(make_draft(sam, start=at(2))).value.id,
        "overdue": session.notes.create_draft(make_draft(robin, start=at(5))).value.id,
    }
    signed = session.notes.create_draft(make_draft(sam, start=at(1))).value
    ids["signed"] = session.notes.sign(signed.id).value.id
    ids["trip_miles"] = session.trips.add(
        TODAY,
        "medical",
        "clinic",
        miles=Decimal("12.5"),
        with_participant=True,
        participant_id=robin,
    ).value.id
    ids["trip_odometer"] = session.trips.add(
        TODAY, "pharmacy", "pharmacy", odometer_start=Decimal(1000), odometer_end=Decimal(1008)
    ).value.id
    session.trips.add(TODAY - timedelta(days=1), "grocery", "store", miles=Decimal(3))
    return ids


@pytest.fixture
def screen(qtbot: Any, session: Session, tm: TaskManager, day: dict[str, str]) -> TodayScreen:
    widget = TodayScreen(session, tm)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.data is not None)
    return widget


def test_draft_is_overdue_the_day_after_its_sign_within_days() -> None:
    contact = date(2026, 11, 19)
    assert draft_due(contact, date(2026, 11, 22), 3).days_left == 0  # due today
    assert not draft_due(contact, date(2026, 11, 22), 3).overdue
    late = draft_due(contact, date(2026, 11, 23), 3)
    assert late.overdue and late.days_left == -1 and late.due == date(2026, 11, 22)
    assert draft_due(contact, date(2026, 11, 20), 3).days_left == 2


def test_drafts_are_listed_with_the_overdue_one_first_and_flagged_in_words(
    screen: TodayScreen, session: Session
) -> None:
    assert session.policy.sign_within_days == 3
    lines = screen.texts(screen.drafts)
    assert len(lines) == 3
    # 5 days ago, due 2 days ago: first, and said in words (not colour only).
    assert lines[0].startswith("Robin Example")
    assert "OVERDUE by 2 days" in lines[0]
    assert screen.drafts.item(0).font().bold()
    assert "OVERDUE" not in lines[1] and "sign within 1 day" in lines[1]  # 2 days ago
    assert "sign within 3 days" in lines[2]  # today's contact
    assert "3 drafts to finish" in screen.summary.text()
    assert "1 overdue" in screen.summary.text()


def test_signed_today_trips_today_and_sync_counts(screen: TodayScreen, session: Session) -> None:
    signed = screen.texts(screen.signed)
    assert len(signed) == 1 and signed[0].startswith("Sam Sample") and "signed at" in signed[0]
    trips = screen.texts(screen.trips)
    assert len(trips) == 2  # yesterday's trip is not today's
    assert "12.5 miles" in trips[0] and "with Robin Example" in trips[0]
    assert "8 miles" in trips[1]
    assert screen.trip_total.text() == "Total today: 2 trips, 20.5 miles"
    pending = session._outbox.counts().pending
    assert pending > 0
    assert screen.sync_counts.text().startswith(f"{pending} changes waiting to sync.")


def test_an_empty_day_says_so_in_words(qtbot: Any, session: Session, tm: TaskManager) -> None:
    widget = TodayScreen(session, tm)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.data is not None)
    assert widget.drafts.count() == widget.signed.count() == widget.trips.count() == 0
    assert widget.drafts_hint.text() == "No drafts waiting. All notes are signed."
    assert widget.trips_hint.text() == "No trips logged today."


def test_the_screen_moves_on_to_the_next_day_at_midnight(
    qtbot: Any, session: Session, tm: TaskManager
) -> None:
    days = [TODAY]
    widget = TodayScreen(session, tm, today=lambda: days[0])
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.data is not None)
    assert widget.midnight.isActive()
    assert 0 < widget.midnight.remainingTime() <= 24 * 3600 * 1000
    days[0] = TODAY + timedelta(days=1)
    widget.midnight.start(0)  # as if midnight had come
    qtbot.waitUntil(lambda: widget.data is not None and widget.data.day == days[0])
    widget.clear()
    assert not widget.midnight.isActive()


def test_clear_drops_every_name(screen: TodayScreen) -> None:
    assert any("Robin Example" in line for line in screen.texts(screen.drafts))
    screen.clear()
    assert screen.drafts.count() == screen.signed.count() == screen.trips.count() == 0
    assert screen.data is None


def test_activating_an_item_asks_to_open_that_note_or_trip(
    qtbot: Any, screen: TodayScreen, day: dict[str, str]
) -> None:
    screen.drafts.setFocus()
    screen.drafts.setCurrentRow(0)
    with qtbot.waitSignal(screen.open_note) as opened:
        qtbot.keyClick(screen.drafts, Qt.Key.Key_Return)
    assert opened.args == [day["overdue"]]
    screen.trips.setCurrentRow(1)
    with qtbot.waitSignal(screen.open_trip) as trip:
        qtbot.keyClick(screen.trips, Qt.Key.Key_Return)
    assert trip.args == [day["trip_odometer"], TODAY]


def test_notes_for_day_reads_drafts_and_notes_signed_in_the_range(
    session: Session, day: dict[str, str]
) -> None:
    start = datetime.combine(TODAY, time.min).astimezone()
    result = session.notes.for_day(start, start + timedelta(days=1))
    ids = {n.id for n in result.items}
    assert ids == {day["today"], day["two_days"], day["overdue"], day["signed"]}
    assert result.damaged == []
    tomorrow = session.notes.for_day(start + timedelta(days=1), start + timedelta(days=2))
    assert {n.state for n in tomorrow.items} == {NoteState.DRAFT}  # drafts always, signed not
    with pytest.raises(ValidationError):
        session.notes.for_day(datetime(2026, 1, 1), datetime(2026, 1, 2))


# --- in the main window -----------------------------------------------------------------


@pytest.fixture
def window(qtbot: Any, tmp_path: Any) -> Iterator[MainWindow]:
    manager = ProfileManager(root=tmp_path)
    session = ensure_demo_profile(manager)
    session.trips.add(TODAY, "housing", "social_services", miles=Decimal("7.2"))
    win = MainWindow(session, manager, autosave_ms=50, idle_timeout_s=0)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    qtbot.waitUntil(lambda: win.today.data is not None)
    yield win
    if win.session.is_unlocked:
        win.close()


def test_today_is_the_first_screen_and_opens_notes_and_trips_with_the_keyboard(
    qtbot: Any, window: MainWindow
) -> None:
    today = window.today
    assert window.stack.currentWidget() is today
    assert window.sidebar.item(0).text() == "Today"
    # The demo's draft is four days old: overdue, in words.
    assert any("OVERDUE" in line for line in today.texts(today.drafts))
    assert len(today.texts(today.signed)) == 3  # the demo signs three notes when made
    qtbot.waitUntil(lambda: window.sync_label.text() != "")
    # today.png (1366x768) is saved by tests/ui/test_day_flows.py

    draft_id = today.data.drafts[0].id
    today.drafts.setFocus()
    today.drafts.setCurrentRow(0)
    qtbot.keyClick(today.drafts, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.notes
    editor = window.notes.editor
    qtbot.waitUntil(lambda: editor.note is not None and editor.note.id == draft_id)

    window.go_to(window.today)
    qtbot.waitUntil(lambda: today.trips.count() == 1)
    trip_id = today.data.trips[0].id
    today.trips.setFocus()
    today.trips.setCurrentRow(0)
    qtbot.keyClick(today.trips, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.trips
    trips = window.trips

    def selected() -> str | None:
        row = trips.table.currentRow()
        return trips.trips[row].id if 0 <= row < len(trips.trips) else None

    qtbot.waitUntil(lambda: selected() == trip_id)
    assert trips.table.hasFocus()


def test_a_workforce_record_that_cannot_be_read_does_not_hide_the_day(
    session: Session, day: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerdesk.errors import CorruptData
    from ui.screens.today import load_today

    def broken(today: date | None = None) -> None:
        raise CorruptData("certification record is malformed", table="workforce_records")

    monkeypatch.setattr(session.workforce, "status", broken)
    data = load_today(session, TODAY)
    assert data.work is None
    assert {n.id for n in data.drafts} >= {day["today"]}
