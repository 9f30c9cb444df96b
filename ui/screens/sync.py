"""The Sync screen: connect this laptop to the agency, then see and run its sync.

- Not enrolled: a form with the provisioning file IT gave (prefilled from
  ``PEERDESK_PROVISIONING``, a ``provisioning.toml`` next to the profile or the
  system provisioning file IT installed) and the one-time enrollment code; a
  problem is said next to its field.
- Enrolled: the agency's name and address, whether it answers, "Sync now" and
  "Cancel", a progress bar with the records and bytes sent and the current batch,
  the last success and the last attempt with its problem in words, the history of
  syncs, the records the agency held back (with the reason and "Send again"), and
  the metered-connection setting.

Everything is read and run through :class:`ui.sync_controller.SyncController`
(one DB job for the status, a network job for the sync).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.errors import AgencyRejected, ConfigError, ValidationError
from peerdesk.services import Session
from peerdesk.services.app import ENV_PROVISIONING, PROVISIONING_FILE, find_provisioning
from ui.errors import message_for
from ui.i18n import tr
from ui.sync_controller import (
    SyncController,
    SyncProgress,
    SyncSnapshot,
    format_size,
    format_when,
)
from ui.taskman import TaskManager
from ui.widgets import FieldWithError, make_error_label

__all__ = ["SyncScreen", "default_provisioning_path"]

#: item data of a quarantine row: the op id
OP_ROLE = Qt.ItemDataRole.UserRole + 1


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


def _retry(session: Session, op_ids: list[str] | None) -> int:
    """Put quarantined records back in the queue (DB thread)."""
    return session.link.retry(op_ids).value


class EnrollFields:
    """The rows every enrollment form starts with: the provisioning file (typed or
    chosen) and the one-time code, each able to show its own error. Shared by the
    peer's and the supervisor's Sync screens."""

    def __init__(self, owner: QWidget, session: Session, code_name: str, code_label: str) -> None:
        self.owner = owner
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.file_edit = QLineEdit(default_provisioning_path(session))
        self.file_edit.setAccessibleName(tr("Provisioning file"))
        self.file_edit.setPlaceholderText(tr("The provisioning file from IT"))
        self.choose_button = QPushButton(tr("C&hoose…"))
        self.choose_button.setAccessibleName(tr("Choose the provisioning file"))
        self.choose_button.clicked.connect(self.choose_file)
        self.file_field = FieldWithError(self.file_edit, self.choose_button)
        file_label = QLabel(tr("&Provisioning file:"))
        file_label.setBuddy(self.file_edit)
        self.form.addRow(file_label, self.file_field)

        self.code_edit = QLineEdit()
        self.code_edit.setAccessibleName(code_name)
        self.code_edit.setPlaceholderText(tr("For example 7K3M-Q9XD-2B"))
        self.code_field = FieldWithError(self.code_edit)
        label = QLabel(code_label)
        label.setBuddy(self.code_edit)
        self.form.addRow(label, self.code_field)

    def choose_file(self) -> None:
        current = self.file_edit.text()
        path, _filter = QFileDialog.getOpenFileName(
            self.owner,
            tr("Choose the provisioning file"),
            str(Path(current).parent) if current else "",
            tr("Provisioning files (*.toml);;All files (*)"),
        )
        if path:
            self.file_edit.setText(path)


def kind_names() -> dict[str, str]:
    return {
        "note": tr("Note"),
        "addendum": tr("Addendum"),
        "participant": tr("Participant"),
        "trip": tr("Trip"),
        "escrow": tr("Recovery key copy"),
        "referral": tr("Referral"),
        "correction": tr("Directory correction"),
    }


def outcome_names() -> dict[str, str]:
    return {
        "ok": tr("Finished"),
        "failed": tr("Failed"),
        "stopped": tr("Stopped"),
        "revoked": tr("Access withdrawn"),
        "running": tr("Running"),
    }


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _text_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


def _table(columns: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setMinimumHeight(120)
    return table


class SyncScreen(QWidget):
    """Enrollment form or sync panel, whichever applies."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        controller: SyncController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.controller = controller
        self.setObjectName("syncScreen")
        self.setAccessibleName(tr("Sync with your agency"))
        self.stack = QStackedWidget()
        self.loading = QLabel(tr("Reading the sync status…"))
        self.stack.addWidget(self.loading)
        self.stack.addWidget(self._build_enroll_page())
        self.stack.addWidget(self._build_panel())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        controller.state_changed.connect(self._show_snapshot)
        controller.progress_changed.connect(self._show_progress)
        controller.running_changed.connect(self._running_changed)
        controller.connection_changed.connect(self._show_connection)
        controller.finished.connect(self._finished)
        if controller.snapshot is not None:
            self._show_snapshot(controller.snapshot)

    # --- the enrollment form ------------------------------------------------------------

    def _build_enroll_page(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName(tr("Connect this laptop to your agency"))
        column = QVBoxLayout(page)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(12)
        column.addWidget(_heading(tr("Connect this laptop to your agency")))
        intro = QLabel(
            tr(
                "To send your signed notes, trips and changes to your agency, this laptop "
                "is connected to it once. IT gives you a provisioning file and a one-time "
                "enrollment code. Nothing is sent before that."
            )
        )
        intro.setWordWrap(True)
        column.addWidget(intro)

        fields = EnrollFields(self, self.session, tr("Enrollment code"), tr("Enrollment &code:"))
        self.provisioning_edit, self.provisioning_field = fields.file_edit, fields.file_field
        self.choose_button = fields.choose_button
        self.code_edit, self.code_field = fields.code_edit, fields.code_field
        column.addLayout(fields.form)

        row = QHBoxLayout()
        self.enroll_status = make_error_label(_text_label(tr("Connection status")))
        self.enroll_status.setFont(self.font())
        row.addWidget(self.enroll_status, 1)
        self.enroll_button = QPushButton(tr("C&onnect to the agency"))
        self.enroll_button.setAccessibleName(tr("Connect to the agency"))
        self.enroll_button.clicked.connect(self.enroll)
        self.code_edit.returnPressed.connect(self.enroll)
        row.addWidget(self.enroll_button)
        column.addLayout(row)
        column.addStretch(1)
        self.enroll_page = page
        return page

    def enroll(self) -> None:
        if not self.enroll_button.isEnabled():
            return
        self.provisioning_field.set_error("")
        self.code_field.set_error("")
        self.enroll_status.setText(tr("Connecting to the agency…"))
        self.enroll_button.setEnabled(False)
        self.controller.enroll(
            self.provisioning_edit.text(), self.code_edit.text(), self._enroll_done
        )

    def _enroll_done(self, exc: BaseException | None) -> None:
        self.enroll_button.setEnabled(True)
        if exc is None:
            self.enroll_status.setText(tr("This laptop is now connected to the agency."))
            self.code_edit.clear()
            return
        message = message_for(exc)
        field = None
        if isinstance(exc, ConfigError):
            field = self.provisioning_field
        elif isinstance(exc, ValidationError):
            field = {"provisioning": self.provisioning_field, "code": self.code_field}.get(
                exc.field or ""
            )
        elif isinstance(exc, AgencyRejected) and exc.code in ("bad_code", "device_exists"):
            field = self.code_field
        if field is not None:
            field.set_error(message)
            field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            self.enroll_status.setText(tr("Not connected yet: please see the problem above."))
        else:
            self.enroll_status.setText(tr("Not connected: {message}").format(message=message))

    # --- the sync panel -----------------------------------------------------------------

    def _build_panel(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName(tr("Sync panel"))
        body = QWidget()
        scroll.setWidget(body)
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 16, 24, 16)
        column.setSpacing(10)

        self.panel_heading = _heading(tr("Sync with your agency"))
        column.addWidget(self.panel_heading)
        self.agency_label = _text_label(tr("Agency"))
        self.connection_label = _text_label(tr("Connection"))
        column.addWidget(self.agency_label)
        column.addWidget(self.connection_label)

        buttons = QHBoxLayout()
        self.sync_button = QPushButton(tr("&Sync now"))
        self.sync_button.setAccessibleName(tr("Sync now"))
        self.sync_button.setToolTip(tr("Send what waits and fetch your supervisor's feedback"))
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button = QPushButton(tr("&Cancel sync"))
        self.cancel_button.setAccessibleName(tr("Cancel the sync"))
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.cancel_button.setEnabled(False)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        column.addLayout(buttons)

        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(tr("Sync progress"))
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self.progress_label = _text_label(tr("Sync progress details"))
        self.progress_label.hide()
        column.addWidget(self.progress_bar)
        column.addWidget(self.progress_label)

        self.result_label = make_error_label(_text_label(tr("Result of the last sync")))
        self.result_label.hide()
        column.addWidget(self.result_label)

        facts = QFormLayout()
        self.last_success_label = _text_label(tr("Last successful sync"))
        self.last_attempt_label = _text_label(tr("Last attempt"))
        self.waiting_label = _text_label(tr("Waiting to be sent"))
        facts.addRow(tr("Last successful sync:"), self.last_success_label)
        facts.addRow(tr("Last attempt:"), self.last_attempt_label)
        facts.addRow(tr("Waiting:"), self.waiting_label)
        column.addLayout(facts)

        self.metered_check = QCheckBox(tr("Sync automatically on &metered connections"))
        self.metered_check.setAccessibleName(tr("Sync automatically on metered connections"))
        self.metered_check.setToolTip(
            tr(
                "Mobile data can cost money; without this, sync on such a connection only when asked"
            )
        )
        self.metered_check.setChecked(self.controller.settings.sync_on_metered)
        if self.session.policy.is_locked("metered_sync"):
            self.metered_check.setEnabled(False)
            self.metered_check.setToolTip(tr("Your agency has set this; it cannot be changed here"))
        self.metered_check.toggled.connect(self.controller.set_sync_on_metered)
        column.addWidget(self.metered_check)

        held = QGroupBox(tr("Held back by the agency"))
        held_column = QVBoxLayout(held)
        self.quarantine_label = _text_label(tr("Held back records"))
        held_column.addWidget(self.quarantine_label)
        self.quarantine_table = _table(
            [tr("Record"), tr("Queued"), tr("Problem")], tr("Records held back")
        )
        held_column.addWidget(self.quarantine_table)
        held_buttons = QHBoxLayout()
        held_buttons.addStretch(1)
        self.retry_button = QPushButton(tr("Send &again"))
        self.retry_button.setAccessibleName(tr("Send the selected records again"))
        self.retry_button.clicked.connect(self.retry_selected)
        self.retry_all_button = QPushButton(tr("Send a&ll again"))
        self.retry_all_button.setAccessibleName(tr("Send all held back records again"))
        self.retry_all_button.clicked.connect(self.retry_all)
        held_buttons.addWidget(self.retry_button)
        held_buttons.addWidget(self.retry_all_button)
        held_column.addLayout(held_buttons)
        column.addWidget(held)

        history = QGroupBox(tr("Sync history"))
        history_column = QVBoxLayout(history)
        self.history_table = _table(
            [
                tr("Started"),
                tr("Result"),
                tr("Sent"),
                tr("Accepted"),
                tr("Refused"),
                tr("Received"),
                tr("Data sent / received"),
                tr("Problem"),
            ],
            tr("Sync history"),
        )
        history_column.addWidget(self.history_table)
        column.addWidget(history)
        column.addStretch(1)
        self.panel = scroll
        return scroll

    # --- showing ------------------------------------------------------------------------

    def _show_snapshot(self, snapshot: SyncSnapshot) -> None:
        status = snapshot.status
        if not status.enrolled:
            self.stack.setCurrentWidget(self.enroll_page)
            return
        self.stack.setCurrentWidget(self.panel)
        name = status.agency_name or ""
        self.panel_heading.setText(tr("Sync with {agency}").format(agency=name))
        self.agency_label.setText(
            tr("Agency: {name}\nAddress: {url}").format(name=name, url=status.agency_url or "")
        )
        self.last_success_label.setText(
            format_when(status.last_success_at) if status.last_success_at else tr("Never")
        )
        if not status.last_attempt_at:
            attempt = tr("Never")
        elif status.last_error:
            reason = status.last_error.strip()
            attempt = tr("{when}: did not finish. {reason}").format(
                when=format_when(status.last_attempt_at), reason=reason[:1].upper() + reason[1:]
            )
        else:
            attempt = tr("{when}: finished").format(when=format_when(status.last_attempt_at))
        self.last_attempt_label.setText(attempt)
        waiting = tr("Changes waiting to be sent: {count}").format(count=status.pending)
        if status.pending and status.pending_bytes_estimate:
            waiting += " " + tr("(about {size})").format(
                size=format_size(status.pending_bytes_estimate)
            )
        self.waiting_label.setText(waiting)
        self._show_quarantine(snapshot)
        self._show_history(snapshot)
        self._show_connection()

    def _show_connection(self) -> None:
        words = self.controller.connection_words()
        if self.controller.network.metered:
            words = tr("{connection} (metered connection)").format(connection=words)
        self.connection_label.setText(tr("Connection: {state}").format(state=words))

    def _show_quarantine(self, snapshot: SyncSnapshot) -> None:
        items = snapshot.quarantine
        kinds = kind_names()
        table = self.quarantine_table
        table.setRowCount(len(items))
        for row, item in enumerate(items):
            record = QTableWidgetItem(kinds.get(item.entity, item.entity))
            record.setData(OP_ROLE, item.op_id)
            table.setItem(row, 0, record)
            table.setItem(row, 1, QTableWidgetItem(format_when(item.created_at)))
            reason = item.reason
            if item.code and item.code not in reason:
                reason = tr("{reason} (code {code})").format(reason=reason, code=item.code)
            table.setItem(row, 2, QTableWidgetItem(reason))
        if items:
            self.quarantine_label.setText(
                tr(
                    "The agency did not accept these records. Nothing else waits for them. "
                    "Send them again once the problem is fixed, or ask your supervisor."
                )
            )
        else:
            self.quarantine_label.setText(tr("Nothing is held back."))
        self.retry_button.setEnabled(bool(items))
        self.retry_all_button.setEnabled(bool(items))

    def _show_history(self, snapshot: SyncSnapshot) -> None:
        outcomes = outcome_names()
        table = self.history_table
        table.setRowCount(len(snapshot.history))
        for row, run in enumerate(snapshot.history):
            values = [
                format_when(run.started_at),
                outcomes.get(run.outcome, run.outcome),
                str(run.sent),
                str(run.acked),
                str(run.rejected),
                str(run.inbound),
                f"{format_size(run.bytes_up)} / {format_size(run.bytes_down)}",
                run.error or "",
            ]
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))

    def _running_changed(self, running: bool) -> None:
        self.sync_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress_bar.setVisible(running)
        self.progress_label.setVisible(running)
        if running:
            self.result_label.hide()
            self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.cancel_button.hasFocus():
            self.sync_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_connection()

    def _show_progress(self, progress: SyncProgress) -> None:
        bar = self.progress_bar
        if progress.total > 0:
            bar.setRange(0, progress.total)
            bar.setValue(min(progress.records_done, progress.total))
        else:
            bar.setRange(0, 0)  # nothing to send: fetching only
        if progress.batch == 0:
            text = tr("Starting the sync…")
        else:
            text = tr("Batch {batch}: {done} of {total} records answered, {size} sent").format(
                batch=progress.batch,
                done=progress.records_done,
                total=progress.total,
                size=format_size(progress.bytes_sent),
            )
        if progress.retrying:
            text += " " + tr("The connection failed ({cause}); trying again.").format(
                cause=progress.retrying
            )
        self.progress_label.setText(text)
        bar.setAccessibleDescription(text)

    def _finished(self, summary: object) -> None:
        failure = self.controller.last_failure
        if failure:
            self.result_label.setText(tr("Sync did not finish: {reason}").format(reason=failure))
        elif summary is not None:
            acked = getattr(summary, "acked", 0)
            rejected = getattr(summary, "rejected", 0) + getattr(summary, "quarantined_here", 0)
            text = tr("Sync finished: {acked} accepted, {feedback} feedback received.").format(
                acked=acked, feedback=getattr(summary, "feedback", 0)
            )
            if rejected:
                text += " " + tr("Records held back: {count} (see below).").format(count=rejected)
            self.result_label.setText(text)
        else:
            return
        self.result_label.show()

    # --- actions ------------------------------------------------------------------------

    def sync_now(self) -> None:
        if not self.controller.sync_now("asked"):
            self.result_label.setText(tr("A sync is already running."))
            self.result_label.show()

    def selected_op_ids(self) -> list[str]:
        rows = {index.row() for index in self.quarantine_table.selectionModel().selectedRows()}
        ids = []
        for row in sorted(rows):
            item = self.quarantine_table.item(row, 0)
            if item is not None:
                ids.append(str(item.data(OP_ROLE)))
        return ids

    def retry_selected(self) -> None:
        ids = self.selected_op_ids()
        if not ids and self.quarantine_table.rowCount() == 1:
            ids = self.selected_op_ids_all()
        if not ids:
            self.quarantine_label.setText(tr("Choose the records to send again first."))
            return
        self._retry(ids)

    def selected_op_ids_all(self) -> list[str]:
        table = self.quarantine_table
        return [
            str(item.data(OP_ROLE))
            for row in range(table.rowCount())
            if (item := table.item(row, 0)) is not None
        ]

    def retry_all(self) -> None:
        self._retry(None)

    def _retry(self, op_ids: list[str] | None) -> None:
        self.retry_button.setEnabled(False)
        self.retry_all_button.setEnabled(False)

        def done(count: int) -> None:
            self.result_label.setText(
                tr("Records to send again with the next sync: {count}").format(count=count)
            )
            self.result_label.show()
            self.controller.refresh()

        def failed(exc: BaseException) -> None:
            self.result_label.setText(message_for(exc))
            self.result_label.show()
            self.controller.refresh()

        self.taskman.db(_retry, self.session, op_ids).success(done).failure(failed).run()

    def clear(self) -> None:
        """Drop what is shown (called on lock like every screen). Nothing here is
        decrypted, but the tables are emptied anyway."""
        self.quarantine_table.setRowCount(0)
        self.history_table.setRowCount(0)
        self.code_edit.clear()
