"""The storage checks behind ``doctor`` and the refusal of a newer database.

The ``*_SENSITIVE_COLUMNS`` maps name every column that must only ever hold
envelopes (checked by ``doctor`` and by the tests). A column of
:data:`NULLABLE_SENSITIVE` may also be NULL (rows written before it existed).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from peerdesk.crypto.envelope import MAGIC, OVERHEAD, VERSION
from peerdesk.errors import Msg, StorageUnavailable
from peerdesk.store.db import translate_errors
from peerdesk.store.migrations import check_not_too_new, migrations

SENSITIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "participants": ("display_name", "profile"),
    "notes": ("body", "goals", "coordination"),
    "addenda": ("text",),
    "trips": ("destination", "notes"),
}
#: the same for the sync tables (migration 0006); often empty, so kept apart
SYNC_SENSITIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "device": ("label", "sign_key", "box_key", "credential"),
    "recovery_escrow": ("secret",),
    "feedback": ("comment", "reviewer"),
}
#: the same for referrals and suggested corrections (migration 0007)
DIRECTORY_SENSITIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "referrals": ("details",),
    "corrections": ("suggestion",),
}
#: the same for the participant's record (migration 0009)
RECORD_SENSITIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "participant_records": ("doc",),
    # the peer's workforce record (migration 0013)
    "workforce_records": ("doc",),
}
#: the same for a supervisor's review cache (migration 0008)
REVIEW_SENSITIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "review_items": ("summary",),
    "review_payloads": ("payload",),
    "review_participants": ("name",),
    "review_events": ("actor",),
    "review_decisions": ("comment", "reviewer"),
}
#: columns added to a table with rows (migration 0012): NULL in older rows
NULLABLE_SENSITIVE = frozenset({("notes", "coordination")})
ALL_SENSITIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    **SENSITIVE_COLUMNS,
    **SYNC_SENSITIVE_COLUMNS,
    **DIRECTORY_SENSITIVE_COLUMNS,
    **RECORD_SENSITIVE_COLUMNS,
    **REVIEW_SENSITIVE_COLUMNS,
}


def refuse_if_too_new(db_path: Path) -> None:
    """Look at an existing database read-only, so a file from a newer version is
    not modified in any way before :class:`SchemaTooNew` is raised."""
    if not db_path.exists():
        return
    try:
        conn = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StorageUnavailable(
            Msg("cannot open {path}: {problem}", path=str(db_path), problem=str(exc))
        ) from None
    try:
        with translate_errors(Msg("read the profile database")):
            check_not_too_new(Database(conn, execute_plugins=False, recursive_triggers=False))
    finally:
        conn.close()


def integrity_check(db: Any) -> str:
    """``PRAGMA integrity_check`` in one line ("ok" when the file is sound)."""
    with translate_errors(Msg("run the integrity check"), writing=False):
        lines = db.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(r[0]) for r in lines)


def schema_state(db: Any) -> tuple[list[str], list[str]]:
    """The migrations applied and those pending, by name."""
    with translate_errors(Msg("read the schema version"), writing=False):
        return [m.name for m in migrations.applied(db)], [m.name for m in migrations.pending(db)]


def plaintext_rows(db: Any, table: str, column: str) -> int:
    """How many rows of ``table.column`` do not hold an envelope (the same test as
    ``looks_like_envelope``: blob, magic, version, length)."""
    null_ok = f"{column} IS NOT NULL AND" if (table, column) in NULLABLE_SENSITIVE else ""
    with translate_errors(
        Msg("check {table}.{column} for plaintext", table=table, column=column), writing=False
    ):
        return int(
            db.execute(
                f"SELECT count(*) FROM {table} WHERE {null_ok} (typeof({column}) != 'blob'"
                f" OR substr({column}, 1, 3) != ? OR length({column}) < ?)",
                (MAGIC + bytes([VERSION]), OVERHEAD),
            ).fetchone()[0]
        )
