"""Opening the profile database with the settings every connection needs.

* WAL, so readers never block the one writer; ``synchronous=FULL`` so a commit
  (a signed note, an outbox row) survives power loss once it returns.
* Foreign keys on; ``secure_delete`` on, so deleted envelopes are zeroed rather
  than left in free pages; temporary storage in memory, never temp files.
* Errors from SQLite that mean "cannot write (or read) here" become
  :class:`StorageUnavailable`, and a damaged file (malformed pages) becomes
  :class:`CorruptData`, each with a sentence; see :func:`translate_errors`, which
  wraps write transactions and read paths alike.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from peerdesk.errors import CorruptData, Msg, StorageUnavailable

T = TypeVar("T")

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA busy_timeout=5000",
)


def open_database(path: Path) -> Database:
    """Open (creating if needed) the SQLite file at ``path`` with PeerDesk's settings."""
    try:
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=5.0)
    except sqlite3.OperationalError as exc:
        raise StorageUnavailable(
            Msg("cannot open the database {path}: {problem}", path=str(path), problem=str(exc))
        ) from None
    try:
        for pragma in PRAGMAS:
            conn.execute(pragma)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if isinstance(exc, sqlite3.OperationalError):
            raise StorageUnavailable(
                Msg("cannot open the database {path}: {problem}", path=str(path), problem=str(exc))
            ) from None
        raise CorruptData(f"{path.name} is not a PeerDesk database: {exc}") from None
    return Database(conn, execute_plugins=False)


@contextlib.contextmanager
def translate_errors(what: Msg, *, writing: bool = True) -> Iterator[None]:
    """Turn SQLite's low-level failures into PeerDesk errors with a sentence.

    ``what`` completes "could not ...". Pass ``writing=False`` on read paths, so
    the sentence does not claim that something was not saved.
    """
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "could not decode" in text:
            # a text cell holds bytes that were never valid text: the file is damaged
            # (the sqlite3 module says so with an OperationalError)
            raise CorruptData(f"could not {what}: the database is damaged ({exc})") from None
        if "disk" in text and "full" in text:
            why: str = Msg("the disk is full")
        elif "readonly" in text or "read-only" in text:
            why = Msg("the profile folder is read-only")
        elif "locked" in text or "busy" in text:
            why = Msg("the database is in use by another PeerDesk window")
        else:
            why = str(exc)  # SQLite's own words
        message = (
            Msg("could not {what}: {why}; nothing was saved", what=what, why=why)
            if writing
            else Msg("could not {what}: {why}", what=what, why=why)
        )
        raise StorageUnavailable(message) from None
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError):
            raise  # a constraint or a bug in our SQL: not damage to the file
        raise CorruptData(f"could not {what}: the database is damaged ({exc})") from None


def fetch_all(
    db: Database, make: Callable[..., T], sql: str, params: Iterable[Any] = (), *, what: Msg
) -> list[T]:
    """Run a read query and make each row into ``make(*row)`` (a dataclass of the
    columns in order); failures are translated as on every read path ("could not
    <what>")."""
    with translate_errors(what, writing=False):
        return [make(*row) for row in db.conn.execute(sql, tuple(params))]
