"""The agency database underneath every repository: the Engine with the settings
the agency relies on (:func:`make_engine`) and :class:`Database`, the one place
that opens transactions and knows the dialect.

* Every write runs in one transaction. On SQLite a write transaction starts with
  ``BEGIN IMMEDIATE`` (SQLAlchemy's recipe: the driver's own BEGIN is switched
  off and the engine emits its own), so two writers queue on the database lock
  instead of failing half-way with "database is locked"; WAL mode lets readers go on.
* A database that cannot be opened, read or written raises
  :class:`~peerdesk.errors.StorageUnavailable` (the API answers 503).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Executable, Row, Select, Table, create_engine, event
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from peerdesk.errors import ConfigError, StorageUnavailable

_WRITE = "peerdesk_write"

#: ``INSERT`` of either dialect; both know ``ON CONFLICT DO NOTHING / DO UPDATE``
DialectInsert = pg_dialect.Insert | sqlite_dialect.Insert


# --- engine ---------------------------------------------------------------------------


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN (see _sqlite_begin) instead of the sqlite3 module.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
        # an acknowledged record must survive a power cut: the device deletes its copy
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
    finally:
        cur.close()


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An Engine for ``sqlite:///file`` or ``postgresql[+psycopg]://...`` with the
    settings the agency relies on. ``kwargs`` go to :func:`sqlalchemy.create_engine`."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises ArgumentError/ValueError
        raise ConfigError(f"database_url is not a valid URL ({type(exc).__name__})") from None
    backend = parsed.get_backend_name()
    # SQL parameters (sealed blobs, hashes) never go into error messages or logs
    kwargs.setdefault("hide_parameters", True)
    if backend == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:" or database.startswith("file:"):
            raise ConfigError("the SQLite agency database must be a file (sqlite:///path)")
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"timeout": 30, **kwargs.pop("connect_args", {})}
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if parsed.get_driver_name() != "psycopg":
            raise ConfigError("use the psycopg driver: postgresql+psycopg://user@host/db")
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **kwargs)
    raise ConfigError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")


# --- transactions ---------------------------------------------------------------------


class Database:
    """The engine the repositories share: its dialect and its transactions.
    Thread-safe: every transaction takes its own connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        if self.dialect not in ("sqlite", "postgresql"):
            raise ConfigError(f"unsupported database {self.dialect!r}")
        # connections from this engine open write transactions (BEGIN IMMEDIATE on SQLite)
        # and keep cursor.rowcount for INSERT too (ON CONFLICT DO NOTHING tells by it)
        self._writer = engine.execution_options(**{_WRITE: True, "preserve_rowcount": True})

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgresql"

    def write(self) -> AbstractContextManager[Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        return _connection(self._writer.begin, "written")

    def read(self) -> AbstractContextManager[Connection]:
        return _connection(self.engine.connect, "read")

    def insert(self, table: Table) -> DialectInsert:
        """``INSERT`` in this dialect (for ``ON CONFLICT ...``)."""
        if self.postgres:
            return pg_dialect.insert(table)
        return sqlite_dialect.insert(table)

    def insert_ignore(self, table: Table) -> DialectInsert:
        """``INSERT ... ON CONFLICT DO NOTHING`` in this dialect."""
        return self.insert(table).on_conflict_do_nothing()

    # --- reads in one go --------------------------------------------------------------

    def first(self, query: Executable, params: dict[str, Any] | None = None) -> Row[Any] | None:
        r"""The first row of ``query`` (with the values of its ``bindparam``\ s in
        ``params``), or None."""
        with self.read() as conn:
            return conn.execute(query, params).first()

    def rows(self, query: Executable) -> list[Row[Any]]:
        with self.read() as conn:
            return list(conn.execute(query).all())

    def scalar(self, query: Executable) -> Any:
        """The first column of the first row of ``query``, or None."""
        with self.read() as conn:
            return conn.execute(query).scalar()

    def page(self, query: Select[Any], limit: int) -> tuple[list[Row[Any]], bool]:
        """See :func:`fetch_page`."""
        with self.read() as conn:
            return fetch_page(conn, query, limit)


def fetch_page(conn: Connection, query: Select[Any], limit: int) -> tuple[list[Row[Any]], bool]:
    """The first ``limit`` rows of ``query`` (ordered by the caller) and whether more
    follow: it reads one row more than it returns."""
    rows = conn.execute(query.limit(limit + 1)).all()
    return list(rows[:limit]), len(rows) > limit


@contextmanager
def _connection(
    opening: Callable[[], AbstractContextManager[Connection]], verb: str
) -> Iterator[Connection]:
    """A connection from ``opening``; a database that cannot be reached is
    :class:`StorageUnavailable` ("cannot be <verb>")."""
    try:
        with opening() as conn:
            yield conn
    except OperationalError as exc:
        raise StorageUnavailable(
            f"the agency database cannot be {verb} ({type(exc.orig).__name__})"
        ) from exc


# --- SQLite: many rows in one statement ------------------------------------------------

#: rows per statement of :func:`sqlite_insert_values` (the same text for every full
#: chunk, so the driver's statement cache keeps it prepared)
SQLITE_VALUES_CHUNK = 500


def sqlite_insert_values(
    conn: Connection, statement: str, row: str, constants: list[Any], cells: list[Any]
) -> list[Any]:
    """Run ``statement`` on SQLite with its ``{rows}`` a multi-row ``VALUES`` list of
    ``row`` per three ``cells`` (flattened, in order); the rows it returns (with
    ``RETURNING``), as plain tuples.

    ``row`` names the ``constants`` first, as ``?1``, ``?2``..., then has three ``?``
    for the row's own values (SQLite numbers a bare ``?`` one past the highest so
    far, so they follow the constants). What every row shares is bound once, not
    per row, in the plain ``INSERT ... VALUES`` form (rows inserted in their order,
    no subquery or sort); only the few constants are numbered (SQLite looks every
    numbered parameter up in a list while it prepares a statement: a thousand of
    them would cost more than the rows). The chunks stay within SQLite's
    bound-variable limit."""
    driver = conn.connection.driver_connection
    assert driver is not None
    limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    step = 3 * max(1, min(SQLITE_VALUES_CHUNK, (limit - len(constants)) // 3))
    out: list[Any] = []
    cur = driver.cursor()  # the transaction's connection; rows as plain tuples
    try:
        for lo in range(0, len(cells), step):
            part = cells[lo : lo + step]
            cur.execute(_values_sql(statement, row, len(part) // 3), constants + part)
            out += cur.fetchall()
    finally:
        cur.close()
    return out


@functools.lru_cache(maxsize=32)
def _values_sql(statement: str, row: str, rows: int) -> str:
    return statement.format(rows=", ".join([row] * rows))
