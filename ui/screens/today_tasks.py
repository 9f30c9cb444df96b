"""Today as a task list (issue 21): the big actions ("Write a note", "Log a
ride", "Sync now") and what is coming up: appointments and rides due today or in
the next 24 hours, and outcome measures due. The Today screen fills them from
its one read (:class:`ui.screens.today_data.TodayData`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from peerdesk.services.appointments import Booked
from peerdesk.services.record import DueCheckIn
from ui.formats import short_date
from ui.i18n import tr
from ui.screens.week import appointment_line
from ui.widgets import list_widget

__all__ = ["ComingUp", "TaskBar"]

#: item data: ("appointment", id, starts_at) or ("record", participant id)
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1


def _big(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleDescription(tip)
    button.setMinimumHeight(40)
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    button.setFont(font)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return button


class TaskBar(QWidget):
    """The day's three big actions."""

    write_note = Signal()
    log_ride = Signal()
    sync_now = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note_button = _big(tr("Write a &note"), tr("Start a new note (Alt+N)"))
        self.ride_button = _big(
            tr("Log a r&ide"), tr("Log the selected ride as a trip, or a trip of your own")
        )
        self.sync_button = _big(tr("S&ync now"), tr("Send your work to the agency now"))
        self.note_button.clicked.connect(self.write_note)
        self.ride_button.clicked.connect(self.log_ride)
        self.sync_button.clicked.connect(self.sync_now)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for b in (self.note_button, self.ride_button, self.sync_button):
            row.addWidget(b)


class ComingUp(QGroupBox):
    """Appointments and rides coming up, and outcome measures due; activating an
    item opens it (:attr:`open_appointment`, :attr:`open_record`)."""

    open_appointment = Signal(str, object)
    open_record = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Coming up"), parent)
        self.appointments = list_widget(tr("Appointments and rides coming up"))
        self.measures = list_widget(tr("Outcome measures due"))
        self.appointments_hint = QLabel()
        self.appointments_hint.setWordWrap(True)
        self.measures_hint = QLabel()
        self.measures_hint.setWordWrap(True)
        caption = QLabel(tr("&Appointments and rides (today and the next 24 hours):"))
        caption.setBuddy(self.appointments)
        measures_caption = QLabel(tr("Outcome &measures due:"))
        measures_caption.setBuddy(self.measures)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.appointments_hint)
        layout.addWidget(self.appointments, 2)
        layout.addWidget(measures_caption)
        layout.addWidget(self.measures_hint)
        layout.addWidget(self.measures, 1)
        for w in (self.appointments, self.measures):
            w.itemActivated.connect(self._activated)

    def show_items(self, coming: list[Booked], due: list[DueCheckIn]) -> None:
        self.appointments.clear()
        for b in coming:
            a = b.appointment
            text = short_date(a.starts_at.astimezone().date()) + " " + appointment_line(b)
            if a.ride is not None and not a.ride.completed:
                text += " · " + tr("pick-up: {place}").format(place=a.ride.pickup)
            self._add(self.appointments, text, ("appointment", a.id, a.starts_at))
        self.appointments_hint.setText(
            tr("Nothing scheduled for today or the next 24 hours.") if not coming else ""
        )
        self.appointments_hint.setVisible(not coming)
        self.measures.clear()
        for d in due:
            text = tr("{name}: outcome check-in due {day}").format(
                name=d.name, day=short_date(d.due)
            )
            self._add(self.measures, text, ("record", d.participant_id))
        self.measures_hint.setText(tr("No outcome measures due.") if not due else "")
        self.measures_hint.setVisible(not due)

    @staticmethod
    def _add(widget: QListWidget, text: str, target: tuple[object, ...]) -> None:
        item = QListWidgetItem(text)
        item.setData(TARGET_ROLE, target)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        widget.addItem(item)

    def selected_appointment(self) -> str | None:
        item = self.appointments.currentItem()
        return None if item is None else str(item.data(TARGET_ROLE)[1])

    def _activated(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if target and target[0] == "appointment":
            self.open_appointment.emit(target[1], target[2])
        elif target and target[0] == "record":
            self.open_record.emit(target[1])

    def clear_items(self) -> None:
        self.appointments.clear()
        self.measures.clear()
        self.appointments_hint.clear()
        self.measures_hint.clear()
