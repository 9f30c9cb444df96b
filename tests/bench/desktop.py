"""UI figures for ``make bench``, each measured in fresh child processes
(``tests/bench/ui_child.py``) with the offscreen Qt platform:

* start-up: from the moment this process spawns the child to the unlocked main
  window's first paint, with 10,000 notes in the profile (Argon2id at the floor
  parameters; the unlock itself is reported separately);
* the notes list with 100,000 notes: unlock to the first page in the model, then
  fetchMore to the end (rows/s, peak RSS), side by side with reading everything
  at once the way the list did before it was paged.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from peerdesk.crypto.kdf import KdfParams
from peerdesk.services import ProfileManager
from tests.bench.seed import seed_notes
from tests.bench.ui_child import PASSPHRASE

REPO = Path(__file__).resolve().parents[2]


def make_profile(root: Path, name: str, notes: int, participants: int = 25) -> float:
    """A closed profile with ``notes`` signed notes; returns the seconds it took."""
    t0 = time.perf_counter()
    session = ProfileManager(root=root).create(name, PASSPHRASE, kdf_params=KdfParams.new())
    try:
        people = [
            session.participants.add(f"Participant {i}").value.id for i in range(participants)
        ]
        seed_notes(session, notes, people)
    finally:
        session.close()
    return time.perf_counter() - t0


def _child(root: Path, *args: str) -> tuple[float, dict[str, Any]]:
    """Run the child; returns the monotonic time of the spawn and its JSON."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PEERDESK_DATA_DIR": str(root),
        "PEERDESK_LOG_DIR": str(root / "logs"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    spawned = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "tests.bench.ui_child", *args, "--root", str(root)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return spawned, json.loads(proc.stdout.strip().splitlines()[-1])


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def bench_startup(root: Path, notes: int, runs: int) -> dict[str, Any]:
    name = "startup"
    seed_s = make_profile(root, name, notes)
    samples: list[dict[str, float]] = []
    for _ in range(runs):
        spawned, marks = _child(root, "startup", "--profile", name)
        if "painted" not in marks or "first_page" not in marks:
            raise RuntimeError(f"the window was never painted or never listed notes: {marks}")
        samples.append(
            {
                "interpreter_ms": _ms(marks["main"] - spawned),
                "imports_ms": _ms(marks["imported"] - marks["main"]),
                "unlock_ms": _ms(marks["unlocked"] - marks["opened"]),
                "build_window_ms": _ms(marks["built"] - marks["unlocked"]),
                "to_shown_ms": _ms(marks["shown"] - spawned),
                "to_first_paint_ms": _ms(marks["painted"] - spawned),
                "to_first_page_ms": _ms(marks["first_page"] - spawned),
                "first_page_rows": marks["first_page_rows"],
                "notes_in_profile": marks["total_notes"],
            }
        )
    median = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    return {
        "notes": notes,
        "runs": runs,
        "kdf": "floor (64 MiB, t=3, p=4); unlock_ms is reported separately",
        "seed_s": round(seed_s, 2),
        "median": median,
        "first_run": samples[0],
        "to_first_paint_s": round(median["to_first_paint_ms"] / 1000, 3),
        "to_first_paint_without_unlock_s": round(
            (median["to_first_paint_ms"] - median["unlock_ms"]) / 1000, 3
        ),
        "to_notes_listed_s": round(median["to_first_page_ms"] / 1000, 3),
    }


def bench_paging(root: Path, notes: int, rounds: int) -> dict[str, Any]:
    name = "paging"
    seed_s = make_profile(root, name, notes)
    runs: dict[str, list[dict[str, Any]]] = {"paged": [], "all": []}
    for r in range(rounds):
        for mode in ("paged", "all") if r % 2 == 0 else ("all", "paged"):
            _, out = _child(root, "paging", "--profile", name, "--mode", mode)
            if not out["completed"] or out["rows"] != notes:
                raise RuntimeError(f"{mode}: the list did not load every note: {out}")
            runs[mode].append(out)

    def summary(mode: str) -> dict[str, Any]:
        outs = runs[mode]
        all_rows_s = statistics.median(o["all_rows_s"] for o in outs)
        peak = statistics.median(o["peak_rss_kib"] for o in outs)
        before = statistics.median(o["rss_before_kib"] for o in outs)
        return {
            "first_rows_ms": _ms(statistics.median(o["first_page_s"] for o in outs)),
            "first_rows": outs[0]["first_page_rows"],
            "all_rows_s": round(all_rows_s, 3),
            "rows_per_s": round(notes / all_rows_s),
            "rss_before_mib": round(before / 1024, 1),
            "peak_rss_mib": round(peak / 1024, 1),
            "list_rss_mib": round((peak - before) / 1024, 1),
            "peak_measured_from_unlock": all(o["peak_reset"] for o in outs),
        }

    paged, everything = summary("paged"), summary("all")
    read_peak = statistics.median(o["read_peak_rss_kib"] for o in runs["all"])
    read_before = statistics.median(o["rss_before_kib"] for o in runs["all"])
    everything["read_only_peak_rss_mib"] = round(read_peak / 1024, 1)
    everything["read_only_list_rss_mib"] = round((read_peak - read_before) / 1024, 1)
    return {
        "notes": notes,
        "rounds": rounds,
        "seed_s": round(seed_s, 2),
        "page_size": 200,
        "paged": paged,
        "load_all": everything,
        "first_page_ms": paged["first_rows_ms"],
        "first_rows_speedup": round(everything["first_rows_ms"] / paged["first_rows_ms"], 1),
        "scroll_to_end_rows_per_s": paged["rows_per_s"],
        "peak_rss_ratio_all_over_paged": round(
            everything["peak_rss_mib"] / paged["peak_rss_mib"], 2
        ),
        "list_rss_ratio_all_over_paged": round(
            everything["list_rss_mib"] / max(paged["list_rss_mib"], 0.1), 2
        ),
        "list_rss_ratio_read_only_over_paged": round(
            everything["read_only_list_rss_mib"] / max(paged["list_rss_mib"], 0.1), 2
        ),
    }
