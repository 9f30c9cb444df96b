"""Exporting the directory as HSDS 3: the JSON dataset (:func:`export_json`,
each record shaped as the official schema shapes it) and the CSV package
(:func:`dump_csv_package`, the 21 files of HSDS 3 with their plural names and
``datapackage.json``).

What the internal JSON keeps apart is given back here: a link to a record that
was not in the file (``_unresolved``) is written under its own name again, and a
field the schema requires but the file left empty is written empty, so every
record validates against the official schemas
(``tests/unit/test_hsds3_examples.py``).

Cells are written exactly as the data holds them, also text a spreadsheet would
run as a formula (``=HYPERLINK(...)``): a quote in front would change the HSDS
data. :func:`formula_cells` finds them, so that whoever exports or imports can say
so.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

from peerdesk.domain.directory.model import Dataset
from peerdesk.interop.hsds.csv_package import (
    _NOT_NESTED,
    TOP,
    TOWN_COLUMNS,
    TOWNS_FILE,
    UNLINKED,
)
from peerdesk.interop.hsds.hsds3 import ENTITIES
from peerdesk.interop.hsds.json_format import dataset_to_json

UNRESOLVED = "_unresolved"


def _shaped(entity: str, obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` (and what it nests) as HSDS shapes it."""
    out: dict[str, Any] = {}
    spec = ENTITIES.get(entity)
    for key, value in obj.items():
        if key == UNRESOLVED and isinstance(value, dict):
            continue
        child = spec.children.get(key) if spec is not None else None
        if isinstance(value, dict):
            out[key] = _shaped(child[0] if child else key, value)
        elif isinstance(value, list):
            out[key] = [
                _shaped(child[0] if child else key, v) if isinstance(v, dict) else v for v in value
            ]
        else:
            out[key] = value
    unresolved = obj.get(UNRESOLVED)
    if isinstance(unresolved, dict):
        for key, value in unresolved.items():
            out.setdefault(key, value)
    if spec is not None:
        for key in spec.required:
            if key not in out and key not in spec.types:
                out[key] = ""
    return out


def export_json(dataset: Dataset) -> dict[str, Any]:
    """The dataset as an HSDS 3 JSON document: the tables as arrays of records
    (``organizations``, ``services``, ``locations``, ``taxonomies``,
    ``taxonomy_terms``, and any other table the import kept), plus PeerDesk's
    ``towns``."""
    doc = dataset_to_json(dataset)
    entity_of = {table: entity for entity, table in TOP.items()}
    out: dict[str, Any] = {}
    for key, value in doc.items():
        entity = entity_of.get(key)
        if entity is not None and entity != "town" and isinstance(value, list):
            out[key] = [_shaped(entity, v) if isinstance(v, dict) else v for v in value]
        else:
            out[key] = value
    return out


def dump_export_json(dataset: Dataset) -> str:
    return json.dumps(export_json(dataset), indent=2, ensure_ascii=False) + "\n"


# --- the CSV package ---------------------------------------------------------------------


class _Flattener:
    """Rows of each file from the nested document; a record nested in several
    places (one phone of a service and of its location) is one row with every
    link filled."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, dict[str, Any]]] = {}
        self.loose: dict[str, list[dict[str, Any]]] = {}

    def add(self, entity: str, obj: dict[str, Any], link: dict[str, Any]) -> None:
        spec = ENTITIES.get(entity)
        row: dict[str, Any] = {}
        nested: list[tuple[str, Any]] = []
        for key, value in obj.items():
            if isinstance(value, dict | list):
                nested.append((key, value))
            else:
                row[key] = value
        for key, value in link.items():
            row.setdefault(key, value)
        for key, value in nested:
            child = spec.children.get(key) if spec is not None else None
            if child is None or (entity, key) in _NOT_NESTED:
                row[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
                continue
            items = value if isinstance(value, list) else [value]
            for item in items:
                if not isinstance(item, dict):
                    continue
                self.add(child[0], item, self._link(entity, obj, child[0], row))
                if not child[1] and key == "program" and "id" in item:
                    row.setdefault("program_id", item["id"])
        self._keep(entity, row)

    @staticmethod
    def _link(entity: str, obj: dict[str, Any], child: str, row: dict[str, Any]) -> dict[str, Any]:
        parent_id = obj.get("id")
        if child == "attribute":
            return {"link_id": parent_id, "link_entity": entity}
        if child == "metadata":
            return {"resource_id": parent_id, "resource_type": entity}
        if child == "program" and entity == "service":  # it belongs to the organization
            return {"organization_id": row.get("organization_id")}
        column = f"{entity}_id"
        return {column: parent_id} if column in ENTITIES[child].columns else {}

    def _keep(self, entity: str, row: dict[str, Any]) -> None:
        spec = ENTITIES[entity]
        rid = row.get("id")
        if not isinstance(rid, str):
            self.loose.setdefault(spec.file, []).append(row)
            return
        table = self.rows.setdefault(spec.file, {})
        earlier = table.get(rid)
        if earlier is None:
            table[rid] = row
        else:
            for key, value in row.items():
                if earlier.get(key) in (None, ""):
                    earlier[key] = value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


#: what a spreadsheet runs as a formula when a cell starts with it (after spaces)
FORMULA_START = ("=", "+", "-", "@")


def runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet opening the CSV would run ``cell`` as a formula: it
    starts with ``= + - @`` after any whitespace (tab, CR too), holds more than
    that sign (a lone ``-`` is text) and is not a plain number (``-71.06``)."""
    text = cell.lstrip()
    if len(text) < 2 or not text.startswith(FORMULA_START):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def formula_cells(files: Mapping[str, str]) -> Iterator[tuple[str, str, str, str]]:
    """Each cell of a CSV package (file name -> text, as :func:`dump_csv_package`
    gives it) that a spreadsheet would run as a formula: (file, the row's id,
    column, cell)."""
    for name, text in files.items():
        if not name.endswith(".csv"):
            continue
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        at = header.index("id") if "id" in header else None
        for values in reader:
            for column, cell in zip(header, values, strict=False):
                if runs_as_formula(cell):
                    rid = values[at] if at is not None and at < len(values) else ""
                    yield name, rid, column, cell


def _write(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def dump_csv_package(dataset: Dataset) -> dict[str, str]:
    """The dataset as the HSDS 3 CSV package (file name -> text): every HSDS
    file with its header (columns the schema does not name follow its own),
    ``peerdesk_towns.csv`` when there are towns, and ``datapackage.json``."""
    doc = export_json(dataset)
    flat = _Flattener()
    for entity, table in TOP.items():
        if entity == "town":
            continue
        for obj in doc.get(table) or ():
            if isinstance(obj, dict):
                flat.add(entity, obj, {})
    unlinked: dict[str, Any] = doc[UNLINKED] if isinstance(doc.get(UNLINKED), dict) else {}
    for spec in ENTITIES.values():
        for obj in unlinked.get(spec.file.removesuffix(".csv")) or ():
            if isinstance(obj, dict):
                flat.add(spec.name, obj, {})
    out: dict[str, str] = {}
    for spec in ENTITIES.values():
        rows = [*flat.rows.get(spec.file, {}).values(), *flat.loose.get(spec.file, ())]
        columns = list(spec.columns)
        more = sorted({k for row in rows for k in row} - set(columns))
        out[spec.file] = _write(columns + more, rows)
    if dataset.towns:
        out[TOWNS_FILE] = _write(list(TOWN_COLUMNS), doc.get("towns") or [])
    known = {*TOP.values(), "hsds_version", UNLINKED}
    about = {k: v for k, v in doc.items() if k not in known}
    package = {
        "profile": "tabular-data-package",
        **about,
        "resources": [
            {"name": name.removesuffix(".csv"), "path": name, "profile": "tabular-data-resource"}
            for name in out
        ],
    }
    out["datapackage.json"] = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    return out
