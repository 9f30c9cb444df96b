"""The statewide directory on a laptop (issue 17): 50,000 services downloaded in
signed chunks over an emulated EDGE link, a 1,000-change delta after it, a
resume after a cut, and search on the laptop afterwards.

The directory is the HSDS bench's (``tests.bench.hsds_import``: the generated,
varied directory of ``tests.bench.directory`` plus random HSDS 3 extra fields).
A real agency runs (the demo agency, uvicorn in a child process, SQLite); the
directory is published with ``peerdesk-agency directory import`` as an agency
would. The laptops are real enrolled profiles syncing through the link emulator
(``tests/netproxy.py``, the same EDGE profile as ``tests.bench.sync_link``:
240 kbit/s down, 200 kbit/s up, 840 ms RTT). Measured:

* **full download on EDGE**: wall time of the sync that downloads and applies
  version 1 (50,000 services), bytes on the wire (proxy counters), chunks, and
  how long the laptop took to read and apply the update once it was in;
* **delta on EDGE**: 1,000 changes (600 updated, 200 added, 200 removed)
  published as version 2, the sync that takes them: wall time and bytes;
* **resume after a cut**: a second laptop's download is cut (connection reset)
  at about 40% of the bytes, with no retry in that run; the next sync resumes.
  Bytes re-downloaded = the down bytes of both runs minus those of the uncut
  download on the first laptop (same manifest); goal: at most one chunk. Run on
  an unshaped link (the bytes are the point, not the time);
* **search p95 on the laptop** with the 50,000 services as downloaded (the
  keystroke prefixes of ``tests.bench.directory``'s common and rare terms, and
  the typo queries): goal p95 < 20 ms.

    python -m tests.bench.directory_download [--services 50000] [--link EDGE]
        [--out bench-results/directory_download.json]

``run(out)`` fills ``out["directory_download"]`` for the bench runner.
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
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from peerdesk.domain.directory import Dataset, Service
from peerdesk.interop import hsds
from peerdesk.link.directory_download import DirectoryProgress
from peerdesk.link.sync import SyncFinished, SyncOptions
from peerdesk.services import Session
from peerdesk.wire import directory_chunks
from tests.bench.directory import COMMON_TERMS, TYPOS, _keystrokes, _stats, _timed, generate
from tests.bench.hsds_import import _with_extras
from tests.bench.sync_link import demo_agency, enrolled
from tests.netproxy import PROFILES, NetProxy

GOALS = {"search_p95_ms": 20.0, "resume_redownload_max_chunks": 1.0, "edge_full_minutes": 20.0}


def _publish(agency_dir: Path, path: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "peerdesk.agency.cli", "directory", "import", str(path)],
        env={**os.environ, "PEERDESK_AGENCY_DIR": str(agency_dir)},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"publication failed: {done.stderr[-2000:]}")
    return {"publish_s": round(time.perf_counter() - t0, 1), "said": done.stdout.strip()[-300:]}


def _thousand_changes(dataset: Dataset, rng: random.Random) -> Dataset:
    services = list(dataset.services)
    picked = rng.sample(range(len(services)), 800)
    for i in picked[:600]:
        s = services[i]
        services[i] = replace(
            s, name=s.name + " Annex", description=s.description + " Hours changed."
        )
    removed = set(picked[600:])
    kept: list[Service] = [s for i, s in enumerate(services) if i not in removed]
    for j in range(200):
        template = services[rng.randrange(len(services))]
        new_id = str(uuid.UUID(int=rng.getrandbits(128)))
        kept.append(
            replace(
                template,
                id=new_id,
                name=f"New Program {j}",
                phones=(),
                schedules=(),
                service_areas=(),
                languages=(),
                service_at_locations=(),
                attributes=(),
                extra="",
            )
        )
    return replace(dataset, services=tuple(kept))


def _sync(session: Session, proxy: NetProxy, **options: Any) -> dict[str, Any]:
    up0, down0 = proxy.counters.up_bytes, proxy.counters.down_bytes
    t0 = time.perf_counter()
    last: DirectoryProgress | None = None
    first: DirectoryProgress | None = None
    got_all_at: float | None = None
    summary = None
    error = None
    try:
        for event in session.link.sync(SyncOptions(**options)):
            if isinstance(event, DirectoryProgress):
                first = first or event
                last = event
                if event.chunks_done == event.chunks_total:
                    got_all_at = time.perf_counter()
            elif isinstance(event, SyncFinished):
                summary = event.summary
    except Exception as exc:  # noqa: BLE001 - the cut run is expected to fail
        error = f"{type(exc).__name__}: {exc}"[:300]
    end = time.perf_counter()
    out: dict[str, Any] = {
        "wall_s": round(end - t0, 1),
        "down_bytes": proxy.counters.down_bytes - down0,
        "up_bytes": proxy.counters.up_bytes - up0,
    }
    if last is not None:
        out["chunks"] = f"{last.chunks_done}/{last.chunks_total}"
        out["download_bytes"] = last.bytes_total
        out["full"] = last.full
        out["started_at_chunk"] = first.chunks_done if first else 0
    if got_all_at is not None:
        out["read_and_apply_s"] = round(end - got_all_at, 1)
    if summary is not None:
        out["directory_updates"] = summary.directory_updates
    if error is not None:
        out["error"] = error
    return out


def _search(session: Session, rare: list[str], repeats: int = 3) -> dict[str, Any]:
    store = session._stores.directory
    for q in ("food", "pantry", "zzz"):  # warm the page cache
        store.search(q)

    def measure(queries: list[str]) -> tuple[dict[str, float], list[float]]:
        samples: list[float] = []
        for q in queries:
            samples += _timed(lambda q=q: store.search(q), repeats)
        return _stats(samples), samples

    common = [p for t in COMMON_TERMS for p in _keystrokes(t)]
    common_stats, s1 = measure(common)
    rare_stats, s2 = measure([p for t in rare for p in _keystrokes(t)])
    typo_stats, s3 = measure(TYPOS)
    return {
        "services": store.count(),
        "common": common_stats,
        "rare": rare_stats,
        "typo": typo_stats,
        "all": _stats(s1 + s2 + s3),
    }


def run(out: dict[str, Any], *, services: int = 50_000, link: str = "EDGE") -> dict[str, Any]:
    result: dict[str, Any] = {
        "services": services,
        "chunk_raw_bytes": directory_chunks.CHUNK_RAW,
        "max_chunk_bytes": directory_chunks.MAX_CHUNK_BYTES,
    }
    profile = PROFILES[link]
    result["link"] = {
        "name": link,
        "down_bps": profile.down_bps,
        "up_bps": profile.up_bps,
        "rtt_s": profile.rtt_s,
    }
    t0 = time.perf_counter()
    base, rare = generate(services)
    dataset = _with_extras(base)
    result["generate_s"] = round(time.perf_counter() - t0, 1)
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-dirdl-") as tmp:
        root = Path(tmp)
        agency_dir = root / "agency"
        v1_path, v2_path = root / "v1.json", root / "v2.json"
        hsds.save_export_json(dataset, v1_path)
        hsds.save_export_json(_thousand_changes(dataset, random.Random(17)), v2_path)
        with demo_agency(agency_dir) as ready:
            with NetProxy(("127.0.0.1", ready["port"])) as proxy:
                first = enrolled(
                    root / "profiles", "first", proxy, agency_dir, ready["provisioning"]
                )
                second = enrolled(
                    root / "profiles", "second", proxy, agency_dir, ready["provisioning"]
                )
                for s in (first, second):  # the escrow records, unshaped
                    for _ in s.link.sync(SyncOptions()):
                        pass
                result["publish_v1"] = _publish(agency_dir, v1_path)

                proxy.profile = profile
                full = _sync(first, proxy)
                result["full_download"] = full
                assert first.directory.count() == services, full

                result["search_on_laptop"] = _search(first, rare)

                result["publish_v2_1000_changes"] = _publish(agency_dir, v2_path)
                delta = _sync(first, proxy)
                result["delta_download"] = delta
                assert first.directory.version() == 2, delta

                # resume: the second laptop (still without the directory) on an unshaped
                # link, its connection reset at about 40% of the full download
                proxy.profile = None
                cut_at = int(full["down_bytes"] * 0.4) + directory_chunks.CHUNK_RAW // 7
                next_conn = proxy.counters.connections + 1
                proxy.cut_after = lambda n: cut_at if n == next_conn else None
                cut = _sync(second, proxy, max_attempts=1)
                proxy.cut_after = None
                resumed = _sync(second, proxy)
                assert (
                    second.directory.version() == 2
                    and second.directory.count() == first.directory.count()
                ), resumed
                # the second laptop took version 2 in full: compare with a full download of
                # the same manifest size rather than version 1's
                wasted = (
                    cut["down_bytes"]
                    + resumed["down_bytes"]
                    - resumed.get("download_bytes", 0)
                    - (full["down_bytes"] - full.get("download_bytes", 0))
                )
                result["resume_after_cut"] = {
                    "cut_at_byte": cut_at,
                    "cut_run": cut,
                    "resumed_run": resumed,
                    "redownloaded_bytes": wasted,
                    "chunks_kept_before_cut": cut.get("chunks", "").split("/")[0],
                    "resumed_from_chunk": resumed.get("started_at_chunk"),
                    "method": (
                        "down bytes of the cut run and the resumed run, minus the "
                        "download's chunk bytes, minus the non-chunk bytes of an uncut "
                        "full-download sync"
                    ),
                }
                first.close()
                second.close()
    largest_chunk = directory_chunks.MAX_CHUNK_BYTES
    result["goals"] = GOALS
    result["pass"] = {
        "search_p95_ms": result["search_on_laptop"]["all"]["p95_ms"] < GOALS["search_p95_ms"],
        "resume_redownload_max_chunks": result["resume_after_cut"]["redownloaded_bytes"]
        <= largest_chunk,
        "edge_full_minutes": result["full_download"]["wall_s"] / 60 < GOALS["edge_full_minutes"],
    }
    out["directory_download"] = result
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=50_000)
    parser.add_argument("--link", default="EDGE", choices=sorted(PROFILES))
    parser.add_argument("--out", default="bench-results/directory_download.json")
    args = parser.parse_args(argv)
    out: dict[str, Any] = {}
    run(out, services=args.services, link=args.link)
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
