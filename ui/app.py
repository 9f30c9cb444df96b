"""PeerDesk desktop entry point, and its one main window.

Start-up: choose a profile and unlock it (or create one on first run). The main
window is built from the profile's role (:mod:`ui.roles`): a sidebar of sections
(a peer's Today, Participants, Notes, Trips, Resources, Sync; a supervisor's
Review, Reports, Sync; Ctrl+1 and on, Ctrl+0 moves to the sidebar), a status bar
with what the link to the agency says (:class:`ui.link_controller.LinkController`),
and a task manager that runs every profile call on one DB thread; what a call
changed goes to every screen on one signal (:mod:`ui.operations`).

Lock (Ctrl+L) saves the open draft, destroys every screen that showed sensitive
data, closes the session and returns to the unlock dialog. The window also locks
by itself (:mod:`ui.watchers`): after ``Policy.auto_lock_minutes`` without
keyboard or mouse input, and when the session goes away (suspend, sleep, screen
saver). A profile of the other role unlocked after a lock gets a window of its
own, which takes over.

Appearance follows the system (:mod:`ui.application`): the Fusion style with the
platform's light or dark palette, icons drawn in the palette's text colour, the
UI language from ``PEERDESK_LANG`` or the system locale (:mod:`ui.i18n`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from peerdesk.demo.profiles import ensure_demo_supervisor
from peerdesk.errors import ConfigError, IntegrityError
from peerdesk.services import ProfileManager, Session, SyncOptions, Transport
from peerdesk.services.app import (
    Setup,
    app_version,
    data_root,
    is_bundle,
    load_setup,
    log_dir,
    setup_logging,
    system_provisioning_path,
    verify_resources,
)
from ui import main_thread_gc
from ui.application import quit_on_signals, setup_application, show_startup_error
from ui.auto_sync import STARTUP_DELAY_MS
from ui.connectivity import NetworkMonitor
from ui.day_links import connect_day_actions
from ui.demo_agency import DemoAgency, DemoAgencyFailed, DemoAgencyInfo, start_demo_agency
from ui.dialogs.enroll import EnrollDialog, not_connected_yet, offer_enrollment
from ui.dialogs.unlock import sign_in
from ui.errors import message_for
from ui.i18n import tr
from ui.icons import app_icon, icon
from ui.operations import ChangeBus
from ui.reminders import Notifier, ReminderWatch, start_reminders
from ui.roles import Clears, LinkOptions, ScreenKit, role_of
from ui.screens.crisis import CRISIS_SHORTCUT
from ui.screens.directory import DirectoryScreen
from ui.screens.notes import NotesScreen
from ui.screens.participants import ParticipantsScreen
from ui.screens.reports import ReportsScreen
from ui.screens.review import ReviewScreen
from ui.screens.sync import SyncScreen
from ui.screens.today import TodayScreen
from ui.screens.trips import TripsScreen
from ui.screens.week import WeekScreen
from ui.taskman import TaskManager
from ui.view import add_view_menu, fit_to_screen, menu_action
from ui.watchers import IdleWatcher, SessionWatcher

__all__ = ["MainWindow", "main", "sign_in"]

log = logging.getLogger("peerdesk.ui.app")

W = TypeVar("W", bound=QWidget)


# --- the window ---------------------------------------------------------------------------


class _Screen(Generic[W]):
    """``window.notes`` and the like: the section screen of that kind (LookupError
    when the role has none)."""

    def __init__(self, kind: type[W]) -> None:
        self.kind = kind

    def __get__(self, window: MainWindow, owner: type[MainWindow]) -> W:
        return window.section(self.kind)


class MainWindow(QMainWindow):
    """One unlocked profile, with the sections of its role (:func:`ui.roles.role_of`).
    Screens are built per session and destroyed on lock.

    ``idle_timeout_s`` overrides the policy's auto-lock time (``0`` turns idle
    locking off); ``idle_clock`` replaces both clocks of the :class:`IdleWatcher`
    (tests: a fake clock that moves only when told, so nothing depends on how
    long the machine takes). ``network`` (default: Qt's QNetworkInformation),
    ``sync_transport`` (default: the real network), ``sync_options``,
    ``sync_startup_delay_ms`` (None: no automatic sync at start) and
    ``page_size`` (of the review queue) are for tests; ``demo_agency`` is the
    child process of ``--demo``. ``offer_enrollment``: a profile created just now
    and not enrolled is offered the enrollment form at once (skippable).
    """

    def __init__(
        self,
        session: Session,
        manager: ProfileManager,
        *,
        autosave_ms: int = 5000,
        idle_timeout_s: float | None = None,
        idle_clock: Callable[[], float] | None = None,
        network: NetworkMonitor | None = None,
        sync_transport: Transport | None = None,
        sync_options: SyncOptions | None = None,
        sync_startup_delay_ms: int | None = STARTUP_DELAY_MS,
        page_size: int | None = None,
        demo_agency: DemoAgency | None = None,
        reminder_clock: Callable[[], datetime] | None = None,
        offer_enrollment: bool = False,
    ) -> None:
        super().__init__()
        self.manager = manager
        self.offer_enrollment = offer_enrollment
        self.enroll_offer: EnrollDialog | None = None  # while it is open
        self.role = role_of(session)
        self.autosave_ms = autosave_ms
        self.page_size = page_size
        self._locking = False
        #: the window that took over after a lock unlocked a profile of the other role
        self.successor: MainWindow | None = None
        self.setWindowIcon(app_icon())
        self.link_options = LinkOptions(
            network if network is not None else NetworkMonitor(self),
            sync_transport,
            sync_options,
            sync_startup_delay_ms,
        )
        self.demo_agency = demo_agency
        #: why the demo agency is not there, in words (None: fine or no demo)
        self.demo_problem: str | None = None
        self.taskman = self._new_taskman()
        self.notifier = Notifier(self)
        #: the clock of appointment reminders (tests move a fake one)
        self.reminder_clock = reminder_clock
        self.sync_label = QLabel()
        self.sync_label.setAccessibleName(tr("Sync status"))
        self.statusBar().addPermanentWidget(self.sync_label)

        timeout = (
            session.policy.auto_lock_minutes * 60 if idle_timeout_s is None else idle_timeout_s
        )
        self.idle_clock = idle_clock
        clocks = {} if idle_clock is None else {"monotonic": idle_clock, "wall": idle_clock}
        self.idle = IdleWatcher(timeout, self, **clocks)
        self.idle.idle.connect(lambda: self.request_lock("idle"))
        self.session_watcher = SessionWatcher(self)
        self.session_watcher.going_away.connect(self.request_lock)

        profile = self.menuBar().addMenu(tr("&Profile"))
        self.lock_action = menu_action(
            self, profile, tr("&Lock"), "Ctrl+L", lambda: self.request_lock("lock action"),
            icon=icon("lock"),
        )  # fmt: skip
        self.lock_action.setToolTip(tr("Lock PeerDesk now (Ctrl+L)"))
        self.font_sizes = add_view_menu(self, manager.root.parent)

        go = self.menuBar().addMenu(tr("&Go"))
        self.sidebar_action = menu_action(
            self, go, tr("Sections list"), "Ctrl+0", self.focus_sidebar
        )
        if "today" in self.role.keys():
            self.crisis_action = menu_action(
                self, go, tr("&Crisis support…"), CRISIS_SHORTCUT, self.open_crisis
            )
            self.crisis_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        go.addSeparator()
        self.section_actions: list[QAction] = []
        for index, (key, title) in enumerate(
            zip(self.role.keys(), self.role.titles(), strict=True)
        ):
            action = menu_action(
                self, go, title, f"Ctrl+{index + 1}", partial(self.go_to, index), icon=icon(key)
            )
            action.setObjectName(f"go_{key}")
            self.section_actions.append(action)
        self.open_session(session)

    def _new_taskman(self) -> TaskManager:
        """One per session: the previous one is shut down when its session ends.
        Its one DB thread is the only thread that touches the profile."""
        taskman = TaskManager(self)
        taskman.error.connect(self.statusBar().showMessage)
        return taskman

    def open_session(self, session: Session) -> None:
        self.session = session
        self.setWindowTitle(self.role.window_title().format(profile=session.name))
        self.link = link = self.role.link(session, self.taskman, self.link_options, self)
        kit = ScreenKit(session, self.taskman, link, self.autosave_ms, self.page_size)
        self._screens = [section.screen(kit) for section in self.role.sections]
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName(tr("Sections"))
        self.sidebar.setMaximumWidth(200)
        self.sidebar.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        for key, title, screen in zip(
            self.role.keys(), self.role.titles(), self._screens, strict=True
        ):
            item = QListWidgetItem(icon(key), title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
            self.sidebar.addItem(item)
            self.stack.addWidget(screen)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        if (today := self.section_or_none(TodayScreen)) is not None:
            today.open_note.connect(self.show_note)
            today.open_trip.connect(self.show_trip)
        connect_day_actions(self)
        for changed in (
            link.state_changed,
            link.connection_changed,
            link.running_changed,
            link.progress_changed,
        ):
            changed.connect(self._show_sync_status)
        self._first_snapshot = True
        link.state_changed.connect(self._snapshot_read)
        link.start()
        if self.demo_agency is not None:
            self._connect_demo_agency(self.demo_agency)
        self._show_sync_status()
        self.idle.start()
        self.reminders: ReminderWatch | None = None
        if "week" in self.role.keys():  # a peer's window: appointments to remind of
            self.reminders = start_reminders(
                session, self.taskman, self.notifier, self.changes.changed,
                now=self.reminder_clock, parent=self,
            )  # fmt: skip

    def open_crisis(self) -> None:
        """Ctrl+Shift+K anywhere (issue 21): the crisis panel of the participant in
        view (the active window's or the current screen's), else ask whose."""
        if (today := self.section_or_none(TodayScreen)) is None:
            return
        places = (QApplication.activeWindow(), self.stack.currentWidget())
        found = [getattr(w, "crisis_participant", lambda: None)() for w in places]
        today.open_crisis(next((who for who in found if who), None))

    @property
    def changes(self) -> ChangeBus:
        """The session's one change signal: what every data-changing call changed
        (:mod:`ui.operations`)."""
        return ChangeBus.of(self.taskman)

    # --- the screens ----------------------------------------------------------------------

    def screens(self) -> list[QWidget]:
        """The section screens, in sidebar order."""
        return list(self._screens)

    def section_or_none(self, kind: type[W]) -> W | None:
        """The screen of this kind, if the role has one."""
        return next((s for s in self._screens if isinstance(s, kind)), None)

    def section(self, kind: type[W]) -> W:
        found = self.section_or_none(kind)
        if found is None:
            raise LookupError(f"a {self.role.name}'s window has no {kind.__name__}")
        return found

    today = _Screen(TodayScreen)
    participants = _Screen(ParticipantsScreen)
    notes = _Screen(NotesScreen)
    trips = _Screen(TripsScreen)
    week = _Screen(WeekScreen)
    directory = _Screen(DirectoryScreen)
    review = _Screen(ReviewScreen)
    reports = _Screen(ReportsScreen)
    sync = _Screen(SyncScreen)

    # --- navigation -----------------------------------------------------------------------

    def go_to(self, section: int | QWidget) -> None:
        """Show a section (by sidebar row or screen) and move the focus into it."""
        screens = self._screens
        row = section if isinstance(section, int) else screens.index(section)
        self.sidebar.setCurrentRow(row)
        screen = screens[row]
        # the focus chain is a ring (it comes back to the screen); typed as ending in None
        target = screen.nextInFocusChain()
        while (
            target is not None
            and target is not screen
            and not (
                screen.isAncestorOf(target)
                and target.isVisibleTo(screen)
                and target.isEnabled()
                and target.focusPolicy() & Qt.FocusPolicy.TabFocus
            )
        ):
            target = target.nextInFocusChain()
        (target if target is not None and target is not screen else self.sidebar).setFocus(
            Qt.FocusReason.ShortcutFocusReason
        )

    def focus_sidebar(self) -> None:
        self.sidebar.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_note(self, note_id: str) -> None:
        """Open a note in the editor of the Notes screen (the open draft is saved first)."""
        notes = self.notes
        self.go_to(notes)
        notes.show_note(note_id)

    def show_trip(self, trip_id: str, day: date) -> None:
        """Show a trip in the Trips screen: its month, with its row selected."""
        trips = self.trips
        self.go_to(trips)
        trips.show_trip(trip_id, day)

    # --- status ---------------------------------------------------------------------------

    def _show_sync_status(self, *_args: object) -> None:
        """What the link says: for a laptop online/offline, the last sync, pending
        and held-back counts; for a supervisor the team, the last pull, the notes
        waiting. In words."""
        text = self.link.status_line()
        if self.demo_problem:
            text += " · " + self.demo_problem
        self.sync_label.setText(text)
        self.sync_label.setAccessibleDescription(text)

    def _snapshot_read(self, snapshot: object) -> None:
        if self._first_snapshot:
            self._first_snapshot = False
            if self.link.is_enrolled:
                return
            if self.offer_enrollment and self.session.created_now:
                words, done = self.sync.words, self._enroll_offer_closed
                self.enroll_offer = offer_enrollment(self, self.session, self.link, words, done)
            elif self.role.sync_until_enrolled:
                self.go_to(self.sync)  # first run: connect to the agency first

    def _enroll_offer_closed(self, enrolled: bool) -> None:
        """Skipped: the Sync screen keeps the form (a supervisor is taken there)."""
        self.enroll_offer = None
        if not enrolled and not self._locking:
            if self.role.sync_until_enrolled:
                self.go_to(self.sync)
            self.statusBar().showMessage(not_connected_yet())

    def _connect_demo_agency(self, demo: DemoAgency) -> None:
        """Wait (on the network pool) for the demo agency, then enroll the demo
        profile or take the agency's new address, and sync."""
        link = self.link

        def ready(info: DemoAgencyInfo) -> None:
            self.demo_problem = None
            link.adopt_provisioning(info.provisioning)
            if info.supervisor_code:
                # a second profile, "Demo supervisor", to try the review side (lock,
                # then unlock it with the same passphrase)
                self.taskman.network(
                    ensure_demo_supervisor, self.manager, info.provisioning, info.supervisor_code
                ).failure(
                    lambda exc: log.warning("demo supervisor not made: %s", type(exc).__name__)
                ).run()

        def failed(exc: BaseException) -> None:
            reason = str(exc) if isinstance(exc, DemoAgencyFailed) else message_for(exc)
            self.demo_problem = tr("Demo agency not available: {reason}").format(reason=reason)
            self.statusBar().showMessage(self.demo_problem)
            self._show_sync_status()

        self.taskman.network(demo.wait_ready).success(ready).failure(failed).run()

    # --- locking --------------------------------------------------------------------------

    def request_lock(self, reason: str = "") -> None:
        """Lock as soon as it is safe to: a menu or dialog that is open is closed
        first, and the lock happens once its event loop has ended (a dialog's
        owner must not be destroyed under it)."""
        if self._locking or not self.session.is_unlocked:
            return
        blocker = QApplication.activePopupWidget() or QApplication.activeModalWidget()
        if blocker is not None:
            log.info("locking (%s): closing an open %s first", reason, type(blocker).__name__)
            if isinstance(blocker, QDialog):
                blocker.done(QDialog.DialogCode.Rejected)
            else:
                blocker.close()
                blocker.hide()
            QTimer.singleShot(0, lambda: self.request_lock(reason))
            return
        log.info("locking (%s)", reason or "asked")
        self.lock()

    def _end_session(self) -> None:
        """Save the open draft, then drop keys and every decrypted view."""
        session = self.session
        self.idle.stop()
        if self.reminders is not None:
            self.reminders.stop()
            self.reminders = None
        self._save_open_draft()
        # A sync stops at its next step; one waiting on a slow link is closed on
        # the DB thread now, and the answer, when it comes, is dropped.
        self.link.shutdown()
        self.taskman.shutdown(timeout=10.0, wait_for_network=False)
        for screen in self._screens:
            if isinstance(screen, Clears):  # every section's screen (Section.screen)
                screen.clear()
        # Destroy the screens now, not at the next return to the event loop: the
        # unlock dialog runs its own loop, and they must not live on behind it.
        old = self.takeCentralWidget()
        self.setCentralWidget(QWidget())
        if old is not None:
            old.deleteLater()
            QCoreApplication.sendPostedEvents(old, QEvent.Type.DeferredDelete)
        # The task manager's DB thread is idle now (a sync waiting for the network
        # was closed on it): nothing else touches the profile.
        session.lock()
        session.close()
        self.link.deleteLater()

    def _save_open_draft(self) -> None:
        """The open draft saved before the task manager stops (a supervisor's
        window has no notes, so no draft)."""
        if (notes := self.section_or_none(NotesScreen)) is not None:
            notes.save_open_draft()

    @property
    def is_locked(self) -> bool:
        return self._locking or not self.session.is_unlocked

    def lock(self) -> None:
        """Close the session (dropping the keys), clear the views, ask again."""
        if self._locking:
            return
        self._locking = True
        try:
            name = self.session.name
            self._end_session()
            session = sign_in(self.manager, name, self)
            if session is None:
                self.close()
                return
            if role_of(session) is not self.role:
                self._hand_over(session)
                return
            self.taskman = self._new_taskman()
            self.open_session(session)
        finally:
            self._locking = False

    def _hand_over(self, session: Session) -> None:
        """The profile unlocked after a lock has the other role: a window built for
        it takes over (same size, same idle time) and this one closes."""
        successor = MainWindow(
            session, self.manager, idle_timeout_s=self.idle.timeout_s, idle_clock=self.idle_clock
        )
        successor.offer_enrollment = self.offer_enrollment  # before its first status read
        successor.resize(self.size())
        if self.session_watcher.connected:
            successor.session_watcher.connect_dbus()
        successor.show()
        self.successor = successor
        self.close()

    def latest(self) -> MainWindow:
        """This window, or the one that took over from it (after a role change)."""
        window = self
        while window.successor is not None:
            window = window.successor
        return window

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle.stop()
        if self.session.is_unlocked:
            self._end_session()
        super().closeEvent(event)


def load_startup_setup(provisioning: Path | None = None) -> Setup | None:
    """Check the bundle's resource files against its build list, then load the
    provisioning file (``--provisioning``, ``PEERDESK_PROVISIONING`` or the
    system path) and the user's settings. On a problem, say why
    (:func:`show_startup_error`) and return None: PeerDesk does not start rather
    than run on altered files or without the agency's pinned key and policy."""
    try:
        verify_resources()
        setup = load_setup(provisioning)
    except (ConfigError, IntegrityError) as exc:
        show_startup_error(exc)
        return None
    if setup.source is not None and setup.provisioning is not None:
        log.info(
            "provisioned by %s (%s); agency root key %s",
            setup.source.path,
            setup.source.origin,
            setup.provisioning.root_key_id,
        )
    return setup


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="peerdesk", description="PeerDesk, the offline field tool for peer support."
    )
    parser.add_argument("--version", action="version", version=f"PeerDesk {app_version()}")
    parser.add_argument(
        "--demo", action="store_true", help="open the demo profile with sample data"
    )
    parser.add_argument("--profile", help="profile to open")
    parser.add_argument(
        "--provisioning",
        type=Path,
        metavar="PATH",
        help="the agency's provisioning file (default: $PEERDESK_PROVISIONING, then "
        f"{system_provisioning_path()})",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation without a screen and exit (0: every check passed)",
    )
    args, qt_args = parser.parse_known_args(argv if argv is not None else sys.argv[1:])
    if args.self_test:
        from ui.selftest import run_self_test

        return run_self_test(args.provisioning)
    setup_logging(log_dir())
    app = QApplication([sys.argv[0], *qt_args])
    setup_application(app)
    main_thread_gc.install(app)  # never on the DB thread, never inside an event
    setup = load_startup_setup(args.provisioning)
    if setup is None:
        return 2
    manager = ProfileManager(policy=setup.policy, provisioning=setup.provisioning)
    demo: DemoAgency | None = None
    if args.demo:
        from peerdesk.demo.profiles import ensure_demo_profile

        # the demo agency is a Python child process: only from a source checkout
        demo = None if is_bundle() else start_demo_agency(data_root() / "demo-agency")
        session: Session | None = ensure_demo_profile(manager)
    else:
        session = sign_in(manager, args.profile)
    try:
        if session is None:
            return 1
        window = MainWindow(session, manager, demo_agency=demo, offer_enrollment=not args.demo)
        if sys.platform.startswith("linux"):
            watched = window.session_watcher.connect_dbus()
            log.info("session signals watched on D-Bus: %s", ", ".join(watched) or "none")
        fit_to_screen(window)
        window.show()
        quit_on_signals(app)
        code = app.exec()
        window = window.latest()  # a lock may have opened a profile of the other role
        if window.isVisible():
            window.close()  # ended by a signal: save the draft and lock as on close
        if window.session.is_unlocked:
            window.session.close()
        return int(code)
    finally:
        if demo is not None:
            demo.stop()


if __name__ == "__main__":
    raise SystemExit(main())
