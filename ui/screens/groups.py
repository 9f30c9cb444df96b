"""Groups (issue 21), opened from Participants: the groups with their rosters
(new, edit, end) and the group session dialog, where one meeting is written
once (when, how long, the topic and what the group did), who came is ticked
from the roster, and each attendee's own part is written; saving makes each
attendee's own group-contact note (a draft, or signed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.groups import MAX_MINUTES, MIN_MINUTES, Group, GroupSession, Headings
from peerdesk.domain.models import LocationType
from peerdesk.domain.times import local_moment
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from ui.errors import message_for
from ui.i18n import tr
from ui.labels import location_names
from ui.operations import Follower, change
from ui.screens.record_forms import RecordForm
from ui.taskman import TaskManager
from ui.widgets import text_box, text_label

ID = Qt.ItemDataRole.UserRole


def headings() -> Headings:
    """The words of a group note, in the user's language."""
    return Headings(
        group=tr("Group session"),
        topic=tr("Topic"),
        shared=tr("What the group did"),
        own=tr("For this participant"),
    )


class GroupForm(RecordForm):
    """A new group, or a group's new name and roster: tick who is in it."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        names: dict[str, str],
        group: Group | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, taskman, tr("Group") if group else tr("New group"), parent)
        self.group = group
        self.name = self.row(tr("&Name:"), QLineEdit(group.name if group else ""))
        self.name.setAccessibleName(tr("Group name"))
        self.roster = self.row(tr("&In the group:"), QListWidget())
        self.roster.setAccessibleName(tr("Participants in the group (Space ticks)"))
        members = set(group.members) if group else set()
        for pid, name in names.items():
            item = QListWidgetItem(name)
            item.setData(ID, pid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = pid in members
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.roster.addItem(item)
        if self.roster.count():
            self.roster.setCurrentRow(0)
        self.finish_layout()

    def members(self) -> list[str]:
        items = (self.roster.item(i) for i in range(self.roster.count()))
        return [i.data(ID) for i in items if i.checkState() == Qt.CheckState.Checked]

    def tick(self, participant_id: str, on: bool = True) -> None:
        for i in range(self.roster.count()):
            item = self.roster.item(i)
            if item.data(ID) == participant_id:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def save(self) -> None:
        if self.group is None:
            self.run(self.session.groups.create, self.name.text(), self.members())
        else:
            self.run(self.session.groups.update, self.group.id, self.name.text(), self.members())


class Attendee(QWidget):
    """One person of the roster in the session dialog: came or not, their own part."""

    def __init__(self, participant_id: str, name: str) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.came = QCheckBox(tr("{name} came").format(name=name))
        self.came.setAccessibleName(tr("{name} came").format(name=name))
        self.own = text_box(
            tr("{name}'s own part").format(name=name),
            placeholder=tr("What {name} shared, worked on, the next step").format(name=name),
        )
        self.own.setEnabled(False)
        self.came.toggled.connect(self.own.setEnabled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.came)
        layout.addWidget(self.own)


class GroupSessionDialog(RecordForm):
    """One meeting of a group: written once, a note for each attendee."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        group: Group,
        names: dict[str, str],
        *,
        start: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            session, taskman, tr("Group session: {name}").format(name=group.name), parent
        )
        self.group = group
        local = (start or datetime.now().astimezone()).astimezone()
        when = QDateTimeEdit(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )
        when.setCalendarPopup(True)
        when.setDisplayFormat("yyyy-MM-dd HH:mm")
        when.setAccessibleName(tr("When the session started"))
        self.when = self.row(tr("&Started:"), when)
        minutes = QSpinBox()
        minutes.setRange(MIN_MINUTES, MAX_MINUTES)
        minutes.setSingleStep(15)
        minutes.setValue(60)
        minutes.setSuffix(tr(" min"))
        minutes.setAccessibleName(tr("Length in minutes"))
        self.minutes = self.row(tr("&Length:"), minutes)
        where = QComboBox()
        where.setAccessibleName(tr("Where"))
        for value, text in location_names().items():
            where.addItem(text, value)
        self.where = self.row(tr("&Where:"), where)
        self.topic = self.row(tr("&Topic:"), QLineEdit())
        self.topic.setAccessibleName(tr("Topic"))
        self.shared = self.row(
            tr("What the &group did:"),
            text_box(tr("What the group did"), placeholder=tr("Written once, copied into each note"),
                     height=80),
        )  # fmt: skip
        box = QGroupBox(tr("Attendance and each attendee's own part"))
        box.setAccessibleName(tr("Attendance"))
        inner = QWidget()
        rows = QVBoxLayout(inner)
        self.attendees = [Attendee(pid, names.get(pid, "?")) for pid in group.members]
        for a in self.attendees:
            rows.addWidget(a)
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        QVBoxLayout(box).addWidget(scroll)
        self.layout_.addWidget(box, 1)
        self.sign = QCheckBox(tr("&Sign the notes now (else each is a draft to finish)"))
        self.sign.setAccessibleName(tr("Sign the notes now"))
        self.layout_.addWidget(self.sign)
        self.summary = text_label(tr("Notes to be written"))
        self.layout_.addWidget(self.summary)
        for a in self.attendees:
            a.came.toggled.connect(self._count)
        self._count()
        self.finish_layout()

    def _count(self) -> None:
        came = sum(a.came.isChecked() for a in self.attendees)
        self.summary.setText(
            tr("{came} came, {absent} did not: {came} notes will be written.").format(
                came=came, absent=len(self.attendees) - came
            )
        )

    def attendee(self, participant_id: str) -> Attendee:
        return next(a for a in self.attendees if a.participant_id == participant_id)

    def value(self) -> GroupSession:
        start = self.when.dateTime().toPython()
        assert isinstance(start, datetime)
        return GroupSession(
            group_id=self.group.id,
            start_at=local_moment(start.replace(second=0, microsecond=0)),
            minutes=self.minutes.value(),
            topic=self.topic.text(),
            shared=self.shared.toPlainText(),
            attended={
                a.participant_id: a.own.toPlainText() for a in self.attendees if a.came.isChecked()
            },
            location_type=LocationType(self.where.currentData()),
            sign=self.sign.isChecked(),
            headings=headings(),
        )

    def save(self) -> None:
        self.run(self.session.groups.record_session, self.value())


class GroupsDialog(QDialog):
    """The groups: new, edit the roster, end, and run a session."""

    def __init__(
        self, session: Session, taskman: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.groups: list[Group] = []
        self.names: dict[str, str] = {}
        self.setWindowTitle(tr("Groups"))
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Groups"))
        label = QLabel(tr("&Groups:"))
        label.setBuddy(self.list)
        self.status = text_label(tr("About the group"))
        self.new = QPushButton(tr("&New group…"))
        self.edit = QPushButton(tr("&Edit roster…"))
        self.end = QPushButton(tr("E&nd group"))
        self.run_session = QPushButton(tr("&Run a session…"))
        self.run_session.setDefault(True)
        self.new.clicked.connect(self.start_new)
        self.edit.clicked.connect(self.start_edit)
        self.end.clicked.connect(self.end_current)
        self.run_session.clicked.connect(self.start_session)
        self.list.currentRowChanged.connect(self._current_changed)
        self.list.itemActivated.connect(lambda _item: self.start_session())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.new, self.edit, self.end, self.run_session):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(close)
        Follower(self, taskman, {"groups", "participants"}, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Read the groups and the names on the DB thread, then show them."""

        def load() -> tuple[list[Group], dict[str, str]]:
            return self.session.groups.groups().items, self.session.groups.names()

        self.taskman.db(load).success(self._show).failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.status.setText(message_for(exc))

    def _show(self, found: tuple[list[Group], dict[str, str]]) -> None:
        keep = self.current.id if self.current else None
        self.groups, self.names = found
        self.list.clear()
        for g in self.groups:
            text = g.name if g.active else tr("{name} (ended)").format(name=g.name)
            item = QListWidgetItem(text)
            item.setData(ID, g.id)
            self.list.addItem(item)
        ids = [g.id for g in self.groups]
        self.list.setCurrentRow(ids.index(keep) if keep in ids else (0 if ids else -1))
        self._current_changed()

    @property
    def current(self) -> Group | None:
        row = self.list.currentRow()
        return self.groups[row] if 0 <= row < len(self.groups) else None

    def _current_changed(self, *_args: object) -> None:
        g = self.current
        active = g is not None and g.active
        self.edit.setEnabled(active)
        self.end.setEnabled(active)
        self.run_session.setEnabled(active)
        if g is None:
            self.status.setText(tr("No groups yet: New group… makes one with its roster."))
            return
        people = ", ".join(self.names.get(m, "?") for m in g.members)
        self.status.setText(tr("In the group: {people}").format(people=people))

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        return dialog

    def start_new(self) -> GroupForm:
        form = GroupForm(self.session, self.taskman, self.names, parent=self)
        form.saved.connect(lambda _g: self.refresh())
        self._open(form)
        return form

    def start_edit(self) -> GroupForm | None:
        if self.current is None:
            return None
        form = GroupForm(self.session, self.taskman, self.names, self.current, parent=self)
        form.saved.connect(lambda _g: self.refresh())
        self._open(form)
        return form

    def end_current(self) -> None:
        g = self.current
        if g is None:
            return
        change(self.taskman, self.session.groups.end, g.id, date.today()).origin(self).success(
            lambda _r: self.refresh()
        ).failure(self._failed).run()

    def start_session(self) -> GroupSessionDialog | None:
        g = self.current
        if g is None or not g.active:
            return None
        start = datetime.now().astimezone().replace(second=0, microsecond=0) - timedelta(hours=1)
        dialog = GroupSessionDialog(self.session, self.taskman, g, self.names, start=start,
                                    parent=self)  # fmt: skip
        self._open(dialog)
        return dialog


__all__ = ["GroupForm", "GroupSessionDialog", "GroupsDialog", "headings"]
