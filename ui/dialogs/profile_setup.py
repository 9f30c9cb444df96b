"""Create a profile: a name, a passphrase (checked as the user types) and what
the profile is for: a peer specialist's work, or a supervisor's review of the
team's notes (the role cannot be changed later).

The Create button is enabled only when the name is allowed and free, the
passphrase meets the policy (:func:`peerdesk.services.assess_passphrase`) and the
confirmation matches. Every check is said in words; the strength meter has its
word next to it, so nothing depends on colour.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.errors import PassphrasePolicyError, PeerDeskError, ProfileExists, ValidationError
from peerdesk.services import ProfileManager, Session, assess_passphrase, validate_profile_name
from ui.dialogs import Runner, grow_to_fit, run_now
from ui.errors import message_for
from ui.i18n import core_text, tr

#: ``create(name, passphrase)`` for a peer profile, ``create(name, passphrase,
#: role="supervisor")`` for a supervisor's
CreateFn = Callable[..., Session]
PEER_ROLE, SUPERVISOR_ROLE = "peer", "supervisor"


def strength_word(score: int) -> str:
    """The zxcvbn score (0-4) in words."""
    words = (tr("very weak"), tr("weak"), tr("fair"), tr("good"), tr("strong"))
    return words[max(0, min(score, 4))]


def _form_message(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class CreateProfileDialog(QDialog):
    """Ask for a profile name, a new passphrase and the role; create the profile.

    ``create(name, passphrase) -> Session`` defaults to ``manager.create`` (with
    ``role="supervisor"`` added for a supervisor profile); the
    slow call goes through ``runner`` (see :mod:`ui.dialogs`). On success the new,
    unlocked session is in :attr:`session` and the dialog is accepted.
    """

    def __init__(
        self,
        manager: ProfileManager,
        parent: QWidget | None = None,
        *,
        create: CreateFn | None = None,
        runner: Runner = run_now,
    ) -> None:
        super().__init__(parent)
        self.manager = manager
        self.session: Session | None = None
        self._create = create or manager.create
        self._runner = runner
        self._busy = False
        self._existing = {n.casefold() for n in manager.list_profiles()}
        self._name_ok = False
        self._passphrase_ok = False
        self._match = False

        self.setWindowTitle(tr("New PeerDesk profile"))
        self.setMinimumWidth(500)

        intro = QLabel(
            tr(
                "Your profile keeps your notes encrypted on this computer. Choose a "
                "passphrase of at least 15 characters: a few unrelated words you will "
                "remember work well. No one can open the profile without it."
            )
        )
        intro.setWordWrap(True)
        intro.setAccessibleName(tr("About profiles"))

        self.name = QLineEdit()
        self.name.setAccessibleName(tr("Profile name"))
        self.name.setMaxLength(64)
        self.name_message = _form_message(tr("Profile name check"))

        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Passphrase"))
        self.problems = _form_message(tr("Passphrase rules"))
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)  # the word is in strength_label, not in the bar
        self.meter.setAccessibleName(tr("Passphrase strength meter"))
        self.meter.setFixedWidth(120)
        self.strength_label = _form_message(tr("Passphrase strength"))
        self.crack_time = _form_message(tr("Estimated guessing time"))
        self.suggestions = _form_message(tr("Passphrase suggestions"))

        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName(tr("Confirm passphrase"))
        self.match_label = _form_message(tr("Passphrase confirmation check"))

        self.role = QComboBox()
        self.role.setAccessibleName(tr("What the profile is for"))
        self.role.addItem(tr("A peer specialist: notes, trips and resources"), PEER_ROLE)
        self.role.addItem(tr("A supervisor: review the team's notes, reports"), SUPERVISOR_ROLE)
        self.role_message = _form_message(tr("About the role"))
        self.role.currentIndexChanged.connect(self._role_changed)

        self.show_passphrase = QCheckBox(tr("&Show passphrase"))
        self.show_passphrase.setAccessibleName(tr("Show passphrase"))
        self.show_passphrase.toggled.connect(self._toggle_echo)

        self.error = _form_message(tr("Error"))
        self.error.hide()

        self.buttons = QDialogButtonBox()
        self.create_button: QPushButton = self.buttons.addButton(
            tr("C&reate profile"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setAccessibleName(tr("Create profile"))
        self.create_button.setDefault(True)
        self.cancel_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setText(tr("Cancel"))
        self.cancel_button.setAccessibleName(tr("Cancel"))
        self.buttons.accepted.connect(self.try_create)
        self.buttons.rejected.connect(self.reject)

        self.strength_row = QWidget()
        strength = QHBoxLayout(self.strength_row)
        strength.setContentsMargins(0, 0, 0, 0)
        strength.addWidget(self.meter)
        strength.addWidget(self.strength_label, 1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(12)
        # Each field with its messages right under it, as one row of the form.
        for caption, widgets in (
            (tr("Profile &name:"), (self.name, self.name_message)),
            (
                tr("&Passphrase:"),
                (
                    self.passphrase,
                    self.problems,
                    self.strength_row,
                    self.crack_time,
                    self.suggestions,
                ),
            ),
            (tr("&Confirm passphrase:"), (self.confirm, self.match_label)),
            (tr("Profile is &for:"), (self.role, self.role_message)),
        ):
            label = QLabel(caption)
            label.setBuddy(widgets[0])
            block = QVBoxLayout()
            block.setSpacing(4)
            for widget in widgets:
                block.addWidget(widget)
            form.addRow(label, block)
        form.addRow("", self.show_passphrase)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)

        # Keyboard order: fields first, then the toggle, then the buttons.
        QWidget.setTabOrder(self.name, self.passphrase)
        QWidget.setTabOrder(self.passphrase, self.confirm)
        QWidget.setTabOrder(self.confirm, self.role)
        QWidget.setTabOrder(self.role, self.show_passphrase)
        QWidget.setTabOrder(self.show_passphrase, self.create_button)
        QWidget.setTabOrder(self.create_button, self.cancel_button)

        self.name.textChanged.connect(self._name_changed)
        self.passphrase.textChanged.connect(self._passphrase_changed)
        self.confirm.textChanged.connect(self._confirm_changed)
        self._name_changed()
        self._role_changed()
        self.name.setFocus()

    # -- live checks ---------------------------------------------------------------------

    def _context_words(self) -> tuple[str, ...]:
        name = self.name.text().strip()
        return (name,) if name else ()

    def _name_changed(self) -> None:
        text = self.name.text()
        self._name_ok = False
        if not text.strip():
            message = tr("Letters, digits, spaces, “.”, “_” or “-”; up to 64 characters.")
        else:
            try:
                name = validate_profile_name(text)
            except ValidationError:
                message = tr(
                    "This name cannot be used. Use only letters, digits, spaces, “.”, “_” "
                    "or “-”, start with a letter or digit and do not end with “.”."
                )
            else:
                if name.casefold() in self._existing:
                    message = tr(
                        "A profile with this name already exists on this computer. "
                        "Choose another name."
                    )
                else:
                    message = tr("This name can be used.")
                    self._name_ok = True
        self._set_message(self.name_message, message)
        self.name.setAccessibleDescription(message)
        # The profile name is a context word of the passphrase check.
        self._passphrase_changed()

    def _passphrase_changed(self) -> None:
        text = self.passphrase.text()
        if not text:
            self._passphrase_ok = False
            hint = tr("At least 15 characters. Spaces and any language are fine.")
            self._set_message(self.problems, hint)
            self._show_strength(None)
            self._set_message(self.crack_time, "")
            self._set_message(self.suggestions, "")
            self.passphrase.setAccessibleDescription(hint)
            self._confirm_changed()
            return
        assessment = assess_passphrase(text, self._context_words())
        self._passphrase_ok = assessment.acceptable
        # the core's sentences (Msgs) in the UI's language, zxcvbn's advice included
        problems = [core_text(p) for p in assessment.problems]
        score = assessment.score
        if problems:
            self._set_message(
                self.problems, "\n".join([tr("Not accepted yet:"), *(f"• {p}" for p in problems)])
            )
        else:
            self._set_message(self.problems, tr("Meets the passphrase rules."))
        if problems and score > 1:
            # The policy knows better than the estimate: a common password can still
            # look long and "strong" to zxcvbn, and its guessing time is meaningless.
            score = 1
            crack = tr("Time to guess it: not estimated, because of the problem above.")
        else:
            crack = tr("Time to guess it offline (estimate): %s") % core_text(assessment.crack_time)
        self._show_strength(score)
        self._set_message(self.crack_time, crack)
        tips = (
            "\n".join([tr("Tips:"), *(f"• {core_text(t)}" for t in assessment.feedback)])
            if assessment.feedback
            else ""
        )
        self._set_message(self.suggestions, tips)
        self.passphrase.setAccessibleDescription(" ".join([*problems, self.strength_label.text()]))
        self._confirm_changed()

    def _show_strength(self, score: int | None) -> None:
        value = 0 if score is None else score
        # The meter keeps the palette's colours (light or dark); the word beside it
        # says how strong the passphrase is, so nothing depends on colour.
        self.meter.setValue(value)
        if score is None:
            text = tr("Strength: not rated yet")
        else:
            text = tr("Strength: %s (%d of 4)") % (strength_word(score), score)
        self.strength_label.setText(text)
        self.meter.setAccessibleDescription(text)

    def _set_message(self, label: QLabel, text: str) -> None:
        """Show ``text`` under its field; an empty message takes no room."""
        label.setText(text)
        label.setVisible(bool(text))
        grow_to_fit(self)

    def _confirm_changed(self) -> None:
        first, second = self.passphrase.text(), self.confirm.text()
        self._match = bool(first) and first == second
        if not second:
            message = tr("Type the passphrase again to confirm it.")
        elif self._match:
            message = tr("The passphrases match.")
        else:
            message = tr("The passphrases do not match.")
        self._set_message(self.match_label, message)
        self.confirm.setAccessibleDescription(message)
        self._update_button()

    def _update_button(self) -> None:
        if not self._busy:
            self.error.hide()  # an earlier error no longer applies once something changed
        self.create_button.setEnabled(self.is_acceptable() and not self._busy)
        if not self._busy:
            self.create_button.setDefault(True)

    def is_acceptable(self) -> bool:
        return self._name_ok and self._passphrase_ok and self._match

    @property
    def chosen_role(self) -> str:
        return str(self.role.currentData())

    def _role_changed(self) -> None:
        if self.chosen_role == SUPERVISOR_ROLE:
            text = tr(
                "A supervisor profile reviews the notes your team syncs and makes reports; "
                "it holds no notes of its own. IT gives you a supervisor invite code."
            )
        else:
            text = tr("For your own notes, trips and resource lookups.")
        self._set_message(self.role_message, text)
        self.role.setAccessibleDescription(text)

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)

    # -- creating ------------------------------------------------------------------------

    def try_create(self) -> None:
        if self._busy or not self.is_acceptable():
            return
        name = validate_profile_name(self.name.text())
        passphrase = self.passphrase.text()
        create = self._create
        role = self.chosen_role
        self._set_busy(True)
        if role == PEER_ROLE:
            self._runner(lambda: create(name, passphrase), self._created, self._failed)
        else:
            self._runner(lambda: create(name, passphrase, role=role), self._created, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        # Read-only rather than disabled: a disabled field would push the keyboard
        # focus onto a button, and Enter would then press that button.
        for field in (self.name, self.passphrase, self.confirm):
            field.setReadOnly(busy)
        self.role.setEnabled(not busy)
        self.show_passphrase.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        if busy:
            self._set_message(
                self.error, tr("Creating the profile and its keys. This takes a moment…")
            )
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()
        self._update_button()

    def _created(self, session: Session) -> None:
        self._set_busy(False)
        self.session = session
        self.accept()

    def _failed(self, exc: PeerDeskError) -> None:
        self._set_busy(False)
        focus: QWidget = self.passphrase
        if isinstance(exc, ProfileExists):
            self._existing = {n.casefold() for n in self.manager.list_profiles()}
            self._existing.add(self.name.text().strip().casefold())
            self._name_changed()
            message = tr("A profile with this name already exists. Choose another name.")
            focus = self.name
        elif isinstance(exc, PassphrasePolicyError):
            message = "\n".join(
                [tr("The passphrase was refused:"), *(core_text(p) for p in exc.problems)]
            )
        else:
            # One sentence per error class, shared by the whole UI (ui.errors).
            message = tr("The profile was not created.") + " " + message_for(exc)
            if isinstance(exc, ValidationError) and exc.field == "name":
                focus = self.name
        self._set_message(self.error, message)
        focus.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Qt sizes word-wrapped labels by a guess; fit the real height once shown.
        grow_to_fit(self, shrink=True)

    # -- closing ---------------------------------------------------------------------------

    def reject(self) -> None:
        if self._busy:  # the keys are being made; it cannot be stopped half way
            return
        super().reject()

    def done(self, result: int) -> None:
        # Passphrases never stay in the widgets once the dialog is finished.
        self.passphrase.clear()
        self.confirm.clear()
        super().done(result)
