"""Agency ingest throughput: records/s the server stores, SQLite and PostgreSQL side
by side in one run (alternating rounds, medians), on one core.

Each round ingests the same pre-built, signed batches of realistic sealed note
records (~1000 per batch) into a fresh database, through

* ``server``: :meth:`AgencyServer.sync` - exactly what ``POST /v1/sync`` runs:
  decode_batch, credential lookup, Ed25519 verification, idempotency claim, key
  policy, one dedup query, bulk insert, inbound page, stored response;
* ``http``: the same through the ASGI app (FastAPI, body cap, threadpool) with
  httpx's ASGITransport, one request after another.

and each path twice: with the records sealed one by one (the form laptops sent
before issue 17) and in sealed segments (``*_segments``: the batch's records of one
kind compressed together and sealed once; the agency stores the segment once
plus a routing row per record). Goal: >= 20,000 records/s for records sealed
one by one, >= 50,000 records/s per core with segments (issue 17). Sealing the
records (device side) is done before the clock starts. Reported per path:
``*_records_per_s`` (wall clock, one request after another),
``*_records_per_cpu_s`` (records per CPU second of this process, i.e. what one API
worker core sustains) and ``*_records_per_cpu_s_with_db`` (per CPU second of this
process *and* the local PostgreSQL server's processes, read from /proc: what the
records cost the agency machine in all; for SQLite the same as the previous).
``segments_meet_goal`` judges the agency's core (``*_records_per_cpu_s``),
``segments_meet_goal_with_db`` the whole cost. ``load_average_after`` says how busy
the machine was.

    python -m tests.bench.agency_ingest [--records 20000] [--batch 1000] [--rounds 3]
        [--out bench-results/agency_ingest.json]

``run(out)`` fills ``out["agency_ingest"]`` for the bench runner.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx

from peerdesk.agency import keys
from peerdesk.agency.app import create_app
from peerdesk.agency.files import create_code_key
from peerdesk.agency.models import NewDevice
from peerdesk.agency.server import AgencyServer, hash_code, hash_credential
from peerdesk.agency.settings import AgencySettings
from peerdesk.agency.storage import Storage
from peerdesk.crypto.kdf import KdfParams
from peerdesk.ids import new_id, now_utc, to_iso
from peerdesk.wire.protocol import CONTENT_TYPE, Batch, chunk_by_bytes, decode_response
from peerdesk.wire.segments import pack_payload, seal_segment
from tests.agency.support import (
    PG_URL,
    RECOVERY_PASSPHRASE,
    SUPERVISOR_PASSPHRASE,
    FieldDevice,
    note_payload,
    postgres_problem,
    postgres_schema,
    sqlite_file,
)

GOAL_RECORDS_PER_S = 20_000
GOAL_SEGMENT_RECORDS_PER_S = 50_000
CREDENTIAL = "bench-credential-" + "x" * 40
_SENTENCES = [
    "Met at the library and worked through the housing application together.",
    "Talked about transport to the clinic; the dial-a-ride needs 48 hours notice.",
    "Practiced the phone call to the landlord; participant made the call alone.",
    "Reviewed the recovery plan and the coping skills from last week.",
    "Drove to the county office to hand in the heating assistance form.",
    "Participant reported better sleep since the new work schedule started.",
    "Discussed the Saturday recovery meeting and who could give a ride.",
    "Looked up food bank hours and wrote them on the fridge calendar.",
]


@contextlib.contextmanager
def _one_core() -> Iterator[list[int]]:
    """Run this process on one CPU (where the OS allows), then restore its affinity
    (the bench runner calls :func:`run` in its own process)."""
    if not hasattr(os, "sched_setaffinity"):
        yield []
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        yield sorted(os.sched_getaffinity(0))
    finally:
        os.sched_setaffinity(0, before)


def _postgres_cpu_s() -> float:
    """CPU seconds used so far by the local PostgreSQL server's processes (its
    backends, WAL writer, checkpointer...), read from /proc; 0.0 where there is no
    /proc or the server runs elsewhere (then the ``*_with_db`` figures equal the
    agency's own)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm", encoding="ascii", errors="replace") as f:
                if f.read().strip() != "postgres":
                    continue
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _no_db_cpu() -> float:
    return 0.0


def _records_text(rng: random.Random) -> str:
    return " ".join(rng.choice(_SENTENCES) for _ in range(rng.randint(3, 8)))


class Workload:
    """An initialised agency directory (keys) and signed batches from one device."""

    def __init__(self, root: Path, records: int, batch_size: int) -> None:
        self.settings = AgencySettings.create(
            root / "agency", name="Bench Agency", public_url="https://agency.example.org"
        )
        result = keys.create_keys(
            self.settings,
            supervisor_passphrase=SUPERVISOR_PASSPHRASE,
            recovery_passphrase=RECOVERY_PASSPHRASE,
            now=now_utc(),
            kdf_params=KdfParams.new(),
        )
        self.device = FieldDevice(result.root_public, result.root_key_id, "Bench laptop")
        self.records = records
        # the bundle the device seals to: made in a scratch database once
        with sqlite_file(root / "scratch.db") as factory:
            scratch = factory()
            scratch.migrate()
            self.device.set_bundle(keys.register_keys(self.settings, scratch, now_utc()))
        rng = random.Random(7)
        sealed = [self.device.note(_records_text(rng)) for _ in range(records)]
        self.record_bytes = statistics.median(len(r.sealed) for r in sealed)
        self.batches = [
            self.device.batch(sealed[i : i + batch_size]) for i in range(0, records, batch_size)
        ]
        # what the device would actually send at the default 256 KiB cap, for reference
        self.default_cap_batches = sum(1 for _ in chunk_by_bytes(sealed, 256 * 1024))
        # the same notes in segments: one segment per batch of ``batch_size`` records
        assert self.device._bundle is not None
        review = self.device._bundle.current_review
        self.segment_batches = []
        rng = random.Random(7)
        for start in range(0, records, batch_size):
            docs = [
                note_payload(_records_text(rng)) for _ in range(min(batch_size, records - start))
            ]
            seg = seal_segment(
                [pack_payload(d) for d in docs],
                [(new_id(), new_id()) for _ in docs],
                device_id=self.device.device_id,
                kind="note",
                key_id=review.key_id,
                recipient_public=review.public,
            )
            batch = Batch(self.device.device_id, new_id(), 0, (), "2026-05-04T09:30:00Z", (seg,))
            self.segment_batches.append(batch.encode(self.device.sign))

    def prepare(self, storage: Storage) -> None:
        """A fresh database with the agency keys and the enrolled device."""
        storage.migrate()
        now = now_utc()
        keys.register_keys(self.settings, storage, now)
        code = "BENCHCODE1"
        storage.codes.add(
            hash_code(code), created_at=to_iso(now), expires_at="9999-12-31T00:00:00.000+00:00"
        )
        storage.devices.enroll(
            hash_code(code),
            NewDevice(
                self.device.device_id,
                self.device.label,
                self.device.sign.public_raw,
                self.device.box.public_raw,
            ),
            hash_credential(CREDENTIAL),
            now,
        )

    def check(self, responses: list[bytes], storage: Storage) -> None:
        acks = sum(len(decode_response(r).acks) for r in responses)
        assert acks == self.records, f"{acks} acks for {self.records} records"
        assert storage.records.count() == self.records


#: (records per wall second, per CPU second of this process, per CPU second of this
#: process and the database server together)
Rates = tuple[float, float, float]


def _rates(work: Workload, elapsed: float, cpu: float, db_cpu: float) -> Rates:
    return work.records / elapsed, work.records / cpu, work.records / (cpu + db_cpu)


def _server_round(
    work: Workload, storage: Storage, batches: list[bytes], db_cpu: Callable[[], float]
) -> Rates:
    server = AgencyServer(storage, name=work.settings.name, code_key=create_code_key(work.settings))
    auth = f"Bearer {CREDENTIAL}"
    t0, c0, d0 = time.perf_counter(), time.process_time(), db_cpu()
    responses = [server.sync(raw, auth) for raw in batches]
    elapsed, cpu, dbs = time.perf_counter() - t0, time.process_time() - c0, db_cpu() - d0
    work.check(responses, storage)
    return _rates(work, elapsed, cpu, dbs)


def _http_round(
    work: Workload, storage: Storage, batches: list[bytes], db_cpu: Callable[[], float]
) -> Rates:
    app = create_app(work.settings, storage=storage)
    headers = {"Content-Type": CONTENT_TYPE, "Authorization": f"Bearer {CREDENTIAL}"}

    async def send_all() -> tuple[float, float, float, list[bytes]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://agency") as client:
            t0, c0, d0 = time.perf_counter(), time.process_time(), db_cpu()
            out = []
            for raw in batches:
                answer = await client.post("/v1/sync", content=raw, headers=headers)
                assert answer.status_code == 200, answer.status_code
                out.append(answer.content)
            return time.perf_counter() - t0, time.process_time() - c0, db_cpu() - d0, out

    elapsed, cpu, dbs, responses = asyncio.run(send_all())
    work.check(responses, storage)
    return _rates(work, elapsed, cpu, dbs)


def _backends(
    root: Path, pg_url: str | None
) -> dict[str, Callable[[int], AbstractContextManager[Storage]]]:
    @contextlib.contextmanager
    def sqlite(i: int) -> Iterator[Storage]:
        with sqlite_file(root / f"round-{i}.db") as factory:
            yield factory()

    found: dict[str, Callable[[int], AbstractContextManager[Storage]]] = {"sqlite": sqlite}
    if pg_url is not None:

        @contextlib.contextmanager
        def postgresql(_i: int) -> Iterator[Storage]:
            with postgres_schema(pg_url) as factory:
                yield factory()

        found["postgresql"] = postgresql
    return found


def run(
    out: dict[str, Any],
    *,
    records: int = 20_000,
    batch_size: int = 1000,
    rounds: int = 3,
    pg_url: str = PG_URL,
) -> dict[str, Any]:
    """Measure and put the figures into ``out["agency_ingest"]`` (also returned)."""
    problem = postgres_problem(pg_url)
    with _one_core() as cpus, tempfile.TemporaryDirectory(prefix="peerdesk-bench-") as tmp:
        root = Path(tmp)
        work = Workload(root, records, batch_size)
        backends = _backends(root, None if problem else pg_url)
        rates: dict[str, list[Rates]] = {}
        n = 0
        for r in range(rounds):
            order = list(backends) if r % 2 == 0 else list(reversed(backends))
            for name in order:
                for path, measure in (("server", _server_round), ("http", _http_round)):
                    for form, batches in (("", work.batches), ("_segments", work.segment_batches)):
                        n += 1
                        with backends[name](n) as storage:
                            work.prepare(storage)
                            db_cpu = _postgres_cpu_s if name == "postgresql" else _no_db_cpu
                            rates.setdefault(f"{name}_{path}{form}", []).append(
                                measure(work, storage, batches, db_cpu)
                            )
    result: dict[str, Any] = {
        "records_per_round": records,
        "batch_records": batch_size,
        "batches_per_round": len(work.batches),
        "rounds": rounds,
        "sealed_record_bytes_median": work.record_bytes,
        "batch_request_bytes_median": statistics.median(len(b) for b in work.batches),
        "segment_batch_request_bytes_median": statistics.median(
            len(b) for b in work.segment_batches
        ),
        "batches_at_default_256k_cap": work.default_cap_batches,
        "cpu_affinity": cpus,
        "goal_records_per_s": GOAL_RECORDS_PER_S,
        "goal_segment_records_per_s": GOAL_SEGMENT_RECORDS_PER_S,
        "python": platform.python_version(),
    }
    for key, values in sorted(rates.items()):
        result[f"{key}_records_per_s"] = round(statistics.median(w for w, _, _ in values))
        result[f"{key}_records_per_s_all"] = [round(w) for w, _, _ in values]
        result[f"{key}_records_per_cpu_s"] = round(statistics.median(c for _, c, _ in values))
        result[f"{key}_records_per_cpu_s_with_db"] = round(
            statistics.median(t for _, _, t in values)
        )
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if problem:
        result["postgresql"] = f"skipped: {problem}"
    result["meets_goal"] = all(
        v >= GOAL_RECORDS_PER_S for k, v in result.items() if k.endswith("_records_per_s")
    )
    for goal, suffix in (
        ("segments_meet_goal", "_segments_records_per_cpu_s"),
        ("segments_meet_goal_with_db", "_segments_records_per_cpu_s_with_db"),
    ):
        result[goal] = all(
            v >= GOAL_SEGMENT_RECORDS_PER_S for k, v in result.items() if k.endswith(suffix)
        )
    out["agency_ingest"] = result
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--out", default="bench-results/agency_ingest.json")
    args = parser.parse_args(argv)
    out: dict[str, Any] = {}
    run(out, records=args.records, batch_size=args.batch, rounds=args.rounds, pg_url=args.pg_url)
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
