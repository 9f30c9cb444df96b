"""The supervisor's HTTP client for the agency's review API (issue 6 contract).

A :class:`SupervisorClient` is an :class:`peerdesk.sync.client.AgencyClient`:
the same TLS rules (``https://`` only, plain ``http://`` to loopback for the
demo; with a provisioned CA, TLS trusts that CA only), timeouts, size caps and
error mapping (:class:`AgencyUnreachable` for the network and 5xx,
:class:`AgencyRejected` for other 4xx). Review routes authenticate with the
supervisor's own credential (``Authorization: Bearer``). A 409 on a decision
becomes :class:`NoteChanged`. Nothing here logs a body, a key or the credential.

Every answer is checked here (types, sizes, hex) and turned into the small
dataclasses below; :class:`ProtocolError` says what was wrong.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import msgpack

from peerdesk.errors import AgencyRejected, ConfigError, NoteChanged, ProtocolError
from peerdesk.sync.client import MAX_JSON_BYTES, AgencyClient

#: the largest answer to one page of records (2000 records of a few KiB, as hex)
MAX_PAGE_BYTES = 64 * 1024 * 1024
MSGPACK = "application/x-msgpack"
#: the most records or events asked for in one request (the agency's limit)
MAX_PAGE = 2000


@dataclass(frozen=True, slots=True)
class SupervisorEnrollment:
    """What ``POST /v1/supervisor/enroll`` returned; ``bundle`` is not verified yet."""

    supervisor_id: str
    credential: str = field(repr=False)
    team: str
    bundle: bytes
    #: the name the agency records decisions under (IT's, if the invite named one)
    name: str = ""


@dataclass(frozen=True, slots=True)
class Grant:
    """A review key sealed (HPKE) to this supervisor's box key."""

    key_id: str
    sealed: bytes = field(repr=False)
    not_after: str


@dataclass(frozen=True, slots=True)
class TeamDevice:
    device_id: str
    label: str
    box_pub: bytes
    revoked: bool
    enrolled_at: str


@dataclass(frozen=True, slots=True)
class PulledRecord:
    """A record as the agency stores it: routing metadata and the sealed payload."""

    seq: int
    device_id: str
    op_id: str
    kind: str
    entity_id: str
    key_id: str
    dictionary: str
    sealed: bytes = field(repr=False)
    received_at: str


@dataclass(frozen=True, slots=True)
class RecordPage:
    records: list[PulledRecord]
    more: bool


@dataclass(frozen=True, slots=True)
class AgencyEvent:
    """A review state change the agency recorded (received, returned, ...)."""

    seq: int
    device_id: str
    note_id: str
    state: str
    at: str
    actor: str


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[AgencyEvent]
    more: bool


@dataclass(frozen=True, slots=True)
class DecisionAnswer:
    state: str
    event_seq: int


# --- checking answers -------------------------------------------------------------------


def _map(obj: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        raise ProtocolError(f"{what} is not an object")
    return obj


def _str(obj: Mapping[str, Any], key: str, what: str, limit: int = 500) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise ProtocolError(f"{what}: {key} is missing or not a short text")
    return value


def _uuid(obj: Mapping[str, Any], key: str, what: str) -> str:
    value = _str(obj, key, what, 64)
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ProtocolError(f"{what}: {key} is not a UUID") from None


def _int(obj: Mapping[str, Any], key: str, what: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
        raise ProtocolError(f"{what}: {key} is not a non-negative integer")
    return value


def _bytes(obj: Mapping[str, Any], key: str, what: str, limit: int) -> bytes:
    """Raw bytes (msgpack) or hex text (JSON), at most ``limit`` bytes."""
    value = obj.get(key)
    if isinstance(value, bytes):
        raw = value
    elif isinstance(value, str):
        if len(value) > 2 * limit:
            raise ProtocolError(f"{what}: {key} is too large")
        try:
            raw = bytes.fromhex(value)
        except ValueError:
            raise ProtocolError(f"{what}: {key} is not hex") from None
    else:
        raise ProtocolError(f"{what}: {key} is missing")
    if len(raw) > limit:
        raise ProtocolError(f"{what}: {key} is too large")
    return raw


def _bool(obj: Mapping[str, Any], key: str, what: str) -> bool:
    value = obj.get(key)
    if not isinstance(value, bool):
        raise ProtocolError(f"{what}: {key} is not true or false")
    return value


def _list(obj: Mapping[str, Any], key: str, what: str) -> list[Any]:
    value = obj.get(key)
    if not isinstance(value, list):
        raise ProtocolError(f"{what}: {key} is not a list")
    return value


class SupervisorClient(AgencyClient):
    """The agency's review API for one enrolled supervisor (``credential``; the
    enrollment call needs none)."""

    def __enter__(self) -> SupervisorClient:
        return self

    def _call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        limit: int = MAX_JSON_BYTES,
        auth: bool = True,
        accept: str = "application/json",
    ) -> Any:
        """One request; the decoded JSON (or msgpack) answer. 4xx -> AgencyRejected
        with the agency's code and detail; network, 5xx, 408/429 -> AgencyUnreachable."""
        headers = {"Accept": accept}
        if auth:
            if not self._credential:
                raise ConfigError("the review client has no supervisor credential")
            headers["Authorization"] = f"Bearer {self._credential}"
        content = None
        if body is not None:
            content = json.dumps(dict(body)).encode()
            headers["Content-Type"] = "application/json"
        status, ctype, raw = self._exchange(
            method, path, content=content, headers=headers, limit=limit
        )
        transient = self._transient(status)
        if transient is not None:
            raise transient
        data: Any
        try:
            if ctype.startswith(MSGPACK):
                data = msgpack.unpackb(raw, raw=False, strict_map_key=True) if raw else None
            else:
                data = json.loads(raw) if raw else None
        except (ValueError, UnicodeDecodeError, msgpack.UnpackException):
            data = None
        if status >= 400:
            code, detail = f"http_{status}", f"HTTP {status}"
            if isinstance(data, dict):
                if isinstance(data.get("code"), str):
                    code = data["code"][:64]
                if isinstance(data.get("detail"), str):
                    detail = data["detail"][:500]
                elif isinstance(data.get("detail"), dict):
                    inner = data["detail"]
                    code = str(inner.get("code", code))[:64]
                    detail = str(inner.get("detail", detail))[:500]
            raise AgencyRejected(status, code, detail)
        if data is None:
            raise ProtocolError(f"the answer to {path.split('?')[0]} is not readable")
        return data

    # -- enrollment --------------------------------------------------------------------

    def enroll_supervisor(
        self, *, code: str, supervisor_id: str, name: str, sign_pub: bytes, box_pub: bytes
    ) -> SupervisorEnrollment:
        """``POST /v1/supervisor/enroll`` with a one-time supervisor invite code."""
        data = _map(
            self._call(
                "POST",
                "/v1/supervisor/enroll",
                {
                    "code": code,
                    "supervisor_id": supervisor_id,
                    "name": name,
                    "sign_pub": sign_pub.hex(),
                    "box_pub": box_pub.hex(),
                },
                auth=False,
            ),
            "the enrollment answer",
        )
        what = "the enrollment answer"
        credential = _str(data, "credential", what, 512)
        if not 32 <= len(credential) <= 512 or not credential.isascii():
            raise ProtocolError("the enrollment answer holds an unusable credential")
        return SupervisorEnrollment(
            _uuid(data, "supervisor_id", what),
            credential,
            _str(data, "team", what, 64),
            _bytes(data, "bundle", what, 4 * 1024 * 1024),
            _str(data, "name", what, 200) if "name" in data else "",
        )

    # -- reading -----------------------------------------------------------------------

    def review_keys(self) -> list[Grant]:
        """``GET /v1/review/keys``: the review keys granted to this supervisor."""
        data = _map(self._call("GET", "/v1/review/keys"), "the grants answer")
        out = []
        for item in _list(data, "grants", "the grants answer"):
            g = _map(item, "a grant")
            out.append(
                Grant(
                    _str(g, "key_id", "a grant", 64),
                    _bytes(g, "sealed", "a grant", 4096),
                    str(g.get("not_after") or ""),
                )
            )
        return out

    def review_devices(self) -> list[TeamDevice]:
        """``GET /v1/review/devices``: the laptops of this supervisor's team."""
        data = _map(self._call("GET", "/v1/review/devices"), "the devices answer")
        out = []
        for item in _list(data, "devices", "the devices answer"):
            d = _map(item, "a device")
            box_pub = _bytes(d, "box_pub", "a device", 32)
            if len(box_pub) != 32:
                raise ProtocolError("a device: box_pub is not 32 bytes")
            out.append(
                TeamDevice(
                    _uuid(d, "device_id", "a device"),
                    _str(d, "label", "a device", 200),
                    box_pub,
                    _bool(d, "revoked", "a device"),
                    _str(d, "enrolled_at", "a device", 40),
                )
            )
        return out

    def review_records(self, after: int, limit: int = 1000) -> RecordPage:
        """``GET /v1/review/records``: the team's records with a seq above ``after``."""
        limit = max(1, min(limit, MAX_PAGE))
        data = _map(
            self._call(
                "GET",
                f"/v1/review/records?after={int(after)}&limit={limit}",
                limit=MAX_PAGE_BYTES,
                accept=f"{MSGPACK}, application/json;q=0.5",
            ),
            "the records answer",
        )
        what = "a record"
        records = []
        for item in _list(data, "records", "the records answer"):
            r = _map(item, what)
            records.append(
                PulledRecord(
                    seq=_int(r, "seq", what),
                    device_id=_uuid(r, "device_id", what),
                    op_id=_uuid(r, "op_id", what),
                    kind=_str(r, "kind", what, 32),
                    entity_id=_uuid(r, "entity_id", what),
                    key_id=_str(r, "key_id", what, 64),
                    dictionary=_str(r, "dictionary", what, 32),
                    sealed=_bytes(r, "sealed", what, 2 * 1024 * 1024),
                    received_at=_str(r, "received_at", what, 40),
                )
            )
        return RecordPage(records, _bool(data, "more", "the records answer"))

    def review_events(self, after: int, limit: int = 1000) -> EventPage:
        """``GET /v1/review/events``: review state changes with a seq above ``after``."""
        limit = max(1, min(limit, MAX_PAGE))
        data = _map(
            self._call(
                "GET",
                f"/v1/review/events?after={int(after)}&limit={limit}",
                limit=MAX_PAGE_BYTES,
            ),
            "the events answer",
        )
        what = "an event"
        events = []
        for item in _list(data, "events", "the events answer"):
            e = _map(item, what)
            events.append(
                AgencyEvent(
                    seq=_int(e, "seq", what),
                    device_id=_uuid(e, "device_id", what),
                    note_id=_uuid(e, "note_id", what),
                    state=_str(e, "state", what, 16),
                    at=_str(e, "at", what, 40),
                    actor=_str(e, "actor", what, 200),
                )
            )
        return EventPage(events, _bool(data, "more", "the events answer"))

    # -- deciding ----------------------------------------------------------------------

    def decide(
        self,
        *,
        device_id: str,
        note_id: str,
        decision: str,
        seen_seq: int,
        reviewer: str,
        sealed_feedback: bytes,
    ) -> DecisionAnswer:
        """``POST /v1/review/decisions``. A 409 becomes :class:`NoteChanged`."""
        try:
            data = _map(
                self._call(
                    "POST",
                    "/v1/review/decisions",
                    {
                        "device_id": device_id,
                        "note_id": note_id,
                        "decision": decision,
                        "seen_seq": seen_seq,
                        "reviewer": reviewer,
                        "sealed_feedback": sealed_feedback.hex(),
                    },
                ),
                "the decision answer",
            )
        except AgencyRejected as exc:
            if exc.status == 409:
                raise NoteChanged(exc.code, device_id, note_id, exc.detail) from None
            raise
        return DecisionAnswer(
            _str(data, "state", "the decision answer", 16),
            _int(data, "event_seq", "the decision answer"),
        )
