"""The HSDS CSV package: a folder of one file per table, read
(:func:`read_csv_package`, :func:`parse_csv_package`) and written
(:func:`dump_csv_package`).

The files are named as HSDS 3 names them (``organizations.csv``,
``services.csv``, ``locations.csv``, ``service_at_location.csv``,
``phones.csv``, ``contacts.csv`` ... all 21 tables of
:mod:`peerdesk.interop.hsds.hsds3`) plus ``peerdesk_towns.csv``; the singular
names of earlier PeerDesk versions and the HSDS 2 names
(``physical_addresses.csv`` ...) are read too. Children link to parents by id
columns (``service_id``, ``location_id``, ``contact_id`` ...; ``link_id`` +
``link_entity`` for attributes, ``resource_id`` + ``resource_type`` for
metadata). A row that names several parents (HSDS 3 allows it) belongs to each.

Reading turns the package into the nested HSDS JSON of a dataset (each row an
object nested in its parents, the objects remembering their row) and reads that
with :mod:`.json_format`, so both forms keep the same fields. A row is counted
like a spreadsheet row in errors: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from peerdesk.domain.directory.model import Dataset
from peerdesk.domain.directory.validation import Place
from peerdesk.errors import DirectoryDataError, Msg
from peerdesk.interop.hsds.hsds3 import BY_FILE, ENTITIES
from peerdesk.interop.hsds.json_format import _JsonParser
from peerdesk.interop.hsds.reader import MAX_FILE_BYTES, MAX_ID, MAX_RECORDS

#: a file name earlier PeerDesk versions or HSDS 2 used -> the HSDS 3 file
ALIASES: dict[str, str] = {
    "organization.csv": "organizations.csv",
    "service.csv": "services.csv",
    "location.csv": "locations.csv",
    "services_at_location.csv": "service_at_location.csv",
    "service_at_locations.csv": "service_at_location.csv",
    "phone.csv": "phones.csv",
    "schedule.csv": "schedules.csv",
    "service_area.csv": "service_areas.csv",
    "language.csv": "languages.csv",
    "accessibility_for_disabilities.csv": "accessibility.csv",
    "address.csv": "addresses.csv",
    "physical_addresses.csv": "addresses.csv",
    "taxonomy.csv": "taxonomies.csv",
    "taxonomy_term.csv": "taxonomy_terms.csv",
    "attribute.csv": "attributes.csv",
    "contact.csv": "contacts.csv",
    "cost_option.csv": "cost_options.csv",
    "program.csv": "programs.csv",
    "required_document.csv": "required_documents.csv",
    "organization_identifier.csv": "organization_identifiers.csv",
    "meta_table_description.csv": "meta_table_descriptions.csv",
    "peerdesk_town.csv": "peerdesk_towns.csv",
}
TOWNS_FILE = "peerdesk_towns.csv"
TOWN_COLUMNS = ("id", "name", "county", "state", "latitude", "longitude")
#: every file name read (HSDS 3 names first)
CSV_FILES: tuple[str, ...] = (*BY_FILE, TOWNS_FILE, *ALIASES)
#: the entities that are tables of the dataset document (the others nest in them)
TOP: dict[str, str] = {
    "organization": "organizations",
    "service": "services",
    "location": "locations",
    "taxonomy": "taxonomies",
    "taxonomy_term": "taxonomy_terms",
    "meta_table_description": "meta_table_descriptions",
    "town": "towns",
}
#: columns a file must have when it is present (what PeerDesk needs to read it)
CSV_REQUIRED: dict[str, tuple[str, ...]] = {
    "organizations.csv": ("id", "name"),
    "services.csv": ("id", "name"),
    "service_at_location.csv": ("id", "service_id", "location_id"),
    "phones.csv": ("id", "number"),
    "taxonomies.csv": ("id", "name"),
    "taxonomy_terms.csv": ("id", "name"),
    TOWNS_FILE: ("id", "name", "county", "latitude", "longitude"),
}
#: the dataset's key for rows of tables PeerDesk does not model that link to nothing
UNLINKED = "unlinked"
#: the nested records PeerDesk models (a row of one that links to nothing is left out)
MODELLED = frozenset(
    {"phone", "language", "schedule", "service_area", "service_at_location", "address",
     "accessibility"}
)  # fmt: skip
#: HSDS nests these under the parent, but they are tables of their own here
_NOT_NESTED = {("organization", "locations"), ("organization", "services")}


def _links() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """child entity -> its (id column, parent entity, key in the parent) links,
    from the schema: a parent's nested list whose entity has a ``<parent>_id``."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for parent in ENTITIES.values():
        for key, (child, many) in parent.children.items():
            column = f"{parent.name}_id"
            if many and (parent.name, key) not in _NOT_NESTED:
                if column in ENTITIES[child].columns:
                    out.setdefault(child, []).append((column, parent.name, key))
    # the most specific parent first (a contact's phone before its service's)
    order = ("contact", "phone", "service_at_location", "service", "location", "organization")
    return {
        c: tuple(sorted(links, key=lambda link: order.index(link[1]) if link[1] in order else 9))
        for c, links in out.items()
    }


LINKS = _links()
#: entities that name their parent by id and entity name
_GENERIC = {"attribute": ("link_id", "link_entity"), "metadata": ("resource_id", "resource_type")}


@dataclass
class CsvPackage:
    """A package read into the nested JSON document of a dataset, with where each
    object was read and the problems met (rows left out)."""

    doc: dict[str, Any] = field(default_factory=dict)
    origins: dict[int, Place] = field(default_factory=dict)
    #: (file, row) -> the line the row starts on
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    problems: list[DirectoryDataError] = field(default_factory=list)
    #: problems for which the row was kept (a link to a parent that is missing)
    kept: list[DirectoryDataError] = field(default_factory=list)
    #: the problems of a whole file that was left out, or whose rows were read only
    #: up to the problem (also in ``problems``)
    unread: list[DirectoryDataError] = field(default_factory=list)
    #: the package held no file PeerDesk knows
    empty: bool = False


def _decode(name: str, data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DirectoryDataError(
            Msg("is not UTF-8 text (byte {start})", start=exc.start), source=name
        ) from None


class _Rows:
    """Reads the rows of one file into objects (the empty cells left out)."""

    def __init__(self, package: CsvPackage) -> None:
        self.package = package

    def read(self, name: str, text: str | list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        if isinstance(text, list):  # the tabular JSON form: rows already objects
            for i, row in enumerate(text):
                place = Place(name, f"{name}[{i}]")
                if not isinstance(row, dict):
                    self.package.problems.append(place.error("", Msg("must be an object")))
                    continue
                obj = {k: v for k, v in row.items() if v is not None and v != ""}
                self.package.origins[id(obj)] = place
                yield obj
            return
        if text.startswith("\ufeff"):
            text = text[1:]
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader, None)
            if header is None:
                return
            header = [h.strip() for h in header]
            if len(set(header)) != len(header):
                dup = next(h for h in header if header.count(h) > 1)
                raise DirectoryDataError(
                    Msg("the column {dup} appears twice", dup=repr(dup)),
                    source=name,
                    record="row 1",
                )
            for column in CSV_REQUIRED.get(ALIASES.get(name, name), ("id",)):
                if column not in header:
                    raise DirectoryDataError(
                        Msg("the column {column} is missing", column=repr(column)),
                        source=name,
                        record="row 1",
                        field=column,
                    )
            row_number, line = 1, reader.line_num + 1
            for values in reader:
                row_number += 1
                record = f"row {row_number}"
                self.package.lines[(name, record)] = line
                line = reader.line_num + 1
                if row_number - 1 > MAX_RECORDS:
                    raise DirectoryDataError(
                        Msg("has more than {limit} rows", limit=MAX_RECORDS), source=name
                    )
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    self.package.problems.append(
                        DirectoryDataError(
                            Msg(
                                "has {values} values for {columns} columns",
                                values=len(values),
                                columns=len(header),
                            ),
                            source=name,
                            record=record,
                        )
                    )
                    continue
                obj = {h: v for h, v in zip(header, values, strict=True) if v.strip()}
                self.package.origins[id(obj)] = Place(name, record)
                yield obj
        except csv.Error as exc:
            raise DirectoryDataError(
                Msg("is not a readable CSV file: {problem}", problem=str(exc)),
                source=name,
                record=f"row {reader.line_num}",
            ) from None


def read_csv_package(files: Mapping[str, str | bytes | list[dict[str, Any]]]) -> CsvPackage:
    """Read an HSDS CSV package given as file name -> content (or, for the
    tabular JSON form, file name -> rows). A problem with a row leaves the row
    out and is noted; a problem with a whole file (not UTF-8, a missing column,
    not CSV) leaves the file out and is noted."""
    package = CsvPackage()
    by_file: dict[str, tuple[str, str | list[dict[str, Any]]]] = {}
    for name, data in files.items():
        canonical = ALIASES.get(name, name)
        if canonical not in BY_FILE and canonical != TOWNS_FILE:
            continue
        try:
            if canonical in by_file:
                raise DirectoryDataError(
                    Msg(
                        "both {first} and {second} are present",
                        first=by_file[canonical][0],
                        second=name,
                    ),
                    source=name,
                )
            if len(data) > MAX_FILE_BYTES:
                raise DirectoryDataError(
                    Msg("is larger than {limit} bytes", limit=MAX_FILE_BYTES), source=name
                )
            by_file[canonical] = (name, data if isinstance(data, list) else _decode(name, data))
        except DirectoryDataError as exc:
            package.problems.append(exc)
            package.unread.append(exc)
    if not by_file and not package.problems:
        package.empty = True
        return package
    rows = _Rows(package)
    #: entity -> id -> the object
    index: dict[str, dict[str, dict[str, Any]]] = {}
    #: entity -> objects in file order
    tables: dict[str, list[dict[str, Any]]] = {}
    ordered = sorted(by_file, key=lambda f: list(BY_FILE).index(f) if f in BY_FILE else 99)
    for canonical in ordered:
        name, text = by_file[canonical]
        entity = BY_FILE[canonical].name if canonical in BY_FILE else "town"
        seen = index.setdefault(entity, {})
        out = tables.setdefault(entity, [])
        try:
            for obj in rows.read(name, text):
                place = package.origins[id(obj)]
                rid = obj.get("id")
                if not isinstance(rid, str) or not rid.strip():
                    package.problems.append(place.error("id", Msg("is required")))
                    continue
                rid = rid.strip()
                if len(rid) <= MAX_ID and rid in seen:
                    earlier = package.origins[id(seen[rid])]
                    package.problems.append(
                        place.error(
                            "id",
                            Msg(
                                "{entity} id {rid} is a duplicate of the one at {source}, {record}",
                                entity=entity,
                                rid=repr(rid),
                                source=earlier.source,
                                record=earlier.record,
                            ),
                        )
                    )
                    continue
                seen[rid] = obj
                out.append(obj)
        except DirectoryDataError as exc:
            package.problems.append(exc)
            package.unread.append(exc)
    unlinked = _nest(package, index, tables)
    doc: dict[str, Any] = {UNLINKED: unlinked} if unlinked else {}
    for entity, table in TOP.items():
        if entity in tables:
            doc[table] = tables[entity]
    about = files.get("datapackage.json")
    if isinstance(about, str | bytes):
        doc.update(_about(about))
    package.doc = doc
    return package


def _about(data: str | bytes) -> dict[str, Any]:
    """What ``datapackage.json`` says of the dataset (its name, description ...)."""
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(obj, dict):
        return {}
    return {
        k: v
        for k, v in obj.items()
        if k not in ("resources", "profile") and isinstance(v, str | int | float)
    }


def _nest(
    package: CsvPackage,
    index: dict[str, dict[str, dict[str, Any]]],
    tables: dict[str, list[dict[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    """Put each row of a child table into its parents (the link columns that
    found the parent removed, the others kept under ``_unresolved``). A row of a
    table PeerDesk does not model that links to nothing is kept in the dataset's
    ``unlinked`` (by file); of a modelled table, it is left out."""
    unlinked: dict[str, list[dict[str, Any]]] = {}
    for entity, objects in tables.items():
        if entity in TOP:
            continue
        generic = _GENERIC.get(entity)
        for obj in objects:
            place = package.origins[id(obj)]
            found: list[tuple[dict[str, Any], str]] = []
            missing: list[tuple[str, str, str]] = []  # column, value, parent entity
            if generic is not None:
                id_column, entity_column = generic
                target = obj.get(id_column)
                kind = str(obj.get(entity_column, "")).strip().casefold()
                if isinstance(target, str) and target.strip():
                    target = target.strip()
                    candidates = [kind] if kind in index else list(index)
                    owner = next((k for k in candidates if target in index.get(k, {})), None)
                    if owner is not None:
                        parent = index[owner][target]
                        found.append((parent, "attributes" if entity == "attribute" else entity))
                        obj.pop(id_column)
                        if kind == owner:  # else the file's own value is kept
                            obj.pop(entity_column, None)
                    else:
                        missing.append((id_column, target, kind or "record"))
                columns: tuple[str, ...] = (id_column,)
            else:
                links = LINKS.get(entity, ())
                columns = tuple(c for c, _, _ in links)
                resolved = []
                for column, parent_entity, key in links:
                    value = obj.get(column)
                    if not isinstance(value, str) or not value.strip():
                        continue
                    linked = index.get(parent_entity, {}).get(value.strip())
                    if linked is None:
                        missing.append((column, value.strip(), parent_entity))
                    else:
                        found.append((linked, key))
                        resolved.append(column)
                for column in resolved:
                    obj.pop(column)
            if not found:
                if missing:
                    column, value, parent_entity = missing[0]
                    problem = Msg(
                        "there is no {kind} with id {id}",
                        kind=parent_entity.replace("_", " "),
                        id=repr(value),
                    )
                else:
                    names = " or ".join(c.removesuffix("_id") for c in columns)
                    column, problem = columns[0], Msg("must name its {names}", names=names)
                if entity in MODELLED:
                    package.problems.append(place.error(column, problem))
                    continue
                # PeerDesk does not use it: kept as it is, for the export
                unlinked.setdefault(ENTITIES[entity].file.removesuffix(".csv"), []).append(obj)
                package.kept.append(
                    place.error(column, Msg("{problem}; the row is kept unlinked", problem=problem))
                )
                continue
            if missing:
                obj["_unresolved"] = {column: value for column, value, _ in missing}
                for column, _, _ in missing:
                    obj.pop(column, None)
                package.kept.append(
                    place.error(
                        missing[0][0],
                        Msg(
                            "there is no {kind} with id {id}; the row is kept with its other links",
                            kind=missing[0][2].replace("_", " "),
                            id=repr(missing[0][1]),
                        ),
                    )
                )
            for parent, key in found:
                parent.setdefault(key, []).append(obj)
    return unlinked


def parse_csv_package(files: Mapping[str, str | bytes]) -> Dataset:
    """Read an HSDS CSV package given as file name -> content, strictly: the
    first problem raises :class:`DirectoryDataError`. The import that reports and skips is
    :func:`peerdesk.interop.hsds.importing.import_csv`."""
    package = read_csv_package(files)
    if package.empty:
        raise DirectoryDataError(
            Msg("no HSDS CSV files found (expected services.csv, organizations.csv ...)"),
            source="CSV package",
        )
    if package.problems or package.kept:
        raise (package.problems or package.kept)[0]
    return _JsonParser("CSV package", origins=package.origins).parse(package.doc)
