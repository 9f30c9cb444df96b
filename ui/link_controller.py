"""The profile's link to its agency, for one session: the status, the run,
enrollment; one controller for a laptop's sync and a supervisor's pull.

:class:`LinkController` belongs to a session (the window makes one per unlock
and shuts it down on lock). It

- reads the status (for a laptop: enrollment, last success, last attempt and
  why it failed, pending and held-back counts, history, quarantine; for a
  supervisor: the team, the last pull, the notes waiting for a decision) in ONE
  job on the DB thread and emits :attr:`~LinkController.state_changed`; it reads
  it again when a change of the kinds it shows is broadcast
  (:class:`ui.operations.ChangeBus`);
- runs ``session.link.run()`` as a step job: the run is advanced on the DB
  thread and waits for the network on the network pool, so the DB thread
  (autosave, reading the queue) goes on during a slow run; its progress is
  :attr:`~LinkController.progress_changed`; what it changed is broadcast (what
  the result says, or what the progress says when it did not finish);
- enrolls the profile (the provisioning file IT gave, the one-time code, and for
  a supervisor the name decisions are signed with).

What differs between the roles is a :class:`ui.link_roles.LinkRole` (how the
run is started and stopped, its progress and words) and an :class:`AutoRun`
(when it runs by itself: :class:`ui.auto_sync.AutoSync` for a laptop,
:class:`PullOnOpen` for a supervisor). Work functions touch no widget;
callbacks run on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from peerdesk.errors import PeerDeskError, ValidationError
from peerdesk.services import Changes, OpResult, Session, Transport, load_provisioning
from ui.errors import message_for
from ui.i18n import tr
from ui.link_roles import LinkRole, Snapshot
from ui.operations import ChangeBus, change_steps
from ui.taskman import TaskHandle, TaskManager

__all__ = ["STATUS_DEBOUNCE_MS", "AutoRun", "LinkController", "PullOnOpen"]

log = logging.getLogger("peerdesk.ui.link")

#: the status is read again this long after the last change of a burst
STATUS_DEBOUNCE_MS = 250


class AutoRun(Protocol):
    """When a role's run starts by itself."""

    def attach(self, controller: LinkController) -> None:
        """Called once, when the controller starts."""

    def first_snapshot(self, snapshot: Snapshot) -> None:
        """The status was read for the first time this session."""

    def enrolled(self) -> None:
        """The profile was enrolled just now."""

    def shutdown(self) -> None:
        """The session ends: stop every timer."""

    def connection_words(self) -> str:
        """Online / offline in words for the status bar ("" when not followed)."""


class PullOnOpen:
    """A supervisor's pull runs by itself when the window opens on an enrolled
    profile (what arrived while it was closed) and right after enrollment."""

    def __init__(self) -> None:
        self._controller: LinkController | None = None

    def attach(self, controller: LinkController) -> None:
        self._controller = controller

    def first_snapshot(self, snapshot: Snapshot) -> None:
        if snapshot.enrolled and self._controller is not None:
            self._controller.run_now("opened")

    def enrolled(self) -> None:
        if self._controller is not None:
            self._controller.run_now("enrolled")

    def shutdown(self) -> None:
        self._controller = None

    def connection_words(self) -> str:
        return ""


class LinkController(QObject):
    """The link of one session; see the module docstring."""

    #: a new snapshot of the status was read
    state_changed = Signal(object)
    #: the progress of a running run
    progress_changed = Signal(object)
    #: a run started (True) or ended (False)
    running_changed = Signal(bool)
    #: a run failed: the exception (before :attr:`finished`)
    failed = Signal(object)
    #: a run ended: its result's value, or None if it failed or was stopped
    finished = Signal(object)
    #: the online/offline picture changed (network or probe)
    connection_changed = Signal()
    #: the profile was enrolled (through the form or the demo)
    enrolled = Signal()

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        role: LinkRole,
        auto: AutoRun,
        parent: QObject | None = None,
        *,
        transport: Transport | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.role = role
        self.auto = auto
        self.transport = transport
        self.snapshot: Any = None
        self.progress: Any = None
        #: why the last run started here did not finish, in words (None after a success)
        self.last_failure: str | None = None
        self._handle: TaskHandle | None = None
        self._stop = threading.Event()
        self._closed = False
        self._read_once = False
        self._bus = ChangeBus.of(taskman)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(STATUS_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)

    # --- life -------------------------------------------------------------------------

    def start(self) -> None:
        """Read the status, follow the changes and start running by itself."""
        self._bus.changed.connect(self._changed)
        self.auto.attach(self)
        self.refresh()

    def shutdown(self) -> None:
        """Stop the timers and the running run (called before the session ends)."""
        if self._closed:
            return
        self._closed = True
        self._debounce.stop()
        self.auto.shutdown()
        self.cancel()

    def usable(self) -> bool:
        return not self._closed and not self.taskman.closed and not self.session.closed

    # --- reading ----------------------------------------------------------------------

    @property
    def is_enrolled(self) -> bool:
        return self.snapshot is not None and bool(self.snapshot.enrolled)

    @property
    def running(self) -> bool:
        return self._handle is not None and not self._handle.done

    @property
    def has_run(self) -> bool:
        """Whether a run was started this session."""
        return self._handle is not None

    def refresh(self, then: Callable[[], object] | None = None) -> None:
        """Read the status again (one DB job), then call ``then()``."""
        if self.usable():
            self.taskman.db(self.role.read, self.session).success(
                lambda snapshot: self._got_snapshot(snapshot, then)
            ).failure(self._snapshot_failed).run()

    def _got_snapshot(self, snapshot: Snapshot, then: Callable[[], object] | None) -> None:
        self.snapshot = snapshot
        self.state_changed.emit(snapshot)
        if not self._read_once:
            self._read_once = True
            self.auto.first_snapshot(snapshot)
        if then is not None:
            then()

    def _snapshot_failed(self, exc: BaseException) -> None:
        log.warning("link status not read: %s", type(exc).__name__)

    def _changed(self, changes: Changes, origin: object | None) -> None:
        # What this controller did itself it reads again when it ends.
        if origin is not self and changes.kinds() & self.role.kinds and not self._closed:
            self._debounce.start()

    # --- running ----------------------------------------------------------------------

    def run_now(self, reason: str = "asked") -> bool:
        """Start a run unless one runs. Returns whether one was started."""
        if not self.usable() or self.running or not self.is_enrolled:
            return False
        log.info("%s started (%s)", type(self.role).__name__, reason)
        self._stop = threading.Event()
        self.progress = self.role.start_progress()
        self.last_failure = None
        self._handle = (
            change_steps(self.taskman, self.role.run, self.session, self.transport, self._stop)
            .origin(self)
            .progress(self._on_progress)
            .success(self._on_done)
            .failure(self._on_failed)
            .cancelled(self._on_cancelled)
            .run()
        )
        self.running_changed.emit(True)
        if self.progress is not None:
            self.progress_changed.emit(self.progress)
        return True

    def cancel(self) -> None:
        """Stop the running run: between two pages (a pull: what was stored stays),
        or at its next step (a sync: a back-off wait ends at once)."""
        self._stop.set()
        if not self.role.stops_itself and self._handle is not None and not self._handle.done:
            self._handle.cancel()

    def _on_progress(self, step: Any) -> None:
        self.progress = self.role.after(self.progress, step)
        self.progress_changed.emit(self.progress)

    def _ended(self, value: Any, changed_so_far: bool) -> None:
        if changed_so_far:
            self._bus.broadcast(self.role.changes_so_far(self.progress), self)
        self.progress = None
        self.running_changed.emit(False)
        self.refresh()
        self.finished.emit(value)

    def _on_done(self, result: OpResult[Any]) -> None:
        self.last_failure = self.role.failure_of(result.value)
        self._ended(result.value, changed_so_far=False)  # the result says what changed

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PeerDeskError):
            log.info("run failed: %s", type(exc).__name__)
        else:
            log.error("run failed with an unexpected %s", type(exc).__name__)
        self.last_failure = message_for(exc)
        self.failed.emit(exc)
        self._ended(None, changed_so_far=True)

    def _on_cancelled(self) -> None:
        self.last_failure = self.role.stopped()
        self._ended(None, changed_so_far=True)

    # --- enrollment -------------------------------------------------------------------

    def enroll(
        self,
        provisioning_path: str,
        code: str,
        done: Callable[[BaseException | None], object],
        *,
        label: str | None = None,
    ) -> None:
        """Enroll with the agency of a provisioning file and a one-time code (an
        empty code: the one in the file); a supervisor also gives the name its
        decisions are signed with. ``done(None)`` or ``done(exception)``."""
        path, code = provisioning_path.strip(), code.strip()
        role, session, transport = self.role, self.session, self.transport

        def work() -> Generator[Any, Any, OpResult[Any]]:
            if not path:
                raise ValidationError(
                    tr("choose the provisioning file IT gave you"), field="provisioning"
                )
            name = role.enroll_label(label)
            provisioning = load_provisioning(Path(path))
            return (
                yield from session.link.enroll_steps(
                    provisioning, code or None, name, transport=transport
                )
            )

        def ok(_result: OpResult[Any]) -> None:
            done(None)
            self.refresh(then=self._enrolled_now)

        change_steps(self.taskman, work).origin(self).success(ok).failure(done).run()

    def _enrolled_now(self) -> None:
        self.enrolled.emit()
        self.auto.enrolled()

    def adopt_provisioning(
        self, provisioning_path: Path, done: Callable[[str], object] | None = None
    ) -> None:
        """The demo: enroll with this provisioning file (its code) if the profile is
        not enrolled, or take its agency address if the same agency moved (a new
        port); then run. ``done(what)`` with "enrolled", "moved" or "same"."""
        session, transport = self.session, self.transport

        def work() -> Generator[Any, Any, OpResult[str]]:
            provisioning = load_provisioning(provisioning_path)
            if session.link.endpoint() is None:
                made = yield from session.link.enroll_steps(provisioning, transport=transport)
                return OpResult("enrolled", made.changes)
            moved = session.link.update_agency_url(provisioning)
            return OpResult("moved" if moved.value else "same", moved.changes)

        def ok(result: OpResult[str]) -> None:
            what = result.value
            log.info("demo agency: %s", what)
            if done is not None:
                done(what)

            def then() -> None:
                if what == "enrolled":
                    self.enrolled.emit()
                self.run_now("demo agency")

            self.refresh(then=then)

        def failed(exc: BaseException) -> None:
            self.last_failure = message_for(exc)
            self.connection_changed.emit()

        if self.usable():
            change_steps(self.taskman, work).origin(self).success(ok).failure(failed).run()

    # --- words ------------------------------------------------------------------------

    def status_line(self) -> str:
        """The status bar's text."""
        return self.role.status_line(self.snapshot, self.running, self.auto.connection_words())
