"""The Today screen: the specialist's day as a task list.

- the big actions (:mod:`ui.screens.today_tasks`): "Write a note", "Log a ride"
  (the selected coming-up ride becomes its trip, else the Trips form), "Sync now";
- coming up: appointments and rides due today or in the next 24 hours, and
  outcome measures due;

- notes: every draft still to finish (oldest first, each with when it should be
  signed; drafts older than the policy's ``sign_within_days`` say "Overdue" in
  words, not by colour), and the notes signed today;
- today's trips with their miles, and the day's total;
- how many changes wait to sync (and how many the agency held back);
- this month so far: billable units, notes (and how many are flagged: unsigned,
  not approved yet, over the daily cap...), miles and their reimbursement
  (``session.reports.month_summary``), with "Export mileage claim…" for the peer's own
  reimbursement (no participant data in it; still warned about and audited).

Everything is read through the service API on the task manager's DB thread, in one
job, every time the screen is shown and when notes, trips, participants or what
waits to sync changed while it is shown. Activating an item (Enter, double click) asks the window to open it:
:attr:`TodayScreen.open_note` with a note id, :attr:`TodayScreen.open_trip` with a
trip id and its date; a draft also opens with "Open draft" (a hint says so).
:meth:`TodayScreen.clear` drops every decrypted value (lock).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.exports import REDISCLOSURE_NOTICE
from peerdesk.domain.mileage import trip_miles
from peerdesk.domain.models import Note
from peerdesk.domain.workforce import WorkforceStatus
from peerdesk.errors import PeerDeskError, ValidationError
from peerdesk.services import OpResult, Session
from ui import labels
from ui.dialogs.export import ExportWarningDialog, ask_export_path
from ui.errors import message_for
from ui.formats import clock_time, long_date, money, month_name, number, short_date
from ui.i18n import tr
from ui.operations import Follower, change
from ui.screens.crisis import CrisisPanel, OneCrisisPanel, chosen_participant, crisis_button
from ui.screens.today_data import DraftDue, TodayData, draft_due, load_today
from ui.screens.today_tasks import ComingUp, TaskBar
from ui.taskman import Latest, TaskManager
from ui.widgets import list_texts, list_widget
from ui.workforce_labels import Level, expiry_text, level_word, progress_text

__all__ = ["DraftDue", "TodayData", "TodayScreen", "draft_due", "load_today"]
_ = (DraftDue, TodayData, draft_due, load_today)  # re-exported: the screen's API

#: item data: ("note", id) or ("trip", id, date)
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1


class TodayScreen(QWidget):
    """Drafts to finish, notes signed today, today's trips and what waits to sync."""

    #: the id of a note to open in the editor
    open_note = Signal(str)
    #: the id and date of a trip to show in the Trips screen
    open_trip = Signal(str, object)
    #: the big actions: a new note, log a ride (the selected appointment's id or
    #: ""), sync now
    write_note = Signal()
    log_ride = Signal(str)
    sync_now = Signal()

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self._today = today
        self._now = now
        self._latest = Latest()
        self.data: TodayData | None = None
        self.setObjectName("todayScreen")
        self.setAccessibleName(tr("Today"))

        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton(tr("&Refresh"))
        self.refresh_button.setAccessibleName(tr("Refresh today"))
        self.refresh_button.setToolTip(tr("Read the day again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        refresh_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh_key.activated.connect(self.refresh)

        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary)
        top.addLayout(heading, 1)
        self.crisis_button = crisis_button()
        self.crisis_button.clicked.connect(lambda: self.open_crisis())
        self.crisis = OneCrisisPanel()
        top.addWidget(self.crisis_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)

        self.coming = ComingUp()
        self.tasks = TaskBar()
        self.tasks.write_note.connect(self.write_note)
        self.tasks.sync_now.connect(self.sync_now)
        self.tasks.log_ride.connect(
            lambda: self.log_ride.emit(self.coming.selected_appointment() or "")
        )
        self.sync_said = self._hint()
        self.drafts = list_widget(tr("Drafts to finish"))
        self.signed = list_widget(tr("Notes signed today"))
        self.trips = list_widget(tr("Trips today"))
        self.drafts_hint = self._hint()
        self.signed_hint = self._hint()
        self.trips_hint = self._hint()
        self.trip_total = QLabel()
        self.sync_counts = QLabel()
        self.sync_counts.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.work_line = QLabel()
        self.work_line.setWordWrap(True)
        self.work_line.setAccessibleName(tr("My work reminders"))
        self.work_line.hide()

        self.open_draft_button = QPushButton(tr("&Open draft"))
        self.open_draft_button.clicked.connect(self.open_selected_draft)
        self.drafts_how = QLabel(
            tr("Select a draft and press Enter (or Open draft) to go on writing it.")
        )
        self.drafts_how.setWordWrap(True)
        notes_box = QGroupBox(tr("Notes"))
        notes = QVBoxLayout(notes_box)
        notes.addWidget(self._caption(tr("&Drafts to finish:"), self.drafts))
        notes.addWidget(self.drafts_hint)
        notes.addWidget(self.drafts, 3)
        draft_row = QHBoxLayout()
        draft_row.addWidget(self.drafts_how, 1)
        draft_row.addWidget(self.open_draft_button)
        notes.addLayout(draft_row)
        notes.addWidget(self._caption(tr("&Signed today:"), self.signed))
        notes.addWidget(self.signed_hint)
        notes.addWidget(self.signed, 2)

        trips_box = QGroupBox(tr("Trips"))
        trips = QVBoxLayout(trips_box)
        trips.addWidget(self._caption(tr("&Trips today:"), self.trips))
        trips.addWidget(self.trips_hint)
        trips.addWidget(self.trips, 1)
        trips.addWidget(self.trip_total)

        sync_box = QGroupBox(tr("Waiting to sync"))
        sync = QVBoxLayout(sync_box)
        sync.addWidget(self.sync_counts)
        sync.addWidget(self.sync_said)

        self.month_box = QGroupBox(tr("This month"))
        self.month_box.setObjectName("monthSummary")
        month = QVBoxLayout(self.month_box)
        self.month_summary = QLabel()
        self.month_summary.setObjectName("monthSummaryText")
        self.month_summary.setWordWrap(True)
        self.month_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.month_summary.setAccessibleName(tr("This month's units and miles"))
        self.claim_button = QPushButton(tr("Export mileage &claim…"))
        self.claim_button.setAccessibleName(tr("Export this month's mileage claim as CSV"))
        self.claim_button.setToolTip(
            tr("Your trips of this month for reimbursement: no participant data in it")
        )
        self.claim_button.clicked.connect(lambda: self.export_claim())
        self.claim_status = QLabel()
        self.claim_status.setWordWrap(True)
        self.claim_status.hide()
        month.addWidget(self.month_summary)
        claim_row = QHBoxLayout()
        claim_row.addStretch(1)
        claim_row.addWidget(self.claim_button)
        month.addLayout(claim_row)
        month.addWidget(self.claim_status)

        right = QVBoxLayout()
        right.addWidget(self.month_box)
        right.addWidget(trips_box, 1)
        right.addWidget(sync_box)
        columns = QHBoxLayout()
        columns.addWidget(self.coming, 3)
        columns.addWidget(notes_box, 3)
        columns.addLayout(right, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tasks)
        layout.addWidget(self.problem)
        layout.addWidget(self.work_line)
        layout.addLayout(columns, 1)

        for widget in (self.drafts, self.signed, self.trips):
            widget.itemActivated.connect(self._activated)
        self.setTabOrder(self.tasks.sync_button, self.coming.appointments)
        self.setTabOrder(self.coming.appointments, self.coming.measures)
        self.setTabOrder(self.coming.measures, self.drafts)
        self.setTabOrder(self.drafts, self.open_draft_button)
        self.setTabOrder(self.open_draft_button, self.signed)
        self.setTabOrder(self.signed, self.trips)
        self.setTabOrder(self.trips, self.claim_button)
        self.setTabOrder(self.claim_button, self.refresh_button)
        # A window left open over midnight moves on to the new day by itself.
        self.midnight = QTimer(self)
        self.midnight.setSingleShot(True)
        self.midnight.timeout.connect(self._new_day)
        self._show_title(self._today())
        kinds = {"participants", "notes", "trips", "outbox", "workforce", "record"}
        Follower(self, taskman, kinds, self.refresh, on_every_show=True)

    # --- building ---------------------------------------------------------------------

    @staticmethod
    def _hint() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.hide()
        return label

    @staticmethod
    def _caption(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _show_title(self, day: date) -> None:
        self.title.setText(tr("Today, {date}").format(date=long_date(day)))

    # --- loading ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the day again (on the DB thread)."""
        if self.taskman.closed:
            return
        only = self._latest.begin()
        day = self._today()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, PeerDeskError):
                raise exc
            self.problem.setText(message_for(exc))
            self.problem.show()

        now = self._now() if self._now is not None else None
        self.taskman.db(load_today, self.session, day, now).success(only(self.show_data)).failure(
            only(failed)
        ).run()

    # --- crisis (issue 21) -------------------------------------------------------------

    def crisis_participant(self) -> tuple[str, str] | None:
        """The participant of the note chosen in a list, if one is."""
        return chosen_participant(self.data, (self.drafts, self.signed), TARGET_ROLE)

    def open_crisis(self, who: tuple[str, str] | None = None) -> CrisisPanel | None:
        """The crisis panel of ``who``, else of the chosen note's participant, else
        of someone picked from the caseload."""
        who = who or self.crisis_participant()
        return self.crisis.open_or_ask(self.session, self.taskman, who, self)

    # --- showing ----------------------------------------------------------------------

    def _new_day(self) -> None:
        if self.isVisible():
            self.refresh()

    def show_data(self, data: TodayData) -> None:
        self.data = data
        self._show_title(data.day)
        tomorrow = datetime.combine(data.day + timedelta(days=1), time(0, 0, 1)).astimezone()
        wait_ms = (tomorrow - datetime.now().astimezone()).total_seconds() * 1000
        self.midnight.start(int(min(max(wait_ms, 1000), 24 * 3600 * 1000)))
        within = self.session.policy.sign_within_days
        names = data.names

        def who(note: Note) -> str:
            return names.get(note.participant_id, tr("(unknown participant)"))

        self.drafts.clear()
        overdue = 0
        dues = [
            (draft_due(n.start_at.astimezone().date(), data.day, within), n) for n in data.drafts
        ]
        dues.sort(key=lambda pair: (not pair[0].overdue, pair[1].start_at))
        for due, note in dues:
            overdue += due.overdue
            item = self._add(self.drafts, self._draft_text(who(note), note, due), ("note", note.id))
            if due.overdue:  # said in words first; bold only adds to it
                font = item.font()
                font.setBold(True)
                item.setFont(font)
        self._say_empty(
            self.drafts, self.drafts_hint, tr("No drafts waiting. All notes are signed.")
        )
        if self.drafts.count() and self.drafts.currentItem() is None:
            self.drafts.setCurrentRow(0)
        self.open_draft_button.setEnabled(self.drafts.count() > 0)
        self.drafts_how.setVisible(self.drafts.count() > 0)
        self.coming.show_items(data.coming, data.measures_due)

        self.signed.clear()
        for note in data.signed:
            signed_at = note.signed_at or note.updated_at
            text = tr("{name} · {template}, contact on {day} · signed at {time}").format(
                name=who(note),
                template=labels.template_short_names()[note.template],
                day=short_date(note.start_at.astimezone().date()),
                time=clock_time(signed_at),
            )
            self._add(self.signed, text, ("note", note.id))
        self._say_empty(self.signed, self.signed_hint, tr("No notes signed today yet."))

        self.trips.clear()
        total = Decimal(0)
        unreadable = 0
        for trip in data.trips:
            try:
                miles = trip_miles(trip)
            except ValidationError:
                unreadable += 1
                miles_text = tr("miles unclear: check the odometer readings")
            else:
                total += miles
                miles_text = tr("{miles} miles").format(miles=number(miles))
            parts = [
                labels.purpose_names()[trip.purpose],
                labels.destination_type_names()[trip.destination_type],
                miles_text,
            ]
            if trip.with_participant:
                parts.append(
                    tr("with {name}").format(name=names[trip.participant_id])
                    if trip.participant_id in names
                    else tr("with a participant")
                )
            self._add(self.trips, " · ".join(parts), ("trip", trip.id, trip.trip_date))
        self._say_empty(self.trips, self.trips_hint, tr("No trips logged today."))
        counted = len(data.trips) - unreadable
        self.trip_total.setText(
            tr("Total today: %n trip(s)", None, counted)
            + ", "
            + tr("{miles} miles").format(miles=number(total))
        )

        self.sync_counts.setText(
            tr("%n change(s) waiting to sync.", None, data.pending)
            + " "
            + tr("%n held back by the agency.", None, data.held_back)
        )

        summary = [
            tr("%n draft(s) to finish", None, len(data.drafts)),
            tr("%n overdue", None, overdue),
            tr("%n signed today", None, len(data.signed)),
            tr("%n trip(s) today", None, len(data.trips)),
            tr("%n appointment(s) coming up", None, len(data.coming)),
            tr("%n unsynced change(s)", None, data.pending),
        ]
        self.summary.setText(" · ".join(summary))
        self._show_month(data)
        problems = []
        if data.damaged:
            problems.append(
                tr("%n damaged record(s) could not be read and are not shown.", None, data.damaged)
            )
        self.problem.setText(" ".join(problems))
        self.problem.setVisible(bool(problems))
        self._show_work(data.work)

    def _show_work(self, work: WorkforceStatus | None) -> None:
        """Certification and supervision reminders (words; only when due)."""
        said = []
        if work is not None:
            text, level = expiry_text(work.expiry)
            if level is not Level.GOOD:
                said.append(tr("Certification: {state}, {text}.").format(
                    state=level_word(level), text=text
                ))  # fmt: skip
            text, level = progress_text(work.supervision)
            if level is not Level.GOOD:
                said.append(tr("Supervision this period: {text}.").format(text=text))
        self.work_line.setText(tr("My work: ") + " ".join(said) if said else "")
        self.work_line.setVisible(bool(said))

    def _show_month(self, data: TodayData) -> None:
        self.month_box.setTitle(
            tr("This month: {month}").format(month=month_name(data.day.year, data.day.month))
        )
        month = data.month
        if month is None:
            reason = message_for(data.month_error) if data.month_error else ""
            self.month_summary.setText(
                tr("The month's units and miles could not be counted. {reason}")
                .format(reason=reason)
                .strip()
            )
            return
        lines = [
            tr("Billable units: {units} from %n note(s)", None, month.notes).format(
                units=month.units
            ),
            tr(
                "Flagged notes: {flagged} (unsigned, not approved yet or over the day's limit)"
            ).format(flagged=month.flagged),
            tr("Miles: {miles} · reimbursement {amount} at {rate} a mile").format(
                miles=number(month.miles),
                amount=money(month.amount),
                rate=money(self.session.policy.mileage_rate),
            ),
        ]
        self.month_summary.setText("\n".join(lines))

    # --- mileage claim ----------------------------------------------------------------

    def export_claim(
        self,
        path: str | None = None,
        confirm: Callable[[ExportWarningDialog], bool] | None = None,
    ) -> None:
        """Export this month's mileage claim as CSV: a warning that a plain file is
        written (it holds no participant data), then where to (``path`` skips the
        file dialog), then the core writes it whole and audits it."""
        if self.taskman.closed:
            return
        day = self._today()
        title = tr("Mileage claim, {month}").format(month=month_name(day.year, day.month))
        dialog = ExportWarningDialog(title, "csv", REDISCLOSURE_NOTICE, self, identifiable=False)
        try:
            ok = (confirm or (lambda d: d.exec() == ExportWarningDialog.DialogCode.Accepted))(
                dialog
            )
        finally:
            dialog.deleteLater()
        if not ok:
            return
        suggested = f"mileage-claim-{day.year:04d}-{day.month:02d}.csv"
        target = path or ask_export_path(self, suggested, "csv")
        if target is None:
            return
        self.claim_button.setEnabled(False)

        def work() -> OpResult[int]:
            claim = self.session.reports.mileage_claim(day.year, day.month)
            return self.session.reports.export_report(claim, target, "csv")

        def done(written: OpResult[int]) -> None:
            rows = written.value
            self.claim_button.setEnabled(True)
            self._claim_said(
                tr("Mileage claim written to {path} (%n line(s)).", None, rows).format(path=target)
            )

        def failed(exc: BaseException) -> None:
            self.claim_button.setEnabled(True)
            if not isinstance(exc, PeerDeskError):
                raise exc
            self._claim_said(tr("Problem: {message}").format(message=message_for(exc)))

        change(self.taskman, work).origin(self).success(done).failure(failed).run()

    def _claim_said(self, text: str) -> None:
        self.claim_status.setText(text)
        self.claim_status.setVisible(bool(text))

    def _draft_text(self, name: str, note: Note, due: DraftDue) -> str:
        contact = tr("{name} · {template}, contact on {day}").format(
            name=name,
            template=labels.template_short_names()[note.template],
            day=short_date(due.contact_day),
        )
        if due.overdue:
            status = tr(
                "OVERDUE by %n day(s): it was due to be signed by {due}", None, -due.days_left
            )
        elif due.days_left == 0:
            status = tr("due today: sign it by the end of {due}")
        else:
            status = tr("sign within %n day(s), by {due}", None, due.days_left)
        return contact + " · " + status.format(due=short_date(due.due))

    @staticmethod
    def _add(widget: QListWidget, text: str, target: tuple[object, ...]) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(TARGET_ROLE, target)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        widget.addItem(item)
        return item

    @staticmethod
    def _say_empty(widget: QListWidget, hint: QLabel, text: str) -> None:
        empty = widget.count() == 0
        hint.setText(text if empty else "")
        hint.setVisible(empty)

    #: the lines of one of the lists (for tests and screen readers)
    texts = staticmethod(list_texts)

    # --- activation -------------------------------------------------------------------

    def open_selected_draft(self) -> None:
        item = self.drafts.currentItem()
        if item is not None:
            self._activated(item)

    def say_sync(self, text: str) -> None:
        """What "Sync now" did (the window tells)."""
        self.sync_said.setText(text)
        self.sync_said.setVisible(bool(text))

    def _activated(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if not target:
            return
        if target[0] == "note":
            self.open_note.emit(target[1])
        elif target[0] == "trip":
            self.open_trip.emit(target[1], target[2])

    # --- lock -------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop every decrypted value (on lock); results still on their way are ignored."""
        self._latest.drop()
        self.data = None
        self.midnight.stop()
        for widget in (self.drafts, self.signed, self.trips):
            widget.clear()
        self.coming.clear_items()
        for label in (
            self.sync_said,
            self.summary,
            self.trip_total,
            self.sync_counts,
            self.problem,
            self.work_line,
            self.drafts_hint,
            self.signed_hint,
            self.trips_hint,
            self.month_summary,
            self.claim_status,
        ):
            label.clear()
