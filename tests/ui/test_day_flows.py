"""The peer's working day (issue 21) in the window: Today as a task list
("Write a note", "Log a ride", "Sync now", coming up, outcome measures due,
the drafts' hint), a note from a participant's page, the week view
(keyboard), appointment -> ride -> trip without retyping, and the .ics file
parsed back. Screenshots of Today and the week at 1366x768."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import icalendar
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from peerdesk.demo.profiles import ensure_demo_profile
from peerdesk.domain.appointments import Appointment, Ride, week_start
from peerdesk.services import ProfileManager
from peerdesk.services.appointments import Booked
from ui.app import MainWindow
from ui.screens.appointment_form import AppointmentDialog, RideDoneDialog

TODAY = date.today()


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> Iterator[MainWindow]:
    manager = ProfileManager(root=tmp_path)
    session = ensure_demo_profile(manager)
    win = MainWindow(session, manager, autosave_ms=50, idle_timeout_s=0)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitUntil(lambda: win.today.data is not None)
    yield win
    if win.session.is_unlocked:
        win.close()


def idle(qtbot: Any, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.taskman.busy)


def test_today_is_a_task_list_and_writes_a_note(
    qtbot: Any, window: MainWindow, screenshot_path: Callable[[str], Path]
) -> None:
    today = window.today
    coming = today.texts(today.coming.appointments)
    # the demo's appointment later today (with its ride) and tomorrow's; not next week's
    assert any("Tobias Wren" in line and "ride planned" in line for line in coming)
    # tomorrow's at 10:00 shows once it is within 24 hours (after 10:00 today)
    tomorrow_ten = datetime.combine(TODAY + timedelta(days=1), time(10)).astimezone()
    soon = tomorrow_ten - datetime.now().astimezone() <= timedelta(hours=24)
    assert any("Rosa Delgado-Finch" in line for line in coming) == soon
    assert not any("Pharmacy" in line for line in coming)
    due = window.session.record.due_check_ins(today=TODAY)
    measures = today.texts(today.coming.measures)
    assert [d.name for d in due] == [m.split(":")[0] for m in measures]
    assert today.coming.measures_hint.isVisible() == (not due)
    # drafts: a visible hint and a button, Enter works too
    assert today.drafts_how.isVisible() and "Enter" in today.drafts_how.text()
    assert today.open_draft_button.isEnabled()
    assert "unsynced change" in today.summary.text()
    qtbot.waitUntil(lambda: window.sync_label.text() != "")
    assert window.grab().save(str(screenshot_path("today.png")))

    draft_id = today.data.drafts[0].id if today.data else ""
    today.drafts.setCurrentRow(0)
    qtbot.mouseClick(today.open_draft_button, Qt.MouseButton.LeftButton)
    editor = window.notes.editor
    qtbot.waitUntil(lambda: editor.note is not None and editor.note.id == draft_id)

    window.go_to(window.today)
    qtbot.mouseClick(today.tasks.note_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.notes
    qtbot.waitUntil(lambda: editor.note is None)  # a new, unsaved note
    assert editor.participant_combo.isEnabled()

    # Sync now without an agency: it says what to do, in words
    window.go_to(window.today)
    qtbot.mouseClick(today.tasks.sync_button, Qt.MouseButton.LeftButton)
    assert today.sync_said.isVisible() and today.sync_said.text()


def test_write_a_note_from_a_participant_chooses_them(qtbot: Any, window: MainWindow) -> None:
    people = window.participants
    window.go_to(people)
    qtbot.waitUntil(lambda: people.model.rowCount() > 0)
    pid = people.model.id_at(1)
    assert pid is not None and people.select(pid)
    qtbot.waitUntil(lambda: people.note_button.isEnabled() and people.current is not None)
    qtbot.waitUntil(lambda: people.current is not None and people.current.id == pid)
    qtbot.mouseClick(people.note_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.notes
    editor = window.notes.editor
    qtbot.waitUntil(lambda: editor.participant_combo.currentData() == pid)
    assert editor.note is None


def _fill_new(pid: str, when: datetime) -> Callable[[QDialog], bool]:
    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, AppointmentDialog)
        dialog.person.setCurrentIndex(dialog.person.findData(pid))
        local = when.astimezone()
        dialog.when.setDateTime(dialog.when.dateTime().fromSecsSinceEpoch(int(local.timestamp())))
        dialog.what.setText("Dentist, with Dr. Molar")
        dialog.place.setText("Smile Dental, 9 Oak Ave")
        dialog.ride_box.setChecked(True)
        dialog.pickup.setText("Home, 4 Elm St")
        dialog.destination.setText("Smile Dental, 9 Oak Ave")
        dialog.estimated.setValue(5.5)
        dialog.round_trip.setChecked(True)
        return True

    return fill


def test_appointment_ride_becomes_the_trip_once_and_the_week_exports_ics(
    qtbot: Any, window: MainWindow, tmp_path: Path, screenshot_path: Callable[[str], Path]
) -> None:
    week = window.week
    window.go_to(week)
    qtbot.waitUntil(lambda: len(week.booked()) >= 2)
    assert week.start == week_start(TODAY)
    # keyboard: next week, previous, this week
    start = week.start
    qtbot.keyClick(week.day_lists[0], Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: week.start == start + timedelta(days=7))
    qtbot.keyClick(week.day_lists[0], Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: week.start == start and len(week.booked()) >= 2)
    idle(qtbot, window)
    assert window.grab().save(str(screenshot_path("week-view.png")))

    session = window.session
    pid = next(
        p.id for p in session.participants.list().items if p.display_name == "Dale Running-Creek"
    )
    when = datetime.combine(TODAY, time(16, 0)).astimezone()
    week.ask = _fill_new(pid, when)
    qtbot.mouseClick(week.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("Dentist" in b.appointment.what for b in week.booked()))
    ours = next(b for b in week.booked() if "Dentist" in b.appointment.what)
    assert ours.appointment.ride is not None and ours.name == "Dale Running-Creek"
    assert week.select(ours.appointment.id)
    assert week.ride_button.isEnabled()

    trips_before = len(session.trips.list().items)

    def ride(dialog: QDialog) -> bool:
        assert isinstance(dialog, RideDoneDialog)
        assert dialog.miles.value() == pytest.approx(11.0)  # the estimate, there and back
        dialog.miles.setValue(11.4)
        return True

    week.ask = ride
    qtbot.mouseClick(week.ride_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "trip log" in week.status.text())
    idle(qtbot, window)
    trips = session.trips.list().items
    assert len(trips) == trips_before + 1
    done = session.appointments.get(ours.appointment.id)
    assert done.ride is not None and done.ride.trip_id is not None
    trip = session.trips.get(done.ride.trip_id)
    assert trip.miles == Decimal("11.4") and trip.destination == "Smile Dental, 9 Oak Ave"
    assert trip.participant_id == pid and trip.with_participant
    report = session.reports.mileage_report(trip.trip_date.year, trip.trip_date.month)
    logged = [t for t in session.trips.list().items if t.notes.startswith("Ride to appointment")]
    assert len(logged) == 1  # once: the trip log holds the ride one time
    assert report.total_miles == sum(
        (t.miles or Decimal(0)) for t in session.trips.list(
            year=trip.trip_date.year, month=trip.trip_date.month
        ).items
    )  # fmt: skip
    qtbot.waitUntil(lambda: week.select(ours.appointment.id))
    assert not week.ride_button.isEnabled()  # logged: no second trip from it

    path = tmp_path / "week.ics"
    week.export(week=True, path=str(path))
    qtbot.waitUntil(lambda: "written to" in week.status.text())
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(week.booked())
    for ev in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert prop in ev
    assert "Appointment (D.R.C.)" in {str(e["SUMMARY"]) for e in events}
    assert b"Dentist" not in path.read_bytes() and b"Dale" not in path.read_bytes()
    assert "initials" in week.privacy.text()


def test_log_a_ride_from_today_makes_the_trip_from_the_selected_ride(
    qtbot: Any, window: MainWindow
) -> None:
    today = window.today
    coming = today.coming.appointments
    row = next(i for i, t in enumerate(today.texts(coming)) if "Tobias Wren" in t)
    coming.setCurrentRow(row)
    asked: list[str] = []

    def ride(dialog: QDialog) -> bool:
        assert isinstance(dialog, RideDoneDialog)
        asked.append("yes")
        dialog.miles.setValue(13.0)  # the estimate was 6.5 each way
        return True

    window.week.ask = ride
    session = window.session
    before = len(session.trips.list().items)
    qtbot.mouseClick(today.tasks.ride_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.week
    qtbot.waitUntil(lambda: "trip log" in window.week.status.text())
    idle(qtbot, window)
    assert asked == ["yes"]
    trips = session.trips.list().items
    assert len(trips) == before + 1
    new = next(t for t in trips if t.notes.startswith("Ride to appointment"))
    assert new.miles == Decimal("13.0")
    assert new.destination == "Riverside Outpatient Clinic, 120 River Rd"
    # Today shows the trip, and the ride no longer waits
    window.go_to(today)
    qtbot.waitUntil(lambda: any("13" in t for t in today.texts(today.trips)))
    assert not any("Tobias" in t and "ride planned" in t for t in today.texts(coming))


def test_the_appointment_form_stays_open_and_says_why(qtbot: Any) -> None:
    now = datetime.combine(TODAY, time(10)).astimezone()
    dialog = AppointmentDialog([("p1", "Robin Example")], [], lambda _s, _f: None, start=now)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()  # nothing typed in "what"
    assert dialog.isVisible() and dialog.problem.isVisible() and dialog.problem.text()
    dialog.what.setText("Clinic visit")
    dialog.ride_box.setChecked(True)  # a ride with no pick-up
    dialog.accept()
    assert dialog.isVisible() and dialog.problem.text()
    dialog.pickup.setText("Home")
    dialog.destination.setText("Clinic")
    dialog.accept()
    assert not dialog.isVisible()
    a = dialog.value()
    assert a.participant_id == "p1" and a.starts_at == now and a.minutes == 60
    assert a.ride is not None and a.ride.pickup == "Home" and a.ride.round_trip


def test_the_appointment_form_by_keyboard_enter_saves_when_valid_esc_cancels(
    qtbot: Any,
) -> None:
    now = datetime.combine(TODAY, time(10)).astimezone()
    dialog = AppointmentDialog([("p1", "Robin Example")], [], lambda _s, _f: None, start=now)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.what.setFocus()
    qtbot.keyClick(dialog.what, Qt.Key.Key_Return)  # nothing typed: it says why
    assert dialog.isVisible() and dialog.problem.isVisible()
    assert dialog.problem.text().startswith("Problem: ")
    assert dialog.result() != QDialog.DialogCode.Accepted
    qtbot.keyClicks(dialog.what, "Clinic visit")
    qtbot.keyClick(dialog.what, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value().what == "Clinic visit"

    again = AppointmentDialog([("p1", "Robin Example")], [], lambda _s, _f: None, start=now)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    qtbot.keyClicks(again.what, "Clinic visit")
    qtbot.keyClick(again.what, Qt.Key.Key_Escape)
    assert not again.isVisible() and again.result() == QDialog.DialogCode.Rejected


def test_the_ride_done_form_wants_miles_enter_saves_esc_cancels(qtbot: Any) -> None:
    now = datetime.combine(TODAY, time(10)).astimezone()
    ride = replace(
        Appointment("a1", "p1", now, 60, "Clinic visit", now, now),
        ride=Ride("Home", "Clinic", Decimal("3.0"), True),
    )
    dialog = RideDoneDialog(ride)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.miles.setValue(0)
    qtbot.keyClick(dialog.miles, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.problem.text() == "Problem: Enter the miles driven."
    dialog.miles.setValue(7.5)
    qtbot.keyClick(dialog.miles, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value().miles == Decimal("7.5")

    again = RideDoneDialog(ride)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    qtbot.keyClick(again.miles, Qt.Key.Key_Escape)
    assert not again.isVisible() and again.result() == QDialog.DialogCode.Rejected


def test_week_mark_done_cancel_and_export_one(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    week = window.week
    window.go_to(week)
    booked = window.session.appointments.for_person()
    pharmacy = next(b for b in booked if "Pharmacy" in b.appointment.what)
    show_week_of(qtbot, week, pharmacy)
    assert week.select(pharmacy.appointment.id)
    assert week.done_button.isEnabled() and not week.ride_button.isEnabled()  # no ride
    path = tmp_path / "one.ics"
    week.export(week=False, path=str(path))
    qtbot.waitUntil(lambda: "written to" in week.status.text())
    events = list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [f"{pharmacy.appointment.id}@peerdesk"]
    assert (
        str(events[0]["SUMMARY"]) == "Appointment (M.O.)"
    )  # the nickname in quotes is not a name part
    qtbot.mouseClick(week.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "CANCELLED" in " ".join(t.text() for t in _items(week)))
    assert window.session.appointments.get(pharmacy.appointment.id).status == "cancelled"
    tobias = next(b for b in booked if "Tobias" in b.name and b.appointment.status != "done")
    show_week_of(qtbot, week, tobias)
    assert week.select(tobias.appointment.id)
    qtbot.mouseClick(week.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.appointments.get(tobias.appointment.id).status == "done")


def show_week_of(qtbot: Any, week: Any, booked: Booked) -> None:
    """Turn the Week to the one that holds ``booked``: the demo's appointments are
    days from today (tomorrow, in three days), so on a Friday, Saturday or Sunday
    some are in next week (found by running the suite on a faked Sunday)."""
    target = week_start(booked.appointment.starts_at.astimezone().date())
    if target != week.start:
        week.go_week((target - week.start).days // 7)
    qtbot.waitUntil(lambda: any(b.appointment.id == booked.appointment.id for b in week.booked()))


def _items(week: Any) -> list[Any]:
    return [cell.item(i) for cell in week.day_lists for i in range(cell.count())]
