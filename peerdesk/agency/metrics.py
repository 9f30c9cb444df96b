"""Prometheus metrics of the agency server: ``GET /metrics``.

What is counted (never a body, a code, a credential, a device or participant id:
the labels are fixed words, routes are the route templates):

* ``peerdesk_http_requests_total{route,status}`` and
  ``peerdesk_http_request_duration_seconds{route}`` (histogram): every request;
  a path that matches no route counts as ``route="other"``.
* ``peerdesk_sync_records_total``: records in the sync batches processed;
  ``peerdesk_sync_batches_total{result}`` (``stored`` or ``replayed``).
* ``peerdesk_refusals_total{event,code}``: the refusals of
  :mod:`peerdesk.agency.events` (bad codes, rate limits, busy, rejected syncs).
* ``peerdesk_sync_bodies_in_flight``: sync bodies being read or processed now.
* ``peerdesk_enrollments_total{result}``: device enrollments (``enrolled`` or the
  refusal's short code).

Several workers: ``serve --workers N`` makes a private (0700) directory, names it
in ``PROMETHEUS_MULTIPROC_DIR`` before the workers start, and removes it at exit;
each worker writes its figures there and ``/metrics`` (whichever worker answers)
adds them up (prometheus_client's multiprocess mode). One worker keeps them in
memory.

Not public: ``/metrics`` answers only clients whose address is in
``metrics_allow_ips`` (``agency.toml``; default loopback only) and only when the
request came straight to the agency (no ``X-Forwarded-For`` or ``Forwarded``
header: a request relayed by a reverse proxy on the same host would otherwise
look local). Anyone else gets 404, as if there were no such route.
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.routing import Match

from peerdesk.agency.settings import DEFAULT_METRICS_ALLOW

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METRICS_PATH = "/metrics"

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "peerdesk_http_requests",
    "HTTP requests answered, by route template and status",
    ["route", "status"],
    registry=REGISTRY,
)
DURATION = Histogram(
    "peerdesk_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0),
    registry=REGISTRY,
)
SYNC_RECORDS = Counter(
    "peerdesk_sync_records",
    "Records in the sync batches processed (stored or rejected one by one)",
    registry=REGISTRY,
)
SYNC_BATCHES = Counter(
    "peerdesk_sync_batches",
    "Sync batches processed: stored, or replayed (the answer of a batch seen before)",
    ["result"],
    registry=REGISTRY,
)
REFUSALS = Counter(
    "peerdesk_refusals",
    "Requests refused, by event and short code (as in the JSON refusal log)",
    ["event", "code"],
    registry=REGISTRY,
)
BODIES_IN_FLIGHT = Gauge(
    "peerdesk_sync_bodies_in_flight",
    "Sync bodies being read or processed now (all workers)",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
ENROLLMENTS = Counter(
    "peerdesk_enrollments",
    "Device enrollments, by result (enrolled, or the refusal's short code)",
    ["result"],
    registry=REGISTRY,
)

#: the short codes a label may take (anything else is counted as "other")
_CODES = frozenset(
    {
        "bad_code", "device_exists", "malformed", "not_ready", "unavailable", "unauthorized",
        "revoked", "bad_signature", "in_flight", "idempotency_mismatch", "too_large",
        "timeout", "busy", "rate_limited", "unsupported_media_type", "internal", "removed",
        "supervisor_exists", "not_found",
    }
)  # fmt: skip


def code_label(code: object) -> str:
    return code if isinstance(code, str) and code in _CODES else "other"


def count_refusal(event: str, code: object) -> None:
    REFUSALS.labels(event=event, code=code_label(code)).inc()


def count_enrollment(result: str) -> None:
    ENROLLMENTS.labels(result="enrolled" if result == "enrolled" else code_label(result)).inc()


def worker_stopped() -> None:
    """In multiprocess mode, drop this process's live gauges (bodies in flight)
    from the shared folder, so a stopped worker's last figure does not linger."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(os.getpid())


def render() -> bytes:
    """The text exposition: of every worker (multiprocess mode) or of this process."""
    folder = os.environ.get(MULTIPROC_ENV)
    if folder:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=folder)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_FORWARDED = (b"x-forwarded-for", b"forwarded")


class MetricsMiddleware:
    """Counts and times every HTTP request and answers ``GET /metrics`` for the
    allowed addresses (404 for anyone else). A pure ASGI middleware: bodies
    stream through untouched."""

    def __init__(self, app: ASGIApp, *, allow: tuple[str, ...] = DEFAULT_METRICS_ALLOW) -> None:
        self.app = app
        self.allow = tuple(ipaddress.ip_network(a, strict=False) for a in allow)
        self._routes: Any = None

    def allowed(self, scope: Scope) -> bool:
        if any(name in _FORWARDED for name, _ in scope.get("headers", ())):
            return False
        client = scope.get("client")
        try:
            address = ipaddress.ip_address(client[0]) if client else None
        except ValueError:
            return False
        return address is not None and any(address in net for net in self.allow)

    def route_of(self, scope: Scope) -> str:
        route = scope.get("route")
        path = getattr(route, "path", None)
        if isinstance(path, str):
            return path
        app = scope.get("app")
        for candidate in getattr(app, "routes", ()):
            match, _ = candidate.matches(scope)
            if match == Match.FULL:
                return str(getattr(candidate, "path", "other"))
        return "other"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == METRICS_PATH and scope["method"] in ("GET", "HEAD"):
            if self.allowed(scope):
                await _answer(send, 200, render(), CONTENT_TYPE_LATEST.encode())
            else:
                body = b'{"detail":"Not Found"}'
                await _answer(send, 404, body, b"application/json")
            return
        started = time.perf_counter()
        status = [500]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = self.route_of(scope)
            REQUESTS.labels(route=route, status=str(status[0])).inc()
            DURATION.labels(route=route).observe(time.perf_counter() - started)


async def _answer(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store")]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
