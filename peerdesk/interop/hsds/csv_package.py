"""The HSDS CSV package: a folder of one file per table, read
(:func:`parse_csv_package`) and written (:func:`dump_csv_package`).

The files are named as HSDS 3 names them (``organization.csv``, ``service.csv``,
``location.csv``, ``service_at_location.csv``, ``phone.csv``, ``schedule.csv``,
``service_area.csv``, ``language.csv``, ``accessibility.csv``, ``address.csv``,
``taxonomy.csv``, ``taxonomy_term.csv``, ``attribute.csv``) plus
``peerdesk_town.csv``. The HSDS 2 plural names (``services.csv`` ...) are accepted
on import. Children link to parents by id columns (``service_id``,
``location_id``, ``link_id`` + ``link_entity`` ...). A row is counted like a
spreadsheet row in errors: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any, Protocol, TypeVar

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
from peerdesk.domain.directory.validation import Place, check_references
from peerdesk.errors import DirectoryDataError
from peerdesk.interop.hsds.csv_tables import CSV_REQUIRED, CSV_TABLES
from peerdesk.interop.hsds.json_format import plain
from peerdesk.interop.hsds.reader import (
    MAX_FILE_BYTES,
    MAX_ITEMS,
    MAX_RECORDS,
    Reader,
    Registry,
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

T = TypeVar("T")


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Identified)


def _csv_rows(name: str, text: str) -> list[Reader]:
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            return []
        header = [h.strip() for h in header]
        if len(set(header)) != len(header):
            dup = next(h for h in header if header.count(h) > 1)
            raise DirectoryDataError(
                f"the column {dup!r} appears twice", source=name, record="row 1"
            )
        for column in CSV_REQUIRED[name]:
            if column not in header:
                raise DirectoryDataError(
                    f"the column {column!r} is missing", source=name, record="row 1", field=column
                )
        out: list[Reader | None] = []
        for values in reader:
            row_number = len(out) + 2
            if len(out) >= MAX_RECORDS:
                raise DirectoryDataError(f"has more than {MAX_RECORDS} rows", source=name)
            if not any(v.strip() for v in values):
                out.append(None)
                continue
            if len(values) != len(header):
                raise DirectoryDataError(
                    f"has {len(values)} values for {len(header)} columns",
                    source=name,
                    record=f"row {row_number}",
                )
            out.append(
                Reader(
                    dict(zip(header, values, strict=True)),
                    Place(name, f"row {row_number}"),
                    tabular=True,
                )
            )
    except csv.Error as exc:
        raise DirectoryDataError(
            f"is not a readable CSV file: {exc}", source=name, record=f"row {reader.line_num}"
        ) from None
    return [r for r in out if r is not None]


def _decode(name: str, data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DirectoryDataError(f"is not UTF-8 text (byte {exc.start})", source=name) from None


def parse_csv_package(files: Mapping[str, str | bytes]) -> Dataset:
    """Read an HSDS CSV package given as file name -> content."""
    by_name: dict[str, str] = {}
    for canonical, (alias, _) in CSV_TABLES.items():
        for name in (canonical, alias):
            if name in files:
                if canonical in by_name:
                    raise DirectoryDataError(
                        f"both {canonical} and {alias} are present", source=name
                    )
                data = files[name]
                if len(data) > MAX_FILE_BYTES:
                    raise DirectoryDataError(f"is larger than {MAX_FILE_BYTES} bytes", source=name)
                by_name[canonical] = _decode(name, data)
    if not by_name:
        raise DirectoryDataError(
            "no HSDS CSV files found (expected service.csv, organization.csv ...)",
            source="CSV package",
        )
    tables = {name: _csv_rows(name, text) for name, text in by_name.items()}
    return _CsvBuilder(tables).build()


class _CsvBuilder:
    def __init__(self, tables: dict[str, list[Reader]]) -> None:
        self.tables = tables
        self.registry = Registry()
        self.places: dict[tuple[str, str], tuple[Place, str]] = {}

    def rows(self, name: str) -> list[Reader]:
        return self.tables.get(name, [])

    def _group(
        self,
        name: str,
        parents: Mapping[str, set[str]],
        read: Callable[[Reader], T],
        table: str,
    ) -> dict[tuple[str, str], list[T]]:
        """Read a child file: each row goes to the first parent column it names
        (``parents`` maps column -> the ids that exist)."""
        out: dict[tuple[str, str], list[T]] = {}
        for r in self.rows(name):
            item = read(r)
            self.registry.add(table, item, r.place)
            for column, existing in parents.items():
                parent = r.ident(column, required=False)
                if parent is None:
                    continue
                if parent not in existing:
                    owner = column.removesuffix("_id")
                    raise r.fail(column, f"there is no {owner} with id {parent!r}")
                bucket = out.setdefault((column, parent), [])
                if len(bucket) >= MAX_ITEMS:
                    raise r.fail(column, f"more than {MAX_ITEMS} entries for one {column[:-3]}")
                bucket.append(item)
                break
            else:
                raise r.fail(
                    next(iter(parents)), f"must name its {' or '.join(c[:-3] for c in parents)}"
                )
        return out

    def _records(self, name: str, table: str, read: Callable[[Reader], R]) -> list[R]:
        """The records of a top-level file, registered (duplicates) and noted
        (where each was read, for the reference checks)."""
        out: list[R] = []
        for r in self.rows(name):
            record = read(r)
            self.registry.add(table, record, r.place)
            self.places[(table, record.id)] = (r.place, "")
            out.append(record)
        return out

    def build(self) -> Dataset:
        def ids(name: str) -> set[str]:
            """The ids of a file that others link to; a duplicate is reported here,
            before it shows up as a dangling link in another file."""
            first: dict[str, Place] = {}
            for r in self.rows(name):
                rid = r.required_ident("id")
                if rid in first:
                    earlier = first[rid]
                    table = name.removesuffix(".csv")
                    raise r.fail(
                        "id",
                        f"{table} id {rid!r} is a duplicate of the one at "
                        f"{earlier.source}, {earlier.record}",
                    )
                first[rid] = r.place
            return set(first)

        service_ids, location_ids, org_ids = (
            ids("service.csv"),
            ids("location.csv"),
            ids("organization.csv"),
        )
        phone_rows = {r.required_ident("id") for r in self.rows("phone.csv")}

        languages = self._group(
            "language.csv",
            {"phone_id": phone_rows, "service_id": service_ids, "location_id": location_ids},
            lambda r: Language(**language_fields(r)),
            "language",
        )

        def phone(r: Reader) -> Phone:
            fields_ = phone_fields(r)
            return Phone(**fields_, languages=tuple(languages.get(("phone_id", fields_["id"]), ())))

        phones = self._group(
            "phone.csv",
            {"service_id": service_ids, "location_id": location_ids, "organization_id": org_ids},
            phone,
            "phone",
        )
        schedules = self._group(
            "schedule.csv",
            {"service_id": service_ids, "location_id": location_ids},
            lambda r: Schedule(**schedule_fields(r)),
            "schedule",
        )
        areas = self._group(
            "service_area.csv",
            {"service_id": service_ids},
            lambda r: ServiceArea(**service_area_fields(r)),
            "service_area",
        )

        def sal(r: Reader) -> ServiceAtLocation:
            item = ServiceAtLocation(**service_at_location_fields(r))
            self.places[("service_at_location", item.id)] = (r.place, "")
            return item

        sals = self._group(
            "service_at_location.csv", {"service_id": service_ids}, sal, "service_at_location"
        )
        addresses = self._group(
            "address.csv",
            {"location_id": location_ids},
            lambda r: Address(**address_fields(r)),
            "address",
        )
        access = self._group(
            "accessibility.csv",
            {"location_id": location_ids},
            lambda r: Accessibility(**accessibility_fields(r)),
            "accessibility",
        )
        attributes: dict[str, list[Attribute]] = {}
        for r in self.rows("attribute.csv"):
            entity = r.text("link_entity", required=True).casefold()
            if entity != "service":
                continue  # only service categories are modelled
            attribute = Attribute(**attribute_fields(r))
            self.registry.add("attribute", attribute, r.place)
            self.places[("attribute", attribute.id)] = (r.place, "")
            link = r.required_ident("link_id")
            if link not in service_ids:
                raise r.fail("link_id", f"there is no service with id {link!r}")
            attributes.setdefault(link, []).append(attribute)

        def kids(groups: dict[tuple[str, str], list[T]], column: str, parent: str) -> tuple[T, ...]:
            return tuple(groups.get((column, parent), ()))

        def organization(r: Reader) -> Organization:
            fields_ = organization_fields(r)
            return Organization(**fields_, phones=kids(phones, "organization_id", fields_["id"]))

        def location(r: Reader) -> Location:
            fields_ = location_fields(r)
            lid = fields_["id"]
            return Location(
                **fields_,
                addresses=kids(addresses, "location_id", lid),
                phones=kids(phones, "location_id", lid),
                languages=kids(languages, "location_id", lid),
                accessibility=kids(access, "location_id", lid),
                schedules=kids(schedules, "location_id", lid),
            )

        def service(r: Reader) -> Service:
            fields_ = service_fields(r)
            sid = fields_["id"]
            return Service(
                **fields_,
                phones=kids(phones, "service_id", sid),
                schedules=kids(schedules, "service_id", sid),
                service_areas=kids(areas, "service_id", sid),
                service_at_locations=kids(sals, "service_id", sid),
                languages=kids(languages, "service_id", sid),
                attributes=tuple(attributes.get(sid, ())),
            )

        taxonomies = self._records(
            "taxonomy.csv", "taxonomy", lambda r: Taxonomy(**taxonomy_fields(r))
        )
        terms = self._records(
            "taxonomy_term.csv", "taxonomy_term", lambda r: TaxonomyTerm(**term_fields(r))
        )
        organizations = self._records("organization.csv", "organization", organization)
        locations = self._records("location.csv", "location", location)
        services = self._records("service.csv", "service", service)
        towns = self._records("peerdesk_town.csv", "town", lambda r: Town(**town_fields(r)))
        dataset = Dataset(
            organizations=tuple(organizations),
            services=tuple(services),
            locations=tuple(locations),
            taxonomies=tuple(taxonomies),
            taxonomy_terms=tuple(terms),
            towns=tuple(towns),
        )
        check_references(dataset, self.places, source="CSV package")
        return dataset


# --- writing ------------------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(plain(value))


def dump_csv_package(dataset: Dataset) -> dict[str, str]:
    """The dataset as HSDS CSV files (file name -> text); every file is written,
    with its header, even when it has no rows."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in CSV_TABLES}

    def add(name: str, record: Any, **links: Any) -> None:
        row = {
            f.name: getattr(record, f.name)
            for f in fields(record)
            if not isinstance(getattr(record, f.name), tuple)
        }
        row.update(links)
        rows[name].append(row)

    def add_phones(phones: Sequence[Phone], **links: str) -> None:
        for p in phones:
            add("phone.csv", p, **links)
            for lang in p.languages:
                add("language.csv", lang, phone_id=p.id)

    for tax in dataset.taxonomies:
        add("taxonomy.csv", tax)
    for term in dataset.taxonomy_terms:
        add("taxonomy_term.csv", term)
    for org in dataset.organizations:
        add("organization.csv", org)
        add_phones(org.phones, organization_id=org.id)
    for loc in dataset.locations:
        add("location.csv", loc)
        for a in loc.addresses:
            add("address.csv", a, location_id=loc.id)
        add_phones(loc.phones, location_id=loc.id)
        for lang in loc.languages:
            add("language.csv", lang, location_id=loc.id)
        for acc in loc.accessibility:
            add("accessibility.csv", acc, location_id=loc.id)
        for sch in loc.schedules:
            add("schedule.csv", sch, location_id=loc.id)
    for s in dataset.services:
        add("service.csv", s)
        add_phones(s.phones, service_id=s.id)
        for sch in s.schedules:
            add("schedule.csv", sch, service_id=s.id)
        for area in s.service_areas:
            add("service_area.csv", area, service_id=s.id)
        for sal in s.service_at_locations:
            add("service_at_location.csv", sal, service_id=s.id)
        for lang in s.languages:
            add("language.csv", lang, service_id=s.id)
        for attribute in s.attributes:
            add("attribute.csv", attribute, link_id=s.id, link_entity="service")
    for town in dataset.towns:
        add("peerdesk_town.csv", town)
    out = {}
    for name, (_, columns) in CSV_TABLES.items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows[name]:
            writer.writerow([_csv_value(row.get(c)) for c in columns])
        out[name] = buffer.getvalue()
    return out
