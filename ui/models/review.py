"""The supervisor's review queue as a read-only table model, one page at a time.

:class:`ReviewQueueModel` shows what ``session.review.queue`` returns: oldest
contact first, filtered by peer, review state and contact date
(:class:`peerdesk.domain.review.QueueFilter`). Pages of ``page_size`` lines come
from the task manager's DB thread:

* :meth:`ReviewQueueModel.refresh` forgets the lines and asks for the first page
  (with the number of matching lines);
* Qt views call :meth:`~ReviewQueueModel.canFetchMore` /
  :meth:`~ReviewQueueModel.fetchMore` when the user scrolls near the end and the
  next page (by offset) is appended when it arrives. One request at a time;
  answers to an older :meth:`refresh` or to a :meth:`clear` are dropped;
* :meth:`ReviewQueueModel.replace_item` updates one line after a decision.

A record that did not open or verify is a line like the others, saying so in
words with the device and the record number (the agency's sequence number), so
one bad record never hides the rest of the queue.

Columns are the ``COL_*`` constants; :data:`KEY_ROLE` gives a line's
``(device_id, note_id)`` and :data:`ITEM_ROLE` its :class:`QueueItem`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from peerdesk.domain.models import ContactType
from peerdesk.domain.review import QueueFilter, QueueItem, QueuePage
from peerdesk.services import Session
from ui import labels
from ui.i18n import tr
from ui.taskman import TaskManager

__all__ = [
    "COLUMNS",
    "COL_AGE",
    "COL_CONTACT",
    "COL_PARTICIPANT",
    "COL_PEER",
    "COL_STATE",
    "COL_TYPE",
    "ITEM_ROLE",
    "KEY_ROLE",
    "PAGE_SIZE",
    "ReviewQueueModel",
    "broken_text",
    "review_state_names",
    "review_state_short_names",
]

COL_CONTACT, COL_PEER, COL_PARTICIPANT, COL_TYPE, COL_STATE, COL_AGE = range(6)
COLUMNS = (COL_CONTACT, COL_PEER, COL_PARTICIPANT, COL_TYPE, COL_STATE, COL_AGE)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 100

_Index = QModelIndex | QPersistentModelIndex


def review_state_names() -> dict[str, str]:
    """The agency's review states in words."""
    return {
        "received": tr("Waiting for review"),
        "resubmitted": tr("Resubmitted, waiting for review"),
        "returned": tr("Returned to the peer"),
        "approved": tr("Approved"),
    }


def review_state_short_names() -> dict[str, str]:
    """The review states in a word or two (the queue's column)."""
    return {
        "received": tr("Waiting"),
        "resubmitted": tr("Resubmitted"),
        "returned": tr("Returned"),
        "approved": tr("Approved"),
    }


def broken_text(item: QueueItem) -> str:
    """A record that could not be opened, in words, with where it came from."""
    return tr("Cannot be read: {reason} (device {device}, record {seq})").format(
        reason=item.broken or "", device=item.device_id, seq=item.seq
    )


@dataclass(frozen=True, slots=True)
class _Loaded:
    page: QueuePage
    offset: int


def _load(session: Session, flt: QueueFilter, offset: int, limit: int) -> _Loaded:
    """One page (on the DB thread; touches no widget and no model)."""
    return _Loaded(session.review.queue(flt, offset=offset, limit=limit), offset)


class ReviewQueueModel(QAbstractTableModel):
    """Read-only, paged review queue (see the module docstring)."""

    #: a page arrived and was appended (the number of new lines; 0 is possible)
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
        self._filter = QueueFilter()
        self._items: list[QueueItem] = []
        self._total: int | None = None
        self._loading = False
        self._pages = 0
        self._generation = 0
        self._words = self._labels()

    # --- Qt API -----------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and item.broken:
            return broken_text(item)
        if role == Qt.ItemDataRole.FontRole and item.broken:
            font = QFont()
            font.setItalic(True)  # said in words too; the style only adds to it
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_AGE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KEY_ROLE:
            return (item.device_id, item.note_id)
        if role == ITEM_ROLE:
            return item
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
        return not parent.isValid() and self.has_more and not self._loading

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        """Ask for the next page (on the DB thread); it is appended on arrival."""
        if parent.isValid() or not self.has_more or self._loading:
            return
        self._request(len(self._items))

    # --- ours -------------------------------------------------------------------------

    @property
    def filter(self) -> QueueFilter:
        return self._filter

    @property
    def items(self) -> Sequence[QueueItem]:
        """The lines loaded so far, in order (read-only)."""
        return tuple(self._items)

    @property
    def total(self) -> int | None:
        """How many lines match the filter (``None`` until the first page)."""
        return self._total

    @property
    def has_more(self) -> bool:
        return self._total is not None and len(self._items) < self._total

    @property
    def pages_loaded(self) -> int:
        return self._pages

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def broken_count(self) -> int:
        """Lines loaded so far that could not be read."""
        return sum(1 for item in self._items if item.broken)

    def item_at(self, row: int) -> QueueItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, device_id: str, note_id: str) -> int:
        for row, item in enumerate(self._items):
            if item.note_id == note_id and item.device_id == device_id:
                return row
        return -1

    def text(self, item: QueueItem, column: int) -> str:
        words = self._words
        if column == COL_CONTACT:
            moment = item.contact_start or item.received_at
            text = moment.astimezone().strftime("%Y-%m-%d %H:%M")
            return (
                text if item.contact_start is not None else tr("received {when}").format(when=text)
            )
        if column == COL_PEER:
            return item.peer or item.device_id
        if column == COL_PARTICIPANT:
            if item.broken:
                return broken_text(item)
            return item.participant_name or words["unknown"]
        if column == COL_TYPE:
            if item.contact_type is None:
                return ""
            try:
                return words["contacts"][ContactType(item.contact_type)]
            except ValueError:
                return item.contact_type
        if column == COL_STATE:
            if item.broken:
                return words["broken"]
            return words["states"].get(item.state, item.state)
        if column == COL_AGE:
            return tr("%n day(s)", None, item.age_days)
        return ""

    def refresh(self, flt: QueueFilter | None = None) -> None:
        """Forget the lines and load the first page (with ``flt`` when given)."""
        if flt is not None:
            self._filter = flt
        self._generation += 1
        self.beginResetModel()
        self._forget()
        self._words = self._labels()
        self.endResetModel()
        self._request(0)

    def clear(self) -> None:
        """Forget every line (on lock); late results are dropped."""
        self._generation += 1
        self.beginResetModel()
        self._forget()
        self.endResetModel()

    def replace_item(self, item: QueueItem) -> None:
        """Show a line's new state (after a decision, or when a note was read
        again). A line that no longer matches the filter stays until the next
        refresh, so the selection does not jump away under the reader."""
        row = self.row_of(item.device_id, item.note_id)
        if row < 0:
            return
        self._items[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- internals --------------------------------------------------------------------

    @staticmethod
    def _labels() -> dict[str, Any]:
        return {
            "headers": (
                tr("Contact"),
                tr("Peer"),
                tr("Participant"),
                tr("Contact type"),
                tr("Review state"),
                tr("Waiting"),
            ),
            "contacts": labels.contact_names(),
            "states": review_state_short_names(),
            "unknown": tr("(unknown)"),
            "broken": tr("Cannot be read"),
        }

    def _forget(self) -> None:
        self._items = []
        self._total = None
        self._loading = False
        self._pages = 0

    def _request(self, offset: int) -> None:
        if self.taskman.closed:
            return
        self._loading = True
        generation = self._generation
        self.taskman.db(_load, self.session, self._filter, offset, self.page_size).success(
            lambda loaded: self._arrived(generation, loaded)
        ).failure(lambda exc: self._failed(generation, exc)).run()

    def _arrived(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:
            return  # a refresh or clear came after this request
        self._loading = False
        self._pages += 1
        self._total = loaded.page.total
        new = list(loaded.page.items)
        if loaded.offset != len(self._items):
            new = []  # not where this page belongs (cannot happen with one request at a time)
        if new:
            start = len(self._items)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._items.extend(new)
            self.endInsertRows()
        elif loaded.offset == len(self._items) and not loaded.page.items:
            # The queue shrank since the count (a pull or a decision elsewhere).
            self._total = len(self._items)
        self.page_loaded.emit(len(new))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._total = len(self._items)  # stop growing until the next refresh
        self.load_failed.emit(exc)
