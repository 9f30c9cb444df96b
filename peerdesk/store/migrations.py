"""Numbered schema migrations (sqlite-utils ``Migrations``), applied before any
window opens. Each runs in one transaction with its record in
``_sqlite_migrations``; never edit a migration that has shipped, add a new one.

Sensitive columns are BLOBs that hold envelopes only (see ``crypto/envelope.py``).
Tables are STRICT so a wrong type is an error, not a silent conversion.
"""

from __future__ import annotations

import re

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from peerdesk.errors import SchemaTooNew
from peerdesk.ids import new_id, now_utc, to_iso

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


@migrations(name="0005_notes_paging_indexes")
def m0005_notes_paging_indexes(db: Database) -> None:
    """Indexes for the keyset-paged notes list (``NoteRepo.page``: newest id
    first, optionally of one state or one participant), so each page is one
    range scan however many notes there are. Without them a page filtered by
    state sorts every note in that state."""
    db.executescript(
        """
        CREATE INDEX notes_by_state_id ON notes (state, id);
        CREATE INDEX notes_by_participant_id ON notes (participant_id, id);
        """
    )


@migrations(name="0006_sync")
def m0006_sync(db: Database) -> None:
    """Enrollment with an agency and the state of sync.

    * ``device``: the one enrolled device of this profile. Public material (agency
      URL, signed key bundle, pinned root key, CA) is plain; the device's private
      keys, its credential and its label are envelopes.
    * ``recovery_escrow``: a recovery secret (envelope) waiting for the agency to
      acknowledge its escrow record; the row is deleted on the acknowledgement.
    * ``sync_status`` (one row) and ``sync_runs`` (history): times, counts, bytes and
      the last error in words. ``feedback``: supervisor decisions on notes, the
      comment and reviewer as envelopes.
    * The outbox is rebuilt (SQLite cannot change a CHECK constraint) so that it
      can journal "escrow" records, and gains the agency's reject code, its
      sequence number for acknowledged records and the time of the last change.
    """
    db.executescript(
        """
        CREATE TABLE outbox_v6 (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            op_id TEXT NOT NULL UNIQUE,
            entity TEXT NOT NULL
                CHECK (entity IN ('participant', 'note', 'addendum', 'trip', 'escrow')),
            entity_id TEXT NOT NULL,
            op TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'acked', 'quarantined')),
            attempts INTEGER NOT NULL DEFAULT 0,
            reason TEXT,                  -- why it is quarantined, in words
            reject_code TEXT,             -- the agency's (or the device's) short code
            server_seq INTEGER,           -- the agency's sequence number, once acked
            updated_at TEXT
        ) STRICT;
        INSERT INTO outbox_v6 (seq, op_id, entity, entity_id, op, created_at, state, attempts,
                               reason)
            SELECT seq, op_id, entity, entity_id, op, created_at, state, attempts, reason
            FROM outbox ORDER BY seq;
        -- keep the AUTOINCREMENT high-water mark, so no seq is ever handed out twice
        UPDATE sqlite_sequence
            SET seq = max(seq, (SELECT seq FROM sqlite_sequence WHERE name = 'outbox'))
            WHERE name = 'outbox_v6'
              AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox');
        INSERT INTO sqlite_sequence (name, seq)
            SELECT 'outbox_v6', seq FROM sqlite_sequence WHERE name = 'outbox'
              AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox_v6');
        DROP TABLE outbox;
        ALTER TABLE outbox_v6 RENAME TO outbox;
        CREATE INDEX outbox_pending ON outbox (state, seq);

        CREATE TABLE device (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            device_id TEXT NOT NULL,
            agency_name TEXT NOT NULL,
            agency_url TEXT NOT NULL,
            root_key BLOB NOT NULL,       -- pinned at provisioning (public)
            root_key_id TEXT NOT NULL,
            ca_pem TEXT,                  -- TLS trust for the agency (public)
            bundle BLOB NOT NULL,         -- the agency's key bundle, signed by the root key
            bundle_checked_at TEXT,       -- when the agency was last asked for a newer one
            inbound_cursor INTEGER NOT NULL DEFAULT 0,
            enrolled_at TEXT NOT NULL,
            label BLOB NOT NULL,          -- envelope
            sign_key BLOB NOT NULL,       -- envelope: Ed25519 private key
            box_key BLOB NOT NULL,        -- envelope: X25519 private key
            credential BLOB NOT NULL      -- envelope: bearer credential
        ) STRICT;

        CREATE TABLE recovery_escrow (
            escrow_id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            secret BLOB NOT NULL          -- envelope
        ) STRICT;

        CREATE TABLE sync_status (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_success_at TEXT,
            last_attempt_at TEXT,
            last_error TEXT,              -- in words, never a value from a record
            bytes_up INTEGER NOT NULL DEFAULT 0,
            bytes_down INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        INSERT INTO sync_status (id) VALUES (1);

        CREATE TABLE sync_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            outcome TEXT NOT NULL
                CHECK (outcome IN ('running', 'ok', 'failed', 'revoked', 'stopped')),
            sent INTEGER NOT NULL DEFAULT 0,
            acked INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            inbound INTEGER NOT NULL DEFAULT 0,
            bytes_up INTEGER NOT NULL DEFAULT 0,
            bytes_down INTEGER NOT NULL DEFAULT 0,
            error TEXT
        ) STRICT;

        CREATE TABLE feedback (
            id TEXT PRIMARY KEY,
            note_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('approved', 'returned')),
            decided_at TEXT NOT NULL,
            server_seq INTEGER NOT NULL UNIQUE,
            received_at TEXT NOT NULL,
            comment BLOB NOT NULL,        -- envelope
            reviewer BLOB NOT NULL        -- envelope
        ) STRICT;
        CREATE INDEX feedback_by_note ON feedback (note_id, server_seq);
        """
    )


_OUTBOX_ENTITY_CHECK = re.compile(r"(CHECK\s*\(\s*entity\s+IN\s*\()([^)]*)(\))", re.IGNORECASE)


def _widen_outbox_entities(db: Database, added: tuple[str, ...]) -> None:
    """Rebuild the outbox so its ``entity`` CHECK also allows ``added`` (SQLite
    cannot alter a CHECK constraint). Works from the table's current SQL, so every
    column, index, trigger and the AUTOINCREMENT high-water mark is kept."""
    sql = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"
    ).fetchone()[0]
    match = _OUTBOX_ENTITY_CHECK.search(sql)
    if match is None:
        return  # no entity list to widen
    present = re.findall(r"'([^']*)'", match.group(2))
    missing = [e for e in added if e not in present]
    if not missing:
        return
    listed = ", ".join(f"'{e}'" for e in [*present, *missing])
    new_sql = sql[: match.start(2)] + listed + sql[match.end(2) :]
    new_sql = re.sub(r'^CREATE TABLE\s+("outbox"|outbox)', "CREATE TABLE outbox_v7", new_sql)
    extras = [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'outbox' AND type IN ('index', 'trigger')"
            " AND sql IS NOT NULL"
        ).fetchall()
    ]
    high_water = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
    db.execute(new_sql)
    db.execute("INSERT INTO outbox_v7 SELECT * FROM outbox ORDER BY seq")
    db.execute("DROP TABLE outbox")
    db.execute("ALTER TABLE outbox_v7 RENAME TO outbox")
    if high_water is not None:
        db.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'outbox'", (high_water[0],)
        )
        if db.execute("SELECT changes()").fetchone()[0] == 0:
            db.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)", (high_water[0],)
            )
    for statement in extras:
        db.execute(statement)


@migrations(name="0007_directory")
def m0007_directory(db: Database) -> None:
    """The resource directory, referrals and suggested corrections.

    * ``directory_*``: the public HSDS directory (plaintext by design: it is public
      information, and it arrives signed). ``directory_services.doc`` etc. hold each
      record as HSDS JSON; the other tables are derived from them for search:
      ``directory_fts`` (FTS5, prefix indexes for 2 and 3 characters), the filter
      tables (categories, counties, languages, locations, opening hours as minutes
      of the week) and ``directory_spell`` (one-deletion variants of indexed words,
      for typo tolerance). ``directory_meta`` holds the directory version.
    * ``referrals``: a participant referred to a service. Plain: ids, state, times.
      The service (id and name: where someone was referred can be sensitive, e.g. a
      treatment program) and the follow-up note are one envelope.
    * ``corrections``: a peer's suggested fix to a directory entry (text is an envelope).
    * The outbox is rebuilt so it can journal "referral" and "correction" records.
    """
    db.executescript(
        """
        CREATE TABLE directory_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;
        CREATE TABLE directory_taxonomies (
            id TEXT PRIMARY KEY,
            doc TEXT NOT NULL
        ) STRICT;
        CREATE TABLE directory_terms (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            parent_id TEXT,
            taxonomy_id TEXT,
            doc TEXT NOT NULL
        ) STRICT;
        CREATE INDEX directory_terms_by_parent ON directory_terms (parent_id);
        CREATE INDEX directory_terms_by_taxonomy ON directory_terms (taxonomy_id);
        CREATE TABLE directory_organizations (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            doc TEXT NOT NULL
        ) STRICT;
        CREATE TABLE directory_locations (
            id TEXT PRIMARY KEY,
            organization_id TEXT,
            latitude REAL,
            longitude REAL,
            doc TEXT NOT NULL
        ) STRICT;
        CREATE INDEX directory_locations_by_org ON directory_locations (organization_id);
        CREATE TABLE directory_towns (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            county TEXT NOT NULL,
            doc TEXT NOT NULL,
            latitude REAL NOT NULL,
            longitude REAL NOT NULL
        ) STRICT;
        CREATE INDEX directory_towns_by_name ON directory_towns (name_key);
        CREATE TABLE directory_services (
            sid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            organization_id TEXT,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            status TEXT NOT NULL,
            assured_date TEXT,
            is_crisis INTEGER NOT NULL CHECK (is_crisis IN (0, 1))
        ) STRICT;
        CREATE INDEX directory_services_by_name ON directory_services (name_key);
        CREATE INDEX directory_services_by_org ON directory_services (organization_id);
        CREATE INDEX directory_services_by_status ON directory_services (status);
        CREATE INDEX directory_services_crisis ON directory_services (is_crisis, name_key);
        -- kept apart so the table search joins on stays small and cached
        CREATE TABLE directory_service_docs (
            sid INTEGER PRIMARY KEY,
            summary TEXT NOT NULL,        -- JSON: what a result line shows
            doc TEXT NOT NULL             -- the HSDS service object
        ) STRICT;
        CREATE TABLE directory_service_terms (
            term_id TEXT NOT NULL,
            sid INTEGER NOT NULL,
            PRIMARY KEY (term_id, sid)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX directory_service_terms_by_sid ON directory_service_terms (sid);
        CREATE TABLE directory_service_areas (
            county_key TEXT NOT NULL,
            sid INTEGER NOT NULL,
            name TEXT NOT NULL,           -- as the data spells it, for display
            PRIMARY KEY (county_key, sid)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX directory_service_areas_by_sid ON directory_service_areas (sid);
        CREATE TABLE directory_service_languages (
            lang_key TEXT NOT NULL,       -- the code and the folded name, one row each
            sid INTEGER NOT NULL,
            label TEXT NOT NULL,          -- the name (or code), for display
            PRIMARY KEY (lang_key, sid)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX directory_service_languages_by_sid ON directory_service_languages (sid);
        CREATE TABLE directory_service_locations (
            location_id TEXT NOT NULL,
            sid INTEGER NOT NULL,
            latitude REAL,                -- the location's, so "near" is one index range
            longitude REAL,
            PRIMARY KEY (location_id, sid)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX directory_service_locations_by_sid ON directory_service_locations (sid);
        CREATE INDEX directory_service_locations_by_position
            ON directory_service_locations (latitude, longitude, sid);
        CREATE TABLE directory_hours (
            sid INTEGER NOT NULL,
            start_min INTEGER NOT NULL,   -- minute of the week, Monday 00:00 = 0
            end_min INTEGER NOT NULL,     -- exclusive
            valid_from TEXT,
            valid_to TEXT
        ) STRICT;
        CREATE INDEX directory_hours_by_sid ON directory_hours (sid);
        CREATE VIRTUAL TABLE directory_fts USING fts5(
            name, alternate_name, organization, categories, description, places,
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '2 3'
        );
        CREATE VIRTUAL TABLE directory_fts_vocab USING fts5vocab(directory_fts, 'row');
        CREATE TABLE directory_words (
            word TEXT PRIMARY KEY
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE directory_spell (
            variant TEXT NOT NULL,        -- the word with one character deleted
            word TEXT NOT NULL,
            PRIMARY KEY (variant, word)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX directory_spell_by_word ON directory_spell (word);

        CREATE TABLE referrals (
            id TEXT PRIMARY KEY,
            participant_id TEXT NOT NULL REFERENCES participants(id),
            -- a discarded draft leaves the referral standing, without its note
            note_id TEXT REFERENCES notes(id) ON DELETE SET NULL,
            status TEXT NOT NULL CHECK (status IN ('made', 'connected', 'not_connected')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            details BLOB NOT NULL         -- envelope: service id and name, follow-up note
        ) STRICT;
        CREATE INDEX referrals_by_participant ON referrals (participant_id, created_at);
        CREATE INDEX referrals_by_note ON referrals (note_id);
        CREATE TABLE corrections (
            id TEXT PRIMARY KEY,
            service_id TEXT NOT NULL,     -- a public directory entry
            created_at TEXT NOT NULL,
            suggestion BLOB NOT NULL      -- envelope
        ) STRICT;
        CREATE INDEX corrections_by_service ON corrections (service_id, created_at);
        """
    )
    _widen_outbox_entities(db, ("referral", "correction"))


@migrations(name="0008_review")
def m0008_review(db: Database) -> None:
    """The profile's role, the peer's "resubmit" record and the supervisor's review cache.

    * ``profile_info``: one row, the role (``peer`` or ``supervisor``); every
      profile made before this migration is a peer's.
    * The outbox is rebuilt so it can journal "resubmit" records (a returned note
      answered with an addendum goes back to the supervisor).
    * ``review_*`` (used by a supervisor profile only): what a pull brought from
      the agency, decrypted on this machine. Plain columns hold only ids, agency
      sequence numbers, states, the times the queue sorts and filters by, and the
      peer's laptop label; every decrypted payload, participant name, contact
      detail and decision comment is an envelope under the profile's data key.
      ``review_grants`` keeps each review-key grant as received (HPKE-sealed to
      this supervisor's box key). A record that did not open or verify is kept in
      ``review_records`` with the reason (and its ciphertext while the key to open
      it is missing), and shows in the queue as broken.
    """
    db.executescript(
        """
        CREATE TABLE profile_info (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            role TEXT NOT NULL CHECK (role IN ('peer', 'supervisor')),
            role_set_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE review_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            team TEXT NOT NULL DEFAULT '',
            records_after INTEGER NOT NULL DEFAULT 0,   -- pull cursor: last record seq stored
            events_after INTEGER NOT NULL DEFAULT 0,    -- pull cursor: last event seq stored
            last_pull_at TEXT,
            last_error TEXT                             -- in words, never a value from a record
        ) STRICT;
        INSERT INTO review_state (id) VALUES (1);

        CREATE TABLE review_grants (
            key_id TEXT PRIMARY KEY,
            sealed BLOB NOT NULL,         -- HPKE-sealed to this supervisor's box key, as received
            not_after TEXT NOT NULL,
            received_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE review_devices (
            device_id TEXT PRIMARY KEY,
            label TEXT NOT NULL,          -- the peer's laptop name, shown in the queue
            box_pub BLOB NOT NULL,        -- public: decisions are sealed to it
            revoked INTEGER NOT NULL CHECK (revoked IN (0, 1)),
            enrolled_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE review_records (
            seq INTEGER PRIMARY KEY,      -- the agency's record seq
            device_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            op_id TEXT NOT NULL,
            key_id TEXT NOT NULL,
            dictionary TEXT NOT NULL,
            received_at TEXT NOT NULL,
            broken TEXT,                  -- why it did not open or verify, in words
            broken_code TEXT,             -- no_key | sealed | payload
            sealed BLOB                   -- ciphertext, kept only while the key is missing
        ) STRICT;
        CREATE INDEX review_records_broken ON review_records (broken_code, seq)
            WHERE broken IS NOT NULL;

        CREATE TABLE review_payloads (
            seq INTEGER PRIMARY KEY REFERENCES review_records(seq),
            payload BLOB NOT NULL         -- envelope: the decrypted record payload
        ) STRICT;

        CREATE TABLE review_items (
            device_id TEXT NOT NULL,
            note_id TEXT NOT NULL,        -- or the entity id of a broken record of another kind
            kind TEXT NOT NULL,           -- 'note', or that broken record's kind
            participant_id TEXT,
            sort_at TEXT NOT NULL,        -- contact start; when it was received while unreadable
            contact_start TEXT,
            signed_at TEXT,               -- for the overdue report
            state TEXT NOT NULL
                CHECK (state IN ('received', 'returned', 'resubmitted', 'approved')),
            state_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            note_seq INTEGER,
            last_seq INTEGER NOT NULL,    -- newest record of this note (note, addendum, resubmit)
            state_seq INTEGER NOT NULL DEFAULT 0,  -- the agency event that set ``state``
            broken TEXT,                  -- why a record of this item did not open, in words
            broken_seq INTEGER,           -- that record's seq
            summary BLOB NOT NULL,        -- envelope: contact type, end and signing time
            PRIMARY KEY (device_id, note_id)
        ) STRICT;
        CREATE INDEX review_items_queue ON review_items (sort_at, device_id, note_id);
        CREATE INDEX review_items_by_device ON review_items (device_id, sort_at, note_id);
        CREATE INDEX review_items_by_state ON review_items (state, sort_at, device_id, note_id);

        CREATE TABLE review_participants (
            device_id TEXT NOT NULL,
            participant_id TEXT NOT NULL,
            seq INTEGER NOT NULL,         -- the newest record of this person (last writer wins)
            name BLOB NOT NULL,           -- envelope
            PRIMARY KEY (device_id, participant_id)
        ) STRICT;

        CREATE TABLE review_addenda (
            device_id TEXT NOT NULL,
            addendum_id TEXT NOT NULL,
            note_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (device_id, addendum_id)
        ) STRICT;
        CREATE INDEX review_addenda_by_note ON review_addenda (device_id, note_id, created_at);

        CREATE TABLE review_trips (
            device_id TEXT NOT NULL,
            trip_id TEXT NOT NULL,
            trip_date TEXT NOT NULL,
            participant_id TEXT,
            seq INTEGER NOT NULL,
            PRIMARY KEY (device_id, trip_id)
        ) STRICT;
        CREATE INDEX review_trips_by_date ON review_trips (trip_date, device_id);
        CREATE INDEX review_trips_by_participant
            ON review_trips (device_id, participant_id, trip_date);

        CREATE TABLE review_events (
            seq INTEGER PRIMARY KEY,      -- the agency's event seq
            device_id TEXT NOT NULL,
            note_id TEXT NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('received', 'returned', 'resubmitted', 'approved')),
            at TEXT NOT NULL,
            actor BLOB NOT NULL           -- envelope: the supervisor's name, or "peer"
        ) STRICT;
        CREATE INDEX review_events_by_note ON review_events (device_id, note_id, seq);

        CREATE TABLE review_decisions (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL,
            note_id TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('approved', 'returned')),
            decided_at TEXT NOT NULL,
            event_seq INTEGER NOT NULL,
            comment BLOB NOT NULL,        -- envelope
            reviewer BLOB NOT NULL        -- envelope
        ) STRICT;
        CREATE INDEX review_decisions_by_note ON review_decisions (device_id, note_id);
        """
    )
    db.execute(
        "INSERT INTO profile_info (id, role, role_set_at) VALUES (1, 'peer', ?)",
        (to_iso(now_utc()),),
    )
    _widen_outbox_entities(db, ("resubmit",))


@migrations(name="0009_participant_record")
def m0009_participant_record(db: Database) -> None:
    """The participant's record (issue 20): recovery plan, enrollment episodes,
    consents and outcome check-ins, on the laptop and in the supervisor's cache.

    * ``participant_records``: one row per record; everything said in it is the
      ``doc`` envelope (the same map as its sync payload); plain are only ids,
      the kind and the record's own times.
    * ``review_person_records``: the newest pulled version of each such record
      (its payload is in ``review_payloads`` under ``seq``).
    * The outbox is rebuilt so it can journal the four new kinds.
    """
    db.executescript(
        """
        CREATE TABLE participant_records (
            id TEXT PRIMARY KEY,
            participant_id TEXT NOT NULL REFERENCES participants(id),
            kind TEXT NOT NULL CHECK (kind IN ('plan', 'enrollment', 'consent', 'outcome')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            doc BLOB NOT NULL             -- envelope: the record's payload
        ) STRICT;
        CREATE INDEX participant_records_by_person
            ON participant_records (participant_id, kind, created_at);

        CREATE TABLE review_person_records (
            device_id TEXT NOT NULL,
            record_id TEXT NOT NULL,
            participant_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            seq INTEGER NOT NULL,         -- the newest version (its payload: review_payloads)
            PRIMARY KEY (device_id, record_id)
        ) STRICT;
        CREATE INDEX review_person_records_by_person
            ON review_person_records (device_id, participant_id, kind);
        """
    )
    _widen_outbox_entities(db, ("plan", "enrollment", "consent", "outcome"))


@migrations(name="0010_claims_control_number")
def m0010_claims_control_number(db: Database) -> None:
    """The last interchange control number of an 837P file this profile wrote
    (issue 19): every export takes the next one, so no two files share it."""
    db.execute("ALTER TABLE profile_info ADD COLUMN last_control_number INTEGER NOT NULL DEFAULT 0")


#: records an older supervisor app kept as bare rows (no payload): its check let
#: the four kinds of the participant's record through without storing them
_RECORD_ROWS_NEVER_STORED = """
    FROM review_records
    WHERE kind IN ('plan', 'enrollment', 'consent', 'outcome')
      AND broken IS NULL
      AND seq NOT IN (SELECT seq FROM review_payloads)
      AND seq NOT IN (SELECT seq FROM review_person_records)
"""


@migrations(name="0011_refetch_record_kinds")
def m0011_refetch_record_kinds(db: Database) -> None:
    """Records of the participant's record pulled by a supervisor app older than
    0009 (issue 20, review M3): it kept them as ``review_records`` rows without a
    payload and moved its cursor past them, so the next pull (INSERT OR IGNORE)
    took them as stored and never showed them. Those rows are deleted and the
    records cursor goes back to just before the first of them, so the next pull
    fetches them again (what it already has is skipped)."""
    db.execute(
        "UPDATE review_state SET records_after = min(records_after,"
        f" (SELECT min(seq) - 1 {_RECORD_ROWS_NEVER_STORED}))"
        f" WHERE id = 1 AND EXISTS (SELECT 1 {_RECORD_ROWS_NEVER_STORED})"
    )
    db.execute(f"DELETE {_RECORD_ROWS_NEVER_STORED}")


@migrations(name="0012_care_team")
def m0012_care_team(db: Database) -> None:
    """The participant's care team (issue 23).

    * ``participant_records`` is rebuilt (SQLite cannot change a CHECK) so its
      ``kind`` also allows ``care_member``: one row per care-team entry, all it
      says in the ``doc`` envelope, like the other record kinds.
    * The outbox is rebuilt so it can journal ``care_member`` records.
    * ``notes.coordination``: an envelope holding the care-team entry a note
      records a coordination contact with (or none). Every note saved from now
      on has one; notes written before are NULL, read as none.
    """
    db.executescript(
        """
        CREATE TABLE participant_records_v12 (
            id TEXT PRIMARY KEY,
            participant_id TEXT NOT NULL REFERENCES participants(id),
            kind TEXT NOT NULL CHECK (kind IN ('plan', 'enrollment', 'consent', 'outcome',
                                               'care_member')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            doc BLOB NOT NULL             -- envelope: the record's payload
        ) STRICT;
        INSERT INTO participant_records_v12 SELECT id, participant_id, kind, created_at,
            updated_at, doc FROM participant_records;
        DROP TABLE participant_records;
        ALTER TABLE participant_records_v12 RENAME TO participant_records;
        CREATE INDEX participant_records_by_person
            ON participant_records (participant_id, kind, created_at);
        ALTER TABLE notes ADD COLUMN coordination BLOB;  -- envelope, NULL before 0012
        """
    )
    _widen_outbox_entities(db, ("care_member",))


@migrations(name="0013_workforce")
def m0013_workforce(db: Database) -> None:
    """The peer's workforce record (issue 23): supervision sessions, the
    certification, CEU entries, wellbeing check-ins and the self-care plan.

    * ``workforce_records``: one row per record; what it says is the ``doc``
      envelope (the map of its payload); plain are only the id, the kind, the
      record's own times and whether a wellbeing check-in was shared (0 for
      every other kind). Check-ins and the self-care plan stay here: only a
      check-in the peer shares is journaled in the outbox.
    * ``workforce_settings``: one row, the requirements (hours per months of
      supervision and of CEU); plain numbers, no one's data.
    * ``review_workforce_records``: the supervisor's cache, the newest pulled
      version of each synced workforce record (payload in ``review_payloads``).
    * The outbox is rebuilt so it can journal the four synced kinds.
    """
    db.executescript(
        """
        CREATE TABLE workforce_records (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN
                ('supervision', 'certification', 'ceu', 'wellbeing', 'selfcare')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
            doc BLOB NOT NULL             -- envelope: the record's payload
        ) STRICT;
        CREATE INDEX workforce_records_by_kind ON workforce_records (kind, created_at);

        CREATE TABLE workforce_settings (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            supervision_hours TEXT NOT NULL,
            supervision_months INTEGER NOT NULL,
            ceu_hours TEXT NOT NULL,
            ceu_months INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE review_workforce_records (
            device_id TEXT NOT NULL,
            record_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            seq INTEGER NOT NULL,         -- the newest version (its payload: review_payloads)
            PRIMARY KEY (device_id, record_id)
        ) STRICT;
        CREATE INDEX review_workforce_records_by_device
            ON review_workforce_records (device_id, kind);
        """
    )
    _widen_outbox_entities(db, ("supervision", "certification", "ceu", "wellbeing"))


@migrations(name="0014_directory_download")
def m0014_directory_download(db: Database) -> None:
    """A directory download in progress (issue 17): the signed manifest it is for
    and the chunks received so far, each checked against it, so a cut resumes at
    the next missing chunk. Public directory data, like the directory itself."""
    db.executescript(
        """
        CREATE TABLE directory_download (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL,
            manifest BLOB NOT NULL
        ) STRICT;
        CREATE TABLE directory_download_chunks (
            idx INTEGER PRIMARY KEY,
            hash TEXT NOT NULL,
            data BLOB NOT NULL
        ) STRICT;
        """
    )


@migrations(name="0015_review_record_segments")
def m0015_review_record_segments(db: Database) -> None:
    """Records pulled from a sealed segment (issue 17). ``segment_part`` is set for
    such a record kept broken for want of its review key: its ``sealed`` then
    holds the segment with the record's place in it (``wire.segments``
    envelope), so a grant that comes later repairs it. NULL: a record sealed on
    its own, as before."""
    db.execute("ALTER TABLE review_records ADD COLUMN segment_part INTEGER")


@migrations(name="0016_note_coordination_frozen")
def m0016_note_coordination_frozen(db: Database) -> None:
    """A signed note's coordination contact (the ``notes.coordination`` column
    0012 added) is part of the signed record: frozen like the rest of it."""
    db.executescript(
        """
        CREATE TRIGGER notes_signed_coordination_frozen
        BEFORE UPDATE OF coordination ON notes WHEN OLD.state != 'draft'
        BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END;
        """
    )


@migrations(name="0017_crisis")
def m0017_crisis(db: Database) -> None:
    """Crisis support (issue 21).

    * ``participant_records`` is rebuilt so its ``kind`` also allows ``crisis``
      (a crisis flag) and ``safety_plan``; what they say is the ``doc`` envelope.
    * The outbox is rebuilt so it can journal both, and gains ``priority``
      (0, or 1 for crisis records and notes written while their participant is
      flagged): the sync sends pending entries by priority, then journal order.
    * ``review_items.crisis``: 1 for a note its laptop sent as a crisis note;
      the supervisor's queue lists those first (its three indexes are made
      again with it). Plain, like the item's state: an ordering key; what the
      note says stays in envelopes.
    """
    db.executescript(
        """
        CREATE TABLE participant_records_v14 (
            id TEXT PRIMARY KEY,
            participant_id TEXT NOT NULL REFERENCES participants(id),
            kind TEXT NOT NULL CHECK (kind IN ('plan', 'enrollment', 'consent', 'outcome',
                                               'care_member', 'crisis', 'safety_plan')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            doc BLOB NOT NULL             -- envelope: the record's payload
        ) STRICT;
        INSERT INTO participant_records_v14 SELECT id, participant_id, kind, created_at,
            updated_at, doc FROM participant_records;
        DROP TABLE participant_records;
        ALTER TABLE participant_records_v14 RENAME TO participant_records;
        CREATE INDEX participant_records_by_person
            ON participant_records (participant_id, kind, created_at);
        ALTER TABLE review_items ADD COLUMN crisis INTEGER NOT NULL DEFAULT 0
            CHECK (crisis IN (0, 1));
        DROP INDEX review_items_queue;
        DROP INDEX review_items_by_device;
        DROP INDEX review_items_by_state;
        CREATE INDEX review_items_queue
            ON review_items (crisis DESC, sort_at, device_id, note_id);
        CREATE INDEX review_items_by_device
            ON review_items (device_id, crisis DESC, sort_at, note_id);
        CREATE INDEX review_items_by_state
            ON review_items (state, crisis DESC, sort_at, device_id, note_id);
        """
    )
    _widen_outbox_entities(db, ("crisis", "safety_plan"))
    db.executescript(
        """
        ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0
            CHECK (priority IN (0, 1));
        CREATE INDEX outbox_by_priority ON outbox (state, priority DESC, seq);
        """
    )


@migrations(name="0018_appointments")
def m0018_appointments(db: Database) -> None:
    """Appointments and the rides to them (issue 21).

    * ``participant_records`` is rebuilt so its ``kind`` also allows
      ``appointment``: one row per appointment (its ride inside), all it says in
      the ``doc`` envelope, like the other record kinds.
    * The outbox is rebuilt so it can journal ``appointment`` records.
    """
    db.executescript(
        """
        CREATE TABLE participant_records_v18 (
            id TEXT PRIMARY KEY,
            participant_id TEXT NOT NULL REFERENCES participants(id),
            kind TEXT NOT NULL CHECK (kind IN ('plan', 'enrollment', 'consent', 'outcome',
                                               'care_member', 'crisis', 'safety_plan',
                                               'appointment')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            doc BLOB NOT NULL             -- envelope: the record's payload
        ) STRICT;
        INSERT INTO participant_records_v18 SELECT id, participant_id, kind, created_at,
            updated_at, doc FROM participant_records;
        DROP TABLE participant_records;
        ALTER TABLE participant_records_v18 RENAME TO participant_records;
        CREATE INDEX participant_records_by_person
            ON participant_records (participant_id, kind, created_at);
        """
    )
    _widen_outbox_entities(db, ("appointment",))


@migrations(name="0019_groups")
def m0019_groups(db: Database) -> None:
    """Group sessions (issue 21): a group with its roster, and each session of it.

    * ``groups``: one row per group; its name, roster and end date are one
      ``doc`` envelope (a group is no one participant's record: it has its own
      table, and does not sync; the notes a session makes sync as notes).
    * ``group_sessions``: one row per session; the topic, the shared part, who
      came and who did not and the notes made are one ``doc`` envelope.
    """
    db.executescript(
        """
        CREATE TABLE groups (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            doc BLOB NOT NULL             -- envelope: name, members, ended_on
        ) STRICT;
        CREATE TABLE group_sessions (
            id TEXT PRIMARY KEY,
            group_id TEXT NOT NULL REFERENCES groups(id),
            start_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            doc BLOB NOT NULL             -- envelope: topic, shared, attendance, note ids
        ) STRICT;
        CREATE INDEX group_sessions_by_group ON group_sessions (group_id, start_at);
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
