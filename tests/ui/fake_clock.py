"""A clock for the idle watcher that moves only when a test moves it."""

from __future__ import annotations


class FakeClock:
    """Seconds that pass only when :meth:`advance` says so."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
