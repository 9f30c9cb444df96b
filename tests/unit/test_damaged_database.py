"""A database whose schema is intact but whose data pages are damaged (bad sectors,
a half-copied file): reads say so with CorruptData, never a raw sqlite3 error;
doctor reports the damage instead of crashing; the CLI exits 1 without a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from peerdesk.errors import CorruptData, StorageUnavailable
from peerdesk.services import DB_FILE

NOTES = 300
START = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)


def integrity(db_file: Path) -> list[str]:
    """SQLite's own verdict; the check itself may fail on a badly damaged page."""
    conn = sqlite3.connect(db_file)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [f"integrity_check failed: {exc}"]
    finally:
        conn.close()


def notes_leaf_pages(db_file: Path) -> tuple[list[int], int]:
    """Checkpoint the WAL into the main file, then find the notes table's leaf pages."""
    conn = sqlite3.connect(db_file)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        try:
            pages = [
                r[0]
                for r in conn.execute(
                    "SELECT pageno FROM dbstat WHERE name = 'notes' AND pagetype = 'leaf'"
                    " ORDER BY pageno"
                )
            ]
        except sqlite3.OperationalError:
            if os.environ.get("CI"):  # in CI these tests must run, never skip
                pytest.fail("this SQLite has no dbstat table to locate the notes pages")
            pytest.skip("this SQLite has no dbstat table to locate the notes pages")
    finally:
        conn.close()
    return pages, page_size


def overwrite_whole_pages(f, pages: list[int], page_size: int) -> None:
    """Three leaf pages, headers included: PRAGMA integrity_check itself fails."""
    middle = len(pages) // 2
    for page in pages[middle - 1 : middle + 2]:
        f.seek((page - 1) * page_size)
        f.write(b"\xa5" * page_size)


def overwrite_cell_bytes(f, pages: list[int], page_size: int) -> None:
    """512 bytes in the middle of one leaf page: integrity_check lists problems."""
    page = pages[len(pages) // 2]
    f.seek((page - 1) * page_size + page_size // 2)
    f.write(b"\xa5" * 512)


@pytest.fixture(params=[overwrite_whole_pages, overwrite_cell_bytes], ids=["pages", "cells"])
def damaged(request, session, make_draft):
    """The profile of ``session`` with 300 signed notes, closed, then data in the
    middle of the notes table overwritten. Returns the note ids."""
    participant = session.participants.add("Morgan Damaged-Example").value
    drafts = [make_draft(participant.id, start=START + timedelta(hours=i)) for i in range(NOTES)]
    assert session.notes.import_signed(drafts).value == NOTES
    ids = [n.id for n in session.notes.list().items]
    assert len(ids) == NOTES
    session.close()

    db_file = session.path / DB_FILE
    pages, page_size = notes_leaf_pages(db_file)
    wal = session.path / (DB_FILE + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the WAL must be empty"
    assert len(pages) >= 10, f"notes span only {len(pages)} leaf pages"
    assert pages[0] > 1, "page 1 (the schema) must stay intact"
    assert integrity(db_file) == ["ok"]

    with db_file.open("r+b") as f:
        request.param(f, pages, page_size)

    # Not vacuous: SQLite itself sees the damage, and reading notes fails raw...
    assert integrity(db_file) != ["ok"]
    conn = sqlite3.connect(db_file)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="malformed"):
            conn.execute("SELECT * FROM notes ORDER BY start_at DESC, id").fetchall()
        # ...while the schema, the vault's audit log and participants are intact.
        assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM participants").fetchone()[0] == 1
    finally:
        conn.close()
    return ids


@pytest.fixture
def reopened(damaged, reopen):
    return reopen()


def test_listing_notes_raises_corrupt_data_not_sqlite3(reopened):
    with pytest.raises(CorruptData, match="the database is damaged") as err:
        reopened.notes.list()
    assert "read the notes" in str(err.value)
    with pytest.raises(CorruptData, match="the database is damaged"):
        reopened.notes.list(with_addenda=True)
    with pytest.raises(CorruptData, match="the database is damaged"):
        reopened.maintenance.export_json(reopened.path / "export.json")


def test_every_note_is_read_or_reported_damaged(reopened, damaged):
    damaged_ids = []
    for note_id in damaged:
        try:
            assert reopened.notes.get(note_id).id == note_id
        except CorruptData:
            # "the database is damaged", or the envelope in an overwritten cell no
            # longer authenticates: either way a PeerDesk error naming the problem.
            damaged_ids.append(note_id)
    assert 0 < len(damaged_ids) < NOTES


def test_other_read_paths_translate_or_succeed(reopened, damaged):
    try:
        assert reopened.notes.count() == NOTES  # may be answered from an index
    except CorruptData:
        pass
    # Records outside the damaged pages stay readable.
    assert len(reopened.participants.list().items) == 1
    assert reopened.trips.list().items == []
    assert reopened._outbox.counts().pending >= NOTES
    assert len(reopened._outbox.pending(limit=10)) == 10


def test_doctor_reports_the_damage(reopened, request):
    report = reopened.maintenance.doctor()
    assert not report.ok
    assert report.integrity != "ok"
    if request.node.callspec.id == "pages":
        # integrity_check itself fails: said in the report, the rest is skipped.
        assert "the database is damaged" in report.integrity
        assert report.skipped and "not run" in report.skipped[0]
        assert report.audit_rows is None and report.damaged_records == []
    else:
        # integrity_check lists the problems; the later checks run, and those that
        # cannot read the notes say so.
        assert "out of order" in report.integrity or "malformed" in report.integrity
        assert report.schema_applied and not report.schema_pending
        assert report.audit_error is None and report.audit_rows
        problems = report.damaged_records + report.skipped
        assert any("notes" in p and "the database is damaged" in p for p in problems), problems


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (sqlite3.DatabaseError("database disk image is malformed"), "the database is damaged"),
        (sqlite3.OperationalError("database is locked"), "in use by another PeerDesk window"),
    ],
)
def test_doctor_when_integrity_check_itself_fails(session, monkeypatch, error, expected):
    real_execute = session._db.execute

    def execute(sql, *args, **kwargs):
        if "integrity_check" in sql:
            raise error
        return real_execute(sql, *args, **kwargs)

    monkeypatch.setattr(session._db, "execute", execute)
    report = session.maintenance.doctor()
    assert not report.ok
    assert expected in report.integrity
    assert "nothing was saved" not in report.integrity
    assert report.skipped and "not run" in report.skipped[0]
    assert report.audit_rows is None and report.damaged_records == []


def test_read_error_on_locked_file_is_storage_unavailable(session, monkeypatch):
    class LockedConnection:
        def __init__(self, real):
            self.real = real

        def execute(self, sql, *args):
            if sql.lstrip().upper().startswith("SELECT"):
                raise sqlite3.OperationalError("database is locked")
            return self.real.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.real, name)

    monkeypatch.setattr(session._db, "conn", LockedConnection(session._db.conn))
    with pytest.raises(StorageUnavailable, match="in use by another PeerDesk window") as err:
        session.notes.list()
    assert "nothing was saved" not in str(err.value)
    with pytest.raises(StorageUnavailable):
        session._outbox.counts()
    with pytest.raises(StorageUnavailable):
        session.notes.count()


# -- command line ---------------------------------------------------------------------------


def run_cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PEERDESK_LOG_DIR": str(data / "logs")}
    return subprocess.run(
        [sys.executable, "-m", "peerdesk.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def cli_args(damaged, data_dir, profile_name, passphrase, tmp_path):
    secret = tmp_path / "pass.txt"
    secret.write_text(passphrase + "\n")
    return ("--profile", profile_name, "--passphrase-file", str(secret))


def test_cli_doctor_exits_1_without_traceback(data_dir, cli_args):
    r = run_cli(data_dir, "doctor", *cli_args)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "PROBLEMS FOUND" in r.stdout
    assert "the database is damaged" in r.stdout
    assert "integrity_check: ok" not in r.stdout


def test_cli_list_notes_exits_1_without_traceback(data_dir, cli_args):
    r = run_cli(data_dir, "list-notes", *cli_args)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert "the database is damaged" in r.stderr
