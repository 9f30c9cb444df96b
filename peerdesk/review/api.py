"""The review, report and export part of the service API (issue 6).

:class:`ReviewAPI` is a mixin of :class:`peerdesk.service.Session`: the same
object the UI already holds, so these are ``session.review_queue(...)``,
``session.billing_report(...)`` and so on. A profile's role (``peer`` or
``supervisor``, set when it is created, migration 0008) decides what it may do:
review and pulling need a supervisor profile, resubmitting a peer's; reports
work on both (a supervisor's over the team's synced notes, a peer's over their
own). Each method raises a :class:`PeerDeskError` subclass with a clear message.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx

from peerdesk.config import Policy, Provisioning
from peerdesk.crypto.vault import Vault
from peerdesk.domain.billing import PayerProfile, load_payer_profiles
from peerdesk.domain.models import DestinationType, Note, NoteState, Trip, TripPurpose
from peerdesk.errors import (
    ConfigError,
    StorageError,
    ValidationError,
    VaultLocked,
    WrongRole,
)
from peerdesk.exports import is_identifiable, report_kind, write_csv
from peerdesk.ids import date_from_iso, from_iso, now_utc, to_iso
from peerdesk.reports import (
    BillingReport,
    Deadline,
    MileageClaim,
    MileageReport,
    MonthSummary,
    NoteFacts,
    OverdueNote,
    TripFacts,
    billing_report,
    mileage_claim,
    mileage_report,
    month_bounds,
    month_days,
    month_summary,
    overdue_report,
)
from peerdesk.review.cache import ReviewCache, local_tz
from peerdesk.review.client import SupervisorClient
from peerdesk.review.desk import PULL_PAGE, ReviewDesk
from peerdesk.review.models import (
    WAITING_STATES,
    Peer,
    PullProgress,
    QueueFilter,
    QueuePage,
    ReviewedNote,
    ReviewEvent,
    SupervisorInfo,
)
from peerdesk.store.audit import AuditLog
from peerdesk.store.db import translate_errors
from peerdesk.store.device import DeviceStore
from peerdesk.store.notes import NoteRepo, contact_times
from peerdesk.store.trips import TripRepo

log = logging.getLogger(__name__)

ROLES = ("peer", "supervisor")
PEER, SUPERVISOR = ROLES
EXPORT_FORMATS = ("csv", "pdf")


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError("a profile is a 'peer' or a 'supervisor' profile", field="role")
    return role


def read_role(db: Any) -> str:
    """The role stored in a profile database (works while locked)."""
    with translate_errors("read the profile's role", writing=False):
        found = db.conn.execute("SELECT role FROM profile_info WHERE id = 1").fetchone()
    return str(found[0]) if found else PEER


def _trip(trip_id: str, doc: dict[str, Any]) -> Trip:
    """A synced trip payload as a domain :class:`Trip` (ValueError if malformed)."""

    def dec(key: str) -> Decimal | None:
        value = doc.get(key)
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"{key} is not a number") from None

    return Trip(
        id=trip_id,
        trip_date=date_from_iso(str(doc["trip_date"])),
        purpose=TripPurpose(doc["purpose"]),
        destination_type=DestinationType(doc.get("destination_type", "other")),
        created_at=from_iso(str(doc.get("created_at") or "1970-01-01T00:00:00+00:00")),
        with_participant=bool(doc.get("with_participant")),
        participant_id=doc.get("participant_id"),
        odometer_start=dec("odometer_start"),
        odometer_end=dec("odometer_end"),
        miles=dec("miles"),
    )


class _ReleasingSupervisorClient(SupervisorClient):
    """A :class:`SupervisorClient` that lets go of the session's DB guard while it
    waits for the network (every request goes through ``_exchange``)."""

    def __init__(
        self,
        base_url: str,
        *,
        release: threading.Lock,
        still_open: Callable[[], bool],
        **kwargs: Any,
    ) -> None:
        super().__init__(base_url, **kwargs)
        self._release = release
        self._still_open = still_open

    def _exchange(self, *args: Any, **kwargs: Any) -> tuple[int, str, bytes]:
        self._release.release()
        try:
            return super()._exchange(*args, **kwargs)
        finally:
            self._release.acquire()
            if not self._still_open():
                raise VaultLocked("the profile was locked during the pull; it resumes next time")


class ReviewAPI:
    """Mixed into :class:`peerdesk.service.Session` (which provides these)."""

    name: str
    path: Path
    db: Any
    vault: Vault
    policy: Policy
    audit: AuditLog
    device: DeviceStore
    notes: NoteRepo
    trips: TripRepo
    db_guard: threading.Lock
    closed: bool

    # -- role ------------------------------------------------------------------------------

    @property
    def role(self) -> str:
        """``"peer"`` or ``"supervisor"`` (readable while locked)."""
        cached: str | None = self.__dict__.get("_role")
        if cached is None:
            cached = read_role(self.db)
            self.__dict__["_role"] = cached
        return cached

    def _set_role(self, role: str) -> None:
        """Set the role of a new profile (:meth:`ProfileManager.create` only)."""
        check_role(role)
        with translate_errors("save the profile's role"), self.db.atomic():
            self.db.conn.execute(
                "UPDATE profile_info SET role = ?, role_set_at = ? WHERE id = 1",
                (role, to_iso(now_utc())),
            )
        self.__dict__["_role"] = role

    def _require(self, needed: str, action: str) -> None:
        if self.role != needed:
            raise WrongRole(self.role, needed, action)

    # -- supervisor: enrollment and pull --------------------------------------------------

    @cached_property
    def review_cache(self) -> ReviewCache:
        return ReviewCache(self.db, self.vault)

    @cached_property
    def review_desk(self) -> ReviewDesk:
        return ReviewDesk(self.db, self.vault, self.device, self.audit, self.review_cache)

    def enroll_supervisor(
        self,
        provisioning: Provisioning,
        code: str | None = None,
        name: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> SupervisorInfo:
        """Enroll this supervisor profile with the agency of ``provisioning`` using
        the one-time supervisor invite code IT issued (vault unlocked). ``name`` is
        how decisions are signed (default: the profile name)."""
        self._require(SUPERVISOR, "supervisor enrollment")
        code = code if code is not None else provisioning.enrollment_code
        if not code:
            raise ValidationError("type the supervisor invite code IT gave you", field="code")
        with SupervisorClient(
            provisioning.agency_url, ca_pem=provisioning.ca_cert_pem, transport=transport
        ) as client:
            return self.review_desk.enroll(client, provisioning, code, name or self.name)

    def supervisor_info(self) -> SupervisorInfo | None:
        """The enrolled supervisor (None if not enrolled yet); needs the vault unlocked."""
        self._require(SUPERVISOR, "the supervisor's enrollment")
        return self.review_desk.info()

    def review_last_pull(self) -> tuple[datetime | None, str | None]:
        """When the last complete pull finished, and the last failure in words."""
        at, error = self.review_cache.last_pull()
        return (from_iso(at) if at else None), error

    def review_pull(
        self,
        cancel: Callable[[], bool] | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        page_size: int = PULL_PAGE,
        guarded: bool = False,
    ) -> Iterator[PullProgress]:
        """Bring the team's new records and review events into the local cache
        (a generator of :class:`PullProgress`; run it on a worker). ``cancel`` is
        asked between pages; a stopped or failed pull resumes from its cursor.

        With ``guarded`` (the desktop app) the pull holds :attr:`db_guard` while it
        touches the profile and lets go of it while it waits for the agency, so
        the queue can be read during a long pull; if the profile was locked or
        closed meanwhile the pull stops with :class:`VaultLocked`."""
        self._require(SUPERVISOR, "pulling notes for review")
        if not guarded:
            with self.review_desk.client(transport) as client:
                yield from self.review_desk.pull(client, cancel, page_size)
            return
        guard: threading.Lock = self.db_guard
        with guard:
            record = self.device.require()
            credential = self.device.secrets().credential
            with _ReleasingSupervisorClient(
                record.agency_url,
                ca_pem=record.ca_pem,
                credential=credential,
                transport=transport,
                release=guard,
                still_open=lambda: not self.closed and self.vault.is_unlocked,
            ) as client:
                yield from self.review_desk.pull(client, cancel, page_size)

    # -- supervisor: queue and decisions ---------------------------------------------------

    def review_peers(self) -> list[Peer]:
        self._require(SUPERVISOR, "the review queue")
        return self.review_cache.peers()

    def review_queue(
        self,
        filter: QueueFilter | None = None,  # the contract's name (shadows the builtin)
        offset: int = 0,
        limit: int = 50,
        *,
        now: datetime | None = None,
        tz: tzinfo | None = None,
    ) -> QueuePage:
        """One page of the queue, oldest contact first, with the total count.
        Reads one indexed range and decrypts only the lines of the page."""
        self._require(SUPERVISOR, "the review queue")
        self.vault.keys  # noqa: B018 - VaultLocked before anything is read
        return self.review_cache.queue(
            filter or QueueFilter(), offset, limit, now or now_utc(), tz or local_tz()
        )

    def review_note(
        self, device_id: str, note_id: str, *, tz: tzinfo | None = None
    ) -> ReviewedNote:
        """A note with its addenda, the trips of that contact (same laptop,
        participant and day) and its review history."""
        self._require(SUPERVISOR, "reading a note for review")
        self.vault.keys  # noqa: B018
        return self.review_cache.reviewed_note(device_id, note_id, now_utc(), tz or local_tz())

    def review_decide(
        self,
        device_id: str,
        note_id: str,
        decision: str,
        comment: str,
        seen_seq: int,
        reviewer: str,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> ReviewEvent:
        """Approve (co-sign) or return a note. :class:`NoteChanged` when the note
        changed after it was opened or was decided already."""
        self._require(SUPERVISOR, "deciding on a note")
        with self.review_desk.client(transport) as client:
            return self.review_desk.decide(
                client,
                device_id=device_id,
                note_id=note_id,
                decision=decision,
                comment=comment,
                seen_seq=seen_seq,
                reviewer=reviewer,
            )

    # -- peer: resubmitting a returned note ------------------------------------------------

    def resubmit_note(self, note_id: str) -> Note:
        """Send a returned note back for review once an addendum answers the
        supervisor's comment (see :meth:`NoteRepo.resubmit`)."""
        self._require(PEER, "resubmitting a note")
        return self.notes.resubmit(note_id)

    # -- reports ---------------------------------------------------------------------------

    def payer_profiles(self) -> dict[str, PayerProfile]:
        """The payer rule profiles to choose from, by key (file name)."""
        return load_payer_profiles()

    def _payer(self, payer: str | PayerProfile | None) -> PayerProfile:
        if isinstance(payer, PayerProfile):
            return payer
        key = payer or self.policy.payer_profile
        profiles = load_payer_profiles()
        if key in profiles:
            return profiles[key]
        for profile in profiles.values():
            if profile.name == key:
                return profile
        raise ConfigError(
            f"there is no payer profile {key!r} (known: {', '.join(sorted(profiles))})"
        )

    def _rate(self, rate: Decimal | None) -> Decimal:
        return self.policy.mileage_rate if rate is None else rate

    def _note_facts(self, year: int, month: int, tz: tzinfo) -> list[NoteFacts]:
        start, end = month_bounds(year, month, tz)
        if self.role == SUPERVISOR:
            self.vault.keys  # noqa: B018
            return [
                NoteFacts(
                    n.peer,
                    n.device_id,
                    n.note_id,
                    n.participant_id,
                    n.contact_type,
                    n.start_at,
                    n.end_at,
                    n.signed_at is not None,
                    n.state == "approved",
                )
                for n in self.review_cache.team_notes(to_iso(start), to_iso(end))
            ]
        device_id = self._own_device_id()
        return [
            NoteFacts(
                self.name,
                device_id,
                c.id,
                c.participant_id,
                c.contact_type,
                c.start_at,
                c.end_at,
                c.state is not NoteState.DRAFT,
                c.state is NoteState.APPROVED,
            )
            for c in contact_times(self.db, start=to_iso(start), end=to_iso(end))
        ]

    def _own_device_id(self) -> str:
        record = self.device.get()
        return record.device_id if record is not None else ""

    def _trip_facts(self, year: int, month: int) -> list[TripFacts]:
        if self.role == SUPERVISOR:
            first, last = month_days(year, month)
            facts = []
            for t in self.review_cache.team_trips(first, last):
                try:
                    facts.append(TripFacts(t.peer, t.device_id, _trip(t.trip_id, t.payload)))
                except (KeyError, TypeError, ValueError) as exc:
                    log.warning("synced trip %s skipped: %s", t.trip_id, type(exc).__name__)
            return facts
        device_id = self._own_device_id()
        return [
            TripFacts(self.name, device_id, t)
            for t in self.trips.list(year=year, month=month).items
        ]

    def billing_report(
        self,
        year: int,
        month: int,
        payer: str | PayerProfile | None = None,
        *,
        tz: tzinfo | None = None,
    ) -> BillingReport:
        """Billable units per peer for a month under a payer profile (key, name or
        object; default: the policy's), with unsigned, unapproved and capped notes
        flagged. A supervisor's covers the team, a peer's their own notes."""
        zone = tz or local_tz()
        return billing_report(
            self._note_facts(year, month, zone), self._payer(payer), year, month, zone
        )

    def mileage_report(self, year: int, month: int, rate: Decimal | None = None) -> MileageReport:
        """Miles and reimbursement per peer for a month (default rate: the policy's)."""
        return mileage_report(self._trip_facts(year, month), year, month, self._rate(rate))

    def overdue_report(
        self, now: datetime | None = None, *, tz: tzinfo | None = None
    ) -> list[OverdueNote]:
        """Notes overdue for signature (a peer: own drafts; a supervisor: notes the
        team signed late) or for review (a supervisor: waiting too long)."""
        now = now or now_utc()
        zone = tz or local_tz()
        sign_days = self.policy.sign_within_days
        review_days = self.policy.review_within_days
        deadlines: list[Deadline] = []
        if self.role == SUPERVISOR:
            cutoff = to_iso(now - timedelta(days=review_days))
            for n in self.review_cache.overdue_candidates(sign_days, cutoff):
                deadlines.append(
                    Deadline(
                        n.peer,
                        n.device_id,
                        n.note_id,
                        n.contact_start,
                        n.signed_at,
                        n.state_at if n.state in WAITING_STATES else None,
                    )
                )
        else:
            device_id = self._own_device_id()
            drafts = contact_times(
                self.db, end=to_iso(now - timedelta(days=sign_days)), states=[NoteState.DRAFT]
            )
            deadlines = [Deadline(self.name, device_id, c.id, c.start_at) for c in drafts]
        return overdue_report(deadlines, now, sign_days, review_days, zone)

    def month_summary(self, year: int, month: int, *, tz: tzinfo | None = None) -> MonthSummary:
        """The peer's own month: units, notes, flagged notes, miles and amount."""
        self._require(PEER, "the month summary")
        return month_summary(
            self.billing_report(year, month, tz=tz), self.mileage_report(year, month)
        )

    def mileage_claim(self, year: int, month: int, rate: Decimal | None = None) -> MileageClaim:
        """The peer's own mileage reimbursement claim (no participant data)."""
        self._require(PEER, "a mileage reimbursement claim")
        trips = self.trips.list(year=year, month=month).items
        return mileage_claim(trips, self.name, year, month, self._rate(rate))

    # -- exports ---------------------------------------------------------------------------

    def export_report(self, report: Any, path: Path | str, fmt: str = "csv") -> int:
        """Write a report to ``path`` (CSV; the PDF is written by the desktop app,
        which calls :meth:`record_export`). An identifiable report starts with the
        42 CFR 2.32 redisclosure notice. Atomic; audited; returns the rows written.
        The caller must have warned the user that a plaintext file is written."""
        if fmt != "csv":
            raise ValidationError(
                "reports are written here as CSV; the PDF comes from the desktop app",
                field="fmt",
            )
        identifiable = is_identifiable(report)
        count = write_csv(report, path, identifiable=identifiable)
        try:
            self.record_export(
                report_kind(report), path, count, fmt="csv", identifiable=identifiable
            )
        except BaseException:
            # An export that cannot be audited did not happen.
            Path(path).unlink(missing_ok=True)
            raise
        return count

    def record_export(
        self,
        kind: str,
        path: Path | str,
        rows: int,
        *,
        fmt: str = "pdf",
        identifiable: bool = True,
    ) -> None:
        """Audit one export (the path is recorded as a digest, never in clear)."""
        if fmt not in EXPORT_FORMATS:
            raise ValidationError(f"unknown export format {fmt!r}", field="fmt")
        if kind not in ("billing", "mileage", "mileage_claim", "overdue"):
            raise ValidationError(f"unknown report {kind!r}", field="kind")
        digest = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]
        try:
            self.audit.append(
                "export",
                format=fmt,
                report=kind,
                records=int(rows),
                identifiable=bool(identifiable),
                target=digest,
            )
        except StorageError:
            log.warning("an export could not be audited")
            raise
