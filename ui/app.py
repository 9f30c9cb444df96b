"""PeerDesk desktop entry point.

Start-up: choose a profile and unlock it (or create one on first run). The main
window has a sidebar (Participants, Notes, Trips), a status bar with what is
waiting to sync, and a task manager that runs every profile call on one DB
thread. Lock (Ctrl+L) saves the open draft, destroys every screen that showed
sensitive data, closes the session and returns to the unlock dialog.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from peerdesk.config import log_dir
from peerdesk.domain.billing import load_payer_profiles
from peerdesk.logs import setup_logging
from peerdesk.service import ProfileManager, Session
from ui.dialogs.profile_setup import CreateProfileDialog
from ui.dialogs.unlock import UnlockDialog
from ui.errors import message_for
from ui.screens.notes import NotesScreen
from ui.screens.participants import ParticipantsScreen
from ui.screens.trips import TripsScreen
from ui.taskman import TaskManager


def tr(text: str) -> str:
    return QCoreApplication.translate("PeerDesk", text)


class MainWindow(QMainWindow):
    """One unlocked profile. Screens are built per session and destroyed on lock."""

    def __init__(
        self, session: Session, manager: ProfileManager, *, autosave_ms: int = 5000
    ) -> None:
        super().__init__()
        self.manager = manager
        self.autosave_ms = autosave_ms
        self.taskman = self._new_taskman()
        self.payer = load_payer_profiles()[session.policy.payer_profile]
        self.sync_label = QLabel()
        self.sync_label.setAccessibleName(tr("Sync status"))
        self.statusBar().addPermanentWidget(self.sync_label)
        self.lock_action = lock = QAction(tr("&Lock"), self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        self.addAction(lock)
        self.menuBar().addMenu(tr("&Profile")).addAction(lock)
        self.open_session(session)

    def _new_taskman(self) -> TaskManager:
        """One per session: the previous one is shut down when its session ends."""
        taskman = TaskManager(self)
        taskman.error.connect(self.statusBar().showMessage)
        return taskman

    def open_session(self, session: Session) -> None:
        self.session = session
        self.setWindowTitle(tr("PeerDesk — %s") % session.name)
        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName(tr("Sections"))
        self.sidebar.setMaximumWidth(180)
        self.stack = QStackedWidget()
        self.participants = ParticipantsScreen(session, self.taskman)
        self.notes = NotesScreen(session, self.taskman, self.payer, autosave_ms=self.autosave_ms)
        self.trips = TripsScreen(session, self.taskman, session.policy.mileage_rate)
        for title, screen in (
            (tr("Participants"), self.participants),
            (tr("Notes"), self.notes),
            (tr("Trips"), self.trips),
        ):
            self.sidebar.addItem(title)
            self.stack.addWidget(screen)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.currentRowChanged.connect(lambda _row: self.update_status())
        self.sidebar.setCurrentRow(1)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)  # the previous screens are deleted with it
        self.update_status()

    def update_status(self) -> None:
        session = self.session

        def show(counts: object) -> None:
            pending = getattr(counts, "pending", 0)
            quarantined = getattr(counts, "quarantined", 0)
            self.sync_label.setText(
                tr("Offline · never synced · %1 waiting to sync · %2 held back")
                .replace("%1", str(pending))
                .replace("%2", str(quarantined))
            )

        self.taskman.db(session.outbox.counts).success(show).failure(
            lambda exc: self.sync_label.setText(message_for(exc))
        ).run()

    def _end_session(self) -> None:
        """Save the open draft, then drop keys and every decrypted view."""
        session = self.session
        self._save_open_draft()
        self.taskman.shutdown(timeout=10.0)
        self.participants.clear()
        self.trips.clear()
        self.notes.clear()
        self.setCentralWidget(QWidget())  # destroys the screens
        session.lock()
        session.close()

    def _save_open_draft(self, timeout_s: float = 10.0) -> None:
        """Run the editor's saves to the end (a save may already be in flight and
        the last keystrokes queued behind it) before the task manager stops."""
        editor = self.notes.editor
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not editor.is_busy:
                if not editor.has_unsaved_changes or not editor.flush():
                    return  # saved, or the form has a problem shown next to a field
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def lock(self) -> None:
        """Close the session (dropping the keys), clear the views, ask again."""
        name = self.session.name
        self._end_session()
        session = sign_in(self.manager, name, self)
        if session is None:
            self.close()
            return
        self.taskman = self._new_taskman()
        self.open_session(session)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session.is_unlocked:
            self._end_session()
        super().closeEvent(event)


def sign_in(
    manager: ProfileManager, last: str | None, parent: QWidget | None = None
) -> Session | None:
    """Unlock a profile, or create one (first run or "New profile…")."""
    while True:
        if manager.list_profiles():
            dialog = UnlockDialog(manager, last, parent)
            result = dialog.exec()
            if result == QDialog.DialogCode.Accepted:
                return dialog.session
            if result != UnlockDialog.NewProfile:
                return None
        create = CreateProfileDialog(manager, parent)
        if create.exec() == QDialog.DialogCode.Accepted:
            return create.session
        if not manager.list_profiles():
            return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="peerdesk")
    parser.add_argument(
        "--demo", action="store_true", help="open the demo profile with sample data"
    )
    parser.add_argument("--profile", help="profile to open")
    args, qt_args = parser.parse_known_args(argv if argv is not None else sys.argv[1:])
    setup_logging(log_dir())
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("PeerDesk")
    manager = ProfileManager()
    if args.demo:
        from peerdesk.demo import ensure_demo_profile

        session: Session | None = ensure_demo_profile(manager)
    else:
        session = sign_in(manager, args.profile)
    if session is None:
        return 1
    window = MainWindow(session, manager)
    window.resize(1200, 760)
    window.show()
    code = app.exec()
    if window.session.is_unlocked:
        window.session.close()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
