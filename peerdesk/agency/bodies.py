"""Request bodies of the agency API: how big, how many at once, and when they are
read.

* :class:`BodyLimit` (pure ASGI middleware) refuses a body over its route's cap
  with 413 by ``Content-Length`` before reading any of it. The small JSON bodies
  (16 KiB, a decision 12 KiB) are read and buffered here, with the cap checked as
  they stream in. A sync body (up to 2 MB) is *not* read here: the sync route
  reads it itself, only after the credential was checked, and only while it
  holds one of the :class:`BodySlots`.
* :class:`BodySlots` is a bounded semaphore of the sync bodies a worker holds at
  once (default :data:`DEFAULT_BODY_SLOTS`); a request waits for a slot (its
  body unread) in a small waiting room for a few seconds, and when the room is
  full or the wait ends the answer is 503 ``busy`` with ``Retry-After`` and the
  body is never read. So one worker holds at most slots x 2 MB of bodies (and
  their decoded batches), whatever the number of connections.
  One device holds (or waits for) at most ``per_owner`` slots at once
  (:data:`PER_DEVICE_BODY_SLOTS`, 2): a further sync of it is 503 ``busy`` at
  once, so one enrolled laptop cannot take every slot.
* Every body has a deadline (``body_read_timeout_s``, default 240 s) to arrive
  whole: a client that sends its headers and then trickles its body (slowloris)
  is answered 408 ``timeout`` when it passes, and its slot is freed. The same
  deadline bounds the buffering of the small JSON bodies (:class:`BodyLimit`) and
  of the enrollment limits' (:mod:`peerdesk.agency.ratelimit`).
* :func:`read_capped` reads a body while counting it, within the deadline.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio
from starlette.requests import ClientDisconnect, Request

from peerdesk.agency.settings import (
    DEFAULT_BODY_READ_TIMEOUT_S,
    DEFAULT_BODY_SLOTS,
    PER_DEVICE_BODY_SLOTS,
)

__all__ = [
    "DEFAULT_BODY_SLOTS",
    "BodyLimit",
    "BodySlots",
    "TooLarge",
    "TooSlow",
    "read_capped",
    "receive_within",
    "replaying",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: what a busy answer asks the client to wait, in seconds
BUSY_RETRY_AFTER = 5


class TooLarge(Exception):
    """The body went over its cap while it was read."""


class TooSlow(Exception):
    """The body did not arrive whole before its deadline."""


class BodySlots:
    """A bounded semaphore of the sync bodies one worker reads and processes at
    once, with a small waiting room: a request waits (without its body being
    read) up to ``wait_s`` for a slot, in arrival order; when ``waiting`` requests
    wait already, or the wait times out, :meth:`acquire` says no (the route
    answers 503 ``busy`` with ``Retry-After``). Thread-safe and usable from any
    event loop (the tests run several); a freed slot is handed straight to the
    oldest waiter.

    An ``owner`` (a device id) holds or waits for at most ``per_owner`` slots at
    once; :meth:`acquire` says no at once to one more. ``read_timeout_s`` is the
    deadline of a body's arrival (read by the routes and middleware that read
    bodies; tests make it small)."""

    def __init__(
        self,
        slots: int = DEFAULT_BODY_SLOTS,
        *,
        waiting: int | None = None,
        wait_s: float = 10.0,
        per_owner: int = PER_DEVICE_BODY_SLOTS,
        read_timeout_s: float = DEFAULT_BODY_READ_TIMEOUT_S,
    ) -> None:
        if slots < 1 or per_owner < 1:
            raise ValueError("at least one body slot")
        self.slots = slots
        self.waiting = 8 * slots if waiting is None else waiting
        self.wait_s = wait_s
        self.per_owner = per_owner
        self.read_timeout_s = read_timeout_s
        self._lock = threading.Lock()
        self._free = slots
        self._owners: dict[str, int] = {}
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()

    @property
    def waiters(self) -> int:
        with self._lock:
            return len(self._waiters)

    @property
    def free(self) -> int:
        with self._lock:
            return self._free

    def held_by(self, owner: str) -> int:
        """The slots ``owner`` holds or waits for."""
        with self._lock:
            return self._owners.get(owner, 0)

    def try_acquire(self) -> bool:
        """A slot now, or False."""
        with self._lock:
            if self._free:
                self._free -= 1
                return True
            return False

    async def acquire(self, owner: str | None = None) -> bool:
        """A slot, waiting for one up to ``wait_s``; False when ``owner`` holds or
        waits for ``per_owner`` already, the waiting room is full or the wait timed
        out. A slot taken for an ``owner`` goes back with ``release(owner)``."""
        if owner is None:
            return await self._acquire()
        with self._lock:
            if self._owners.get(owner, 0) >= self.per_owner:
                return False
            self._owners[owner] = self._owners.get(owner, 0) + 1
        try:
            taken = await self._acquire()
        except BaseException:
            self._forget(owner)
            raise
        if not taken:
            self._forget(owner)
        return taken

    def _forget(self, owner: str) -> None:
        with self._lock:
            left = self._owners.get(owner, 0) - 1
            if left > 0:
                self._owners[owner] = left
            else:
                self._owners.pop(owner, None)

    async def _acquire(self) -> bool:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._free:
                self._free -= 1
                return True
            if len(self._waiters) >= self.waiting:
                return False
            waiter = (loop, loop.create_future())
            self._waiters.append(waiter)
        fut = waiter[1]
        try:
            await asyncio.wait_for(asyncio.shield(fut), self.wait_s)
            return True
        except (TimeoutError, asyncio.CancelledError) as exc:
            with self._lock:
                queued = waiter in self._waiters
                if queued:
                    self._waiters.remove(waiter)
            if not queued and fut.done() and not fut.cancelled():
                self.release()  # handed a slot just as the wait ended: pass it on
            else:
                fut.cancel()  # a hand-over on its way finds it cancelled and passes it on
            if isinstance(exc, asyncio.CancelledError):
                raise
            return False

    def release(self, owner: str | None = None) -> None:
        """Give a slot back: to the oldest waiter, else to the free ones."""
        if owner is not None:
            self._forget(owner)
        with self._lock:
            while self._waiters:
                loop, fut = self._waiters.popleft()
                if loop.is_closed():
                    continue
                loop.call_soon_threadsafe(self._hand_over, fut)
                return
            self._free += 1

    def _hand_over(self, fut: asyncio.Future[None]) -> None:
        if fut.done():  # its waiter gave up: the next one
            self.release()
        else:
            fut.set_result(None)


async def read_capped(
    request: Request, limit: int, timeout_s: float = DEFAULT_BODY_READ_TIMEOUT_S
) -> bytes | None:
    """The whole body of ``request``; :class:`TooLarge` past ``limit`` bytes (it
    stops reading there), :class:`TooSlow` when it has not arrived whole within
    ``timeout_s`` seconds, None if the client went away. With a ``Content-Length``
    (at most ``limit``: :class:`BodyLimit` checked it) the chunks are joined once,
    without growing a buffer chunk by chunk."""
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(timeout_s):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise TooLarge()
                if chunk:
                    chunks.append(chunk)
    except ClientDisconnect:
        return None
    except TimeoutError:
        raise TooSlow() from None
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def receive_within(
    receive: Receive, limit: int, timeout_s: float
) -> tuple[bytes | None, str | None]:
    """Buffer a whole body from ``receive``: (body, None); (None, why) when it is
    over ``limit`` bytes (``"too_large"``), has not arrived whole within
    ``timeout_s`` seconds (``"timeout"``) or the client went away (``"gone"``)."""
    body = bytearray()
    more = True
    try:
        with anyio.fail_after(timeout_s):
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return None, "gone"
                body += message.get("body", b"")
                more = bool(message.get("more_body", False))
                if len(body) > limit:
                    return None, "too_large"
    except TimeoutError:
        return None, "timeout"
    return bytes(body), None


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body read already (by
    :func:`receive_within`) as one message, then goes on with ``receive``
    (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class BodyLimit:
    """Refuse a request body over its route's limit with 413 before reading more
    than the limit (by ``Content-Length`` at once, else while it streams in); a
    small body is buffered and handed on, a streamed route's (``streamed``) is
    left for the route to read (with :func:`read_capped`)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit_of: Callable[[str], int],
        streamed: frozenset[str],
        refuse: Callable[[str, int, str, str], Any],
        timeout_of: Callable[[], float] = lambda: DEFAULT_BODY_READ_TIMEOUT_S,
    ) -> None:
        self.app = app
        self.limit_of = limit_of
        self.streamed = streamed
        self.refuse = refuse
        self.timeout_of = timeout_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = self.limit_of(path)

        async def refuse(status: int, code: str, detail: str) -> None:
            response = self.refuse(path, status, code, detail)
            await response(scope, receive, send)

        length = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                length = value
        if length is not None:
            if not length.isdigit() or len(length) > 18:
                await refuse(400, "malformed", "Content-Length is not a number")
                return
            if int(length) > limit:
                await refuse(413, "too_large", f"the request body is over {limit} bytes")
                return
        if path in self.streamed:
            await self.app(scope, receive, send)
            return
        timeout_s = self.timeout_of()
        body, why = await receive_within(receive, limit, timeout_s)
        if why == "too_large":
            await refuse(413, "too_large", f"the request body is over {limit} bytes")
            return
        if why == "timeout":
            await refuse(408, "timeout", f"the request body did not arrive within {timeout_s:g} s")
            return
        if body is None:  # the client went away
            return

        await self.app(scope, replaying(body, receive), send)
