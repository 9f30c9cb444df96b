"""The agency database schema (SQLAlchemy Core), the same on SQLite and PostgreSQL.

The server stores ciphertext and routing metadata only: which device sent what
kind of record, sealed to which key, how big, in what order. Ids are UUID
strings, times ISO 8601 UTC text with milliseconds (sorts as text), hashes and
sealed blobs raw bytes.

Changes go through Alembic migrations in ``peerdesk/agency/migrations``; a test
checks that migrating an empty database gives exactly this metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

#: 64-bit server sequence numbers on PostgreSQL (BIGSERIAL); on SQLite the rowid
#: (INTEGER PRIMARY KEY is already 64-bit there, and only that spelling autoincrements).
Seq = BigInteger().with_variant(Integer(), "sqlite")

ID = 36  # canonical UUID text
TIME = 40  # ISO 8601 text
TEAM = 64
NAME = 100

agency_keys = Table(
    "agency_keys",
    metadata,
    Column("key_id", String(16), primary_key=True),
    # root | signing | review | recovery
    Column("purpose", String(16), nullable=False),
    Column("public", LargeBinary, nullable=False),
    Column("created_at", String(TIME), nullable=False),
    # "" = no expiry; a review key gets one when it is rotated out
    Column("not_after", String(TIME), nullable=False, server_default=""),
)

key_bundles = Table(
    "key_bundles",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=True),
    Column("issued_at", String(TIME), nullable=False),
    # sign_document(root, "key-bundle", bundle.to_doc())
    Column("blob", LargeBinary, nullable=False),
    sqlite_autoincrement=True,
)

enrollment_codes = Table(
    "enrollment_codes",
    metadata,
    # the normalised code's keyed hash (HMAC-SHA256 with the agency's code key, see
    # hash_kind); the code itself is never stored
    Column("code_hash", LargeBinary, primary_key=True),
    Column("created_at", String(TIME), nullable=False),
    Column("expires_at", String(TIME), nullable=False),
    Column("used_at", String(TIME), nullable=True),
    # who used it: the device id, or the supervisor id for a supervisor invite
    Column("device_id", String(ID), nullable=True),
    # device | supervisor: a code enrolls only its own kind
    Column("role", String(16), nullable=False, server_default="device"),
    # the team the device or supervisor joins ("" = none)
    Column("team", String(TEAM), nullable=False, server_default=""),
    # a supervisor invite: the supervisor's display name, set by IT
    Column("name", String(NAME), nullable=False, server_default=""),
    # hmac: HMAC-SHA256 with the code key; sha256: unkeyed, a code issued before 0005
    # (still accepted until it expires, at most 30 days)
    Column("hash_kind", String(16), nullable=False, server_default="sha256"),
)

devices = Table(
    "devices",
    metadata,
    Column("device_id", String(ID), primary_key=True),
    Column("label", String(100), nullable=False),
    Column("sign_pub", LargeBinary, nullable=False),
    Column("box_pub", LargeBinary, nullable=False),
    # sha256 of the bearer credential; the credential itself is never stored
    Column("credential_hash", LargeBinary, nullable=False, unique=True),
    Column("enrolled_at", String(TIME), nullable=False),
    Column("last_seen_at", String(TIME), nullable=True),
    Column("revoked_at", String(TIME), nullable=True),
    # sign_document(agency signing key, "wipe", wipe_order_doc(...))
    Column("wipe_order", LargeBinary, nullable=True),
    # the supervisors of this team review its notes ("" = no team: nobody does)
    Column("team", String(TEAM), nullable=False, server_default=""),
    # what the laptop last reported in its PeerDesk-Client header (an authenticated
    # sync that succeeded): app version, records waiting in its outbox, held back there
    Column("client_version", String(32), nullable=True),
    Column("client_pending", Integer, nullable=True),
    Column("client_held", Integer, nullable=True),
)

records = Table(
    "records",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=True),
    # no foreign key on purpose: a row-level check per record costs ~20% of ingest on
    # PostgreSQL, and only an authenticated device's batch reaches the insert (devices
    # are never deleted; revocation keeps the row)
    Column("device_id", String(ID), nullable=False),
    Column("op_id", String(ID), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("entity_id", String(ID), nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("dictionary", String(32), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("batch_id", String(ID), nullable=False),
    Column("received_at", String(TIME), nullable=False),
    # escrow records: when IT used it for a recovery (once only)
    Column("used_at", String(TIME), nullable=True),
    # a record that came in a sealed segment (issue 17): the segment's seq and the
    # record's place in it; its own ``sealed`` is then empty. NULL: a record sealed
    # on its own (the escrow, and everything sent before segments)
    Column("segment", Seq, nullable=True),
    Column("part", Integer, nullable=True),
    UniqueConstraint("device_id", "op_id"),
    sqlite_autoincrement=True,
)
Index("ix_records_device_id_seq", records.c.device_id, records.c.seq)
Index("ix_records_kind_seq", records.c.kind, records.c.seq)

#: sealed segments (issue 17): the payloads of many records of one kind, compressed
#: together and sealed once to a review key; each record has its row in ``records``
#: (routing metadata: op id, entity id) pointing here. No foreign key, as for records.
segments = Table(
    "segments",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=True),
    Column("device_id", String(ID), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("dictionary", String(32), nullable=False),
    # per record: op id then entity id, 16 bytes each (the HPKE info binds its hash)
    Column("ids", LargeBinary, nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("batch_id", String(ID), nullable=False),
    Column("received_at", String(TIME), nullable=False),
    sqlite_autoincrement=True,
)

batches = Table(
    "batches",
    metadata,
    Column("device_id", String(ID), ForeignKey("devices.device_id"), primary_key=True),
    Column("batch_id", String(ID), primary_key=True),
    # sha256 of the raw request body
    Column("body_hash", LargeBinary, nullable=False),
    # in_flight | done
    Column("state", String(16), nullable=False),
    # who is processing it now (a takeover of an abandoned batch gets a new one)
    Column("claim", String(32), nullable=False),
    Column("started_at", String(TIME), nullable=False),
    Column("finished_at", String(TIME), nullable=True),
    # the encoded SyncResponse, returned unchanged on a replay
    Column("response", LargeBinary, nullable=True),
)

outbound = Table(
    "outbound",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=True),
    # NULL = for every device (policy, directory)
    Column("device_id", String(ID), ForeignKey("devices.device_id"), nullable=True),
    # feedback | wipe | policy | directory
    Column("kind", String(16), nullable=False),
    # note id for feedback, "" otherwise
    Column("ref", String(ID), nullable=False, server_default=""),
    Column("payload", LargeBinary, nullable=False),
    Column("created_at", String(TIME), nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_outbound_device_id_seq", outbound.c.device_id, outbound.c.seq)

directory_versions = Table(
    "directory_versions",
    metadata,
    # the published directory version (the first publication is 1; the seed is 0)
    Column("version", Seq, primary_key=True, autoincrement=False),
    # snapshot | delta: what was sent to the devices for this version
    Column("kind", String(16), nullable=False),
    # the whole dataset as HSDS JSON (UTF-8): public data, the base of the next delta
    Column("dataset", LargeBinary, nullable=False),
    Column("services", Integer, nullable=False),
    # the broadcast outbound item that carries the signed update
    Column("outbound_seq", Seq, ForeignKey("outbound.seq"), nullable=False),
    Column("published_at", String(TIME), nullable=False),
)

#: what a laptop downloads for a directory version (issue 17): the signed manifest
#: of the full directory ("full") and of the delta from the version before ("delta")
directory_manifests = Table(
    "directory_manifests",
    metadata,
    Column(
        "version",
        Seq,
        ForeignKey("directory_versions.version"),
        primary_key=True,
        autoincrement=False,
    ),  # fmt: skip
    Column("kind", String(8), primary_key=True),
    # the signed manifest (peerdesk.wire.directory_chunks)
    Column("signed", LargeBinary, nullable=False),
    # the sum of its chunks' compressed sizes
    Column("wire_bytes", BigInteger, nullable=False),
)

#: compressed chunks of directory updates, named by the SHA-256 (hex) of their bytes
directory_chunks = Table(
    "directory_chunks",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

directory_corrections = Table(
    "directory_corrections",
    metadata,
    # the peer's correction record (kind "correction"); an open one has no row here
    Column("record_seq", Seq, ForeignKey("records.seq"), primary_key=True, autoincrement=False),
    # accepted | dismissed
    Column("status", String(16), nullable=False),
    # an accepted correction's edit of the service: a field and its new value (or none)
    Column("field", String(64), nullable=True),
    Column("value", Text, nullable=True),
    Column("service_id", String(128), nullable=False, server_default=""),
    Column("decided_at", String(TIME), nullable=False),
    Column("actor", String(NAME), nullable=False),
    # the directory version an accepted correction went out in (NULL: the next one)
    Column("published_in", Seq, nullable=True),
)


# --- supervisor review ----------------------------------------------------------------

supervisors = Table(
    "supervisors",
    metadata,
    Column("supervisor_id", String(ID), primary_key=True),
    Column("name", String(NAME), nullable=False),
    Column("team", String(TEAM), nullable=False),
    # public halves of the keys the supervisor's profile made (Ed25519, X25519)
    Column("sign_pub", LargeBinary, nullable=False),
    Column("box_pub", LargeBinary, nullable=False),
    # sha256 of the bearer credential (a separate namespace from the devices')
    Column("credential_hash", LargeBinary, nullable=False, unique=True),
    Column("enrolled_at", String(TIME), nullable=False),
    # set when IT removes the supervisor: the credential is refused from then on
    Column("removed_at", String(TIME), nullable=True),
)

review_grants = Table(
    "review_grants",
    metadata,
    Column(
        "supervisor_id",
        String(ID),
        ForeignKey("supervisors.supervisor_id"),
        primary_key=True,
    ),
    Column("key_id", String(16), ForeignKey("agency_keys.key_id"), primary_key=True),
    # the review private key HPKE-sealed to the supervisor's box key (the server
    # cannot open it); info = grant_info(supervisor_id, key_id)
    Column("sealed", LargeBinary, nullable=False),
    Column("granted_at", String(TIME), nullable=False),
)

note_reviews = Table(
    "note_reviews",
    metadata,
    # no foreign key, as for records: ingest writes these in the same transaction
    Column("device_id", String(ID), primary_key=True),
    Column("note_id", String(ID), primary_key=True),
    # received | returned | resubmitted | approved
    Column("state", String(16), nullable=False),
    # the highest record seq whose entity is this note (note, addendum, resubmit)
    Column("last_seq", Seq, nullable=False),
    Column("updated_at", String(TIME), nullable=False),
    # one b-tree instead of a rowid table plus its primary key index (ingest writes a
    # row per note)
    sqlite_with_rowid=False,
)

review_events = Table(
    "review_events",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=True),
    Column("device_id", String(ID), nullable=False),
    Column("note_id", String(ID), nullable=False),
    Column("state", String(16), nullable=False),
    Column("at", String(TIME), nullable=False),
    # the supervisor's name for a decision, "peer" for received / resubmitted
    Column("actor", String(NAME), nullable=False),
    # the record that caused it (received, resubmitted); NULL for a decision
    Column("record_seq", Seq, nullable=True),
    sqlite_autoincrement=True,
)
# No index on device_id: a supervisor's pull reads the events after its cursor in seq
# order and keeps its team's; ingest writes an event per note and pays for each index.

admin_audit = Table(
    "admin_audit",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=True),
    Column("at", String(TIME), nullable=False),
    # who ran the command (the operating system user)
    Column("actor", String(NAME), nullable=False),
    # e.g. enroll, supervisor-invite, revoke, recover, rotate-review-key
    Column("action", String(32), nullable=False),
    # what it acted on (a device or supervisor id, a key id, a team); never a secret
    Column("target", String(NAME), nullable=False),
    Column("detail", String(500), nullable=False, server_default=""),
    sqlite_autoincrement=True,
)

#: refused attempts (enrollment) per bucket ("a:<address>", "c:<keyed code hash>")
#: and fixed window, shared by every API worker (see peerdesk.agency.ratelimit)
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("bucket", String(80), primary_key=True),
    # the window's start, seconds since the epoch
    Column("window_start", BigInteger, primary_key=True, autoincrement=False),
    Column("hits", Integer, nullable=False),
    Index(None, "window_start"),
)

# --- the web console (issue 22) -------------------------------------------------------

#: IT's accounts on the web console (peerdesk.agency.console); made with
#: ``peerdesk-agency admin add``
console_admins = Table(
    "console_admins",
    metadata,
    Column("username", String(64), primary_key=True),
    # admin (every page and action) | auditor (read only)
    Column("role", String(16), nullable=False),
    # Argon2id: JSON {alg, salt, memory_kib, iterations, lanes, hash} (hex)
    Column("password", String(400), nullable=False),
    # the TOTP shared secret (base32); the server must read it to check a code
    Column("totp_secret", String(64), nullable=False),
    # the newest TOTP time step used: a code of that step or an earlier one is refused
    Column("totp_last_step", BigInteger, nullable=False, server_default="0"),
    # failed sign-ins since the last success or lock
    Column("failures", Integer, nullable=False, server_default="0"),
    # signing in is refused until then (a lock always ends)
    Column("locked_until", String(TIME), nullable=True),
    Column("created_at", String(TIME), nullable=False),
    # set by ``admin remove``: the account can no longer sign in
    Column("removed_at", String(TIME), nullable=True),
)

#: the sign-in lock per (account, client address bucket): attempts are counted
#: here before the password is hashed (see peerdesk.agency.console.auth)
console_lockouts = Table(
    "console_lockouts",
    metadata,
    Column("username", String(64), primary_key=True),
    # ratelimit.address_bucket(): an IPv4 address, or an IPv6 address's /64
    Column("bucket", String(80), primary_key=True),
    # attempts since the last success or lock (counted before the hash)
    Column("failures", Integer, nullable=False, server_default="0"),
    # this address may not sign in to this account until then
    Column("locked_until", String(TIME), nullable=True),
)

#: signed-in console sessions (server side: the cookie holds a random id, this
#: table only its SHA-256)
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("id_hash", LargeBinary, primary_key=True),
    Column("username", String(64), ForeignKey("console_admins.username"), nullable=False),
    # the synchronizer token every state-changing form carries
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(TIME), nullable=False),
    Column("seen_at", String(TIME), nullable=False),
    Index(None, "username"),
)
