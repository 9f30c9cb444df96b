"""HSDS, the file format: reading and writing both HSDS forms (JSON and the CSV
package) without losing anything, and refusing bad input with the file, record
and field named."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from peerdesk.domain.directory import Dataset, Service
from peerdesk.errors import DirectoryDataError, ValidationError
from peerdesk.interop import hsds
from peerdesk.interop.hsds import json_format
from peerdesk.interop.hsds.export import runs_as_formula
from peerdesk.resources import resource_path

SEED = resource_path("directory", "seed.json")


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return hsds.load(SEED)


# -- round trips ---------------------------------------------------------------------------


def test_json_export_then_import_gives_the_same_dataset(seed):
    text = hsds.dump_json(seed)
    assert hsds.parse_json(text) == seed
    assert hsds.dump_json(hsds.parse_json(text)) == text


def test_csv_package_export_then_import_gives_the_same_dataset(seed):
    files = hsds.dump_csv_package(seed)
    # HSDS 3 names the files in the plural (issue 18)
    assert {"organizations.csv", "services.csv", "locations.csv", "attributes.csv"} <= set(files)
    assert hsds.parse_csv_package(files) == seed
    # and JSON -> CSV -> JSON is lossless too
    assert hsds.dump_json(hsds.parse_csv_package(files)) == hsds.dump_json(seed)


def test_files_on_disk_round_trip_in_both_forms(seed, tmp_path: Path):
    hsds.save_json(seed, tmp_path / "directory.json")
    hsds.save_csv_package(seed, tmp_path / "package")
    assert hsds.load(tmp_path / "directory.json") == seed
    assert hsds.load(tmp_path / "package") == seed


def test_csv_package_with_hsds2_plural_file_names_is_read(seed):
    files = hsds.dump_csv_package(seed)
    hsds2 = {"services_at_location.csv": "service_at_location.csv",
             "physical_addresses.csv": "addresses.csv",
             "accessibility_for_disabilities.csv": "accessibility.csv"}  # fmt: skip
    plural = {next((k for k, v in hsds2.items() if v == name), name): text
              for name, text in files.items()}  # fmt: skip
    assert "physical_addresses.csv" in plural
    assert hsds.parse_csv_package(plural) == seed


def test_csv_package_with_the_singular_names_of_earlier_versions_is_read(seed):
    files = hsds.dump_csv_package(seed)
    singular = {v: k for k, v in hsds.ALIASES.items() if k.endswith(("n.csv", "e.csv", "y.csv"))}
    renamed = {singular.get(name, name): text for name, text in files.items()}
    assert "service.csv" in renamed and "organization.csv" in renamed
    assert hsds.parse_csv_package(renamed) == seed


def test_csv_cells_with_commas_quotes_and_line_breaks_survive(seed):
    tricky = replace(
        seed.services[0],
        description='Call "any time", day or night;\nno, really: any time.',
    )
    dataset = replace(seed, services=(tricky, *seed.services[1:]))
    assert hsds.parse_csv_package(hsds.dump_csv_package(dataset)).services[0] == tricky


# A service list as an HSDS 3 API returns it: organization, locations and taxonomy
# terms embedded, plus fields PeerDesk does not model.
API_PAGE: dict[str, Any] = {
    "total_items": 2,
    "total_pages": 1,
    "page_number": 1,
    "size": 2,
    "first_page": True,
    "last_page": True,
    "empty": False,
    "contents": [
        {
            "id": "a1b2c3d4-0000-4000-8000-000000000001",
            "name": "Riverbend Food Pantry",
            "description": "Groceries once a week.",
            "status": "active",
            "assured_date": "2026-03-01",
            "fees_description": "Free",
            "minimum_age": 18,
            "organization": {
                "id": "a1b2c3d4-0000-4000-8000-0000000000aa",
                "name": "Riverbend Helping Hands",
                "description": "Volunteer group.",
                "funding": [{"id": "f1", "source": "donations"}],
            },
            "phones": [{"id": "p-1", "number": "555-0199", "type": "voice"}],
            "schedules": [
                {
                    "id": "sch-1",
                    "freq": "WEEKLY",
                    "byday": "TU,TH",
                    "opens_at": "14:00",
                    "closes_at": "18:00",
                }
            ],
            "service_areas": [{"id": "sa-1", "name": "Riverbend County", "extent_type": "text"}],
            "languages": [{"id": "l-1", "name": "Spanish", "code": "es"}],
            "service_at_locations": [
                {
                    "id": "sal-1",
                    "location": {
                        "id": "loc-1",
                        "location_type": "physical",
                        "name": "Church basement",
                        "latitude": 44.5,
                        "longitude": -91.25,
                        "addresses": [
                            {
                                "id": "addr-1",
                                "address_1": "1 Church St",
                                "city": "Riverbend",
                                "state_province": "DS",
                                "postal_code": "00000",
                                "country": "US",
                                "address_type": "physical",
                            }
                        ],
                        "accessibility": [{"id": "acc-1", "description": "Ramp"}],
                    },
                }
            ],
            "attributes": [
                {
                    "id": "attr-1",
                    "link_type": "category",
                    "link_entity": "service",
                    "link_id": "a1b2c3d4-0000-4000-8000-000000000001",
                    "taxonomy_term": {"id": "term-food", "code": "food", "name": "Food"},
                }
            ],
            "contacts": [{"id": "c-1", "name": "Pat"}],
            "metadata": [{"id": "m-1", "resource_id": "x", "last_action_type": "create"}],
        },
        {
            "id": "a1b2c3d4-0000-4000-8000-000000000002",
            "name": "Riverbend Community Supper",
            "status": "active",
            "organization": {
                "id": "a1b2c3d4-0000-4000-8000-0000000000aa",
                "name": "Riverbend Helping Hands",
                "description": "Volunteer group.",
                "funding": [{"id": "f1", "source": "donations"}],
            },
            "service_at_locations": [
                {
                    "id": "sal-2",
                    "location_id": "loc-1",
                    "location": {
                        "id": "loc-1",
                        "location_type": "physical",
                        "name": "Church basement",
                        "latitude": 44.5,
                        "longitude": -91.25,
                        "addresses": [
                            {
                                "id": "addr-1",
                                "address_1": "1 Church St",
                                "city": "Riverbend",
                                "state_province": "DS",
                                "postal_code": "00000",
                                "country": "US",
                                "address_type": "physical",
                            }
                        ],
                        "accessibility": [{"id": "acc-1", "description": "Ramp"}],
                    },
                }
            ],
            "attributes": [
                {
                    "id": "attr-2",
                    "taxonomy_term_id": "term-food",
                    "taxonomy_term": {"id": "term-food", "code": "food", "name": "Food"},
                }
            ],
        },
    ],
}


def test_api_shaped_page_with_embedded_records_is_normalized():
    dataset = hsds.parse_json(json.dumps(API_PAGE), source="page1.json")

    assert [s.name for s in dataset.services] == [
        "Riverbend Food Pantry",
        "Riverbend Community Supper",
    ]
    assert [o.name for o in dataset.organizations] == ["Riverbend Helping Hands"]
    assert [loc.id for loc in dataset.locations] == ["loc-1"]
    assert [t.code for t in dataset.taxonomy_terms] == ["food"]
    first = dataset.services[0]
    assert first.organization_id == "a1b2c3d4-0000-4000-8000-0000000000aa"
    assert first.service_at_locations[0].location_id == "loc-1"
    assert first.attributes[0].taxonomy_term_id == "term-food"
    assert first.assured_date == date(2026, 3, 1)
    assert first.minimum_age == 18
    assert dataset.locations[0].accessibility[0].description == "Ramp"
    # the normalized form round trips like any other
    assert hsds.parse_json(hsds.dump_json(dataset)) == dataset


def test_embedded_copies_of_one_record_that_disagree_are_rejected():
    page = copy.deepcopy(API_PAGE)
    page["contents"][1]["organization"]["name"] = "Someone Else"

    with pytest.raises(DirectoryDataError) as err:
        hsds.parse_json(json.dumps(page), source="page1.json")

    e = err.value
    assert (e.source, e.field) == ("page1.json", "organization.id")
    assert e.record.startswith("services[1]")
    assert "different contents" in str(e)


# -- bad JSON input: each problem names the file, the record and the field -------------------


def _minimal() -> dict[str, Any]:
    return {
        "organizations": [{"id": "o1", "name": "Org One"}],
        "taxonomy_terms": [{"id": "t1", "name": "Food", "code": "food"}],
        "locations": [{"id": "l1", "name": "Hall", "latitude": 44.0, "longitude": -91.0}],
        "services": [
            {
                "id": "s1",
                "name": "Pantry",
                "organization_id": "o1",
                "phones": [{"id": "p1", "number": "555-0100"}],
                "service_at_locations": [{"id": "sal1", "location_id": "l1"}],
                "attributes": [{"id": "a1", "taxonomy_term_id": "t1"}],
            },
            {"id": "s2", "name": "Supper", "organization_id": "o1"},
        ],
    }


def _with(path: str, value: Any) -> dict[str, Any]:
    """A copy of the minimal document with ``path`` ("services.0.name") set
    (``...`` deletes the key)."""
    doc = _minimal()
    *parents, last = path.split(".")
    target: Any = doc
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    key: Any = int(last) if isinstance(target, list) else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return doc


BAD_JSON = [
    pytest.param(
        _with("services.0.name", ...), "services[0] (id 's1')", "name", "required", id="missing"
    ),
    pytest.param(
        _with("services.0.name", 42), "services[0] (id 's1')", "name", "must be text", id="type"
    ),
    pytest.param(
        _with("locations.0.latitude", "44.0"),
        "locations[0] (id 'l1')",
        "latitude",
        "must be a number",
        id="number-as-text",
    ),
    pytest.param(  # HSDS allows any number (its example has 100); a hostile one is refused
        _with("locations.0.latitude", 1e12),
        "locations[0] (id 'l1')",
        "latitude",
        "between -1e+09 and 1e+09",
        id="out-of-range",
    ),
    pytest.param(
        _with("services.0.attributes.0.taxonomy_term_id", "t-unknown"),
        "services[0] (id 's1')",
        "attributes[0].taxonomy_term_id",
        "unknown taxonomy term 't-unknown'",
        id="unknown-taxonomy",
    ),
    pytest.param(
        _with("services.0.description", "x" * (hsds.MAX_TEXT + 1)),
        "services[0] (id 's1')",
        "description",
        f"the limit is {hsds.MAX_TEXT}",
        id="huge-field",
    ),
    pytest.param(
        _with("services.0.name", "n" * (hsds.MAX_SHORT + 1)),
        "services[0] (id 's1')",
        "name",
        f"the limit is {hsds.MAX_SHORT}",
        id="huge-name",
    ),
    pytest.param(
        _with("services.1.id", "s1"),
        "services[1] (id 's1')",
        "id",
        "duplicate of the one at directory.json, services[0] (id 's1')",
        id="duplicate-id",
    ),
    pytest.param(
        _with("services.1.phones", [{"id": "p1", "number": "555-0101"}]),
        "services[1] (id 's2')",
        "phones[0].id",
        "phone id 'p1' is a duplicate",
        id="duplicate-child-id",
    ),
    pytest.param(
        _with("services.1.organization_id", "o-missing"),
        "services[1] (id 's2')",
        "organization_id",
        "no organization with id 'o-missing'",
        id="unknown-organization",
    ),
    pytest.param(
        _with("services.0.service_at_locations.0.location_id", "l-missing"),
        "services[0] (id 's1')",
        "service_at_locations[0].location_id",
        "no location with id 'l-missing'",
        id="unknown-location",
    ),
    pytest.param(
        _with("services.0.status", "open"),
        "services[0] (id 's1')",
        "status",
        "must be one of active, inactive",
        id="bad-enum",
    ),
    pytest.param(
        _with(
            "services.0.schedules",
            [
                {
                    "id": "h1",
                    "freq": "WEEKLY",
                    "byday": "MO",
                    "opens_at": "25:00",
                    "closes_at": "26:00",
                }
            ],
        ),  # fmt: skip
        "services[0] (id 's1')",
        "schedules[0].opens_at",
        "must be a time",
        id="bad-time",
    ),
    pytest.param(
        _with("services.0.schedules", [{"id": "h1", "freq": "WEEKLY", "byday": "MO,XX"}]),
        "services[0] (id 's1')",
        "schedules[0].byday",
        "'XX' is not a day code",
        id="bad-day",
    ),
    pytest.param(
        _with("services.0.name", "Pantry\x00"),
        "services[0] (id 's1')",
        "name",
        "control characters",
        id="control-characters",
    ),
    pytest.param(
        _with("services.0.phones", [{"id": f"p{i}", "number": "1"} for i in range(501)]),
        "services[0] (id 's1')",
        "phones",
        "the limit is 500",
        id="too-many-children",
    ),
    pytest.param(
        _with("services", {"id": "s1"}),
        "services",
        None,
        "must be a list",
        id="table-not-a-list",
    ),
    pytest.param(
        _with("services.0.phones.0", "555-0100"),
        "services[0] (id 's1')",
        "phones[0].",
        "must be an object",
        id="child-not-an-object",
    ),
    pytest.param(
        _with("taxonomy_terms.0.parent_id", "t1"),
        "taxonomy_terms[0] (id 't1')",
        "parent_id",
        "its own ancestor",
        id="term-cycle",
    ),
]


@pytest.mark.parametrize(("doc", "record", "field", "message"), BAD_JSON)
def test_bad_json_is_rejected_naming_the_place(doc, record, field, message):
    text = json.dumps(doc)
    with pytest.raises(DirectoryDataError) as err:
        hsds.parse_json(text, source="directory.json")
    e = err.value
    assert isinstance(e, ValidationError)
    assert e.source == "directory.json"
    assert e.record == record
    assert e.field == field
    assert message in str(e)
    assert str(e).startswith("directory.json")


def test_age_range_upside_down_is_rejected():
    doc = _with("services.0.minimum_age", 30)
    doc["services"][0]["maximum_age"] = 12
    with pytest.raises(DirectoryDataError, match="maximum_age.*below minimum_age"):
        hsds.parse_json(json.dumps(doc))


@pytest.mark.parametrize(
    ("text", "record", "fragment"),
    [
        ('{"services": [', "line 1", "not valid JSON"),
        ('{"services": [], "services": []}', None, "appears twice"),
        (
            '{"towns": [{"id": "t", "name": "X", "county": "Y", "latitude": NaN, "longitude": 1}]}',
            None,
            "NaN",
        ),  # fmt: skip
        ("[1, 2]", "services[0]", "must be an object"),
        ('"just text"', None, "must be an object"),
    ],
)
def test_malformed_json_documents_are_rejected(text, record, fragment):
    with pytest.raises(DirectoryDataError) as err:
        hsds.parse_json(text, source="in.json")
    assert err.value.source == "in.json"
    assert err.value.record == record
    assert fragment in str(err.value)


def test_oversized_file_is_rejected_before_parsing(monkeypatch):
    monkeypatch.setattr(json_format, "MAX_FILE_BYTES", 100)
    with pytest.raises(DirectoryDataError, match="larger than 100 bytes"):
        hsds.parse_json(json.dumps(_minimal()), source="big.json")


# -- bad CSV input ------------------------------------------------------------------------


@pytest.fixture
def csv_files(seed) -> dict[str, str]:
    return hsds.dump_csv_package(seed)


def _replace_cell(files: dict[str, str], name: str, row: int, column: str, value: str) -> None:
    """Set one cell (``row`` counted like a spreadsheet: the header is row 1)."""
    import csv
    import io

    table = list(csv.reader(io.StringIO(files[name], newline="")))
    table[row - 1][table[0].index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(table)
    files[name] = out.getvalue()


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "field", "fragment"),
    [
        ("locations.csv", 3, "latitude", "north", "latitude", "must be a number, not 'north'"),
        ("services.csv", 2, "name", "", "name", "required"),
        ("services.csv", 4, "assured_date", "03/04/2026", "assured_date", "YYYY-MM-DD"),
        ("services.csv", 5, "status", "gone", "status", "must be one of"),
        ("phones.csv", 2, "service_id", "no-such-service", "service_id", "no service with id"),
        (
            "attributes.csv",
            3,
            "taxonomy_term_id",
            "nope",
            "taxonomy_term_id",
            "unknown taxonomy term 'nope'",
        ),  # fmt: skip
        (
            "service_at_location.csv",
            2,
            "location_id",
            "nowhere",
            "location_id",
            "no location with id 'nowhere'",
        ),  # fmt: skip
        (
            "services.csv",
            3,
            "description",
            "d" * (hsds.MAX_TEXT + 1),
            "description",
            "the limit is",
        ),  # fmt: skip
        ("schedules.csv", 2, "closes_at", "5pm", "closes_at", "must be a time"),
    ],
)
def test_bad_csv_cells_are_rejected_naming_file_row_and_field(
    csv_files, name, row, column, value, field, fragment
):
    _replace_cell(csv_files, name, row, column, value)
    with pytest.raises(DirectoryDataError) as err:
        hsds.parse_csv_package(csv_files)
    e = err.value
    assert (e.source, e.record, e.field) == (name, f"row {row}", field)
    assert fragment in str(e)


def test_duplicate_id_in_a_csv_file_names_the_second_row(csv_files):
    import csv
    import io

    first_id = next(csv.DictReader(io.StringIO(csv_files["services.csv"])))["id"]
    _replace_cell(csv_files, "services.csv", 7, "id", first_id)

    with pytest.raises(DirectoryDataError) as err:
        hsds.parse_csv_package(csv_files)

    assert (err.value.source, err.value.record, err.value.field) == ("services.csv", "row 7", "id")
    assert "duplicate of the one at services.csv, row 2" in str(err.value)


def test_csv_structure_problems_are_named(csv_files):
    missing = dict(csv_files)
    missing["services.csv"] = missing["services.csv"].replace(
        "id,organization_id,program_id,name,", "id,organization_id,program_id,title,", 1
    )
    with pytest.raises(DirectoryDataError) as err:
        hsds.parse_csv_package(missing)
    assert (err.value.source, err.value.record, err.value.field) == (
        "services.csv",
        "row 1",
        "name",
    )

    ragged = dict(csv_files)
    lines = ragged["organizations.csv"].split("\r\n")
    lines[2] += ",extra"
    ragged["organizations.csv"] = "\r\n".join(lines)
    with pytest.raises(DirectoryDataError, match="row 3: has 14 values for 13 columns"):
        hsds.parse_csv_package(ragged)

    binary = dict(csv_files) | {"taxonomies.csv": b"id,name\r\nx,\xff\xfe\r\n"}
    with pytest.raises(DirectoryDataError, match="taxonomies.csv: is not UTF-8"):
        hsds.parse_csv_package(binary)

    with pytest.raises(DirectoryDataError, match="no HSDS CSV files"):
        hsds.parse_csv_package({"readme.txt": "hello"})


def test_csv_field_over_the_csv_module_limit_is_a_named_error(csv_files):
    _replace_cell(csv_files, "services.csv", 2, "description", "y" * 200_000)
    with pytest.raises(DirectoryDataError) as err:
        hsds.parse_csv_package(csv_files)
    assert err.value.source == "services.csv"
    assert err.value.record is not None


def test_the_minimal_document_used_above_is_valid():
    """The bad-input cases each break one thing in this document."""
    dataset = hsds.parse_json(json.dumps(_minimal()))
    assert [s.id for s in dataset.services] == ["s1", "s2"]


@pytest.mark.parametrize(
    ("cell", "runs"),
    [
        ('=HYPERLINK("https://x.example","x")', True),
        ("+1 555 0100", True),
        ("  @SUM(A1:A9)", True),
        ("\t-2+3", True),
        ("\r=1", True),
        ("-71.0589", False),  # a number
        ("+44", False),
        ("-", False),
        ("", False),
        ("Call 555-0100", False),
        ("a=b", False),
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula(cell, runs):
    """Issue 18, LOW 13: the export keeps the cell; formula_cells finds it."""
    assert runs_as_formula(cell) is runs
    dataset = Dataset(services=(Service(id="s1", name="n", description=cell.strip() or ""),))
    files = hsds.dump_csv_package(dataset)
    found = list(hsds.formula_cells(files))
    if runs and cell.strip():
        assert found == [("services.csv", "s1", "description", cell.strip())]
        assert hsds.import_csv(files).dataset.services[0].description == cell.strip()  # exact
    else:
        assert found == []
