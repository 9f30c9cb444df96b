"""PeerDesk desktop entry point.

This is the first, read-mostly window built on the foundation: unlock a profile,
see participants, notes and trips, lock (Ctrl+L). The full daily-work UI
(editor, autosave, trips entry, sync) is the desktop-app issue.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peerdesk.config import log_dir
from peerdesk.errors import PeerDeskError
from peerdesk.logs import setup_logging
from peerdesk.service import ProfileManager, Session


def tr(text: str) -> str:
    return QCoreApplication.translate("PeerDesk", text)


class UnlockDialog(QDialog):
    """Asks for the passphrase; shows the error (with attempts left) in words."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(tr("Unlock PeerDesk"))
        layout = QVBoxLayout(self)
        label = QLabel(tr("Passphrase for profile “%s”:") % session.name)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Passphrase"))
        label.setBuddy(self.passphrase)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(tr("Unlock error"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Unlock"))
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        for w in (label, self.passphrase, self.error, buttons):
            layout.addWidget(w)

    def try_unlock(self) -> None:
        try:
            self.session.unlock(self.passphrase.text())
        except PeerDeskError as exc:
            self.error.setText(tr("Not unlocked: %s") % exc)
            self.passphrase.selectAll()
            return
        self.passphrase.clear()
        self.accept()


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
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.setWindowTitle(tr("PeerDesk — %s") % session.name)
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        lock = QAction(tr("&Lock"), self)
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
        self.session.lock()
        self.refresh()  # clears every view that showed sensitive data
        if UnlockDialog(self.session, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()


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

        session = ensure_demo_profile(manager)
    else:
        names = manager.list_profiles()
        name = args.profile or (names[0] if names else None)
        if name is None:
            print(
                "No profile yet: create one with `peerdesk-cli init --profile NAME`, or use --demo."
            )
            return 1
        session = manager.open(name)
        if UnlockDialog(session).exec() != QDialog.DialogCode.Accepted:
            return 1
    window = MainWindow(session)
    window.resize(900, 560)
    window.show()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    code = app.exec()
    session.close()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
