"""The vault header on disk: ``vault.json``, read and checked, written atomically,
and changed only under an exclusive lock on ``vault.json.lock``.

The file is the truth, not a copy in memory: a second window of the app, the
command line or the app before a restart all read and write the same header,
each change under the lock (see :class:`peerdesk.crypto.vault.Vault`). What the
header holds is described there.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from peerdesk.crypto.kdf import KdfParams
from peerdesk.crypto.keyring import DEK_ID_LEN
from peerdesk.errors import CorruptData, ProfileNotFound
from peerdesk.fsutil import atomic_write, storage_error

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock_fd(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then OSError

else:
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)


HEADER_FORMAT = 1
LOCK_SUFFIX = ".lock"


def read_header(path: Path) -> dict[str, Any]:
    """The header at ``path``, checked. :class:`ProfileNotFound` if there is none,
    :class:`CorruptData` if it cannot be used. An erased header holds only its
    format, profile id, wipe time and failure count."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProfileNotFound(f"no vault at {path}") from None
    try:
        header = json.loads(raw)
        if not isinstance(header, dict) or header.get("format") != HEADER_FORMAT:
            raise ValueError("unknown vault format")
        if not header.get("wiped"):
            _check(header)
    except (ValueError, KeyError, TypeError, OverflowError) as exc:  # int(Infinity)
        raise CorruptData(f"vault header {path.name} is unreadable: {exc}") from None
    return header


def _check(header: dict[str, Any]) -> None:
    KdfParams.from_dict(header["kdf"])
    if len(bytes.fromhex(header["dek_id"])) != DEK_ID_LEN:
        raise ValueError("bad dek id")
    bytes.fromhex(header["wrapped_dek"])
    str(header["profile_id"])
    int(header["failed_attempts"])
    until = header.get("cooldown_until")
    if until is not None and not math.isfinite(float(until)):
        raise ValueError("bad cooldown time")
    if not isinstance(header.get("failures_unaudited", []), list):
        raise ValueError("bad failure log")
    int(header.get("recovery_failures", 0))
    until = header.get("recovery_cooldown_until")
    if until is not None and not math.isfinite(float(until)):
        raise ValueError("bad recovery cooldown time")
    slots = header.get("recovery_slots", [])
    if not isinstance(slots, list) or not all(
        isinstance(x, dict) and {"id", "salt", "wrapped_dek"} <= set(x) for x in slots
    ):
        raise ValueError("bad recovery slots")


def write_header(path: Path, header: dict[str, Any]) -> None:
    atomic_write(path, json.dumps(header, indent=1).encode())


class HeaderLock:
    """The exclusive lock on ``<header>.lock``, re-entrant within one owner (a
    thread lock and a depth count around the file lock), so reading, changing
    and writing the header is one step for every process."""

    def __init__(self, header_path: Path) -> None:
        self.path = header_path.with_name(header_path.name + LOCK_SUFFIX)
        self._thread_lock = threading.RLock()
        self._depth = 0

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise storage_error(exc, self.path) from exc
            try:
                try:
                    _lock_fd(fd)
                except OSError as exc:
                    raise storage_error(exc, self.path) from exc
                self._depth = 1
                try:
                    yield
                finally:
                    self._depth = 0
            finally:
                os.close(fd)  # releases the lock
