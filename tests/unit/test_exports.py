"""Exports: the 42 CFR 2.32 notice (2024 wording) on every identifiable file,
CSV that reads back, atomic writes that leave nothing behind on failure, and an
audit row for every export."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from peerdesk import exports
from peerdesk.domain import exports as export_rules
from peerdesk.domain.exports import REDISCLOSURE_NOTICE, render_csv
from peerdesk.domain.reports import (
    BillingReport,
    ClaimLine,
    FlaggedNote,
    MileageClaim,
    MileageReport,
    OverdueNote,
    PeerMiles,
    PeerUnits,
)
from peerdesk.errors import ExportError, StorageUnavailable, ValidationError
from peerdesk.exports import write_csv

BILLING = BillingReport(
    rows=[PeerUnits("Ana Reyes", "dev-a", 6, 20, 4, 19), PeerUnits("Ben Ode", "dev-b", 2, 5, 1, 5)],
    flags=[FlaggedNote("Ana Reyes", "n2", date(2026, 3, 2), "unapproved", "dev-a")],
    year=2026,
    month=3,
    payer="Medicaid (example default)",
)
MILEAGE = MileageReport(
    rows=[PeerMiles("Ana Reyes", "dev-a", 2, Decimal("32.8"), Decimal("22.96"))],
    year=2026,
    month=3,
    rate=Decimal("0.70"),
)
CLAIM = MileageClaim(
    "Ana Reyes",
    2026,
    3,
    Decimal("0.70"),
    [ClaimLine(date(2026, 3, 2), "medical", "clinic", Decimal("12.5"))],
    Decimal("12.5"),
    Decimal("8.75"),
)
OVERDUE = [OverdueNote("Ben Ode", "w1", date(2026, 3, 9), "review", 3, "dev-b")]


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_the_notice_is_the_2024_wording_of_42_cfr_2_32():
    text = REDISCLOSURE_NOTICE
    assert text.startswith(
        "This record which has been disclosed to you is protected by Federal confidentiality "
        "rules (42 CFR part 2)."
    )
    for phrase in (
        "or testimony that describes the information contained in this record, in any civil, "
        "criminal, administrative, or legislative proceedings",
        "as authorized by a court in accordance with 42 CFR 2.64 or 2.65",
        "(ii) You are a covered entity or business associate and have received the record for "
        "treatment, payment, or health care operations, or",
        "as permitted by 45 CFR part 164, subparts A and E.",
    ):
        assert phrase in text
    assert text.endswith("to further use or redisclose the record (see 42 CFR 2.31).")
    # not the 2018 wording
    assert "having or having had a substance use disorder" not in text
    assert export_rules.REDISCLOSURE_NOTICE_SHORT == (
        "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
    )


@pytest.mark.parametrize("report", [BILLING, OVERDUE], ids=["billing", "overdue"])
def test_identifiable_exports_start_with_the_notice(tmp_path, report):
    target = tmp_path / "report.csv"
    count = write_csv(report, target, identifiable=True)
    rows = read_rows(target)
    paragraphs = REDISCLOSURE_NOTICE.split("\n")
    assert [r[0] for r in rows[: len(paragraphs)]] == paragraphs
    assert rows[len(paragraphs)] == []
    assert count == sum(len(t.rows) for t in export_rules.report_tables(report))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_billing_csv_reads_back():
    data, count = render_csv(BILLING, identifiable=False)
    rows = read_rows_from(data)
    assert rows[0] == ["H0038 units, 2026-03, Medicaid (example default)"]
    assert rows[1] == ["Peer", "Device", "Notes", "Units", "Approved units", "Flagged notes"]
    assert rows[2] == ["Ana Reyes", "dev-a", "6", "20", "19", "4"]
    assert ["Ana Reyes", "dev-a", "n2", "2026-03-02", "unapproved"] in rows
    assert count == 3


def read_rows_from(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_mileage_reports_are_not_identifiable_and_the_claim_has_no_participant_data():
    assert export_rules.is_identifiable(BILLING) and export_rules.is_identifiable(OVERDUE)
    assert not export_rules.is_identifiable(MILEAGE) and not export_rules.is_identifiable(CLAIM)
    rows = read_rows_from(render_csv(CLAIM, identifiable=False)[0])
    assert rows[1] == ["Date", "Purpose", "Destination type", "Miles"]
    assert rows[2:] == [["2026-03-02", "medical", "clinic", "12.5"], ["Total", "", "", "12.5"]]
    assert "8.75" in rows[0][0]
    with pytest.raises(ValidationError):
        export_rules.report_kind({"not": "a report"})


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_missing_folder_is_a_clear_error_and_nothing_is_written(tmp_path):
    target = tmp_path / "nowhere" / "billing.csv"
    with pytest.raises(ExportError) as err:
        write_csv(BILLING, target, identifiable=True)
    assert err.value.path == str(target)
    assert "does not exist" in str(err.value) and str(target) in str(err.value)
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder_is_a_clear_error_and_nothing_is_written(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="cannot be written") as err:
            write_csv(BILLING, folder / "billing.csv", identifiable=True)
        assert err.value.path == str(folder / "billing.csv")
        assert _leftovers(folder) == []
    finally:
        folder.chmod(0o700)


def test_a_folder_that_refuses_files_is_named_in_the_error(tmp_path, monkeypatch):
    """The same as above for a user the permission bits do not stop (root): the
    operating system's refusal, however it comes, becomes a clear ExportError."""

    def refuse(**kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(exports.tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError) as err:
        write_csv(BILLING, tmp_path / "billing.csv", identifiable=True)
    assert f"the folder {tmp_path} cannot be written" in str(err.value)
    assert _leftovers(tmp_path) == []


def test_a_failure_mid_write_keeps_the_old_file_and_leaves_no_partial_one(tmp_path, monkeypatch):
    target = tmp_path / "billing.csv"
    target.write_bytes(b"the previous export\n")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exports.os, "fsync", disk_full)
    with pytest.raises(ExportError, match="the disk is full"):
        write_csv(BILLING, target, identifiable=True)
    assert target.read_bytes() == b"the previous export\n"
    assert _leftovers(tmp_path) == ["billing.csv"]


def test_a_folder_given_as_the_file_is_refused(tmp_path):
    with pytest.raises(ExportError, match="folder"):
        write_csv(BILLING, tmp_path, identifiable=True)


# -- through the session: audited ---------------------------------------------------------


def _exports(session) -> list[dict]:
    return [e.detail for e in session._audit.entries() if e.event == "export"]


def test_every_export_is_audited_without_the_path(session, tmp_path):
    target = tmp_path / "Ana Reyes billing.csv"
    count = session.reports.export_report(BILLING, target).value
    claim = session.reports.export_report(CLAIM, tmp_path / "claim.csv").value
    session.reports.record_export("overdue", tmp_path / "overdue.pdf", 1)

    assert count == 3 and claim == 2
    assert REDISCLOSURE_NOTICE.split("\n")[0] in target.read_text("utf-8-sig")
    assert "42 CFR" not in (tmp_path / "claim.csv").read_text("utf-8-sig")
    audited = list(reversed(_exports(session)))
    assert [(d["format"], d["report"], d["records"], d["identifiable"]) for d in audited] == [
        ("csv", "billing", 3, True),
        ("csv", "mileage_claim", 2, False),
        ("pdf", "overdue", 1, True),
    ]
    assert all(len(d["target"]) == 16 for d in audited)
    assert not any("Reyes" in str(d) or "tmp" in str(d) for d in audited)
    assert session._audit.verify() > 0


def test_a_failed_export_is_not_audited_and_an_unaudited_one_is_removed(
    session, tmp_path, monkeypatch
):
    with pytest.raises(ExportError):
        session.reports.export_report(BILLING, tmp_path / "missing" / "b.csv")
    assert _exports(session) == []

    def broken_append(event, at=None, **detail):
        raise StorageUnavailable("could not write the audit log: the disk is full")

    monkeypatch.setattr(session._audit, "append", broken_append)
    target = tmp_path / "b.csv"
    with pytest.raises(StorageUnavailable):
        session.reports.export_report(BILLING, target)
    assert not target.exists()
    with pytest.raises(ValidationError) as err:
        session.reports.export_report(BILLING, target, fmt="xlsx")
    assert err.value.field == "fmt"


def test_the_peer_exports_a_reimbursement_claim_of_their_own_trips(session, tmp_path):
    session.trips.add(
        date(2026, 3, 3),
        "medical",
        "clinic",
        miles=Decimal("14.2"),
        destination="14 Birch Road, home of J.",
        notes="J. rode along",
    )
    claim = session.reports.mileage_claim(2026, 3)
    session.reports.export_report(claim, tmp_path / "claim.csv")
    text = (tmp_path / "claim.csv").read_text("utf-8-sig")
    assert "14.2" in text and "9.94" in text  # 14.2 x 0.70
    assert "Birch" not in text and "rode along" not in text
