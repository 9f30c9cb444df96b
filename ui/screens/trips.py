"""The trips screen: log a ride quickly, see a month of rides and its mileage.

Every call to the profile goes through the task manager's DB thread; the screen
only ever shows what came back. Problems with what was typed are said in words
next to the field at fault (``ValidationError.field``), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.mileage import monthly_summaries, trip_miles
from peerdesk.domain.models import DestinationType, Participant, Trip, TripPurpose
from peerdesk.errors import PeerDeskError, ValidationError
from peerdesk.services import Session
from ui import labels
from ui.errors import message_for
from ui.formats import number
from ui.i18n import tr
from ui.operations import Follower, change
from ui.taskman import TaskManager
from ui.widgets import FormFields

__all__ = ["TripsScreen", "format_totals"]


def format_totals(trips: int, miles: Decimal, amount: Decimal, rate: Decimal) -> str:
    """ "2 trips, 17.5 miles, $12.25 at $0.70/mile"."""
    count = tr("1 trip") if trips == 1 else tr("{n} trips").format(n=trips)
    return tr("{count}, {miles} miles, ${amount} at ${rate}/mile").format(
        count=count,
        miles=number(miles),
        amount=format(amount.quantize(Decimal("0.01")), "f"),
        rate=format(rate, "f"),
    )


def _nothing() -> None:
    """A no-op DB job: its callback runs after every job queued before it."""


class TripsScreen(QWidget):
    """Quick trip entry, a month of trips in a table, and that month's totals.

    ``refresh()`` reloads the month shown, ``reload_participants()`` the
    participant choices (both again when trips or participants changed
    elsewhere), ``clear()`` drops every decrypted value from the widgets (call it
    when the profile locks).
    """

    FIELDS = (
        "trip_date",
        "purpose",
        "destination_type",
        "odometer_start",
        "odometer_end",
        "miles",
        "participant_id",
        "destination",
        "notes",
    )

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        mileage_rate: Decimal,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.mileage_rate = Decimal(mileage_rate)
        self._saving = False
        self._month_request = 0
        self._trips: list[Trip] = []
        self._names: dict[str, str] = {}
        self.setObjectName("tripsScreen")
        self.setAccessibleName(tr("Trips"))

        layout = QVBoxLayout(self)
        layout.addWidget(self._build_form())
        layout.addWidget(self._build_month(), 1)

        self._use_odometer(False)
        Follower(self, taskman, {"trips"}, self.refresh)
        Follower(self, taskman, {"participants"}, self.reload_participants)
        self.refresh()
        self.reload_participants()

    # --- building ---------------------------------------------------------------------

    def _build_form(self) -> QGroupBox:
        box = QGroupBox(tr("Log a trip"))
        self.form_box = box
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Trip form status"))
        self.form_fields = FormFields(self.status)
        self.fields = self.form_fields.fields

        self.trip_date = QDateEdit(QDate.currentDate())
        self.trip_date.setCalendarPopup(True)
        self.trip_date.setDisplayFormat("yyyy-MM-dd")
        self.form_fields.add(form, tr("&Date:"), self.trip_date, "trip_date")

        self.purpose = QComboBox()
        for p in TripPurpose:
            self.purpose.addItem(labels.purpose_names()[p], p.value)
        self.form_fields.add(form, tr("&Purpose:"), self.purpose, "purpose")

        self.destination_type = QComboBox()
        for d in DestinationType:
            self.destination_type.addItem(labels.destination_type_names()[d], d.value)
        self.form_fields.add(
            form, tr("Destination &type:"), self.destination_type, "destination_type"
        )

        # How the distance is given: odometer readings or miles.
        self.by_miles = QRadioButton(tr("&Miles driven"))
        self.by_odometer = QRadioButton(tr("&Odometer readings"))
        self.by_miles.setChecked(True)
        self.distance_mode = QButtonGroup(self)
        self.distance_mode.addButton(self.by_miles)
        self.distance_mode.addButton(self.by_odometer)
        modes = QWidget()
        modes.setAccessibleName(tr("Distance given as"))
        mode_row = QHBoxLayout(modes)
        mode_row.setContentsMargins(0, 0, 0, 0)
        mode_row.addWidget(self.by_miles)
        mode_row.addWidget(self.by_odometer)
        mode_row.addStretch(1)
        form.addRow(QLabel(tr("Distance:")), modes)
        self.by_odometer.toggled.connect(self._use_odometer)

        self.miles = QLineEdit()
        self.miles.setPlaceholderText(tr("for example 12.5"))
        self.form_fields.add(form, tr("Mi&les:"), self.miles, "miles")
        self.odometer_start = QLineEdit()
        self.form_fields.add(form, tr("Odometer &start:"), self.odometer_start, "odometer_start")
        self.odometer_end = QLineEdit()
        self.form_fields.add(form, tr("Odometer &end:"), self.odometer_end, "odometer_end")

        self.participant = QComboBox()
        self.participant.addItem(tr("(no participant)"), None)
        self.form_fields.add(form, tr("P&articipant:"), self.participant, "participant_id")
        self.with_participant = QCheckBox(tr("The participant rode &with me"))
        self.with_participant.setAccessibleName(tr("With participant"))
        form.addRow(QLabel(), self.with_participant)

        self.destination = QLineEdit()
        self.destination.setPlaceholderText(tr("place name or address (kept encrypted)"))
        self.form_fields.add(form, tr("Desti&nation:"), self.destination, "destination")
        self.notes = QLineEdit()
        self.form_fields.add(form, tr("No&tes:"), self.notes, "notes")

        self.save_button = QPushButton(tr("&Save trip"))
        self.save_button.setAccessibleName(tr("Save trip"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)

        outer = QVBoxLayout(box)
        outer.addLayout(form)
        outer.addLayout(buttons)

        # Enter saves from anywhere in the form (line edits, combos, the date).
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), box)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        return box

    def _build_month(self) -> QGroupBox:
        box = QGroupBox(tr("Trips by month"))
        self.month = QDateEdit(QDate.currentDate())
        self.month.setDisplayFormat("MMMM yyyy")
        self.month.setCurrentSection(QDateEdit.Section.MonthSection)
        self.month.setAccessibleName(tr("Month"))
        self.month.dateChanged.connect(lambda _d: self.refresh())
        month_label = QLabel(tr("Mont&h:"))
        month_label.setBuddy(self.month)
        top = QHBoxLayout()
        top.addWidget(month_label)
        top.addWidget(self.month)
        top.addStretch(1)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                tr("Date"),
                tr("Purpose"),
                tr("Destination type"),
                tr("Destination"),
                tr("With participant"),
                tr("Miles"),
            ]
        )
        self.table.setAccessibleName(tr("Trips of the month"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.totals = QLabel()
        self.totals.setAccessibleName(tr("Month totals"))
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.damaged = QLabel()
        self.damaged.setWordWrap(True)
        self.damaged.setVisible(False)

        layout = QVBoxLayout(box)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.damaged)
        return box

    # --- form -------------------------------------------------------------------------

    def _use_odometer(self, on: bool) -> None:
        self.odometer_start.setEnabled(on)
        self.odometer_end.setEnabled(on)
        self.miles.setEnabled(not on)
        for key in ("odometer_start", "odometer_end", "miles"):
            self.fields[key].set_error("")

    def error_of(self, field: str) -> str:
        """The message shown next to ``field`` ("" when none)."""
        return self.form_fields.error_of(field)

    def _decimal(self, editor: QLineEdit, field: str) -> Decimal | None:
        text = editor.text().strip().replace(",", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise ValidationError(tr("enter a number, for example 12.5"), field=field)
        return value

    def clear_form(self) -> None:
        """Back to an empty trip for today (keeps the purpose and distance choice)."""
        self.trip_date.setDate(QDate.currentDate())
        for editor in (self.miles, self.odometer_start, self.odometer_end):
            editor.clear()
        self.destination.clear()
        self.notes.clear()
        self.participant.setCurrentIndex(0)
        self.with_participant.setChecked(False)
        self.form_fields.clear()

    def save(self) -> None:
        """Check what can be checked here, then save on the DB thread."""
        if self._saving:
            return
        self.form_fields.clear()
        odometer = self.by_odometer.isChecked()
        try:
            start = self._decimal(self.odometer_start, "odometer_start") if odometer else None
            end = self._decimal(self.odometer_end, "odometer_end") if odometer else None
            miles = None if odometer else self._decimal(self.miles, "miles")
        except ValidationError as exc:
            self.form_fields.set_error(exc.field, str(exc))
            return
        qdate = self.trip_date.date()
        kwargs: dict[str, Any] = {
            "with_participant": self.with_participant.isChecked(),
            "participant_id": self.participant.currentData(),
            "odometer_start": start,
            "odometer_end": end,
            "miles": miles,
            "destination": self.destination.text(),
            "notes": self.notes.text(),
        }
        self._saving = True
        self.save_button.setEnabled(False)
        self.status.setText(tr("Saving…"))
        (
            change(
                self.taskman,
                self.session.trips.add,
                date(qdate.year(), qdate.month(), qdate.day()),
                self.purpose.currentData(),
                self.destination_type.currentData(),
                **kwargs,
            )
            .origin(self)
            .success(lambda done: self._saved(done.value))
            .failure(self._save_failed)
            .run()
        )

    def _saved(self, trip: Trip) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.clear_form()
        self.status.setText(
            tr("Trip of {date} saved: {miles} miles.").format(
                date=trip.trip_date.isoformat(), miles=number(trip_miles(trip))
            )
        )
        self.refresh()
        self.trip_date.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.form_fields.show_failure(exc, tr("The trip was not saved; please check the form."))

    # --- participants -----------------------------------------------------------------

    def reload_participants(self) -> None:
        def names(result: Any) -> None:
            self.set_participants(result.items)

        self.taskman.db(self.session.participants.list).success(names).failure(
            self._load_failed
        ).run()

    def set_participants(self, participants: Sequence[Participant]) -> None:
        current = self.participant.currentData()
        self._names = {p.id: p.display_name for p in participants}
        self.participant.blockSignals(True)
        self.participant.clear()
        self.participant.addItem(tr("(no participant)"), None)
        for p in participants:
            self.participant.addItem(p.display_name, p.id)
        index = self.participant.findData(current) if current else 0
        self.participant.setCurrentIndex(max(index, 0))
        self.participant.blockSignals(False)

    # --- month ------------------------------------------------------------------------

    def shown_month(self) -> tuple[int, int]:
        d = self.month.date()
        return d.year(), d.month()

    def set_month(self, year: int, month: int) -> None:
        self.month.setDate(QDate(year, month, 1))  # refreshes through dateChanged

    def refresh(self) -> None:
        """Reload the trips of the month shown."""
        year, month = self.shown_month()
        self._month_request += 1
        request = self._month_request

        def show(result: Any) -> None:
            if request == self._month_request:
                self._show_month(year, month, result.items, len(result.damaged))

        self.taskman.db(self.session.trips.list, year=year, month=month).success(show).failure(
            self._load_failed
        ).run()

    def show_trip(self, trip_id: str, day: date) -> None:
        """Show a trip: its month, with its row selected."""
        if self.shown_month() != (day.year, day.month):
            self.set_month(day.year, day.month)  # reads that month
        # The DB thread runs jobs in order, so this comes after the month's read.
        self.taskman.db(_nothing).success(lambda _none: self._select(trip_id)).run()

    def _select(self, trip_id: str) -> None:
        for row, trip in enumerate(self._trips):
            if trip.id == trip_id:
                self.table.setCurrentCell(row, 0)
                self.table.selectRow(row)
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _load_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.damaged.setText(message_for(exc))
        self.damaged.setVisible(True)

    def _show_month(self, year: int, month: int, trips: list[Trip], damaged: int) -> None:
        self._trips = list(trips)
        self.table.setRowCount(0)
        self.table.setRowCount(len(trips))
        yes, no = tr("Yes"), tr("No")
        bad_rows = 0
        for row, trip in enumerate(trips):
            try:
                miles = number(trip_miles(trip))
            except ValidationError:
                miles, bad_rows = tr("check readings"), bad_rows + 1
            cells = (
                trip.trip_date.isoformat(),
                labels.purpose_names()[trip.purpose],
                labels.destination_type_names()[trip.destination_type],
                trip.destination,
                yes if trip.with_participant else no,
                miles,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 5:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        good = []
        for trip in trips:
            try:
                trip_miles(trip)
            except ValidationError:
                continue
            good.append(trip)
        summaries = [
            s
            for s in monthly_summaries(good, self.mileage_rate)
            if (s.year, s.month) == (year, month)
        ]
        if summaries:
            s = summaries[0]
            text = format_totals(s.trips, s.total_miles, s.reimbursement, self.mileage_rate)
        else:
            text = format_totals(0, Decimal(0), Decimal(0), self.mileage_rate)
        self.totals.setText(text)
        problems = []
        if damaged:
            problems.append(
                tr("%n trip record(s) of this month are damaged and not shown.", None, damaged)
            )
        if bad_rows:
            problems.append(
                tr(
                    "%n trip(s) with readings that do not add up: not counted.",
                    None,
                    bad_rows,
                )
            )
        self.damaged.setText(" ".join(problems))
        self.damaged.setVisible(bool(problems))

    @property
    def trips(self) -> list[Trip]:
        """The trips of the month shown, as last loaded."""
        return list(self._trips)

    def clear(self) -> None:
        """Drop every decrypted value from the screen (on lock)."""
        self._month_request += 1  # results still on their way are ignored
        self._trips = []
        self._names = {}
        self.table.setRowCount(0)
        self.totals.setText("")
        self.clear_form()
        self.set_participants([])
