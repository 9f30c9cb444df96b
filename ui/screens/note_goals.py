"""Linking a note to the goals of the participant's recovery plan.

A note keeps its goals as a list of entries (``Note.goals``, sensitive). An
entry that is a plan goal's id links the note to that goal, and the plan shows
the note as progress on it (``peerdesk.domain.record.progress``); any other
entry is free text, as notes were before plans. In the form, a linked goal is
shown by its words: :class:`PlanGoalPicker` loads the plan of the chosen
participant on the DB thread, offers its goals in a list that adds the chosen
one as a line, shows ids as words (:meth:`to_lines`) and turns a line that is
exactly a goal's words back into its id (:meth:`to_entries`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from peerdesk.domain.record import GoalStatus, RecoveryPlan, goal_id_of
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from ui.i18n import tr
from ui.operations import Follower
from ui.taskman import Latest, TaskManager

__all__ = ["PlanGoalPicker"]


class PlanGoalPicker(QComboBox):
    """A list of the plan's open goals; choosing one adds its words to ``edit``."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        edit: QPlainTextEdit,
        on_loaded: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.taskman, self.edit = session, taskman, edit
        self.goals: dict[str, str] = {}  # id -> words, of every goal of the plan
        self._on_loaded = on_loaded
        self._latest = Latest()
        self.participant_id: str | None = None
        self.setAccessibleName(tr("Link a goal of the recovery plan"))
        self.activated.connect(self._chosen)
        self._fill([])
        # a goal added or met on the record window while the note is open
        Follower(self, taskman, {"record"}, lambda: self.set_participant(self.participant_id, True))

    def set_participant(self, participant_id: str | None, again: bool = False) -> None:
        if participant_id == self.participant_id and not again:
            return
        self.participant_id = participant_id
        self.goals = {}
        self._fill([])
        if participant_id is None or self.taskman.closed:
            return
        only = self._latest.begin()

        @only
        def show(plan: RecoveryPlan | None) -> None:
            goals = plan.goals if plan else ()
            self.goals = {g.id: g.text for g in goals}
            self._fill(
                [
                    (g.id, g.text)
                    for g in goals
                    if g.status not in (GoalStatus.MET, GoalStatus.SET_ASIDE)
                ]
            )
            if self._on_loaded is not None:
                self._on_loaded()

        self.taskman.db(self.session.record.plan, participant_id).success(show).failure(
            self._failed
        ).run()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self._fill([])

    def _fill(self, goals: Sequence[tuple[str, str]]) -> None:
        self.clear()
        self.addItem(tr("Link a plan goal…") if goals else tr("No open plan goals"), None)
        for gid, text in goals:
            self.addItem(text, gid)
        self.setEnabled(bool(goals))

    def _chosen(self, index: int) -> None:
        gid = self.itemData(index)
        if gid is None:
            return
        lines = [line for line in self.edit.toPlainText().splitlines() if line.strip()]
        if self.goals[gid] not in lines:
            lines.append(self.goals[gid])
            self.edit.setPlainText("\n".join(lines))
        self.setCurrentIndex(0)

    def to_lines(self, entries: Sequence[str]) -> list[str]:
        """A note's goal entries as the form shows them (linked goals by their words)."""
        return [self.goals.get(goal_id_of(e) or "", e) for e in entries]

    def to_entries(self, lines: Sequence[str]) -> tuple[str, ...]:
        """The form's lines as a note's entries (a plan goal's words become its id)."""
        ids = {text: gid for gid, text in self.goals.items()}
        return tuple(ids.get(line, line) for line in lines)
