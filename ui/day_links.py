"""What the day's actions do across screens (issue 21): Today's "Write a
note", "Log a ride", "Sync now" and its coming-up items, and the participant
page's "Write a note" / "New appointment…". Kept apart from the window so the
window stays about the window; :func:`connect_day_actions` is called once per
session with the window's screens."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from PySide6.QtWidgets import QWidget

from ui.i18n import tr
from ui.link_controller import LinkController
from ui.screens.notes import NotesScreen
from ui.screens.participants import ParticipantsScreen
from ui.screens.today import TodayScreen
from ui.screens.trips import TripsScreen
from ui.screens.week import WeekScreen

__all__ = ["connect_day_actions"]


class _Window(Protocol):
    link: LinkController

    def go_to(self, section: int | QWidget) -> None: ...

    def section_or_none(self, kind: type) -> object: ...


def connect_day_actions(window: _Window) -> None:
    today = window.section_or_none(TodayScreen)
    people = window.section_or_none(ParticipantsScreen)
    notes = window.section_or_none(NotesScreen)
    week = window.section_or_none(WeekScreen)
    trips = window.section_or_none(TripsScreen)
    if not isinstance(notes, NotesScreen):
        return

    def write_note(participant_id: str = "") -> None:
        window.go_to(notes)
        notes.new_note(participant_id or None)

    if isinstance(people, ParticipantsScreen):
        people.write_note.connect(write_note)
    if isinstance(week, WeekScreen):
        open_week = week

        def new_appointment(participant_id: str) -> None:
            window.go_to(open_week)
            open_week.new(participant_id)

        def show_appointment(appointment_id: str, starts_at: datetime) -> None:
            window.go_to(open_week)
            open_week.show_appointment(appointment_id, starts_at)

        if isinstance(people, ParticipantsScreen):
            people.new_appointment.connect(new_appointment)
    if not isinstance(today, TodayScreen):
        return
    today.write_note.connect(lambda: write_note(""))

    def log_ride(appointment_id: str) -> None:
        if appointment_id and isinstance(week, WeekScreen):
            window.go_to(week)
            week.ride_done_for(appointment_id)
        elif isinstance(trips, TripsScreen):
            window.go_to(trips)

    def sync_now() -> None:
        link = window.link
        if link.running:
            today.say_sync(tr("A sync is running already."))
        elif not link.is_enrolled:
            today.say_sync(tr("Connect to the agency first (the Sync section)."))
        elif link.run_now("asked"):
            today.say_sync(tr("Sync started."))
        else:
            today.say_sync(tr("Sync cannot start now; try again in a moment."))

    today.log_ride.connect(log_ride)
    today.sync_now.connect(sync_now)
    if isinstance(week, WeekScreen):
        today.coming.open_appointment.connect(show_appointment)
    if isinstance(people, ParticipantsScreen):
        directory = people

        def open_record(participant_id: str) -> None:
            window.go_to(directory)
            if directory.select(participant_id):
                directory.open_record()

        today.coming.open_record.connect(open_record)
