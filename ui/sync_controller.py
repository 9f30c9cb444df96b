"""Sync for one open profile: run it, follow it, and decide when to run it by itself.

:class:`SyncController` belongs to a session (the window makes one per unlock and
shuts it down on lock). It

- reads the honest status (enrollment, last success, last attempt and why it
  failed, pending and held-back counts, history, the quarantine) in ONE job on the
  DB thread, and emits :attr:`~SyncController.state_changed`;
- runs a sync as a step job (``taskman.steps(session.link.run)``): the run is
  advanced on the DB thread and waits for the network on the network pool, so
  the DB thread (autosave) goes on during a slow sync; each sync event becomes a
  :class:`SyncProgress` (:attr:`~SyncController.progress_changed`);
- probes the agency (``GET /v1/ping`` with a short timeout, on the network pool);
- syncs by itself when the network comes back (a reachability change from
  :class:`ui.connectivity.NetworkMonitor`) and the agency answers, every
  ``periodic_ms`` (15 minutes) and shortly after start, unless a sync runs or the
  connection is metered and the profile's setting says not to.

Work functions touch no widget; callbacks run on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QObject, QTimer, Signal

from peerdesk.domain.times import from_iso, local_text
from peerdesk.errors import AgencyUnreachable, PeerDeskError, ValidationError, VaultLocked
from peerdesk.services import (
    PING_TIMEOUT_S,
    AgencyEndpoint,
    BatchDone,
    BatchSent,
    InboundApplied,
    Retrying,
    Session,
    SyncEvent,
    SyncOptions,
    SyncSettings,
    SyncStarted,
    SyncStatus,
    SyncSummary,
    Transport,
    load_provisioning,
    ping_agency,
)
from ui.connectivity import NetworkMonitor, Reach
from ui.errors import message_for
from ui.i18n import tr
from ui.taskman import TaskHandle, TaskManager

__all__ = ["SyncController", "SyncProgress", "SyncSnapshot", "format_size", "format_when"]

log = logging.getLogger("peerdesk.ui.sync")

#: a periodic try, besides the tries when the network comes back
PERIODIC_MS = 15 * 60 * 1000
#: the first automatic try after the window opens
STARTUP_DELAY_MS = 3000
#: counts are read again this long after the last job of a burst (saves)
STATUS_DEBOUNCE_MS = 250
#: a change up this scale (e.g. offline -> online) is the network "coming back"
_RANK = {Reach.OFFLINE: 0, Reach.UNKNOWN: 1, Reach.LOCAL: 2, Reach.ONLINE: 3}


@dataclass(frozen=True, slots=True)
class SyncSnapshot:
    """What the sync screen and the status bar show, read in one DB job."""

    status: SyncStatus
    history: list[Any] = field(default_factory=list)  # SyncRun, newest first
    quarantine: list[Any] = field(default_factory=list)  # QuarantinedItem


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """A running sync, as far as the GUI knows."""

    #: records waiting when the run started
    total: int = 0
    estimated_bytes: int = 0
    #: the batch on its way (0: none yet)
    batch: int = 0
    #: records in the current batch
    batch_records: int = 0
    #: records the agency answered for (accepted or refused)
    records_done: int = 0
    bytes_sent: int = 0
    acked: int = 0
    rejected: int = 0
    feedback: int = 0
    #: why the last request failed while it is retried, else None
    retrying: str | None = None
    retry_delay_s: float = 0.0

    def after(self, event: SyncEvent) -> SyncProgress:
        if isinstance(event, SyncStarted):
            return SyncProgress(event.pending, event.estimated_bytes)
        if isinstance(event, BatchSent):
            return replace(
                self,
                batch=event.batch,
                batch_records=event.records,
                bytes_sent=self.bytes_sent + event.bytes,
                retrying=None,
            )
        if isinstance(event, BatchDone):
            done = event.acked + event.rejected + event.duplicates
            return replace(
                self,
                records_done=self.records_done + done,
                acked=self.acked + event.acked,
                rejected=self.rejected + event.rejected,
            )
        if isinstance(event, InboundApplied):
            return replace(self, feedback=self.feedback + event.feedback)
        if isinstance(event, Retrying):
            return replace(self, retrying=event.cause, retry_delay_s=event.delay_s)
        return self


def format_when(iso: str | None) -> str:
    """An ISO time from the core as local "2026-11-23 14:02" ("" for None)."""
    if not iso:
        return ""
    try:
        moment: datetime = from_iso(iso)
    except ValueError:
        return iso
    return local_text(moment)


def format_size(n_bytes: int) -> str:
    """A byte count in the UI language ("12.3 KB")."""
    return QLocale().formattedDataSize(
        max(0, int(n_bytes)), 1, QLocale.DataSizeFormat.DataSizeSIFormat
    )


def _read_snapshot(session: Session) -> SyncSnapshot:
    """Runs on the DB thread."""
    status = session.link.status()
    if not status.enrolled:
        return SyncSnapshot(status)
    return SyncSnapshot(status, session.link.history(20), session.link.quarantine())


class SyncController(QObject):
    """Sync of one session; see the module docstring."""

    #: a new :class:`SyncSnapshot` was read
    state_changed = Signal(object)
    #: a :class:`SyncProgress` while a sync runs
    progress_changed = Signal(object)
    #: a sync started (True) or ended (False)
    running_changed = Signal(bool)
    #: a sync ended: the :class:`SyncSummary`, or None if it failed or was stopped
    finished = Signal(object)
    #: the online/offline picture changed (network or probe)
    connection_changed = Signal()
    #: the profile was enrolled (through the form or the demo)
    enrolled = Signal()

    def __init__(
        self,
        session: Session,
        taskman: TaskManager,
        network: NetworkMonitor,
        parent: QObject | None = None,
        *,
        transport: Transport | None = None,
        options: SyncOptions | None = None,
        periodic_ms: int = PERIODIC_MS,
        startup_delay_ms: int | None = STARTUP_DELAY_MS,
        probe_timeout_s: float = PING_TIMEOUT_S,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.taskman = taskman
        self.network = network
        self.transport = transport
        self.options = options
        self.probe_timeout_s = probe_timeout_s
        self.snapshot: SyncSnapshot | None = None
        self.settings: SyncSettings = session.link.settings()
        #: did the agency answer the last probe or sync? None: not asked yet
        self.agency_answers: bool | None = None
        self.progress: SyncProgress | None = None
        #: the last failure of a sync started here, in words (None after a success)
        self.last_failure: str | None = None
        self.auto_syncs = 0
        self._handle: TaskHandle | None = None
        self._probing = False
        self._closed = False
        self._last_reach = network.reachability
        self._own_mark = -1

        self.periodic = QTimer(self)
        self.periodic.setInterval(periodic_ms)
        self.periodic.timeout.connect(lambda: self.try_auto_sync("periodic"))
        self._startup_delay_ms = startup_delay_ms
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(STATUS_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)

    # --- life -------------------------------------------------------------------------

    def start(self) -> None:
        """Read the status, listen to the network and start the timers."""
        self.network.changed.connect(self._network_changed)
        self.taskman.activity_changed.connect(self._activity_changed)
        self.refresh()
        self.periodic.start()
        if self._startup_delay_ms is not None:
            QTimer.singleShot(self._startup_delay_ms, self, self._startup_try)

    def _startup_try(self) -> None:
        if self._handle is None:  # nothing synced since the window opened
            self.try_auto_sync("start")

    def shutdown(self) -> None:
        """Stop the timers and the running sync (called before the session ends)."""
        if self._closed:
            return
        self._closed = True
        self.periodic.stop()
        self._debounce.stop()
        try:
            self.network.changed.disconnect(self._network_changed)
        except (RuntimeError, TypeError):
            pass
        self.cancel()

    # --- reading ----------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus | None:
        return self.snapshot.status if self.snapshot is not None else None

    @property
    def is_enrolled(self) -> bool:
        return self.snapshot is not None and self.snapshot.status.enrolled

    @property
    def running(self) -> bool:
        return self._handle is not None and not self._handle.done

    def refresh(self) -> None:
        """Read the status, history and quarantine again (one DB job)."""
        if self._usable():
            self.taskman.db(_read_snapshot, self.session).success(self._got_snapshot).failure(
                self._snapshot_failed
            ).run()
            self._own_mark = self.taskman.jobs_submitted

    def after_refresh(self, then: Callable[[], object]) -> None:
        """Read the status again, then call ``then()`` (the DB thread runs jobs in
        order, so a no-op job queued after the read ends after it)."""
        self.refresh()
        if self._usable():
            self.taskman.db(_nothing).success(lambda _none: then()).run()

    def _got_snapshot(self, snapshot: SyncSnapshot) -> None:
        self.snapshot = snapshot
        self.state_changed.emit(snapshot)

    def _snapshot_failed(self, exc: BaseException) -> None:
        log.warning("sync status not read: %s", type(exc).__name__)

    def _activity_changed(self, busy: bool) -> None:
        # Every save, sign or edit ends a burst of DB work: count again, unless
        # the only job since the last count was that count itself.
        if not busy and self.taskman.jobs_submitted != self._own_mark and not self._closed:
            self._debounce.start()

    def _usable(self) -> bool:
        return not self._closed and not self.taskman.closed and not self.session.closed

    # --- connectivity -----------------------------------------------------------------

    def _network_changed(self) -> None:
        reach = self.network.reachability
        came_back = _RANK[reach] > _RANK[self._last_reach]
        self._last_reach = reach
        if reach is Reach.OFFLINE:
            self.agency_answers = False
        self.connection_changed.emit()
        if reach.may_reach_agency and came_back:
            self.try_auto_sync("network back")

    def probe(self, then: Callable[[bool], object] | None = None) -> None:
        """Ask the agency whether it answers (a cheap ``/v1/ping``, short timeout)."""
        if not self._usable() or self._probing:
            return
        self._probing = True

        def endpoint_read(endpoint: AgencyEndpoint | None) -> None:
            if endpoint is None or not self._usable():
                self._probing = False
                return
            self.taskman.network(
                ping_agency, endpoint, timeout_s=self.probe_timeout_s, transport=self.transport
            ).success(lambda _info: answered(True)).failure(lambda _exc: answered(False)).run()

        def answered(ok: bool) -> None:
            self._probing = False
            self.agency_answers = ok
            self.connection_changed.emit()
            if then is not None:
                then(ok)

        self.taskman.db(self.session.link.endpoint).success(endpoint_read).failure(
            lambda _exc: answered(False)
        ).run()

    def auto_sync_blocked(self) -> str | None:
        """Why an automatic sync would not start now, in words; None if it may."""
        if not self.is_enrolled:
            return tr("this laptop is not connected to an agency")
        if self.running:
            return tr("a sync is running")
        if self.network.reachability is Reach.OFFLINE:
            return tr("there is no network")
        if self.network.metered and not self.settings.sync_on_metered:
            return tr("the connection is metered")
        return None

    def try_auto_sync(self, reason: str) -> None:
        """Sync by itself if allowed and the agency answers the probe."""
        if not self._usable() or self.auto_sync_blocked() is not None:
            log.info("no automatic sync (%s): %s", reason, self.auto_sync_blocked() or "closed")
            return

        def probed(ok: bool) -> None:
            if ok and self.auto_sync_blocked() is None and self.sync_now(reason):
                self.auto_syncs += 1

        self.probe(probed)

    # --- settings ---------------------------------------------------------------------

    def set_sync_on_metered(self, on: bool) -> None:
        """Save the metered-connection setting (a small file in the profile folder)."""
        settings = SyncSettings(sync_on_metered=bool(on))
        self.settings = settings
        if self._usable():
            self.taskman.db(self.session.link.save_settings, settings).run()

    # --- syncing ----------------------------------------------------------------------

    def sync_now(self, reason: str = "asked") -> bool:
        """Start a sync unless one runs. Returns whether one was started."""
        if not self._usable() or self.running or not self.is_enrolled:
            return False
        log.info("sync started (%s)", reason)
        self.progress = SyncProgress()
        self.last_failure = None
        self._handle = (
            self.taskman.steps(self._run)
            .progress(self._on_event)
            .success(self._on_done)
            .failure(self._on_failed)
            .cancelled(self._on_cancelled)
            .run()
        )
        self.running_changed.emit(True)
        self.progress_changed.emit(self.progress)
        return True

    def cancel(self) -> None:
        """Stop the running sync at its next step (a backoff wait ends at once)."""
        if self._handle is not None and not self._handle.done:
            self._handle.cancel()

    def _run(self) -> Generator[Any, Any, SyncSummary | None]:
        """The sync, a step generator advanced on the DB thread (touches no widget)."""
        session = self.session
        try:
            result = yield from session.link.run(self.options, transport=self.transport)
        except Exception:
            if session.closed:
                # Locked and closed while the request was out: the run could not
                # even record its end (the next run closes that record as stopped).
                raise VaultLocked("the profile was locked during sync") from None
            raise
        summary = result.value
        return summary if isinstance(summary, SyncSummary) else None

    def _on_event(self, event: SyncEvent) -> None:
        self.progress = (self.progress or SyncProgress()).after(event)
        self.progress_changed.emit(self.progress)

    def _ended(self) -> None:
        self.progress = None
        self.running_changed.emit(False)
        self.refresh()

    def _on_done(self, summary: SyncSummary | None) -> None:
        self.agency_answers = True
        self.connection_changed.emit()
        self._ended()
        self.finished.emit(summary)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, PeerDeskError):
            log.info("sync failed: %s", type(exc).__name__)
        else:
            log.error("sync failed with an unexpected %s", type(exc).__name__)
        self.last_failure = message_for(exc)
        if isinstance(exc, AgencyUnreachable):
            self.agency_answers = False
            self.connection_changed.emit()
        self._ended()
        self.finished.emit(None)

    def _on_cancelled(self) -> None:
        self.last_failure = tr("The sync was stopped; what was not sent waits for the next one.")
        self._ended()
        self.finished.emit(None)

    # --- enrollment -------------------------------------------------------------------

    def enroll(
        self, provisioning_path: str, code: str, done: Callable[[BaseException | None], object]
    ) -> None:
        """Enroll with the agency of a provisioning file and a one-time code (an
        empty code: the one in the file). ``done(None)`` or ``done(exception)``."""
        path, code = provisioning_path.strip(), code.strip()

        def work() -> Generator[Any, Any, None]:
            provisioning = load_provisioning(Path(path)) if path else _no_file()
            yield from self.session.link.enroll_steps(
                provisioning, code or None, transport=self.transport
            )

        def ok(_none: None) -> None:
            done(None)
            self.after_refresh(self._enrolled_now)

        self.taskman.steps(work).success(ok).failure(done).run()

    def _enrolled_now(self) -> None:
        self.enrolled.emit()
        self.try_auto_sync("enrolled")

    def adopt_provisioning(
        self, provisioning_path: Path, done: Callable[[str], object] | None = None
    ) -> None:
        """The demo: enroll with this provisioning file (its code) if the profile is
        not enrolled, or take its agency address if the same agency moved (a new
        port); then sync. ``done(what)`` with "enrolled", "moved" or "same"."""

        def work() -> Generator[Any, Any, str]:
            provisioning = load_provisioning(provisioning_path)
            if self.session.link.endpoint() is None:
                yield from self.session.link.enroll_steps(provisioning, transport=self.transport)
                return "enrolled"
            return "moved" if self.session.link.update_agency_url(provisioning).value else "same"

        def ok(what: str) -> None:
            log.info("demo agency: %s", what)
            if done is not None:
                done(what)

            def then() -> None:
                if what == "enrolled":
                    self.enrolled.emit()
                self.sync_now("demo agency")

            self.after_refresh(then)

        def failed(exc: BaseException) -> None:
            self.last_failure = message_for(exc)
            self.connection_changed.emit()

        if self._usable():
            self.taskman.steps(work).success(ok).failure(failed).run()

    # --- words ------------------------------------------------------------------------

    def connection_words(self) -> str:
        """Online / offline in words (never a colour only)."""
        reach = self.network.reachability
        if self.running:
            return tr("Syncing…")
        if reach is Reach.OFFLINE:
            return tr("Offline")
        if self.is_enrolled:
            if self.agency_answers is True:
                return tr("Online")
            if self.agency_answers is False:
                return tr("Agency not reachable")
        if reach is Reach.ONLINE:
            return tr("Online")
        if reach is Reach.LOCAL:
            return tr("Local network only")
        return tr("Connection unknown")

    def status_line(self) -> str:
        """The status bar's text."""
        status = self.status
        if status is None:
            return tr("Reading the sync status…")
        if not status.enrolled:
            last = tr("not connected to an agency")
        elif status.last_success_at:
            last = tr("last synced {when}").format(when=format_when(status.last_success_at))
        else:
            last = tr("never synced")
        text = tr("{connection} · {last} · {pending} waiting to sync · {held} held back").format(
            connection=self.connection_words(),
            last=last,
            pending=status.pending,
            held=status.quarantined,
        )
        if status.enrolled and status.last_attempt_failed and not self.running:
            text += " · " + tr("last sync failed")
        return text


def _nothing() -> None:
    """A no-op DB job: its callback runs after the jobs queued before it."""


def _no_file() -> Any:
    raise ValidationError("choose the provisioning file IT gave you", field="provisioning")
