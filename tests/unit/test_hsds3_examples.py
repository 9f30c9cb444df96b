"""HSDS 3 as others wrote it: the official examples of openreferral/specification
(``tests/fixtures/hsds3``, see its README) load without hand edits, an import ->
export -> import loses no field, and every exported record validates against the
official JSON schemas (Draft 2020-12)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from peerdesk.interop import hsds
from peerdesk.interop.hsds.hsds3 import ENTITIES
from peerdesk.resources import resource_path

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "hsds3"
EXAMPLES = HERE / "examples"
SCHEMA = HERE / "schema"

JSON_EXAMPLES = [
    "organization_full.json",
    "service_full.json",
    "service_at_location_full.json",
    "organization_list.json",
    "service_list.json",
    "service_at_location_list.json",
    "location.json",
    "taxonomy.json",
    "taxonomy_term.json",
    "taxonomy_list.json",
    "taxonomy_term_list.json",
]


def _registry() -> Registry:
    resources = []
    for path in SCHEMA.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(entity: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA / f"{entity}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=REGISTRY)


def errors_of(entity: str, record: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(entity).iter_errors(record)
    ]


# -- the examples load, as shipped ---------------------------------------------------------


@pytest.mark.parametrize("name", [*JSON_EXAMPLES, "tabular.json", "csv"])
def test_every_official_example_loads_without_hand_edits(name):
    imported = hsds.import_path(EXAMPLES / name)
    d = imported.dataset
    assert d.services or d.organizations or d.locations or d.taxonomy_terms or d.taxonomies
    # nothing of the file is skipped: what is reported is only a link to a record the
    # example does not hold (kept as data)
    assert imported.skipped == (), [str(p) for p in imported.skipped]


def test_the_shapes_are_recognised_and_only_whole_directories_replace():
    shapes = {n: hsds.import_path(EXAMPLES / n) for n in [*JSON_EXAMPLES, "csv", "tabular.json"]}
    assert shapes["service_full.json"].shape == "service"
    assert shapes["organization_full.json"].shape == "organization"
    assert shapes["service_at_location_full.json"].shape == "service_at_location"
    assert shapes["service_list.json"].shape == "list"
    assert shapes["location.json"].shape == "location"
    assert shapes["taxonomy_term.json"].shape == "taxonomy_term"
    assert shapes["taxonomy.json"].shape == "taxonomy"
    assert {n for n, i in shapes.items() if i.complete} == {"csv", "tabular.json"}


def test_the_full_service_keeps_its_organization_location_and_every_field():
    d = hsds.import_path(EXAMPLES / "service_full.json").dataset
    (service,) = d.services
    (org,) = d.organizations
    (loc,) = d.locations
    assert service.organization_id == org.id
    assert service.service_at_locations[0].location_id == loc.id
    extra = json.loads(service.extra)
    # the service fields PeerDesk does not show, and the tables it does not model
    assert {"wait_time", "fees", "accreditations", "licenses"} <= extra.keys()
    assert {"funding", "cost_options", "program", "required_documents", "contacts"} <= set(extra)
    assert extra["metadata"][0]["last_action_type"]
    schedule = json.loads(service.schedules[0].extra)
    assert {"dtstart", "timezone", "until", "count", "wkst", "byweekno", "byyearday"} <= set(
        schedule
    )
    sal = json.loads(service.service_at_locations[0].extra)
    assert {"contacts", "phones", "schedules"} <= set(sal)
    assert json.loads(org.extra)["organization_identifiers"][0]["identifier"]
    assert {"external_identifier", "external_identifier_type"} <= set(json.loads(loc.extra))
    (term,) = d.taxonomy_terms
    assert term.taxonomy_id == d.taxonomies[0].id  # the taxonomy detail, hoisted


def test_a_latitude_the_schema_allows_is_kept():
    (loc,) = hsds.import_path(EXAMPLES / "csv").dataset.locations
    assert (loc.latitude, loc.longitude) == (100, 101)


def test_all_21_csv_files_are_read():
    d = hsds.import_path(EXAMPLES / "csv").dataset
    (service,) = d.services
    (org,) = d.organizations
    extra = json.loads(service.extra)
    assert {"contacts", "cost_options", "funding", "required_documents"} <= set(extra)
    org_extra = json.loads(org.extra)
    assert {"programs", "organization_identifiers", "funding"} <= set(org_extra)
    assert d.locations[0].addresses[0].address_1  # addresses.csv
    assert "meta_table_descriptions" in json.loads(d.extra)
    assert json.loads(d.extra)["unlinked"].keys() == {"attributes", "metadata"}


# -- round trips lose nothing -------------------------------------------------------------


def leaves(value: Any, owner: str = "") -> Iterator[tuple[str, str, str]]:
    """(record id, field, value) of every filled scalar under ``value``."""
    if isinstance(value, dict):
        rid = value.get("id") if isinstance(value.get("id"), str) else owner
        for key, item in value.items():
            if isinstance(item, dict | list):
                yield from leaves(item, rid)
            elif isinstance(item, str) and item.strip():
                yield rid, key, item.strip()  # a value is read without its outer spaces
            elif item is not None and not isinstance(item, str):
                yield rid, key, json.dumps(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, owner)


def _csv_leaves(files: dict[str, str]) -> set[tuple[str, str, str]]:
    out = set()
    for name, text in files.items():
        if not name.endswith(".csv"):
            continue
        for row in csv.DictReader(io.StringIO(text)):
            for key, value in row.items():
                if value.strip():
                    out.add((row["id"], key, value.strip()))
    return out


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_json_import_export_import_loses_no_field(name):
    original = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    first = hsds.import_path(EXAMPLES / name).dataset
    exported = hsds.export_json(first)
    again = hsds.import_json(json.dumps(exported), source="export.json").dataset
    assert again == first
    lost = set(leaves(original)) - set(leaves(exported))
    # the API page's counters describe the page, not a record
    lost = {x for x in lost if x[0] != ""}
    assert lost == set()


@pytest.mark.parametrize("name", ["csv", "tabular.json"])
def test_csv_import_export_import_loses_no_field(name, tmp_path):
    first = hsds.import_path(EXAMPLES / name).dataset
    files = hsds.dump_csv_package(first)
    again = hsds.import_csv(files).dataset
    assert again == first
    if name == "csv":
        original = {p.name: p.read_text(encoding="utf-8") for p in (EXAMPLES / "csv").iterdir()}
        lost = _csv_leaves(original) - _csv_leaves(files)
        assert lost == set()


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_json_to_csv_to_json_loses_no_field(name):
    first = hsds.import_path(EXAMPLES / name).dataset
    via_csv = hsds.import_csv(hsds.dump_csv_package(first)).dataset
    assert set(leaves(hsds.export_json(first))) <= set(leaves(hsds.export_json(via_csv)))


def test_the_seed_directory_round_trips_through_both_exports():
    seed = hsds.load(resource_path("directory", "seed.json"))
    assert hsds.import_json(hsds.dump_export_json(seed)).dataset == seed
    assert hsds.import_csv(hsds.dump_csv_package(seed)).dataset == seed


# -- exports validate against the official schemas ----------------------------------------

_TABLE_ENTITY = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "meta_table_descriptions": "meta_table_description",
}


def _exported_records(name: str) -> Iterator[tuple[str, Any]]:
    if name == "seed":
        dataset = hsds.load(resource_path("directory", "seed.json"))
    else:
        dataset = hsds.import_path(EXAMPLES / name).dataset
    doc = hsds.export_json(dataset)
    for table, entity in _TABLE_ENTITY.items():
        for record in doc.get(table, []):
            yield entity, record


@pytest.mark.parametrize("name", [*JSON_EXAMPLES, "csv", "seed"])
def test_every_exported_json_record_validates_against_the_official_schema(name):
    records = list(_exported_records(name))
    assert records
    for entity, record in records:
        assert errors_of(entity, record) == [], (entity, record.get("id"))


def test_a_record_the_schema_refuses_is_caught_by_this_check():
    """The validation above can fail: a service without its status does not pass."""
    entity, record = next(r for r in _exported_records("service_full.json") if r[0] == "service")
    del record["status"]
    assert any("status" in e for e in errors_of(entity, record))


def _typed_tabular(files: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """The CSV package as the schema's tabular JSON form (cells typed)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for spec in ENTITIES.values():
        rows = []
        for row in csv.DictReader(io.StringIO(files[spec.file])):
            typed: dict[str, Any] = {}
            for key, value in row.items():
                if value == "" and key not in spec.required:
                    continue  # an empty cell is a missing value
                typed[key] = float(value) if spec.types.get(key) == "number" else value
            rows.append(typed)
        out[spec.name] = rows
    return out


@pytest.mark.parametrize("name", ["csv", "service_full.json", "organization_full.json", "seed"])
def test_the_exported_csv_package_validates_against_the_official_tabular_schema(name):
    if name == "seed":
        dataset = hsds.load(resource_path("directory", "seed.json"))
    else:
        dataset = hsds.import_path(EXAMPLES / name).dataset
    files = hsds.dump_csv_package(dataset)
    assert {spec.file for spec in ENTITIES.values()} <= set(files)
    schema = json.loads((SCHEMA / "compiled" / "tabular.json").read_text(encoding="utf-8"))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft202012Validator(schema, registry=REGISTRY).iter_errors(_typed_tabular(files))
    ]
    assert errors == []


def test_the_table_of_hsds3_entities_matches_the_official_schemas():
    for path in SCHEMA.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        spec = ENTITIES[path.stem]
        assert spec.file == schema["path"]
        props = schema["properties"]
        assert spec.columns == tuple(
            k for k, v in props.items() if "$ref" not in v and "$ref" not in v.get("items", {})
        )
        assert spec.required == tuple(schema.get("required", ()))


def test_a_package_of_full_records_loads_and_exports_valid_services():
    """The compiled ``*_package`` shape: an array of full records (here the
    service example twice, the second under another id)."""
    service = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    other = json.loads(json.dumps(service)) | {"id": "second-service", "name": "Walk-in hours"}
    imported = hsds.import_json(json.dumps([service, other]), source="package.json")
    assert imported.shape == "list" and not imported.complete and imported.skipped == ()
    assert {s.name for s in imported.dataset.services} == {"Community Counselling", "Walk-in hours"}
    assert len(imported.dataset.organizations) == 1 and len(imported.dataset.locations) == 1
    for record in hsds.export_json(imported.dataset)["services"]:
        assert errors_of("service", record) == []
