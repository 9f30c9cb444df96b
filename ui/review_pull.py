"""The supervisor's pull: bring the team's synced notes to this machine.

:class:`PullController` belongs to a supervisor session (the window makes one
per unlock and shuts it down on lock, like the peer's sync controller). It

- reads the status (enrollment, when the last pull finished and why the last
  one failed, how many notes wait for a decision) in ONE job on the DB thread
  and emits :attr:`~PullController.state_changed`;
- runs ``session.link.run()`` (the supervisor's pull) as a step job: it is
  advanced on the DB thread and waits for the agency on the network pool, so the
  DB thread (reading the queue) goes on during a long first pull; each
  :class:`PullProgress` is emitted
  (:attr:`~PullController.progress_changed`). Cancel stops it between two pages;
  what was stored stays and the next pull resumes from the cursor;
- enrolls the profile as a supervisor (provisioning file, invite code, name).

Work functions touch no widget; callbacks run on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from peerdesk.domain.review import WAITING_STATES, PullProgress, QueueFilter, SupervisorInfo
from peerdesk.domain.times import local_text
from peerdesk.errors import PeerDeskError, ValidationError
from peerdesk.services import Session, Transport, load_provisioning
from ui.errors import message_for
from ui.i18n import tr
from ui.taskman import TaskHandle, TaskManager

__all__ = ["PullController", "PullSnapshot", "progress_text"]

log = logging.getLogger("peerdesk.ui.review_pull")


@dataclass(frozen=True, slots=True)
class PullSnapshot:
    """What the Sync section and the status bar show, read in one DB job."""

    info: SupervisorInfo | None
    last_pull_at: datetime | None = None
    last_error: str | None = None
    waiting: int = 0
    peers: int = 0

    @property
    def enrolled(self) -> bool:
        return self.info is not None


def _read_snapshot(session: Session) -> PullSnapshot:
    """Runs on the DB thread."""
    info = session.review.info()
    if info is None:
        return PullSnapshot(None)
    at, error = session.review.last_pull()
    waiting = session.review.queue(QueueFilter(states=frozenset(WAITING_STATES)), limit=1)
    return PullSnapshot(info, at, error, waiting.total, len(session.review.peers()))


def progress_text(progress: PullProgress) -> str:
    """One pull step in words."""
    if progress.stage == "grants":
        text = tr("Review keys opened: {keys}.").format(keys=progress.keys)
        if progress.bad_grants:
            text += " " + tr(
                "%n key(s) given to you could not be opened.", None, progress.bad_grants
            )
        return text
    if progress.stage == "devices":
        return tr("Your team's laptops: {devices}. Fetching notes…").format(
            devices=progress.devices
        )
    counts = tr(
        "Records received: {records} ({broken} cannot be read); review events: {events}."
    ).format(records=progress.records, broken=progress.broken, events=progress.events)
    if progress.stage == "done":
        return tr("Finished. {counts}").format(counts=counts)
    if progress.stage == "cancelled":
        return tr("Stopped. {counts} The next pull goes on from here.").format(counts=counts)
    more = tr("More to come…") if progress.more else ""
    return f"{counts} {more}".strip()


class PullController(QObject):
    """Pull and enrollment of one supervisor session; see the module docstring."""

    #: a new :class:`PullSnapshot` was read
    state_changed = Signal(object)
    #: a :class:`PullProgress` while a pull runs
    progress_changed = Signal(object)
    #: a pull started (True) or ended (False)
    running_changed = Signal(bool)
    #: a pull ended: its last :class:`PullProgress`, or None if it failed
    finished = Signal(object)
    #: the profile was enrolled as a supervisor
    enrolled = Signal()

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        parent: QObject | None = None,
        *,
        transport: Transport | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.transport = transport
        self.snapshot: PullSnapshot | None = None
        self.progress: PullProgress | None = None
        #: why the last pull started here failed, in words (None after a success)
        self.last_failure: str | None = None
        self._handle: TaskHandle | None = None
        self._cancel = threading.Event()
        self._closed = False

    # --- life -------------------------------------------------------------------------

    def start(self) -> None:
        self.refresh()

    def shutdown(self) -> None:
        """Stop the running pull (called before the session ends)."""
        if self._closed:
            return
        self._closed = True
        self.cancel()

    def _usable(self) -> bool:
        return not self._closed and not self.taskman.closed and not self.session.closed

    # --- reading ----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._handle is not None and not self._handle.done

    @property
    def is_enrolled(self) -> bool:
        return self.snapshot is not None and self.snapshot.enrolled

    def refresh(self, then: Callable[[], object] | None = None) -> None:
        """Read the status again (one DB job), then call ``then()``."""
        if self._usable():
            self.taskman.db(_read_snapshot, self.session).success(
                lambda snapshot: self._got_snapshot(snapshot, then)
            ).failure(self._snapshot_failed).run()

    def _got_snapshot(
        self, snapshot: PullSnapshot, then: Callable[[], object] | None = None
    ) -> None:
        self.snapshot = snapshot
        self.state_changed.emit(snapshot)
        if then is not None:
            then()

    def _snapshot_failed(self, exc: BaseException) -> None:
        log.warning("review status not read: %s", type(exc).__name__)
        if not isinstance(exc, PeerDeskError):
            raise exc

    # --- pulling ----------------------------------------------------------------------

    def pull_now(self) -> bool:
        """Start a pull unless one runs. Returns whether one was started."""
        if not self._usable() or self.running or not self.is_enrolled:
            return False
        self._cancel = threading.Event()
        self.progress = None
        self.last_failure = None
        self._handle = (
            self.taskman.steps(self._run, self._cancel)
            .progress(self._on_progress)
            .success(self._on_done)
            .failure(self._on_failed)
            .cancelled(self._on_cancelled)
            .run()
        )
        self.running_changed.emit(True)
        return True

    def cancel(self) -> None:
        """Stop the pull between two pages (what was stored stays stored)."""
        self._cancel.set()

    def _run(self, cancel: threading.Event) -> Generator[Any, Any, PullProgress | None]:
        """The pull, a step generator advanced on the DB thread (touches no widget).
        ``cancel`` is asked between pages: the pull ends with a "cancelled" step
        and what was stored stays."""
        result = yield from self.session.link.run(cancel=cancel.is_set, transport=self.transport)
        last = result.value
        return last if isinstance(last, PullProgress) else None

    def _on_progress(self, progress: PullProgress) -> None:
        self.progress = progress
        self.progress_changed.emit(progress)

    def _ended(self) -> None:
        self.running_changed.emit(False)
        self.refresh()

    def _on_done(self, last: PullProgress | None) -> None:
        if last is not None and last.stage == "cancelled":
            self.last_failure = tr("The pull was stopped; the next one goes on from there.")
        self._ended()
        self.finished.emit(last)

    def _on_failed(self, exc: BaseException) -> None:
        log.info("pull failed: %s", type(exc).__name__)
        self.last_failure = message_for(exc)
        self._ended()
        self.finished.emit(None)
        if not isinstance(exc, PeerDeskError):
            raise exc

    def _on_cancelled(self) -> None:
        self.last_failure = tr("The pull was stopped; the next one goes on from there.")
        self._ended()
        self.finished.emit(None)

    # --- enrollment -------------------------------------------------------------------

    def enroll(
        self,
        provisioning_path: str,
        code: str,
        name: str,
        done: Callable[[BaseException | None], object],
    ) -> None:
        """Enroll as a supervisor: the provisioning file IT gave, the one-time
        supervisor invite code (empty: the one in the file) and the name decisions
        are signed with. ``done(None)`` or ``done(exception)``."""
        path, code, name = provisioning_path.strip(), code.strip(), " ".join(name.split())

        def work() -> Generator[Any, Any, None]:
            if not path:
                raise ValidationError(
                    "choose the provisioning file IT gave you", field="provisioning"
                )
            if not name:
                raise ValidationError("type your name as decisions are signed", field="name")
            provisioning = load_provisioning(Path(path))
            yield from self.session.link.enroll_steps(
                provisioning, code or None, name, transport=self.transport
            )

        def ok(_none: None) -> None:
            done(None)
            self.refresh(then=self.enrolled.emit)

        self.taskman.steps(work).success(ok).failure(done).run()

    # --- words ------------------------------------------------------------------------

    def status_line(self) -> str:
        """The status bar's text."""
        snapshot = self.snapshot
        if snapshot is None:
            return tr("Reading the review status…")
        if not snapshot.enrolled:
            return tr("Not connected to an agency yet: see Sync")
        if self.running:
            last = tr("pulling notes…")
        elif snapshot.last_pull_at is not None:
            last = tr("last pulled {when}").format(when=local_text(snapshot.last_pull_at))
        else:
            last = tr("never pulled")
        text = tr(
            "{agency}, team {team} · {last} · {waiting} note(s) waiting for a decision"
        ).format(
            agency=snapshot.info.agency_name if snapshot.info else "",
            team=snapshot.info.team if snapshot.info else "",
            last=last,
            waiting=snapshot.waiting,
        )
        if snapshot.last_error and not self.running:
            text += " · " + tr("last pull failed")
        return text
