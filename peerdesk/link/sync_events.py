"""What a sync run reports and how it is tuned: the progress events, the summary
and the options (:mod:`peerdesk.link.sync` runs it)."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from peerdesk.link.directory_download import DirectoryProgress
from peerdesk.wire.batching import Planned
from peerdesk.wire.protocol import DEFAULT_BATCH_BYTES

# --- progress events ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyncStarted:
    pending: int
    estimated_bytes: int


@dataclass(frozen=True, slots=True)
class BatchSent:
    batch: int
    records: int
    bytes: int
    attempt: int


@dataclass(frozen=True, slots=True)
class BatchDone:
    batch: int
    acked: int
    rejected: int
    #: acknowledgements of records acknowledged before (a replayed answer)
    duplicates: int = 0


@dataclass(frozen=True, slots=True)
class InboundApplied:
    feedback: int
    ignored: int
    cursor: int


@dataclass(frozen=True, slots=True)
class Retrying:
    attempt: int
    delay_s: float
    cause: str


@dataclass(frozen=True, slots=True)
class SyncSummary:
    batches: int
    sent: int
    acked: int
    rejected: int
    #: records set aside on this laptop (unreadable, or too large to send)
    quarantined_here: int
    feedback: int
    ignored_inbound: int
    forged_wipes: int
    #: signed directory updates applied
    directory_updates: int
    bytes_up: int
    bytes_down: int
    #: after the run
    pending: int
    quarantined: int
    cursor: int
    #: notes whose state the run moved: submitted when acknowledged, approved or
    #: returned by feedback
    notes_moved: int = 0
    #: recovery escrows the agency acknowledged (the older recovery codes retired)
    escrows: int = 0
    #: a newer agency key bundle was kept
    keys_refreshed: bool = False
    #: acknowledged records queued again because the agency restored a backup
    reopened: int = 0


@dataclass(frozen=True, slots=True)
class SyncFinished:
    summary: SyncSummary


SyncEvent = (
    SyncStarted
    | BatchSent
    | BatchDone
    | InboundApplied
    | Retrying
    | DirectoryProgress
    | SyncFinished
)


@dataclass(frozen=True, slots=True)
class SyncOptions:
    #: a batch is closed before its records exceed this many bytes
    batch_bytes: int = DEFAULT_BATCH_BYTES
    #: tries per batch, the first included
    max_attempts: int = 6
    backoff_base_s: float = 2.0
    backoff_cap_s: float = 120.0
    #: a run gives up when retrying would take it past this many seconds
    retry_budget_s: float = 900.0
    #: requests made only to fetch inbound items, after the records are sent
    max_pull_rounds: int = 20
    #: outbox entries read and sealed at a time
    window: int = 5000
    #: batches on the wire at once (1: wait for each answer before the next)
    pipeline: int = 2
    #: ask the agency for a newer key bundle (one small GET) at most this often
    bundle_check_s: float = 24 * 3600.0

    def __post_init__(self) -> None:
        if self.batch_bytes < 1024 or self.max_attempts < 1 or self.window < 1:
            raise ValueError("batch_bytes >= 1024, max_attempts >= 1 and window >= 1")
        if not 1 <= self.pipeline <= 4:
            raise ValueError("pipeline is 1-4 batches")
        if self.backoff_base_s < 0 or self.backoff_cap_s < 0 or self.retry_budget_s < 0:
            raise ValueError("backoff times and the retry budget cannot be negative")


@dataclass(slots=True)
class Flight:
    """A batch on its way: encoded once (a retry resends the same bytes and id)."""

    number: int
    planned: Planned
    batch_id: str
    body: bytes
    #: the started request, until its answer is awaited
    ticket: Future[Any] | None = None
    op_ids: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.op_ids = self.planned.op_ids
