"""A loopback TCP proxy that makes a fast local link behave like a bad rural one.

* **Shaping**: each direction has its own bandwidth (bits/s) and one-way delay
  (half the round-trip time), shared by every connection through the proxy (one
  radio link: two requests at once share its bandwidth, as pipelined batches do). Bytes leave in order; a chunk is delivered once
  the link has had time to serialise it *and* the propagation delay has passed,
  so a big upload costs ``bytes / uplink`` and every exchange costs an RTT, as on
  a real 2G/EDGE/3G link.
* **Faults**: ``cut_after`` picks, per connection, a byte offset (counting both
  directions) at which the proxy resets both sockets, so a client sees a drop
  anywhere: mid-request, between request and response, or mid-response.
* **Accounting**: bytes in each direction and the number of connections, for
  the benchmark's "bytes on the wire"; and the schedule (:attr:`NetProxy.chunks`):
  when each chunk arrived, when the emulated link delivers it, when it was sent
  on. Tests check the link model on the schedule (:class:`Link` is a pure
  function of the times it is given), not on how long an exchange took.

Used by the sync fault tests and by ``make bench``. The sleeps here emulate
link time; they are not synchronisation.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

CHUNK = 4096
#: what one direction of one connection may have queued on the link at most: like a
#: TCP window, it keeps one connection from queueing its whole upload ahead of
#: another's, so connections at once share the link in turns
WINDOW = 64 * 1024


@dataclass(frozen=True, slots=True)
class LinkProfile:
    name: str
    down_bps: float  # agency -> device
    up_bps: float  # device -> agency
    rtt_s: float


PROFILES = {
    "2G": LinkProfile("2G", 35_000, 32_000, 1.300),
    "EDGE": LinkProfile("EDGE", 240_000, 200_000, 0.840),
    "3G": LinkProfile("3G", 1_600_000, 768_000, 0.300),
}


@dataclass(frozen=True, slots=True)
class Chunk:
    """One chunk through the proxy, as scheduled (``time.monotonic()`` seconds)."""

    connection: int
    direction: str  # "up" (device -> agency) or "down"
    size: int
    arrived: float  # read from the sender
    due: float  # when the emulated link delivers it (:meth:`Link.due`)
    sent: float  # when it was passed on: never before ``due``


class Link:
    """The timing model of one direction of a shaped link: chunks are serialised
    one after another at ``bps`` (bits/s; None: no limit), and each is delivered
    ``delay_s`` (the one-way propagation delay) after its last bit left. Pure:
    :meth:`due` is given the time, so the model is tested without a clock."""

    def __init__(self, bps: float | None, delay_s: float) -> None:
        self.bps, self.delay_s = bps, delay_s
        self.free_at = 0.0  # when the last chunk scheduled has left

    def due(self, now: float, size: int) -> float:
        """When a chunk of ``size`` bytes read at ``now`` is delivered."""
        if not self.bps:
            return now + self.delay_s
        start = max(now, self.free_at)  # behind the chunks still on the wire
        self.free_at = start + size * 8 / self.bps
        return self.free_at + self.delay_s


class SharedLink(Link):
    """A :class:`Link` that several connections' pipes schedule on (locked)."""

    def __init__(self, bps: float | None, delay_s: float) -> None:
        super().__init__(bps, delay_s)
        self._lock = threading.Lock()

    def due(self, now: float, size: int) -> float:
        with self._lock:
            return super().due(now, size)


@dataclass
class Counters:
    up_bytes: int = 0
    down_bytes: int = 0
    connections: int = 0
    cuts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, up: int = 0, down: int = 0) -> None:
        with self.lock:
            self.up_bytes += up
            self.down_bytes += down


def _reset(sock: socket.socket) -> None:
    """Drop the connection like a radio link going away: RST (SO_LINGER 0). The
    shutdown first wakes a thread blocked in recv() on it; a bare close() from
    another thread would not, and the kernel would keep the connection open."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class _Pipe:
    """One direction of one connection: a reader that timestamps chunks and a
    writer that releases them when the shaped link would have delivered them."""

    def __init__(
        self,
        src: socket.socket,
        dst: socket.socket,
        link: Link,
        count: Callable[[int], bool],
        on_close: Callable[[], None],
        log: Callable[[int, float, float, float], None],
    ) -> None:
        self.src, self.dst = src, dst
        self.link = link
        self.count, self.on_close, self.log = count, on_close, log
        self.queue: list[tuple[float, int, bytes, float]] = []
        self.queued = 0  # bytes read and not yet passed on
        self.cond = threading.Condition()
        self.eof = False
        self.seq = itertools.count()

    def start(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._write, daemon=True).start()

    def _read(self) -> None:
        try:
            while True:
                with self.cond:
                    while self.queued >= WINDOW and not self.eof:
                        self.cond.wait()
                data = self.src.recv(CHUNK)
                if not data:
                    break
                now = time.monotonic()
                due = self.link.due(now, len(data))
                with self.cond:
                    heapq.heappush(self.queue, (due, next(self.seq), data, now))
                    self.queued += len(data)
                    self.cond.notify_all()
        except OSError:
            pass
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def _write(self) -> None:
        try:
            while True:
                with self.cond:
                    while not self.queue and not self.eof:
                        self.cond.wait()
                    if not self.queue:
                        break
                    due, _, data, arrived = self.queue[0]
                    now = time.monotonic()
                    if due - now > 0:
                        self.cond.wait(timeout=due - now)
                        continue
                    heapq.heappop(self.queue)
                    self.queued -= len(data)
                    self.cond.notify_all()
                if not self.count(len(data)):
                    return  # cut: the connection was reset
                self.log(len(data), arrived, due, now)
                self.dst.sendall(data)
            with contextlib.suppress(OSError):
                self.dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            with self.cond:  # a reader waiting for room stops waiting
                self.eof = True
                self.cond.notify_all()
            self.on_close()


class NetProxy:
    """``with NetProxy(("127.0.0.1", port), profile=PROFILES["EDGE"]) as proxy:``
    then talk to ``proxy.url``.

    ``cut_after(connection_number) -> int | None`` returns the byte offset at
    which to reset that connection (``None``: never)."""

    def __init__(
        self,
        upstream: tuple[str, int],
        *,
        profile: LinkProfile | None = None,
        cut_after: Callable[[int], int | None] | None = None,
        scheme: str = "http",
    ) -> None:
        self.upstream = upstream
        self.profile = profile
        self.cut_after = cut_after
        self.scheme = scheme
        self.counters = Counters()
        #: every chunk passed on, in the order each direction sent them
        self.chunks: list[Chunk] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._sockets: set[socket.socket] = set()
        #: the profile the shared links were made for, and the links (up, down)
        self._links: tuple[LinkProfile | None, SharedLink, SharedLink] | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def __enter__(self) -> NetProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        for sock in list(self._sockets):
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=10)
                server.settimeout(None)
            except OSError:
                _reset(client)
                continue
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._sockets.add(sock)
            with self.counters.lock:
                self.counters.connections += 1
                number = self.counters.connections
            self._connect(client, server, number)

    def _connect(self, client: socket.socket, server: socket.socket, number: int) -> None:
        limit = self.cut_after(number) if self.cut_after else None
        passed = [0]
        lock = threading.Lock()
        cut = threading.Event()
        closed = [0]

        def count(direction: str) -> Callable[[int], bool]:
            def inner(n: int) -> bool:
                with lock:
                    if cut.is_set():
                        return False
                    if limit is not None and passed[0] + n > limit:
                        cut.set()
                        self.counters.cuts += 1
                        _reset(client)
                        _reset(server)
                        return False
                    passed[0] += n
                if direction == "up":
                    self.counters.add(up=n)
                else:
                    self.counters.add(down=n)
                return True

            return inner

        def on_close() -> None:
            with lock:
                closed[0] += 1
                done = closed[0] == 2
            if done:
                for sock in (client, server):
                    self._sockets.discard(sock)
                    with contextlib.suppress(OSError):
                        sock.close()

        def log(direction: str) -> Callable[[int, float, float, float], None]:
            def inner(size: int, arrived: float, due: float, sent: float) -> None:
                self.chunks.append(Chunk(number, direction, size, arrived, due, sent))

            return inner

        up, down = self._shared_links()
        _Pipe(client, server, up, count("up"), on_close, log("up")).start()
        _Pipe(server, client, down, count("down"), on_close, log("down")).start()

    def _shared_links(self) -> tuple[SharedLink, SharedLink]:
        """The link both directions of every connection share (made again when the
        profile changes)."""
        p = self.profile
        if self._links is None or self._links[0] is not p:
            up_bps, down_bps = (p.up_bps, p.down_bps) if p else (None, None)
            delay = p.rtt_s / 2 if p else 0.0
            self._links = (p, SharedLink(up_bps, delay), SharedLink(down_bps, delay))
        return self._links[1], self._links[2]


@contextlib.contextmanager
def shaped(upstream: tuple[str, int], profile: LinkProfile) -> Iterator[NetProxy]:
    with NetProxy(upstream, profile=profile) as proxy:
        yield proxy
