"""How directory records are kept in the profile database: each as its HSDS JSON
document (``doc``) plus the columns queries need. One definition per record kind,
used by a whole import and by a delta alike.

Services are not here: their rows are derived (:mod:`.derive`, :mod:`.index`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from peerdesk.domain.directory import name_key
from peerdesk.errors import CorruptData, DirectoryDataError
from peerdesk.interop.hsds import record_from_json, record_to_json


def doc(record: Any) -> str:
    """A record as the compact HSDS JSON document stored for it."""
    return json.dumps(record_to_json(record), ensure_ascii=False, separators=(",", ":"))


def parse_doc(kind: str, text: str, table: str, record_id: str) -> Any:
    """A stored document read back; :class:`CorruptData` when it is malformed."""
    try:
        return record_from_json(kind, json.loads(text), source=table, record=record_id)
    except (ValueError, DirectoryDataError) as exc:
        raise CorruptData(
            "stored directory record is malformed", table=table, record_id=record_id
        ) from exc


#: record kind -> (table, columns, the row of a record)
RECORD_ROWS: dict[str, tuple[str, tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {
    "taxonomy": ("directory_taxonomies", ("id", "doc"), lambda r: (r.id, doc(r))),
    "taxonomy_term": (
        "directory_terms",
        ("id", "code", "name", "parent_id", "taxonomy_id", "doc"),
        lambda r: (r.id, r.code, r.name, r.parent_id, r.taxonomy_id, doc(r)),
    ),
    "organization": (
        "directory_organizations",
        ("id", "name", "doc"),
        lambda r: (r.id, r.name, doc(r)),
    ),
    "location": (
        "directory_locations",
        ("id", "organization_id", "latitude", "longitude", "doc"),
        lambda r: (r.id, r.organization_id, r.latitude, r.longitude, doc(r)),
    ),
    "town": (
        "directory_towns",
        ("id", "name", "name_key", "county", "doc", "latitude", "longitude"),
        lambda r: (r.id, r.name, name_key(r.name), r.county, doc(r), r.latitude, r.longitude),
    ),
}

#: record kind -> its table (services included)
TABLES = {"service": "directory_services", **{k: t for k, (t, _, _) in RECORD_ROWS.items()}}


def insert_sql(kind: str, *, upsert: bool = False) -> str:
    """The INSERT of a record of ``kind`` (an upsert by id for a delta)."""
    table, columns, _ = RECORD_ROWS[kind]
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    if upsert:
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
        sql += f" ON CONFLICT (id) DO UPDATE SET {updates}"
    return sql


def row_of(kind: str, record: Any) -> tuple[Any, ...]:
    return RECORD_ROWS[kind][2](record)
