"""When the disk cannot take a write (read-only, full) or the database file is not
a database, PeerDesk says so with StorageUnavailable / CorruptData, never a raw
sqlite3 exception, and nothing half-written is left behind."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date
from decimal import Decimal

import pytest

from peerdesk.domain.models import TEMPLATE_SECTIONS, NoteTemplate
from peerdesk.errors import CorruptData, PeerDeskError, StorageUnavailable
from peerdesk.services import DB_FILE

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def snapshot(session):
    """Everything a failed write must leave as it was."""
    conn = session._db.conn
    return {
        "notes": conn.execute(
            "SELECT id, state, updated_at, body, goals FROM notes ORDER BY id"
        ).fetchall(),
        "addenda": conn.execute("SELECT * FROM addenda ORDER BY id").fetchall(),
        "participants": conn.execute("SELECT * FROM participants ORDER BY id").fetchall(),
        "trips": conn.execute("SELECT * FROM trips ORDER BY id").fetchall(),
        "outbox": conn.execute("SELECT * FROM outbox ORDER BY seq").fetchall(),
        "audit": conn.execute("SELECT * FROM audit ORDER BY seq").fetchall(),
    }


@pytest.fixture
def populated(session, make_draft):
    p = session.participants.add("Emery Storage").value
    draft = session.notes.create_draft(
        make_draft(p.id, NoteTemplate.FREE, body={"text": "draft"})
    ).value
    signed = session.notes.sign(session.notes.create_draft(make_draft(p.id)).value.id).value
    return p, draft, signed


def assert_sentence(exc: BaseException, *words: str) -> None:
    text = str(exc)
    assert text and " " in text, text
    for word in words:
        assert word in text, text


# -- read-only --------------------------------------------------------------------------


@pytest.fixture
def read_only(session):
    """Swap the session's connection for a read-only one on the same file (what a
    read-only mount or file gives), restoring the writable one afterwards."""
    rw = session._db.conn
    ro = sqlite3.connect(
        f"file:{session.path / DB_FILE}?mode=ro", uri=True, check_same_thread=False
    )
    ro.execute("PRAGMA busy_timeout=5000")
    session._db.conn = ro

    def restore():
        if session._db.conn is ro:
            session._db.conn = rw
            ro.close()

    yield restore
    restore()


def test_writes_to_a_read_only_database_raise_storage_unavailable(
    session, populated, make_draft, read_only
):
    p, draft, signed = populated
    before = snapshot(session)
    big = make_draft(p.id, NoteTemplate.FREE, body={"text": "new text"})
    attempts = {
        "add participant": lambda: session.participants.add("Read Only").value,
        "create draft": lambda: session.notes.create_draft(big).value,
        "autosave": lambda: session.notes.save_draft(draft.id, big).value,
        "sign": lambda: session.notes.sign(draft.id).value,
        "addendum": lambda: session.notes.add_addendum(signed.id, "late").value,
        "import": lambda: session.notes.import_signed([big]).value,
        "discard": lambda: session.notes.discard_draft(draft.id),
        "trip": lambda: (
            session.trips.add(date(2024, 5, 1), "other", "other", miles=Decimal(1)).value
        ),
    }
    for what, attempt in attempts.items():
        with pytest.raises(StorageUnavailable) as err:
            attempt()
        assert_sentence(err.value, "read-only", "nothing was saved")
        assert not session._db.conn.in_transaction, what

    read_only()
    assert snapshot(session) == before
    assert session.notes.get(draft.id) == draft


def test_lock_drops_the_keys_even_when_the_audit_row_cannot_be_written(session, read_only):
    session.lock()
    assert not session.is_unlocked
    read_only()
    assert session._audit.entries(limit=1)[0].event == "profile_created"


def test_unlock_on_a_read_only_database_says_so_and_stays_locked(session, passphrase, read_only):
    session._vault.lock()  # locked without an audit row, as after a crash
    with pytest.raises(StorageUnavailable) as err:
        session.unlock(passphrase)
    assert_sentence(err.value, "read-only")
    assert not session.is_unlocked


@pytest.mark.skipif(
    IS_ROOT, reason="root ignores file permissions; see the simulated read-only tests"
)
@pytest.mark.parametrize("what", ["folder", "database file"])
def test_read_only_profile_raises_storage_unavailable(
    session, populated, manager, profile_name, passphrase, make_draft, what
):
    p, _draft, _signed = populated
    session.close()
    folder = session.path
    db_file = folder / DB_FILE
    conn = sqlite3.connect(db_file)
    count_before = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    conn.close()
    targets = (folder, *folder.iterdir()) if what == "folder" else (db_file,)
    modes = {path: stat.S_IMODE(path.stat().st_mode) for path in targets}
    for path in modes:
        path.chmod(0o500 if path.is_dir() else 0o400)
    opened = []
    try:
        with pytest.raises(StorageUnavailable) as err:
            s = manager.open(profile_name)
            opened.append(s)
            s.unlock(passphrase)
            s.notes.create_draft(make_draft(p.id))
        assert_sentence(err.value, "read-only")
        assert not any(s.is_unlocked for s in opened)
    finally:
        for s in opened:
            s.close()
        for path, mode in modes.items():
            path.chmod(mode)
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == count_before
    finally:
        conn.close()


# -- disk full --------------------------------------------------------------------------


@pytest.fixture
def disk_full(session):
    """Cap the database at its current size (SQLite's own 'disk full')."""
    conn = session._db.conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert conn.execute(f"PRAGMA max_page_count = {pages}").fetchone()[0] == pages
    yield
    conn.execute("PRAGMA max_page_count = 1073741823")


def large_body(template: NoteTemplate) -> dict[str, str]:
    return {s: s[0] * 19_000 for s in TEMPLATE_SECTIONS[template]}


def test_large_note_on_a_full_disk_raises_storage_unavailable_and_saves_nothing(
    session, populated, make_draft, disk_full
):
    p, draft, _ = populated
    before = snapshot(session)
    count = session.notes.count()
    big = make_draft(p.id, NoteTemplate.SOAP, body=large_body(NoteTemplate.SOAP))

    with pytest.raises(StorageUnavailable) as err:
        session.notes.create_draft(big)
    assert_sentence(err.value, "disk is full", "nothing was saved")
    with pytest.raises(StorageUnavailable):
        session.notes.save_draft(draft.id, big)
    with pytest.raises(StorageUnavailable):
        session.notes.import_signed([big] * 5)

    assert session.notes.count() == count
    assert snapshot(session) == before
    assert not session._db.conn.in_transaction


def test_saving_works_again_once_space_is_freed(session, populated, make_draft, disk_full):
    p, draft, _ = populated
    big = make_draft(p.id, NoteTemplate.SOAP, body=large_body(NoteTemplate.SOAP))
    with pytest.raises(StorageUnavailable):
        session.notes.create_draft(big)
    session._db.conn.execute("PRAGMA max_page_count = 1073741823")
    note = session.notes.create_draft(big).value
    assert session.notes.get(note.id).body == large_body(NoteTemplate.SOAP)
    assert session.maintenance.doctor().ok


# -- not a database ----------------------------------------------------------------------


@pytest.fixture
def real_db_bytes(session):
    session.close()
    return (session.path / DB_FILE).read_bytes()


GARBAGE = {
    "text": lambda real: b"These are my notes, not a database.\n" * 200,
    "random": lambda real: os.urandom(8192),
    "zeros": lambda real: bytes(8192),
    "truncated": lambda real: real[:1024],
    "header-only": lambda real: real[:100],
    "scrambled-pages": lambda real: real[:4096] + os.urandom(len(real) - 4096),
}


@pytest.mark.parametrize("kind", list(GARBAGE))
def test_non_database_file_raises_a_peerdesk_error_not_sqlite3(
    session, manager, profile_name, passphrase, real_db_bytes, kind
):
    db_file = session.path / DB_FILE
    for suffix in ("-wal", "-shm"):
        (session.path / (DB_FILE + suffix)).unlink(missing_ok=True)
    db_file.write_bytes(GARBAGE[kind](real_db_bytes))

    opened = []
    try:
        with pytest.raises(PeerDeskError) as err:
            s = manager.open(profile_name)
            opened.append(s)
            s.unlock(passphrase)
            s.notes.list()
            s.maintenance.doctor()
    finally:
        for s in opened:
            s.close()
    assert isinstance(err.value, CorruptData | StorageUnavailable), repr(err.value)
    assert_sentence(err.value)


def test_damaged_database_is_not_overwritten_when_refused(
    session, manager, profile_name, real_db_bytes
):
    db_file = session.path / DB_FILE
    garbage = b"These are my notes, not a database.\n" * 200
    db_file.write_bytes(garbage)

    with pytest.raises(CorruptData):
        manager.open(profile_name)
    assert db_file.read_bytes() == garbage
