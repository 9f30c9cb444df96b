"""A real ``peerdesk-agency serve`` in a child process, and a raw HTTP/1.1 client
that can hold hundreds of requests open at once (for test_serve_attacks.py)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_LISTENING = re.compile(rb"Uvicorn running on https?://127\.0\.0\.1:(\d+)")


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    """Poll ``condition`` until it returns something true (a deadline, not a sleep
    the test depends on: it returns as soon as the condition holds)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    directory: Path
    stderr: Path

    def rss_kib(self) -> int:
        """The worker's resident memory (VmRSS of /proc/<pid>/status), KiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)[1])  # type: ignore[index]

    def log_events(self) -> list[dict[str, Any]]:
        """The JSON lines of the agency's log."""
        path = self.directory / "logs" / "peerdesk.log"
        if not path.exists():
            return []
        out = []
        for line in path.read_text("utf-8").splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out


@contextmanager
def serve(directory: Path, *extra: str) -> Iterator[Served]:
    """``python -m peerdesk.agency.cli serve --dir DIR --port 0 EXTRA...``, waited
    for until it listens; stopped (SIGTERM, then SIGKILL) afterwards."""
    stderr = directory.parent / f"serve-{os.getpid()}-{time.monotonic_ns()}.err"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    with open(stderr, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "peerdesk.agency.cli", "serve", "--dir", str(directory),
             "--port", "0", "--log-level", "info", *extra],
            stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=root,
        )  # fmt: skip
    try:

        def listening() -> int | None:
            if process.poll() is not None:
                raise AssertionError(f"serve exited: {stderr.read_bytes()[-2000:]!r}")
            found = _LISTENING.search(stderr.read_bytes())
            return int(found[1]) if found else None

        port = wait_for(listening, "serve to listen")
        yield Served(process, port, directory, stderr)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)


async def _one(port: int, head: bytes, body: bytes) -> int:
    """One request; its status, or 0 when the server cut the connection first."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def write() -> None:
        try:
            writer.write(head)
            for i in range(0, len(body), 256 * 1024):
                writer.write(body[i : i + 256 * 1024])
                await writer.drain()
        except (ConnectionError, OSError):
            pass  # the server answered and closed: what it answered is what counts

    sending = asyncio.create_task(write())
    try:
        line = await reader.readline()
        await sending
    except (ConnectionError, OSError):
        line = b""
    finally:
        sending.cancel()
        writer.close()
    parts = line.split()
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0


def post_many(
    port: int,
    path: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    count: int,
    timeout: float = 300.0,
) -> list[int]:
    """``count`` POSTs of ``body`` sent at once, each on its own connection; their
    statuses."""
    lines = [f"POST {path} HTTP/1.1", "Host: agency.test", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()

    async def main() -> list[int]:
        calls = [_one(port, head, body) for _ in range(count)]
        return list(await asyncio.wait_for(asyncio.gather(*calls), timeout))

    return asyncio.run(main())
