"""The supervisor's Sync section: enroll with the agency once, then pull notes.

- Not enrolled (first run of a supervisor profile): the provisioning file IT
  gave (prefilled like the peer's form, :func:`ui.screens.sync.default_provisioning_path`),
  the one-time *supervisor invite code* and the name decisions are signed with;
  a problem is said next to its field.
- Enrolled: the agency, the team and the name, "Pull now" and "Cancel", a
  progress line while a pull runs, when the last pull finished and why the last
  one failed, how many notes wait for a decision.

Everything runs through :class:`ui.review_pull.PullController`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.review import PullProgress
from peerdesk.errors import AgencyRejected, ConfigError, ValidationError
from peerdesk.services import Session
from ui.errors import message_for
from ui.i18n import tr
from ui.review_pull import PullController, PullSnapshot, progress_text
from ui.screens.sync import EnrollFields
from ui.widgets import FieldWithError, make_error_label

__all__ = ["ReviewSyncScreen"]


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _text(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


class ReviewSyncScreen(QWidget):
    """Supervisor enrollment form or pull panel, whichever applies."""

    def __init__(
        self, session: Session, controller: PullController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.controller = controller
        self.setObjectName("reviewSyncScreen")
        self.setAccessibleName(tr("Sync with your agency"))
        self.stack = QStackedWidget()
        self.loading = QLabel(tr("Reading the review status…"))
        self.stack.addWidget(self.loading)
        self.stack.addWidget(self._build_enroll_page())
        self.stack.addWidget(self._build_panel())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        controller.state_changed.connect(self._show_snapshot)
        controller.progress_changed.connect(self._show_progress)
        controller.running_changed.connect(self._running_changed)
        controller.finished.connect(self._finished)
        if controller.snapshot is not None:
            self._show_snapshot(controller.snapshot)

    # --- enrollment -------------------------------------------------------------------

    def _build_enroll_page(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName(tr("Connect as a supervisor"))
        column = QVBoxLayout(page)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(12)
        column.addWidget(_heading(tr("Connect as a supervisor")))
        intro = QLabel(
            tr(
                "To review your team's notes, this profile is connected to your agency once. "
                "IT gives you a provisioning file and a one-time supervisor invite code. "
                "Notes are decrypted only on this computer, with keys that open only with "
                "your passphrase."
            )
        )
        intro.setWordWrap(True)
        column.addWidget(intro)

        fields = EnrollFields(
            self, self.session, tr("Supervisor invite code"), tr("Supervisor &invite code:")
        )
        self.provisioning_edit, self.provisioning_field = fields.file_edit, fields.file_field
        self.choose_button = fields.choose_button
        self.code_edit, self.code_field = fields.code_edit, fields.code_field
        form = fields.form

        self.name_edit = QLineEdit(self.session.name)
        self.name_edit.setAccessibleName(tr("Your name as decisions are signed"))
        self.name_edit.setMaxLength(100)
        self.name_field = FieldWithError(self.name_edit)
        name_label = QLabel(tr("Your &name (signs your decisions):"))
        name_label.setBuddy(self.name_edit)
        form.addRow(name_label, self.name_field)
        column.addLayout(form)

        row = QHBoxLayout()
        self.enroll_status = make_error_label(_text(tr("Connection status")))
        self.enroll_status.setFont(self.font())
        row.addWidget(self.enroll_status, 1)
        self.enroll_button = QPushButton(tr("C&onnect to the agency"))
        self.enroll_button.setAccessibleName(tr("Connect to the agency as a supervisor"))
        self.enroll_button.clicked.connect(self.enroll)
        self.code_edit.returnPressed.connect(self.enroll)
        self.name_edit.returnPressed.connect(self.enroll)
        row.addWidget(self.enroll_button)
        column.addLayout(row)
        column.addStretch(1)
        self.enroll_page = page
        return page

    def enroll(self) -> None:
        if not self.enroll_button.isEnabled():
            return
        for field in (self.provisioning_field, self.code_field, self.name_field):
            field.set_error("")
        self.enroll_status.setText(tr("Connecting to the agency…"))
        self.enroll_button.setEnabled(False)
        self.controller.enroll(
            self.provisioning_edit.text(),
            self.code_edit.text(),
            self.name_edit.text(),
            self._enroll_done,
        )

    def _enroll_done(self, exc: BaseException | None) -> None:
        self.enroll_button.setEnabled(True)
        if exc is None:
            self.enroll_status.setText(tr("Connected: you can now pull your team's notes."))
            self.code_edit.clear()
            return
        message = message_for(exc)
        field = None
        if isinstance(exc, ConfigError):
            field = self.provisioning_field
        elif isinstance(exc, ValidationError):
            field = {
                "provisioning": self.provisioning_field,
                "code": self.code_field,
                "name": self.name_field,
                "label": self.name_field,
            }.get(exc.field or "")
        elif isinstance(exc, AgencyRejected) and exc.code in ("bad_code", "device_exists"):
            field = self.code_field
        if field is not None:
            field.set_error(message)
            field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            self.enroll_status.setText(tr("Not connected yet: please see the problem above."))
        else:
            self.enroll_status.setText(tr("Not connected: {message}").format(message=message))

    # --- pull panel -------------------------------------------------------------------

    def _build_panel(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName(tr("Pull notes for review"))
        column = QVBoxLayout(page)
        column.setContentsMargins(24, 16, 24, 16)
        column.setSpacing(10)
        self.panel_heading = _heading(tr("Notes for review"))
        column.addWidget(self.panel_heading)
        self.agency_label = _text(tr("Agency and team"))
        column.addWidget(self.agency_label)
        buttons = QHBoxLayout()
        self.pull_button = QPushButton(tr("&Pull now"))
        self.pull_button.setObjectName("pullButton")
        self.pull_button.setAccessibleName(tr("Pull new notes and review events now"))
        self.pull_button.setToolTip(tr("Fetch the team's new notes, addenda, trips and decisions"))
        self.pull_button.clicked.connect(self.pull_now)
        self.cancel_button = QPushButton(tr("&Cancel pull"))
        self.cancel_button.setObjectName("cancelPullButton")
        self.cancel_button.setAccessibleName(tr("Cancel the pull"))
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.cancel_button.setEnabled(False)
        buttons.addWidget(self.pull_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(tr("Pull progress"))
        self.progress_bar.setRange(0, 0)
        self.progress_bar.hide()
        self.progress_label = _text(tr("Pull progress details"))
        self.progress_label.hide()
        column.addWidget(self.progress_bar)
        column.addWidget(self.progress_label)
        self.result_label = make_error_label(_text(tr("Result of the last pull")))
        self.result_label.hide()
        column.addWidget(self.result_label)
        facts = QFormLayout()
        self.last_pull_label = _text(tr("Last complete pull"))
        self.last_error_label = _text(tr("Last problem"))
        self.waiting_label = _text(tr("Notes waiting for a decision"))
        facts.addRow(tr("Last complete pull:"), self.last_pull_label)
        facts.addRow(tr("Last problem:"), self.last_error_label)
        facts.addRow(tr("Waiting for a decision:"), self.waiting_label)
        column.addLayout(facts)
        column.addStretch(1)
        self.panel = page
        return page

    def _show_snapshot(self, snapshot: PullSnapshot) -> None:
        if not snapshot.enrolled or snapshot.info is None:
            self.stack.setCurrentWidget(self.enroll_page)
            return
        self.stack.setCurrentWidget(self.panel)
        info = snapshot.info
        self.panel_heading.setText(
            tr("Notes for review from {agency}").format(agency=info.agency_name)
        )
        self.agency_label.setText(
            tr("Team: {team} · peers' laptops: {peers} · you sign as {name}").format(
                team=info.team or tr("(none)"), peers=snapshot.peers, name=info.name
            )
        )
        self.last_pull_label.setText(
            snapshot.last_pull_at.astimezone().strftime("%Y-%m-%d %H:%M")
            if snapshot.last_pull_at
            else tr("Never")
        )
        self.last_error_label.setText(snapshot.last_error or tr("None"))
        self.waiting_label.setText(str(snapshot.waiting))

    def _running_changed(self, running: bool) -> None:
        self.pull_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress_bar.setVisible(running)
        self.progress_label.setVisible(running)
        if running:
            self.progress_label.setText(tr("Connecting to the agency…"))
            self.result_label.hide()
            self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.cancel_button.hasFocus():
            self.pull_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_progress(self, progress: PullProgress) -> None:
        text = progress_text(progress)
        self.progress_label.setText(text)
        self.progress_bar.setAccessibleDescription(text)

    def _finished(self, last: object) -> None:
        failure = self.controller.last_failure
        if failure:
            self.result_label.setText(tr("Pull did not finish: {reason}").format(reason=failure))
        elif isinstance(last, PullProgress):
            self.result_label.setText(progress_text(last))
        else:
            return
        self.result_label.show()

    def pull_now(self) -> None:
        if not self.controller.pull_now():
            self.result_label.setText(tr("A pull is already running."))
            self.result_label.show()

    def clear(self) -> None:
        """Drop what is shown (lock)."""
        self.code_edit.clear()
        self.agency_label.clear()
        self.progress_label.clear()
        self.result_label.clear()
