"""The directory update document: a snapshot or a delta as a msgpack- and
JSON-able map (signed as kind ``"directory"`` by
:mod:`peerdesk.wire.directory_updates`), its records in HSDS JSON::

    {"format": "peerdesk-directory/1", "type": "snapshot", "version": 7,
     "issued_at": "2026-05-01T12:00:00Z", "dataset": {<HSDS JSON>}}
    {"format": "peerdesk-directory/1", "type": "delta", "version": 8,
     "base_version": 7, "issued_at": "...",
     "ops": [{"op": "update", "kind": "service", "id": "...", "record": {<HSDS>}},
             {"op": "remove", "kind": "location", "id": "..."}]}

The updates themselves (and diff and apply) are :mod:`peerdesk.domain.directory.delta`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peerdesk.domain.directory.delta import (
    ACTIONS,
    KINDS,
    DeltaOp,
    DirectoryDelta,
    DirectorySnapshot,
    DirectoryUpdate,
)
from peerdesk.errors import DirectoryDataError, Msg
from peerdesk.interop.hsds.json_format import (
    dataset_from_json,
    dataset_to_json,
    record_from_json,
    record_to_json,
)
from peerdesk.interop.hsds.reader import MAX_ID

FORMAT = "peerdesk-directory/1"
MAX_OPS = 100_000
MAX_VERSION = 2**53


def update_to_doc(update: DirectoryUpdate) -> dict[str, Any]:
    if isinstance(update, DirectorySnapshot):
        return {
            "format": FORMAT,
            "type": "snapshot",
            "version": update.version,
            "issued_at": update.issued_at,
            "dataset": dataset_to_json(update.dataset),
        }
    ops = []
    for op in update.ops:
        item: dict[str, Any] = {"op": op.action, "kind": op.kind, "id": op.id}
        if op.record is not None:
            item["record"] = record_to_json(op.record)
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
        raise DirectoryDataError(
            Msg("must be a whole number of at least 0"), source=source, field=field
        )
    return value


def update_from_doc(doc: Any, *, source: str = "directory update") -> DirectoryUpdate:
    """Read and validate an update document (the map inside the signature)."""
    if not isinstance(doc, dict):
        raise DirectoryDataError(Msg("is not a map"), source=source)
    if doc.get("format") != FORMAT:
        raise DirectoryDataError(
            Msg(
                "has format {found}, expected {expected}",
                found=repr(str(doc.get("format"))[:40]),
                expected=repr(FORMAT),
            ),
            source=source,
            field="format",
        )
    version = _version(doc, "version", source)
    issued_at = doc.get("issued_at", "")
    if not isinstance(issued_at, str) or len(issued_at) > 40:
        raise DirectoryDataError(Msg("must be a short text"), source=source, field="issued_at")
    kind = doc.get("type")
    source = f"{source} (version {version})"
    if kind == "snapshot":
        dataset = dataset_from_json(doc.get("dataset"), source=source)
        return DirectorySnapshot(version, dataset, issued_at)
    if kind != "delta":
        raise DirectoryDataError(
            Msg("has type {found}, expected 'snapshot' or 'delta'", found=repr(str(kind)[:40])),
            source=source,
            field="type",
        )
    base = _version(doc, "base_version", source)
    if version <= base:
        raise DirectoryDataError(
            Msg(
                "version {version} is not newer than its base version {base}",
                version=version,
                base=base,
            ),
            source=source,
            field="version",
        )
    raw_ops = doc.get("ops")
    if not isinstance(raw_ops, list):
        raise DirectoryDataError(Msg("must be a list"), source=source, field="ops")
    if len(raw_ops) > MAX_OPS:
        raise DirectoryDataError(
            Msg("has {count} operations; the limit is {limit}", count=len(raw_ops), limit=MAX_OPS),
            source=source,
            field="ops",
        )
    ops: list[DeltaOp] = []
    seen: dict[tuple[str, str], int] = {}
    for i, item in enumerate(raw_ops):
        place = f"ops[{i}]"
        if not isinstance(item, dict):
            raise DirectoryDataError(Msg("must be a map"), source=source, record=place)
        unknown = set(item) - {"op", "kind", "id", "record"}
        if unknown:
            raise DirectoryDataError(
                Msg("has unknown keys {keys}", keys=str(sorted(map(str, unknown))[:5])),
                source=source,
                record=place,
            )
        action, kind_, record_id = item.get("op"), item.get("kind"), item.get("id")
        if action not in ACTIONS:
            raise DirectoryDataError(
                Msg("must be add, update or remove, not {found}", found=repr(str(action)[:40])),
                source=source,
                record=place,
                field="op",
            )
        if kind_ not in KINDS:
            raise DirectoryDataError(
                Msg("unknown record kind {kind}", kind=repr(str(kind_)[:40])),
                source=source,
                record=place,
                field="kind",
            )
        if not isinstance(record_id, str) or not 0 < len(record_id) <= MAX_ID:
            raise DirectoryDataError(Msg("must be an id"), source=source, record=place, field="id")
        place = f"ops[{i}] ({action} {kind_} {record_id!r})"
        if (kind_, record_id) in seen:
            raise DirectoryDataError(
                Msg(
                    "the same {kind} is changed twice (also in ops[{index}])",
                    kind=kind_,
                    index=seen[(kind_, record_id)],
                ),
                source=source,
                record=place,
                field="id",
            )
        seen[(kind_, record_id)] = i
        record = None
        if action == "remove":
            if item.get("record") is not None:
                raise DirectoryDataError(
                    Msg("a removal carries no record"), source=source, record=place, field="record"
                )
        else:
            if "record" not in item:
                raise DirectoryDataError(
                    Msg("an {action} needs the record", action=action),
                    source=source,
                    record=place,
                    field="record",
                )
            record = record_from_json(
                kind_, item["record"], source=source, record=f"{place} record"
            )
            if record.id != record_id:
                raise DirectoryDataError(
                    Msg("the record's id {id} is not the operation's id", id=repr(record.id)),
                    source=source,
                    record=place,
                    field="record.id",
                )
        ops.append(DeltaOp(action, kind_, record_id, record))
    return DirectoryDelta(version, base, tuple(ops), issued_at)
