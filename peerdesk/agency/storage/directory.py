"""Published versions of the resource directory (``directory_versions``): each
one stored with its dataset and queued, signed, for every device."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from peerdesk.agency.models import AuditEntry, DirectoryVersion
from peerdesk.agency.storage.audit import append_audit
from peerdesk.agency.storage.corrections import mark_published
from peerdesk.agency.storage.db import Database
from peerdesk.agency.storage.outbound import queue
from peerdesk.agency.tables import directory_chunks, directory_manifests, directory_versions
from peerdesk.errors import ValidationError
from peerdesk.ids import to_iso


def _directory_version(row: Any, *, dataset: bool) -> DirectoryVersion:
    return DirectoryVersion(
        version=int(row.version),
        kind=row.kind,
        services=int(row.services),
        outbound_seq=int(row.outbound_seq),
        published_at=row.published_at,
        dataset=bytes(row.dataset) if dataset else b"",
    )


@dataclass(frozen=True, slots=True)
class Download:
    """One downloadable update of a version: ``kind`` "full" or "delta", the
    signed manifest, and its chunks (hash -> compressed bytes)."""

    kind: str
    signed: bytes
    chunks: Mapping[str, bytes]

    @property
    def wire_bytes(self) -> int:
        return sum(len(c) for c in self.chunks.values())


@dataclass(frozen=True, slots=True)
class ManifestRow:
    version: int
    kind: str
    wire_bytes: int


def _store_download(conn: Connection, version: int, d: Download) -> None:
    conn.execute(
        insert(directory_manifests).values(
            version=version, kind=d.kind, signed=d.signed, wire_bytes=d.wire_bytes
        )
    )
    have = set(
        conn.execute(
            select(directory_chunks.c.hash).where(directory_chunks.c.hash.in_(list(d.chunks)))
        ).scalars()
    )
    fresh = [{"hash": h, "data": data} for h, data in d.chunks.items() if h not in have]
    if fresh:
        conn.execute(insert(directory_chunks), fresh)


class DirectoryVersions:
    """``storage.directory``: the published directory versions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def latest(self) -> DirectoryVersion | None:
        """The newest published directory version, with its dataset; None if none yet."""
        query = select(directory_versions).order_by(directory_versions.c.version.desc()).limit(1)
        row = self._db.first(query)
        return _directory_version(row, dataset=True) if row is not None else None

    def get(self, version: int) -> DirectoryVersion | None:
        """One published version, with its dataset; None if there is none."""
        query = select(directory_versions).where(directory_versions.c.version == version)
        row = self._db.first(query)
        return _directory_version(row, dataset=True) if row is not None else None

    def history(self) -> list[DirectoryVersion]:
        """Every published version, oldest first (metadata only)."""
        cols = [c for c in directory_versions.c if c.name != "dataset"]
        query = select(*cols).order_by(directory_versions.c.version)
        return [_directory_version(r, dataset=False) for r in self._db.rows(query)]

    def manifests_after(self, version: int) -> list[ManifestRow]:
        """The downloadable updates of the versions after ``version`` (metadata)."""
        m = directory_manifests.c
        query = select(m.version, m.kind, m.wire_bytes).where(m.version > version)
        rows = self._db.rows(query.order_by(m.version, m.kind))
        return [ManifestRow(int(r.version), r.kind, int(r.wire_bytes)) for r in rows]

    def manifest(self, version: int, kind: str) -> bytes | None:
        """The signed manifest of one downloadable update; None if there is none."""
        m = directory_manifests.c
        row = self._db.first(select(m.signed).where(m.version == version, m.kind == kind))
        return bytes(row.signed) if row is not None else None

    def chunk(self, chunk_hash: str) -> bytes | None:
        """A stored chunk by its hash (hex); None if there is none."""
        c = directory_chunks.c
        row = self._db.first(select(c.data).where(c.hash == chunk_hash))
        return bytes(row.data) if row is not None else None

    def publish(
        self,
        *,
        version: int,
        kind: str,
        dataset: bytes,
        services: int,
        signed: bytes,
        now: datetime,
        audit: AuditEntry | None = None,
        corrections: Sequence[int] = (),
        downloads: Sequence[Download] = (),
    ) -> int:
        """Store a directory version and queue its signed update for every device
        (outbound kind ``"directory"``, no device), together or not at all; the
        accepted ``corrections`` (record seqs) are marked as going out in it;
        ``downloads``: the version's signed manifests and chunks (issue 17).
        :class:`ValidationError` if ``version`` does not follow the newest stored
        one (another publication got there first). Returns the outbound seq."""
        at = to_iso(now)
        with self._db.write() as conn:
            newest = conn.execute(select(func.max(directory_versions.c.version))).scalar()
            expected = 1 if newest is None else int(newest) + 1
            if version != expected:
                raise ValidationError(
                    f"directory version {version} cannot be published: the next version is "
                    f"{expected} (another publication was made meanwhile; import again)",
                    field="version",
                )
            seq = queue(conn, None, "directory", "", signed, at)
            try:
                conn.execute(
                    insert(directory_versions).values(
                        version=version,
                        kind=kind,
                        dataset=dataset,
                        services=services,
                        outbound_seq=seq,
                        published_at=at,
                    )
                )
            except SAIntegrityError:  # a concurrent publication of the same version
                raise ValidationError(
                    f"directory version {version} was published by someone else just now; "
                    "import again",
                    field="version",
                ) from None
            for d in downloads:
                _store_download(conn, version, d)
            mark_published(conn, corrections, version)
            append_audit(conn, audit, at)
            return seq
