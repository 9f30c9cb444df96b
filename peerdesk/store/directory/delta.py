"""Applying a delta to the directory in the profile database, within the
caller's transaction: each operation is checked (an add finds its id free, an
update or removal finds its record), the records are written, references between
records are checked after the delta, and every service the delta changed, or
whose organization, location or category it changed, is derived again.

The pure equivalent (and what the agency checks before it publishes) is
:func:`peerdesk.domain.directory.apply_delta`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlite_utils import Database

from peerdesk.domain.directory import (
    DeltaOp,
    DirectoryDelta,
    Location,
    Organization,
    Service,
    TaxonomyTerm,
    is_own_ancestor,
)
from peerdesk.errors import DirectoryDataError, Msg
from peerdesk.store.directory.derive import DerivedService, Lookups, derive
from peerdesk.store.directory.index import SearchIndex
from peerdesk.store.directory.records import DirectoryRecords
from peerdesk.store.directory.rows import TABLES, insert_sql, parse_doc, row_of

#: the services that use a record of this kind, by the record's id
_USERS = {
    "organization": "SELECT id FROM directory_services WHERE organization_id = ?",
    "location": "SELECT s.id FROM directory_service_locations sl"
    " JOIN directory_services s ON s.sid = sl.sid WHERE sl.location_id = ?",
    "taxonomy_term": "SELECT s.id FROM directory_service_terms t"
    " JOIN directory_services s ON s.sid = t.sid WHERE t.term_id = ?",
}


def _place(i: int, op: DeltaOp) -> str:
    return f"ops[{i}] ({op.action} {op.kind} {op.id!r})"


def _refused(problem: Msg, source: str, place: str, field: str | None = None) -> DirectoryDataError:
    return DirectoryDataError(problem, source=source, record=place, field=field)


@dataclass(slots=True)
class _Work:
    """What the operations leave to do once the records are written."""

    #: service id -> the op that made it need reindexing (a record it uses changed)
    touched: dict[str, tuple[int, DeltaOp]] = field(default_factory=dict)
    #: service id -> the op that adds or updates it
    changed_services: dict[str, tuple[int, DeltaOp]] = field(default_factory=dict)
    removed_services: list[str] = field(default_factory=list)
    term_ops: list[tuple[int, DeltaOp]] = field(default_factory=list)
    #: location and organization operations
    location_ops: list[tuple[int, DeltaOp]] = field(default_factory=list)


class DeltaWriter:
    def __init__(self, db: Database, records: DirectoryRecords, index: SearchIndex) -> None:
        self.db = db
        self.records = records
        self.index = index

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def _exists(self, table: str, record_id: str) -> bool:
        sql = f"SELECT 1 FROM {table} WHERE id = ?"
        return self.conn.execute(sql, (record_id,)).fetchone() is not None

    def apply(self, delta: DirectoryDelta, source: str) -> None:
        """Apply ``delta`` (its base version already checked; the caller sets the
        new version)."""
        work = _Work()
        for i, op in enumerate(delta.ops):
            self._check_op(i, op, source)
            if op.kind == "service":
                if op.action == "remove":
                    work.removed_services.append(op.id)
                else:
                    work.changed_services[op.id] = (i, op)
                continue
            self._note(work, i, op)
            self._write_record(op)
        for service_id in work.removed_services:
            self._remove_service(service_id)
            work.touched.pop(service_id, None)
        terms = self.records.terms()
        self._check_terms(work.term_ops, terms, source)
        self._check_locations(work.location_ops, source)
        self._reindex(work, terms, source)
        self.index.sync_spell()

    # --- the operations ---------------------------------------------------------------

    def _check_op(self, i: int, op: DeltaOp, source: str) -> None:
        exists = self._exists(TABLES[op.kind], op.id)
        if op.action == "add" and exists:
            raise _refused(
                Msg("a {kind} with this id already exists", kind=op.kind),
                source,
                _place(i, op),
                "id",
            )
        if op.action != "add" and not exists:
            raise _refused(
                Msg("there is no {kind} with this id", kind=op.kind), source, _place(i, op), "id"
            )

    def _note(self, work: _Work, i: int, op: DeltaOp) -> None:
        """Which services a non-service operation makes stale, and which checks
        it needs after the delta."""
        users = _USERS.get(op.kind)
        if users is not None:
            for (service_id,) in self.conn.execute(users, (op.id,)):
                work.touched.setdefault(service_id, (i, op))
        if op.kind in ("organization", "location"):
            work.location_ops.append((i, op))
        elif op.kind in ("taxonomy_term", "taxonomy"):
            work.term_ops.append((i, op))

    def _write_record(self, op: DeltaOp) -> None:
        if op.action == "remove":
            self.conn.execute(f"DELETE FROM {TABLES[op.kind]} WHERE id = ?", (op.id,))
        else:
            # the operation's id (a verified update's record has the same one)
            row = (op.id, *row_of(op.kind, op.record)[1:])
            self.conn.execute(insert_sql(op.kind, upsert=True), row)

    def _remove_service(self, service_id: str) -> None:
        (sid,) = self.conn.execute(
            "SELECT sid FROM directory_services WHERE id = ?", (service_id,)
        ).fetchone()
        self.index.delete_derived([sid])
        self.conn.execute("DELETE FROM directory_services WHERE sid = ?", (sid,))

    # --- references after the delta (services are checked when indexed) ------------------

    def _first(self, sql: str, value: str | None) -> str | None:
        row = self.conn.execute(sql, (value,)).fetchone()
        return None if row is None else str(row[0])

    def _check_terms(
        self, ops: list[tuple[int, DeltaOp]], terms: Mapping[str, TaxonomyTerm], source: str
    ) -> None:
        """Term parents and taxonomies, and no term its own ancestor."""
        for i, op in ops:
            place = _place(i, op)
            if op.kind == "taxonomy" and op.action == "remove":
                user = self._first(
                    "SELECT id FROM directory_terms WHERE taxonomy_id = ? LIMIT 1", op.id
                )
                if user is not None:
                    raise _refused(
                        Msg("term {term} still belongs to this taxonomy", term=repr(user)),
                        source,
                        place,
                    )
            elif op.kind == "taxonomy_term" and op.action == "remove":
                child = self._first(
                    "SELECT id FROM directory_terms WHERE parent_id = ? LIMIT 1", op.id
                )
                if child is not None:
                    raise _refused(
                        Msg("term {term} still has this term as its parent", term=repr(child)),
                        source,
                        place,
                    )
            elif op.kind == "taxonomy_term":
                term: TaxonomyTerm = op.record
                if term.parent_id is not None and not self._exists(
                    "directory_terms", term.parent_id
                ):
                    raise _refused(
                        Msg("unknown parent term {term}", term=repr(term.parent_id)),
                        source,
                        place,
                        "parent_id",
                    )
                if term.taxonomy_id is not None and not self._exists(
                    "directory_taxonomies", term.taxonomy_id
                ):
                    raise _refused(
                        Msg("unknown taxonomy {taxonomy}", taxonomy=repr(term.taxonomy_id)),
                        source,
                        place,
                        "taxonomy_id",
                    )
                if is_own_ancestor(term, terms):
                    raise _refused(Msg("the term is its own ancestor"), source, place, "parent_id")

    def _check_locations(self, ops: list[tuple[int, DeltaOp]], source: str) -> None:
        """Location organizations (``ops`` holds location and organization operations)."""
        for i, op in ops:
            if op.kind == "organization" and op.action == "remove":
                user = self._first(
                    "SELECT id FROM directory_locations WHERE organization_id = ? LIMIT 1", op.id
                )
                if user is not None:
                    raise _refused(
                        Msg(
                            "location {location} still belongs to this organization",
                            location=repr(user),
                        ),
                        source,
                        _place(i, op),
                    )
            elif op.kind == "location" and op.action != "remove":
                loc: Location = op.record
                if loc.organization_id is not None and not self._exists(
                    "directory_organizations", loc.organization_id
                ):
                    raise _refused(
                        Msg("there is no organization with id {id}", id=repr(loc.organization_id)),
                        source,
                        _place(i, op),
                        "organization_id",
                    )

    # --- deriving the services again --------------------------------------------------------

    def _lookups(self, terms: Mapping[str, TaxonomyTerm]) -> Lookups:
        orgs: dict[str, Organization | None] = {}
        locs: dict[str, Location | None] = {}

        def org_of(oid: str) -> Organization | None:
            if oid not in orgs:
                orgs[oid] = self.records.organization(oid)
            return orgs[oid]

        def loc_of(lid: str) -> Location | None:
            if lid not in locs:
                locs[lid] = self.records.location(lid)
            return locs[lid]

        return Lookups(org_of, loc_of, terms)

    def _stored_service(self, service_id: str) -> Service:
        rows = self.conn.execute(
            "SELECT d.doc FROM directory_services s"
            " JOIN directory_service_docs d ON d.sid = s.sid WHERE s.id = ?",
            (service_id,),
        ).fetchall()
        service: Service = parse_doc("service", rows[0][0], "directory_services", service_id)
        return service

    def _reindex(self, work: _Work, terms: Mapping[str, TaxonomyTerm], source: str) -> None:
        """Derive again every changed service and every user of a changed record; a
        service that names a missing record is blamed on the op that removed it."""
        look = self._lookups(terms)
        todo: dict[str, tuple[Service, int, DeltaOp, bool]] = {}
        for service_id, (i, op) in work.touched.items():
            if service_id not in work.changed_services:
                todo[service_id] = (self._stored_service(service_id), i, op, False)
        for service_id, (i, op) in work.changed_services.items():
            todo[service_id] = (op.record, i, op, True)
        items: list[tuple[int, DerivedService]] = []
        next_sid = self.conn.execute(
            "SELECT coalesce(max(sid), 0) + 1 FROM directory_services"
        ).fetchone()[0]
        for service_id, (service, i, op, own) in todo.items():
            record = (
                _place(i, op)
                if own
                else f"{_place(i, op)}, which service {service_id!r} still uses"
            )

            def blame(f: str, p: Msg, record: str = record, own: bool = own) -> DirectoryDataError:
                return DirectoryDataError(p, source=source, record=record, field=f if own else None)

            derived = derive(service, look, blame)
            row = self.conn.execute(
                "SELECT sid FROM directory_services WHERE id = ?", (service_id,)
            ).fetchone()
            if row is None:
                sid, next_sid = next_sid, next_sid + 1
            else:
                sid = row[0]
                self.index.delete_derived([sid])
                self.conn.execute("DELETE FROM directory_services WHERE sid = ?", (sid,))
            items.append((sid, derived))
        self.index.insert_services(items)
