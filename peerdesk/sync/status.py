"""The honest sync status a peer sees: enrolled where, last success, last attempt
and why it failed (in words), what is waiting and what was set aside."""

from __future__ import annotations

from dataclasses import dataclass

from peerdesk.store.device import DeviceStore
from peerdesk.store.sync_state import SyncLog, SyncQueue


@dataclass(frozen=True, slots=True)
class SyncStatus:
    enrolled: bool
    agency_name: str | None
    agency_url: str | None
    device_id: str | None
    last_success_at: str | None
    last_attempt_at: str | None
    #: why the last attempt failed, in words; ``None`` after a success
    last_error: str | None
    pending: int
    quarantined: int
    acked: int
    bytes_up: int
    bytes_down: int
    #: a rough size of what is waiting, from the average record of past syncs
    pending_bytes_estimate: int | None

    @property
    def last_attempt_failed(self) -> bool:
        return self.last_error is not None


def read_status(device: DeviceStore, log: SyncLog, queue: SyncQueue) -> SyncStatus:
    """Readable while the vault is locked: nothing here is secret."""
    record = device.get()
    row = log.status()
    counts = queue.counts()
    runs = log.history(50)
    sent = sum(run.sent for run in runs)
    up = sum(run.bytes_up for run in runs)
    estimate = (up // sent) * counts.pending if sent else None
    return SyncStatus(
        enrolled=record is not None,
        agency_name=record.agency_name if record else None,
        agency_url=record.agency_url if record else None,
        device_id=record.device_id if record else None,
        last_success_at=row.last_success_at,
        last_attempt_at=row.last_attempt_at,
        last_error=row.last_error,
        pending=counts.pending,
        quarantined=counts.quarantined,
        acked=counts.acked,
        bytes_up=row.bytes_up,
        bytes_down=row.bytes_down,
        pending_bytes_estimate=estimate,
    )
