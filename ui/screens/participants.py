"""The participants screen: a filterable list of names, one participant's details
and notes history, and the add/edit form (:mod:`ui.screens.participant_form`).

Names are decrypted on the DB thread and kept only in the names model (in
memory, never written anywhere); :meth:`ParticipantsScreen.clear` drops them and
every shown detail, and is called when the profile locks. Problems with what was
typed are said in words next to the field at fault (``ValidationError.field``).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.models import Note, Participant
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from peerdesk.services.record import DueCheckIn
from ui import labels
from ui.errors import message_for
from ui.i18n import tr
from ui.operations import Follower, change
from ui.screens.crisis import CrisisPanel, OneCrisisPanel, crisis_button
from ui.screens.groups import GroupsDialog
from ui.screens.participant_form import NamesModel, ParticipantForm
from ui.screens.record import OneRecordWindow, RecordWindow
from ui.screens.referrals import ReferralsPanel
from ui.taskman import TaskManager
from ui.widgets import side_by_side

__all__ = ["NamesModel", "ParticipantForm", "ParticipantsScreen"]


class ParticipantsScreen(QWidget):
    """The participant list with a filter, the detail pane and the add/edit form.

    ``refresh()`` reloads the list (also when participants or notes changed
    elsewhere); ``clear()`` drops every decrypted name and detail from memory and
    the widgets (call it on lock).
    """

    #: "Write a note" / "New appointment…" for the participant shown (their id)
    write_note = Signal(str)
    new_appointment = Signal(str)

    def __init__(
        self, session: Session, taskman: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.current: Participant | None = None
        self.notes: list[Note] = []
        self._generation = 0  # bumped by clear(): late results are dropped
        self._detail_request = 0
        self._busy = False
        # its saves started here, so the follower left the due line alone
        self.records = OneRecordWindow(on_closed=self._load_due)
        self.setObjectName("participantsScreen")
        self.setAccessibleName(tr("Participants"))

        side_by_side(self, self._build_list(), self._build_right(), (1, 2))
        Follower(self, taskman, {"participants", "notes"}, self._changed_elsewhere)
        Follower(self, taskman, {"record"}, self._load_due)
        self.refresh()

    # --- building ---------------------------------------------------------------------

    def _build_list(self) -> QWidget:
        pane = QWidget()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(tr("type part of a name"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(tr("Filter participants"))
        filter_label = QLabel(tr("&Filter:"))
        filter_label.setBuddy(self.filter)

        self.model = NamesModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName(tr("Participants"))
        list_label = QLabel(tr("&Participants:"))
        list_label.setBuddy(self.list)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(tr("Participants shown"))

        self.add_button = QPushButton(tr("&Add participant"))
        self.edit_button = QPushButton(tr("&Edit"))
        self.edit_button.setAccessibleName(tr("Edit participant"))
        self.edit_button.setEnabled(False)
        self.add_button.clicked.connect(self.start_add)
        self.edit_button.clicked.connect(self.start_edit)
        self.record_button = QPushButton(tr("&Record and plan…"))
        self.record_button.setAccessibleName(
            tr("Open the recovery plan, enrollment, consents and outcomes")
        )
        self.record_button.setEnabled(False)
        self.record_button.clicked.connect(self.open_record)
        self.crisis_button = crisis_button()
        self.crisis_button.setEnabled(False)
        self.crisis_button.clicked.connect(self.open_crisis)
        self.crisis = OneCrisisPanel()
        self.note_button = QPushButton(tr("&Write a note"))
        self.note_button.setAccessibleName(tr("Write a note for this participant"))
        self.note_button.setEnabled(False)
        self.note_button.clicked.connect(self._write_note)
        self.appointment_button = QPushButton(tr("New appoin&tment…"))
        self.appointment_button.setAccessibleName(
            tr("Schedule an appointment for this participant")
        )
        self.appointment_button.setEnabled(False)
        self.appointment_button.clicked.connect(self._new_appointment)
        self.groups_button = QPushButton(tr("&Groups…"))
        self.groups_button.setAccessibleName(tr("Groups and group sessions"))
        self.groups_button.clicked.connect(self.open_groups)
        self.due_label = QLabel()
        self.due_label.setWordWrap(True)
        self.due_label.setAccessibleName(tr("Outcome check-ins due"))

        self.filter.textChanged.connect(self._filter_changed)
        self.filter.returnPressed.connect(self._focus_first)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._update_count)

        row = QHBoxLayout()
        row.addWidget(filter_label)
        row.addWidget(self.filter, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.crisis_button)
        actions = QHBoxLayout()
        actions.addWidget(self.note_button)
        actions.addWidget(self.appointment_button)
        actions.addWidget(self.groups_button)
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(list_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.due_label)
        layout.addLayout(buttons)
        layout.addLayout(actions)
        return pane

    def _build_right(self) -> QWidget:
        self.stack = QStackedWidget()

        detail = QGroupBox(tr("Participant"))
        self.detail_box = detail
        form = QFormLayout()
        self.detail_values: dict[str, QLabel] = {}
        for key, text in (
            ("display_name", tr("Name:")),
            ("date_of_birth", tr("Date of birth:")),
            ("phone", tr("Phone:")),
            ("medicaid_id", tr("Medicaid id:")),
            ("diagnosis_code", tr("Diagnosis code:")),
            ("address", tr("Home address:")),
            ("details", tr("Details:")),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            value.setAccessibleName(text.rstrip(":"))
            label = QLabel(text)
            label.setBuddy(value)
            form.addRow(label, value)
            self.detail_values[key] = value
        self.empty_hint = QLabel(tr("Choose a participant in the list, or add one."))
        self.empty_hint.setWordWrap(True)

        self.notes_table = QTableWidget(0, 3)
        self.notes_table.setHorizontalHeaderLabels([tr("Date"), tr("Template"), tr("State")])
        self.notes_table.setAccessibleName(tr("Notes history"))
        self.notes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.notes_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.notes_table.verticalHeader().setVisible(False)
        self.notes_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        notes_label = QLabel(tr("N&otes history:"))
        notes_label.setBuddy(self.notes_table)
        self.notes_status = QLabel()
        self.notes_status.setWordWrap(True)

        d_layout = QVBoxLayout(detail)
        d_layout.addWidget(self.empty_hint)
        d_layout.addLayout(form)
        d_layout.addWidget(notes_label)
        d_layout.addWidget(self.notes_table, 1)
        d_layout.addWidget(self.notes_status)
        self.referrals_panel = ReferralsPanel(self.session, self.taskman)
        d_layout.addWidget(self.referrals_panel, 1)

        self.form = ParticipantForm()
        self.form.save_button.clicked.connect(self.save)
        self.form.cancel_button.clicked.connect(self.show_detail)
        self.stack.addWidget(detail)
        self.stack.addWidget(self.form)
        self._show_participant(None, [], 0)
        return self.stack

    # --- list -------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Reload the names; then select ``select`` (an id) when given."""
        generation = self._generation

        def load() -> list[tuple[str, str]]:
            return [(p.id, p.display_name) for p in self.session.participants.list().items]

        def show(people: list[tuple[str, str]]) -> None:
            if generation != self._generation:
                return
            keep = select or (self.current.id if self.current else None)
            self.model.set_participants(people)
            if keep:
                self.select(keep)

        self.taskman.db(load).success(show).failure(self._failed).run()
        self._load_due()

    def _load_due(self) -> None:
        generation = self._generation

        def show(due: list[DueCheckIn]) -> None:
            if generation != self._generation:
                return
            if not due:
                self.due_label.setText("")
                return
            names = ", ".join(d.name for d in due[:3]) + ("…" if len(due) > 3 else "")
            self.due_label.setText(tr("%n outcome check-in(s) due:", None, len(due)) + " " + names)

        self.taskman.db(self.session.record.due_check_ins).success(show).failure(self._failed).run()

    def open_record(self) -> RecordWindow | None:
        """Open the record of the participant shown (plan, enrollment, consents, outcomes)."""
        if self.current is None:
            return None
        return self.records.open(
            RecordWindow(
                self.session, self.taskman, self.current.id, self.current.display_name, self
            )
        )

    def open_crisis(self) -> CrisisPanel | None:
        """The crisis panel (flag, safety plan, crisis lines) of the participant shown."""
        if self.current is None:
            return None
        return self.crisis.open(
            self.session, self.taskman, self.current.id, self.current.display_name, self
        )

    def crisis_participant(self) -> tuple[str, str] | None:
        """Whose crisis panel the shortcut opens from here."""
        return (self.current.id, self.current.display_name) if self.current else None

    @property
    def record_window(self) -> RecordWindow | None:
        """The record window open from this screen, if any."""
        return self.records.window

    def _changed_elsewhere(self) -> None:
        """A name or a note changed elsewhere: the list and the open detail again."""
        self.refresh()
        if self.current is not None:
            self.load_detail(self.current.id)

    def _filter_changed(self, text: str) -> None:
        keep = self.current.id if self.current else None
        self.model.set_filter(text)
        if keep and self.model.row_of(keep) >= 0:
            self.list.setCurrentIndex(self.model.index(self.model.row_of(keep)))

    def _focus_first(self) -> None:
        if self.model.rowCount() > 0:
            self.list.setFocus(Qt.FocusReason.OtherFocusReason)
            self.list.setCurrentIndex(self.model.index(0))

    def _update_count(self) -> None:
        if self.model.total == 0:
            self.count_label.setText("")
            return
        self.count_label.setText(
            tr("{shown} of {total} shown").format(
                shown=self.model.rowCount(), total=self.model.total
            )
        )

    def _write_note(self) -> None:
        if self.current is not None:
            self.write_note.emit(self.current.id)

    def _new_appointment(self) -> None:
        if self.current is not None:
            self.new_appointment.emit(self.current.id)

    def open_groups(self) -> GroupsDialog:
        """The groups, their rosters and group sessions (issue 21)."""
        dialog = GroupsDialog(self.session, self.taskman, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def select(self, participant_id: str) -> bool:
        row = self.model.row_of(participant_id)
        if row < 0:
            return False
        self.list.setCurrentIndex(self.model.index(row))
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pid = self.model.id_at(current.row()) if current.isValid() else None
        if pid is None or (self.current is not None and self.current.id == pid):
            return
        self.load_detail(pid)

    # --- detail -----------------------------------------------------------------------

    def load_detail(self, participant_id: str) -> None:
        self._detail_request += 1
        request, generation = self._detail_request, self._generation
        session = self.session

        def load() -> tuple[Participant, list[Note], int]:
            participant = session.participants.get(participant_id)
            notes = session.notes.list(participant_id=participant_id)
            return participant, notes.items, len(notes.damaged)

        def show(result: tuple[Participant, list[Note], int]) -> None:
            if request == self._detail_request and generation == self._generation:
                self._show_participant(*result)

        self.taskman.db(load).success(show).failure(self._failed).run()

    def _show_participant(self, p: Participant | None, notes: list[Note], damaged: int) -> None:
        self.current = p
        self.notes = sorted(notes, key=lambda n: n.start_at, reverse=True)
        self.edit_button.setEnabled(p is not None)
        self.record_button.setEnabled(p is not None)
        self.crisis_button.setEnabled(p is not None)
        self.note_button.setEnabled(p is not None)
        self.appointment_button.setEnabled(p is not None)
        self.empty_hint.setVisible(p is None)
        none = tr("not recorded")
        values = {
            "display_name": p.display_name if p else "",
            "date_of_birth": (p.date_of_birth.isoformat() if p.date_of_birth else none)
            if p
            else "",
            "phone": (p.phone or none) if p else "",
            "medicaid_id": (p.medicaid_id or none) if p else "",
            "diagnosis_code": (p.diagnosis_code or none) if p else "",
            "address": (
                f"{p.address.line}, {p.address.city}, {p.address.state} {p.address.zip_code}"
                if p.address
                else none
            )
            if p
            else "",
            "details": (p.details or none) if p else "",
        }
        for key, label in self.detail_values.items():
            label.setText(values[key])
        self.notes_table.setRowCount(0)
        self.notes_table.setRowCount(len(self.notes))
        for row, note in enumerate(self.notes):
            local = note.start_at.astimezone()
            for column, text in enumerate(
                (
                    local.strftime("%Y-%m-%d %H:%M"),
                    labels.template_short_names()[note.template],
                    labels.state_names()[note.state],
                )
            ):
                self.notes_table.setItem(row, column, QTableWidgetItem(text))
        if p is None:
            status = ""
        elif not self.notes:
            status = tr("No notes yet.")
        else:
            status = tr("1 note") if len(self.notes) == 1 else tr("{n} notes").format(n=len(notes))
        if damaged:
            status += " " + tr("%n damaged note(s) could not be read.", None, damaged)
        self.notes_status.setText(status.strip())
        self.referrals_panel.set_participant(p.id if p else None, p.display_name if p else "")

    def show_detail(self) -> None:
        self.form.clear_errors()
        self.stack.setCurrentIndex(0)

    # --- add / edit -------------------------------------------------------------------

    def start_add(self) -> None:
        self.form.start_add()
        self.stack.setCurrentWidget(self.form)
        self.form.display_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def start_edit(self) -> None:
        if self.current is None:
            return
        self.form.start_edit(self.current)
        self.stack.setCurrentWidget(self.form)
        self.form.display_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        if self._busy:
            return
        self.form.clear_errors()
        value = self.form.value()
        if not value.display_name.strip():
            self.form.set_error("display_name", tr("enter a name"))
            return
        editing = self.form.editing
        repo = self.session.participants
        if editing is None:
            op = change(
                self.taskman,
                repo.add,
                value.display_name,
                date_of_birth=value.date_of_birth,
                phone=value.phone,
                medicaid_id=value.medicaid_id,
                details=value.details,
                diagnosis_code=value.diagnosis_code,
                address=value.address,
            )
        else:
            op = change(
                self.taskman,
                repo.update,
                replace(
                    editing,
                    display_name=value.display_name,
                    date_of_birth=value.date_of_birth,
                    phone=value.phone,
                    medicaid_id=value.medicaid_id,
                    details=value.details,
                    diagnosis_code=value.diagnosis_code,
                    address=value.address,
                ),
            )
        self._busy = True
        self.form.save_button.setEnabled(False)
        self.form.status.setText(tr("Saving…"))
        op.origin(self).success(lambda done: self._saved(done.value)).failure(
            self._save_failed
        ).run()

    def _saved(self, p: Participant) -> None:
        self._busy = False
        self.form.save_button.setEnabled(True)
        self.form.status.setText("")
        self.current = None  # so the reload shows the saved values
        self.stack.setCurrentIndex(0)
        if self.model.row_of(p.id) < 0 and self.filter.text():
            self.filter.clear()  # the new name might not match the filter
        self.refresh(select=p.id)

    def _save_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.form.save_button.setEnabled(True)
        self.form.form_fields.show_failure(exc, tr("Not saved; please check the form."))

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.notes_status.setText(message_for(exc))

    # --- lock -------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop every decrypted name and detail (on lock); results still on their
        way are ignored. ``refresh()`` loads them again after unlock."""
        self._generation += 1
        self._detail_request += 1
        self.model.clear()
        self.filter.clear()
        self.referrals_panel.clear()
        self.records.clear()
        self.crisis.clear()
        self.due_label.clear()
        self._show_participant(None, [], 0)
        self.form.start_add()
        self.stack.setCurrentIndex(0)
