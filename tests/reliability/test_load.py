"""Load: 50 laptops syncing at once against two uvicorn worker processes that share
one PostgreSQL on loopback, the way an agency scales out
(``uvicorn --factory peerdesk.agency.app:app_from_env --workers 2``).

Each simulated laptop (tests.agency.support.FieldDevice: real Ed25519 signatures,
HPKE-sealed records) enrolls over HTTP, then sends batches of
:data:`RECORDS_PER_BATCH` records (about 70 KB) back to back for the time budget,
as a laptop emptying its outbox would. Now and then it
does what a laptop on a bad link does: it sends the same batch again (a retry
after a lost answer: the agency must replay its answer) or sends records it sent
before in a new batch (a resumed sync: the agency must acknowledge them with the
sequence numbers it gave them the first time). Afterwards every record any laptop
got an acknowledgement for is in the database exactly once, under that laptop,
with that sequence number, and nothing else is; every request was answered 200.

To keep the one test machine's CPU for the agency, each laptop seals a small set
of records once and re-sends their sealed bytes under new op and entity ids (the
agency cannot open records, so for it they are new records; a reviewer could not
open them, which this test does not need).

Budget: ``PEERDESK_RELIABILITY_LOAD_SECONDS`` (default 15 s times the scale) and
``PEERDESK_RELIABILITY_LOAD_DEVICES`` (default 50, not scaled).
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from peerdesk.agency import keys
from peerdesk.agency.files import load_code_key
from peerdesk.agency.server import issue_enrollment_code
from peerdesk.agency.storage import Storage, make_engine
from peerdesk.ids import new_id, now_utc
from peerdesk.wire.protocol import Record, decode_response
from tests.agency.conftest import key_template, pg_url  # noqa: F401 - fixtures
from tests.agency.support import START, FieldDevice, KeyTemplate, agency_from_template
from tests.reliability.budget import budget, int_budget, record

REPO = Path(__file__).absolute().parents[2]
RECORDS_PER_BATCH = 100
WORKERS = 2


@dataclass
class Laptop:
    device: FieldDevice
    templates: list[Record]
    rng: random.Random
    #: op id -> seq, from the agency's acknowledgements
    acked: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    requests: int = 0
    replays: int = 0
    resends: int = 0
    errors: list[str] = field(default_factory=list)

    def fresh_batch(self) -> tuple[bytes, list[Record]]:
        records = [
            Record(new_id(), t.kind, new_id(), t.key_id, t.dictionary, t.sealed)
            for t in self.rng.choices(self.templates, k=RECORDS_PER_BATCH)
        ]
        return self.device.batch(records), records


@contextmanager
def load_schema(url: str) -> Iterator[str]:
    """A fresh PostgreSQL schema; yields a database URL whose connections use it."""
    schema = f"pdload_{secrets.token_hex(5)}"
    admin = make_engine(url, connect_args={"connect_timeout": 5})
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def uvicorn_workers(agency_dir: Path, database_url: str) -> Iterator[str]:
    """``uvicorn --factory peerdesk.agency.app:app_from_env --workers 2`` on loopback."""
    port = _free_port()
    env = {
        **os.environ,
        "PEERDESK_AGENCY_DIR": str(agency_dir),
        "PEERDESK_AGENCY_DATABASE_URL": database_url,
    }
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "--factory", "peerdesk.agency.app:app_from_env",
            "--workers", str(WORKERS), "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--no-access-log",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=url, timeout=2) as client:
            while True:
                try:
                    if client.get("/v1/ping").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read() if proc.stdout else ""
                    raise AssertionError(f"the agency workers did not start:\n{out[-3000:]}")
                time.sleep(0.2)  # waiting for another process to start listening
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def _work(laptop: Laptop, url: str, stop: float) -> None:
    headers = laptop.device.headers()
    last: tuple[bytes, list[Record], bytes] | None = None
    with httpx.Client(base_url=url, timeout=60) as client:
        while time.monotonic() < stop:
            roll = laptop.rng.random()
            if last is not None and roll < 0.05:
                raw, records, expected = last  # the answer was "lost": same bytes again
                laptop.replays += 1
            elif last is not None and roll < 0.10:
                records = last[1]  # a resumed sync: the same records in a new batch
                raw, expected = laptop.device.batch(records), b""
                laptop.resends += 1
            else:
                raw, records = laptop.fresh_batch()
                expected = b""
            started = time.perf_counter()
            try:
                answer = client.post("/v1/sync", content=raw, headers=headers)
            except httpx.HTTPError as exc:
                laptop.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            laptop.latencies.append(time.perf_counter() - started)
            laptop.requests += 1
            if answer.status_code != 200:
                laptop.errors.append(f"HTTP {answer.status_code}: {answer.content[:200]!r}")
                continue
            if expected and answer.content != expected:
                laptop.errors.append("a replayed batch got another answer")
            response = decode_response(answer.content)
            if response.rejects:
                laptop.errors.append(f"{len(response.rejects)} record(s) rejected")
            acks = {a.op_id: a.seq for a in response.acks}
            if set(acks) != {r.op_id for r in records}:
                laptop.errors.append("not every record of the batch was acknowledged")
            for op, seq in acks.items():
                if laptop.acked.setdefault(op, seq) != seq:
                    laptop.errors.append(f"{op} acknowledged with two sequence numbers")
            last = (raw, records, answer.content)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@pytest.mark.slow
def test_fifty_laptops_sync_at_once_against_two_workers_on_postgresql(
    pg_url: str,  # noqa: F811
    key_template: KeyTemplate,  # noqa: F811
    tmp_path: Path,
) -> None:
    seconds = budget("load_seconds", 15)
    n_devices = int_budget("load_devices", 50, scaled=False)
    with load_schema(pg_url) as database_url:
        settings = agency_from_template(key_template, tmp_path / "agency")
        storage = Storage(make_engine(database_url))
        try:
            storage.migrate()
            keys.register_keys(settings, storage, START)
            key = load_code_key(settings)
            codes = [
                issue_enrollment_code(storage, now_utc(), key=key)[0] for _ in range(n_devices)
            ]
        finally:
            storage.close()
        rng = random.Random(20261123)
        with uvicorn_workers(settings.directory, database_url) as url:
            laptops = []
            with httpx.Client(base_url=url, timeout=30) as client:
                for i, code in enumerate(codes):
                    device = FieldDevice(
                        key_template.result.root_public,
                        key_template.result.root_key_id,
                        f"load laptop {i:02d}",
                    )
                    answer = client.post("/v1/enroll", json=device.enroll_json(code))
                    assert answer.status_code == 200, answer.text
                    device.accept_enrollment(answer.json())
                    templates = [device.note(f"load note {j} of laptop {i}") for j in range(4)]
                    laptops.append(Laptop(device, templates, random.Random(rng.random())))
            started = time.monotonic()
            stop = started + seconds
            threads = [
                threading.Thread(target=_work, args=(lp, url, stop), daemon=True) for lp in laptops
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=seconds + 120)
            elapsed = time.monotonic() - started
            assert not any(t.is_alive() for t in threads), "a laptop is still waiting"
        storage = Storage(make_engine(database_url))
        try:
            lost = duplicated = phantom = 0
            for lp in laptops:
                stored = storage.records.find(device_id=lp.device.device_id, limit=10**7)
                seqs: dict[str, int] = {}
                for rec in stored:
                    duplicated += rec.op_id in seqs
                    seqs[rec.op_id] = rec.seq
                lost += sum(1 for op, seq in lp.acked.items() if seqs.get(op) != seq)
                phantom += len(set(seqs) - set(lp.acked))
            total = storage.records.count()
        finally:
            storage.close()
    errors = [e for lp in laptops for e in lp.errors]
    latencies = [x for lp in laptops for x in lp.latencies]
    acked = sum(len(lp.acked) for lp in laptops)
    figures = {
        "devices": n_devices,
        "workers": WORKERS,
        "records_per_batch": RECORDS_PER_BATCH,
        "seconds": round(elapsed, 1),
        "requests": sum(lp.requests for lp in laptops),
        "replays": sum(lp.replays for lp in laptops),
        "resends": sum(lp.resends for lp in laptops),
        "records": acked,
        "records_per_s": round(acked / elapsed),
        "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
        "errors": len(errors),
        "lost": lost,
        "duplicated": duplicated,
        "unexpected": phantom,
    }
    record("load", **figures)
    assert errors == [], errors[:10]
    assert lost == 0 and duplicated == 0 and phantom == 0
    assert total == acked
    assert all(lp.requests > 0 for lp in laptops), "a laptop never got through"
