"""Refusals in the agency's own log, one JSON object a line.

A refused enrollment, a rejected sync, a rate-limited attempt and a request
turned away because the server is busy each leave a line such as::

    {"at": "2026-12-07T17:40:02Z", "level": "WARNING", "pid": 4242,
     "event": "enroll_refused", "route": "/v1/enroll", "address": "203.0.113.7",
     "status": 403, "code": "bad_code"}

The fields are the worker's process id, the event, the route, the client address (as the ASGI server
reports it: behind a trusted proxy, the forwarded one), the answer's status and
short code, and where known a device id and the seconds to wait. Never a body,
an enrollment code, a credential or a key: :func:`refusal` takes only
:data:`FIELDS`, and values are cut to 200 characters.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from peerdesk.agency.files import PRIVATE_FILE, private_mkdir
from peerdesk.agency.metrics import count_refusal
from peerdesk.logs import setup_logging

log = logging.getLogger("peerdesk.agency.events")

EVENTS = frozenset({"enroll_refused", "sync_rejected", "rate_limited", "busy"})
FIELDS = frozenset({"route", "address", "status", "code", "device_id", "retry_after", "limit"})


def refusal(event: str, **fields: Any) -> None:
    """Log one refusal (WARNING) as a JSON line (see :class:`JsonLines`)."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValueError(f"not a refusal field: {sorted(unknown)}")
    data: dict[str, Any] = {"event": event}
    for name, value in fields.items():
        if value is None:
            continue
        data[name] = value if isinstance(value, int | float) else str(value)[:200]
    count_refusal(event, data.get("code"))
    log.warning("%s %s", event, data.get("code", ""), extra={"refusal": data})


class JsonLines(logging.Formatter):
    """A refusal record as one JSON object; any other record as ``fallback`` does."""

    def __init__(self, fallback: logging.Formatter) -> None:
        super().__init__()
        self.fallback = fallback

    def format(self, record: logging.LogRecord) -> str:
        data = getattr(record, "refusal", None)
        if not isinstance(data, dict):
            return self.fallback.format(record)
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))
        head = {"at": at, "level": record.levelname, "pid": record.process}
        return json.dumps({**head, **data}, ensure_ascii=True)


def use_json_lines(logger_name: str = "peerdesk") -> None:
    """Give every handler of ``logger_name`` the JSON formatter for refusals
    (after :func:`peerdesk.logs.setup_logging`)."""
    for handler in logging.getLogger(logger_name).handlers:
        current = handler.formatter or logging.Formatter()
        if not isinstance(current, JsonLines):
            handler.setFormatter(JsonLines(current))


def log_to_agency(directory: Path) -> Path:
    """Log to ``<directory>/logs/peerdesk.log`` (0600 in a 0700 folder), refusals as
    JSON lines: what ``peerdesk-agency`` commands and every API worker do."""
    folder = private_mkdir(directory / "logs")
    path = folder / "peerdesk.log"
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE))
    if os.name != "nt":
        os.chmod(path, PRIVATE_FILE)
    setup_logging(folder)
    use_json_lines()
    return path
