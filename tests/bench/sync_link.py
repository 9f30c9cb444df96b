"""Sync over emulated rural links: segments and pipelining against the bound of
one compressed POST, and against one HTTP request per record.

For each link profile (2G, EDGE, 3G; see tests/netproxy.py) a fresh enrolled
profile holds signed notes of varied prose (1-3 KB, :mod:`tests.bench.prose`: a
Markov chain over English text, not templated repeats) and trips: 1,000 notes +
200 trips on 3G and EDGE, 100 + 20 on 2G. The whole outbox is synced through a
shaping proxy in front of a real agency (the demo agency, uvicorn in a child
process, SQLite). The *bound* (issue 17) is the same records as JSON lines,
zstd-compressed as one stream (level 12, no dictionary), sent as one POST
through the same proxy in the same run. Reported per profile:

* sync wall time and bytes up next to the bound's (``vs_bound``), the start-of-sync
  estimate next to the request bytes sent, and the largest request body;

* wall time, HTTP round trips (requests), bytes on the wire (both directions,
  counted by the proxy) and the raw JSON size of the same records;
* the same records sent one HTTP request per record (each its own signed
  batch, same sealing, keep-alive connection). Doing all 1,200 on 2G would take
  half an hour, so ``per_record_sample`` records are sent and the time per
  request is extrapolated linearly (requests are independent and sequential);
  the JSON says so.

Goals (issue 5): <= 2 round trips for a sync that fits one batch, wire bytes <=
0.5x raw JSON, batched >= 50x faster than per-record on EDGE. Goals (issue 17):
wall time <= 1.3x the bound on each link, bytes up <= 1.15x the bound's, the
estimate within 3 % of the request bytes, no request body over the limit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import zstandard

from peerdesk.config import load_provisioning
from peerdesk.crypto.kdf import KdfParams
from peerdesk.demo.samples import note_payload, trip_payload
from peerdesk.domain.models import ContactType, LocationType, NoteDraft, NoteTemplate
from peerdesk.ids import new_id, now_utc, to_iso
from peerdesk.link.client import AgencyClient
from peerdesk.link.sync import BatchSent, SyncFinished, SyncOptions, SyncStarted
from peerdesk.services import ProfileManager, Session
from peerdesk.wire import payloads, segments
from peerdesk.wire.protocol import CONTENT_TYPE, Batch, open_bundle, seal_record
from tests.bench import prose
from tests.netproxy import PROFILES, NetProxy

PASSPHRASE = "benchmark passphrase for the river valley"
GOALS = {
    "round_trips_one_batch": 2,
    "wire_vs_json": 0.5,
    "edge_speedup": 50.0,
    # issue 17
    "wall_vs_bound": 1.3,
    "bytes_up_vs_bound": 1.15,
    "estimate_error": 0.03,
}
#: notes and trips per profile (2G: the 120 records of the issue)
SIZES = {"3G": (1000, 200), "EDGE": (1000, 200), "2G": (100, 20)}


class CountingTransport(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return super().handle_request(request)


@contextmanager
def demo_agency(directory: Path) -> Iterator[dict[str, Any]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "peerdesk.demo.agency", "--dir", str(directory), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())
        yield ready
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def new_code(agency_dir: Path) -> str:
    """A fresh one-time enrollment code from the agency CLI."""
    out = subprocess.run(
        [sys.executable, "-m", "peerdesk.agency.cli", "enroll"],
        env={**os.environ, "PEERDESK_AGENCY_DIR": str(agency_dir)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in out.splitlines():
        if line.startswith("Enrollment code:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError(f"no code in {out!r}")


def seed(
    session: Session, seed_value: int, notes: int, trips: int
) -> tuple[int, list[dict[str, Any]]]:
    """Signed notes of varied prose and trips; their raw JSON size and payloads."""
    rng = random.Random(seed_value)
    person = session.participants.add("Bench Participant").value
    docs: list[dict[str, Any]] = [payloads.participant_payload(person)]
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    drafts = []
    for i in range(notes):
        sample = note_payload(rng)
        template = sample["template"]
        drafts.append(
            NoteDraft(
                participant_id=person.id,
                template=NoteTemplate(template),
                contact_type=ContactType(sample["contact_type"]),
                location_type=LocationType(sample["location_type"]),
                start_at=start + timedelta(hours=i),
                end_at=start + timedelta(hours=i, minutes=45),
                body=prose.note_body(rng, template, rng.randint(1000, 3000)),
                goals=tuple(sample["goals"]),
            )
        )
    session.notes.import_signed(drafts)
    docs += [payloads.note_payload(note) for note in session.notes.list().items]
    for _ in range(trips):
        t = trip_payload(rng)
        trip = session.trips.add(
            date(2026, 11, rng.randint(1, 28)),
            t["purpose"],
            t["destination_type"],
            odometer_start=Decimal(t["odometer_start"]),
            odometer_end=Decimal(t["odometer_end"]),
            destination=t["destination"],
        ).value
        docs.append(payloads.trip_payload(trip))
    return sum(len(json.dumps(d)) for d in docs), docs


def bound(docs: list[dict[str, Any]], proxy: NetProxy, credential: str) -> dict[str, Any]:
    """One zstd-compressed POST of the same records through the same link: the
    agency reads the whole body and refuses it (it is not a batch)."""
    body = zstandard.ZstdCompressor(level=12).compress(
        "\n".join(json.dumps(d) for d in docs).encode()
    )
    up0, down0 = proxy.counters.up_bytes, proxy.counters.down_bytes
    with httpx.Client(timeout=600) as client:
        client.get(proxy.url + "/v1/ping")  # the connection is open, as for the sync
        up1 = proxy.counters.up_bytes
        t0 = time.perf_counter()
        answer = client.post(
            proxy.url + "/v1/sync",
            content=body,
            headers={
                "Content-Type": CONTENT_TYPE,
                "Content-Encoding": "identity",
                "Authorization": f"Bearer {credential}",
            },
        )
        wall = time.perf_counter() - t0
    assert answer.status_code == 400, answer.status_code  # read whole, then refused
    return {
        "wall_s": round(wall, 2),
        "body_bytes": len(body),
        "bytes_up": proxy.counters.up_bytes - up1,
        "wire_bytes": proxy.counters.up_bytes - up0 + proxy.counters.down_bytes - down0,
    }


def enrolled(root: Path, name: str, proxy: NetProxy, agency_dir: Path, prov_path: str) -> Session:
    session = ProfileManager(root=root).create(name, PASSPHRASE, kdf_params=KdfParams.new())
    prov = load_provisioning(prov_path)
    prov = type(prov)(
        prov.agency_name, proxy.url, prov.root_public_key, prov.root_key_id, prov.ca_cert_pem
    )
    session.link.enroll(prov, new_code(agency_dir), f"bench {name}")
    return session


def batched(
    session: Session, proxy: NetProxy, options: SyncOptions | None = None
) -> dict[str, Any]:
    options = options or SyncOptions()
    transport = CountingTransport()
    before_up, before_down = proxy.counters.up_bytes, proxy.counters.down_bytes
    t0 = time.perf_counter()
    batches = 0
    largest = 0
    summary = None
    started = None
    for event in session.link.sync(options, transport=transport):
        if isinstance(event, BatchSent):
            batches += 1
            largest = max(largest, event.bytes)
        elif isinstance(event, SyncStarted):
            started = event
        elif isinstance(event, SyncFinished):
            summary = event.summary
    wall = time.perf_counter() - t0
    assert summary is not None and summary.pending == 0, summary
    assert started is not None
    return {
        "wall_s": round(wall, 2),
        "round_trips": transport.requests,
        "batches": batches,
        "records_acked": summary.acked,
        "bytes_up": proxy.counters.up_bytes - before_up,
        "wire_bytes": proxy.counters.up_bytes - before_up + proxy.counters.down_bytes - before_down,
        "request_bytes": summary.bytes_up,
        "estimated_bytes": started.estimated_bytes,
        "estimate_error": round(
            abs(started.estimated_bytes - summary.bytes_up) / summary.bytes_up, 4
        ),
        "largest_body": largest,
        "batch_bytes": options.batch_bytes,
        "pipeline": options.pipeline,
    }


def per_record(session: Session, proxy: NetProxy, n: int, seed_value: int) -> dict[str, Any]:
    """``n`` records, one request each, through the same proxy (new notes sealed
    the way the engine seals them)."""
    record = session._device.require()
    secrets = session._device.secrets()
    bundle = open_bundle(record.bundle, record.root_key, record.root_key_id)
    review = bundle.current_review
    rng = random.Random(seed_value)
    records = []
    for _ in range(n):
        rec_payload = note_payload(rng)
        records.append(
            seal_record(
                rec_payload,
                device_id=record.device_id,
                kind="note",
                entity_id=new_id(),
                op_id=new_id(),
                key_id=review.key_id,
                recipient_public=review.public,
            )
        )
    before_up, before_down = proxy.counters.up_bytes, proxy.counters.down_bytes
    with AgencyClient(proxy.url, credential=secrets.credential) as client:
        client.ping()  # open the keep-alive connection first, as the batched run has one
        t0 = time.perf_counter()
        for rec in records:
            body = Batch(record.device_id, new_id(), 0, (rec,), to_iso(now_utc())).encode(
                secrets.signing
            )
            response = client.sync(body)
            assert len(response.acks) == 1
        wall = time.perf_counter() - t0
    return {
        "sample_records": n,
        "sample_wall_s": round(wall, 2),
        "per_request_s": round(wall / n, 3),
        "sample_wire_bytes": proxy.counters.up_bytes
        - before_up
        + proxy.counters.down_bytes
        - before_down,
    }


def run(
    out: dict[str, Any],
    *,
    scale: float = 1.0,
    sample: int = 10,
    options: SyncOptions | None = None,
    profiles: tuple[str, ...] = tuple(PROFILES),
) -> None:
    result: dict[str, Any] = {
        "data": prose.describe(),
        "segment_level": segments.SEGMENT_LEVEL,
        "profiles": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        agency_dir = root / "agency"
        with demo_agency(agency_dir) as ready:
            for name, link in PROFILES.items():
                if name not in profiles:
                    continue
                notes, trips = (max(1, int(n * scale)) for n in SIZES[name])
                with NetProxy(("127.0.0.1", ready["port"])) as proxy:
                    session = enrolled(
                        root / "profiles", name, proxy, agency_dir, ready["provisioning"]
                    )
                    # the escrow record made at enrollment goes first, unshaped
                    for _ in session.link.sync(SyncOptions()):
                        pass
                    raw_json, docs = seed(session, 2, notes, trips)
                    proxy.profile = link
                    b = batched(session, proxy, options)
                    credential = session._device.secrets().credential
                    one = bound(docs, proxy, credential)
                    p = per_record(session, proxy, sample, 3)
                    session.close()
                records = len(docs)
                per_record_total = p["per_request_s"] * records
                entry = {
                    "link": {"down_bps": link.down_bps, "up_bps": link.up_bps, "rtt_s": link.rtt_s},
                    "notes": notes,
                    "trips": trips,
                    "raw_json_bytes": raw_json,
                    "batched": b,
                    "bound": one,
                    "wall_vs_bound": round(b["wall_s"] / one["wall_s"], 3),
                    "bytes_up_vs_bound": round(b["bytes_up"] / one["bytes_up"], 3),
                    "wire_vs_json": round(b["wire_bytes"] / raw_json, 3),
                    "per_record": {
                        **p,
                        "extrapolated_wall_s": round(per_record_total, 1),
                        "method": "sample of requests, time per request x record count",
                    },
                    "speedup": round(per_record_total / b["wall_s"], 1),
                }
                result["profiles"][name] = entry
                print(
                    f"{name}: {b['wall_s']} s vs bound {one['wall_s']} s "
                    f"({entry['wall_vs_bound']}x), up {b['bytes_up']} B vs {one['bytes_up']} B "
                    f"({entry['bytes_up_vs_bound']}x), {b['round_trips']} requests, "
                    f"estimate off {b['estimate_error']:.2%}",
                    flush=True,
                )
            # a sync that fits one batch: 50 notes on EDGE
            with NetProxy(("127.0.0.1", ready["port"])) as proxy:
                session = enrolled(
                    root / "profiles", "one-batch", proxy, agency_dir, ready["provisioning"]
                )
                for _ in session.link.sync(SyncOptions()):
                    pass
                seed(session, 4, 50, 10)
                proxy.profile = PROFILES["EDGE"]
                single = batched(session, proxy)
                session.close()
            result["one_batch"] = single
    edge = result["profiles"].get("EDGE", {"speedup": 0.0})
    profiles = result["profiles"].values()
    result["goals"] = GOALS
    result["pass"] = {
        "round_trips_one_batch": result["one_batch"]["round_trips"]
        <= GOALS["round_trips_one_batch"],
        "wire_vs_json": all(e["wire_vs_json"] <= GOALS["wire_vs_json"] for e in profiles),
        "edge_speedup": edge["speedup"] >= GOALS["edge_speedup"],
        "wall_vs_bound": all(e["wall_vs_bound"] <= GOALS["wall_vs_bound"] for e in profiles),
        "bytes_up_vs_bound": all(
            e["bytes_up_vs_bound"] <= GOALS["bytes_up_vs_bound"] for e in profiles
        ),
        "estimate_error": all(
            e["batched"]["estimate_error"] <= GOALS["estimate_error"] for e in profiles
        ),
        "body_within_limit": all(
            e["batched"]["largest_body"] <= e["batched"]["batch_bytes"] for e in profiles
        ),
    }
    out["sync_link"] = result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench-results/sync_link.json")
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the records")
    ap.add_argument("--sample", type=int, default=10)
    ap.add_argument("--batch-kib", type=int, default=0, help="batch_bytes (0: the default)")
    ap.add_argument("--pipeline", type=int, default=0, help="batches on the wire (0: default)")
    ap.add_argument("--profiles", default=",".join(PROFILES))
    ap.add_argument("--segment-level", type=int, default=0, help="zstd level (0: the default)")
    args = ap.parse_args()
    if args.segment_level:
        segments.SEGMENT_LEVEL = args.segment_level
    out: dict[str, Any] = {}
    base = SyncOptions()
    options = SyncOptions(
        batch_bytes=args.batch_kib * 1024 or base.batch_bytes,
        pipeline=args.pipeline or base.pipeline,
    )
    run(
        out,
        scale=args.scale,
        sample=args.sample,
        options=options,
        profiles=tuple(args.profiles.split(",")),
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out["sync_link"]["pass"]))


if __name__ == "__main__":
    main()
