"""Searching the directory: the filters as SQL, ranking, typo tolerance.

Search (:meth:`Searcher.search`):

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
   in windows (see :meth:`Searcher._fts_tier`).
3. When nothing matches and the query is short (up to :data:`TYPO_MAX_WORDS`
   words), each word of 3+ characters that is not an indexed word is widened to
   indexed words within edit distance 1 (2 for words of 5+ characters), found
   through ``directory_spell`` (every indexed word with one character deleted:
   a typo is then one or two index look-ups, not a scan of the vocabulary). The
   result says which words were searched instead.

Filters: category, county and language are set filters: listed once per query
(``IN``) when they leave few enough services, else checked per row (``EXISTS``);
"open now" is a per-row check of the opening-hours table (the rows are the
domain's :func:`~peerdesk.domain.directory.open_intervals`, the condition is
:meth:`~peerdesk.domain.directory.OpenInterval.covers` in SQL). Distance: services
with a location in the bounding box around the town (an index range), then the
exact haversine distance (a SQL function registered on the connection), once
per search. With a set filter, only the services passing it are ranked.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from peerdesk.domain.directory import (
    LISTED_STATUSES,
    SERVICE_STATUSES,
    SearchFilters,
    SearchResults,
    ServiceSummary,
    Town,
    county_key,
    fold,
    miles_between,
    minute_of_week,
    name_key,
    words,
)
from peerdesk.errors import CorruptData, Msg
from peerdesk.store.directory.records import DirectoryRecords
from peerdesk.store.directory.spelling import deletions, osa_distance

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
TYPO_MAX_WORDS = 4
TYPO_MIN_LENGTH = 3
TYPO_CANDIDATES = 3
#: bm25 weights of name, alternate_name, organization, categories, description, places
BM25 = "bm25(directory_fts, 10.0, 6.0, 3.0, 3.0, 1.0, 1.0)"
MILES_PER_DEGREE = 69.0

_LISTED = "(" + ", ".join(f"'{s}'" for s in LISTED_STATUSES) + ")"
#: the other statuses, spelled out so the status index can find them
_HIDDEN = "(" + ", ".join(f"'{s}'" for s in SERVICE_STATUSES if s not in LISTED_STATUSES) + ")"
#: the first window of matches an FTS tier ranks (see Searcher._fts_tier)
RANK_WINDOW = 2_000
#: a set filter with at most this many services is listed once per query
IN_LIST_MAX = 20_000
#: rank a tier exactly when the set filters leave at most this many services
RANK_EXACT_MAX = 8_000


def sql_miles(
    lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None
) -> float | None:
    """:func:`~peerdesk.domain.directory.miles_between` for SQL (``pd_miles``):
    None when a position is missing."""
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None
    return miles_between(lat1, lon1, lat2, lon2)


def _fts_word(word: str) -> str:
    return f'"{word}"'  # words are letters and digits only: safe to quote


@dataclass(slots=True)
class Plan:
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


class Searcher:
    """Search, crisis lines and typo candidates over the derived tables."""

    def __init__(self, records: DirectoryRecords) -> None:
        self.records = records

    def crisis_lines(self) -> list[ServiceSummary]:
        """Crisis resources (988, local crisis lines ...), for pinning at the top."""
        rows = self.records.rows(
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
        typed = words(text)
        key = " ".join(typed)
        searchable = [w for w in typed if len(w) >= 2]
        corrections: tuple[tuple[str, tuple[str, ...]], ...] = ()
        if not typed:
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

    def _plan(self, filters: SearchFilters) -> Plan:
        plan = Plan()
        hidden = self.records.rows(
            f"SELECT 1 FROM directory_services WHERE status IN {_HIDDEN} LIMIT 1"
        )
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
            plan.params["county"] = county_key(filters.county)
            self._set_filter(
                plan,
                "SELECT sid FROM directory_service_areas WHERE county_key = :county",
                "EXISTS (SELECT 1 FROM directory_service_areas a"
                " WHERE a.county_key = :county AND a.sid = {col})",
            )
        if filters.language:
            plan.params["lang"] = name_key(filters.language)
            self._set_filter(
                plan,
                "SELECT sid FROM directory_service_languages WHERE lang_key = :lang",
                "EXISTS (SELECT 1 FROM directory_service_languages l"
                " WHERE l.lang_key = :lang AND l.sid = {col})",
            )
        if filters.town:
            plan.town = self.records.town(filters.town)
            if plan.town is None:
                plan.empty = True
                return plan
            if filters.within_miles is not None:
                self._near(plan, plan.town, max(0.0, float(filters.within_miles)))
        if filters.open_at is not None:
            # OpenInterval.covers(minute, day) over the service's stored intervals
            plan.params["minute"] = minute_of_week(filters.open_at)
            plan.params["day"] = filters.open_at.date().isoformat()
            plan.both(
                "EXISTS (SELECT 1 FROM directory_hours h WHERE h.sid = {col}"
                " AND h.start_min <= :minute AND h.end_min > :minute"
                " AND (h.valid_from IS NULL OR h.valid_from <= :day)"
                " AND (h.valid_to IS NULL OR h.valid_to >= :day))",
                late=True,
            )
        return plan

    def _set_filter(self, plan: Plan, members: str, exists: str) -> None:
        """A set filter as ``IN (members)`` when the set is small enough to list
        once per query, else as a per-row ``EXISTS`` look-up."""
        counted = f"SELECT count(*) FROM ({members} LIMIT {IN_LIST_MAX + 1})"
        size = self.records.rows(counted, plan.params)[0][0]
        if size <= IN_LIST_MAX:
            plan.both(f"{{col}} IN ({members})")
            plan.limit_to(size)
        else:
            plan.both(exists, late=True)

    def _near(self, plan: Plan, town: Town, miles: float) -> None:
        """Services with a location within ``miles`` of ``town``: locations in the
        bounding box (an index range), then the exact distance; computed once per
        search and handed to each query as a JSON list."""
        dlat = miles / MILES_PER_DEGREE
        dlon = miles / (MILES_PER_DEGREE * max(0.01, math.cos(math.radians(town.latitude))))
        rows = self.records.rows(
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
            Msg("search the directory"),
        )
        plan.near = {sid: d for sid, d in rows if d is not None and d <= miles}
        plan.params["near"] = json.dumps(sorted(plan.near))
        plan.both("{col} IN (SELECT value FROM json_each(:near))")
        plan.limit_to(len(plan.near))

    def _resolve_categories(self, selectors: Iterable[str]) -> list[str]:
        wanted = list(selectors)
        marks = ", ".join("?" for _ in wanted)
        rows = self.records.rows(
            f"SELECT id FROM directory_terms WHERE id IN ({marks}) OR code IN ({marks})",
            [*wanted, *wanted],
        )
        return sorted({row[0] for row in rows})

    def _sids(self, sql: str, params: Mapping[str, Any]) -> list[int]:
        return [row[0] for row in self.records.rows(sql, params, Msg("search the directory"))]

    def _browse(self, plan: Plan, need: int) -> list[int]:
        """No text: by name, or by distance when a radius is asked for."""
        if plan.near is not None:
            rows = self.records.rows(
                f"SELECT s.sid, s.name_key FROM directory_services s WHERE {plan.where_s()}",
                plan.params,
                Msg("search the directory"),
            )
            near = plan.near
            rows.sort(key=lambda row: (near[row[0]], row[1]))
            return [row[0] for row in rows[:need]]
        return self._sids(
            f"SELECT s.sid FROM directory_services s WHERE {plan.where_s()}"
            " ORDER BY s.name_key LIMIT :need",
            {**plan.params, "need": need},
        )

    def _name_starts(self, key: str, plan: Plan, need: int) -> list[int]:
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

    def _ranked(self, expr: str, key: str | None, plan: Plan, need: int) -> list[int]:
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

    def _fts_tier(self, match: str, plan: Plan, need: int) -> list[int]:
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
            bound = self.records.rows(
                "SELECT f.rowid FROM directory_fts f WHERE directory_fts MATCH :match"
                " AND f.rowid > :low LIMIT 1 OFFSET :skip",
                {"match": match, "low": params["low"], "skip": window - 1},
                Msg("search the directory"),
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
            for row in self.records.rows(
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
        return bool(self.records.rows("SELECT 1 FROM directory_words WHERE word = ?", (word,)))

    def typo_candidates(self, word: str, limit: int = TYPO_CANDIDATES) -> list[str]:
        """Indexed words near ``word`` (edit distance 1, or 2 for 5+ characters),
        closest and most common first."""
        word = fold(word)
        max_distance = 1 if len(word) < 5 else 2
        dels = sorted(deletions(word))
        keys = [word, *dels]
        marks_keys = ", ".join("?" for _ in keys)
        marks_dels = ", ".join("?" for _ in dels)
        rows = self.records.rows(
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
            self.records.rows(
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
        rows = self.records.rows(
            "SELECT sid, min(pd_miles(?, ?, latitude, longitude)) FROM directory_service_locations"
            f" WHERE sid IN ({marks}) AND latitude IS NOT NULL GROUP BY sid",
            [town.latitude, town.longitude, *sids],
        )
        return {sid: d for sid, d in rows if d is not None}
