"""The participants screen: a filterable list of names, one participant's details
and notes history, and the add/edit form.

Names are decrypted on the DB thread and kept only in :class:`NamesModel` (in
memory, never written anywhere); :meth:`ParticipantsScreen.clear` drops them and
every shown detail, and is called when the profile locks. Problems with what was
typed are said in words next to the field at fault (``ValidationError.field``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.models import Note, Participant
from peerdesk.errors import PeerDeskError, ValidationError
from peerdesk.services import Session
from ui import labels
from ui.errors import message_for
from ui.i18n import tr
from ui.screens.referrals import ReferralsPanel
from ui.taskman import TaskManager
from ui.widgets import FieldWithError

__all__ = ["NamesModel", "ParticipantForm", "ParticipantsScreen"]

ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class NamesModel(QAbstractListModel):
    """Read-only list of participant names with a case-insensitive substring
    filter. Holds ``(id, name)`` pairs in memory only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[tuple[str, str, str]] = []  # id, name, casefolded name
        self._shown: list[tuple[str, str, str]] = []
        self._filter = ""

    # Qt API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        pid, name, _ = self._shown[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return name
        if role == ID_ROLE:
            return pid
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ours
    def set_participants(self, people: Sequence[tuple[str, str]]) -> None:
        self.beginResetModel()
        self._all = [(pid, name, name.casefold()) for pid, name in people]
        self._apply()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = text.strip().casefold()
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        f = self._filter
        self._shown = [e for e in self._all if f in e[2]] if f else list(self._all)

    def clear(self) -> None:
        """Forget every name."""
        self.beginResetModel()
        self._all = []
        self._shown = []
        self.endResetModel()

    @property
    def total(self) -> int:
        return len(self._all)

    def names(self) -> list[str]:
        """The names shown, in order."""
        return [name for _, name, _ in self._shown]

    def id_at(self, row: int) -> str | None:
        return self._shown[row][0] if 0 <= row < len(self._shown) else None

    def row_of(self, participant_id: str) -> int:
        for row, entry in enumerate(self._shown):
            if entry[0] == participant_id:
                return row
        return -1


@dataclass(frozen=True, slots=True)
class ParticipantInput:
    """What the form holds, before the core checks it."""

    display_name: str
    date_of_birth: date | None
    phone: str | None
    medicaid_id: str | None
    details: str


class ParticipantForm(QWidget):
    """Add or edit one participant. Emits nothing: the screen reads
    :meth:`value` and shows errors with :meth:`set_error`."""

    FIELDS = ("display_name", "date_of_birth", "phone", "medicaid_id", "details")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editing: Participant | None = None
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, FieldWithError] = {}

        self.display_name = QLineEdit()
        self.display_name.setMaxLength(200)
        self._row(form, tr("&Name (required):"), self.display_name, "display_name")

        self.date_of_birth = QDateEdit()
        self.date_of_birth.setDisplayFormat("yyyy-MM-dd")
        self.date_of_birth.setCalendarPopup(True)
        self.date_of_birth.setMinimumDate(QDate(1900, 1, 1))
        self.date_of_birth.setMaximumDate(QDate.currentDate())
        self.date_of_birth.setDate(QDate(1980, 1, 1))
        self.no_dob = QCheckBox(tr("N&o date of birth"))
        self.no_dob.setAccessibleName(tr("No date of birth"))
        self.no_dob.toggled.connect(lambda on: self.date_of_birth.setEnabled(not on))
        self._row(form, tr("Date of &birth:"), self.date_of_birth, "date_of_birth", self.no_dob)

        self.phone = QLineEdit()
        self.phone.setPlaceholderText(tr("optional"))
        self._row(form, tr("&Phone:"), self.phone, "phone")
        self.medicaid_id = QLineEdit()
        self.medicaid_id.setPlaceholderText(tr("optional"))
        self._row(form, tr("&Medicaid id:"), self.medicaid_id, "medicaid_id")
        self.details = QPlainTextEdit()
        self.details.setTabChangesFocus(True)
        self.details.setMinimumHeight(80)
        self._row(form, tr("De&tails:"), self.details, "details")

        self.save_button = QPushButton(tr("&Save"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Participant form status"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.start_add()

    def _row(
        self,
        form: QFormLayout,
        text: str,
        editor: QWidget,
        key: str,
        extra: QWidget | None = None,
    ) -> None:
        field = FieldWithError(editor, extra)
        label = QLabel(text)
        label.setBuddy(editor)
        editor.setAccessibleName(label.text().replace("&", "").rstrip(":"))
        form.addRow(label, field)
        self.fields[key] = field

    def start_add(self) -> None:
        self.editing = None
        self.title.setText(tr("Add a participant"))
        self.setAccessibleName(self.title.text())
        self._fill("", None, "", "", "")

    def start_edit(self, participant: Participant) -> None:
        self.editing = participant
        self.title.setText(tr("Edit participant"))
        self.setAccessibleName(self.title.text())
        self._fill(
            participant.display_name,
            participant.date_of_birth,
            participant.phone or "",
            participant.medicaid_id or "",
            participant.details,
        )

    def _fill(self, name: str, dob: date | None, phone: str, medicaid: str, details: str) -> None:
        self.display_name.setText(name)
        self.no_dob.setChecked(dob is None)
        self.date_of_birth.setEnabled(dob is not None)
        self.date_of_birth.setDate(
            QDate(dob.year, dob.month, dob.day) if dob else QDate(1980, 1, 1)
        )
        self.phone.setText(phone)
        self.medicaid_id.setText(medicaid)
        self.details.setPlainText(details)
        self.clear_errors()

    def value(self) -> ParticipantInput:
        d = self.date_of_birth.date()
        return ParticipantInput(
            display_name=self.display_name.text(),
            date_of_birth=None if self.no_dob.isChecked() else date(d.year(), d.month(), d.day()),
            phone=self.phone.text().strip() or None,
            medicaid_id=self.medicaid_id.text().strip() or None,
            details=self.details.toPlainText(),
        )

    def set_error(self, field: str | None, message: str) -> None:
        target = self.fields.get(field or "")
        if target is None:
            self.status.setText(message)
            return
        target.set_error(message)
        target.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_of(self, field: str) -> str:
        return self.fields[field].error.text()

    def clear_errors(self) -> None:
        for field in self.fields.values():
            field.set_error("")
        self.status.setText("")

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.details.hasFocus():
            self.save_button.click()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_button.click()
            return
        super().keyPressEvent(event)


class ParticipantsScreen(QWidget):
    """The participant list with a filter, the detail pane and the add/edit form.

    ``refresh()`` reloads the list; ``clear()`` drops every decrypted name and
    detail from memory and the widgets (call it on lock).
    """

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
        self.setObjectName("participantsScreen")
        self.setAccessibleName(tr("Participants"))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_right())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
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
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(list_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(buttons)
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
        self.empty_hint.setVisible(p is None)
        none = tr("not recorded")
        values = {
            "display_name": p.display_name if p else "",
            "date_of_birth": (p.date_of_birth.isoformat() if p.date_of_birth else none)
            if p
            else "",
            "phone": (p.phone or none) if p else "",
            "medicaid_id": (p.medicaid_id or none) if p else "",
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
            status += " " + tr("{n} damaged note(s) could not be read.").format(n=damaged)
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
            op = self.taskman.db(
                repo.add,
                value.display_name,
                date_of_birth=value.date_of_birth,
                phone=value.phone,
                medicaid_id=value.medicaid_id,
                details=value.details,
            )
        else:
            op = self.taskman.db(
                repo.update,
                replace(
                    editing,
                    display_name=value.display_name,
                    date_of_birth=value.date_of_birth,
                    phone=value.phone,
                    medicaid_id=value.medicaid_id,
                    details=value.details,
                ),
            )
        self._busy = True
        self.form.save_button.setEnabled(False)
        self.form.status.setText(tr("Saving…"))
        op.success(lambda done: self._saved(done.value)).failure(self._save_failed).run()

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
        if isinstance(exc, ValidationError):
            self.form.status.setText(tr("Not saved; please check the form."))
            self.form.set_error(exc.field, message_for(exc))
        elif isinstance(exc, PeerDeskError):
            self.form.status.setText(message_for(exc))
        else:
            self.form.status.setText("")
            raise exc

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
        self._show_participant(None, [], 0)
        self.form.start_add()
        self.stack.setCurrentIndex(0)
