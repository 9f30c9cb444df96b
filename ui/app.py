"""PeerDesk desktop entry point.

Start-up: choose a profile and unlock it (or create one on first run), then a
first, read-mostly window with participants, notes and trips. Lock (Ctrl+L)
closes the session, clears every view and returns to the unlock dialog. The full
daily-work UI (editor, autosave, trips entry, sync) is the desktop-app issue.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from peerdesk.config import log_dir
from peerdesk.logs import setup_logging
from peerdesk.service import ProfileManager, Session
from ui.dialogs.profile_setup import CreateProfileDialog
from ui.dialogs.unlock import UnlockDialog


def tr(text: str) -> str:
    return QCoreApplication.translate("PeerDesk", text)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()
    return table


class MainWindow(QMainWindow):
    def __init__(self, session: Session, manager: ProfileManager) -> None:
        super().__init__()
        self.session = session
        self.manager = manager
        self.setWindowTitle(tr("PeerDesk — %s") % session.name)
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        self.lock_action = lock = QAction(tr("&Lock"), self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        self.addAction(lock)
        self.menuBar().addMenu(tr("&Profile")).addAction(lock)
        self.refresh()

    def refresh(self) -> None:
        self.tabs.clear()
        if not self.session.is_unlocked:
            return
        people = self.session.participants.list().items
        names = {p.id: p.display_name for p in people}
        self.tabs.addTab(
            _table([tr("Name"), tr("Phone")], [(p.display_name, p.phone or "") for p in people]),
            tr("Participants"),
        )
        notes = self.session.notes.list().items
        self.tabs.addTab(
            _table(
                [tr("Date"), tr("Participant"), tr("Template"), tr("Minutes"), tr("State")],
                [
                    (
                        n.start_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                        names.get(n.participant_id, "?"),
                        n.template.value.upper(),
                        str(n.duration_minutes),
                        n.state.value,
                    )
                    for n in notes
                ],
            ),
            tr("Notes"),
        )
        trips = self.session.trips.list().items
        self.tabs.addTab(
            _table(
                [tr("Date"), tr("Purpose"), tr("Destination"), tr("Miles")],
                [
                    (
                        t.trip_date.isoformat(),
                        t.purpose.value,
                        t.destination_type.value,
                        str(t.miles or ""),
                    )
                    for t in trips
                ],
            ),
            tr("Trips"),
        )

    def lock(self) -> None:
        """Close the session (dropping the keys), clear the views, ask again."""
        name = self.session.name
        self.session.lock()
        self.refresh()  # clears every view that showed sensitive data
        self.session.close()
        session = sign_in(self.manager, name, self)
        if session is None:
            self.close()
            return
        self.session = session
        self.setWindowTitle(tr("PeerDesk — %s") % session.name)
        self.refresh()


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
    window.resize(900, 560)
    window.show()
    code = app.exec()
    window.session.close()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
