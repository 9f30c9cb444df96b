"""The resource directory in the profile database: public, plaintext, searchable.

Records are kept as HSDS JSON (``directory_service_docs.doc`` ...) and everything
search needs is derived from them when they are written (see migration
``0007_directory``): an FTS5 index, filter tables and a typo-tolerance table.
Every write (an import, a snapshot, a delta) is one transaction: it all applies
or nothing changes.

Search (:meth:`DirectoryStore.search`):

1. The query is split into words (lower case, accents removed). Each word of two
   characters or more matches as a prefix (``hou`` finds "housing"); a
   one-character word is ignored unless it is the whole query, which then lists
   services whose *name* starts with it.
2. Ranking has tiers, each computed only when the ones before it do not fill
   the page (which keeps search-as-you-type fast on large directories):
   0. names starting with what was typed, the exact name first (name index);
   1. names (or alternate names) holding every word, by bm25;
   2. services matching elsewhere (organization, categories, description,
      places), by bm25.
   So an exact name beats a name match, which beats a description match. bm25
   costs a few microseconds a row, so a tier with thousands of matches is ranked
   in windows (see :meth:`DirectoryStore._fts_tier`).
3. When nothing matches and the query is short (up to :data:`TYPO_MAX_WORDS`
   words), each word of 3+ characters that is not an indexed word is widened to
   indexed words within edit distance 1 (2 for words of 5+ characters), found
   through ``directory_spell`` (every indexed word with one character deleted:
   a typo is then one or two index look-ups, not a scan of the vocabulary). The
   result says which words were searched instead.

Filters: category, county and language are set filters: listed once per query
(``IN``) when they leave few enough services, else checked per row (``EXISTS``);
"open now" is a per-row check of the opening-hours table. Distance: services
with a location in the bounding box around the town (an index range), then the
exact haversine distance (a SQL function registered on the connection), once
per search. With a set filter, only the services passing it are ranked.
"""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

from peerdesk.domain import hsds
from peerdesk.domain.hsds import (
    Dataset,
    Location,
    Organization,
    SearchFilters,
    SearchResults,
    Service,
    ServiceDetail,
    ServiceSummary,
    TaxonomyTerm,
    Town,
)
from peerdesk.domain.hsds_delta import (
    DeltaOp,
    DirectoryDelta,
    DirectorySnapshot,
    DirectoryUpdate,
    UpdateResult,
    count_ops,
)
from peerdesk.errors import CorruptData, DirectoryDataError, NotFound
from peerdesk.store.db import translate_errors

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
TYPO_MAX_WORDS = 4
TYPO_MIN_LENGTH = 3
TYPO_CANDIDATES = 3
SPELL_MIN, SPELL_MAX = 3, 30
SUMMARY_DESCRIPTION = 300
#: bm25 weights of name, alternate_name, organization, categories, description, places
BM25 = "bm25(directory_fts, 10.0, 6.0, 3.0, 3.0, 1.0, 1.0)"
MILES_PER_DEGREE = 69.0

_LISTED = "(" + ", ".join(f"'{s}'" for s in hsds.LISTED_STATUSES) + ")"
#: the other statuses, spelled out so the status index can find them
_HIDDEN = (
    "(" + ", ".join(f"'{s}'" for s in hsds.SERVICE_STATUSES if s not in hsds.LISTED_STATUSES) + ")"
)
#: the first window of matches an FTS tier ranks (see DirectoryStore._fts_tier)
RANK_WINDOW = 2_000
#: a set filter with at most this many services is listed once per query
IN_LIST_MAX = 20_000
#: rank a tier exactly when the set filters leave at most this many services
RANK_EXACT_MAX = 8_000


def _miles(
    lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None
) -> float | None:
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None
    return hsds.miles_between(lat1, lon1, lat2, lon2)


def _fts_word(word: str) -> str:
    return f'"{word}"'  # words are letters and digits only: safe to quote


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent
    transpositions), or ``limit + 1`` once it is certain to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


# --- deriving the searchable rows of a service ------------------------------------------


@dataclass(slots=True)
class _Derived:
    service: Service
    organization: str
    is_crisis: bool
    term_ids: set[str]
    counties: dict[str, str]  # key -> name
    languages: dict[str, str]  # key -> label
    locations: list[tuple[str, float | None, float | None]]  # id, latitude, longitude
    hours: list[tuple[int, int, str | None, str | None]]
    fts: tuple[str, str, str, str, str, str]
    summary: str


@dataclass(slots=True)
class _Lookups:
    """What indexing a service needs besides the service itself."""

    organizations: Callable[[str], Organization | None]
    locations: Callable[[str], Location | None]
    terms: Mapping[str, TaxonomyTerm]
    _lineage: dict[str, tuple[TaxonomyTerm, ...]] = field(default_factory=dict)

    def lineage(self, term_id: str) -> tuple[TaxonomyTerm, ...]:
        found = self._lineage.get(term_id)
        if found is None:
            found = self._lineage[term_id] = tuple(hsds.term_lineage(term_id, self.terms))
        return found


def _derive(
    service: Service, look: _Lookups, blame: Callable[[str, str], DirectoryDataError]
) -> _Derived:
    org = None
    if service.organization_id is not None:
        org = look.organizations(service.organization_id)
        if org is None:
            raise blame(
                "organization_id", f"there is no organization with id {service.organization_id!r}"
            )
    locations: list[Location] = []
    for i, sal in enumerate(service.service_at_locations):
        loc = look.locations(sal.location_id)
        if loc is None:
            raise blame(
                f"service_at_locations[{i}].location_id",
                f"there is no location with id {sal.location_id!r}",
            )
        locations.append(loc)
    direct: list[TaxonomyTerm] = []
    lineage: list[TaxonomyTerm] = []
    for i, attribute in enumerate(service.attributes):
        if attribute.taxonomy_term_id not in look.terms:
            raise blame(
                f"attributes[{i}].taxonomy_term_id",
                f"unknown taxonomy term {attribute.taxonomy_term_id!r}",
            )
        direct.append(look.terms[attribute.taxonomy_term_id])
        lineage.extend(look.lineage(attribute.taxonomy_term_id))
    is_crisis = any(hsds.fold(t.code) == hsds.CRISIS_CODE for t in lineage)
    languages = [*service.languages, *(lang for loc in locations for lang in loc.languages)]
    schedules = service.schedules or tuple(s for loc in locations for s in loc.schedules)
    hours = [
        (
            start,
            end,
            s.valid_from.isoformat() if s.valid_from else None,
            s.valid_to.isoformat() if s.valid_to else None,
        )
        for s in schedules
        for start, end in s.weekly_intervals()
    ]
    places = [
        *(loc.name for loc in locations),
        *(a.city for loc in locations for a in loc.addresses),
        *(a.region for loc in locations for a in loc.addresses),
        *(area.name for area in service.service_areas),
        *(lang.name for lang in languages),
    ]
    description = " ".join(
        t
        for t in (
            service.description,
            service.eligibility_description,
            service.application_process,
            service.fees_description,
            service.interpretation_services,
        )
        if t
    )
    phones = (
        service.phones
        or tuple(p for loc in locations for p in loc.phones)
        or (org.phones if org else ())
    )
    organization = org.name if org else ""
    summary = {
        "organization": organization,
        "description": service.description[:SUMMARY_DESCRIPTION],
        "categories": list(dict.fromkeys(t.name for t in direct)),
        "phones": list(dict.fromkeys(p.number for p in phones)),
    }
    return _Derived(
        service=service,
        organization=organization,
        is_crisis=is_crisis,
        term_ids={t.id for t in lineage},
        counties={hsds.county_key(a.name): a.name for a in service.service_areas if a.name},
        languages={
            k: lang.name or lang.code for lang in languages for k in hsds.language_keys(lang)
        },
        locations=list(
            {loc.id: (loc.id, loc.latitude, loc.longitude) for loc in locations}.values()
        ),
        hours=hours,
        fts=(
            service.name,
            service.alternate_name,
            organization,
            " ".join(dict.fromkeys(f"{t.name} {t.code}" for t in lineage)),
            description,
            " ".join(dict.fromkeys(p for p in places if p)),
        ),
        summary=json.dumps(summary, ensure_ascii=False, separators=(",", ":")),
    )


def _doc(record: Any) -> str:
    return json.dumps(hsds.record_to_json(record), ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class _Plan:
    """The filters as SQL: conditions on a sid (``{col}`` is filled in), named
    parameters, and the "near" CTE when a radius is asked for."""

    conditions: list[str] = field(default_factory=list)
    #: per-row look-ups (EXISTS), checked after the cheap list probes
    late: list[str] = field(default_factory=list)
    #: conditions only FTS tiers need (the status filter; the others read s.status)
    fts: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    #: sid -> miles, for services within the radius (None: no radius asked)
    near: dict[int, float] | None = None
    town: Town | None = None
    empty: bool = False  # a filter that matches nothing (unknown category or town)
    #: at most this many services pass the set filters (None: not bounded)
    bound: int | None = None

    def limit_to(self, size: int) -> None:
        self.bound = size if self.bound is None else min(self.bound, size)

    def both(self, condition: str, *, late: bool = False) -> None:
        (self.late if late else self.conditions).append(condition)

    def where_s(self) -> str:
        # "+": never drive a query from the status index (nearly every row is listed)
        listed = f"+s.status IN {_LISTED}"
        parts = (*self.conditions, *self.late)
        return " AND ".join([listed, *(c.format(col="s.sid") for c in parts)])

    def where_fts(self) -> str:
        parts = [c.format(col="+f.rowid") for c in (*self.fts, *self.conditions, *self.late)]
        return " AND ".join(parts) if parts else "1"


class DirectoryStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.conn.create_function("pd_miles", 4, _miles, deterministic=True)

    # -- reading ---------------------------------------------------------------------------

    def _all(
        self,
        sql: str,
        params: Sequence[Any] | Mapping[str, Any] = (),
        what: str = "read the directory",
    ) -> list[tuple[Any, ...]]:
        with translate_errors(what, writing=False):
            return self.db.conn.execute(sql, params).fetchall()

    def version(self) -> int:
        rows = self._all("SELECT value FROM directory_meta WHERE key = 'version'")
        return int(rows[0][0]) if rows else -1

    def count(self) -> int:
        return int(self._all("SELECT count(*) FROM directory_services")[0][0])

    def is_empty(self) -> bool:
        return not self._all("SELECT 1 FROM directory_services LIMIT 1")

    def categories(self) -> list[TaxonomyTerm]:
        """Every taxonomy term (a category to filter by), by name."""
        terms = [
            self._parse("taxonomy_term", doc, "directory_terms", rid)
            for rid, doc in self._all("SELECT id, doc FROM directory_terms ORDER BY name")
        ]
        return terms

    def areas(self) -> list[str]:
        """The service areas (counties, "United States" ...) services name, one
        spelling each, for the county filter."""
        rows = self._all(
            "SELECT min(name) FROM directory_service_areas GROUP BY county_key ORDER BY county_key"
        )
        return [row[0] for row in rows]

    def languages(self) -> list[str]:
        """The languages services are offered in, by name (or code), for the filter."""
        rows = self._all(
            "SELECT DISTINCT label FROM directory_service_languages ORDER BY label COLLATE NOCASE"
        )
        return [row[0] for row in rows]

    def towns(self) -> list[Town]:
        return [
            self._parse("town", doc, "directory_towns", rid)
            for rid, doc in self._all("SELECT id, doc FROM directory_towns ORDER BY name_key")
        ]

    def _parse(self, kind: str, doc: str, table: str, record_id: str) -> Any:
        try:
            return hsds.record_from_json(kind, json.loads(doc), source=table, record=record_id)
        except (ValueError, DirectoryDataError) as exc:
            raise CorruptData(
                "stored directory record is malformed", table=table, record_id=record_id
            ) from exc

    def get_service(self, service_id: str) -> ServiceDetail:
        rows = self._all(
            "SELECT d.doc, s.is_crisis FROM directory_services s"
            " JOIN directory_service_docs d ON d.sid = s.sid WHERE s.id = ?",
            (service_id,),
        )
        if not rows:
            raise NotFound("service", service_id)
        service: Service = self._parse("service", rows[0][0], "directory_services", service_id)
        org = self._organization(service.organization_id) if service.organization_id else None
        locations = tuple(
            loc
            for loc in (self._location(sal.location_id) for sal in service.service_at_locations)
            if loc is not None
        )
        terms = self._terms()
        categories = tuple(
            terms[a.taxonomy_term_id] for a in service.attributes if a.taxonomy_term_id in terms
        )
        return ServiceDetail(service, org, locations, categories, bool(rows[0][1]))

    def _organization(self, org_id: str) -> Organization | None:
        rows = self._all("SELECT doc FROM directory_organizations WHERE id = ?", (org_id,))
        return (
            self._parse("organization", rows[0][0], "directory_organizations", org_id)
            if rows
            else None
        )

    def _location(self, location_id: str) -> Location | None:
        rows = self._all("SELECT doc FROM directory_locations WHERE id = ?", (location_id,))
        return (
            self._parse("location", rows[0][0], "directory_locations", location_id)
            if rows
            else None
        )

    def _terms(self) -> dict[str, TaxonomyTerm]:
        return {t.id: t for t in self.categories()}

    def town(self, town: str) -> Town | None:
        """A town by id or name (any case)."""
        rows = self._all(
            "SELECT id, doc FROM directory_towns WHERE id = ? OR name_key = ? ORDER BY id = ? DESC LIMIT 1",
            (town, hsds.name_key(town), town),
        )
        return self._parse("town", rows[0][1], "directory_towns", rows[0][0]) if rows else None

    def export_dataset(self) -> Dataset:
        """The whole directory as a dataset (for an HSDS export)."""

        def docs(kind: str, table: str, order: str) -> tuple[Any, ...]:
            return tuple(
                self._parse(kind, doc, table, rid)
                for rid, doc in self._all(f"SELECT id, doc FROM {table} ORDER BY {order}")
            )

        services = tuple(
            self._parse("service", doc, "directory_service_docs", rid)
            for rid, doc in self._all(
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
        )

    # -- search ------------------------------------------------------------------------------

    def crisis_lines(self) -> list[ServiceSummary]:
        """Crisis resources (988, local crisis lines ...), for pinning at the top."""
        rows = self._all(
            "SELECT s.sid FROM directory_services s"
            f" WHERE s.is_crisis = 1 AND s.status IN {_LISTED} ORDER BY s.name_key"
        )
        return list(self._summaries([row[0] for row in rows], None))

    def search(
        self, text: str = "", filters: SearchFilters | None = None, *, limit: int = DEFAULT_LIMIT
    ) -> SearchResults:
        """Services matching ``text`` (may be empty: browse) and ``filters``,
        best first; see the module docstring for matching and ranking."""
        limit = max(1, min(limit, MAX_LIMIT))
        plan = self._plan(filters or SearchFilters())
        if plan.empty:
            return SearchResults((), False)
        need = limit + 1  # one more than asked, to know whether there are more
        words = hsds.words(text)
        key = " ".join(words)
        searchable = [w for w in words if len(w) >= 2]
        corrections: tuple[tuple[str, tuple[str, ...]], ...] = ()
        if not words:
            sids = self._browse(plan, need)
        elif not searchable:
            sids = self._name_starts(key, plan, need)
        else:
            expr = " AND ".join(f"{_fts_word(w)}*" for w in searchable)
            sids = self._ranked(expr, key, plan, need)
            if not sids and len(searchable) <= TYPO_MAX_WORDS:
                fuzzy, found = self._fuzzy(searchable)
                if found:
                    sids = self._ranked(fuzzy, None, plan, need)
                    corrections = tuple(found) if sids else ()
        hits = self._summaries(sids[:limit], plan.town, plan.near)
        return SearchResults(hits, len(sids) > limit, corrections)

    # Filters become conditions on a service's sid, written for the column at hand
    # ("s.sid" or "+f.rowid": the "+" keeps SQLite from handing the condition to
    # FTS5, which would re-run the MATCH once per listed row).

    def _plan(self, filters: SearchFilters) -> _Plan:
        plan = _Plan()
        hidden = self._all(f"SELECT 1 FROM directory_services WHERE status IN {_HIDDEN} LIMIT 1")
        if hidden:
            plan.fts.append(
                f"{{col}} NOT IN (SELECT sid FROM directory_services WHERE status IN {_HIDDEN})"
            )
        if filters.categories:
            ids = self._resolve_categories(filters.categories)
            if not ids:
                plan.empty = True
                return plan
            marks = ", ".join(f":cat{i}" for i in range(len(ids)))
            plan.params.update({f"cat{i}": t for i, t in enumerate(ids)})
            self._set_filter(
                plan,
                f"SELECT sid FROM directory_service_terms WHERE term_id IN ({marks})",
                "EXISTS (SELECT 1 FROM directory_service_terms t"
                f" WHERE t.term_id IN ({marks}) AND t.sid = {{col}})",
            )
        if filters.county:
            plan.params["county"] = hsds.county_key(filters.county)
            self._set_filter(
                plan,
                "SELECT sid FROM directory_service_areas WHERE county_key = :county",
                "EXISTS (SELECT 1 FROM directory_service_areas a"
                " WHERE a.county_key = :county AND a.sid = {col})",
            )
        if filters.language:
            plan.params["lang"] = hsds.name_key(filters.language)
            self._set_filter(
                plan,
                "SELECT sid FROM directory_service_languages WHERE lang_key = :lang",
                "EXISTS (SELECT 1 FROM directory_service_languages l"
                " WHERE l.lang_key = :lang AND l.sid = {col})",
            )
        if filters.town:
            plan.town = self.town(filters.town)
            if plan.town is None:
                plan.empty = True
                return plan
            if filters.within_miles is not None:
                self._near(plan, plan.town, max(0.0, float(filters.within_miles)))
        if filters.open_at is not None:
            plan.params["minute"] = hsds.minute_of_week(filters.open_at)
            plan.params["day"] = filters.open_at.date().isoformat()
            plan.both(
                "EXISTS (SELECT 1 FROM directory_hours h WHERE h.sid = {col}"
                " AND h.start_min <= :minute AND h.end_min > :minute"
                " AND (h.valid_from IS NULL OR h.valid_from <= :day)"
                " AND (h.valid_to IS NULL OR h.valid_to >= :day))",
                late=True,
            )
        return plan

    def _set_filter(self, plan: _Plan, members: str, exists: str) -> None:
        """A set filter as ``IN (members)`` when the set is small enough to list
        once per query, else as a per-row ``EXISTS`` look-up."""
        counted = f"SELECT count(*) FROM ({members} LIMIT {IN_LIST_MAX + 1})"
        size = self._all(counted, plan.params)[0][0]
        if size <= IN_LIST_MAX:
            plan.both(f"{{col}} IN ({members})")
            plan.limit_to(size)
        else:
            plan.both(exists, late=True)

    def _near(self, plan: _Plan, town: Town, miles: float) -> None:
        """Services with a location within ``miles`` of ``town``: locations in the
        bounding box (an index range), then the exact distance; computed once per
        search and handed to each query as a JSON list."""
        dlat = miles / MILES_PER_DEGREE
        dlon = miles / (MILES_PER_DEGREE * max(0.01, math.cos(math.radians(town.latitude))))
        rows = self._all(
            "SELECT sid, min(pd_miles(?, ?, latitude, longitude))"
            " FROM directory_service_locations INDEXED BY directory_service_locations_by_position"
            " WHERE latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ? GROUP BY sid",
            (
                town.latitude,
                town.longitude,
                town.latitude - dlat,
                town.latitude + dlat,
                town.longitude - dlon,
                town.longitude + dlon,
            ),
            "search the directory",
        )
        plan.near = {sid: d for sid, d in rows if d is not None and d <= miles}
        plan.params["near"] = json.dumps(sorted(plan.near))
        plan.both("{col} IN (SELECT value FROM json_each(:near))")
        plan.limit_to(len(plan.near))

    def _resolve_categories(self, selectors: Iterable[str]) -> list[str]:
        wanted = list(selectors)
        marks = ", ".join("?" for _ in wanted)
        rows = self._all(
            f"SELECT id FROM directory_terms WHERE id IN ({marks}) OR code IN ({marks})",
            [*wanted, *wanted],
        )
        return sorted({row[0] for row in rows})

    def _sids(self, sql: str, params: Mapping[str, Any]) -> list[int]:
        return [row[0] for row in self._all(sql, params, "search the directory")]

    def _browse(self, plan: _Plan, need: int) -> list[int]:
        """No text: by name, or by distance when a radius is asked for."""
        if plan.near is not None:
            rows = self._all(
                f"SELECT s.sid, s.name_key FROM directory_services s WHERE {plan.where_s()}",
                plan.params,
                "search the directory",
            )
            near = plan.near
            rows.sort(key=lambda row: (near[row[0]], row[1]))
            return [row[0] for row in rows[:need]]
        return self._sids(
            f"SELECT s.sid FROM directory_services s WHERE {plan.where_s()}"
            " ORDER BY s.name_key LIMIT :need",
            {**plan.params, "need": need},
        )

    def _name_starts(self, key: str, plan: _Plan, need: int) -> list[int]:
        """Tier 0: names starting with what was typed, the exact name first (two
        look-ups in the name index, the second stopping after ``need`` rows)."""
        params = {**plan.params, "key": key, "hi": key + "\U0010ffff", "need": need}
        exact = self._sids(
            "SELECT s.sid FROM directory_services s"
            f" WHERE s.name_key = :key AND {plan.where_s()} ORDER BY s.sid LIMIT :need",
            params,
        )
        return exact + self._sids(
            "SELECT s.sid FROM directory_services s"
            f" WHERE s.name_key > :key AND s.name_key < :hi AND {plan.where_s()}"
            " ORDER BY s.name_key LIMIT :need",
            {**params, "need": need - len(exact)},
        )

    def _ranked(self, expr: str, key: str | None, plan: _Plan, need: int) -> list[int]:
        """Tier 0 (when ``key`` is given), then name matches, then the rest."""
        names = "{name alternate_name}"
        found = self._name_starts(key, plan, need) if key is not None else []
        seen = set(found)
        if len(found) < need:
            for sid in self._fts_tier(f"{names} : ({expr})", plan, need - len(found) + len(seen)):
                if sid not in seen:
                    seen.add(sid)
                    found.append(sid)
        found = found[:need]
        if len(found) < need:
            found += self._fts_tier(f"({expr}) NOT {names} : ({expr})", plan, need - len(found))
        return found

    def _fts_tier(self, match: str, plan: _Plan, need: int) -> list[int]:
        """Matches of ``match`` passing the filters, best bm25 first.

        Ranking costs 2-5 microseconds a row, so a tier with many matches is ranked
        in windows of consecutive rows (by rowid): the first :data:`RANK_WINDOW`
        matches, then 4 times as many after them, and so on, until the page is
        full. A tier of up to RANK_WINDOW matches is ranked exactly, and so is any
        tier when a set filter (category, county, language, radius) leaves at most
        :data:`RANK_EXACT_MAX` services; a larger one gets the best of its first
        window(s): a word that common says little about relevance, and the
        filters narrow it."""
        ranked = (
            "SELECT f.rowid FROM directory_fts f WHERE directory_fts MATCH :match"
            f" AND f.rowid > :low{{upper}} AND {plan.where_fts()} ORDER BY {BM25} LIMIT :need"
        )
        params: dict[str, Any] = {**plan.params, "match": match, "low": 0, "need": need}
        if plan.bound is not None and plan.bound <= RANK_EXACT_MAX:
            return self._sids(ranked.format(upper=""), params)
        out: list[int] = []
        window = RANK_WINDOW
        while len(out) < need:
            bound = self._all(
                "SELECT f.rowid FROM directory_fts f WHERE directory_fts MATCH :match"
                " AND f.rowid > :low LIMIT 1 OFFSET :skip",
                {"match": match, "low": params["low"], "skip": window - 1},
                "search the directory",
            )
            high = bound[0][0] if bound else None
            upper = " AND f.rowid <= :high" if high is not None else ""
            out += self._sids(
                ranked.format(upper=upper), {**params, "high": high, "need": need - len(out)}
            )
            if high is None:
                break
            params["low"], window = high, window * 4
        return out

    def _summaries(
        self, sids: list[int], town: Town | None, near: Mapping[int, float] | None = None
    ) -> tuple[ServiceSummary, ...]:
        if not sids:
            return ()
        marks = ", ".join("?" for _ in sids)
        rows = {
            row[0]: row
            for row in self._all(
                "SELECT s.sid, s.id, s.name, s.status, s.assured_date, s.is_crisis, d.summary"
                " FROM directory_services s JOIN directory_service_docs d ON d.sid = s.sid"
                f" WHERE s.sid IN ({marks})",
                sids,
            )
        }
        if near is not None:
            distances: Mapping[int, float] = near
        else:
            distances = self._distances(sids, town) if town else {}
        return tuple(self._summary(rows[sid], distances.get(sid)) for sid in sids if sid in rows)

    def _summary(self, row: tuple[Any, ...], distance: float | None) -> ServiceSummary:
        sid, service_id, name, status, assured, crisis, summary = row
        try:
            data = json.loads(summary)
            return ServiceSummary(
                id=service_id,
                name=name,
                organization_name=data["organization"],
                description=data["description"],
                categories=tuple(data["categories"]),
                phones=tuple(data["phones"]),
                status=status,
                assured_date=date.fromisoformat(assured) if assured else None,
                is_crisis=bool(crisis),
                distance_miles=None if distance is None else round(distance, 1),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CorruptData(
                "stored directory summary is malformed",
                table="directory_service_docs",
                record_id=service_id,
            ) from exc

    def _fuzzy(self, searchable: list[str]) -> tuple[str, list[tuple[str, tuple[str, ...]]]]:
        parts: list[str] = []
        corrections: list[tuple[str, tuple[str, ...]]] = []
        for word in searchable:
            if len(word) < TYPO_MIN_LENGTH or word.isdigit() or self._is_word(word):
                parts.append(f"{_fts_word(word)}*")
                continue
            candidates = self.typo_candidates(word)
            if candidates:
                corrections.append((word, tuple(candidates)))
            alternatives = [f"{_fts_word(word)}*", *(_fts_word(c) for c in candidates)]
            parts.append("(" + " OR ".join(alternatives) + ")")
        return " AND ".join(parts), corrections

    def _is_word(self, word: str) -> bool:
        return bool(self._all("SELECT 1 FROM directory_words WHERE word = ?", (word,)))

    def typo_candidates(self, word: str, limit: int = TYPO_CANDIDATES) -> list[str]:
        """Indexed words near ``word`` (edit distance 1, or 2 for 5+ characters),
        closest and most common first."""
        word = hsds.fold(word)
        max_distance = 1 if len(word) < 5 else 2
        dels = sorted(deletions(word))
        keys = [word, *dels]
        marks_keys = ", ".join("?" for _ in keys)
        marks_dels = ", ".join("?" for _ in dels)
        rows = self._all(
            f"SELECT word FROM directory_spell WHERE variant IN ({marks_keys})"
            f" UNION SELECT word FROM directory_words WHERE word IN ({marks_dels})"
            " LIMIT 500",
            [*keys, *dels],
        )
        scored = [(osa_distance(word, w, max_distance), w) for (w,) in rows if w != word]
        close = [(d, w) for d, w in scored if d <= max_distance]
        if not close:
            return []
        marks = ", ".join("?" for _ in close)
        docs = dict(
            self._all(
                f"SELECT term, doc FROM directory_fts_vocab WHERE term IN ({marks})",
                [w for _, w in close],
            )
        )
        close.sort(key=lambda dw: (dw[0], -docs.get(dw[1], 0), dw[1]))
        return [w for _, w in close[:limit]]

    def _distances(self, sids: list[int], town: Town) -> dict[int, float]:
        if not sids:
            return {}
        marks = ", ".join("?" for _ in sids)
        rows = self._all(
            "SELECT sid, min(pd_miles(?, ?, latitude, longitude)) FROM directory_service_locations"
            f" WHERE sid IN ({marks}) AND latitude IS NOT NULL GROUP BY sid",
            [town.latitude, town.longitude, *sids],
        )
        return {sid: d for sid, d in rows if d is not None}

    # -- writing -------------------------------------------------------------------------------

    def import_dataset(self, dataset: Dataset, *, version: int = 0, source: str = "import") -> int:
        """Replace the whole directory with ``dataset`` (checked first), in one
        transaction. Returns the number of services."""
        hsds.check_dataset(dataset, source=source)
        with translate_errors("import the directory"), self.db.atomic():
            self._replace(dataset, version, source)
        # A whole directory leaves a WAL as large as the data; fold it back into the
        # database now rather than keep it on disk (best effort: a reader may hold it).
        with contextlib.suppress(sqlite3.Error):
            self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return len(dataset.services)

    def apply_update(self, update: DirectoryUpdate) -> UpdateResult:
        """Apply a verified snapshot or delta (see :mod:`peerdesk.domain.hsds_delta`).

        An update whose version is not newer than this directory's changes nothing
        (``applied=False``: already applied, or a replay). A delta whose base is not
        this directory's version, or that does not apply cleanly, raises
        :class:`DirectoryDataError` and changes nothing."""
        current = self.version()
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
            have = "no directory version" if current < 0 else f"version {current}"
            raise DirectoryDataError(
                f"this update applies to version {update.base_version}, but this laptop has {have};"
                " a full snapshot is needed",
                source=source,
                field="base_version",
            )
        with translate_errors("update the directory"), self.db.atomic():
            self._apply_delta(update, source)
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
        for table in (
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
        ):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany(
            "INSERT INTO directory_taxonomies (id, doc) VALUES (?, ?)",
            [(t.id, _doc(t)) for t in dataset.taxonomies],
        )
        conn.executemany(
            "INSERT INTO directory_terms (id, code, name, parent_id, taxonomy_id, doc)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (t.id, t.code, t.name, t.parent_id, t.taxonomy_id, _doc(t))
                for t in dataset.taxonomy_terms
            ],
        )
        conn.executemany(
            "INSERT INTO directory_organizations (id, name, doc) VALUES (?, ?, ?)",
            [(o.id, o.name, _doc(o)) for o in dataset.organizations],
        )
        conn.executemany(
            "INSERT INTO directory_locations (id, organization_id, latitude, longitude, doc) VALUES (?, ?, ?, ?, ?)",
            [
                (loc.id, loc.organization_id, loc.latitude, loc.longitude, _doc(loc))
                for loc in dataset.locations
            ],
        )
        conn.executemany(
            "INSERT INTO directory_towns (id, name, name_key, county, doc, latitude, longitude) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (t.id, t.name, hsds.name_key(t.name), t.county, _doc(t), t.latitude, t.longitude)
                for t in dataset.towns
            ],
        )
        orgs = {o.id: o for o in dataset.organizations}
        locs = {loc.id: loc for loc in dataset.locations}
        look = _Lookups(orgs.get, locs.get, hsds.terms_by_id(dataset))

        def blame(service: Service) -> Callable[[str, str], DirectoryDataError]:
            return lambda f, p: DirectoryDataError(
                p, source=source, record=f"service {service.id!r}", field=f
            )

        derived = [_derive(s, look, blame(s)) for s in dataset.services]
        self._insert_services(list(enumerate(derived, start=1)))
        conn.execute("INSERT INTO directory_fts (directory_fts) VALUES ('optimize')")
        self._sync_spell()
        self._set_meta(version, source)

    def _insert_services(self, items: list[tuple[int, _Derived]]) -> None:
        conn = self.db.conn
        conn.executemany(
            "INSERT INTO directory_services (sid, id, organization_id, name, name_key, status,"
            " assured_date, is_crisis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sid,
                    d.service.id,
                    d.service.organization_id,
                    d.service.name,
                    hsds.name_key(d.service.name),
                    d.service.status,
                    d.service.assured_date.isoformat() if d.service.assured_date else None,
                    int(d.is_crisis),
                )
                for sid, d in items
            ],
        )
        conn.executemany(
            "INSERT INTO directory_service_docs (sid, summary, doc) VALUES (?, ?, ?)",
            [(sid, d.summary, _doc(d.service)) for sid, d in items],
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

    def _delete_derived(self, sids: Sequence[int]) -> None:
        """Everything about these services except their directory_services row."""
        conn = self.db.conn
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

    def _sync_spell(self) -> None:
        """Bring the typo tables in line with the words now in the index."""
        conn = self.db.conn
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

    # -- deltas ------------------------------------------------------------------------------

    def _apply_delta(self, delta: DirectoryDelta, source: str) -> None:
        conn = self.db.conn
        touched: dict[
            str, tuple[int, DeltaOp]
        ] = {}  # service id -> the op that made it need reindexing
        changed_services: dict[str, tuple[int, DeltaOp]] = {}
        removed_services: list[str] = []
        term_ops: list[tuple[int, DeltaOp]] = []
        location_ops: list[tuple[int, DeltaOp]] = []

        def place(i: int, op: DeltaOp) -> str:
            return f"ops[{i}] ({op.action} {op.kind} {op.id!r})"

        def users(sql: str, value: str, i: int, op: DeltaOp) -> None:
            for (sid,) in conn.execute(sql, (value,)):
                touched.setdefault(sid, (i, op))

        for i, op in enumerate(delta.ops):
            table, columns, values = self._record_row(op)
            exists = (
                conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (op.id,)).fetchone() is not None
            )
            if op.action == "add" and exists:
                raise DirectoryDataError(
                    f"a {op.kind} with this id already exists",
                    source=source,
                    record=place(i, op),
                    field="id",
                )
            if op.action != "add" and not exists:
                raise DirectoryDataError(
                    f"there is no {op.kind} with this id",
                    source=source,
                    record=place(i, op),
                    field="id",
                )
            if op.kind == "service":
                if op.action == "remove":
                    removed_services.append(op.id)
                else:
                    changed_services[op.id] = (i, op)
                continue
            if op.kind == "organization":
                users("SELECT id FROM directory_services WHERE organization_id = ?", op.id, i, op)
                location_ops.append((i, op))
            elif op.kind == "location":
                users(
                    "SELECT s.id FROM directory_service_locations sl JOIN directory_services s ON s.sid = sl.sid"
                    " WHERE sl.location_id = ?",
                    op.id,
                    i,
                    op,
                )
                location_ops.append((i, op))
            elif op.kind == "taxonomy_term":
                users(
                    "SELECT s.id FROM directory_service_terms t JOIN directory_services s ON s.sid = t.sid WHERE t.term_id = ?",
                    op.id,
                    i,
                    op,
                )
                term_ops.append((i, op))
            elif op.kind == "taxonomy":
                term_ops.append((i, op))
            if op.action == "remove":
                conn.execute(f"DELETE FROM {table} WHERE id = ?", (op.id,))
            else:
                marks = ", ".join("?" for _ in columns)
                updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
                conn.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {updates}",
                    values,
                )
        # services: removals, then (re)indexing of changed ones and of users of changed records
        for service_id in removed_services:
            (sid,) = conn.execute(
                "SELECT sid FROM directory_services WHERE id = ?", (service_id,)
            ).fetchone()
            self._delete_derived([sid])
            conn.execute("DELETE FROM directory_services WHERE sid = ?", (sid,))
            touched.pop(service_id, None)
        self._check_records(term_ops, location_ops, source, place)
        terms = self._terms()
        orgs: dict[str, Organization | None] = {}
        locs: dict[str, Location | None] = {}

        def org_of(oid: str) -> Organization | None:
            if oid not in orgs:
                orgs[oid] = self._organization(oid)
            return orgs[oid]

        def loc_of(lid: str) -> Location | None:
            if lid not in locs:
                locs[lid] = self._location(lid)
            return locs[lid]

        look = _Lookups(org_of, loc_of, terms)
        work: dict[str, tuple[Service, int, DeltaOp, bool]] = {}
        for service_id, (i, op) in touched.items():
            if service_id not in changed_services:
                rows = conn.execute(
                    "SELECT d.doc FROM directory_services s"
                    " JOIN directory_service_docs d ON d.sid = s.sid WHERE s.id = ?",
                    (service_id,),
                ).fetchall()
                work[service_id] = (
                    self._parse("service", rows[0][0], "directory_services", service_id),
                    i,
                    op,
                    False,
                )
        for service_id, (i, op) in changed_services.items():
            work[service_id] = (op.record, i, op, True)
        items: list[tuple[int, _Derived]] = []
        next_sid = conn.execute(
            "SELECT coalesce(max(sid), 0) + 1 FROM directory_services"
        ).fetchone()[0]
        for service_id, (service, i, op, own) in work.items():
            if own:
                record = place(i, op)
            else:
                record = f"{place(i, op)}, which service {service_id!r} still uses"

            def blame(f: str, p: str, record: str = record, own: bool = own) -> DirectoryDataError:
                return DirectoryDataError(p, source=source, record=record, field=f if own else None)

            derived = _derive(service, look, blame)
            row = conn.execute(
                "SELECT sid FROM directory_services WHERE id = ?", (service_id,)
            ).fetchone()
            if row is None:
                sid, next_sid = next_sid, next_sid + 1
            else:
                sid = row[0]
                self._delete_derived([sid])
                conn.execute("DELETE FROM directory_services WHERE sid = ?", (sid,))
            items.append((sid, derived))
        self._insert_services(items)
        self._sync_spell()
        self._set_meta(delta.version, source)

    def _check_records(
        self,
        term_ops: list[tuple[int, DeltaOp]],
        location_ops: list[tuple[int, DeltaOp]],
        source: str,
        place: Callable[[int, DeltaOp], str],
    ) -> None:
        """References between non-service records after the delta: term parents
        and taxonomies, location organizations (services are checked when indexed).
        ``location_ops`` holds the location and organization operations."""
        conn = self.db.conn
        for i, op in term_ops:
            if op.kind == "taxonomy" and op.action == "remove":
                row = conn.execute(
                    "SELECT id FROM directory_terms WHERE taxonomy_id = ? LIMIT 1", (op.id,)
                ).fetchone()
                if row:
                    raise DirectoryDataError(
                        f"term {row[0]!r} still belongs to this taxonomy",
                        source=source,
                        record=place(i, op),
                    )
            elif op.kind == "taxonomy_term" and op.action == "remove":
                row = conn.execute(
                    "SELECT id FROM directory_terms WHERE parent_id = ? LIMIT 1", (op.id,)
                ).fetchone()
                if row:
                    raise DirectoryDataError(
                        f"term {row[0]!r} still has this term as its parent",
                        source=source,
                        record=place(i, op),
                    )
            elif op.kind == "taxonomy_term":
                term: TaxonomyTerm = op.record
                if (
                    term.parent_id is not None
                    and not conn.execute(
                        "SELECT 1 FROM directory_terms WHERE id = ?", (term.parent_id,)
                    ).fetchone()
                ):
                    raise DirectoryDataError(
                        f"unknown parent term {term.parent_id!r}",
                        source=source,
                        record=place(i, op),
                        field="parent_id",
                    )
                if (
                    term.taxonomy_id is not None
                    and not conn.execute(
                        "SELECT 1 FROM directory_taxonomies WHERE id = ?", (term.taxonomy_id,)
                    ).fetchone()
                ):
                    raise DirectoryDataError(
                        f"unknown taxonomy {term.taxonomy_id!r}",
                        source=source,
                        record=place(i, op),
                        field="taxonomy_id",
                    )
                seen, parent = {term.id}, term.parent_id
                while parent is not None:
                    if parent in seen:
                        raise DirectoryDataError(
                            "the term is its own ancestor",
                            source=source,
                            record=place(i, op),
                            field="parent_id",
                        )
                    seen.add(parent)
                    found = conn.execute(
                        "SELECT parent_id FROM directory_terms WHERE id = ?", (parent,)
                    ).fetchone()
                    parent = found[0] if found else None
        for i, op in location_ops:
            if op.kind == "organization":
                if op.action == "remove":
                    row = conn.execute(
                        "SELECT id FROM directory_locations WHERE organization_id = ? LIMIT 1",
                        (op.id,),
                    ).fetchone()
                    if row:
                        raise DirectoryDataError(
                            f"location {row[0]!r} still belongs to this organization",
                            source=source,
                            record=place(i, op),
                        )
            elif op.action != "remove":
                loc: Location = op.record
                if (
                    loc.organization_id is not None
                    and not conn.execute(
                        "SELECT 1 FROM directory_organizations WHERE id = ?", (loc.organization_id,)
                    ).fetchone()
                ):
                    raise DirectoryDataError(
                        f"there is no organization with id {loc.organization_id!r}",
                        source=source,
                        record=place(i, op),
                        field="organization_id",
                    )

    def _record_row(self, op: DeltaOp) -> tuple[str, tuple[str, ...], tuple[Any, ...]]:
        """The table of a non-service record and the row to store for it."""
        r = op.record
        if op.kind == "service":
            return "directory_services", (), ()
        if op.kind == "organization":
            return (
                "directory_organizations",
                ("id", "name", "doc"),
                (op.id, r.name, _doc(r)) if r else (),
            )
        if op.kind == "location":
            return (
                "directory_locations",
                ("id", "organization_id", "latitude", "longitude", "doc"),
                (op.id, r.organization_id, r.latitude, r.longitude, _doc(r)) if r else (),
            )
        if op.kind == "taxonomy":
            return "directory_taxonomies", ("id", "doc"), (op.id, _doc(r)) if r else ()
        if op.kind == "taxonomy_term":
            return (
                "directory_terms",
                ("id", "code", "name", "parent_id", "taxonomy_id", "doc"),
                (op.id, r.code, r.name, r.parent_id, r.taxonomy_id, _doc(r)) if r else (),
            )
        return (
            "directory_towns",
            ("id", "name", "name_key", "county", "doc", "latitude", "longitude"),
            (op.id, r.name, hsds.name_key(r.name), r.county, _doc(r), r.latitude, r.longitude)
            if r
            else (),
        )


__all__ = ["DirectoryStore", "deletions", "osa_distance"]
