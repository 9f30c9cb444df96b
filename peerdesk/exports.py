"""Writing report files: atomic replace, owner-only.

A file is written whole or not at all (:func:`write_atomic`): the bytes go to a
temporary file in the target's own folder, are flushed and fsynced, then renamed
over the target and the folder is fsynced. A missing or unwritable folder, a
full disk or any other failure raises :class:`ExportError` naming the path, and
leaves neither the target nor the temporary file behind. Files are created
readable by their owner only (0600). What goes in the file is
:mod:`peerdesk.domain.exports`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Any

from peerdesk.domain.exports import render_csv
from peerdesk.errors import ExportError, Msg
from peerdesk.fsutil import fsync_dir


def _reason(exc: OSError, folder: Path) -> Msg:
    if exc.errno == errno.ENOENT and not folder.is_dir():
        return Msg("the folder {folder} does not exist", folder=str(folder))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Msg(
            "the folder {folder} cannot be written (no permission, or read-only)",
            folder=str(folder),
        )
    if exc.errno == errno.ENOSPC:
        return Msg("the disk is full")
    if exc.errno == errno.EISDIR:
        return Msg("that name is a folder")
    # the system's own words (or the error's name)
    return Msg("{problem}", problem=exc.strerror or type(exc).__name__)


def write_atomic(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all (see the module docstring)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.name in ("", ".", ".."):
        raise ExportError(str(path), Msg("choose a file name"))
    if not folder.is_dir():
        raise ExportError(str(path), Msg("the folder {folder} does not exist", folder=str(folder)))
    if target.is_dir():
        raise ExportError(str(path), Msg("that name is a folder"))
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise ExportError(str(path), _reason(exc, folder)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    fsync_dir(folder)
    return target


def write_csv(report: Any, path: Path | str, *, identifiable: bool) -> int:
    """Write ``report`` as CSV to ``path`` atomically, the 42 CFR 2.32 notice first
    when ``identifiable``. Returns the number of data rows; :class:`ExportError`
    if it cannot be written (nothing is left behind then)."""
    data, count = render_csv(report, identifiable=identifiable)
    write_atomic(path, data)
    return count


__all__ = ["write_atomic", "write_csv"]
