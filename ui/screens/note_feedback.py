"""The supervisor's feedback on a note, shown read-only in the note editor.

Feedback arrives with a sync (sealed to this laptop, stored encrypted). For a note
that is not a draft, :class:`FeedbackPanel` lists every decision received for it,
oldest first: the decision in words (approved / returned for changes), the
comment, the reviewer and the date. Drafts have none, so the panel is hidden.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QVBoxLayout, QWidget

from peerdesk.domain.models import Note, NoteState
from peerdesk.service import Session
from ui.errors import message_for
from ui.i18n import tr
from ui.taskman import TaskManager

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


class FeedbackPanel(QGroupBox):
    """Read-only list of the supervisor's decisions on the open note."""

    def __init__(
        self, session: Session, taskman: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("Supervisor feedback"), parent)
        self.session = session
        self.taskman = taskman
        self.note_id: str | None = None
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
        self.hide()

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def show_for(self, note: Note | None) -> None:
        """Show the feedback of ``note`` (hidden for a draft or no note)."""
        self.list.clear()
        if note is None or note.state is NoteState.DRAFT:
            self.note_id = None
            self.summary.clear()
            self.hide()
            return
        self.note_id = note.id
        self.summary.setText(tr("Reading your supervisor's feedback…"))
        self.show()
        self.reload()

    def reload(self) -> None:
        """Read the open note's feedback again (after a sync)."""
        note_id = self.note_id
        if note_id is None or self.taskman.closed:
            return
        self.taskman.db(self.session.feedback_for, note_id).success(
            lambda result: self._fill(note_id, result)
        ).failure(lambda exc: self._failed(note_id, exc)).run()

    def _alive(self) -> bool:
        """False once the editor was destroyed (a result can arrive after that)."""
        return shiboken6.isValid(self) and shiboken6.isValid(self.list)

    def _fill(self, note_id: str, result: Any) -> None:
        if not self._alive() or note_id != self.note_id:
            return  # destroyed, or another note was opened meanwhile
        self.list.clear()
        for item in result.items:
            self.list.addItem(feedback_text(item))
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

    def clear(self) -> None:
        self.show_for(None)
