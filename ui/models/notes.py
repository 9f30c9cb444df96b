"""The notes list as a read-only table model, loaded one page at a time.

:class:`NotesListModel` shows the notes newest first (by id, which is a UUIDv7,
so by creation). It holds only what the list shows (:class:`NoteRow`: id,
participant, template, state, start time) and the participants' names, never a
note's text. Rows come from ``session.notes.page`` on the task manager's DB
thread, ``page_size`` at a time:

* paging (refresh, fetch more, one request at a time, late answers dropped) is
  :class:`ui.models.paged.PagedTableModel`'s; the first page also brings the
  participants' names and the number of matching notes;
* :meth:`NotesListModel.note_changed` keeps the list in step with a note the
  editor saved or signed, without reading the list again.

Columns are the ``COL_*`` constants; :data:`ID_ROLE` gives a row's note id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from peerdesk.domain.models import Note, NoteState, NoteTemplate
from peerdesk.errors import CorruptData, NotFound
from peerdesk.services import Session
from ui import labels
from ui.i18n import tr
from ui.models.paged import PagedTableModel

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
    """Which notes the list shows: some states (``None``: all), one participant
    (an id) or several (a tuple of ids: those whose name matched the search)."""

    states: frozenset[NoteState] | None = None
    participant_id: str | tuple[str, ...] | None = None

    @classmethod
    def of(
        cls,
        states: Iterable[NoteState | str] | NoteState | str | None = None,
        participant_id: str | tuple[str, ...] | None = None,
    ) -> NotesFilter:
        """``states`` may be one state or several, as members or their values
        (a combo box hands ``NoteState.DRAFT`` back as ``"draft"``)."""
        if states is None:
            return cls(None, participant_id)
        if isinstance(states, str):
            states = (states,)
        return cls(frozenset(NoteState(s) for s in states), participant_id)

    def matches(self, row: NoteRow) -> bool:
        pid = self.participant_id
        return (self.states is None or row.state in self.states) and (
            pid is None
            or row.participant_id == pid
            or (isinstance(pid, tuple) and row.participant_id in pid)
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


class NotesListModel(PagedTableModel[NoteRow, NotesFilter]):
    """Read-only, paged list of notes (see the module docstring)."""

    COLUMNS = COLUMNS
    PAGE_SIZE = PAGE_SIZE
    # besides the rows (set by _forget): their ids, the participants' names, the
    # keyset cursor of the next page, the damaged notes met so far
    _ids: set[str]
    _names: dict[str, str]
    _next_after: str | None
    _damaged: int

    # --- ours -------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[NoteRow]:
        """The rows loaded so far, in order (read-only)."""
        return tuple(self._rows)

    @property
    def damaged(self) -> int:
        """Damaged notes met in the pages loaded so far (skipped, not shown)."""
        return self._damaged

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

    def role_data(self, row: NoteRow, column: int, role: int) -> Any:
        return row.id if role == ID_ROLE else None

    def _no_filter(self) -> NotesFilter:
        return NotesFilter()

    def names(self) -> dict[str, str]:
        """Every participant's name by id (read with the first page)."""
        return dict(self._names)

    def id_at(self, row: int) -> str | None:
        found = self.row_at(row)
        return found.id if found is not None else None

    def row_of(self, note_id: str) -> int:
        """The row showing ``note_id``, or -1 (binary search: rows are newest first)."""
        if note_id not in self._ids:
            return -1
        pos = self._insert_position(note_id)
        return pos if pos < len(self._rows) and self._rows[pos].id == note_id else -1

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

    # --- the pages --------------------------------------------------------------------

    @staticmethod
    def _labels() -> dict[str, Any]:
        return {
            "headers": (tr("Date"), tr("Participant"), tr("Template"), tr("State")),
            "templates": labels.template_short_names(),
            "states": labels.state_names(),
            "unknown": tr("(unknown)"),
        }

    def _page_job(self, first: bool) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        after = None if first else self._next_after
        known = frozenset(self._names)
        return _load, (self.session, self._filter, after, self.page_size, known, first)

    def _take(self, loaded: _Loaded) -> int:
        self._names.update(loaded.names)
        if loaded.total is not None:
            self._total = loaded.total
        self._damaged += loaded.damaged
        self._next_after = loaded.next_after
        self._more = loaded.next_after is not None
        new = [r for r in loaded.rows if r.id not in self._ids]
        if new and self._rows and new[0].id > self._rows[-1].id:
            # A note the editor added while this page was on its way: merge.
            self.beginResetModel()
            self._rows = sorted([*self._rows, *new], key=lambda r: r.id, reverse=True)
            self._ids.update(r.id for r in new)
            self.endResetModel()
        else:
            self._append(new)
            self._ids.update(r.id for r in new)
        return len(new)

    def _forget(self) -> None:
        super()._forget()
        self._ids = set()
        self._names = {}
        self._next_after = None
        self._damaged = 0

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

    def _fetch_name(self, participant_id: str) -> None:
        def arrived(names: dict[str, str]) -> None:
            if not names:
                return
            self._names.update(names)
            last = len(self._rows) - 1
            if last >= 0:
                self.dataChanged.emit(
                    self.index(0, COL_PARTICIPANT), self.index(last, COL_PARTICIPANT)
                )

        self.taskman.db(_names_of, (participant_id,), self.session).success(
            self._only(arrived)
        ).failure(
            lambda _exc: None  # the name stays "(unknown)" until the next refresh
        ).run()
