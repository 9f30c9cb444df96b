"""Log files are the user's only (0600), the rotated ones too, whatever the umask."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from peerdesk.logs import PrivateRotatingFileHandler, private_handler


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_rotated_log_files_are_0600_under_umask_022(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "peerdesk.log"
        handler = private_handler(path, max_bytes=200, backups=3)
        assert isinstance(handler, PrivateRotatingFileHandler)
        logger = logging.getLogger("peerdesk.test_private_logs")
        logger.propagate = False
        logger.addHandler(handler)
        try:
            for i in range(40):  # several rotations
                logger.warning("line %d %s", i, "x" * 40)
        finally:
            logger.removeHandler(handler)
            handler.close()
    finally:
        os.umask(old)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["peerdesk.log", "peerdesk.log.1", "peerdesk.log.2", "peerdesk.log.3"]
    for name in files:
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_an_existing_log_with_a_wider_mode_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "peerdesk.log"
    path.write_text("old\n")
    path.chmod(0o644)
    handler = private_handler(path)
    handler.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == "old\n"
