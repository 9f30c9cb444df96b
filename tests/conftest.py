"""Shared fixtures: an isolated data/log folder, a profile manager and an open,
unlocked profile with the fast (floor) Argon2id parameters."""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

# UI tests (pytest-qt) will need a headless platform; set it before Qt is imported.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from peerdesk.crypto.kdf import KdfParams
from peerdesk.domain.models import (
    TEMPLATE_SECTIONS,
    ContactType,
    LocationType,
    NoteDraft,
    NoteTemplate,
)
from peerdesk.logs import setup_logging
from peerdesk.services import ProfileManager, Session

# Hypothesis for the whole suite: failing examples kept in tests/.hypothesis-examples,
# print_blob, no wall-clock deadline; a failing property test prints its seed.
pytest_plugins = ["tests.hypothesis_profile"]

PASSPHRASE = "river stones and quiet mornings"

#: Under CI a skipped test is a failure, unless its reason is one of these: facts of
#: the machine that no install changes (root ignores file permissions). A skip for a
#: missing program or service would let CI pass here and fail on the next machine.
CI_ACCEPTED_SKIPS = ("root ignores file permissions", "root writes into read-only folders")
_unexpected_skips: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        if not any(accepted in reason for accepted in CI_ACCEPTED_SKIPS):
            _unexpected_skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes") or not _unexpected_skips:
        return
    if getattr(session.config, "workerinput", None) is not None:
        return  # an xdist worker: the controller sees every report and decides
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", "CI=true: these tests were skipped, which CI counts as a failure")
        for line in _unexpected_skips:
            reporter.write_line(f"  {line}", red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


PROFILE_NAME = "alice"


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def profile_name() -> str:
    return PROFILE_NAME


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data root; logs go to ``<data_dir>/logs``. Both are under
    ``tmp_path``, so scanning ``tmp_path`` covers every file PeerDesk writes."""
    monkeypatch.setenv("PEERDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PEERDESK_LOG_DIR", str(tmp_path / "logs"))
    return tmp_path


@pytest.fixture
def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


@pytest.fixture
def manager(data_dir: Path) -> ProfileManager:
    return ProfileManager(root=data_dir)


@pytest.fixture
def session(manager: ProfileManager) -> Iterator[Session]:
    """A new profile, open and unlocked; closed after the test."""
    s = manager.create(PROFILE_NAME, PASSPHRASE, kdf_params=KdfParams.new())
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def reopen(manager: ProfileManager) -> Iterator[Callable[..., Session]]:
    """``reopen(session)`` closes ``session`` and returns the same profile opened
    again (unlocked unless ``unlock=False``); every session it makes is closed
    after the test."""
    opened: list[Session] = []

    def _reopen(current: Session | None = None, *, unlock: bool = True) -> Session:
        if current is not None:
            current.close()
        s = manager.open(PROFILE_NAME)
        opened.append(s)
        if unlock:
            s.unlock(PASSPHRASE)
        return s

    yield _reopen
    for s in opened:
        s.close()


START = datetime(2024, 5, 6, 14, 0, tzinfo=UTC)


def full_body(template: NoteTemplate, text: str = "met at the library") -> dict[str, str]:
    """A body with every section of ``template`` filled in."""
    return {section: f"{section}: {text}" for section in TEMPLATE_SECTIONS[template]}


@pytest.fixture
def make_draft() -> Callable[..., NoteDraft]:
    """``make_draft(participant_id, template=..., body=..., goals=..., minutes=...)``."""

    def _make(
        participant_id: str,
        template: NoteTemplate = NoteTemplate.GIRP,
        *,
        body: dict[str, str] | None = None,
        goals: tuple[str, ...] = ("keep the clinic appointment",),
        start: datetime = START,
        minutes: int = 50,
        contact_type: ContactType = ContactType.IN_PERSON,
        location_type: LocationType = LocationType.COMMUNITY,
    ) -> NoteDraft:
        return NoteDraft(
            participant_id=participant_id,
            template=template,
            contact_type=contact_type,
            location_type=location_type,
            start_at=start,
            end_at=start + timedelta(minutes=minutes),
            body=full_body(template) if body is None else body,
            goals=goals,
        )

    return _make


@pytest.fixture
def screenshot_path(tmp_path: Path) -> Callable[[str], Path]:
    """Where a UI test saves its screenshot: tmp_path normally, so a test run
    never changes the repository; resources/screenshots/ under
    ``make screenshots`` (PEERDESK_UPDATE_SCREENSHOTS=1)."""
    shots = Path(__file__).resolve().parents[1] / "resources" / "screenshots"

    def _path(name: str) -> Path:
        return (shots if os.environ.get("PEERDESK_UPDATE_SCREENSHOTS") else tmp_path) / name

    return _path


def drop_log_handlers() -> None:
    """Remove the file handlers PeerDesk's logging setup (or a CLI) installed, so a
    test leaves no handler writing into another test's folder."""
    root = logging.getLogger("peerdesk")
    for handler in [h for h in root.handlers if getattr(h, "_peerdesk", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.NOTSET)


@pytest.fixture
def debug_log_file(log_dir: Path) -> Iterator[Path]:
    """Log everything PeerDesk logs, at DEBUG, into the test's log folder."""
    path = setup_logging(log_dir, level=logging.DEBUG)
    yield path
    drop_log_handlers()


#: the day this conftest (and so every test module) was imported
IMPORTED_ON = date.today()


def day_for_test(module_today: date, imported_on: date, today: date) -> date:
    """A module's ``TODAY`` for a test that runs on ``today``: the test's day when
    the module's was the day it was imported (``TODAY = date.today()``), else the
    module's own (a fixed date, such as ``date(2026, 3, 1)``)."""
    return today if module_today == imported_on else module_today


@pytest.fixture(autouse=True)
def _no_garbage_collection_inside_qt_events(request: pytest.FixtureRequest) -> Iterator[None]:
    """A Qt test runs with the cyclic garbage collector off and collects once it is
    over, after pytest-qt has closed its widgets and before the next test: a
    collection that starts inside Qt's dispatch of an event (a ``waitUntil``) or on
    the DB thread could free a previous test's window under Qt (CI: a segfault in
    test_sync_screen, "Garbage-collecting" on the GUI thread). The app itself
    collects on the GUI thread from a timer (:mod:`ui.main_thread_gc`)."""
    if "qapp" not in request.fixturenames:  # qtbot asks for qapp too
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        if was_enabled:
            gc.enable()


@pytest.fixture(autouse=True)
def _today_is_the_day_the_test_runs(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test module that keeps ``TODAY = date.today()`` (the day its data is built
    around) gets the day the *test* starts, not the day the module was imported:
    pytest-xdist imports every module when the run starts, so a run that began
    before midnight built "today's" notes for yesterday (seven tests failed that way
    in a run across midnight). A fixed ``TODAY`` stays as it is."""
    module = request.module
    kept = getattr(module, "TODAY", None) if module is not None else None
    if not isinstance(kept, date):
        yield
        return
    module.TODAY = day_for_test(kept, IMPORTED_ON, date.today())
    try:
        yield
    finally:
        module.TODAY = kept


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """``local_zone("America/Denver")``: this process's local time zone for the
    test (``TZ`` and ``time.tzset``); the machine's own again afterwards."""

    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()
