"""The agency's endpoints, for a field laptop and for a supervisor alike.

:class:`AgencyClient` is the one HTTP core (:class:`peerdesk.link.http.AgencyHttp`)
plus one method per endpoint: ``ping``, ``bundle``, ``enroll`` (a laptop) and
``enroll_supervisor``, ``sync`` (the msgpack sync protocol), and the review API
(``review_keys``, ``review_devices``, ``review_records``, ``review_events``,
``decide``). Each answer goes through one parse function below that checks
types, sizes and hex and turns it into a small dataclass, or raises
:class:`ProtocolError` saying what was wrong. The review API's answers are
checked by the shapes the agency serves them with (:mod:`peerdesk.wire.review`,
the one definition) and then turned into the device's values of
:mod:`peerdesk.domain.review` (bytes for hex, UUIDs in lower case).

Besides the errors of the HTTP core: ``POST /v1/sync`` answered 403 "revoked" is
:class:`RevokedByAgency` (a :class:`DeviceRevoked` with the signed wipe order
bytes, if any); a 409 on a decision is :class:`NoteChanged`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from peerdesk.crypto.seal import MAX_DOCUMENT
from peerdesk.domain.review import (
    AgencyEvent,
    DecisionAnswer,
    EventPage,
    Grant,
    PulledRecord,
    PulledSegment,
    RecordPage,
    TeamDevice,
)
from peerdesk.errors import (
    AgencyRejected,
    AgencyUnreachable,
    DeviceRevoked,
    NoteChanged,
    ProtocolError,
)
from peerdesk.link.http import AgencyHttp, decode_body, rejection
from peerdesk.wire import directory_chunks as chunks
from peerdesk.wire import review
from peerdesk.wire.client_status import HEADER as CLIENT_HEADER
from peerdesk.wire.client_status import ClientStatus
from peerdesk.wire.protocol import CONTENT_TYPE, SyncResponse, decode_error, decode_response

#: the largest answer read from /v1/sync (500 inbound items plus slack)
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
#: the largest answer to one page of records (2000 records of a few KiB, as hex)
MAX_PAGE_BYTES = 64 * 1024 * 1024


class RevokedByAgency(DeviceRevoked):
    """The agency answered 403 "revoked". ``wipe_order`` is the signed wipe order
    it sent (unverified bytes, or ``None``); nothing has been erased yet."""

    def __init__(self, detail: str, wipe_order: bytes | None) -> None:
        self.wipe_order = wipe_order
        super().__init__(f"the agency revoked this laptop: {detail}")


# --- answers ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PingInfo:
    ok: bool
    protocol: int
    agency: str


@dataclass(frozen=True, slots=True)
class Enrollment:
    """What an enrollment call returned (a laptop's or a supervisor's);
    ``bundle`` is not verified yet. ``team`` and ``name`` come with a
    supervisor's (the name IT gave, if the invite named one)."""

    enrolled_id: str
    credential: str = field(repr=False)
    bundle: bytes
    team: str = ""
    name: str = ""

    @property
    def device_id(self) -> str:
        return self.enrolled_id

    @property
    def supervisor_id(self) -> str:
        return self.enrolled_id


# --- checking answers -------------------------------------------------------------------


def _map(obj: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        raise ProtocolError(f"{what} has the wrong shape")
    return obj


def _str(obj: Mapping[str, Any], key: str, what: str, limit: int = 500) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise ProtocolError(f"{what}: {key} is missing or not a short text")
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


def parse_ping(data: Any) -> PingInfo:
    what = "the ping answer"
    doc = _map(data, what)
    proto = doc.get("protocol")
    if not isinstance(proto, int) or isinstance(proto, bool):
        raise ProtocolError("the ping answer has no protocol version")
    agency = doc.get("agency")
    if not isinstance(agency, str):
        raise ProtocolError("the ping answer has the wrong shape")
    return PingInfo(doc.get("ok") is True, proto, agency[:200])


def parse_enrollment(data: Any) -> Enrollment:
    """A laptop's enrollment answer."""
    what = "the enrollment answer"
    doc = _map(data, what)
    device_id = _str(doc, "device_id", what, 64)
    credential = _str(doc, "credential", what, 512)
    if not 32 <= len(credential) <= 512 or not (credential.isascii() and credential.isprintable()):
        raise ProtocolError("the enrollment answer holds an unusable credential")
    return Enrollment(device_id, credential, _bytes(doc, "bundle", what, MAX_DOCUMENT))


# --- the review API's answers: checked by the shapes of peerdesk.wire.review -------------

A = TypeVar("A", bound=BaseModel)


def _answer(model: type[A], data: Any, what: str) -> A:
    """``data`` checked by ``model`` (strict types, sizes, UUIDs, hex), or a
    :class:`ProtocolError` naming the first field that is wrong."""
    try:
        return model.model_validate(data)
    except PydanticError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ProtocolError(f"{what}: {where or 'the answer'}: {first['msg']}") from None


def _uuid(value: str) -> str:
    """A UUID the wire shape let through (canonical, either case), lower case."""
    return value.lower()


def parse_supervisor_enrollment(data: Any) -> Enrollment:
    """A supervisor's enrollment answer (:class:`SupervisorEnrollResponse`)."""
    doc = _answer(review.SupervisorEnrollResponse, data, "the enrollment answer")
    return Enrollment(
        _uuid(doc.supervisor_id), doc.credential, bytes.fromhex(doc.bundle), doc.team, doc.name
    )


def parse_grants(data: Any) -> list[Grant]:
    doc = _answer(review.GrantsResponse, data, "the grants answer")
    return [Grant(g.key_id, bytes.fromhex(g.sealed), g.not_after) for g in doc.grants]


def parse_devices(data: Any) -> list[TeamDevice]:
    doc = _answer(review.ReviewDevicesResponse, data, "the devices answer")
    return [
        TeamDevice(_uuid(d.device_id), d.label, bytes.fromhex(d.box_pub), d.revoked, d.enrolled_at)
        for d in doc.devices
    ]


def parse_records(data: Any) -> RecordPage:
    doc = _answer(review.ReviewRecordsResponse, data, "the records answer")
    segments = {
        g.seq: PulledSegment(
            g.seq,
            _uuid(g.device_id),
            g.kind,
            g.key_id,
            g.dictionary,
            bytes.fromhex(g.ids),
            bytes.fromhex(g.sealed),
        )
        for g in doc.segments
    }
    records = []
    for r in doc.records:
        device_id = _uuid(r.device_id)
        # a segment of another laptop is not this record's: it then does not open
        seg = segments.get(r.segment) if r.segment else None
        if seg is not None and seg.device_id != device_id:
            seg = None
        records.append(
            PulledRecord(
                seq=r.seq,
                device_id=device_id,
                op_id=_uuid(r.op_id),
                kind=r.kind,
                entity_id=_uuid(r.entity_id),
                key_id=r.key_id,
                dictionary=r.dictionary,
                sealed=bytes.fromhex(r.sealed),
                received_at=r.received_at,
                segment=seg,
                part=r.part,
            )
        )
    return RecordPage(records, doc.more)


def parse_events(data: Any) -> EventPage:
    doc = _answer(review.ReviewEventsResponse, data, "the events answer")
    events = [
        AgencyEvent(e.seq, _uuid(e.device_id), _uuid(e.note_id), e.state, e.at, e.actor)
        for e in doc.events
    ]
    return EventPage(events, doc.more)


def parse_decision(data: Any) -> DecisionAnswer:
    doc = _answer(review.DecisionResponse, data, "the decision answer")
    return DecisionAnswer(doc.state, doc.event_seq)


# --- the endpoints ----------------------------------------------------------------------


class AgencyClient(AgencyHttp):
    """The agency's API over one :class:`AgencyHttp` (a device's or a
    supervisor's ``credential``; ping, bundle and the enrollments need none).

    ``status``: the app version and outbox counts sent as the ``PeerDesk-Client``
    header with each sync request (set by the sync run before each batch)."""

    status: ClientStatus | None = None

    def ping(self) -> PingInfo:
        """``GET /v1/ping``: a cheap probe (no auth)."""
        return parse_ping(self._call("GET", "/v1/ping", auth=False))

    def bundle(self) -> bytes:
        """``GET /v1/bundle``: the signed key bundle (verify it with the root key)."""
        status, _, raw = self._exchange("GET", "/v1/bundle", limit=MAX_DOCUMENT)
        if status >= 400:
            raise AgencyRejected(status, f"http_{status}", "the agency did not give its keys")
        return raw

    def enroll(
        self, *, code: str, device_id: str, label: str, sign_pub: bytes, box_pub: bytes
    ) -> Enrollment:
        """``POST /v1/enroll`` with a one-time code. The bundle is returned unverified."""
        body = {
            "code": code,
            "device_id": device_id,
            "label": label,
            "sign_pub": sign_pub.hex(),
            "box_pub": box_pub.hex(),
        }
        return parse_enrollment(self._call("POST", "/v1/enroll", body, auth=False))

    def enroll_supervisor(
        self, *, code: str, supervisor_id: str, name: str, sign_pub: bytes, box_pub: bytes
    ) -> Enrollment:
        """``POST /v1/supervisor/enroll`` with a one-time supervisor invite code."""
        body = {
            "code": code,
            "supervisor_id": supervisor_id,
            "name": name,
            "sign_pub": sign_pub.hex(),
            "box_pub": box_pub.hex(),
        }
        answer = self._call("POST", review.SUPERVISOR_ENROLL_PATH, body, auth=False)
        return parse_supervisor_enrollment(answer)

    def sync(self, body: bytes) -> SyncResponse:
        """``POST /v1/sync`` with an encoded, signed batch; the decoded answer."""
        headers = {"Content-Type": CONTENT_TYPE, "Accept": CONTENT_TYPE, **self._bearer()}
        if self.status is not None:
            headers[CLIENT_HEADER] = self.status.header()
        status, ctype, raw = self._exchange(
            "POST", "/v1/sync", content=body, headers=headers, limit=MAX_RESPONSE_BYTES
        )
        if 200 <= status < 300:
            if ctype.startswith("text/html"):
                raise AgencyUnreachable(
                    "the answer came from a web page, not the agency; a sign-in page of a "
                    "public network may be in the way"
                )
            return decode_response(raw)
        try:
            err = decode_error(raw)
            code, detail, wipe = err.code, err.detail, err.wipe
        except ProtocolError:
            code, detail, wipe = f"http_{status}", f"HTTP {status}", None
        if status == 403 and code == "revoked":
            raise RevokedByAgency(detail, wipe)
        raise AgencyRejected(status, code, detail)

    # -- the directory download (a device's credential; issue 17) ------------------------

    def directory_manifest(self, have: int) -> bytes | None:
        """``GET /v1/directory/manifest?have=``: the signed manifest of the next
        directory download (unverified); None when there is none (204), or the
        agency does not offer downloads in chunks (404)."""
        path = f"{chunks.MANIFEST_PATH}?have={int(have)}"
        headers = {"Accept": "application/octet-stream", **self._bearer()}
        status, _, raw = self._exchange(
            "GET", path, headers=headers, limit=chunks.MAX_MANIFEST_BYTES
        )
        if status in (204, 404):
            return None
        if status >= 400:
            raise rejection(status, decode_body(raw))
        return raw

    def directory_chunk(self, chunk_hash: str) -> bytes:
        """``GET /v1/directory/chunks/{hash}``: one compressed chunk (unchecked; at
        most :data:`~peerdesk.wire.directory_chunks.MAX_CHUNK_BYTES`)."""
        path = f"{chunks.CHUNKS_PATH}/{chunk_hash}"
        headers = {"Accept": "application/octet-stream", **self._bearer()}
        status, _, raw = self._exchange("GET", path, headers=headers, limit=chunks.MAX_CHUNK_BYTES)
        if status >= 400:
            raise rejection(status, decode_body(raw))
        return raw

    # -- the review API (a supervisor's credential) ------------------------------------

    def review_keys(self) -> list[Grant]:
        """``GET /v1/review/keys``: the review keys granted to this supervisor."""
        return parse_grants(self._call("GET", review.REVIEW_KEYS_PATH))

    def review_devices(self) -> list[TeamDevice]:
        """``GET /v1/review/devices``: the laptops of this supervisor's team."""
        return parse_devices(self._call("GET", review.REVIEW_DEVICES_PATH))

    def review_records(self, after: int, limit: int = 1000) -> RecordPage:
        """``GET /v1/review/records``: the team's records with a seq above ``after``."""
        limit = max(1, min(limit, review.MAX_PAGE))
        path = f"{review.REVIEW_RECORDS_PATH}?after={int(after)}&limit={limit}"
        return parse_records(self._call("GET", path, limit=MAX_PAGE_BYTES))

    def review_events(self, after: int, limit: int = 1000) -> EventPage:
        """``GET /v1/review/events``: review state changes with a seq above ``after``."""
        limit = max(1, min(limit, review.MAX_PAGE))
        path = f"{review.REVIEW_EVENTS_PATH}?after={int(after)}&limit={limit}"
        return parse_events(self._call("GET", path, limit=MAX_PAGE_BYTES))

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
        body = {
            "device_id": device_id,
            "note_id": note_id,
            "decision": decision,
            "seen_seq": seen_seq,
            "reviewer": reviewer,
            "sealed_feedback": sealed_feedback.hex(),
        }
        try:
            answer = self._call("POST", review.DECISIONS_PATH, body)
        except AgencyRejected as exc:
            if exc.status == 409:
                raise NoteChanged(exc.code, device_id, note_id, exc.detail) from None
            raise
        return parse_decision(answer)


__all__ = [
    "AgencyClient",
    "AgencyEvent",
    "Enrollment",
    "Grant",
    "PingInfo",
    "PulledRecord",
    "RevokedByAgency",
    "TeamDevice",
]
