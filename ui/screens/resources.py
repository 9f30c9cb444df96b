"""The Resources screen. For now a placeholder page that says what it will hold:
the community resource directory (searchable offline) and referrals. Another part
of the "Desktop app" work builds it; this module and :class:`ResourcesScreen` keep
its place in the sidebar so the window does not change when it arrives."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from peerdesk.service import Session
from ui.i18n import tr
from ui.taskman import TaskManager
from ui.widgets import PlaceholderPage

__all__ = ["ResourcesScreen"]


class ResourcesScreen(PlaceholderPage):
    """Placeholder for the resource directory (nothing here is functional yet)."""

    def __init__(
        self, session: Session, taskman: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "resources",
            tr("Resource directory"),
            tr(
                "This page will hold the community resource directory: clinics, food "
                "banks, shelters, crisis lines and other services, searchable without "
                "an internet connection, and a way to refer a participant to one of them."
            ),
            tr(
                "It is not part of this version yet, so there is nothing to search here "
                "for now. Please use your agency's resource list in the meantime."
            ),
            parent,
        )
        self.session = session
        self.taskman = taskman
        self.setObjectName("resourcesScreen")

    def clear(self) -> None:
        """Nothing decrypted is shown here (called on lock like every screen)."""
