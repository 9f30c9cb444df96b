"""The notes list as a read-only table model, loaded one page at a time.

:class:`NotesListModel` shows the notes newest first (by id, which is a UUIDv7,
so by creation). It holds only what the list shows (:class:`NoteRow`: id,
participant, template, state, start time) and the participants' names, never a
note's text. Rows come from ``session.notes.page`` on the task manager's DB
thread, ``page_size`` at a time:

* :meth:`NotesListModel.refresh` forgets the rows and asks for the first page
  (with the participants' names and the number of matching notes);
* Qt views call :meth:`~NotesListModel.canFetchMore` /
  :meth:`~NotesListModel.fetchMore` when the user scrolls near the end, and the
  next page is asked for; it is appended when it arrives. One request at a
  time; results of an older :meth:`refresh` or of a :meth:`clear` are dropped;
* :meth:`NotesListModel.note_changed` keeps the list in step with a note the
  editor saved or signed, without reading the list again.

Columns are the ``COL_*`` constants; :data:`ID_ROLE` gives a row's note id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from peerdesk.domain.models import Note, NoteState, NoteTemplate
from peerdesk.errors import CorruptData, NotFound
from peerdesk.services import Session
from ui import labels
from ui.i18n import tr
from ui.taskman import TaskManager

__all__ = [
    "COLUMNS",
    "COL_DATE",
    "COL_PARTICIPANT",
    "COL_STATE",
    "COL_TEMPLATE",
    "ID_ROLE",
    "PAGE_SIZE",
    "NoteRow",
    "NotesFilter",
    "NotesListModel",
]

COL_DATE, COL_PARTICIPANT, COL_TEMPLATE, COL_STATE = range(4)
COLUMNS = (COL_DATE, COL_PARTICIPANT, COL_TEMPLATE, COL_STATE)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 200

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class NoteRow:
    """What the list shows of one note (no sensitive text)."""

    id: str
    participant_id: str
    template: NoteTemplate
    state: NoteState
    start_at: datetime

    @classmethod
    def of(cls, note: Note) -> NoteRow:
        return cls(note.id, note.participant_id, note.template, note.state, note.start_at)


@dataclass(frozen=True, slots=True)
class NotesFilter:
    """Which notes the list shows: some states (``None``: all), one participant."""

    states: frozenset[NoteState] | None = None
    participant_id: str | None = None

    @classmethod
    def of(
        cls,
        states: Iterable[NoteState | str] | NoteState | str | None = None,
        participant_id: str | None = None,
    ) -> NotesFilter:
        """``states`` may be one state or several, as members or their values
        (a combo box hands ``NoteState.DRAFT`` back as ``"draft"``)."""
        if states is None:
            return cls(None, participant_id)
        if isinstance(states, str):
            states = (states,)
        return cls(frozenset(NoteState(s) for s in states), participant_id)

    def matches(self, row: NoteRow) -> bool:
        return (self.states is None or row.state in self.states) and (
            self.participant_id is None or row.participant_id == self.participant_id
        )


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What one DB job hands back to the GUI thread."""

    rows: list[NoteRow]
    damaged: int
    next_after: str | None
    names: dict[str, str]
    total: int | None  # counted with the first page only


def _load(
    session: Session,
    flt: NotesFilter,
    after: str | None,
    limit: int,
    known_names: frozenset[str],
    first: bool,
) -> _Loaded:
    """One page (on the DB thread; touches no widget and no model)."""
    page = session.notes.page(
        after=after, limit=limit, states=flt.states, participant_id=flt.participant_id
    )
    rows = [NoteRow.of(note) for note in page.items]
    total: int | None = None
    if first:
        people = session.participants.list(include_inactive=True)
        names = {p.id: p.display_name for p in people.items}
        total = session.notes.count(states=flt.states, participant_id=flt.participant_id)
    else:
        names = _names_of({r.participant_id for r in rows} - known_names, session)
    return _Loaded(rows, len(page.damaged), page.next_after, names, total)


def _names_of(participant_ids: Iterable[str], session: Session) -> dict[str, str]:
    names = {}
    for pid in participant_ids:
        try:
            names[pid] = session.participants.get(pid).display_name
        except (NotFound, CorruptData):
            continue  # shown as "(unknown)"
    return names


class NotesListModel(QAbstractTableModel):
    """Read-only, paged list of notes (see the module docstring)."""

    #: a page arrived and was appended (the number of new rows; 0 is possible)
    page_loaded = Signal(int)
    #: a page could not be read (the exception); the list stops growing until
    #: the next :meth:`refresh`
    load_failed = Signal(object)

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.page_size = page_size
        self._filter = NotesFilter()
        self._rows: list[NoteRow] = []
        self._ids: set[str] = set()
        self._names: dict[str, str] = {}
        self._next_after: str | None = None
        self._has_more = False
        self._loading = False
        self._generation = 0
        self._total: int | None = None
        self._damaged = 0
        self._pages = 0
        self._words = self._labels()

    # --- Qt API -----------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, index.column())
        if role == ID_ROLE:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return self._words["headers"][section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        """Ask for the next page (on the DB thread); it is appended on arrival."""
        if parent.isValid() or not self._has_more or self._loading:
            return
        self._request(self._next_after, first=False)

    # --- ours -------------------------------------------------------------------------

    @property
    def filter(self) -> NotesFilter:
        return self._filter

    @property
    def rows(self) -> Sequence[NoteRow]:
        """The rows loaded so far, in order (read-only)."""
        return tuple(self._rows)

    @property
    def total(self) -> int | None:
        """How many notes match the filter (``None`` until the first page)."""
        return self._total

    @property
    def damaged(self) -> int:
        """Damaged notes met in the pages loaded so far (skipped, not shown)."""
        return self._damaged

    @property
    def pages_loaded(self) -> int:
        return self._pages

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        """True once the last page has arrived."""
        return self._pages > 0 and not self._has_more and not self._loading

    def text(self, row: NoteRow, column: int) -> str:
        if column == COL_DATE:
            return row.start_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if column == COL_PARTICIPANT:
            return self._names.get(row.participant_id, self._words["unknown"])
        if column == COL_TEMPLATE:
            return self._words["templates"][row.template]
        if column == COL_STATE:
            return self._words["states"][row.state]
        return ""

    def row_at(self, row: int) -> NoteRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def id_at(self, row: int) -> str | None:
        found = self.row_at(row)
        return found.id if found is not None else None

    def row_of(self, note_id: str) -> int:
        """The row showing ``note_id``, or -1 (binary search: rows are newest first)."""
        if note_id not in self._ids:
            return -1
        pos = self._insert_position(note_id)
        return pos if pos < len(self._rows) and self._rows[pos].id == note_id else -1

    def refresh(self, flt: NotesFilter | None = None) -> None:
        """Forget the rows and load the first page (with ``flt`` when given)."""
        if flt is not None:
            self._filter = flt
        self._generation += 1
        self.beginResetModel()
        self._forget()
        self._words = self._labels()
        self.endResetModel()
        self._request(None, first=True)

    def clear(self) -> None:
        """Forget every row and name (on lock); late results are dropped."""
        self._generation += 1
        self.beginResetModel()
        self._forget()
        self.endResetModel()

    def note_changed(self, note: Note) -> None:
        """Show what the editor saved or signed: update the note's row, add it
        (in order) if it is new and belongs here, remove it if it no longer
        matches the filter. Rows of pages not loaded yet are left to fetchMore."""
        row = NoteRow.of(note)
        at = self.row_of(note.id)
        fits = self._filter.matches(row)
        if at >= 0:
            if not fits:
                self.beginRemoveRows(QModelIndex(), at, at)
                del self._rows[at]
                self._ids.discard(note.id)
                self._adjust_total(-1)
                self.endRemoveRows()
            elif self._rows[at] != row:
                self._rows[at] = row
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
        elif fits and (self._next_after is None or note.id > self._next_after):
            if self._pages == 0 and not self._loading:
                return  # nothing is shown (cleared): not this list's business
            pos = self._insert_position(note.id)
            self.beginInsertRows(QModelIndex(), pos, pos)
            self._rows.insert(pos, row)
            self._ids.add(note.id)
            self._adjust_total(+1)
            self.endInsertRows()
        if fits and note.participant_id not in self._names:
            self._fetch_name(note.participant_id)

    # --- internals --------------------------------------------------------------------

    @staticmethod
    def _labels() -> dict[str, Any]:
        """Translated words, built once per refresh rather than once per cell."""
        return {
            "headers": (tr("Date"), tr("Participant"), tr("Template"), tr("State")),
            "templates": labels.template_short_names(),
            "states": labels.state_names(),
            "unknown": tr("(unknown)"),
        }

    def _forget(self) -> None:
        self._rows = []
        self._ids = set()
        self._names = {}
        self._next_after = None
        self._has_more = False
        self._loading = False
        self._total = None
        self._damaged = 0
        self._pages = 0

    def _adjust_total(self, delta: int) -> None:
        if self._total is not None:
            self._total = max(0, self._total + delta)

    def _insert_position(self, note_id: str) -> int:
        """Where ``note_id`` goes in the newest-first rows (first row not newer)."""
        lo, hi = 0, len(self._rows)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._rows[mid].id > note_id:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _request(self, after: str | None, *, first: bool) -> None:
        self._loading = True
        generation = self._generation
        known = frozenset(self._names)
        self.taskman.db(
            _load, self.session, self._filter, after, self.page_size, known, first
        ).success(lambda loaded: self._arrived(generation, loaded)).failure(
            lambda exc: self._failed(generation, exc)
        ).run()

    def _arrived(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:
            return  # a refresh or clear came after this request
        self._loading = False
        self._pages += 1
        self._names.update(loaded.names)
        if loaded.total is not None:
            self._total = loaded.total
        self._damaged += loaded.damaged
        self._next_after = loaded.next_after
        self._has_more = loaded.next_after is not None
        new = [r for r in loaded.rows if r.id not in self._ids]
        if new and self._rows and new[0].id > self._rows[-1].id:
            # A note the editor added while this page was on its way: merge.
            self.beginResetModel()
            self._rows = sorted([*self._rows, *new], key=lambda r: r.id, reverse=True)
            self._ids.update(r.id for r in new)
            self.endResetModel()
        elif new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self._ids.update(r.id for r in new)
            self.endInsertRows()
        self.page_loaded.emit(len(new))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._has_more = False
        self.load_failed.emit(exc)

    def _fetch_name(self, participant_id: str) -> None:
        generation = self._generation

        def arrived(names: dict[str, str]) -> None:
            if generation != self._generation or not names:
                return
            self._names.update(names)
            last = len(self._rows) - 1
            if last >= 0:
                self.dataChanged.emit(
                    self.index(0, COL_PARTICIPANT), self.index(last, COL_PARTICIPANT)
                )

        self.taskman.db(_names_of, (participant_id,), self.session).success(arrived).failure(
            lambda _exc: None  # the name stays "(unknown)" until the next refresh
        ).run()
