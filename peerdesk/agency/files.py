"""The agency's own files are private to the service account: directories 0700,
files 0600 (settings, database and its WAL, logs, keys, the code key).

``peerdesk-agency`` runs every command with umask 077 (:func:`private_umask`), so
whatever it or SQLite or the log handler creates later is private too;
:func:`make_private` fixes what exists (``init`` runs it on the whole directory).

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


def make_private(root: Path) -> None:
    """``root`` and every directory under it 0700, every file 0600 (symbolic links
    are not followed)."""
    if not root.is_dir():
        return
    os.chmod(root, PRIVATE_DIR)
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            continue
        os.chmod(path, PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)


def private_mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    os.chmod(path, PRIVATE_DIR)
    return path


def code_key_path(settings: AgencySettings) -> Path:
    return settings.directory / CODE_KEY_FILE


def load_code_key(settings: AgencySettings, *, create: bool = True) -> bytes:
    """The agency's code key; made (0600) if there is none yet and ``create``."""
    path = code_key_path(settings)
    try:
        return _read_key(path)
    except FileNotFoundError:
        if not create:
            raise ConfigError("the enrollment code key is missing", path=str(path)) from None
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
