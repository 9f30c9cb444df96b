"""One participant's referrals, for the participant page: where they were
referred, when, and the follow-up (made, connected, not connected), with a
button to refer them to another resource.

Referrals are sensitive (where someone was referred can reveal a diagnosis):
they are read on the DB thread, kept in memory only while shown, and dropped by
:meth:`ReferralsPanel.clear` (on lock).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.referrals import Referral, ReferralStatus
from peerdesk.errors import PeerDeskError
from peerdesk.services import OpResult, Session
from ui.dialogs.refer import DirectoryPickerDialog, open_directory_picker
from ui.errors import message_for
from ui.i18n import tr
from ui.operations import Follower, change
from ui.taskman import Latest, TaskManager

__all__ = ["ReferralsPanel", "status_names"]


def status_names() -> dict[ReferralStatus, str]:
    return {
        ReferralStatus.MADE: tr("Referral made, not followed up yet"),
        ReferralStatus.CONNECTED: tr("Connected with the service"),
        ReferralStatus.NOT_CONNECTED: tr("Did not connect"),
    }


def _list_referrals(session: Session, participant_id: str) -> tuple[list[Referral], int]:
    result = session.directory.referrals(participant_id=participant_id)
    return result.items, len(result.damaged)


class ReferralsPanel(QWidget):
    """The referrals of one participant and their follow-up."""

    #: a referral was made or its status changed
    changed = Signal(object)

    COLUMNS = 3

    def __init__(
        self, session: Session, taskman: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.participant: tuple[str, str] | None = None  # id, name
        self.referrals: list[Referral] = []
        self.dialog: QDialog | None = None
        self._latest = Latest()
        self._said = ""  # what the last action did, shown with the reloaded list
        self.setAccessibleName(tr("Referrals"))

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([tr("Service"), tr("Referred on"), tr("Follow-up")])
        self.table.setAccessibleName(tr("Referrals of this participant"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(90)
        label = QLabel(tr("Referra&ls:"))
        label.setBuddy(self.table)
        self.refer_button = QPushButton(tr("Refer to a reso&urce…"))
        self.refer_button.setAccessibleName(tr("Refer this participant to a resource"))
        self.connected_button = QPushButton(tr("Mark &connected"))
        self.connected_button.setAccessibleName(tr("Mark the referral connected"))
        self.not_connected_button = QPushButton(tr("Mark &not connected"))
        self.not_connected_button.setAccessibleName(tr("Mark the referral not connected"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Referrals status"))

        self.refer_button.clicked.connect(self.refer)
        self.connected_button.clicked.connect(lambda: self.set_status(ReferralStatus.CONNECTED))
        self.not_connected_button.clicked.connect(
            lambda: self.set_status(ReferralStatus.NOT_CONNECTED)
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)

        buttons = QHBoxLayout()
        buttons.addWidget(self.refer_button)
        buttons.addStretch(1)
        buttons.addWidget(self.connected_button)
        buttons.addWidget(self.not_connected_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._update_buttons()
        # a referral made from the Resources screen or a note
        Follower(self, taskman, {"referrals"}, self.reload)

    # --- loading ----------------------------------------------------------------------

    def set_participant(self, participant_id: str | None, name: str = "") -> None:
        """Show this participant's referrals (None: nobody)."""
        self.participant = (participant_id, name) if participant_id else None
        if participant_id is None:
            self._latest.drop()
            self._show([], 0)
            return
        self.reload()

    def reload(self) -> None:
        if self.participant is None or self.taskman.closed:
            return
        only = self._latest.begin()

        @only
        def show(result: tuple[list[Referral], int]) -> None:
            self._show(*result)

        self.taskman.db(_list_referrals, self.session, self.participant[0]).success(show).failure(
            self._failed
        ).run()

    def _show(self, referrals: list[Referral], damaged: int) -> None:
        selected = self.selected()
        keep = selected.id if selected else None
        self.referrals = referrals
        names = status_names()
        self.table.setRowCount(0)
        self.table.setRowCount(len(referrals))
        for row, ref in enumerate(referrals):
            texts = (
                ref.service_name,
                ref.created_at.astimezone().strftime("%Y-%m-%d"),
                names[ref.status],
            )
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if ref.id == keep:
                self.table.selectRow(row)
        if self.participant is None:
            text = ""
        elif not referrals:
            text = tr("No referrals yet.")
        else:
            text = tr("%n referral(s).", None, len(referrals))
        if damaged:
            text += " " + tr("%n damaged referral(s) could not be read.", None, damaged)
        if self._said and self.participant is not None:
            text += " " + self._said
        self._said = ""
        self.status.setText(text.strip())
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PeerDeskError):
            raise exc
        self.status.setText(message_for(exc))

    # --- follow-up --------------------------------------------------------------------

    def selected(self) -> Referral | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.referrals):
            return None
        return self.referrals[rows[0].row()]

    def select(self, row: int) -> None:
        self.table.selectRow(row)

    def _update_buttons(self) -> None:
        ref = self.selected()
        self.refer_button.setEnabled(self.participant is not None)
        self.connected_button.setEnabled(
            ref is not None and ref.status is not ReferralStatus.CONNECTED
        )
        self.not_connected_button.setEnabled(
            ref is not None and ref.status is not ReferralStatus.NOT_CONNECTED
        )

    def set_status(self, status: ReferralStatus) -> None:
        ref = self.selected()
        if ref is None:
            return

        def done(result: OpResult[Referral]) -> None:
            updated = result.value
            self._said = tr("Follow-up saved: {service} — {status}.").format(
                service=updated.service_name, status=status_names()[updated.status]
            )
            self.changed.emit(updated)
            self.reload()

        change(self.taskman, self.session.directory.set_referral_status, ref.id, status).origin(
            self
        ).success(done).failure(self._failed).run()

    # --- referring --------------------------------------------------------------------

    def refer(self) -> DirectoryPickerDialog | None:
        if self.participant is None:
            return None
        pid, name = self.participant
        dialog = open_directory_picker(self.session, self.taskman, pid, name, self)
        dialog.referred.connect(self._referred)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self.dialog = dialog
        return dialog

    def _forget(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _referred(self, referral: Referral) -> None:
        self._said = tr("Referral to {service} recorded.").format(service=referral.service_name)
        self.changed.emit(referral)
        self.reload()

    # --- lock -------------------------------------------------------------------------

    def clear(self) -> None:
        self._latest.drop()
        if self.dialog is not None:
            self.dialog.reject()
        self.participant = None
        self._show([], 0)
        self.status.clear()
