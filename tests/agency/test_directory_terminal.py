"""What a laptop or a file says reaches the admin's terminal as text, never as
terminal commands (issue 18, LOW 10): ESC (ANSI colours, OSC titles and links),
the one-character CSI U+009B, CR and line breaks are printed as escapes, so a
correction cannot recolour the screen, rewrite a line or fake a listing line."""

from __future__ import annotations

import json
from pathlib import Path

from peerdesk.agency.cli.common import shown
from peerdesk.ids import new_id
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
