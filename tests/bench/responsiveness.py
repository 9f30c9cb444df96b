"""Event-loop responsiveness for ``make bench`` (``--only responsiveness``; also
part of ``--only ui``): how long the GUI thread's event loop goes without
running, while 10,000 notes load into the notes screen and while a long job
(every note decrypted three times, progress shown in a bar) runs on the DB
thread. Measured in a fresh child process (offscreen Qt), like the other UI
figures.

A 10 ms repeating timer (:class:`LoopProbe`) records the gap between its ticks;
any work on the GUI thread longer than a few ms shows up as a longer gap. The
goal is 100 ms, the point at which a person notices a lag. Each measurement runs
``rounds`` times; the figures of every round are kept, and the goal is judged on
the best round (other processes on a small shared machine can delay one round;
work on the GUI thread makes a long gap in every round). A round in which the
probe ticked less than 30 % of the time it should have is marked ``starved``
and not counted. The load average is recorded beside them.

The probe itself is checked: the notes list as it was before paging (every note
read on the DB thread, then all the rows put into a QTableWidget at once on the
GUI thread) must show up as one gap about as long as that filling took
(``old_list.probe_saw_the_block``); if it does not, the other figures mean
nothing. Reading the pages on the GUI thread instead of the DB thread was tried
once too: one gap of 375-445 ms, as each page's arrival asks for the next one.

The deterministic half (every read on the DB thread, the event loop running
while a read is held) is a test: ``tests/ui/test_responsiveness.py``.

    python -m tests.bench.responsiveness child --root DIR --profile NAME
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
LIMIT_MS = 100.0
TICK_MS = 10
PAGE = 200


# --- the parent side (tests.bench.run) -------------------------------------------------


def run(root: Path, notes: int, rounds: int) -> dict[str, Any]:
    """Seed a profile of ``notes`` notes, measure in a child process, summarise."""
    from tests.bench.desktop import make_profile

    name = "responsiveness"
    seed_s = make_profile(root, name, notes)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PEERDESK_DATA_DIR": str(root),
        "PEERDESK_LOG_DIR": str(root / "logs"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.run(
        [
            sys.executable, "-m", "tests.bench.responsiveness", "child",
            "--root", str(root), "--profile", name, "--rounds", str(rounds),
        ],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    paged, job = summary(out["paged_list"]), summary(out["long_job"])
    old = out["old_list"]
    bests = [paged["best_max_gap_ms"], job["best_max_gap_ms"]]
    worst_best = None if None in bests else max(bests)
    return {
        "notes": notes,
        "rounds": rounds,
        "tick_ms": TICK_MS,
        "limit_ms": LIMIT_MS,
        "seed_s": round(seed_s, 2),
        "load_average_before": out["load_before"],
        "load_average_after": out["load_after"],
        "paged_list": paged,
        "long_job": {**job, "notes_decrypted": out["long_job_notes"]},
        "old_list": old,
        # the figure the goal is judged on: the worse of the two best rounds
        "max_gap_ms": worst_best,
        "within_limit": worst_best is not None and worst_best < LIMIT_MS,
    }


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    fed = [r for r in runs if not r["starved"]]
    gaps = [r["max_gap_ms"] for r in fed]
    return {
        "runs": runs,
        "best_max_gap_ms": min(gaps) if gaps else None,  # None: every round starved
        "median_max_gap_ms": round(statistics.median(gaps), 1) if gaps else None,
        "starved_runs": len(runs) - len(fed),
    }


# --- the child side ---------------------------------------------------------------------


class LoopProbe:
    """Measures event-loop latency: the gaps between ticks of a 10 ms timer."""

    def __init__(self, interval_ms: int = TICK_MS) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.gaps_ms: list[float] = []
        self._last = 0.0
        self._started = 0.0

    def start(self) -> None:
        self.gaps_ms.clear()
        self._started = self._last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps_ms.append((now - self._last) * 1000)
        self._last = now

    def stop(self) -> float:
        """Stop; returns the seconds measured. The time since the last tick
        counts as a gap too, so a block at the very end is not missed."""
        self.timer.stop()
        now = time.perf_counter()
        self.gaps_ms.append((now - self._last) * 1000)
        return now - self._started

    @property
    def max_gap_ms(self) -> float:
        return max(self.gaps_ms, default=0.0)

    def figures(self, seconds: float) -> dict[str, Any]:
        gaps = sorted(self.gaps_ms)
        p99 = gaps[int(len(gaps) * 0.99) - 1] if gaps else 0.0
        return {
            "seconds": round(seconds, 3),
            "ticks": len(gaps),
            "max_gap_ms": round(self.max_gap_ms, 1),
            "p99_gap_ms": round(p99, 1),
            # a probe that ticked too rarely measured other processes, not PeerDesk
            "starved": len(gaps) < seconds * 1000 / TICK_MS * 0.3,
        }


def wait_until(condition: Callable[[], bool], timeout_s: float) -> None:
    """Run the event loop until ``condition()`` holds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    check = QTimer()
    check.setInterval(5)
    check.timeout.connect(lambda: loop.quit() if condition() else None)
    check.start()
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    check.stop()
    if not condition():
        raise TimeoutError(f"gave up after {timeout_s} s")


def measured(probe: LoopProbe, work: Callable[[], None]) -> dict[str, Any]:
    probe.start()
    work()
    return probe.figures(probe.stop())


def read_everything(session: Any, rounds: int) -> Generator[tuple[int, int], None, int]:
    """Decrypt every note, page by page, ``rounds`` times (what an export or a sync
    push does), yielding (done, total)."""
    total = session.notes.count() * rounds
    done = 0
    for _ in range(rounds):
        after: str | None = None
        while True:
            page = session.notes.page(after=after, limit=PAGE)
            done += len(page.items)
            yield done, total
            if not page.has_more:
                break
            after = page.next_after
    return done


def child(root: Path, profile: str, rounds: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication, QProgressBar, QTableWidget, QTableWidgetItem

    from peerdesk.services import ProfileManager
    from peerdesk.services.payers import load_payer_profiles
    from tests.bench.ui_child import PASSPHRASE
    from ui import labels
    from ui.screens.notes import NotesScreen
    from ui.taskman import TaskManager

    app = QApplication([sys.argv[0]])
    session = ProfileManager(root=root).open(profile)
    session.unlock(PASSPHRASE)
    tm = TaskManager()
    out: dict[str, Any] = {"load_before": [round(x, 2) for x in os.getloadavg()]}
    probe = LoopProbe()
    notes = session.notes.count()

    screen = NotesScreen(session, tm, load_payer_profiles()["medicaid_default"])
    screen.resize(1100, 700)
    screen.show()
    wait_until(lambda: not tm.busy, 120)
    model, table = screen.model, screen.table

    # 1. The whole list, from its first page to its last, as a user scrolls down.
    def scroll_on(_rows: int) -> None:
        table.scrollToBottom()

    def load_the_list() -> None:
        screen.refresh()
        wait_until(lambda: model.exhausted, 600)
        if model.rowCount() != notes:
            raise RuntimeError(f"the list loaded {model.rowCount()} of {notes} notes")

    model.page_loaded.connect(scroll_on)
    out["paged_list"] = [measured(probe, load_the_list) for _ in range(rounds)]
    model.page_loaded.disconnect(scroll_on)

    # 2. A long generator job on the DB thread, reporting progress to a bar.
    bar = QProgressBar()
    bar.show()

    def long_job() -> None:
        finished: list[int] = []

        def show(value: tuple[int, int]) -> None:
            bar.setMaximum(value[1])
            bar.setValue(value[0])

        tm.db_generator(read_everything, session, 3).progress(show).success(finished.append).run()
        wait_until(lambda: bool(finished), 900)

    out["long_job"] = [measured(probe, long_job) for _ in range(rounds)]
    out["long_job_notes"] = 3 * notes

    # 3. The list before paging, filled on the GUI thread: the probe must see it.
    old = QTableWidget(0, 4)
    old.show()
    filled: list[float] = []

    def load() -> tuple[list[Any], dict[str, str]]:
        found = session.notes.list().items
        people = session.participants.list(include_inactive=True).items
        return found, {p.id: p.display_name for p in people}

    def fill(loaded: tuple[list[Any], dict[str, str]]) -> None:  # the old NotesScreen._fill
        t0 = time.perf_counter()
        found, names = loaded
        old.setRowCount(len(found))
        for row, note in enumerate(found):
            values = (
                note.start_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                names.get(note.participant_id, "(unknown)"),
                labels.template_short_names()[note.template],
                labels.state_names()[note.state],
            )
            for col, value in enumerate(values):
                old.setItem(row, col, QTableWidgetItem(value))
        old.resizeColumnsToContents()
        filled.append((time.perf_counter() - t0) * 1000)

    def old_list() -> None:
        tm.db(load).success(fill).run()
        wait_until(lambda: bool(filled), 600)
        # a few more ticks after the filling, so the gap it made is closed
        ticks = len(probe.gaps_ms)
        wait_until(lambda: len(probe.gaps_ms) >= ticks + 3, 60)

    figures = measured(probe, old_list)
    out["old_list"] = {
        **figures,
        "rows": old.rowCount(),
        "fill_ms": round(filled[0], 1),
        "probe_saw_the_block": probe.max_gap_ms >= filled[0] * 0.95 and probe.max_gap_ms > LIMIT_MS,
    }
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    tm.shutdown(timeout=60)
    session.close()
    app.processEvents()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("child",))
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--profile", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(json.dumps(child(args.root, args.profile, args.rounds)), flush=True)


if __name__ == "__main__":
    main()
