"""Importing HSDS 3 as an administrator's file comes: any shape the
specification publishes (:mod:`.shapes`, :mod:`.csv_package`), every field kept,
and each problem reported with its place while the rest is imported.

* :func:`import_path` reads a JSON file or a CSV folder, :func:`import_json`
  and :func:`import_csv` their contents; each returns an :class:`Imported`: the
  dataset, its shape, whether it is a whole directory (``complete``) or records
  to add to one, and the :class:`Problem` list.
* A record with a problem (a missing name, a wrong type, a duplicate id with
  other contents) is left out, never the file; a link to a record that is not
  there is kept as data (``_unresolved``, given back by the export) and not
  followed, or, where PeerDesk cannot do without it (a service at a location
  that does not exist, a category that does not exist), the link is left out.
* :func:`repair` makes those link checks on a dataset (after :func:`merge`
  when records are added to a published directory).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from peerdesk.domain.directory.model import Dataset
from peerdesk.domain.directory.rules import is_own_ancestor, terms_by_id
from peerdesk.domain.directory.validation import Place, Places, check_references
from peerdesk.errors import DirectoryDataError, Msg
from peerdesk.interop.hsds.csv_package import CSV_FILES, read_csv_package
from peerdesk.interop.hsds.export import dump_csv_package, formula_cells
from peerdesk.interop.hsds.json_format import _JsonParser, decode_json, no_gc
from peerdesk.interop.hsds.reader import MAX_FILE_BYTES
from peerdesk.interop.hsds.shapes import COMPLETE_SHAPES, shape_json

UNRESOLVED = "_unresolved"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of an import: the file, the record (``row 7``,
    ``services[3] (id 'x')``), the line when known, the field and the reason;
    ``kept`` when the record was imported anyway (a link left unfollowed)."""

    source: str
    record: str | None
    field: str | None
    reason: str
    line: int | None = None
    kept: bool = False
    #: a problem of a whole file (not UTF-8, a column missing, not CSV): the file
    #: was left out, or read only up to the problem
    whole_file: bool = False

    def __str__(self) -> str:
        where = [self.source]
        if self.record and not (self.line is not None and self.record.startswith("row ")):
            where.append(self.record)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field {self.field!r}")
        note = " (kept)" if self.kept else " (file not read)" if self.whole_file else " (skipped)"
        return f"{', '.join(where)}: {self.reason}{note}"


@dataclass(frozen=True, slots=True)
class Imported:
    dataset: Dataset
    shape: str
    #: a whole directory (a dataset, the CSV package): it replaces the published one;
    #: otherwise (a record, a list, an API page) its records are added to it
    complete: bool
    problems: tuple[Problem, ...]
    #: where each record was read, for :func:`repair` after a merge
    places: Mapping[tuple[str, str], tuple[Place, str]]
    source: str
    #: the records before their links were checked (what :func:`combine` merges)
    raw: Dataset

    def combine(self, base: Dataset | None) -> tuple[Dataset, tuple[Problem, ...]]:
        """``base`` with this import's records added or put in place (itself when
        there is no ``base``); with the problems, links checked against the
        result. Whether a ``complete`` import replaces instead is the caller's
        choice (``directory import --add`` adds even a whole package)."""
        if base is None:
            return self.dataset, self.problems
        dataset, notes = repair(merge(base, self.raw), self.places, source=self.source)
        own = [p for p in self.problems if not _is_link_note(p)]
        return dataset, _unique([*own, *notes])

    @property
    def skipped(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.kept)

    @property
    def unread_files(self) -> tuple[Problem, ...]:
        """The problems of whole files that were not read (or not to the end)."""
        return tuple(p for p in self.problems if p.whole_file)


_LINK_REASONS = ("there is no organization", "there is no location", "unknown taxonomy",
                 "unknown parent term", "the term is its own ancestor")  # fmt: skip


def _is_link_note(problem: Problem) -> bool:
    return problem.reason.startswith(_LINK_REASONS)


def _problem(
    exc: DirectoryDataError, lines: Mapping[tuple[str, str], int] | None = None, kept: bool = False
) -> Problem:
    line = lines.get((exc.source, exc.record or "")) if lines else None
    return Problem(exc.source, exc.record, exc.field, exc.problem, line, kept)


def _unique(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(dict.fromkeys(problems))


def import_json(data: bytes | str, *, source: str = "directory.json") -> Imported:
    """Import an HSDS JSON file of any shape (see :mod:`.shapes`). A file that is
    not JSON at all raises :class:`DirectoryDataError`."""
    with no_gc():
        return _import_json(data, source)


def _import_json(data: bytes | str, source: str) -> Imported:
    obj = decode_json(data, source=source)
    shaped = shape_json(obj, source=source)
    if shaped.shape == "tabular":
        files = {k: v for k, v in shaped.doc.items() if isinstance(v, list)}
        bad = [k for k, v in shaped.doc.items() if not isinstance(v, list)]
        imported = import_csv(files, source=source, shape="tabular")
        extra = [Problem(source, k, None, "must be a list of rows", whole_file=True) for k in bad]
        return replace(imported, problems=_unique([*extra, *imported.problems]))
    problems: list[DirectoryDataError] = list(shaped.problems)
    if shaped.shape == "unknown":
        raise problems[0]
    parser = _JsonParser(source, problems=problems)
    dataset = parser.parse(shaped.doc)
    repaired, notes = repair(dataset, parser.places, source=source)
    merged = [_problem(e, kept=True) for e in shaped.notes]
    found = _unique([*(_problem(e) for e in problems), *merged, *notes])
    return Imported(
        repaired,
        shaped.shape,
        shaped.shape in COMPLETE_SHAPES,
        _json_lines(found, data),
        parser.places,
        source,
        dataset,
    )


_RECORD_ID = re.compile(r"\(id ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\)$")


_ID_KEY = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _json_lines(problems: tuple[Problem, ...], data: bytes | str) -> tuple[Problem, ...]:
    """The line of each problem's record in the JSON text, where the record has an
    id: the line of its first ``"id": "..."`` (the JSON reader keeps no positions,
    so the text is scanned once, only when there are problems)."""
    wanted: dict[str, int | None] = {}
    for p in problems:
        found = _RECORD_ID.search(p.record or "")
        if found is not None and p.line is None:
            try:
                rid = ast.literal_eval(found.group(1))
            except (ValueError, SyntaxError):
                continue
            if isinstance(rid, str):
                wanted[rid] = None
    if not wanted:
        return problems
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    line, at = 1, 0
    for match in _ID_KEY.finditer(text):
        try:
            rid = json.loads(f'"{match.group(1)}"')
        except ValueError:
            continue
        if rid in wanted and wanted[rid] is None:
            line += text.count("\n", at, match.start())
            at = match.start()
            wanted[rid] = line
    out = []
    for p in problems:
        found = _RECORD_ID.search(p.record or "")
        if found is not None and p.line is None:
            try:
                rid = ast.literal_eval(found.group(1))
            except (ValueError, SyntaxError):
                rid = None
            if isinstance(rid, str) and wanted.get(rid) is not None:
                p = replace(p, line=wanted[rid])
        out.append(p)
    return tuple(out)


def import_csv(
    files: Mapping[str, Any], *, source: str = "CSV package", shape: str = "csv"
) -> Imported:
    """Import an HSDS CSV package (file name -> content)."""
    with no_gc():
        return _import_csv(files, source, shape)


def _import_csv(files: Mapping[str, Any], source: str, shape: str) -> Imported:
    package = read_csv_package(files)
    if package.empty:
        raise DirectoryDataError(
            Msg("no HSDS CSV files found (expected services.csv, organizations.csv ...)"),
            source=source,
        )
    problems = list(package.problems)
    parser = _JsonParser(source, problems=problems, origins=package.origins)
    dataset = parser.parse(package.doc)
    repaired, notes = repair(dataset, parser.places, source=source)
    unread = {id(e) for e in package.unread}
    found = [
        *(replace(_problem(e, package.lines), whole_file=id(e) in unread) for e in problems),
        *(_problem(e, package.lines, kept=True) for e in package.kept),
        *(replace(n, line=package.lines.get((n.source, n.record or ""))) for n in notes),
    ]
    return Imported(repaired, shape, True, _unique(found), parser.places, source, dataset)


def formula_problems(dataset: Dataset, *, source: str) -> tuple[Problem, ...]:
    """A kept problem for each value that a spreadsheet opening the CSV export
    would run as a formula (``=HYPERLINK(...)``); the data stays as it is."""
    return tuple(
        Problem(
            source,
            f"{name.removesuffix('.csv')} (id {rid!r})",
            column,
            f"starts with {cell.lstrip()[:1]!r}: a spreadsheet opening the CSV export "
            "would run it as a formula",
            kept=True,
        )
        for name, rid, column, cell in formula_cells(dump_csv_package(dataset))
    )


def import_path(path: Path) -> Imported:
    """Import an HSDS JSON file, or a folder holding a CSV package."""
    if path.is_dir():
        files: dict[str, bytes] = {}
        for name in (*CSV_FILES, "datapackage.json"):
            candidate = path / name
            if candidate.is_file():
                files[name] = read_bounded(candidate)
        return import_csv(files, source=path.name)
    return import_json(read_bounded(path), source=path.name)


def read_bounded(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DirectoryDataError(
                Msg("is larger than {limit} bytes", limit=MAX_FILE_BYTES), source=path.name
            )
        return path.read_bytes()
    except OSError as exc:
        raise DirectoryDataError(
            Msg("cannot be read: {strerror}", strerror=exc.strerror), source=str(path)
        ) from None


# --- links ---------------------------------------------------------------------------------


def _unresolve(record: Any, field: str) -> Any:
    """``record`` without the link ``field``, its value kept under ``_unresolved``."""
    extra = json.loads(record.extra) if record.extra else {}
    extra.setdefault(UNRESOLVED, {})[field] = getattr(record, field)
    text = json.dumps(extra, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return replace(record, **{field: None, "extra": text})


def repair(
    dataset: Dataset, places: Places | None = None, *, source: str = "dataset"
) -> tuple[Dataset, list[Problem]]:
    """The dataset with every link followed or set aside, and what was done:
    an organization, parent term or taxonomy that is not there is kept as data
    (``kept``); a service's location or category that is not there is left out."""
    where = places or {}
    notes: list[Problem] = []

    def note(table: str, rid: str, field: str, reason: str, kept: bool) -> None:
        place, prefix = where.get((table, rid), (Place(source, f"{table} {rid!r}"), ""))
        notes.append(Problem(place.source, place.record, prefix + field, reason, None, kept))

    org_ids = {o.id for o in dataset.organizations}
    loc_ids = {loc.id for loc in dataset.locations}
    term_ids = {t.id for t in dataset.taxonomy_terms}
    tax_ids = {t.id for t in dataset.taxonomies}
    services = []
    for s in dataset.services:
        if s.organization_id is not None and s.organization_id not in org_ids:
            note("service", s.id, "organization_id",
                 f"there is no organization with id {s.organization_id!r}; the link is kept "
                 "as data", True)  # fmt: skip
            s = _unresolve(s, "organization_id")
        sals = []
        for sal in s.service_at_locations:
            if sal.location_id in loc_ids:
                sals.append(sal)
            else:
                note("service_at_location", sal.id, "location_id",
                     f"there is no location with id {sal.location_id!r}", False)  # fmt: skip
        attributes = []
        for a in s.attributes:
            if a.taxonomy_term_id in term_ids:
                attributes.append(a)
            else:
                note("attribute", a.id, "taxonomy_term_id",
                     f"unknown taxonomy term {a.taxonomy_term_id!r}", False)  # fmt: skip
        if len(sals) != len(s.service_at_locations) or len(attributes) != len(s.attributes):
            s = replace(s, service_at_locations=tuple(sals), attributes=tuple(attributes))
        services.append(s)
    locations = []
    for loc in dataset.locations:
        if loc.organization_id is not None and loc.organization_id not in org_ids:
            note("location", loc.id, "organization_id",
                 f"there is no organization with id {loc.organization_id!r}; the link is kept "
                 "as data", True)  # fmt: skip
            loc = _unresolve(loc, "organization_id")
        locations.append(loc)
    terms = []
    for t in dataset.taxonomy_terms:
        if t.parent_id is not None and t.parent_id not in term_ids:
            note("taxonomy_term", t.id, "parent_id",
                 f"unknown parent term {t.parent_id!r}; the link is kept as data", True)  # fmt: skip
            t = _unresolve(t, "parent_id")
        if t.taxonomy_id is not None and t.taxonomy_id not in tax_ids:
            note("taxonomy_term", t.id, "taxonomy_id",
                 f"unknown taxonomy {t.taxonomy_id!r}; the link is kept as data", True)  # fmt: skip
            t = _unresolve(t, "taxonomy_id")
        terms.append(t)
    out = replace(
        dataset,
        services=tuple(services),
        locations=tuple(locations),
        taxonomy_terms=tuple(terms),
    )
    while True:  # a cycle of parent terms: cut it at its first term
        lookup = terms_by_id(out)
        cyclic = next((t for t in out.taxonomy_terms if is_own_ancestor(t, lookup)), None)
        if cyclic is None:
            break
        note("taxonomy_term", cyclic.id, "parent_id",
             "the term is its own ancestor; the link is kept as data", True)  # fmt: skip
        out = replace(
            out,
            taxonomy_terms=tuple(
                _unresolve(t, "parent_id") if t.id == cyclic.id else t for t in out.taxonomy_terms
            ),
        )
    check_references(out, where, source=source)
    return out, notes


def merge(base: Dataset, part: Dataset) -> Dataset:
    """``base`` with the records of ``part`` added or put in place (by table and
    id); nothing of ``base`` is removed."""

    def table(name: str) -> tuple[Any, ...]:
        records = {r.id: r for r in getattr(base, name)}
        for r in getattr(part, name):
            records[r.id] = r
        return tuple(records.values())

    return replace(
        base,
        organizations=table("organizations"),
        services=table("services"),
        locations=table("locations"),
        taxonomies=table("taxonomies"),
        taxonomy_terms=table("taxonomy_terms"),
        towns=table("towns"),
    )
