"""The Sync screen: connect the profile to the agency once, then see and run its
link (a laptop's sync or a supervisor's pull; one screen for both roles).

- Not enrolled: a form with the provisioning file IT gave (prefilled from
  ``PEERDESK_PROVISIONING``, a ``provisioning.toml`` next to the profile or the
  system provisioning file IT installed), the one-time code, and for a
  supervisor the name decisions are signed with; a problem is said next to its
  field.
- Enrolled: the agency, the run button ("Sync now" / "Pull now") and Cancel, a
  progress bar and line while it runs, the result in words, and the role's own
  part (:mod:`ui.screens.sync_details`): for a laptop the connection, the last
  success and attempt, the metered setting, the records held back and the
  history; for a supervisor the last pull and the notes waiting for a decision.

Everything is read and run through :class:`ui.link_controller.LinkController`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk.errors import AgencyRejected, ConfigError, ValidationError
from peerdesk.services import Session
from peerdesk.services.app import ENV_PROVISIONING, PROVISIONING_FILE, find_provisioning
from ui.errors import message_for
from ui.i18n import tr
from ui.link_controller import LinkController
from ui.widgets import FieldWithError, heading_label, make_error_label, text_label

__all__ = ["LinkDetails", "SyncScreen", "SyncWords", "default_provisioning_path"]


def default_provisioning_path(session: Session, env: dict[str, str] | None = None) -> str:
    """``PEERDESK_PROVISIONING``, else a provisioning.toml next to the profile
    (in the profile folder or the folder of all profiles), else the system
    provisioning file if IT installed one (:func:`peerdesk.config.find_provisioning`),
    else ""."""
    env = dict(os.environ) if env is None else env
    wanted = env.get(ENV_PROVISIONING, "").strip()
    if wanted:
        return wanted
    for folder in (session.path, session.path.parent):
        candidate = folder / PROVISIONING_FILE
        if candidate.is_file():
            return str(candidate)
    found = find_provisioning(env=env)
    return str(found.path) if found is not None else ""


@dataclass(frozen=True, slots=True)
class SyncWords:
    """What the screen calls things, and how it is laid out, for one role."""

    object_name: str
    loading: str
    enroll_title: str
    enroll_intro: str
    code_name: str
    code_label: str
    enroll_button_name: str
    connected: str
    panel_name: str
    heading: str
    agency_name: str
    run_text: str
    run_name: str
    run_tip: str
    cancel_text: str
    cancel_name: str
    progress_name: str
    progress_details_name: str
    result_name: str
    already_running: str
    #: "... did not finish: {reason}"
    did_not_finish: str
    #: the progress line until the first step arrives ("": the role says at once)
    starting: str = ""
    #: the enrollment also asks for the name decisions are signed with
    asks_name: bool = False
    run_object: str = ""
    cancel_object: str = ""
    #: the panel is long (a laptop's history and held-back records): it scrolls,
    #: and Page Up/Down scroll it from its own Tab stop
    scrolls: bool = False


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

    # --- the enrollment form ------------------------------------------------------------

    def _build_enroll_page(self) -> QWidget:
        words = self.words
        page = QWidget()
        page.setAccessibleName(words.enroll_title)
        column = QVBoxLayout(page)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(12)
        column.addWidget(heading_label(words.enroll_title))
        intro = QLabel(words.enroll_intro)
        intro.setWordWrap(True)
        column.addWidget(intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.provisioning_edit = QLineEdit(default_provisioning_path(self.session))
        self.provisioning_edit.setAccessibleName(tr("Provisioning file"))
        self.provisioning_edit.setPlaceholderText(tr("The provisioning file from IT"))
        self.choose_button = QPushButton(tr("C&hoose…"))
        self.choose_button.setAccessibleName(tr("Choose the provisioning file"))
        self.choose_button.clicked.connect(self.choose_file)
        self.provisioning_field = FieldWithError(self.provisioning_edit, self.choose_button)
        self._row(form, tr("&Provisioning file:"), self.provisioning_edit, self.provisioning_field)
        self.code_edit = QLineEdit()
        self.code_edit.setAccessibleName(words.code_name)
        self.code_edit.setPlaceholderText(tr("For example 7K3M-Q9XD-2B"))
        self.code_field = FieldWithError(self.code_edit)
        self._row(form, words.code_label, self.code_edit, self.code_field)
        self.code_edit.returnPressed.connect(self.enroll)
        self.name_edit: QLineEdit | None = None
        self.fields = {"provisioning": self.provisioning_field, "code": self.code_field}
        if words.asks_name:
            self.name_edit = QLineEdit(self.session.name)
            self.name_edit.setAccessibleName(tr("Your name as decisions are signed"))
            self.name_edit.setMaxLength(100)
            name_field = FieldWithError(self.name_edit)
            self._row(form, tr("Your &name (signs your decisions):"), self.name_edit, name_field)
            self.name_edit.returnPressed.connect(self.enroll)
            self.fields |= {"name": name_field, "label": name_field}
        column.addLayout(form)

        row = QHBoxLayout()
        self.enroll_status = make_error_label(text_label(tr("Connection status")))
        self.enroll_status.setFont(self.font())
        row.addWidget(self.enroll_status, 1)
        self.enroll_button = QPushButton(tr("C&onnect to the agency"))
        self.enroll_button.setAccessibleName(words.enroll_button_name)
        self.enroll_button.clicked.connect(self.enroll)
        row.addWidget(self.enroll_button)
        column.addLayout(row)
        column.addStretch(1)
        return page

    @staticmethod
    def _row(form: QFormLayout, text: str, editor: QWidget, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(editor)
        form.addRow(label, field)

    def choose_file(self) -> None:
        current = self.provisioning_edit.text()
        path, _filter = QFileDialog.getOpenFileName(
            self,
            tr("Choose the provisioning file"),
            str(Path(current).parent) if current else "",
            tr("Provisioning files (*.toml);;All files (*)"),
        )
        if path:
            self.provisioning_edit.setText(path)

    def enroll(self) -> None:
        if not self.enroll_button.isEnabled():
            return
        for field in self.fields.values():
            field.set_error("")
        self.enroll_status.setText(tr("Connecting to the agency…"))
        self.enroll_button.setEnabled(False)
        self.controller.enroll(
            self.provisioning_edit.text(),
            self.code_edit.text(),
            self._enroll_done,
            label=self.name_edit.text() if self.name_edit is not None else None,
        )

    def _enroll_done(self, exc: BaseException | None) -> None:
        self.enroll_button.setEnabled(True)
        if exc is None:
            self.enroll_status.setText(self.words.connected)
            self.code_edit.clear()
            return
        message = message_for(exc)
        field = None
        if isinstance(exc, ConfigError):
            field = self.provisioning_field
        elif isinstance(exc, ValidationError):
            field = self.fields.get(exc.field or "")
        elif isinstance(exc, AgencyRejected) and exc.code in ("bad_code", "device_exists"):
            field = self.code_field
        if field is not None:
            field.set_error(message)
            field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            self.enroll_status.setText(tr("Not connected yet: please see the problem above."))
        else:
            self.enroll_status.setText(tr("Not connected: {message}").format(message=message))

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
        self.code_edit.clear()
        self.agency_label.clear()
        self.progress_label.clear()
        self.result_label.clear()
        self.details.clear()
