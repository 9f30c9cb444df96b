"""The trips screen, driven through its real widgets with a real profile."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt

from peerdesk.services import Session
from ui.screens.trips import TripsScreen
from ui.taskman import TaskManager

RATE = Decimal("0.655")


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


@pytest.fixture
def screen(qtbot: Any, session: Session, tm: TaskManager) -> TripsScreen:
    w = TripsScreen(session, tm, RATE)
    qtbot.addWidget(w)
    w.resize(900, 820)
    w.show()
    qtbot.waitUntil(lambda: not tm.busy)
    return w


def idle(qtbot: Any, tm: TaskManager) -> None:
    qtbot.waitUntil(lambda: not tm.busy)


def test_log_by_miles_and_by_odometer_shows_both_and_the_totals(
    qtbot: Any, screen: TripsScreen, tm: TaskManager, session: Session, screenshot_path
) -> None:
    today = date.today()
    assert screen.trip_date.date() == QDate(today.year, today.month, today.day)
    assert screen.shown_month() == (today.year, today.month)

    # A trip by miles, saved with Enter from the notes field.
    qtbot.keyClicks(screen.miles, "12.5")
    qtbot.keyClicks(screen.destination, "County clinic")
    qtbot.keyClicks(screen.notes, "intake visit")
    qtbot.keyClick(screen.notes, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(screen.trips) == 1)
    idle(qtbot, tm)
    # The form is cleared after the save.
    assert screen.miles.text() == screen.destination.text() == screen.notes.text() == ""

    # A trip by odometer, saved with the button.
    qtbot.mouseClick(screen.by_odometer, Qt.MouseButton.LeftButton)
    assert screen.by_odometer.isChecked() and not screen.miles.isEnabled()
    qtbot.keyClicks(screen.odometer_start, "10200")
    qtbot.keyClicks(screen.odometer_end, "10231.4")
    screen.purpose.setCurrentIndex(screen.purpose.findData("pharmacy"))
    qtbot.keyClicks(screen.destination, "Main St pharmacy")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(screen.trips) == 2)
    idle(qtbot, tm)

    shown = sorted(screen.table.item(r, 5).text() for r in range(screen.table.rowCount()))
    assert shown == ["12.5", "31.4"]
    destinations = {screen.table.item(r, 3).text() for r in range(screen.table.rowCount())}
    assert destinations == {"County clinic", "Main St pharmacy"}
    # 43.9 miles * $0.655 = $28.7545 -> $28.75
    assert screen.totals.text() == "2 trips, 43.9 miles, $28.75 at $0.655/mile"

    stored = session.trips.list(year=today.year, month=today.month).items
    assert len(stored) == 2
    assert {t.miles for t in stored} == {Decimal("12.5"), None}

    assert screen.grab().save(str(screenshot_path("trips.png")))


def test_end_odometer_below_start_is_shown_next_to_the_field_and_nothing_saved(
    qtbot: Any, screen: TripsScreen, tm: TaskManager, session: Session
) -> None:
    screen.by_odometer.setChecked(True)
    qtbot.keyClicks(screen.odometer_start, "500")
    qtbot.keyClicks(screen.odometer_end, "450")
    qtbot.keyClick(screen.odometer_end, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.error_of("odometer_end") != "")
    idle(qtbot, tm)

    assert "greater than the start" in screen.error_of("odometer_end")
    assert screen.fields["odometer_end"].error.isVisible()
    assert screen.error_of("odometer_start") == ""
    # What was typed stays, so it can be fixed.
    assert screen.odometer_end.text() == "450"
    assert session.trips.list().items == []
    assert screen.trips == []


def test_not_a_number_is_caught_before_saving(
    qtbot: Any, screen: TripsScreen, tm: TaskManager, session: Session
) -> None:
    qtbot.keyClicks(screen.miles, "twelve")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert "number" in screen.error_of("miles")
    assert not tm.busy
    assert session.trips.list().items == []


def test_with_participant_needs_one_and_the_month_picker_filters(
    qtbot: Any, screen: TripsScreen, tm: TaskManager, session: Session
) -> None:
    p = session.participants.add("Jordan Reyes").value
    session.trips.add(date(2024, 3, 9), "medical", "clinic", miles=Decimal("7"))
    screen.reload_participants()
    idle(qtbot, tm)
    assert screen.participant.findData(p.id) > 0

    screen.with_participant.setChecked(True)
    qtbot.keyClicks(screen.miles, "4")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.error_of("participant_id") != "")
    idle(qtbot, tm)

    screen.participant.setCurrentIndex(screen.participant.findData(p.id))
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(screen.trips) == 1)
    idle(qtbot, tm)
    assert screen.table.item(0, 4).text() == "Yes"
    assert screen.totals.text() == "1 trip, 4 miles, $2.62 at $0.655/mile"

    screen.set_month(2024, 3)
    qtbot.waitUntil(lambda: screen.totals.text().startswith("1 trip, 7 miles"))
    idle(qtbot, tm)
    assert screen.table.item(0, 0).text() == "2024-03-09"

    screen.clear()
    assert screen.table.rowCount() == 0 and screen.participant.count() == 1
