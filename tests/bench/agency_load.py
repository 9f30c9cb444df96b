"""Agency under load: 200 laptops against ``peerdesk-agency serve --workers 4`` on
PostgreSQL, over HTTP, at once.

Each simulated laptop is a :class:`tests.agency.support.FieldDevice` (its own
Ed25519 and X25519 keys): it enrolls with a one-time code (``POST /v1/enroll``)
and then sends its day's work as a laptop does, one batch after another on its
own connection, each batch signed, its records sealed with HPKE to the agency's
review key (sealing is done before the clock starts), carrying the inbound
cursor of the previous answer. A ``503 busy`` is retried after its
``Retry-After`` as the laptop's sync does (counted as ``busy_retries``), and so
is a transport error (a kept-alive connection closed by the server as it was
reused, counted as ``transport_retries``; up to 3 times per batch); any other
answer than 200, or a batch that still fails, is an error. Afterwards the database must hold exactly
every record once.

The agency is a real ``serve`` child process (uvicorn, 4 workers) on its own
PostgreSQL schema (dropped afterwards); the laptops run in this process
(asyncio, httpx), on the same 2-core machine: read the figures as what the
whole machine sustains, client included.

    python -m tests.bench.agency_load [--laptops 200] [--batches 5] [--notes 20]
        [--workers 4] [--out bench-results/agency_load.json]

``run(out)`` fills ``out["agency_load"]`` for the bench runner (``--only load``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text

from peerdesk.agency import keys
from peerdesk.agency.files import load_code_key
from peerdesk.agency.server import issue_enrollment_code
from peerdesk.agency.storage import Storage, make_engine
from peerdesk.agency.tables import records
from peerdesk.ids import now_utc
from peerdesk.wire.protocol import decode_response
from tests.agency.serve_process import serve, wait_for
from tests.agency.support import (
    PG_URL,
    FieldDevice,
    agency_from_template,
    make_key_template,
    note_payload,
    postgres_problem,
)

GOAL_ERRORS = 0
#: how often one batch is sent again after a transport error before it is an error
TRANSPORT_RETRIES = 3
_WORDS = (
    "Met at the library and worked through the housing application together. "
    "Talked about transport to the clinic; the dial-a-ride needs 48 hours notice. "
    "Practiced the phone call to the landlord; the participant made the call alone. "
    "Reviewed the recovery plan and the coping skills from last week. "
).split()


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(40, 160)))


def _percentile(values: list[float], q: int) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


class Laptop:
    def __init__(self, device: FieldDevice, batches: list[list[Any]]) -> None:
        self.device = device
        self.batches = batches
        self.cursor = 0


async def _enroll(client: httpx.AsyncClient, device: FieldDevice, code: str) -> None:
    answer = await client.post("/v1/enroll", json=device.enroll_json(code))
    if answer.status_code != 200:
        raise RuntimeError(f"enrollment failed: {answer.status_code} {answer.text[:300]}")
    device.accept_enrollment(answer.json())


async def _laptop_day(base: str, laptop: Laptop, stats: dict[str, Any]) -> None:
    """One laptop's batches, one after another on its own connection."""
    device = laptop.device
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=300) as client:
        for recs in laptop.batches:
            raw = device.batch(recs, cursor=laptop.cursor)
            tries = 0
            while True:
                started = time.perf_counter()
                try:
                    answer = await client.post("/v1/sync", content=raw, headers=device.headers())
                except httpx.TransportError as exc:
                    # a kept-alive connection the server closed as it was reused, or a
                    # reset: the laptop's sync sends the same batch again (the batch id
                    # makes that safe), a few times, and so does this
                    tries += 1
                    if tries > TRANSPORT_RETRIES:
                        stats["errors"].append(type(exc).__name__)
                        break
                    stats["transport_retries"] += 1
                    stats["transport_kinds"].add(type(exc).__name__)
                    await asyncio.sleep(0.5 * tries)
                    continue
                stats["latencies"].append(time.perf_counter() - started)
                if answer.status_code == 503 and answer.headers.get("retry-after"):
                    stats["busy_retries"] += 1
                    await asyncio.sleep(min(float(answer.headers["retry-after"]), 2.0))
                    continue
                if answer.status_code != 200:
                    stats["errors"].append(str(answer.status_code))
                    break
                response = decode_response(answer.content)
                stats["acked"] += len(response.acks)
                stats["rejected"] += len(response.rejects)
                laptop.cursor = response.cursor
                break


def run(out: dict[str, Any], *, laptops: int = 200, batches: int = 5, notes: int = 20,
        workers: int = 4, extra: tuple[str, ...] = ()) -> dict[str, Any]:  # fmt: skip
    problem = postgres_problem(PG_URL)
    if problem is not None:
        out["agency_load"] = {"skipped": problem}
        return out["agency_load"]
    schema = f"pdbench_{secrets.token_hex(5)}"
    admin = make_engine(PG_URL, connect_args={"connect_timeout": 5})
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        with tempfile.TemporaryDirectory(prefix="peerdesk-load-") as tmp:
            root = Path(tmp)
            template = make_key_template(root / "template")
            url = f"{PG_URL}?options=-csearch_path%3D{schema}"
            settings = agency_from_template(template, root / "agency", database_url=url)
            storage = Storage.from_url(url)
            try:
                storage.migrate()
                bundle = keys.register_keys(settings, storage, now_utc())
                key = load_code_key(settings)
                codes = [issue_enrollment_code(storage, now_utc(), key=key)[0]
                         for _ in range(laptops)]  # fmt: skip
            finally:
                storage.close()
            result = _measure(settings.directory, bundle, template, codes, batches, notes,
                              workers, url, extra)  # fmt: skip
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    out["agency_load"] = result
    return result


def _measure(directory: Path, bundle: Any, template: Any, codes: list[str], batches: int,
             notes: int, workers: int, url: str, extra: tuple[str, ...]) -> dict[str, Any]:  # fmt: skip
    rng = random.Random(22)
    root_public, root_key_id = template.result.root_public, template.result.root_key_id
    devices = [FieldDevice(root_public, root_key_id, f"Laptop {i}") for i in range(len(codes))]
    with serve(directory, "--workers", str(workers), *extra) as served:
        base = f"http://127.0.0.1:{served.port}"
        wait_for(lambda: _ready(base), "the workers to be ready", timeout=120)

        async def enroll_all() -> float:
            # a few at a time: IT enrolls laptops one by one, and here every laptop has
            # one address, whose attempts hold a slot of its limit (10) while they run
            gate = asyncio.Semaphore(4)

            async def one(device: FieldDevice, code: str) -> None:
                async with gate:
                    await _enroll(client, device, code)

            async with httpx.AsyncClient(base_url=base, timeout=120) as client:
                started = time.perf_counter()
                await asyncio.gather(*(one(d, c) for d, c in zip(devices, codes, strict=True)))
                return time.perf_counter() - started

        enroll_s = asyncio.run(enroll_all())
        # seal every laptop's records before the clock starts (device-side work)
        sealed_at = time.perf_counter()
        laptops = [
            Laptop(d, [[d.record(note_payload(_text(rng))) for _ in range(notes)]
                       for _ in range(batches)])
            for d in devices
        ]  # fmt: skip
        seal_s = time.perf_counter() - sealed_at
        batch_bytes = [len(lp.device.batch(lp.batches[0])) for lp in laptops[:20]]
        stats: dict[str, Any] = {"latencies": [], "errors": [], "busy_retries": 0, "acked": 0,
                                 "rejected": 0, "transport_retries": 0,
                                 "transport_kinds": set()}  # fmt: skip
        load_before = [round(x, 2) for x in os.getloadavg()]

        async def everyone() -> float:
            started = time.perf_counter()
            await asyncio.gather(*(_laptop_day(base, lp, stats) for lp in laptops))
            return time.perf_counter() - started

        cpu0 = os.times()
        wall = asyncio.run(everyone())
        cpu1 = os.times()
        with httpx.Client() as client:
            metrics = client.get(f"{base}/metrics").text
        # uvicorn's supervisor restarts a worker that misses its pings (and drops
        # that worker's connections): say so when it happened
        restarts = served.stderr.read_text("utf-8", "replace").count("died")
    storage = Storage.from_url(url)
    try:
        stored = storage.db.scalar(select(func.count()).select_from(records))
        distinct = storage.db.scalar(
            select(func.count()).select_from(
                select(records.c.device_id, records.c.op_id).distinct().subquery()
            )
        )
    finally:
        storage.close()
    expected = len(laptops) * batches * notes
    lat = [v * 1000 for v in stats["latencies"]]
    requests = len(laptops) * batches
    return {
        "laptops": len(laptops),
        "workers": workers,
        "database": "postgresql",
        "batches_per_laptop": batches,
        "notes_per_batch": notes,
        "batch_bytes_median": int(statistics.median(batch_bytes)),
        "enroll_all_s": round(enroll_s, 2),
        "seal_s_before_clock": round(seal_s, 2),
        "wall_s": round(wall, 2),
        "sync_requests": requests,
        "requests_per_s": round(requests / wall, 1),
        "records_per_s": round(expected / wall),
        "latency_ms_p50": round(statistics.median(lat), 1),
        "latency_ms_p95": round(_percentile(lat, 95), 1),
        "latency_ms_p99": round(_percentile(lat, 99), 1),
        "latency_ms_max": round(max(lat), 1),
        "busy_retries": stats["busy_retries"],
        "transport_retries": stats["transport_retries"],
        "transport_retry_kinds": sorted(stats["transport_kinds"]),
        "worker_restarts": restarts,
        "errors": len(stats["errors"]),
        "error_kinds": sorted(set(stats["errors"])),
        "acked": stats["acked"],
        "rejected": stats["rejected"],
        "records_expected": expected,
        "records_stored": int(stored or 0),
        "records_distinct": int(distinct or 0),
        "client_cpu_s": round((cpu1.user - cpu0.user) + (cpu1.system - cpu0.system), 2),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "metrics_bodies_in_flight_after": _gauge(metrics, "peerdesk_sync_bodies_in_flight"),
        "pass": {
            "no_errors": not stats["errors"] and stats["rejected"] == 0,
            "every_record_once": stored == expected == distinct == stats["acked"],
        },
    }


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=10).status_code == 200
    except httpx.HTTPError:
        return False


def _gauge(text_: str, name: str) -> float | None:
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text_):
        for s in family.samples:
            if s.name == name:
                return float(s.value)
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--laptops", type=int, default=200)
    ap.add_argument("--batches", type=int, default=5)
    ap.add_argument("--notes", type=int, default=20)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--out", type=Path, default=Path("bench-results/agency_load.json"))
    ap.add_argument("--serve-arg", action="append", default=[],
                    help="one more argument for serve (repeat)")  # fmt: skip
    args = ap.parse_args(argv)
    out: dict[str, Any] = {}
    found = run(out, laptops=args.laptops, batches=args.batches, notes=args.notes,
                workers=args.workers, extra=tuple(args.serve_arg))  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0 if "skipped" in found or all(found["pass"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
