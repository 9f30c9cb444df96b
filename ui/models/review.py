"""The supervisor's review queue as a read-only table model, one page at a time.

:class:`ReviewQueueModel` shows what ``session.review.queue`` returns: oldest
contact first, filtered by peer, review state and contact date
(:class:`peerdesk.domain.review.QueueFilter`). Pages of ``page_size`` lines come
from the task manager's DB thread:

* paging (refresh, fetch more by offset, one request at a time, late answers
  dropped) is :class:`ui.models.paged.PagedTableModel`'s; the first page also
  brings the number of matching lines;
* :meth:`ReviewQueueModel.replace_item` updates one line after a decision.

A record that did not open or verify is a line like the others, saying so in
words with the device and the record number (the agency's sequence number), so
one bad record never hides the rest of the queue.

Columns are the ``COL_*`` constants; :data:`KEY_ROLE` gives a line's
``(device_id, note_id)`` and :data:`ITEM_ROLE` its :class:`QueueItem`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from peerdesk.domain.models import ContactType
from peerdesk.domain.review import QueueFilter, QueueItem, QueuePage
from peerdesk.services import Session
from ui import labels
from ui.i18n import tr
from ui.models.paged import PagedTableModel

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


def broken_reasons() -> list[tuple[str, str]]:
    """Why a record does not open, in the UI's language, by how the core's English
    sentence starts (peerdesk.link.pull.open_one writes a fixed few, kept in the
    review cache as English text)."""
    return [
        ("is a recovery escrow", tr("it is a recovery escrow, not for review")),
        ("is sealed to review key", tr("it is sealed to a review key you were not granted")),
        (
            "does not open",
            tr("it does not open: it was altered, or moved from another record or laptop"),
        ),
        ("opened but is not readable", tr("it opened but its contents cannot be read")),
        ("opened but is not usable", tr("it opened but its contents are not usable")),
    ]


def broken_text(item: QueueItem) -> str:
    """A record that could not be opened, in words, with where it came from."""
    stored = item.broken or ""
    reason = next((words for start, words in broken_reasons() if stored.startswith(start)), stored)
    return tr("Cannot be read: {reason} (device {device}, record {seq})").format(
        reason=reason, device=item.device_id, seq=item.seq
    )


@dataclass(frozen=True, slots=True)
class _Loaded:
    page: QueuePage
    offset: int


def _load(session: Session, flt: QueueFilter, offset: int, limit: int) -> _Loaded:
    """One page (on the DB thread; touches no widget and no model)."""
    return _Loaded(session.review.queue(flt, offset=offset, limit=limit), offset)


class ReviewQueueModel(PagedTableModel[QueueItem, QueueFilter]):
    """Read-only, paged review queue (see the module docstring)."""

    COLUMNS = COLUMNS
    PAGE_SIZE = PAGE_SIZE

    # --- ours -------------------------------------------------------------------------

    @property
    def items(self) -> Sequence[QueueItem]:
        """The lines loaded so far, in order (read-only)."""
        return tuple(self._rows)

    @property
    def broken_count(self) -> int:
        """Lines loaded so far that could not be read."""
        return sum(1 for item in self._rows if item.broken)

    def item_at(self, row: int) -> QueueItem | None:
        return self.row_at(row)

    def row_of(self, device_id: str, note_id: str) -> int:
        for row, item in enumerate(self._rows):
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
            name = item.participant_name or words["unknown"]
            # issue 21: a crisis note is listed first and says so in words
            return tr("⚠ CRISIS: {name}").format(name=name) if item.crisis else name
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

    def role_data(self, item: QueueItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and item.broken:
            return broken_text(item)
        if role == Qt.ItemDataRole.ForegroundRole and item.crisis:
            return QColor("#b3261e")
        if role == Qt.ItemDataRole.FontRole and item.crisis and not item.broken:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.FontRole and item.broken:
            font = QFont()
            font.setItalic(True)  # said in words too; the style only adds to it
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_AGE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KEY_ROLE:
            return (item.device_id, item.note_id)
        if role == ITEM_ROLE:
            return item
        return None

    def _no_filter(self) -> QueueFilter:
        return QueueFilter()

    def replace_item(self, item: QueueItem) -> None:
        """Show a line's new state (after a decision, or when a note was read
        again). A line that no longer matches the filter stays until the next
        refresh, so the selection does not jump away under the reader."""
        row = self.row_of(item.device_id, item.note_id)
        if row < 0:
            return
        self._rows[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- the pages --------------------------------------------------------------------

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

    def _page_job(self, first: bool) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        offset = 0 if first else len(self._rows)
        return _load, (self.session, self._filter, offset, self.page_size)

    def _take(self, loaded: _Loaded) -> int:
        self._total = loaded.page.total
        new = list(loaded.page.items)
        if loaded.offset != len(self._rows):
            new = []  # not where this page belongs (cannot happen with one request at a time)
        self._append(new)
        if not new and loaded.offset == len(self._rows) and not loaded.page.items:
            # The queue shrank since the count (a pull or a decision elsewhere).
            self._total = len(self._rows)
        self._more = len(self._rows) < self._total
        return len(new)

    def _stopped(self) -> None:
        super()._stopped()
        self._total = len(self._rows)  # stop growing until the next refresh
