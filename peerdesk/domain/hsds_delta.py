"""Directory updates as data: snapshots and deltas, their document form, and the
diff the agency uses to make a delta. Pure: no storage, no crypto (signing is in
:mod:`peerdesk.wire.directory_updates`), so the agency server imports it freely.

A directory has a *version* (an integer the agency increases with each
publication; the demo seed is version 0).

* A **snapshot** carries a whole dataset and a version. A device takes it when
  the version is newer than its own.
* A **delta** carries ``base_version`` and ``version`` and a list of operations:
  ``add``, ``update`` (the whole new record) or ``remove``, each naming a record
  kind (``service``, ``organization``, ``location``, ``taxonomy``,
  ``taxonomy_term``, ``town``) and an id. A device takes it only when its version
  equals ``base_version``; every operation applies, or none does.

Document form (a msgpack- and JSON-able map, signed as kind ``"directory"``)::

    {"format": "peerdesk-directory/1", "type": "snapshot", "version": 7,
     "issued_at": "2026-05-01T12:00:00Z", "dataset": {<HSDS JSON, see hsds.py>}}
    {"format": "peerdesk-directory/1", "type": "delta", "version": 8,
     "base_version": 7, "issued_at": "...",
     "ops": [{"op": "update", "kind": "service", "id": "...", "record": {<HSDS>}},
             {"op": "remove", "kind": "location", "id": "..."}]}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from peerdesk.domain import hsds
from peerdesk.domain.hsds import Dataset
from peerdesk.errors import DirectoryDataError

FORMAT = "peerdesk-directory/1"
ACTIONS = ("add", "update", "remove")
MAX_OPS = 100_000
MAX_VERSION = 2**53

#: record kind -> the Dataset field holding them; the order adds are applied in
KINDS: dict[str, str] = {
    "taxonomy": "taxonomies",
    "taxonomy_term": "taxonomy_terms",
    "organization": "organizations",
    "location": "locations",
    "service": "services",
    "town": "towns",
}


@dataclass(frozen=True, slots=True)
class DeltaOp:
    action: str  # "add" | "update" | "remove"
    kind: str  # a key of KINDS
    id: str
    #: the whole new record for add and update; None for remove
    record: Any = None


@dataclass(frozen=True, slots=True)
class DirectoryDelta:
    version: int
    base_version: int
    ops: tuple[DeltaOp, ...]
    issued_at: str = ""


@dataclass(frozen=True, slots=True)
class DirectorySnapshot:
    version: int
    dataset: Dataset
    issued_at: str = ""


DirectoryUpdate = DirectorySnapshot | DirectoryDelta


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """What applying an update did. ``applied`` is False for an update this
    directory already has (its version is not newer): nothing changed."""

    kind: str  # "snapshot" | "delta"
    version: int
    applied: bool
    added: int = 0
    updated: int = 0
    removed: int = 0


# --- diff and pure application ------------------------------------------------------------


def _records(dataset: Dataset, kind: str) -> tuple[Any, ...]:
    records: tuple[Any, ...] = getattr(dataset, KINDS[kind])
    return records


def diff(
    old: Dataset, new: Dataset, *, base_version: int, version: int, issued_at: str = ""
) -> DirectoryDelta:
    """The delta that turns ``old`` into ``new``: adds and updates in dependency
    order (taxonomies before terms before organizations ...), removals after,
    in reverse order."""
    if version <= base_version:
        raise ValueError("a delta's version must be newer than its base version")
    changes: list[DeltaOp] = []
    removals: list[DeltaOp] = []
    for kind in KINDS:
        before = {r.id: r for r in _records(old, kind)}
        after = {r.id: r for r in _records(new, kind)}
        for record_id, record in after.items():
            if record_id not in before:
                changes.append(DeltaOp("add", kind, record_id, record))
            elif before[record_id] != record:
                changes.append(DeltaOp("update", kind, record_id, record))
        removals.extend(DeltaOp("remove", kind, rid) for rid in before if rid not in after)
    removals.reverse()
    return DirectoryDelta(version, base_version, tuple(changes + removals), issued_at)


def apply_delta(
    dataset: Dataset, delta: DirectoryDelta, *, source: str = "directory update"
) -> Dataset:
    """``dataset`` with ``delta`` applied (no version check: the caller holds the
    versions). Raises :class:`DirectoryDataError` naming the operation when an add
    finds the id taken, an update or remove finds nothing, or the result has a
    broken reference."""
    tables: dict[str, dict[str, Any]] = {
        kind: {r.id: r for r in _records(dataset, kind)} for kind in KINDS
    }
    for i, op in enumerate(delta.ops):
        table = tables[op.kind]
        place = f"ops[{i}] ({op.action} {op.kind} {op.id!r})"
        if op.action == "add":
            if op.id in table:
                raise DirectoryDataError(
                    f"a {op.kind} with this id already exists",
                    source=source,
                    record=place,
                    field="id",
                )
            table[op.id] = op.record
        elif op.id not in table:
            raise DirectoryDataError(
                f"there is no {op.kind} with this id", source=source, record=place, field="id"
            )
        elif op.action == "update":
            table[op.id] = op.record
        else:
            del table[op.id]
    result = replace(
        dataset, **{field: tuple(tables[kind].values()) for kind, field in KINDS.items()}
    )
    hsds.check_dataset(result, source=source)
    return result


def count_ops(ops: Iterable[DeltaOp]) -> tuple[int, int, int]:
    """(added, updated, removed)."""
    counts = dict.fromkeys(ACTIONS, 0)
    for op in ops:
        counts[op.action] += 1
    return counts["add"], counts["update"], counts["remove"]


# --- document form ----------------------------------------------------------------------


def update_to_doc(update: DirectoryUpdate) -> dict[str, Any]:
    if isinstance(update, DirectorySnapshot):
        return {
            "format": FORMAT,
            "type": "snapshot",
            "version": update.version,
            "issued_at": update.issued_at,
            "dataset": hsds.dataset_to_json(update.dataset),
        }
    ops = []
    for op in update.ops:
        item: dict[str, Any] = {"op": op.action, "kind": op.kind, "id": op.id}
        if op.record is not None:
            item["record"] = hsds.record_to_json(op.record)
        ops.append(item)
    return {
        "format": FORMAT,
        "type": "delta",
        "version": update.version,
        "base_version": update.base_version,
        "issued_at": update.issued_at,
        "ops": ops,
    }


def _version(doc: Mapping[str, Any], field: str, source: str) -> int:
    value = doc.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_VERSION:
        raise DirectoryDataError("must be a whole number of at least 0", source=source, field=field)
    return value


def update_from_doc(doc: Any, *, source: str = "directory update") -> DirectoryUpdate:
    """Read and validate an update document (the map inside the signature)."""
    if not isinstance(doc, dict):
        raise DirectoryDataError("is not a map", source=source)
    if doc.get("format") != FORMAT:
        raise DirectoryDataError(
            f"has format {str(doc.get('format'))[:40]!r}, expected {FORMAT!r}",
            source=source,
            field="format",
        )
    version = _version(doc, "version", source)
    issued_at = doc.get("issued_at", "")
    if not isinstance(issued_at, str) or len(issued_at) > 40:
        raise DirectoryDataError("must be a short text", source=source, field="issued_at")
    kind = doc.get("type")
    source = f"{source} (version {version})"
    if kind == "snapshot":
        dataset = hsds.dataset_from_json(doc.get("dataset"), source=source)
        return DirectorySnapshot(version, dataset, issued_at)
    if kind != "delta":
        raise DirectoryDataError(
            f"has type {str(kind)[:40]!r}, expected 'snapshot' or 'delta'",
            source=source,
            field="type",
        )
    base = _version(doc, "base_version", source)
    if version <= base:
        raise DirectoryDataError(
            f"version {version} is not newer than its base version {base}",
            source=source,
            field="version",
        )
    raw_ops = doc.get("ops")
    if not isinstance(raw_ops, list):
        raise DirectoryDataError("must be a list", source=source, field="ops")
    if len(raw_ops) > MAX_OPS:
        raise DirectoryDataError(
            f"has {len(raw_ops)} operations; the limit is {MAX_OPS}", source=source, field="ops"
        )
    ops: list[DeltaOp] = []
    seen: dict[tuple[str, str], int] = {}
    for i, item in enumerate(raw_ops):
        place = f"ops[{i}]"
        if not isinstance(item, dict):
            raise DirectoryDataError("must be a map", source=source, record=place)
        unknown = set(item) - {"op", "kind", "id", "record"}
        if unknown:
            raise DirectoryDataError(
                f"has unknown keys {sorted(map(str, unknown))[:5]}", source=source, record=place
            )
        action, kind_, record_id = item.get("op"), item.get("kind"), item.get("id")
        if action not in ACTIONS:
            raise DirectoryDataError(
                f"must be add, update or remove, not {str(action)[:40]!r}",
                source=source,
                record=place,
                field="op",
            )
        if kind_ not in KINDS:
            raise DirectoryDataError(
                f"unknown record kind {str(kind_)[:40]!r}",
                source=source,
                record=place,
                field="kind",
            )
        if not isinstance(record_id, str) or not 0 < len(record_id) <= hsds.MAX_ID:
            raise DirectoryDataError("must be an id", source=source, record=place, field="id")
        place = f"ops[{i}] ({action} {kind_} {record_id!r})"
        if (kind_, record_id) in seen:
            raise DirectoryDataError(
                f"the same {kind_} is changed twice (also in ops[{seen[(kind_, record_id)]}])",
                source=source,
                record=place,
                field="id",
            )
        seen[(kind_, record_id)] = i
        record = None
        if action == "remove":
            if item.get("record") is not None:
                raise DirectoryDataError(
                    "a removal carries no record", source=source, record=place, field="record"
                )
        else:
            if "record" not in item:
                raise DirectoryDataError(
                    f"an {action} needs the record", source=source, record=place, field="record"
                )
            record = hsds.record_from_json(
                kind_, item["record"], source=source, record=f"{place} record"
            )
            if record.id != record_id:
                raise DirectoryDataError(
                    f"the record's id {record.id!r} is not the operation's id",
                    source=source,
                    record=place,
                    field="record.id",
                )
        ops.append(DeltaOp(action, kind_, record_id, record))
    return DirectoryDelta(version, base, tuple(ops), issued_at)
