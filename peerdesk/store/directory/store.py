"""The resource directory in the profile database: public, plaintext, searchable.

Records are kept as HSDS JSON (``directory_service_docs.doc`` ...; :mod:`.rows`)
and everything search needs is derived from them when they are written
(:mod:`.derive`, :mod:`.index`; see migration ``0007_directory``): an FTS5 index,
filter tables and a typo-tolerance table. Every write (an import, a snapshot, a
delta; :mod:`.updates`, :mod:`.delta`) is one transaction: it all applies or
nothing changes. Search is :mod:`.search`; reading records back is
:mod:`.records`.
"""

from __future__ import annotations

from sqlite_utils import Database

from peerdesk.domain.directory import (
    Dataset,
    DirectoryUpdate,
    SearchFilters,
    SearchResults,
    ServiceDetail,
    ServiceSummary,
    TaxonomyTerm,
    Town,
    UpdateResult,
)
from peerdesk.store.directory.download import DownloadStore
from peerdesk.store.directory.records import DirectoryRecords
from peerdesk.store.directory.search import DEFAULT_LIMIT, TYPO_CANDIDATES, Searcher, sql_miles
from peerdesk.store.directory.updates import DirectoryWriter


class DirectoryStore:
    """The directory of one profile: reads, search, imports and updates."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.conn.create_function("pd_miles", 4, sql_miles, deterministic=True)
        self.records = DirectoryRecords(db)
        self.searcher = Searcher(self.records)
        self.writer = DirectoryWriter(db, self.records)
        #: a download in chunks in progress (issue 17)
        self.download = DownloadStore(db)

    # -- reading ---------------------------------------------------------------------------

    def version(self) -> int:
        return self.records.version()

    def count(self) -> int:
        return self.records.count()

    def is_empty(self) -> bool:
        return self.records.is_empty()

    def categories(self) -> list[TaxonomyTerm]:
        """Every taxonomy term (a category to filter by), by name."""
        return self.records.categories()

    def areas(self) -> list[str]:
        """The service areas (counties, "United States" ...) services name, one
        spelling each, for the county filter."""
        return self.records.areas()

    def languages(self) -> list[str]:
        """The languages services are offered in, by name (or code), for the filter."""
        return self.records.languages()

    def towns(self) -> list[Town]:
        return self.records.towns()

    def town(self, town: str) -> Town | None:
        """A town by id or name (any case)."""
        return self.records.town(town)

    def get_service(self, service_id: str) -> ServiceDetail:
        return self.records.get_service(service_id)

    def export_dataset(self) -> Dataset:
        """The whole directory as a dataset (for an HSDS export)."""
        return self.records.export_dataset()

    # -- search ------------------------------------------------------------------------------

    def crisis_lines(self) -> list[ServiceSummary]:
        """Crisis resources (988, local crisis lines ...), for pinning at the top."""
        return self.searcher.crisis_lines()

    def search(
        self, text: str = "", filters: SearchFilters | None = None, *, limit: int = DEFAULT_LIMIT
    ) -> SearchResults:
        """Services matching ``text`` (may be empty: browse) and ``filters``, best
        first; see :mod:`peerdesk.store.directory.search` for matching and ranking."""
        return self.searcher.search(text, filters, limit=limit)

    def typo_candidates(self, word: str, limit: int = TYPO_CANDIDATES) -> list[str]:
        """Indexed words near ``word`` (edit distance 1, or 2 for 5+ characters),
        closest and most common first."""
        return self.searcher.typo_candidates(word, limit)

    # -- writing -------------------------------------------------------------------------------

    def import_dataset(self, dataset: Dataset, *, version: int = 0, source: str = "import") -> int:
        """Replace the whole directory with ``dataset`` (checked first), in one
        transaction. Returns the number of services."""
        return self.writer.import_dataset(dataset, version=version, source=source)

    def apply_update(self, update: DirectoryUpdate) -> UpdateResult:
        """Apply a verified snapshot or delta; see :meth:`DirectoryWriter.apply_update`."""
        return self.writer.apply_update(update)
