"""HSDS JSON: one object with the HSDS tables as arrays of HSDS objects, read
(:func:`parse_json`, :func:`dataset_from_json`, :func:`record_from_json`) and
written (:func:`dataset_to_json`, :func:`dump_json`, :func:`record_to_json`).

The tables are ``organizations``, ``services``, ``locations``, ``taxonomies``,
``taxonomy_terms`` plus the PeerDesk extension ``towns``. Children are nested as
HSDS nests them (a service's ``phones``, ``schedules``, ``service_areas``,
``service_at_locations``, ``languages``, ``attributes``; a location's
``addresses``, ``phones``, ``languages``, ``accessibility``, ``schedules``). The
"compiled" shape an HSDS API returns is read too: a list of services (or an
object with ``contents``) whose ``organization``,
``service_at_locations[].location`` and ``attributes[].taxonomy_term`` are
embedded; embedded copies of one record must agree.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import date
from typing import Any, TypeVar

from peerdesk.domain.directory.delta import KINDS
from peerdesk.domain.directory.model import (
    Accessibility,
    Address,
    Attribute,
    Dataset,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    Town,
)
from peerdesk.domain.directory.validation import Place, check_references, phone_records
from peerdesk.errors import DirectoryDataError, Msg
from peerdesk.interop.hsds.fields import (
    accessibility_fields,
    address_fields,
    attribute_fields,
    language_fields,
    location_fields,
    organization_fields,
    phone_fields,
    schedule_fields,
    service_area_fields,
    service_at_location_fields,
    service_fields,
    taxonomy_fields,
    term_fields,
    town_fields,
)
from peerdesk.interop.hsds.reader import (
    MAX_FILE_BYTES,
    MAX_ID,
    MAX_RECORDS,
    Reader,
    Registry,
    type_name,
)

HSDS_VERSION = "3.0"
#: the tables of the dataset document
TABLES = ("organizations", "services", "locations", "taxonomies", "taxonomy_terms", "towns")

T = TypeVar("T")
#: a link record of a service
L = TypeVar("L", ServiceAtLocation, Attribute)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(data: bytes | str, *, source: str = "directory.json") -> Dataset:
    """Read an HSDS JSON document (see the module docstring for the shapes)."""
    return dataset_from_json(decode_json(data, source=source), source=source)


def decode_json(data: bytes | str, *, source: str) -> Any:
    """The JSON value of ``data``: no key twice in an object, no NaN, bounded."""
    if len(data) > MAX_FILE_BYTES:
        raise DirectoryDataError(
            Msg("is larger than {limit} bytes", limit=MAX_FILE_BYTES), source=source
        )
    try:
        obj = json.loads(
            data, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise DirectoryDataError(
            Msg("is not valid JSON: {msg}", msg=exc.msg), source=source, record=f"line {exc.lineno}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise DirectoryDataError(
            Msg("is not valid JSON: {problem}", problem=str(exc)), source=source
        ) from None
    return obj


def dataset_from_json(obj: Any, *, source: str = "directory.json") -> Dataset:
    """Read an already-decoded HSDS JSON value (also used for signed updates)."""
    if isinstance(obj, list):
        obj = {"services": obj}
    elif isinstance(obj, dict) and "contents" in obj and "services" not in obj:
        obj = {"services": obj["contents"]}
    if not isinstance(obj, dict):
        raise DirectoryDataError(
            Msg("must be an object, not {kind}", kind=type_name(obj)), source=source
        )
    parser = _JsonParser(source)
    with no_gc():
        return parser.parse(obj)


class _JsonParser:
    """Reads the records. Strict (``problems`` None): the first problem raises.
    Lenient (a list): a record or nested record with a problem is left out and
    the problem appended (:mod:`peerdesk.interop.hsds.importing`); the reference
    checks are then the caller's."""

    def __init__(
        self,
        source: str,
        *,
        allow_embedded: bool = True,
        problems: list[DirectoryDataError] | None = None,
        origins: dict[int, Place] | None = None,
    ) -> None:
        self.source = source
        self.allow_embedded = allow_embedded
        self.problems = problems
        #: id() of an object that was a CSV row -> the row (:mod:`.csv_package`)
        self.origins = origins
        self.registry = Registry()
        self.places: dict[tuple[str, str], tuple[Place, str]] = {}
        self.organizations: list[Organization] = []
        self.locations: list[Location] = []
        self.terms: list[TaxonomyTerm] = []

    def attempt(self, read: Callable[[], T]) -> T | None:
        """``read()``; when lenient, None (the problem noted) if it raises."""
        if self.problems is None:
            return read()
        try:
            return read()
        except DirectoryDataError as exc:
            self.problems.append(exc)
            return None

    def _each(self, readers: list[Reader], read: Callable[[Reader], T]) -> tuple[T, ...]:
        out = []
        for c in readers:
            item = self.attempt(lambda c=c: read(c))  # type: ignore[misc]
            if item is not None:
                out.append(item)
        return tuple(out)

    def _records(self, obj: dict[str, Any], table: str) -> Iterator[Reader]:
        value = obj.get(table)
        if value is None:
            return
        if not isinstance(value, list):
            raise DirectoryDataError(
                Msg("must be a list, not {kind}", kind=type_name(value)),
                source=self.source,
                record=table,
            )
        if len(value) > MAX_RECORDS:
            raise DirectoryDataError(
                Msg(
                    "has {count} records; the limit is {limit}", count=len(value), limit=MAX_RECORDS
                ),
                source=self.source,
                record=table,
            )
        origins = self.origins or {}
        for i, item in enumerate(value):
            place = Place(self.source, f"{table}[{i}]")
            if not isinstance(item, dict):
                error = place.error("", Msg("must be an object, not {kind}", kind=type_name(item)))
                if self.problems is None:
                    raise error
                self.problems.append(error)
                continue
            origin = origins.get(id(item))
            if origin is not None:
                yield Reader(item, origin, tabular=True, origins=self.origins)
                continue
            reader = Reader(item, place, tabular=False, origins=self.origins)
            ident = item.get("id")
            if isinstance(ident, str) and 0 < len(ident) <= MAX_ID:
                reader.place = Place(self.source, f"{table}[{i}] (id {ident!r})")
            yield reader

    def _note(self, table: str, record_id: str, place: Place, field: str = "") -> None:
        self.places[(table, record_id)] = (place, field)

    def parse(self, obj: dict[str, Any]) -> Dataset:
        taxonomies: list[Taxonomy] = []

        def taxonomy(r: Reader) -> None:
            tax = Taxonomy(**taxonomy_fields(r), extra=r.extra("taxonomy"))
            if self.registry.add("taxonomy", tax, r.place):
                self._note("taxonomy", tax.id, r.place)
                taxonomies.append(tax)

        services: list[Service] = []

        def service(r: Reader) -> None:
            record = self._service(r)
            if record is not None:
                services.append(record)

        towns: list[Town] = []

        def town(r: Reader) -> None:
            record = Town(**town_fields(r))
            if self.registry.add("town", record, r.place):
                towns.append(record)

        for table, read in (
            ("taxonomies", taxonomy),
            ("taxonomy_terms", lambda r: self._term(r, embedded=False)),
            ("organizations", lambda r: self._organization(r, embedded=False)),
            ("locations", lambda r: self._location(r, embedded=False)),
            ("services", service),
            ("towns", town),
        ):
            for r in self._records(obj, table):
                self.attempt(lambda r=r, read=read: read(r))  # type: ignore[misc]
        dataset = Dataset(
            organizations=tuple(self.organizations),
            services=tuple(services),
            locations=tuple(self.locations),
            taxonomies=tuple(taxonomies),
            taxonomy_terms=tuple(self.terms),
            towns=tuple(towns),
            extra=self._dataset_extra(obj),
        )
        if self.problems is None:
            check_references(dataset, self.places, source=self.source)
        return dataset

    def _dataset_extra(self, obj: dict[str, Any]) -> str:
        """Tables PeerDesk does not model (``meta_table_descriptions`` ...), kept."""
        known = {*TABLES, "hsds_version"}
        rest = {k: v for k, v in obj.items() if k not in known}
        if not rest:
            return ""
        return Reader(rest, Place(self.source, "the dataset"), tabular=False).extra("dataset")

    def _term(self, r: Reader, *, embedded: bool) -> TaxonomyTerm:
        term = TaxonomyTerm(**term_fields(r), extra=r.extra("taxonomy_term"))
        if self.registry.add("taxonomy_term", term, r.place, embedded=embedded):
            self._note("taxonomy_term", term.id, r.place)
            self.terms.append(term)
        return term

    def _organization(self, r: Reader, *, embedded: bool) -> Organization:
        # an organization embedded in many services registers its phones once
        local = Registry() if embedded else self.registry
        org = Organization(
            **organization_fields(r), phones=self._phones(r, local), extra=r.extra("organization")
        )
        if self.registry.add("organization", org, r.place, embedded=embedded):
            if embedded:
                for table, items in phone_records(org.phones):
                    for item in items:
                        self.registry.add(table, item, r.place)
            self._note("organization", org.id, r.place)
            self.organizations.append(org)
        return org

    def _embedded(self, r: Reader, field: str) -> Reader | None:
        child = r.child(field)
        if child is not None and not self.allow_embedded:
            raise r.fail(
                field,
                Msg("embedded records are not allowed here; send them as records of their own"),
            )
        return child

    def _location(self, r: Reader, *, embedded: bool) -> Location:
        fields_ = location_fields(r)
        # a location embedded twice registers its children once
        local = Registry() if embedded else self.registry
        loc = Location(
            **fields_,
            addresses=self._kids(local, "address", Address, address_fields, r, "addresses"),
            phones=self._phones(r, local),
            languages=self._languages(r, local),
            accessibility=self._kids(
                local, "accessibility", Accessibility, accessibility_fields, r, "accessibility"
            ),
            schedules=self._kids(local, "schedule", Schedule, schedule_fields, r, "schedules"),
            extra=r.extra("location"),
        )
        if self.registry.add("location", loc, r.place, embedded=embedded):
            if embedded:
                self._register_location_children(loc, r.place)
            self._note("location", loc.id, r.place)
            self.locations.append(loc)
        return loc

    def _register_location_children(self, loc: Location, place: Place) -> None:
        for table, items in (
            ("address", loc.addresses),
            *phone_records(loc.phones),
            ("language", loc.languages),
            ("accessibility", loc.accessibility),
            ("schedule", loc.schedules),
        ):
            for item in items:
                self.registry.add(table, item, place)

    def _child(
        self,
        registry: Registry,
        table: str,
        cls: Callable[..., T],
        read: Callable[[Reader], dict[str, Any]],
        r: Reader,
    ) -> T:
        record = cls(**read(r), extra=r.extra(table))
        registry.add(table, record, r.place)
        return record

    def _kids(
        self,
        registry: Registry,
        table: str,
        cls: Callable[..., T],
        read: Callable[[Reader], dict[str, Any]],
        r: Reader,
        field: str,
    ) -> tuple[T, ...]:
        """The nested records ``field`` of ``r`` (when lenient, without the bad ones)."""
        return self._each(r.children(field), lambda c: self._child(registry, table, cls, read, c))

    def _languages(self, r: Reader, registry: Registry | None = None) -> tuple[Language, ...]:
        reg = registry or self.registry
        return self._kids(reg, "language", Language, language_fields, r, "languages")

    def _phones(self, r: Reader, registry: Registry | None = None) -> tuple[Phone, ...]:
        reg = registry or self.registry

        def phone(c: Reader) -> Phone:
            record = Phone(
                **phone_fields(c), languages=self._languages(c, reg), extra=c.extra("phone")
            )
            reg.add("phone", record, c.place)
            return record

        return self._each(r.children("phones"), phone)

    def _hoist_location(self, r: Reader) -> Location:
        return self._location(r, embedded=True)

    def _hoist_term(self, r: Reader) -> TaxonomyTerm:
        return self._term(r, embedded=True)

    def _link(
        self,
        c: Reader,
        table: str,
        cls: Callable[..., L],
        read: Callable[[Reader], dict[str, Any]],
        target: tuple[str, str, Callable[[Reader], Location | TaxonomyTerm], str],
    ) -> L:
        """A service's link record ``c`` (a service at a location, an attribute) to
        the record ``target`` names (see :meth:`_linked`), registered and noted."""
        record = self._child(self.registry, table, cls, read, self._linked(c, *target))
        self._note(table, record.id, c.place)
        return record

    def _linked(
        self,
        c: Reader,
        field: str,
        id_field: str,
        hoist: Callable[[Reader], Location | TaxonomyTerm],
        what: str,
    ) -> Reader:
        """``c`` with the id of the record embedded as ``field`` (hoisted into its
        own table) as its ``id_field``; when both are given they must agree."""
        embedded = self._embedded(c, field)
        if embedded is None:
            return c
        data = dict(c.data)
        record = hoist(embedded)
        if data.get(id_field) in (None, ""):
            data[id_field] = record.id
        elif data[id_field] != record.id:
            raise c.fail(id_field, Msg("does not match the embedded {what}'s id", what=what))
        return Reader(data, c.place, tabular=c.tabular, origins=c.origins)

    def _service(self, r: Reader) -> Service | None:
        fields_ = service_fields(r)
        embedded_org = self._embedded(r, "organization")
        if embedded_org is not None:
            org = self._organization(embedded_org, embedded=True)
            if fields_["organization_id"] is None:
                fields_["organization_id"] = org.id
            elif fields_["organization_id"] != org.id:
                raise r.fail(
                    "organization_id", Msg("does not match the embedded organization's id")
                )
        sals = self._each(r.children("service_at_locations"), lambda c: self._link(
            c, "service_at_location", ServiceAtLocation, service_at_location_fields,
            ("location", "location_id", self._hoist_location, "location")))  # fmt: skip
        attributes = self._each(r.children("attributes"), lambda c: self._link(
            c, "attribute", Attribute, attribute_fields,
            ("taxonomy_term", "taxonomy_term_id", self._hoist_term, "term")))  # fmt: skip
        reg = self.registry
        service = Service(
            **fields_,
            phones=self._phones(r),
            schedules=self._kids(reg, "schedule", Schedule, schedule_fields, r, "schedules"),
            service_areas=self._kids(
                reg, "service_area", ServiceArea, service_area_fields, r, "service_areas"
            ),
            service_at_locations=sals,
            languages=self._languages(r),
            attributes=attributes,
            extra=r.extra("service"),
        )
        if not self.registry.add("service", service, r.place):
            return None
        self._note("service", service.id, r.place)
        return service


# --- single records (for signed updates and the store) ----------------------------------


def record_from_json(table: str, obj: Any, *, source: str, record: str) -> Any:
    """Read one top-level record of ``table`` from its HSDS JSON object. Embedded
    organizations, locations and terms are not allowed here (send them as records
    of their own)."""
    if table not in KINDS:
        raise DirectoryDataError(
            Msg("unknown record kind {kind}", kind=repr(str(table)[:40])),
            source=source,
            record=record,
        )
    if not isinstance(obj, dict):
        raise DirectoryDataError(
            Msg("must be an object, not {kind}", kind=type_name(obj)), source=source, record=record
        )
    parser = _JsonParser(source, allow_embedded=False)
    reader = Reader(obj, Place(source, record), tabular=False)
    if table == "service":
        return parser._service(reader)  # one record: never a repeat
    if table == "organization":
        return parser._organization(reader, embedded=False)
    if table == "location":
        return parser._location(reader, embedded=False)
    if table == "taxonomy":
        return Taxonomy(**taxonomy_fields(reader), extra=reader.extra("taxonomy"))
    if table == "taxonomy_term":
        return parser._term(reader, embedded=False)
    return Town(**town_fields(reader))


# --- writing ------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def record_to_json(record: Any) -> dict[str, Any]:
    """One record as an HSDS JSON object; empty optional fields are left out."""
    out: dict[str, Any] = {}
    extra = ""
    for name in _field_names(type(record)):
        value = getattr(record, name)
        if value is None or value == "" or value == ():
            continue
        if name == "extra":
            extra = value
        elif type(value) is tuple:
            out[name] = [record_to_json(v) for v in value]
        else:
            out[name] = plain(value)
    if extra:
        for key, value in json.loads(extra).items():
            out.setdefault(key, value)
    return out


def dataset_to_json(dataset: Dataset) -> dict[str, Any]:
    extra = json.loads(dataset.extra) if dataset.extra else {}
    return extra | {
        "hsds_version": HSDS_VERSION,
        "organizations": [record_to_json(o) for o in dataset.organizations],
        "services": [record_to_json(s) for s in dataset.services],
        "locations": [record_to_json(loc) for loc in dataset.locations],
        "taxonomies": [record_to_json(t) for t in dataset.taxonomies],
        "taxonomy_terms": [record_to_json(t) for t in dataset.taxonomy_terms],
        "towns": [record_to_json(t) for t in dataset.towns],
    }


def dump_json(dataset: Dataset, *, compact: bool = False) -> str:
    """The internal JSON form; ``compact`` (what the agency stores) has no
    indentation, which Python's C encoder writes several times faster."""
    with no_gc():
        doc = dataset_to_json(dataset)
        if compact:
            return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@contextmanager
def no_gc() -> Iterator[None]:
    """Reading or writing a large directory makes millions of objects and no
    reference cycles: the cyclic garbage collector's passes over them are pure
    cost (a quarter of an import), so it pauses meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
