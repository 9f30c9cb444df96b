"""The supervisor's Review screen: the queue of synced notes and the reader.

Top: filters (peer, review state, contact dates) and a line that says how many
notes match. Left: the queue (:class:`ui.models.review.ReviewQueueModel`,
oldest contact first, loaded a page at a time as the list scrolls). Right: the
reader (:class:`ui.screens.review_reader.ReviewReader`) with the note and the
Approve / Return buttons. Selecting a line reads its note; after a decision the
line shows the new state.

The queue is read the first time the screen is shown, and again (with the note in
the reader) when a pull brought something new.

Keyboard: the filters, the queue and the reader are in that tab order; F5 reads
the queue again; in the reader Ctrl+Shift+A approves and Ctrl+Shift+R returns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.review import WAITING_STATES, Peer, QueueFilter, ReviewedNote
from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from peerdesk.services.crisis import TeamCrisis
from ui.errors import message_for
from ui.i18n import tr
from ui.models.review import COL_PARTICIPANT, ReviewQueueModel
from ui.operations import Follower
from ui.screens.crisis import CRISIS_STYLE
from ui.screens.review_reader import ReviewReader
from ui.taskman import Latest, TaskManager
from ui.widgets import make_error_label

__all__ = ["ReviewScreen", "state_choices"]


def state_choices() -> list[tuple[str, frozenset[str]]]:
    """The state filter's entries: words and the states they show."""
    return [
        (tr("Waiting for a decision"), frozenset(WAITING_STATES)),
        (tr("All states"), frozenset()),
        (tr("Received"), frozenset({"received"})),
        (tr("Resubmitted"), frozenset({"resubmitted"})),
        (tr("Returned to the peer"), frozenset({"returned"})),
        (tr("Approved"), frozenset({"approved"})),
    ]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ReviewScreen(QWidget):
    """Filters, the review queue and the reader (see the module docstring)."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        reviewer: Callable[[], str],
        parent: QWidget | None = None,
        *,
        page_size: int | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self._peers_latest = Latest()
        self._sized = False
        self.setObjectName("reviewScreen")
        self.setAccessibleName(tr("Review"))

        # --- filters
        self.peer_combo = QComboBox()
        self.peer_combo.setObjectName("reviewPeer")
        self.peer_combo.setAccessibleName(tr("Show notes of peer"))
        self.peer_combo.addItem(tr("All peers"), None)
        peer_label = QLabel(tr("&Peer:"))
        peer_label.setBuddy(self.peer_combo)

        self.state_combo = QComboBox()
        self.state_combo.setObjectName("reviewState")
        self.state_combo.setAccessibleName(tr("Show notes in review state"))
        for words, states in state_choices():
            self.state_combo.addItem(words, states)
        state_label = QLabel(tr("&State:"))
        state_label.setBuddy(self.state_combo)

        self.dates_check = QCheckBox(tr("Contacts &between"))
        self.dates_check.setAccessibleName(tr("Only contacts between two dates"))
        day = today()
        self.date_from = QDateEdit(_qdate(day - timedelta(days=30)))
        self.date_from.setAccessibleName(tr("First contact date"))
        self.date_to = QDateEdit(_qdate(day))
        self.date_to.setAccessibleName(tr("Last contact date"))
        and_label = QLabel(tr("and"))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)

        filters = QHBoxLayout()
        filters.addWidget(peer_label)
        filters.addWidget(self.peer_combo, 2)
        filters.addSpacing(12)
        filters.addWidget(state_label)
        filters.addWidget(self.state_combo, 2)
        filters.addSpacing(12)
        filters.addWidget(self.dates_check)
        filters.addWidget(self.date_from)
        filters.addWidget(and_label)
        filters.addWidget(self.date_to)
        filters.addStretch(1)

        self.count_label = QLabel()
        self.count_label.setObjectName("reviewCount")
        self.count_label.setWordWrap(True)
        self.count_label.setAccessibleName(tr("Review queue summary"))
        self.problem = make_error_label()
        self.problem.hide()

        # --- queue
        self.model = ReviewQueueModel(session, taskman, self, page_size=page_size)
        self.table = QTableView()
        self.table.setObjectName("reviewQueue")
        self.table.setAccessibleName(tr("Review queue, oldest contact first"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_PARTICIPANT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(self._activated)

        # --- reader
        self.reader = ReviewReader(session, taskman, reviewer)
        self.reader.decided.connect(self._decided)
        self.reader.note_loaded.connect(self._note_loaded)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.count_label)
        left_column.addWidget(self.problem)
        left_column.addWidget(self.table, 1)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.reader)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        # issue 21: who is flagged in crisis on the team's laptops, after each pull
        self.crisis_banner = QLabel()
        self.crisis_banner.setObjectName("teamCrisisBanner")
        self.crisis_banner.setWordWrap(True)
        self.crisis_banner.setStyleSheet(CRISIS_STYLE)
        self.crisis_banner.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.crisis_banner)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

        self.setTabOrder(self.peer_combo, self.state_combo)
        self.setTabOrder(self.state_combo, self.dates_check)
        self.setTabOrder(self.dates_check, self.date_from)
        self.setTabOrder(self.date_from, self.date_to)
        self.setTabOrder(self.date_to, self.table)
        self.setTabOrder(self.table, self.reader.view)

        self.peer_combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.state_combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.dates_check.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(lambda _d: self._dates_changed())
        self.date_to.dateChanged.connect(lambda _d: self._dates_changed())
        self.model.page_loaded.connect(self._page_loaded)
        self.model.load_failed.connect(self._load_failed)
        self.model.modelReset.connect(self._show_count)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.refresh)
        # a decision made here updates its line itself (the reader's ``decided``)
        Follower(self, taskman, {"review"}, self._pulled, on_first_show=True)

    # --- loading ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous() and not self._sized:
            self._sized = True
            width = max(self.splitter.width(), 800)
            self.splitter.setSizes([int(width * 0.58), width - int(width * 0.58)])

    def refresh(self) -> None:
        """Read the peers and the first page of the queue again."""
        if self.taskman.closed:
            return
        self.load_peers()
        self.apply_filter()
        self.taskman.db(self.session.record.team_in_crisis).success(self._show_crisis).run()

    def _show_crisis(self, people: list[TeamCrisis]) -> None:
        self.crisis_banner.setVisible(bool(people))
        self.crisis_banner.setText(
            tr("%n participant(s) in crisis on your team: their notes are listed first.", None,
               len(people))
        )  # fmt: skip

    def _pulled(self) -> None:
        """New notes and decisions may have arrived: the queue and the note shown."""
        self.refresh()
        self.reader.reload(keep_message=True)

    def load_peers(self) -> None:
        only = self._peers_latest.begin()
        self.taskman.db(self.session.review.peers).success(only(self._show_peers)).failure(
            only(self._load_failed)
        ).run()

    def _show_peers(self, peers: list[Peer]) -> None:
        wanted = self.peer_combo.currentData()
        self.peer_combo.blockSignals(True)
        try:
            self.peer_combo.clear()
            self.peer_combo.addItem(tr("All peers"), None)
            for peer in sorted(peers, key=lambda p: p.label.casefold()):
                label = peer.label or peer.device_id
                if peer.revoked:
                    label = tr("{peer} (laptop withdrawn)").format(peer=label)
                self.peer_combo.addItem(label, peer.device_id)
            at = self.peer_combo.findData(wanted)
            self.peer_combo.setCurrentIndex(max(at, 0))
        finally:
            self.peer_combo.blockSignals(False)
        if wanted is not None and self.peer_combo.currentData() != wanted:
            self.apply_filter()  # that peer is gone

    def current_filter(self) -> QueueFilter:
        states = self.state_combo.currentData()
        date_from = date_to = None
        if self.dates_check.isChecked():
            date_from = _pydate(self.date_from.date())
            date_to = _pydate(self.date_to.date())
        return QueueFilter(
            device_id=self.peer_combo.currentData(),
            states=frozenset(states) if states else frozenset(),
            date_from=date_from,
            date_to=date_to,
        )

    def apply_filter(self) -> None:
        """Read the queue from its first page with the filters as they are set."""
        if self.taskman.closed:
            return
        self.problem.hide()
        self.model.refresh(self.current_filter())

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filter()

    def _dates_changed(self) -> None:
        if self.dates_check.isChecked():
            self.apply_filter()  # dates the wrong way round: the core says so

    def _page_loaded(self, _count: int) -> None:
        if self.model.pages_loaded == 1:
            self.table.resizeColumnsToContents()  # the first page sets the widths
        self._show_count()

    def _load_failed(self, exc: object) -> None:
        if isinstance(exc, PeerDeskError):
            self.problem.setText(message_for(exc))
            self.problem.show()
            self._show_count()
        elif isinstance(exc, BaseException):
            raise exc  # a bug: to sys.excepthook

    def _show_count(self) -> None:
        model = self.model
        if model.total is None:
            self.count_label.setText(tr("Reading the review queue…"))
            return
        if model.total == 0:
            text = tr("No notes match these filters.")
        else:
            text = tr(
                "%n note(s) found, oldest contact first; {shown} shown.", None, model.total
            ).format(shown=model.rowCount())
        broken = model.broken_count
        if broken:
            text += " " + tr("%n record(s) cannot be read; each is listed as such.", None, broken)
        self.count_label.setText(text)

    # --- selection --------------------------------------------------------------------

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_row(rows[0].row())

    def _activated(self, index: QModelIndex) -> None:
        self.open_row(index.row())
        self.reader.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_row(self, row: int) -> None:
        item = self.model.item_at(row)
        if item is None:
            return
        if self.reader.key != (item.device_id, item.note_id) or self.reader.reviewed is None:
            self.reader.open_note(item.device_id, item.note_id)

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def _note_loaded(self, reviewed: ReviewedNote) -> None:
        self.model.replace_item(reviewed.item)

    def _decided(self, reviewed: ReviewedNote) -> None:
        self.model.replace_item(reviewed.item)

    # --- lock -------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop every decrypted value (on lock); answers on their way are ignored."""
        self._peers_latest.drop()
        self.model.clear()
        self.reader.clear()
        self.peer_combo.blockSignals(True)
        self.peer_combo.clear()
        self.peer_combo.blockSignals(False)
        self.count_label.clear()
        self.problem.clear()
