"""The API the UI and the CLI use: :class:`ProfileManager`, :class:`Session` (the
composition root of one open profile) and its capability services, whose
changing calls return :class:`Changes` or :class:`OpResult`. The start-up pieces
of the desktop app are in :mod:`peerdesk.services.app`."""

import httpx

from peerdesk.config import Provisioning, load_provisioning
from peerdesk.link.client import PingInfo
from peerdesk.link.directory_download import DirectoryProgress
from peerdesk.link.pull import PULL_PAGE
from peerdesk.link.steps import Await, Net, Start, Wait, is_step, run_inline
from peerdesk.link.sync import (
    BatchDone,
    BatchSent,
    InboundApplied,
    Retrying,
    SyncEvent,
    SyncFinished,
    SyncOptions,
    SyncStarted,
    SyncSummary,
)
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.link import (
    PING_TIMEOUT_S,
    AgencyEndpoint,
    SyncSettings,
    ping_agency,
)
from peerdesk.services.maintenance import DoctorReport
from peerdesk.services.profiles import (
    RECOVERY_CODE_CHARS,
    ProfileManager,
    assess_passphrase,
    check_recovery_code,
    validate_profile_name,
)
from peerdesk.services.session import DB_FILE, VAULT_FILE, Session
from peerdesk.store.base import ReadResult
from peerdesk.store.notes import NotePage
from peerdesk.store.sync_state import Feedback, QuarantinedItem, SyncRun, SyncStatus

#: what replaces the network in tests and the demo (``httpx.MockTransport``)
Transport = httpx.BaseTransport

__all__ = [
    "DB_FILE",
    "PING_TIMEOUT_S",
    "PULL_PAGE",
    "RECOVERY_CODE_CHARS",
    "VAULT_FILE",
    "AgencyEndpoint",
    "BatchDone",
    "BatchSent",
    "Changes",
    "DirectoryProgress",
    "DoctorReport",
    "Feedback",
    "InboundApplied",
    "Await",
    "Net",
    "Start",
    "NotePage",
    "OpResult",
    "PingInfo",
    "ProfileManager",
    "Provisioning",
    "QuarantinedItem",
    "ReadResult",
    "Retrying",
    "Session",
    "SyncEvent",
    "SyncFinished",
    "SyncOptions",
    "SyncRun",
    "SyncSettings",
    "SyncStarted",
    "SyncStatus",
    "SyncSummary",
    "Transport",
    "Wait",
    "assess_passphrase",
    "check_recovery_code",
    "is_step",
    "load_provisioning",
    "ping_agency",
    "run_inline",
    "validate_profile_name",
]
