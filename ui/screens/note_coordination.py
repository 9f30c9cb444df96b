"""A note's coordination contact (issue 23): who on the participant's care team
this contact was coordinated with, if anyone.

The note keeps the care-team entry's id (``Note.coordinated_with``, inside its
encrypted content and its sync payload); notes written before default to no one.
:class:`CoordinationPicker` loads the chosen participant's care team on the DB
thread and offers "No one" and each person still on the team (and the one the
note names, even if they have left it since). Until the team has loaded it
keeps the note's choice, so an autosave in between does not drop it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from peerdesk.domain.care_team import CareTeamMember
from peerdesk.errors import PeerDeskError
from peerdesk.services import ReadResult, Session
from ui import record_labels as words
from ui.i18n import tr
from ui.operations import Follower
from ui.taskman import Latest, TaskManager

__all__ = ["CoordinationPicker"]


class CoordinationPicker(QComboBox):
    """No one, or a member of the participant's care team."""

    def __init__(self, session: Session, taskman: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.taskman = session, taskman
        self.participant_id: str | None = None
        self.loaded = False
        self._wanted: str | None = None  # the note's choice, kept until the team is read
        self._read_only = False
        self._latest = Latest()
        self.setAccessibleName(tr("Coordinated with someone on the care team"))
        self.currentIndexChanged.connect(self._remember)
        self._fill([])
        # someone added to the care team on the record window while the note is open
        Follower(
            self,
            taskman,
            {"record"},
            lambda: self.set_participant(self.participant_id, self.value(), again=True),
        )

    def set_participant(
        self, participant_id: str | None, chosen: str | None = None, *, again: bool = False
    ) -> None:
        """Show the care team of ``participant_id`` with ``chosen`` selected."""
        if participant_id == self.participant_id and not again:
            self._wanted = chosen
            self._select(chosen)
            return
        self.participant_id, self._wanted, self.loaded = participant_id, chosen, False
        self._fill([])
        if participant_id is None or self.taskman.closed:
            return
        only = self._latest.begin()

        @only
        def show(team: ReadResult[CareTeamMember]) -> None:
            keep = self._wanted
            self._fill([m for m in team.items if m.active or m.id == keep])
            self.loaded = True
            self._select(keep)

        self.taskman.db(self.session.record.care_team, participant_id).success(show).failure(
            self._failed
        ).run()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.setEnabled(not read_only and self.count() > 1)

    def value(self) -> str | None:
        """The chosen entry's id, or ``None`` for no one."""
        if not self.loaded:
            return self._wanted
        data = self.currentData()
        return str(data) if data else None

    def _remember(self, _index: int) -> None:
        if self.loaded:
            self._wanted = self.value()

    def _select(self, member_id: str | None) -> None:
        index = self.findData(member_id) if member_id else 0
        self.setCurrentIndex(max(index, 0))

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self._fill([])

    def _fill(self, members: list[CareTeamMember]) -> None:
        was = self.blockSignals(True)
        try:
            self.clear()
            self.addItem(tr("No one") if members else tr("No one (the care team is empty)"), None)
            for m in members:
                role = words.care_role_of(m)
                self.addItem(tr("{name}, {role}").format(name=m.name, role=role), m.id)
        finally:
            self.blockSignals(was)
        self.setEnabled(not self._read_only and bool(members))
