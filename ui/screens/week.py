"""The Week screen (issue 21): a participant's appointments and the rides to
them, a week at a time (Monday first), one column per day.

Keys: Ctrl+PgUp / Ctrl+PgDown the previous / next week, Ctrl+Home this week;
Tab moves between the days, the arrows within one; Enter changes the selected
appointment. Actions: new, change, mark done, cancel, "Ride done…" (the ride
becomes its trip in the trip log) and the calendar file (.ics) of the week or
of one appointment, which holds initials and times only (said on screen).
Everything runs through ``session.appointments`` on the DB thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.appointments import Appointment, AppointmentStatus, week_start
from peerdesk.domain.calendar_file import initials
from peerdesk.domain.times import local_moment
from peerdesk.errors import PeerDeskError
from peerdesk.services import OpResult, Session
from peerdesk.services.appointments import Booked
from ui.errors import message_for
from ui.formats import clock_time, long_date, short_date
from ui.i18n import tr
from ui.operations import Follower, change
from ui.screens.appointment_form import AppointmentDialog, RideDoneDialog
from ui.taskman import Latest, TaskManager

__all__ = ["WeekScreen", "appointment_line"]

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _accepted(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def weekday_names() -> list[str]:
    return [tr("Mon"), tr("Tue"), tr("Wed"), tr("Thu"), tr("Fri"), tr("Sat"), tr("Sun")]


def appointment_line(b: Booked) -> str:
    """One appointment in words (the week's cell, Today's list)."""
    a = b.appointment
    text = tr("{time} {name}: {what}").format(
        time=clock_time(a.starts_at), name=b.name, what=a.what
    )
    if a.ride is not None:
        text += " · " + (tr("ride logged") if a.ride.completed else tr("ride planned"))
    if a.status is AppointmentStatus.CANCELLED:
        text += " · " + tr("CANCELLED")
    elif a.status is AppointmentStatus.DONE:
        text += " · " + tr("done")
    return text


class WeekScreen(QWidget):
    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self._now = now
        self._latest = Latest()
        self.ask: Callable[[QDialog], bool] = _accepted
        self.ask_path: Callable[[str], str | None] = self._ask_path
        self.start = week_start(now().date())
        self.days: dict[date, list[Booked]] = {}
        self._pending_select = ""
        self._pending_ride = False
        self.setAccessibleName(tr("Week"))

        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.prev_button = QPushButton(tr("◀ &Previous week"))
        self.today_button = QPushButton(tr("T&his week"))
        self.next_button = QPushButton(tr("Ne&xt week ▶"))
        for button, key, step in (
            (self.prev_button, "Ctrl+PgUp", -1),
            (self.next_button, "Ctrl+PgDown", 1),
            (self.today_button, "Ctrl+Home", 0),
        ):
            button.setToolTip(key)
            button.clicked.connect(lambda _c=False, s=step: self.go_week(s))
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.go_week(s))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        for b in (self.prev_button, self.today_button, self.next_button):
            top.addWidget(b)

        grid = QGridLayout()
        self.day_labels: list[QLabel] = []
        self.day_lists: list[QListWidget] = []
        for i in range(7):
            label = QLabel()
            cell = QListWidget()
            cell.setWordWrap(True)
            cell.itemActivated.connect(lambda _item: self.edit())
            cell.currentItemChanged.connect(self._picked)
            label.setBuddy(cell)
            grid.addWidget(label, 0, i)
            grid.addWidget(cell, 1, i)
            grid.setColumnStretch(i, 1)
            self.day_labels.append(label)
            self.day_lists.append(cell)

        self.new_button = QPushButton(tr("&New appointment…"))
        self.edit_button = QPushButton(tr("&Change…"))
        self.done_button = QPushButton(tr("Mark &done"))
        self.cancel_button = QPushButton(tr("C&ancel appointment"))
        self.ride_button = QPushButton(tr("&Ride done…"))
        self.ride_button.setToolTip(tr("Log the ride: it becomes the trip, nothing typed again"))
        self.export_week_button = QPushButton(tr("Export &week (.ics)…"))
        self.export_one_button = QPushButton(tr("Export appoin&tment (.ics)…"))
        self.new_button.clicked.connect(lambda: self.new())
        self.edit_button.clicked.connect(lambda: self.edit())
        self.done_button.clicked.connect(lambda: self.set_status(AppointmentStatus.DONE))
        self.cancel_button.clicked.connect(lambda: self.set_status(AppointmentStatus.CANCELLED))
        self.ride_button.clicked.connect(lambda: self.ride_done())
        self.export_week_button.clicked.connect(lambda: self.export(week=True))
        self.export_one_button.clicked.connect(lambda: self.export(week=False))
        actions = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.done_button, self.cancel_button,
                  self.ride_button):  # fmt: skip
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.export_week_button)
        actions.addWidget(self.export_one_button)
        self.privacy = QLabel(
            tr(
                "Calendar files (.ics) hold only the participant's initials and the times: "
                "no names, places or what the appointment is for."
            )
        )
        self.privacy.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        layout.addLayout(actions)
        layout.addWidget(self.privacy)
        layout.addWidget(self.status)
        self._picked()
        Follower(self, taskman, {"record", "participants", "trips"}, self.refresh,
                 on_every_show=True)  # fmt: skip

    # --- reading ------------------------------------------------------------------------

    def go_week(self, step: int) -> None:
        """The previous (-1) or next (1) week, or this week (0)."""
        if step == 0:
            self.start = week_start(self._now().date())
        else:
            self.start += timedelta(days=7 * step)
        self.refresh()

    def refresh(self) -> None:
        if self.taskman.closed:
            return
        only = self._latest.begin()
        tz = self._now().tzinfo
        assert tz is not None
        self.title.setText(tr("Week of {date}").format(date=long_date(self.start)))
        self.taskman.db(self.session.appointments.week, self.start, tz).success(
            only(self.show_week)
        ).failure(only(self._failed)).run()

    def show_week(self, days: dict[date, list[Booked]]) -> None:
        keep = self.selected()
        self.days = days
        today = self._now().date()
        for i, (day, found) in enumerate(sorted(days.items())):
            label = self.day_labels[i]
            text = f"&{i + 1} {weekday_names()[i]} {short_date(day)}"
            label.setText(text + (" · " + tr("today") if day == today else ""))
            cell = self.day_lists[i]
            cell.clear()
            cell.setAccessibleName(long_date(day))
            for b in found:
                item = QListWidgetItem(appointment_line(b))
                item.setData(ID_ROLE, b.appointment.id)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, item.text())
                if b.appointment.status is AppointmentStatus.CANCELLED:
                    f = item.font()
                    f.setStrikeOut(True)
                    item.setFont(f)
                cell.addItem(item)
                if keep is not None and b.appointment.id == keep.appointment.id:
                    cell.setCurrentItem(item)
        if self._pending_select:
            self.select(self._pending_select)
            self._pending_select = ""
        self._picked()
        if self._pending_ride:
            self._pending_ride = False
            self.ride_done()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.status.setText(message_for(exc))

    # --- the selection ------------------------------------------------------------------

    def booked(self) -> list[Booked]:
        return [b for _day, found in sorted(self.days.items()) for b in found]

    def selected(self) -> Booked | None:
        cell = self.focusWidget()
        cells = [cell] if cell in self.day_lists else []
        cells += [c for c in self.day_lists if c.currentItem() is not None]
        for c in cells:
            item = c.currentItem()
            if item is not None:
                found = item.data(ID_ROLE)
                return next((b for b in self.booked() if b.appointment.id == found), None)
        return None

    def select(self, appointment_id: str) -> bool:
        for cell in self.day_lists:
            for row in range(cell.count()):
                if cell.item(row).data(ID_ROLE) == appointment_id:
                    for other in self.day_lists:
                        if other is not cell:
                            other.setCurrentRow(-1)
                    cell.setCurrentRow(row)
                    cell.setFocus()
                    return True
        return False

    def show_appointment(self, appointment_id: str, starts_at: datetime) -> None:
        """The week of an appointment, with it selected (from Today)."""
        self.start = week_start(starts_at.astimezone().date())
        self.refresh()
        self._pending_select = appointment_id

    def ride_done_for(self, appointment_id: str) -> None:
        """Show an appointment's week, select it and ask for its ride (Today's
        "Log a ride")."""

        def found(a: Appointment) -> None:
            self.show_appointment(a.id, a.starts_at)
            self._pending_ride = True

        self.taskman.db(self.session.appointments.get, appointment_id).success(found).failure(
            self._failed
        ).run()

    def _picked(self, *_args: object) -> None:
        sender = self.sender()
        if isinstance(sender, QListWidget) and sender.currentItem() is not None:
            for other in self.day_lists:
                if other is not sender and other.currentItem() is not None:
                    other.blockSignals(True)
                    other.setCurrentRow(-1)
                    other.blockSignals(False)
        b = self.selected()
        a = b.appointment if b else None
        live = a is not None and a.status is not AppointmentStatus.CANCELLED
        self.edit_button.setEnabled(a is not None)
        self.done_button.setEnabled(live and a.status is AppointmentStatus.SCHEDULED)  # type: ignore[union-attr]
        self.cancel_button.setEnabled(live and a.status is AppointmentStatus.SCHEDULED)  # type: ignore[union-attr]
        self.ride_button.setEnabled(
            live and a.ride is not None and not a.ride.completed  # type: ignore[union-attr]
        )
        self.export_one_button.setEnabled(a is not None)

    # --- changing -----------------------------------------------------------------------

    def _run(self, work: Callable[[], OpResult[Any]], said: str) -> None:
        def failed(exc: BaseException) -> None:
            if not isinstance(exc, PeerDeskError):
                raise exc
            self.status.setText(tr("Problem: {message}").format(message=message_for(exc)))

        def done(_result: object) -> None:
            self.status.setText(said)
            self.refresh()

        change(self.taskman, work).origin(self).success(done).failure(failed).run()

    def _lookup(self, service_id: str, fill: Callable[[str], None]) -> None:
        self.taskman.db(self.session.appointments.service_place, service_id).success(fill).run()

    def new(self, participant_id: str | None = None) -> None:
        """Schedule an appointment (the form opens with the people and services)."""

        def load() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
            people = [(p.id, p.display_name) for p in self.session.participants.list().items]
            return people, self.session.appointments.services()

        def show(found: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> None:
            # 10:00 on the clock that day (not midnight + 10 hours: 11:00 when DST begins)
            start = local_moment(datetime.combine(max(self.start, self._now().date()), time(10)))
            dialog = AppointmentDialog(*found, self._lookup, start=start,
                                       participant_id=participant_id, parent=self)  # fmt: skip
            self._open(dialog, self.session.appointments.schedule, tr("Appointment scheduled."))

        self.taskman.db(load).success(show).failure(self._failed).run()

    def edit(self) -> None:
        b = self.selected()
        if b is None:
            return

        def load() -> list[tuple[str, str]]:
            return self.session.appointments.services()

        def show(services: list[tuple[str, str]]) -> None:
            dialog = AppointmentDialog([(b.appointment.participant_id, b.name)], services,
                                       self._lookup, start=b.appointment.starts_at,
                                       existing=b.appointment, parent=self)  # fmt: skip
            self._open(dialog, self.session.appointments.update, tr("Appointment changed."))

        self.taskman.db(load).success(show).failure(self._failed).run()

    def _open(
        self,
        dialog: AppointmentDialog,
        save: Callable[[Appointment], OpResult[Appointment]],
        said: str,
    ) -> None:
        """Ask; what the form says is read here, on the GUI thread, and saved on
        the DB thread."""
        try:
            if not self.ask(dialog):
                return
            value = dialog.value()
        finally:
            dialog.deleteLater()
        self._run(lambda: save(value), said)

    def set_status(self, status: AppointmentStatus) -> None:
        b = self.selected()
        if b is not None:
            said = tr("Marked done.") if status is AppointmentStatus.DONE else tr("Cancelled.")
            aid = b.appointment.id
            self._run(lambda: self.session.appointments.set_status(aid, status), said)

    def ride_done(self) -> None:
        """The ride was driven: it becomes the trip (asked: miles, times)."""
        b = self.selected()
        if b is None or b.appointment.ride is None:
            return
        dialog = RideDoneDialog(b.appointment, self)
        aid = b.appointment.id

        def work() -> OpResult[Appointment]:
            v = dialog_value
            return self.session.appointments.complete_ride(
                aid, v.miles, v.picked_up_at, v.returned_at,
                purpose=v.purpose, destination_type=v.destination_type,
            )  # fmt: skip

        try:
            if not self.ask(dialog):
                return
            dialog_value = dialog.value()
        finally:
            dialog.deleteLater()
        self._run(work, tr("Ride logged in the trip log."))

    # --- the calendar file --------------------------------------------------------------

    def _ask_path(self, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save the calendar file"), suggested, tr("Calendar files (*.ics)")
        )
        return path or None

    def export(self, *, week: bool, path: str | None = None) -> None:
        """Write the week's appointments, or the selected one, as an .ics file."""
        if week:
            items = [b for b in self.booked()]
            suggested = f"appointments-{self.start.isoformat()}.ics"
        else:
            one = self.selected()
            if one is None:
                return
            items = [one]
            suggested = f"appointment-{initials(one.name).replace('.', '')}.ics"
        target = path or self.ask_path(suggested)
        if not target:
            return
        now = self._now()

        def work() -> int:
            return self.session.appointments.export_ics(items, target, now=now)

        def done(count: int) -> None:
            self.status.setText(
                tr("%n appointment(s) written to {path}.", None, count).format(path=target)
            )

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, PeerDeskError):
                raise exc
            self.status.setText(tr("Problem: {message}").format(message=message_for(exc)))

        self.taskman.db(work).success(done).failure(failed).run()

    def clear(self) -> None:
        self._latest.drop()
        self.days = {}
        for cell in self.day_lists:
            cell.clear()
        self.status.clear()
