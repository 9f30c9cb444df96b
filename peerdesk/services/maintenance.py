"""``session.maintenance``: the doctor's checks and the decrypted JSON export."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from peerdesk.crypto.kdf import KdfParams
from peerdesk.domain.workforce import SelfCarePlan
from peerdesk.errors import AuditChainBroken, CorruptData, Msg, StorageError
from peerdesk.fsutil import atomic_write
from peerdesk.services.changes import Changes, OpResult
from peerdesk.services.stores import Stores
from peerdesk.store import health
from peerdesk.store.base import ReadResult
from peerdesk.store.db import translate_errors


@dataclass(slots=True)
class DoctorReport:
    integrity: str
    schema_applied: list[str]
    schema_pending: list[str]
    audit_rows: int | None = None
    audit_error: str | None = None
    damaged_records: list[str] = field(default_factory=list)
    plaintext_columns: list[str] = field(default_factory=list)
    #: checks that could not run because the database could not be read, each a
    #: sentence with the reason (a locked vault is not a reason to list here)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok"
            and not self.schema_pending
            and self.audit_error is None
            and not self.damaged_records
            and not self.plaintext_columns
            and not self.skipped
        )


class MaintenanceService:
    def __init__(self, stores: Stores) -> None:
        self._s = stores

    def kdf_params(self) -> KdfParams:
        """The Argon2id parameters the passphrase is stretched with."""
        return self._s.vault.kdf_params

    def doctor(self) -> DoctorReport:
        """Check the file, the schema, the encryption of sensitive columns and, when
        unlocked, the audit chain and every record.

        Never raises for a damaged or unreadable database: that is what it is for.
        If ``PRAGMA integrity_check`` itself fails, ``integrity`` says why and the
        other checks are listed in ``skipped``; a later check that cannot read its
        table is listed in ``skipped`` (or, for records, ``damaged_records``) and
        the remaining checks still run.
        """
        db = self._s.db
        try:
            integrity = health.integrity_check(db)
        except StorageError as exc:
            return DoctorReport(
                integrity=str(exc),
                schema_applied=[],
                schema_pending=[],
                skipped=[
                    "schema, encryption, audit chain and record checks: not run, "
                    "because the integrity check could not read the database"
                ],
            )
        report = DoctorReport(integrity=integrity, schema_applied=[], schema_pending=[])
        try:
            report.schema_applied, report.schema_pending = health.schema_state(db)
        except StorageError as exc:
            report.skipped.append(str(exc))
        for table, columns in health.ALL_SENSITIVE_COLUMNS.items():
            for column in columns:
                try:
                    bad = health.plaintext_rows(db, table, column)
                except StorageError as exc:
                    report.skipped.append(str(exc))
                    continue
                if bad:
                    report.plaintext_columns.append(f"{table}.{column}: {bad} row(s)")
        if self._s.vault.is_unlocked:
            self._check_records(report)
        return report

    def _check_records(self, report: DoctorReport) -> None:
        s = self._s
        try:
            with translate_errors(Msg("verify the audit chain"), writing=False):
                report.audit_rows = s.audit.verify()
        except AuditChainBroken as exc:
            report.audit_error = str(exc)
        except StorageError as exc:
            report.skipped.append(str(exc))
        listers = (
            lambda: s.participants.list(include_inactive=True),
            lambda: s.notes.list(with_addenda=True),
            s.trips.list,
        )
        for lister in listers:
            try:
                result = lister()
            except CorruptData as exc:
                # The table itself could not be read, not just one record.
                report.damaged_records.append(str(exc))
            except StorageError as exc:
                report.skipped.append(str(exc))
            else:
                report.damaged_records.extend(str(e) for e in result.damaged)

    def export_json(self, target: Path) -> OpResult[int]:
        """Write every record, decrypted, to ``target`` (0600, atomic). The caller
        must have warned the user; the export is audited. The count of records."""
        s = self._s
        participants = s.participants.list(include_inactive=True)
        notes = s.notes.list(with_addenda=True)
        trips = s.trips.list()
        record = s.record
        parts: dict[str, ReadResult[Any]] = {
            "plans": record.plans(),
            "enrollments": record.episodes(),
            "consents": record.consents(),
            "check_ins": record.check_ins(),
            "care_team": record.care_team(),
            "crisis_flags": record.crisis_flags(),  # issue 21
            "safety_plans": record.safety_plans(),
            # the peer's own workforce record (issue 23), private parts included: the
            # export is the peer's, on their own decision
            "supervision_sessions": s.workforce.sessions(),
            "ceu_entries": s.workforce.ceus(),
            "wellbeing_check_ins": s.workforce.check_ins(),
        }
        certs, plans = s.workforce.certifications(), s.workforce.self_care_read()
        data = {
            "warning": "Decrypted PeerDesk export. Contains protected health information; "
            "42 CFR Part 2 and HIPAA apply. Store encrypted, delete when done.",
            "profile": s.name,
            "participants": [_plain(p) for p in participants.items],
            "notes": [_plain(n) for n in notes.items],
            "trips": [_plain(t) for t in trips.items],
            **{key: [_plain(r) for r in found.items] for key, found in parts.items()},
            "certification": _plain(certs.items[-1]) if certs.items else None,
            "self_care_plan": _plain(plans.items[-1] if plans.items else SelfCarePlan()),
            "damaged": [str(e) for e in participants.damaged + notes.damaged + trips.damaged]
            + [str(e) for found in parts.values() for e in found.damaged]
            + [str(e) for e in certs.damaged + plans.damaged],
        }
        count = len(participants.items) + len(notes.items) + len(trips.items)
        count += sum(len(found.items) for found in parts.values())
        payload = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
        old_umask = os.umask(0o077)
        try:
            atomic_write(target, payload)
        finally:
            os.umask(old_umask)
        s.audit.append("export", format="json", records=count)
        return OpResult(count, Changes(profile=True))


def _plain(obj: Any) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        if isinstance(value, set | frozenset):
            return sorted(convert(v) for v in value)
        return value

    return convert(asdict(obj))
