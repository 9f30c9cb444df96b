"""Notes screen: the list of notes (filter by state) beside the note editor.

The list is a :class:`~ui.models.notes.NotesListModel`: the first page is read
when the screen opens or the filter changes, and the next pages as the user
scrolls down, each on the DB thread, so a profile with 100,000 notes opens as
fast as one with 100 and the window never waits for the list. A note the editor
saves or signs updates its row in place; the list is read again only when notes
or participants changed elsewhere (a sync brought feedback, a name was edited).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peerdesk.domain.billing import PayerProfile
from peerdesk.domain.models import NoteState
from peerdesk.services import Session
from ui import labels
from ui.errors import message_for
from ui.i18n import tr
from ui.models.notes import COL_PARTICIPANT, NoteRow, NotesFilter, NotesListModel
from ui.operations import Follower
from ui.screens.note_editor import NoteEditor
from ui.taskman import TaskManager

STATE_FILTERS = (None, *NoteState)


class NotesTable(QTableView):
    """The notes list view. ``rowCount()`` and ``item(row, column).text()`` read
    what is shown, as they did on the QTableWidget this replaced."""

    def rowCount(self) -> int:
        model = self.model()
        return model.rowCount() if model is not None else 0

    def item(self, row: int, column: int) -> QStandardItem | None:
        model = self.model()
        if model is None or not 0 <= row < model.rowCount():
            return None
        return QStandardItem(str(model.index(row, column).data() or ""))


class NotesScreen(QWidget):
    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        payer_profile: PayerProfile,
        parent: QWidget | None = None,
        *,
        autosave_ms: int = 5000,
        page_size: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self._sized = False
        #: every participant's name by id, as last read (the search matches these)
        self._names: dict[str, str] = {}
        self.setAccessibleName(tr("Notes"))

        self.state_filter = QComboBox()
        self.state_filter.addItem(tr("All states"), None)
        for state in NoteState:
            self.state_filter.addItem(labels.state_names()[state], state)
        self.state_filter.setAccessibleName(tr("Show notes in state"))
        self.state_filter.currentIndexChanged.connect(self.refresh)
        filter_label = QLabel(tr("&Show:"))
        filter_label.setBuddy(self.state_filter)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search by participant name (Ctrl+F)"))
        self.search.setAccessibleName(tr("Search notes by participant name"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.find_shortcut = find = QShortcut(QKeySequence("Ctrl+F"), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._focus_search)
        self.new_button = QPushButton(tr("&New note"))
        self.new_button.clicked.connect(self.new_note)

        self.model = NotesListModel(session, taskman, self, page_size=page_size)
        self.table = NotesTable()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAccessibleName(tr("Notes list"))
        self.table.verticalHeader().setVisible(False)
        # the name takes what is left, so the State column stays in view (issue 21)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_PARTICIPANT, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        list_label = QLabel(tr("N&otes:"))
        list_label.setBuddy(self.table)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Notes list status"))

        self.model.page_loaded.connect(self._page_loaded)
        self.model.rowsInserted.connect(self._update_status)
        self.model.rowsRemoved.connect(self._update_status)
        self.model.load_failed.connect(lambda exc: self.status.setText(message_for(exc)))

        left = QWidget()
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.state_filter, 1)
        top.addWidget(self.new_button)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.search)
        column.addWidget(list_label)
        column.addWidget(self.table, 1)
        column.addWidget(self.status)

        self.editor = NoteEditor(session, taskman, payer_profile, autosave_ms=autosave_ms)
        self.editor.note_changed.connect(self.model.note_changed)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        # what the editor does, the list shows already (NotesListModel.note_changed)
        Follower(self, taskman, {"notes", "participants"}, self.refresh)
        self.refresh()

    @property
    def notes(self) -> tuple[NoteRow, ...]:
        """The rows loaded so far, as shown (newest first)."""
        return tuple(self.model.rows)

    def refresh(self) -> None:
        """Read the list again from its first page, with the chosen state filter."""
        state = self.state_filter.currentData()
        self._sized = False
        self.status.setText(tr("Loading notes…"))
        self.model.refresh(NotesFilter.of(state, self._searched_ids()))

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _searched_ids(self) -> tuple[str, ...] | None:
        """The participants whose name contains the search text (None: no search)."""
        wanted = self.search.text().strip().casefold()
        if not wanted:
            return None
        names = self._names
        return tuple(sorted(pid for pid, name in names.items() if wanted in name.casefold()))

    def _page_loaded(self, _new_rows: int) -> None:
        self._names = self.model.names() or self._names
        if not self._sized and self.model.rowCount():
            # Measures the rows in view only, so it costs the same for any list.
            self.table.resizeColumnsToContents()
            self._sized = True
        self._update_status()

    def _update_status(self, *_args: object) -> None:
        total = self.model.total
        if total is None:
            return  # the first page is still on its way
        text = tr("%n note(s)", None, total)
        if self.model.damaged:
            text += " " + tr("%n damaged note(s) could not be read.", None, self.model.damaged)
        self.status.setText(text)

    def open_row(self, row: int) -> None:
        note_id = self.model.id_at(row)
        if note_id is not None:
            self.show_note(note_id)

    def show_note(self, note_id: str) -> None:
        """Open a note in the editor (the open draft is saved first)."""
        self.editor.flush(then=lambda: self.editor.open_note(note_id))

    def new_note(self, participant_id: str | None = None) -> None:
        def start() -> None:
            # NoteEditor.open_new keeps the section texts of the note shown before
            # (its _rebuild_sections reads the old fields back), so a new note
            # would start with another note's text: forget those fields first.
            self.editor.section_edits.clear()
            self.editor.open_new(participant_id or None)

        self.editor.flush(then=start)

    def save_open_draft(self, timeout_s: float = 10.0) -> None:
        """Run the editor's saves to the end (a save may already be in flight and
        the last keystrokes queued behind it), e.g. before the session is locked."""
        editor = self.editor
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not editor.is_busy:
                if not editor.has_unsaved_changes or not editor.flush():
                    return  # saved, or the form has a problem shown next to a field
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def clear(self) -> None:
        """Drop every decrypted value shown here (called on lock)."""
        self.model.clear()
        self._names = {}
        self.status.clear()
        self.search.blockSignals(True)
        self.search.clear()  # a name typed is no longer shown after a lock
        self.search.blockSignals(False)
