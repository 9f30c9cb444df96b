"""A read-only table model that is loaded one page at a time on the DB thread.

:class:`PagedTableModel` is what the notes list (:mod:`ui.models.notes`) and
the review queue (:mod:`ui.models.review`) have in common:

* :meth:`~PagedTableModel.refresh` forgets the rows and asks for the first page
  (with the filter when given); :meth:`~PagedTableModel.clear` forgets them (on
  lock);
* Qt views call :meth:`~PagedTableModel.canFetchMore` /
  :meth:`~PagedTableModel.fetchMore` when the user scrolls near the end, and the
  next page is asked for; it is appended when it arrives. One request at a time;
  the answers to an older :meth:`refresh` or to a :meth:`clear` are dropped
  (:class:`ui.taskman.Latest`);
* :attr:`page_loaded` says how many rows a page added, :attr:`load_failed` why
  a page could not be read (the list then stops growing until the next refresh).

A subclass says which columns it has and how a cell reads (``COLUMNS``,
:meth:`text`, :meth:`role_data`, :meth:`_labels`), which job reads a page
(:meth:`_page_job`, run on the DB thread: it touches no widget and no model) and
what an answer adds (:meth:`_take`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from peerdesk.services import Session
from ui.taskman import Latest, TaskManager

__all__ = ["PagedTableModel"]

R = TypeVar("R")  # a row
F = TypeVar("F")  # the filter

_Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel, Generic[R, F]):
    """Read-only, paged table of ``R`` rows under an ``F`` filter."""

    #: a page arrived and was appended (the number of new rows; 0 is possible)
    page_loaded = Signal(int)
    #: a page could not be read (the exception); the list stops growing until
    #: the next :meth:`refresh`
    load_failed = Signal(object)

    #: the subclass's columns, in order
    COLUMNS: ClassVar[tuple[int, ...]] = ()
    #: rows asked for at a time, unless the constructor says otherwise
    PAGE_SIZE: ClassVar[int] = 100

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        parent: QObject | None = None,
        *,
        page_size: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.page_size = page_size or self.PAGE_SIZE
        self._filter = self._no_filter()
        self._rows: list[R] = []
        self._total: int | None = None
        self._more = False
        self._loading = False
        self._pages = 0
        self._latest = Latest()
        self._only = self._latest.begin()
        self._words = self._labels()
        self._forget()

    # --- Qt API -----------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, index.column())
        return self.role_data(row, index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self._words["headers"][section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        """Ask for the next page (on the DB thread); it is appended on arrival."""
        if parent.isValid() or not self._more or self._loading:
            return
        self._request(first=False)

    # --- ours -------------------------------------------------------------------------

    @property
    def filter(self) -> F:
        return self._filter

    @property
    def total(self) -> int | None:
        """How many rows match the filter (``None`` until the first page)."""
        return self._total

    @property
    def has_more(self) -> bool:
        """More pages to read (as far as the last page said)."""
        return self._more

    @property
    def pages_loaded(self) -> int:
        return self._pages

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        """True once the last page has arrived."""
        return self._pages > 0 and not self._more and not self._loading

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def refresh(self, flt: F | None = None) -> None:
        """Forget the rows and load the first page (with ``flt`` when given)."""
        if flt is not None:
            self._filter = flt
        self._only = self._latest.begin()
        self.beginResetModel()
        self._forget()
        self._words = self._labels()
        self.endResetModel()
        self._request(first=True)

    def clear(self) -> None:
        """Forget every row (on lock); late answers are dropped."""
        self._latest.drop()
        self.beginResetModel()
        self._forget()
        self.endResetModel()

    # --- for the subclasses -----------------------------------------------------------

    def text(self, row: R, column: int) -> str:
        """What a cell shows (and is read out as)."""
        raise NotImplementedError

    def role_data(self, row: R, column: int, role: int) -> Any:
        """A cell's data for the other roles (None: nothing)."""
        return None

    def _no_filter(self) -> F:
        """The filter that shows every row (the one to start with)."""
        raise NotImplementedError

    @staticmethod
    def _labels() -> dict[str, Any]:
        """Translated words (``"headers"`` at least), built once per refresh rather
        than once per cell."""
        raise NotImplementedError

    def _page_job(self, first: bool) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        """The function that reads the next page on the DB thread, and its
        arguments (taken now, on the GUI thread)."""
        raise NotImplementedError

    def _take(self, loaded: Any) -> int:
        """Add what a page brought (:meth:`_append`); set :attr:`_total` and
        :attr:`_more`. Returns how many rows it added."""
        raise NotImplementedError

    def _forget(self) -> None:
        """Back to no rows (the subclass forgets what it keeps besides)."""
        self._rows = []
        self._total = None
        self._more = False
        self._loading = False
        self._pages = 0

    def _stopped(self) -> None:
        """A page failed: the list stops growing until the next refresh."""
        self._more = False

    def _append(self, rows: list[R]) -> None:
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def _request(self, *, first: bool) -> None:
        if self.taskman.closed:
            return
        self._loading = True
        fn, args = self._page_job(first)
        only = self._only
        self.taskman.db(fn, *args).success(only(self._arrived)).failure(only(self._failed)).run()

    def _arrived(self, loaded: Any) -> None:
        self._loading = False
        self._pages += 1
        self.page_loaded.emit(self._take(loaded))

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self._stopped()
        self.load_failed.emit(exc)
