"""Logging to a rotating file under the platform log folder.

Rule: no sensitive value, key or passphrase is ever logged, at any level. Log
ids, counts and error classes; the error tree's messages carry no plaintext.

Every log file (the current one and each one rotation makes) is the user's
only (0600), whatever the umask: :class:`PrivateRotatingFileHandler`.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from pathlib import Path

#: the mode of every log file
PRIVATE_LOG = 0o600


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created 0600 (``os.open`` with that mode,
    not the umask's), so the files rotation renames are private too; a file that
    already exists with a wider mode is narrowed when it is opened."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOINHERIT", 0)
        fd = os.open(self.baseFilename, flags, PRIVATE_LOG)
        try:
            if os.name != "nt":
                os.fchmod(fd, PRIVATE_LOG)
            return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)
        except BaseException:
            os.close(fd)
            raise


def private_handler(
    path: Path, max_bytes: int = 1_000_000, backups: int = 3
) -> PrivateRotatingFileHandler:
    """The rotating handler of a log file at ``path``."""
    return PrivateRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )


_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(directory: Path, level: int = logging.INFO) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "peerdesk.log"
    root = logging.getLogger("peerdesk")
    if not any(getattr(h, "_peerdesk", False) for h in root.handlers):
        handler = private_handler(path)
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler._peerdesk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    return path
