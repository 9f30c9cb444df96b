"""The GUI thread stays responsive while 10,000 notes load into the notes screen
and while a long background job runs.

A 10 ms repeating timer (:class:`LoopProbe`) records the gap between its ticks;
any work on the GUI thread longer than a few ms shows up as a longer gap. The
limit is 100 ms, the point at which a person notices a lag. The last test shows
that the probe does see a blocked event loop: the list as it was before paging
(all 10,000 rows put into a QTableWidget at once, on the GUI thread) makes one
gap of the time that took, several times the limit. Reading the pages on the GUI
thread instead of the DB thread fails the first test too (tried: one 375-445 ms
gap, as each page's arrival asks for the next one at once).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressBar, QTableWidget, QTableWidgetItem

from peerdesk.domain.billing import load_payer_profiles
from peerdesk.domain.models import Note
from peerdesk.services import Session
from tests.bench.seed import seed_notes
from ui import labels
from ui.screens.notes import NotesScreen
from ui.taskman import TaskManager

N = 10_000
LIMIT_MS = 100.0
TICK_MS = 10
ATTEMPTS = 3

pytestmark = pytest.mark.slow


class LoopProbe:
    """Measures event-loop latency: the gaps between ticks of a 10 ms timer."""

    def __init__(self, interval_ms: int = TICK_MS) -> None:
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

    def summary(self) -> str:
        gaps = sorted(self.gaps_ms)
        p99 = gaps[int(len(gaps) * 0.99) - 1] if gaps else 0.0
        return f"{len(gaps)} ticks, max gap {self.max_gap_ms:.1f} ms, p99 {p99:.1f} ms"


@pytest.fixture
def tm(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=30)


@pytest.fixture
def big_profile(session: Session) -> Session:
    people = [session.participants.add(f"Participant {i}").value.id for i in range(25)]
    assert seed_notes(session, N, people) == N
    return session


@pytest.fixture
def screen(qtbot: Any, big_profile: Session, tm: TaskManager) -> NotesScreen:
    w = NotesScreen(big_profile, tm, load_payer_profiles()["medicaid_default"])
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not tm.busy)
    return w


def read_everything(session: Session, rounds: int) -> Generator[tuple[int, int], None, int]:
    """A long job for the DB thread: decrypt every note, page by page, ``rounds``
    times (what an export or a sync push does), yielding (done, total)."""
    total = session.notes.count() * rounds
    done = 0
    for _ in range(rounds):
        after: str | None = None
        while True:
            page = session.notes.page(after=after, limit=200)
            done += len(page.items)
            yield done, total
            if not page.has_more:
                break
            after = page.next_after
    return done


def measured(probe: LoopProbe, run: Callable[[], None]) -> tuple[float, str, float, bool]:
    """Run ``run`` (which waits for its work) under the probe: seconds, summary, max
    gap, and whether the probe ticked often enough to have measured anything."""
    probe.start()
    run()
    seconds = probe.stop()
    summary = f"{probe.summary()} in {seconds:.2f} s"
    fed = len(probe.gaps_ms) >= seconds * 1000 / TICK_MS * 0.3
    return seconds, summary, probe.max_gap_ms, fed


def within_limit(probe: LoopProbe, run: Callable[[], None], what: str) -> str:
    """Measure ``run`` under the probe; pass when one of ATTEMPTS runs has no gap
    over the limit. Work on the GUI thread makes a long gap every time; other
    processes on this small, shared machine may delay one run now and then."""
    results = []
    for attempt in range(1, ATTEMPTS + 1):
        _, summary, worst, fed = measured(probe, run)
        results.append(summary if fed else f"probe starved: {summary}")
        if fed and worst < LIMIT_MS:
            return f"{summary} (attempt {attempt} of {ATTEMPTS}; before: {results[:-1]})"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    raise AssertionError(f"event loop blocked {what}: {results} (load average {load})")


def test_event_loop_stays_responsive_while_10000_notes_load_and_a_long_job_runs(
    qtbot: Any, screen: NotesScreen, tm: TaskManager, big_profile: Session
) -> None:
    model, table = screen.model, screen.table
    probe = LoopProbe()

    # 1. The whole list, from its first page to its last, as a user scrolls down.
    def scroll_on(_rows: int) -> None:
        table.scrollToBottom()

    def load_the_list() -> None:
        screen.refresh()
        qtbot.waitUntil(lambda: model.exhausted, timeout=60_000)
        assert model.rowCount() == N and screen.table.rowCount() == N
        assert model.pages_loaded == N // 200
        assert screen.status.text() == f"{N} note(s)"

    model.page_loaded.connect(scroll_on)
    loading = within_limit(probe, load_the_list, f"while {N} notes loaded")
    model.page_loaded.disconnect(scroll_on)
    print(f"\nloading {N} notes: {loading}")

    # 2. A long generator job on the DB thread, reporting progress to a bar.
    bar = QProgressBar()
    qtbot.addWidget(bar)
    bar.show()

    def long_job() -> None:
        progress: list[tuple[int, int]] = []
        finished: list[int] = []

        def show(value: tuple[int, int]) -> None:
            progress.append(value)
            bar.setMaximum(value[1])
            bar.setValue(value[0])

        tm.db_generator(read_everything, big_profile, 3).progress(show).success(
            finished.append
        ).run()
        qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
        assert finished == [3 * N] and progress[-1] == (3 * N, 3 * N)
        assert [p[0] for p in progress] == sorted(p[0] for p in progress)
        assert bar.value() == 3 * N

    job = within_limit(probe, long_job, f"during a long job ({3 * N} notes decrypted)")
    print(f"long job ({3 * N} notes decrypted): {job}")


def test_the_probe_catches_the_notes_list_as_it_was_before_paging(
    qtbot: Any, big_profile: Session, tm: TaskManager
) -> None:
    """The list before it was paged: every note read on the DB thread, then all
    10,000 rows put into a QTableWidget on the GUI thread. The probe must report
    that as one gap as long as the filling, well past the limit: the test above
    fails for a list that loads like this."""
    table = QTableWidget(0, 4)
    qtbot.addWidget(table)
    table.show()
    filled: list[float] = []

    def load() -> tuple[list[Note], dict[str, str]]:
        notes = big_profile.notes.list().items
        people = big_profile.participants.list(include_inactive=True).items
        return notes, {p.id: p.display_name for p in people}

    def fill(loaded: tuple[list[Note], dict[str, str]]) -> None:  # the old NotesScreen._fill
        t0 = time.perf_counter()
        notes, names = loaded
        table.setRowCount(len(notes))
        for row, note in enumerate(notes):
            values = (
                note.start_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                names.get(note.participant_id, "(unknown)"),
                labels.template_short_names()[note.template],
                labels.state_names()[note.state],
            )
            for col, value in enumerate(values):
                table.setItem(row, col, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        filled.append((time.perf_counter() - t0) * 1000)

    probe = LoopProbe()
    probe.start()
    tm.db(load).success(fill).run()
    qtbot.waitUntil(lambda: bool(filled), timeout=60_000)
    qtbot.wait(30)
    probe.stop()
    print(f"\nold list: filling {N} rows took {filled[0]:.0f} ms; {probe.summary()}")
    assert table.rowCount() == N
    assert probe.max_gap_ms >= filled[0] * 0.95
    assert probe.max_gap_ms > LIMIT_MS
