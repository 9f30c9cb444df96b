"""Logging to a rotating file under the platform log folder.

Rule: no sensitive value, key or passphrase is ever logged, at any level. Log
ids, counts and error classes; the error tree's messages carry no plaintext.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(directory: Path, level: int = logging.INFO) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "peerdesk.log"
    root = logging.getLogger("peerdesk")
    if not any(getattr(h, "_peerdesk", False) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler._peerdesk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    return path
