"""``session.link``: the profile's connection to its agency, whatever its role.

Enrollment (:meth:`LinkService.enroll`: a laptop or a supervisor, by the
profile's role), the honest status, the history and the quarantine of a laptop,
its sync settings, the agency's address, the cheap probe, and one
:meth:`LinkService.run`: a laptop's sync or a supervisor's pull, as a step
generator (:mod:`peerdesk.link.steps`) that the desktop app advances on its DB
thread while the network calls run on its network pool. :meth:`sync`,
:meth:`pull` and :meth:`enroll` drive the same generators inline (the CLI, the
tests), with an injectable ``sleep``, ``clock``, ``rng`` and ``transport``.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from peerdesk.config import Provisioning, check_agency_url
from peerdesk.domain.review import PEER, SUPERVISOR, PullProgress, SupervisorInfo
from peerdesk.errors import Msg, ValidationError
from peerdesk.fsutil import atomic_write
from peerdesk.link import enrollment
from peerdesk.link.client import AgencyClient, PingInfo
from peerdesk.link.parts import SyncParts
from peerdesk.link.pull import PULL_PAGE, PullParts, pull
from peerdesk.link.steps import inline, run_inline
from peerdesk.link.sync import SyncEvent, SyncOptions, SyncSummary, run_sync
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.stores import Stores
from peerdesk.store.device import DeviceRecord
from peerdesk.store.outbox import OutboxCounts
from peerdesk.store.sync_state import QuarantinedItem, SyncRun, SyncStatus, read_status

log = logging.getLogger(__name__)

#: the profile's sync preferences (plain JSON: nothing sensitive goes in it)
SYNC_SETTINGS_FILE = "sync-settings.json"
#: how long the cheap agency probe may take, in seconds
PING_TIMEOUT_S = 5.0
ENROLLED = Changes(profile=True, outbox=True, review=True)
#: a laptop's enrollment answers with its device record, a supervisor's with its info
Enrolled = DeviceRecord | SupervisorInfo


def sync_changes(summary: SyncSummary) -> Changes:
    """What a finished sync run changed, from its summary (the one rule):

    * ``notes``: a note's state moved (submitted when the agency acknowledged it,
      approved or returned by feedback);
    * ``feedback``: a supervisor's feedback was stored;
    * ``directory``: a signed directory update was applied;
    * ``outbox``: records were acknowledged or set aside (by the agency or here);
    * ``profile``: the agency's newer keys were kept, or an acknowledged recovery
      escrow retired the older recovery codes.

    A valid wipe order erases the profile and ends the run with
    :class:`DeviceRevoked`, so no finished run reports it. The run's own
    bookkeeping (the status, the history, one audit row) is not a change here."""
    return Changes(
        notes=summary.notes_moved > 0,
        feedback=summary.feedback > 0,
        directory=summary.directory_updates > 0,
        outbox=summary.acked + summary.rejected + summary.quarantined_here > 0,
        profile=summary.keys_refreshed or summary.escrows > 0,
    )


def pull_changes(progress: PullProgress) -> Changes:
    """What a supervisor's pull (finished or cancelled) changed: ``review`` when
    it stored anything new (records, review events, repaired records)."""
    return Changes(review=progress.records + progress.events + progress.repaired > 0)


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """Sync preferences of one profile, kept in ``sync-settings.json`` in the
    profile folder. Only switches live here, never a name, key or address."""

    #: sync by itself also when the connection is metered (mobile data)
    sync_on_metered: bool = False

    def to_json(self) -> bytes:
        return json.dumps({"sync_on_metered": self.sync_on_metered}, indent=2).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> SyncSettings:
        """Read what :meth:`to_json` wrote; unknown or malformed values fall back to
        the defaults (a settings file never stops the app)."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        metered = data.get("sync_on_metered")
        return cls(sync_on_metered=metered if isinstance(metered, bool) else False)


@dataclass(frozen=True, slots=True)
class AgencyEndpoint:
    """Where the enrolled agency is and how to trust it (public; for the probe)."""

    name: str
    url: str
    ca_pem: str | None = field(default=None, repr=False)


def ping_agency(
    endpoint: AgencyEndpoint,
    *,
    timeout_s: float = PING_TIMEOUT_S,
    transport: httpx.BaseTransport | None = None,
) -> PingInfo:
    """``GET /v1/ping`` with a short timeout: does the agency answer? Touches no
    profile, so it runs on the network pool. Raises :class:`AgencyUnreachable`
    (or another :class:`SyncError`) when it does not."""
    with AgencyClient(
        endpoint.url,
        ca_pem=endpoint.ca_pem,
        transport=transport,
        timeouts=httpx.Timeout(timeout_s),
    ) as client:
        return client.ping()


class LinkService:
    def __init__(self, stores: Stores) -> None:
        self._s = stores

    # -- enrollment --------------------------------------------------------------------

    def enroll_steps(
        self,
        provisioning: Provisioning,
        code: str | None = None,
        label: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> Generator[Any, Any, OpResult[Enrolled]]:
        """Enroll this profile with the agency of ``provisioning`` using the one-time
        code IT gave (default: the one in the provisioning file); vault unlocked.
        A laptop's ``label`` names it for the agency (default: "<profile>
        (PeerDesk)"); a supervisor's is how decisions are signed (default: the
        profile name). A step generator; :meth:`enroll` runs it inline."""
        s = self._s
        role = s.role
        if label is None or (role != PEER and not label):
            label = f"{s.name} (PeerDesk)" if role == PEER else s.name
        code = enrollment.check_code(
            code if code is not None else provisioning.enrollment_code, role
        )
        parts = enrollment.EnrollParts(s.db, s.vault, s.device, s.queue, s.audit, s.review_inbox)
        with AgencyClient(
            provisioning.agency_url, ca_pem=provisioning.ca_cert_pem, transport=transport
        ) as client:
            done = yield from enrollment.enroll(
                parts, client, provisioning, role=role, code=code, label=label
            )
        return OpResult(done, ENROLLED)

    enroll = inline(enroll_steps)

    # -- the run: a laptop's sync, a supervisor's pull ---------------------------------

    def run(
        self,
        options: SyncOptions | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        cancel: Callable[[], bool] | None = None,
        page_size: int = PULL_PAGE,
    ) -> Generator[Any, Any, OpResult[SyncSummary | PullProgress]]:
        """The peer's sync (``options``, ``clock``, ``rng``) or the supervisor's
        pull (``cancel`` asked between pages, ``page_size``), by the profile's
        role: a step generator of progress events (:class:`SyncEvent` or
        :class:`PullProgress`); returns the summary or the last progress, with
        what the run changed (:func:`sync_changes`, :func:`pull_changes`)."""
        if self._s.is_peer:
            summary = yield from self._sync_steps(options, transport, clock, rng)
            return OpResult(summary, sync_changes(summary))
        last = yield from self._pull_steps(cancel, transport, page_size)
        return OpResult(last, pull_changes(last))

    def _sync_steps(
        self,
        options: SyncOptions | None,
        transport: httpx.BaseTransport | None,
        clock: Callable[[], float],
        rng: random.Random | None,
    ) -> Generator[Any, Any, SyncSummary]:
        s = self._s
        s.require(PEER, "syncing a field laptop")
        enrollment.ensure_recovery(s.db, s.vault, s.device, s.queue)
        parts = SyncParts(
            db=s.db,
            vault=s.vault,
            device=s.device,
            queue=s.queue,
            log=s.sync_log,
            feedback=s.feedback,
            participants=s.participants,
            notes=s.notes,
            trips=s.trips,
            audit=s.audit,
            directory=s.directory,
            directory_download=s.directory.download,
            referrals=s.referrals,
            corrections=s.corrections,
            record=s.record,
            workforce=s.workforce,
        )
        with s.client(transport) as client:
            return (yield from run_sync(parts, client, options, clock=clock, rng=rng))

    def _pull_steps(
        self,
        cancel: Callable[[], bool] | None,
        transport: httpx.BaseTransport | None,
        page_size: int,
    ) -> Generator[Any, Any, PullProgress]:
        s = self._s
        s.require(SUPERVISOR, "pulling notes for review")
        parts = PullParts(s.vault, s.device, s.audit, s.review_inbox)
        with s.client(transport) as client:
            return (yield from pull(parts, client, cancel, page_size))

    def sync(
        self,
        options: SyncOptions | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> Iterator[SyncEvent]:
        """A laptop's sync run driven inline: its progress events (see
        :func:`peerdesk.link.sync.run_sync`). A supervisor pulls instead."""
        return run_inline(self._sync_steps(options, transport, clock, rng), sleep=sleep)

    def pull(
        self,
        cancel: Callable[[], bool] | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        page_size: int = PULL_PAGE,
    ) -> Iterator[PullProgress]:
        """A supervisor's pull driven inline: its :class:`PullProgress` steps
        (``cancel`` is asked between pages; a stopped or failed pull resumes
        from its cursor). A laptop syncs instead."""
        return run_inline(self._pull_steps(cancel, transport, page_size))

    # -- status ------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        """Enrollment, last success, last attempt and its error, pending and
        quarantined counts. Works while locked."""
        return read_status(self._s.device, self._s.sync_log, self._s.queue)

    def waiting(self) -> OutboxCounts:
        """How many records wait to sync, were set aside, were acknowledged
        (works while locked)."""
        return self._s.queue.counts()

    def history(self, limit: int = 20) -> list[SyncRun]:
        return self._s.sync_log.history(limit)

    def quarantine(self) -> list[QuarantinedItem]:
        """Records the agency (or this laptop) refused, with the reason."""
        return self._s.queue.quarantined()

    def retry(self, op_ids: Iterable[str] | None = None) -> OpResult[int]:
        """Put quarantined records (all when ``op_ids`` is None) back in the queue."""
        return OpResult(self._s.queue.retry(op_ids), Changes(outbox=True))

    # -- the agency --------------------------------------------------------------------

    def endpoint(self) -> AgencyEndpoint | None:
        """The enrolled agency's name, address and CA (None if not enrolled).
        Works while locked: nothing here is secret."""
        record = self._s.device.get()
        if record is None:
            return None
        return AgencyEndpoint(record.agency_name, record.agency_url, record.ca_pem)

    def update_agency_url(self, provisioning: Provisioning) -> OpResult[bool]:
        """Take the agency address from a new provisioning file of the *same* agency
        (the same pinned root key id; anything else is a :class:`ValidationError`
        with ``field="provisioning"``). True if the address changed. The device
        keys, credential and cursor stay as they are."""
        url = check_agency_url(provisioning.agency_url)
        changed: bool = self._s.device.update_agency_url(url, provisioning.root_key_id)
        if changed and self._s.vault.is_unlocked:
            self._s.audit.append("sync", kind="agency_url_changed")
        return OpResult(changed, Changes(profile=changed))

    def ping(
        self, *, timeout_s: float = PING_TIMEOUT_S, transport: httpx.BaseTransport | None = None
    ) -> PingInfo | None:
        """Probe the enrolled agency inline (None if not enrolled)."""
        endpoint = self.endpoint()
        if endpoint is None:
            return None
        return ping_agency(endpoint, timeout_s=timeout_s, transport=transport)

    # -- settings ----------------------------------------------------------------------

    def settings(self) -> SyncSettings:
        """This profile's sync preferences (the policy's when none were saved). A
        setting the agency locked (``policy.locked``) is the policy's, whatever
        the profile's file says."""
        policy = self._s.policy
        from_policy = SyncSettings(sync_on_metered=policy.sync_on_metered)
        if policy.is_locked("metered_sync"):
            return from_policy
        try:
            raw = (self._s.path / SYNC_SETTINGS_FILE).read_bytes()
        except FileNotFoundError:
            return from_policy
        except OSError as exc:
            log.warning("sync settings not read: %s", type(exc).__name__)
            return from_policy
        return SyncSettings.from_json(raw)

    def save_settings(self, settings: SyncSettings) -> Changes:
        """Save the sync preferences (atomic; a plain file, nothing sensitive).
        :class:`ValidationError` (``field="sync_on_metered"``) when the agency
        locked that setting to another value."""
        policy = self._s.policy
        if policy.is_locked("metered_sync") and settings.sync_on_metered != policy.sync_on_metered:
            raise ValidationError(
                Msg("the agency has locked the metered-connection setting"), field="sync_on_metered"
            )
        atomic_write(self._s.path / SYNC_SETTINGS_FILE, settings.to_json())
        return Changes(settings=True)
