"""The Resources screen's export: the directory as Open Referral HSDS 3, a JSON
file or a folder of CSV files (``session.directory.export_hsds``), so an agency
or a 211 can read what this laptop holds. The directory is public information:
no warning, nothing to audit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QPushButton, QWidget

from peerdesk.errors import PeerDeskError
from peerdesk.services import Session
from ui.errors import message_for
from ui.i18n import tr
from ui.taskman import TaskManager


def ask_target(parent: QWidget, form: str) -> Path | None:
    """Where to write (None: cancelled): a ``.json`` file, or a folder."""
    if form == "csv":
        chosen = QFileDialog.getExistingDirectory(
            parent, tr("Choose an empty folder for the HSDS CSV files")
        )
        return Path(chosen) if chosen else None
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, tr("Export the directory"), "directory-hsds.json", tr("JSON files (*.json)")
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".json" else path.with_name(path.name + ".json")


class DirectoryExport:
    """The "Export…" button (a menu: JSON file, CSV folder) and what it does; it
    reports in ``message``."""

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        parent: QWidget,
        message: QLabel,
        ask: Callable[[QWidget, str], Path | None] = ask_target,
    ) -> None:
        self.session = session
        self.taskman = taskman
        self.parent = parent
        self.message = message
        self.ask = ask
        self.button = QPushButton(tr("E&xport…"))
        self.button.setObjectName("exportDirectory")
        self.button.setAccessibleName(tr("Export the directory as Open Referral HSDS 3"))
        menu = QMenu(self.button)
        menu.addAction(tr("As an HSDS &JSON file…"), lambda: self.export("json"))
        menu.addAction(tr("As HSDS &CSV files in a folder…"), lambda: self.export("csv"))
        self.button.setMenu(menu)

    def export(self, form: str, target: Path | None = None) -> None:
        if self.taskman.closed:
            return
        if target is None:
            target = self.ask(self.parent, form)
        if target is None:
            self.message.setText(tr("Export cancelled: nothing was written."))
            return
        self.button.setEnabled(False)
        self.message.setText(tr("Writing {path}…").format(path=target))

        def done(services: int) -> None:
            self.button.setEnabled(True)
            self.message.setText(
                tr("Exported {count} services as HSDS 3 to {path}.").format(
                    count=services, path=target
                )
            )

        def failed(exc: BaseException) -> None:
            self.button.setEnabled(True)
            if not isinstance(exc, PeerDeskError):
                raise exc
            self.message.setText(tr("Not exported: {message}").format(message=message_for(exc)))

        self.taskman.db(self.session.directory.export_hsds, target, form).success(done).failure(
            failed
        ).run()
