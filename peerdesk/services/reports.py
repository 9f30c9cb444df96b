"""``session.reports``: billing, mileage and overdue reports, the peer's month
summary and mileage claim, the payer profiles, the billing engine's figures
(``note_units`` for ``peerdesk-cli list-notes``, ``day_context`` for the note
editor's live figure), the claim lines and their 837P file, and report exports
with the 42 CFR Part 2 notice.

A supervisor's reports cover the team's synced notes (the review cache), a
peer's their own notes. The computations are :mod:`peerdesk.domain.reports`;
the facts come from :mod:`peerdesk.store.report_facts`.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

from peerdesk.domain import reports as rules
from peerdesk.domain.billing import PayerProfile
from peerdesk.domain.claims import BillingProvider, ClaimBatch, build_claims, render_claims_csv
from peerdesk.domain.day_rules import (
    DayContext,
    NoteUnits,
    ServiceFact,
    bill_claims,
    bill_services,
    billing_state,
    counted,
    preview,
)
from peerdesk.domain.exports import is_identifiable, report_kind
from peerdesk.domain.reports import (
    BillingReport,
    Deadline,
    MileageClaim,
    MileageReport,
    MonthSummary,
    NoteFacts,
    OverdueNote,
    TripFacts,
)
from peerdesk.domain.review import PEER
from peerdesk.domain.times import local_tz, now_utc, to_iso
from peerdesk.domain.x12_837 import render_837p
from peerdesk.errors import ConfigError, Msg, StorageError, ValidationError
from peerdesk.exports import write_atomic, write_csv
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.payers import load_billing_provider, load_payer_profiles
from peerdesk.services.stores import Stores
from peerdesk.store import report_facts
from peerdesk.store.report_facts import OwnFacts

log = logging.getLogger(__name__)

EXPORT_FORMATS = ("csv", "pdf", "x12")
REPORT_KINDS = ("billing", "mileage", "mileage_claim", "overdue", "claims", "claims_837p")
#: an export only adds an audit row
AUDITED = Changes(profile=True)


class ReportsService:
    def __init__(self, stores: Stores) -> None:
        self._s = stores

    # -- payer profiles ----------------------------------------------------------------

    def payer_profiles(self) -> dict[str, PayerProfile]:
        """The payer rule profiles to choose from, by key (file name)."""
        return load_payer_profiles()

    def _payer(self, payer: str | PayerProfile | None) -> PayerProfile:
        if isinstance(payer, PayerProfile):
            return payer
        key = payer or self._s.policy.payer_profile
        profiles = load_payer_profiles()
        if key in profiles:
            return profiles[key]
        for profile in profiles.values():
            if profile.name == key:
                return profile
        raise ConfigError(
            Msg(
                "there is no payer profile {key} (known: {known})",
                key=repr(key),
                known=", ".join(sorted(profiles)),
            )
        )

    def _rate(self, rate: Decimal | None) -> Decimal:
        return self._s.policy.mileage_rate if rate is None else rate

    # -- facts -------------------------------------------------------------------------

    def _own(self) -> OwnFacts:
        s = self._s
        return OwnFacts(s.db, s.trips, s.name, s.own_device_id(), s.participants)

    def _note_facts(self, year: int, month: int, tz: tzinfo) -> list[NoteFacts]:
        start, end = rules.month_bounds(year, month, tz)
        if self._s.is_peer:
            return self._own().notes(to_iso(start), to_iso(end))
        self._s.vault.keys  # noqa: B018 - VaultLocked before anything is read
        return report_facts.team_notes(self._s.team, to_iso(start), to_iso(end))

    # -- the billing engine's figures ----------------------------------------------------

    def note_units(
        self, payer: str | PayerProfile | None = None, *, tz: tzinfo | None = None
    ) -> dict[str, NoteUnits]:
        """Every note's units under the payer's day rules, by note id: the signed
        notes billed together (as the reports do), each draft as it would come out
        if signed now among them (as the editor shows it). A peer's own notes."""
        zone = tz or local_tz()
        profile = self._payer(payer)
        facts = [n.service() for n in self._own().notes(None, None)]
        signed = counted(facts)
        out = bill_services(signed, profile, zone).by_note()
        by_day: dict[tuple[str, date], list[ServiceFact]] = {}
        for f in signed:
            by_day.setdefault((f.beneficiary, f.start_at.astimezone(zone).date()), []).append(f)
        for f in facts:
            if billing_state(f.state) is None:
                day = by_day.get((f.beneficiary, f.start_at.astimezone(zone).date()), [])
                out[f.note_id] = preview(f, day, profile, zone)
        return out

    def day_context(
        self, participant_id: str, day: date, *, tz: tzinfo | None = None
    ) -> DayContext:
        """One participant's notes of one local day, for the editor's live figure
        (:func:`peerdesk.domain.day_rules.preview`). A peer's own notes."""
        self._s.require(PEER, "the billing figure of a note")
        zone = tz or local_tz()
        start = datetime.combine(day, time(0), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        return self._own().day(participant_id, to_iso(start), to_iso(end))

    # -- claims ---------------------------------------------------------------------------

    def claims(
        self,
        year: int,
        month: int,
        provider: BillingProvider | Path | str,
        payer: str | PayerProfile | None = None,
        *,
        tz: tzinfo | None = None,
    ) -> ClaimBatch:
        """The month's claim lines: the notes in the payer's billable states billed
        under its day rules (a supervisor's: the whole team, one person joined
        across laptops by Medicaid id, decrypted on this machine only), held back
        where something a claim needs is missing."""
        zone = tz or local_tz()
        profile = self._payer(payer)
        billing = (
            provider if isinstance(provider, BillingProvider) else load_billing_provider(provider)
        )
        start, end = rules.month_bounds(year, month, zone)
        if self._s.is_peer:
            own = self._own()
            notes = own.notes(to_iso(start), to_iso(end))
            persons = own.persons()
        else:
            self._s.vault.keys  # noqa: B018 - VaultLocked before anything is read
            people = self._s.team.team_people()
            notes = report_facts.team_notes(self._s.team, to_iso(start), to_iso(end), people)
            persons = report_facts.team_persons(people)
        run = bill_claims((n.service() for n in notes), profile, zone)
        return build_claims(run, profile, billing, persons, year, month)

    def export_claims(self, batch: ClaimBatch, path: Path | str) -> OpResult[int]:
        """Write the claim lines as CSV (the 42 CFR 2.32 notice first); atomic,
        audited; the lines written. The caller must have warned the user that a
        plaintext file with Medicaid ids is written."""
        data, count = render_claims_csv(batch)
        return self.save_export("claims", path, data, count, fmt="csv")

    def export_837p(
        self,
        batch: ClaimBatch,
        path: Path | str,
        *,
        control_number: int | None = None,
        created: datetime | None = None,
        production: bool = True,
    ) -> OpResult[int]:
        """Write the claim lines as an X12 5010 837P file for a clearinghouse;
        atomic, audited; the service lines written. ``control_number`` defaults to
        the profile's next one (a counter kept in the profile, so no two files
        share it)."""
        data = self._render_837p(batch, control_number, created, production)
        return self.save_export("claims_837p", path, data, len(batch.lines), fmt="x12")

    def _render_837p(
        self,
        batch: ClaimBatch,
        control_number: int | None,
        created: datetime | None = None,
        production: bool = True,
    ) -> bytes:
        number = self._s.info.next_control_number() if control_number is None else control_number
        return render_837p(
            batch,
            control_number=number,
            created=(created or now_utc()).astimezone(local_tz()),
            production=production,
        )

    def write_claims(
        self,
        year: int,
        month: int,
        provider: BillingProvider | Path | str,
        payer: str | PayerProfile | None,
        csv_path: Path | str,
        x12_path: Path | str,
        *,
        control_number: int | None = None,
        tz: tzinfo | None = None,
    ) -> OpResult[ClaimBatch]:
        """The month's claims written as the CSV and the 837P (both audited); the
        batch, with what was held back. ``control_number`` defaults to the
        profile's next one, so two files do not share it. Both files are made in
        memory first: when the 837P cannot be made (or written), no CSV is left."""
        batch = self.claims(year, month, provider, payer, tz=tz)
        data, count = render_claims_csv(batch)
        x12 = self._render_837p(batch, control_number)
        self.save_export("claims", csv_path, data, count, fmt="csv")
        try:
            self.save_export("claims_837p", x12_path, x12, len(batch.lines), fmt="x12")
        except BaseException:
            Path(csv_path).unlink(missing_ok=True)
            raise
        return OpResult(batch, AUDITED)

    def _trip_facts(self, year: int, month: int) -> list[TripFacts]:
        if self._s.is_peer:
            return self._own().trips_of(year, month)
        first, last = rules.month_days(year, month)
        return report_facts.team_trips(self._s.team, first, last)

    # -- reports -----------------------------------------------------------------------

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
        return rules.billing_report(
            self._note_facts(year, month, zone), self._payer(payer), year, month, zone
        )

    def mileage_report(self, year: int, month: int, rate: Decimal | None = None) -> MileageReport:
        """Miles and reimbursement per peer for a month (default rate: the policy's)."""
        return rules.mileage_report(self._trip_facts(year, month), year, month, self._rate(rate))

    def overdue_report(
        self, now: datetime | None = None, *, tz: tzinfo | None = None
    ) -> list[OverdueNote]:
        """Notes overdue for signature (a peer: own drafts; a supervisor: notes the
        team signed late) or for review (a supervisor: waiting too long)."""
        now = now or now_utc()
        sign_days = self._s.policy.sign_within_days
        review_days = self._s.policy.review_within_days
        deadlines: list[Deadline]
        if self._s.is_peer:
            deadlines = self._own().drafts_before(to_iso(now - timedelta(days=sign_days)))
        else:
            cutoff = to_iso(now - timedelta(days=review_days))
            deadlines = report_facts.team_deadlines(self._s.team, sign_days, cutoff)
        return rules.overdue_report(deadlines, now, sign_days, review_days, tz or local_tz())

    def month_summary(self, year: int, month: int, *, tz: tzinfo | None = None) -> MonthSummary:
        """The peer's own month: units, notes, flagged notes, miles and amount."""
        self._s.require(PEER, "the month summary")
        return rules.month_summary(
            self.billing_report(year, month, tz=tz), self.mileage_report(year, month)
        )

    def mileage_claim(self, year: int, month: int, rate: Decimal | None = None) -> MileageClaim:
        """The peer's own mileage reimbursement claim (no participant data)."""
        self._s.require(PEER, "a mileage reimbursement claim")
        trips = self._s.trips.list(year=year, month=month).items
        return rules.mileage_claim(trips, self._s.name, year, month, self._rate(rate))

    # -- exports -----------------------------------------------------------------------

    def export_report(self, report: Any, path: Path | str, fmt: str = "csv") -> OpResult[int]:
        """Write a report to ``path`` (CSV; the PDF is written by the desktop app,
        which calls :meth:`record_export`). An identifiable report starts with the
        42 CFR 2.32 redisclosure notice. Atomic; audited; the rows written. The
        caller must have warned the user that a plaintext file is written."""
        if fmt != "csv":
            raise ValidationError(
                Msg("reports are written here as CSV; the PDF comes from the desktop app"),
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
        return OpResult(count, AUDITED)

    def save_export(
        self,
        kind: str,
        path: Path | str,
        data: bytes,
        rows: int,
        *,
        fmt: str = "pdf",
        identifiable: bool = True,
    ) -> OpResult[int]:
        """Write an export the desktop app rendered (a PDF) whole or not at all and
        audit it; an export that cannot be audited did not happen (the file is
        removed again). The rows written."""
        written = write_atomic(path, data)
        try:
            self.record_export(kind, written, rows, fmt=fmt, identifiable=identifiable)
        except BaseException:
            written.unlink(missing_ok=True)
            raise
        return OpResult(rows, AUDITED)

    def record_export(
        self,
        kind: str,
        path: Path | str,
        rows: int,
        *,
        fmt: str = "pdf",
        identifiable: bool = True,
    ) -> Changes:
        """Audit one export (the path is recorded as a digest, never in clear)."""
        if fmt not in EXPORT_FORMATS:
            raise ValidationError(Msg("unknown export format {fmt}", fmt=repr(fmt)), field="fmt")
        if kind not in REPORT_KINDS:
            raise ValidationError(Msg("unknown report {kind}", kind=repr(kind)), field="kind")
        digest = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]
        try:
            self._s.audit.append(
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
        return AUDITED
