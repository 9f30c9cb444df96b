"""The resource directory for the screens: search as you type, and the words a
result is shown with.

:class:`DirectorySearch` runs ``session.directory.search`` on the task manager's
DB thread. :meth:`~DirectorySearch.set_query` (each keystroke) waits
``debounce_ms`` for typing to pause; :meth:`~DirectorySearch.search_now` (a
filter changed) asks at once. Only the newest answer is shown: a query still
waiting in the DB queue is cancelled when a newer one is asked for, and an
answer to an older query that arrives late is dropped.

The directory is public information (no names of people): nothing here needs
clearing on lock, except what the screens add.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem

from peerdesk.domain.directory import (
    SearchFilters,
    SearchResults,
    ServiceDetail,
    ServiceSummary,
    TaxonomyTerm,
    Town,
    is_stale_assurance,
)
from peerdesk.errors import PeerDeskError
from peerdesk.services import OpResult, Session
from ui.errors import message_for
from ui.formats import short_date
from ui.i18n import tr
from ui.taskman import Latest, TaskHandle, TaskManager

__all__ = [
    "DEBOUNCE_MS",
    "ID_ROLE",
    "DirectoryInfo",
    "DirectorySearch",
    "focus_results",
    "freshness",
    "get_service",
    "load_directory_info",
    "result_item",
    "result_text",
    "search_field",
    "search_directory",
]

#: how long typing must pause before a search runs
DEBOUNCE_MS = 150
RESULT_LIMIT = 100
#: the service id of a result list's item
ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class DirectoryInfo:
    """What the filters offer, and the crisis lines, read on the DB thread."""

    services: int
    version: int
    seeded: int
    categories: list[TaxonomyTerm] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    towns: list[Town] = field(default_factory=list)
    crisis: list[ServiceSummary] = field(default_factory=list)


def load_directory_info(session: Session) -> OpResult[DirectoryInfo]:
    """Runs on the DB thread. Loads the seed directory first when the profile has
    none yet (the first time the Resources screen opens): what that changed comes
    with the answer."""
    seeded = session.directory.seed_if_empty()
    directory = session.directory
    info = DirectoryInfo(
        services=directory.count(),
        version=directory.version(),
        seeded=seeded.value,
        categories=directory.categories(),
        areas=directory.areas(),
        languages=directory.languages(),
        towns=directory.towns(),
        crisis=directory.crisis_lines(),
    )
    return OpResult(info, seeded.changes)


def search_directory(
    session: Session, text: str, filters: SearchFilters, limit: int = RESULT_LIMIT
) -> SearchResults:
    """Runs on the DB thread (``session.directory`` is made there the first time)."""
    return session.directory.search(text, filters, limit=limit)


def get_service(session: Session, service_id: str) -> ServiceDetail:
    """Runs on the DB thread."""
    return session.directory.get_service(service_id)


def freshness(assured: date | None, today: date, stale_days: int) -> str | None:
    """Words for an entry that may be outdated (never checked, or checked more
    than ``stale_days`` days ago: :func:`~peerdesk.domain.directory.is_stale_assurance`);
    None for a fresh one."""
    if not is_stale_assurance(assured, stale_days, today):
        return None
    if assured is None:
        return tr("Possibly outdated: never checked")
    return tr("Possibly outdated: last checked {date}").format(date=short_date(assured))


def result_text(hit: ServiceSummary, today: date, stale_days: int) -> str:
    """One result as it is shown and read out: name, organisation, phones,
    distance, and "possibly outdated" when it may be."""
    first = hit.name
    if hit.organization_name and hit.organization_name != hit.name:
        first += " — " + hit.organization_name
    parts = [first]
    if hit.phones:
        parts.append(tr("Phone: {numbers}").format(numbers=", ".join(hit.phones)))
    if hit.distance_miles is not None:
        parts.append(tr("{miles} miles away").format(miles=f"{hit.distance_miles:.1f}"))
    if hit.status == "temporarily closed":
        parts.append(tr("Temporarily closed"))
    stale = freshness(hit.assured_date, today, stale_days)
    if stale:
        parts.append(stale)
    return "\n".join([parts[0], " · ".join(parts[1:])]) if len(parts) > 1 else parts[0]


def result_item(hit: ServiceSummary, today: date, stale_days: int) -> QListWidgetItem:
    """One result as a list item: :func:`result_text`, read out on one line, with
    the service id under :data:`ID_ROLE`."""
    text = result_text(hit, today, stale_days)
    item = QListWidgetItem(text)
    item.setData(ID_ROLE, hit.id)
    item.setData(Qt.ItemDataRole.AccessibleTextRole, text.replace("\n", ". "))
    return item


def search_field() -> tuple[QLineEdit, QLabel]:
    """The field to search the directory in, and its "Search:" label."""
    edit = QLineEdit()
    edit.setAccessibleName(tr("Search the resource directory"))
    edit.setPlaceholderText(tr("e.g. food, rides, housing, counseling"))
    edit.setClearButtonEnabled(True)
    label = QLabel(tr("&Search:"))
    label.setBuddy(edit)
    return edit, label


def focus_results(results: QListWidget) -> None:
    """Move the focus to a result list that has results, on its first one when
    none is chosen yet (Enter in the search field)."""
    if results.count():
        results.setFocus(Qt.FocusReason.OtherFocusReason)
        if results.currentRow() < 0:
            results.setCurrentRow(0)


class DirectorySearch(QObject):
    """Search as you type on the DB thread; emits only the newest answer."""

    #: the newest answer (SearchResults)
    answered = Signal(object)
    #: a search failed: the sentence to show
    failed = Signal(str)

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        parent: QObject | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        limit: int = RESULT_LIMIT,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.limit = limit
        self.text = ""
        self.filters = SearchFilters()
        self._latest = Latest()
        self._handle: TaskHandle | None = None
        #: the query the last shown answer was for
        self.answered_for: tuple[str, SearchFilters] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(debounce_ms)
        self.timer.timeout.connect(self.search_now)

    @property
    def pending(self) -> bool:
        """A search is waiting for typing to pause or for its answer."""
        return self.timer.isActive() or (self._handle is not None and not self._handle.done)

    def set_query(self, text: str) -> None:
        """The search text changed (a keystroke): search once typing pauses."""
        self.text = text
        self.timer.start()

    def set_filters(self, filters: SearchFilters) -> None:
        """The filters changed: search at once."""
        self.filters = filters
        self.search_now()

    def search_now(self) -> None:
        self.timer.stop()
        if self.taskman.closed:
            return
        if self._handle is not None and not self._handle.done:
            self._handle.cancel()  # still queued: it never runs
        only = self._latest.begin()
        text, filters = self.text, self.filters

        @only
        def show(results: SearchResults) -> None:
            self.answered_for = (text, filters)
            self.answered.emit(results)

        @only
        def problem(exc: BaseException) -> None:
            if not isinstance(exc, PeerDeskError):
                raise exc
            self.failed.emit(message_for(exc))

        self._handle = (
            self.taskman.db(search_directory, self.session, text, filters, self.limit)
            .success(show)
            .failure(problem)
            .cancelled(lambda: None)
            .run()
        )

    def stop(self) -> None:
        """Forget what is under way (late answers are dropped)."""
        self.timer.stop()
        self._latest.drop()
