"""Directory updates as data: snapshots and deltas, and the diff the agency uses
to make a delta. Pure: no storage, no crypto (signing is in
:mod:`peerdesk.wire.directory_updates`), no document form (that is
:mod:`peerdesk.interop.hsds.update_doc`).

A directory has a *version* (an integer the agency increases with each
publication; the demo seed is version 0).

* A **snapshot** carries a whole dataset and a version. A device takes it when
  the version is newer than its own.
* A **delta** carries ``base_version`` and ``version`` and a list of operations:
  ``add``, ``update`` (the whole new record) or ``remove``, each naming a record
  kind (``service``, ``organization``, ``location``, ``taxonomy``,
  ``taxonomy_term``, ``town``) and an id. A device takes it only when its version
  equals ``base_version``; every operation applies, or none does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from peerdesk.domain.directory.model import Dataset
from peerdesk.domain.directory.validation import check_dataset
from peerdesk.errors import DirectoryDataError, Msg

ACTIONS = ("add", "update", "remove")

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
                    Msg("a {kind} with this id already exists", kind=op.kind),
                    source=source,
                    record=place,
                    field="id",
                )
            table[op.id] = op.record
        elif op.id not in table:
            raise DirectoryDataError(
                Msg("there is no {kind} with this id", kind=op.kind),
                source=source,
                record=place,
                field="id",
            )
        elif op.action == "update":
            table[op.id] = op.record
        else:
            del table[op.id]
    changed: dict[str, Any] = {field: tuple(tables[kind].values()) for kind, field in KINDS.items()}
    result = replace(dataset, **changed)
    check_dataset(result, source=source)
    return result


def count_ops(ops: Iterable[DeltaOp]) -> tuple[int, int, int]:
    """(added, updated, removed)."""
    counts = dict.fromkeys(ACTIONS, 0)
    for op in ops:
        counts[op.action] += 1
    return counts["add"], counts["update"], counts["remove"]
