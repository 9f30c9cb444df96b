"""What differs between a laptop's sync and a supervisor's pull, for the one
:class:`ui.link_controller.LinkController`.

A :class:`LinkRole` says what the controller reads for the status (one DB job),
how a run is started and stopped, how its progress adds up, what it changed so
far when it did not finish, what an enrollment needs and how the status bar
says it all. :class:`PeerSync` is a field laptop's (``session.link.run()`` with
its :class:`SyncOptions`: it sends what waits and fetches feedback);
:class:`SupervisorPull` is a supervisor's (``session.link.run()`` fetching the
team's notes page by page, stopped between two pages when asked).
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from peerdesk.domain.review import WAITING_STATES, PullProgress, QueueFilter, SupervisorInfo
from peerdesk.domain.times import local_text
from peerdesk.errors import ValidationError, VaultLocked
from peerdesk.services import (
    BatchDone,
    BatchSent,
    Changes,
    DirectoryProgress,
    InboundApplied,
    OpResult,
    QuarantinedItem,
    Retrying,
    Session,
    SyncEvent,
    SyncOptions,
    SyncRun,
    SyncStarted,
    SyncStatus,
    Transport,
)
from ui.formats import format_when
from ui.i18n import tr

__all__ = [
    "LinkRole",
    "PeerSync",
    "PullSnapshot",
    "SupervisorPull",
    "SyncProgress",
    "SyncSnapshot",
    "progress_text",
]


class Snapshot(Protocol):
    """What a role reads for the status: at least whether the profile is enrolled."""

    @property
    def enrolled(self) -> bool: ...


class LinkRole(Protocol):
    """The role-specific part of the link (see the module docstring)."""

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds of data the status shows: it is read again when one changed."""
        ...

    @property
    def stops_itself(self) -> bool:
        """The run stops itself (between pages) when asked, rather than being
        cancelled at its next step."""
        ...

    def read(self, session: Session) -> Snapshot:
        """The status, in one DB job (runs on the DB thread)."""
        ...

    def run(
        self, session: Session, transport: Transport | None, stop: threading.Event
    ) -> Generator[Any, Any, OpResult[Any]]:
        """The run, a step generator advanced on the DB thread."""
        ...

    def start_progress(self) -> Any:
        """The progress before the first step (None: nothing to say yet)."""
        ...

    def after(self, progress: Any, step: Any) -> Any:
        """The progress after one progress value of the run."""
        ...

    def failure_of(self, value: Any) -> str | None:
        """Why a run that returned ``value`` still did not finish (None: it did)."""
        ...

    def stopped(self) -> str:
        """A run that was stopped, in words."""
        ...

    def changes_so_far(self, progress: Any) -> Changes:
        """What a run that failed or was stopped had changed, from its progress."""
        ...

    def enroll_label(self, label: str | None) -> str | None:
        """The label the enrollment is made with (ValidationError: not usable)."""
        ...

    def status_line(self, snapshot: Any, running: bool, connection: str) -> str:
        """The status bar's text (``snapshot`` None: not read yet)."""
        ...


# --- a laptop's sync ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyncSnapshot:
    """What the sync screen and the status bar show, read in one DB job."""

    status: SyncStatus
    history: list[SyncRun] = field(default_factory=list)  # newest first
    quarantine: list[QuarantinedItem] = field(default_factory=list)

    @property
    def enrolled(self) -> bool:
        return self.status.enrolled


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
    #: a directory download in chunks, as far as it went (None: none in this run)
    directory: DirectoryProgress | None = None

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
        if isinstance(event, DirectoryProgress):
            return replace(self, directory=event, retrying=None)
        return self


@dataclass(frozen=True, slots=True)
class PeerSync:
    """A field laptop's sync (see the module docstring)."""

    options: SyncOptions | None = None
    kinds: frozenset[str] = frozenset({"outbox", "profile"})
    stops_itself: bool = False

    def read(self, session: Session) -> SyncSnapshot:
        status = session.link.status()
        if not status.enrolled:
            return SyncSnapshot(status)
        return SyncSnapshot(status, session.link.history(20), session.link.quarantine())

    def run(
        self, session: Session, transport: Transport | None, stop: threading.Event
    ) -> Generator[Any, Any, OpResult[Any]]:
        try:
            return (yield from session.link.run(self.options, transport=transport))
        except Exception:
            if session.closed:
                # Locked and closed while the request was out: the run could not
                # even record its end (the next run closes that record as stopped).
                raise VaultLocked("the profile was locked during sync") from None
            raise

    def start_progress(self) -> SyncProgress:
        return SyncProgress()

    def after(self, progress: SyncProgress | None, step: SyncEvent) -> SyncProgress:
        return (progress or SyncProgress()).after(step)

    def failure_of(self, value: Any) -> str | None:
        return None

    def stopped(self) -> str:
        return tr("The sync was stopped; what was not sent waits for the next one.")

    def changes_so_far(self, progress: SyncProgress | None) -> Changes:
        if progress is None:
            return Changes.none()
        answered = progress.acked + progress.rejected > 0
        return Changes(
            notes=progress.acked > 0 or progress.feedback > 0,
            outbox=answered,
            feedback=progress.feedback > 0,
        )

    def enroll_label(self, label: str | None) -> str | None:
        return None  # the agency names a laptop "<profile> (PeerDesk)"

    def status_line(self, snapshot: SyncSnapshot | None, running: bool, connection: str) -> str:
        if snapshot is None:
            return tr("Reading the sync status…")
        status = snapshot.status
        if not status.enrolled:
            last = tr("not connected to an agency")
        elif status.last_success_at:
            last = tr("last synced {when}").format(when=format_when(status.last_success_at))
        else:
            last = tr("never synced")
        text = tr("{connection} · {last} · {pending} waiting to sync · {held} held back").format(
            connection=connection, last=last, pending=status.pending, held=status.quarantined
        )
        if status.enrolled and status.last_attempt_failed and not running:
            text += " · " + tr("last sync failed")
        return text


# --- a supervisor's pull ------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class SupervisorPull:
    """A supervisor's pull of the team's notes (see the module docstring)."""

    kinds: frozenset[str] = frozenset({"review", "profile"})
    stops_itself: bool = True

    def read(self, session: Session) -> PullSnapshot:
        info = session.review.info()
        if info is None:
            return PullSnapshot(None)
        at, error = session.review.last_pull()
        waiting = session.review.queue(QueueFilter(states=frozenset(WAITING_STATES)), limit=1)
        return PullSnapshot(info, at, error, waiting.total, len(session.review.peers()))

    def run(
        self, session: Session, transport: Transport | None, stop: threading.Event
    ) -> Generator[Any, Any, OpResult[Any]]:
        return (yield from session.link.run(cancel=stop.is_set, transport=transport))

    def start_progress(self) -> PullProgress | None:
        return None

    def after(self, progress: PullProgress | None, step: PullProgress) -> PullProgress:
        return step

    def failure_of(self, value: Any) -> str | None:
        if isinstance(value, PullProgress) and value.stage == "cancelled":
            return self.stopped()
        return None

    def stopped(self) -> str:
        return tr("The pull was stopped; the next one goes on from there.")

    def changes_so_far(self, progress: PullProgress | None) -> Changes:
        stored = progress is not None and (progress.records > 0 or progress.events > 0)
        return Changes(review=stored)

    def enroll_label(self, label: str | None) -> str | None:
        name = " ".join((label or "").split())
        if not name:
            raise ValidationError(tr("type your name as decisions are signed"), field="name")
        return name

    def status_line(self, snapshot: PullSnapshot | None, running: bool, connection: str) -> str:
        if snapshot is None:
            return tr("Reading the review status…")
        if not snapshot.enrolled:
            return tr("Not connected to an agency yet: see Sync")
        if running:
            last = tr("pulling notes…")
        elif snapshot.last_pull_at is not None:
            last = tr("last pulled {when}").format(when=local_text(snapshot.last_pull_at))
        else:
            last = tr("never pulled")
        text = tr(
            "{agency}, team {team} · {last} · %n note(s) waiting for a decision",
            None,
            snapshot.waiting,
        ).format(
            agency=snapshot.info.agency_name if snapshot.info else "",
            team=snapshot.info.team if snapshot.info else "",
            last=last,
        )
        if snapshot.last_error and not running:
            text += " · " + tr("last pull failed")
        return text
