"""What every repository shares: the database, the vault's field cipher, the
outbox and the audit log, and encode/decode of sensitive values."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

import msgpack
from sqlite_utils import Database

from peerdesk.crypto.envelope import Place
from peerdesk.crypto.vault import Vault
from peerdesk.errors import CorruptData, Msg, NotFound
from peerdesk.ids import from_iso, now_utc, to_iso
from peerdesk.store.db import translate_errors
from peerdesk.store.outbox import Outbox

T = TypeVar("T")
FIELD_SCHEMA = 1


def stamp() -> datetime:
    """Now (UTC) at the precision the database stores (milliseconds), so an object
    a repository returns equals the one read back later."""
    return from_iso(to_iso(now_utc()))


@dataclass(slots=True)
class ReadResult(Generic[T]):
    """Records read from the store; damaged ones are reported, never fatal."""

    items: list[T] = field(default_factory=list)
    damaged: list[CorruptData] = field(default_factory=list)


class Repository:
    table: str = ""
    kind: str = ""  # singular, for messages: "note", "participant", "trip"

    def __init__(self, db: Database, vault: Vault) -> None:
        self.db = db
        self.vault = vault

    def seal(self, record_id: str, field_name: str, value: Any, table: str | None = None) -> bytes:
        place = Place(table or self.table, record_id, field_name, FIELD_SCHEMA)
        return self.vault.keys.fields.seal(msgpack.packb(value, use_bin_type=True), place)

    def unseal(self, record_id: str, field_name: str, blob: bytes, table: str | None = None) -> Any:
        place = Place(table or self.table, record_id, field_name, FIELD_SCHEMA)
        plaintext = self.vault.keys.fields.open(blob, place)
        try:
            return msgpack.unpackb(plaintext, raw=False, strict_map_key=True)
        except (ValueError, msgpack.UnpackException) as exc:
            raise CorruptData(
                "decrypted value is malformed",
                table=place.table,
                record_id=record_id,
                field=field_name,
            ) from exc

    def row_by_id(self, record_id: str) -> dict[str, Any]:
        """The row with ``record_id`` in this repository's table, or NotFound."""
        sql = f"SELECT * FROM {self.table} WHERE id = ?"  # table is a class constant
        for row in rows(self.db, sql, [record_id], what=Msg("read the {kind}", kind=self.kind)):
            return dict(row)
        raise NotFound(self.kind, record_id)

    def malformed(self, record_id: str) -> CorruptData:
        """The error for a row of this table that does not build into a record."""
        return CorruptData(
            f"{self.kind} record is malformed", table=self.table, record_id=record_id
        )

    def read_many(self, rows: Iterable[Any], build: Callable[[Any], T]) -> ReadResult[T]:
        """Build each row; a row that fails to decrypt is listed as damaged.

        A failure of the query itself (damaged database pages, see :func:`rows`)
        is not one record's problem: its :class:`CorruptData` or
        :class:`StorageUnavailable` propagates."""
        result: ReadResult[T] = ReadResult()
        for row in rows:
            try:
                result.items.append(build(row))
            except CorruptData as exc:
                result.damaged.append(exc)
        return result


class OutboxRepository(Repository):
    """A repository whose changes sync to the agency: each one is journaled in
    :attr:`outbox` in the same transaction."""

    def __init__(self, db: Database, vault: Vault, outbox: Outbox) -> None:
        super().__init__(db, vault)
        self.outbox = outbox


#: "could not read the records" (the default of :func:`rows`)
READ_RECORDS = Msg("read the records")


def rows(
    db: Database, sql: str, params: Iterable[Any] = (), *, what: Msg = READ_RECORDS
) -> Iterator[Any]:
    """Run a query and yield each row as a dict.

    SQLite reports damaged pages only when it reaches them, so the iteration is
    translated too, not just ``execute``: a raw ``sqlite3.DatabaseError`` becomes
    :class:`CorruptData` (or :class:`StorageUnavailable` when the file is locked or
    unreadable) saying "could not <what>".
    """
    with translate_errors(what, writing=False):
        cursor = db.conn.execute(sql, tuple(params))
        cols = [c[0] for c in cursor.description]
        for values in cursor:
            yield dict(zip(cols, values, strict=True))
