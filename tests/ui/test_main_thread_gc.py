"""The cyclic garbage collector runs on the GUI thread, from a timer
(:mod:`ui.main_thread_gc`), never on the DB thread that happens to allocate."""

from __future__ import annotations

import gc
import threading
from typing import Any

from PySide6.QtCore import QObject

from ui.main_thread_gc import MainThreadCollector, install


class Cycle:
    """Cyclic garbage that says on which thread it was finalised."""

    def __init__(self, seen: list[int]) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.get_ident())


def drop_cycle_and_allocate_on_a_worker(seen: list[int]) -> list[list[int]]:
    """What the DB thread does: garbage made, then plenty of allocation (lists
    are tracked by the collector, so each counts towards its threshold while it
    lives: the caller keeps them)."""
    kept: list[list[int]] = []

    def work() -> None:
        Cycle(seen)
        kept.extend([i] for i in range(50_000))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    return kept


def test_without_the_collector_the_worker_thread_collects_what_it_did_not_make() -> None:
    """The control: CPython's automatic collection runs where the threshold is
    crossed, so the garbage is finalised on the worker."""
    seen: list[int] = []
    was = gc.isenabled()
    gc.enable()
    gc.collect()
    try:
        kept = drop_cycle_and_allocate_on_a_worker(seen)
        del kept
    finally:
        if not was:
            gc.disable()
    assert seen and seen[0] != threading.get_ident()


def test_the_collector_finalises_garbage_on_the_gui_thread_only(qtbot: Any) -> None:
    seen: list[int] = []
    owner = QObject()
    collector = install(owner, interval_ms=20)
    try:
        assert not gc.isenabled()
        kept = drop_cycle_and_allocate_on_a_worker(seen)
        assert seen == []  # not on the worker
        assert gc.get_count()[0] > collector.thresholds[0]  # but due
        qtbot.waitUntil(lambda: bool(seen))
        assert seen == [threading.get_ident()]
        assert sum(collector.collections) >= 1
        del kept
    finally:
        collector.stop()
    assert gc.isenabled()


def test_the_generation_collected_is_the_one_cpython_would_collect(qapp: Any) -> None:
    collector = MainThreadCollector(interval_ms=60_000)
    collector.thresholds = (700, 10, 10)
    assert not gc.isenabled()  # a Qt test (tests/conftest.py): nothing collects on its own
    gc.collect()  # counts back to (0, 0, 0)
    assert collector.collect_due() is None  # nothing allocated since
    junk = [[i] for i in range(1_000)]
    assert collector.collect_due() == 0
    for _ in range(11):  # eleven young collections make the middle one due
        junk += [[i] for i in range(800)]
        gc.collect(0)
    junk += [[i] for i in range(800)]
    assert collector.collect_due() == 1
    assert collector.collections == [1, 1, 0]
    del junk
