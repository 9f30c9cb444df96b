"""The search index of the directory: the rows derived from each service
(:mod:`.derive`) written to and removed from the search tables, and the typo
tables kept in line with the words indexed."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlite_utils import Database

from peerdesk.domain.directory import name_key
from peerdesk.store.directory.derive import DerivedService
from peerdesk.store.directory.rows import doc
from peerdesk.store.directory.spelling import SPELL_MAX, SPELL_MIN, deletions

#: every table of the directory, children before parents
TABLES = (
    "directory_fts",
    "directory_hours",
    "directory_service_terms",
    "directory_service_areas",
    "directory_service_languages",
    "directory_service_locations",
    "directory_service_docs",
    "directory_services",
    "directory_locations",
    "directory_organizations",
    "directory_terms",
    "directory_taxonomies",
    "directory_towns",
)


class SearchIndex:
    """Writes the derived rows of services (within the caller's transaction)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def clear(self) -> None:
        """Every directory record and row (before a whole import)."""
        for table in TABLES:
            self.conn.execute(f"DELETE FROM {table}")

    def insert_services(self, items: list[tuple[int, DerivedService]]) -> None:
        conn = self.conn
        conn.executemany(
            "INSERT INTO directory_services (sid, id, organization_id, name, name_key, status,"
            " assured_date, is_crisis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sid,
                    d.service.id,
                    d.service.organization_id,
                    d.service.name,
                    name_key(d.service.name),
                    d.service.status,
                    d.service.assured_date.isoformat() if d.service.assured_date else None,
                    int(d.is_crisis),
                )
                for sid, d in items
            ],
        )
        conn.executemany(
            "INSERT INTO directory_service_docs (sid, summary, doc) VALUES (?, ?, ?)",
            [(sid, d.summary, doc(d.service)) for sid, d in items],
        )
        conn.executemany(
            "INSERT INTO directory_fts (rowid, name, alternate_name, organization, categories, description, places)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(sid, *d.fts) for sid, d in items],
        )
        conn.executemany(
            "INSERT INTO directory_service_terms (term_id, sid) VALUES (?, ?)",
            [(t, sid) for sid, d in items for t in d.term_ids],
        )
        conn.executemany(
            "INSERT INTO directory_service_areas (county_key, sid, name) VALUES (?, ?, ?)",
            [(key, sid, name) for sid, d in items for key, name in d.counties.items()],
        )
        conn.executemany(
            "INSERT INTO directory_service_languages (lang_key, sid, label) VALUES (?, ?, ?)",
            [(key, sid, label) for sid, d in items for key, label in d.languages.items()],
        )
        conn.executemany(
            "INSERT INTO directory_service_locations (location_id, sid, latitude, longitude)"
            " VALUES (?, ?, ?, ?)",
            [(lid, sid, lat, lon) for sid, d in items for lid, lat, lon in d.locations],
        )
        conn.executemany(
            "INSERT INTO directory_hours (sid, start_min, end_min, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)",
            [(sid, *h) for sid, d in items for h in d.hours],
        )

    def delete_derived(self, sids: Sequence[int]) -> None:
        """Everything about these services except their directory_services row."""
        conn = self.conn
        for table in (
            "directory_service_docs",
            "directory_service_terms",
            "directory_service_areas",
            "directory_service_languages",
            "directory_service_locations",
            "directory_hours",
        ):
            conn.executemany(f"DELETE FROM {table} WHERE sid = ?", [(sid,) for sid in sids])
        conn.executemany("DELETE FROM directory_fts WHERE rowid = ?", [(sid,) for sid in sids])

    def sync_spell(self) -> None:
        """Bring the typo tables in line with the words now in the index."""
        conn = self.conn
        indexed = {
            term
            for (term,) in conn.execute("SELECT term FROM directory_fts_vocab")
            if SPELL_MIN <= len(term) <= SPELL_MAX and term.isalpha()
        }
        known = {w for (w,) in conn.execute("SELECT word FROM directory_words")}
        gone, new = known - indexed, indexed - known
        if gone:
            conn.executemany("DELETE FROM directory_spell WHERE word = ?", [(w,) for w in gone])
            conn.executemany("DELETE FROM directory_words WHERE word = ?", [(w,) for w in gone])
        if new:
            conn.executemany(
                "INSERT INTO directory_words (word) VALUES (?)", [(w,) for w in sorted(new)]
            )
            conn.executemany(
                "INSERT OR IGNORE INTO directory_spell (variant, word) VALUES (?, ?)",
                [(v, w) for w in sorted(new) for v in deletions(w)],
            )
