"""Reading the directory's records back from the profile database: the version,
the filters' choices (categories, areas, languages, towns), one service with what
it names, and the whole dataset."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from peerdesk.domain.directory import (
    Dataset,
    Location,
    Organization,
    Service,
    ServiceDetail,
    TaxonomyTerm,
    Town,
    name_key,
)
from peerdesk.errors import Msg, NotFound
from peerdesk.store.db import translate_errors
from peerdesk.store.directory.rows import parse_doc

#: "could not read the directory" (the default of :meth:`DirectoryRecords.rows`)
READ_DIRECTORY = Msg("read the directory")


class DirectoryRecords:
    """Reads (each statement in its own implicit read)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def rows(
        self,
        sql: str,
        params: Sequence[Any] | Mapping[str, Any] = (),
        what: Msg = READ_DIRECTORY,
    ) -> list[tuple[Any, ...]]:
        with translate_errors(what, writing=False):
            return self.db.conn.execute(sql, params).fetchall()

    def version(self) -> int:
        rows = self.rows("SELECT value FROM directory_meta WHERE key = 'version'")
        return int(rows[0][0]) if rows else -1

    def count(self) -> int:
        return int(self.rows("SELECT count(*) FROM directory_services")[0][0])

    def is_empty(self) -> bool:
        return not self.rows("SELECT 1 FROM directory_services LIMIT 1")

    def categories(self) -> list[TaxonomyTerm]:
        """Every taxonomy term (a category to filter by), by name."""
        terms = [
            parse_doc("taxonomy_term", doc, "directory_terms", rid)
            for rid, doc in self.rows("SELECT id, doc FROM directory_terms ORDER BY name")
        ]
        return terms

    def areas(self) -> list[str]:
        """The service areas (counties, "United States" ...) services name, one
        spelling each, for the county filter."""
        rows = self.rows(
            "SELECT min(name) FROM directory_service_areas GROUP BY county_key ORDER BY county_key"
        )
        return [row[0] for row in rows]

    def languages(self) -> list[str]:
        """The languages services are offered in, by name (or code), for the filter."""
        rows = self.rows(
            "SELECT DISTINCT label FROM directory_service_languages ORDER BY label COLLATE NOCASE"
        )
        return [row[0] for row in rows]

    def towns(self) -> list[Town]:
        return [
            parse_doc("town", doc, "directory_towns", rid)
            for rid, doc in self.rows("SELECT id, doc FROM directory_towns ORDER BY name_key")
        ]

    def get_service(self, service_id: str) -> ServiceDetail:
        rows = self.rows(
            "SELECT d.doc, s.is_crisis FROM directory_services s"
            " JOIN directory_service_docs d ON d.sid = s.sid WHERE s.id = ?",
            (service_id,),
        )
        if not rows:
            raise NotFound("service", service_id)
        service: Service = parse_doc("service", rows[0][0], "directory_services", service_id)
        org = self.organization(service.organization_id) if service.organization_id else None
        locations = tuple(
            loc
            for loc in (self.location(sal.location_id) for sal in service.service_at_locations)
            if loc is not None
        )
        terms = self.terms()
        categories = tuple(
            terms[a.taxonomy_term_id] for a in service.attributes if a.taxonomy_term_id in terms
        )
        return ServiceDetail(service, org, locations, categories, bool(rows[0][1]))

    def organization(self, org_id: str) -> Organization | None:
        rows = self.rows("SELECT doc FROM directory_organizations WHERE id = ?", (org_id,))
        return (
            parse_doc("organization", rows[0][0], "directory_organizations", org_id)
            if rows
            else None
        )

    def location(self, location_id: str) -> Location | None:
        rows = self.rows("SELECT doc FROM directory_locations WHERE id = ?", (location_id,))
        return (
            parse_doc("location", rows[0][0], "directory_locations", location_id) if rows else None
        )

    def terms(self) -> dict[str, TaxonomyTerm]:
        return {t.id: t for t in self.categories()}

    def town(self, town: str) -> Town | None:
        """A town by id or name (any case)."""
        rows = self.rows(
            "SELECT id, doc FROM directory_towns WHERE id = ? OR name_key = ? ORDER BY id = ? DESC LIMIT 1",
            (town, name_key(town), town),
        )
        return parse_doc("town", rows[0][1], "directory_towns", rows[0][0]) if rows else None

    def export_dataset(self) -> Dataset:
        """The whole directory as a dataset (for an HSDS export)."""

        def docs(kind: str, table: str, order: str) -> tuple[Any, ...]:
            return tuple(
                parse_doc(kind, doc, table, rid)
                for rid, doc in self.rows(f"SELECT id, doc FROM {table} ORDER BY {order}")
            )

        services = tuple(
            parse_doc("service", doc, "directory_service_docs", rid)
            for rid, doc in self.rows(
                "SELECT s.id, d.doc FROM directory_services s"
                " JOIN directory_service_docs d ON d.sid = s.sid ORDER BY s.sid"
            )
        )
        return Dataset(
            organizations=docs("organization", "directory_organizations", "rowid"),
            services=services,
            locations=docs("location", "directory_locations", "rowid"),
            taxonomies=docs("taxonomy", "directory_taxonomies", "rowid"),
            taxonomy_terms=docs("taxonomy_term", "directory_terms", "rowid"),
            towns=docs("town", "directory_towns", "rowid"),
            extra=self.meta("extra"),
        )

    def meta(self, key: str) -> str:
        rows = self.rows("SELECT value FROM directory_meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else ""
