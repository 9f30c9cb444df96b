"""Create a profile: a name, a passphrase (checked as the user types) and what
the profile is for: a peer specialist's work, or a supervisor's review of the
team's notes (the role cannot be changed later).

The Create button is enabled only when the name is allowed and free, the
passphrase meets the policy (:func:`peerdesk.services.assess_passphrase`) and the
confirmation matches. Every check is said in words; the strength meter has its
word next to it, so nothing depends on colour (the passphrase part is
:class:`ui.dialogs.new_passphrase.NewPassphraseFields`, shared with recovery).

On top, before anything is typed (this is the first thing a new laptop shows):
the agency the laptop belongs to, or that it is not connected yet and can be
later, and the erase rule with the policy's number (:mod:`ui.dialogs.laptop`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peerdesk.errors import PassphrasePolicyError, PeerDeskError, ProfileExists, ValidationError
from peerdesk.services import ProfileManager, Session, validate_profile_name
from ui.dialogs import Runner, grow_to_fit, run_now
from ui.dialogs.laptop import agency_text, erase_rule_text
from ui.dialogs.new_passphrase import (
    NewPassphraseFields,
    add_block,
    form_message,
    set_message,
    strength_word,
)
from ui.errors import message_for
from ui.i18n import core_text, tr

__all__ = ["PEER_ROLE", "SUPERVISOR_ROLE", "CreateProfileDialog", "strength_word"]

#: ``create(name, passphrase)`` for a peer profile, ``create(name, passphrase,
#: role="supervisor")`` for a supervisor's
CreateFn = Callable[..., Session]
PEER_ROLE, SUPERVISOR_ROLE = "peer", "supervisor"


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

        self.setWindowTitle(tr("New PeerDesk profile"))
        self.setMinimumWidth(500)

        # Before anything is typed: whose laptop this is, and the erase rule.
        self.agency_label = form_message(tr("Agency of this laptop"))
        # plain text: the agency's name comes from a file, never read as markup
        self.agency_label.setTextFormat(Qt.TextFormat.PlainText)
        self.agency_label.setText(agency_text(manager))
        self.erase_rule = form_message(tr("Erase rule"))
        self.erase_rule.setText(erase_rule_text(manager))
        self.erase_rule.setVisible(bool(self.erase_rule.text()))
        bold = self.erase_rule.font()
        bold.setBold(True)
        self.erase_rule.setFont(bold)

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
        self.name_message = form_message(tr("Profile name check"))

        self.new_passphrase = fields = NewPassphraseFields(self, self._context_words)
        # the fields by their old names (tests and the keyboard order use them)
        self.passphrase = fields.passphrase
        self.problems = fields.problems
        self.meter = fields.meter
        self.strength_label = fields.strength_label
        self.crack_time = fields.crack_time
        self.suggestions = fields.suggestions
        self.confirm = fields.confirm
        self.match_label = fields.match_label
        self.show_passphrase = fields.show_passphrase

        self.role = QComboBox()
        self.role.setAccessibleName(tr("What the profile is for"))
        self.role.addItem(tr("A peer specialist: notes, trips and resources"), PEER_ROLE)
        self.role.addItem(tr("A supervisor: review the team's notes, reports"), SUPERVISOR_ROLE)
        self.role_message = form_message(tr("About the role"))
        self.role.currentIndexChanged.connect(self._role_changed)

        self.error = form_message(tr("Error"))
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

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(12)
        # Each field with its messages right under it, as one row of the form.
        add_block(form, tr("Profile &name:"), (self.name, self.name_message))
        fields.add_rows(form)
        add_block(form, tr("Profile is &for:"), (self.role, self.role_message))
        fields.add_toggle_row(form)

        layout = QVBoxLayout(self)
        layout.addWidget(self.agency_label)
        layout.addWidget(self.erase_rule)
        layout.addSpacing(6)
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
        fields.changed.connect(self._update_button)
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
        self.new_passphrase.recheck()

    def _set_message(self, label: QLabel, text: str) -> None:
        set_message(self, label, text)

    def _update_button(self) -> None:
        if not self._busy:
            self.error.hide()  # an earlier error no longer applies once something changed
        self.create_button.setEnabled(self.is_acceptable() and not self._busy)
        if not self._busy:
            self.create_button.setDefault(True)

    def is_acceptable(self) -> bool:
        return self._name_ok and self.new_passphrase.is_acceptable()

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
        self.name.setReadOnly(busy)
        self.new_passphrase.set_read_only(busy)
        self.role.setEnabled(not busy)
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
        self.new_passphrase.clear()
        super().done(result)
