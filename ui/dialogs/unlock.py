"""Unlock a profile: choose who you are, type the passphrase.

Several peers may share one laptop, so the dialog lists every profile (the last
one used preselected). Each failure is said in words next to the passphrase:
attempts left before the profile is erased, the wait after too many wrong
passphrases (the Unlock button stays disabled until it has passed; a timer, no
sleeping), or that the profile was erased. The erase rule (how many wrong
passphrases in a row erase a profile, from the policy) is said before the first
attempt. "Forgot your passphrase?" opens :class:`ui.dialogs.recovery.RecoveryDialog`
(a one-time code from IT and a new passphrase), which unlocks the profile.
"New profile…" closes the dialog with :attr:`UnlockDialog.NewProfile`, for the
caller to open the create dialog.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.errors import (
    CorruptData,
    PeerDeskError,
    ProfileWiped,
    TooManyAttempts,
    WrongPassphrase,
)
from peerdesk.services import ProfileManager, Session
from ui.dialogs import Runner, grow_to_fit, run_now
from ui.dialogs.laptop import erase_rule_text
from ui.dialogs.profile_setup import CreateProfileDialog
from ui.dialogs.recovery import RecoverFn, RecoveryDialog
from ui.errors import message_for
from ui.i18n import tr

UnlockFn = Callable[[Session, str], None]


def _unlock(session: Session, passphrase: str) -> None:
    session.unlock(passphrase)


class UnlockDialog(QDialog):
    """Choose a profile and unlock it. On success the unlocked session is in
    :attr:`session` and the dialog is accepted; sessions opened for the other
    profiles on the way are closed."""

    #: result code of :meth:`exec` when the user asked for a new profile
    NewProfile = 2

    def __init__(
        self,
        manager: ProfileManager,
        last_profile: str | None = None,
        parent: QWidget | None = None,
        *,
        runner: Runner = run_now,
        unlock: UnlockFn = _unlock,
        recover: RecoverFn | None = None,
    ) -> None:
        super().__init__(parent)
        self.manager = manager
        self.session: Session | None = None
        self._runner = runner
        self._unlock = unlock
        self._recover = recover
        #: the recovery dialog while it is open (tests drive it)
        self.recovery: RecoveryDialog | None = None
        self._sessions: dict[str, Session] = {}
        self._wiped: set[str] = set()
        self._busy = False
        self._cooldown_profile: str | None = None
        self._cooldown_deadline = 0.0
        self._cooldown_lead = ""
        self._cooldown_timer = QTimer(self)
        self._cooldown_timer.setSingleShot(True)
        self._cooldown_timer.timeout.connect(self._cooldown_tick)

        self.setWindowTitle(tr("Unlock PeerDesk"))
        self.setMinimumWidth(440)

        self.profile = QComboBox()
        self.profile.setAccessibleName(tr("Profile"))
        names = manager.list_profiles()
        self.profile.addItems(names)
        if last_profile in names:
            self.profile.setCurrentText(last_profile)

        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Passphrase"))

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(tr("Unlock message"))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        # Room for two lines from the start, so the first message does not resize.
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.buttons = QDialogButtonBox()
        self.unlock_button: QPushButton = self.buttons.addButton(
            tr("&Unlock"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.unlock_button.setAccessibleName(tr("Unlock"))
        self.new_button: QPushButton = self.buttons.addButton(
            tr("&New profile…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.new_button.setAccessibleName(tr("New profile"))
        self.cancel_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setText(tr("Cancel"))
        self.cancel_button.setAccessibleName(tr("Cancel"))
        # Enter reaches the dialog's default button only: the passphrase field's
        # returnPressed is deliberately not connected, so one Enter is one attempt.
        self.unlock_button.setDefault(True)
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)
        self.new_button.clicked.connect(self.ask_new_profile)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        profile_label = QLabel(tr("&Profile:"))
        profile_label.setBuddy(self.profile)
        form.addRow(profile_label, self.profile)
        pass_label = QLabel(tr("P&assphrase:"))
        pass_label.setBuddy(self.passphrase)
        form.addRow(pass_label, self.passphrase)
        form.addRow("", self.message)
        self.forgot_button = QPushButton(tr("&Forgot your passphrase?"))
        self.forgot_button.setAccessibleName(tr("Forgot your passphrase?"))
        self.forgot_button.setToolTip(
            tr("Set a new passphrase with a one-time recovery code from your agency's IT")
        )
        self.forgot_button.setAutoDefault(False)  # Enter stays Unlock
        self.forgot_button.clicked.connect(self.ask_recovery)
        forgot_row = QHBoxLayout()
        forgot_row.addWidget(self.forgot_button)
        forgot_row.addStretch(1)
        form.addRow("", forgot_row)

        intro = QLabel(tr("Choose your profile and type its passphrase."))
        intro.setWordWrap(True)
        intro.setAccessibleName(tr("Instructions"))
        # Said before the first wrong attempt, not only after one.
        self.erase_rule = QLabel(erase_rule_text(manager))
        self.erase_rule.setWordWrap(True)
        self.erase_rule.setAccessibleName(tr("Erase rule"))
        self.erase_rule.setVisible(bool(self.erase_rule.text()))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.erase_rule)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        QWidget.setTabOrder(self.profile, self.passphrase)
        QWidget.setTabOrder(self.passphrase, self.forgot_button)
        QWidget.setTabOrder(self.forgot_button, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.new_button)
        QWidget.setTabOrder(self.new_button, self.cancel_button)

        self.profile.currentTextChanged.connect(self._profile_changed)
        self._profile_changed()
        if names:
            self.passphrase.setFocus()
        else:
            self.new_button.setFocus()

    # -- state -----------------------------------------------------------------------------

    def selected_profile(self) -> str:
        return self.profile.currentText()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        grow_to_fit(self)
        # Read again by a screen reader when the field gets the focus back.
        self.passphrase.setAccessibleDescription(text)

    def _profile_changed(self) -> None:
        name = self.selected_profile()
        if self._cooldown_profile is not None and self._cooldown_profile != name:
            self._end_cooldown(announce=False)
        if not name:
            self._say(tr("There is no profile on this computer yet. Choose “New profile…”."))
        elif name in self._wiped:
            self._say(self._wiped_text())
        else:
            self._say("")
            session = self._sessions.get(name)
            if session is not None:
                wait = session.retry_after()
                if wait > 0:
                    self._start_cooldown(name, wait)
        self._update_controls()

    def _update_controls(self) -> None:
        name = self.selected_profile()
        usable = bool(name) and name not in self._wiped
        cooling = self._cooldown_profile == name and name != ""
        # While busy the field is read-only, not disabled: a disabled field would push
        # the keyboard focus onto a button, and Enter would then press that button.
        self.passphrase.setEnabled(usable)
        self.passphrase.setReadOnly(self._busy)
        self.profile.setEnabled(not self._busy)
        self.unlock_button.setEnabled(usable and not cooling and not self._busy)
        self.new_button.setEnabled(not self._busy)
        self.cancel_button.setEnabled(not self._busy)
        # also during a cool-down: a recovery code resets it
        self.forgot_button.setEnabled(usable and not self._busy)
        if not self._busy and self.passphrase.isEnabled():
            self.unlock_button.setDefault(True)  # Enter = Unlock, whatever had the focus

    # -- unlocking -------------------------------------------------------------------------

    def try_unlock(self) -> None:
        """One attempt with the typed passphrase (the Unlock button and Enter)."""
        name = self.selected_profile()
        if self._busy or not self.unlock_button.isEnabled() or not name:
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self._say(tr("Type your passphrase first."))
            self.passphrase.setFocus()
            return
        self._set_busy(True)
        session = self._sessions.get(name)
        if session is not None:
            self._attempt(name, session, passphrase)
            return
        # Opening migrates the profile's database: slow work too, so through the runner.
        manager = self.manager
        self._runner(
            lambda: manager.open(name),
            lambda opened: self._opened(name, opened, passphrase),
            lambda exc: self._failed(name, exc),
        )

    def _opened(self, name: str, session: Session, passphrase: str) -> None:
        self._sessions[name] = session
        self._attempt(name, session, passphrase)

    def _attempt(self, name: str, session: Session, passphrase: str) -> None:
        unlock = self._unlock
        self._runner(
            lambda: unlock(session, passphrase),
            lambda _result: self._unlocked(name, session),
            lambda exc: self._failed(name, exc),
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        if busy:
            self._say(tr("Checking the passphrase…"))
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()
        self._update_controls()

    def _unlocked(self, name: str, session: Session) -> None:
        self._set_busy(False)
        self.session = session
        del self._sessions[name]
        self.accept()

    def _failed(self, name: str, exc: PeerDeskError) -> None:
        if self._busy:
            self._set_busy(False)
        if isinstance(exc, WrongPassphrase):
            text = tr("Wrong passphrase.")
            if exc.attempts_left is not None:
                text += " " + tr(
                    "%n attempt(s) left before this profile is erased.", None, exc.attempts_left
                )
            self._say(text)
            session = self._sessions.get(name)
            wait = session.retry_after() if session is not None else 0.0
            if wait > 0:
                self._start_cooldown(name, wait, lead=text)
        elif isinstance(exc, TooManyAttempts):
            self._start_cooldown(name, exc.retry_after_s)
        elif isinstance(exc, ProfileWiped):
            self._wiped.add(name)
            self._say(self._wiped_text())
        elif isinstance(exc, CorruptData):
            # Here it is the profile's key file or database, not one record.
            self._say(
                tr(
                    "This profile is damaged and cannot be opened. Your other profiles are "
                    "not affected. Please contact your agency's IT support."
                )
            )
        else:
            # One sentence per error class, shared by the whole UI (ui.errors).
            self._say(message_for(exc))
        self._update_controls()
        if self.passphrase.isEnabled():
            self.passphrase.setFocus()
            self.passphrase.selectAll()
        else:
            self.passphrase.clear()
            self.new_button.setFocus()

    @staticmethod
    def _wiped_text() -> str:
        return tr(
            "This profile was erased after too many wrong passphrases (or by your "
            "agency). Its notes cannot be opened on this computer any more. Please "
            "contact your agency's IT support."
        )

    # -- cool-down -------------------------------------------------------------------------

    def _start_cooldown(self, name: str, wait_s: float, lead: str = "") -> None:
        self._cooldown_profile = name
        self._cooldown_deadline = time.monotonic() + wait_s
        self._cooldown_lead = lead
        self._cooldown_tick()

    def _cooldown_tick(self) -> None:
        remaining = self._cooldown_deadline - time.monotonic()
        if remaining <= 0:
            self._end_cooldown(announce=True)
            return
        seconds = math.ceil(remaining)
        wait = tr("Too many wrong passphrases: you can try again in %n second(s).", None, seconds)
        self._say(f"{self._cooldown_lead} {wait}".strip())
        self._update_controls()
        # Wake at the next whole second, or at the deadline (a little after, so the
        # vault's own clock agrees that the wait is over).
        self._cooldown_timer.start(max(1, min(1000, math.ceil(remaining * 1000) + 50)))

    def _end_cooldown(self, *, announce: bool) -> None:
        self._cooldown_timer.stop()
        self._cooldown_profile = None
        self._cooldown_lead = ""
        if announce:
            self._say(tr("You can try your passphrase again now."))
        self._update_controls()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Qt sizes word-wrapped labels by a guess; fit the real height once shown.
        grow_to_fit(self, shrink=True)

    # -- recovery --------------------------------------------------------------------------

    def ask_recovery(self) -> None:
        """ "Forgot your passphrase?": a recovery code from IT and a new passphrase.
        On success the profile is unlocked and this dialog accepted."""
        name = self.selected_profile()
        if self._busy or not name or name in self._wiped:
            return
        # The vault is re-read by the recovery; a session opened here for the
        # earlier attempts would keep the old header, so it is closed first.
        stale = self._sessions.pop(name, None)
        if stale is not None:
            stale.close()
        self.recovery = dialog = RecoveryDialog(
            self.manager, name, self, runner=self._runner, recover=self._recover
        )
        dialog.finished.connect(lambda result: self._recovery_done(dialog, result))
        dialog.open()  # modal over this dialog; the answer comes in _recovery_done

    def _recovery_done(self, dialog: RecoveryDialog, result: int) -> None:
        self.recovery = None
        session = dialog.session
        if dialog.wiped:
            self._wiped.add(dialog.profile_name)
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted and session is not None:
            self._end_cooldown(announce=False)
            self.session = session
            self.accept()
            return
        self._profile_changed()
        if self.passphrase.isEnabled():
            self.passphrase.setFocus()

    # -- other exits -----------------------------------------------------------------------

    def ask_new_profile(self) -> None:
        if not self._busy:
            self.done(self.NewProfile)

    def reject(self) -> None:
        if self._busy:  # an attempt is being checked; it cannot be stopped half way
            return
        super().reject()

    def done(self, result: int) -> None:
        self.passphrase.clear()
        self._cooldown_timer.stop()
        for session in self._sessions.values():
            session.close()
        self._sessions.clear()
        super().done(result)


def sign_in(
    manager: ProfileManager, last: str | None, parent: QWidget | None = None
) -> Session | None:
    """Unlock a profile, or create one (first run or "New profile…")."""
    while True:
        if manager.list_profiles():
            dialog = UnlockDialog(manager, last, parent)
            result = dialog.exec()
            if result == QDialog.DialogCode.Accepted:
                return dialog.session
            if result != UnlockDialog.NewProfile:
                return None
        create = CreateProfileDialog(manager, parent)
        if create.exec() == QDialog.DialogCode.Accepted:
            return create.session
        if not manager.list_profiles():
            return None
