"""Row-level problems (issue 18): one bad row among a thousand is reported by
file, line and field and left out; the other rows are imported. Hostile values
(huge numbers, wrong types, deep nesting) are reported, never a crash."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from peerdesk.crypto.seal import SigningKeyPair
from peerdesk.errors import DirectoryDataError
from peerdesk.interop import hsds
from peerdesk.wire.directory_updates import sign_snapshot

SERVICE_COLUMNS = ("id", "organization_id", "name", "description", "status", "minimum_age")


def _services_csv(n: int, bad_row: int | None = None, bad: dict[str, str] | None = None) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SERVICE_COLUMNS)
    for i in range(n):
        row = {
            "id": f"svc-{i:04d}",
            "organization_id": "org-1",
            "name": f"Service {i}",
            "description": f"Help number {i}",
            "status": "active",
            "minimum_age": str(i % 60),
        }
        if bad_row is not None and i + 2 == bad_row and bad:
            row |= bad
        writer.writerow([row[c] for c in SERVICE_COLUMNS])
    return out.getvalue()


ORGS = "id,name,description\r\norg-1,Helping Hands,Food and shelter\r\n"


@pytest.mark.parametrize(
    ("bad", "field", "reason"),
    [
        ({"minimum_age": "twelve"}, "minimum_age", "must be a number, not 'twelve'"),
        ({"status": "gone"}, "status", "must be one of"),
        ({"name": ""}, "name", "is required"),
        ({"minimum_age": "1e400"}, "minimum_age", "must be between"),
    ],
)
def test_one_bad_row_among_a_thousand_imports_the_other_999_and_names_file_and_line(
    bad: dict[str, str], field: str, reason: str
):
    files = {"organizations.csv": ORGS, "services.csv": _services_csv(1000, 501, bad)}

    imported = hsds.import_csv(files)

    assert len(imported.dataset.services) == 999
    assert "svc-0499" not in {s.id for s in imported.dataset.services}
    [problem] = imported.problems
    assert (problem.source, problem.line, problem.field) == ("services.csv", 501, field)
    assert reason in problem.reason and not problem.kept
    assert str(problem).startswith(f"services.csv, line 501, field '{field}': ")


def test_the_line_counts_the_lines_of_cells_with_line_breaks():
    text = _services_csv(5).replace("Help number 1", 'Help\r\nnumber\r\none"', 1)
    text = text.replace('Help\r\nnumber\r\none"', '"Help\r\nnumber\r\none"', 1)
    text = text.replace("Service 3", "", 1)  # spreadsheet row 5, starting on line 7
    imported = hsds.import_csv({"organizations.csv": ORGS, "services.csv": text})
    [problem] = imported.problems
    assert (problem.record, problem.line, problem.field) == ("row 5", 7, "name")
    assert len(imported.dataset.services) == 4


def test_a_bad_child_row_is_left_out_and_its_parent_kept():
    phones = (
        "id,service_id,number\r\n"
        "p1,svc-0001,555-0100\r\n"
        "p2,svc-0002,\r\n"  # no number
        "p3,no-such-service,555-0102\r\n"
    )
    files = {"organizations.csv": ORGS, "services.csv": _services_csv(3), "phones.csv": phones}

    imported = hsds.import_csv(files)

    assert len(imported.dataset.services) == 3
    by_id = {s.id: s for s in imported.dataset.services}
    assert [p.id for p in by_id["svc-0001"].phones] == ["p1"]
    assert by_id["svc-0002"].phones == ()
    assert {(p.source, p.line, p.field) for p in imported.problems} == {
        ("phones.csv", 3, "number"),
        ("phones.csv", 4, "service_id"),
    }


def test_a_ragged_row_and_a_duplicate_id_are_rows_not_files():
    text = _services_csv(10)
    lines = text.split("\r\n")
    lines[3] += ",surplus"
    lines[6] = lines[6].replace("svc-0005", "svc-0001")
    files = {"organizations.csv": ORGS, "services.csv": "\r\n".join(lines)}

    imported = hsds.import_csv(files)

    assert len(imported.dataset.services) == 8
    reasons = {(p.line, p.reason) for p in imported.problems}
    assert (4, "has 7 values for 6 columns") in reasons
    assert any(line == 7 and "duplicate of the one at services.csv, row 3" in r
               for line, r in reasons)  # fmt: skip


def _json_services(n: int) -> list[dict[str, Any]]:
    return [{"id": f"s{i}", "name": f"Service {i}", "status": "active"} for i in range(n)]


@pytest.mark.parametrize(
    ("value", "field", "reason"),
    [
        ({"name": 7}, "name", "must be text"),
        ({"minimum_age": 10**400}, "minimum_age", "between"),
        ({"minimum_age": [1]}, "minimum_age", "must be a number"),
        ({"phones": "555-0100"}, "phones", "must be a list"),
        ({"status": None, "name": None}, "name", "is required"),
        ({"wait_time": {"a": [{"b": 1}] * 3}}, None, None),  # kept, not a problem
    ],
)
def test_one_bad_json_record_among_a_thousand_is_left_out_with_its_place(value, field, reason):
    services = _json_services(1000)
    services[417] |= value
    text = json.dumps({"services": services}, indent=2)

    imported = hsds.import_json(text, source="big.json")

    if field is None:
        assert imported.problems == () and len(imported.dataset.services) == 1000
        return
    assert len(imported.dataset.services) == 999
    [problem] = imported.problems
    assert (problem.source, problem.record, problem.field) == (
        "big.json",
        "services[417] (id 's417')",
        field,
    )
    assert reason in problem.reason
    # the line of the record's id in the file
    assert problem.line == text.splitlines().index('      "id": "s417",') + 1
    assert f"big.json, services[417] (id 's417'), line {problem.line}, field" in str(problem)


def test_hostile_json_is_reported_not_a_crash():
    deep: Any = "x"
    for _ in range(40):
        deep = {"a": deep}
    services = _json_services(3)
    services[1]["wait_time"] = deep
    services[2]["fees"] = "y" * 2_000_000
    imported = hsds.import_json(json.dumps({"services": services}), source="h.json")
    assert [s.id for s in imported.dataset.services] == ["s0"]
    assert {p.record for p in imported.problems} == {
        "services[1] (id 's1')",
        "services[2] (id 's2')",
    }
    with pytest.raises(DirectoryDataError, match="not valid JSON"):
        hsds.import_json("[" * 100_000, source="h.json")
    with pytest.raises(DirectoryDataError, match="not an HSDS document"):
        hsds.import_json("42", source="h.json")


def test_lone_surrogates_are_row_problems_and_the_rest_publishes_and_exports():
    """Issue 18, LOW 9: a JSON "\\ud800" escape is a lone surrogate no UTF-8 file
    or signed update can hold; the record is skipped with its place, in a modelled
    field, in a field kept as it came (``extra``, a value or a name) and in an id."""
    text = (
        '{"services": ['
        '{"id": "s0", "name": "Fine", "status": "active"},'
        '{"id": "s1", "name": "A\\ud800B", "status": "active"},'
        '{"id": "s2", "name": "Two", "wait_time": "soon \\udc00"},'
        '{"id": "s3", "name": "Three", "x_\\ud83d": "key"},'
        '{"id": "s4", "name": "Four", "funding": [{"source": "\\udfff"}]},'
        '{"id": "s\\ud800", "name": "Five"}'
        "]}"
    )
    imported = hsds.import_json(text, source="f.json")
    assert [s.id for s in imported.dataset.services] == ["s0"]
    assert len(imported.problems) == 5 and not any(p.kept for p in imported.problems)
    assert "contains control characters" in imported.problems[0].reason
    assert "lone surrogate" in imported.problems[1].reason
    # what was kept writes as UTF-8 and signs (it crashed with UnicodeEncodeError)
    hsds.dump_export_json(imported.dataset).encode("utf-8")
    for part in hsds.dump_csv_package(imported.dataset).values():
        part.encode("utf-8")
    sign_snapshot(SigningKeyPair.generate(), imported.dataset, version=1)
    # an emoji (a surrogate pair in the JSON escape) is a character, not a problem
    ok = hsds.import_json('{"services": [{"id": "s", "name": "Hi \\ud83d\\ude00"}]}', source="e")
    assert ok.problems == () and ok.dataset.services[0].name == "Hi \U0001f600"


def test_a_file_of_a_package_that_was_not_read_is_marked_as_a_whole_file():
    """Issue 18, MEDIUM 5: the agency refuses to publish a package with such a file."""
    services = _services_csv(3)
    imported = hsds.import_csv(
        {
            "services.csv": services,
            "organizations.csv": "id,description\r\norg-1,Food\r\n",  # no name column
            "locations.csv": "id,name\r\nl1,Caf\xe9\r\n".encode("latin-1"),
            "phones.csv": "id,number\r\np1,555-0100\r\n",  # read: not a whole-file problem
        },
        source="pkg",
    )
    assert {(p.source, p.reason) for p in imported.unread_files} == {
        ("organizations.csv", "the column 'name' is missing"),
        ("locations.csv", "is not UTF-8 text (byte 15)"),
    }
    assert all(str(p).endswith("(file not read)") for p in imported.unread_files)
    rows = hsds.import_json('{"services.csv": [], "locations.csv": "none"}', source="t.json")
    assert [(p.record, p.whole_file) for p in rows.problems] == [("locations.csv", True)]


def test_two_copies_of_one_record_that_disagree_keep_the_first_and_say_so():
    org = {"id": "o1", "name": "Helping Hands"}
    page = {
        "contents": [
            {"id": "s1", "name": "Pantry", "status": "active", "organization": org},
            {"id": "s2", "name": "Supper", "status": "active",
             "organization": org | {"name": "Helping Hands Inc.", "email": "hi@example.org"}},
        ]
    }  # fmt: skip
    imported = hsds.import_json(json.dumps(page), source="page.json")
    (only,) = imported.dataset.organizations
    assert (only.name, only.email) == ("Helping Hands", "hi@example.org")
    [note] = imported.problems
    assert note.kept and note.field == "name" and "the first is kept" in note.reason
    assert len(imported.dataset.services) == 2


def test_many_bad_records_are_each_named_with_their_line_quickly():
    services = _json_services(20_000)
    for s in services[::4]:
        s["minimum_age"] = "old"
    text = json.dumps({"services": services}, indent=1)
    imported = hsds.import_json(text, source="many.json")
    assert len(imported.dataset.services) == 15_000 and len(imported.problems) == 5_000
    lines = text.splitlines()
    for p in imported.problems[:50]:
        assert p.line is not None and p.record is not None
        assert p.record.split("'")[1] in lines[p.line - 1]
