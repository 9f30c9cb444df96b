"""Numbered schema migrations (sqlite-utils ``Migrations``), applied before any
window opens. Each runs in one transaction with its record in
``_sqlite_migrations``; never edit a migration that has shipped, add a new one.

Sensitive columns are BLOBs that hold envelopes only (see ``crypto/envelope.py``).
Tables are STRICT so a wrong type is an error, not a silent conversion.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from peerdesk.errors import SchemaTooNew
from peerdesk.ids import new_id

migrations = Migrations("peerdesk")


@migrations(name="0001_core")
def m0001_core(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE participants (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            display_name BLOB NOT NULL,   -- envelope
            profile BLOB NOT NULL         -- envelope: dob, phone, medicaid id, details
        ) STRICT;

        CREATE TABLE notes (
            id TEXT PRIMARY KEY,
            participant_id TEXT NOT NULL REFERENCES participants(id),
            template TEXT NOT NULL CHECK (template IN ('free', 'girp', 'dap', 'soap')),
            contact_type TEXT NOT NULL,
            location_type TEXT NOT NULL,
            start_at TEXT NOT NULL,
            end_at TEXT NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('draft', 'signed', 'submitted', 'approved', 'returned')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            signed_at TEXT,
            body BLOB NOT NULL,           -- envelope: template section -> text
            goals BLOB NOT NULL           -- envelope: list of goals
        ) STRICT;
        CREATE INDEX notes_by_participant ON notes (participant_id, start_at);
        CREATE INDEX notes_by_state ON notes (state, start_at);

        -- A signed note is immutable; only its review state may move on.
        CREATE TRIGGER notes_signed_are_immutable
        BEFORE UPDATE OF participant_id, template, contact_type, location_type,
                         start_at, end_at, body, goals, signed_at ON notes
        WHEN OLD.state != 'draft'
        BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END;

        CREATE TRIGGER notes_signed_not_deleted
        BEFORE DELETE ON notes WHEN OLD.state != 'draft'
        BEGIN SELECT RAISE(ABORT, 'signed notes cannot be deleted'); END;

        CREATE TABLE addenda (
            id TEXT PRIMARY KEY,
            note_id TEXT NOT NULL REFERENCES notes(id),
            created_at TEXT NOT NULL,
            text BLOB NOT NULL            -- envelope
        ) STRICT;
        CREATE INDEX addenda_by_note ON addenda (note_id, created_at);

        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            detail TEXT NOT NULL,         -- JSON of ids and counts, never a sensitive value
            mac BLOB NOT NULL             -- HMAC over the previous mac and this row
        ) STRICT;
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    )


@migrations(name="0002_outbox")
def m0002_outbox(db: Database) -> None:
    """The change journal. Rows name what changed; the sync engine reads and seals
    the record itself, so the journal holds no sensitive value. Records signed
    before the journal existed are journaled here so they still sync."""
    db.executescript(
        """
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            op_id TEXT NOT NULL UNIQUE,
            entity TEXT NOT NULL CHECK (entity IN ('participant', 'note', 'addendum', 'trip')),
            entity_id TEXT NOT NULL,
            op TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'acked', 'quarantined')),
            attempts INTEGER NOT NULL DEFAULT 0,
            reason TEXT
        ) STRICT;
        CREATE INDEX outbox_pending ON outbox (state, seq);
        """
    )
    backfill = [
        ("participant", "upsert", "SELECT id, created_at FROM participants ORDER BY id"),
        ("note", "sign", "SELECT id, signed_at FROM notes WHERE state != 'draft' ORDER BY id"),
        ("addendum", "add", "SELECT id, created_at FROM addenda ORDER BY id"),
    ]
    for entity, op, query in backfill:
        rows = db.execute(query).fetchall()
        db.conn.executemany(
            "INSERT INTO outbox (op_id, entity, entity_id, op, created_at) VALUES (?, ?, ?, ?, ?)",
            [(new_id(), entity, row[0], op, row[1]) for row in rows],
        )


@migrations(name="0003_trips")
def m0003_trips(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE trips (
            id TEXT PRIMARY KEY,
            trip_date TEXT NOT NULL,
            purpose TEXT NOT NULL,
            destination_type TEXT NOT NULL,
            with_participant INTEGER NOT NULL CHECK (with_participant IN (0, 1)),
            participant_id TEXT REFERENCES participants(id),
            odometer_start TEXT,
            odometer_end TEXT,
            miles TEXT,
            created_at TEXT NOT NULL,
            destination BLOB NOT NULL,    -- envelope
            notes BLOB NOT NULL           -- envelope
        ) STRICT;
        CREATE INDEX trips_by_date ON trips (trip_date);
        """
    )


@migrations(name="0004_immutable_records")
def m0004_immutable_records(db: Database) -> None:
    """Addenda are part of the signed record: never edited or deleted. A signed
    note's id and creation time are frozen like the rest of it."""
    db.executescript(
        """
        CREATE TRIGGER addenda_no_update BEFORE UPDATE ON addenda
        BEGIN SELECT RAISE(ABORT, 'addenda are immutable'); END;
        CREATE TRIGGER addenda_no_delete BEFORE DELETE ON addenda
        BEGIN SELECT RAISE(ABORT, 'addenda cannot be deleted'); END;
        CREATE TRIGGER notes_signed_identity_frozen
        BEFORE UPDATE OF id, created_at ON notes WHEN OLD.state != 'draft'
        BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END;
        """
    )


def known_names() -> list[str]:
    return [m.name for m in migrations._migrations]


def check_not_too_new(db: Database) -> None:
    """Raise :class:`SchemaTooNew` (touching nothing) if the file has migrations
    this version of PeerDesk does not know."""
    known = set(known_names())
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise SchemaTooNew(unknown)


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; return their names."""
    check_not_too_new(db)
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        migrations.apply(db)
    return pending
