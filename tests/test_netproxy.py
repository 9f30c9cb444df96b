"""The link emulator used by the sync fault tests and the benchmark does what it says."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.netproxy import LinkProfile, NetProxy


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


def test_shaping_adds_the_round_trip_and_the_serialisation_time(echo_server) -> None:
    profile = LinkProfile("test", down_bps=800_000, up_bps=400_000, rtt_s=0.2)
    body = b"x" * 20_000  # 0.4 s up at 400 kbit/s, 0.2 s down at 800 kbit/s
    with NetProxy(echo_server, profile=profile) as proxy, httpx.Client() as client:
        t0 = time.monotonic()
        assert client.post(proxy.url, content=body).content == body
        elapsed = time.monotonic() - t0
    # one RTT for the TCP handshake is not emulated (the proxy accepts at once);
    # the exchange costs one RTT plus both transfers
    expected = 0.2 + 0.4 + 0.2
    assert expected * 0.9 < elapsed < expected + 1.0
    assert proxy.counters.up_bytes > len(body) and proxy.counters.down_bytes > len(body)


def test_a_cut_resets_the_connection_at_the_chosen_byte(echo_server) -> None:
    body = b"y" * 50_000
    with NetProxy(echo_server, cut_after=lambda n: 10_000 if n == 1 else None) as proxy:
        with httpx.Client() as client, pytest.raises(httpx.TransportError):
            client.post(proxy.url, content=body)
        with httpx.Client() as client:
            assert client.post(proxy.url, content=body).content == body
    assert proxy.counters.cuts == 1
    assert proxy.counters.connections == 2
