"""Fixtures of the supervisor UI tests: a supervisor profile, the same with a
generated review cache (the very store code a pull uses), and a task manager
that takes turns with that session's guard."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from peerdesk.demo.review import SeedResult, seed_review_cache
from peerdesk.services import ProfileManager, Session
from tests.ui.review_helpers import make_supervisor
from tests.ui.sync_helpers import TASK_MANAGERS, track_task_managers
from ui.i18n import install_translators
from ui.taskman import TaskManager


@pytest.fixture
def supervisor(manager: ProfileManager) -> Iterator[Session]:
    s = make_supervisor(manager)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(autouse=True)
def _track_task_managers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``guarded()`` runs a test's profile calls on the DB thread of the running
    task manager, as the app does."""
    track_task_managers(monkeypatch)
    yield
    TASK_MANAGERS.clear()


@pytest.fixture
def seeded(supervisor: Session) -> SeedResult:
    """4 laptops, 240 notes over a year, 60 trips (deterministic)."""
    return seed_review_cache(supervisor, devices=4, notes=240, trips=60, seed=3)


@pytest.fixture
def review_tm(qtbot: Any, supervisor: Session) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown(timeout=10)


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[list[QTranslator]]:
    """The Spanish catalogues installed on the application for one test."""
    installed = install_translators(qapp, QLocale("es"))
    try:
        yield installed
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
