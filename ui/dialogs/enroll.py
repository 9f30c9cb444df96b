"""Right after a profile is created on a laptop that is not connected: offer to
connect it to the agency now. The form is the Sync screen's own
(:class:`ui.screens.enroll_form.EnrollForm`, with the role's words and the same
controller), so it works and words its problems the same way; "Skip for now"
closes the offer, and the Sync screen still has the form.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from peerdesk.services import Session
from ui.dialogs import grow_to_fit
from ui.i18n import tr
from ui.link_controller import LinkController
from ui.screens.enroll_form import EnrollForm
from ui.screens.sync_words import SyncWords

__all__ = ["EnrollDialog", "not_connected_yet", "offer_enrollment"]

#: how long "connected" stays in view before the offer closes by itself
CLOSE_AFTER_MS = 1200


class EnrollDialog(QDialog):
    """The offer (see the module docstring): accepted once the profile is
    enrolled, rejected when skipped."""

    def __init__(
        self,
        session: Session,
        controller: LinkController,
        words: SyncWords,
        parent: QWidget | None = None,
        *,
        close_after_ms: int = CLOSE_AFTER_MS,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Connect to your agency"))
        self.setMinimumWidth(560)
        self._close_after_ms = close_after_ms
        self._done_enrolling = False
        self.form = EnrollForm(session, controller, words, self, margins=(0, 0, 0, 0))
        self.form.enrolled.connect(self._enrolled)

        self.later = QLabel(
            tr("You can also skip this now and connect later: the Sync screen has the same form.")
        )
        self.later.setWordWrap(True)
        self.later.setAccessibleName(tr("Connecting later"))

        self.buttons = QDialogButtonBox()
        self.skip_button: QPushButton = self.buttons.addButton(
            tr("&Skip for now"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.skip_button.setAccessibleName(tr("Skip connecting for now"))
        self.skip_button.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.later)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)

        QWidget.setTabOrder(self.form.enroll_button, self.skip_button)
        self.form.enroll_button.setAutoDefault(True)
        self.form.enroll_button.setDefault(True)
        # the first empty field: the code when IT's file was found, else the file
        first = self.form.code_edit if self.form.provisioning_edit.text() else None
        (first or self.form.provisioning_edit).setFocus()

    @property
    def connecting(self) -> bool:
        return not self.form.enroll_button.isEnabled()

    def _enrolled(self) -> None:
        self._done_enrolling = True
        self.skip_button.setText(tr("Clo&se"))
        self.skip_button.setAccessibleName(tr("Close"))
        self.skip_button.setFocus()
        self.form.enroll_button.setEnabled(False)
        QTimer.singleShot(self._close_after_ms, self, self._close_enrolled)

    def _close_enrolled(self) -> None:
        if self.isVisible():
            self.accept()

    @property
    def is_enrolled(self) -> bool:
        """The profile was enrolled through this offer."""
        return self._done_enrolling

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        grow_to_fit(self, shrink=True)

    def reject(self) -> None:
        if self.connecting and not self._done_enrolling:
            return  # the agency is being asked; it cannot be stopped half way
        super().reject()

    def done(self, result: int) -> None:
        self.form.clear()
        super().done(result)


def offer_enrollment(
    parent: QWidget,
    session: Session,
    controller: LinkController,
    words: SyncWords,
    closed: Callable[[bool], object],
) -> EnrollDialog:
    """Open the offer over ``parent`` (window-modal, not blocking); when it
    closes, ``closed(enrolled)``."""
    dialog = EnrollDialog(session, controller, words, parent)

    def finished(_result: int) -> None:
        enrolled = dialog.is_enrolled
        dialog.deleteLater()
        closed(enrolled)

    dialog.finished.connect(finished)
    dialog.open()
    return dialog


def not_connected_yet() -> str:
    """What the status bar says after the offer was skipped."""
    return tr("Not connected to your agency yet: the Sync screen has the form when you are ready.")
