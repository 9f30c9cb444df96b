"""A directory download in progress (``directory_download``, migration 0014):
the signed manifest being downloaded and the chunks received so far. The sync
(:mod:`peerdesk.link.directory_download`) checks every chunk against the
manifest before it is put here; a chunk is one small transaction, so a cut
loses at most the chunk on its way. The directory tables are not touched
until every chunk is in (the old directory stays searchable meanwhile)."""

from __future__ import annotations

import contextlib
import sqlite3

from sqlite_utils import Database

from peerdesk.errors import Msg
from peerdesk.store.db import translate_errors


class DownloadStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def manifest(self) -> bytes | None:
        """The signed manifest of the download in progress; None: none (or one is
        wanted but not begun)."""
        row = self.db.execute("SELECT manifest FROM directory_download WHERE id = 1").fetchone()
        return bytes(row[0]) if row is not None and row[0] else None

    def wanted(self) -> bool:
        """Whether a download is wanted or begun (and not finished)."""
        return (
            self.db.execute("SELECT 1 FROM directory_download WHERE id = 1").fetchone() is not None
        )

    def want(self) -> None:
        """Note that a download is wanted (an update was announced, or could not
        apply), in the caller's transaction: it stays wanted until one is applied
        or the agency says this laptop is up to date, whatever fails meanwhile."""
        self.db.execute(
            "INSERT OR IGNORE INTO directory_download (id, version, manifest) VALUES (1, 0, x'')"
        )

    def begin(self, version: int, manifest: bytes) -> None:
        """Start downloading ``manifest``; the chunks of another one are dropped,
        those of the same one kept (a resumed download)."""
        if self.manifest() == manifest:
            return
        with translate_errors(Msg("start the directory download")), self.db.atomic():
            self._clear()
            self.db.execute(
                "INSERT INTO directory_download (id, version, manifest) VALUES (1, ?, ?)",
                [version, manifest],
            )

    def received(self) -> dict[int, int]:
        """The chunks received: index -> size in bytes."""
        rows = self.db.execute("SELECT idx, length(data) FROM directory_download_chunks")
        return {int(i): int(n) for i, n in rows.fetchall()}

    def put(self, index: int, chunk_hash: str, data: bytes) -> None:
        """Keep chunk ``index`` (checked by the caller), in its own transaction."""
        with translate_errors(Msg("save a directory chunk")), self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO directory_download_chunks (idx, hash, data)"
                " VALUES (?, ?, ?)",
                [index, chunk_hash, data],
            )

    def chunks(self) -> list[tuple[str, bytes]]:
        """Every chunk received, by index: (hash, data)."""
        rows = self.db.execute("SELECT hash, data FROM directory_download_chunks ORDER BY idx")
        return [(str(h), bytes(d)) for h, d in rows.fetchall()]

    def clear(self) -> None:
        """Forget the download (after it was applied, or refused)."""
        with translate_errors(Msg("clear the directory download")), self.db.atomic():
            self._clear()

    def fold_wal(self) -> None:
        """After a whole directory was applied: fold the WAL (as large as the
        data) back into the database rather than keep it on disk (best effort)."""
        with contextlib.suppress(sqlite3.Error):
            self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def _clear(self) -> None:
        self.db.execute("DELETE FROM directory_download_chunks")
        self.db.execute("DELETE FROM directory_download")
