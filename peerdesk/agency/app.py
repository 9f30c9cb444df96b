"""The agency HTTP API (FastAPI), version 1: a thin layer over
:class:`peerdesk.agency.server.AgencyServer`.

``GET /v1/ping``, ``GET /v1/bundle``, ``POST /v1/enroll`` (JSON) and
``POST /v1/sync`` (msgpack, :data:`peerdesk.wire.protocol.CONTENT_TYPE`), as in the
sync contract. Request bodies are capped *before* they are read whole (by
``Content-Length`` and while streaming); a sync body is read only after its
credential was found, while one of a few body slots is held (503 ``busy`` with
``Retry-After`` when none is free; see :mod:`peerdesk.agency.bodies`). Nothing
here logs a body, a credential or a key; refusals leave a JSON line in the log
(:mod:`peerdesk.agency.events`).

``GET /v1/directory/manifest?have=N`` and ``GET /v1/directory/chunks/{sha256}``
(a device's credential): the directory download in signed, content-addressed
chunks (:mod:`peerdesk.agency.directory_download`).

``GET /healthz`` (the process answers) and ``GET /readyz`` (and its database
does: 503 otherwise) are for the load balancer and the service manager.

Supervisor review (a thin layer over
:class:`peerdesk.agency.supervisors.ReviewServer`; JSON, binary fields as hex;
``Authorization: Bearer <supervisor credential>`` on every ``/v1/review/`` route,
401 ``unauthorized`` for a missing, malformed (see
:func:`peerdesk.agency.server.bearer_token`) or unknown credential - a device's is
unknown here - and 403 ``removed`` for a supervisor IT removed):

* ``POST /v1/supervisor/enroll`` {code, supervisor_id, name, sign_pub, box_pub} ->
  {supervisor_id, credential, team, name, bundle}; the code must be a supervisor
  invite (403 ``bad_code`` otherwise), 409 ``supervisor_exists``.
* ``GET /v1/review/keys`` -> {grants: [{key_id, sealed, not_after}]}
* ``GET /v1/review/devices`` -> {devices: [{device_id, label, box_pub, revoked,
  enrolled_at}]} (the supervisor's team only)
* ``GET /v1/review/records?after=&limit=`` -> {records: [{seq, device_id, op_id, kind,
  entity_id, key_id, dictionary, sealed, received_at, segment, part}], more,
  segments: [{seq, device_id, kind, key_id, dictionary, ids, sealed}]}: the team's
  note, addendum, trip, participant, resubmit and referral records as stored; a
  record that came in a sealed segment has an empty ``sealed`` and names its
  segment and place, and each segment a page names comes once in ``segments``. JSON with
  hex (no msgpack needed): a page of 2000 notes (~300 bytes sealed each) is 1.8 MB,
  served in ~0.1 s and parsed by the client in ~10 ms, so 50,000 notes take 25 pages.
* ``GET /v1/review/events?after=&limit=`` -> {events: [{seq, device_id, note_id,
  state, at, actor}], more}
* ``POST /v1/review/decisions`` {device_id, note_id, decision, seen_seq, reviewer,
  sealed_feedback} -> {state, event_seq}; 404 ``not_found`` (no such note in the
  team), 409 ``note_changed`` / ``already_decided``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from peerdesk.agency.bodies import (
    BUSY_RETRY_AFTER,
    BodyLimit,
    BodySlots,
    TooLarge,
    TooSlow,
    read_capped,
)
from peerdesk.agency.console import MAX_UPLOAD_BYTES, UPLOAD_PATH, mount_console
from peerdesk.agency.directory_download import directory_router
from peerdesk.agency.errors import (
    AlreadyDecided,
    BadEnrollmentCode,
    BatchInFlight,
    DeviceExists,
    DeviceIsRevoked,
    IdempotencyMismatch,
    NoteChangedSinceRead,
    NotInitialised,
    SupervisorExists,
    SupervisorRemoved,
    Unauthorized,
)
from peerdesk.agency.events import log_to_agency, refusal
from peerdesk.agency.files import load_code_key
from peerdesk.agency.metrics import BODIES_IN_FLIGHT, MetricsMiddleware, worker_stopped
from peerdesk.agency.models import Device, Supervisor
from peerdesk.agency.ratelimit import (
    EnrollmentLimits,
    client_address,
    document_rate_limits,
    install_rate_limits,
)
from peerdesk.agency.review_api import review_router
from peerdesk.agency.server import AgencyServer
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.agency.supervisors import ReviewServer
from peerdesk.errors import (
    BadSignature,
    NotFound,
    PeerDeskError,
    ProtocolError,
    StorageUnavailable,
    ValidationError,
)
from peerdesk.wire.client_status import HEADER as CLIENT_HEADER
from peerdesk.wire.client_status import parse_header
from peerdesk.wire.fields import HEX64_PATTERN, UUID_PATTERN
from peerdesk.wire.protocol import CONTENT_TYPE, MAX_REQUEST_BYTES, PROTOCOL_VERSION, ErrorBody
from peerdesk.wire.review import DECISIONS_PATH, MAX_FEEDBACK_BYTES, SUPERVISOR_ENROLL_PATH

log = logging.getLogger("peerdesk.agency.app")

SYNC_PATH = "/v1/sync"
#: the cap of every other request body (enrollment JSON is a few hundred bytes)
MAX_JSON_BYTES = 16 * 1024
#: a decision carries the sealed feedback (a comment of up to 4000 characters) as hex
MAX_DECISION_BYTES = 2 * MAX_FEEDBACK_BYTES + 4 * 1024
#: the JSON routes whose undecodable bodies are answered 422, like a bad field (a
#: decision's body is read and judged by its route, after its credential)
_JSON_POSTS = ("/v1/enroll", SUPERVISOR_ENROLL_PATH)


# --- models (JSON endpoints) ----------------------------------------------------------


class Ping(BaseModel):
    ok: bool
    protocol: int
    agency: str


class EnrollRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64, description="the one-time enrollment code")
    device_id: str = Field(pattern=UUID_PATTERN, description="UUID made by the device (UUIDv7)")
    label: str = Field(min_length=1, max_length=100, description="a name for the laptop")
    sign_pub: str = Field(pattern=HEX64_PATTERN, description="Ed25519 public key, hex")
    box_pub: str = Field(pattern=HEX64_PATTERN, description="X25519 public key, hex")


class EnrollResponse(BaseModel):
    device_id: str
    credential: str = Field(description="bearer credential for /v1/sync; shown once")
    bundle: str = Field(description="the signed key bundle, hex")


class ErrorJSON(BaseModel):
    detail: str
    code: str


# --- errors -> HTTP -------------------------------------------------------------------


def _status_of(exc: PeerDeskError) -> tuple[int, str]:
    """HTTP status and short code for an error raised by the server core."""
    table: tuple[tuple[type[PeerDeskError], int, str], ...] = (
        (ProtocolError, 400, "malformed"),
        (Unauthorized, 401, "unauthorized"),
        (DeviceIsRevoked, 403, "revoked"),
        (SupervisorRemoved, 403, "removed"),
        (BadSignature, 403, "bad_signature"),
        (BadEnrollmentCode, 403, "bad_code"),
        (NotFound, 404, "not_found"),
        (DeviceExists, 409, "device_exists"),
        (SupervisorExists, 409, "supervisor_exists"),
        (BatchInFlight, 409, "in_flight"),
        (NoteChangedSinceRead, 409, "note_changed"),
        (AlreadyDecided, 409, "already_decided"),
        (IdempotencyMismatch, 422, "idempotency_mismatch"),
        (ValidationError, 422, "malformed"),
        (NotInitialised, 503, "not_ready"),
        (StorageUnavailable, 503, "unavailable"),
    )
    for cls, status, code in table:
        if isinstance(exc, cls):
            return status, code
    return 500, "internal"


def _detail(exc: PeerDeskError) -> str:
    return exc.reason if isinstance(exc, ProtocolError) else str(exc)


def _failed(exc: PeerDeskError, what: str) -> JSONResponse:
    """The JSON error answer for an error raised by the server core."""
    status, code = _status_of(exc)
    if status >= 500:
        log.error("%s failed: %s", what, type(exc).__name__)
    return json_error(status, code, _detail(exc))


def sync_error(
    status: int,
    code: str,
    detail: str,
    wipe: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    body = ErrorBody(code, detail[:500], wipe).encode()
    return Response(body, status_code=status, media_type=CONTENT_TYPE, headers=headers)


def json_error(status: int, code: str, detail: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": detail[:500], "code": code}, status_code=status, headers=headers)


# --- body size cap ---------------------------------------------------------------------


def _limit_of(path: str) -> int:
    if path == SYNC_PATH:
        return MAX_REQUEST_BYTES
    if path == UPLOAD_PATH:  # the web console's directory file (read after the session)
        return MAX_UPLOAD_BYTES + 64 * 1024
    return MAX_DECISION_BYTES if path == DECISIONS_PATH else MAX_JSON_BYTES


def _refusal(path: str, status: int, code: str, detail: str) -> Response:
    """A refusal of the body cap, in the route's format."""
    if path == SYNC_PATH:
        return sync_error(status, code, detail)
    return json_error(status, code, detail)


def _sync_in_thread(
    server: AgencyServer, holder: list[bytes], authorization: list[str], device: Device
) -> bytes:
    """``server.sync`` on the body in ``holder``, in a thread of the pool, leaving
    nothing that keeps the body alive: a pool thread holds on to its last job's
    arguments and its exception (with the frames of its traceback) until its next
    job, which with 40 threads kept up to 40 x 4 MB of junk bodies after a flood."""
    raw = holder.pop()
    try:
        return server.sync(raw, authorization, device=device)
    except Exception as exc:  # noqa: BLE001 - re-raised below, without its frames
        failure = exc
    del raw
    failure.__traceback__ = None
    failure.__context__ = failure.__cause__ = None
    raise failure


def _note_client(server: AgencyServer, device: Device, values: list[str]) -> None:
    """Keep the app version and outbox counts of an authenticated laptop's
    ``PeerDesk-Client`` header (after its sync succeeded). A malformed header is
    ignored with a log line (never its value); nothing here fails the sync."""
    try:
        status = parse_header(values)
    except ValueError as exc:
        log.warning("ignored the %s header of device %s: %s", CLIENT_HEADER, device.device_id, exc)
        return
    if status is None:
        return
    try:
        server.storage.devices.note_client(device, status)
    except Exception as exc:  # noqa: BLE001 - the batch is stored; this is a nicety
        log.warning("the %s header was not kept: %s", CLIENT_HEADER, type(exc).__name__)


# --- the app --------------------------------------------------------------------------

_BINARY = {"schema": {"type": "string", "format": "binary"}}
_SYNC_BODY = {"content": {CONTENT_TYPE: _BINARY}}


def _sync_responses() -> dict[int | str, dict[str, Any]]:
    words = {
        200: "acks, rejections and inbound items (protocol.SyncResponse)",
        400: "malformed batch (ErrorBody, code malformed)",
        401: "credential missing, unknown or not this device's (code unauthorized)",
        403: "bad signature (bad_signature) or revoked device (revoked, with wipe order)",
        408: "the body did not arrive within body_read_timeout_s (timeout)",
        409: "the same batch is being processed (in_flight)",
        413: "request body over the limit (too_large)",
        415: "wrong content type (unsupported_media_type)",
        422: "batch id reused with another body (idempotency_mismatch)",
        503: "database unavailable (unavailable) or every body slot (or this device's "
        "share of them) taken (busy, with Retry-After)",
    }
    return {status: {"description": text, **_SYNC_BODY} for status, text in words.items()}


def _json_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        s: {"model": ErrorJSON, "description": "error (detail in words, short code)"}
        for s in statuses
    }


def create_app(
    settings: AgencySettings,
    *,
    storage: Storage | None = None,
    clock: Callable[[], datetime] | None = None,
    after_supervisor_enroll: Callable[[Supervisor], None] | None = None,
    limits: EnrollmentLimits | None = None,
) -> FastAPI:
    """The agency API. Refuses to start (raises) on a database whose schema is
    behind or ahead of this code, or that holds no agency keys yet.
    ``after_supervisor_enroll`` runs after each supervisor enrollment (the demo
    agency grants the review keys there); ``limits``: the enrollment limits
    (default: :class:`EnrollmentLimits` on the agency database, on ``clock`` if
    one is given)."""
    own_storage = storage is None
    store = storage if storage is not None else Storage.from_url(settings.database_url)
    try:
        store.check_schema()
        if store.keys.latest_bundle() is None:
            raise NotInitialised("the database holds no signed key bundle")
        code_key = load_code_key(settings)
    except BaseException:
        if own_storage:
            store.close()
        raise
    server = (
        AgencyServer(store, name=settings.name, code_key=code_key, clock=clock)
        if clock is not None
        else AgencyServer(store, name=settings.name, code_key=code_key)
    )
    review = ReviewServer(
        store, code_key=code_key, clock=server.clock, after_enroll=after_supervisor_enroll
    )
    slots = BodySlots(settings.sync_body_slots, read_timeout_s=settings.body_read_timeout_s)

    def read_timeout() -> float:
        return slots.read_timeout_s

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        worker_stopped()  # its live gauges leave the shared metrics folder
        if own_storage:
            store.close()

    app = FastAPI(
        title="PeerDesk agency",
        version=f"{PROTOCOL_VERSION}",
        description="Sync API of a PeerDesk agency. The server stores sealed records it cannot read.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.server = server
    app.state.review = review
    app.state.body_slots = slots
    # enrollment attempts per address and code; inside the body cap (added after it)
    if limits is None:
        limits = (
            EnrollmentLimits(store, code_key=code_key, clock=lambda: server.clock().timestamp())
            if clock is not None
            else EnrollmentLimits(store, code_key=code_key)
        )
    install_rate_limits(app, limits, read_timeout)
    app.add_middleware(
        BodyLimit,
        limit_of=_limit_of,
        streamed=frozenset({SYNC_PATH, DECISIONS_PATH, UPLOAD_PATH}),
        refuse=_refusal,
        timeout_of=read_timeout,
    )
    # outermost: counts every answer, also the caps' and limits' (GET /metrics: see metrics.py)
    app.add_middleware(MetricsMiddleware, allow=settings.metrics_allow_ips)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ())[1:]) or "body"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        return json_error(422, "malformed", "; ".join(problems) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI answers 400 to a JSON body it cannot even decode (e.g. not UTF-8);
        # the contract says malformed enrollment input is 422.
        if exc.status_code == 400 and request.url.path in _JSON_POSTS:
            return json_error(422, "malformed", "the body is not valid JSON text")
        return await http_exception_handler(request, exc)

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, Any]:
        """The process is alive and answers (it does not look at the database)."""
        return {"ok": True}

    @app.get("/readyz", tags=["operations"], responses=_json_errors(503))
    async def readyz() -> Any:
        """The database answers a query: 200, else 503 ``unavailable``."""
        if await run_in_threadpool(store.ready):
            return {"ok": True}
        return json_error(503, "unavailable", "the agency database does not answer")

    @app.get("/v1/ping", response_model=Ping, tags=["sync"])
    async def ping() -> dict[str, Any]:
        """Cheap probe: is the agency there, and which protocol does it speak."""
        return server.ping()

    @app.get(
        "/v1/bundle",
        response_class=Response,
        tags=["sync"],
        responses={
            200: {
                "description": "signed key bundle",
                "content": {"application/octet-stream": _BINARY},
            },
            **_json_errors(503),
        },
    )
    def bundle() -> Response:
        """The agency's public keys, signed by the root key pinned at provisioning."""
        try:
            blob = server.bundle()
        except PeerDeskError as exc:
            status, code = _status_of(exc)
            return json_error(status, code, _detail(exc))
        return Response(blob, media_type="application/octet-stream")

    @app.post(
        "/v1/enroll",
        response_model=EnrollResponse,
        tags=["sync"],
        responses=_json_errors(403, 409, 413, 422, 503),
    )
    def enroll(request: EnrollRequest) -> Any:
        """Register a laptop with a one-time code; returns its sync credential."""
        try:
            done = server.enroll(
                code=request.code,
                device_id=request.device_id,
                label=request.label,
                sign_pub=request.sign_pub,
                box_pub=request.box_pub,
            )
        except PeerDeskError as exc:
            status, code = _status_of(exc)
            if status == 500:
                log.error("enrollment failed: %s", type(exc).__name__)
            return json_error(status, code, _detail(exc))
        return JSONResponse(
            {
                "device_id": done.device_id,
                "credential": done.credential,
                "bundle": done.bundle.hex(),
            },
            headers={"Cache-Control": "no-store"},
        )

    @app.post(
        SYNC_PATH,
        response_class=Response,
        tags=["sync"],
        responses=_sync_responses(),
        openapi_extra={
            "requestBody": {"required": True, **_SYNC_BODY},
            "security": [{"deviceCredential": []}],
        },
    )
    async def sync(request: Request) -> Response:
        """One batch up (sealed records), acknowledgements and inbound items down."""
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        address = client_address(request.scope)
        if media_type != CONTENT_TYPE:
            refusal("sync_rejected", route=SYNC_PATH, address=address, status=415,
                    code="unsupported_media_type")  # fmt: skip
            return sync_error(415, "unsupported_media_type", f"send {CONTENT_TYPE}")
        # all Authorization headers: two are malformed (not "take the first")
        authorization = request.headers.getlist("authorization")
        device_id: str | None = None
        try:
            # the credential first: without a device's, no body is read at all
            device = await run_in_threadpool(server.authenticate, authorization)
            device_id = device.device_id
            # at most slots.per_owner of one device's bodies at once (held or waiting)
            if not await slots.acquire(device_id):
                refusal("busy", route=SYNC_PATH, address=address, status=503, code="busy",
                        device_id=device_id, retry_after=BUSY_RETRY_AFTER)  # fmt: skip
                return sync_error(
                    503, "busy", "the agency is busy; try again shortly",
                    headers={"Retry-After": str(BUSY_RETRY_AFTER)},
                )  # fmt: skip
            BODIES_IN_FLIGHT.inc()
            try:
                body = await read_capped(request, MAX_REQUEST_BYTES, slots.read_timeout_s)
                if body is None:  # the client went away
                    return Response(status_code=400)
                holder, body = [body], None  # the thread takes the body: nothing else keeps it
                out = await run_in_threadpool(
                    _sync_in_thread, server, holder, authorization, device
                )
            finally:
                slots.release(device_id)
                BODIES_IN_FLIGHT.dec()
        except TooSlow:
            detail = f"the request body did not arrive within {slots.read_timeout_s:g} s"
            refusal("sync_rejected", route=SYNC_PATH, address=address, status=408,
                    code="timeout", device_id=device_id)  # fmt: skip
            return sync_error(408, "timeout", detail, headers={"Connection": "close"})
        except TooLarge:
            detail = f"the request body is over {MAX_REQUEST_BYTES} bytes"
            refusal("sync_rejected", route=SYNC_PATH, address=address, status=413,
                    code="too_large", device_id=device_id)  # fmt: skip
            return sync_error(413, "too_large", detail)
        except PeerDeskError as exc:
            status, code = _status_of(exc)
            wipe = exc.wipe if isinstance(exc, DeviceIsRevoked) else None
            if status >= 500:
                log.error("sync failed: %s", type(exc).__name__)
            refusal("sync_rejected", route=SYNC_PATH, address=address, status=status,
                    code=code, device_id=device_id)  # fmt: skip
            return sync_error(status, code, _detail(exc), wipe)
        except Exception as exc:  # answer in the protocol; log the class only
            log.exception("sync failed unexpectedly: %s", type(exc).__name__)
            return sync_error(500, "internal", "the agency could not process this batch")
        client = request.headers.getlist(CLIENT_HEADER)
        if client:  # the laptop's version and outbox counts (metadata only)
            await run_in_threadpool(_note_client, server, device, client)
        return Response(out, media_type=CONTENT_TYPE)

    app.include_router(
        directory_router(
            store, server.authenticate, failed=_failed, refuse=json_error, errors=_json_errors
        )
    )
    app.include_router(
        review_router(
            review,
            errors=_json_errors,
            failed=_failed,
            refuse=json_error,
            body_limit=MAX_DECISION_BYTES,
            read_timeout=read_timeout,
        )
    )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
            schemes["deviceCredential"] = {"type": "http", "scheme": "bearer"}
            schemes["supervisorCredential"] = {"type": "http", "scheme": "bearer"}
            app.openapi_schema = schema
        return app.openapi_schema

    # the web console for IT (/console; not in the API's OpenAPI document)
    mount_console(app, store, settings, clock=server.clock, code_key=code_key)
    app.openapi = openapi  # type: ignore[method-assign]
    document_rate_limits(app)  # the 429 of the enrollment routes
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (several workers): settings from
    ``$PEERDESK_AGENCY_DIR``; each worker logs to the agency's log."""
    settings = AgencySettings.load()
    log_to_agency(settings.directory)
    return create_app(settings)
