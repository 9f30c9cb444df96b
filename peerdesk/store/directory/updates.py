"""Writing the directory: a whole import (a seed, a snapshot) and a verified
update (a snapshot or a delta), each in one transaction: it all applies or
nothing changes."""

from __future__ import annotations

import contextlib
import sqlite3

from sqlite_utils import Database

from peerdesk.domain.directory import (
    KINDS,
    Dataset,
    DirectorySnapshot,
    DirectoryUpdate,
    Service,
    UpdateResult,
    check_dataset,
    count_ops,
    terms_by_id,
)
from peerdesk.errors import DirectoryDataError, Msg
from peerdesk.store.db import translate_errors
from peerdesk.store.directory.delta import DeltaWriter
from peerdesk.store.directory.derive import Blame, Lookups, derive
from peerdesk.store.directory.index import SearchIndex
from peerdesk.store.directory.records import DirectoryRecords
from peerdesk.store.directory.rows import RECORD_ROWS, insert_sql


class DirectoryWriter:
    def __init__(self, db: Database, records: DirectoryRecords) -> None:
        self.db = db
        self.records = records
        self.index = SearchIndex(db)

    def import_dataset(self, dataset: Dataset, *, version: int = 0, source: str = "import") -> int:
        """Replace the whole directory with ``dataset`` (checked first), in one
        transaction. Returns the number of services."""
        check_dataset(dataset, source=source)
        with translate_errors(Msg("import the directory")), self.db.atomic():
            self._replace(dataset, version, source)
        # A whole directory leaves a WAL as large as the data; fold it back into the
        # database now rather than keep it on disk (best effort: a reader may hold it).
        with contextlib.suppress(sqlite3.Error):
            self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return len(dataset.services)

    def apply_update(self, update: DirectoryUpdate) -> UpdateResult:
        """Apply a verified snapshot or delta (see :mod:`peerdesk.domain.directory.delta`).

        An update whose version is not newer than this directory's changes nothing
        (``applied=False``: already applied, or a replay). A delta whose base is not
        this directory's version, or that does not apply cleanly, raises
        :class:`DirectoryDataError` and changes nothing."""
        current = self.records.version()
        kind = "snapshot" if isinstance(update, DirectorySnapshot) else "delta"
        if update.version <= current:
            return UpdateResult(kind, current, applied=False)
        if isinstance(update, DirectorySnapshot):
            n = self.import_dataset(
                update.dataset,
                version=update.version,
                source=f"directory snapshot {update.version}",
            )
            return UpdateResult(kind, update.version, True, added=n)
        source = f"directory update {update.version}"
        if update.base_version != current:
            have = (
                Msg("no directory version")
                if current < 0
                else Msg("version {current}", current=current)
            )
            raise DirectoryDataError(
                Msg(
                    "this update applies to version {base_version}, but this laptop has {have}; a full snapshot is needed",
                    base_version=update.base_version,
                    have=have,
                ),
                source=source,
                field="base_version",
            )
        with translate_errors(Msg("update the directory")), self.db.atomic():
            DeltaWriter(self.db, self.records, self.index).apply(update, source)
            self._set_meta(update.version, source)
        added, updated, removed = count_ops(update.ops)
        return UpdateResult(kind, update.version, True, added, updated, removed)

    def _set_meta(self, version: int, source: str) -> None:
        self.db.conn.executemany(
            "INSERT INTO directory_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [("version", str(version)), ("source", source)],
        )

    def _replace(self, dataset: Dataset, version: int, source: str) -> None:
        conn = self.db.conn
        self.index.clear()
        for kind, (_, _, row) in RECORD_ROWS.items():
            records = getattr(dataset, KINDS[kind])
            conn.executemany(insert_sql(kind), [row(r) for r in records])
        orgs = {o.id: o for o in dataset.organizations}
        locs = {loc.id: loc for loc in dataset.locations}
        look = Lookups(orgs.get, locs.get, terms_by_id(dataset))

        def blame(service: Service) -> Blame:
            def error(f: str, p: Msg) -> DirectoryDataError:
                return DirectoryDataError(
                    p, source=source, record=f"service {service.id!r}", field=f
                )

            return error

        derived = [derive(s, look, blame(s)) for s in dataset.services]
        self.index.insert_services(list(enumerate(derived, start=1)))
        conn.execute("INSERT INTO directory_fts (directory_fts) VALUES ('optimize')")
        self.index.sync_spell()
        self._set_meta(version, source)
        # what the dataset holds beyond its tables (its name ...), for an export
        conn.execute(
            "INSERT INTO directory_meta (key, value) VALUES ('extra', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [dataset.extra],
        )
