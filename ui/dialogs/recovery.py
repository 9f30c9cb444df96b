"""Forgot the passphrase: a one-time recovery code from IT and a new passphrase.

IT opens the laptop's escrowed recovery secret with the agency's offline key
(``peerdesk-agency recover``) and reads the code over the phone. This dialog
takes that code and a new passphrase (checked as it is typed, like a new
profile's: :class:`ui.dialogs.new_passphrase.NewPassphraseFields`) and calls
:meth:`peerdesk.services.ProfileManager.recover`, which sets the passphrase and
returns the profile unlocked.

Every problem is said in words: a mistyped code (caught here, before the slow
check and before a failed attempt is counted), a code that does not open this
profile (another laptop's, or used already), the wait after too many such codes,
an erased profile. The code and the passphrases are never logged and are
cleared from the widgets when the dialog closes.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.errors import (
    PassphrasePolicyError,
    PeerDeskError,
    ProfileWiped,
    TooManyAttempts,
    ValidationError,
)
from peerdesk.services import (
    RECOVERY_CODE_CHARS,
    ProfileManager,
    Session,
    check_recovery_code,
)
from ui.dialogs import Runner, grow_to_fit, run_now
from ui.dialogs.new_passphrase import NewPassphraseFields, add_block, form_message, set_message
from ui.errors import message_for
from ui.i18n import core_text, tr

__all__ = ["RecoverFn", "RecoveryDialog", "code_length"]

#: ``recover(name, code, new_passphrase) -> Session`` (``ProfileManager.recover``)
RecoverFn = Callable[[str, str, str], Session]


def code_length(code: str) -> int:
    """Letters and digits typed (dashes and spaces do not count)."""
    return sum(1 for ch in code if ch not in " -\t")


class RecoveryDialog(QDialog):
    """Recover the profile ``name``: on success the unlocked session is in
    :attr:`session` and the dialog is accepted. The slow call goes through
    ``runner`` (see :mod:`ui.dialogs`)."""

    def __init__(
        self,
        manager: ProfileManager,
        name: str,
        parent: QWidget | None = None,
        *,
        runner: Runner = run_now,
        recover: RecoverFn | None = None,
    ) -> None:
        super().__init__(parent)
        self.manager = manager
        self.profile_name = name
        self.session: Session | None = None
        self._runner = runner
        self._recover = recover or manager.recover
        self._busy = False
        self._cooling = False
        #: the profile turned out to be erased: nothing more to try here
        self.wiped = False
        self._cooldown_timer = QTimer(self)
        self._cooldown_timer.setSingleShot(True)
        self._cooldown_timer.timeout.connect(self._cooldown_over)

        self.setWindowTitle(tr("Set a new passphrase with a recovery code"))
        self.setMinimumWidth(520)

        intro = QLabel(
            tr(
                "Forgot the passphrase of “{profile}”? Call your agency's IT: they can "
                "read you a one-time recovery code for this laptop. Type it here with a "
                "new passphrase; your notes stay as they are."
            ).format(profile=name)
        )
        intro.setWordWrap(True)
        intro.setAccessibleName(tr("About recovery"))

        self.code = QLineEdit()
        self.code.setAccessibleName(tr("Recovery code"))
        self.code.setPlaceholderText(tr("For example 7K3M-Q9XD-…"))
        self.code.setMaxLength(64)
        self.code_message = form_message(tr("Recovery code check"))

        self.new_passphrase = fields = NewPassphraseFields(self, lambda: (name,))
        self.passphrase = fields.passphrase
        self.confirm = fields.confirm

        self.error = form_message(tr("Recovery problem"))
        bold = self.error.font()
        bold.setBold(True)
        self.error.setFont(bold)
        self.error.hide()

        self.buttons = QDialogButtonBox()
        self.recover_button: QPushButton = self.buttons.addButton(
            tr("Set passphrase and &unlock"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.recover_button.setAccessibleName(tr("Set the new passphrase and unlock"))
        self.cancel_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setText(tr("Cancel"))
        self.cancel_button.setAccessibleName(tr("Cancel"))
        self.buttons.accepted.connect(self.try_recover)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(12)
        add_block(form, tr("Recovery &code:"), (self.code, self.code_message))
        fields.add_rows(form, tr("&New passphrase:"), tr("C&onfirm new passphrase:"))
        fields.add_toggle_row(form)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)

        QWidget.setTabOrder(self.code, self.passphrase)
        QWidget.setTabOrder(self.passphrase, self.confirm)
        QWidget.setTabOrder(self.confirm, fields.show_passphrase)
        QWidget.setTabOrder(fields.show_passphrase, self.recover_button)
        QWidget.setTabOrder(self.recover_button, self.cancel_button)

        self.code.textChanged.connect(self._code_changed)
        fields.changed.connect(self._update_button)
        self._code_changed()
        fields.recheck()
        self.code.setFocus()

    # -- live checks ---------------------------------------------------------------------

    def _code_changed(self) -> None:
        typed = code_length(self.code.text())
        if typed == 0:
            text = tr(
                "%n letters and digits, as IT reads them to you; dashes and spaces do not matter.",
                None,
                RECOVERY_CODE_CHARS,
            )
        else:
            text = tr("%n of {total} letters and digits typed.", None, typed).format(
                total=RECOVERY_CODE_CHARS
            )
        set_message(self, self.code_message, text)
        self.code.setAccessibleDescription(text)
        self._update_button()

    def _update_button(self) -> None:
        blocked = self._busy or self._cooling or self.wiped
        if not blocked:
            self.error.hide()  # an earlier problem no longer applies once something changed
        ready = bool(self.code.text().strip()) and self.new_passphrase.is_acceptable()
        self.recover_button.setEnabled(ready and not blocked)
        if not self._busy:
            self.recover_button.setDefault(True)

    def _say(self, text: str) -> None:
        set_message(self, self.error, text)
        self.error.setAccessibleDescription(text)

    # -- recovering ----------------------------------------------------------------------

    def try_recover(self) -> None:
        if self._busy or self._cooling or self.wiped or not self.recover_button.isEnabled():
            return
        code = self.code.text()
        # A mistyped code is said at once and is not counted as a failed attempt.
        try:
            check_recovery_code(code)
        except ValidationError:
            self._say(self._mistyped_text(code))
            self.code.setFocus()
            self.code.selectAll()
            return
        name, passphrase, recover = self.profile_name, self.new_passphrase.text(), self._recover
        self._set_busy(True)
        self._runner(lambda: recover(name, code, passphrase), self._recovered, self._failed)

    @staticmethod
    def _mistyped_text(code: str) -> str:
        typed = code_length(code)
        if typed != RECOVERY_CODE_CHARS:
            return tr(
                "This is not a whole recovery code: it has {total} letters and digits, "
                "and %n were typed. Check it with IT.",
                None,
                typed,
            ).format(total=RECOVERY_CODE_CHARS)
        return tr(
            "The recovery code has a typo: one of its letters or digits is wrong (its "
            "last character checks the others). Read it back to IT character by character."
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.code.setReadOnly(busy)
        self.new_passphrase.set_read_only(busy)
        self.cancel_button.setEnabled(not busy)
        if busy:
            self._say(tr("Checking the code and setting the new passphrase…"))
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()
        self._update_button()

    def _recovered(self, session: Session) -> None:
        self._set_busy(False)
        self.session = session
        self.accept()

    def _failed(self, exc: PeerDeskError) -> None:
        self._set_busy(False)
        focus: QWidget = self.code
        if isinstance(exc, TooManyAttempts):
            self._start_cooldown(exc.retry_after_s)
            return
        if isinstance(exc, ValidationError) and exc.field == "recovery_code":
            text = tr(
                "This recovery code does not open this profile: it was made for another "
                "laptop or profile, or it was used already. Ask IT for a new code. (A "
                "profile that was never connected to the agency has no recovery code.)"
            )
        elif isinstance(exc, PassphrasePolicyError):
            text = "\n".join(
                [tr("The new passphrase was refused:"), *(core_text(p) for p in exc.problems)]
            )
            focus = self.passphrase
        elif isinstance(exc, ProfileWiped):
            text = tr(
                "This profile was erased (after too many wrong passphrases, or by your "
                "agency). A recovery code cannot bring it back. Please contact your "
                "agency's IT support."
            )
            self.wiped = True
            self.code.setReadOnly(True)
            self.new_passphrase.set_read_only(True)
            focus = self.cancel_button
        else:
            text = tr("The passphrase was not changed.") + " " + message_for(exc)
        self._update_button()
        self._say(text)
        focus.setFocus()

    # -- cool-down -------------------------------------------------------------------------

    def _start_cooldown(self, wait_s: float) -> None:
        seconds = max(1, math.ceil(wait_s))
        self._cooling = True
        self._say(
            tr(
                "Too many recovery codes that did not open this profile: you can try "
                "again in %n second(s). Nothing was changed.",
                None,
                seconds,
            )
        )
        self._update_button()
        self.code.setFocus()
        # A little after the vault's own deadline, so it agrees the wait is over.
        self._cooldown_timer.start(seconds * 1000 + 50)

    def _cooldown_over(self) -> None:
        self._cooling = False
        self._update_button()
        self._say(tr("You can try a recovery code again now."))

    @property
    def cooling_down(self) -> bool:
        return self._cooling

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        grow_to_fit(self, shrink=True)

    # -- closing ---------------------------------------------------------------------------

    def reject(self) -> None:
        if self._busy:  # the new passphrase is being set; it cannot be stopped half way
            return
        super().reject()

    def done(self, result: int) -> None:
        # The code and the passphrases never stay in the widgets.
        self._cooldown_timer.stop()
        self.code.clear()
        self.new_passphrase.clear()
        super().done(result)
