"""Dialogs around the resource directory: refer a participant to a service, pick
a service for a participant (from a note or the participant page), and suggest
a correction to a directory entry.

Every call to the profile runs on the task manager's DB thread; the dialogs
stay open (and say why in words) when something is wrong, and close once the
referral or suggestion is saved. They are opened with ``open()`` (window-modal,
not blocking), so the window can still lock: a lock closes them first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.directory import SearchResults
from peerdesk.domain.referrals import Correction, Referral
from peerdesk.services import Session
from ui.dialogs.saving import SavingDialog
from ui.i18n import tr
from ui.models.directory import (
    ID_ROLE,
    DirectorySearch,
    focus_results,
    result_item,
    search_field,
)
from ui.operations import change
from ui.taskman import TaskManager
from ui.widgets import list_texts, text_box

__all__ = [
    "CorrectionDialog",
    "ReferParticipantDialog",
    "DirectoryPickerDialog",
    "open_directory_picker",
]


def _participants(session: Session) -> list[tuple[str, str]]:
    return [(p.id, p.display_name) for p in session.participants.list().items]


class _SavingDialog(SavingDialog):
    """A directory dialog: an introduction, Cancel and the OK button it adds."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        parent: QWidget | None,
        *,
        title: str,
        intro: str,
    ) -> None:
        super().__init__(session, taskman, title, parent)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)

    def _ok_button(self, text: str, accessible: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
        button.setAccessibleName(accessible)
        button.setDefault(True)
        button.clicked.connect(self.save)
        return button


class CorrectionDialog(_SavingDialog):
    """Suggest a correction to one directory entry; it syncs to the agency."""

    suggested = Signal(object)  # Correction

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        service_id: str,
        service_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            session,
            taskman,
            parent,
            title=tr("Suggest a correction"),
            intro=tr(
                "What is wrong or missing in “{name}”? Your suggestion goes to the agency "
                "with your next sync; please do not name participants."
            ).format(name=service_name),
        )
        self.service_id = service_id
        self.saved.connect(self._suggested)
        self.text = text_box(
            tr("Suggested correction"),
            placeholder=tr("e.g. the phone number changed to 555-0100"),
            height=80,
        )
        label = QLabel(tr("&Suggestion:"))
        label.setBuddy(self.text)
        self.send_button = self._ok_button(tr("S&end suggestion"), tr("Send suggestion"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(label)
        layout.addWidget(self.text)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        text = self.text.toPlainText().strip()
        if not text:
            self.show_problem(tr("write what should change"))
            self.text.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.run(self.session.directory.suggest_correction, self.service_id, text)

    def _suggested(self, result: object) -> None:
        assert isinstance(result, Correction)
        self.suggested.emit(result)


class _ReferringDialog(_SavingDialog):
    """A dialog that records a referral: its note field, the Refer button, the
    call and the :attr:`referred` signal."""

    referred = Signal(object)  # Referral

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        parent: QWidget | None,
        *,
        title: str,
        intro: str,
    ) -> None:
        super().__init__(session, taskman, parent, title=title, intro=intro)
        self.saved.connect(self._referred)
        self.follow_up = text_box(
            tr("Referral note (optional)"),
            placeholder=tr("optional: what was arranged, what to check next"),
            height=80,
        )
        self.refer_button = self._ok_button(tr("&Refer"), tr("Make the referral"))
        self.refer_button.setEnabled(False)
        self.shares = QCheckBox(tr("&Share their information with the service (needs consent)"))
        self.shares.setToolTip(
            tr("A warm hand-off or a form sent for them needs a current signed consent.")
        )

    def _refer(self, participant_id: str, service_id: str, note_id: str | None = None) -> None:
        self.run(
            self.session.directory.refer,
            participant_id,
            service_id,
            note_id=note_id,
            follow_up=self.follow_up.toPlainText(),
            shares_information=self.shares.isChecked(),
        )

    def _referred(self, result: object) -> None:
        assert isinstance(result, Referral)
        self.referred.emit(result)


class ReferParticipantDialog(_ReferringDialog):
    """Refer a participant (chosen here) to one service, from the Resources screen."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        service_id: str,
        service_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            session,
            taskman,
            parent,
            title=tr("Refer a participant"),
            intro=tr("Refer a participant to “{name}”.").format(name=service_name),
        )
        self.service_id = service_id
        self.participant = QComboBox()
        self.participant.setAccessibleName(tr("Participant to refer"))
        form = QFormLayout()
        who = QLabel(tr("&Participant:"))
        who.setBuddy(self.participant)
        form.addRow(who, self.participant)
        note = QLabel(tr("&Note (optional):"))
        note.setBuddy(self.follow_up)
        form.addRow(note, self.follow_up)
        form.addRow(self.shares)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.taskman.db(_participants, session).success(self._fill).failure(self._failed).run()

    def _fill(self, people: list[tuple[str, str]]) -> None:
        self.participant.clear()
        for pid, name in people:
            self.participant.addItem(name, pid)
        self.refer_button.setEnabled(bool(people))
        if not people:
            self.show_problem(tr("add the participant on the Participants page first"))
        self.participant.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_participant(self, participant_id: str) -> bool:
        index = self.participant.findData(participant_id)
        if index >= 0:
            self.participant.setCurrentIndex(index)
        return index >= 0

    def save(self) -> None:
        pid = self.participant.currentData()
        if pid is None:
            self.show_problem(tr("choose a participant"))
            return
        self._refer(pid, self.service_id)


class DirectoryPickerDialog(_ReferringDialog):
    """Find a service and refer one participant to it (from a note, with its id,
    or from the participant page)."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        participant_id: str,
        participant_name: str,
        *,
        note_id: str | None = None,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
        debounce_ms: int | None = None,
    ) -> None:
        super().__init__(
            session,
            taskman,
            parent,
            title=tr("Refer to a resource"),
            intro=tr("Refer {name} to a service in the resource directory.").format(
                name=participant_name
            )
            + (" " + tr("The referral is linked to this note.") if note_id else ""),
        )
        self.participant_id = participant_id
        self.note_id = note_id
        self._today = today
        self.resize(560, 520)
        self.search_edit, search_label = search_field()
        self.results = QListWidget()
        self.results.setAccessibleName(tr("Services found"))
        self.results.setWordWrap(True)
        results_label = QLabel(tr("Ser&vices:"))
        results_label.setBuddy(self.results)
        self.status = QLabel()
        self.status.setWordWrap(True)
        note_label = QLabel(tr("&Note (optional):"))
        note_label.setBuddy(self.follow_up)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(search_label)
        layout.addWidget(self.search_edit)
        layout.addWidget(results_label)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        layout.addWidget(note_label)
        layout.addWidget(self.follow_up)
        layout.addWidget(self.shares)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        kwargs = {} if debounce_ms is None else {"debounce_ms": debounce_ms}
        self.search = DirectorySearch(session, taskman, self, **kwargs)
        self.search.answered.connect(self._show_results)
        self.search.failed.connect(self.status.setText)
        self.search_edit.textChanged.connect(self.search.set_query)
        self.search_edit.returnPressed.connect(self._to_results)
        self.results.currentItemChanged.connect(
            lambda item, _old: self.refer_button.setEnabled(item is not None)
        )
        self.results.itemActivated.connect(lambda _item: self.follow_up.setFocus())
        change(self.taskman, session.directory.seed_if_empty).run()
        self.search.search_now()  # browse until something is typed
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _to_results(self) -> None:
        if self.search.pending:
            self.search.search_now()
        focus_results(self.results)

    def _show_results(self, results: SearchResults) -> None:
        self.results.clear()
        stale_days = self.session.policy.directory_stale_days
        today = self._today()
        for hit in results.hits:
            self.results.addItem(result_item(hit, today, stale_days))
        self.refer_button.setEnabled(False)
        if not results.hits:
            self.status.setText(tr("No services match. Try fewer or shorter words."))
        else:
            self.status.setText(tr("%n service(s) found.", None, len(results.hits)))

    def texts(self) -> list[str]:
        return list_texts(self.results)

    def choose(self, row: int) -> None:
        self.results.setCurrentRow(row)

    def save(self) -> None:
        item = self.results.currentItem()
        if item is None:
            self.show_problem(tr("choose a service in the list"))
            return
        self._refer(self.participant_id, item.data(ID_ROLE), self.note_id)

    def done(self, result: int) -> None:
        self.search.stop()
        super().done(result)


def open_directory_picker(
    session: Session,
    taskman: TaskManager,
    participant_id: str,
    participant_name: str,
    parent: QWidget,
    *,
    note_id: str | None = None,
) -> DirectoryPickerDialog:
    """Open (window-modal, not blocking) the picker that refers this participant
    to a service; it deletes itself when closed."""
    dialog = DirectoryPickerDialog(
        session, taskman, participant_id, participant_name, note_id=note_id, parent=parent
    )
    dialog.finished.connect(lambda _result: dialog.deleteLater())
    dialog.open()
    return dialog
