"""The agency's own files are private to the service account: directories 0700,
files 0600 (settings, database and its WAL, logs, keys, the code key).

``peerdesk-agency`` runs every command with umask 077 (:func:`private_umask`), so
whatever it or SQLite or the log handler creates later is private too;
:func:`tighten` fixes the agency's files that exist (``init``, ``migrate`` and
``serve`` run it, so an agency made before this is fixed at its next start).

The code key (``<dir>/enrollment-code.key``, 32 random bytes as hex) keys the
hash of the enrollment codes in the database (HMAC-SHA256), so a copy of the
database alone does not let anyone test codes offline. It is made on first use
with an atomic link, so several workers starting at once agree on one key.
Several API hosts on one PostgreSQL database need the same file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

from peerdesk.agency.settings import AgencySettings
from peerdesk.errors import ConfigError

CODE_KEY_FILE = "enrollment-code.key"
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
_KEY_BYTES = 32


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Run the block with umask 077 (files 0600, directories 0700), then restore it."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def tighten(settings: AgencySettings) -> list[Path]:
    """Make the agency's own files 0600 and folders 0700: the directory, the
    settings, the SQLite database (with its WAL and journal), the code key, the
    recovery key file left beside them, ``keys/`` and ``logs/`` with what they
    hold. Returns what it changed. Nothing else in the directory is touched.
    (On Windows the folder's ACL decides: nothing is done.)"""
    if os.name == "nt":
        return []
    root = settings.directory
    files = [
        settings.settings_path,
        code_key_path(settings),
        settings.default_recovery_path,
    ]
    database = _sqlite_file(settings.database_url)
    if database is not None:
        files += [database.with_name(database.name + s) for s in ("", "-wal", "-shm", "-journal")]
    folders = [root]
    for folder in (settings.keys_dir, root / "logs"):
        if folder.is_dir() and not folder.is_symlink():
            folders.append(folder)
            files += [p for p in folder.iterdir() if p.is_file() and not p.is_symlink()]
    changed = []
    for path, mode in [(f, PRIVATE_DIR) for f in folders] + [(f, PRIVATE_FILE) for f in files]:
        try:
            if path.is_symlink() or stat.S_IMODE(path.stat().st_mode) == mode:
                continue
            os.chmod(path, mode)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise ConfigError(f"cannot make it private ({exc.strerror})", path=str(path)) from None
        changed.append(path)
    return changed


def _sqlite_file(url: str) -> Path | None:
    if not url.lower().startswith("sqlite"):
        return None
    try:
        database = make_url(url).database
    except Exception:  # noqa: BLE001 - not a URL: nothing to tighten
        return None
    return Path(database) if database else None


def private_mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    os.chmod(path, PRIVATE_DIR)
    return path


def code_key_path(settings: AgencySettings) -> Path:
    return settings.directory / CODE_KEY_FILE


def load_code_key(settings: AgencySettings, *, create: bool = False) -> bytes:
    """The agency's code key; :class:`ConfigError` naming the file when it is
    missing. Only ``init`` (and ``migrate`` of an agency that never had one) makes
    it (``create``, see :func:`create_code_key`): a server or a command that made
    its own would store codes no other host recognises."""
    path = code_key_path(settings)
    try:
        return _read_key(path)
    except FileNotFoundError:
        if not create:
            raise ConfigError(
                f"the enrollment code key {CODE_KEY_FILE} is missing: every API host of "
                "the agency needs the same file (copy it from another host or restore it "
                "from the backup); `peerdesk-agency init` makes it for a new agency",
                path=str(path),
            ) from None
    tmp = path.with_name(f".{CODE_KEY_FILE}.{secrets.token_hex(8)}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(_KEY_BYTES) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another worker was first: use its key
            os.link(tmp, path)
    except OSError as exc:
        raise ConfigError(f"cannot write the code key ({exc.strerror})", path=str(path)) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return _read_key(path)


def create_code_key(settings: AgencySettings) -> bytes:
    """The agency's code key, made (0600) if there is none yet: ``init`` only (and
    ``migrate`` of an agency older than code keys)."""
    return load_code_key(settings, create=True)


def _read_key(path: Path) -> bytes:
    try:
        with open(path, encoding="ascii") as fh:
            if os.name != "nt" and stat.S_IMODE(os.fstat(fh.fileno()).st_mode) & 0o077:
                raise ConfigError("the code key must be readable by its owner only", path=str(path))
            text = fh.read(200).strip()
        key = bytes.fromhex(text)
    except (UnicodeDecodeError, ValueError):
        raise ConfigError("the code key is not 64 hexadecimal characters", path=str(path)) from None
    if len(key) != _KEY_BYTES:
        raise ConfigError("the code key is not 64 hexadecimal characters", path=str(path))
    return key
