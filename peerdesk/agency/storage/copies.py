"""The SQL of backups and restores (:mod:`peerdesk.agency.backup` drives them):
rows per table, SQLite's online backup API both ways and its integrity check,
the schema in use on PostgreSQL, and the sequence counters a restore moves past
every number handed out before it."""

from __future__ import annotations

import os
import sqlite3
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from peerdesk.agency.storage import Storage
from peerdesk.agency.tables import metadata, records

PRIVATE_FILE = 0o600
#: how long before a PostgreSQL dump's snapshot a record still in flight may have
#: been received (a sync's transaction lasts seconds; this is generous)
IN_FLIGHT = timedelta(minutes=10)
#: how far every counter jumps past the highest number handed out before a restore
#: (or past the backup's own numbers when the replaced database cannot be read):
#: room for numbers a server still running on the old database hands out meanwhile
RESTORE_GAP = 1_000_000
#: the tables whose ``seq`` numbers leave the server (acks, cursors, pages)
SEQUENCED = ("records", "outbound", "review_events", "admin_audit", "key_bundles")


def sqlite_integrity(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` of the file, read only (["ok"] when whole)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in con.execute("PRAGMA integrity_check")]
    finally:
        con.close()


def sqlite_schema(path: Path) -> list[str]:
    """The Alembic revisions the SQLite file holds (read only)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [str(row[0]) for row in con.execute("SELECT version_num FROM alembic_version")]
    finally:
        con.close()


def counts(storage: Storage) -> dict[str, int]:
    with storage.db.read() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
            for name, table in sorted(metadata.tables.items())
        }


def sqlite_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {name: int(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
                for name in sorted(metadata.tables)}  # fmt: skip
    finally:
        con.close()


def sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while others write."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    os.chmod(target, PRIVATE_FILE)


def current_schema(storage: Storage) -> str:
    with storage.db.read() as conn:
        return str(conn.execute(text("SELECT current_schema()")).scalar())


def sqlite_restore(source: Path, target: Path) -> None:
    """The backup API from the copy into the live file: connections to it (a
    running server's, with --force) see the old database or the new, never half."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=60)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        src.close()


def sequences(storage: Storage) -> dict[str, int] | None:
    """The highest number each counter of :data:`SEQUENCED` handed out, or None
    when the database cannot be read (then the counters jump by RESTORE_GAP)."""
    try:
        out = {}
        with storage.db.read() as conn:
            for name in SEQUENCED:
                if storage.db.postgres:
                    seq = conn.execute(
                        text("SELECT pg_get_serial_sequence(:t, 'seq')"), {"t": name}
                    ).scalar()
                    value = conn.execute(text(f"SELECT last_value FROM {seq}")).scalar()
                else:
                    value = conn.execute(
                        text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": name}
                    ).scalar()
                high = conn.execute(select(func.max(metadata.tables[name].c.seq))).scalar()
                out[name] = max(int(value or 0), int(high or 0))
        return out
    except Exception:  # noqa: BLE001 - a damaged or missing database: jump instead
        return None


def advance_sequences(storage: Storage, before: dict[str, int] | None) -> dict[str, int]:
    """Move each counter :data:`RESTORE_GAP` past every number handed out before
    the restore (as far as it can be known); the new values, by table."""
    now = sequences(storage) or {}
    moved = {}
    with storage.db.write() as conn:
        for name in SEQUENCED:
            current = now.get(name, 0)
            target = max(before.get(name, 0), current) if before else current
            target += RESTORE_GAP
            if storage.db.postgres:
                conn.execute(
                    text("SELECT setval(pg_get_serial_sequence(:t, 'seq'), :v)"),
                    {"t": name, "v": target},
                )
            else:
                updated = conn.execute(
                    text("UPDATE sqlite_sequence SET seq = :v WHERE name = :t"),
                    {"t": name, "v": target},
                ).rowcount
                if not updated:
                    conn.execute(
                        text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :v)"),
                        {"t": name, "v": target},
                    )
            moved[name] = target
    return moved


def high_water(storage: Storage, in_flight_since: str | None = None) -> int:
    """The record number up to which the database surely holds every record.

    SQLite writes one transaction at a time, so its records are committed in
    number order: that is the highest number it holds (``in_flight_since``
    None). On PostgreSQL numbers are taken before the commit, so a dump's
    snapshot may hold record 12 and miss 11, still in flight: give
    ``in_flight_since`` (:data:`IN_FLIGHT` before the snapshot was taken) and the
    mark is one below the lowest number received since then, the highest number
    otherwise. Laptops send again everything above it; a record the agency holds
    after all is deduplicated by its op id, so a low mark costs bytes, never data.
    """
    top = int(storage.db.scalar(select(func.max(records.c.seq))) or 0)
    if in_flight_since is None:
        return top
    low = storage.db.scalar(
        select(func.min(records.c.seq)).where(records.c.received_at >= in_flight_since)
    )
    return top if low is None else min(top, int(low) - 1)
