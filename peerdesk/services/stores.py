"""The storage of one open profile, as the services get it: private to
:class:`peerdesk.services.session.Session` and the services it builds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from peerdesk.config import Policy
from peerdesk.crypto.vault import Vault
from peerdesk.domain.review import PEER
from peerdesk.errors import WrongRole
from peerdesk.link.client import AgencyClient
from peerdesk.store.audit import AuditLog
from peerdesk.store.device import DeviceStore
from peerdesk.store.directory import DirectoryStore
from peerdesk.store.notes import NoteRepo
from peerdesk.store.outbox import Outbox
from peerdesk.store.participants import ParticipantRepo
from peerdesk.store.profile_info import ProfileInfo
from peerdesk.store.record import RecordRepo
from peerdesk.store.referrals import CorrectionRepo, ReferralRepo
from peerdesk.store.review import ReviewInbox, ReviewQueue, TeamFacts, TeamRecords
from peerdesk.store.review.workforce import TeamWorkforce
from peerdesk.store.sync_state import FeedbackStore, SyncLog, SyncQueue
from peerdesk.store.trips import TripRepo
from peerdesk.store.workforce import WorkforceRepo


@dataclass(frozen=True, slots=True)
class Stores:
    """Every repository of one profile over its one connection."""

    name: str
    path: Path
    policy: Policy
    db: Any
    vault: Vault
    info: ProfileInfo
    outbox: Outbox
    audit: AuditLog
    device: DeviceStore
    participants: ParticipantRepo
    notes: NoteRepo
    trips: TripRepo
    queue: SyncQueue
    sync_log: SyncLog
    feedback: FeedbackStore
    directory: DirectoryStore
    referrals: ReferralRepo
    record: RecordRepo
    workforce: WorkforceRepo
    corrections: CorrectionRepo
    review_inbox: ReviewInbox
    review_queue: ReviewQueue
    team: TeamFacts
    team_records: TeamRecords
    team_workforce: TeamWorkforce

    @classmethod
    def open(cls, name: str, path: Path, policy: Policy, db: Any, vault: Vault) -> Stores:
        outbox = Outbox(db)
        audit = AuditLog(db, vault)
        record = RecordRepo(db, vault, outbox)
        # crisis records and a flagged participant's notes sync first (issue 21)
        outbox.priority_rule = record.sync_priority
        return cls(
            name=name,
            path=path,
            policy=policy,
            db=db,
            vault=vault,
            info=ProfileInfo(db),
            outbox=outbox,
            audit=audit,
            device=DeviceStore(db, vault),
            participants=ParticipantRepo(db, vault, outbox),
            notes=NoteRepo(db, vault, outbox, audit),
            trips=TripRepo(db, vault, outbox),
            queue=SyncQueue(db),
            sync_log=SyncLog(db),
            feedback=FeedbackStore(db, vault),
            directory=DirectoryStore(db),
            referrals=ReferralRepo(db, vault, outbox),
            record=record,
            workforce=WorkforceRepo(db, vault, outbox),
            corrections=CorrectionRepo(db, vault, outbox),
            review_inbox=ReviewInbox(db, vault),
            review_queue=ReviewQueue(db, vault),
            team=TeamFacts(db, vault),
            team_records=TeamRecords(db, vault),
            team_workforce=TeamWorkforce(db, vault),
        )

    @property
    def role(self) -> str:
        return self.info.role()

    @property
    def is_peer(self) -> bool:
        return self.info.role() == PEER

    def require(self, needed: str, action: str) -> None:
        """:class:`WrongRole` unless this is a ``needed`` profile."""
        role = self.info.role()
        if role != needed:
            raise WrongRole(role, needed, action)

    def own_device_id(self) -> str:
        record = self.device.get()
        return record.device_id if record is not None else ""

    def client(self, transport: httpx.BaseTransport | None = None) -> AgencyClient:
        """A client for the enrolled agency with this profile's credential
        (:class:`NotEnrolled` if it is not enrolled; the vault must be unlocked)."""
        record = self.device.require()
        return AgencyClient(
            record.agency_url,
            ca_pem=record.ca_pem,
            credential=self.device.secrets().credential,
            transport=transport,
        )
