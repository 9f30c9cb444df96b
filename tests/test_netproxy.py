"""The link emulator used by the sync fault tests and the benchmark does what it says."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.netproxy import Link, LinkProfile, NetProxy


class _Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_server() -> Iterator[tuple[str, int]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[:2]  # type: ignore[misc]
    server.shutdown()
    server.server_close()


def test_the_link_model_serialises_back_to_back_and_adds_the_delay_once() -> None:
    """The schedule alone, at given times: no clock, no sockets."""
    link = Link(bps=400_000, delay_s=0.1)  # 5000 bytes take 0.1 s on the wire
    # Three chunks read at once leave one after another; each arrives 0.1 s after
    # its last bit left (the delay is not added up chunk after chunk).
    assert [link.due(10.0, 5000) for _ in range(3)] == pytest.approx([10.2, 10.3, 10.4])
    # A chunk read while the link is still busy waits for it.
    assert link.due(10.25, 5000) == pytest.approx(10.5)
    # An idle link starts at once.
    assert link.due(20.0, 500) == pytest.approx(20.11)
    # Without a bandwidth limit: the delay only, whatever the size.
    assert Link(None, 0.65).due(5.0, 10**6) == pytest.approx(5.65)


def test_connections_at_once_share_the_links_bandwidth(echo_server) -> None:
    """Two uploads at once (pipelined requests) do not get twice the bandwidth:
    the up chunks of both connections leave one after another."""
    profile = LinkProfile("test", down_bps=4_000_000, up_bps=800_000, rtt_s=0.05)
    body = b"x" * 30_000  # 0.3 s up each at 800 kbit/s
    with NetProxy(echo_server, profile=profile) as proxy, httpx.Client() as client:
        results: list[bytes] = []
        posts = [
            threading.Thread(
                target=lambda: results.append(client.post(proxy.url, content=body).content)
            )
            for _ in range(2)
        ]
        for t in posts:
            t.start()
        for t in posts:
            t.join()
        assert results == [body, body]
        up = sorted((c for c in proxy.chunks if c.direction == "up"), key=lambda c: c.due)
    assert len({c.connection for c in up}) == 2
    # on the schedule: every chunk leaves after the one before it has been serialised
    for before, chunk in zip(up, up[1:], strict=False):
        assert chunk.due >= before.due + chunk.size * 8 / profile.up_bps - 1e-9
    wire = sum(c.size for c in up) * 8 / profile.up_bps
    assert up[-1].due - up[0].due >= wire - up[0].size * 8 / profile.up_bps - 1e-6


def test_shaping_adds_the_round_trip_and_the_serialisation_time(echo_server) -> None:
    profile = LinkProfile("test", down_bps=800_000, up_bps=400_000, rtt_s=0.2)
    body = b"x" * 20_000  # 0.4 s up at 400 kbit/s, 0.2 s down at 800 kbit/s
    with NetProxy(echo_server, profile=profile) as proxy, httpx.Client() as client:
        t0 = time.monotonic()
        assert client.post(proxy.url, content=body).content == body
        elapsed = time.monotonic() - t0
    # One RTT for the TCP handshake is not emulated (the proxy accepts at once);
    # the exchange costs at least one RTT plus both transfers. Only this lower
    # bound is about the wall clock: a loaded machine makes an exchange longer,
    # never shorter. What the proxy adds is checked on its schedule below.
    expected = 0.2 + 0.4 + 0.2
    assert elapsed >= expected
    assert proxy.counters.up_bytes > len(body) and proxy.counters.down_bytes > len(body)

    chunks = proxy.chunks
    up = [c for c in chunks if c.direction == "up"]
    down = [c for c in chunks if c.direction == "down"]
    assert sum(c.size for c in up) == proxy.counters.up_bytes
    assert sum(c.size for c in down) == proxy.counters.down_bytes
    # Every chunk was held until the emulated link delivered it...
    assert all(c.sent >= c.due for c in chunks)
    # ...and delivered when the model says, no later: back to back on the wire at
    # the direction's bandwidth, plus the one-way delay once.
    for chunks_one_way, bps in ((up, profile.up_bps), (down, profile.down_bps)):
        link = Link(bps, profile.rtt_s / 2)
        assert [c.due for c in chunks_one_way] == pytest.approx(
            [link.due(c.arrived, c.size) for c in chunks_one_way], abs=1e-9
        )
    # The response went out after the whole request was through: the exchange is
    # one RTT plus both transfers on the schedule.
    assert down[0].arrived >= up[-1].sent
    on_schedule = down[-1].due - up[0].arrived
    assert on_schedule >= expected
    late = max(c.sent - c.due for c in chunks)
    print(
        f"\nexchange {elapsed:.3f} s, {on_schedule:.3f} s on the schedule; latest send {late * 1000:.1f} ms after due"
    )


def test_a_cut_resets_the_connection_at_the_chosen_byte(echo_server) -> None:
    body = b"y" * 50_000
    with NetProxy(echo_server, cut_after=lambda n: 10_000 if n == 1 else None) as proxy:
        with httpx.Client() as client, pytest.raises(httpx.TransportError):
            client.post(proxy.url, content=body)
        with httpx.Client() as client:
            assert client.post(proxy.url, content=body).content == body
    assert proxy.counters.cuts == 1
    assert proxy.counters.connections == 2
