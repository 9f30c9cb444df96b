"""Backups of the agency database, and restoring one (``peerdesk-agency backup``
and ``restore``).

A backup is a folder (0700) of three files (0600)::

    <out>/
      agency.db | agency.pgdump   the database: SQLite's online backup API (a
                                  consistent copy while the server writes), or
                                  pg_dump --format=custom of the agency's schema
      enrollment-code.key         the key of the enrollment codes' hashes
      manifest.json               format, backend, schema revision, time, the rows
                                  of each table, the database file's SHA-256

``restore`` checks the manifest and the file's hash, refuses a backup from a
newer schema than this code knows, checks the copy's integrity (SQLite
``PRAGMA integrity_check``; ``pg_restore --list``), refuses while a ``serve``
on this agency directory runs (unless ``force``), and then writes the database
in place (SQLite: the backup API again, so other connections see a whole
database; PostgreSQL: ``pg_restore --clean --if-exists --single-transaction``).
An older schema is migrated up afterwards.

The laptops then send again what the agency lost: ``restore`` queues a signed
notice (inbound kind ``restored``, :mod:`peerdesk.wire.restore`) for every
device with the record number up to which the restored database surely holds
every record (SQLite: its highest; PostgreSQL, where records can commit out of
number order: one below the lowest received in the
:data:`~peerdesk.agency.storage.copies.IN_FLIGHT` minutes before the dump's
snapshot, see :func:`~peerdesk.agency.storage.copies.high_water`); each laptop
puts back in its queue what the agency had acknowledged above it and sends it
at its next sync (the agency stores each record once, by op id).

Sequence numbers never go back: a laptop's inbound cursor and its acknowledged
records name the agency's sequence numbers (``records.seq``, ``outbound.seq``,
...), so after a restore each counter continues
:data:`~peerdesk.agency.storage.copies.RESTORE_GAP` (1,000,000) after the highest
number the replaced database had handed out (read before it is overwritten), or
after the backup's own numbers when the replaced database cannot be read. New
records and inbound items then get numbers no laptop has seen yet, even numbers a
second server still running on the old database handed out meanwhile (up to the
gap). ``--force`` (restore while a server runs) is unsafe all the same: that
server's writes after the restore are lost or mixed in; stop every server first.

The notice carries the lost range: laptops reopen only records acknowledged with
``high_water < seq <= upper`` (``upper``: the highest number handed out before),
so a record acknowledged after the restore, or a laptop enrolled later, sends
nothing again. What the backup lacks and must not be lost is carried over from
the replaced database (:mod:`peerdesk.agency.storage.carry`): revocations with
their wipe orders, and the directory versions published since; its audit entries
after the backup are printed for IT to redo.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import make_url

from peerdesk.agency import migrations
from peerdesk.agency.files import PRIVATE_DIR, PRIVATE_FILE, code_key_path
from peerdesk.agency.keys import load_signing
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage, carry, copies
from peerdesk.crypto.seal import sign_document
from peerdesk.errors import ConfigError, PeerDeskError
from peerdesk.ids import from_iso, now_utc, to_iso
from peerdesk.wire.restore import RESTORED, restore_notice_doc

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE, PG_FILE = "agency.db", "agency.pgdump"
LOCK_FILE = "serve.lock"


class BackupFailed(PeerDeskError):
    """A backup or restore could not be made or was refused; the message says why."""


@dataclass(frozen=True, slots=True)
class Manifest:
    backend: str
    schema: tuple[str, ...]
    created_at: str
    counts: dict[str, int]
    file: str
    sha256: str
    #: when the copy's snapshot was taken (before pg_dump started); created_at in
    #: manifests of older versions
    snapshot_at: str = ""

    def to_json(self) -> str:
        data = {"format": FORMAT, "backend": self.backend, "schema": list(self.schema),
                "created_at": self.created_at, "counts": self.counts, "file": self.file,
                "sha256": self.sha256, "snapshot_at": self.snapshot_at or self.created_at}  # fmt: skip
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise BackupFailed(f"{folder} is not a backup: it has no {MANIFEST}") from None
        except (OSError, ValueError) as exc:
            raise BackupFailed(f"cannot read {path} ({type(exc).__name__})") from None
        try:
            if data["format"] != FORMAT:
                raise BackupFailed(f"{path}: backup format {data['format']!r} is not known")
            manifest = cls(
                backend=str(data["backend"]),
                schema=tuple(str(r) for r in data["schema"]),
                created_at=str(data["created_at"]),
                counts={str(k): int(v) for k, v in data["counts"].items()},
                file=str(data["file"]),
                sha256=str(data["sha256"]),
                snapshot_at=str(data.get("snapshot_at") or data["created_at"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BackupFailed(f"{path} is not a PeerDesk backup manifest") from None
        if manifest.backend not in ("sqlite", "postgresql") or manifest.file not in (
            SQLITE_FILE,
            PG_FILE,
        ):
            raise BackupFailed(f"{path}: unknown backend or file")
        return manifest


# --- the serve lock ---------------------------------------------------------------------


@contextlib.contextmanager
def serving(settings: AgencySettings) -> Iterator[None]:
    """Held (shared) by ``serve`` while it runs: ``restore`` takes it exclusively,
    so it knows whether a server on this agency directory is running."""
    with _lock_file(settings) as fh:
        fcntl.flock(fh, fcntl.LOCK_SH)
        yield


def server_running(settings: AgencySettings) -> bool:
    with _lock_file(settings) as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


@contextlib.contextmanager
def _lock_file(settings: AgencySettings) -> Iterator[IO[bytes]]:
    path = settings.directory / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    with os.fdopen(fd, "r+b") as fh:
        yield fh


# --- backup -----------------------------------------------------------------------------


def backup(settings: AgencySettings, out: Path) -> Manifest:
    """Write a backup of the agency's database (and its code key) to the new folder ``out``."""
    out = out.expanduser().resolve()
    if out.exists():
        raise BackupFailed(f"{out} exists already: name a new folder")
    storage = Storage.from_url(settings.database_url)
    try:
        status = storage.schema_status()
        if not status.current:
            raise BackupFailed("the database holds no agency schema")
        out.mkdir(mode=PRIVATE_DIR, parents=True)
        os.chmod(out, PRIVATE_DIR)
        snapshot_at = to_iso(now_utc())
        if storage.db.postgres:
            name = PG_FILE
            rows = copies.counts(storage)  # just before pg_dump takes its snapshot
            _pg_dump(storage, settings.database_url, out / name)
        else:
            name = SQLITE_FILE
            copies.sqlite_copy(_sqlite_path(settings.database_url), out / name)
            rows = copies.sqlite_counts(out / name)  # of the copy itself
    finally:
        storage.close()
    key = code_key_path(settings)
    if key.exists():
        _private_copy(key, out / key.name)
    manifest = Manifest(
        backend="postgresql" if name == PG_FILE else "sqlite",
        schema=status.current,
        created_at=to_iso(now_utc()),
        counts=rows,
        file=name,
        sha256=_sha256(out / name),
        snapshot_at=snapshot_at,
    )
    _write_private(out / MANIFEST, manifest.to_json().encode())
    return manifest


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups (by their manifests' time) in
    ``folder``; only folders holding a readable backup manifest are touched.
    The deleted folders, oldest first."""
    if keep < 1:
        raise BackupFailed("--keep must be at least 1")
    found: list[tuple[str, Path]] = []
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.is_symlink() and (child / MANIFEST).is_file():
            try:
                found.append((Manifest.read(child).created_at, child))
            except BackupFailed:
                continue  # not ours to delete
    found.sort()
    old = [path for _, path in found[: max(0, len(found) - keep)]]
    for path in old:
        shutil.rmtree(path)
    return old


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database:
        raise ConfigError("the SQLite agency database must be a file")
    return Path(database)


def _private_copy(source: Path, target: Path) -> None:
    _write_private(target, source.read_bytes())


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, PRIVATE_FILE)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- PostgreSQL: pg_dump / pg_restore ---------------------------------------------------


def _pg_env(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and the environment that carries it
    (a password never goes on a command line, where ``ps`` shows it)."""
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    options = parsed.query.get("options")
    parsed = parsed.set(drivername="postgresql", password=None, query={})
    uri = parsed.render_as_string(hide_password=False)
    if options:
        env["PGOPTIONS"] = options if isinstance(options, str) else " ".join(options)
    return uri, env


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(
            f"{name} is not installed: install the PostgreSQL client of the server's "
            "major version (Debian: postgresql-client)"
        )
    return found


def _run(argv: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        raise BackupFailed(f"{what} failed: {' / '.join(tail) or done.returncode}")
    return done.stdout


def _pg_dump(storage: Storage, url: str, target: Path) -> None:
    uri, env = _pg_env(url)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(fd)
    _run([_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--schema={copies.current_schema(storage)}", f"--file={target}", f"--dbname={uri}"],
         env, "pg_dump")  # fmt: skip
    os.chmod(target, PRIVATE_FILE)


# --- restore ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Restored:
    manifest: Manifest
    counts: dict[str, int]
    migrated: bool
    sequences: dict[str, int]
    #: the highest record number the restored database holds (laptops send again
    #: what they had acknowledged above it)
    high_water: int
    #: the highest record number handed out before the restore (the notice's upper
    #: bound: laptops reopen only H < seq <= upper)
    upper: int = 0
    #: what was carried over from the replaced database (revocations, directory)
    carried: tuple[str, ...] = ()
    #: the replaced database's audit entries after the backup's time (to redo)
    audit_after: tuple[str, ...] = ()


def check(folder: Path) -> Manifest:
    """The backup's manifest, once the file's hash, the schema and the copy's
    integrity were checked (nothing is written)."""
    manifest = Manifest.read(folder)
    path = folder / manifest.file
    if not path.is_file():
        raise BackupFailed(f"the backup has no {manifest.file}")
    if _sha256(path) != manifest.sha256:
        raise BackupFailed(f"{path} does not match its manifest (damaged or changed)")
    unknown = [r for r in manifest.schema if not migrations.known(r)]
    if unknown:
        raise BackupFailed(
            f"the backup is from a newer schema (revision {', '.join(unknown)}) than this "
            f"peerdesk-agency knows (latest {', '.join(migrations.heads())}); "
            "restore it with the peerdesk-agency that made it"
        )
    if manifest.backend == "sqlite":
        try:
            result = copies.sqlite_integrity(path)
            held = copies.sqlite_schema(path)
        except sqlite3.DatabaseError as exc:
            raise BackupFailed(f"{path} is not a readable SQLite database ({exc})") from None
        if result != ["ok"]:
            raise BackupFailed(f"{path} fails SQLite's integrity check: {result[:3]}")
    else:
        _run([_program("pg_restore"), "--list", str(path)], dict(os.environ), "pg_restore --list")
        held = _pg_schema(path)
    # the copy itself, not the manifest, says which schema it holds
    if sorted(held) != sorted(manifest.schema):
        raise BackupFailed(
            f"{path} holds schema revision {', '.join(held) or '(none)'} but its manifest "
            f"says {', '.join(manifest.schema) or '(none)'}: the backup was changed"
        )
    return manifest


def _pg_schema(path: Path) -> list[str]:
    """The alembic_version rows of a pg_dump file (its COPY data, read without
    writing anything)."""
    text = _run([_program("pg_restore"), "--data-only", "--table=alembic_version",
                 "--file=-", str(path)], dict(os.environ), "pg_restore")  # fmt: skip
    rows: list[str] = []
    copying = False
    for line in text.splitlines():
        if line.startswith("COPY ") and "alembic_version" in line:
            copying = True
        elif copying and line == "\\.":
            break
        elif copying and line.strip():
            rows.append(line.strip())
    return rows


def restore(settings: AgencySettings, folder: Path, *, force: bool = False) -> Restored:
    """Restore the backup in ``folder`` into the agency's database (see the module)."""
    folder = folder.expanduser().resolve()
    manifest = check(folder)
    if not force and server_running(settings):
        raise BackupFailed(
            "a peerdesk-agency serve is running on this agency directory: stop it first "
            "(or give --force)"
        )
    signing = load_signing(settings)  # the restore notice needs it: check before writing
    storage = Storage.from_url(settings.database_url)
    try:
        backend = "postgresql" if storage.db.postgres else "sqlite"
        if backend != manifest.backend:
            raise BackupFailed(
                f"the backup is of a {manifest.backend} database; this agency uses {backend}"
            )
        before = copies.sequences(storage)
        replaced = carry.read_replaced(storage, manifest.created_at)
        if storage.db.postgres:
            uri, env = _pg_env(settings.database_url)
            storage.engine.dispose()
            _run([_program("pg_restore"), "--clean", "--if-exists", "--no-owner",
                  "--no-privileges", "--single-transaction", "--exit-on-error",
                  f"--dbname={uri}", str(folder / manifest.file)], env, "pg_restore")  # fmt: skip
        else:
            storage.engine.dispose()
            copies.sqlite_restore(folder / manifest.file, _sqlite_path(settings.database_url))
        storage.close()
        storage = Storage.from_url(settings.database_url)
        migrated = not storage.schema_status().up_to_date
        storage.migrate()
        moved = copies.advance_sequences(storage, before)
        since = None
        if storage.db.postgres:  # records may commit out of number order there
            since = to_iso(from_iso(manifest.snapshot_at or manifest.created_at) - copies.IN_FLIGHT)
        high_water = copies.high_water(storage, since)
        upper = moved["records"]  # every record number handed out before is at most this
        carried = carry.carry_over(storage, replaced, now_utc()) if replaced else []
        notice = restore_notice_doc(high_water, to_iso(now_utc()), manifest.created_at, upper)
        storage.outbound.queue(None, RESTORED, "", sign_document(signing, RESTORED, notice),
                               now_utc())  # fmt: skip
        rows = copies.counts(storage)
    finally:
        storage.close()
    key = folder / code_key_path(settings).name
    if key.exists():
        _private_copy(key, code_key_path(settings))
    return Restored(manifest, rows, migrated, moved, high_water, upper, tuple(carried),
                    tuple(replaced.audit if replaced else ()))  # fmt: skip


def describe(manifest: Manifest) -> dict[str, Any]:
    return {"schema": ", ".join(manifest.schema), "created_at": manifest.created_at,
            "rows": sum(manifest.counts.values())}  # fmt: skip
