"""Crash safety: a worker writes, autosaves, signs and syncs notes, and is killed
with SIGKILL at a random moment, over and over for a time budget.

The worker (tests/reliability/crash_child.py, forked from a pre-imported zygote so
a run costs milliseconds, not an interpreter start) syncs with a real agency
(FastAPI under uvicorn on loopback, SQLite: the fixtures of
tests/sync/test_fault_cuts.py) and reports each step after it committed. After
every kill the profile must open and unlock, ``PRAGMA integrity_check`` must say
ok, the audit chain must verify, doctor must find nothing wrong, every note the
worker reported signed must be there with exactly the words it was signed with,
every addendum and trip it reported must be there, and the draft it was typing
must hold every word it reported saved and at most one autosave interval less
than it typed. At the end the laptop syncs what is left, and the agency must hold
every signed note, addendum and trip exactly once, opening to what was written.

Budget: ``PEERDESK_RELIABILITY_CRASH_SECONDS`` (default 40 s times the scale).
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from peerdesk.agency.review import Reviewer
from peerdesk.agency.storage import Storage
from peerdesk.crypto.kdf import KdfParams
from peerdesk.domain.models import NoteState
from peerdesk.services import ProfileManager, Session
from tests.reliability.budget import budget, record
from tests.reliability.crash_child import (
    AUTOSAVE_WORDS,
    PASSPHRASE,
    PROFILE,
    addendum_text,
    trip_destination,
    words_text,
)
from tests.sync.test_fault_cuts import (  # noqa: F401 - fixtures used by name
    SUPERVISOR,
    _enroll,
    _no_log_handlers_left,
    _sync_until_empty,
    agency,
    serving,
)

REPO = Path(__file__).absolute().parents[2]
#: a worker is killed this long (at most) after it was forked; it unlocks in ~0.1 s
MAX_LIFE_S = 0.9
#: what a run of the crash test must have seen, whatever its time budget
MIN_RUNS, MIN_SIGNED = 10, 5
#: a run left alone ends by itself after MAX_LIFE_S + 5 s (crash_child's own limit)
ALONE_S = MAX_LIFE_S + 30
MAX_RUNS = 5000


@dataclass
class Expected:
    """Everything the workers reported committed, over all runs."""

    signed: dict[str, int] = field(default_factory=dict)  # note id -> words
    addenda: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (note, n)
    trips: dict[str, int] = field(default_factory=dict)  # trip id -> n
    #: drafts never signed: note id -> (highest SAVED, highest TYPED)
    drafts: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Stats:
    runs: int = 0
    where: Counter[str] = field(default_factory=Counter)
    finished_alone: int = 0


class Zygote:
    def __init__(self, root: Path) -> None:
        env = {**os.environ, "PEERDESK_LOG_DIR": str(root / "logs")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_child", str(root)],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the zygote died (exit {self.proc.wait(timeout=10)})")
        return line.strip()

    def run_and_kill(self, report: Path, seed: int, kill_after: float) -> int:
        """Fork a worker, kill it ``kill_after`` seconds later (unless it ended by
        itself before); returns its wait status."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"RUN {report} {seed} {MAX_LIFE_S + 5}\n")
        self.proc.stdin.flush()
        kind, pid_text = self._line().split()
        assert kind == "PID", kind
        pid = int(pid_text)
        # Wait for the kill moment, or for the worker to end first (pidfd is readable).
        pidfd = os.pidfd_open(pid)
        try:
            select.select([pidfd], [], [], kill_after)
        finally:
            os.close(pidfd)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        kind, dead, status = self._line().split()
        assert kind == "EXIT" and int(dead) == pid
        return int(status)

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


def _enough(stats: Stats, expected: Expected) -> bool:
    return stats.runs >= MIN_RUNS and len(expected.signed) >= MIN_SIGNED


def _progress(stats: Stats, expected: Expected) -> str:
    return f"{stats.runs} runs, {len(expected.signed)} signed notes (want {MIN_RUNS}, {MIN_SIGNED})"


def _read_report(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.split() for line in path.read_text().splitlines() if line.strip()]


def _absorb(lines: list[list[str]], expected: Expected) -> None:
    """Fold one run's report into what must be in the profile from now on."""
    for parts in lines:
        kind = parts[0]
        if kind == "DRAFT":
            expected.drafts[parts[1]] = (0, 0)
        elif kind in ("TYPED", "SAVED"):
            saved, typed = expected.drafts[parts[1]]
            n = int(parts[2])
            expected.drafts[parts[1]] = (max(saved, n), typed) if kind == "SAVED" else (saved, n)
        elif kind == "SIGNED":
            expected.drafts.pop(parts[1], None)
            expected.signed[parts[1]] = int(parts[2])
        elif kind == "ADDENDUM":
            expected.addenda[parts[1]] = (parts[2], int(parts[3]))
        elif kind == "TRIP":
            expected.trips[parts[1]] = int(parts[2])
        elif kind == "CRASHED":
            raise AssertionError(f"the worker failed by itself: {' '.join(parts[1:])}")


def _where(lines: list[list[str]]) -> str:
    """Roughly where the kill landed (for the figures)."""
    if not lines:
        return "opening or unlocking"
    last = lines[-1][0]
    return {
        "SYNCING": "syncing",
        "TYPED": "typing or autosaving",
        "SAVED": "typing, signing or autosaving",
        "DONE": "finished by itself",
    }.get(last, "between steps")


def _check_profile(root: Path, expected: Expected, run_notes: set[str]) -> None:
    """Open the profile as the app would after the crash and check everything."""
    session = ProfileManager(root=root).open(PROFILE)
    try:
        session.unlock(PASSPHRASE)
        assert session._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        session._audit.verify()
        report = session.maintenance.doctor()
        assert report.ok, report
        _check_records(session, expected, run_notes)
    finally:
        session.close()


def _check_records(session: Session, expected: Expected, run_notes: set[str]) -> None:
    present = {str(r[0]) for r in session._db.execute("SELECT id FROM notes").fetchall()}
    missing = (set(expected.signed) | set(expected.drafts)) - present
    assert not missing, f"{len(missing)} reported note(s) are gone, e.g. {sorted(missing)[:3]}"
    for note_id, words in expected.signed.items():
        if note_id not in run_notes:
            continue  # checked in the run that signed it; present is checked above
        note = session.notes.get(note_id)
        assert note.state is not NoteState.DRAFT, f"signed note {note_id} is a draft again"
        assert note.body["intervention"] == words_text(words), f"signed note {note_id} changed"
    for note_id, (saved, typed) in list(expected.drafts.items()):
        if note_id not in run_notes:
            continue
        note = session.notes.get(note_id)
        text = note.body["intervention"]
        found = len(text.split()) if text else 0
        assert text == words_text(found), f"draft {note_id} holds text nobody typed"
        assert found >= saved, f"draft {note_id}: {found} words, but {saved} were reported saved"
        assert found >= typed - AUTOSAVE_WORDS, (
            f"draft {note_id}: {found} words after the kill, {typed} typed: more than one "
            f"autosave interval ({AUTOSAVE_WORDS} words) lost"
        )
        assert found <= typed or note.state is not NoteState.DRAFT
        if note.state is not NoteState.DRAFT:
            # killed between the sign's commit and its report line: it counts as signed
            expected.drafts.pop(note_id)
            expected.signed[note_id] = found
    addenda = {str(r[0]): str(r[1]) for r in session._db.execute("SELECT id, note_id FROM addenda")}
    for addendum_id, (note_id, _) in expected.addenda.items():
        assert addenda.get(addendum_id) == note_id, f"addendum {addendum_id} is gone"
    trips = {str(r[0]) for r in session._db.execute("SELECT id FROM trips")}
    assert set(expected.trips) <= trips, "a reported trip is gone"


def _check_agency(settings, device_id: str, expected: Expected) -> dict[str, int]:  # type: ignore[no-untyped-def]
    storage = Storage.from_url(settings.database_url)
    try:
        reviewer = Reviewer.from_key_files(settings, storage, SUPERVISOR)
        stored = storage.records.find(device_id=device_id, limit=1_000_000)
        ops = Counter(r.op_id for r in stored)
        assert max(ops.values(), default=1) == 1, "an op id is stored twice"
        notes: Counter[str] = Counter()
        addenda: Counter[str] = Counter()
        trips: Counter[str] = Counter()
        for rec in stored:
            if rec.kind == "note":
                payload = reviewer.open(rec).payload
                notes[rec.entity_id] += 1
                words = expected.signed.get(rec.entity_id)
                if words is not None:
                    assert payload["body"]["intervention"] == words_text(words)
            elif rec.kind == "addendum":
                payload = reviewer.open(rec).payload
                own_id = str(payload.get("id", rec.entity_id))
                addenda[own_id] += 1
                if own_id in expected.addenda:
                    assert payload["text"] == addendum_text(expected.addenda[own_id][1])
            elif rec.kind == "trip":
                payload = reviewer.open(rec).payload
                trips[rec.entity_id] += 1
                if rec.entity_id in expected.trips:
                    assert payload["destination"] == trip_destination(expected.trips[rec.entity_id])
        for what, counts, wanted in (
            ("note", notes, expected.signed),
            ("addendum", addenda, expected.addenda),
            ("trip", trips, expected.trips),
        ):
            lost = set(wanted) - set(counts)
            doubled = [k for k, n in counts.items() if n > 1]
            assert not lost, f"{len(lost)} {what}(s) never reached the agency"
            assert not doubled, f"{len(doubled)} {what}(s) stored twice at the agency"
        return {"records": len(stored)}
    finally:
        storage.close()


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing_committed(agency, data_dir: Path, tmp_path: Path):  # noqa: F811
    settings, sock = agency
    seconds = budget("crash_seconds", 40)
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    seed0 = rng.randrange(1_000_000)
    manager = ProfileManager(root=data_dir)
    session = manager.create(PROFILE, PASSPHRASE, kdf_params=KdfParams.new())
    expected = Expected()
    stats = Stats()
    with serving(settings, sock):
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        _enroll(session, settings, url, tmp_path)
        session.participants.add("Crash Test Participant")
        device_id = session._device.require().device_id
        session.close()
        zygote = Zygote(data_dir)
        try:
            deadline = time.monotonic() + seconds
            # The budget is a minimum: on a loaded machine a worker may be killed
            # before it signs anything (its clock starts at fork, before the unlock),
            # so the loop goes on until it has seen enough work, and every tenth run
            # of a starved loop is left to finish by itself (it signs notes then).
            while time.monotonic() < deadline or not _enough(stats, expected):
                if stats.runs >= MAX_RUNS:
                    raise AssertionError(f"{MAX_RUNS} runs and still {_progress(stats, expected)}")
                stats.runs += 1
                report = tmp_path / "reports" / f"run-{stats.runs:05d}.txt"
                report.parent.mkdir(exist_ok=True)
                starved = stats.runs % 10 == 0 and len(expected.signed) < MIN_SIGNED
                kill_after = ALONE_S if starved else rng.uniform(0.0, MAX_LIFE_S)
                status = zygote.run_and_kill(report, seed0 + stats.runs, kill_after)
                lines = _read_report(report)
                where = _where(lines)
                stats.where[where] += 1
                if os.WIFEXITED(status):
                    stats.finished_alone += 1
                    assert os.WEXITSTATUS(status) == 0, f"run {stats.runs} failed: {lines[-1:]}"
                else:
                    assert os.WTERMSIG(status) == signal.SIGKILL
                run_notes = {p[1] for p in lines if p[0] in ("DRAFT", "SIGNED")}
                _absorb(lines, expected)
                try:
                    _check_profile(data_dir, expected, run_notes)
                except AssertionError as exc:
                    raise AssertionError(
                        f"run {stats.runs} (seed {seed0 + stats.runs}, killed after "
                        f"{kill_after:.3f} s while {where}): {exc}"
                    ) from exc
        finally:
            zygote.close()
        # Back at the office: the laptop syncs everything that is left.
        session = manager.open(PROFILE)
        session.unlock(PASSPHRASE)
        try:
            _sync_until_empty(session, max_runs=5)
            assert session.link.status().quarantined == 0
        finally:
            session.close()
    figures = _check_agency(settings, device_id, expected)
    record(
        "crash",
        runs=stats.runs,
        failures=0,
        seconds=round(seconds),
        signed_notes=len(expected.signed),
        drafts_checked=len(expected.drafts),
        addenda=len(expected.addenda),
        trips=len(expected.trips),
        agency_records=figures["records"],
        killed_while=dict(stats.where),
    )
    assert _enough(stats, expected), _progress(stats, expected)
