"""Rate limits of the agency API: enrollment attempts per client address.

An enrollment code (and a supervisor invite) has 50 random bits, so guessing one
over HTTP is hopeless at any rate; the limit makes trying visibly pointless,
keeps a flood of guesses from costing a write transaction each, and bounds what
one machine can do. The rules, for ``POST /v1/enroll`` and
``POST /v1/supervisor/enroll`` (:data:`LIMITED_PATHS`):

* Each address may have at most ``per_address`` *refused* attempts in a sliding
  window of ``window_s`` seconds (default 10 per 15 minutes). An attempt takes
  its slot before it is processed (so a burst of parallel requests cannot get
  past the count) and gives it back unless the code was refused (403) or
  clashed with an existing id (409): a successful enrollment, a malformed request
  (422, no code was tried) or a server error does not count. So IT enrolling
  thirty laptops from one office address is never held up, and a guesser is.
* All addresses together may have at most ``overall`` refused attempts in the same
  window (default 200), which bounds guessing spread over many addresses.
* Over a limit the answer is 429 ``rate_limited`` with ``Retry-After`` (seconds),
  and the request is not processed at all.

The counts live in the memory of each API worker: with N workers behind a load
balancer an address gets at most N times the limit, and a restart forgets them.
That is enough for the purpose above; it is not an account lock-out. The client
address is the one the ASGI server reports: behind a reverse proxy run uvicorn
with ``--proxy-headers --forwarded-allow-ips=<the proxy>`` so it is the real
one. At most ``max_addresses`` addresses are tracked (the least recently seen
are forgotten first), so many addresses cannot exhaust memory.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LIMITED_PATHS = frozenset({"/v1/enroll", "/v1/supervisor/enroll"})
#: answers that mean "a code was tried and refused": these keep their slot
COUNTED_STATUSES = frozenset({403, 409})
OVERALL = "*"


@dataclass(frozen=True, slots=True)
class Slot:
    """One attempt's place in the windows (given back with :meth:`EnrollmentLimits.release`)."""

    address: str
    at: float


class EnrollmentLimits:
    """Sliding-window counts of refused enrollment attempts. Thread-safe."""

    def __init__(
        self,
        *,
        per_address: int = 10,
        overall: int = 200,
        window_s: float = 15 * 60.0,
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_address < 1 or overall < 1 or window_s <= 0 or max_addresses < 1:
            raise ValueError("rate limits must be positive")
        self.per_address = per_address
        self.overall = overall
        self.window_s = window_s
        self.max_addresses = max_addresses
        self.clock = clock
        self._lock = threading.Lock()
        self._times: OrderedDict[str, deque[float]] = OrderedDict()
        self._all: deque[float] = deque()

    def _expire(self, times: deque[float], now: float) -> None:
        while times and times[0] <= now - self.window_s:
            times.popleft()

    def acquire(self, address: str) -> Slot | float:
        """Take a slot for an attempt from ``address``; or, over a limit, the
        seconds until the oldest counted attempt leaves the window."""
        now = self.clock()
        with self._lock:
            self._expire(self._all, now)
            times = self._times.pop(address, deque())
            self._expire(times, now)
            self._times[address] = times  # now the most recently seen
            while len(self._times) > self.max_addresses:
                self._times.popitem(last=False)
            for counted, limit in ((times, self.per_address), (self._all, self.overall)):
                if len(counted) >= limit:
                    return max(1.0, counted[0] + self.window_s - now)
            times.append(now)
            self._all.append(now)
            return Slot(address, now)

    def release(self, slot: Slot) -> None:
        """Give a slot back: the attempt turned out not to try a code."""
        with self._lock:
            for times in (self._times.get(slot.address), self._all):
                if times is not None and slot.at in times:
                    times.remove(slot.at)

    def counted(self, address: str) -> int:
        """Refused attempts of ``address`` in the window (for tests and logs)."""
        with self._lock:
            times = self._times.get(address, deque())
            self._expire(times, self.clock())
            return len(times)


class RateLimit:
    """Pure ASGI middleware applying :class:`EnrollmentLimits` to :data:`LIMITED_PATHS`."""

    def __init__(self, app: ASGIApp, limits: EnrollmentLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        if scope["path"] not in LIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = str(client[0]) if client else "unknown"
        taken = self.limits.acquire(address)
        if not isinstance(taken, Slot):
            await _refuse(send, taken)
            return
        status: int | None = None

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if status is not None and status not in COUNTED_STATUSES:
                self.limits.release(taken)


async def _refuse(send: Send, retry_after: float) -> None:
    seconds = math.ceil(retry_after)
    body = json.dumps(
        {
            "detail": "too many refused enrollment attempts from this address; "
            f"try again in {seconds} s",
            "code": "rate_limited",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(seconds).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


_429 = {
    "description": "too many refused attempts from this address (code rate_limited)",
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


def install_rate_limits(app: Any, limits: EnrollmentLimits | None = None) -> EnrollmentLimits:
    """Put the enrollment limits in front of ``app`` (a FastAPI app; call it last,
    after ``app.openapi`` is set): the middleware, ``app.state.enroll_limits``
    (tests adjust it) and the 429 answer in the OpenAPI document of each limited
    route."""
    limits = limits or EnrollmentLimits()
    app.state.enroll_limits = limits
    app.add_middleware(RateLimit, limits=limits)
    make_schema = app.openapi

    def openapi() -> dict[str, Any]:
        schema: dict[str, Any] = make_schema()
        for path in LIMITED_PATHS:
            operation = schema.get("paths", {}).get(path, {}).get("post")
            if operation is not None:
                operation.setdefault("responses", {}).setdefault("429", _429)
        return schema

    app.openapi = openapi
    return limits
