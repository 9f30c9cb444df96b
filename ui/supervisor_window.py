"""The supervisor's window: Review, Reports and Sync.

A profile created for a supervisor (``role="supervisor"``) opens this window
instead of the peer's (:func:`ui.app.window_for`). It *is* a
:class:`ui.app.MainWindow` with other sections, so locking works the same way:
Ctrl+L, auto-lock after the policy's idle minutes, on sleep or screen saver;
the screens that showed decrypted notes are destroyed and the unlock dialog asks
again. Ctrl+1 .. Ctrl+3 go to the sections, Ctrl+0 to the sidebar.

- **Review** (:class:`ui.screens.review.ReviewScreen`): the queue and the reader;
- **Reports** (:class:`ui.screens.reports.ReportsScreen`): units, mileage, overdue;
- **Sync** (:class:`ui.screens.review_sync.ReviewSyncScreen`): enroll once, then
  pull the team's notes (:class:`ui.review_pull.PullController`, which stands
  where the peer's window has its sync controller).

The status bar says which agency and team, when the last pull finished and how
many notes wait for a decision. A first run (not enrolled yet) opens on Sync.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from peerdesk.services import ProfileManager, Session, Transport
from peerdesk.services.payers import load_payer_profiles
from ui.app import MainWindow
from ui.i18n import tr
from ui.icons import icon
from ui.review_pull import PullController, PullSnapshot
from ui.screens.reports import ReportsScreen
from ui.screens.review import ReviewScreen
from ui.screens.review_sync import ReviewSyncScreen

__all__ = ["SupervisorWindow"]


class SupervisorWindow(MainWindow):
    """One unlocked supervisor profile (see the module docstring).

    ``review_transport`` (default: the real network) and ``page_size`` (of the
    queue) are for tests; the other options are :class:`MainWindow`'s.
    """

    SECTIONS: tuple[str, ...] = ("review", "reports", "sync")
    ROLE = "supervisor"

    def __init__(
        self,
        session: Session,
        manager: ProfileManager,
        *,
        review_transport: Transport | None = None,
        page_size: int | None = None,
        **options: Any,
    ) -> None:
        self.review_transport = review_transport
        self.page_size = page_size
        self._first_snapshot = True
        # The peer's automatic sync does not apply: a supervisor pulls.
        options.setdefault("sync_startup_delay_ms", None)
        super().__init__(session, manager, **options)

    @staticmethod
    def section_titles() -> list[str]:
        return [tr("Review"), tr("Reports"), tr("Sync")]

    def open_session(self, session: Session) -> None:
        self.session = session
        self._first_snapshot = True
        self.setWindowTitle(tr("PeerDesk supervisor — {profile}").format(profile=session.name))
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName(tr("Sections"))
        self.sidebar.setMaximumWidth(200)
        self.sidebar.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        # The two ignores below: this subclass swaps MainWindow's SyncController and
        # SyncScreen for the supervisor's PullController and ReviewSyncScreen (read
        # back through pull_controller). They go when SupervisorWindow stops being a
        # MainWindow (ARCHITECTURE.md: one LinkController for both roles).
        self.sync_controller = PullController(  # type: ignore[assignment]
            session, self.taskman, self, transport=self.review_transport
        )
        controller = self.pull_controller
        self.review = ReviewScreen(
            session, self.taskman, self.reviewer_name, page_size=self.page_size
        )
        self.reports = ReportsScreen(session, self.taskman, load_payer_profiles())
        self.sync = ReviewSyncScreen(session, controller)  # type: ignore[assignment]
        for key, title, screen in zip(
            self.SECTIONS, self.section_titles(), self.screens(), strict=True
        ):
            item = QListWidgetItem(icon(key), title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
            self.sidebar.addItem(item)
            self.stack.addWidget(screen)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.currentRowChanged.connect(lambda _row: self.update_status())
        self.sidebar.setCurrentRow(0)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        controller.state_changed.connect(self._snapshot_read)
        controller.running_changed.connect(self._show_sync_status)
        controller.finished.connect(self._after_pull)
        controller.enrolled.connect(self._after_enrollment)
        # a decision refused because the note changed at the agency: fetch the change
        self.review.reader.changed_remotely.connect(lambda _key: controller.pull_now())
        controller.start()
        self._show_sync_status()
        self.idle.start()

    @property
    def pull_controller(self) -> PullController:
        controller = self.sync_controller
        assert isinstance(controller, PullController)
        return controller

    def screens(self) -> list[QWidget]:
        return [self.review, self.reports, self.sync]

    def reviewer_name(self) -> str:
        """The name the supervisor's decisions are signed with (from enrollment)."""
        snapshot = self.pull_controller.snapshot
        if snapshot is not None and snapshot.info is not None and snapshot.info.name:
            return snapshot.info.name
        return self.session.name

    # --- status ---------------------------------------------------------------------------

    def _snapshot_read(self, snapshot: PullSnapshot) -> None:
        self._show_sync_status()
        if self._first_snapshot:
            self._first_snapshot = False
            if not snapshot.enrolled:
                self.go_to(self.sync)  # first run: connect to the agency first
            else:
                self.pull_controller.pull_now()  # what arrived while the app was closed

    def _after_pull(self, _last: object) -> None:
        """New notes and decisions may have arrived: read the queue again."""
        self._show_sync_status()
        self.review.refresh()
        self.review.reader.reload(keep_message=True)
        if self.reports.reports is not None:
            self.reports.refresh()

    def _after_enrollment(self) -> None:
        self.pull_controller.pull_now()

    def _save_open_draft(self, timeout_s: float = 10.0) -> None:
        """A supervisor has no draft to save before locking."""
