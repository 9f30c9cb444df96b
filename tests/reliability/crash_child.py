"""The process the crash-safety test kills with SIGKILL (tests/reliability/test_crash_safety.py).

    python -m tests.reliability.crash_child ROOT

runs as a *zygote*: it imports PeerDesk once, then for every line
``RUN <report file> <seed> <max seconds>`` on its standard input it forks a worker,
prints ``PID <pid>``, waits for it and prints ``EXIT <pid> <wait status>``. Forking
an interpreter that has everything imported takes a millisecond, so the test can
kill hundreds of workers in a minute. The zygote starts no thread and opens no
database or socket, so a fork of it is safe.

A worker opens the profile ``crash`` under ROOT, unlocks it and works like a peer
would, in an order drawn from ``seed``: it types words into a draft (autosaving
every :data:`AUTOSAVE_WORDS` words), signs the note, adds addenda and trips and
syncs with the agency. After each step *has committed* it appends one line to its
report file (unbuffered ``os.write``: a line written is in the kernel, and SIGKILL
does not lose it)::

    READY
    DRAFT <note id>                   a draft was created (empty)
    TYPED <note id> <words>           one more word typed (in memory only)
    SAVED <note id> <words>           autosave committed the first <words> words
    SIGNED <note id> <words>          the note is signed with exactly <words> words
    ADDENDUM <addendum id> <note id> <n>
    TRIP <trip id> <n>
    SYNCING                           a sync run starts
    SYNCED <pending> <quarantined> <seconds>   a sync run finished
    DONE                              the worker ran out of time by itself
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from peerdesk.domain.models import ContactType, LocationType, NoteDraft, NoteTemplate
from peerdesk.errors import SyncError
from peerdesk.link.sync import SyncOptions
from peerdesk.services import ProfileManager

PROFILE = "crash"
PASSPHRASE = "killed mid sentence by the power company"
#: the app autosaves on a timer; the simulated typist autosaves every this many words
AUTOSAVE_WORDS = 6
START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def words_text(words: int) -> str:
    """What the typist has typed after ``words`` words: "w0001 w0002 ..."."""
    return " ".join(f"w{i:04d}" for i in range(1, words + 1))


def addendum_text(n: int) -> str:
    return f"addendum number {n:06d}"


def trip_destination(n: int) -> str:
    return f"crash trip {n:06d}"


def draft(participant_id: str, words: int) -> NoteDraft:
    return NoteDraft(
        participant_id=participant_id,
        template=NoteTemplate.GIRP,
        contact_type=ContactType.IN_PERSON,
        location_type=LocationType.COMMUNITY,
        start_at=START,
        end_at=START + timedelta(minutes=45),
        body={
            "goal": "stay housed",
            "intervention": words_text(words),
            "response": "engaged",
            "plan": "follow up",
        },
        goals=("housing",),
    )


class Reporter:
    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def __call__(self, *parts: object) -> None:
        os.write(self.fd, (" ".join(str(p) for p in parts) + "\n").encode())


def work(root: Path, report_path: str, seed: int, max_seconds: float) -> None:
    rng = random.Random(seed)
    say = Reporter(report_path)
    session = ProfileManager(root=root).open(PROFILE)
    session.unlock(PASSPHRASE)
    say("READY")
    participant = session.participants.list().items[0].id
    deadline = datetime.now(UTC) + timedelta(seconds=max_seconds)
    note_id: str | None = None
    words = target = 0
    signed: list[str] = []
    counter = seed * 1000
    while datetime.now(UTC) < deadline:
        counter += 1
        roll = rng.random()
        if note_id is None:
            note_id = session.notes.create_draft(draft(participant, 0)).value.id
            words, target = 0, rng.randint(8, 40)
            say("DRAFT", note_id)
        elif words < target:
            words += 1
            say("TYPED", note_id, words)
            if words % AUTOSAVE_WORDS == 0:
                session.notes.save_draft(note_id, draft(participant, words))
                say("SAVED", note_id, words)
        elif roll < 0.8:
            session.notes.save_draft(note_id, draft(participant, words))
            say("SAVED", note_id, words)
            session.notes.sign(note_id)
            say("SIGNED", note_id, words)
            signed.append(note_id)
            note_id = None
            if rng.random() < 0.2:
                run_sync(session, say)
        else:
            # the peer leaves the draft for later and does something else first
            if signed and rng.random() < 0.5:
                on = rng.choice(signed)
                addendum = session.notes.add_addendum(on, addendum_text(counter)).value
                say("ADDENDUM", addendum.id, on, counter)
            else:
                trip = session.trips.add(
                    date(2026, 3, 2),
                    "medical",
                    "clinic",
                    miles=Decimal("4.5"),
                    destination=trip_destination(counter),
                ).value
                say("TRIP", trip.id, counter)
            if rng.random() < 0.15:
                run_sync(session, say)
    session.close()
    say("DONE")


def run_sync(session, say: Reporter) -> None:  # type: ignore[no-untyped-def]
    options = SyncOptions(batch_bytes=8192, max_attempts=2, backoff_base_s=0)
    say("SYNCING")
    started = time.monotonic()
    try:
        for _ in session.link.sync(options, sleep=lambda _s: None):
            pass
    except SyncError:
        return
    status = session.link.status()
    say("SYNCED", status.pending, status.quarantined, f"{time.monotonic() - started:.3f}")


def zygote(root: Path) -> None:
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] != "RUN" or len(parts) != 4:
            print(f"ERROR bad command {line!r}", flush=True)
            continue
        report, seed, max_seconds = parts[1], int(parts[2]), float(parts[3])
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                random.seed()  # not the zygote's random state
                work(root, report, seed, max_seconds)
            except BaseException as exc:  # noqa: BLE001 - reported, then the exit code says it
                Reporter(report)("CRASHED", type(exc).__name__, str(exc).replace("\n", " "))
                code = 3
            finally:
                os._exit(code)
        print(f"PID {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"EXIT {pid} {status}", flush=True)


if __name__ == "__main__":
    zygote(Path(sys.argv[1]))
