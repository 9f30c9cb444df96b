"""What a report export holds: the 42 CFR Part 2 notice, the tables, the CSV bytes.

Every export of identifiable data starts with :data:`REDISCLOSURE_NOTICE`, the
statement 42 CFR 2.32(a)(1) requires to accompany a disclosure made with the
patient's consent, in its wording as amended by the 2024 final rule
("Confidentiality of Substance Use Disorder (SUD) Patient Records",
89 FR 12472, Feb. 16, 2024). The PDF writer (Qt, in ``ui/``) uses the same text
and :func:`report_tables`.

Pure functions: the file is written by :mod:`peerdesk.exports`, and what is
written and by whom is audited by ``session.reports`` (``export_report`` /
``record_export``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peerdesk.domain.reports import BillingReport, MileageClaim, MileageReport, OverdueNote
from peerdesk.errors import Msg, ValidationError

# 42 CFR 2.32(a)(1), "Statement 1", as amended at 89 FR 12472 (Feb. 16, 2024); quoted
# exactly (the three conditions are the rule's paragraphs (i)-(iii)). Statement 2 of
# 2.32(a)(2), the abbreviated form, is only for disclosures where space is limited.
REDISCLOSURE_NOTICE = (
    "This record which has been disclosed to you is protected by Federal confidentiality "
    "rules (42 CFR part 2). These rules prohibit you from using or disclosing this record, "
    "or testimony that describes the information contained in this record, in any civil, "
    "criminal, administrative, or legislative proceedings by any Federal, State, or local "
    "authority, against the patient, unless authorized by the consent of the patient, "
    "except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance "
    "with 42 CFR 2.64 or 2.65. In addition, the Federal rules prohibit you from making any "
    "other use or disclosure of this record unless at least one of the following applies:\n"
    "(i) Further use or disclosure is expressly permitted by the written consent of the "
    "individual whose information is being disclosed in this record or as otherwise "
    "permitted by 42 CFR part 2.\n"
    "(ii) You are a covered entity or business associate and have received the record for "
    "treatment, payment, or health care operations, or\n"
    "(iii) You have received the record from a covered entity or business associate as "
    "permitted by 45 CFR part 164, subparts A and E.\n"
    "A general authorization for the release of medical or other information is NOT "
    "sufficient to meet the required elements of written consent to further use or "
    "redisclose the record (see 42 CFR 2.31)."
)
#: 42 CFR 2.32(a)(2), "Statement 2" (2024 wording), for where space is short
REDISCLOSURE_NOTICE_SHORT = (
    "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
)

Report = BillingReport | MileageReport | MileageClaim | Sequence[OverdueNote]


@dataclass(frozen=True, slots=True)
class Table:
    """One table of a report, as text cells (what CSV and PDF both write)."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def report_kind(report: Any) -> str:
    """``billing``, ``mileage``, ``mileage_claim`` or ``overdue``."""
    if isinstance(report, BillingReport):
        return "billing"
    if isinstance(report, MileageReport):
        return "mileage"
    if isinstance(report, MileageClaim):
        return "mileage_claim"
    if isinstance(report, list | tuple) and all(isinstance(r, OverdueNote) for r in report):
        return "overdue"
    raise ValidationError(Msg("cannot export a {kind}", kind=type(report).__name__), field="report")


def is_identifiable(report: Any) -> bool:
    """Whether a report names notes or contacts (billing flags, overdue notes). The
    mileage report and a peer's own mileage claim carry no participant data."""
    return report_kind(report) in ("billing", "overdue")


def report_tables(report: Any) -> list[Table]:
    kind = report_kind(report)
    if kind == "billing":
        assert isinstance(report, BillingReport)
        return [
            Table(
                f"{report.code} units, {report.year:04d}-{report.month:02d}, {report.payer}",
                ("Peer", "Device", "Notes", "Units", "Approved units", "Flagged notes"),
                [
                    (
                        r.peer,
                        r.device_id,
                        str(r.notes),
                        str(r.units),
                        str(r.approved_units),
                        str(r.flagged),
                    )
                    for r in report.rows
                ],
            ),
            Table(
                f"Units by code and modifier, {report.year:04d}-{report.month:02d}",
                ("Peer", "Device", "Procedure", "Units", "Approved units"),
                [
                    (c.peer, c.device_id, c.procedure, str(c.units), str(c.approved_units))
                    for c in report.codes
                ],
            ),
            Table(
                "Flagged notes",
                ("Peer", "Device", "Note", "Date of service", "Reason"),
                [
                    (f.peer, f.device_id, f.note_id, f.date.isoformat(), f.reason)
                    for f in report.flags
                ],
            ),
        ]
    if kind == "mileage":
        assert isinstance(report, MileageReport)
        tables = [
            Table(
                f"Mileage, {report.year:04d}-{report.month:02d}, at {report.rate} per mile",
                ("Peer", "Device", "Trips", "Miles", "Amount"),
                [
                    (r.peer, r.device_id, str(r.trips), str(r.miles), _money(r.amount))
                    for r in report.rows
                ],
            )
        ]
        if report.invalid:
            tables.append(
                Table(
                    "Trips not counted",
                    ("Peer", "Trip", "Reason"),
                    [(i.peer, i.trip_id, i.reason) for i in report.invalid],
                )
            )
        return tables
    if kind == "mileage_claim":
        assert isinstance(report, MileageClaim)
        lines: list[tuple[str, ...]] = [
            (line.trip_date.isoformat(), line.purpose, line.destination_type, str(line.miles))
            for line in report.lines
        ]
        lines.append(("Total", "", "", str(report.miles)))
        return [
            Table(
                f"Mileage reimbursement, {report.peer}, {report.year:04d}-{report.month:02d}, "
                f"{report.rate} per mile: {_money(report.amount)}",
                ("Date", "Purpose", "Destination type", "Miles"),
                lines,
            )
        ]
    return [
        Table(
            "Notes overdue for signature or review",
            ("Peer", "Device", "Note", "Contact date", "Overdue for", "Days overdue"),
            [
                (o.peer, o.device_id, o.note_id, o.contact_date.isoformat(), o.kind, str(o.days))
                for o in report
            ],
        )
    ]


def render_csv(report: Any, *, identifiable: bool) -> tuple[bytes, int]:
    """The CSV bytes of ``report`` and the number of data rows. With
    ``identifiable`` the notice comes first, one line per paragraph, then a blank row."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    if identifiable:
        for paragraph in REDISCLOSURE_NOTICE.split("\n"):
            writer.writerow([paragraph])
        writer.writerow([])
    count = 0
    for i, table in enumerate(report_tables(report)):
        if i:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows(table.rows)
        count += len(table.rows)
    # UTF-8 with a byte order mark, so spreadsheet programs read names correctly
    return out.getvalue().encode("utf-8-sig"), count


__all__ = [
    "REDISCLOSURE_NOTICE",
    "REDISCLOSURE_NOTICE_SHORT",
    "Table",
    "is_identifiable",
    "render_csv",
    "report_kind",
    "report_tables",
]
