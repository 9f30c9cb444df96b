"""The role's own part of the Sync screen (:class:`ui.screens.sync.SyncScreen`).

- :class:`PeerSyncDetails`, a laptop's: whether the agency answers, the last
  success and the last attempt with its problem in words, what waits to be sent,
  the metered-connection setting, the records the agency held back (with the
  reason and "Send again") and the history of syncs;
- :class:`PullDetails`, a supervisor's: the team and the name decisions are
  signed with, when the last complete pull finished, why the last one failed,
  how many notes wait for a decision.

Each also says what the screen calls things (:class:`ui.screens.sync.SyncWords`)
and how a run's progress and result read.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.review import PullProgress
from peerdesk.services import SyncSummary
from ui.auto_sync import AutoSync
from ui.errors import describe_problem, message_for
from ui.formats import format_size, format_when
from ui.i18n import tr
from ui.link_controller import LinkController
from ui.link_roles import PullSnapshot, SyncProgress, SyncSnapshot
from ui.link_roles import progress_text as pull_progress_text
from ui.operations import change
from ui.screens.sync import SyncWords
from ui.widgets import text_label

__all__ = ["PeerSyncDetails", "PullDetails", "kind_names", "outcome_names"]

#: item data of a quarantine row: the op id
OP_ROLE = Qt.ItemDataRole.UserRole + 1


def kind_names() -> dict[str, str]:
    return {
        "note": tr("Note"),
        "addendum": tr("Addendum"),
        "participant": tr("Participant"),
        "trip": tr("Trip"),
        "escrow": tr("Recovery key copy"),
        "referral": tr("Referral"),
        "correction": tr("Directory correction"),
        "care_member": tr("Care-team entry"),
        "plan": tr("Recovery plan"),
        "enrollment": tr("Enrollment"),
        "consent": tr("Consent"),
        "outcome": tr("Outcome check-in"),
        "resubmit": tr("Resubmitted note"),
        "supervision": tr("Supervision session"),
        "certification": tr("Certification"),
        "ceu": tr("CEU entry"),
        "wellbeing": tr("Shared wellbeing check-in"),
        "crisis": tr("Crisis flag"),
        "safety_plan": tr("Safety plan"),
        "appointment": tr("Appointment"),
    }


def outcome_names() -> dict[str, str]:
    return {
        "ok": tr("Finished"),
        "failed": tr("Failed"),
        "stopped": tr("Stopped"),
        "revoked": tr("Access withdrawn"),
        "running": tr("Running"),
    }


def quarantine_reasons() -> dict[str, str]:
    """Why a record was set aside, by its code, in the UI's language.

    The reason the core stores with a quarantined record is an English sentence
    (kept in the profile database, shown to IT as it is); its code is one of a
    fixed few: the agency's (peerdesk.wire.protocol.REJECT_CODES) and those this
    laptop sets itself (peerdesk.link.outbound, peerdesk.link.sync). A code not
    listed here shows the stored sentence with its code."""
    return {
        "unknown_key": tr("The agency does not know the key this record was sealed with."),
        "expired_key": tr("The key this record was sealed with has expired at the agency."),
        "bad_kind": tr("The agency does not accept this kind of record."),
        "too_large": tr("The record is too large to send to the agency."),
        "duplicate_in_batch": tr("The same record was sent twice in one batch."),
        "malformed": tr("The agency could not read this record."),
        "unsupported": tr("This version of PeerDesk cannot send this kind of record yet."),
        "unreadable": tr("This record cannot be read on this laptop, so it cannot be sent."),
    }


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


def _body(*parts: QWidget | QFormLayout) -> QWidget:
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(10)
    for part in parts:
        if isinstance(part, QFormLayout):
            column.addLayout(part)
        else:
            column.addWidget(part)
    return body


# --- a laptop's sync ----------------------------------------------------------------------


def peer_words() -> SyncWords:
    return SyncWords(
        object_name="syncScreen",
        loading=tr("Reading the sync status…"),
        enroll_title=tr("Connect this laptop to your agency"),
        enroll_intro=tr(
            "To send your signed notes, trips and changes to your agency, this laptop "
            "is connected to it once. IT gives you a provisioning file and a one-time "
            "enrollment code. Nothing is sent before that."
        ),
        code_name=tr("Enrollment code"),
        code_label=tr("Enrollment &code:"),
        enroll_button_name=tr("Connect to the agency"),
        connected=tr("This laptop is now connected to the agency."),
        panel_name=tr("Sync panel"),
        heading=tr("Sync with your agency"),
        agency_name=tr("Agency"),
        run_text=tr("&Sync now"),
        run_name=tr("Sync now"),
        run_tip=tr("Send what waits and fetch your supervisor's feedback"),
        cancel_text=tr("&Cancel sync"),
        cancel_name=tr("Cancel the sync"),
        progress_name=tr("Sync progress"),
        progress_details_name=tr("Sync progress details"),
        result_name=tr("Result of the last sync"),
        already_running=tr("A sync is already running."),
        did_not_finish=tr("Sync did not finish: {reason}"),
        scrolls=True,
    )


class PeerSyncDetails(QWidget):
    """A laptop's part of the Sync screen (see the module docstring)."""

    def __init__(
        self, controller: LinkController, auto: AutoSync, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.auto = auto
        self.words = peer_words()
        self._say: Callable[[str], None] = lambda _text: None
        self.connection_label = text_label(tr("Connection"))

        facts = QFormLayout()
        self.last_success_label = text_label(tr("Last successful sync"))
        self.last_attempt_label = text_label(tr("Last attempt"))
        self.waiting_label = text_label(tr("Waiting to be sent"))
        facts.addRow(tr("Last successful sync:"), self.last_success_label)
        facts.addRow(tr("Last attempt:"), self.last_attempt_label)
        facts.addRow(tr("Waiting:"), self.waiting_label)

        self.metered_check = QCheckBox(tr("Sync automatically on &metered connections"))
        self.metered_check.setAccessibleName(tr("Sync automatically on metered connections"))
        self.metered_check.setToolTip(
            tr(
                "Mobile data can cost money; without this, sync on such a connection only when asked"
            )
        )
        self.metered_check.setChecked(auto.settings.sync_on_metered)
        if controller.session.policy.is_locked("metered_sync"):
            self.metered_check.setEnabled(False)
            self.metered_check.setToolTip(tr("Your agency has set this; it cannot be changed here"))
        self.metered_check.toggled.connect(auto.set_sync_on_metered)

        held = QGroupBox(tr("Held back by the agency"))
        held_column = QVBoxLayout(held)
        self.quarantine_label = text_label(tr("Held back records"))
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
        self._body = _body(facts, self.metered_check, held, history)

    def attach(self, say: Callable[[str], None]) -> None:
        self._say = say

    def header(self) -> list[QWidget]:
        return [self.connection_label]

    def body(self) -> QWidget:
        return self._body

    # --- showing ------------------------------------------------------------------------

    def show_snapshot(self, snapshot: SyncSnapshot) -> tuple[str, str]:
        status = snapshot.status
        self.last_success_label.setText(
            format_when(status.last_success_at) if status.last_success_at else tr("Never")
        )
        if not status.last_attempt_at:
            attempt = tr("Never")
        elif status.last_error:
            attempt = tr("{when}: did not finish. {reason}").format(
                when=format_when(status.last_attempt_at),
                reason=describe_problem(status.last_error),
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
        self.connection_changed()
        name = status.agency_name or ""
        return (
            tr("Sync with {agency}").format(agency=name),
            tr("Agency: {name}\nAddress: {url}").format(name=name, url=status.agency_url or ""),
        )

    def connection_changed(self) -> None:
        words = self.auto.connection_words()
        if self.auto.network.metered:
            words = tr("{connection} (metered connection)").format(connection=words)
        self.connection_label.setText(tr("Connection: {state}").format(state=words))

    def running_changed(self, running: bool) -> None:
        self.connection_changed()

    def _show_quarantine(self, snapshot: SyncSnapshot) -> None:
        items = snapshot.quarantine
        kinds = kind_names()
        reasons = quarantine_reasons()
        table = self.quarantine_table
        table.setRowCount(len(items))
        for row, item in enumerate(items):
            record = QTableWidgetItem(kinds.get(item.entity, item.entity))
            record.setData(OP_ROLE, item.op_id)
            table.setItem(row, 0, record)
            table.setItem(row, 1, QTableWidgetItem(format_when(item.created_at)))
            reason = reasons.get(item.code, item.reason)
            if item.code and item.code not in reason:
                reason = tr("{reason} (code {code})").format(reason=reason, code=item.code)
            cell = QTableWidgetItem(reason)
            if item.reason and item.code in reasons:
                cell.setToolTip(item.reason)  # the details, for IT (as the core wrote them)
            table.setItem(row, 2, cell)
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
                # a network problem in words of the UI's language, as "Last problem"
                # says it; the stored English stays in the tooltip for IT
                describe_problem(run.error) if run.error else "",
            ]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column == len(values) - 1 and run.error:
                    cell.setToolTip(run.error)
                table.setItem(row, column, cell)

    def progress_range(self, progress: SyncProgress) -> tuple[int, int]:
        directory = progress.directory
        if directory is not None and directory.bytes_done < directory.bytes_total:
            # bytes of the download, scaled to KiB (a bar's range is a 32-bit int)
            return directory.bytes_total // 1024 or 1, directory.bytes_done // 1024
        if progress.total > 0:
            return progress.total, min(progress.records_done, progress.total)
        return 0, 0  # nothing to send: fetching only

    def progress_text(self, progress: SyncProgress) -> str:
        if progress.batch == 0:
            text = tr("Starting the sync…")
        else:
            text = tr("Batch {batch}: {done} of {total} records answered, {size} sent").format(
                batch=progress.batch,
                done=progress.records_done,
                total=progress.total,
                size=format_size(progress.bytes_sent),
            )
        directory = progress.directory
        if directory is not None and directory.chunks_done < directory.chunks_total:
            text = tr(
                "Downloading the resource directory: {size} of {total} "
                "(part {done} of {parts}); it resumes where it stopped if the connection drops."
            ).format(
                size=format_size(directory.bytes_done),
                total=format_size(directory.bytes_total),
                done=directory.chunks_done,
                parts=directory.chunks_total,
            )
        elif directory is not None:
            text = tr("Resource directory downloaded; updating it…")
        if progress.retrying:
            text += " " + tr("The connection failed ({cause}); trying again.").format(
                cause=progress.retrying
            )
        return text

    def result_text(self, summary: object) -> str | None:
        if not isinstance(summary, SyncSummary):
            return None
        rejected = summary.rejected + summary.quarantined_here
        text = tr("Sync finished: {acked} accepted, {feedback} feedback received.").format(
            acked=summary.acked, feedback=summary.feedback
        )
        if rejected:
            text += " " + tr("Records held back: {count} (see below).").format(count=rejected)
        return text

    # --- held back records ----------------------------------------------------------------

    def selected_op_ids(self) -> list[str]:
        rows = {index.row() for index in self.quarantine_table.selectionModel().selectedRows()}
        ids = []
        for row in sorted(rows):
            item = self.quarantine_table.item(row, 0)
            if item is not None:
                ids.append(str(item.data(OP_ROLE)))
        return ids

    def selected_op_ids_all(self) -> list[str]:
        table = self.quarantine_table
        return [
            str(item.data(OP_ROLE))
            for row in range(table.rowCount())
            if (item := table.item(row, 0)) is not None
        ]

    def retry_selected(self) -> None:
        ids = self.selected_op_ids()
        if not ids and self.quarantine_table.rowCount() == 1:
            ids = self.selected_op_ids_all()
        if not ids:
            self.quarantine_label.setText(tr("Choose the records to send again first."))
            return
        self._retry(ids)

    def retry_all(self) -> None:
        self._retry(None)

    def _retry(self, op_ids: list[str] | None) -> None:
        self.retry_button.setEnabled(False)
        self.retry_all_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self._say(message_for(exc))
            held = self.quarantine_table.rowCount() > 0  # nothing changed
            self.retry_button.setEnabled(held)
            self.retry_all_button.setEnabled(held)

        controller = self.controller
        change(controller.taskman, controller.session.link.retry, op_ids).origin(self).success(
            lambda done: self._say(
                tr("Records to send again with the next sync: {count}").format(count=done.value)
            )
        ).failure(failed).run()

    def clear(self) -> None:
        self.quarantine_table.setRowCount(0)
        self.history_table.setRowCount(0)


# --- a supervisor's pull ------------------------------------------------------------------


def pull_words() -> SyncWords:
    return SyncWords(
        object_name="reviewSyncScreen",
        loading=tr("Reading the review status…"),
        enroll_title=tr("Connect as a supervisor"),
        enroll_intro=tr(
            "To review your team's notes, this profile is connected to your agency once. "
            "IT gives you a provisioning file and a one-time supervisor invite code. "
            "Notes are decrypted only on this computer, with keys that open only with "
            "your passphrase."
        ),
        code_name=tr("Supervisor invite code"),
        code_label=tr("Supervisor &invite code:"),
        enroll_button_name=tr("Connect to the agency as a supervisor"),
        connected=tr("Connected: you can now pull your team's notes."),
        panel_name=tr("Pull notes for review"),
        heading=tr("Notes for review"),
        agency_name=tr("Agency and team"),
        run_text=tr("&Pull now"),
        run_name=tr("Pull new notes and review events now"),
        run_tip=tr("Fetch the team's new notes, addenda, trips and decisions"),
        cancel_text=tr("&Cancel pull"),
        cancel_name=tr("Cancel the pull"),
        progress_name=tr("Pull progress"),
        progress_details_name=tr("Pull progress details"),
        result_name=tr("Result of the last pull"),
        already_running=tr("A pull is already running."),
        did_not_finish=tr("Pull did not finish: {reason}"),
        starting=tr("Connecting to the agency…"),
        asks_name=True,
        run_object="pullButton",
        cancel_object="cancelPullButton",
    )


class PullDetails(QWidget):
    """A supervisor's part of the Sync screen (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = pull_words()
        facts = QFormLayout()
        self.last_pull_label = text_label(tr("Last complete pull"))
        self.last_error_label = text_label(tr("Last problem"))
        self.waiting_label = text_label(tr("Notes waiting for a decision"))
        facts.addRow(tr("Last complete pull:"), self.last_pull_label)
        facts.addRow(tr("Last problem:"), self.last_error_label)
        facts.addRow(tr("Waiting for a decision:"), self.waiting_label)
        self._body = _body(facts)

    def attach(self, say: Callable[[str], None]) -> None:
        """Nothing of its own to say."""

    def header(self) -> list[QWidget]:
        return []

    def body(self) -> QWidget:
        return self._body

    def show_snapshot(self, snapshot: PullSnapshot) -> tuple[str, str]:
        info = snapshot.info
        assert info is not None  # enrolled
        self.last_pull_label.setText(
            snapshot.last_pull_at.astimezone().strftime("%Y-%m-%d %H:%M")
            if snapshot.last_pull_at
            else tr("Never")
        )
        self.last_error_label.setText(
            describe_problem(snapshot.last_error) if snapshot.last_error else tr("None")
        )
        self.last_error_label.setToolTip(snapshot.last_error or "")  # the details, for IT
        self.waiting_label.setText(str(snapshot.waiting))
        return (
            tr("Notes for review from {agency}").format(agency=info.agency_name),
            tr("Team: {team} · peers' laptops: {peers} · you sign as {name}").format(
                team=info.team or tr("(none)"), peers=snapshot.peers, name=info.name
            ),
        )

    def progress_range(self, progress: PullProgress) -> tuple[int, int]:
        return 0, 0  # pages: how many is not known

    def progress_text(self, progress: PullProgress) -> str:
        return pull_progress_text(progress)

    def result_text(self, last: object) -> str | None:
        return pull_progress_text(last) if isinstance(last, PullProgress) else None

    def running_changed(self, running: bool) -> None:
        """Nothing of its own changes."""

    def connection_changed(self) -> None:
        """A supervisor's screen does not show the connection."""

    def clear(self) -> None:
        """Nothing decrypted here."""
