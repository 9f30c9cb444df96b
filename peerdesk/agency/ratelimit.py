"""Rate limits of the agency API: refused enrollment attempts per client address
and per code, counted in the database so every API worker shares them.

An enrollment code (and a supervisor invite) has 50 random bits, so guessing one
over HTTP is hopeless at any rate; the limit makes trying visibly pointless and
bounds what one machine can do. The rules, for ``POST /v1/enroll`` and
``POST /v1/supervisor/enroll`` (:data:`LIMITED_PATHS`):

* Each address may have at most ``per_address`` *refused* attempts in a window of
  ``window_s`` seconds (default 10 per 15 minutes). An IPv6 address counts by its
  /64 network (one subscriber's share). Each code (whatever it is, valid or not)
  may be refused at most ``per_code`` times in the window, from any addresses.
* There is no overall limit: a wrong code from address A never holds up a valid
  code from address B (with one, anyone could block all enrollment).
* An attempt takes its slot before it is processed (a burst of parallel requests,
  on any number of workers, cannot get past the count) and gives it back unless
  the code was refused (403) or clashed with an existing id (409): a successful
  enrollment, a malformed request (422) or a server error does not count. So IT
  enrolling thirty laptops from one office address is never held up.
* Over a limit the answer is 429 ``rate_limited`` with ``Retry-After`` (seconds),
  and the request is not processed at all.

The counts are rows of ``rate_limits`` (:mod:`peerdesk.agency.storage.limits`) per
bucket and fixed window of wall-clock time, so N workers (or N hosts on one
PostgreSQL database) count together and a restart forgets nothing; at a window's
edge an address can get up to twice the limit in a short time. A request at the
limit costs one read; only attempts under it write. Code buckets hold a keyed
hash of the code, never the code. The client address is the one the ASGI server
reports: behind a reverse proxy, list the proxy in ``forwarded_allow_ips``
(``serve --forwarded-allow-ips``) so it is the real one; by default
``X-Forwarded-For`` is ignored.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

from peerdesk.agency.bodies import receive_within, replaying
from peerdesk.agency.events import refusal
from peerdesk.agency.server import normalize_code
from peerdesk.agency.storage import Storage
from peerdesk.errors import PeerDeskError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("peerdesk.agency.ratelimit")

LIMITED_PATHS = frozenset({"/v1/enroll", "/v1/supervisor/enroll"})
#: answers that mean "a code was tried and refused": these keep their slot
COUNTED_STATUSES = frozenset({403, 409})


@dataclass(frozen=True, slots=True)
class Slot:
    """One attempt's hits (given back with :meth:`EnrollmentLimits.release`)."""

    buckets: tuple[str, ...]
    window_start: int


def address_bucket(address: str) -> str:
    """The bucket of a client address: IPv4 as it is, IPv6 by its /64 network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "a:" + address[:70]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"a:{ip.ipv4_mapped}"
        return f"a:{ipaddress.IPv6Network((ip, 64), strict=False)}"
    return f"a:{ip}"


class EnrollmentLimits:
    """Counts of refused enrollment attempts in ``storage`` (shared by workers).
    ``clock`` is wall-clock seconds (every worker must agree on the window)."""

    def __init__(
        self,
        storage: Storage,
        *,
        code_key: bytes,
        per_address: int = 10,
        per_code: int = 10,
        window_s: float = 15 * 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if per_address < 1 or per_code < 1 or window_s < 1:
            raise ValueError("rate limits must be positive")
        self.storage = storage
        self.per_address = per_address
        self.per_code = per_code
        self.window_s = window_s
        self.clock = clock
        self._key = code_key

    def code_bucket(self, code: str) -> str:
        digest = hmac.new(self._key, b"limit|" + normalize_code(code).encode(), "sha256")
        return "c:" + digest.hexdigest()[:32]

    def _window(self) -> tuple[float, int]:
        now = self.clock()
        return now, int(math.floor(now / self.window_s) * self.window_s)

    def _limits(self, address: str, code: str | None) -> dict[str, int]:
        limits = {address_bucket(address): self.per_address}
        if code:
            limits[self.code_bucket(code)] = self.per_code
        return limits

    def acquire(self, address: str, code: str | None) -> Slot | float:
        """Take a slot for an attempt from ``address`` with ``code`` (None when the
        body holds none); or, over a limit, the seconds until the window ends."""
        now, start = self._window()
        limits = self._limits(address, code)
        retry = max(1.0, start + self.window_s - now)
        hits = self.storage.limits.hits(list(limits), start)
        if any(hits[b] >= limit for b, limit in limits.items()):
            return retry
        if self.storage.limits.take(limits, start) is not None:
            return retry
        return Slot(tuple(limits), start)

    def release(self, slot: Slot) -> None:
        """Give a slot back: the attempt turned out not to try a code."""
        self.storage.limits.give_back(slot.buckets, slot.window_start)

    def counted(self, address: str) -> int:
        """Refused attempts of ``address`` in the current window (tests, logs)."""
        bucket = address_bucket(address)
        return self.storage.limits.hits([bucket], self._window()[1])[bucket]


def _code_of(body: bytes) -> str | None:
    """The ``code`` field of an enrollment body, if it has a plausible one."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    code = data.get("code") if isinstance(data, dict) else None
    return code if isinstance(code, str) and 1 <= len(code) <= 64 else None


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimit:
    """Pure ASGI middleware applying :class:`EnrollmentLimits` to :data:`LIMITED_PATHS`.
    It must sit inside the body cap (the body it reads is at most 16 KiB); its
    read has the same deadline (``timeout_of()`` seconds: 408 ``timeout`` after)."""

    #: the most it buffers (the body cap let at most 16 KiB through)
    MAX_BODY = 64 * 1024

    def __init__(
        self,
        app: ASGIApp,
        limits: EnrollmentLimits,
        timeout_of: Callable[[], float] = lambda: 30.0,
    ) -> None:
        self.app = app
        self.limits = limits
        self.timeout_of = timeout_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        route = scope["path"]
        if route not in LIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        timeout_s = self.timeout_of()
        body, why = await receive_within(receive, self.MAX_BODY, timeout_s)
        if why == "timeout":
            detail = f"the request body did not arrive within {timeout_s:g} s"
            await _answer(send, 408, "timeout", detail, None)
            return
        if why == "too_large":
            await _answer(send, 413, "too_large", "the request body is too large", None)
            return
        if body is None:  # the client went away
            return
        address = client_address(scope)
        try:
            taken = await run_in_threadpool(self.limits.acquire, address, _code_of(body))
        except PeerDeskError:
            await _answer(send, 503, "unavailable", "the agency database is unavailable", None)
            return
        if not isinstance(taken, Slot):
            seconds = math.ceil(taken)
            refusal("rate_limited", route=route, address=address, status=429,
                    code="rate_limited", retry_after=seconds)  # fmt: skip
            detail = f"too many refused enrollment attempts; try again in {seconds} s"
            await _answer(send, 429, "rate_limited", detail, seconds)
            return
        status: int | None = None
        answer = bytearray()

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif status in COUNTED_STATUSES and len(answer) < 4096:
                answer.extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replaying(body, receive), watch)
        finally:
            if status in COUNTED_STATUSES:
                refusal("enroll_refused", route=route, address=address, status=status,
                        code=_short_code(bytes(answer)))  # fmt: skip
            else:
                try:
                    await run_in_threadpool(self.limits.release, taken)
                except PeerDeskError as exc:  # the answer stands; the slot stays counted
                    log.warning("could not give an enrollment slot back: %s", type(exc).__name__)


def _short_code(answer: bytes) -> str:
    try:
        data = json.loads(answer)
    except (ValueError, UnicodeDecodeError):
        return "unknown"
    code = data.get("code") if isinstance(data, dict) else None
    return code if isinstance(code, str) else "unknown"


async def _answer(send: Send, status: int, code: str, detail: str, retry: int | None) -> None:
    body = json.dumps({"detail": detail, "code": code}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if retry is not None:
        headers.append((b"retry-after", str(retry).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


_429 = {
    "description": "too many refused attempts from this address or with this code "
    "(code rate_limited)",
    "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}},
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
                "required": ["detail", "code"],
            }
        }
    },
}


def install_rate_limits(
    app: Any, limits: EnrollmentLimits, timeout_of: Callable[[], float] = lambda: 30.0
) -> EnrollmentLimits:
    """Put the enrollment limits in front of ``app``'s routes (call it before the
    body cap is added, so the cap runs first) and keep them in
    ``app.state.enroll_limits`` (tests adjust them)."""
    app.state.enroll_limits = limits
    app.add_middleware(RateLimit, limits=limits, timeout_of=timeout_of)
    return limits


def document_rate_limits(app: Any) -> None:
    """The 429 answer in the OpenAPI document of each limited route (call it
    after ``app.openapi`` is set)."""
    make_schema = app.openapi

    def openapi() -> dict[str, Any]:
        schema: dict[str, Any] = make_schema()
        for path in LIMITED_PATHS:
            operation = schema.get("paths", {}).get(path, {}).get("post")
            if operation is not None:
                operation.setdefault("responses", {}).setdefault("429", _429)
        return schema

    app.openapi = openapi
