"""The Sync screen. For now a placeholder page that says what it will hold: the
sync panel (what waits to be sent, what the agency held back and why, the last
successful sync, a button to sync now). Another part of the "Desktop app" work
builds it; this module and :class:`SyncScreen` keep its place in the sidebar."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from peerdesk.service import Session
from ui.i18n import tr
from ui.taskman import TaskManager
from ui.widgets import PlaceholderPage

__all__ = ["SyncScreen"]


class SyncScreen(PlaceholderPage):
    """Placeholder for the sync panel (nothing here is functional yet)."""

    def __init__(
        self, session: Session, taskman: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "sync",
            tr("Sync with your agency"),
            tr(
                "This page will show your sync with the agency: what is waiting to be "
                "sent, anything the agency held back and why, when the last successful "
                "sync was, and a button to sync now."
            ),
            tr(
                "Sync is not part of this version yet: nothing is sent from this computer. "
                "Signed notes, addenda, trips and participant changes are kept in a queue "
                "on this computer until sync arrives; the status bar shows how many wait."
            ),
            parent,
        )
        self.session = session
        self.taskman = taskman
        self.setObjectName("syncScreen")

    def clear(self) -> None:
        """Nothing decrypted is shown here (called on lock like every screen)."""
