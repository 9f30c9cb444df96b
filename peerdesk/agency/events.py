"""Refusals in the agency's own log, one JSON object a line.

A refused enrollment, a rejected sync, a rate-limited attempt and a request
turned away because the server is busy each leave a line such as::

    {"at": "2026-12-07T17:40:02Z", "level": "WARNING", "event": "enroll_refused",
     "route": "/v1/enroll", "address": "203.0.113.7", "status": 403, "code": "bad_code"}

The fields are the event, the route, the client address (as the ASGI server
reports it: behind a trusted proxy, the forwarded one), the answer's status and
short code, and where known a device id and the seconds to wait. Never a body,
an enrollment code, a credential or a key: :func:`refusal` takes only
:data:`FIELDS`, and values are cut to 200 characters.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

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
        return json.dumps({"at": at, "level": record.levelname, **data}, ensure_ascii=True)


def use_json_lines(logger_name: str = "peerdesk") -> None:
    """Give every handler of ``logger_name`` the JSON formatter for refusals
    (after :func:`peerdesk.logs.setup_logging`)."""
    for handler in logging.getLogger(logger_name).handlers:
        current = handler.formatter or logging.Formatter()
        if not isinstance(current, JsonLines):
            handler.setFormatter(JsonLines(current))
