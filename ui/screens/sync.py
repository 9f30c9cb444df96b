"""The Sync screen: connect the profile to the agency once, then see and run its
link (a laptop's sync or a supervisor's pull; one screen for both roles).

- Not enrolled: the enrollment form (:class:`ui.screens.enroll_form.EnrollForm`,
  also offered right after a profile is created) with the provisioning file IT
  gave (prefilled from ``PEERDESK_PROVISIONING``, a ``provisioning.toml`` next to
  the profile or the system provisioning file IT installed), the one-time code,
  and for a supervisor the name decisions are signed with; a problem is said
  next to its field.
- Enrolled: the agency, the run button ("Sync now" / "Pull now") and Cancel, a
  progress bar and line while it runs, the result in words, and the role's own
  part (:mod:`ui.screens.sync_details`): for a laptop the connection, the last
  success and attempt, the metered setting, the records held back and the
  history; for a supervisor the last pull and the notes waiting for a decision.

Everything is read and run through :class:`ui.link_controller.LinkController`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk.services import Session
from ui.i18n import tr
from ui.link_controller import LinkController
from ui.screens.enroll_form import EnrollForm, default_provisioning_path
from ui.screens.sync_words import SyncWords
from ui.widgets import heading_label, make_error_label, text_label

__all__ = ["LinkDetails", "SyncScreen", "SyncWords", "default_provisioning_path"]


class LinkDetails(Protocol):
    """The role's part of the panel (:mod:`ui.screens.sync_details`)."""

    words: SyncWords

    def attach(self, say: Callable[[str], None]) -> None:
        """How the details say something under the run button (the result line)."""
        ...

    def header(self) -> list[QWidget]:
        """Widgets shown under the agency line."""
        ...

    def body(self) -> QWidget:
        """What comes under the result line."""
        ...

    def show_snapshot(self, snapshot: Any) -> tuple[str, str]:
        """Show an enrolled profile's status; returns the heading and agency line."""
        ...

    def progress_text(self, progress: Any) -> str: ...

    def progress_range(self, progress: Any) -> tuple[int, int]:
        """``(maximum, value)`` of the progress bar (``(0, 0)``: busy)."""
        ...

    def result_text(self, value: Any) -> str | None:
        """A run that finished, in words (None: nothing to say)."""
        ...

    def running_changed(self, running: bool) -> None: ...

    def connection_changed(self) -> None: ...

    def clear(self) -> None: ...


class SyncScreen(QWidget):
    """Enrollment form or the link panel, whichever applies."""

    def __init__(
        self,
        session: Session,
        controller: LinkController,
        details: LinkDetails,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.controller = controller
        self.details = details
        self.words = words = details.words
        self.setObjectName(words.object_name)
        self.setAccessibleName(tr("Sync with your agency"))
        self.stack = QStackedWidget()
        self.loading = QLabel(words.loading)
        self.stack.addWidget(self.loading)
        self.enroll_page = self._build_enroll_page()
        self.stack.addWidget(self.enroll_page)
        self.panel = self._build_panel()
        self.stack.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        controller.state_changed.connect(self._show_snapshot)
        controller.progress_changed.connect(self._show_progress)
        controller.running_changed.connect(self._running_changed)
        controller.connection_changed.connect(details.connection_changed)
        controller.finished.connect(self._finished)
        details.attach(self._say)
        if controller.snapshot is not None:
            self._show_snapshot(controller.snapshot)

    # --- the enrollment form (shared with the first-run offer) ---------------------------

    def _build_enroll_page(self) -> EnrollForm:
        form = EnrollForm(self.session, self.controller, self.words)
        # its parts by the names the screen always had (tests, other screens)
        self.provisioning_edit = form.provisioning_edit
        self.choose_button = form.choose_button
        self.provisioning_field = form.provisioning_field
        self.code_edit = form.code_edit
        self.code_field = form.code_field
        self.name_edit = form.name_edit
        self.fields = form.fields
        self.enroll_status = form.enroll_status
        self.enroll_button = form.enroll_button
        return form

    def enroll(self) -> None:
        self.enroll_page.enroll()

    # --- the panel ----------------------------------------------------------------------

    def _build_panel(self) -> QWidget:
        words = self.words
        panel = body = QWidget()
        if words.scrolls:
            panel = QScrollArea()
            panel.setWidgetResizable(True)
            panel.setFrameShape(QScrollArea.Shape.NoFrame)
            panel.setWidget(body)
        panel.setAccessibleName(words.panel_name)
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 16, 24, 16)
        column.setSpacing(10)
        self.panel_heading = heading_label(words.heading)
        column.addWidget(self.panel_heading)
        self.agency_label = text_label(words.agency_name)
        column.addWidget(self.agency_label)
        for widget in self.details.header():
            column.addWidget(widget)

        buttons = QHBoxLayout()
        self.run_button = QPushButton(words.run_text)
        self.run_button.setObjectName(words.run_object)
        self.run_button.setAccessibleName(words.run_name)
        self.run_button.setToolTip(words.run_tip)
        self.run_button.clicked.connect(self.run_now)
        self.cancel_button = QPushButton(words.cancel_text)
        self.cancel_button.setObjectName(words.cancel_object)
        self.cancel_button.setAccessibleName(words.cancel_name)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.cancel_button.setEnabled(False)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        column.addLayout(buttons)

        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(words.progress_name)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self.progress_label = text_label(words.progress_details_name)
        self.progress_label.hide()
        column.addWidget(self.progress_bar)
        column.addWidget(self.progress_label)
        self.result_label = make_error_label(text_label(words.result_name))
        self.result_label.hide()
        column.addWidget(self.result_label)
        column.addWidget(self.details.body())
        column.addStretch(1)
        return panel

    # --- showing ------------------------------------------------------------------------

    def _show_snapshot(self, snapshot: Any) -> None:
        if not snapshot.enrolled:
            self.stack.setCurrentWidget(self.enroll_page)
            return
        self.stack.setCurrentWidget(self.panel)
        heading, agency = self.details.show_snapshot(snapshot)
        self.panel_heading.setText(heading)
        self.agency_label.setText(agency)

    def _running_changed(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress_bar.setVisible(running)
        self.progress_label.setVisible(running)
        if running:
            if self.words.starting:
                self.progress_bar.setRange(0, 0)
                self.progress_label.setText(self.words.starting)
            self.result_label.hide()
            self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.cancel_button.hasFocus():
            self.run_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.details.running_changed(running)

    def _show_progress(self, progress: Any) -> None:
        maximum, value = self.details.progress_range(progress)
        self.progress_bar.setRange(0, maximum)
        self.progress_bar.setValue(value)
        text = self.details.progress_text(progress)
        self.progress_label.setText(text)
        self.progress_bar.setAccessibleDescription(text)

    def _finished(self, value: object) -> None:
        failure = self.controller.last_failure
        if failure:
            text: str | None = self.words.did_not_finish.format(reason=failure)
        else:
            text = self.details.result_text(value)
        if text is not None:
            self._say(text)

    # --- actions ------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.show()

    def run_now(self) -> None:
        if not self.controller.run_now("asked"):
            self._say(self.words.already_running)

    def clear(self) -> None:
        """Drop what is shown (called on lock like every screen). Little here is
        decrypted, but it is emptied anyway."""
        self.enroll_page.clear()
        self.agency_label.clear()
        self.progress_label.clear()
        self.result_label.clear()
        self.details.clear()
