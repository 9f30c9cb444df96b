"""Notes screen: the list of notes (filter by state) beside the note editor."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.billing import PayerProfile
from peerdesk.domain.models import Note, NoteState
from peerdesk.service import Session
from ui import labels
from ui.errors import message_for
from ui.screens.note_editor import NoteEditor
from ui.taskman import TaskManager

STATE_FILTERS = (None, *NoteState)


def tr(text: str) -> str:
    return QCoreApplication.translate("NotesScreen", text)


class NotesScreen(QWidget):
    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        payer_profile: PayerProfile,
        parent: QWidget | None = None,
        *,
        autosave_ms: int = 5000,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.notes: list[Note] = []
        self._names: dict[str, str] = {}
        self._request = 0
        self.setAccessibleName(tr("Notes"))

        self.state_filter = QComboBox()
        self.state_filter.addItem(tr("All states"), None)
        for state in NoteState:
            self.state_filter.addItem(labels.state_names()[state], state)
        self.state_filter.setAccessibleName(tr("Show notes in state"))
        self.state_filter.currentIndexChanged.connect(self.refresh)
        filter_label = QLabel(tr("&Show:"))
        filter_label.setBuddy(self.state_filter)
        self.new_button = QPushButton(tr("&New note"))
        self.new_button.clicked.connect(self.new_note)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [tr("Date"), tr("Participant"), tr("Template"), tr("State")]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setAccessibleName(tr("Notes list"))
        self.table.verticalHeader().setVisible(False)
        self.table.cellActivated.connect(lambda row, _col: self.open_row(row))
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_row(row))
        self.status = QLabel()
        self.status.setWordWrap(True)

        left = QWidget()
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.state_filter, 1)
        top.addWidget(self.new_button)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        column.addWidget(self.status)

        self.editor = NoteEditor(session, taskman, payer_profile, autosave_ms=autosave_ms)
        self.editor.note_changed.connect(lambda _note: self.refresh())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.refresh()

    def refresh(self) -> None:
        self._request += 1
        request = self._request
        state = self.state_filter.currentData()
        session = self.session

        def load() -> tuple[list[Note], dict[str, str], int]:
            result = session.notes.list(state=state)
            names = {
                p.id: p.display_name for p in session.participants.list(include_inactive=True).items
            }
            return result.items, names, len(result.damaged)

        def show(loaded: tuple[list[Note], dict[str, str], int]) -> None:
            if request != self._request:
                return  # a newer refresh (or clear) won
            self.notes, self._names, damaged = loaded
            self._fill()
            text = tr("%n note(s)").replace("%n", str(len(self.notes)))
            if damaged:
                text += " " + tr("%n damaged note(s) could not be read.").replace(
                    "%n", str(damaged)
                )
            self.status.setText(text)

        self.taskman.db(load).success(show).failure(
            lambda exc: self.status.setText(message_for(exc))
        ).run()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.notes))
        for row, note in enumerate(self.notes):
            values = (
                note.start_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                self._names.get(note.participant_id, tr("(unknown)")),
                labels.template_short_names()[note.template],
                labels.state_names()[note.state],
            )
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.notes):
            note_id = self.notes[row].id
            self.editor.flush(then=lambda: self.editor.open_note(note_id))

    def new_note(self, participant_id: str | None = None) -> None:
        self.editor.flush(then=lambda: self.editor.open_new(participant_id or None))

    def clear(self) -> None:
        """Drop every decrypted value shown here (called on lock)."""
        self._request += 1
        self.notes, self._names = [], {}
        self.table.setRowCount(0)
        self.status.clear()
