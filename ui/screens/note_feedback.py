"""The supervisor's feedback on a note, shown read-only in the note editor.

Feedback arrives with a sync (sealed to this laptop, stored encrypted). For a note
that is not a draft, :class:`FeedbackPanel` lists every decision received for it,
oldest first: the decision in words (approved / returned for changes), the
comment, the reviewer and the date. Drafts have none, so the panel is hidden.

A note the supervisor returned gets **Resubmit for review** once an addendum
answers the comment (an addendum written after the return reached this laptop:
``session.notes.addenda_answering_return``); until then the panel says what to
do. Resubmitting (``session.notes.resubmit``) sends the note back to the queue
with its new addenda on the next sync; :attr:`FeedbackPanel.resubmitted` tells
the editor, which shows the note's new state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.models import Note, NoteState
from peerdesk.domain.times import now_utc, to_iso
from peerdesk.errors import PeerDeskError
from peerdesk.services import OpResult, Session
from ui.errors import message_for
from ui.i18n import tr
from ui.operations import change
from ui.taskman import TaskManager
from ui.widgets import list_texts

__all__ = ["FeedbackPanel", "decision_names"]


def decision_names() -> dict[str, str]:
    return {"approved": tr("Approved"), "returned": tr("Returned for changes")}


def feedback_text(item: Any) -> str:
    """One decision in words (``item``: a ``Feedback`` from the service)."""
    decision = decision_names().get(item.decision, item.decision)
    when = item.decided_at.astimezone().strftime("%Y-%m-%d %H:%M")
    head = tr("{decision} by {reviewer} on {when}").format(
        decision=decision, reviewer=item.reviewer or tr("your supervisor"), when=when
    )
    comment = " ".join(str(item.comment).split())
    return tr("{head}: {comment}").format(head=head, comment=comment) if comment else head


@dataclass(frozen=True, slots=True)
class _Read:
    feedback: Any  # ReadResult[Feedback]
    #: addenda that answer the latest return (None: the note is not returned)
    answers: list[str] | None


def _read(session: Session, note_id: str, returned: bool) -> _Read:
    """The feedback and, for a returned note, its answering addenda (DB thread)."""
    feedback = session.notes.feedback_for(note_id)
    answers = (
        session.notes.addenda_answering_return(note_id, to_iso(now_utc())) if returned else None
    )
    return _Read(feedback, answers)


class FeedbackPanel(QGroupBox):
    """The supervisor's decisions on the open note, and Resubmit for a returned one."""

    #: the note was resubmitted: the :class:`Note` in its new state
    resubmitted = Signal(object)

    def __init__(
        self, session: Session, taskman: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("Supervisor feedback"), parent)
        self.session = session
        self.taskman = taskman
        self.note_id: str | None = None
        self.note_state: NoteState | None = None
        self.setObjectName("feedback_panel")
        self.setAccessibleName(tr("Supervisor feedback"))
        column = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(tr("Supervisor feedback summary"))
        self.list = QListWidget()
        self.list.setObjectName("feedback_list")
        self.list.setAccessibleName(tr("Supervisor feedback on this note"))
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(96)
        column.addWidget(self.summary)
        column.addWidget(self.list)
        self.resubmit_hint = QLabel()
        self.resubmit_hint.setObjectName("resubmit_hint")
        self.resubmit_hint.setWordWrap(True)
        self.resubmit_hint.setAccessibleName(tr("Resubmitting this note"))
        self.resubmit_button = QPushButton(tr("Resub&mit for review"))
        self.resubmit_button.setObjectName("resubmit_button")
        self.resubmit_button.setAccessibleName(tr("Resubmit the note for review"))
        self.resubmit_button.setToolTip(
            tr("Send the note and your new addenda back to your supervisor with the next sync")
        )
        self.resubmit_button.clicked.connect(self.resubmit)
        row = QHBoxLayout()
        row.addWidget(self.resubmit_hint, 1)
        row.addWidget(self.resubmit_button)
        column.addLayout(row)
        self._show_resubmit(None)
        self.hide()

    def texts(self) -> list[str]:
        return list_texts(self.list)

    def show_for(self, note: Note | None) -> None:
        """Show the feedback of ``note`` (hidden for a draft or no note)."""
        self.list.clear()
        if note is None or note.state is NoteState.DRAFT:
            self.note_id = None
            self.note_state = None
            self.summary.clear()
            self._show_resubmit(None)
            self.hide()
            return
        self.note_id = note.id
        self.note_state = note.state
        self.summary.setText(tr("Reading your supervisor's feedback…"))
        self.list.hide()  # no empty box: shown once there is feedback (issue 21)
        self.show()
        self.reload()

    def reload(self) -> None:
        """Read the open note's feedback again (after a sync)."""
        note_id = self.note_id
        if note_id is None or self.taskman.closed:
            return
        returned = self.note_state is NoteState.RETURNED
        self.taskman.db(_read, self.session, note_id, returned).success(
            lambda read: self._fill(note_id, read)
        ).failure(lambda exc: self._failed(note_id, exc)).run()

    def _alive(self) -> bool:
        """False once the editor was destroyed (a result can arrive after that)."""
        return shiboken6.isValid(self) and shiboken6.isValid(self.list)

    def _fill(self, note_id: str, read: _Read) -> None:
        if not self._alive() or note_id != self.note_id:
            return  # destroyed, or another note was opened meanwhile
        result = read.feedback
        self._show_resubmit(read.answers)
        self.list.clear()
        for item in result.items:
            self.list.addItem(feedback_text(item))
        self.list.setVisible(bool(result.items))
        if result.items:
            self.summary.setText(
                tr("Decisions from your supervisor, oldest first: {count}").format(
                    count=len(result.items)
                )
            )
        else:
            self.summary.setText(tr("No feedback from your supervisor yet."))
        if result.damaged:
            self.summary.setText(
                self.summary.text() + " " + tr("Some feedback is damaged and cannot be read.")
            )

    def _failed(self, note_id: str, exc: BaseException) -> None:
        if self._alive() and note_id == self.note_id:
            self.summary.setText(message_for(exc))

    # --- resubmitting -----------------------------------------------------------------

    def _show_resubmit(self, answers: list[str] | None) -> None:
        """``answers``: the addenda answering the return (None: not a returned note)."""
        returned = answers is not None
        self.resubmit_button.setVisible(returned)
        self.resubmit_hint.setVisible(returned)
        self.resubmit_button.setEnabled(bool(answers))
        if not returned:
            self.resubmit_hint.clear()
        elif answers:
            self.resubmit_hint.setText(
                tr(
                    "Returned for changes. %n addendum(s) written in answer to the comment: resubmit the "
                    "note when you are done.",
                    None,
                    len(answers),
                )
            )
        else:
            self.resubmit_hint.setText(
                tr(
                    "Returned for changes: add an addendum below that answers the comment, "
                    "then resubmit the note."
                )
            )
        self.resubmit_button.setAccessibleDescription(self.resubmit_hint.text())

    def resubmit(self) -> None:
        """Send the returned note back for review (DB thread; it syncs next time)."""
        note_id = self.note_id
        if note_id is None or not self.resubmit_button.isEnabled() or self.taskman.closed:
            return
        self.resubmit_button.setEnabled(False)

        def done(resubmitted: OpResult[Note]) -> None:
            if not self._alive():
                return
            self.resubmit_hint.setText(
                tr("Resubmitted: it goes back to your supervisor with the next sync.")
            )
            self.resubmitted.emit(resubmitted.value)

        def failed(exc: BaseException) -> None:
            if not self._alive():
                return
            if not isinstance(exc, PeerDeskError):
                raise exc
            self.resubmit_hint.setText(message_for(exc))
            self.reload()

        change(self.taskman, self.session.notes.resubmit, note_id).origin(self).success(
            done
        ).failure(failed).run()

    def clear(self) -> None:
        self.show_for(None)
