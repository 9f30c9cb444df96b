"""Checks on a whole dataset: every reference names a record that exists, no
taxonomy term is its own ancestor, and (for a dataset built in code) no id is
used twice in a table. The HSDS readers (:mod:`peerdesk.interop.hsds`) run these
checks with the places they read each record from, so that an error names the
file, the record and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peerdesk.domain.directory.model import Dataset, Phone
from peerdesk.domain.directory.rules import is_own_ancestor, terms_by_id
from peerdesk.errors import DirectoryDataError, Msg


@dataclass(frozen=True, slots=True)
class Place:
    """Where a record was read: the file (``source``), the record (``row 7``,
    ``services[3] (id '...')``) and, for a nested child, the path to it
    (``prefix``, e.g. ``phones[0].``)."""

    source: str
    record: str
    prefix: str = ""

    def error(self, field: str, problem: Msg) -> DirectoryDataError:
        return DirectoryDataError(
            problem, source=self.source, record=self.record, field=self.prefix + field
        )


#: (table, id) -> where the record was read and the prefix of its fields
Places = Mapping[tuple[str, str], tuple[Place, str]]


def _place_of(places: Places, table: str, record_id: str, source: str) -> tuple[Place, str]:
    return places.get((table, record_id), (Place(source, f"{table} {record_id!r}"), ""))


def check_references(
    dataset: Dataset, places: Places | None = None, *, source: str = "dataset"
) -> None:
    """Every reference names a record that exists, and no taxonomy term is its own
    ancestor. ``places`` (from a parser) lets errors name the file and row."""
    where = places or {}
    org_ids = {o.id for o in dataset.organizations}
    loc_ids = {loc.id for loc in dataset.locations}
    term_ids = {t.id for t in dataset.taxonomy_terms}
    tax_ids = {t.id for t in dataset.taxonomies}

    def fail(
        table: str,
        record_id: str,
        field: str,
        problem: Msg,
        child: tuple[str, str] | None = None,
    ) -> DirectoryDataError:
        place, prefix = _place_of(where, *(child or (table, record_id)), source)
        return place.error(prefix + field, problem)

    def fail_child(
        service_id: str, child: tuple[str, str], item: str, field: str, problem: Msg
    ) -> DirectoryDataError:
        """A service's child record names nothing: the error is the child's when the
        parser read it as a row of its own, else the service's list ``item``'s."""
        if child in where:
            return fail("service", service_id, field, problem, child)
        return fail("service", service_id, f"{item}.{field}", problem)

    for service in dataset.services:
        if service.organization_id is not None and service.organization_id not in org_ids:
            raise fail(
                "service",
                service.id,
                "organization_id",
                Msg("there is no organization with id {id}", id=repr(service.organization_id)),
            )
        for i, sal in enumerate(service.service_at_locations):
            if sal.location_id not in loc_ids:
                raise fail_child(
                    service.id,
                    ("service_at_location", sal.id),
                    f"service_at_locations[{i}]",
                    "location_id",
                    Msg("there is no location with id {id}", id=repr(sal.location_id)),
                )
        for i, attribute in enumerate(service.attributes):
            if attribute.taxonomy_term_id not in term_ids:
                raise fail_child(
                    service.id,
                    ("attribute", attribute.id),
                    f"attributes[{i}]",
                    "taxonomy_term_id",
                    Msg("unknown taxonomy term {id}", id=repr(attribute.taxonomy_term_id)),
                )
    for loc in dataset.locations:
        if loc.organization_id is not None and loc.organization_id not in org_ids:
            raise fail(
                "location",
                loc.id,
                "organization_id",
                Msg("there is no organization with id {id}", id=repr(loc.organization_id)),
            )
    terms = terms_by_id(dataset)
    for term in dataset.taxonomy_terms:
        if term.parent_id is not None and term.parent_id not in term_ids:
            raise fail(
                "taxonomy_term",
                term.id,
                "parent_id",
                Msg("unknown parent term {id}", id=repr(term.parent_id)),
            )
        if term.taxonomy_id is not None and term.taxonomy_id not in tax_ids:
            raise fail(
                "taxonomy_term",
                term.id,
                "taxonomy_id",
                Msg("unknown taxonomy {id}", id=repr(term.taxonomy_id)),
            )
        if is_own_ancestor(term, terms):
            raise fail("taxonomy_term", term.id, "parent_id", Msg("the term is its own ancestor"))


_TABLES = ("organization", "service", "location", "taxonomy", "taxonomy_term", "town")


def check_dataset(dataset: Dataset, *, source: str = "dataset") -> None:
    """The checks the parsers make, for a dataset built in code: duplicate ids (per
    table, children included; one record nested in several places, as HSDS 3 does,
    is not a duplicate), references and term cycles. Field values are
    trusted to have the types the dataclasses declare."""
    seen: dict[tuple[str, str], Any] = {}

    def once(table: str, item: Any) -> None:
        key = (table, item.id)
        if key not in seen:
            seen[key] = item
        elif table in _TABLES or seen[key] != item:
            raise DirectoryDataError(
                Msg("duplicate {table} id {id}", table=table, id=repr(item.id)),
                source=source,
                record=f"{table} {item.id!r}",
                field="id",
            )

    for table, items in all_records(dataset):
        for item in items:
            once(table, item)
    check_references(dataset, None, source=source)


def all_records(dataset: Dataset) -> Iterator[tuple[str, Iterable[Any]]]:
    yield "organization", dataset.organizations
    yield "service", dataset.services
    yield "location", dataset.locations
    yield "taxonomy", dataset.taxonomies
    yield "taxonomy_term", dataset.taxonomy_terms
    yield "town", dataset.towns
    for o in dataset.organizations:
        yield from phone_records(o.phones)
    for s in dataset.services:
        yield from phone_records(s.phones)
        yield "schedule", s.schedules
        yield "service_area", s.service_areas
        yield "service_at_location", s.service_at_locations
        yield "language", s.languages
        yield "attribute", s.attributes
    for loc in dataset.locations:
        yield "address", loc.addresses
        yield from phone_records(loc.phones)
        yield "language", loc.languages
        yield "accessibility", loc.accessibility
        yield "schedule", loc.schedules


def phone_records(phones: Sequence[Phone]) -> Iterator[tuple[str, Iterable[Any]]]:
    yield "phone", phones
    for p in phones:
        yield "language", p.languages
