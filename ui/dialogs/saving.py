"""The base of the dialogs that save one thing.

:class:`FormDialog` is a form's problem line (hidden until there is a problem)
and its Save / Cancel buttons: Save is the default button, so Enter presses it,
and Esc cancels. The appointment and ride-done dialogs
(:mod:`ui.screens.appointment_form`), which only gather what is typed for the
week screen to save, are this.

:class:`SavingDialog` adds the saving, for the directory's referral and
correction dialogs (:mod:`ui.dialogs.refer`) and the forms of the participant's
record (:mod:`ui.screens.record_forms`): its Save (or OK) runs one data-changing
service call on the DB thread through :mod:`ui.operations` (origin: the dialog),
at most one at a time; when the core refuses it the reason is shown in the
dialog, which stays open; when it is saved the dialog emits
:attr:`SavingDialog.saved` with the call's value and closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from peerdesk.errors import PeerDeskError
from peerdesk.services import OpResult, Session
from ui.errors import message_for
from ui.i18n import tr
from ui.operations import change
from ui.taskman import TaskManager
from ui.widgets import make_error_label

__all__ = ["FormDialog", "SavingDialog"]


class FormDialog(QDialog):
    """A dialog with a problem line; :meth:`save_cancel` makes its buttons."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.problem = make_error_label()
        self.problem.setAccessibleName(tr("Problem"))
        self.problem.hide()

    def show_problem(self, message: str) -> None:
        """Say what is wrong ("" hides the line)."""
        self.problem.setText(tr("Problem: {message}").format(message=message) if message else "")
        self.problem.setVisible(bool(message))

    def save_cancel(self) -> QDialogButtonBox:
        """Save (the default button: Enter) calls :meth:`save`; Cancel (Esc) rejects.
        A dialog with other buttons (the directory's OK) makes its own."""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName(tr("Save"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        return buttons

    def save(self) -> None:
        """Save was pressed: a form that only gathers input accepts (its
        :meth:`accept` may check it first); a :class:`SavingDialog` saves."""
        self.accept()


class SavingDialog(FormDialog):
    """A dialog whose Save runs one service call: :meth:`run` from :meth:`save`."""

    #: the saved value (what the service call returned), just before the dialog closes
    saved = Signal(object)

    def __init__(
        self, session: Session, taskman: TaskManager, title: str, parent: QWidget | None
    ) -> None:
        super().__init__(title, parent)
        self.session = session
        self.taskman = taskman
        #: a call is running (a second Save is ignored until it ends)
        self.busy = False

    def run(self, fn: Callable[..., OpResult[Any]], *args: object, **kwargs: object) -> None:
        """Run the service call ``fn(*args, **kwargs)`` unless one is running."""
        if self.busy:
            return
        self.busy = True
        self.show_problem("")
        change(self.taskman, fn, *args, **kwargs).origin(self).success(self._done).failure(
            self._failed
        ).run()

    def _done(self, result: OpResult[Any]) -> None:
        self.busy = False
        self.saved.emit(result.value)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.show_problem(message_for(exc))

    def save(self) -> None:  # pragma: no cover - every dialog has its own
        raise NotImplementedError
