"""Python's cyclic garbage collector, run on the GUI thread only, from a timer.

CPython collects in whichever thread's allocation crosses its threshold. In
PeerDesk that is often the DB thread (decrypting a page of notes, seeding the
directory) or the network pool. A collection there finalises *all* cyclic garbage,
including Qt widgets caught in reference cycles (a closed dialog whose slots
capture it), and so deletes their C++ objects from the wrong thread; and a
collection that starts inside Qt's dispatch of an event can free the very widget
the event is for. Either crashes the process (CI caught one: a segfault with
"Garbage-collecting" on the GUI thread while the DB thread seeded the directory).
Drafts are saved, but the peer loses the moment and the window.

:func:`install` turns automatic collection off and collects from a timer on the
GUI thread instead, by generation, when the allocation counts pass CPython's own
thresholds (which keep counting while automatic collection is off): about as much
collecting as before, but on the thread that owns the widgets and between events,
never inside one. (pyqtgraph's ``GarbageCollector`` does the same.)
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

__all__ = ["INTERVAL_MS", "MainThreadCollector", "install"]

#: how often the counts are looked at; cyclic garbage waits at most this long
INTERVAL_MS = 500


class MainThreadCollector(QObject):
    """Collects on the thread it lives on (make it on the GUI thread)."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        #: collections made, per generation (for the tests and the log)
        self.collections = [0, 0, 0]
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect_due)

    def start(self) -> None:
        """Automatic collection off; the timer collects from now on."""
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        """Back to CPython's automatic collection."""
        self.timer.stop()
        gc.enable()

    def collect_due(self) -> int | None:
        """Collect the generation CPython would collect now (the oldest whose
        younger neighbour passed its threshold), or nothing; returns it."""
        counts, limits = gc.get_count(), self.thresholds
        if limits[0] == 0 or counts[0] <= limits[0]:
            return None
        generation = 0
        if counts[1] > limits[1]:
            generation = 2 if counts[2] > limits[2] else 1
        gc.collect(generation)
        self.collections[generation] += 1
        return generation


def install(parent: QObject, *, interval_ms: int = INTERVAL_MS) -> MainThreadCollector:
    """Start collecting on ``parent``'s thread (the GUI thread, for the life of
    the application); the collector is its child."""
    collector = MainThreadCollector(parent, interval_ms=interval_ms)
    collector.start()
    return collector
