"""Fixtures for the device's sync tests: a fake agency (MockTransport), an enrolled
profile, and a recorded, clock-advancing sleep for backoff."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from peerdesk.link.sync import SyncEvent, SyncFinished, SyncOptions, SyncSummary
from peerdesk.services import Session
from tests.sync.fake_agency import CODE, FakeAgency


@pytest.fixture
def agency() -> FakeAgency:
    return FakeAgency()


@pytest.fixture
def enrolled(session: Session, agency: FakeAgency) -> Session:
    session.link.enroll(agency.provisioning(), CODE, "field laptop 7", transport=agency.transport())
    return session


@dataclass
class FakeTime:
    """``sleep`` records each delay and moves ``clock`` on by it: no real waiting."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@dataclass
class SyncResult:
    events: list[SyncEvent]

    @property
    def summary(self) -> SyncSummary:
        last = self.events[-1]
        assert isinstance(last, SyncFinished)
        return last.summary

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]


@pytest.fixture
def run_sync(agency: FakeAgency, fake_time: FakeTime) -> Callable[..., SyncResult]:
    """``run_sync(session, **options)`` runs one sync to the end against the fake
    agency and returns its events; ``events`` (a list) collects them even when
    the run raises."""

    def _run(session: Session, events: list | None = None, **options: object) -> SyncResult:
        collected = [] if events is None else events
        gen = session.link.sync(
            SyncOptions(**options),  # type: ignore[arg-type]
            transport=agency.transport(),
            sleep=fake_time.sleep,
            clock=fake_time.clock,
            rng=random.Random(7),
        )
        for event in gen:
            collected.append(event)
        return SyncResult(collected)

    return _run
