"""A new passphrase, typed twice and checked as it is typed: the part shared by
creating a profile and recovering one with a code from IT.

:class:`NewPassphraseFields` owns the two fields, the rules in words, the
strength meter with its word beside it (nothing depends on colour), the guessing
time, the tips, the confirmation check and the "Show passphrase" toggle. The
dialog puts them in its own form (:meth:`NewPassphraseFields.add_rows`) and asks
:meth:`~NewPassphraseFields.is_acceptable`; :attr:`~NewPassphraseFields.changed`
tells it when that may have changed. The rules are the core's
(:func:`peerdesk.services.assess_passphrase`): one policy, one place.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from peerdesk.services import assess_passphrase
from ui.dialogs import grow_to_fit
from ui.i18n import core_text, tr

__all__ = ["NewPassphraseFields", "form_message", "strength_word"]


def strength_word(score: int) -> str:
    """The zxcvbn score (0-4) in words."""
    words = (tr("very weak"), tr("weak"), tr("fair"), tr("good"), tr("strong"))
    return words[max(0, min(score, 4))]


def form_message(name: str) -> QLabel:
    """A word-wrapped message under a field, with an accessible name."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class NewPassphraseFields(QObject):
    """The new passphrase, its confirmation and their checks (see the module
    docstring). ``context_words()`` gives the words the passphrase must not be
    built on (the profile name); call :meth:`recheck` when they change."""

    #: the passphrase or its confirmation changed (acceptable or not)
    changed = Signal()

    def __init__(
        self, parent: QWidget, context_words: Callable[[], tuple[str, ...]] = tuple
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self._context_words = context_words
        self._passphrase_ok = False
        self._match = False

        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Passphrase"))
        self.problems = form_message(tr("Passphrase rules"))
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)  # the word is in strength_label, not in the bar
        self.meter.setAccessibleName(tr("Passphrase strength meter"))
        self.meter.setFixedWidth(120)
        self.strength_label = form_message(tr("Passphrase strength"))
        self.crack_time = form_message(tr("Estimated guessing time"))
        self.suggestions = form_message(tr("Passphrase suggestions"))

        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName(tr("Confirm passphrase"))
        self.match_label = form_message(tr("Passphrase confirmation check"))

        self.show_passphrase = QCheckBox(tr("&Show passphrase"))
        self.show_passphrase.setAccessibleName(tr("Show passphrase"))
        self.show_passphrase.toggled.connect(self._toggle_echo)

        self.strength_row = QWidget()
        strength = QHBoxLayout(self.strength_row)
        strength.setContentsMargins(0, 0, 0, 0)
        strength.addWidget(self.meter)
        strength.addWidget(self.strength_label, 1)

        self.passphrase.textChanged.connect(self.recheck)
        self.confirm.textChanged.connect(self._confirm_changed)

    # -- layout ------------------------------------------------------------------------

    def add_rows(
        self,
        form: QFormLayout,
        passphrase_caption: str | None = None,
        confirm_caption: str | None = None,
    ) -> None:
        """Add the passphrase and confirmation rows (each field with its messages
        right under it) to ``form``; the toggle goes in a row of its own with
        :meth:`add_toggle_row`, so the dialog can put rows in between."""
        for caption, widgets in (
            (
                passphrase_caption or tr("&Passphrase:"),
                (
                    self.passphrase,
                    self.problems,
                    self.strength_row,
                    self.crack_time,
                    self.suggestions,
                ),
            ),
            (confirm_caption or tr("&Confirm passphrase:"), (self.confirm, self.match_label)),
        ):
            add_block(form, caption, widgets)

    def add_toggle_row(self, form: QFormLayout) -> None:
        form.addRow("", self.show_passphrase)

    # -- state -------------------------------------------------------------------------

    def is_acceptable(self) -> bool:
        return self._passphrase_ok and self._match

    def text(self) -> str:
        return self.passphrase.text()

    def set_read_only(self, read_only: bool) -> None:
        # Read-only rather than disabled: a disabled field would push the keyboard
        # focus onto a button, and Enter would then press that button.
        self.passphrase.setReadOnly(read_only)
        self.confirm.setReadOnly(read_only)
        self.show_passphrase.setEnabled(not read_only)

    def clear(self) -> None:
        """Passphrases never stay in the widgets once the dialog is finished."""
        self.passphrase.clear()
        self.confirm.clear()

    # -- live checks ---------------------------------------------------------------------

    def recheck(self) -> None:
        """Check the passphrase again (it or the context words changed)."""
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
        set_message(self._window, label, text)

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
        self.changed.emit()

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)


def set_message(window: QWidget, label: QLabel, text: str) -> None:
    """Show ``text`` under its field; an empty message takes no room."""
    label.setText(text)
    label.setVisible(bool(text))
    grow_to_fit(window)


def add_block(form: QFormLayout, caption: str, widgets: tuple[QWidget, ...]) -> None:
    """One row of ``form``: the caption (buddy of the first widget) and the
    widgets one under the other."""
    label = QLabel(caption)
    label.setBuddy(widgets[0])
    block = QVBoxLayout()
    block.setSpacing(4)
    for widget in widgets:
        block.addWidget(widget)
    form.addRow(label, block)
