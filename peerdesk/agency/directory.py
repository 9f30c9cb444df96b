"""Publishing the resource directory: ``peerdesk-agency directory import FILE``.

1. The dataset (an HSDS JSON file, or a folder holding an HSDS CSV package) is
   read and checked with :func:`peerdesk.interop.hsds.load`; a problem raises
   :class:`~peerdesk.errors.DirectoryDataError` naming the file, record and field,
   and nothing is stored or sent.
2. The signed update is made with the agency signing key (``keys/signing.key``,
   which devices trust through the key bundle): the first publication is a
   snapshot (version 1; the seed a laptop starts with is version 0), every later
   one a delta from the newest stored version to the next. The delta is applied to
   the stored dataset here first, exactly as a device will, so an update that a
   device would refuse is never sent.
3. The dataset and the signed update are stored together, in one transaction
   (:meth:`~peerdesk.agency.storage.directory.DirectoryVersions.publish`): the
   dataset becomes the base of the next delta and the update is queued as a
   broadcast outbound item (kind ``"directory"``, no device). Every device
   receives it at its next sync, in order, so each delta finds the version it
   was made from.

Limit: a device opens signed documents of at most 4 MB
(:data:`peerdesk.crypto.seal.MAX_DOCUMENT`). A county or regional directory is far
below that (the 42-service demo seed signs to about 60 KB, so roughly 2,500
services per snapshot); a larger snapshot is refused here, before anything is
stored. Deltas are usually small. Lifting the limit would need snapshots sent in
parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from peerdesk.agency.models import AuditEntry
from peerdesk.agency.storage import Storage
from peerdesk.crypto.seal import MAX_DOCUMENT, SigningKeyPair
from peerdesk.domain.directory import KINDS, Dataset, apply_delta, count_ops, diff
from peerdesk.errors import CorruptData, DirectoryDataError, ValidationError
from peerdesk.ids import to_iso
from peerdesk.interop import hsds
from peerdesk.wire.directory_updates import sign_delta, sign_snapshot

__all__ = ["Published", "prepare_publication", "publish_directory"]


@dataclass(frozen=True, slots=True)
class Published:
    """What one import did. ``seq`` is None when nothing changed since
    ``version`` (nothing was published)."""

    version: int
    kind: str  # "snapshot" | "delta" | "unchanged"
    services: int
    signed_bytes: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class _Prepared:
    version: int
    kind: str
    dataset: Dataset
    signed: bytes
    added: int = 0
    updated: int = 0
    removed: int = 0


def _stored_dataset(raw: bytes, version: int) -> Dataset:
    try:
        return hsds.parse_json(raw, source=f"stored directory version {version}")
    except DirectoryDataError as exc:
        raise CorruptData(
            "the stored directory is unreadable", table="directory_versions", record_id=str(version)
        ) from exc


def _same(a: Dataset, b: Dataset) -> bool:
    """The same records (by kind and id), whatever their order."""
    return all(
        {r.id: r for r in getattr(a, name)} == {r.id: r for r in getattr(b, name)}
        for name in KINDS.values()
    )


def prepare_publication(
    storage: Storage, dataset: Dataset, signer: SigningKeyPair, now: datetime
) -> _Prepared | None:
    """The signed update that publishes ``dataset`` after the newest stored
    version; None when the dataset equals it. Stores nothing."""
    issued_at = to_iso(now)
    latest = storage.directory.latest()
    if latest is None:
        version = 1
        signed = sign_snapshot(signer, dataset, version=version, issued_at=issued_at)
        prepared = _Prepared(version, "snapshot", dataset, signed, added=len(dataset.services))
    else:
        old = _stored_dataset(latest.dataset, latest.version)
        version = latest.version + 1
        delta = diff(
            old, dataset, base_version=latest.version, version=version, issued_at=issued_at
        )
        if not delta.ops:
            return None
        # What a device does with it, before anyone can receive it.
        if not _same(apply_delta(old, delta, source=f"directory update {version}"), dataset):
            raise DirectoryDataError(
                "the update made from this dataset does not reproduce it; nothing was published",
                source=f"directory update {version}",
            )
        added, updated, removed = count_ops(delta.ops)
        signed = sign_delta(signer, delta)
        prepared = _Prepared(version, "delta", dataset, signed, added, updated, removed)
    if len(prepared.signed) > MAX_DOCUMENT:
        raise ValidationError(
            f"the signed directory {prepared.kind} is {len(prepared.signed):,} bytes; laptops "
            f"accept at most {MAX_DOCUMENT:,} bytes (about 4 MB), so nothing was published",
            field="dataset",
        )
    return prepared


def publish_directory(
    storage: Storage,
    path: Path,
    signer: SigningKeyPair,
    now: datetime,
    *,
    actor: str | None = None,
) -> Published:
    """Read and check the dataset at ``path``, sign the update and publish it
    (all or nothing; with ``actor``, an ``admin_audit`` row in the same
    transaction). :class:`DirectoryDataError` names the place of a problem in the
    file; :class:`ValidationError` for an update too large to send or a
    concurrent publication."""
    dataset = hsds.load(path)
    prepared = prepare_publication(storage, dataset, signer, now)
    if prepared is None:
        latest = storage.directory.latest()
        assert latest is not None
        return Published(latest.version, "unchanged", len(dataset.services))
    seq = storage.directory.publish(
        version=prepared.version,
        kind=prepared.kind,
        dataset=hsds.dump_json(dataset).encode("utf-8"),
        services=len(dataset.services),
        signed=prepared.signed,
        now=now,
        audit=None
        if actor is None
        else AuditEntry(
            actor,
            "directory-import",
            f"version {prepared.version}",
            f"{prepared.kind}, {len(dataset.services)} services, from {path.name}",
        ),
    )
    return Published(
        version=prepared.version,
        kind=prepared.kind,
        services=len(dataset.services),
        signed_bytes=len(prepared.signed),
        added=prepared.added,
        updated=prepared.updated,
        removed=prepared.removed,
        seq=seq,
    )
