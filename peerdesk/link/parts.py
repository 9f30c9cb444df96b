"""The profile's stores a sync run reads and writes (assembled by the service)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peerdesk.crypto.vault import Vault
from peerdesk.store.audit import AuditLog
from peerdesk.store.device import DeviceStore
from peerdesk.store.directory.download import DownloadStore
from peerdesk.store.notes import NoteRepo
from peerdesk.store.participants import ParticipantRepo
from peerdesk.store.record import RecordRepo
from peerdesk.store.referrals import CorrectionRepo, ReferralRepo
from peerdesk.store.sync_state import FeedbackStore, SyncLog, SyncQueue
from peerdesk.store.trips import TripRepo
from peerdesk.store.workforce import WorkforceRepo
from peerdesk.wire.directory_updates import DirectoryTarget


@dataclass(frozen=True, slots=True)
class SyncParts:
    db: Any
    vault: Vault
    device: DeviceStore
    queue: SyncQueue
    log: SyncLog
    feedback: FeedbackStore
    participants: ParticipantRepo
    notes: NoteRepo
    trips: TripRepo
    audit: AuditLog
    #: where signed "directory" updates go; None: they are skipped
    directory: DirectoryTarget | None = None
    #: a directory download in chunks in progress (with ``directory``); None: none
    directory_download: DownloadStore | None = None
    #: referrals and suggested corrections; None: such entries are set aside as unreadable
    referrals: ReferralRepo | None = None
    corrections: CorrectionRepo | None = None
    #: the participant's record (plan, enrollment, consent, outcome); None: set aside
    record: RecordRepo | None = None
    #: the peer's workforce record (issue 23); None: set aside
    workforce: WorkforceRepo | None = None
