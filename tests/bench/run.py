"""``make bench``: storage and vault figures, written as JSON.

Everything that is compared is measured side by side in one run (alternating
rounds, medians), because this machine is noisy: read the ratios, not the
absolute times.

* bulk insert of N encrypted, signed, journaled notes (records/s) vs the same
  code path with encryption replaced by plain msgpack (the overhead ratio);
* single save latency (autosave of a draft, one committed transaction with
  synchronous=FULL), p50/p95;
* unlock time at the default Argon2id parameters (m=64 MiB, t=3, p=4) and at the
  parameters calibrated for this machine;
* the desktop app (``tests/bench/desktop.py``, child processes, offscreen Qt): time
  from process spawn to the unlocked main window's first paint with 10,000
  notes, and with 100,000 notes the first page of the notes list after unlock,
  scrolling to the end (rows/s) and peak RSS, beside reading everything at once.

* event-loop responsiveness (``tests/bench/responsiveness.py``, part of ``ui``): the
  longest gap of a 10 ms probe timer while 10,000 notes load into the notes screen
  and while a long job decrypts them all three times (goal: under 100 ms), with
  the list as it was before paging as the probe's own check.

* supervisor review (``tests/bench/review.py``): the review queue's first page
  right after unlock with 50,000 synced notes from 20 laptops, beside decrypting
  every line; billing + mileage reports for a month of 20 peers.

* HSDS 3 at the agency (``tests/bench/hsds_import.py``, ``--only hsds``): import of
  50,000 services as JSON and as the CSV package, the publication plan (the diff)
  and the publication of an edited copy.

* the agency under load (``tests/bench/agency_load.py``, ``--only load``): 200
  enrolled laptops syncing their batches at once against ``serve --workers 4`` on
  PostgreSQL: p50/p95 latency, throughput, errors (goal: none), every record once.
* the statewide directory on a laptop (``tests/bench/directory_download.py``,
  ``--only directory_download``): 50,000 services downloaded in signed chunks on
  emulated EDGE, a 1,000-change delta, a resume after a cut, search p95 after.

``--only storage`` or ``--only ui`` runs one half; ``--only review`` the review bench,
``--only responsiveness`` the event-loop figures alone.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgpack

from peerdesk.crypto.kdf import KdfParams, calibrate
from peerdesk.domain.models import ContactType, LocationType, NoteDraft, NoteTemplate
from peerdesk.services import ProfileManager, Session
from peerdesk.store.notes import NoteRepo

PASSPHRASE = "benchmark passphrase for the river valley"
GOALS = {
    "bulk_notes_per_s": 20_000,
    "save_p95_ms": 15.0,
    "encryption_overhead_ratio": 2.0,
    "startup_to_window_s": 1.5,
    "first_page_ms": 100.0,
    "event_loop_max_gap_ms": 100.0,
}


class PlainNoteRepo(NoteRepo):
    """Identical to NoteRepo except that values are packed, not encrypted."""

    def seal(self, record_id: str, field_name: str, value: Any, table: str | None = None) -> bytes:
        return msgpack.packb(value, use_bin_type=True)


def _session(root: Path, name: str) -> Session:
    return ProfileManager(root=root).create(name, PASSPHRASE, kdf_params=KdfParams.new())


def _drafts(participant_id: str, n: int) -> list[NoteDraft]:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    text = (
        "Met at the library. Talked through the housing application and the barriers "
        "with transport; practiced the phone call to the landlord together. "
    )
    return [
        NoteDraft(
            participant_id=participant_id,
            template=NoteTemplate.GIRP,
            contact_type=ContactType.IN_PERSON,
            location_type=LocationType.COMMUNITY,
            start_at=start + timedelta(hours=i),
            end_at=start + timedelta(hours=i, minutes=45),
            body={
                "goal": "stable housing",
                "intervention": text,
                "response": text,
                "plan": "call Tue",
            },
            goals=("housing", "transport"),
        )
        for i in range(n)
    ]


def bench_bulk(root: Path, n: int, rounds: int) -> dict[str, Any]:
    enc_rates, plain_rates = [], []
    for r in range(rounds):
        for kind in ("enc", "plain") if r % 2 == 0 else ("plain", "enc"):
            s = _session(root, f"bulk-{kind}-{r}")
            p = s.participants.add("Bench Participant").value
            repo = (
                s._stores.notes
                if kind == "enc"
                else PlainNoteRepo(s._db, s._vault, s._outbox, s._audit)
            )
            drafts = _drafts(p.id, n)
            t0 = time.perf_counter()
            count = repo.import_signed(drafts)
            elapsed = time.perf_counter() - t0
            assert count == n and s.notes.count() == n
            (enc_rates if kind == "enc" else plain_rates).append(n / elapsed)
            s.close()
    enc, plain = statistics.median(enc_rates), statistics.median(plain_rates)
    return {
        "notes": n,
        "rounds": rounds,
        "encrypted_notes_per_s": round(enc),
        "plaintext_notes_per_s": round(plain),
        "encryption_overhead_ratio": round(plain / enc, 3),
    }


def bench_save_latency(root: Path, saves: int) -> dict[str, Any]:
    s = _session(root, "latency")
    p = s.participants.add("Latency Participant").value
    draft = _drafts(p.id, 1)[0]
    note = s.notes.create_draft(draft).value
    sync_mode = s._db.execute("PRAGMA synchronous").fetchone()[0]
    times = []
    for i in range(saves):
        changed = replace(draft, body={**draft.body, "plan": f"call Tue ({i})"})
        t0 = time.perf_counter()
        s.notes.save_draft(note.id, changed)
        times.append((time.perf_counter() - t0) * 1000)
    s.close()
    q = statistics.quantiles(times, n=100)
    return {
        "saves": saves,
        "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(sync_mode, sync_mode),
        "save_p50_ms": round(statistics.median(times), 3),
        "save_p95_ms": round(q[94], 3),
    }


def bench_unlock(root: Path, repeats: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    calibrated = calibrate(0.5)
    for label, params in (("default", KdfParams.new()), ("calibrated", calibrated)):
        s = ProfileManager(root=root).create(f"unlock-{label}", PASSPHRASE, kdf_params=params)
        s.lock()
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            s._vault.unlock(PASSPHRASE)
            times.append(time.perf_counter() - t0)
            s._vault.lock()
        s.close()
        out[label] = {
            "memory_mib": params.memory_kib // 1024,
            "iterations": params.iterations,
            "lanes": params.lanes,
            "unlock_s_median": round(statistics.median(times), 4),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("bench-results/bench.json"))
    ap.add_argument(
        "--only",
        choices=(
            "all",
            "storage",
            "ui",
            "responsiveness",
            "agency",
            "load",
            "sync",
            "directory",
            "review",
            "hsds",
            "directory_download",
        ),  # fmt: skip
        default="all",
    )
    ap.add_argument("--notes", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--saves", type=int, default=400)
    ap.add_argument("--startup-notes", type=int, default=10_000)
    ap.add_argument("--startup-runs", type=int, default=5)
    ap.add_argument("--list-notes", type=int, default=100_000)
    ap.add_argument("--list-rounds", type=int, default=2)
    ap.add_argument("--responsiveness-notes", type=int, default=10_000)
    ap.add_argument("--responsiveness-rounds", type=int, default=3)
    ap.add_argument("--hsds-services", type=int, default=50_000)
    args = ap.parse_args()
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }
    goals_met: dict[str, bool] = {}
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-", dir=Path.cwd()) as tmp:
        root = Path(tmp)
        if args.only in ("all", "storage"):
            bulk = bench_bulk(root / "storage", args.notes, args.rounds)
            latency = bench_save_latency(root / "storage", args.saves)
            result["bulk_insert"] = bulk
            result["save_latency"] = latency
            result["unlock"] = bench_unlock(root / "storage", 5)
            goals_met["bulk_notes_per_s"] = (
                bulk["encrypted_notes_per_s"] >= GOALS["bulk_notes_per_s"]
            )
            goals_met["save_p95_ms"] = latency["save_p95_ms"] < GOALS["save_p95_ms"]
            goals_met["encryption_overhead_ratio"] = (
                bulk["encryption_overhead_ratio"] < GOALS["encryption_overhead_ratio"]
            )
        if args.only in ("all", "ui"):
            from tests.bench import desktop

            startup = desktop.bench_startup(root / "startup", args.startup_notes, args.startup_runs)
            paging = desktop.bench_paging(root / "paging", args.list_notes, args.list_rounds)
            result["ui_startup"] = startup
            result["notes_list_paging"] = paging
            goals_met["startup_to_window_s"] = (
                startup["to_first_paint_s"] < GOALS["startup_to_window_s"]
            )
            goals_met["first_page_ms"] = paging["first_page_ms"] < GOALS["first_page_ms"]
        if args.only in ("all", "ui", "responsiveness"):
            from tests.bench import responsiveness

            loop = responsiveness.run(
                root / "responsiveness", args.responsiveness_notes, args.responsiveness_rounds
            )
            result["responsiveness"] = loop
            goals_met["event_loop_max_gap_ms"] = bool(loop["within_limit"])
            # without this the figure above means nothing: the probe must see a block
            goals_met["responsiveness.probe_sees_a_blocked_loop"] = bool(
                loop["old_list"]["probe_saw_the_block"]
            )
        if args.only in ("all", "agency"):
            from tests.bench import agency_ingest

            ingest = agency_ingest.run(result)
            goals_met["agency_ingest_records_per_s"] = bool(ingest["meets_goal"])
            goals_met["agency_ingest_segments_per_agency_cpu_s"] = bool(
                ingest["segments_meet_goal"]
            )
            goals_met["agency_ingest_segments_per_cpu_s_with_db"] = bool(
                ingest["segments_meet_goal_with_db"]
            )
        if args.only in ("all", "load"):
            from tests.bench import agency_load

            load = agency_load.run(result)
            for name, met in load.get("pass", {}).items():
                goals_met[f"agency_load.{name}"] = met
        if args.only in ("all", "sync"):
            from tests.bench import sync_link

            sync_link.run(result)
            for name, met in result["sync_link"]["pass"].items():
                goals_met[f"sync_link.{name}"] = met
        if args.only in ("all", "directory"):
            from tests.bench import directory

            found = directory.run(result)
            for name, met in found.get("goals_met", {}).items():
                goals_met[f"directory.{name}"] = met
        if args.only in ("all", "hsds"):
            from tests.bench import hsds_import

            hsds_import.run(result, services=args.hsds_services)
        if args.only in ("all", "directory_download"):
            from tests.bench import directory_download

            found = directory_download.run(result, services=args.hsds_services)
            for name, met in found["pass"].items():
                goals_met[f"directory_download.{name}"] = met
        if args.only in ("all", "review"):
            from tests.bench import review

            found = review.run(result)
            for name, met in found["goals_met"].items():
                goals_met[f"review.{name}"] = met
    result["goals"] = {k: v for k, v in GOALS.items() if k in goals_met}
    result["goals_met"] = goals_met
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
