"""peerdesk-cli end to end, as a separate process: no Qt, no passphrase in argv."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PASSPHRASE = "walking the long gravel road home"
NEW_PASSPHRASE = "a different road through the hollow"


def run(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PEERDESK_LOG_DIR": str(data / "logs")}
    return subprocess.run(
        [sys.executable, "-m", "peerdesk.cli", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def profile(tmp_path: Path) -> tuple[Path, Path]:
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    r = run(tmp_path, "init", "--profile", "alex", "--passphrase-file", str(secret))
    assert r.returncode == 0, r.stderr
    return tmp_path, secret


def test_cli_never_imports_qt():
    code = "import sys, peerdesk.cli; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_add_sign_list_export_doctor_round_trip(profile):
    data, secret = profile
    pf = ("--profile", "alex", "--passphrase-file", str(secret))
    r = run(data, "add-participant", *pf, stdin="Jordan Canary-Example\n")
    assert r.returncode == 0, r.stderr
    pid = r.stdout.strip()
    r = run(
        data,
        "add-note",
        *pf,
        "--participant",
        pid,
        "--minutes",
        "23",
        "--sign",
        "--start",
        "2026-11-20T10:00:00+00:00",
        stdin="Talked about the bus pass.",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[1] == "signed"
    r = run(data, "list-notes", *pf)
    assert r.returncode == 0, r.stderr
    assert "Jordan Canary-Example" in r.stdout and " 23 min   2 u" in r.stdout
    out = data / "export.json"
    r = run(data, "export", *pf, "--out", str(out), "--yes")
    assert r.returncode == 0, r.stderr
    assert "NOT encrypted" in r.stderr
    exported = json.loads(out.read_text())
    assert exported["notes"][0]["body"] == {"text": "Talked about the bus pass."}
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert exported["plans"] == [] and exported["consents"] == []  # the record's parts
    report = data / "program.csv"
    r = run(data, "program-report", *pf, "--out", str(report))
    assert r.returncode == 0, r.stderr
    text = report.read_text()
    assert text.startswith("section,measure,value,people") and "Jordan" not in text
    r = run(data, "doctor", *pf)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "audit chain: ok" in r.stdout


def test_export_without_yes_and_no_terminal_writes_nothing(profile):
    data, secret = profile
    out = data / "export.json"
    r = run(
        data, "export", "--profile", "alex", "--passphrase-file", str(secret), "--out", str(out)
    )
    assert r.returncode == 1 and not out.exists()
    assert "--yes" in r.stderr


def test_wrong_passphrase_is_one_sentence_with_attempts_left(profile):
    data, _ = profile
    wrong = data / "wrong.txt"
    wrong.write_text("this is not the right passphrase\n")
    r = run(data, "unlock", "--profile", "alex", "--passphrase-file", str(wrong))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "wrong passphrase (9 attempt(s) left" in r.stderr


def test_passwd_changes_passphrase_and_old_one_stops_working(profile):
    data, secret = profile
    new = data / "new.txt"
    new.write_text(NEW_PASSPHRASE + "\n")
    r = run(
        data,
        "passwd",
        "--profile",
        "alex",
        "--passphrase-file",
        str(secret),
        "--new-passphrase-file",
        str(new),
    )
    assert r.returncode == 0, r.stderr
    assert (
        run(data, "unlock", "--profile", "alex", "--passphrase-file", str(secret)).returncode == 1
    )
    assert run(data, "unlock", "--profile", "alex", "--passphrase-file", str(new)).returncode == 0


def test_doctor_names_first_bad_audit_row(profile):
    import sqlite3

    data, secret = profile
    pf = ("--profile", "alex", "--passphrase-file", str(secret))
    assert run(data, "unlock", *pf).returncode == 0
    db = sqlite3.connect(data / "profiles" / "alex" / "peerdesk.db")
    db.executescript("DROP TRIGGER audit_no_update; UPDATE audit SET event = 'lock' WHERE seq = 2;")
    db.close()
    r = run(data, "doctor", *pf)
    assert r.returncode == 1
    assert "audit chain: BROKEN: audit log broken at row 2" in r.stdout


def test_init_refuses_common_passphrase(tmp_path):
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery staple\n")
    r = run(tmp_path, "init", "--profile", "alex", "--passphrase-file", str(secret))
    assert r.returncode == 1
    assert "commonly used" in r.stderr
    assert not (tmp_path / "profiles" / "alex" / "vault.json").exists()


@pytest.mark.parametrize("small", ["1", "2", "-1", "two"])
def test_program_report_refuses_a_min_cell_below_the_floor(tmp_path: Path, small: str):
    out = tmp_path / "program.csv"
    r = run(tmp_path, "program-report", "--profile", "x", "--out", str(out), "--min-cell", small)
    assert r.returncode != 0 and not out.exists()
    assert "--min-cell" in r.stderr
    assert ("at least 3" if small != "two" else "not a whole number") in r.stderr
