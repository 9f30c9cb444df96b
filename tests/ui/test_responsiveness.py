"""The GUI thread is never the one waiting for the database, while 10,000 notes
load into the notes screen and while a long background job runs.

What is checked here holds on any machine, however loaded: every read of the
list and of the long job runs on the task manager's DB thread, and while such a
read is held (blocked on a ``threading.Event``) the GUI thread's event loop goes
on: a posted call runs, a progress value arrives and is shown. Reading the
pages on the GUI thread fails the first test (tried: the model calling its page
loader directly instead of through the task manager fails on the thread check;
such a read is not held, so the test fails instead of hanging).

How long the event loop's gaps are in milliseconds (a 10 ms probe timer, the
100 ms limit a person notices, and the list as it was before paging, which the
probe catches as one long gap) is a real-time measurement: it is in the
benchmark, ``python -m tests.bench.run --only responsiveness`` (also part of
``--only ui`` and ``make bench``), see ``tests/bench/responsiveness.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressBar

from peerdesk.services import Session
from peerdesk.services.payers import load_payer_profiles
from tests.bench.seed import seed_notes
from ui.screens.notes import NotesScreen
from ui.taskman import TaskManager

N = 10_000
PAGE = 200
#: how long to wait (ms) for something that needs a free event loop; a blocked
#: loop never gets there, so this is a bound for a broken build, not a measure
LOOP_TIMEOUT_MS = 20_000

pytestmark = pytest.mark.slow


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


class Reads:
    """Wraps a session method: records on which thread each call ran, and can hold
    one call (the ``hold_call``-th, from 1) until :meth:`release`."""

    def __init__(self, tm: TaskManager, fn: Callable[..., Any], hold_call: int = 0) -> None:
        self.tm = tm
        self.fn = fn
        self.hold_call = hold_call
        self.calls: list[tuple[int, bool]] = []  # (thread id, on the DB thread)
        self.holding = threading.Event()
        self.released = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        on_db = self.tm.in_db_thread()
        self.calls.append((threading.get_ident(), on_db))
        if len(self.calls) == self.hold_call:
            self.holding.set()
            # (a read on the wrong thread is not held: the test would hang, not fail)
            if on_db:
                assert self.released.wait(60), "the test never released the held read"
        return self.fn(*args, **kwargs)

    def release(self) -> None:
        self.released.set()

    def threads(self) -> set[int]:
        return {ident for ident, _ in self.calls}


def event_loop_runs(qtbot: Any) -> None:
    """A call posted to the GUI thread's event loop runs (the loop is not blocked)."""
    ran: list[bool] = []
    QTimer.singleShot(0, lambda: ran.append(True))
    qtbot.waitUntil(lambda: ran == [True], timeout=LOOP_TIMEOUT_MS)


def test_10000_notes_load_page_by_page_on_the_db_thread_while_the_event_loop_runs(
    qtbot: Any,
    screen: NotesScreen,
    tm: TaskManager,
    big_profile: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model, table = screen.model, screen.table
    gui = threading.get_ident()
    # Hold the read of a page in the middle of the list.
    pages = Reads(tm, big_profile.notes.page, hold_call=N // PAGE // 2)
    monkeypatch.setattr(big_profile.notes, "page", pages)

    # The whole list, from its first page to its last, as a user scrolls down.
    def scroll_on(_rows: int) -> None:
        table.scrollToBottom()

    model.page_loaded.connect(scroll_on)
    screen.refresh()
    qtbot.waitUntil(pages.holding.is_set, timeout=120_000)
    # That read is in flight on the DB thread: the GUI thread still runs its loop,
    # the screen repaints, and it says it is loading.
    assert model.is_loading and not model.exhausted
    event_loop_runs(qtbot)
    shown = model.rowCount()
    assert shown == (len(pages.calls) - 1) * PAGE  # every page before it is shown
    table.viewport().update()
    event_loop_runs(qtbot)
    pages.release()
    qtbot.waitUntil(lambda: model.exhausted, timeout=120_000)
    model.page_loaded.disconnect(scroll_on)

    assert model.rowCount() == N and screen.table.rowCount() == N
    assert model.pages_loaded == N // PAGE
    assert screen.status.text() == f"{N} notes"
    # every page was read on the one DB thread, none on the GUI thread
    assert len(pages.calls) == N // PAGE
    assert all(on_db for _, on_db in pages.calls)
    assert len(pages.threads()) == 1 and gui not in pages.threads()


def read_everything(
    session: Session, rounds: int, *, wait_after_first: threading.Event | None = None
) -> Generator[tuple[int, int], None, int]:
    """A long job for the DB thread: decrypt every note, page by page, ``rounds``
    times (what an export or a sync push does), yielding (done, total). With
    ``wait_after_first``, it waits for that event after its first step."""
    total = session.notes.count() * rounds
    done = 0
    for _ in range(rounds):
        after: str | None = None
        while True:
            page = session.notes.page(after=after, limit=PAGE)
            done += len(page.items)
            yield done, total
            if wait_after_first is not None:
                assert wait_after_first.wait(60), "the test never let the job go on"
                wait_after_first = None
            if not page.has_more:
                break
            after = page.next_after
    return done


def test_a_long_job_runs_on_the_db_thread_and_reports_progress_while_it_runs(
    qtbot: Any, tm: TaskManager, big_profile: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = threading.get_ident()
    pages = Reads(tm, big_profile.notes.page)
    monkeypatch.setattr(big_profile.notes, "page", pages)
    bar = QProgressBar()
    qtbot.addWidget(bar)
    bar.show()
    progress: list[tuple[int, int]] = []
    finished: list[int] = []
    go_on = threading.Event()

    def show(value: tuple[int, int]) -> None:
        progress.append(value)
        bar.setMaximum(value[1])
        bar.setValue(value[0])

    handle = (
        tm.db_generator(read_everything, big_profile, 3, wait_after_first=go_on)
        .progress(show)
        .success(finished.append)
        .run()
    )
    try:
        # The job has made its first step and waits: its progress reaches the bar,
        # and the event loop goes on, while the job is still in flight.
        qtbot.waitUntil(lambda: progress == [(PAGE, 3 * N)], timeout=LOOP_TIMEOUT_MS)
        assert bar.value() == PAGE and bar.maximum() == 3 * N
        event_loop_runs(qtbot)
        assert not handle.done and not finished and tm.busy
    finally:
        go_on.set()
    qtbot.waitUntil(lambda: bool(finished), timeout=120_000)

    assert finished == [3 * N] and progress[-1] == (3 * N, 3 * N)
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)
    assert len(progress) == 3 * N // PAGE
    assert bar.value() == 3 * N
    assert len(pages.calls) == 3 * N // PAGE
    assert all(on_db for _, on_db in pages.calls)
    assert len(pages.threads()) == 1 and gui not in pages.threads()
