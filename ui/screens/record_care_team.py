"""The Care team tab of the participant's record window (issue 23): the people
the participant works with (clinicians, case managers, family, friends, a
sponsor...), how to reach them, whether a current consent lets the program talk
with them, and whether they are still on the team; and its forms: add or edit an
entry (:class:`CareMemberForm`), end one (:class:`EndMemberForm`), both on the
:class:`~ui.dialogs.saving.SavingDialog` base through ``ui.screens.record_forms``.

The page shows what the record window read (``RecordOverview.care_team``); its
forms report their saves to the window, which reads the record again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.care_team import CareRole, CareTeamMember
from peerdesk.domain.record import Consent, ConsentCheck, ConsentState
from peerdesk.services import Session
from peerdesk.services.record import RecordOverview
from ui import record_labels as words
from ui.i18n import tr
from ui.screens.record_forms import EPOCH, RecordForm, combo, date_edit, day_of
from ui.taskman import TaskManager
from ui.widgets import text_box

__all__ = ["CareMemberForm", "CareTeamPage", "EndMemberForm"]

Row = tuple[CareTeamMember, ConsentCheck]


def _reach(m: CareTeamMember) -> str:
    return "\n".join(part for part in (m.phone, m.email, m.contact_notes) if part)


def _reach_spoken(m: CareTeamMember) -> str:
    """How to reach them, each part named (for a screen reader)."""
    parts = (
        (tr("Phone: {v}"), m.phone),
        (tr("Email: {v}"), m.email),
        (tr("Notes: {v}"), m.contact_notes),
    )
    return "; ".join(said.format(v=v) for said, v in parts if v) or tr("not given")


class CareTeamPage(QWidget):
    """The list of the care team with Add, Edit and End (hidden when read-only)."""

    def __init__(self, open_form: Callable[[RecordForm], RecordForm]) -> None:
        super().__init__()
        self._open_form = open_form
        self.session: Session | None = None
        self.taskman: TaskManager | None = None
        self.participant_id = ""
        self.rows: list[Row] = []
        self.consents: tuple[tuple[Consent, ConsentState], ...] = ()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Care team status"))
        self.hint = QLabel(
            tr(
                "Talking with someone about the participant needs a current consent that "
                "names them or their organization."
            )
        )
        self.hint.setWordWrap(True)
        headers = [tr("Name"), tr("Role"), tr("Organization"), tr("How to reach them"),
                   tr("Consent"), tr("On the team")]  # fmt: skip
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setAccessibleName(tr("Care team"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # every column as wide as its text (an email address cannot wrap, so the
        # contact column must fit it) but the role, whose words wrap in what is left
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.start_edit())
        label = QLabel(tr("Peop&le:"))
        label.setBuddy(self.table)
        self.add = self._button(
            tr("&Add person…"), tr("Add someone to the care team"), self.start_add
        )
        self.edit = self._button(tr("Ed&it…"), tr("Edit the chosen person"), self.start_edit)
        self.end = self._button(
            tr("E&nd…"), tr("The chosen person is no longer on the team"), self.start_end
        )
        buttons = QHBoxLayout()
        for b in (self.add, self.edit, self.end):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.hint)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    @staticmethod
    def _button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        b = QPushButton(text)
        b.setAccessibleName(name)
        b.clicked.connect(slot)
        return b

    def bind(self, session: Session, taskman: TaskManager, participant_id: str) -> None:
        self.session, self.taskman, self.participant_id = session, taskman, participant_id

    def set_read_only(self) -> None:
        for b in (self.add, self.edit, self.end):
            b.hide()

    def show_overview(self, o: RecordOverview) -> None:
        self.rows = list(o.care_team)
        self.consents = o.consents
        self.table.setRowCount(0)
        self.table.setRowCount(len(self.rows))
        for r, (m, link) in enumerate(self.rows):
            left = m.ended_on.isoformat() if m.ended_on else ""
            on_team = tr("Yes") if m.active else tr("Ended {day}").format(day=left)
            texts = (m.name, words.care_role_of(m), m.organisation, _reach(m),
                     words.consent_link_words(link), on_team)  # fmt: skip
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 3:
                    item.setData(Qt.ItemDataRole.AccessibleTextRole, _reach_spoken(m))
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        active = sum(1 for m, _l in self.rows if m.active)
        ended = len(self.rows) - active
        if not self.rows:
            text = tr("No one is on the care team yet.")
        else:
            text = tr("%n on the care team now.", None, active)
            if ended:
                text += " " + tr("%n no longer on the team.", None, ended)
        self.status.setText(text)
        self._selection_changed()

    def clear(self) -> None:
        self.rows, self.consents = [], ()
        self.table.setRowCount(0)

    def chosen(self) -> CareTeamMember | None:
        found = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not found or found[0].row() >= len(self.rows):
            return None
        return self.rows[found[0].row()][0]

    def _selection_changed(self) -> None:
        m = self.chosen()
        self.edit.setEnabled(m is not None)
        self.end.setEnabled(m is not None and m.active)

    def start_add(self) -> RecordForm | None:
        if self.session is None or self.taskman is None:
            return None
        return self._open_form(
            CareMemberForm(
                self.session, self.taskman, self.participant_id, self.consents, None, self
            )
        )

    def start_edit(self) -> RecordForm | None:
        m = self.chosen()
        if m is None or self.session is None or self.taskman is None or self.add.isHidden():
            return None
        return self._open_form(
            CareMemberForm(self.session, self.taskman, self.participant_id, self.consents, m, self)
        )

    def start_end(self) -> RecordForm | None:
        m = self.chosen()
        if m is None or not m.active or self.session is None or self.taskman is None:
            return None
        return self._open_form(EndMemberForm(self.session, self.taskman, m, self))


class CareMemberForm(RecordForm):
    """Add someone to the care team, or change an entry."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        participant_id: str,
        consents: Sequence[tuple[Consent, ConsentState]],
        member: CareTeamMember | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = tr("Edit care-team entry") if member else tr("Add to the care team")
        super().__init__(session, taskman, title, parent)
        self.participant_id, self.member = participant_id, member
        m = member
        self.name = self.row(tr("&Name:"), self._line(tr("Name"), m.name if m else ""))
        self.role = self.row(
            tr("&Role:"), combo(tr("Role"), words.care_role_names(), m.role if m else None)
        )
        self.role_other = self.row(
            tr("Role in &words:"), self._line(tr("Role in words"), m.role_other if m else "")
        )
        self.role_other.setPlaceholderText(tr("e.g. pastor, coach, teacher"))
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.organisation = self.row(
            tr("&Organization:"), self._line(tr("Organization"), m.organisation if m else "")
        )
        self.organisation.setPlaceholderText(tr("optional"))
        self.phone = self.row(tr("&Phone:"), self._line(tr("Phone"), m.phone if m else ""))
        self.phone.setPlaceholderText(tr("e.g. 555-201-0134 x12"))
        self.email = self.row(tr("E&mail:"), self._line(tr("Email"), m.email if m else ""))
        self.email.setPlaceholderText(tr("e.g. name@example.org"))
        self.notes = self.row(
            tr("&How to reach them:"),
            text_box(
                tr("How to reach them"),
                m.contact_notes if m else "",
                placeholder=tr("best times, who to ask for, other ways"),
            ),
        )
        states = words.consent_state_names()
        choices: dict[Any, str] = {"": tr("Any consent naming them or their organization")}
        for c, state in consents:
            choices[c.id] = tr("{recipient} ({state})").format(
                recipient=c.recipient, state=states[state]
            )
        self.consent = self.row(
            tr("&Consent:"), combo(tr("Consent"), choices, (m.consent_id or "") if m else "")
        )
        self.finish_layout()

    @staticmethod
    def _line(name: str, text: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setAccessibleName(name)
        return edit

    def _role_changed(self) -> None:
        self.role_other.setEnabled(self.role.currentData() == CareRole.OTHER)

    def value(self) -> CareTeamMember:
        base = self.member
        return CareTeamMember(
            id=base.id if base else "",
            participant_id=self.participant_id,
            name=self.name.text(),
            role=CareRole(self.role.currentData()),
            created_at=base.created_at if base else EPOCH,
            updated_at=base.updated_at if base else EPOCH,
            role_other=self.role_other.text(),
            organisation=self.organisation.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            contact_notes=self.notes.toPlainText(),
            consent_id=self.consent.currentData() or None,
            ended_on=base.ended_on if base else None,
        )

    def save(self) -> None:
        if self.member is None:
            self.run(self.session.record.add_member, self.value())
        else:
            self.run(self.session.record.update_member, self.value())


class EndMemberForm(RecordForm):
    """Someone is no longer on the care team (the entry is kept, marked ended)."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        member: CareTeamMember,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, taskman, tr("End care-team entry"), parent)
        self.member = member
        intro = QLabel(
            tr("{name} is no longer on the care team. The entry is kept.").format(name=member.name)
        )
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.on = self.row(tr("&From:"), date_edit(tr("Ended on")))
        self.finish_layout()

    def save(self) -> None:
        self.run(self.session.record.end_member, self.member.id, day_of(self.on))
