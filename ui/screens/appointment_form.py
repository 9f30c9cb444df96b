"""The appointment dialog (schedule or change one, plan its ride) and the
ride-done dialog (the miles driven and the times: the ride becomes its trip).

The dialogs only gather what is typed; the week screen runs the service calls.
Their problem line and Save / Cancel are :class:`ui.dialogs.saving.FormDialog`'s
(Enter saves, after the check; Esc cancels).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.appointments import Appointment, AppointmentStatus, Ride, check_appointment
from peerdesk.domain.models import DestinationType, TripPurpose
from peerdesk.domain.times import local_moment
from peerdesk.errors import ValidationError
from ui import labels
from ui.dialogs.saving import FormDialog
from ui.errors import message_for
from ui.i18n import tr

__all__ = ["AppointmentDialog", "RideDoneDialog", "RideDone"]


def _edit_time(moment: datetime) -> QDateTimeEdit:
    local = moment.astimezone()
    edit = QDateTimeEdit(
        QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    )
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    return edit


def _moment(edit: QDateTimeEdit) -> datetime:
    value = edit.dateTime().toPython()
    assert isinstance(value, datetime)
    return local_moment(value.replace(second=0, microsecond=0))


def _miles_box(value: Decimal | None) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0, 999.9)
    box.setDecimals(1)
    box.setSuffix(tr(" mi"))
    box.setValue(float(value or 0))
    return box


class AppointmentDialog(FormDialog):
    """Schedule or change an appointment; ``lookup(service_id, fill)`` reads a
    directory service's place (on the DB thread) and calls ``fill`` with it."""

    def __init__(
        self,
        people: Sequence[tuple[str, str]],
        services: Sequence[tuple[str, str]],
        lookup: Callable[[str, Callable[[str], None]], None],
        *,
        start: datetime,
        existing: Appointment | None = None,
        participant_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Change appointment") if existing else tr("New appointment"), parent)
        self.existing = existing
        self._lookup = lookup
        self.person = QComboBox()
        self.person.setAccessibleName(tr("Participant"))
        for pid, name in people:
            self.person.addItem(name, pid)
        chosen = existing.participant_id if existing else participant_id
        if chosen is not None and self.person.findData(chosen) >= 0:
            self.person.setCurrentIndex(self.person.findData(chosen))
        self.person.setEnabled(existing is None)
        self.when = _edit_time(existing.starts_at if existing else start)
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 24 * 60)
        self.minutes.setSingleStep(15)
        self.minutes.setSuffix(tr(" min"))
        self.minutes.setValue(existing.minutes if existing else 60)
        self.what = QLineEdit(existing.what if existing else "")
        self.what.setPlaceholderText(tr("e.g. Intake with Dr. Ames"))
        self.service = QComboBox()
        self.service.setAccessibleName(tr("Service from the directory"))
        self.service.addItem(tr("(none: type the place)"), None)
        for sid, name in services:
            self.service.addItem(name, sid)
        if existing and existing.service_id and self.service.findData(existing.service_id) >= 0:
            self.service.setCurrentIndex(self.service.findData(existing.service_id))
        self.place = QLineEdit(existing.place if existing else "")
        self.service.currentIndexChanged.connect(self._service_chosen)

        ride = existing.ride if existing else None
        self.ride_box = QGroupBox(tr("Plan a &ride to it"))
        self.ride_box.setCheckable(True)
        self.ride_box.setChecked(ride is not None)
        self.pickup = QLineEdit(ride.pickup if ride else "")
        self.pickup.setPlaceholderText(tr("e.g. Home, or the shelter on 3rd St"))
        self.destination = QLineEdit(ride.destination if ride else "")
        self.estimated = _miles_box(ride.estimated_miles if ride else None)
        self.round_trip = QCheckBox(tr("R&ound trip"))
        self.round_trip.setChecked(ride.round_trip if ride else True)
        if ride is not None and ride.completed:
            self.ride_box.setEnabled(False)
            self.ride_box.setToolTip(tr("This ride is logged as a trip already"))
        ride_form = QFormLayout(self.ride_box)
        ride_form.addRow(tr("&Pick-up:"), self.pickup)
        ride_form.addRow(tr("&Destination:"), self.destination)
        ride_form.addRow(tr("&Estimated miles:"), self.estimated)
        ride_form.addRow("", self.round_trip)

        form = QFormLayout()
        form.addRow(tr("P&articipant:"), self.person)
        form.addRow(tr("&When:"), self.when)
        form.addRow(tr("&Length:"), self.minutes)
        form.addRow(tr("W&hat, with whom:"), self.what)
        form.addRow(tr("&Service:"), self.service)
        form.addRow(tr("Pla&ce:"), self.place)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.ride_box)
        layout.addWidget(self.problem)
        layout.addWidget(self.save_cancel())

    def _service_chosen(self) -> None:
        sid = self.service.currentData()
        if sid:

            def fill(place: str) -> None:
                self.place.setText(place)
                if not self.destination.text().strip():
                    self.destination.setText(place)

            self._lookup(sid, fill)

    def accept(self) -> None:
        """Save only what the rules accept; else say why and stay open."""
        try:
            check_appointment(self.value())
        except ValidationError as exc:
            self.show_problem(message_for(exc))
            return
        super().accept()

    def value(self) -> Appointment:
        """What the form says, as an appointment (the service checks it)."""
        ride = None
        if self.ride_box.isChecked():
            miles = Decimal(str(round(self.estimated.value(), 1)))
            ride = Ride(
                self.pickup.text(),
                self.destination.text(),
                miles if miles > 0 else None,
                self.round_trip.isChecked(),
            )
        now = datetime.now().astimezone()
        base = self.existing or Appointment(
            "", str(self.person.currentData() or ""), now, 60, "", now, now
        )
        return replace(
            base,
            starts_at=_moment(self.when),
            minutes=self.minutes.value(),
            what=self.what.text(),
            place=self.place.text(),
            service_id=self.service.currentData(),
            status=base.status if self.existing else AppointmentStatus.SCHEDULED,
            ride=ride,
        )


class RideDone:
    """What the ride-done dialog says."""

    def __init__(
        self,
        miles: Decimal,
        picked_up_at: datetime,
        returned_at: datetime,
        purpose: TripPurpose,
        destination_type: DestinationType,
    ) -> None:
        self.miles = miles
        self.picked_up_at = picked_up_at
        self.returned_at = returned_at
        self.purpose = purpose
        self.destination_type = destination_type


class RideDoneDialog(FormDialog):
    """The ride was driven: the miles and times (the trip is made from it)."""

    def __init__(self, appointment: Appointment, parent: QWidget | None = None) -> None:
        super().__init__(tr("Ride done: log it as a trip"), parent)
        ride = appointment.ride
        assert ride is not None
        guess = ride.estimated_miles
        if guess is not None and ride.round_trip:
            guess = guess * 2
        self.miles = _miles_box(guess)
        self.picked_up = _edit_time(appointment.starts_at - timedelta(minutes=30))
        self.returned = _edit_time(appointment.ends_at + timedelta(minutes=30))
        self.purpose = QComboBox()
        for p, name in labels.purpose_names().items():
            self.purpose.addItem(name, p)
        self.kind = QComboBox()
        for d, name in labels.destination_type_names().items():
            self.kind.addItem(name, d)
        intro = QLabel(
            tr("To {destination}, from {pickup}. The trip log gets this ride: nothing to type again.")
            .format(destination=ride.destination, pickup=ride.pickup)
        )  # fmt: skip
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("&Miles driven:"), self.miles)
        form.addRow(tr("&Picked up at:"), self.picked_up)
        form.addRow(tr("&Back at:"), self.returned)
        form.addRow(tr("P&urpose:"), self.purpose)
        form.addRow(tr("&Destination type:"), self.kind)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.save_cancel())

    def accept(self) -> None:
        """Save only a ride with miles; else say so and stay open."""
        if self.miles.value() <= 0:
            self.show_problem(tr("Enter the miles driven."))
            return
        super().accept()

    def value(self) -> RideDone:
        return RideDone(
            Decimal(str(round(self.miles.value(), 1))),
            _moment(self.picked_up),
            _moment(self.returned),
            TripPurpose(self.purpose.currentData()),
            DestinationType(self.kind.currentData()),
        )
